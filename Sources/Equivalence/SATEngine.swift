import AIG
import CCaDiCaL
import CZ3
#if canImport(Glibc)
import Glibc
#endif

// The SAT-engine protocol that SAT sweeping and the output proofs talk to,
// with three solvers behind it (the built-in CDCL solver, CaDiCaL, Z3) and
// the `auto` engine that picks one per query. Each solver is a small
// `ClauseBackend`; the Tseitin encoding of AIG cones, the two-direction
// equivalence query and reading the model are written once, in `CNFEngine`.

/// The outcome of "can these two literals differ?".
enum EngineAnswer {
    case unsat
    /// Input vector (miter input order) on which they differ; inputs outside the query's cone are false.
    case sat([Bool])
    case unknown(String)
}

/// Solver calls per engine, for stats.
struct SATCounts: Sendable, Equatable {
    var calls = 0, sat = 0, unsat = 0, unknown = 0
    /// Calls answered by each concrete solver (the `auto` engine splits them).
    var builtinCalls = 0, cadicalCalls = 0, z3Calls = 0
}

/// What the sweeper and the output proofs ask of a SAT solver over one AIG
/// that only grows (the fraig): encode cones lazily, solve under
/// assumptions with a conflict budget, read the model of the cone's inputs,
/// start afresh.
protocol SATEngine: AnyObject {
    /// Can AIG literals `x` and `y` differ? `cone` holds the query's cone
    /// (collected on `aig` for both literals); each of the two directions
    /// gets `conflictLimit` conflicts (0: none, bounded by `budget`). A proved
    /// direction stays in the solver as a clause.
    func differ(_ x: Literal, _ y: Literal, in aig: AIG, inputCount: Int, cone: ConeCollector,
                conflictLimit: UInt32, budget: CheckBudget) -> EngineAnswer
    /// Forgets every clause; cones are re-encoded lazily afterwards.
    func reset()
    /// AND nodes encoded since the last reset (over all solvers it holds).
    var encodedNodes: Int { get }
    var counts: SATCounts { get }
}

/// The wall-clock budget of one check, and a flag another thread sets to
/// stop it (the portfolio's loser). Shared by reference between threads.
final class CheckBudget: @unchecked Sendable {
    let deadline: Double
    private var lock = pthread_mutex_t()
    private var cancelled = false

    init(deadline: Double) {
        self.deadline = deadline
        pthread_mutex_init(&lock, nil)
    }
    deinit { pthread_mutex_destroy(&lock) }

    func cancel() {
        pthread_mutex_lock(&lock); cancelled = true; pthread_mutex_unlock(&lock)
    }
    var isCancelled: Bool {
        pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
        return cancelled
    }
    /// Past the deadline or cancelled.
    var expired: Bool { now() > deadline || isCancelled }
    var remaining: Double { deadline - now() }
    var reason: String { isCancelled ? "stopped (another engine decided first)" : "timeout" }
}

/// One incremental SAT solver with literals `2 * variable + negated`.
protocol ClauseBackend: AnyObject {
    static var kind: EquivalenceChecker.Params.SATEngine { get }
    func newVariable() -> Int32
    func addClause(_ a: Int32)
    func addClause(_ a: Int32, _ b: Int32)
    func addClause(_ a: Int32, _ b: Int32, _ c: Int32)
    /// `branchOn`: variables of the query's cone (closed under fanins); a
    /// solver may restrict branching to them (see `SmallSAT.solve`).
    func solve(_ assumptions: [Int32], conflictLimit: UInt32, branchOn: [Int32], budget: CheckBudget) -> SolverAnswer
    /// Model values after `.sat`.
    func values(_ variables: [Int32]) -> [Bool]
    func reset()
}

/// Tseitin encoding of AIG cones into one backend, and the equivalence query.
final class CNFEngine<Backend: ClauseBackend>: SATEngine {
    let backend: Backend
    /// AIG variable → solver variable (-1: not encoded yet).
    private(set) var solverVariables: [Int32] = []
    private(set) var encodedNodes = 0
    private(set) var counts = SATCounts()
    private var branch: [Int32] = []

    init(_ backend: Backend) { self.backend = backend }

