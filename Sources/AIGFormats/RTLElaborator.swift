import AIG

/// A signal of an elaborated module instance: a net, variable or small memory.
struct RSignal {
    var name: String            // hierarchical, as AIG names show it ("u1.q")
    var kind: RDeclKind
    var dir: UInt8
    var signed: Bool
    var msb: Int, lsb: Int
    var isVector: Bool
    var base: Int               // first NetGraph bit
    var words = 0               // memories: word count (0: not a memory)
    var firstWord = 0, lastWord = 0
    var tok: Int32
    var width: Int { abs(msb - lsb) + 1 }
    /// Position (0 = LSB) of declared index `i`, or nil outside the range.
    func position(_ i: Int) -> Int? {
        let p = msb >= lsb ? i - lsb : lsb - i
        return p >= 0 && p < width ? p : nil
    }
    func index(_ p: Int) -> Int { msb >= lsb ? lsb + p : lsb - p }
    func slot(_ word: Int) -> Int? {
        let s = firstWord <= lastWord ? word - firstWord : firstWord - word
        return s >= 0 && s < words ? s : nil
    }
    func bitName(_ p: Int) -> String { isVector ? "\(name)[\(index(p))]" : name }
}

/// A constant: bits (0/1 literals), LSB first, and its signedness.
struct RConst { var bits: [UInt32]; var signed: Bool }

enum RSymbol { case signal(Int), constant(RConst) }

struct RScope {
    var parent: Int
    var module: Int
    var prefix: String
    var symbols: [Int32: RSymbol] = [:]
}

/// Elaborates the parsed modules from the top: parameters, generate, hierarchy
/// and procedural blocks become bits of one `NetGraph`.
///
/// Procedural blocks run symbolically: `cur` holds every variable bit's value
/// so far (blocking assignments), `nba` the pending non-blocking value; `if`
/// and `case` run each branch from the same state and merge with muxes. A
/// trail of overwritten entries restores the state between branches, so no
/// copies of the environment are made.
struct RTLElaborator {
    var ps: RTLParser
    let options: ReadOptions
    var g = NetGraph()
    var signals: [RSignal] = []
    var scopes: [RScope] = []
    var scope = 0

    // procedural state
    static let none: UInt32 = .max          // not assigned in this block
    static let unassigned: UInt32 = .max - 1 // assigned on some paths only (comb: a latch)
    var cur: [UInt32] = []
    var nba: [UInt32] = []
    var trail: [(bit: Int32, nonblocking: Bool, old: UInt32, stamp: UInt32)] = []
    var curStamp: [UInt32] = []
    var nbaStamp: [UInt32] = []
    var epoch: UInt32 = 1
    var nextEpoch: UInt32 = 2
    var procedural = false
    var clocked = false
    var constantOnly = false
    var callDepth = 0
    var steps = 0

    // sequential results, added at the end so `initial` values anywhere apply
    var pendingLatches: [(bit: Int, initBit: Int, next: UInt32, name: String, tok: Int32)] = []
    var initValues: [Int: UInt32] = [:]
    var clockBits: [(bit: Int, tok: Int32)] = []
    /// Per procedural block: the first assignment to each bit (latch messages point there).
    var firstWrite: [Int: Int32] = [:]
    /// Bits an always @* block assigns on some paths only: (bit, assignment, block). A latch
    /// error when anything the outputs depend on reads them; else block-local temporaries.
    var partialBits: [(bit: Int, at: Int32, block: Int32)] = []
    var onPath: [Int32] = []
    var implicitOK: Bool

    static let maxMemoryBits = 4096
    static let maxLoopIterations = 1 << 14
    static let maxNodes = 1 << 25
    static let maxSteps = 5_000_000
    /// Widest expression (bits) and widest multiplier/divider: their cost grows with width².
    static let maxWidth = 1 << 20
    static let maxArithmeticWidth = 4096

    init(parser: RTLParser, options: ReadOptions, defaultNettypeNone: Bool) {
        ps = parser; self.options = options; implicitOK = !defaultNettypeNone
    }

    func err(_ tok: Int32, _ message: String) -> FormatError { ps.err(Int(tok), message) }
    func name(_ id: Int32) -> String { ps.names.name(id) }

    // MARK: top level

