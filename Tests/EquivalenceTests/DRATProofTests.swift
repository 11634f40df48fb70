import Foundation
import Testing
import AIG
import Simulation
@testable import Equivalence

/// drat-trim: env DRAT_TRIM, else /work/ext/drat-trim/drat-trim, else on PATH.
private func dratTrimPath() -> String? {
    let fm = FileManager.default
    if let p = ProcessInfo.processInfo.environment["DRAT_TRIM"], !p.isEmpty, fm.isExecutableFile(atPath: p) { return p }
    if fm.isExecutableFile(atPath: "/work/ext/drat-trim/drat-trim") { return "/work/ext/drat-trim/drat-trim" }
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let p = "\(dir)/drat-trim"
        if fm.isExecutableFile(atPath: p) { return p }
    }
    print("SKIP drat-trim not found (set DRAT_TRIM or build github.com/marijnheule/drat-trim)")
    return nil
}

/// Runs drat-trim and returns whether it printed `s VERIFIED`, its output and its time.
private func dratTrim(_ tool: String, cnf: String, proof: String) throws -> (verified: Bool, output: String, seconds: Double) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = [cnf, proof, "-t", "120"]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    let start = Date()
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let out = String(decoding: data, as: UTF8.self)
    let lines = out.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { $0.trimmingCharacters(in: .whitespaces) }
    return (lines.contains("s VERIFIED"), out, Date().timeIntervalSince(start))
}

private func temporaryDirectory() throws -> String {
    let dir = NSTemporaryDirectory() + "/drat-tests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

private func miter(_ a: AIG, _ b: AIG) -> Miter {
    Miter(a, b, inputOfB: Array(0..<a.inputCount), sharedInputCount: a.inputCount,
          outputPairs: (0..<a.outputCount).map { ($0, $0) }, inputNames: a.inputNames)
}

/// A DIMACS file read back: the header, the comment lines and the clauses.
private struct Dimacs {
    var variables = -1, declaredClauses = -1
    var comments: [String] = []
    var clauses: [[Int32]] = []
    var headerLines = 0

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var current: [Int32] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("c") { comments.append(String(line)); continue }
            if line.hasPrefix("p ") {
                headerLines += 1
                let f = line.split(separator: " ")
                guard f.count == 4, f[1] == "cnf", let v = Int(f[2]), let c = Int(f[3]) else { continue }
                variables = v; declaredClauses = c
                continue
            }
            for token in line.split(separator: " ") {
                guard let l = Int32(token) else { throw CocoaError(.fileReadCorruptFile) }
                if l == 0 { clauses.append(current); current = [] } else { current.append(l) }
            }
        }
        if !current.isEmpty { throw CocoaError(.fileReadCorruptFile) }
    }

    func text(dropping index: Int) -> String {
        var kept = clauses
        kept.remove(at: index)
        var s = comments.joined(separator: "\n") + "\np cnf \(variables) \(kept.count)\n"
        for c in kept { s += c.map { String($0) }.joined(separator: " ") + " 0\n" }
        return s
    }
}

/// Unit propagation to a fixpoint; true when it reaches a conflict.
private func unitPropagationConflicts(_ clauses: [[Int32]], variables: Int) -> Bool {
    var value = [Int8](repeating: 0, count: variables + 1)   // 1 true, -1 false
    func val(_ l: Int32) -> Int8 { l > 0 ? value[Int(l)] : -value[Int(-l)] }
    var changed = true
    while changed {
        changed = false
        for c in clauses {
            var open: Int32 = 0, opens = 0, satisfied = false
            for l in c {
                let v = val(l)
                if v == 1 { satisfied = true; break }
                if v == 0 { opens += 1; open = l }
            }
            if satisfied { continue }
            if opens == 0 { return true }
            if opens == 1 { value[Int(abs(open))] = open > 0 ? 1 : -1; changed = true }
        }
    }
    return false
}

@Suite struct DRATProofTests {
    /// Restructured copies: UNSAT, and drat-trim verifies CaDiCaL's proof (ASCII and binary).
    @Test func restructuredMitersHaveVerifiedProofs() throws {
        let tool = dratTrimPath()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for seed in UInt64(1)...6 {
            let a = RandomCircuits.aig(inputs: 20, ands: 200, outputs: 4, seed: seed)
            let m = miter(a, RandomCircuits.restructured(a))
            let binary = seed % 2 == 0
            let cnf = "\(dir)/m\(seed).cnf", proof = "\(dir)/m\(seed).drat"
            let r = try WholeMiterDRAT.write(miter: m.aig, cnfPath: cnf, proofPath: proof,
                                             params: .init(timeout: 60, binaryProof: binary))
            #expect(r.verdict == .unsat, "seed \(seed)")
            #expect(r.counterexample == nil)
            #expect(r.proofBytes > 0)
            #expect(r.binaryProof == binary)
            let size = try FileManager.default.attributesOfItem(atPath: proof)[.size] as? Int
            #expect(size == r.proofBytes)
            // Only the two files: no temporary left.
            let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            #expect(!names.contains { $0.contains(".tmp-") }, "\(names)")
            guard let tool else { continue }
            let check = try dratTrim(tool, cnf: cnf, proof: proof)
            #expect(check.verified, "seed \(seed) (\(binary ? "binary" : "ASCII")): \(check.output)")
            print("drat-trim seed \(seed): \(r.variables) vars, \(r.clauses) clauses, \(r.proofBytes) proof bytes (\(binary ? "binary" : "ASCII")), "
                  + "CaDiCaL \(String(format: "%.3f", r.solveSeconds)) s, drat-trim \(String(format: "%.3f", check.seconds)) s")
        }
    }

