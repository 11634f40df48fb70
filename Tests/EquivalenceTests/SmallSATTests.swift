import Testing
import CZ3
@testable import Equivalence

// SmallSAT's UNSAT answers are read as proofs of equivalence, so every answer
// here is checked against an independent oracle: Z3, brute-force enumeration,
// or circuit simulation; every SAT model is checked against every clause.

/// A tiny reproducible PRNG (SplitMix64).
struct SATRng {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func bool() -> Bool { next() & 1 == 1 }
}

typealias Clause = [Int32]

func lit(_ v: Int, _ neg: Bool) -> Int32 { Int32(2 * v + (neg ? 1 : 0)) }

func random3SAT(vars: Int, clauses: Int, rng: inout SATRng) -> [Clause] {
    (0..<clauses).map { _ in
        var c: Clause = []
        while c.count < 3 {
            let v = rng.below(vars)
            if c.contains(where: { Int($0 >> 1) == v }) { continue }
            c.append(lit(v, rng.bool()))
        }
        return c
    }
}

/// Instance `k` of the 2,000-instance random 3-SAT runs: 20–60 variables
/// (60–120 from instance 1,700 on), clause ratio 3.5–5.0 around the threshold.
func thresholdInstance(_ k: Int, rng: inout SATRng) -> (vars: Int, clauses: [Clause]) {
    let vars = k < 1700 ? 20 + rng.below(41) : 60 + rng.below(61)
    let ratio = 3.5 + Double(rng.below(1501)) / 1000
    return (vars, random3SAT(vars: vars, clauses: Int(Double(vars) * ratio), rng: &rng))
}

/// True when the solver's model makes every clause and assumption true.
private func modelSatisfies(_ s: SmallSAT, _ clauses: [Clause], _ assumptions: [Int32] = []) -> Bool {
    func value(_ l: Int32) -> Bool { s.modelValue(l >> 1) != (l & 1 == 1) }
    return clauses.allSatisfy { $0.contains(where: value) } && assumptions.allSatisfy(value)
}

/// Exhaustive satisfiability over `vars` ≤ 20 variables.
private func bruteForceSAT(vars: Int, _ clauses: [Clause], _ assumptions: [Int32] = []) -> Bool {
    // Clauses as (positive mask, negative mask): satisfied when the assignment hits either.
    let masks = (clauses + assumptions.map { [$0] }).map { c -> (UInt32, UInt32) in
        var pos: UInt32 = 0, neg: UInt32 = 0
        for l in c { if l & 1 == 0 { pos |= 1 << UInt32(l >> 1) } else { neg |= 1 << UInt32(l >> 1) } }
        return (pos, neg)
    }
    let all: UInt32 = vars == 32 ? .max : (1 << UInt32(vars)) - 1
    var a: UInt32 = 0
    while true {
        if masks.allSatisfy({ ($0.0 & a) != 0 || ($0.1 & ~a & all) != 0 }) { return true }
        if a == all { return false }
        a += 1
    }
}

/// Z3 as the reference for larger instances (one context, a fresh solver per query).
final class Z3Reference {
    let z3 = Z3Solver(logic: "QF_FD")
    private var vars: [Z3_ast] = []

    func check(vars n: Int, _ clauses: [Clause], assumptions: [Int32] = []) -> SolverAnswer {
        z3.resetSolver()
        while vars.count < n { vars.append(z3.boolVariable(id: Int32(vars.count + 1))) }
        func term(_ l: Int32) -> Z3_ast { let v = vars[Int(l >> 1)]; return l & 1 == 1 ? z3.not(v) : v }
        for c in clauses {
            switch c.count {
            case 0: z3.assert(z3.falseValue)
            case 1: z3.assert(term(c[0]))
            case 2: z3.assert(z3.or(term(c[0]), term(c[1])))
            case 3: z3.assert(z3.or3(term(c[0]), term(c[1]), term(c[2])))
            default: z3.assert(c.dropFirst().reduce(term(c[0])) { z3.or($0, term($1)) })
            }
        }
        return z3.check(assuming: assumptions.map(term))
    }
}

private func add(_ s: inout SmallSAT, _ c: Clause) {
    switch c.count {
    case 1: s.addClause(c[0])
    case 2: s.addClause(c[0], c[1])
    case 3: s.addClause(c[0], c[1], c[2])
    default: s.addClause(c)
    }
}

private func expected(_ b: Bool) -> SmallSAT.Result { b ? .sat : .unsat }