    mutating func run() throws -> AIG {
        let top = try findTop()
        let m = ps.modules[top]
        if m.ports.isEmpty { throw err(m.tok, "empty design: module '\(name(m.name))' has no ports") }
        scopes.append(RScope(parent: -1, module: top, prefix: ""))
        scope = 0
        onPath.append(m.name)
        try elaborateModule(top, overrides: [], scope: 0, tok: m.tok)
        // Ports in header order, vector bits LSB first.
        var ins: [(Int, String)] = [], outs: [(Int, String, Int32)] = []
        for (pn, pt) in m.ports {
            guard case .signal(let si)? = scopes[0].symbols[pn] else { throw err(pt, "port '\(name(pn))' is not declared") }
            let s = signals[si]
            if s.dir == 0 { throw err(pt, "port '\(name(pn))' has no direction: expected an 'input' or 'output' declaration") }
            for p in 0..<s.width {
                if s.dir == 1 { ins.append((s.base + p, s.bitName(p))) } else { outs.append((s.base + p, s.bitName(p), s.tok)) }
            }
        }
        // One clock: the AIG's step. Clocks reach submodules through ports; follow them up.
        var clockRoot: (bit: Int, tok: Int32)? = nil
        for c in clockBits {
            let root = rootBit(c.bit)
            if let r = clockRoot, r.bit != root {
                throw err(c.tok, "a second clock '\(describeBit(root))' (the first is '\(describeBit(r.bit))', line \(lineOf(r.tok))): the AIG has one implicit clock, so every register must use the same clock signal")
            }
            clockRoot = (root, c.tok)
        }
        for (bit, nm, t) in outs { g.outputs.append((g.ref(bit, at: t), nm)) }
        let (live, reached) = liveLatches()
        for pb in partialBits {
            if g.driver[pb.bit] == NetGraph.none && g.bitNode[pb.bit] != NetGraph.none && reached[Int(g.bitNode[pb.bit])] {
                throw err(pb.at, "'\(describeBit(pb.bit))' is assigned here but not on every path through the always @* block at line \(lineOf(pb.block)): this would infer a latch (assign a default first, or add the missing else/default branch)")
            }
            if g.driver[pb.bit] == NetGraph.none { _ = g.drive(pb.bit, NetGraph.falseLit, at: pb.at) }
        }
        for (bit, nm) in ins {
            // A clock that only clocks (its readers are clock ports of submodules) is not an AIG input.
            if bit == clockRoot?.bit && (g.bitNode[bit] == NetGraph.none || !reached[Int(g.bitNode[bit])]) {
                _ = g.drive(bit, NetGraph.falseLit, at: m.tok)  // its dead readers (clock ports) see 0
                continue
            }
            if g.addInput(bit: bit, name: nm) != nil { throw err(m.tok, "input '\(nm)' is driven inside the module") }
        }
        for (li, l) in pendingLatches.enumerated() {
            // A register no output depends on (a blocking temporary of a clocked block, an unread
            // bit) is no register, as Yosys's opt_clean reads it; its dead readers see 0.
            if !live[li] {
                _ = g.drive(l.bit, NetGraph.falseLit, at: l.tok)
                continue
            }
            let initial = initValues[l.initBit]
            // A register loading a constant it starts with (or may start with) is that constant, as Yosys's opt_dff reads it.
            if l.bit == l.initBit && l.next <= 1 && (initial == nil || initial == l.next) {
                try drive(l.bit, l.next, l.tok)
                continue
            }
            let reset: Latch.Reset
            switch initial {
            case NetGraph.trueLit?: reset = .one
            case NetGraph.falseLit?: reset = .zero
            default: reset = .uninitialized
            }
            if let prev = g.addLatch(bit: l.bit, next: l.next, reset: reset, name: l.name, at: l.tok) {
                throw err(l.tok, "register '\(l.name)' is also driven \(prev == -2 ? "as an input" : "by another assignment (line \(lineOf(prev)))")")
            }
        }
        // A reg that only `initial` gives a value keeps it: a constant (as Yosys reads it).
        for (bit, v) in initValues where g.driver[bit] == NetGraph.none && g.bitNode[bit] != NetGraph.none {
            if signals[signalIndex(ofBit: bit)].kind != .wire { _ = g.drive(bit, v, at: -1) }
        }
        var graph = g
        g = NetGraph()
        let describer = NetGraph.Describer(
            name: { [self] bit in self.describeBit(bit) },
            error: { [self] handle, message in
                handle >= 0 ? self.err(handle, message) : FormatError(file: self.ps.lexer.file, message: message)
            })
        return try graph.finish(undriven: options.undriven, describe: describer)
    }

