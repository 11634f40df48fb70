import CZ3
#if canImport(Glibc)
import Glibc
#endif

/// Outcome of one solver call. `unknown` covers budgets, timeouts and
/// interruptions: it is never read as a verdict.
public enum SolverAnswer: Equatable, Sendable { case sat, unsat, unknown(String) }

/// A thin owner of one Z3 context and one incremental solver over Boolean
/// variables. Not thread-safe: use one per thread.
public final class Z3Solver {
    private let context: Z3_context
    private var solver: Z3_solver
    private let boolSort: Z3_sort
    private let logic: String?

    /// - Parameter logic: a Z3 logic name such as `QF_FD` (Z3's SAT core), or nil for the default solver.
    public init(logic: String? = nil) {
        // Expert knob for experiments: MITER_Z3_PARAMS="sat.restart=static,sat.scc=false".
        if let extra = getenv("MITER_Z3_PARAMS") {
            for kv in String(cString: extra).split(separator: ",") {
                let parts = kv.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { Z3_global_param_set(parts[0], parts[1]) }
            }
        }
        // Compacting models costs O(all variables) per model in the SAT core
        // (16 ms each on EPFL div); we read only the inputs.
        Z3_global_param_set("model.compact", "false")
        let config = Z3_mk_config()
        context = Z3_mk_context(config)
        Z3_del_config(config)
        // Z3 errors must not abort the process; we check results instead.
        Z3_set_error_handler(context, nil)
        self.logic = logic
        solver = Self.makeSolver(context, logic)
        boolSort = Z3_mk_bool_sort(context)
    }

    private static func makeSolver(_ context: Z3_context, _ logic: String?) -> Z3_solver {
        let s: Z3_solver
        if let logic {
            s = Z3_mk_solver_for_logic(context, Z3_mk_string_symbol(context, logic))
        } else {
            s = Z3_mk_solver(context)
        }
        Z3_solver_inc_ref(context, s)
        return s
    }

    /// Replaces the solver by an empty one in the same context (terms stay
    /// valid; assertions, learned clauses and limits are gone). Creating a
    /// context costs 7–20 ms, a solver microseconds.
    public func resetSolver() {
        Z3_solver_dec_ref(context, solver)
        solver = Self.makeSolver(context, logic)
    }

    deinit {
        Z3_solver_dec_ref(context, solver)
        Z3_del_context(context)
    }

    /// A fresh Boolean constant named `name`.
    public func boolVariable(_ name: String) -> Z3_ast {
        Z3_mk_const(context, Z3_mk_string_symbol(context, name), boolSort)
    }
    /// A Boolean constant named by a number: cheaper than a string name
    /// (Z3 interns string symbols), for the many node variables of a sweep.
    public func boolVariable(id: Int32) -> Z3_ast {
        Z3_mk_const(context, Z3_mk_int_symbol(context, id), boolSort)
    }
    public func not(_ a: Z3_ast) -> Z3_ast { Z3_mk_not(context, a) }
    public func and(_ a: Z3_ast, _ b: Z3_ast) -> Z3_ast {
        var args: [Z3_ast?] = [a, b]
        return Z3_mk_and(context, 2, &args)
    }
    public func assert(_ a: Z3_ast) { Z3_solver_assert(context, solver, a) }
    /// A backtracking point: `pop` removes what was asserted since.
    public func push() { Z3_solver_push(context, solver) }
    public func pop() { Z3_solver_pop(context, solver, 1) }
    public func iff(_ a: Z3_ast, _ b: Z3_ast) -> Z3_ast { Z3_mk_iff(context, a, b) }
    public func xor(_ a: Z3_ast, _ b: Z3_ast) -> Z3_ast { Z3_mk_xor(context, a, b) }
    public func or(_ a: Z3_ast, _ b: Z3_ast) -> Z3_ast {
        var args: [Z3_ast?] = [a, b]
        return Z3_mk_or(context, 2, &args)
    }
    public func or3(_ a: Z3_ast, _ b: Z3_ast, _ c: Z3_ast) -> Z3_ast {
        var args: [Z3_ast?] = [a, b, c]
        return Z3_mk_or(context, 3, &args)
    }
    public func implies(_ a: Z3_ast, _ b: Z3_ast) -> Z3_ast { Z3_mk_implies(context, a, b) }
    public var falseValue: Z3_ast { Z3_mk_false(context) }

    /// Per-call limits: `timeoutMilliseconds` (0 = none) and a conflict budget (0 = none).
    public func setLimits(timeoutMilliseconds: UInt32, maxConflicts: UInt32) {
        let params = Z3_mk_params(context)
        Z3_params_inc_ref(context, params)
        Z3_params_set_uint(context, params, Z3_mk_string_symbol(context, "timeout"), timeoutMilliseconds > 0 ? timeoutMilliseconds : UInt32.max)
        // Always set: Z3 keeps earlier parameter values otherwise.
        Z3_params_set_uint(context, params, Z3_mk_string_symbol(context, "max_conflicts"), maxConflicts > 0 ? maxConflicts : UInt32.max)
        Z3_solver_set_params(context, solver, params)
        Z3_params_dec_ref(context, params)
    }

    /// Checks satisfiability under temporary assumptions (Boolean constants or their negations).
    public func check(assuming assumptions: [Z3_ast]) -> SolverAnswer {
        var args: [Z3_ast?] = assumptions
        let r = Z3_solver_check_assumptions(context, solver, UInt32(args.count), &args)
        switch r {
        case Z3_L_TRUE: return .sat
        case Z3_L_FALSE: return .unsat
        default: return .unknown(String(cString: Z3_solver_get_reason_unknown(context, solver)))
        }
    }

    /// Values of `variables` in the model of the last satisfiable check
    /// (variables the model leaves open read as false).
    public func modelValues(_ variables: [Z3_ast]) -> [Bool] {
        guard let model = Z3_solver_get_model(context, solver) else { return variables.map { _ in false } }
        Z3_model_inc_ref(context, model)
        defer { Z3_model_dec_ref(context, model) }
        let t = Z3_mk_true(context)
        return variables.map { v in
            var out: Z3_ast? = nil
            guard Z3_model_eval(context, model, v, true, &out), let out else { return false }
            return out == t || Z3_get_bool_value(context, out) == Z3_L_TRUE
        }
    }

    /// Asks a running check to stop (safe from another thread).
    public func interrupt() { Z3_interrupt(context) }

    public func check() -> SolverAnswer {
        switch Z3_solver_check(context, solver) {
        case Z3_L_TRUE: return .sat
        case Z3_L_FALSE: return .unsat
        default: return .unknown(String(cString: Z3_solver_get_reason_unknown(context, solver)))
        }
    }

    /// Z3's version, e.g. "4.8.12".
    public static var version: String {
        var major: UInt32 = 0, minor: UInt32 = 0, build: UInt32 = 0, rev: UInt32 = 0
        Z3_get_version(&major, &minor, &build, &rev)
        return "\(major).\(minor).\(build)"
    }
}
