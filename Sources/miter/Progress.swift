import AIG
import ArgumentParser
import Equivalence
#if canImport(Glibc)
import Glibc
#endif

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// `--progress auto|json|none`, shared by the commands that work through many items
/// (`dedup`, `pairs`, `hash`; `check` can take it later).
struct ProgressOptionGroup: ParsableArguments {
    enum Mode: String, ExpressibleByArgument, CaseIterable {
        /// A one-line bar on stderr when stderr is a terminal, else nothing.
        case auto
        /// One `miter.progress.v1` JSON line per update on stderr (about 10 a second, final frame always).
        case json
        case none
    }

    @Option(help: "Progress on stderr: auto (a bar when stderr is a terminal), json (one miter.progress.v1 JSON line per update, about 10/s, the final frame always) or none.")
    var progress: Mode = .auto

    /// The reporter, or nil when nothing is to be shown. `minimumItems`: below this many
    /// items `auto` shows no bar (a bar that flashes for one file says nothing).
    func reporter(minimumItems: Int = 0, items: Int = .max) -> ProgressReporter? {
        switch progress {
        case .none: return nil
        case .json: return ProgressReporter(json: true)
        case .auto: return isatty(2) != 0 && items >= minimumItems ? ProgressReporter(json: false) : nil
        }
    }
}

/// Progress on stderr: a one-line bar (done/total, rate, ETA) or JSON lines. Updates may come
/// from worker threads; frames are throttled to ~10 a second, and each phase's last frame
/// (done == total) is always shown. The rate is measured from the start of the phase: the
/// reporter's creation for the first one, the previous phase's last update for the next ones.
final class ProgressReporter: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private let json: Bool
    private var lastFrame = -1.0
    private var lastCall: Double
    private var phase = ""
    private var phaseStart: Double
    private var pending: ProgressFrame? = nil
    private var barShown = false

    init(json: Bool) {
        self.json = json
        let t = monotonicSeconds()
        lastCall = t; phaseStart = t
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// The frame for (phase, done, total) at time t: no rate before 10 ms of a phase.
    static func frame(_ phase: String, _ done: Int, _ total: Int, elapsed: Double) -> ProgressFrame {
        guard elapsed >= 0.01, done > 0 else { return ProgressFrame(phase: phase, done: done, total: total, rate: nil, etaS: nil) }
        let rate = Double(done) / elapsed
        let eta = Double(max(0, total - done)) / rate
        return ProgressFrame(phase: phase, done: done, total: total, rate: (rate * 10).rounded() / 10,
                             etaS: (eta * 100).rounded() / 100)
    }

    func update(_ label: String, _ done: Int, _ total: Int) {
        pthread_mutex_lock(&mutex); defer { pthread_mutex_unlock(&mutex) }
        let t = monotonicSeconds()
        if label != phase {
            if let p = pending, p.done == p.total { emit(p) }   // never lose a phase's final frame
            phase = label; phaseStart = lastCall; pending = nil
        }
        lastCall = t
        let f = ProgressReporter.frame(label, done, total, elapsed: t - phaseStart)
        if t - lastFrame >= 0.1 || done >= total {
            lastFrame = t
            emit(f)
            pending = nil
        } else {
            pending = f
        }
    }

    /// Shows a frame held back by the throttle, then clears the bar (JSON lines stay).
    func finish() {
        pthread_mutex_lock(&mutex); defer { pthread_mutex_unlock(&mutex) }
        if let p = pending { emit(p); pending = nil }
        if !json && barShown {
            var err = StandardError()
            print("\r" + String(repeating: " ", count: 79) + "\r", terminator: "", to: &err)
            barShown = false
        }
    }

    private func emit(_ f: ProgressFrame) {
        var err = StandardError()
        if json {
            print(JSONReport.encode(f), to: &err)
            return
        }
        let width = 30
        let filled = f.total > 0 ? width * min(f.done, f.total) / f.total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let rate = f.rate.map { "\(Int($0))/s" } ?? "-/s"
        let eta = f.etaS.map { "ETA \(Int($0.rounded())) s" } ?? "ETA -"
        print("\r\(f.phase) [\(bar)] \(f.done)/\(f.total)  \(rate)  \(eta)   ", terminator: "", to: &err)
        barShown = true
    }
}
