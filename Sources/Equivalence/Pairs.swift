import AIG
import Simulation

/// Labelled pairs for learning, every label proved: equivalent pairs inside
/// classes, non-equivalent pairs across classes of the same shape (input,
/// output and latch counts). Every selected pair is re-checked with
/// `EquivalenceChecker`; it is kept only when the verdict matches its label
/// (`.equivalent` for 1, `.notEquivalent` with a confirmed counterexample for
/// 0). Undecided pairs are dropped and counted, never labelled.
public enum Pairs {
    public struct Params: Sendable {
        /// Most pairs emitted. Default 10,000.
        public var maxPairs = 10_000
        /// Equal numbers of equivalent and non-equivalent pairs (the smaller
        /// side sets both). Default false: up to `maxPairs` of each kind are
        /// sampled, shuffled together and cut to `maxPairs`.
        public var balance = false
        /// Seed of the sampling and of the output order. Default 0.
        public var seed: UInt64 = 0
        /// Port matching of the checks (as `Dedup.Params.matching`). Default `.order`.
        public var matching: PortMatching.Mode = .order
        /// `matching == .names` (the former flag).
        public var byName: Bool {
            get { matching == .names }
            set { matching = newValue ? .names : .order }
        }
        /// Budget of one check in seconds (0: none). Default 0.
        public var timeout: Double = 0
        /// Worker threads (0: all online processors). Default 0.
        public var jobs = 0
        public var checker = EquivalenceChecker.Params()
        public init() {}
    }

    public struct Pair: Sendable {
        public var a: Int
        public var b: Int
        /// 1: equivalent, 0: not equivalent.
        public var label: Int
        /// The checker's counterexample (replayed on both circuits) for label 0.
        public var counterexample: Counterexample?
        /// Wall time of the check.
        public var seconds: Double
        public var satCalls: Int
        public var decidedBy: String
        public var status: String { label == 1 ? "equivalent" : "not_equivalent" }
    }

    public struct Stats: Sendable, Equatable {
        public var equivalentCandidates = 0
        public var differentCandidates = 0
        public var checks = 0
        /// Pairs dropped because the checker gave no verdict.
        public var undecided = 0
        /// Pairs whose verdict contradicted the classes (a bug if ever non-zero); dropped.
        public var contradictions = 0
        public var seconds = 0.0
        public init() {}
    }

    public struct Result: Sendable {
        public var pairs: [Pair]
        public var stats: Stats
    }

