import AIG
import CZ3
import Simulation

/// SAT sweeping over a miter: nodes are rebuilt in topological order into a
/// structurally hashed "fraig"; a node whose simulation signature equals (or
/// complements) an earlier node's is proved equal by the SAT engine (the
/// built-in `SmallSAT`, or Z3) and merged, so later queries see a smaller
/// circuit. Every counterexample becomes a new pattern that splits the
/// candidate classes. Node definitions reach the solver lazily: only the
/// cones that queries touch are encoded.
struct Sweeper {
    enum Answer { case unsat, sat([Bool]), unknown(String) }

    let m: AIG
    let params: EquivalenceChecker.Params
    let deadline: Double
    let sim: Simulator

    var fraig: AIGBuilder
    /// Miter variable → fraig literal.
    var map: [Literal]
    /// Z3, created on first use (a context costs 7–20 ms), or the built-in
    /// CDCL solver, per `Params.satEngine`.
    var z3Solver: Z3Solver? = nil
    var sat = SmallSAT()
    /// Fraig variable → built-in solver variable (-1: not encoded yet).
    var satVars: [Int32] = []
    var decisionVariables: [Int32] = []
    /// Nodes encoded into the current solver, and solvers started afresh.
    var encodedNodes = 0
    var recycles = 0
    var callsSinceRecycle = 0
    var firstTierBudgetOuts = 0, retriesSkipped = 0
    /// Quick pass only: stop sweeping (`abandoned`) once more than this share
    /// of at least 200 queries ran out of budget. 0 = never.
    var abandonAtBudgetOutShare = 0.0
    var abandoned = false
    var retryWeight = 0.0, retrySuccesses = 0.0
    var z3Vars: [Z3_ast?] = []
    var inputVars: [Z3_ast] = []
    var currentConflictLimit: UInt32? = nil

    // Counterexample patterns: each counterexample and 63 neighbours (one
    // input of the pair's cone flipped) form one word, simulated over the
    // whole miter and folded into a per-variable hash of phase-normalised
    // words; two nodes stay candidates while their hashes agree.
    var cexInputs: [UInt64] = []
    var cexValues: [UInt64] = []
    var cexHash: [UInt64] = []
    var cexCount = 0
    /// AND indices of the sweep's cone, in topological order, and the
    /// variables whose counterexample words are hashed (non-singleton classes).
    var coneAnds: [Int32] = []
    var hashedVariables: [Int32] = []
    var inheritedCexCount = 0
    var cexBatches: Int { cexCount - inheritedCexCount }
    /// Per miter variable: `2 * r + complement + 1` when this or an earlier
    /// pass proved the node equal to the earlier node `r` (0: nothing known).
    /// A later pass merges those without a query.
    var provenEqual: [UInt32] = []
    var reusedMerges = 0
    /// Phase of each variable's random-simulation signature (set by `sweep`).
    var phase: [Bool] = []
    var rng = SplitMix64(seed: 0x6365_7821)

    var satCalls = 0, satSat = 0, satUnsat = 0, satUnknown = 0
    var merged = 0, candidates = 0, classCount = 0
    var localSat = 0, localUnsat = 0, cutProofs = 0
    var cutProver = CutProver()
    var justifier: Justifier? = nil
    var miterCone = ConeCollector()
    var fraigCone = ConeCollector()
    var justified = 0
    var support = SupportTable()

    init(miter: AIG, params: EquivalenceChecker.Params, deadline: Double, sim: Simulator) {
        m = miter
        self.params = params
        self.deadline = deadline
        self.sim = sim
        fraig = AIGBuilder(inputCount: miter.inputCount, expectedAnds: miter.andCount)
        map = [Literal](repeating: .false, count: miter.maxVariable + 1)
        for v in 0...miter.inputCount { map[v] = Literal(variable: UInt32(v)) }
        forgetEncoding()
    }

    /// The Z3 solver, created with its context on first use.
    mutating func z3() -> Z3Solver {
        if let z3Solver { return z3Solver }
        let solver = Z3Solver(logic: params.solverLogic)
        z3Solver = solver
        forgetEncoding()
        return solver
    }

