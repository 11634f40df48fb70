import Testing
import AIG
import Simulation
@testable import Equivalence

// The SAT-engine protocol and its solvers. CaDiCaL's UNSAT answers are read
// as proofs, so they are checked against Z3 (random CNF) and against
// exhaustive simulation (AIG queries) like the built-in solver's.

private func answer(_ r: SolverAnswer) -> Bool? {
    switch r { case .sat: return true; case .unsat: return false; case .unknown: return nil }
}

/// Every clause and assumption true under the backend's model.
private func modelSatisfies(_ b: CaDiCaLBackend, vars: Int, _ clauses: [Clause], _ assumptions: [Int32] = []) -> Bool {
    let values = b.values((0..<vars).map { Int32($0) })
    func value(_ l: Int32) -> Bool { values[Int(l >> 1)] != (l & 1 == 1) }
    return clauses.allSatisfy { $0.contains(where: value) } && assumptions.allSatisfy(value)
}

@Suite struct SATEngineTests {
    /// 2,000 random 3-SAT instances around the threshold (20–120 variables),
    /// with and without assumptions, on fresh and reset solvers: CaDiCaL
    /// answers as Z3 does, and every model satisfies the clauses.
    @Test func cadicalAgreesWithZ3OnRandomCNF() {
        let z3 = Z3Reference()
        let budget = CheckBudget(deadline: .infinity)
        var backend = CaDiCaLBackend()
        var rng = SATRng(0xCAD1)
        var counts = (sat: 0, unsat: 0)
        for instance in 0..<2000 {
            let (vars, clauses) = thresholdInstance(instance, rng: &rng)
            if instance % 3 == 0 { backend = CaDiCaLBackend() } else { backend.reset() }
            for _ in 0..<vars { _ = backend.newVariable() }
            for c in clauses { backend.addClause(c) }
            let assumptions = instance % 2 == 0 ? [] : (0..<rng.below(4)).map { _ in lit(rng.below(vars), rng.bool()) }
            let r = backend.solve(assumptions, conflictLimit: 0, branchOn: [], budget: budget)
            guard let got = answer(r) else { Issue.record("instance \(instance): unknown without a budget"); continue }
            if got { #expect(modelSatisfies(backend, vars: vars, clauses, assumptions), "instance \(instance)") }
            guard let want = answer(z3.check(vars: vars, clauses, assumptions: assumptions)) else { continue }
            #expect(got == want, "instance \(instance): \(vars) vars, \(clauses.count) clauses, assuming \(assumptions)")
            if got { counts.sat += 1 } else { counts.unsat += 1 }
        }
        #expect(counts.sat > 400 && counts.unsat > 400, "\(counts)")
    }

    /// Clauses added between solves under assumptions (one solver kept): CaDiCaL agrees with Z3.
    @Test func cadicalIncrementalAgreesWithZ3() {
        let z3 = Z3Reference()
        let budget = CheckBudget(deadline: .infinity)
        var rng = SATRng(4711)
        for round in 0..<10 {
            let backend = CaDiCaLBackend()
            let vars = 40 + rng.below(41)
            var clauses: [Clause] = []
            for _ in 0..<vars { _ = backend.newVariable() }
            for step in 0..<6 {
                let fresh = random3SAT(vars: vars, clauses: Int(Double(vars) * 0.7), rng: &rng)
                for c in fresh { backend.addClause(c) }
                clauses += fresh
                for _ in 0..<5 {
                    let assumptions = (0..<rng.below(6)).map { _ in lit(rng.below(vars), rng.bool()) }
                    let got = answer(backend.solve(assumptions, conflictLimit: 0, branchOn: [], budget: budget))
                    if got == true { #expect(modelSatisfies(backend, vars: vars, clauses, assumptions)) }
                    let want = answer(z3.check(vars: vars, clauses, assumptions: assumptions))
                    #expect(got == want, "round \(round) step \(step) assuming \(assumptions)")
                }
            }
        }
    }

    /// A conflict budget gives unknown on a hard instance, then the answer without it;
    /// a cancelled budget stops CaDiCaL without an answer.
    @Test func cadicalBudgetsAndCancellation() {
        let (vars, clauses) = pigeonhole(holes: 8)
        let backend = CaDiCaLBackend()
        for _ in 0..<vars { _ = backend.newVariable() }
        for c in clauses { backend.addClause(c) }
        let free = CheckBudget(deadline: .infinity)
        #expect(answer(backend.solve([], conflictLimit: 10, branchOn: [], budget: free)) == nil)
        let cancelled = CheckBudget(deadline: .infinity)
        cancelled.cancel()
        #expect(answer(backend.solve([], conflictLimit: 0, branchOn: [], budget: cancelled)) == nil)
        let expired = CheckBudget(deadline: now() - 1)
        #expect(answer(backend.solve([], conflictLimit: 0, branchOn: [], budget: expired)) == nil)
        #expect(answer(backend.solve([], conflictLimit: 0, branchOn: [], budget: free)) == false)
    }

    /// `differ` on node pairs of random AIGs, with equal pairs built by
    /// re-association, on every engine: the answer matches exhaustive
    /// simulation, and every counterexample separates the pair.
    @Test(arguments: EquivalenceChecker.Params.SATEngine.allCases)
    func engineQueriesMatchSimulation(_ kind: EquivalenceChecker.Params.SATEngine) throws {
        var params = EquivalenceChecker.Params()
        params.satEngine = kind
        // Small enough that `auto` sends the unbounded queries to CaDiCaL and the bounded ones to the built-in solver.
        params.autoLargeQueryConflicts = 100
        let budget = CheckBudget(deadline: .infinity)
        var rng = SATRng(UInt64(91 + kind.rawValue.count))
        var unsat = 0, sat = 0
        for round in 0..<12 {
            let engine = makeSATEngine(params)
            let inputs = 10
            var b = AIGBuilder(inputCount: inputs)
            var nodes = (0..<inputs).map { b.input($0) }
            var pairs: [(Literal, Literal)] = []
            for _ in 0..<60 {
                let x = nodes[rng.below(nodes.count)].complemented(if: rng.bool())
                let y = nodes[rng.below(nodes.count)].complemented(if: rng.bool())
                let z = nodes[rng.below(nodes.count)].complemented(if: rng.bool())
                let left = b.and(b.and(x, y), z), right = b.and(x, b.and(y, z))
                nodes.append(left)
                pairs.append((left, right))
                pairs.append((left, nodes[rng.below(nodes.count)]))
            }
            let aig = b.aig
            let all = try #require(PatternSet.exhaustive(inputCount: inputs))
            var sim = Simulator()
            sim.simulate(aig, patterns: all)
            var cone = ConeCollector()
            for (k, (x, y)) in pairs.enumerated() {
                let equal = (0..<sim.wordsPerVariable).allSatisfy { sim.word(x, $0) == sim.word(y, $0) }
                cone.collect(aig, [Int(x.variable), Int(y.variable)])
                let limit: UInt32 = k % 2 == 0 ? 0 : 50
                switch engine.differ(x, y, in: aig, inputCount: inputs, cone: cone, conflictLimit: limit, budget: budget) {
                case .unsat:
                    unsat += 1
                    #expect(equal, "round \(round) pair \(k): \(kind) says equal")
                case .sat(let vector):
                    sat += 1
                    #expect(!equal, "round \(round) pair \(k): \(kind) says different")
                    let values = try evaluateLiterals(aig, vector, [x, y])
                    #expect(values[0] != values[1], "round \(round) pair \(k): \(kind)'s model does not separate the pair")
                case .unknown(let why):
                    #expect(limit > 0, "round \(round) pair \(k): \(kind) unknown without a budget (\(why))")
                }
            }
            if kind == .auto, let auto = engine as? AutoEngine {
                #expect(auto.builtin.counts.calls > 0 && auto.cadical.counts.calls > 0, "auto used one solver only")
            }
        }
        #expect(unsat > 100 && sat > 100, "\(kind): \(unsat) unsat, \(sat) sat")
    }

    /// The whole-miter attempt of the portfolio decides a small miter either
    /// way, and a cancelled one gives no verdict.
    @Test func wholeMiterAttempt() throws {
        var b = AIGBuilder(inputCount: 6)
        let x = (0..<6).map { b.input($0) }
        let f = b.and(b.and(x[0], x[1]), b.or(x[2], x[3]))
        let g = b.and(x[0], b.and(x[1], b.or(x[3], x[2])))
        let h = b.and(x[0], b.and(x[1], b.or(x[3], x[4])))
        let aig = b.aig
        let rivalBudget = CheckBudget(deadline: .infinity)
        let same = WholeMiterAttempt(miter: aig, pairs: [(f, g)], deadline: .infinity, rival: rivalBudget)
        same.start()
        guard case .equivalent = same.result() else { Issue.record("f and g are equal"); return }
        let different = WholeMiterAttempt(miter: aig, pairs: [(f, g), (f, h)], deadline: .infinity, rival: rivalBudget)
        different.start()
        guard case .differs(let vector) = different.result() else { Issue.record("f and h differ"); return }
        let values = try evaluateLiterals(aig, vector, [f, h])
        #expect(values[0] != values[1])
        // Deciding cancels the rival (sweeping), so that it stops early.
        #expect(rivalBudget.isCancelled)
        let never = WholeMiterAttempt(miter: aig, pairs: [(f, h)], deadline: now() - 1, rival: CheckBudget(deadline: .infinity))
        never.start()
        guard case .undecided = never.stop() else { Issue.record("an expired attempt gave a verdict"); return }
    }
}

/// Values of `literals` of `aig` under one input vector.
private func evaluateLiterals(_ aig: AIG, _ vector: [Bool], _ literals: [Literal]) throws -> [Bool] {
    let patterns = try #require(PatternSet(inputCount: aig.inputCount, vectors: [vector]))
    var sim = Simulator()
    sim.simulate(aig, patterns: patterns)
    return literals.map { sim.word($0, 0) & 1 == 1 }
}

@Suite struct ExactSynthesisTests {
    func table(_ n: Int, _ f: (Int) -> Bool) -> UInt64 {
        var t: UInt64 = 0
        for m in 0..<(1 << n) where f(m) { t |= 1 << UInt64(m) }
        return t
    }
    func simulate(_ s: ExactSynthesis.Structure, _ n: Int) -> UInt64 {
        var v: [UInt64] = [0] + (0..<n).map { i in table(n) { ($0 >> i) & 1 != 0 } }
        let mask: UInt64 = (1 << UInt64(1 << n)) - 1
        func lit(_ l: Int) -> UInt64 { l & 1 != 0 ? ~v[l >> 1] & mask : v[l >> 1] }
        for g in s.gates { v.append(lit(g[0]) & lit(g[1])) }
        return lit(s.output)
    }

    @Test func knownMinimumSizes() {
        let cases: [(String, Int, (Int) -> Bool, Int)] = [
            ("and2", 2, { $0 == 3 }, 1),
            ("xor2", 2, { $0 == 1 || $0 == 2 }, 3),
            ("mux", 3, { m in (m & 4 != 0) ? (m & 2 != 0) : (m & 1 != 0) }, 3),
            ("maj3", 3, { m in m.nonzeroBitCount >= 2 }, 4),
            ("xor3", 3, { m in m.nonzeroBitCount % 2 == 1 }, 6),
            ("and4", 4, { $0 == 15 }, 3),
            ("x0", 3, { $0 & 1 != 0 }, 0),
        ]
        for (name, n, f, size) in cases {
            let t = table(n, f)
            guard case .minimum(let s) = ExactSynthesis.synthesize(table: t, inputs: n) else { Issue.record("\(name) undecided"); continue }
            #expect(s.gates.count == size, "\(name)")
            #expect(simulate(s, n) == t, "\(name)")
        }
    }

    @Test func gateOrderingKeepsTheMinimum() {
        // Symmetry breaking must not lose solutions: the same minimum with and without it.
        var off = ExactSynthesis.Params()
        off.orderGates = false
        for t: UInt64 in [0x96, 0xE8, 0x1E, 0x6A, 0xCA, 0x17, 0x69, 0x3C6A] {
            let n = t > 0xFF ? 4 : 3
            guard case .minimum(let a) = ExactSynthesis.synthesize(table: t, inputs: n),
                  case .minimum(let b) = ExactSynthesis.synthesize(table: t, inputs: n, params: off) else { Issue.record("undecided"); continue }
            #expect(a.gates.count == b.gates.count, "0x\(String(t, radix: 16))")
            #expect(simulate(a, n) == t && simulate(b, n) == t)
        }
    }
}
