import AIG
import Simulation

/// SAT sweeping over a miter: nodes are rebuilt in topological order into a
/// structurally hashed "fraig"; a node whose simulation signature equals (or
/// complements) an earlier node's is proved equal by the SAT engine (see
/// `SATEngine`) and merged, so later queries see a smaller circuit. Every
/// counterexample becomes a new pattern that splits the candidate classes.
/// Node definitions reach the solver lazily: only the cones that queries
/// touch are encoded. Solver management (`SolverManager`), counterexample
/// patterns (`CounterexamplePatterns`) and the budget policy
/// (`QueryBudgetPolicy`) are small types of their own.
struct Sweeper {
    typealias Answer = EngineAnswer

    let m: AIG
    let params: EquivalenceChecker.Params
    let budget: CheckBudget
    let sim: Simulator

    var fraig: AIGBuilder
    /// Miter variable → fraig literal.
    var map: [Literal]
    var solvers: SolverManager
    var policy: QueryBudgetPolicy
    var patterns = CounterexamplePatterns()
    /// Quick pass only: stop sweeping (`abandoned`) once more than this share
    /// of at least 200 queries ran out of budget. 0 = never.
    var abandonAtBudgetOutShare = 0.0
    var abandoned = false
    /// Per miter variable: `2 * r + complement + 1` when this or an earlier
    /// pass proved the node equal to the earlier node `r` (0: nothing known).
    /// A later pass merges those without a query.
    var provenEqual: [UInt32] = []
    var reusedMerges = 0
    /// With `Params.recordProof`: this pass's merges in topological order
    /// (the lemmas of a certificate), and how each proved pair was proved.
    var mergeLog: [(variable: Int32, target: Literal, method: ProofMethod, cut: [Int])] = []
    var provenMethod: [ProofMethod] = []
    /// With `recordProof` and a second core: walks each merge's lemma dependencies while sweeping goes on.
    var lemmaFeed: LemmaPipeline? = nil
    /// How the last `proveMiterLiterals` that answered UNSAT proved its pair (and its cut, as miter variables).
    var lastProofMethod = ProofMethod.sat
    var lastProofCut: [Int] = []
    /// Fraig variable → a miter variable translated to it (-1: none), to name cut leaves in certificates.
    var miterVariableOf: [Int32] = []
    /// Phase of each variable's random-simulation signature (set by `sweep`).
    var phase: [Bool] = []

    var merged = 0, candidates = 0, classCount = 0
    var localSat = 0, localUnsat = 0, cutProofs = 0
    var cutProver = CutProver()
    var justifier: Justifier? = nil
    var fraigCone = ConeCollector()
    var justified = 0
    var support = SupportTable()

    var satCalls: Int { solvers.counts.calls }
    var satSat: Int { solvers.counts.sat }
    var satUnsat: Int { solvers.counts.unsat }
    var satUnknown: Int { solvers.counts.unknown }
    var recycles: Int { solvers.recycles }
    var cexBatches: Int { patterns.count - patterns.inheritedCount }

    init(miter: AIG, params: EquivalenceChecker.Params, budget: CheckBudget, sim: Simulator) {
        m = miter
        self.params = params
        self.budget = budget
        self.sim = sim
        fraig = AIGBuilder(inputCount: miter.inputCount, expectedAnds: miter.andCount)
        map = [Literal](repeating: .false, count: miter.maxVariable + 1)
        for v in 0...miter.inputCount { map[v] = Literal(variable: UInt32(v)) }
        solvers = SolverManager(params: params)
        policy = QueryBudgetPolicy(params: params)
    }