    func reset() {
        backend.reset()
        solverVariables.removeAll(keepingCapacity: true)
        encodedNodes = 0
    }

    /// The solver literal of an AIG literal, adding the clauses of its cone on first use.
    func encode(_ l: Literal, in aig: AIG, inputCount: Int) -> Int32 {
        let needed = aig.maxVariable + 1
        if solverVariables.count < needed {
            solverVariables.append(contentsOf: repeatElement(-1, count: needed - solverVariables.count))
        }
        forEachUnencodedVariable(aig, Int(l.variable), inputCount: inputCount,
                                 isEncoded: { solverVariables[$0] >= 0 },
                                 leaf: { v in
                                     let x = backend.newVariable()
                                     if v == 0 { backend.addClause(2 * x + 1) }   // constant false
                                     solverVariables[v] = x
                                 },
                                 and: { v, f in
                                     let node = backend.newVariable()
                                     encodedNodes += 1
                                     let n = 2 * node, a = solverLiteral(f.left), b = solverLiteral(f.right)
                                     // node → a, node → b, a ∧ b → node.
                                     backend.addClause(n ^ 1, a)
                                     backend.addClause(n ^ 1, b)
                                     backend.addClause(n, a ^ 1, b ^ 1)
                                     solverVariables[v] = node
                                 })
        return solverLiteral(l)
    }

    /// Callers have encoded the variable.
    func solverLiteral(_ l: Literal) -> Int32 { 2 * solverVariables[Int(l.variable)] + (l.isComplemented ? 1 : 0) }

    func differ(_ x: Literal, _ y: Literal, in aig: AIG, inputCount: Int, cone: ConeCollector,
                conflictLimit: UInt32, budget: CheckBudget) -> EngineAnswer {
        let ex = encode(x, in: aig, inputCount: inputCount), ey = encode(y, in: aig, inputCount: inputCount)
        branch.removeAll(keepingCapacity: true)
        for v in cone.ands { branch.append(solverVariables[Int(v)]) }
        for v in cone.inputs { branch.append(solverVariables[Int(v)]) }
        for (p, q) in [(ex, ey ^ 1), (ex ^ 1, ey)] {
            counts.calls += 1
            switch Backend.kind {
            case .builtin: counts.builtinCalls += 1
            case .cadical: counts.cadicalCalls += 1
            case .z3: counts.z3Calls += 1
            case .auto: break
            }
            switch backend.solve([p, q], conflictLimit: conflictLimit, branchOn: branch, budget: budget) {
            case .unsat:
                counts.unsat += 1
                backend.addClause(p ^ 1, q ^ 1)
            case .sat:
                counts.sat += 1
                let inputs = cone.inputs.filter { solverVariables[Int($0)] >= 0 }
                let values = backend.values(inputs.map { solverVariables[Int($0)] })
                var vector = [Bool](repeating: false, count: inputCount)
                for (k, v) in inputs.enumerated() { vector[Int(v) - 1] = values[k] }
                return .sat(vector)
            case .unknown(let why):
                counts.unknown += 1
                return .unknown(budget.expired ? budget.reason : "solver budget exhausted (\(conflictLimit) conflicts\(why.isEmpty ? "" : ", \(why)"))")
            }
        }
        return .unsat
    }
}

