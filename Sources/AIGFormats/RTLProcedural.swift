import AIG

/// A procedural left side piece: fixed bits, or one of several bit sets
/// chosen by a variable index (each with its condition).
enum RTarget {
    case fixed([Int])
    case dynamic([(cond: UInt32, bits: [Int])], width: Int)
    var width: Int {
        switch self {
        case .fixed(let b): return b.count
        case .dynamic(_, let w): return w
        }
    }
}

extension RTLElaborator {
    // MARK: procedural state

    /// Writes a variable bit. The trail keeps a bit's old value once per mark (the
    /// stamp says which mark recorded it), so loops that rewrite a variable many
    /// times keep the trail as long as the set of bits they touch.
    @inline(__always) mutating func set(_ bit: Int, _ v: UInt32, nonblocking: Bool) {
        if nonblocking {
            if nbaStamp[bit] != epoch { trail.append((Int32(bit), true, nba[bit], nbaStamp[bit])); nbaStamp[bit] = epoch }
            nba[bit] = v
        } else {
            if curStamp[bit] != epoch { trail.append((Int32(bit), false, cur[bit], curStamp[bit])); curStamp[bit] = epoch }
            cur[bit] = v
        }
    }

    struct TrailMark { var count: Int; var epoch: UInt32 }

    /// Starts a region whose writes `undo(to:)` takes back.
    mutating func mark() -> TrailMark {
        let m = TrailMark(count: trail.count, epoch: epoch)
        epoch = nextEpoch
        nextEpoch &+= 1
        return m
    }

    mutating func undo(to mark: TrailMark) {
        while trail.count > mark.count {
            let t = trail.removeLast()
            if t.nonblocking { nba[Int(t.bit)] = t.old; nbaStamp[Int(t.bit)] = t.stamp } else {
                cur[Int(t.bit)] = t.old; curStamp[Int(t.bit)] = t.stamp
            }
        }
        epoch = mark.epoch
    }

    /// The bits of one array this block wrote, once each, in the order of their first write.
    func touchedBits(nonblocking: Bool) -> [Int] {
        var seen = Set<Int>(), out: [Int] = []
        for t in trail where t.nonblocking == nonblocking && seen.insert(Int(t.bit)).inserted { out.append(Int(t.bit)) }
        return out
    }

    /// Every (bit, array) written since `mark`, once, with its value now.
    func changes(since mark: TrailMark) -> [Int: UInt32] {
        var out: [Int: UInt32] = [:]
        for t in trail[mark.count...] {
            let key = Int(t.bit) << 1 | (t.nonblocking ? 1 : 0)
            if out[key] == nil { out[key] = t.nonblocking ? nba[Int(t.bit)] : cur[Int(t.bit)] }
        }
        return out
    }

    /// The value a bit holds for merging when a branch did not assign it.
    mutating func holdValue(_ bit: Int, _ v: UInt32, _ tok: Int32) -> UInt32 {
        guard v >= RTLElaborator.unassigned else { return v }
        // Integers are loop counters and temporaries, never registers: no state to hold.
        return clocked && signals[signalIndex(ofBit: bit)].kind != .integer ? g.ref(bit, at: tok) : RTLElaborator.unassigned
    }

    mutating func branch(_ cond: UInt32, _ tok: Int32, _ then: (inout RTLElaborator) throws -> Void,
                         _ otherwise: ((inout RTLElaborator) throws -> Void)?) throws {
        if cond == NetGraph.trueLit { try then(&self); return }
        if cond == NetGraph.falseLit { try otherwise?(&self); return }
        let thenMark = mark()
        try then(&self)
        let thenValues = changes(since: thenMark)
        undo(to: thenMark)
        let elseMark = mark()
        try otherwise?(&self)
        let elseValues = changes(since: elseMark)
        undo(to: elseMark)
        var keys = Array(thenValues.keys)
        for k in elseValues.keys where thenValues[k] == nil { keys.append(k) }
        keys.sort()
        for key in keys {
            let bit = key >> 1, nb = key & 1 == 1
            let before = nb ? nba[bit] : cur[bit]
            var t = thenValues[key] ?? before, e = elseValues[key] ?? before
            if t == e { set(bit, t, nonblocking: nb); continue }
            t = holdValue(bit, t, tok); e = holdValue(bit, e, tok)
            let v = t == RTLElaborator.unassigned || e == RTLElaborator.unassigned ? RTLElaborator.unassigned : g.mux(cond, t, e)
            set(bit, v, nonblocking: nb)
        }
    }