    /// Takes over what an earlier pass over the same miter learned: proved
    /// merges and counterexample patterns (both are facts about the miter's
    /// functions, whatever the budgets were).
    mutating func inherit(from earlier: Sweeper) {
        provenEqual = earlier.provenEqual
        provenMethod = earlier.provenMethod
        patterns.inherit(from: earlier.patterns)
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

        patterns.prepare(coneAnds: (0..<m.andCount).compactMap { cone[m.firstAndVariable + $0] ? Int32($0) : nil },
                         hashedVariables: candidates.filter { classSize[Int(classOf[Int($0)])] > 1 }.sorted(), phase: phase)
        support = SupportTable(m, cone: cone)
        if provenEqual.count < n { provenEqual = [UInt32](repeating: 0, count: n) }
        if params.recordProof && provenMethod.count < n { provenMethod = [ProofMethod](repeating: .sat, count: n) }
        if params.recordProof {
            miterVariableOf = [Int32](repeating: -1, count: fraig.maxVariable + 1)
            for v in 0...m.inputCount { miterVariableOf[v] = Int32(v) }
        }
        let first = m.firstAndVariable
        for k in 0..<m.andCount {
            if k & 1023 == 0, let progress = params.progress { progress("sweeping", k, m.andCount) }
            if k == m.andCount - 1, let progress = params.progress { progress("sweeping", m.andCount, m.andCount) }
            let v = first + k
            guard cone[v] else { continue }
            let a = m.ands[k]
            let lit = fraig.and(map.translate(a.left), map.translate(a.right))
            map[v] = lit
            if params.recordProof {
                let fv = Int(lit.variable)
                if miterVariableOf.count <= fv { miterVariableOf += [Int32](repeating: -1, count: fv + 1 - miterVariableOf.count) }
                if miterVariableOf[fv] < 0 { miterVariableOf[fv] = Int32(v) }
            }
            let cid = Int(classOf[v])
            guard classSize[cid] > 1 else { continue }
            if policy.shouldAbandon(share: abandonAtBudgetOutShare, counts: solvers.counts) {
                abandoned = true
                return
            }
            let known = Int(provenEqual[v])
            if known > 0, case let r = (known - 1) >> 1, r <= m.inputCount || cone[r] {
                map[v] = map[r].complemented(if: (known - 1) & 1 == 1)
                merged += 1; reusedMerges += 1
                if params.recordProof { logMerge(v, Literal(variable: UInt32(r), complemented: (known - 1) & 1 == 1), provenMethod[v], []) }
                continue
            }
            var done = false
            for r in reprs[cid] where patterns.agree(v, Int(r)) {
                let target = map[Int(r)].complemented(if: phase[v] != phase[Int(r)])
                if target == lit { done = true; break }
                if budget.expired { break }
                self.candidates += 1
                // Small joint support: exhaustive simulation of the two cones decides exactly,
                // much faster than a solver call.
                if let local = support.proveLocally(m, v, Int(r), complemented: phase[v] != phase[Int(r)]) {
                    if let vector = local {
                        patterns.add(vector, separating: v, Int(r), in: m); localSat += 1
                    } else {
                        map[v] = target; merged += 1; done = true; localUnsat += 1
                        recordProof(v, Int(r), .exhaustive)
                    }
                    break
                }
                if cutProver.provesEqual(fraig, lit, target) {
                    map[v] = target; merged += 1; done = true; cutProofs += 1
                    recordProof(v, Int(r), .cut)
                    break
                }
                if params.justify {
                    if justifier == nil { justifier = Justifier(m, sim: sim) }
                    if let vector = justifier?.separate(m, v, Int(r), complemented: phase[v] != phase[Int(r)]) {
                        patterns.add(vector, separating: v, Int(r), in: m)
                        // Three-valued implication guarantees the difference; re-simulation confirms it.
                        if !patterns.agree(v, Int(r)) { justified += 1; break }
                    }
                }
                switch provePair(lit, target) {
                case .unsat: map[v] = target; merged += 1; done = true; recordProof(v, Int(r), .sat)
                case .sat(let vector): patterns.add(vector, separating: v, Int(r), in: m)
                case .unknown: break
                }
                break
            }
            if !done { reprs[cid].append(Int32(v)) }
        }
    }

    mutating func recordProof(_ v: Int, _ r: Int, _ method: ProofMethod) {
        let complemented = phase[v] != phase[r]
        provenEqual[v] = UInt32(2 * r + (complemented ? 1 : 0) + 1)
        if params.recordProof {
            provenMethod[v] = method
            logMerge(v, Literal(variable: UInt32(r), complemented: complemented), method, method == .cut ? cutInMiterVariables() : [])
        }
    }

    /// A merge for the certificate: into `mergeLog`, and to `lemmaFeed`.
    private mutating func logMerge(_ v: Int, _ target: Literal, _ method: ProofMethod, _ cut: [Int]) {
        mergeLog.append((Int32(v), target, method, cut))
        lemmaFeed?.add(variable: Int32(v), representative: Int32(target.variable))
    }

    /// The cut prover's last cut, each fraig node named by a miter variable translated to it.
    func cutInMiterVariables() -> [Int] {
        let vars = cutProver.lastCut.map { Int(miterVariableOf.indices.contains(Int($0)) ? miterVariableOf[Int($0)] : -1) }
        return vars.contains(where: { $0 < 0 }) ? [] : vars.sorted()
    }

