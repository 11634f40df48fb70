/// Builds an `AIG` with structural hashing: operands are ordered, trivial
/// cases fold (`a∧0=0`, `a∧1=a`, `a∧a=a`, `a∧¬a=0`) and an existing identical
/// AND is reused. Inputs and latches must be created before the first AND so
/// that the canonical AIGER numbering holds.
public struct AIGBuilder: Sendable {
    public private(set) var aig: AIG
    private var table: StrashTable

    public init(inputCount: Int = 0, latchCount: Int = 0, expectedAnds: Int = 0) {
        aig = AIG(inputCount: inputCount)
        for _ in 0..<latchCount { aig.latches.append(Latch(next: .false)); aig.latchNames.append(nil) }
        aig.ands.reserveCapacity(expectedAnds)
        table = StrashTable(expected: expectedAnds)
    }

    /// Continues building on an existing AIG (its ANDs are hashed, duplicates kept as they are).
    public init(_ existing: AIG) {
        aig = existing
        table = StrashTable(expected: existing.ands.count)
        for (k, a) in existing.ands.enumerated() {
            table.insertIfAbsent(key: a, variable: UInt32(existing.firstAndVariable + k))
        }
    }

    public var inputCount: Int { aig.inputCount }
    public var maxVariable: Int { aig.maxVariable }
    public var firstAndVariable: Int { aig.firstAndVariable }
    /// Fanins of AND variable `v` (without copying the AIG).
    @inline(__always) public func fanins(ofVariable v: Int) -> AndFanins { aig.ands[v - aig.firstAndVariable] }

    /// Adds a primary input; only allowed before any latch or AND exists.
    public mutating func addInput(name: String? = nil) -> Literal {
        precondition(aig.ands.isEmpty && aig.latches.isEmpty, "inputs must precede latches and ANDs")
        aig.inputCount += 1
        aig.inputNames.append(name)
        return Literal(variable: UInt32(aig.inputCount))
    }

    /// Adds a latch (next state set later with `setLatch`); only before any AND exists.
    public mutating func addLatch(reset: Latch.Reset = .zero, name: String? = nil) -> Literal {
        precondition(aig.ands.isEmpty, "latches must precede ANDs")
        aig.latches.append(Latch(next: .false, reset: reset))
        aig.latchNames.append(name)
        return aig.latchLiteral(aig.latches.count - 1)
    }

    public mutating func setLatch(_ index: Int, next: Literal, reset: Latch.Reset? = nil) {
        aig.latches[index].next = next
        if let reset { aig.latches[index].reset = reset }
    }

    public func input(_ i: Int) -> Literal { aig.inputLiteral(i) }
    public func latch(_ i: Int) -> Literal { aig.latchLiteral(i) }

    @inline(__always)
    public mutating func and(_ a: Literal, _ b: Literal) -> Literal {
        if a == b { return a }
        if a.raw ^ b.raw == 1 { return .false }
        if a.raw < 2 || b.raw < 2 {
            // One side is a constant: false absorbs, true is the identity.
            let (c, x) = a.raw < 2 ? (a, b) : (b, a)
            return c == .false ? .false : x
        }
        let fanins = AndFanins(a, b)
        let next = UInt32(aig.firstAndVariable + aig.ands.count)
        let v = table.insertIfAbsent(key: fanins, variable: next)
        if v == next { aig.ands.append(fanins) }
        return Literal(variable: v)
    }

    /// Looks up an AND without creating it; nil when it does not exist and does not fold.
    public func existingAnd(_ a: Literal, _ b: Literal) -> Literal? {
        if a == b { return a }
        if a.raw ^ b.raw == 1 { return .false }
        if a.raw < 2 || b.raw < 2 { let (c, x) = a.raw < 2 ? (a, b) : (b, a); return c == .false ? .false : x }
        return table.find(AndFanins(a, b)).map { Literal(variable: $0) }
    }

