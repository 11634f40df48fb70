import AIG
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The portfolio's second engine: CaDiCaL on the whole miter ("some open
/// output pair differs"), on a thread of its own, while SAT sweeping runs on
/// the caller's. Whoever decides first stops the other: this attempt
/// cancels `rival` when it decides; `stop()` cancels this attempt.
/// Its answers are honest like every other: UNSAT proves the open outputs
/// equal, a model is replayed by the checker before it is reported.
final class WholeMiterAttempt: @unchecked Sendable {
    enum Outcome: Sendable { case equivalent, differs([Bool]), undecided }

    private let miter: AIG
    private let pairs: [(Literal, Literal)]
    private let budget: CheckBudget
    private let rival: CheckBudget
    private let finished = DispatchSemaphore(value: 0)
    private let wake = DispatchSemaphore(value: 0)
    // Written by the worker before `finished` is signalled, read after the wait.
    private var outcome = Outcome.undecided
    /// Time the solver ran (0: the check ended within the delay).
    private(set) var seconds = 0.0
    private(set) var started = false

    private let delay: Double

    init(miter: AIG, pairs: [(Literal, Literal)], deadline: Double, rival: CheckBudget, delay: Double = 0) {
        self.miter = miter
        self.delay = delay
        self.pairs = pairs
        budget = CheckBudget(deadline: deadline)
        self.rival = rival
    }

    func start() {
        started = true
        DispatchQueue.global().async { [self] in
            // Wait out the delay (checks that end sooner never start the
            // solver); `stop()` wakes the wait at once.
            if delay > 0 { _ = wake.wait(timeout: .now() + delay) }
            if !budget.expired {
                let solveStart = now()
                outcome = solve()
                seconds = now() - solveStart
            }
            if case .undecided = outcome {} else { rival.cancel() }
            finished.signal()
        }
    }

    /// Stops the attempt (if still running) and returns what it found.
    func stop() -> Outcome {
        budget.cancel()
        wake.signal()
        return result()
    }

    /// Waits until the attempt ends by itself (a verdict or its deadline).
    func result() -> Outcome {
        guard started else { return .undecided }
        finished.wait()
        finished.signal()   // later calls return at once
        return outcome
    }

    private func solve() -> Outcome {
        let solver = CaDiCaLBackend()
        let engine = CNFEngine(solver)
        var someDiffers: [Int32] = []
        for (a, b) in pairs {
            let x = engine.encode(a, in: miter, inputCount: miter.inputCount)
            let y = engine.encode(b, in: miter, inputCount: miter.inputCount)
            // d → (x ≠ y); one direction suffices for satisfiability.
            let d = 2 * solver.newVariable()
            solver.addClause(d ^ 1, x, y)
            solver.addClause(d ^ 1, x ^ 1, y ^ 1)
            someDiffers.append(d)
        }
        solver.addClause(someDiffers)
        switch solver.solve([], conflictLimit: 0, branchOn: [], budget: budget) {
        case .unsat: return .equivalent
        case .sat:
            // Inputs outside every open output's cone were never encoded: false.
            let known = engine.solverVariables
            let encoded = (0..<miter.inputCount).map { $0 + 1 }.filter { $0 < known.count && known[$0] >= 0 }
            let values = solver.values(encoded.map { known[$0] })
            var vector = [Bool](repeating: false, count: miter.inputCount)
            for (k, v) in encoded.enumerated() { vector[v - 1] = values[k] }
            return .differs(vector)
        case .unknown: return .undecided
        }
    }
}