    // MARK: statements

    mutating func exec(_ s: RStmt) throws {
        steps += 1
        if steps > RTLElaborator.maxSteps {
            throw err(s.tok, "elaboration takes more than \(RTLElaborator.maxSteps) steps (nested loops?): the design is too large to unroll")
        }
        switch s.node {
        case .null: break
        case .block(let body): for x in body { try exec(x) }
        case .scopedBlock(let label, let decls, let body):
            // Variables of a named block: its own scope, named label.x like Yosys.
            try nestedScope(name(label)) { me in
                for d in decls { try me.declare(d) }
                for x in body { try me.exec(x) }
            }
        case .assign(let lhs, let rhs, let nb):
            try procAssign(lhs, rhs, nonblocking: nb, s.tok)
        case .ifElse(let c, let t, let e):
            let cond = try truth(c)
            try branch(cond, s.tok, { try $0.exec(t) }, e.map { e in { try $0.exec(e) } })
        case .caseOf(let kind, let sel, let items, let full):
            try execCase(kind, sel, items, full: full, s.tok)
        case .forLoop(let initial, let cond, let step, let body):
            try exec(initial)
            try loop(cond, s.tok) { try $0.exec(body); try $0.exec(step) }
        case .whileLoop(let cond, let body):
            try loop(cond, s.tok) { try $0.exec(body) }
        case .repeatLoop(let count, let body):
            let n = try constInt(count, "the repeat count")
            if n > RTLElaborator.maxLoopIterations { throw err(s.tok, "repeat count \(n) is too large") }
            for _ in 0..<max(0, n) { try exec(body) }
        }
    }

    /// Runs `body` while `cond` (which must be constant each time) holds, at most `maxLoopIterations` times.
    mutating func loop(_ cond: RExpr, _ tok: Int32, _ body: (inout RTLElaborator) throws -> Void) throws {
        var n = 0
        while true {
            let c = try truth(cond)
            if c > 1 { throw err(cond.tok, "the loop condition does not evaluate to a constant: expected constant loop bounds") }
            if c == NetGraph.falseLit { break }
            n += 1
            if n > RTLElaborator.maxLoopIterations { throw err(tok, "loop runs more than \(RTLElaborator.maxLoopIterations) times") }
            try body(&self)
        }
    }

    mutating func execCase(_ kind: UInt8, _ sel: RExpr, _ items: [RCaseItem], full: Bool, _ tok: Int32) throws {
        // Sizes: the case expression and every label together (IEEE 1364 9.5).
        var (w, s) = try selfType(sel)
        for item in items { for l in item.labels { let (lw, ls) = try selfType(l); w = max(w, lw); s = s && ls } }
        let value = try eval(sel, w, s)
        var conds: [UInt32] = []
        var defaultBody: RStmt? = nil
        var bodies: [RStmt] = []
        var patterns: [(value: [UInt32], care: [Bool])] = []
        var allConstant = !value.isEmpty
        for item in items {
            if item.labels.isEmpty { defaultBody = item.body; continue }
            var c = NetGraph.falseLit
            for l in item.labels {
                let (bits, care) = try caseLabel(l, w, s, kind)
                var xs: [UInt32] = []
                for i in 0..<w where care[i] { xs.append(g.xor(value[i], bits[i]) ^ 1) }
                c = g.or(c, g.reduce(&xs, identity: NetGraph.trueLit) { $0.and($1, $2) })
                if bits.contains(where: { $0 > 1 }) { allConstant = false }
                patterns.append((bits, care))
            }
            conds.append(c)
            bodies.append(item.body)
        }
        // A case with no default that covers every value: its last item is the default.
        // `(* full_case *)` says the values no item names never occur: the same reading (as Yosys's).
        if defaultBody == nil, !bodies.isEmpty,
           full || (allConstant && w <= 16 && (1 << w) * patterns.count <= 1 << 22 && RTLElaborator.covers(patterns, width: w)) {
            defaultBody = bodies.removeLast()
            conds.removeLast()
        }
        func chain(_ me: inout RTLElaborator, _ i: Int) throws {
            if i == bodies.count {
                if let d = defaultBody { try me.exec(d) }
                return
            }
            let body = bodies[i]
            try me.branch(conds[i], tok, { try $0.exec(body) }, { try chain(&$0, i + 1) })
        }
        try chain(&self, 0)
    }

