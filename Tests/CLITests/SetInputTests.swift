import Foundation
import Testing
import TestSupport

private func jsonObject(_ text: some StringProtocol) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(String(text).utf8)) as? [String: Any])
}

private func jsonLines(_ text: String) throws -> [[String: Any]] {
    try text.split(separator: "\n").map { try jsonObject($0) }
}

/// Circuit sets as JSONL files, port matching of set commands, report schemas and progress.
@Suite struct SetInputTests {
    /// A JSONL set file: 4 functions × (source + 2 variants).
    static func setFile(_ dir: URL, _ name: String = "set.jsonl", count: Int = 4) throws -> String {
        let path = dir.appendingPathComponent(name).path
        let g = try TestSupport.miter(["random", "--inputs", "5", "--ands", "20", "--count", "\(count)", "--variants", "2",
                                       "--seed", "5", "--jsonl", path])
        #expect(g.status == 0, "\(g.stderr)")
        return path
    }

    @Test func jsonlFilesAreInputsOfHashDedupAndPairs() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let set = try Self.setFile(dir)
        let stdin = Array(try String(contentsOfFile: set, encoding: .utf8).utf8)

        let h = try TestSupport.miter(["hash", set])
        #expect(h.status == 0, "\(h.stderr)")
        #expect(h.stdout.split(separator: "\n").count == 12)
        #expect(h.stdout.contains("  c000000_v1\n"))
        let hs = try TestSupport.miter(["hash"], stdin: stdin)
        #expect(hs.stdout == h.stdout)

        let d = try TestSupport.miter(["dedup", "--json", set])
        #expect(d.status == 0, "\(d.stderr)")
        let report = try jsonObject(d.stdout)
        #expect(report["schema"] as? String == "miter.dedup.v1")
        let classes = try #require(report["classes"] as? [[String: Any]])
        #expect(classes.count == 4)
        #expect(classes.map { $0["members"] as? [String] ?? [] }.first == ["c000000", "c000000_v1", "c000000_v2"])

        // .ndjson, and any name when the content starts with '{'; the same set twice is in input order.
        let nd = dir.appendingPathComponent("copy.ndjson").path, txt = dir.appendingPathComponent("copy.txt").path
        try FileManager.default.copyItem(atPath: set, toPath: nd)
        try FileManager.default.copyItem(atPath: set, toPath: txt)
        let two = try TestSupport.miter(["dedup", "--jsonl", nd, txt])
        #expect(two.status == 0, "\(two.stderr)")
        let rows = try jsonLines(two.stdout)
        #expect(rows.count == 4 && rows.allSatisfy { $0["size"] as? Int == 6 })
        #expect((rows[0]["member_indices"] as? [Int]) == [0, 1, 2, 12, 13, 14])

