import Foundation
import Testing
import AIG
import AIGFormats
import TestSupport

private func repo(_ p: String) -> String { TestSupport.repoFile(p).path }

@Suite struct CheckCommandTests {
    @Test func equivalentIsExit0() throws {
        let r = try TestSupport.miter(["check", repo("Verilog/i2c.v"), repo("Circuits/i2c_opt.aig")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("equivalent\n"))
        #expect(r.stdout.contains("142 outputs proved"))
    }

    @Test func notEquivalentIsExit1WithReplayableCounterexample() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cex = dir.appendingPathComponent("cex.txt").path
        let r = try TestSupport.miter(["check", "--cex", cex, repo("Circuits/i2c.aig"), repo("Circuits/i2c_bug.aig")])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("not equivalent\n"))
        #expect(r.stdout.contains("po007: "))
        #expect(r.stdout.contains("pi000=1"))
        // Replaying the vector on both circuits gives different po007 values.
        let a = try TestSupport.miter(["sim", repo("Circuits/i2c.aig"), "--vectors", cex])
        let b = try TestSupport.miter(["sim", repo("Circuits/i2c_bug.aig"), "--vectors", cex])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        let outA = a.stdout.split(separator: " ").last.map(String.init) ?? ""
        let outB = b.stdout.split(separator: " ").last.map(String.init) ?? ""
        #expect(outA.count >= 142 && outB.count == outA.count)
        let diffs = zip(outA, outB).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(diffs == [7], "outputs differing on replay: \(diffs)")
    }

    @Test func jsonReport() throws {
        let r = try TestSupport.miter(["check", "--json", repo("Circuits/aiger-examples/and.aag"), repo("Circuits/aiger-examples/or.aag")])
        #expect(r.status == 1)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(obj["verdict"] as? String == "not_equivalent")
        #expect(obj["schema"] as? String == "miter.check.v1")
        let cex = try #require(obj["counterexample"] as? [String: Any])
        let diffs = try #require(cex["differences"] as? [[String: Any]])
        #expect(diffs.count == 1)
        #expect((cex["vector_first"] as? String)?.count == 2)
        #expect((obj["stats"] as? [String: Any])?["inputs"] as? Int == 2)
    }

    @Test func progressJSONOnStderr() throws {
        let r = try TestSupport.miter(["check", "--progress", "json", "--bdd-nodes", "0", repo("Circuits/i2c.aig"), repo("Circuits/i2c_opt.aig")])
        #expect(r.status == 0, "\(r.stderr)")
        let frames = try r.stderr.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(frames.allSatisfy { $0["schema"] as? String == "miter.progress.v1" })
        let phases = frames.compactMap { $0["phase"] as? String }
        #expect(phases.first == "simulation" && phases.contains("sweeping") && phases.last == "outputs", "\(phases)")
        let last = try #require(frames.last)
        #expect(last["done"] as? Int == last["total"] as? Int)
        let quiet = try TestSupport.miter(["check", "--progress", "none", repo("Circuits/i2c.aig"), repo("Circuits/i2c_opt.aig")])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty)
    }

    @Test func undecidedIsExit3() throws {
        let r = try TestSupport.miter(["check", "--timeout", "0.000000001", repo("Circuits/i2c.aig"), repo("Circuits/i2c_opt.aig")])
        #expect(r.status == 3, "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.hasPrefix("undecided: timeout"))
    }

    @Test func portMismatchIsExit2() throws {
        let r = try TestSupport.miter(["check", "--match", "names", repo("Circuits/aiger-examples/and.aag"), repo("Circuits/c17.bench")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("miter: error:"), "\(r.stderr)")
        let bad = try TestSupport.miter(["check", repo("Circuits/aiger-examples/and.aag"), "/nonexistent.aig"])
        #expect(bad.status == 2)
    }

    @Test func verboseShowsStats() throws {
        let r = try TestSupport.miter(["check", "--verbose", repo("Circuits/i2c.aig"), repo("Circuits/i2c_opt.aig")])
        #expect(r.status == 0)
        #expect(r.stdout.contains("SAT calls"))
    }

    @Test func miterCommandWritesAMiterABCAgreesWith() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("m.aig").path
        let r = try TestSupport.miter(["miter", repo("Circuits/i2c.aig"), repo("Circuits/i2c_bug.aig"), "-o", out, "--combine"])
        #expect(r.status == 0, "\(r.stderr)")
        let m = try CircuitIO.read(path: out)
        #expect(m.outputCount == 1 && m.inputCount == 147)
        guard let abc = TestSupport.abc() else { return }
        // The miter is satisfiable (the circuits differ); for the equivalent pair it is not.
        let sat = try TestSupport.runABC(abc, "read \(out); iprove")
        #expect(sat.contains("SATISFIABLE") && !sat.contains("UNSATISFIABLE"), "\(sat)")
        let out2 = dir.appendingPathComponent("m2.aig").path
        #expect(try TestSupport.miter(["miter", repo("Circuits/i2c.aig"), repo("Circuits/i2c_opt.aig"), "-o", out2, "--combine"]).status == 0)
        #expect(try TestSupport.runABC(abc, "read \(out2); iprove").contains("UNSATISFIABLE"))
    }
}