    /// Which pending latches the outputs depend on, through logic and other latches.
    func liveLatches() -> (live: [Bool], reached: [Bool]) {
        var latchOfBit: [Int: Int] = [:]
        for (i, l) in pendingLatches.enumerated() { latchOfBit[l.bit] = i }
        var live = [Bool](repeating: false, count: pendingLatches.count)
        var seen = [Bool](repeating: false, count: g.nodeA.count)
        var stack: [UInt32] = g.outputs.map { $0.lit >> 1 }
        while let n = stack.popLast() {
            let i = Int(n)
            if i == 0 || seen[i] { continue }
            seen[i] = true
            if g.nodeA[i] == NetGraph.netMark {
                let bit = Int(g.nodeB[i])
                if let li = latchOfBit[bit] {
                    if !live[li] { live[li] = true; stack.append(pendingLatches[li].next >> 1) }
                } else {
                    let d = g.driver[bit]
                    if d != NetGraph.none && d != NetGraph.source { stack.append(d >> 1) }
                }
            } else {
                stack.append(g.nodeA[i] >> 1); stack.append(g.nodeB[i] >> 1)
            }
        }
        return (live, seen)
    }

    /// The bit a chain of plain connections (`assign a = b`, ports) comes from.
    func rootBit(_ bit: Int) -> Int {
        var b = bit
        for _ in 0..<10_000 {
            let d = g.driver[b]
            guard d != NetGraph.none && d != NetGraph.source && d & 1 == 0 && d > 1, g.nodeA[Int(d >> 1)] == NetGraph.netMark else { return b }
            b = Int(g.nodeB[Int(d >> 1)])
        }
        return b
    }

    func lineOf(_ tok: Int32) -> Int {
        guard tok >= 0 else { return 0 }
        return ps.lexer.location(of: Int(ps.off[Int(tok)]), main: ps.buf).line
    }

    func describeBit(_ bit: Int) -> String {
        let lo = signalIndex(ofBit: bit)
        guard lo >= 0 && lo < signals.count else { return "bit \(bit)" }
        let s = signals[lo]
        let local = bit - s.base
        if s.words > 0 {
            let w = local / max(1, s.width), p = local % max(1, s.width)
            let word = s.firstWord <= s.lastWord ? s.firstWord + w : s.firstWord - w
            return "\(s.name)[\(word)]" + (s.isVector ? "[\(s.index(p))]" : "")
        }
        return local < s.width ? s.bitName(local) : "bit \(bit)"
    }

    mutating func findTop() throws -> Int {
        if let top = options.top {
            for (i, m) in ps.modules.enumerated() where name(m.name) == top { return i }
            let all = ps.modules.map { name($0.name) }.joined(separator: ", ")
            throw FormatError(file: ps.lexer.file, message: "top module '\(top)' not found; modules: \(all)")
        }
        let candidates = ps.modules.indices.filter { !ps.instantiated.contains(ps.modules[$0].name) }
        if candidates.count == 1 { return candidates[0] }
        if candidates.isEmpty, let first = ps.modules.first {
            throw err(first.tok, "no top module: every module is instantiated by another (recursive hierarchy?); choose one with --top NAME")
        }
        let list = candidates.map { name(ps.modules[$0].name) }.joined(separator: ", ")
        throw FormatError(file: ps.lexer.file, message: "ambiguous top module: \(list) are never instantiated; choose one with --top NAME")
    }

    // MARK: bits and symbols

    mutating func allocate(_ n: Int) throws -> Int {
        if g.bitCount + n > 1 << 28 { throw FormatError(file: ps.lexer.file, message: "design too large: more than \(1 << 28) bits") }
        let b = g.addBits(n)
        cur.append(contentsOf: repeatElement(RTLElaborator.none, count: n))
        nba.append(contentsOf: repeatElement(RTLElaborator.none, count: n))
        curStamp.append(contentsOf: repeatElement(0, count: n))
        nbaStamp.append(contentsOf: repeatElement(0, count: n))
        return b
    }

    func lookup(_ id: Int32) -> RSymbol? {
        var s = scope
        while s >= 0 {
            if let sym = scopes[s].symbols[id] { return sym }
            s = scopes[s].parent
        }
        return nil
    }

    func moduleOfScope() -> RModule { ps.modules[scopes[scope].module] }

