import CZ3

/// Outcome of one solver call. `unknown` covers budgets, timeouts and
/// interruptions: it is never read as a verdict.
public enum SolverAnswer: Equatable, Sendable { case sat, unsat, unknown(String) }

/// A thin owner of one Z3 context and one incremental solver over Boolean
/// variables. Not thread-safe: use one per thread.
public final class Z3Solver {
    private let context: Z3_context
    private let solver: Z3_solver
    private let boolSort: Z3_sort

    /// - Parameter logic: a Z3 logic name such as `QF_FD` (Z3's SAT core), or nil for the default solver.
    public init(logic: String? = nil) {
        let config = Z3_mk_config()
        context = Z3_mk_context(config)
        Z3_del_config(config)
        // Z3 errors must not abort the process; we check results instead.
        Z3_set_error_handler(context, nil)
        if let logic {
            solver = Z3_mk_solver_for_logic(context, Z3_mk_string_symbol(context, logic))
        } else {
            solver = Z3_mk_solver(context)
        }
        Z3_solver_inc_ref(context, solver)
        boolSort = Z3_mk_bool_sort(context)
    }

    deinit {
        Z3_solver_dec_ref(context, solver)
        Z3_del_context(context)
    }

    /// A fresh Boolean constant named `name`.
    public func boolVariable(_ name: String) -> Z3_ast {
        Z3_mk_const(context, Z3_mk_string_symbol(context, name), boolSort)
    }
    public func not(_ a: Z3_ast) -> Z3_ast { Z3_mk_not(context, a) }
    public func and(_ a: Z3_ast, _ b: Z3_ast) -> Z3_ast {
        var args: [Z3_ast?] = [a, b]
        return Z3_mk_and(context, 2, &args)
    }
    public func assert(_ a: Z3_ast) { Z3_solver_assert(context, solver, a) }

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
