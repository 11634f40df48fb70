import AIG

// Expression sizing and evaluation (IEEE 1364-2005 5.4, 5.5): every
// expression has a self-determined width and signedness; the context's width
// (the widest operand or the assignment target) and type (signed only when
// every context-determined operand is signed) are propagated down to the
// operands, which are extended — sign-extended only when that type is signed —
// before the operator applies.
extension RTLElaborator {
    static func isComparison(_ op: UInt8) -> Bool {
        op == VT.eqEq || op == VT.bangEq || op == VT.eqEqEq || op == VT.bangEqEq
            || op == VT.lt || op == VT.le || op == VT.gt || op == VT.ge
    }

    func constInfo(_ ci: Int32, _ tok: Int32) -> VConst? { ci >= 0 && Int(ci) < ps.lexer.consts.count ? ps.lexer.consts[Int(ci)] : nil }

    /// Self-determined width and signedness.
    mutating func selfType(_ e: RExpr) throws -> (Int, Bool) {
        switch e.node {
        case .ident(let id): return try signalType(id, e.tok)
        case .number(let ci):
            guard let c = constInfo(ci, e.tok) else { return (32, true) }
            return (c.sized ? Int(c.width) : max(32, Int(c.width)), c.signed)
        case .string(let id): return (max(8, 8 * RTLElaborator.stringBytes(name(id)).count), false)
        case .unary(let op, let a):
            switch op {
            case VT.tilde, VT.minus, VT.plus: return try selfType(a)
            default: return (1, false)
            }
        case .binary(let op, let a, let b):
            if RTLElaborator.isComparison(op) || op == VT.ampAmp || op == VT.pipePipe { return (1, false) }
            let (wa, sa) = try selfType(a)
            if op == VT.shl || op == VT.shr || op == VT.ashl || op == VT.ashr || op == VT.power { return (wa, sa) }
            let (wb, sb) = try selfType(b)
            return (max(wa, wb), sa && sb)
        case .ternary(_, let a, let b):
            let (wa, sa) = try selfType(a), (wb, sb) = try selfType(b)
            return (max(wa, wb), sa && sb)
        case .concat(let parts):
            var w = 0
            for x in parts { w += try selfType(x).0 }
            return (w, false)
        case .repl(let n, let parts):
            let count = try constInt(n, "the replication count")
            if count < 0 || count > 1 << 20 { throw err(n.tok, "replication count \(count) is out of range") }
            var w = 0
            for x in parts { w += try selfType(x).0 }
            if w > 0 && count > RTLElaborator.maxWidth / w { throw err(e.tok, "replication is wider than \(RTLElaborator.maxWidth) bits") }
            return (w * count, false)
        case .index(let b, _):
            if case .ident(let id) = b.node, case .signal(let si)? = lookup(id), signals[si].words > 0 {
                return (signals[si].width, signals[si].signed)
            }
            return (1, false)
        case .range(_, let h, let l):
            return (abs(try constInt(h, "a part-select bound") - constInt(l, "a part-select bound")) + 1, false)
        case .indexed(_, _, let w, _):
            return (try constInt(w, "the part-select width"), false)
        case .call(let f, _):
            guard let fn = functionNamed(f) else { throw err(e.tok, "function '\(name(f))' is not defined") }
            return try functionType(fn)
        case .system(let s, let args):
            switch name(s) {
            case "$signed", "$unsigned":
                guard args.count == 1 else { throw err(e.tok, "\(name(s)) takes one argument") }
                return (try selfType(args[0]).0, name(s) == "$signed")
            case "$clog2": return (32, true)
            default: throw err(e.tok, "system function '\(name(s))' is not supported")
            }
        case .hierarchical(let path):
            throw err(e.tok, "hierarchical references ('\(path.map { name($0) }.joined(separator: "."))') are not supported")
        }
    }

    func functionNamed(_ f: Int32) -> RFunction? { ps.modules[scopes[scope].module].functions[f] }

