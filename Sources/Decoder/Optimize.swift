import AIG

/// A size-oriented synthesis script over `AIGRewriting` and
/// `AIGResubstitution`: rounds of rewrite, resubstitute, zero-gain rewrite,
/// resubstitute, repeated while a round still gains (two rounds in a row
/// without fewer ANDs end it). The decoder starts from its result, so that a
/// decoding is never larger than what this script reaches.
public enum AIGOptimization {
    public struct Params: Sendable {
        /// Most rounds of the four passes, per run.
        public var maxRounds = 6
        public var rewriting = AIGRewriting.Params()
        public var resubstitution = AIGResubstitution.Params()
        /// Resubstitution with observability don't-cares at the end of each round.
        public var dontCares = true
        /// Restarts from the best circuit after the two runs: a randomised
        /// zero-gain rewrite (seeds 1, 2, ...) then one round of the passes,
        /// keeping any smaller result. Capped at `restartWork / ANDs` so
        /// that large circuits get fewer (see the README's decoder figures).
        public var restarts = 24
        public var restartWork = 20_000
        public init() {}
    }

    public struct Stats: Sendable, Equatable {
        public var andsBefore = 0
        public var andsAfter = 0
        public var rounds = 0
    }

    /// The better of two runs, one starting with rewriting and one with
    /// resubstitution (neither order wins everywhere); the smallest circuit
    /// seen after any pass is the result.
    public static func optimize(_ aig: AIG, params: Params = Params()) -> (AIG, Stats) {
        let clean = aig.cleanedUp()
        var stats = Stats(andsBefore: clean.andCount, andsAfter: clean.andCount)
        guard clean.isCombinational else { return (clean, stats) }
        var zero = params.rewriting
        zero.zeroGain = true
        let rewrite: (AIG) -> AIG = { AIGRewriting.rewrite($0, params: params.rewriting).0 }
        let rewriteZero: (AIG) -> AIG = { AIGRewriting.rewrite($0, params: zero).0 }
        let resub: (AIG) -> AIG = { AIGResubstitution.resubstitute($0, params: params.resubstitution).0 }
        let dontCares: (AIG) -> AIG = { params.dontCares ? AIGResubstitution.resubstituteWithDontCares($0, params: params.resubstitution).0 : $0 }
        var best = clean
        for passes in [[rewrite, resub, rewriteZero, resub, dontCares], [resub, rewrite, resub, rewriteZero, dontCares]] {
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
        let restarts = min(params.restarts, params.restartWork / max(1, clean.andCount))
        // A walk over equal-size circuits: each restart continues from the
        // last result unless it is larger than the best.
        var walker = best
        for r in 0..<restarts {
            var perturb = zero
            perturb.seed = UInt64(r + 1)
            var current = AIGRewriting.rewrite(walker, params: perturb).0
            for pass in [resub, rewrite, dontCares, rewriteZero, resub] {
                current = pass(current)
                if current.andCount < best.andCount { best = current }
            }
            walker = current.andCount <= best.andCount ? current : best
        }
        stats.rounds += restarts
        best.inputNames = aig.inputNames
        best.outputNames = aig.outputNames
        stats.andsAfter = best.andCount
        return (best, stats)
    }
}