    /// Takes over what an earlier pass over the same miter learned: proved
    /// merges and counterexample hashes (both are facts about the miter's
    /// functions, whatever the budgets were).
    mutating func inherit(from earlier: Sweeper) {
        provenEqual = earlier.provenEqual
        cexInputs = earlier.cexInputs
        cexValues = earlier.cexValues
        cexHash = earlier.cexHash
        cexCount = earlier.cexCount
        inheritedCexCount = earlier.cexCount
    }

    /// Forgets every encoded node (for a fresh solver); cones are re-encoded lazily.
    mutating func forgetEncoding() {
        currentConflictLimit = nil
        encodedNodes = 0
        callsSinceRecycle = 0
        sat.reset()
        satVars = [Int32](repeating: -1, count: fraig.maxVariable + 1)
        z3Vars.removeAll(keepingCapacity: true)
        inputVars.removeAll(keepingCapacity: true)
        guard let solver = z3Solver else { return }
        z3Vars = [Z3_ast?](repeating: nil, count: m.inputCount + 1)
        z3Vars[0] = solver.falseValue
        for i in 0..<m.inputCount {
            let v = solver.boolVariable(id: Int32(i + 1))
            z3Vars[i + 1] = v
            inputVars.append(v)
        }
    }

    /// Rebuilds the miter into the fraig without any proofs.
    mutating func mapWithoutSweeping() {
        for k in 0..<m.andCount {
            let a = m.ands[k]
            map[m.firstAndVariable + k] = fraig.and(map.translate(a.left), map.translate(a.right))
        }
    }

    mutating func sweep(roots: [Literal]) {
        let cone = m.cone(of: roots)
        let n = m.maxVariable + 1
        let w = sim.wordsPerVariable
        // Phase-normalised signature hashes of the candidates (constant, inputs, cone ANDs).
        var hash = [UInt64](repeating: 0, count: n)
        var phase = [Bool](repeating: false, count: n)
        var candidates: [Int32] = []
        sim.withValues { vals in
            for v in 0..<n where v <= m.inputCount || cone[v] {
                let flip = vals[v * w] & 1 != 0
                let mask: UInt64 = flip ? ~0 : 0
                var h: UInt64 = 0x9E37_79B9_7F4A_7C15
                for i in 0..<w { h = (h ^ (vals[v * w + i] ^ mask)) &* 0xFF51_AFD7_ED55_8CCD; h ^= h >> 29 }
                hash[v] = h; phase[v] = flip
                candidates.append(Int32(v))
            }
        }
        self.phase = phase
        // Classes: equal hashes, numbered by sorting (no dictionary in the loop).
        candidates.sort { hash[Int($0)] != hash[Int($1)] ? hash[Int($0)] < hash[Int($1)] : $0 < $1 }
        var classOf = [Int32](repeating: -1, count: n)
        var classSize: [Int32] = []
        for (idx, v) in candidates.enumerated() {
            if idx == 0 || hash[Int(candidates[idx - 1])] != hash[Int(v)] { classSize.append(0) }
            classOf[Int(v)] = Int32(classSize.count - 1)
            classSize[classSize.count - 1] += 1
        }
        classCount = classSize.filter { $0 > 1 }.count
        var reprs = [[Int32]](repeating: [], count: classSize.count)
        for v in 0...m.inputCount { reprs[Int(classOf[v])].append(Int32(v)) }

        coneAnds = (0..<m.andCount).compactMap { cone[m.firstAndVariable + $0] ? Int32($0) : nil }
        hashedVariables = candidates.filter { classSize[Int(classOf[Int($0)])] > 1 }.sorted()
        support = SupportTable(m, cone: cone)
        if provenEqual.count < n { provenEqual = [UInt32](repeating: 0, count: n) }
        let first = m.firstAndVariable
        for k in 0..<m.andCount {
            let v = first + k
            guard cone[v] else { continue }
            let a = m.ands[k]
            let lit = fraig.and(map.translate(a.left), map.translate(a.right))
            map[v] = lit
            let cid = Int(classOf[v])
            guard classSize[cid] > 1 else { continue }
            if abandonAtBudgetOutShare > 0, satCalls >= 200, Double(satUnknown) > abandonAtBudgetOutShare * Double(satCalls) {
                abandoned = true
                return
            }
            let known = Int(provenEqual[v])
            if known > 0, case let r = (known - 1) >> 1, r <= m.inputCount || cone[r] {
                map[v] = map[r].complemented(if: (known - 1) & 1 == 1)
                merged += 1; reusedMerges += 1
                continue
            }
            var done = false
            for r in reprs[cid] where signaturesEqual(v, Int(r)) {
                let target = map[Int(r)].complemented(if: phase[v] != phase[Int(r)])
                if target == lit { done = true; break }
                if now() > deadline { break }
                self.candidates += 1
                // Small joint support: exhaustive simulation of the two cones decides exactly,
                // much faster than a solver call.
                if let local = support.proveLocally(m, v, Int(r), complemented: phase[v] != phase[Int(r)]) {
                    if let vector = local {
                        addCounterexample(vector, near: v, Int(r)); localSat += 1
                    } else {
                        map[v] = target; merged += 1; done = true; localUnsat += 1
                        recordProof(v, Int(r))
                    }
                    break
                }
                if cutProver.provesEqual(fraig, lit, target) {
                    map[v] = target; merged += 1; done = true; cutProofs += 1
                    recordProof(v, Int(r))
                    break
                }
                if params.justify {
                    if justifier == nil { justifier = Justifier(m, sim: sim) }
                    if let vector = justifier?.separate(m, v, Int(r), complemented: phase[v] != phase[Int(r)]) {
                        addCounterexample(vector, near: v, Int(r))
                        // Three-valued implication guarantees the difference; re-simulation confirms it.
                        if !signaturesEqual(v, Int(r)) { justified += 1; break }
                    }
                }
                switch provePair(lit, target) {
                case .unsat: map[v] = target; merged += 1; done = true; recordProof(v, Int(r))
                case .sat(let vector): addCounterexample(vector, near: v, Int(r))
                case .unknown: break
                }
                break
            }
            if !done { reprs[cid].append(Int32(v)) }
        }
    }

