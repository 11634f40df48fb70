import Foundation
import Testing
import TestSupport

private func seq(_ p: String) -> String { TestSupport.repoFile("Circuits/sequential/" + p).path }

private func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

/// `miter check` on sequential netlists: registers paired by name (tolerating
/// the renamings of synthesis tools), then by signature (issue #14).
@Suite struct RegisterMatchingCommandTests {
    @Test func yosysNetlistsAndHandRenamedVersionAreEquivalent() throws {
        for (file, line) in [("counter_yosys.blif", "registers: 8 paired (5 by name, 3 by signature), 0 unmatched"),
                             ("counter_yosys.aag", "registers: 8 paired (8 by name, 0 by signature), 0 unmatched"),
                             ("counter_renamed.aag", "registers: 8 paired (7 by name, 1 by signature), 0 unmatched")] {
            let r = try TestSupport.miter(["check", seq("counter.blif"), seq(file)])
            #expect(r.status == 0, "\(file): \(r.stdout) \(r.stderr)")
            #expect(r.stdout.hasPrefix("equivalent\n"), "\(file): \(r.stdout)")
            #expect(r.stdout.contains(line), "\(file): \(r.stdout)")
        }
        let renamed = try TestSupport.miter(["check", seq("counter.blif"), seq("counter_renamed.aag")])
        #expect(renamed.stdout.contains("cnt[1] = cnt_reg_1_"), "\(renamed.stdout)")
        #expect(renamed.stdout.contains("by signature: p = parity_q"), "\(renamed.stdout)")
        #expect(renamed.stdout.contains("never a false 'equivalent'"))
        let hier = try TestSupport.miter(["check", seq("counter.blif"), seq("counter_yosys.blif")])
        #expect(hier.stdout.contains("u1.sh[0] = shifter_0.sh[0]"), "\(hier.stdout)")
    }

    @Test func jsonReportsThePairing() throws {
        let r = try TestSupport.miter(["check", "--json", seq("counter.blif"), seq("counter_renamed.aag")])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try json(r.stdout)
        #expect(obj["verdict"] as? String == "equivalent")
        let regs = try #require(obj["registers"] as? [String: Any])
        #expect(regs["paired"] as? Int == 8 && regs["by_name"] as? Int == 7 && regs["by_signature"] as? Int == 1)
        #expect((regs["unmatched_first"] as? [String])?.isEmpty == true)
        let pairs = try #require(regs["pairs"] as? [[String: Any]])
        let p = try #require(pairs.first { $0["first"] as? String == "p" })
        #expect(p["second"] as? String == "parity_q" && p["by"] as? String == "signature")
        let c0 = try #require(pairs.first { $0["first"] as? String == "cnt[0]" })
        #expect(c0["second"] as? String == "\\cnt_reg[0] " && c0["by"] as? String == "name")
    }

    /// One register's next state changed: not equivalent; the counterexample
    /// (inputs and assumed current states) replays with `miter sim` on both
    /// circuits, and only that register's next state differs.
    @Test func changedNextStateIsNotEquivalentAndReplays() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cexPath = dir.appendingPathComponent("cex.txt").path
        let r = try TestSupport.miter(["check", "--cex", cexPath, seq("counter.blif"), seq("counter_bug.aag")])
        #expect(r.status == 1, "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.hasPrefix("not equivalent\n"))
        #expect(r.stdout.contains("u1.sh[0]$next: 1 / 0") || r.stdout.contains("u1.sh[0]$next: 0 / 1"), "\(r.stdout)")
        #expect(r.stdout.contains("register states assumed (current states, part of the vector; replayed on both circuits):"))

        let j = try TestSupport.miter(["check", "--json", seq("counter.blif"), seq("counter_bug.aag")])
        let obj = try json(j.stdout)
        let cex = try #require(obj["counterexample"] as? [String: Any])
        let states = try #require(cex["assumed_states"] as? [String: Int])
        #expect(states.count == 8 && states["u1.sh[0]"] != nil)
        let vectorB = try #require(cex["vector_second"] as? String)
        let pairs = try #require((obj["registers"] as? [String: Any])?["pairs"] as? [[String: Any]])

