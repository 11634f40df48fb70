import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex-protected value shared by the workers of a parallel loop.
final class SharedState<Value>: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var value: Value
    init(_ value: Value) { self.value = value; pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<R>(_ body: (inout Value) -> R) -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body(&value)
    }
}

/// Number of online processors (at least 1).
public func onlineProcessorCount() -> Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

/// Runs `jobs` workers (Dispatch `concurrentPerform`); each calls `makeState`
/// once, then claims ranges of `grain` items of `0..<count` until none is left
/// and calls `body` on each. Returns the workers' states (one per worker that ran).
func parallelWorkers<State>(count: Int, jobs: Int, grain: Int,
                            makeState: () -> State,
                            body: (inout State, Range<Int>) -> Void) -> [State] {
    let workers = max(1, min(jobs, max(1, (count + grain - 1) / max(1, grain))))
    if workers == 1 {
        var s = makeState()
        var start = 0
        while start < count { body(&s, start..<min(count, start + grain)); start += grain }
        return [s]
    }
    let next = SharedState(0)
    let results = SharedState([State]())
    nonisolated(unsafe) let make = makeState
    nonisolated(unsafe) let work = body
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        var s = make()
        while true {
            let start = next.withLock { v -> Int in let s = v; v += grain; return s }
            if start >= count { break }
            work(&s, start..<min(count, start + grain))
        }
        nonisolated(unsafe) let done = s
        results.withLock { $0.append(done) }
    }
    return results.withLock { $0 }
}