    /// Identical circuits hash together: the outputs are constant 0 and the
    /// CNF is refuted by unit propagation ("trivial UNSAT").
    @Test func identicalCircuitsAreTriviallyRefuted() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = RandomCircuits.aig(inputs: 12, ands: 80, outputs: 3, seed: 9)
        let m = miter(a, a)
        #expect(m.aig.outputs.allSatisfy { $0 == .false })
        let r = try WholeMiterDRAT.write(miter: m.aig, cnfPath: "\(dir)/same.cnf", proofPath: "\(dir)/same.drat")
        #expect(r.verdict == .unsat)
        #expect(r.clauses == 2, "the constant-false unit and the output clause")
        if let tool = dratTrimPath() {
            let check = try dratTrim(tool, cnf: "\(dir)/same.cnf", proof: "\(dir)/same.drat")
            #expect(check.verified, "\(check.output)")
        }
    }

    /// A mutant gives SAT; the returned inputs set a miter output to 1 and
    /// separate the two circuits.
    @Test func mutantMiterGivesReplayableCounterexample() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = RandomCircuits.aig(inputs: 20, ands: 200, outputs: 4, seed: 5)
        var sat = 0
        for k in stride(from: 3, to: a.andCount, by: 23) {
            let b = RandomCircuits.mutant(a, and: k, left: k % 2 == 0)
            let m = miter(a, b)
            let r = try WholeMiterDRAT.write(miter: m.aig, cnfPath: "\(dir)/mut.cnf", proofPath: "\(dir)/mut.drat")
            #expect(r.verdict != .unknown)
            guard r.verdict == .sat else { continue }
            sat += 1
            let cex = try #require(r.counterexample)
            #expect(cex.count == m.aig.inputCount)
            #expect(try evaluate(m.aig, inputs: cex).contains(true), "mutant \(k)")
            #expect(try evaluate(a, inputs: cex) != evaluate(b, inputs: cex), "mutant \(k)")
        }
        #expect(sat >= 3, "\(sat) mutants refuted")
        // A constant-true output: SAT whatever the inputs.
        var t = AIG(inputCount: 3)
        t.inputNames = ["x", "y", "z"]
        t.addOutput(.true, name: "one")
        let r = try WholeMiterDRAT.write(miter: t, cnfPath: "\(dir)/one.cnf", proofPath: "\(dir)/one.drat")
        #expect(r.verdict == .sat)
        #expect(r.counterexample?.count == 3)
    }

    /// Tampering: the proof stays valid for nothing it does not prove.
    @Test func tamperedProofsAndFormulasAreRejected() throws {
        guard let tool = dratTrimPath() else { return }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = RandomCircuits.aig(inputs: 24, ands: 300, outputs: 4, seed: 17)
        let m = miter(a, RandomCircuits.restructured(a))
        let cnf = "\(dir)/t.cnf", proof = "\(dir)/t.drat"
        let r = try WholeMiterDRAT.write(miter: m.aig, cnfPath: cnf, proofPath: proof, params: .init(timeout: 60))
        try #require(r.verdict == .unsat)
        let genuine = try dratTrim(tool, cnf: cnf, proof: proof)
        #expect(genuine.verified, "\(genuine.output)")
        let formula = try Dimacs(path: cnf)

        // 1. Without the clause "some output is 1" the CNF is satisfiable
        //    (all-0 outputs), so no proof may be accepted for it.
        let sat = "\(dir)/sat.cnf"
        try formula.text(dropping: formula.clauses.count - 1).write(toFile: sat, atomically: true, encoding: .utf8)
        let onSAT = try dratTrim(tool, cnf: sat, proof: proof)
        #expect(!onSAT.verified, "a proof accepted for a satisfiable CNF: \(onSAT.output)")

        // 2. The first half of the proof's lines, where formula and kept
        //    lemmas do not already conflict by unit propagation, must not verify.
        let lines = try String(contentsOfFile: proof, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 4, "proof of \(lines.count) lines")
        let half = Array(lines.prefix(lines.count / 2))
        #expect(!half.contains("0"), "the empty clause is the last line")
        let keptLemmas: [[Int32]] = half.filter { !$0.hasPrefix("d") }.map { line in
            line.split(separator: " ").compactMap { Int32($0) }.filter { $0 != 0 }
        }
        let truncated = "\(dir)/half.drat"
        try (half.joined(separator: "\n") + "\n").write(toFile: truncated, atomically: true, encoding: .utf8)
        if unitPropagationConflicts(formula.clauses + keptLemmas, variables: formula.variables) {
            Issue.record("the first half of the proof already refutes the CNF by unit propagation; pick another instance")
        } else {
            let onHalf = try dratTrim(tool, cnf: cnf, proof: truncated)
            #expect(!onHalf.verified, "a truncated proof accepted: \(onHalf.output)")
            // ... also with a forged empty clause at its end.
            let forged = "\(dir)/forged.drat"
            try (half.joined(separator: "\n") + "\n0\n").write(toFile: forged, atomically: true, encoding: .utf8)
            let onForged = try dratTrim(tool, cnf: cnf, proof: forged)
            #expect(!onForged.verified, "a forged empty clause accepted: \(onForged.output)")
        }
    }

    /// The CNF reads back: one header matching the result, the mapping
    /// comment, the declared number of clauses, literals within ±V, and the
    /// clauses `encode` produced.
    @Test func writtenCNFReadsBack() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = RandomCircuits.aig(inputs: 16, ands: 150, outputs: 3, seed: 2)
        let m = miter(a, RandomCircuits.restructured(a))
        let cnf = "\(dir)/r.cnf"
        let r = try WholeMiterDRAT.write(miter: m.aig, cnfPath: cnf, proofPath: "\(dir)/r.drat", params: .init(binaryProof: true))
        let d = try Dimacs(path: cnf)
        #expect(d.headerLines == 1)
        #expect(d.variables == r.variables && d.declaredClauses == r.clauses)
        #expect(d.variables == m.aig.maxVariable + 1)
        #expect(d.clauses.count == d.declaredClauses)
        #expect(d.comments.first == WholeMiterDRAT.mappingComment)
        #expect(d.clauses.allSatisfy { c in !c.isEmpty && c.allSatisfy { abs(Int($0)) <= d.variables } })
        #expect(d.clauses.first == [-1], "constant false")
        #expect(d.clauses.last == m.aig.outputs.map { WholeMiterDRAT.dimacs($0) })
        let encoded = try WholeMiterDRAT.encode(miter: m.aig)
        #expect(d.clauses.flatMap { $0 + [0] } == encoded.literals)
        // No clause repeats a literal or holds both polarities.
        #expect(d.clauses.allSatisfy { Set($0.map { abs($0) }).count == $0.count })
    }

    /// Errors leave no file behind; nothing reachable from user data traps.
    @Test func failuresLeaveNoFiles() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = RandomCircuits.aig(inputs: 8, ands: 40, outputs: 2, seed: 1)
        let m = miter(a, RandomCircuits.restructured(a)).aig
        // The proof's directory does not exist: the CNF must not stay either.
        #expect(throws: WholeMiterDRAT.Failure.self) {
            try WholeMiterDRAT.write(miter: m, cnfPath: "\(dir)/x.cnf", proofPath: "\(dir)/missing/x.drat")
        }
        #expect(throws: WholeMiterDRAT.Failure.self) {
            try WholeMiterDRAT.write(miter: m, cnfPath: "\(dir)/missing/x.cnf", proofPath: "\(dir)/x.drat")
        }
        #expect(throws: WholeMiterDRAT.Failure.samePath("\(dir)/x")) {
            try WholeMiterDRAT.write(miter: m, cnfPath: "\(dir)/x", proofPath: "\(dir)/x")
        }
        var latched = AIG(inputCount: 1)
        latched.latches = [Latch(next: Literal(variable: 1))]
        latched.latchNames = [nil]
        #expect(throws: WholeMiterDRAT.Failure.notCombinational) {
            try WholeMiterDRAT.write(miter: latched, cnfPath: "\(dir)/l.cnf", proofPath: "\(dir)/l.drat")
        }
        var broken = AIG(inputCount: 2)
        broken.addOutput(Literal(variable: 7))
        #expect(throws: WholeMiterDRAT.Failure.self) {
            try WholeMiterDRAT.write(miter: broken, cnfPath: "\(dir)/b.cnf", proofPath: "\(dir)/b.drat")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        // No outputs: nothing can differ, UNSAT.
        let none = AIG(inputCount: 2)
        let r = try WholeMiterDRAT.write(miter: none, cnfPath: "\(dir)/n.cnf", proofPath: "\(dir)/n.drat")
        #expect(r.verdict == .unsat)
        // A tiny timeout never yields a wrong verdict.
        let b = RandomCircuits.aig(inputs: 24, ands: 300, outputs: 4, seed: 17)
        let hard = miter(b, RandomCircuits.restructured(b)).aig
        let q = try WholeMiterDRAT.write(miter: hard, cnfPath: "\(dir)/q.cnf", proofPath: "\(dir)/q.drat", params: .init(timeout: 1e-6))
        #expect(q.verdict != .sat)
    }
}
