import AIG
import CZ3
import Simulation
#if canImport(Glibc)
import Glibc
#endif

/// A confirmed input assignment on which the two circuits differ.
public struct Counterexample: Sendable, Equatable {
    public struct Difference: Sendable, Equatable {
        public var output: String
        public var valueA: Bool
        public var valueB: Bool
        /// The output's index in each latch-cut circuit (outputs, then next states); -1: unknown.
        public var indexA = -1
        public var indexB = -1
    }
    /// Shared input names and values, in the first circuit's input order (then B's extra inputs).
    public var inputNames: [String]
    public var inputs: [Bool]
    /// The input vectors of each circuit in its own input order (replayable with `miter sim`).
    public var inputsA: [Bool]
    public var inputsB: [Bool]
    /// Every matched output whose values differ (at least one).
    public var differences: [Difference]
    /// Sequential circuits: the current states of the registers (cut latches)
    /// this combinational counterexample assumes, part of `inputs`; the
    /// vector is replayed on both circuits from these states.
    public struct AssumedState: Sendable, Equatable {
        public var register: String
        public var value: Bool
    }
    public var assumedStates: [AssumedState] = []
}

public enum CheckResult: Sendable, Equatable {
    case equivalent
    case notEquivalent(Counterexample)
    /// No verdict: budget or timeout. `openOutputs` are those neither proved nor refuted.
    case undecided(reason: String, openOutputs: [String])
}