    static func covers(_ patterns: [(value: [UInt32], care: [Bool])], width: Int) -> Bool {
        var masks: [(v: Int, m: Int)] = []
        for p in patterns {
            var v = 0, m = 0
            for i in 0..<width where p.care[i] { m |= 1 << i; if p.value[i] == NetGraph.trueLit { v |= 1 << i } }
            masks.append((v, m))
        }
        for x in 0..<(1 << width) where !masks.contains(where: { x & $0.m == $0.v }) { return false }
        return true
    }

    /// A case label's bits at the case width, and which bits are compared (casez/casex don't-cares excluded).
    mutating func caseLabel(_ l: RExpr, _ w: Int, _ s: Bool, _ kind: UInt8) throws -> ([UInt32], [Bool]) {
        if case .number(let ci) = l.node, let c = constInfo(ci, l.tok), c.xzStart >= 0 {
            guard kind != 0 || options.xBits == .zero else {
                throw err(l.tok, "x/z bits in a 'case' label never match two-valued logic: use casez (z, ?) or casex (x, z, ?) for don't-cares")
            }
            let cw = Int(c.width)
            var bits = [UInt32](repeating: NetGraph.falseLit, count: w)
            var care = [Bool](repeating: true, count: w)
            for i in 0..<min(cw, w) {
                bits[i] = UInt32(ps.lexer.constBits[Int(c.bitsStart) + i])
                let mark = ps.lexer.constXZ[Int(c.xzStart) + i]
                if kind == 0 { continue }  // --x-bits zero: a plain case compares them as 0
                if mark == 2 || (mark == 1 && kind == 2) { care[i] = false }
                if mark == 1 && kind == 1 && options.xBits == .error {
                    throw err(l.tok, "an x bit in a casez label never matches two-valued logic: use z or ? for don't-cares")
                }
            }
            return (bits, care)
        }
        return (try eval(l, w, s), [Bool](repeating: true, count: w))
    }

    // MARK: assignments

    mutating func procAssign(_ lhs: RExpr, _ rhs: RExpr, nonblocking: Bool, _ tok: Int32) throws {
        let targets = try procTargets(lhs)
        for t in targets {
            switch t {
            case .fixed(let bits): for b in bits where b >= 0 && firstWrite[b] == nil { firstWrite[b] = tok }
            case .dynamic(let cands, _): for c in cands { for b in c.bits where b >= 0 && firstWrite[b] == nil { firstWrite[b] = tok } }
            }
        }
        let total = targets.reduce(0) { $0 + $1.width }
        let v = try evalTop(rhs, total)
        var at = 0
        for t in targets {
            switch t {
            case .fixed(let bits):
                for (j, b) in bits.enumerated() where b >= 0 { write(b, v[at + j], nonblocking: nonblocking) }
            case .dynamic(let cands, let w):
                for (c, bits) in cands {
                    for (j, b) in bits.enumerated() where b >= 0 {
                        if c == NetGraph.trueLit { write(b, v[at + j], nonblocking: nonblocking); continue }
                        let old = holdValue(b, currentWrite(b, nonblocking: nonblocking), tok)
                        let nv = old == RTLElaborator.unassigned ? RTLElaborator.unassigned : g.mux(c, v[at + j], old)
                        write(b, nv, nonblocking: nonblocking)
                    }
                }
                _ = w
            }
            at += t.width
        }
    }

    func currentWrite(_ bit: Int, nonblocking: Bool) -> UInt32 {
        clocked && nonblocking ? nba[bit] : cur[bit]
    }

    /// Blocking writes are seen at once; in a clocked block the register also takes them.
    mutating func write(_ bit: Int, _ v: UInt32, nonblocking: Bool) {
        if clocked {
            if !nonblocking { set(bit, v, nonblocking: false) }
            set(bit, v, nonblocking: true)
        } else {
            set(bit, v, nonblocking: false)
        }
    }

    mutating func procSignal(_ id: Int32, _ tok: Int32) throws -> RSignal {
        switch lookup(id) {
        case .signal(let si)?:
            let s = signals[si]
            if s.kind == .wire {
                throw err(tok, "'\(name(id))' is a wire: procedural assignments need a 'reg' (or 'output reg') declaration")
            }
            return s
        case .constant?: throw err(tok, "'\(name(id))' is a parameter or genvar and cannot be assigned")
        case nil: throw err(tok, "'\(name(id))' is not declared")
        }
    }