    mutating func declare(_ d: RDecl) throws {
        var msb = 0, lsb = 0, isVector = false
        if d.kind == .integer { msb = 31; isVector = true } else if let r = d.range {
            msb = try constInt(r.msb, "the range's left bound"); lsb = try constInt(r.lsb, "the range's right bound")
            isVector = true
        }
        if abs(msb - lsb) >= 1 << 20 { throw err(d.tok, "range of '\(name(d.name))' is wider than \(1 << 20) bits") }
        if d.kind == .genvar {
            scopes[scope].symbols[d.name] = .constant(RConst(bits: NetGraph.constant(0, width: 32), signed: true))
            return
        }
        if let existing = scopes[scope].symbols[d.name] {
            // `output q;` then `reg [3:0] q;` (or the other way): one signal.
            if case .signal(let si) = existing, signals[si].words == 0, d.array == nil,
               signals[si].dir == 0 || d.dir == 0 {
                var s = signals[si]
                let w = abs(msb - lsb) + 1
                if (d.range != nil || d.kind == .integer) && s.isVector && (s.msb != msb || s.lsb != lsb) || (isVector && !s.isVector && s.dir != 0 && w != 1) {
                    if s.isVector || d.dir != 0 || w != s.width {
                        throw err(d.tok, "'\(name(d.name))' is declared again with a different range ([\(msb):\(lsb)] after [\(s.msb):\(s.lsb)])")
                    }
                }
                if !s.isVector && isVector {
                    if s.dir != 0 || d.dir != 0 {
                        if w != 1 { throw err(d.tok, "'\(name(d.name))' is declared again with a different range") }
                    }
                }
                if d.dir != 0 { s.dir = d.dir }
                if d.kind != .wire { s.kind = d.kind }
                s.signed = s.signed || d.signed
                signals[si] = s
                if let ini = d.initial { try declInitial(si, ini, d.tok) }
                return
            }
            throw err(d.tok, "'\(name(d.name))' is declared twice in this scope")
        }
        var s = RSignal(name: scopes[scope].prefix + name(d.name), kind: d.kind, dir: d.dir, signed: d.signed,
                        msb: msb, lsb: lsb, isVector: isVector, base: 0, tok: d.tok)
        var total = s.width
        if let a = d.array {
            let f = try constInt(a.msb, "the memory's first index"), l = try constInt(a.lsb, "the memory's last index")
            s.words = abs(l - f) + 1; s.firstWord = f; s.lastWord = l
            total = s.words * s.width
            if total > RTLElaborator.maxMemoryBits {
                throw err(d.tok, "memory '\(name(d.name))' has \(total) bits: memories up to \(RTLElaborator.maxMemoryBits) bits become registers; larger ones are not supported")
            }
        }
        s.base = try allocate(total)
        signals.append(s)
        scopes[scope].symbols[d.name] = .signal(signals.count - 1)
        if d.supply >= 0 {
            for p in 0..<total { try drive(s.base + p, UInt32(d.supply), d.tok) }
        }
        if let ini = d.initial { try declInitial(signals.count - 1, ini, d.tok) }
    }

    /// `wire w = e;` is a continuous assignment; `reg r = c;` an initial value.
    mutating func declInitial(_ si: Int, _ e: RExpr, _ tok: Int32) throws {
        let s = signals[si]
        if s.kind == .wire {
            let v = try evalTop(e, s.width)
            for p in 0..<s.width { try drive(s.base + p, v[p], tok) }
        } else {
            let v = try constant(e, width: s.width, "an initial value")
            for p in 0..<s.width { initValues[s.base + p] = v[p] }
        }
    }

    mutating func drive(_ bit: Int, _ lit: UInt32, _ tok: Int32) throws {
        if let prev = g.drive(bit, lit, at: tok) {
            if prev == -2 { throw err(tok, "'\(describeBit(bit))' is an input and cannot be driven inside the module") }
            throw err(tok, "'\(describeBit(bit))' is driven more than once (first driver at line \(lineOf(prev)))")
        }
        if g.nodeA.count > RTLElaborator.maxNodes { throw err(tok, "design too large: more than \(RTLElaborator.maxNodes) nodes") }
    }

    // MARK: constants

    mutating func constant(_ e: RExpr, width: Int? = nil, _ what: String) throws -> [UInt32] {
        let saved = constantOnly
        constantOnly = true
        defer { constantOnly = saved }
        let bits = try width.map { try evalTop(e, $0) } ?? { let (w, s) = try selfType(e); return try eval(e, w, s) }()
        if bits.contains(where: { $0 > 1 }) { throw err(e.tok, "expected a constant expression for \(what)") }
        return bits
    }