    mutating func recordProof(_ v: Int, _ r: Int) {
        provenEqual[v] = UInt32(2 * r + (phase[v] != phase[r] ? 1 : 0) + 1)
    }

    /// Whether `v` and `r` (phase-normalised) still agree on every
    /// counterexample word. Their random-simulation words agree already
    /// (same class); a hash collision only costs a solver call.
    func signaturesEqual(_ v: Int, _ r: Int) -> Bool {
        cexCount == 0 || cexHash[v] == cexHash[r]
    }



    /// Simulates a counterexample that separates `v` and `r`, with 63
    /// neighbours (one input of their cone flipped each: the region around a
    /// rare difference often splits other false candidates too), and folds
    /// the word into the hashes at once: the very next candidates often
    /// fall apart on it (queueing 8 words and checking candidates on their
    /// own cones meanwhile made mem_ctrl 0.93 s → 1.45 s; not checking 1.72 s).
    mutating func addCounterexample(_ vector: [Bool], near v: Int, _ r: Int) {
        let n = m.maxVariable + 1
        if cexCount == 0 {
            cexInputs = [UInt64](repeating: 0, count: m.inputCount)
            cexValues = [UInt64](repeating: 0, count: n)
            cexHash = [UInt64](repeating: 0x9E37_79B9_7F4A_7C15, count: n)
            if phase.count < n { phase += [Bool](repeating: false, count: n - phase.count) }
        }
        // Only the inputs of the pair's cone take the counterexample's values;
        // the others keep their words from the previous counterexample (any
        // value is fine there: `v` and `r` do not depend on them). Those
        // accumulated patterns split more classes than all-false inputs did
        // (mem_ctrl: 1,754 → 937 counterexamples from the solver).
        miterCone.collect(m, [v, r])
        for x in miterCone.inputs { cexInputs[Int(x) - 1] = vector[Int(x) - 1] ? ~0 : 0 }
        var support = miterCone.inputs.map { Int($0) - 1 }
        if support.count > 63 {
            for i in 0..<63 { support.swapAt(i, i + Int(rng.next() % UInt64(support.count - i))) }
        }
        for (bit, i) in support.prefix(63).enumerated() { cexInputs[i] ^= 1 << UInt64(bit + 1) }
        cexCount += 1
        // Only the sweep's cone (closed under fanins) is simulated, and only
        // nodes of non-singleton classes are hashed: no other node is ever
        // compared. The hash is one multiply and a rotation (collisions
        // only cost a solver call): SplitMix here took 45% of mem_ctrl.
        let first = m.firstAndVariable
        let ph = phase, inputs = cexInputs
        var val = cexValues, h = cexHash
        cexValues = []; cexHash = []   // unique buffers while we write
        defer { cexValues = val; cexHash = h }
        val.withUnsafeMutableBufferPointer { val in
            for i in 0..<inputs.count { val[i + 1] = inputs[i] }
            m.ands.withUnsafeBufferPointer { ands in
                coneAnds.withUnsafeBufferPointer { cone in
                    for k in cone {
                        let a = ands[Int(k)]
                        let x = val[Int(a.left.variable)] ^ (a.left.isComplemented ? ~0 : 0)
                        let y = val[Int(a.right.variable)] ^ (a.right.isComplemented ? ~0 : 0)
                        val[first + Int(k)] = x & y
                    }
                }
            }
            h.withUnsafeMutableBufferPointer { h in
                hashedVariables.withUnsafeBufferPointer { vars in
                    for v in vars {
                        let x = Int(v)
                        let p = (h[x] ^ val[x] ^ (ph[x] ? ~0 : 0)) &* 0x9E37_79B9_7F4A_7C15
                        h[x] = (p << 31) | (p >> 33)
                    }
                }
            }
        }
    }