    mutating func procTargets(_ e: RExpr) throws -> [RTarget] {
        switch e.node {
        case .concat(let parts):
            var out: [RTarget] = []
            for part in parts.reversed() { out += try procTargets(part) }
            return out
        case .ident(let id):
            let s = try procSignal(id, e.tok)
            if s.words > 0 { throw err(e.tok, "memory '\(name(id))' needs a word index") }
            return [.fixed((0..<s.width).map { s.base + $0 })]
        case .index(let b, let i):
            if case .ident(let id) = b.node {
                let s = try procSignal(id, b.tok)
                let (ib, isg) = try evalSelf(i)
                let constant = !ib.contains(where: { $0 > 1 })
                if s.words > 0 {
                    if constant, let w = RTLElaborator.intValue(ib, signed: isg) {
                        guard let slot = s.slot(w) else { return [.fixed([Int](repeating: -1, count: s.width))] }
                        return [.fixed((0..<s.width).map { s.base + slot * s.width + $0 })]
                    }
                    let cands = wordConditions(s, ib, signed: isg).map { w in (cond: w.cond, bits: (0..<s.width).map { s.base + w.slot * s.width + $0 }) }
                    return [.dynamic(cands, width: s.width)]
                }
                if constant, let idx = RTLElaborator.intValue(ib, signed: isg) {
                    return [.fixed([s.position(idx).map { s.base + $0 } ?? -1])]
                }
                var cands: [(UInt32, [Int])] = []
                for p in 0..<s.width {
                    let c = g.equalsConstant(ib, s.index(p), signed: isg)
                    if c != NetGraph.falseLit { cands.append((c, [s.base + p])) }
                }
                return [.dynamic(cands.map { (cond: $0.0, bits: $0.1) }, width: 1)]
            }
            if case .index(let mb, let addr) = b.node, case .ident(let id) = mb.node {
                let s = try procSignal(id, mb.tok)
                guard s.words > 0 else { throw err(b.tok, "nested selects are only supported on memory words") }
                guard let p = s.position(try constInt(i, "a constant bit index of a memory word")) else { return [.fixed([-1])] }
                let (ab, asg) = try evalSelf(addr)
                let cands = wordConditions(s, ab, signed: asg).map { w in (cond: w.cond, bits: [s.base + w.slot * s.width + p]) }
                return [.dynamic(cands, width: 1)]
            }
            throw err(e.tok, "expected a variable before the select")
        case .range(let b, let h, let l):
            guard case .ident(let id) = b.node else { throw err(e.tok, "part-selects of memory words are not supported on the left side") }
            let s = try procSignal(id, b.tok)
            let hi = try constInt(h, "a part-select bound"), lo = try constInt(l, "a part-select bound")
            return [.fixed(try partBits(s, nil, hi, lo, e.tok))]
        case .indexed(let b, let start, let w, let up):
            guard case .ident(let id) = b.node else { throw err(e.tok, "part-selects of memory words are not supported on the left side") }
            let s = try procSignal(id, b.tok)
            let pw = try constInt(w, "the part-select width")
            if pw <= 0 || pw > RTLElaborator.maxWidth { throw err(w.tok, "the part-select width must be between 1 and \(RTLElaborator.maxWidth)") }
            let (sb, ssg) = try evalSelf(start)
            if !sb.contains(where: { $0 > 1 }), let st = RTLElaborator.intValue(sb, signed: ssg) {
                let (h, l) = indexedBounds(s, st, pw, up)
                return [.fixed(try partBits(s, nil, h, l, e.tok))]
            }
            var cands: [(UInt32, [Int])] = []
            for st in (min(s.msb, s.lsb) - pw + 1)...max(s.msb, s.lsb) {
                let c = g.equalsConstant(sb, st, signed: ssg)
                if c == NetGraph.falseLit { continue }
                let (h, l) = indexedBounds(s, st, pw, up)
                cands.append((c, try partBits(s, nil, h, l, e.tok)))
            }
            return [.dynamic(cands.map { (cond: $0.0, bits: $0.1) }, width: pw)]
        default:
            throw err(e.tok, "expected a variable, a bit- or part-select, or a concatenation on the left side")
        }
    }

    // MARK: blocks

