import AIG

/// The exact truth table of a Boolean function of up to 16 inputs.
///
/// Bit `j` is the value on minterm `j`, input `i` being bit `i` of `j`. The
/// bits are stored in `max(1, 2^n / 64)` words (bit `j` is bit `j % 64` of
/// word `j / 64`); for fewer than 6 inputs only the low `2^n` bits of the
/// single word are used and the rest are kept zero, so `==` and hashing are
/// exact.
public struct TruthTable: Hashable, Sendable, CustomStringConvertible {
    public static let maxInputs = 16

    public let inputCount: Int
    public private(set) var words: [UInt64]

    /// Mask of the meaningful bits of each word.
    @inline(__always) var mask: UInt64 { Patterns.exhaustiveMask(inputs: inputCount) }

    /// The constant function `value`; nil when `inputCount` is outside `0...16`.
    public init?(inputCount: Int, constant value: Bool = false) {
        guard inputCount >= 0, inputCount <= Self.maxInputs else { return nil }
        self.inputCount = inputCount
        let m = Patterns.exhaustiveMask(inputs: inputCount)
        words = Array(repeating: value ? m : 0, count: Patterns.exhaustiveWordCount(inputs: inputCount))
    }

    /// The projection onto input `index`; nil when out of range.
    public init?(inputCount: Int, variable index: Int) {
        guard inputCount >= 0, inputCount <= Self.maxInputs, index >= 0, index < inputCount else { return nil }
        self.inputCount = inputCount
        let m = Patterns.exhaustiveMask(inputs: inputCount)
        words = (0..<Patterns.exhaustiveWordCount(inputs: inputCount)).map { Patterns.exhaustiveWord(input: index, word: $0) & m }
    }

    /// From raw words (`max(1, 2^n/64)` of them); bits beyond `2^n` are cleared. Nil on a size mismatch.
    public init?(inputCount: Int, words: [UInt64]) {
        guard inputCount >= 0, inputCount <= Self.maxInputs,
              words.count == Patterns.exhaustiveWordCount(inputs: inputCount) else { return nil }
        self.inputCount = inputCount
        let m = Patterns.exhaustiveMask(inputs: inputCount)
        self.words = words.map { $0 & m }
    }

    /// From a hexadecimal string, most significant digit first (minterm
    /// `2^n - 1` leftmost), as ABC prints truth tables; `0x` prefix optional.
    /// Needs exactly `max(1, 2^n/4)` digits.
    public init?(hex: String, inputCount: Int) {
        guard var t = TruthTable(inputCount: inputCount) else { return nil }
        var digits = Substring(hex)
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        let need = max(1, (1 << inputCount) / 4)
        guard digits.count == need else { return nil }
        for (pos, ch) in digits.reversed().enumerated() {
            guard let d = ch.hexDigitValue else { return nil }
            t.words[pos / 16] |= UInt64(d) << UInt64(4 * (pos % 16))
        }
        // Digits must not set bits beyond minterm 2^n - 1 (possible below 2 inputs).
        guard t.words.allSatisfy({ $0 & ~t.mask == 0 }) else { return nil }
        self = t
    }

    public var mintermCount: Int { 1 << inputCount }

    /// Value on minterm `m` (`0 ≤ m < 2^n`).
    public subscript(minterm m: Int) -> Bool {
        get { words[m >> 6] >> UInt64(m & 63) & 1 != 0 }
        set {
            let bit = UInt64(1) << UInt64(m & 63)
            if newValue { words[m >> 6] |= bit } else { words[m >> 6] &= ~bit }
        }
    }

    /// Value for an assignment of the inputs (`values.count == inputCount`).
    public func evaluate(_ values: [Bool]) -> Bool {
        var m = 0
        for (i, v) in values.enumerated() where v { m |= 1 << i }
        return self[minterm: m]
    }