    /// A sweeping query in two tiers: `sweepFirstConflictLimit` conflicts,
    /// then up to `sweepConflictLimit` while such retries keep paying off.
    /// Why: on some circuits (log2 vs resyn2) nearly every pair that needs
    /// more than the first tier is hopeless at any budget and only wastes it;
    /// on others (hyp) the retries are the merges that keep the outputs easy.
    mutating func provePair(_ x: Literal, _ y: Literal) -> Answer {
        let firstLimit = params.sweepFirstConflictLimit
        guard firstLimit > 0, params.sweepConflictLimit == 0 || firstLimit < params.sweepConflictLimit else {
            return prove(x, y, conflictLimit: params.sweepConflictLimit)
        }
        let answer = prove(x, y, conflictLimit: firstLimit)
        guard case .unknown = answer, now() < deadline else { return answer }
        firstTierBudgetOuts += 1
        // Decayed success rate of retries; probe every 16th budget-out anyway.
        let worthwhile = retryWeight < 4 || retrySuccesses >= 0.1 * retryWeight || firstTierBudgetOuts % 16 == 0
        guard worthwhile else { retriesSkipped += 1; return answer }
        let retry = prove(x, y, conflictLimit: params.sweepConflictLimit)
        var decided = true
        if case .unknown = retry { decided = false }
        retryWeight = retryWeight * 0.95 + 1
        retrySuccesses = retrySuccesses * 0.95 + (decided ? 1 : 0)
        return retry
    }

    /// Asks Z3 whether miter literals `x` and `y` can differ (after sweeping).
    mutating func proveMiterLiterals(_ x: Literal, _ y: Literal, conflictLimit: UInt32) -> Answer {
        let fx = map.translate(x), fy = map.translate(y)
        if cutProver.provesEqual(fraig, fx, fy) { cutProofs += 1; return .unsat }
        return prove(fx, fy, conflictLimit: conflictLimit)
    }

