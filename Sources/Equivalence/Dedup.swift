import AIG
import Simulation

/// Deduplication of a set of circuits into classes of proved-equivalent circuits.
///
/// 1. Every circuit gets its functional hash (`FunctionalHash`, exact truth
///    tables up to 16 inputs), in parallel.
/// 2. Circuits are bucketed by (input, latch and output counts, hash).
/// 3. Inside a bucket each circuit is compared, with `EquivalenceChecker`,
///    against the representatives of the classes found so far (first come);
///    it joins the first one the checker proves `.equivalent`. A refutation
///    (`.notEquivalent`) is a hash collision: the bucket splits and it is
///    counted. An `.undecided` pair (timeout, budget) is reported and never
///    merged: the circuit then starts its own class unless another
///    representative is proved equivalent.
///
/// The hash only decides which pairs are worth checking; every merge is a proof.
public enum Dedup {
    public enum Keep: String, Sendable, CaseIterable {
        /// The member with the fewest ANDs (ties: the earliest).
        case smallest
        /// The earliest member in input order.
        case first
    }

    public struct Params: Sendable {
        /// Port matching of the hash and the checker. `.order` (default): by position;
        /// `.names`: by name (every circuit must name its ports); `.auto`: by name for
        /// circuits that name every input and output uniquely, by position otherwise; a fully
        /// named circuit is then never compared with (or merged with) one that is not.
        public var matching: PortMatching.Mode = .order
        /// `matching == .names` (the former flag).
        public var byName: Bool {
            get { matching == .names }
            set { matching = newValue ? .names : .order }
        }
        /// Wall-clock budget of one comparison in seconds (0: none). Default 0.
        public var timeout: Double = 0
        /// Worker threads (0: all online processors). Default 0.
        public var jobs = 0
        /// Which member represents a class. Default `.smallest`.
        public var keep: Keep = .smallest
        /// Parameters of the functional hash (default: 8192 patterns above 16 inputs, seed 0).
        public var hash = FunctionalHash.Params()
        /// Checker parameters; `matching` and `timeout` are set from `matching` and `timeout`.
        public var checker = EquivalenceChecker.Params()
        public init() {}

        var effectiveJobs: Int { jobs > 0 ? jobs : onlineProcessorCount() }
        var checkerParams: EquivalenceChecker.Params {
            var p = checker
            p.matching = matching
            p.timeout = timeout
            return p
        }
    }

    /// Two circuits left unmerged because the checker gave no verdict (or could not compare them).
    public struct OpenPair: Sendable, Equatable {
        public var a: Int
        public var b: Int
        public var reason: String
    }

    public struct Class: Sendable, Equatable {
        /// Index of the representative (see `Params.keep`).
        public var representative: Int
        /// Members in input order (the representative included).
        public var members: [Int]
    }

    public struct Stats: Sendable, Equatable {
        public var circuits = 0
        public var buckets = 0
        public var classes = 0
        /// Classes beyond the first in a bucket: circuits with equal hashes proved different.
        public var collisions = 0
        /// Comparisons the checker answered `.notEquivalent`.
        public var refutations = 0
        /// Checker calls.
        public var comparisons = 0
        /// Z3 calls over all comparisons (0 when every comparison was decided by simulation).
        public var satCalls = 0
        /// Pairs left undecided (never merged).
        public var undecided = 0
        /// Comparisons the checker could not run (e.g. port names that do not match under `.names`).
        public var incomparable = 0
        public var hashSeconds = 0.0
        public var proveSeconds = 0.0
        public var totalSeconds = 0.0
        public var jobs = 0
        public init() {}
    }

    public struct Result: Sendable {
        /// Classes ordered by their first member.
        public var classes: [Class]
        /// Class index of every circuit.
        public var classOf: [Int]
        /// Circuit hash of every circuit.
        public var hashes: [UInt64]
        public var openPairs: [OpenPair]
        public var stats: Stats
    }

    public enum Phase: Sendable { case hashing, proving }

    /// Deduplicates `circuits`. `progress` is called from worker threads with
    /// (phase, done, total) after each batch, one call at a time and with `done` increasing
    /// within a phase; it must be cheap.
    public static func run(_ circuits: [AIG], params: Params = Params(),
                           progress: (@Sendable (Phase, Int, Int) -> Void)? = nil) -> Result {
        let t0 = now()
        let n = circuits.count
        let jobs = params.effectiveJobs
        var stats = Stats()
        stats.circuits = n
        stats.jobs = jobs

        // 1. Hashes, in parallel (one Hasher per worker).
        var hashes = [UInt64](repeating: 0, count: n)
        let hashParams = params.hash
        let hashDone = SharedState(0)
        hashes.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            let matching = params.matching
            _ = parallelWorkers(count: n, jobs: jobs, grain: 256, makeState: {
                FunctionalHash.Hasher(params: hashParams)
            }, body: { (hasher: inout FunctionalHash.Hasher, range: Range<Int>) in
                for i in range {
                    hasher.params.byName = matching.hashesByName(circuits[i])
                    out[i] = hasher.hash(circuits[i]).circuit
                }
                if let progress {
                    // Reported under the lock, so the counts arrive in increasing order.
                    hashDone.withLock { $0 += range.count; progress(.hashing, $0, n) }
                }
            })
        }
        stats.hashSeconds = now() - t0

