import AIG

/// Word-level operators bit-blasted into `NetGraph` literals (LSB first).
///
/// The structures are the textbook ones, so `stats` counts what a reader
/// expects: ripple-carry adders and subtractors (`a + ~b + 1`), an array
/// multiplier truncated to the result width, a restoring divider (quotient
/// all ones and remainder = dividend when dividing by zero, as Yosys's
/// `$div`/`$mod` mapping gives), logarithmic barrel shifters, comparators from
/// the subtractor's borrow, equality as an AND of XNORs. Constants fold while
/// the graph is built and `finish` hashes structurally, so constant operands
/// cost nothing.
extension NetGraph {
    /// `bits` resized to `width`: truncated, or extended with the sign bit (signed) or zeros.
    static func extend(_ bits: [UInt32], to width: Int, signed: Bool) -> [UInt32] {
        if bits.count == width { return bits }
        if bits.count > width { return Array(bits[0..<width]) }
        let fill: UInt32 = signed ? (bits.last ?? NetGraph.falseLit) : NetGraph.falseLit
        return bits + [UInt32](repeating: fill, count: width - bits.count)
    }

    static func constant(_ value: Int, width: Int) -> [UInt32] {
        (0..<width).map { i in i < 63 ? UInt32((value >> i) & 1) : (value < 0 ? 1 : 0) }
    }

    /// `a + b + carryIn`, the width of `a` (b must be as wide); also the carry out.
    mutating func add(_ a: [UInt32], _ b: [UInt32], carryIn: UInt32 = NetGraph.falseLit) -> (sum: [UInt32], carry: UInt32) {
        var c = carryIn
        var out = [UInt32](repeating: 0, count: a.count)
        for i in 0..<a.count {
            let x = xor(a[i], b[i])
            out[i] = xor(x, c)
            // carry = a&b | c&(a^b)
            c = or(and(a[i], b[i]), and(c, x))
        }
        return (out, c)
    }

    /// `a - b` and the borrow (1 when `a < b` unsigned).
    mutating func subtract(_ a: [UInt32], _ b: [UInt32]) -> (difference: [UInt32], borrow: UInt32) {
        let r = add(a, b.map { $0 ^ 1 }, carryIn: NetGraph.trueLit)
        return (r.sum, r.carry ^ 1)
    }

    mutating func negate(_ a: [UInt32]) -> [UInt32] {
        subtract([UInt32](repeating: NetGraph.falseLit, count: a.count), a).difference
    }

    /// Array multiplier, truncated to the operands' width (two's complement, so signedness does not matter).
    mutating func multiply(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        let n = a.count
        var acc = [UInt32](repeating: NetGraph.falseLit, count: n)
        for j in 0..<n where b[j] != NetGraph.falseLit {
            var row = [UInt32](repeating: NetGraph.falseLit, count: n)
            for i in 0..<(n - j) { row[i + j] = and(a[i], b[j]) }
            acc = add(acc, row).sum
        }
        return acc
    }

    /// Unsigned restoring division: quotient and remainder, the width of `a`.
    mutating func divideUnsigned(_ a: [UInt32], _ b: [UInt32]) -> (quotient: [UInt32], remainder: [UInt32]) {
        let n = a.count
        let divisor = b + [NetGraph.falseLit]
        var rem = [UInt32](repeating: NetGraph.falseLit, count: n + 1)
        var q = [UInt32](repeating: NetGraph.falseLit, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            rem = [a[i]] + rem[0..<n]
            let (d, borrow) = subtract(rem, divisor)
            q[i] = borrow ^ 1
            for k in 0..<(n + 1) { rem[k] = mux(borrow, rem[k], d[k]) }
        }
        return (q, Array(rem[0..<n]))
    }