/// Combinational equivalence checking: one miter over both circuits, random
/// simulation, exhaustive simulation for ≤ `exhaustiveInputLimit` inputs, and
/// BDDs when they stay small, otherwise SAT sweeping followed by the output
/// proofs (built-in CDCL solver by default, Z3 on request).
public struct EquivalenceChecker {
    public struct Params: Sendable {
        /// Called with (phase, done, total) as the check goes: "simulation", "exhaustive",
        /// "BDD", "sweeping" (miter ANDs visited, every 1,024), "outputs" (output pairs
        /// proved). Called from the checking thread; nil: no reports.
        public var progress: (@Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void)? = nil
        /// Simulation words per node (64 mixed-density patterns each).
        public var simulationWords = 64
        /// Words of a first, cheap simulation round that only looks for a
        /// difference (0: none). Default 8 (one cycle of the eight densities,
        /// 1/8 of the full round): a mutant deep in sqrt or log2 (44–64k miter
        /// ANDs) is told apart in 1–2 ms instead of 10–14 ms; an equivalent
        /// pair pays the 1/8 extra.
        public var probeWords = 8
        public var seed: UInt64 = 0
        /// Decide by exhaustive simulation up to this many inputs (no solver).
        public var exhaustiveInputLimit = 16
        /// Above that, decide exactly with BDDs of the open output pairs (no
        /// solver) when they fit in this many nodes (0: never). Default 32,768
        /// (~0.8 MB): router, priority and i2c vs resyn2 need 3,500–9,400 and
        /// are decided in 0.3–1.2 ms instead of paying Z3's 7–20 ms start; a
        /// circuit that outgrows it loses ~2.5 ms before SAT sweeping.
        public var bddNodeLimit = 1 << 15
        /// Prove internal equivalences before the outputs (fraiging).
        public var sweep = true
        /// Before a solver call, try to separate a candidate pair by PODEM-style
        /// justification (only refutes). Default false since the built-in SAT
        /// engine: a solver call is now cheaper than a failed justification
        /// (mem_ctrl vs resyn2 1.48 s with, 0.98 s without; it paid off at
        /// Z3's ~1 ms per call).
        public var justify = false
        /// Conflict budget of one sweeping query (0: none). Budget-outs leave the pair unmerged.
        public var sweepConflictLimit: UInt32 = 500
        /// First try of a sweeping query with this budget; the rest of
        /// `sweepConflictLimit` only while such retries keep succeeding
        /// (0: one try at `sweepConflictLimit`). Default 50: log2 vs resyn2 38.8 s → 12 s, hyp 34 s → 14 s.
        public var sweepFirstConflictLimit: UInt32 = 50
        /// A first, quick pass sweeps with this budget per query (0: no quick
        /// pass) and proves outputs with `quickPassOutputConflictLimit`; the
        /// first output that exceeds it starts the full pass. Default 100 and
        /// 2,000: sin vs resyn2 2.6 s → 0.9 s; hyp, whose outputs need the
        /// full pass's merges, pays for the abandoned quick pass.
        public var quickPassSweepConflictLimit: UInt32 = 100
        public var quickPassOutputConflictLimit: UInt32 = 2000
        /// Conflict budget of one output query (0: none; bounded by the timeout).
        public var outputConflictLimit: UInt32 = 0
        /// Total wall-clock budget in seconds (0: none). Exceeding it gives `.undecided`.
        public var timeout: Double = 0
        /// Start a fresh solver (cones are re-encoded lazily) after this many
        /// sweeping queries, if it holds more than `solverRecycleFactor` times
        /// the nodes of the next query's cone. 0 = never. Default 100 and 10
        /// (built-in solver): log2 vs its heavily restructured version 2.1 s
        /// (every 200 queries: 5.3 s, its budget-outs grind through a big
        /// clause database), voter 1.5 s (every 200: 1.1 s), mem_ctrl 0.52 s
        /// either way; never: mem_ctrl 1.1 s.
        public var solverRecycleCalls = 100
        public var solverRecycleFactor = 10
        /// The same for Z3 (`satEngine = .z3`), default 60: a bloated Z3
        /// solver made each call ~2 ms (mem_ctrl 14 s → 2.9 s).
        public var z3SolverRecycleCalls = 60
        /// Which SAT solver answers sweeping and output queries (`SATEngine`):
        /// the built-in CDCL solver (`SmallSAT`: no per-call overhead, ~15 µs
        /// a small query), CaDiCaL, Z3, or `auto`: per query, the built-in
        /// solver for queries within `autoLargeQueryConflicts` conflicts on
        /// cones of at most `autoLargeQueryCone` ANDs, CaDiCaL for the rest.
        public enum SATEngine: String, Sendable, CaseIterable { case auto, builtin, cadical, z3 }
        public var satEngine: SATEngine = .auto
        /// Default 500: sweeping queries (50, then 500 conflicts) stay on the
        /// built-in solver, output queries (2,000 in the quick pass, then
        /// unbounded) go to CaDiCaL. Hard-suite pairs, median of 3, one job:
        /// sin vs two LUT/mfs rounds 1.20 s → 0.76 s, mem_ctrl 1.76 → 1.87 s,
        /// voter 1.16 → 1.21 s. At 50 (retries on CaDiCaL too) voter gains
        /// (0.73 s) but mem_ctrl loses (3.58 s); CaDiCaL for every query: mem_ctrl 2.64 s, sin (&-flow) 3.08 s.
        public var autoLargeQueryConflicts: UInt32 = 500
        public var autoLargeQueryCone = 1 << 30
        /// Threads for the portfolio: with 2 or more, a whole-miter CaDiCaL
        /// attempt runs beside SAT sweeping once the check gets that far;
        /// the first honest verdict wins and the other is stopped.
        public var jobs = 1
        /// The whole-miter attempt starts only after sweeping has run this
        /// many seconds: most checks end sooner, and the second thread
        /// costs them ~10% (memory bandwidth, a busy second core).
        public var portfolioDelay = 1.0
        /// Z3 logic for the solver: `QF_FD` selects Z3's SAT core; nil the default solver.
        public var solverLogic: String? = "QF_FD"
        /// Keep the trail of lemmas an `equivalent` verdict rests on (for
        /// `certify`): merges in topological order and how each output was
        /// proved. The whole-miter portfolio attempt is off then (its proof is
        /// one monolithic UNSAT answer, not a list of lemmas).
        public var recordProof = false
        public var matching: PortMatching.Mode = .auto
        public var allowExtraInputs = false
        /// How the registers of sequential circuits are paired (`RegisterMatching`).
        public var registerMatching = RegisterMatching.Params()
        /// Unpaired registers become free inputs with unchecked next states instead of an error.
        public var allowUnmatchedRegisters = false
        public init() {}
    }