    func signalIndex(ofBit bit: Int) -> Int {
        var lo = 0, hi = signals.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if signals[mid].base <= bit { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    mutating func always(_ sens: RSensitivity, _ body: RStmt, _ tok: Int32) throws {
        if case .scopedBlock(let label, let decls, let inner) = body.node {
            // `always @(...) begin : NAME reg r; ...`: the block's variables live as long as the module's.
            try nestedScope(name(label)) { me in
                for d in decls { try me.declare(d) }
                try me.always(sens, RStmt(node: .block(inner), tok: body.tok), tok)
            }
            return
        }
        procedural = true
        firstWrite = [:]
        let blockMark = mark()
        defer { procedural = false; clocked = false; undo(to: blockMark) }
        switch sens {
        case .combinational:
            clocked = false
            try exec(body)
            for bit in touchedBits(nonblocking: false) {
                let v = cur[bit]
                if signals[signalIndex(ofBit: bit)].kind == .integer {
                    // A loop counter keeps its final value for readers outside (the first block that sets it).
                    if v <= RTLElaborator.unassigned - 1, g.driver[bit] == NetGraph.none { _ = g.drive(bit, v, at: tok) }
                    continue
                }
                if v == RTLElaborator.unassigned || v == RTLElaborator.none {
                    // An error only if something outside the block reads it (decided at the end).
                    partialBits.append((bit, firstWrite[bit] ?? tok, tok))
                    continue
                }
                try drive(bit, v, tok)
            }
        case .edges(let edges):
            clocked = true
            // Peel asynchronous resets: `if (rst) ... else ...` on an edge signal.
            var remaining = edges
            var resets: [(active: UInt32, stmt: RStmt)] = []
            var stmt = body
            while remaining.count > 1 {
                guard case .ifElse(let c, let th, let el) = RTLElaborator.unwrap(stmt).node,
                      let (sig, whenHigh) = resetTest(c), let k = remaining.firstIndex(where: { $0.signal == sig }) else {
                    throw err(tok, "an always block with several edges must start with 'if (reset) ... else ...' on one of them (asynchronous reset); found no such test")
                }
                // posedge rst: active high; the condition is true while it is active (then-branch
                // resets) or while it is not (`if (rst_n) ... else reset`).
                let activeHigh = remaining[k].posedge
                let (bits, _) = try readSignal(sig, remaining[k].tok)
                guard bits.count == 1 else { throw err(remaining[k].tok, "a reset must be a 1-bit signal") }
                let resetBranch: RStmt?, other: RStmt?
                if whenHigh == activeHigh { resetBranch = th; other = el } else { resetBranch = el; other = th }
                guard let resetBranch else {
                    throw err(tok, "the asynchronous reset '\(name(sig))' has no branch that assigns the reset values")
                }
                resets.append((activeHigh ? bits[0] : bits[0] ^ 1, resetBranch))
                remaining.remove(at: k)
                guard let other else { stmt = RStmt(node: .null, tok: tok); break }
                stmt = other
            }
            guard remaining.count == 1 else { throw err(tok, "expected one clock edge") }
            let clock = remaining[0]
            guard case .signal(let ci)? = lookup(clock.signal) else { throw err(clock.tok, "clock '\(name(clock.signal))' is not declared") }
            if signals[ci].width != 1 { throw err(clock.tok, "the clock must be a 1-bit signal") }
            clockBits.append((signals[ci].base, clock.tok))
            // Reset values: each reset branch alone, from the start state.
            var resetValues: [[Int: UInt32]] = []
            for r in resets {
                let resetMark = mark()
                try exec(r.stmt)
                var vals: [Int: UInt32] = [:]
                for t in trail[resetMark.count...] where t.nonblocking { vals[Int(t.bit)] = nba[Int(t.bit)] }
                undo(to: resetMark)
                resetValues.append(vals)
            }
            try exec(body)
            for bit in touchedBits(nonblocking: true) {
                let s = signals[signalIndex(ofBit: bit)]
                if s.kind == .integer { continue }
                if s.kind == .wire { throw err(tok, "'\(s.name)' is a wire and cannot be a register") }
                let next = nba[bit]
                let nm = describeBit(bit)
                if resets.isEmpty {
                    pendingLatches.append((bit, bit, next, nm, tok))
                    continue
                }
                // Asynchronous reset: the register's value is the reset value while reset is active.
                let hidden = try allocate(1)
                pendingLatches.append((hidden, bit, next, nm, tok))
                var visible = g.ref(hidden, at: tok)
                for (r, vals) in zip(resets, resetValues).reversed() {
                    guard let rv = vals[bit] else { continue }
                    if rv > 1 { throw err(tok, "the asynchronous reset value of '\(nm)' is not a constant") }
                    visible = g.mux(r.active, rv, visible)
                }
                try drive(bit, visible, tok)
            }
        }
    }

    static func unwrap(_ s: RStmt) -> RStmt {
        if case .block(let xs) = s.node, xs.count == 1 { return unwrap(xs[0]) }
        return s
    }

    /// `rst`, `!rst_n`, `~rst_n`, `rst == 1'b1`, `rst_n == 0`: the signal and whether reset is active high.
    func resetTest(_ c: RExpr) -> (Int32, Bool)? {
        switch c.node {
        case .ident(let id): return (id, true)
        case .unary(let op, let a) where op == VT.bang || op == VT.tilde:
            return resetTest(a).map { ($0.0, !$0.1) }
        case .binary(let op, let a, let b) where op == VT.eqEq || op == VT.bangEq || op == VT.eqEqEq || op == VT.bangEqEq:
            guard case .number(let ci) = b.node, let k = constInfo(ci, b.tok), k.value >= 0, let (id, high) = resetTest(a) else { return nil }
            let eq = op == VT.eqEq || op == VT.eqEqEq
            return (id, high == ((k.value != 0) == eq))
        default: return nil
        }
    }

    mutating func initialBlock(_ body: RStmt, _ tok: Int32) throws {
        procedural = true
        clocked = false
        let blockMark = mark()
        defer { procedural = false; undo(to: blockMark) }
        try exec(body)
        for bit in touchedBits(nonblocking: false) {
            let v = cur[bit]
            if v > 1 { throw err(tok, "'initial' can only give constant initial values to registers ('\(describeBit(bit))')") }
            initValues[bit] = v
        }
    }

    // MARK: functions

    mutating func call(_ fn: RFunction, _ args: [RExpr], _ tok: Int32) throws -> ([UInt32], Bool) {
        guard args.count == fn.inputs.count else {
            throw err(tok, "function '\(name(fn.name))' takes \(fn.inputs.count) arguments, \(args.count) given")
        }
        if callDepth >= 64 { throw err(tok, "function '\(name(fn.name))' recurses more than 64 levels") }
        let caller = scope
        var root = scope
        while scopes[root].parent >= 0 { root = scopes[root].parent }
        scopes.append(RScope(parent: root, module: scopes[root].module, prefix: scopes[root].prefix + name(fn.name) + "."))
        let fscope = scopes.count - 1
        let savedProcedural = procedural, savedClocked = clocked, savedConstant = constantOnly
        let callMark = mark()
        callDepth += 1
        defer {
            undo(to: callMark)
            scope = caller; procedural = savedProcedural; clocked = savedClocked; constantOnly = savedConstant
            callDepth -= 1
        }
        scope = fscope
        constantOnly = false
        var result = RDecl(name: fn.name, tok: fn.tok, kind: fn.isInteger ? .integer : .reg, signed: fn.signed, range: fn.range)
        result.dir = 0
        try declare(result)
        for d in fn.decls { try declare(RDecl(name: d.name, tok: d.tok, kind: d.kind == .integer ? .integer : .reg, signed: d.signed, range: d.range)) }
        var inputs: [RSignal] = []
        for n in fn.inputs {
            guard case .signal(let si)? = scopes[fscope].symbols[n] else { throw err(fn.tok, "function input '\(name(n))' is not declared") }
            inputs.append(signals[si])
        }
        scope = caller
        constantOnly = savedConstant
        var values: [[UInt32]] = []
        for (a, s) in zip(args, inputs) { values.append(try evalTop(a, s.width)) }
        scope = fscope
        constantOnly = false
        procedural = true
        clocked = false
        for (s, v) in zip(inputs, values) { for p in 0..<s.width { set(s.base + p, v[p], nonblocking: false) } }
        try exec(fn.body)
        guard case .signal(let ri)? = scopes[fscope].symbols[fn.name] else { throw err(fn.tok, "function result missing") }
        let r = signals[ri]
        var out: [UInt32] = []
        for p in 0..<r.width {
            let v = cur[r.base + p]
            if v >= RTLElaborator.unassigned {
                throw err(tok, "function '\(name(fn.name))' does not assign its result on every path")
            }
            out.append(v)
        }
        return (out, r.signed)
    }
}