    public var onesCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }
    public var isConstantFalse: Bool { words.allSatisfy { $0 == 0 } }
    public var isConstantTrue: Bool { words.allSatisfy { $0 == mask } }

    /// The cofactor with input `i` fixed to `value`, still over `inputCount`
    /// inputs (it no longer depends on input `i`).
    public func cofactor(_ i: Int, _ value: Bool) -> TruthTable {
        precondition(i >= 0 && i < inputCount, "input \(i) out of range")
        var r = self
        if i < 6 {
            let shift = UInt64(1) << UInt64(i)
            let sel = Patterns.exhaustiveWord(input: i, word: 0)
            for k in 0..<r.words.count {
                let x = words[k]
                let half = value ? (x & sel) >> shift : x & ~sel
                r.words[k] = (half | half << shift) & mask
            }
        } else {
            let step = 1 << (i - 6)
            for k in 0..<r.words.count {
                let src = value ? (k | step) : (k & ~step)
                r.words[k] = words[src]
            }
        }
        return r
    }

    /// Whether the function depends on input `i`.
    public func dependsOn(_ i: Int) -> Bool { cofactor(i, false) != cofactor(i, true) }

    /// The inputs the function depends on.
    public var support: [Int] { (0..<inputCount).filter(dependsOn) }

    public static prefix func ~ (t: TruthTable) -> TruthTable {
        var r = t
        let m = t.mask
        for k in 0..<r.words.count { r.words[k] = ~r.words[k] & m }
        return r
    }

    private static func combine(_ a: TruthTable, _ b: TruthTable, _ op: (UInt64, UInt64) -> UInt64) -> TruthTable {
        precondition(a.inputCount == b.inputCount, "truth tables over different input counts")
        var r = a
        for k in 0..<r.words.count { r.words[k] = op(a.words[k], b.words[k]) }
        return r
    }
    public static func & (a: TruthTable, b: TruthTable) -> TruthTable { combine(a, b, &) }
    public static func | (a: TruthTable, b: TruthTable) -> TruthTable { combine(a, b, |) }
    public static func ^ (a: TruthTable, b: TruthTable) -> TruthTable { combine(a, b, ^) }

    /// Hexadecimal, most significant digit first (ABC's convention).
    public var hex: String {
        let digits = max(1, mintermCount / 4)
        var s = ""
        s.reserveCapacity(digits)
        for pos in stride(from: digits - 1, through: 0, by: -1) {
            let d = Int(words[pos / 16] >> UInt64(4 * (pos % 16)) & 0xF)
            s.append(Character(String(d, radix: 16)))
        }
        return s
    }

    /// Binary, minterm 0 first.
    public var bits: String { String((0..<mintermCount).map { self[minterm: $0] ? "1" : "0" }) }

    public var description: String { "0x" + hex }
}

extension TruthTable {
    /// The truth tables of the outputs of a combinational circuit (latch
    /// current states count as inputs, after the primary inputs: the tables
    /// have `inputCount + latchCount` inputs). Nil above 16 such inputs.
    /// Exhaustive bit-parallel simulation of the outputs' cone.
    public static func of(_ aig: AIG) -> [TruthTable]? {
        of(aig, roots: aig.outputs)
    }

    /// The truth tables of arbitrary literals of `aig` (outputs, latch next
    /// states, internal nodes). Nil above 16 pattern inputs.
    public static func of(_ aig: AIG, roots: [Literal]) -> [TruthTable]? {
        var sim = Simulator()
        return of(aig, roots: roots, simulator: &sim)
    }

    /// As `of(_:roots:)`, reusing a simulator's buffers.
    public static func of(_ aig: AIG, roots: [Literal], simulator sim: inout Simulator) -> [TruthTable]? {
        let n = aig.inputCount + aig.latchCount
        guard n <= maxInputs, let patterns = PatternSet.exhaustive(inputCount: n) else { return nil }
        if roots.contains(where: { Int($0.variable) > aig.maxVariable }) { return nil }
        sim.simulate(aig, patterns: patterns, cone: roots)
        // Cannot fail: n ≤ 16 and the word count is the exhaustive one.
        return roots.compactMap { TruthTable(inputCount: n, words: sim.literalWords($0)) }
    }
}