    /// A sweeping query, with the budget `policy` gives it.
    mutating func provePair(_ x: Literal, _ y: Literal) -> Answer {
        let answer = prove(x, y, conflictLimit: policy.firstLimit)
        guard case .unknown = answer, !budget.expired, let limit = policy.retryLimit() else { return answer }
        let retry = prove(x, y, conflictLimit: limit)
        var decided = true
        if case .unknown = retry { decided = false }
        policy.recordRetry(decided: decided)
        return retry
    }

    /// Whether miter literals `x` and `y` can differ (after sweeping).
    mutating func proveMiterLiterals(_ x: Literal, _ y: Literal, conflictLimit: UInt32) -> Answer {
        let fx = map.translate(x), fy = map.translate(y)
        if fx == fy { lastProofMethod = .structural; return .unsat }
        if cutProver.provesEqual(fraig, fx, fy) {
            cutProofs += 1; lastProofMethod = .cut
            if params.recordProof { lastProofCut = cutInMiterVariables() }
            return .unsat
        }
        lastProofMethod = .sat
        return prove(fx, fy, conflictLimit: conflictLimit)
    }

    /// Asks the SAT engine whether fraig literals `x` and `y` can differ.
    mutating func prove(_ x: Literal, _ y: Literal, conflictLimit: UInt32) -> Answer {
        if x == y { return .unsat }
        if budget.expired { return .unknown(budget.reason) }
        fraigCone.collect(fraig.aig, [Int(x.variable), Int(y.variable)])
        return solvers.differ(x, y, in: fraig.aig, inputCount: m.inputCount, cone: fraigCone,
                              conflictLimit: conflictLimit, budget: budget)
    }
}

/// Owns the SAT engine of a sweep and decides when to start it afresh.
struct SolverManager {
    let params: EquivalenceChecker.Params
    private(set) var engine: SATEngine
    private(set) var recycles = 0
    private var callsSinceRecycle = 0
    /// Counts of engines already recycled away are kept here.
    private var earlierCounts = SATCounts()

    init(params: EquivalenceChecker.Params) {
        self.params = params
        engine = makeSATEngine(params)
    }

    var counts: SATCounts {
        let c = engine.counts, e = earlierCounts
        return SATCounts(calls: c.calls + e.calls, sat: c.sat + e.sat, unsat: c.unsat + e.unsat, unknown: c.unknown + e.unknown,
                         builtinCalls: c.builtinCalls + e.builtinCalls, cadicalCalls: c.cadicalCalls + e.cadicalCalls,
                         z3Calls: c.z3Calls + e.z3Calls)
    }

    /// A long-lived solver holding many cones that this query does not
    /// touch makes every call slow (wide control logic: ~2 ms per Z3 call);
    /// start afresh then. Queries that share big cones (arithmetic) keep
    /// their solver and its learned clauses.
    mutating func differ(_ x: Literal, _ y: Literal, in aig: AIG, inputCount: Int, cone: ConeCollector,
                         conflictLimit: UInt32, budget: CheckBudget) -> EngineAnswer {
        callsSinceRecycle += 1
        let recycleCalls = params.satEngine == .z3 ? params.z3SolverRecycleCalls : params.solverRecycleCalls
        if recycleCalls > 0, callsSinceRecycle > recycleCalls,
           engine.encodedNodes > params.solverRecycleFactor * cone.ands.count {
            engine.reset()
            callsSinceRecycle = 0
            recycles += 1
        }
        return engine.differ(x, y, in: aig, inputCount: inputCount, cone: cone, conflictLimit: conflictLimit, budget: budget)
    }
}

/// The conflict budgets of sweeping queries: a first tier of
/// `sweepFirstConflictLimit`, then up to `sweepConflictLimit` while such
/// retries keep paying off. Why: on some circuits (log2 vs resyn2) nearly
/// every pair that needs more than the first tier is hopeless at any budget
/// and only wastes it; on others (hyp) the retries are the merges that keep
/// the outputs easy.
struct QueryBudgetPolicy {
    let firstLimit: UInt32
    let fullLimit: UInt32
    private(set) var firstTierBudgetOuts = 0, retriesSkipped = 0
    private var retryWeight = 0.0, retrySuccesses = 0.0
    private let tiered: Bool

    init(params: EquivalenceChecker.Params) {
        let first = params.sweepFirstConflictLimit
        let tiered = first > 0 && (params.sweepConflictLimit == 0 || first < params.sweepConflictLimit)
        firstLimit = tiered ? first : params.sweepConflictLimit
        fullLimit = params.sweepConflictLimit
        self.tiered = tiered
    }