    /// Division truncating toward zero; the remainder takes the dividend's sign.
    mutating func divide(_ a: [UInt32], _ b: [UInt32], signed: Bool) -> (quotient: [UInt32], remainder: [UInt32]) {
        guard signed, let sa = a.last, let sb = b.last else { return divideUnsigned(a, b) }
        let na = negate(a), nb = negate(b)
        let absA = (0..<a.count).map { mux(sa, na[$0], a[$0]) }
        let absB = (0..<b.count).map { mux(sb, nb[$0], b[$0]) }
        let (q, r) = divideUnsigned(absA, absB)
        let nq = negate(q), nr = negate(r)
        let flip = xor(sa, sb)
        return ((0..<q.count).map { mux(flip, nq[$0], q[$0]) }, (0..<r.count).map { mux(sa, nr[$0], r[$0]) })
    }

    /// Barrel shifter; `left` shifts towards the MSB. `fill` enters the vacated bits.
    mutating func shift(_ a: [UInt32], by amount: [UInt32], left: Bool, fill: UInt32) -> [UInt32] {
        let n = a.count
        var cur = a
        var overflow = NetGraph.falseLit
        for (k, s) in amount.enumerated() {
            if k >= 62 || (1 << k) >= n {
                overflow = or(overflow, s)
                continue
            }
            let d = 1 << k
            var next = cur
            for i in 0..<n {
                let src = left ? i - d : i + d
                let v = src >= 0 && src < n ? cur[src] : fill
                next[i] = mux(s, v, cur[i])
            }
            cur = next
        }
        if overflow != NetGraph.falseLit { cur = cur.map { mux(overflow, fill, $0) } }
        return cur
    }

    mutating func equal(_ a: [UInt32], _ b: [UInt32]) -> UInt32 {
        var xs = (0..<a.count).map { xor(a[$0], b[$0]) ^ 1 }
        return reduce(&xs, identity: NetGraph.trueLit) { $0.and($1, $2) }
    }

    /// `a < b`, signed or unsigned (same widths).
    mutating func less(_ a: [UInt32], _ b: [UInt32], signed: Bool) -> UInt32 {
        guard !a.isEmpty else { return NetGraph.falseLit }
        var x = a, y = b
        if signed { x[x.count - 1] ^= 1; y[y.count - 1] ^= 1 }
        return subtract(x, y).borrow
    }

    mutating func reduceAnd(_ a: [UInt32]) -> UInt32 { var xs = a; return reduce(&xs, identity: NetGraph.trueLit) { $0.and($1, $2) } }
    mutating func reduceOr(_ a: [UInt32]) -> UInt32 { var xs = a; return reduce(&xs, identity: NetGraph.falseLit) { $0.or($1, $2) } }
    mutating func reduceXor(_ a: [UInt32]) -> UInt32 { var xs = a; return reduce(&xs, identity: NetGraph.falseLit) { $0.xor($1, $2) } }

    /// `a ** e` by square-and-multiply, the width of `a`; the exponent is unsigned.
    mutating func power(_ a: [UInt32], _ e: [UInt32]) -> [UInt32] {
        let n = a.count
        var result = NetGraph.constant(1, width: n)
        var base = a
        for (k, bit) in e.enumerated() {
            if bit != NetGraph.falseLit {
                let product = multiply(result, base)
                result = (0..<n).map { mux(bit, product[$0], result[$0]) }
            }
            if k + 1 < e.count && e[(k + 1)...].contains(where: { $0 != NetGraph.falseLit }) { base = multiply(base, base) }
        }
        return result
    }

    /// Bit `i` equals constant `value` (two's complement pattern of `bits.count` bits); false when it cannot.
    mutating func equalsConstant(_ bits: [UInt32], _ value: Int, signed: Bool) -> UInt32 {
        let w = bits.count
        if w < 63 {
            let lo = signed ? -(1 << (w - 1)) : 0, hi = signed ? (1 << (w - 1)) - 1 : (1 << w) - 1
            if value < lo || value > hi { return NetGraph.falseLit }
        } else if !signed && value < 0 { return NetGraph.falseLit }
        var xs = (0..<w).map { i -> UInt32 in
            let b = i < 63 ? (value >> i) & 1 : (value < 0 ? 1 : 0)
            return b == 1 ? bits[i] : bits[i] ^ 1
        }
        return reduce(&xs, identity: NetGraph.trueLit) { $0.and($1, $2) }
    }
}