/// Visits the AIG variables under `root` that are not encoded yet, fanins
/// first: inputs and the constant go to `leaf`, ANDs to `and`, each of which
/// must encode the variable.
func forEachUnencodedVariable(_ aig: AIG, _ root: Int, inputCount: Int, isEncoded: (Int) -> Bool,
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

/// Picks a solver per query: the built-in solver for small-budget queries
/// on small cones (no per-call overhead: ~15 µs a query), CaDiCaL for the
/// rest (unbounded output proofs, large budgets, large cones), where its
/// preprocessing and heuristics pay for its per-call cost. Each solver
/// encodes the cones it is asked about.
final class AutoEngine: SATEngine {
    let builtin = CNFEngine(BuiltinBackend())
    let cadical = CNFEngine(CaDiCaLBackend())
    let largeBudget: UInt32
    let largeCone: Int

    init(largeBudget: UInt32, largeCone: Int) {
        self.largeBudget = largeBudget
        self.largeCone = largeCone
    }

    func differ(_ x: Literal, _ y: Literal, in aig: AIG, inputCount: Int, cone: ConeCollector,
                conflictLimit: UInt32, budget: CheckBudget) -> EngineAnswer {
        let large = conflictLimit == 0 || conflictLimit > largeBudget || cone.ands.count > largeCone
        return (large ? cadical as SATEngine : builtin).differ(x, y, in: aig, inputCount: inputCount, cone: cone,
                                                            conflictLimit: conflictLimit, budget: budget)
    }
    func reset() { builtin.reset(); cadical.reset() }
    var encodedNodes: Int { builtin.encodedNodes + cadical.encodedNodes }
    var counts: SATCounts {
        let a = builtin.counts, b = cadical.counts
        return SATCounts(calls: a.calls + b.calls, sat: a.sat + b.sat, unsat: a.unsat + b.unsat, unknown: a.unknown + b.unknown,
                         builtinCalls: a.builtinCalls, cadicalCalls: b.cadicalCalls, z3Calls: 0)
    }
}

/// The engine `params.satEngine` names.
func makeSATEngine(_ params: EquivalenceChecker.Params) -> SATEngine {
    switch params.satEngine {
    case .builtin: return CNFEngine(BuiltinBackend())
    case .cadical: return CNFEngine(CaDiCaLBackend())
    case .z3: return CNFEngine(Z3Backend(logic: params.solverLogic))
    case .auto: return AutoEngine(largeBudget: params.autoLargeQueryConflicts, largeCone: params.autoLargeQueryCone)
    }
}

// MARK: - Backends

/// The built-in CDCL solver (`SmallSAT`).
final class BuiltinBackend: ClauseBackend {
    static var kind: EquivalenceChecker.Params.SATEngine { .builtin }
    var sat = SmallSAT()

    func newVariable() -> Int32 { sat.newVariable() }
    func addClause(_ a: Int32) { sat.addClause(a) }
    func addClause(_ a: Int32, _ b: Int32) { sat.addClause(a, b) }
    func addClause(_ a: Int32, _ b: Int32, _ c: Int32) { sat.addClause(a, b, c) }
    func reset() { sat.reset() }
    func values(_ variables: [Int32]) -> [Bool] { variables.map { sat.modelValue($0) } }

    func solve(_ assumptions: [Int32], conflictLimit: UInt32, branchOn: [Int32], budget: CheckBudget) -> SolverAnswer {
        // The budget in slices, so that the deadline holds for unlimited queries too.
        var left = conflictLimit == 0 ? Int.max : Int(conflictLimit)
        while left > 0 {
            let slice = min(left, 5_000)
            switch sat.solve(assumptions: assumptions, conflictLimit: slice, decisionVariables: branchOn) {
            case .sat: return .sat
            case .unsat: return .unsat
            case .unknown: break
            }
            left -= slice
            if budget.expired { break }
        }
        return .unknown("")
    }
}

/// CaDiCaL through its C API (Debian `libcadical-dev`). The budget is
/// enforced by CaDiCaL's terminate callback, which also reads the
/// portfolio's stop flag.
final class CaDiCaLBackend: ClauseBackend {
    static var kind: EquivalenceChecker.Params.SATEngine { .cadical }
    private var solver: OpaquePointer
    private var variableCount: Int32 = 0
    /// What the terminate callback reads (a stable address for C).
    private final class Termination { var budget: CheckBudget? = nil }
    private let termination = Termination()

    init() {
        solver = ccadical_init()
        configure()
    }
    deinit { ccadical_release(solver) }

    private func configure() {
        // Terse: CaDiCaL prints nothing unless asked, but be explicit.
        ccadical_set_option(solver, "quiet", 1)
        let state = Unmanaged.passUnretained(termination).toOpaque()
        ccadical_set_terminate(solver, state) { raw in
            guard let raw else { return 0 }
            let t = Unmanaged<Termination>.fromOpaque(raw).takeUnretainedValue()
            return (t.budget?.expired ?? false) ? 1 : 0
        }
    }

    @inline(__always) private func dimacs(_ l: Int32) -> Int32 { (l & 1) == 1 ? -((l >> 1) + 1) : (l >> 1) + 1 }

    func newVariable() -> Int32 { variableCount += 1; return variableCount - 1 }
    func addClause(_ a: Int32) { ccadical_add(solver, dimacs(a)); ccadical_add(solver, 0) }
    func addClause(_ a: Int32, _ b: Int32) {
        ccadical_add(solver, dimacs(a)); ccadical_add(solver, dimacs(b)); ccadical_add(solver, 0)
    }
    func addClause(_ a: Int32, _ b: Int32, _ c: Int32) {
        ccadical_add(solver, dimacs(a)); ccadical_add(solver, dimacs(b)); ccadical_add(solver, dimacs(c)); ccadical_add(solver, 0)
    }
    func addClause(_ lits: [Int32]) {
        for l in lits { ccadical_add(solver, dimacs(l)) }
        ccadical_add(solver, 0)
    }

    func solve(_ assumptions: [Int32], conflictLimit: UInt32, branchOn: [Int32], budget: CheckBudget) -> SolverAnswer {
        if budget.expired { return .unknown("") }
        for a in assumptions { ccadical_assume(solver, dimacs(a)) }
        // The limit holds for the next call only; -1 lifts it.
        ccadical_limit(solver, "conflicts", conflictLimit == 0 ? -1 : Int32(clamping: conflictLimit))
        termination.budget = budget
        defer { termination.budget = nil }
        switch ccadical_solve(solver) {
        case 10: return .sat
        case 20: return .unsat
        default: return .unknown("")
        }
    }

    func values(_ variables: [Int32]) -> [Bool] { variables.map { ccadical_val(solver, $0 + 1) > 0 } }

    func reset() {
        ccadical_release(solver)
        solver = ccadical_init()
        variableCount = 0
        configure()
    }
}

/// Z3's solver (the SAT core with logic `QF_FD`), clause by clause.
final class Z3Backend: ClauseBackend {
    static var kind: EquivalenceChecker.Params.SATEngine { .z3 }
    private let logic: String?
    /// Created on first use: a context costs 7–20 ms.
    private var z3: Z3Solver? = nil
    private var terms: [Z3_ast] = []
    private var conflictLimitSet: UInt32? = nil

    init(logic: String?) { self.logic = logic }

    private var solver: Z3Solver {
        if let z3 { return z3 }
        let s = Z3Solver(logic: logic)
        z3 = s
        return s
    }
    private func term(_ l: Int32) -> Z3_ast {
        let t = terms[Int(l >> 1)]
        return (l & 1) == 1 ? solver.not(t) : t
    }

    func newVariable() -> Int32 {
        terms.append(solver.boolVariable(id: Int32(terms.count + 1)))
        return Int32(terms.count - 1)
    }
    func addClause(_ a: Int32) { solver.assert(term(a)) }
    func addClause(_ a: Int32, _ b: Int32) { solver.assert(solver.or(term(a), term(b))) }
    func addClause(_ a: Int32, _ b: Int32, _ c: Int32) { solver.assert(solver.or3(term(a), term(b), term(c))) }

    func solve(_ assumptions: [Int32], conflictLimit: UInt32, branchOn: [Int32], budget: CheckBudget) -> SolverAnswer {
        let remaining = budget.remaining
        if remaining <= 0 || budget.isCancelled { return .unknown("") }
        // Changing Z3's parameters is costly: only when the conflict budget
        // changes; the timeout is the whole remaining budget, set with it.
        if conflictLimitSet != conflictLimit {
            let ms = remaining.isFinite ? UInt32(min(remaining * 1000 + 1, Double(UInt32.max / 2))) : 0
            solver.setLimits(timeoutMilliseconds: ms, maxConflicts: conflictLimit)
            conflictLimitSet = conflictLimit
        }
        switch solver.check(assuming: assumptions.map(term)) {
        case .sat: return .sat
        case .unsat: return .unsat
        case .unknown(let reason): return .unknown(reason)
        }
    }

    func values(_ variables: [Int32]) -> [Bool] { solver.modelValues(variables.map { terms[Int($0)] }) }

    func reset() {
        z3?.resetSolver()
        terms.removeAll(keepingCapacity: true)
        conflictLimitSet = nil
    }
}
