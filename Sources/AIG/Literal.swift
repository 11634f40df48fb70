/// An AIG literal: `2 * variable + complement`, exactly AIGER's convention.
/// Variable 0 is the constant false, so `.false` = 0 and `.true` = 1.
public struct Literal: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var raw: UInt32

    @inline(__always) public init(raw: UInt32) { self.raw = raw }
    @inline(__always) public init(variable: UInt32, complemented: Bool = false) {
        raw = variable &<< 1 | (complemented ? 1 : 0)
    }

    public static let `false` = Literal(raw: 0)
    public static let `true` = Literal(raw: 1)

    @inline(__always) public var variable: UInt32 { raw >> 1 }
    @inline(__always) public var isComplemented: Bool { raw & 1 != 0 }
    @inline(__always) public var isConstant: Bool { raw < 2 }
    /// The same variable without complement.
    @inline(__always) public var regular: Literal { Literal(raw: raw & ~1) }

    @inline(__always) public static prefix func ! (l: Literal) -> Literal { Literal(raw: l.raw ^ 1) }
    /// Complements the literal when `condition` holds.
    @inline(__always) public func complemented(if condition: Bool) -> Literal {
        Literal(raw: raw ^ (condition ? 1 : 0))
    }

    @inline(__always) public static func < (a: Literal, b: Literal) -> Bool { a.raw < b.raw }
    public var description: String { String(raw) }
}