    mutating func functionType(_ fn: RFunction) throws -> (Int, Bool) {
        if fn.isInteger { return (32, true) }
        guard let r = fn.range else { return (1, fn.signed) }
        return (abs(try constInt(r.msb, "the function's range") - constInt(r.lsb, "the function's range")) + 1, fn.signed)
    }

    /// `e` evaluated for an assignment to `width` bits.
    mutating func evalTop(_ e: RExpr, _ width: Int, target: Bool? = nil) throws -> [UInt32] {
        let (w, s) = try selfType(e)
        let bits = try eval(e, max(w, width), s)
        return bits.count == width ? bits : NetGraph.extend(bits, to: width, signed: s)
    }

    /// `e` evaluated self-determined.
    mutating func evalSelf(_ e: RExpr) throws -> (bits: [UInt32], signed: Bool) {
        let (w, s) = try selfType(e)
        return (try eval(e, w, s), s)
    }

    mutating func truth(_ e: RExpr) throws -> UInt32 { g.reduceOr(try evalSelf(e).bits) }

    /// `e` in a context of `width` bits and type `signed`.
    mutating func eval(_ e: RExpr, _ width: Int, _ signed: Bool) throws -> [UInt32] {
        steps += 1
        if width > RTLElaborator.maxWidth { throw err(e.tok, "expression is \(width) bits wide: more than \(RTLElaborator.maxWidth) bits is not supported") }
        if steps > RTLElaborator.maxSteps {
            throw err(e.tok, "elaboration takes more than \(RTLElaborator.maxSteps) steps (nested loops?): the design is too large to unroll")
        }
        if g.nodeA.count > RTLElaborator.maxNodes { throw err(e.tok, "design too large: more than \(RTLElaborator.maxNodes) nodes") }
        switch e.node {
        case .ident(let id):
            let (bits, _) = try readSignal(id, e.tok)
            return NetGraph.extend(bits, to: width, signed: signed)
        case .number(let ci):
            guard let c = constInfo(ci, e.tok) else { return NetGraph.constant(0, width: width) }
            if c.xzStart >= 0 && options.xBits == .error {
                throw err(e.tok, "x/z values are only supported as don't-care bits of casez/casex labels: expected 0/1 digits (or read them as 0 with --x-bits zero)")
            }
            let w = c.sized ? Int(c.width) : max(32, Int(c.width))
            var bits = [UInt32](repeating: NetGraph.falseLit, count: w)
            for i in 0..<Int(c.width) { bits[i] = UInt32(ps.lexer.constBits[Int(c.bitsStart) + i]) }
            return NetGraph.extend(bits, to: width, signed: signed)
        case .string(let id):
            // 8 bits per character, the first character most significant (IEEE 1364 3.6).
            let bytes = RTLElaborator.stringBytes(name(id))
            var bits: [UInt32] = []
            for b in bytes.reversed() { for k in 0..<8 { bits.append(UInt32((b >> k) & 1)) } }
            return NetGraph.extend(bits.isEmpty ? NetGraph.constant(0, width: 8) : bits, to: width, signed: false)
        case .unary(let op, let a):
            switch op {
            case VT.tilde: return try eval(a, width, signed).map { $0 ^ 1 }
            case VT.plus: return try eval(a, width, signed)
            case VT.minus: return g.negate(try eval(a, width, signed))
            case VT.bang: return RTLElaborator.bool(try truth(a) ^ 1, width)
            default:
                let bits = try evalSelf(a).bits
                let r: UInt32
                switch op {
                case VT.amp: r = g.reduceAnd(bits)
                case VT.tildeAmp: r = g.reduceAnd(bits) ^ 1
                case VT.pipe: r = g.reduceOr(bits)
                case VT.tildePipe: r = g.reduceOr(bits) ^ 1
                case VT.caret: r = g.reduceXor(bits)
                default: r = g.reduceXor(bits) ^ 1
                }
                return RTLElaborator.bool(r, width)
            }
        case .binary(let op, let a, let b):
            return try binary(op, a, b, width, signed, e.tok)
        case .ternary(let c, let a, let b):
            let cond = try truth(c)
            if cond == NetGraph.trueLit { return try eval(a, width, signed) }
            if cond == NetGraph.falseLit { return try eval(b, width, signed) }
            let x = try eval(a, width, signed), y = try eval(b, width, signed)
            return (0..<width).map { g.mux(cond, x[$0], y[$0]) }
        case .concat(let parts):
            var bits: [UInt32] = []
            for part in parts.reversed() { bits += try evalSelf(part).bits }
            return NetGraph.extend(bits, to: width, signed: false)
        case .repl(let n, let parts):
            let count = try constInt(n, "the replication count")
            var one: [UInt32] = []
            for part in parts.reversed() { one += try evalSelf(part).bits }
            var bits: [UInt32] = []
            bits.reserveCapacity(one.count * max(0, count))
            for _ in 0..<max(0, count) { bits += one }
            return NetGraph.extend(bits, to: width, signed: false)
        case .index(let b, let i):
            let (bits, s) = try select(b, i, e.tok)
            return NetGraph.extend(bits, to: width, signed: signed && s)
        case .range(let b, let h, let l):
            let (src, sig, wordBase) = try selectSource(b)
            let hi = try constInt(h, "a part-select bound"), lo = try constInt(l, "a part-select bound")
            let bits = try partBits(sig, wordBase, hi, lo, e.tok).map { $0 < 0 ? NetGraph.falseLit : src($0) }
            return NetGraph.extend(bits, to: width, signed: false)
        case .indexed(let b, let start, let w, let up):
            let (src, sig, wordBase) = try selectSource(b)
            let pw = try constInt(w, "the part-select width")
            if pw <= 0 || pw > RTLElaborator.maxWidth { throw err(w.tok, "the part-select width must be between 1 and \(RTLElaborator.maxWidth)") }
            let (sbits, ssigned) = try evalSelf(start)
            if let st = RTLElaborator.intValue(sbits, signed: ssigned), !sbits.contains(where: { $0 > 1 }) {
                let (h, l) = indexedBounds(sig, st, pw, up)
                let bits = try partBits(sig, wordBase, h, l, e.tok).map { $0 < 0 ? NetGraph.falseLit : src($0) }
                return NetGraph.extend(bits, to: width, signed: false)
            }
            // Variable start: one candidate per start value that touches the vector.
            var out = [UInt32](repeating: NetGraph.falseLit, count: pw)
            let lowIndex = min(sig.msb, sig.lsb), highIndex = max(sig.msb, sig.lsb)
            for st in (lowIndex - pw + 1)...highIndex {
                let c = g.equalsConstant(sbits, st, signed: ssigned)
                if c == NetGraph.falseLit { continue }
                let (h, l) = indexedBounds(sig, st, pw, up)
                let bits = try partBits(sig, wordBase, h, l, e.tok)
                for j in 0..<pw where bits[j] >= 0 { out[j] = g.or(out[j], g.and(c, src(bits[j]))) }
            }
            return NetGraph.extend(out, to: width, signed: false)
        case .call(let f, let args):
            guard let fn = functionNamed(f) else { throw err(e.tok, "function '\(name(f))' is not defined") }
            let (bits, s) = try call(fn, args, e.tok)
            return NetGraph.extend(bits, to: width, signed: signed && s)
        case .system(let s, let args):
            switch name(s) {
            case "$signed", "$unsigned":
                guard args.count == 1 else { throw err(e.tok, "\(name(s)) takes one argument") }
                let bits = try evalSelf(args[0]).bits
                return NetGraph.extend(bits, to: width, signed: signed)
            case "$clog2":
                guard args.count == 1 else { throw err(e.tok, "$clog2 takes one argument") }
                let c = try constValue(args[0])
                guard let v = RTLElaborator.intValue(c.bits, signed: false) else { throw err(e.tok, "$clog2 argument is too large") }
                var r = 0
                while (1 << r) < v { r += 1 }
                return NetGraph.extend(NetGraph.constant(r, width: 32), to: width, signed: signed)
            default: throw err(e.tok, "system function '\(name(s))' is not supported")
            }
        case .hierarchical(let path):
            throw err(e.tok, "hierarchical references ('\(path.map { name($0) }.joined(separator: "."))') are not supported")
        }
    }

