import Foundation
import Testing
import AIG
import AIGFormats
import Simulation
@testable import Equivalence
import TestSupport

private func check(_ a: AIG, _ b: AIG, _ configure: (inout EquivalenceChecker.Params) -> Void = { _ in }) throws -> (CheckResult, EquivalenceChecker.Stats) {
    var p = EquivalenceChecker.Params()
    configure(&p)
    return try EquivalenceChecker(params: p).check(a, b)
}

/// A counterexample must really separate the two circuits.
private func expectConfirmed(_ r: CheckResult, _ a: AIG, _ b: AIG, sourceLocation: SourceLocation = #_sourceLocation) throws {
    guard case .notEquivalent(let cex) = r else {
        Issue.record("expected not equivalent, got \(r)", sourceLocation: sourceLocation); return
    }
    let oa = try evaluate(a, inputs: cex.inputsA), ob = try evaluate(b, inputs: cex.inputsB)
    #expect(oa != ob, sourceLocation: sourceLocation)
    #expect(!cex.differences.isEmpty, sourceLocation: sourceLocation)
}

@Suite struct CheckerTests {
    @Test func identicalAndRestructuredAreEquivalent() throws {
        for seed in UInt64(1)...20 {
            let a = RandomCircuits.aig(inputs: 24, ands: 300, outputs: 6, seed: seed)
            let (r1, s1) = try check(a, a)
            #expect(r1 == .equivalent)
            #expect(s1.decidedBy == "structural hashing")
            let b = RandomCircuits.restructured(a)
            let (r2, s2) = try check(a, b) { $0.bddNodeLimit = 0 }
            #expect(r2 == .equivalent, "seed \(seed)")
            #expect(s2.decidedBy == "SAT sweeping")
            let (r3, s3) = try check(a, b)
            #expect(r3 == .equivalent, "seed \(seed)")
            #expect(s3.decidedBy == "BDD")
            #expect(s3.satCalls == 0)
        }
    }

    @Test func fewInputsAreDecidedByExhaustiveSimulation() throws {
        let a = RandomCircuits.aig(inputs: 12, ands: 200, outputs: 4, seed: 7)
        let (r, s) = try check(a, RandomCircuits.restructured(a))
        #expect(r == .equivalent)
        #expect(s.decidedBy == "exhaustive simulation")
        #expect(s.satCalls == 0)
    }

    @Test func probeRoundRefutesMutantsAloneAndChangesNoVerdict() throws {
        let a = RandomCircuits.aig(inputs: 40, ands: 400, outputs: 6, seed: 11)
        var probed = 0, refuted = 0
        for k in stride(from: 0, to: a.andCount, by: 7) {
            let m = RandomCircuits.mutant(a, and: k, left: k % 2 == 1)
            let (r, s) = try check(a, m)
            let (r0, _) = try check(a, m) { $0.probeWords = 0 }
            #expect((r == .equivalent) == (r0 == .equivalent), "and \(k)")
            if case .notEquivalent = r {
                try expectConfirmed(r, a, m)
                refuted += 1
                if s.decidedBy == "simulation" && s.simulationRounds == 1 { probed += 1 }
            }
        }
        // Most single-gate mutants show on the 512 probe patterns, before the full round.
        #expect(refuted >= 10 && probed * 10 >= refuted * 8, "\(probed) of \(refuted) refutations by the probe alone")
    }