private func expected(_ a: SolverAnswer) -> SmallSAT.Result? {
    switch a {
    case .sat: return .sat
    case .unsat: return .unsat
    case .unknown: return nil
    }
}

/// Pigeonhole: `holes + 1` pigeons into `holes` holes (unsatisfiable, hard for resolution).
func pigeonhole(holes: Int) -> (vars: Int, clauses: [Clause]) {
    let pigeons = holes + 1
    func v(_ p: Int, _ h: Int) -> Int { p * holes + h }
    var cs: [Clause] = []
    for p in 0..<pigeons { cs.append((0..<holes).map { lit(v(p, $0), false) }) }
    for h in 0..<holes {
        for p in 0..<pigeons { for q in (p + 1)..<pigeons { cs.append([lit(v(p, h), true), lit(v(q, h), true)]) } }
    }
    return (pigeons * holes, cs)
}

/// A random AIG over `inputs` inputs (variables 0..<inputs, gates after),
/// with re-associated and XOR-style duplicates so that some node pairs are
/// equivalent and their miter queries are UNSAT.
private struct SmallAIG {
    var inputs: Int
    var gates: [(Int32, Int32)] = []   // fanin literals over node variables
    var equivalent: [(Int32, Int32)] = []   // literal pairs equal by construction
    var nodes: Int { inputs + gates.count }

    init(inputs: Int, gates count: Int, rng: inout SATRng) {
        self.inputs = inputs
        func pick(_ rng: inout SATRng, _ n: Int) -> Int32 {
            let recent = min(n, 2 * inputs)
            let v = rng.bool() ? n - 1 - rng.below(recent) : rng.below(n)
            return lit(v, rng.bool())
        }
        while gates.count < count {
            let n = nodes
            switch rng.below(8) {
            case 0 where n > inputs:
                // x ∧ (y ∧ z) next to (x ∧ y) ∧ z.
                let x = pick(&rng, n), y = pick(&rng, n), z = pick(&rng, n)
                gates.append((y, z)); gates.append((x, lit(n, false)))
                gates.append((x, y)); gates.append((lit(n + 2, false), z))
                equivalent.append((lit(n + 1, false), lit(n + 3, false)))
            case 1:
                // Two XOR structures of the same fanins (outputs n+2 and ¬(n+5)).
                let a = pick(&rng, n), b = pick(&rng, n)
                gates.append((a, b)); gates.append((a ^ 1, b ^ 1)); gates.append((lit(n, true), lit(n + 1, true)))
                gates.append((a, b ^ 1)); gates.append((a ^ 1, b)); gates.append((lit(n + 3, true), lit(n + 4, true)))
                equivalent.append((lit(n + 2, false), lit(n + 5, true)))
            default:
                gates.append((pick(&rng, n), pick(&rng, n)))
            }
        }
    }

    /// Tseitin clauses: for g = a ∧ b: (¬g ∨ a), (¬g ∨ b), (g ∨ ¬a ∨ ¬b).
    var clauses: [Clause] {
        var cs: [Clause] = []
        for (k, (a, b)) in gates.enumerated() {
            let g = lit(inputs + k, false)
            cs.append([g ^ 1, a]); cs.append([g ^ 1, b]); cs.append([g, a ^ 1, b ^ 1])
        }
        return cs
    }

    /// Values of every node for all 2^inputs input patterns, 64 patterns a word.
    func simulate() -> [[UInt64]] {
        let patterns = 1 << inputs
        let words = (patterns + 63) / 64
        var values = [[UInt64]](repeating: [UInt64](repeating: 0, count: words), count: nodes)
        for i in 0..<inputs {
            for p in 0..<patterns where (p >> i) & 1 == 1 { values[i][p / 64] |= 1 << UInt64(p % 64) }
        }
        for (k, (a, b)) in gates.enumerated() {
            let va = values[Int(a >> 1)], vb = values[Int(b >> 1)]
            let ma: UInt64 = a & 1 == 1 ? .max : 0, mb: UInt64 = b & 1 == 1 ? .max : 0
            for w in 0..<words { values[inputs + k][w] = (va[w] ^ ma) & (vb[w] ^ mb) }
        }
        // Mask off patterns beyond 2^inputs (only when inputs < 6).
        if patterns < 64 {
            let mask: UInt64 = (1 << UInt64(patterns)) - 1
            for n in 0..<nodes { values[n][0] &= mask }
        }
        return values
    }

