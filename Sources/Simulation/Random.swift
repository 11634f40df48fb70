/// Portable pseudo-random numbers for simulation patterns.
///
/// Everything here is pure 64-bit integer arithmetic with wrapping operators,
/// so a seed gives bit-identical patterns on every machine, OS and release.
/// The definitions are frozen by golden values in the tests.

/// SplitMix64 (Steele, Lea, Flood 2014; reference code by Vigna, public domain).
/// Used to expand seeds; its `k`-th output is the pure function
/// `SplitMix64.mix(seed &+ (k+1) &* 0x9E3779B97F4A7C15)`.
public struct SplitMix64: Sendable {
    public var state: UInt64
    public static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    @inline(__always) public init(seed: UInt64) { state = seed }

    @inline(__always) public mutating func next() -> UInt64 {
        state = state &+ Self.gamma
        return Self.mix(state)
    }

    /// The SplitMix64 finaliser (a bijection on 64-bit words). Also the
    /// mixing step of the functional hash.
    @inline(__always) public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** 1.0 (Blackman and Vigna 2018, public-domain reference code).
public struct Xoshiro256StarStar: Sendable {
    public var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Seeds the four state words with four successive SplitMix64 outputs
    /// (the seeding the xoshiro authors recommend).
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
    }

    /// Uses the state words as given; an all-zero state (the one fixed point)
    /// is replaced by `s0 = 1`.
    public init(state s0: UInt64, _ s1: UInt64, _ s2: UInt64, _ s3: UInt64) {
        self.s0 = s0; self.s1 = s1; self.s2 = s2; self.s3 = s3
        if s0 | s1 | s2 | s3 == 0 { self.s0 = 1 }
    }

    @inline(__always) static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    @inline(__always) public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }
}

/// Where the simulation words of pattern inputs come from.
///
/// - Random patterns: pattern input `i` (inputs first, then latch
///   current-state values) has its own xoshiro256** stream whose state words
///   `j = 0...3` are `SplitMix64.mix(seed &+ UInt64(4*i + j + 1) &* gamma)`,
///   i.e. outputs `4i ... 4i+3` of `SplitMix64(seed:)`. Word `w` of the input
///   is the `w`-th output of its stream (bit `b` of word `w` is pattern `64w + b`).
///   Streams are independent of the number of inputs and of how many words
///   are drawn at a time.
/// - Exhaustive patterns (up to 16 inputs): pattern `m` is minterm `m`, input
///   `i` being bit `i` of `m`.
public enum Patterns {
    /// The random stream of pattern input `index` under `seed`.
    public static func stream(seed: UInt64, input index: Int) -> Xoshiro256StarStar {
        let base = UInt64(truncatingIfNeeded: 4 * index)
        @inline(__always) func word(_ j: UInt64) -> UInt64 {
            SplitMix64.mix(seed &+ (base &+ j &+ 1) &* SplitMix64.gamma)
        }
        return Xoshiro256StarStar(state: word(0), word(1), word(2), word(3))
    }

    /// Random words of the functional hash: mixed densities, so that rare
    /// conditions (a long run of zeros or ones, as in priority logic) are
    /// exercised too. Word `w` of an input is the AND of `k` successive
    /// outputs of its stream, `k = [1, 1, 2, 2, 4, 4, 7, 7][w % 8]`,
    /// complemented when `w % 8` is 3, 5 or 7: densities of ones 1/2, 1/2,
    /// 1/4, 3/4, 1/16, 15/16, 1/128, 127/128.
    @inline(__always) public static func mixedDensityWord(_ rng: inout Xoshiro256StarStar, word w: Int) -> UInt64 {
        let c = w & 7
        var x = rng.next()
        switch c {
        case 0, 1: return x
        case 2, 3: x &= rng.next()
        case 4, 5: x &= rng.next(); x &= rng.next(); x &= rng.next()
        default: for _ in 0..<6 { x &= rng.next() }
        }
        return c & 1 == 1 ? ~x : x
    }

    /// The 64 patterns `64*word ..< 64*word+64` of input `input` under
    /// exhaustive enumeration (`input` < 32).
    @inline(__always) public static func exhaustiveWord(input: Int, word: Int) -> UInt64 {
        switch input {
        case 0: return 0xAAAA_AAAA_AAAA_AAAA
        case 1: return 0xCCCC_CCCC_CCCC_CCCC
        case 2: return 0xF0F0_F0F0_F0F0_F0F0
        case 3: return 0xFF00_FF00_FF00_FF00
        case 4: return 0xFFFF_0000_FFFF_0000
        case 5: return 0xFFFF_FFFF_0000_0000
        default: return (word >> (input - 6)) & 1 == 0 ? 0 : ~0
        }
    }

    /// Words needed for the `2^n` exhaustive patterns of `n` inputs (at least one).
    @inline(__always) public static func exhaustiveWordCount(inputs n: Int) -> Int { n <= 6 ? 1 : 1 << (n - 6) }

    /// Mask of the meaningful bits of each exhaustive word: all ones from 6
    /// inputs up, the low `2^n` bits below.
    @inline(__always) public static func exhaustiveMask(inputs n: Int) -> UInt64 {
        n >= 6 ? ~0 : (UInt64(1) << (UInt64(1) << UInt64(n))) &- 1
    }
}