    @Test func singleGateMutantsAreRefutedWithConfirmedCounterexamples() throws {
        let a = RandomCircuits.aig(inputs: 18, ands: 100, outputs: 4, seed: 3)
        var refuted = 0, equivalent = 0
        for k in stride(from: 0, to: a.andCount, by: 4) {
            let m = RandomCircuits.mutant(a, and: k, left: k % 2 == 0)
            let (r, _) = try check(a, m)
            switch r {
            case .equivalent:
                // Redundant logic: confirm by exhaustive simulation that nothing changed.
                equivalent += 1
                let all = try #require(PatternSet.exhaustive(inputCount: 18))
                var sa = Simulator(), sb = Simulator()
                sa.simulate(a, patterns: all); sb.simulate(m, patterns: all)
                for (x, y) in zip(a.outputs, m.outputs) { #expect(sa.literalWords(x) == sb.literalWords(y)) }
            case .notEquivalent: refuted += 1; try expectConfirmed(r, a, m)
            case .undecided: Issue.record("mutant \(k) undecided")
            }
        }
        #expect(refuted > 0)
    }

    @Test func rareDifferenceNeedsTheSolver() throws {
        let a = RandomCircuits.aig(inputs: 48, ands: 400, outputs: 3, seed: 11)
        let b = RandomCircuits.rareDifference(RandomCircuits.restructured(a), output: 1, width: 40)
        let (r, s) = try check(a, b) { $0.bddNodeLimit = 0 }
        try expectConfirmed(r, a, b)
        #expect(s.decidedBy.hasPrefix("SAT"), "found by \(s.decidedBy)")
        if case .notEquivalent(let cex) = r {
            #expect(cex.differences.map(\.output) == ["o1"])
            #expect(cex.inputs[0..<40].enumerated().allSatisfy { $0.element == ($0.offset % 2 == 0) }, "only the alternating corner differs")
        }
    }

    /// Above 16 inputs, small BDDs decide without a solver: a rare
    /// difference gets a confirmed counterexample, a node limit that is too
    /// small falls back to SAT sweeping.
    @Test func bddsDecideSmallPairs() throws {
        let a = RandomCircuits.aig(inputs: 48, ands: 400, outputs: 3, seed: 11)
        let re = RandomCircuits.restructured(a)
        let b = RandomCircuits.rareDifference(re, output: 1, width: 40)
        let (r, s) = try check(a, b)
        try expectConfirmed(r, a, b)
        #expect(s.decidedBy == "BDD")
        #expect(s.satCalls == 0)
        if case .notEquivalent(let cex) = r {
            #expect(cex.differences.map(\.output) == ["o1"])
            #expect(cex.inputs[0..<40].enumerated().allSatisfy { $0.element == ($0.offset % 2 == 0) }, "only the alternating corner differs")
        }
        let (r2, s2) = try check(a, re) { $0.bddNodeLimit = 50 }
        #expect(r2 == .equivalent)
        #expect(s2.decidedBy == "SAT sweeping")
        #expect([50, 100].contains(s2.bddNodes), "each variable order tried stops at the limit")
        // Mutants: BDD verdicts equal exhaustive simulation's.
        let c = RandomCircuits.aig(inputs: 17, ands: 150, outputs: 3, seed: 4)
        for k in stride(from: 0, to: c.andCount, by: 5) {
            let m = RandomCircuits.mutant(c, and: k, left: k % 2 == 1)
            let (viaBDD, sb) = try check(c, m)
            let (viaSweep, _) = try check(c, m) { $0.bddNodeLimit = 0 }
            #expect(sb.decidedBy == "BDD" || sb.decidedBy == "simulation" || sb.decidedBy == "structural hashing")
            #expect((viaBDD == .equivalent) == (viaSweep == .equivalent), "mutant \(k)")
            if case .notEquivalent = viaBDD { try expectConfirmed(viaBDD, c, m) }
        }
    }

    /// A second pass that inherits an earlier pass's proofs and counterexamples
    /// (the full pass after an abandoned quick pass) merges the same nodes
    /// without a solver call, and its outputs are still proved.
    @Test func laterPassTakesOverProvedMerges() throws {
        let a = RandomCircuits.aig(inputs: 40, ands: 600, outputs: 4, seed: 21)
        let b = RandomCircuits.restructured(a)
        let miter = Miter(a, b, inputOfB: Array(0..<40), sharedInputCount: 40,
                          outputPairs: (0..<4).map { ($0, $0) }, inputNames: (0..<40).map { "i\($0)" })
        var sim = Simulator()
        sim.simulateRandom(miter.aig, words: 4, seed: 1)
        let roots = miter.outputPairs.flatMap { [$0.a, $0.b] }
        var first = Sweeper(miter: miter.aig, params: .init(), budget: CheckBudget(deadline: .infinity), sim: sim)
        first.sweep(roots: roots)
        #expect(first.merged > 0)
        #expect(first.satCalls > 0)
        var second = Sweeper(miter: miter.aig, params: .init(), budget: CheckBudget(deadline: .infinity), sim: sim)
        second.inherit(from: first)
        second.sweep(roots: roots)
        #expect(second.reusedMerges == first.merged)
        #expect(second.satCalls <= first.satUnknown, "only budget-outs are asked again")
        for p in miter.outputPairs {
            guard case .unsat = second.proveMiterLiterals(p.a, p.b, conflictLimit: 0) else { Issue.record("output not proved"); continue }
        }
    }

    @Test func exhaustedBudgetIsUndecidedNeverAVerdict() throws {
        let a = RandomCircuits.aig(inputs: 40, ands: 600, outputs: 4, seed: 5)
        let b = RandomCircuits.restructured(a)
        let (r, _) = try check(a, b) { $0.timeout = 1e-9 }
        guard case .undecided(let reason, let open) = r else { Issue.record("got \(r)"); return }
        #expect(reason == "timeout")
        #expect(!open.isEmpty)
        // A rare difference under a tiny budget must not be called equivalent either.
        let c = RandomCircuits.rareDifference(b, output: 0, width: 40)
        let (r2, _) = try check(a, c) { $0.timeout = 1e-9 }
        if case .equivalent = r2 { Issue.record("budget-out reported as equivalent") }
    }

    @Test func portMatchingByNameAndErrors() throws {
        var a = AIGBuilder(inputCount: 2)
        a.addOutput(a.and(a.input(0), !a.input(1)), name: "f")
        var x = a.finish(); x.inputNames = ["p", "q"]
        // Same function with the inputs declared in the other order.
        var b = AIGBuilder(inputCount: 2)
        b.addOutput(b.and(!b.input(0), b.input(1)), name: "f")
        var y = b.finish(); y.inputNames = ["q", "p"]
        #expect(try check(x, y).0 == .equivalent)
        let (byOrder, _) = try check(x, y) { $0.matching = .order }
        try expectConfirmed(byOrder, x, y)
        var z = y; z.inputNames = ["q", "r"]
        #expect(throws: EquivalenceChecker.Failure.self) { try check(x, z) { $0.matching = .names } }
        do { _ = try check(x, z) { $0.matching = .names } } catch {
            #expect("\(error)".contains("inputs only in the first circuit: p"))
            #expect("\(error)".contains("inputs only in the second circuit: r"))
        }
        // Free extra inputs: x reads p; z reads r — not equivalent, confirmed.
        let (free, _) = try check(x, z) { $0.matching = .names; $0.allowExtraInputs = true }
        guard case .notEquivalent(let cex) = free else { Issue.record("got \(free)"); return }
        #expect(cex.inputNames == ["p", "q", "r"])
    }

    @Test func latchesAreCutAndMatched() throws {
        let toggle = try CircuitIO.read(path: TestSupport.repoFile("Circuits/aiger-examples/toggle-re.aag").path)
        let (r, s) = try check(toggle, toggle.cleanedUp())
        #expect(r == .equivalent)
        #expect(s.latchesCut == 1)
    }

    /// A 32-bit rotator, data inputs first, built as a logarithmic shifter
    /// and as a decoded mux: in file order their BDDs outgrow the limit, in
    /// fanout order (shift amount first) they are tiny, so BDDs decide
    /// both the equal pair and a mutant (its counterexample replayed).
    @Test func bddFanoutOrderDecidesRotators() throws {
        func rotator(logarithmic: Bool, flip: Int? = nil) -> AIG {
            var b = AIGBuilder(inputCount: 37)
            let data = (0..<32).map { b.input($0) }, shift = (0..<5).map { b.input(32 + $0) }
            var outs: [Literal]
            if logarithmic {
                outs = data
                for k in 0..<5 {
                    outs = (0..<32).map { i in
                        let moved = outs[(i + (1 << k)) % 32]
                        return b.or(b.and(shift[k], moved), b.and(!shift[k], outs[i]))
                    }
                }
            } else {
                outs = (0..<32).map { i in
                    var acc = Literal.false
                    for amount in 0..<32 {
                        var select = Literal.true
                        for k in 0..<5 { select = b.and(select, (amount >> k) & 1 == 1 ? shift[k] : !shift[k]) }
                        var d = data[(i + amount) % 32]
                        if flip == i && amount == 19 { d = !d }
                        acc = b.or(acc, b.and(select, d))
                    }
                    return acc
                }
            }
            for o in outs { b.addOutput(o) }
            return b.aig
        }
        let a = rotator(logarithmic: true), b = rotator(logarithmic: false), bad = rotator(logarithmic: false, flip: 7)
        let (same, s1) = try check(a, b) { $0.matching = .order; $0.jobs = 1 }
        #expect(same == .equivalent)
        #expect(s1.decidedBy == "BDD")
        let (differs, s2) = try check(a, bad) { $0.matching = .order; $0.jobs = 1; $0.simulationWords = 1 }
        try expectConfirmed(differs, a, bad)
        #expect(s2.decidedBy == "BDD" || s2.decidedBy == "simulation")
    }
}

/// The PODEM-style justifier only ever returns vectors that really separate
/// the pair, and it finds rare differences that random simulation misses.
@Suite struct JustifierTests {
    @Test func vectorsReallySeparate() throws {
        var found = 0, tried = 0
        for seed in 0..<8 as Range<UInt64> {
            let aig = RandomCircuits.aig(inputs: 24, ands: 300, outputs: 4, seed: seed)
            var sim = Simulator()
            sim.simulateRandom(aig, words: 4, seed: seed)
            var j = Justifier(aig, sim: sim)
            j.params.maxRareOnes = 128   // try every pair, not only rare ones
            let first = aig.firstAndVariable
            for k in stride(from: 0, to: aig.andCount - 1, by: 7) {
                let v = first + k, r = first + (k * 31 + 5) % aig.andCount
                for complemented in [false, true] {
                    tried += 1
                    guard let vector = j.separate(aig, v, r, complemented: complemented) else { continue }
                    found += 1
                    var s = Simulator()
                    s.prepare(aig, words: 1)
                    for i in 0..<aig.inputCount { s.withInputWords(i) { $0[0] = vector[i] ? ~0 : 0 } }
                    s.run(aig)
                    let a = s.value(Literal(variable: UInt32(v)), pattern: 0)
                    let b = s.value(Literal(variable: UInt32(r)), pattern: 0) != complemented
                    #expect(a != b, "seed \(seed) pair \(v) \(r) complemented \(complemented)")
                }
            }
        }
        #expect(found > tried / 2, "found \(found) of \(tried)")
    }