    mutating func constValue(_ e: RExpr) throws -> RConst {
        let saved = constantOnly
        constantOnly = true
        defer { constantOnly = saved }
        let (w, s) = try selfType(e)
        let bits = try eval(e, w, s)
        if bits.contains(where: { $0 > 1 }) { throw err(e.tok, "expected a constant expression") }
        return RConst(bits: bits, signed: s)
    }

    static func intValue(_ bits: [UInt32], signed: Bool) -> Int? {
        var v = 0
        for (i, b) in bits.enumerated() where b == NetGraph.trueLit {
            if i >= 62 {
                if signed && i == bits.count - 1 { continue }
                return nil
            }
            v |= 1 << i
        }
        if signed, let msb = bits.last, msb == NetGraph.trueLit, bits.count <= 62 { v -= 1 << bits.count }
        else if signed, let msb = bits.last, msb == NetGraph.trueLit {
            // wide negative: valid when every bit from 62 up is one
            if bits[62...].contains(where: { $0 != NetGraph.trueLit }) { return nil }
            v |= ~((1 << 62) - 1)
        }
        return v
    }

    mutating func constInt(_ e: RExpr, _ what: String) throws -> Int {
        let c = try constValue(e)
        guard let v = RTLElaborator.intValue(c.bits, signed: c.signed), abs(v) < 1 << 40 else {
            throw err(e.tok, "\(what) is too large")
        }
        return v
    }

    // MARK: modules and items

    mutating func elaborateModule(_ mi: Int, overrides: [(Int32?, RConst, Int32)], scope sc: Int, tok: Int32) throws {
        let m = ps.modules[mi]
        let saved = scope
        scope = sc
        defer { scope = saved }
        // Header parameters, then overrides by name or position.
        var headerNames: [Int32] = []
        for prm in m.headerParams { headerNames.append(prm.name) }
        var byName: [Int32: RConst] = [:]
        var positional = 0
        let bodyParams: [Int32] = m.items.compactMap { if case .param(let p) = $0, !p.local { return p.name } else { return nil } }
        let overridable = headerNames + (headerNames.isEmpty ? bodyParams : [])
        for (n, v, t) in overrides {
            if let n {
                if !overridable.contains(n) && !bodyParams.contains(n) {
                    throw err(t, "module '\(name(m.name))' has no parameter '\(name(n))'")
                }
                byName[n] = v
            } else {
                guard positional < overridable.count else { throw err(t, "too many parameter overrides for module '\(name(m.name))'") }
                byName[overridable[positional]] = v
                positional += 1
            }
        }
        for prm in m.headerParams { try defineParam(prm, override: byName[prm.name]) }
        try elaborateItems(m.items, overrides: byName)
    }

    mutating func defineParam(_ prm: RParam, override: RConst?) throws {
        var v = try override ?? constValue(prm.value)
        if prm.isInteger {
            v = RConst(bits: NetGraph.extend(v.bits, to: 32, signed: v.signed), signed: true)
        } else if let r = prm.range {
            let msb = try constInt(r.msb, "the parameter's range"), lsb = try constInt(r.lsb, "the parameter's range")
            v = RConst(bits: NetGraph.extend(v.bits, to: abs(msb - lsb) + 1, signed: v.signed), signed: prm.signed)
        } else if prm.signed {
            v.signed = true
        }
        scopes[scope].symbols[prm.name] = .constant(v)
    }