    /// Asks the SAT engine whether fraig literals `x` and `y` can differ.
    mutating func prove(_ x: Literal, _ y: Literal, conflictLimit: UInt32) -> Answer {
        if x == y { return .unsat }
        let remaining = deadline - now()
        if remaining <= 0 { return .unknown("timeout") }
        // A long-lived solver holding many cones that this query does not
        // touch makes every call slow (wide control logic: ~2 ms per Z3
        // call); start afresh then. Queries that share big cones
        // (arithmetic) keep their solver and its learned clauses.
        fraigCone.collect(fraig.aig, [Int(x.variable), Int(y.variable)])
        callsSinceRecycle += 1
        let recycleCalls = params.satEngine == .z3 ? params.z3SolverRecycleCalls : params.solverRecycleCalls
        if recycleCalls > 0, callsSinceRecycle > recycleCalls,
           encodedNodes > params.solverRecycleFactor * fraigCone.ands.count {
            z3Solver?.resetSolver()
            forgetEncoding()
            recycles += 1
        }
        switch params.satEngine {
        case .builtin: return proveBuiltin(x, y, conflictLimit: conflictLimit)
        case .z3: return proveZ3(x, y, conflictLimit: conflictLimit, remaining: remaining)
        }
    }

    /// Two calls under assumptions (x ∧ ¬y, then ¬x ∧ y); a proved direction
    /// stays as a clause that helps later queries.
    mutating func proveBuiltin(_ x: Literal, _ y: Literal, conflictLimit: UInt32) -> Answer {
        let ex = encodeBuiltin(x), ey = encodeBuiltin(y)
        // Branch only on the query's cone: the solver may hold many others.
        decisionVariables.removeAll(keepingCapacity: true)
        for v in fraigCone.ands { decisionVariables.append(satVars[Int(v)]) }
        for v in fraigCone.inputs { decisionVariables.append(satVars[Int(v)]) }
        for (p, q) in [(ex, ey ^ 1), (ex ^ 1, ey)] {
            satCalls += 1
            // The budget in slices, so that the deadline holds for unlimited queries too.
            var left = conflictLimit == 0 ? Int.max : Int(conflictLimit)
            var answer = SmallSAT.Result.unknown
            while left > 0 {
                let slice = min(left, 5_000)
                answer = sat.solve(assumptions: [p, q], conflictLimit: slice, decisionVariables: decisionVariables)
                left -= slice
                if answer != .unknown || now() > deadline { break }
            }
            switch answer {
            case .unsat:
                satUnsat += 1
                sat.addClause(p ^ 1, q ^ 1)
            case .sat:
                satSat += 1
                var vector = [Bool](repeating: false, count: m.inputCount)
                for v in fraigCone.inputs where satVars[Int(v)] >= 0 { vector[Int(v) - 1] = sat.modelValue(satVars[Int(v)]) }
                return .sat(vector)
            case .unknown:
                satUnknown += 1
                return .unknown(now() > deadline ? "timeout" : "solver budget exhausted (\(conflictLimit) conflicts)")
            }
        }
        return .unsat
    }

    /// The built-in solver's literal of a fraig literal, adding the Tseitin
    /// clauses of its cone on first use.
    mutating func encodeBuiltin(_ l: Literal) -> Int32 {
        let needed = fraig.maxVariable + 1
        if satVars.count < needed { satVars.append(contentsOf: repeatElement(-1, count: needed - satVars.count)) }
        Self.forEachUnencoded(fraig.aig, Int(l.variable), inputCount: m.inputCount,
                              isEncoded: { satVars[$0] >= 0 },
                              leaf: { v in
                                  let x = sat.newVariable()
                                  if v == 0 { sat.addClause(2 * x + 1) }   // constant false
                                  satVars[v] = x
                              },
                              and: { v, f in
                                  let node = sat.newVariable()
                                  encodedNodes += 1
                                  let n = 2 * node, a = builtinLiteral(f.left), b = builtinLiteral(f.right)
                                  // node → a, node → b, a ∧ b → node.
                                  sat.addClause(n ^ 1, a)
                                  sat.addClause(n ^ 1, b)
                                  sat.addClause(n, a ^ 1, b ^ 1)
                                  satVars[v] = node
                              })
        return builtinLiteral(l)
    }

    func builtinLiteral(_ l: Literal) -> Int32 { 2 * satVars[Int(l.variable)] + (l.isComplemented ? 1 : 0) }

