import AIG

/// A size-oriented synthesis script over `AIGRewriting`,
/// `AIGResubstitution` and `AIGRefactoring`: rounds of the passes,
/// repeated while a round still gains (two rounds in a row without fewer
/// ANDs end it), then a walk of restarts through restructurings
/// (`LUTResynthesis`, `AIGBalancing`, zero-gain refactoring and seeded
/// rewriting), as ABC's `&deepsyn` walks through LUT mappings. The decoder
/// starts from its result, so that a decoding is never larger than what
/// this script reaches.
public enum AIGOptimization {
    public struct Params: Sendable {
        /// Most rounds of the passes, per run.
        public var maxRounds = 6
        public var rewriting = AIGRewriting.Params()
        public var resubstitution = AIGResubstitution.Params()
        /// Resubstitution with observability don't-cares at the end of each round.
        public var dontCares = true
        /// Restarts after the rounds (shared among the pipelines): a
        /// perturbation, then passes, keeping any smaller result. Capped at
        /// `restartWork / ANDs` so that large circuits get fewer. `miter
        /// random` 8-input/2-output circuits (100; `MiterBench optimize`):
        /// 22.90 mean ANDs at 400 restarts in 4 pipelines with every
        /// perturbation (0.66 s per circuit), 22.97 at 200; the earlier walk
        /// of 24 seeded rewritings 23.62; ABC `&deepsyn -T 1` 23.13.
        public var restarts = 400
        public var restartWork = 20_000
        /// Restarts perturb in a cycle of four: seeded zero-gain rewriting,
        /// a LUT cover (`LUTResynthesis`, LUT sizes 3, 4, 5, 6 in turn),
        /// seeded rewriting again, AND-tree balancing (`AIGBalancing`); after
        /// a cover or balancing, rounds of the passes run until they stall.
        /// false: seeded rewriting only.
        public var lutRemapping = true
        /// Refactoring (`AIGRefactoring`) in the rounds, and zero-gain
        /// refactoring as every other LUT-cover perturbation.
        public var refactoring = true
        /// Independent pipelines (rounds, then a walk) the restarts are
        /// shared among; they differ in seeds, in refactoring (on in even
        /// ones) and in the rewriter's transforms per cut (64 or 1 in turn
        /// by pairs), which steers them to different local minima.
        public var walks = 4
        public init() {}
    }

    public struct Stats: Sendable, Equatable {
        public var andsBefore = 0
        public var andsAfter = 0
        public var rounds = 0
    }

    /// The best of `walks` pipelines, each the better of two runs of rounds
    /// (one starting with rewriting, one with resubstitution: neither order
    /// wins everywhere), then a walk of restarts from there; the smallest
    /// circuit seen after any pass is the result.
    public static func optimize(_ aig: AIG, params: Params = Params()) -> (AIG, Stats) {
        let clean = aig.cleanedUp()
        var stats = Stats(andsBefore: clean.andCount, andsAfter: clean.andCount)
        guard clean.isCombinational else { return (clean, stats) }
        let restarts = min(params.restarts, params.restartWork / max(1, clean.andCount))
        let pipelines = max(1, min(params.walks, max(1, restarts)))
        var best = clean
        for w in 0..<pipelines {
            var config = params
            if w % 2 == 1 { config.refactoring = false }
            if (w / 2) % 2 == 1 { config.rewriting.transformsPerCut = params.rewriting.transformsPerCut == 1 ? 64 : 1 }
            let share = restarts / pipelines + (w < restarts % pipelines ? 1 : 0)
            let result = pipeline(clean, config, restarts: share, seedBase: UInt64(w) &* 1_000_003, stats: &stats)
            if result.andCount < best.andCount { best = result }
        }
        best.inputNames = aig.inputNames
        best.outputNames = aig.outputNames
        stats.andsAfter = best.andCount
        return (best, stats)
    }

    private static func pipeline(_ clean: AIG, _ params: Params, restarts: Int, seedBase: UInt64, stats: inout Stats) -> AIG {
        var zero = params.rewriting
        zero.zeroGain = true
        let rewrite: (AIG) -> AIG = { AIGRewriting.rewrite($0, params: params.rewriting).0 }
        let rewriteZero: (AIG) -> AIG = { AIGRewriting.rewrite($0, params: zero).0 }
        let resub: (AIG) -> AIG = { AIGResubstitution.resubstitute($0, params: params.resubstitution).0 }
        let dontCares: (AIG) -> AIG = { params.dontCares ? AIGResubstitution.resubstituteWithDontCares($0, params: params.resubstitution).0 : $0 }
        let refactor: (AIG) -> AIG = { params.refactoring ? AIGRefactoring.refactor($0).0 : $0 }
        var best = clean
        for passes in [[rewrite, resub, refactor, rewriteZero, resub, dontCares], [resub, rewrite, resub, refactor, rewriteZero, dontCares]] {
            var current = clean
            var roundBest = clean.andCount
            var stalled = 0, rounds = 0
            while rounds < params.maxRounds && stalled < 2 {
                rounds += 1
                for pass in passes {
                    current = pass(current)
                    if current.andCount < best.andCount { best = current }
                }
                if current.andCount < roundBest { roundBest = current.andCount; stalled = 0 } else { stalled += 1 }
            }
            stats.rounds += rounds
        }
        // A walk over equal-size circuits: each restart continues from the
        // last result unless it is larger than the best.
        var walker = best
        for r in 0..<restarts {
            let seed = seedBase &+ UInt64(r + 1)
            var current: AIG
            if params.lutRemapping && r % 2 == 1 {
                if r % 4 == 3 {
                    current = AIGBalancing.balance(walker)
                } else if params.refactoring && r % 8 == 5 {
                    var z = AIGRefactoring.Params()
                    z.zeroGain = true
                    current = AIGRefactoring.refactor(walker, params: z).0
                } else {
                    var lut = LUTResynthesis.Params()
                    lut.lutSize = 3 + (r / 8) % 4
                    lut.seed = seed
                    current = LUTResynthesis.remap(walker, params: lut)
                }
                // A new structure is larger: rounds of the passes until they stall.
                var roundBest = current.andCount, rounds = 0
                while rounds < params.maxRounds {
                    rounds += 1
                    for pass in [rewrite, resub, rewriteZero, resub, dontCares] {
                        current = pass(current)
                        if current.andCount < best.andCount { best = current }
                    }
                    if current.andCount < roundBest { roundBest = current.andCount } else { break }
                }
            } else {
                var perturb = zero
                perturb.seed = seed
                current = AIGRewriting.rewrite(walker, params: perturb).0
                for pass in [resub, rewrite, dontCares, rewriteZero, resub] {
                    current = pass(current)
                    if current.andCount < best.andCount { best = current }
                }
            }
            walker = current.andCount <= best.andCount ? current : best
        }
        stats.rounds += restarts
        return best
    }
}