    public struct Stats: Sendable, Equatable {
        public var miterAnds = 0
        public var inputs = 0
        public var outputs = 0
        public var simulationSeconds = 0.0
        public var exhaustiveSeconds = 0.0
        public var bddSeconds = 0.0
        /// BDD nodes built over the variable orders tried (0: not tried); decided by BDD when `decidedBy` says so.
        public var bddNodes = 0
        public var sweepSeconds = 0.0
        public var outputSeconds = 0.0
        public var totalSeconds = 0.0
        public var simulationRounds = 0
        public var satCalls = 0
        public var satSat = 0
        public var satUnsat = 0
        public var satUnknown = 0
        public var candidatePairs = 0
        public var nodesMerged = 0
        /// Candidate pairs decided by exhaustive simulation of their cones (joint support ≤ 16 inputs).
        public var localProofs = 0
        public var localRefutations = 0
        /// Pairs proved equal over a small common cut (no solver).
        public var cutProofs = 0
        /// Quick passes given up because an output proof ran out of budget.
        public var quickPassesAbandoned = 0
        /// Merges the full pass took over from an abandoned quick pass.
        public var reusedMerges = 0
        /// Fresh solvers started during sweeping (see `Params.solverRecycleCalls`).
        public var solverRecycles = 0
        /// Candidate pairs separated by a justified input vector (no solver).
        public var justifiedRefutations = 0
        public var classes = 0
        public var fraigAnds = 0
        public var outputsProvedStructurally = 0
        public var decidedBy = ""
        /// Solver calls answered by each engine (`auto` splits them).
        public var builtinCalls = 0
        public var cadicalCalls = 0
        public var z3Calls = 0
        /// The engine and portfolio threads the check ran with.
        public var satEngine = ""
        public var jobs = 1
        /// The whole-miter attempt starts only after sweeping has run this
        /// many seconds: most checks end sooner, and the second thread
        /// costs them ~10% (memory bandwidth, a busy second core).
        public var portfolioDelay = 1.0
        /// Wall time the whole-miter CaDiCaL attempt ran beside sweeping (0: not started).
        public var portfolioSeconds = 0.0
        /// `--certify`: time listing the lemmas (dependency walks) and writing the file, after the check (0: no certificate).
        public var certificateSeconds = 0.0
        public var latchesCut = 0
        /// Inputs of one circuit only that drive nothing, matched without `allowExtraInputs`.
        public var unusedInputsIgnored: [String] = []
        /// How the registers were paired (nil: both circuits combinational).
        public var registers: RegisterMatching? = nil
        public init() {}
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case ports(String)
        /// A solver model that does not replay on the original circuits: a bug, never reported as a verdict.
        case unconfirmedCounterexample(String)
        public var description: String {
            switch self {
            case .ports(let m): return m
            case .unconfirmedCounterexample(let m): return "internal error: unconfirmed counterexample (\(m)); no verdict given"
            }
        }
    }

    public var params: Params
    public init(params: Params = Params()) { self.params = params }

    public func check(_ a: AIG, _ b: AIG) throws(Failure) -> (CheckResult, Stats) {
        var run = CheckRun(params: params)
        return try run.check(a, b)
    }
}

/// Monotonic seconds.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// One check: holds the miter, simulation state and the solver.
struct CheckRun {
    typealias Failure = EquivalenceChecker.Failure
    let params: EquivalenceChecker.Params
    var stats = EquivalenceChecker.Stats()
    /// The miter of the last check, and (with `Params.recordProof`) the proof trail.
    var miter: Miter? = nil
    var trail = ProofTrail()
    var start = 0.0
    var deadline = Double.infinity

    init(params: EquivalenceChecker.Params) { self.params = params }

    var timedOut: Bool { now() > deadline }

    mutating func check(_ a0: AIG, _ b0: AIG) throws(Failure) -> (CheckResult, EquivalenceChecker.Stats) {
        start = now()
        if params.timeout > 0 { deadline = start + params.timeout }
        stats.latchesCut = max(a0.latchCount, b0.latchCount)
        stats.satEngine = params.satEngine.rawValue
        stats.jobs = params.jobs
        let a = a0.cuttingLatches(), b = b0.cuttingLatches()
        let matching: PortMatching
        do {
            (matching, stats.registers) = try PortMatching.matchCut(
                a0, b0, mode: params.matching, allowExtraInputs: params.allowExtraInputs,
                registers: params.registerMatching, allowUnmatched: params.allowUnmatchedRegisters)
        } catch {
            throw .ports(error.message)
        }
        stats.unusedInputsIgnored = matching.unusedInputsIgnored
        let miter = Miter(a, b, inputOfB: matching.inputOfB, sharedInputCount: matching.sharedInputCount,
                          outputPairs: matching.outputPairs, inputNames: matching.inputNames)
        self.miter = miter
        stats.miterAnds = miter.aig.andCount
        stats.inputs = miter.aig.inputCount
        stats.outputs = miter.outputPairs.count
        let context = Context(a: a, b: b, matching: matching, miter: miter)
        let result = try decide(context)
        stats.totalSeconds = now() - start
        return (result, stats)
    }