    /// A string literal's bytes with the escapes \n \t \\ \" and \ddd (octal) resolved.
    static func stringBytes(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        let u = Array(text.utf8)
        var i = 0
        while i < u.count {
            if u[i] == 92 && i + 1 < u.count {
                let c = u[i + 1]
                switch c {
                case 110: out.append(10); i += 2
                case 116: out.append(9); i += 2
                case 48...55:
                    var v = 0, j = i + 1
                    while j < u.count && j < i + 4 && u[j] >= 48 && u[j] <= 55 { v = v * 8 + Int(u[j] - 48); j += 1 }
                    out.append(UInt8(v & 255)); i = j
                default: out.append(c); i += 2
                }
            } else { out.append(u[i]); i += 1 }
        }
        return out
    }

    /// `x op y` on two constants of up to 62 bits in machine arithmetic (constant
    /// functions and loop counters run these millions of times); nil otherwise, and for
    /// a zero divisor, which the divider's structure defines.
    static func foldConstants(_ op: UInt8, _ x: [UInt32], _ y: [UInt32], signed: Bool) -> [UInt32]? {
        let w = x.count
        guard w <= 62, op == VT.plus || op == VT.minus || op == VT.star || op == VT.slash || op == VT.percent,
              !x.contains(where: { $0 > 1 }), !y.contains(where: { $0 > 1 }),
              let a = intValue(x, signed: signed), let b = intValue(y, signed: signed) else { return nil }
        let r: Int
        switch op {
        case VT.plus: r = a &+ b
        case VT.minus: r = a &- b
        case VT.star: r = a &* b
        default:
            if b == 0 { return nil }
            if signed { r = op == VT.slash ? a / b : a % b } else {
                let ua = UInt64(bitPattern: Int64(a)) & ((1 << UInt64(w)) - 1), ub = UInt64(bitPattern: Int64(b)) & ((1 << UInt64(w)) - 1)
                r = Int(Int64(bitPattern: op == VT.slash ? ua / ub : ua % ub))
            }
        }
        return NetGraph.constant(r, width: w)
    }