    /// Samples and checks pairs. `classOf[i]` is the class of circuit `i`
    /// (`Dedup.Result.classOf`). `progress` is called from worker threads with
    /// (checks done, checks to do) after each batch of checks, one call at a time with `done`
    /// increasing; it must be cheap.
    public static func generate(_ circuits: [AIG], classOf: [Int], params: Params = Params(),
                                progress: (@Sendable (Int, Int) -> Void)? = nil) -> Result {
        let t0 = now()
        var stats = Stats()
        var rng = SplitMix64(seed: params.seed)
        let n = min(circuits.count, classOf.count)
        let limit = max(0, params.maxPairs)
        func below(_ k: Int) -> Int { Int(rng.next() % UInt64(max(1, k))) }

        // Equivalent candidates: pairs inside classes.
        var members: [Int: [Int]] = [:]
        for i in 0..<n { members[classOf[i], default: []].append(i) }
        let multi = members.keys.sorted().compactMap { members[$0]!.count > 1 ? members[$0]! : nil }
        var eq: [(Int, Int)] = []
        var totalEq = 0
        for m in multi { totalEq += m.count * (m.count - 1) / 2 }
        if totalEq <= limit {
            for m in multi { for x in 0..<m.count { for y in (x + 1)..<m.count { eq.append((m[x], m[y])) } } }
            for i in stride(from: eq.count - 1, to: 0, by: -1) { eq.swapAt(i, below(i + 1)) }
        } else {
            // Class chosen with probability proportional to its pair count.
            var cumulative: [Int] = []
            var acc = 0
            for m in multi { acc += m.count * (m.count - 1) / 2; cumulative.append(acc) }
            var seen = Set<UInt64>()
            var attempts = 0
            while eq.count < limit && attempts < 20 * limit {
                attempts += 1
                let r = below(acc)
                var lo = 0, hi = cumulative.count - 1
                while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] > r { hi = mid } else { lo = mid + 1 } }
                let m = multi[lo]
                let x = below(m.count)
                var y = below(m.count - 1); if y >= x { y += 1 }
                let (a, b) = (min(m[x], m[y]), max(m[x], m[y]))
                if seen.insert(UInt64(a) << 32 | UInt64(b)).inserted { eq.append((a, b)) }
            }
        }
        stats.equivalentCandidates = eq.count

        // Non-equivalent candidates: same shape, different classes. Under `.auto` also the same
        // port order (named circuits are hashed by name, others by position, so different
        // classes of a named and an unnamed circuit prove nothing about their order matching).
        var shapes: [[Int]: [Int]] = [:]
        for i in 0..<n {
            let named = params.matching == .auto && params.matching.hashesByName(circuits[i]) ? 1 : 0
            shapes[[circuits[i].inputCount, circuits[i].outputCount, circuits[i].latchCount, named], default: []].append(i)
        }
        let groups = shapes.keys.sorted { $0.lexicographicallyPrecedes($1) }.compactMap { key -> [Int]? in
            let g = shapes[key]!
            return Set(g.map { classOf[$0] }).count > 1 ? g : nil
        }
        var neq: [(Int, Int)] = []
        let eligible = groups.reduce(0) { $0 + $1.count }
        if eligible > 0 {
            var seen = Set<UInt64>()
            var attempts = 0
            while neq.count < limit && attempts < 20 * limit {
                attempts += 1
                var r = below(eligible)
                var g = 0
                while r >= groups[g].count { r -= groups[g].count; g += 1 }
                let x = groups[g][r], y = groups[g][below(groups[g].count)]
                if classOf[x] == classOf[y] { continue }
                let (a, b) = (min(x, y), max(x, y))
                if seen.insert(UInt64(a) << 32 | UInt64(b)).inserted { neq.append((a, b)) }
            }
        }
        stats.differentCandidates = neq.count

        var chosen: [(Int, Int, Int)] = []
        if params.balance {
            let k = min(eq.count, neq.count, limit / 2)
            chosen = eq.prefix(k).map { ($0.0, $0.1, 1) } + neq.prefix(k).map { ($0.0, $0.1, 0) }
        } else {
            chosen = eq.map { ($0.0, $0.1, 1) } + neq.map { ($0.0, $0.1, 0) }
        }
        for i in stride(from: chosen.count - 1, to: 0, by: -1) { chosen.swapAt(i, below(i + 1)) }
        // Checks, in parallel; extra candidates (unbalanced) make up for dropped ones.
        var checkerParams = params.checker
        checkerParams.matching = params.matching
        checkerParams.timeout = params.timeout
        let jobs = params.jobs > 0 ? params.jobs : onlineProcessorCount()
        let todo = chosen
        var verdicts = [Pair?](repeating: nil, count: todo.count)
        struct Worker { var checker: EquivalenceChecker; var undecided = 0; var contradictions = 0 }
        var workers: [Worker] = []
        let checksDone = SharedState(0)
        verdicts.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            workers = parallelWorkers(count: todo.count, jobs: jobs, grain: 8, makeState: {
                Worker(checker: EquivalenceChecker(params: checkerParams))
            }, body: { (w: inout Worker, range: Range<Int>) in
                for i in range {
                    let (a, b, label) = todo[i]
                    let t = now()
                    let answer = try? w.checker.check(circuits[a], circuits[b])
                    let secs = now() - t
                    switch answer?.0 {
                    case .equivalent?:
                        if label == 1 {
                            out[i] = Pair(a: a, b: b, label: 1, counterexample: nil, seconds: secs,
                                          satCalls: answer?.1.satCalls ?? 0, decidedBy: answer?.1.decidedBy ?? "")
                        } else { w.contradictions += 1 }
                    case .notEquivalent(let cex)?:
                        if label == 0 {
                            out[i] = Pair(a: a, b: b, label: 0, counterexample: cex, seconds: secs,
                                          satCalls: answer?.1.satCalls ?? 0, decidedBy: answer?.1.decidedBy ?? "")
                        } else { w.contradictions += 1 }
                    case .undecided?, nil:
                        w.undecided += 1
                    }
                }
                if let progress {
                    checksDone.withLock { $0 += range.count; progress($0, todo.count) }
                }
            })
        }
        stats.checks = todo.count
        for w in workers { stats.undecided += w.undecided; stats.contradictions += w.contradictions }
        var pairs = verdicts.compactMap { $0 }
        if params.balance {
            // Keep the balance after drops.
            let e = pairs.filter { $0.label == 1 }.count, d = pairs.count - e
            let k = min(e, d)
            var ke = 0, kd = 0
            pairs = pairs.filter { p in
                if p.label == 1 { ke += 1; return ke <= k } else { kd += 1; return kd <= k }
            }
        }
        if pairs.count > limit { pairs.removeLast(pairs.count - limit) }
        stats.seconds = now() - t0
        return Result(pairs: pairs, stats: stats)
    }
}