    struct Context {
        let a: AIG, b: AIG
        let matching: PortMatching
        let miter: Miter
    }

    mutating func decide(_ c: Context) throws(Failure) -> CheckResult {
        let m = c.miter.aig
        // Outputs identical after structural hashing need nothing more.
        let open = c.miter.outputPairs.indices.filter { c.miter.outputPairs[$0].a != c.miter.outputPairs[$0].b }
        stats.outputsProvedStructurally = c.miter.outputPairs.count - open.count
        trail = ProofTrail()
        if params.recordProof {
            for (k, p) in c.miter.outputPairs.enumerated() where p.a == p.b { trail.outputs.append((k, .structural, [])) }
        }
        if open.isEmpty { stats.decidedBy = "structural hashing"; return .equivalent }

        // 1. Random simulation: a short probe for differences, then the full round. Skipped
        // where all 2^n patterns are no more than the full round's: exhaustive simulation
        // (step 2) then costs less and decides (25,000 8-input circuits: dedup proving 240 -> 130 ms).
        let exhaustiveFirst = m.inputCount <= params.exhaustiveInputLimit && m.inputCount < 62
            && (1 << m.inputCount) <= 64 * params.simulationWords
        params.progress?("simulation", 0, 1)
        var t = now()
        var sim = Simulator()
        let probe = params.probeWords > 0 && params.probeWords < params.simulationWords
        for words in exhaustiveFirst ? [] : probe ? [params.probeWords, params.simulationWords] : [params.simulationWords] {
            simulateMixedDensity(&sim, m, words: words, seed: params.seed)
            stats.simulationRounds += 1
            if let cex = firstDifference(sim, c.miter, open) {
                stats.simulationSeconds = now() - t
                stats.decidedBy = "simulation"
                return .notEquivalent(try confirm(cex, c))
            }
        }
        stats.simulationSeconds = now() - t
        params.progress?("simulation", 1, 1)

        // 2. Exhaustive simulation for few inputs.
        if m.inputCount <= params.exhaustiveInputLimit {
            params.progress?("exhaustive", 0, 1)
            t = now()
            defer { stats.exhaustiveSeconds = now() - t }
            stats.decidedBy = "exhaustive simulation"
            for k in open { trail.outputs.append((k, .exhaustive, [])) }
            guard let all = PatternSet.exhaustive(inputCount: m.inputCount) else { return .equivalent }
            var ex = Simulator()
            ex.simulate(m, patterns: all, cone: open.map { m.outputs[$0] })
            stats.simulationRounds += 1
            if let cex = firstDifference(ex, c.miter, open, validPatterns: all.count) {
                return .notEquivalent(try confirm(cex, c))
            }
            return .equivalent
        }

        // 2b. BDDs for more inputs, when they stay small.
        if params.bddNodeLimit > 0 && !timedOut {
            params.progress?("BDD", 0, 1)
            t = now()
            let verdict = decideByBDD(c, open)
            stats.bddSeconds = now() - t
            params.progress?("BDD", 1, 1)
            switch verdict {
            case .equivalent?:
                stats.decidedBy = "BDD"
                for k in open { trail.outputs.append((k, .bdd, [])) }
                return .equivalent
            case .differs(let vector)?: stats.decidedBy = "BDD"; return .notEquivalent(try confirm(vector, c))
            case nil: break
            }
        }

        // 3. SAT sweeping, then 4. output proofs. A quick pass with small
        // sweeping budgets decides most pairs; when one of its output proofs
        // runs out of budget (unmerged nodes made the outputs hard), a full
        // pass starts over with the configured budgets.
        let budget = CheckBudget(deadline: deadline)
        let rival = WholeMiterAttempt(miter: m, pairs: open.map { (c.miter.outputPairs[$0].a, c.miter.outputPairs[$0].b) },
                                      deadline: deadline, rival: budget, delay: params.portfolioDelay)
        if params.jobs >= 2 && !params.recordProof { rival.start() }
        let verdict = try sweepAndProve(c, open, sim, budget)
        let other = rival.stop()
        stats.portfolioSeconds = rival.seconds
        if budget.isCancelled {
            switch other {
            case .equivalent: stats.decidedBy = "CaDiCaL on the whole miter (portfolio)"; return .equivalent
            case .differs(let vector):
                stats.decidedBy = "CaDiCaL on the whole miter (portfolio)"
                return .notEquivalent(try confirm(vector, c))
            case .undecided: break
            }
        }
        return verdict
    }

