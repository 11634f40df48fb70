import Foundation
import Testing
import TestSupport

/// Classes as sets of circuit names.
private func partition(_ classes: [[String]]) -> Set<Set<String>> { Set(classes.map(Set.init)) }

/// Ground truth from `miter random`'s manifest (function_class, exact truth tables).
private func truth(_ manifestLines: [Substring]) throws -> (Set<Set<String>>, [String: Int]) {
    var groups: [Int: [String]] = [:]
    var classOf: [String: Int] = [:]
    for line in manifestLines {
        let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let name = try #require(o["name"] as? String), c = try #require(o["function_class"] as? Int)
        groups[c, default: []].append(name); classOf[name] = c
    }
    return (partition(Array(groups.values)), classOf)
}

private func dedupClasses(_ stdout: String, stripPath: Bool) throws -> (Set<Set<String>>, [String: Any]) {
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
    let classes = try #require(obj["classes"] as? [[String: Any]])
    let members = classes.map { ($0["members"] as? [String] ?? []).map { name -> String in
        guard stripPath else { return name }
        let base = name.split(separator: "/").last.map(String.init) ?? name
        return base.hasSuffix(".aag") ? String(base.dropLast(4)) : base
    } }
    return (partition(members), obj["summary"] as? [String: Any] ?? [:])
}

@Suite struct DedupCommandTests {
    /// The acceptance set as files in a directory (2,000 circuits in CI,
    /// MITER_DEDUP_FULL=1: 10,000) and as a JSONL stream on stdin.
    @Test func classesEqualGroundTruthFromDirectoryAndStream() throws {
        let full = ProcessInfo.processInfo.environment["MITER_DEDUP_FULL"] != nil
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let gen = ["random", "--inputs", "8", "--outputs", "2", "--ands", "50", "--count", full ? "1000" : "200",
                   "--variants", "5", "--mutants", "4", "--seed", "11"]
        let g = try TestSupport.miter(gen + ["--out", dir.path])
        #expect(g.status == 0, "\(g.stderr)")
        let manifest = try String(contentsOf: dir.appendingPathComponent("manifest.jsonl"), encoding: .utf8)
        let (expected, _) = try truth(manifest.split(separator: "\n"))

        let r = try TestSupport.miter(["dedup", "--json", "--jobs", "2", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        let (got, summary) = try dedupClasses(r.stdout, stripPath: true)
        #expect(got == expected)
        #expect(summary["circuits"] as? Int == (full ? 10_000 : 2_000))
        #expect(summary["undecided"] as? Int == 0)

        let stream = try TestSupport.miter(gen + ["--jsonl", "-"])
        let s = try TestSupport.miter(["dedup", "--json"], stdin: Array(stream.stdout.utf8))
        #expect(s.status == 0, "\(s.stderr)")
        #expect(try dedupClasses(s.stdout, stripPath: false).0 == expected)
    }

    @Test func textSummaryListFileOutDirAndJSONL() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let g = try TestSupport.miter(["random", "--inputs", "5", "--ands", "20", "--count", "4", "--variants", "2",
                                       "--out", dir.appendingPathComponent("set").path])
        #expect(g.status == 0, "\(g.stderr)")
        let list = dir.appendingPathComponent("list.txt")
        let names = (0..<4).flatMap { c in ["", "_v1", "_v2"].map { dir.appendingPathComponent("set/c00000\(c)\($0).aag").path } }
        try ("# the set\n" + names.joined(separator: "\n") + "\n").write(to: list, atomically: true, encoding: .utf8)
        let reps = dir.appendingPathComponent("reps").path
        let r = try TestSupport.miter(["dedup", "--from-list", list.path, "--out", reps, "--keep", "first"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("12 circuits -> 4 classes"), "\(r.stdout)")
        #expect(r.stdout.contains("SAT calls 0"))
        #expect(r.stderr.isEmpty)   // no progress bar when stderr is not a terminal
        let written = try FileManager.default.contentsOfDirectory(atPath: reps).sorted()
        #expect(written == ["0-c000000.aag", "1-c000001.aag", "2-c000002.aag", "3-c000003.aag"])
        let l = try TestSupport.miter(["dedup", "--jsonl", "--from-list", list.path])
        let rows = l.stdout.split(separator: "\n")
        #expect(rows.count == 4)
        let row = try #require(try JSONSerialization.jsonObject(with: Data(rows[0].utf8)) as? [String: Any])
        #expect(row["size"] as? Int == 3 && (row["members"] as? [String])?.count == 3)
        #expect(l.stderr.contains("12 circuits -> 4 classes"))
    }

    @Test func concatenatedAIGEROnStdin() throws {
        let and = "aag 3 2 0 1 1\n2\n4\n6\n6 2 4\n"
        let and2 = "aag 3 2 0 1 1\n2\n4\n6\n6 4 2\n"
        let or = "aag 3 2 0 1 1\n2\n4\n7\n6 3 5\n"
        let r = try TestSupport.miter(["dedup", "--json"], stdin: Array((and + and2 + or).utf8))
        #expect(r.status == 0, "\(r.stderr)")
        let (got, _) = try dedupClasses(r.stdout, stripPath: false)
        #expect(got == [["<stdin>#1", "<stdin>#2"], ["<stdin>#3"]])
    }

    @Test func badInputIsLocatedExit2() throws {
        let bad = try TestSupport.miter(["dedup"], stdin: Array("aag 3 2 0 1 1\n2\n4\n6\n6 2 4\naag 3 2 0 1 1\n2\n4\n6\n6 2 9\n".utf8))
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("<stdin>:10"), "\(bad.stderr)")
        let json = try TestSupport.miter(["dedup"], stdin: Array("{\"aag\": \"aag 0 0 0 0 0\\n\"}\n{\"aag\": 3}\n".utf8))
        #expect(json.status == 2)
        #expect(json.stderr.contains("<stdin>:2"), "\(json.stderr)")
        let missing = try TestSupport.miter(["dedup", "/nonexistent/dir"])
        #expect(missing.status == 2 && missing.stderr.contains("/nonexistent/dir"))
    }
}