    /// `b` as the LSB of `width` bits. Static: a non-mutating method called with an argument
    /// that mutates the elaborator made Swift copy the whole struct, and then every array it
    /// holds on the next write (a 3,000-iteration loop spent 0.2 s copying the trail).
    static func bool(_ b: UInt32, _ width: Int) -> [UInt32] {
        var out = [UInt32](repeating: NetGraph.falseLit, count: max(width, 1))
        out[0] = b
        return width == 0 ? [] : out
    }

    mutating func binary(_ op: UInt8, _ a: RExpr, _ b: RExpr, _ width: Int, _ signed: Bool, _ tok: Int32) throws -> [UInt32] {
        switch op {
        case VT.ampAmp, VT.pipePipe:
            let x = try truth(a)
            // Short-circuit on constants keeps `W > 0 && v[W-1]` legal.
            if op == VT.ampAmp && x == NetGraph.falseLit { return RTLElaborator.bool(NetGraph.falseLit, width) }
            if op == VT.pipePipe && x == NetGraph.trueLit { return RTLElaborator.bool(NetGraph.trueLit, width) }
            let y = try truth(b)
            return RTLElaborator.bool(op == VT.ampAmp ? g.and(x, y) : g.or(x, y), width)
        case _ where RTLElaborator.isComparison(op):
            let (wa, sa) = try selfType(a), (wb, sb) = try selfType(b)
            let w = max(wa, wb), s = sa && sb
            let x = try eval(a, w, s), y = try eval(b, w, s)
            let r: UInt32
            switch op {
            case VT.eqEq, VT.eqEqEq: r = g.equal(x, y)
            case VT.bangEq, VT.bangEqEq: r = g.equal(x, y) ^ 1
            case VT.lt: r = g.less(x, y, signed: s)
            case VT.gt: r = g.less(y, x, signed: s)
            case VT.le: r = g.less(y, x, signed: s) ^ 1
            default: r = g.less(x, y, signed: s) ^ 1
            }
            return RTLElaborator.bool(r, width)
        case VT.shl, VT.shr, VT.ashl, VT.ashr:
            let x = try eval(a, width, signed)
            let amount = try evalSelf(b).bits
            let left = op == VT.shl || op == VT.ashl
            let fill = op == VT.ashr && signed ? (x.last ?? NetGraph.falseLit) : NetGraph.falseLit
            return g.shift(x, by: amount, left: left, fill: fill)
        case VT.power:
            if width > RTLElaborator.maxArithmeticWidth {
                throw err(tok, "a \(width)-bit '**' is not supported: up to \(RTLElaborator.maxArithmeticWidth) bits")
            }
            let x = try eval(a, width, signed)
            let (eb, es) = try evalSelf(b)
            if es, let sign = eb.last, sign != NetGraph.falseLit {
                // A negative exponent (IEEE 1364 Table 5-6): 1 for base 1, ±1 for base -1 (odd: -1), else 0.
                let one = g.equal(x, NetGraph.constant(1, width: width))
                let minusOne = signed ? g.equal(x, [UInt32](repeating: NetGraph.trueLit, count: width)) : NetGraph.falseLit
                let odd = eb[0]
                let negative = (0..<width).map { i -> UInt32 in
                    let bitOfOne: UInt32 = i == 0 ? NetGraph.trueLit : NetGraph.falseLit
                    let minusValue = g.mux(odd, NetGraph.trueLit, bitOfOne)
                    return g.mux(one, bitOfOne, g.and(minusOne, minusValue))
                }
                if sign == NetGraph.trueLit { return negative }
                let positive = g.power(x, eb)
                return (0..<width).map { g.mux(sign, negative[$0], positive[$0]) }
            }
            return g.power(x, eb)
        default:
            if (op == VT.star || op == VT.slash || op == VT.percent) && width > RTLElaborator.maxArithmeticWidth {
                throw err(tok, "a \(width)-bit \(VT.describe(op)) is not supported: multipliers and dividers up to \(RTLElaborator.maxArithmeticWidth) bits")
            }
            let x = try eval(a, width, signed), y = try eval(b, width, signed)
            if let folded = RTLElaborator.foldConstants(op, x, y, signed: signed) { return folded }
            switch op {
            case VT.plus: return g.add(x, y).sum
            case VT.minus: return g.subtract(x, y).difference
            case VT.star: return g.multiply(x, y)
            case VT.slash: return g.divide(x, y, signed: signed).quotient
            case VT.percent: return g.divide(x, y, signed: signed).remainder
            case VT.amp: return (0..<width).map { g.and(x[$0], y[$0]) }
            case VT.pipe: return (0..<width).map { g.or(x[$0], y[$0]) }
            case VT.caret: return (0..<width).map { g.xor(x[$0], y[$0]) }
            case VT.tildeCaret: return (0..<width).map { g.xor(x[$0], y[$0]) ^ 1 }
            default: throw err(tok, "operator \(VT.describe(op)) is not supported")
            }
        }
    }