    func evaluate(_ inputValues: [Bool]) -> [Bool] {
        var v = inputValues
        for (a, b) in gates { v.append((v[Int(a >> 1)] != (a & 1 == 1)) && (v[Int(b >> 1)] != (b & 1 == 1))) }
        return v
    }
}

@Suite struct SmallSATTests {
    // MARK: Differential against Z3

    /// Random 3-SAT around the threshold: same verdict as Z3, models satisfy every clause.
    @Test func random3SATAgreesWithZ3() {
        let z3 = Z3Reference()
        var s = SmallSAT()
        var rng = SATRng(0x5A7)
        var counts = (sat: 0, unsat: 0)
        for instance in 0..<2000 {
            let (vars, clauses) = thresholdInstance(instance, rng: &rng)
            // Alternate a reused (reset) solver with a fresh one.
            if instance % 3 == 0 { s = SmallSAT() } else { s.reset() }
            for _ in 0..<vars { _ = s.newVariable() }
            for c in clauses { add(&s, c) }
            let r = s.solve(assumptions: [], conflictLimit: 0)
            if r == .sat { #expect(modelSatisfies(s, clauses), "instance \(instance)") }
            guard let want = expected(z3.check(vars: vars, clauses)) else { continue }
            #expect(r == want, "instance \(instance): \(vars) vars, \(clauses.count) clauses")
            if r == .sat { counts.sat += 1 } else { counts.unsat += 1 }
        }
        // Both answers must be well represented for the comparison to mean something.
        #expect(counts.sat > 400 && counts.unsat > 400, "\(counts)")
    }

    /// Incremental use on 40–80 variables: clauses arrive in rounds, each
    /// round is followed by solves under random assumptions; every answer
    /// matches Z3 on the clauses so far.
    @Test func incrementalAgreesWithZ3() {
        let z3 = Z3Reference()
        var rng = SATRng(77)
        for round in 0..<12 {
            var s = SmallSAT()
            let vars = 40 + rng.below(41)
            var clauses: [Clause] = []
            for _ in 0..<vars { _ = s.newVariable() }
            for step in 0..<6 {
                let fresh = random3SAT(vars: vars, clauses: Int(Double(vars) * 0.7), rng: &rng)
                for c in fresh { add(&s, c) }
                clauses += fresh
                for _ in 0..<6 {
                    let assumptions = (0..<rng.below(6)).map { _ in lit(rng.below(vars), rng.bool()) }
                    let r = s.solve(assumptions: assumptions, conflictLimit: 0)
                    if r == .sat { #expect(modelSatisfies(s, clauses, assumptions)) }
                    guard let want = expected(z3.check(vars: vars, clauses, assumptions: assumptions)) else { continue }
                    #expect(r == want, "round \(round) step \(step) assuming \(assumptions)")
                }
            }
        }
    }

    // MARK: Incremental against brute force

    /// Many solves under random assumptions, clauses and variables added in
    /// between, compared with enumeration; clause lengths 1–6 with duplicates
    /// and tautologies mixed in.
    @Test func incrementalAgreesWithBruteForce() {
        var rng = SATRng(2024)
        var sawUnsatUnderAssumptions = false, sawSat = false
        for round in 0..<40 {
            var s = SmallSAT()
            var vars = 6 + rng.below(5)
            for _ in 0..<vars { _ = s.newVariable() }
            var clauses: [Clause] = []
            for step in 0..<8 {
                if step > 0 && vars < 16 && rng.below(3) == 0 {
                    #expect(s.newVariable() == Int32(vars))
                    vars += 1
                }
                for _ in 0..<(2 + rng.below(Int(Double(vars) * 0.8))) {
                    let len = [1, 2, 2, 3, 3, 3, 3, 4, 5, 6][rng.below(10)]
                    if len == 1 && rng.below(4) != 0 { continue }   // few units, else all instances die early
                    var c = (0..<len).map { _ in lit(rng.below(vars), rng.bool()) }
                    if rng.below(10) == 0 { c.append(c[0]) }
                    if rng.below(20) == 0 { c.append(c[0] ^ 1) }
                    add(&s, c)
                    clauses.append(c)
                }
                for _ in 0..<10 {
                    let assumptions = (0..<rng.below(5)).map { _ in lit(rng.below(vars), rng.bool()) }
                    let r = s.solve(assumptions: assumptions, conflictLimit: 0)
                    let want = bruteForceSAT(vars: vars, clauses, assumptions)
                    #expect(r == expected(want), "round \(round) step \(step) assuming \(assumptions)")
                    if r == .sat {
                        #expect(modelSatisfies(s, clauses, assumptions))
                        sawSat = true
                    } else if bruteForceSAT(vars: vars, clauses) {
                        sawUnsatUnderAssumptions = true
                    }
                }
            }
        }
        #expect(sawSat && sawUnsatUnderAssumptions)
    }

    /// One long-lived solver, thousands of conflicts across calls so the
    /// learnt-clause reduction and level-0 simplification run often (the
    /// reduction interval is shrunk to make that happen in a small test).
    @Test func learntReductionKeepsAnswersRight() {
        let z3 = Z3Reference()
        var rng = SATRng(99)
        var s = SmallSAT()
        s.setReduceSchedule(first: 50, increment: 10)
        let vars = 90
        for _ in 0..<vars { _ = s.newVariable() }
        var clauses = random3SAT(vars: vars, clauses: Int(Double(vars) * 3.6), rng: &rng)
        for c in clauses { add(&s, c) }
        for call in 0..<50 {
            if call % 10 == 9 {
                // Occasional units so that level-0 simplification has work.
                let u: Clause = [lit(rng.below(vars), rng.bool())]
                add(&s, u); clauses.append(u)
            }
            let assumptions = (0..<rng.below(8)).map { _ in lit(rng.below(vars), rng.bool()) }
            let r = s.solve(assumptions: assumptions, conflictLimit: 0)
            if r == .sat { #expect(modelSatisfies(s, clauses, assumptions)) }
            guard let want = expected(z3.check(vars: vars, clauses, assumptions: assumptions)) else { continue }
            #expect(r == want, "call \(call)")
        }
        #expect(s.reductions > 3, "conflicts \(s.conflicts), reductions \(s.reductions)")
    }

    // MARK: Tseitin circuits

    /// Miter queries "can x and y differ" ([x, ¬y]) on random AIGs, against
    /// exhaustive simulation; one incremental solver per circuit and a
    /// reset-and-rebuild solver per query; SAT models are real witnesses.
    @Test func tseitinMitersAgreeWithSimulation() {
        var rng = SATRng(4242)
        var rebuilt = SmallSAT()
        var counts = (sat: 0, unsat: 0)
        for circuit in 0..<30 {
            let inputs = 3 + rng.below(12)
            let aig = SmallAIG(inputs: inputs, gates: 20 + rng.below(180), rng: &rng)
            let clauses = aig.clauses
            let sim = aig.simulate()
            var inc = SmallSAT()
            for _ in 0..<aig.nodes { _ = inc.newVariable() }
            for c in clauses { add(&inc, c) }
            for query in 0..<40 {
                // Half the queries on pairs built to be equivalent, the rest random.
                var x: Int32, y: Int32
                if query % 2 == 0, !aig.equivalent.isEmpty {
                    (x, y) = aig.equivalent[rng.below(aig.equivalent.count)]
                    if rng.bool() { x ^= 1; y ^= 1 }
                } else {
                    x = lit(rng.below(aig.nodes), rng.bool()); y = lit(rng.below(aig.nodes), rng.bool())
                }
                if rng.bool() { swap(&x, &y) }
                // x ∧ ¬y possible for some input pattern?
                let vx = sim[Int(x >> 1)], vy = sim[Int(y >> 1)]
                let mx: UInt64 = x & 1 == 1 ? .max : 0, my: UInt64 = y & 1 == 1 ? .max : 0
                var differ = false
                for w in 0..<vx.count where ((vx[w] ^ mx) & ~(vy[w] ^ my)) & (inputs < 6 ? (1 << UInt64(1 << inputs)) - 1 : .max) != 0 { differ = true }
                let assumptions = [x, y ^ 1]
                let r1 = inc.solve(assumptions: assumptions, conflictLimit: 0)
                rebuilt.reset()
                for _ in 0..<aig.nodes { _ = rebuilt.newVariable() }
                for c in clauses { add(&rebuilt, c) }
                let r2 = rebuilt.solve(assumptions: assumptions, conflictLimit: 0)
                #expect(r1 == expected(differ), "circuit \(circuit) query \(query): \(x) vs \(y)")
                #expect(r2 == expected(differ), "circuit \(circuit) query \(query) (rebuilt)")
                for (s, r) in [(inc, r1), (rebuilt, r2)] where r == .sat {
                    let values = aig.evaluate((0..<inputs).map { s.modelValue(Int32($0)) })
                    #expect(values[Int(x >> 1)] != (x & 1 == 1) && values[Int(y >> 1)] == (y & 1 == 1), "circuit \(circuit) query \(query): model is no witness")
                    #expect(modelSatisfies(s, clauses, assumptions))
                }
                if differ { counts.sat += 1 } else { counts.unsat += 1 }
            }
        }
        #expect(counts.sat > 200 && counts.unsat > 200, "\(counts)")
    }

    // MARK: Budget

    @Test func conflictLimitGivesUnknownThenUnsat() {
        let (vars, clauses) = pigeonhole(holes: 7)
        var s = SmallSAT()
        for _ in 0..<vars { _ = s.newVariable() }
        for c in clauses { add(&s, c) }
        let before = s.conflicts
        #expect(s.solve(assumptions: [], conflictLimit: 100) == .unknown)
        #expect(s.conflicts - before <= 100)
        // The solver stays usable after running out of budget.
        #expect(s.solve(assumptions: [], conflictLimit: 0) == .unsat)
        #expect(s.solve(assumptions: [], conflictLimit: 5) == .unsat)
    }

    @Test func pigeonholeFitsWhenThereAreEnoughHoles() {
        // n pigeons in n holes: satisfiable; drop the last pigeon's clauses from PHP(n).
        let holes = 6
        let (_, all) = pigeonhole(holes: holes)
        let clauses = all.filter { c in !c.contains { Int($0 >> 1) / holes == holes } }
        var s = SmallSAT()
        for _ in 0..<(holes * holes) { _ = s.newVariable() }
        for c in clauses { add(&s, c) }
        #expect(s.solve(assumptions: [], conflictLimit: 0) == .sat)
        #expect(modelSatisfies(s, clauses))
    }

    // MARK: Edge cases

    @Test func emptyProblems() {
        var s = SmallSAT()
        #expect(s.variableCount == 0)
        #expect(s.solve(assumptions: [], conflictLimit: 0) == .sat)
        _ = s.newVariable(); _ = s.newVariable()
        #expect(s.variableCount == 2)
        #expect(s.solve(assumptions: [], conflictLimit: 0) == .sat)
        #expect(s.solve(assumptions: [lit(1, true), lit(0, false)], conflictLimit: 0) == .sat)
        #expect(s.modelValue(1) == false && s.modelValue(0) == true)
        // Contradictory assumptions alone.
        #expect(s.solve(assumptions: [lit(0, false), lit(0, true)], conflictLimit: 0) == .unsat)
        #expect(s.solve(assumptions: [lit(0, false), lit(0, false)], conflictLimit: 0) == .sat)
    }

    @Test func contradictingUnits() {
        var s = SmallSAT()
        let a = s.newVariable()
        s.addClause(2 * a)
        s.addClause(2 * a + 1)
        #expect(s.solve(assumptions: [], conflictLimit: 0) == .unsat)
        // Unsatisfiable at level 0 stays so, with or without assumptions and more clauses.
        #expect(s.solve(assumptions: [2 * a], conflictLimit: 0) == .unsat)
        let b = s.newVariable()
        s.addClause(2 * b, 2 * a)
        #expect(s.solve(assumptions: [], conflictLimit: 0) == .unsat)
        // Reset forgets it.
        s.reset()
        #expect(s.variableCount == 0)
        let c = s.newVariable()
        s.addClause(2 * c + 1)
        #expect(s.solve(assumptions: [], conflictLimit: 0) == .sat)
        #expect(s.modelValue(c) == false)
    }

    @Test func unitsFoundByPropagation() {
        // a, a → b, b → c, c → ¬a: unsat only through propagation at level 0.
        var s = SmallSAT()
        let a = s.newVariable(), b = s.newVariable(), c = s.newVariable()
        s.addClause(2 * a + 1, 2 * b)
        s.addClause(2 * b + 1, 2 * c)
        #expect(s.solve(assumptions: [], conflictLimit: 0) == .sat)
        s.addClause(2 * a)
        #expect(s.solve(assumptions: [], conflictLimit: 0) == .sat)
        #expect(s.modelValue(a) && s.modelValue(b) && s.modelValue(c))
        s.addClause(2 * c + 1, 2 * a + 1)
        #expect(s.solve(assumptions: [], conflictLimit: 0) == .unsat)
    }

    @Test func assumptionContradictingUnit() {
        var s = SmallSAT()
        let a = s.newVariable(), b = s.newVariable()
        s.addClause(2 * a + 1)
        s.addClause(2 * a, 2 * b, 2 * b + 1)   // tautology: no constraint
        #expect(s.solve(assumptions: [2 * a], conflictLimit: 0) == .unsat)
        // Only this call: the formula itself is still satisfiable.
        #expect(s.solve(assumptions: [], conflictLimit: 0) == .sat)
        #expect(s.modelValue(a) == false)
        #expect(s.solve(assumptions: [2 * b, 2 * a + 1], conflictLimit: 0) == .sat)
        #expect(s.modelValue(b) == true)
        // Assumption implied false through a clause.
        s.addClause(2 * b + 1, 2 * a)   // b → a, a is false, so b is false
        #expect(s.solve(assumptions: [2 * b], conflictLimit: 0) == .unsat)
        #expect(s.solve(assumptions: [2 * b + 1], conflictLimit: 0) == .sat)
    }

    @Test func duplicateAndTautologicalLiterals() {
        var s = SmallSAT()
        let a = s.newVariable(), b = s.newVariable()
        s.addClause([2 * a, 2 * a, 2 * a])             // a
        s.addClause([2 * b + 1, 2 * b + 1])            // ¬b
        s.addClause([2 * a + 1, 2 * b, 2 * b, 2 * a + 1, 2 * b])   // ¬a ∨ b
        s.addClause([2 * b, 2 * b + 1])                // tautology
        s.addClause([2 * a, 2 * b, 2 * a + 1, 2 * b + 1])   // tautology
        #expect(s.solve(assumptions: [], conflictLimit: 0) == .unsat)

        var t = SmallSAT()
        let x = t.newVariable(), y = t.newVariable(), z = t.newVariable()
        t.addClause([2 * x, 2 * y, 2 * x, 2 * z, 2 * y])
        t.addClause(2 * x + 1, 2 * x + 1)
        t.addClause(2 * y + 1, 2 * y + 1, 2 * y + 1)
        #expect(t.solve(assumptions: [], conflictLimit: 0) == .sat)
        #expect(!t.modelValue(x) && !t.modelValue(y) && t.modelValue(z))
        #expect(t.solve(assumptions: [2 * z + 1], conflictLimit: 0) == .unsat)
    }

    @Test func solveAfterReset() {
        var s = SmallSAT()
        let (vars, clauses) = pigeonhole(holes: 4)
        for _ in 0..<vars { _ = s.newVariable() }
        for c in clauses { add(&s, c) }
        #expect(s.solve(assumptions: [], conflictLimit: 0) == .unsat)
        s.reset()
        #expect(s.variableCount == 0)
        #expect(s.solve(assumptions: [], conflictLimit: 0) == .sat)
        // Fewer variables than before, then more: stale slots must not leak in.
        for _ in 0..<5 { _ = s.newVariable() }
        s.addClause(0, 2, 4)
        s.addClause(1)
        s.addClause(3)
        #expect(s.solve(assumptions: [], conflictLimit: 0) == .sat)
        #expect(s.modelValue(2))
        s.reset()
        for _ in 0..<(vars + 10) { _ = s.newVariable() }
        let shifted = clauses.map { $0.map { $0 + 20 } }   // the same pigeonhole on variables 10...
        for c in shifted { add(&s, c) }
        #expect(s.solve(assumptions: [], conflictLimit: 0) == .unsat)
    }

    @Test func copiesAreIndependent() {
        var s = SmallSAT()
        let a = s.newVariable(), b = s.newVariable()
        s.addClause(2 * a, 2 * b)
        var t = s
        t.addClause(2 * a + 1)
        t.addClause(2 * b + 1)
        #expect(t.solve(assumptions: [], conflictLimit: 0) == .unsat)
        #expect(s.solve(assumptions: [], conflictLimit: 0) == .sat)
        _ = s.newVariable()
        #expect(s.variableCount == 3 && t.variableCount == 2)
    }

    @Test func modelValueWithoutModel() {
        var s = SmallSAT()
        let a = s.newVariable()
        #expect(s.modelValue(a) == false)
        #expect(s.modelValue(17) == false)
        s.addClause(2 * a)
        #expect(s.solve(assumptions: [2 * a + 1], conflictLimit: 0) == .unsat)
        #expect(s.modelValue(a) == false)   // no model after unsat
    }
}