    public mutating func nand(_ a: Literal, _ b: Literal) -> Literal { !and(a, b) }
    public mutating func or(_ a: Literal, _ b: Literal) -> Literal { !and(!a, !b) }
    public mutating func nor(_ a: Literal, _ b: Literal) -> Literal { and(!a, !b) }
    /// XOR as `¬(a∧b) ∧ ¬(¬a∧¬b)`, three ANDs.
    public mutating func xor(_ a: Literal, _ b: Literal) -> Literal {
        let both = and(a, b)
        let neither = and(!a, !b)
        return and(!both, !neither)
    }
    public mutating func xnor(_ a: Literal, _ b: Literal) -> Literal { !xor(a, b) }
    /// `sel ? t : e` as `¬(¬(sel∧t) ∧ ¬(¬sel∧e))`.
    public mutating func mux(_ sel: Literal, _ t: Literal, _ e: Literal) -> Literal {
        if t == e { return t }
        return or(and(sel, t), and(!sel, e))
    }
    /// Balanced AND over many operands (true for none).
    public mutating func and(_ xs: [Literal]) -> Literal { reduce(xs, identity: .true) { $0.and($1, $2) } }
    public mutating func or(_ xs: [Literal]) -> Literal { reduce(xs, identity: .false) { $0.or($1, $2) } }
    public mutating func xor(_ xs: [Literal]) -> Literal { reduce(xs, identity: .false) { $0.xor($1, $2) } }

    private mutating func reduce(_ xs: [Literal], identity: Literal,
                                 _ op: (inout AIGBuilder, Literal, Literal) -> Literal) -> Literal {
        if xs.isEmpty { return identity }
        var level = xs
        while level.count > 1 {
            var next: [Literal] = []
            next.reserveCapacity((level.count + 1) / 2)
            var i = 0
            while i + 1 < level.count { next.append(op(&self, level[i], level[i + 1])); i += 2 }
            if i < level.count { next.append(level[i]) }
            level = next
        }
        return level[0]
    }

    public mutating func addOutput(_ literal: Literal, name: String? = nil) { aig.addOutput(literal, name: name) }

    /// Gives direct access to the non-structural parts (names, properties, comments).
    public mutating func withAIG<R>(_ body: (inout AIG) -> R) -> R { body(&aig) }

    public func finish() -> AIG { aig }
}

/// Open-addressing hash table from AND fanins to the AND's variable.
/// No dictionary: keys and values live in two flat arrays.
struct StrashTable: Sendable {
    private var keys: [UInt64]     // 0 = empty (a real key never has both fanins constant-false)
    private var values: [UInt32]
    private var count = 0
    private var mask: Int

    init(expected: Int) {
        var cap = 1024
        while cap < expected * 2 { cap <<= 1 }
        keys = Array(repeating: 0, count: cap)
        values = Array(repeating: 0, count: cap)
        mask = cap - 1
    }

    @inline(__always) private static func key(_ f: AndFanins) -> UInt64 {
        UInt64(f.left.raw) << 32 | UInt64(f.right.raw)
    }
    @inline(__always) private static func slot(_ k: UInt64, _ mask: Int) -> Int {
        // Fibonacci hashing spreads the structured keys.
        Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    func find(_ f: AndFanins) -> UInt32? {
        let k = Self.key(f)
        var i = Self.slot(k, mask)
        while true {
            let e = keys[i]
            if e == 0 { return nil }
            if e == k { return values[i] }
            i = (i + 1) & mask
        }
    }

    /// Returns the existing variable for `f`, or inserts `variable` and returns it.
    @inline(__always)
    @discardableResult
    mutating func insertIfAbsent(key f: AndFanins, variable: UInt32) -> UInt32 {
        if (count + 1) * 2 > keys.count { grow() }
        let k = Self.key(f)
        let m = mask
        return keys.withUnsafeMutableBufferPointer { kb in
            values.withUnsafeMutableBufferPointer { vb in
                var i = Self.slot(k, m)
                while true {
                    let e = kb[i]
                    if e == k { return vb[i] }
                    if e == 0 { kb[i] = k; vb[i] = variable; count += 1; return variable }
                    i = (i + 1) & m
                }
            }
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        let cap = keys.count * 2
        keys = Array(repeating: 0, count: cap)
        values = Array(repeating: 0, count: cap)
        mask = cap - 1
        count = 0
        for i in 0..<oldKeys.count where oldKeys[i] != 0 {
            var j = Self.slot(oldKeys[i], mask)
            while keys[j] != 0 { j = (j + 1) & mask }
            keys[j] = oldKeys[i]; values[j] = oldValues[i]; count += 1
        }
    }
}
