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

/// The ISF heuristic: a leaf that satisfies the slot scores highest (at a
/// left child, scored by the share of the parent's off-set it already
/// removes, so the no-op constant 1 scores lowest); otherwise the guaranteed
/// completion's Shannon token (variable chosen by constant cofactors, i.e.
/// unateness, then by index) scores 5, the other operator 1.
public struct HeuristicPolicy: Policy {
    public init() {}
    public mutating func scores(for states: [DecoderState]) -> [[Double]] { states.map(Self.score) }

    public static func score(_ s: DecoderState) -> [Double] {
        var row = [Double](repeating: -1, count: s.vocabularySize)
        guard !s.isComplete, s.outputIndex < s.outputCount else { return [Double](repeating: 0, count: s.vocabularySize) }
        let pi = s.completionToken()
        let W = s.W
        var on = [UInt64](repeating: 0, count: W), off = on
        s.currentISF(&on, &off)
        let left = s.frames.last.map { !$0.right } ?? false
        if left, let _ = s.frames.last {
            // Parent requirement g = (gOn, gOff): prefer leaves ⊇ gOn that kill most of gOff.
            let b = (s.frames.count - 1) * 7 * W
            var gOffCount = 0
            for w in 0..<W { gOffCount += s.frameWords[b + W + w].nonzeroBitCount }
            for i in 0..<s.inputCount {
                let (p, n) = s.literalFits(i, on, off)
                for (neg, ok) in [(false, p), (true, n)] where ok {
                    var killed = 0
                    for w in 0..<W {
                        let x = neg ? ~s.varWord(i, w) & s.lastMask : s.varWord(i, w)
                        killed += (s.frameWords[b + W + w] & ~x).nonzeroBitCount
                    }
                    row[Vocabulary.literal(i, negated: neg)] = 2 + 6 * Double(killed) / Double(max(1, gOffCount))
                }
            }
            row[Vocabulary.const1] = -2
        } else {
            for i in 0..<s.inputCount {
                let (p, n) = s.literalFits(i, on, off)
                if p { row[Vocabulary.literal(i)] = 10 }
                if n { row[Vocabulary.literal(i, negated: true)] = 10 }
            }
            row[Vocabulary.const0] = 10; row[Vocabulary.const1] = 10
        }
        row[Vocabulary.and] = 1; row[Vocabulary.nand] = 1
        row[pi] = max(row[pi], 5) + 0.5
        return row
    }
}