    /// Visits the fraig variables under `root` that are not encoded yet,
    /// fanins first: inputs and the constant go to `leaf`, ANDs to `and`,
    /// each of which must encode the variable. Shared by both SAT engines.
    static func forEachUnencoded(_ aig: AIG, _ root: Int, inputCount: Int, isEncoded: (Int) -> Bool,
                                 leaf: (Int) -> Void, and: (Int, AndFanins) -> Void) {
        var stack = [root]
        while let v = stack.last {
            if isEncoded(v) { stack.removeLast(); continue }
            if v <= inputCount { stack.removeLast(); leaf(v); continue }
            let f = aig.ands[v - aig.firstAndVariable]
            let lv = Int(f.left.variable), rv = Int(f.right.variable)
            if !isEncoded(lv) { stack.append(lv); continue }
            if !isEncoded(rv) { stack.append(rv); continue }
            stack.removeLast()
            and(v, f)
        }
    }

    /// The same query on Z3 (`satEngine = .z3`).
    mutating func proveZ3(_ x: Literal, _ y: Literal, conflictLimit: UInt32, remaining: Double) -> Answer {
        let solver = z3()
        let ex = encode(x, solver), ey = encode(y, solver)
        // Changing Z3's parameters is costly: only when the conflict budget changes.
        // The timeout is the whole remaining budget, set with it.
        if conflictLimit != currentConflictLimit {
            let ms = remaining.isFinite ? UInt32(min(remaining * 1000 + 1, Double(UInt32.max / 2))) : 0
            solver.setLimits(timeoutMilliseconds: ms, maxConflicts: conflictLimit)
            currentConflictLimit = conflictLimit
        }
        // Two calls under assumptions (x ∧ ¬y, then ¬x ∧ y): no new variables or unit
        // clauses, which would make Z3 clean up its whole clause database on the next call.
        for (p, q) in [(ex, solver.not(ey)), (solver.not(ex), ey)] {
            satCalls += 1
            switch solver.check(assuming: [p, q]) {
            case .unsat:
                satUnsat += 1
                // Keep what was proved: p → ¬q helps later queries.
                solver.assert(solver.or(solver.not(p), solver.not(q)))
            case .sat:
                satSat += 1
                return .sat(modelInputs(fraigCone.inputs, solver))
            case .unknown(let reason):
                satUnknown += 1
                return .unknown(now() > deadline ? "timeout" : "solver budget exhausted (\(reason))")
            }
        }
        return .unsat
    }

    /// The model's input vector, reading only the inputs in the cones of
    /// the query (the others are free: false). Evaluating all inputs of a
    /// wide miter costs about a millisecond per model.
    func modelInputs(_ inputs: [Int32], _ solver: Z3Solver) -> [Bool] {
        let values = solver.modelValues(inputs.map { inputVars[Int($0) - 1] })
        var vector = [Bool](repeating: false, count: m.inputCount)
        for (k, v) in inputs.enumerated() { vector[Int(v) - 1] = values[k] }
        return vector
    }

    /// The Z3 term of a fraig literal, asserting the definitions of its cone on first use.
    mutating func encode(_ l: Literal, _ solver: Z3Solver) -> Z3_ast {
        let needed = fraig.maxVariable + 1
        if z3Vars.count < needed { z3Vars.append(contentsOf: repeatElement(nil, count: needed - z3Vars.count)) }
        // Inputs and the constant are encoded up front (`forgetEncoding`).
        Self.forEachUnencoded(fraig.aig, Int(l.variable), inputCount: m.inputCount,
                              isEncoded: { z3Vars[$0] != nil }, leaf: { _ in },
                              and: { v, f in
                                  let node = solver.boolVariable(id: Int32(v))
                                  encodedNodes += 1
                                  // Tseitin clauses: node → a, node → b, a ∧ b → node.
                                  let a = term(f.left, solver), b = term(f.right, solver)
                                  solver.assert(solver.or(solver.not(node), a))
                                  solver.assert(solver.or(solver.not(node), b))
                                  solver.assert(solver.or3(node, solver.not(a), solver.not(b)))
                                  z3Vars[v] = node
                              })
        return term(l, solver)
    }

    func term(_ l: Literal, _ solver: Z3Solver) -> Z3_ast {
        // Callers have encoded the variable.
        let v = z3Vars[Int(l.variable)]!
        return l.isComplemented ? solver.not(v) : v
    }
}