    /// SAT sweeping, then the output proofs, under `budget`.
    mutating func sweepAndProve(_ c: Context, _ open: [Int], _ sim: Simulator, _ budget: CheckBudget) throws(Failure) -> CheckResult {
        let m = c.miter.aig
        var passes: [(sweep: UInt32, output: UInt32, final: Bool)] = []
        if params.quickPassSweepConflictLimit > 0 && params.quickPassOutputConflictLimit > 0
            && (params.sweepConflictLimit == 0 || params.quickPassSweepConflictLimit < params.sweepConflictLimit) {
            passes.append((params.quickPassSweepConflictLimit, params.quickPassOutputConflictLimit, false))
        }
        passes.append((params.sweepConflictLimit, params.outputConflictLimit, true))
        var openNames: [String] = []
        var undecidedReason = ""
        var earlier: Sweeper? = nil
        var provedOutputs = Set<Int>()
        for pass in passes {
            var p = params
            p.sweepConflictLimit = pass.sweep
            var sweeper = Sweeper(miter: m, params: p, budget: budget, sim: sim)
            // A full pass after an abandoned quick one keeps its proofs and counterexamples.
            if let earlier { sweeper.inherit(from: earlier) }
            if params.recordProof && params.jobs >= 2 { sweeper.lemmaFeed = LemmaPipeline(m) }
            // A quick pass where most queries run out of budget will not
            // finish either: give it up early.
            if !pass.final { sweeper.abandonAtBudgetOutShare = 0.45 }
            let sweepStart = now()
            if params.sweep { sweeper.sweep(roots: open.map { m.outputs[$0] }) } else { sweeper.mapWithoutSweeping() }
            stats.sweepSeconds += now() - sweepStart
            if sweeper.abandoned {
                copyStats(sweeper)
                stats.quickPassesAbandoned += 1
                earlier = sweeper
                continue
            }
            let outputStart = now()
            openNames = []
            var stalled = false
            for k in open where !provedOutputs.contains(k) {
                params.progress?("outputs", provedOutputs.count, open.count)
                let pair = c.miter.outputPairs[k]
                switch sweeper.proveMiterLiterals(pair.a, pair.b, conflictLimit: pass.output) {
                case .unsat:
                    provedOutputs.insert(k)
                    if params.recordProof {
                        trail.outputs.append((k, sweeper.lastProofMethod, sweeper.lastProofMethod == .cut ? sweeper.lastProofCut : []))
                    }
                    continue
                case .sat(let vector):
                    stats.outputSeconds += now() - outputStart
                    copyStats(sweeper)
                    stats.decidedBy = "SAT (output \(c.matching.outputNames[k]))"
                    return .notEquivalent(try confirm(vector, c))
                case .unknown(let reason):
                    if !pass.final && !budget.expired { stalled = true; break }
                    openNames.append(c.matching.outputNames[k])
                    undecidedReason = reason
                }
                if stalled { break }
            }
            stats.outputSeconds += now() - outputStart
            params.progress?("outputs", provedOutputs.count, open.count)
            copyStats(sweeper)
            if stalled { stats.quickPassesAbandoned += 1; earlier = sweeper; continue }
            trail.merges = sweeper.mergeLog.map { (Int($0.variable), $0.target, $0.method, $0.cut) }
            trail.mergeDependencies = sweeper.lemmaFeed?.finish(merges: sweeper.mergeLog.map { ($0.variable, Int32($0.target.variable)) })
            break
        }
        if openNames.isEmpty { stats.decidedBy = "SAT sweeping"; return .equivalent }
        return .undecided(reason: undecidedReason, openOutputs: openNames)
    }

    enum BDDVerdict { case equivalent, differs([Bool]) }