    mutating func elaborateItems(_ items: [RItem], overrides: [Int32: RConst] = [:]) throws {
        // Pass 1: parameters and declarations, in order (ranges may use parameters).
        for item in items {
            switch item {
            case .param(let prm): try defineParam(prm, override: prm.local ? nil : overrides[prm.name])
            case .decl(let d) where d.initial == nil || d.kind != .wire:
                var plain = d
                plain.initial = nil
                try declare(plain)
            case .decl(let d):
                var plain = d
                plain.initial = nil
                try declare(plain)
            default: break
            }
        }
        // Pass 2: behaviour.
        for item in items {
            switch item {
            case .param: break
            case .decl(let d):
                if let ini = d.initial, case .signal(let si)? = scopes[scope].symbols[d.name] { try declInitial(si, ini, d.tok) }
            case .assign(let lhs, let rhs, let tok):
                let targets = try lvalue(lhs, continuous: true)
                let v = try evalTop(rhs, targets.count, target: nil)
                for (i, t) in targets.enumerated() where t >= 0 { try drive(t, v[i], tok) }
            case .always(let sens, let body, let tok):
                try always(sens, body, tok)
            case .initial(let body, let tok):
                try initialBlock(body, tok)
            case .instance(let inst):
                try instance(inst)
            case .genFor(let v, let start, let cond, let step, let blockName, let inner, let tok):
                try generateFor(v, start, cond, step, blockName, inner, tok)
            case .genIf(let c, let th, let el, let thName, let elName, let tok):
                let taken = try constant(c, "a generate condition").contains(NetGraph.trueLit)
                let body = taken ? th : el
                let bn = taken ? thName : elName
                _ = tok
                try nestedScope(bn.map { name($0) }) { try $0.elaborateItems(body) }
            case .genBlock(let bn, let inner, _):
                try nestedScope(bn.map { name($0) }) { try $0.elaborateItems(inner) }
            case .genCase(let sel, let arms, _):
                let v = try constValue(sel)
                var chosen: (labels: [RExpr], items: [RItem], name: Int32?)? = nil
                search: for arm in arms where !arm.labels.isEmpty {
                    for l in arm.labels {
                        let c = try constValue(l)
                        let w = max(v.bits.count, c.bits.count), sg = v.signed && c.signed
                        if NetGraph.extend(v.bits, to: w, signed: sg) == NetGraph.extend(c.bits, to: w, signed: sg) { chosen = arm; break search }
                    }
                }
                if chosen == nil { chosen = arms.first(where: { $0.labels.isEmpty }) }
                if let arm = chosen { try nestedScope(arm.name.map { name($0) }) { try $0.elaborateItems(arm.items) } }
            }
        }
    }

    mutating func nestedScope(_ label: String?, _ body: (inout RTLElaborator) throws -> Void) throws {
        let parent = scope
        let prefix = scopes[parent].prefix + (label.map { $0 + "." } ?? "")
        scopes.append(RScope(parent: parent, module: scopes[parent].module, prefix: prefix))
        scope = scopes.count - 1
        defer { scope = parent }
        try body(&self)
    }

    mutating func generateFor(_ v: Int32, _ start: RExpr, _ cond: RExpr, _ step: RExpr, _ blockName: Int32?,
                              _ inner: [RItem], _ tok: Int32) throws {
        var value = try constInt(start, "the generate loop's start")
        var iterations = 0
        let label = blockName.map { name($0) } ?? "genblk"
        while true {
            // The genvar is visible to the condition and the step in a scope of its own.
            let c = try withGenvar(v, value) { try $0.constant(cond, "the generate loop condition") }
            if !c.contains(NetGraph.trueLit) { break }
            iterations += 1
            if iterations > RTLElaborator.maxLoopIterations { throw err(tok, "generate loop runs more than \(RTLElaborator.maxLoopIterations) times") }
            let iv = value
            try nestedScope("\(label)[\(iv)]") { me in
                me.scopes[me.scope].symbols[v] = .constant(RConst(bits: NetGraph.constant(iv, width: 32), signed: true))
                try me.elaborateItems(inner)
            }
            value = try withGenvar(v, value) { try $0.constInt(step, "the generate loop step") }
        }
    }

    mutating func withGenvar<T>(_ v: Int32, _ value: Int, _ body: (inout RTLElaborator) throws -> T) throws -> T {
        let parent = scope
        scopes.append(RScope(parent: parent, module: scopes[parent].module, prefix: scopes[parent].prefix))
        scope = scopes.count - 1
        scopes[scope].symbols[v] = .constant(RConst(bits: NetGraph.constant(value, width: 32), signed: true))
        defer { scope = parent; scopes.removeLast() }
        return try body(&self)
    }