    /// How to read the bits of a select's base: a plain vector, or one word of a memory.
    mutating func selectSource(_ b: RExpr) throws -> ((Int) -> UInt32, RSignal, Int?) {
        switch b.node {
        case .ident(let id):
            switch lookup(id) {
            case .constant(let c)?:
                let sig = RSignal(name: name(id), kind: .wire, dir: 0, signed: c.signed, msb: c.bits.count - 1, lsb: 0,
                                  isVector: true, base: 0, tok: b.tok)
                let bits = c.bits
                return ({ bits[$0] }, sig, nil)
            case .signal(let si)?:
                if constantOnly { throw err(b.tok, "'\(name(id))' is not a constant: expected parameters, genvars and literals here") }
                let s = signals[si]
                if s.words > 0 { throw err(b.tok, "memory '\(name(id))' must be read one word at a time") }
                let tok = b.tok
                let bits = (0..<s.width).map { readBit(s.base + $0, tok) }
                let base = s.base
                return ({ bits[$0 - base] }, s, nil)
            case nil: throw err(b.tok, "'\(name(id))' is not declared")
            }
        case .index(let mb, let addr):
            guard case .ident(let id) = mb.node, case .signal(let si)? = lookup(id), signals[si].words > 0 else {
                throw err(b.tok, "nested selects are only supported on memory words")
            }
            let s = signals[si]
            let word = try memoryRead(s, addr, b.tok)
            var sig = s
            sig.words = 0
            return ({ word[$0 - s.base] }, sig, nil)
        default:
            throw err(b.tok, "expected a name before the select")
        }
    }