        // Replay: A from the --cex file (header of A's inputs and registers), B from its own vector.
        let text = try String(contentsOfFile: cexPath, encoding: .utf8)
        #expect(text.contains("own order: \(vectorB)"), "\(text)")
        let simA = try TestSupport.miter(["sim", "--json", seq("counter.blif"), "--vectors", cexPath])
        let simB = try TestSupport.miter(["sim", "--json", seq("counter_bug.aag"), "--vector", vectorB])
        #expect(simA.status == 0 && simB.status == 0, "\(simA.stderr) \(simB.stderr)")
        let a = try json(simA.stdout), b = try json(simB.stdout)
        func next(_ o: [String: Any]) throws -> [String: Character] {
            let names = try #require(o["latches"] as? [String])
            let results = try #require(o["results"] as? [[String: Any]])
            let bits = try #require(results.first?["next"] as? String)
            return Dictionary(uniqueKeysWithValues: zip(names, Array(bits)))
        }
        let na = try next(a), nb = try next(b)
        let outA = (a["results"] as? [[String: Any]])?.first?["outputs"] as? String
        let outB = (b["results"] as? [[String: Any]])?.first?["outputs"] as? String
        #expect(outA != nil && outA == outB)
        var differing: [String] = []
        for p in pairs {
            guard let x = p["first"] as? String, let y = p["second"] as? String else { continue }
            if na[x] != nb[y] { differing.append(x) }
        }
        #expect(differing == ["u1.sh[0]"], "\(na) \(nb)")
    }

    /// A register paired neither by name nor by signature (a toggle: its next
    /// state depends only on itself) is an error listing it; --allow-unmatched
    /// makes its current state a free input.
    @Test func unmatchedRegistersAreAnErrorUnlessAllowed() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.blif").path, b = dir.appendingPathComponent("b.blif").path
        try ".model a\n.inputs d\n.outputs o q\n.latch tn t 0\n.latch d k 0\n.names t tn\n0 1\n.names t o\n1 1\n.names k q\n1 1\n.end\n"
            .write(toFile: a, atomically: true, encoding: .utf8)
        try ".model b\n.inputs d\n.outputs o q\n.latch fn flip 0\n.latch d k_reg 0\n.names flip fn\n0 1\n.names flip o\n1 1\n.names k_reg q\n1 1\n.end\n"
            .write(toFile: b, atomically: true, encoding: .utf8)
        let r = try TestSupport.miter(["check", a, b])
        #expect(r.status == 2, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("registers do not match"), "\(r.stderr)")
        #expect(r.stderr.contains("(t)") && r.stderr.contains("(flip)") && r.stderr.contains("--allow-unmatched"), "\(r.stderr)")
        let allowed = try TestSupport.miter(["check", "--allow-unmatched", a, b])
        #expect(allowed.status == 1, "\(allowed.stdout) \(allowed.stderr)")
        #expect(allowed.stdout.contains("registers: 1 paired (1 by name, 0 by signature), 2 unmatched"), "\(allowed.stdout)")
        #expect(allowed.stdout.contains("unmatched in \(a) (free current state, next state not compared): t"), "\(allowed.stdout)")
        let j = try TestSupport.miter(["check", "--json", "--allow-unmatched", a, b])
        let regs = try #require(try json(j.stdout)["registers"] as? [String: Any])
        #expect(regs["unmatched_first"] as? [String] == ["t"] && regs["unmatched_second"] as? [String] == ["flip"])
        // `miter miter` matches registers the same way.
        let m = try TestSupport.miter(["miter", a, b, "-o", dir.appendingPathComponent("m.aag").path])
        #expect(m.status == 2 && m.stderr.contains("registers do not match"), "\(m.stderr)")
    }
}