    mutating func instance(_ inst: RInstance) throws {
        guard let ci = ps.moduleByName[inst.module] else {
            throw err(inst.tok, "module '\(name(inst.module))' is not defined")
        }
        if onPath.contains(inst.module) {
            throw err(inst.tok, "module '\(name(inst.module))' instantiates itself (recursive hierarchy)")
        }
        let child = ps.modules[ci]
        var overrides: [(Int32?, RConst, Int32)] = []
        for (n, v) in inst.params { overrides.append((n, try constValue(v), v.tok)) }
        let parentScope = scope
        scopes.append(RScope(parent: -1, module: ci, prefix: scopes[scope].prefix + name(inst.name) + "."))
        let childScope = scopes.count - 1
        onPath.append(inst.module)
        try elaborateModule(ci, overrides: overrides, scope: childScope, tok: inst.tok)
        onPath.removeLast()
        // Connections: like continuous assignments across the port.
        var byPort: [Int32: (RExpr?, Int32)] = [:]
        let positional = inst.connections.allSatisfy { $0.port == nil }
        if positional {
            if inst.connections.count > child.ports.count && !(inst.connections.count == 1 && inst.connections[0].value == nil) {
                throw err(inst.tok, "instance '\(name(inst.name))' has \(inst.connections.count) connections but module '\(name(child.name))' has \(child.ports.count) ports")
            }
            for (i, c) in inst.connections.enumerated() where i < child.ports.count { byPort[child.ports[i].name] = (c.value, c.tok) }
        } else {
            for c in inst.connections {
                guard let pn = c.port else { throw err(c.tok, "mixed named and positional connections") }
                guard child.ports.contains(where: { $0.name == pn }) else {
                    throw err(c.tok, "module '\(name(child.name))' has no port '\(name(pn))'")
                }
                if byPort[pn] != nil { throw err(c.tok, "port '\(name(pn))' is connected twice") }
                byPort[pn] = (c.value, c.tok)
            }
        }
        for (pn, _) in child.ports {
            guard case .signal(let si)? = scopes[childScope].symbols[pn] else { continue }
            let s = signals[si]
            guard let (e, ct) = byPort[pn], let expr = e else { continue }
            if s.dir == 1 {
                let v = try evalTop(expr, s.width)
                for p in 0..<s.width { try drive(s.base + p, v[p], ct) }
            } else if s.dir == 2 {
                let targets = try lvalue(expr, continuous: true, implicitWidth: 1)
                var v: [UInt32] = []
                for p in 0..<s.width { v.append(g.ref(s.base + p, at: ct)) }
                v = NetGraph.extend(v, to: targets.count, signed: s.signed)
                for (i, t) in targets.enumerated() where t >= 0 { try drive(t, v[i], ct) }
            }
        }
        _ = parentScope
    }

    // MARK: left-hand sides

    /// The bits a continuous left side names, LSB first (-1: out of range).
    mutating func lvalue(_ e: RExpr, continuous: Bool, implicitWidth: Int = 1) throws -> [Int] {
        switch e.node {
        case .concat(let parts):
            var out: [Int] = []
            for part in parts.reversed() { out += try lvalue(part, continuous: continuous) }
            return out
        case .ident(let id):
            let s = try lvalueSignal(id, e.tok)
            if s.words > 0 { throw err(e.tok, "memory '\(name(id))' needs a word index") }
            if s.kind != .wire { throw err(e.tok, "'\(name(id))' is a reg: continuous assignments and output connections need a wire") }
            return (0..<s.width).map { s.base + $0 }
        case .index(let b, let i):
            let (s, extra) = try selectBase(b)
            if let extra { // m[w][bit]
                guard let p = s.position(try constInt(i, "a bit index")) else { return [-1] }
                return [extra + p]
            }
            if s.words > 0 {
                guard let slot = s.slot(try constInt(i, "a memory address in a continuous assignment")) else { return [Int](repeating: -1, count: s.width) }
                return (0..<s.width).map { s.base + slot * s.width + $0 }
            }
            let idx = try constIntOrThrow(i, "a constant bit index on the left side of a continuous assignment")
            guard let p = s.position(idx) else { return [-1] }
            return [s.base + p]
        case .range(let b, let hi, let lo):
            let (s, extra) = try selectBase(b)
            let h = try constInt(hi, "a part-select bound"), l = try constInt(lo, "a part-select bound")
            return try partBits(s, extra, h, l, e.tok)
        case .indexed(let b, let start, let w, let up):
            let (s, extra) = try selectBase(b)
            let st = try constIntOrThrow(start, "a constant start on the left side of a continuous assignment")
            let width = try constInt(w, "the part-select width")
            if width <= 0 || width > RTLElaborator.maxWidth { throw err(w.tok, "the part-select width must be between 1 and \(RTLElaborator.maxWidth)") }
            let (h, l) = indexedBounds(s, st, width, up)
            return try partBits(s, extra, h, l, e.tok)
        default:
            throw err(e.tok, "expected a net, a bit- or part-select, or a concatenation on the left side")
        }
    }

