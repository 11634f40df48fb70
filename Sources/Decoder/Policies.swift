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
