import AIG
import Simulation

/// A policy scores the legal tokens of a batch of states: `scores(for:)[b][t]`
/// is the score (a logit: higher is better) of token `t` in state `b`; only the
/// scores of legal tokens are read. Models plug in here.
public protocol Policy {
    mutating func scores(for states: [DecoderState]) -> [[Double]]
}

/// Every legal token equally likely.
public struct UniformPolicy: Policy {
    public init() {}
    public mutating func scores(for states: [DecoderState]) -> [[Double]] {
        states.map { [Double](repeating: 0, count: $0.vocabularySize) }
    }
}

/// Follows a given token sequence (a source circuit's encoding): its next
/// token scores 10, the others 0. Replaying a source through the decoder
/// merges its functionally equal nodes (merging-only reduction).
public struct ReplayPolicy: Policy {
    public let source: [Int]
    public init(tokens: [Int]) { source = tokens }
    public init(aig: AIG) throws { source = try TokenCodec.encode(aig) }
    public mutating func scores(for states: [DecoderState]) -> [[Double]] {
        states.map { s in
            var row = [Double](repeating: 0, count: s.vocabularySize)
            let p = s.tokens.count
            if p < source.count, Array(source[..<p]) == s.tokens, source[p] < row.count { row[source[p]] = 10 }
            return row
        }
    }
}

/// The ISF heuristic. A leaf that satisfies the slot's plan (the
/// requirement the Shannon completion intends for this slot, at least as
/// strong as the slot's own ISF) scores 10; otherwise the completion's token
/// (Shannon step on the variable chosen by constant cofactors — unateness —
/// then by index) scores 9. At a left child whose frame has no plan, leaves
/// are scored by the share of the parent's off-set they already remove
/// (2…8, so the no-op constant 1 scores lowest); leaves that satisfy only the
/// weaker actual ISF score 4, the other operator 1.
public struct HeuristicPolicy: Policy {
    public init() {}
    public mutating func scores(for states: [DecoderState]) -> [[Double]] { states.map(Self.score) }

    public static func score(_ s: DecoderState) -> [Double] {
        var row = [Double](repeating: 1, count: s.vocabularySize)
        guard !s.isComplete, s.outputIndex < s.outputCount else { return [Double](repeating: 0, count: s.vocabularySize) }
        let W = s.W
        var on = [UInt64](repeating: 0, count: W), off = on, pOn = on, pOff = on
        s.currentISF(&on, &off)
        s.currentPlan(&pOn, &pOff)
        let frame = s.frames.last
        let left = frame.map { !$0.right } ?? false
        let unplannedLeft = left && !(frame?.planned ?? false)
        var gOffCount = 0
        let b = (s.frames.count - 1) * 7 * W
        if unplannedLeft { for w in 0..<W { gOffCount += s.frameWords[b + W + w].nonzeroBitCount } }
        for i in 0..<s.inputCount {
            let (p, n) = s.literalFits(i, on, off)
            let (pp, pn) = s.literalFits(i, pOn, pOff)
            for (neg, ok, planOK) in [(false, p, pp), (true, n, pn)] where ok {
                var score = planOK ? 10.0 : 4.0
                if unplannedLeft && !planOK {
                    var killed = 0
                    for w in 0..<W {
                        let x = neg ? ~s.varWord(i, w) & s.lastMask : s.varWord(i, w)
                        killed += (s.frameWords[b + W + w] & ~x).nonzeroBitCount
                    }
                    score = 2 + 6 * Double(killed) / Double(max(1, gOffCount))
                }
                row[Vocabulary.literal(i, negated: neg)] = score
            }
        }
        row[Vocabulary.const0] = s.isZero(pOn) ? 10 : 4
        row[Vocabulary.const1] = s.isZero(pOff) ? 10 : (unplannedLeft ? 0 : 4)
        let pi = s.completionToken()
        row[pi] = max(row[pi], 9)
        return row
    }
}