    /// The facts an `equivalent` verdict rests on (`Params.recordProof`).
    struct ProofTrail {
        /// Miter variable, the literal of the earlier node it equals, how it was proved; topological order.
        var merges: [(variable: Int, target: Literal, method: ProofMethod, cut: [Int])] = []
        var outputs: [(output: Int, method: ProofMethod, cut: [Int])] = []
        /// The merges' dependency lists when `LemmaPipeline` walked them during the sweep.
        var mergeDependencies: [[Int]]? = nil
    }

    /// Exact decision with reduced ordered BDDs of the open output pairs:
    /// equal edges prove a pair, a satisfying path of their XOR is a
    /// counterexample. Two variable orders, each within `bddNodeLimit`:
    /// input k at level k, then inputs by descending fanout (control inputs
    /// such as a barrel shifter's shift amount first: bar vs a LUT remapping
    /// needs 2.4 M nodes in file order and is decided in ~3 ms this way, where
    /// SAT sweeping took 0.55 s). nil when both outgrow the limit.
    mutating func decideByBDD(_ c: Context, _ open: [Int]) -> BDDVerdict? {
        let m = c.miter.aig
        let roots = open.flatMap { [c.miter.outputPairs[$0].a, c.miter.outputPairs[$0].b] }
        let fileOrder = (0..<m.inputCount).map { $0 + 1 }
        var fanout = [Int](repeating: 0, count: m.inputCount + 1)
        for f in m.ands {
            if f.left.variable != 0 && Int(f.left.variable) <= m.inputCount { fanout[Int(f.left.variable)] += 1 }
            if f.right.variable != 0 && Int(f.right.variable) <= m.inputCount { fanout[Int(f.right.variable)] += 1 }
        }
        let byFanout = fileOrder.sorted { fanout[$0] != fanout[$1] ? fanout[$0] > fanout[$1] : $0 < $1 }
        // The second order only where some inputs have well above the median
        // fanout (1.5×): otherwise it is no better and costs another ~2 ms
        // (adder: every input alike).
        let skewed = m.inputCount > 0 && 2 * fanout[byFanout[0]] >= 3 * max(1, fanout[byFanout[m.inputCount / 2]])
        stats.bddNodes = 0
        for order in skewed && byFanout != fileOrder ? [fileOrder, byFanout] : [fileOrder] {
            var bdd = BDDManager(nodeLimit: params.bddNodeLimit)
            let built = bdd.buildCone(m, patternVariables: order, roots: roots)
            stats.bddNodes += bdd.nodeCount
            guard let (nodeEdges, inCone) = built else { continue }
            let edges = BDDManager.edges(of: roots, in: nodeEdges)
            for k in 0..<open.count where edges[2 * k] != edges[2 * k + 1] {
                let (f, g) = (edges[2 * k], edges[2 * k + 1])
                // f ∧ ¬g or ¬f ∧ g is satisfiable (canonical BDDs of different functions).
                guard let d = bdd.and(f, g ^ 1), let e = bdd.and(f ^ 1, g) else { return nil }
                guard let byLevel = bdd.satisfyingAssignment(d != BDDManager.zero ? d : e, levels: m.inputCount) else { return nil }
                var vector = [Bool](repeating: false, count: m.inputCount)
                for (level, v) in order.enumerated() { vector[v - 1] = byLevel[level] }
                return .differs(vector)
            }
            if params.recordProof { trail.merges = Self.bddMerges(m, edges: nodeEdges, inCone: inCone, bddNodes: bdd.nodeCount) }
            return .equivalent
        }
        return nil
    }

    /// The merges a BDD proof rests on, for a certificate: in topological
    /// order, every AND of the cone whose BDD node an earlier node (the
    /// constant, an input or an AND) already has, merged into the first such
    /// node. With them applied, both sides of every output pair hash to one
    /// node, and each merge is a small query for the certificate checker
    /// (its fanins are already merged), not the raw output cones.
    static func bddMerges(_ m: AIG, edges: [BDDManager.Edge], inCone: [Bool], bddNodes: Int) -> [(variable: Int, target: Literal, method: ProofMethod, cut: [Int])] {
        var firstVariable = [Int32](repeating: -1, count: bddNodes)
        var merges: [(variable: Int, target: Literal, method: ProofMethod, cut: [Int])] = []
        for v in 0...m.maxVariable where v == 0 || inCone[v] {
            let e = edges[v], n = BDDManager.node(of: e)
            let r = Int(firstVariable[n])
            if r < 0 { firstVariable[n] = Int32(v); continue }
            guard v >= m.firstAndVariable else { continue }   // inputs have distinct BDD variables
            merges.append((v, Literal(variable: UInt32(r), complemented: (e ^ edges[r]) & 1 == 1), .bdd, []))
        }
        return merges
    }