    /// The budget of a retry after the first tier ran out, or nil (no retry).
    /// The decayed success rate of retries decides, and every 16th
    /// budget-out probes anyway.
    mutating func retryLimit() -> UInt32? {
        guard tiered else { return nil }
        firstTierBudgetOuts += 1
        let worthwhile = retryWeight < 4 || retrySuccesses >= 0.1 * retryWeight || firstTierBudgetOuts % 16 == 0
        guard worthwhile else { retriesSkipped += 1; return nil }
        return fullLimit
    }

    mutating func recordRetry(decided: Bool) {
        retryWeight = retryWeight * 0.95 + 1
        retrySuccesses = retrySuccesses * 0.95 + (decided ? 1 : 0)
    }

    /// The quick pass gives up when most of at least 200 queries ran out of budget.
    func shouldAbandon(share: Double, counts: SATCounts) -> Bool {
        share > 0 && counts.calls >= 200 && Double(counts.unknown) > share * Double(counts.calls)
    }
}

/// Counterexample patterns: each counterexample and 63 neighbours (one
/// input of the pair's cone flipped) form one word, simulated over the
/// sweep's cone and folded into a per-variable hash of phase-normalised
/// words; two nodes stay candidates while their hashes agree.
struct CounterexamplePatterns {
    private var inputWords: [UInt64] = []
    private var values: [UInt64] = []
    private var hash: [UInt64] = []
    private(set) var count = 0
    private(set) var inheritedCount = 0
    /// AND indices of the sweep's cone, in topological order, and the
    /// variables whose words are hashed (non-singleton classes).
    private var coneAnds: [Int32] = []
    private var hashedVariables: [Int32] = []
    private var phase: [Bool] = []
    private var miterCone = ConeCollector()
    private var rng = SplitMix64(seed: 0x6365_7821)

    mutating func inherit(from earlier: CounterexamplePatterns) {
        inputWords = earlier.inputWords
        values = earlier.values
        hash = earlier.hash
        count = earlier.count
        inheritedCount = earlier.count
    }

    mutating func prepare(coneAnds: [Int32], hashedVariables: [Int32], phase: [Bool]) {
        self.coneAnds = coneAnds
        self.hashedVariables = hashedVariables
        self.phase = phase
    }

    /// Whether `v` and `r` (phase-normalised) still agree on every
    /// counterexample word. Their random-simulation words agree already
    /// (same class); a hash collision only costs a solver call.
    func agree(_ v: Int, _ r: Int) -> Bool { count == 0 || hash[v] == hash[r] }

    /// Simulates a counterexample that separates `v` and `r`, with 63
    /// neighbours (one input of their cone flipped each: the region around a
    /// rare difference often splits other false candidates too), and folds
    /// the word into the hashes at once: the very next candidates often
    /// fall apart on it (queueing 8 words and checking candidates on their
    /// own cones meanwhile made mem_ctrl 0.93 s → 1.45 s; not checking 1.72 s).
    mutating func add(_ vector: [Bool], separating v: Int, _ r: Int, in m: AIG) {
        let n = m.maxVariable + 1
        if count == 0 {
            inputWords = [UInt64](repeating: 0, count: m.inputCount)
            values = [UInt64](repeating: 0, count: n)
            hash = [UInt64](repeating: 0x9E37_79B9_7F4A_7C15, count: n)
        }
        if phase.count < n { phase += [Bool](repeating: false, count: n - phase.count) }
        // Only the inputs of the pair's cone take the counterexample's values;
        // the others keep their words from the previous counterexample (any
        // value is fine there: `v` and `r` do not depend on them). Those
        // accumulated patterns split more classes than all-false inputs did
        // (mem_ctrl: 1,754 → 937 counterexamples from the solver).
        miterCone.collect(m, [v, r])
        for x in miterCone.inputs { inputWords[Int(x) - 1] = vector[Int(x) - 1] ? ~0 : 0 }
        var support = miterCone.inputs.map { Int($0) - 1 }
        if support.count > 63 {
            for i in 0..<63 { support.swapAt(i, i + Int(rng.next() % UInt64(support.count - i))) }
        }
        for (bit, i) in support.prefix(63).enumerated() { inputWords[i] ^= 1 << UInt64(bit + 1) }
        count += 1
        // Only the sweep's cone (closed under fanins) is simulated, and only
        // nodes of non-singleton classes are hashed: no other node is ever
        // compared. The hash is one multiply and a rotation (collisions
        // only cost a solver call): SplitMix here took 45% of mem_ctrl.
        let first = m.firstAndVariable
        let ph = phase, inputs = inputWords
        var val = values, h = hash
        values = []; hash = []   // unique buffers while we write
        defer { values = val; hash = h }
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
}
