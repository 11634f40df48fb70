import Foundation
import Testing
import AIG
import AIGFormats
import Simulation
@testable import Equivalence
import TestSupport

/// Verdicts against real circuits and against ABC (skipped with a printed
/// reason when ABC or ../shared is absent).
@Suite(.serialized) struct CheckerPeerTests {
    static let resyn2 = "balance; rewrite; refactor; balance; rewrite; rewrite -z; balance; refactor -z; rewrite -z; balance"
    static let abcRC = "alias compress2rs \"balance -l; resub -K 6 -l; rewrite -l; resub -K 6 -N 2 -l; refactor -l; resub -K 8 -l; balance -l; resub -K 8 -N 2 -l; rewrite -l; resub -K 10 -l; rewrite -z -l; resub -K 10 -N 2 -l; balance -l; resub -K 12 -l; refactor -z -l; resub -K 12 -N 2 -l; rewrite -z -l; balance -l\"\n"

    /// Every shared EPFL `.v` against its `.aig`: equivalent.
    @Test func epflVerilogAgainstAIGER() throws {
        guard TestSupport.shared() != nil else { return }
        var checked = 0
        for aigURL in TestSupport.epflAIGs() {
            let v = aigURL.deletingPathExtension().appendingPathExtension("v")
            guard FileManager.default.fileExists(atPath: v.path) else { continue }
            let (r, _) = try EquivalenceChecker().check(try CircuitIO.read(path: v.path), try CircuitIO.read(path: aigURL.path))
            #expect(r == .equivalent, "\(v.lastPathComponent): \(r)")
            checked += 1
        }
        #expect(checked >= 19)
    }

    /// Small EPFL circuits against ABC-optimised versions: equivalent; their mutants agree with ABC.
    @Test func epflAgainstABCOptimised() throws {
        guard let abc = TestSupport.abc(), TestSupport.shared() != nil else { return }
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.abcRC.write(to: dir.appendingPathComponent("abc.rc"), atomically: true, encoding: .utf8)
        let small = TestSupport.epflAIGs().filter {
            ["ctrl", "cavlc", "int2float", "router", "dec", "priority", "i2c", "adder", "bar"].contains($0.deletingPathExtension().lastPathComponent)
        }
        #expect(small.count == 9)
        for url in small {
            let name = url.deletingPathExtension().lastPathComponent
            let original = try CircuitIO.read(path: url.path)
            var versions = [("resyn2", "strash; " + Self.resyn2), ("dc2", "strash; dc2"), ("if6", "strash; if -K 6; strash")]
            // &deepsyn (1 s each) on three of them; it needs the compress2rs alias in an abc.rc.
            if ["ctrl", "int2float", "router"].contains(name) { versions.append(("deepsyn", "&get -n; &deepsyn -T 1; &put")) }
            for (tag, script) in versions {
                let out = dir.appendingPathComponent("\(name)-\(tag).aig").path
                _ = try TestSupport.runABC(abc, "read \(url.path); \(script); write_aiger \(out)", cwd: dir)
                let optimised = try CircuitIO.read(path: out)
                let (r, _) = try EquivalenceChecker(params: { var p = EquivalenceChecker.Params(); p.matching = .order; return p }()).check(original, optimised)
                #expect(r == .equivalent, "\(name) vs ABC \(tag): \(r)")
            }
        }
    }