        let pairs = dir.appendingPathComponent("pairs.jsonl").path
        let p = try TestSupport.miter(["pairs", "--max-pairs", "10", "--jsonl", pairs, "--json", set])
        #expect(p.status == 0, "\(p.stderr)")
        let summary = try jsonObject(p.stdout)
        #expect(summary["schema"] as? String == "miter.pairs.v1")
        #expect(summary["circuits"] as? Int == 12 && summary["pairs"] as? Int == 10)
        for key in ["read_seconds", "dedup_seconds", "pairs_seconds", "write_seconds", "total_seconds"] {
            #expect(summary[key] is Double || summary[key] is Int, "\(key)")
        }
    }

    @Test func errorsInJSONLFilesAreLocated() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.jsonl").path
        try "{\"aag\": \"aag 1 1 0 1 0\\n2\\n2\\n\"}\n\n{\"aag\": \"aag 1 1 0 1 0\\n2\\n9\\n\", \"name\": \"broken\"}\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let notJSON = dir.appendingPathComponent("nojson.jsonl").path
        try "{\"aag\": \"aag 0 0 0 0 0\\n\"}\n{\"aag\": \"aag 0 0 0 0 0\\n\" oops}\n".write(toFile: notJSON, atomically: true, encoding: .utf8)
        for command in [["hash"], ["dedup"], ["pairs", "--jsonl", dir.appendingPathComponent("p.jsonl").path]] {
            let r = try TestSupport.miter(command + [bad])
            #expect(r.status == 2)
            #expect(r.stderr.contains("\(bad):3: in \"aag\" of broken"), "\(command): \(r.stderr)")
            let j = try TestSupport.miter(command + [notJSON])
            #expect(j.status == 2)
            #expect(j.stderr.contains("\(notJSON):2:"), "\(command): \(j.stderr)")
            #expect(j.stderr.contains("invalid JSON"), "\(j.stderr)")
        }
        let js = try TestSupport.miter(["dedup", "--json", bad])
        let e = try jsonObject(js.stdout)
        let detail = try #require(e["error"] as? [String: Any])
        #expect(detail["file"] as? String == bad && detail["line"] as? Int == 3)
    }

    /// Two circuits with the same named ports in different positions: equivalent by name only.
    @Test func matchNamesOrderAndAuto() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // y = a AND NOT b, with inputs listed (a, b) and (b, a).
        let first = "aag 3 2 0 1 1\n2\n4\n6\n6 2 5\ni0 a\ni1 b\no0 y\n"
        let second = "aag 3 2 0 1 1\n2\n4\n6\n6 4 3\ni0 b\ni1 a\no0 y\n"
        let unnamed = "aag 3 2 0 1 1\n2\n4\n6\n6 2 5\n"
        func line(_ name: String, _ aag: String) -> String {
            "{\"name\": \"\(name)\", \"aag\": \"" + aag.replacingOccurrences(of: "\n", with: "\\n") + "\"}\n"
        }
        let set = dir.appendingPathComponent("named.jsonl").path
        try (line("first", first) + line("second", second) + line("unnamed", unnamed)).write(toFile: set, atomically: true, encoding: .utf8)
        func classes(_ args: [String]) throws -> [[String]] {
            let r = try TestSupport.miter(["dedup", "--json"] + args + [set])
            #expect(r.status == 0 || r.status == 3, "\(r.stderr)")
            let o = try jsonObject(r.stdout)
            return (o["classes"] as? [[String: Any]] ?? []).map { $0["members"] as? [String] ?? [] }
        }
        // By position: first == unnamed (same literal structure), second differs.
        #expect(try classes([]) == [["first", "unnamed"], ["second"]])
        #expect(try classes(["--match", "order"]) == [["first", "unnamed"], ["second"]])
        // auto: the named two by name; the unnamed one (by position) is never merged with named ones.
        #expect(try classes(["--match", "auto"]) == [["first", "second"], ["unnamed"]])
        // names: the unnamed circuit cannot be compared by name (undecided, exit 3) or hashes apart.
        let n = try TestSupport.miter(["dedup", "--json", "--by-name", set])
        let byName = try TestSupport.miter(["dedup", "--json", "--match", "names", set])
        #expect(n.stdout.replacingOccurrences(of: #""[a-z_]+_seconds":[0-9.e-]+"#, with: "", options: .regularExpression)
                == byName.stdout.replacingOccurrences(of: #""[a-z_]+_seconds":[0-9.e-]+"#, with: "", options: .regularExpression))
        #expect(try jsonObject(byName.stdout)["summary"].flatMap { ($0 as? [String: Any])?["match"] as? String } == "names")
        let both = try TestSupport.miter(["dedup", "--by-name", "--match", "order", set])
        #expect(both.status == 2 && both.stderr.contains("--by-name"))

        // pairs: with --match names the two named circuits are an equivalent pair.
        let named = dir.appendingPathComponent("two.jsonl").path
        try (line("first", first) + line("second", second)).write(toFile: named, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("pairs.jsonl").path
        let p = try TestSupport.miter(["pairs", "--match", "names", "--jsonl", out, named])
        #expect(p.status == 0, "\(p.stderr)")
        let rows = try jsonLines(try String(contentsOfFile: out, encoding: .utf8))
        #expect(rows.count == 1 && rows.first?["verdict"] as? String == "equivalent")
        let o = try TestSupport.miter(["pairs", "--match", "order", "--jsonl", out, named])
        #expect(o.status == 0, "\(o.stderr)")
        let orderRows = try jsonLines(try String(contentsOfFile: out, encoding: .utf8))
        #expect(orderRows.count == 1 && orderRows.first?["verdict"] as? String == "not_equivalent")
        #expect(orderRows.first?["cex_inputs_a"] as? [Int] != nil)

        // hash: the bucket keys follow --match.
        let h = try jsonLines(try TestSupport.miter(["hash", "--jsonl", "--match", "names", named]).stdout)
        #expect(h.count == 2 && h[0]["bucket"] as? String == h[1]["bucket"] as? String)
        #expect(h[0]["port_order"] as? String == "names")
        let ho = try jsonLines(try TestSupport.miter(["hash", "--jsonl", named]).stdout)
        #expect(ho[0]["bucket"] as? String != ho[1]["bucket"] as? String)
    }

    /// `hash --jsonl` rows carry the bucket key dedup classes carry: a set split by it can be
    /// deduplicated shard by shard and give the same classes.
    @Test func hashBucketsShardDedup() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let g = try TestSupport.miter(["random", "--inputs", "6", "--ands", "25", "--count", "30", "--variants", "2",
                                       "--mutants", "2", "--seed", "9", "--jsonl", "-"])
        let lines = g.stdout.split(separator: "\n").map(String.init)
        let set = dir.appendingPathComponent("set.jsonl").path
        try g.stdout.write(toFile: set, atomically: true, encoding: .utf8)
        let h = try TestSupport.miter(["hash", "--jsonl", set])
        #expect(h.status == 0, "\(h.stderr)")
        let rows = try jsonLines(h.stdout)
        #expect(rows.count == lines.count)
        for (k, r) in rows.enumerated() {
            #expect(r["schema"] as? String == "miter.hash.v1" && r["index"] as? Int == k)
            let hash = try #require(r["hash"] as? String)
            #expect(r["bucket"] as? String == "6/\(r["outputs"] as? Int ?? -1)/0/\(hash)")
        }
        // --json: the same rows as one array.
        let array = try #require(try JSONSerialization.jsonObject(with: Data(try TestSupport.miter(["hash", "--json", set]).stdout.utf8)) as? [[String: Any]])
        #expect(array.count == rows.count && array.map { $0["bucket"] as? String } == rows.map { $0["bucket"] as? String })

        // Two shards of whole buckets (by the parity of a hash digit), deduplicated apart.
        var shards = ["", ""]
        for (k, r) in rows.enumerated() {
            let last = (r["hash"] as? String ?? "0").last!.hexDigitValue ?? 0
            shards[last % 2] += lines[k] + "\n"
        }
        var sharded: Set<[String]> = []
        var bucketsOfShards: [String: [String]] = [:]
        for (s, text) in shards.enumerated() where !text.isEmpty {
            let path = dir.appendingPathComponent("shard\(s).jsonl").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let d = try TestSupport.miter(["dedup", "--jsonl", path])
            #expect(d.status == 0, "\(d.stderr)")
            for c in try jsonLines(d.stdout) {
                sharded.insert(c["members"] as? [String] ?? [])
                bucketsOfShards[c["bucket"] as? String ?? "", default: []] += c["members"] as? [String] ?? []
            }
        }
        let whole = try jsonLines(try TestSupport.miter(["dedup", "--jsonl", set]).stdout)
        #expect(Set(whole.map { $0["members"] as? [String] ?? [] }) == sharded)
        // Classes are ordered by first member; each class's bucket is its members' hash row bucket.
        let bucketOf = Dictionary(uniqueKeysWithValues: rows.map { ($0["name"] as? String ?? "", $0["bucket"] as? String ?? "") })
        var lastFirst = -1
        for c in whole {
            let idx = try #require(c["member_indices"] as? [Int])
            #expect(idx == idx.sorted() && idx[0] > lastFirst)
            lastFirst = idx[0]
            for m in c["members"] as? [String] ?? [] { #expect(bucketOf[m] == c["bucket"] as? String) }
            #expect(c["schema"] as? String == "miter.dedup_class.v1")
        }
    }

    /// `--progress json`: one miter.progress.v1 line per update on stderr, each phase's final frame,
    /// throttled, and no absurd first rate (the first dedup frame once said 255999999999/s).
    @Test func progressJSONLines() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let set = dir.appendingPathComponent("set.jsonl").path
        let g = try TestSupport.miter(["random", "--inputs", "8", "--ands", "40", "--count", "3000", "--seed", "2", "--jsonl", set])
        #expect(g.status == 0, "\(g.stderr)")
        let start = Date()
        let d = try TestSupport.miter(["dedup", "--progress", "json", "--jobs", "2", set])
        let elapsed = Date().timeIntervalSince(start)
        #expect(d.status == 0, "\(d.stderr)")
        let frames = try jsonLines(d.stderr)
        #expect(!frames.isEmpty)
        #expect(frames.allSatisfy { $0["schema"] as? String == "miter.progress.v1" && $0.keys.sorted() == ["done", "eta_s", "phase", "rate", "schema", "total"] })
        for phase in ["hashing", "proving"] {
            let f = frames.filter { $0["phase"] as? String == phase }
            // Workers report out of order; the frames never go backwards.
            let counts = f.map { $0["done"] as? Int ?? -1 }
            #expect(counts == counts.sorted(), "\(phase): \(counts)")
            #expect(f.last.map { $0["done"] as? Int == 3000 && $0["total"] as? Int == 3000 } == true, "\(phase): \(f)")
        }
        for f in frames {
            guard let rate = f["rate"] as? Double else { #expect(f["rate"] is NSNull); continue }
            // At most done items per 10 ms (the reporter gives no rate before 10 ms of a phase).
            #expect(rate >= 0 && rate <= Double(f["done"] as? Int ?? 0) / 0.01, "\(f)")
        }
        #expect(Double(frames.count) <= elapsed * 10 + 6, "\(frames.count) frames in \(elapsed) s")

        let pairs = dir.appendingPathComponent("pairs.jsonl").path
        let p = try TestSupport.miter(["pairs", "--progress", "json", "--max-pairs", "200", "--jsonl", pairs, set])
        #expect(p.status == 0)
        let pf = try jsonLines(p.stderr)
        #expect(pf.contains { $0["phase"] as? String == "checking" && $0["done"] as? Int == $0["total"] as? Int })
        let h = try TestSupport.miter(["hash", "--progress", "json", set])
        let hf = try jsonLines(h.stderr)
        #expect(hf.last?["phase"] as? String == "hashing" && hf.last?["done"] as? Int == 3000)
        // auto: nothing when stderr is not a terminal; none: nothing.
        #expect(try TestSupport.miter(["hash", set]).stderr.isEmpty)
        #expect(try TestSupport.miter(["dedup", "--progress", "none", set]).stderr.isEmpty)
    }

    /// `miter serve` reads a JSONL set sent inline (an in-memory file, never looked up on disk).
    @Test func serveHashesInlineJSONL() throws {
        let line = #"{"aag": "aag 3 2 0 1 1\n2\n4\n6\n6 2 4\n", "name": "and"}"#
        let request = try String(data: JSONSerialization.data(withJSONObject: [
            "id": 1, "argv": ["hash", "--jsonl", "inline/set.jsonl"], "files": ["inline/set.jsonl": line + "\n" + line + "\n"],
        ]), encoding: .utf8)!
        let r = try TestSupport.miter(["serve"], stdin: Array((request + "\n").utf8))
        #expect(r.status == 0, "\(r.stderr)")
        let answer = try jsonObject(r.stdout.split(separator: "\n").first ?? "")
        #expect(answer["exit_code"] as? Int == 0, "\(r.stdout)")
        let result = try #require(answer["result"] as? [[String: Any]])
        #expect(result.count == 2 && result.allSatisfy { $0["name"] as? String == "and" && $0["schema"] as? String == "miter.hash.v1" })
    }
}
