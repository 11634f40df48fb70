/// A set of input patterns for bit-parallel simulation.
///
/// Layout is flat and input-major: the `wordCount` words of pattern input
/// `i` (inputs first, then latch current-state values) are
/// `words[i*wordCount ..< (i+1)*wordCount]`; pattern `p` is bit `p % 64` of
/// word `p / 64`. Bits at positions `count...` are zero. Patterns can be
/// appended one at a time (counterexamples); the word count then doubles
/// when full (amortised O(1), the layout is rebuilt).
public struct PatternSet: Hashable, Sendable {
    /// Number of pattern inputs (the circuit's inputs plus latches).
    public let inputCount: Int
    /// Words per pattern input (the stride of `words`).
    public private(set) var wordCount: Int
    /// Number of patterns in use.
    public private(set) var count: Int
    /// The pattern bits, input-major (see the type's documentation).
    public private(set) var words: [UInt64]

    /// An empty set with room for `64 * wordCount` patterns.
    public init(inputCount: Int, wordCount: Int = 1) {
        self.inputCount = max(0, inputCount)
        self.wordCount = max(1, wordCount)
        count = 0
        words = Array(repeating: 0, count: self.inputCount * self.wordCount)
    }

    /// `64 * wordCount` seeded random patterns (see `Patterns` for the PRNG).
    public static func random(inputCount: Int, wordCount: Int, seed: UInt64) -> PatternSet {
        var s = PatternSet(inputCount: inputCount, wordCount: wordCount)
        let w = s.wordCount
        s.words.withUnsafeMutableBufferPointer { buf in
            for i in 0..<s.inputCount {
                var rng = Patterns.stream(seed: seed, input: i)
                for k in 0..<w { buf[i * w + k] = rng.next() }
            }
        }
        s.count = 64 * w
        return s
    }

    /// All `2^inputCount` minterms (pattern `m` sets input `i` to bit `i` of
    /// `m`); nil above 24 inputs.
    public static func exhaustive(inputCount: Int) -> PatternSet? {
        guard inputCount >= 0, inputCount <= 24 else { return nil }
        let w = Patterns.exhaustiveWordCount(inputs: inputCount)
        var s = PatternSet(inputCount: inputCount, wordCount: w)
        let mask = Patterns.exhaustiveMask(inputs: inputCount)
        s.words.withUnsafeMutableBufferPointer { buf in
            for i in 0..<inputCount { for k in 0..<w { buf[i * w + k] = Patterns.exhaustiveWord(input: i, word: k) & mask } }
        }
        s.count = 1 << inputCount
        return s
    }

    /// Builds a set from explicit vectors (each `inputCount` long); nil when a length differs.
    public init?(inputCount: Int, vectors: [[Bool]]) {
        self.init(inputCount: inputCount, wordCount: (vectors.count + 63) / 64)
        for v in vectors { guard append(v) else { return nil } }
    }

    /// Appends one pattern; false (and nothing changes) when its length is not `inputCount`.
    @discardableResult
    public mutating func append(_ vector: [Bool]) -> Bool {
        guard vector.count == inputCount else { return false }
        if count == 64 * wordCount { grow(to: wordCount * 2) }
        let w = count >> 6, bit = UInt64(1) << UInt64(count & 63)
        let stride = wordCount
        words.withUnsafeMutableBufferPointer { buf in
            for i in 0..<inputCount where vector[i] { buf[i * stride + w] |= bit }
        }
        count += 1
        return true
    }

    /// Re-lays the set out with `newWordCount` words per input (≥ the current count).
    public mutating func grow(to newWordCount: Int) {
        guard newWordCount > wordCount else { return }
        var fresh = [UInt64](repeating: 0, count: inputCount * newWordCount)
        let old = wordCount
        fresh.withUnsafeMutableBufferPointer { dst in
            words.withUnsafeBufferPointer { src in
                for i in 0..<inputCount { for k in 0..<old { dst[i * newWordCount + k] = src[i * old + k] } }
            }
        }
        words = fresh
        wordCount = newWordCount
    }

    /// The value of pattern input `input` in pattern `pattern`.
    public func value(input: Int, pattern: Int) -> Bool {
        words[input * wordCount + pattern >> 6] >> UInt64(pattern & 63) & 1 != 0
    }

    /// Pattern `p` as a vector of `inputCount` values.
    public func pattern(_ p: Int) -> [Bool] { (0..<inputCount).map { value(input: $0, pattern: p) } }

    /// Mask of the patterns in use within word `w`.
    public func validMask(word w: Int) -> UInt64 {
        let used = count - 64 * w
        if used >= 64 { return ~0 }
        if used <= 0 { return 0 }
        return (UInt64(1) << UInt64(used)) &- 1
    }
}