    /// The words of memory `s` that address bits `ab` may select: the condition and the word's slot.
    mutating func wordConditions(_ s: RSignal, _ ab: [UInt32], signed: Bool) -> [(cond: UInt32, slot: Int)] {
        var out: [(cond: UInt32, slot: Int)] = []
        for w in min(s.firstWord, s.lastWord)...max(s.firstWord, s.lastWord) {
            let c = g.equalsConstant(ab, w, signed: signed)
            guard c != NetGraph.falseLit, let slot = s.slot(w) else { continue }
            out.append((c, slot))
            if c == NetGraph.trueLit { break }
        }
        return out
    }

    /// One word of memory `s` at address `addr` (a mux over the words; 0 out of range).
    mutating func memoryRead(_ s: RSignal, _ addr: RExpr, _ tok: Int32) throws -> [UInt32] {
        if constantOnly { throw err(tok, "memory '\(s.name)' is not a constant") }
        let (ab, asg) = try evalSelf(addr)
        var out = [UInt32](repeating: NetGraph.falseLit, count: s.width)
        for (c, slot) in wordConditions(s, ab, signed: asg) {
            for p in 0..<s.width {
                let v = readBit(s.base + slot * s.width + p, tok)
                out[p] = c == NetGraph.trueLit ? v : g.or(out[p], g.and(c, v))
            }
        }
        return out
    }

    /// `b[i]`: a bit of a vector, or a word of a memory; with its signedness.
    mutating func select(_ b: RExpr, _ i: RExpr, _ tok: Int32) throws -> ([UInt32], Bool) {
        if case .ident(let id) = b.node, case .signal(let si)? = lookup(id), signals[si].words > 0 {
            return (try memoryRead(signals[si], i, tok), signals[si].signed)
        }
        let (src, sig, wordBase) = try selectSource(b)
        let (ib, isg) = try evalSelf(i)
        if !ib.contains(where: { $0 > 1 }), let idx = RTLElaborator.intValue(ib, signed: isg) {
            guard let p = sig.position(idx) else { return ([NetGraph.falseLit], false) }
            return ([src((wordBase ?? sig.base) + p)], false)
        }
        var out = NetGraph.falseLit
        for p in 0..<sig.width {
            let c = g.equalsConstant(ib, sig.index(p), signed: isg)
            if c == NetGraph.falseLit { continue }
            out = g.or(out, g.and(c, src((wordBase ?? sig.base) + p)))
        }
        return ([out], false)
    }
}