    /// Two 24-input ANDs whose literal polarities differ in one place: random
    /// simulation sees both as constant 0; the justifier separates them at once.
    @Test func rareDifferenceWithoutSolverCall() throws {
        var a = AIGBuilder(inputCount: 24), b = AIGBuilder(inputCount: 24)
        a.addOutput(a.and((0..<24).map { a.input($0).complemented(if: $0 % 3 == 1) }))
        b.addOutput(b.and((0..<24).map { b.input($0).complemented(if: $0 % 3 == 1 || $0 == 23) }))
        let (x, y) = (a.finish(), b.finish())
        let (r, stats) = try check(x, y) { $0.bddNodeLimit = 0; $0.justify = true }
        try expectConfirmed(r, x, y)
        #expect(stats.justifiedRefutations >= 1)
    }
}

/// An input of one circuit only that drives nothing (a netlist's clock next to an
/// RTL reading) needs no `allowExtraInputs`; one that drives logic still does.
@Suite struct UnusedExtraInputTests {
    private func circuit(clock: Bool, clockUsed: Bool) -> AIG {
        var b = AIGBuilder()
        let x = b.addInput(name: "x"), y = b.addInput(name: "y")
        let c = clock ? b.addInput(name: "clk") : .false
        b.addOutput(clockUsed ? b.and(b.and(x, y), c) : b.and(x, y), name: "z")
        return b.finish()
    }

    @Test func unusedInputOfOneSideIsLeftOut() throws {
        let (r, s) = try check(circuit(clock: false, clockUsed: false), circuit(clock: true, clockUsed: false))
        #expect(r == .equivalent)
        #expect(s.unusedInputsIgnored == ["clk"])
        #expect(throws: EquivalenceChecker.Failure.self) {
            _ = try check(circuit(clock: false, clockUsed: false), circuit(clock: true, clockUsed: true))
        }
        let (r2, s2) = try check(circuit(clock: false, clockUsed: false), circuit(clock: true, clockUsed: true)) { $0.allowExtraInputs = true }
        if case .notEquivalent = r2 {} else { Issue.record("a used extra input is free: expected not equivalent, got \(r2)") }
        #expect(s2.unusedInputsIgnored.isEmpty)
    }
}