        // 2. Buckets: indices sorted by (counts, hash), input order inside a bucket.
        let t1 = now()
        var order = Array(0..<n)
        // Under `.auto` fully named circuits (hashed and checked by name) and the others (by
        // position) are never compared with each other, so every class has one matching and
        // stays an equivalence class (a ≡ b by position and b ≡ c by name would not be).
        let named: [Bool] = params.matching == .auto ? circuits.map { params.matching.hashesByName($0) } : []
        func key(_ i: Int) -> (UInt64, Int, Int, Int) {
            (hashes[i], circuits[i].inputCount, circuits[i].outputCount,
             circuits[i].latchCount << 1 | (named.isEmpty || !named[i] ? 0 : 1))
        }
        order.sort { key($0) < key($1) || (key($0) == key($1) && $0 < $1) }
        var bucketStart: [Int] = []
        for (p, i) in order.enumerated() where p == 0 || key(order[p - 1]) != key(i) { bucketStart.append(p) }
        bucketStart.append(n)
        let bucketCount = bucketStart.count - 1
        stats.buckets = max(0, bucketCount)

        // 3. Proofs inside buckets, buckets spread over the workers.
        struct Worker {
            var checker: EquivalenceChecker
            var joined: [(Int, Int)] = []        // (circuit, representative it was proved equal to)
            var open: [OpenPair] = []
            var stats = Stats()
        }
        let checkerParams = params.checkerParams
        let proveDone = SharedState(0)
        let workers = parallelWorkers(count: max(0, bucketCount), jobs: jobs, grain: 16, makeState: {
            Worker(checker: EquivalenceChecker(params: checkerParams))
        }, body: { (w: inout Worker, range: Range<Int>) in
            var circuitsDone = 0
            for bucket in range {
                let lo = bucketStart[bucket], hi = bucketStart[bucket + 1]
                circuitsDone += hi - lo
                var reps: [Int] = [order[lo]]
                for p in (lo + 1)..<max(lo + 1, hi) {
                    let c = order[p]
                    var joinedRep: Int? = nil
                    var refuted = false
                    for r in reps {
                        w.stats.comparisons += 1
                        do {
                            let (verdict, s) = try w.checker.check(circuits[r], circuits[c])
                            w.stats.satCalls += s.satCalls
                            switch verdict {
                            case .equivalent: joinedRep = r
                            case .notEquivalent: w.stats.refutations += 1; refuted = true
                            case .undecided(let reason, _):
                                w.stats.undecided += 1
                                w.open.append(OpenPair(a: r, b: c, reason: reason))
                            }
                        } catch {
                            w.stats.incomparable += 1
                            w.open.append(OpenPair(a: r, b: c, reason: "\(error)"))
                        }
                        if joinedRep != nil { break }
                    }
                    if let r = joinedRep { w.joined.append((c, r)) } else {
                        reps.append(c)
                        if refuted { w.stats.collisions += 1 }
                    }
                }
            }
            if let progress {
                proveDone.withLock { $0 += circuitsDone; progress(.proving, $0, n) }
            }
        })
        var repOf = Array(0..<n)
        var open: [OpenPair] = []
        for w in workers {
            for (c, r) in w.joined { repOf[c] = r }
            open += w.open
            stats.comparisons += w.stats.comparisons
            stats.satCalls += w.stats.satCalls
            stats.refutations += w.stats.refutations
            stats.undecided += w.stats.undecided
            stats.incomparable += w.stats.incomparable
            stats.collisions += w.stats.collisions
        }
        open.sort { ($0.a, $0.b) < ($1.a, $1.b) }

        // 4. Classes, ordered by first member; representatives per `keep`.
        var classOf = [Int](repeating: -1, count: n)
        var classes: [Class] = []
        var classOfRep = [Int](repeating: -1, count: n)
        for i in 0..<n {
            let r = repOf[i]
            if classOfRep[r] < 0 { classOfRep[r] = classes.count; classes.append(Class(representative: i, members: [])) }
            classOf[i] = classOfRep[r]
            classes[classOfRep[r]].members.append(i)
        }
        if params.keep == .smallest {
            for k in classes.indices {
                var best = classes[k].members[0]
                for m in classes[k].members where circuits[m].andCount < circuits[best].andCount { best = m }
                classes[k].representative = best
            }
        }
        stats.classes = classes.count
        stats.proveSeconds = now() - t1
        stats.totalSeconds = now() - t0
        return Result(classes: classes, classOf: classOf, hashes: hashes, openPairs: open, stats: stats)
    }
}