    /// Differential test: random AIGs, restructured and ABC-optimised versions, mutants and
    /// rare-difference mutants; our verdict must equal ABC `cec -n` on every pair.
    /// MITER_DIFF_PAIRS sets the number of pairs (default 300; the closing note's 1,000 used it).
    @Test func differentialAgainstABC() throws {
        guard let abc = TestSupport.abc() else { return }
        let pairs = Int(ProcessInfo.processInfo.environment["MITER_DIFF_PAIRS"] ?? "") ?? 300
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var cases: [(a: AIG, b: AIG, pathA: String, pathB: String)] = []
        var seed: UInt64 = 1000
        while cases.count < pairs {
            seed += 1
            let inputs = 8 + Int(seed % 40), ands = 40 + Int((seed * 7) % 400)
            let a = RandomCircuits.aig(inputs: inputs, ands: ands, outputs: 1 + Int(seed % 5), seed: seed)
            let pa = dir.appendingPathComponent("r\(seed).aig").path
            try CircuitIO.write(a, to: pa, format: .aigerBinary)
            // ABC-optimised twin, written by ABC.
            let po = dir.appendingPathComponent("r\(seed)-opt.aig").path
            _ = try TestSupport.runABC(abc, "read \(pa); strash; \(seed % 2 == 0 ? Self.resyn2 : "dc2"); write_aiger \(po)")
            let opt = try CircuitIO.read(path: po)
            cases.append((a, opt, pa, po))
            // Our own restructuring, a single-gate mutant of it, and a rare-difference mutant.
            let re = RandomCircuits.restructured(a)
            let mutant = RandomCircuits.mutant(re, and: Int(seed % UInt64(max(1, re.andCount))), left: seed % 3 == 0)
            var variants = [re, mutant]
            if inputs >= 30 { variants.append(RandomCircuits.rareDifference(re, output: 0, width: 28)) }
            for (k, v) in variants.enumerated() {
                let pv = dir.appendingPathComponent("r\(seed)-v\(k).aig").path
                try CircuitIO.write(v, to: pv, format: .aigerBinary)
                cases.append((a, v, pa, pv))
            }
        }
        cases = Array(cases.prefix(pairs))
        // One ABC process for all pairs; each `cec -n` prints one verdict line.
        let script = cases.map { "cec -n \($0.pathA) \($0.pathB)" }.joined(separator: "; ")
        let out = try TestSupport.runABC(abc, script)
        let verdicts = out.split(separator: "\n").filter { $0.contains("Networks are") }
        try #require(verdicts.count == cases.count, "ABC gave \(verdicts.count) verdicts for \(cases.count) pairs")
        var disagreements = 0, notEquivalent = 0, byBDD = 0
        var certified = 0, certifiedEquivalent = 0, lemmas = 0
        // Every pair five times: with the defaults (small ones go to BDDs),
        // and with BDDs off so that SAT sweeping answers every pair, on the
        // built-in solver, on CaDiCaL, on Z3, and on `auto` with the
        // whole-miter portfolio beside it.
        let configs: [(bddNodeLimit: Int, engine: EquivalenceChecker.Params.SATEngine, jobs: Int)] =
            [(EquivalenceChecker.Params().bddNodeLimit, .auto, 1), (0, .builtin, 1), (0, .cadical, 1), (0, .z3, 1), (0, .auto, 2)]
        for (c, line) in zip(cases, verdicts) {
          let abcSaysEqual = line.contains("Networks are equivalent")
          for (bddNodeLimit, engine, jobs) in configs {
            var params = EquivalenceChecker.Params()
            params.jobs = jobs
            params.portfolioDelay = 0   // these checks end sooner than the default delay
            params.matching = .order
            params.bddNodeLimit = bddNodeLimit
            params.satEngine = engine
            let (r, stats) = try EquivalenceChecker(params: params).check(c.a, c.b)
            if stats.decidedBy == "BDD" { byBDD += 1 }
            switch r {
            case .equivalent: if !abcSaysEqual { disagreements += 1; Issue.record("\(c.pathB): we say equivalent (\(engine)), ABC: \(line)") }
            case .notEquivalent(let cex):
                notEquivalent += 1
                if abcSaysEqual { disagreements += 1; Issue.record("\(c.pathB): we say not equivalent (\(engine)), ABC: \(line)") }
                #expect(try evaluate(c.a, inputs: cex.inputsA) != evaluate(c.b, inputs: cex.inputsB))
            case .undecided(let reason, _): Issue.record("\(c.pathB): undecided (\(reason), BDD limit \(bddNodeLimit), \(engine))")
            }
          }
          // Certificates, with the defaults (BDDs, exhaustive simulation) and
          // with SAT sweeping on the built-in solver (merge lemmas): written,
          // read back and re-proved by Z3.
          for bddNodeLimit in [EquivalenceChecker.Params().bddNodeLimit, 0] {
            var params = EquivalenceChecker.Params()
            params.matching = .order
            params.bddNodeLimit = bddNodeLimit
            params.satEngine = .builtin
            let (r, _, certificate) = try EquivalenceChecker(params: params).certify(c.a, c.b, circuitA: c.pathA, circuitB: c.pathB)
            let cert = try #require(certificate, "\(c.pathB): no certificate")
            let read = try CertificateFile.parse(CertificateFile.write(cert), file: "cert")
            #expect(read.lemmas == cert.lemmas && read.counterexample == cert.counterexample)
            let report = CertificateChecker().check(read)
            if report.verdict == .holds { certified += 1 } else {
                Issue.record("\(c.pathB): certificate \(report.verdict) at lemma \(report.failedLemma ?? 0): \(report.reason ?? "")")
            }
            if case .equivalent = r { certifiedEquivalent += 1; lemmas += cert.lemmas.count }
          }
        }
        print("differential: \(certified) certificates re-proved by Z3 (\(certifiedEquivalent) of equivalent verdicts, \(lemmas) lemmas)")
        print("differential: \(cases.count) pairs checked five times (defaults: \(byBDD) decided by BDD; then SAT sweeping on the built-in solver, CaDiCaL, Z3, and auto with the portfolio), \(notEquivalent) not-equivalent verdicts, \(disagreements) disagreements with ABC cec -n")
        #expect(disagreements == 0)
        #expect(notEquivalent > cases.count / 10)
        #expect(byBDD > 0)
        #expect(certified == 2 * cases.count)
    }
}