    mutating func constIntOrThrow(_ e: RExpr, _ what: String) throws -> Int {
        do { return try constInt(e, what) } catch { throw err(e.tok, "expected \(what)") }
    }

    /// Declared-index bounds (msb-side, lsb-side) of `s[start +: w]` / `s[start -: w]`.
    func indexedBounds(_ s: RSignal, _ start: Int, _ w: Int, _ up: Bool) -> (Int, Int) {
        let lo = up ? start : start - w + 1, hi = up ? start + w - 1 : start
        return s.msb >= s.lsb ? (hi, lo) : (lo, hi)
    }

    func partBits(_ s: RSignal, _ extra: Int?, _ h: Int, _ l: Int, _ tok: Int32) throws -> [Int] {
        if abs(h - l) >= RTLElaborator.maxWidth { throw err(tok, "part-select [\(h):\(l)] is wider than \(RTLElaborator.maxWidth) bits") }
        if (s.msb >= s.lsb) != (h >= l) && h != l {
            throw err(tok, "part-select [\(h):\(l)] runs against the declared direction [\(s.msb):\(s.lsb)]")
        }
        let base = extra ?? s.base
        let step = h >= l ? 1 : -1
        var out: [Int] = []
        var i = l
        while true {
            if let p = s.position(i) { out.append(base + p) } else { out.append(-1) }
            if i == h { break }
            i += step
        }
        return out
    }

    /// The signal a select applies to; for `m[addr][...]` also the word's first bit.
    mutating func selectBase(_ b: RExpr) throws -> (RSignal, Int?) {
        switch b.node {
        case .ident(let id):
            let s = try lvalueSignal(id, b.tok)
            return (s, nil)
        case .index(let mb, let addr):
            if case .ident(let id) = mb.node {
                let s = try lvalueSignal(id, mb.tok)
                if s.words > 0 {
                    guard let slot = s.slot(try constInt(addr, "a memory address")) else { throw err(addr.tok, "memory address out of range") }
                    return (s, s.base + slot * s.width)
                }
            }
            throw err(b.tok, "nested selects are only supported on memory words")
        default:
            throw err(b.tok, "expected a name before the select")
        }
    }

    mutating func lvalueSignal(_ id: Int32, _ tok: Int32) throws -> RSignal {
        switch lookup(id) {
        case .signal(let si)?: return signals[si]
        case .constant?: throw err(tok, "'\(name(id))' is a parameter or genvar and cannot be assigned")
        case nil:
            guard implicitOK && !procedural else {
                throw err(tok, "'\(name(id))' is not declared" + (implicitOK ? "" : " (`default_nettype none)"))
            }
            try declare(RDecl(name: id, tok: tok, kind: .wire))
            guard case .signal(let si)? = lookup(id) else { throw err(tok, "'\(name(id))' is not declared") }
            return signals[si]
        }
    }

    // MARK: reading signals

    @inline(__always) mutating func readBit(_ bit: Int, _ tok: Int32) -> UInt32 {
        let v = cur[bit]
        if v < RTLElaborator.unassigned { return v }
        return g.ref(bit, at: tok)
    }

    mutating func readSignal(_ id: Int32, _ tok: Int32) throws -> (bits: [UInt32], signed: Bool) {
        switch lookup(id) {
        case .constant(let c)?: return (c.bits, c.signed)
        case .signal(let si)?:
            let s = signals[si]
            if s.words > 0 { throw err(tok, "memory '\(name(id))' must be read one word at a time: \(name(id))[address]") }
            // In a constant context a variable may be read while it holds a constant (a function's locals).
            if constantOnly && (0..<s.width).contains(where: { cur[s.base + $0] > 1 }) {
                throw err(tok, "'\(name(id))' is not a constant: expected parameters, genvars and literals here")
            }
            var out = [UInt32](repeating: 0, count: s.width)
            for p in 0..<s.width { out[p] = readBit(s.base + p, tok) }
            return (out, s.signed)
        case nil:
            if let f = moduleOfScope().functions[id] { _ = f; throw err(tok, "function '\(name(id))' needs arguments") }
            throw err(tok, "'\(name(id))' is not declared")
        }
    }

    func signalType(_ id: Int32, _ tok: Int32) throws -> (Int, Bool) {
        switch lookup(id) {
        case .constant(let c)?: return (c.bits.count, c.signed)
        case .signal(let si)?: return (signals[si].width, signals[si].signed)
        case nil: throw err(tok, "'\(name(id))' is not declared")
        }
    }
}
