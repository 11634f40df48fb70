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
        var best = clean
        for passes in [[rewrite, resub, rewriteZero, resub], [resub, rewrite, resub, rewriteZero]] {
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
        best.inputNames = aig.inputNames
        best.outputNames = aig.outputNames
        stats.andsAfter = best.andCount
        return (best, stats)
    }
}