    /// Seeded patterns with mixed densities of ones (1/2 … 1/128 and their
    /// complements, as the functional hash uses): rare conditions such as long
    /// AND chains show up, so fewer false candidates reach the solver.
    func simulateMixedDensity(_ sim: inout Simulator, _ m: AIG, words: Int, seed: UInt64) {
        sim.prepare(m, words: words)
        for i in 0..<m.inputCount {
            var rng = Patterns.stream(seed: seed, input: i)
            sim.withInputWords(i) { buf in
                for w in 0..<buf.count { buf[w] = Patterns.mixedDensityWord(&rng, word: w) }
            }
        }
        sim.run(m)
    }

    /// Adds one pass's sweeper counts to the stats (a check may run two passes).
    mutating func copyStats(_ s: Sweeper) {
        stats.satCalls += s.satCalls; stats.satSat += s.satSat; stats.satUnsat += s.satUnsat
        stats.satUnknown += s.satUnknown; stats.nodesMerged = s.merged; stats.candidatePairs += s.candidates
        stats.localProofs += s.localUnsat; stats.localRefutations += s.localSat; stats.cutProofs += s.cutProofs
        stats.justifiedRefutations += s.justified
        stats.reusedMerges += s.reusedMerges
        stats.solverRecycles += s.recycles
        let counts = s.solvers.counts
        stats.builtinCalls += counts.builtinCalls; stats.cadicalCalls += counts.cadicalCalls; stats.z3Calls += counts.z3Calls
        stats.classes = s.classCount; stats.fraigAnds = s.fraig.aig.andCount
        stats.simulationRounds += s.cexBatches
    }

    /// The first pattern on which an open output pair differs, as a shared input vector.
    func firstDifference(_ sim: Simulator, _ miter: Miter, _ open: [Int], validPatterns: Int? = nil) -> [Bool]? {
        let w = sim.wordsPerVariable
        for k in open {
            let p = miter.outputPairs[k]
            for i in 0..<w {
                var diff = sim.word(p.a, i) ^ sim.word(p.b, i)
                if let n = validPatterns, n < (i + 1) * 64 { diff &= n <= i * 64 ? 0 : (UInt64.max >> UInt64(64 - (n - i * 64))) }
                if diff != 0 {
                    let bit = diff.trailingZeroBitCount
                    return (0..<miter.aig.inputCount).map { sim.value(Literal(variable: UInt32($0 + 1)), pattern: i * 64 + bit) }
                }
            }
        }
        return nil
    }

    /// Replays a shared input vector on both original (latch-cut) circuits and
    /// lists the differing outputs; no difference means a bug, reported as an error.
    func confirm(_ vector: [Bool], _ c: Context) throws(Failure) -> Counterexample {
        let inputsA = Array(vector[0..<c.a.inputCount])
        let inputsB = c.matching.inputOfB.map { vector[$0] }
        let outA: [Bool], outB: [Bool]
        do {
            outA = try evaluate(c.a, inputs: inputsA)
            outB = try evaluate(c.b, inputs: inputsB)
        } catch { throw .unconfirmedCounterexample("\(error)") }
        var diffs: [Counterexample.Difference] = []
        for (k, (i, j)) in c.matching.outputPairs.enumerated() where outA[i] != outB[j] {
            diffs.append(.init(output: c.matching.outputNames[k], valueA: outA[i], valueB: outB[j], indexA: i, indexB: j))
        }
        if diffs.isEmpty { throw .unconfirmedCounterexample("no output differs when replayed") }
        return Counterexample(inputNames: c.matching.inputNames, inputs: vector, inputsA: inputsA,
                              inputsB: inputsB, differences: diffs,
                              assumedStates: c.matching.registerInputs.map { .init(register: c.matching.inputNames[$0], value: vector[$0]) })
    }
}
