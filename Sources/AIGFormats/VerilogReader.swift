import AIG

/// Reads the gate-level Verilog subset that synthesis tools and benchmark
/// suites write (EPFL, Yosys `write_verilog`, ABC `write_verilog`) into an AIG.
///
/// Supported: ANSI and non-ANSI module headers; `input`/`output`/`wire`
/// declarations with vector ranges in either direction; `assign` (left side:
/// name, bit-select, part-select, concatenation); `wire x = expr;`; the
/// operators `~ ! & | ^ ~^ ^~ ~& ~| && || == != ?:` and reductions;
/// concatenation and replication; constants without x/z; gate primitives
/// `and or nand nor xor xnor not buf`; module instances (named or positional
/// connections), flattened; `supply0`/`supply1` nets; instances of standard
/// cells from `options.cells` (Liberty, `--liberty`) when no module of that
/// name is defined (see "Library cells" below: flip-flops become latches).
///
/// Port naming: every bit of a vector port `a[3:0]` becomes an AIG input or
/// output named `a[3]` … `a[0]`; scalar ports keep their name. Ports follow
/// the module header order and the bits of a vector go from its least
/// significant bit (the rightmost index of the declaration) upwards, so
/// `input [3:0] a` gives `a[0], a[1], a[2], a[3]` — the order ABC and Yosys
/// use in AIGER symbol tables.
public enum VerilogReader {
    static func parseRTL(_ lexer: VerilogLexer, _ buf: UnsafeBufferPointer<UInt8>, _ options: ReadOptions) throws -> AIG {
        var p = RTLParser(lexer: lexer, buf: buf)
        try p.parseFile()
        var e = RTLElaborator(parser: p, options: options, defaultNettypeNone: lexer.defaultNettypeNone)
        return try e.run()
    }

    /// Keywords and operators that only RTL uses (one pass over the token kinds).
    static func hasRTLConstructs(_ lexer: VerilogLexer) -> Bool {
        let rtlKeywords: Set<Int32> = Set([VKeyword.always, .reg, .integer, .parameter, .localparam, .generate, .genvar,
                                           .function, .initial, .signed, .unsigned, .case, .casez, .casex, .if, .for]
            .map { $0.rawValue })
        let count = Int32(VKeyword.allCases.count)
        return lexer.kinds.withUnsafeBufferPointer { k in
            lexer.values.withUnsafeBufferPointer { v in
                for i in 0..<k.count {
                    switch k[i] {
                    case VT.ident: if v[i] < count && rtlKeywords.contains(v[i]) { return true }
                    case VT.plus, VT.minus, VT.star, VT.slash, VT.percent, VT.shl, VT.shr, VT.ashl, VT.ashr, VT.power,
                         VT.lt, VT.gt, VT.le, VT.ge, VT.sysIdent, VT.plusColon, VT.minusColon:
                        return true
                    default: break
                    }
                }
                return false
            }
        }
    }

    public static func parse(_ bytes: [UInt8], file: String, options: ReadOptions = ReadOptions()) throws -> AIG {
        try bytes.withUnsafeBufferPointer { buf in
            var lexer = VerilogLexer(file: file)
            try lexer.tokenize(buf)
            // Netlists take the flat gate-level path, RTL the elaborator.
            if lexer.usedIncludes || !lexer.constXZ.isEmpty || VerilogReader.hasRTLConstructs(lexer) {
                return try parseRTL(lexer, buf, options)
            }
            do {
                var p = VerilogParser(lexer: lexer, buf: buf)
                try p.parseFile()
                var e = VerilogElaborator(parser: p, options: options)
                return try e.run()
            } catch let gateError as FormatError {
                // A construct outside the gate-level subset that the RTL reader takes
                // (a variable index, `wire signed`, ...): its reading, else this error.
                guard options.cells == nil, gateError.message.contains("not supported") || gateError.message.contains("gate-level") else {
                    throw gateError
                }
                return try parseRTL(lexer, buf, options)
            }
        }
    }
}

// MARK: - Syntax tree (flat pools)

enum EK {
    static let name: UInt8 = 1, bit: UInt8 = 2, part: UInt8 = 3, const: UInt8 = 4
    static let unary: UInt8 = 5, nary: UInt8 = 6, ternary: UInt8 = 7, concat: UInt8 = 8, repl: UInt8 = 9
}

/// One expression node. `name/bit/part`: `a` = net (identifier id until the
/// module is resolved), `b`/`c` = indices. `const`: `a` = constant. `unary`:
/// `op`, `a`. `nary`: `op`, operands `elist[a..<a+b]`. `ternary`: `a ? b : c`.
/// `concat`: `elist[a..<a+b]`, most significant first. `repl`: `a` copies of `b`.
struct VExpr {
    var kind: UInt8
    var op: UInt8 = 0
    var a: Int32 = 0
    var b: Int32 = 0
    var c: Int32 = 0
    var tok: Int32
}

struct VNet {
    var name: Int32
    var msb: Int32 = 0
    var lsb: Int32 = 0
    var isVector = false
    var dir: UInt8 = 0          // 0 wire, 1 input, 2 output
    var tok: Int32
    var bitOffset: Int32 = 0
    var supply: Int8 = -1       // 0/1 for supply0/supply1 nets
    @inline(__always) var width: Int { Int(abs(msb - lsb)) + 1 }
    /// Position (0 = least significant) of declared index `idx`, or nil when out of range.
    @inline(__always) func position(_ idx: Int) -> Int? {
        let p = msb >= lsb ? idx - Int(lsb) : Int(lsb) - idx
        return p >= 0 && p < width ? p : nil
    }
    @inline(__always) func index(_ p: Int) -> Int { msb >= lsb ? Int(lsb) + p : Int(lsb) - p }
}

enum SK { static let assign: UInt8 = 1, gate: UInt8 = 2, inst: UInt8 = 3 }

struct VStmt {
    var kind: UInt8
    var sub: UInt8 = 0
    var a: Int32 = 0
    var b: Int32 = 0
    var c: Int32 = 0
    var d: Int32 = -1
    var tok: Int32
}

struct VConn { var port: Int32; var expr: Int32; var tok: Int32 }

struct VModule {
    var name: Int32
    var tok: Int32
    var ports: [Int32] = []
    var portToks: [Int32] = []
    var nets: [VNet] = []
    var netOf: [Int32: Int32] = [:]
    var stmtStart = 0, stmtEnd = 0
    var totalBits = 0
}

enum GateKind: UInt8 { case and = 1, or, nand, nor, xor, xnor, not, buf }

// MARK: - Parser

struct VerilogParser: VerilogTokenCursor {
    let k: [UInt8]
    let off: [UInt32]
    let val: [Int32]
    var names: NameInterner
    let consts: [VConst]
    let constBits: [UInt8]
    let defaultNettypeNone: Bool
    let file: String
    let buf: UnsafeBufferPointer<UInt8>
    var p = 0

    var exprs: [VExpr] = []
    var elist: [Int32] = []
    var stmts: [VStmt] = []
    var conns: [VConn] = []
    var modules: [VModule] = []
    var moduleByName: [Int32: Int] = [:]
    var instantiated: Set<Int32> = []

    // current module
    var mod = VModule(name: -1, tok: 0)
    var implicitCandidates: [(Int32, Int32)] = []
    var depth = 0

    init(lexer: VerilogLexer, buf: UnsafeBufferPointer<UInt8>) {
        k = lexer.kinds; off = lexer.offsets; val = lexer.values; names = lexer.names
        consts = lexer.consts; constBits = lexer.constBits; defaultNettypeNone = lexer.defaultNettypeNone
        file = lexer.file; self.buf = buf
        exprs.reserveCapacity(k.count / 3)
    }

    // MARK: helpers

    func err(_ tok: Int, _ message: String) -> FormatError {
        let t = min(max(tok, 0), off.count - 1)
        let (l, c) = lineColumn(buf, Int(off[t]))
        return FormatError(file: file, line: l, column: c, message: message)
    }

    mutating func expectName(_ context: String) throws -> Int32 {
        guard isName(p) else {
            if let kw = keyword(p) { try rejectConstruct(kw, p) }
            throw err(p, "expected \(context), found \(describe(p))")
        }
        p += 1
        return val[p - 1]
    }

    func rejectConstruct(_ kw: VKeyword, _ t: Int) throws {
        switch kw {
        case .always, .always_comb, .always_ff, .always_latch:
            throw err(t, "'\(kw.text)' blocks are not supported: expected a gate-level netlist (assign, gate primitives, module instances)")
        case .initial, .final: throw err(t, "'\(kw.text)' blocks are not supported: expected a gate-level netlist")
        case .reg, .logic, .integer, .real, .time, .event, .trireg:
            throw err(t, "'\(kw.text)' variables are not supported: expected 'wire' (the netlist must be combinational gate-level)")
        case .generate, .endgenerate, .genvar: throw err(t, "'generate' constructs are not supported: expected a flat gate-level netlist")
        case .function, .endfunction: throw err(t, "functions are not supported: expected a gate-level netlist")
        case .task, .endtask: throw err(t, "tasks are not supported: expected a gate-level netlist")
        case .inout: throw err(t, "'inout' ports are not supported: expected 'input' or 'output'")
        case .tri, .tri0, .tri1, .wand, .wor, .triand, .trior:
            throw err(t, "tri-state and wired nets ('\(kw.text)') are not supported: expected 'wire'")
        case .bufif0, .bufif1, .notif0, .notif1, .pmos, .nmos, .cmos, .rcmos, .rnmos, .rpmos,
             .tran, .tranif0, .tranif1, .rtran, .rtranif0, .rtranif1, .pullup, .pulldown:
            throw err(t, "tri-state and switch primitives ('\(kw.text)') are not supported: expected and/or/nand/nor/xor/xnor/not/buf")
        case .parameter, .localparam, .defparam, .specparam:
            throw err(t, "parameters ('\(kw.text)') are not supported: expected a flat gate-level netlist")
        case .primitive, .table: throw err(t, "user-defined primitives are not supported")
        default: throw err(t, "unexpected keyword '\(kw.text)'")
        }
    }

    // MARK: file and module

    mutating func parseFile() throws {
        while !at(VT.eof) {
            if atKeyword(.module) || atKeyword(.macromodule) {
                try parseModule()
            } else if let kw = keyword(p), kw != .module {
                if kw == .primitive { try rejectConstruct(kw, p) }
                throw err(p, "expected 'module', found \(describe(p))")
            } else {
                throw err(p, "expected 'module', found \(describe(p))")
            }
        }
        if modules.isEmpty { throw err(p, "empty netlist: no inputs or outputs (no module found: expected 'module NAME (...); ... endmodule')") }
    }

    mutating func parseModule() throws {
        let startTok = p
        p += 1
        let nameTok = p
        let name = try expectName("a module name")
        if moduleByName[name] != nil { throw err(nameTok, "module '\(names.name(name))' is defined twice") }
        mod = VModule(name: name, tok: Int32(nameTok))
        mod.stmtStart = stmts.count
        implicitCandidates.removeAll()
        let exprStart = exprs.count
        if at(VT.hash) { throw err(p, "module parameters ('#(...)') are not supported: expected a flat gate-level netlist") }
        if at(VT.lparen) {
            p += 1
            if atKeyword(.input) || atKeyword(.output) || atKeyword(.inout) {
                try parseANSIPorts()
            } else if !at(VT.rparen) {
                while true {
                    if at(VT.dot) || at(VT.lbrace) { throw err(p, "port expressions in the module header are not supported: expected a port name") }
                    let t = p
                    let n = try expectName("a port name")
                    mod.ports.append(n); mod.portToks.append(Int32(t))
                    if at(VT.comma) { p += 1; continue }
                    break
                }
            }
            try expect(VT.rparen, "to close the port list")
        }
        try expect(VT.semi, "after the module header")
        while true {
            if at(VT.eof) { throw err(startTok, "module '\(names.name(name))' has no 'endmodule'") }
            if atKeyword(.endmodule) { p += 1; break }
            try parseItem()
        }
        mod.stmtEnd = stmts.count
        try resolveModule(exprStart: exprStart)
        moduleByName[name] = modules.count
        modules.append(mod)
    }

    mutating func parseANSIPorts() throws {
        var dir: UInt8 = 0
        var range: (Int32, Int32)? = nil
        while true {
            if let kw = keyword(p) {
                switch kw {
                case .input, .output:
                    dir = kw == .input ? 1 : 2
                    p += 1
                    try skipNetType()
                    range = try parseOptionalRange()
                case .inout: try rejectConstruct(kw, p)
                default: try rejectConstruct(kw, p)
                }
            }
            let t = p
            let n = try expectName("a port name")
            try declare(n, tok: t, dir: dir, range: range)
            mod.ports.append(n); mod.portToks.append(Int32(t))
            if at(VT.comma) { p += 1; continue }
            break
        }
    }

    /// Accepts `wire` and `signed` after a direction; rejects variables and tri-state types.
    mutating func skipNetType() throws {
        while let kw = keyword(p) {
            switch kw {
            case .wire, .signed, .unsigned: p += 1
            case .reg, .logic, .integer, .tri, .tri0, .tri1, .wand, .wor, .triand, .trior, .trireg, .real, .time:
                try rejectConstruct(kw, p)
            default: return
            }
        }
    }

    mutating func parseOptionalRange() throws -> (Int32, Int32)? {
        guard at(VT.lbrack) else { return nil }
        p += 1
        let m = try constInt("the range's first index")
        try expect(VT.colon, "in the range [msb:lsb]")
        let l = try constInt("the range's second index")
        try expect(VT.rbrack, "to close the range")
        return (m, l)
    }

    /// A constant integer (decimal or based literal, optional sign).
    mutating func constInt(_ what: String) throws -> Int32 {
        var neg = false
        if at(VT.minus) { neg = true; p += 1 }
        guard at(VT.number) else {
            if isName(p) { throw err(p, "expected \(what) as a constant number, found \(describe(p)) (parameters are not supported)") }
            throw err(p, "expected \(what) as a constant number, found \(describe(p))")
        }
        let c = consts[Int(val[p])]
        if c.value < 0 || c.value > 1 << 30 { throw err(p, "\(what) is too large") }
        p += 1
        return Int32(neg ? -c.value : c.value)
    }

    mutating func declare(_ name: Int32, tok: Int, dir: UInt8, range: (Int32, Int32)?, supply: Int8 = -1) throws {
        if let ni = mod.netOf[name] {
            var n = mod.nets[Int(ni)]
            let sameRange = range.map { $0.0 == n.msb && $0.1 == n.lsb && n.isVector } ?? !n.isVector
            if (n.dir != 0 && dir != 0) || (n.dir == 0 && dir == 0) {
                throw err(tok, "'\(names.name(name))' is declared twice (first at line \(lineColumn(buf, Int(off[Int(n.tok)])).line))")
            }
            if !sameRange {
                throw err(tok, "conflicting ranges in the declarations of '\(names.name(name))' (first at line \(lineColumn(buf, Int(off[Int(n.tok)])).line))")
            }
            if dir != 0 { n.dir = dir }
            if supply >= 0 { n.supply = supply }
            mod.nets[Int(ni)] = n
            return
        }
        var n = VNet(name: name, tok: Int32(tok))
        if let (m, l) = range { n.msb = m; n.lsb = l; n.isVector = true }
        if n.width > 1 << 24 { throw err(tok, "vector '\(names.name(name))' is too wide") }
        n.dir = dir
        n.supply = supply
        mod.netOf[name] = Int32(mod.nets.count)
        mod.nets.append(n)
    }

    // MARK: module items

    mutating func parseItem() throws {
        let t = p
        if at(VT.semi) { p += 1; return }
        if let kw = keyword(p) {
            switch kw {
            case .input, .output:
                p += 1
                let dir: UInt8 = kw == .input ? 1 : 2
                try skipNetType()
                let range = try parseOptionalRange()
                try declList(dir: dir, range: range, allowInit: false)
            case .wire, .supply0, .supply1:
                p += 1
                try skipNetType()
                if at(VT.hash) { try skipDelay() }
                let range = try parseOptionalRange()
                if at(VT.hash) { try skipDelay() }
                try declList(dir: 0, range: range, allowInit: kw == .wire, supply: kw == .wire ? -1 : (kw == .supply1 ? 1 : 0))
            case .assign:
                p += 1
                if at(VT.hash) { try skipDelay() }
                while true {
                    let lt = p
                    let lhs = try parseExpr()
                    noteImplicit(lhs)
                    let eq = p
                    try expect(VT.equals, "in the assignment")
                    let rhs = try parseExpr()
                    stmts.append(VStmt(kind: SK.assign, a: lhs, b: rhs, tok: Int32(eq)))
                    _ = lt
                    if at(VT.comma) { p += 1; continue }
                    break
                }
                try expect(VT.semi, "after the assignment")
            case .and, .or, .nand, .nor, .xor, .xnor, .not, .buf:
                try parseGate(kw)
            case .specify:
                while !atKeyword(.endspecify) {
                    if at(VT.eof) { throw err(t, "'specify' without 'endspecify'") }
                    p += 1
                }
                p += 1
            default:
                try rejectConstruct(kw, t)
            }
            return
        }
        if isName(p) { try parseInstance(); return }
        if at(VT.sysIdent) { throw err(p, "system tasks are not supported: expected a module item") }
        throw err(p, "expected a module item (input, output, wire, assign, a gate or a module instance), found \(describe(p))")
    }

    mutating func declList(dir: UInt8, range: (Int32, Int32)?, allowInit: Bool, supply: Int8 = -1) throws {
        while true {
            let t = p
            let n = try expectName("a net name")
            if at(VT.lbrack) { throw err(p, "arrays (memories) are not supported: expected ',' or ';'") }
            try declare(n, tok: t, dir: dir, range: range, supply: supply)
            if at(VT.equals) {
                guard allowInit else { throw err(p, "an initial value is only allowed in 'wire' declarations") }
                let eq = p
                p += 1
                let rhs = try parseExpr()
                let lhs = Int32(exprs.count)
                exprs.append(VExpr(kind: EK.name, a: n, tok: Int32(t)))
                stmts.append(VStmt(kind: SK.assign, a: lhs, b: rhs, tok: Int32(eq)))
            }
            if at(VT.comma) { p += 1; continue }
            break
        }
        try expect(VT.semi, "after the declaration")
    }

    mutating func skipDelay() throws {
        p += 1  // '#'
        if at(VT.lparen) {
            var level = 0
            repeat {
                if at(VT.eof) { throw err(p, "unterminated delay: expected ')'") }
                if at(VT.lparen) { level += 1 } else if at(VT.rparen) { level -= 1 }
                p += 1
            } while level > 0
        } else if at(VT.number) || isName(p) {
            p += 1
            if at(VT.dot) && k[p + 1] == VT.number { p += 2 }  // real delay such as #0.5
        } else {
            throw err(p, "expected a delay value after '#'")
        }
    }

    mutating func noteImplicit(_ e: Int32) {
        let x = exprs[Int(e)]
        switch x.kind {
        case EK.name, EK.bit, EK.part: if x.kind == EK.name { implicitCandidates.append((x.a, x.tok)) }
        case EK.concat:
            for i in 0..<Int(x.b) { noteImplicit(elist[Int(x.a) + i]) }
        default: break
        }
    }

    mutating func parseGate(_ kw: VKeyword) throws {
        let gt = p
        p += 1
        let kind: GateKind
        switch kw {
        case .and: kind = .and
        case .or: kind = .or
        case .nand: kind = .nand
        case .nor: kind = .nor
        case .xor: kind = .xor
        case .xnor: kind = .xnor
        case .not: kind = .not
        default: kind = .buf
        }
        if at(VT.hash) { try skipDelay() }
        while true {
            let it = p
            if isName(p) { p += 1 }
            if at(VT.lbrack) { throw err(p, "arrays of gate instances are not supported") }
            try expect(VT.lparen, "to open the gate's terminal list")
            var terms: [Int32] = []
            while true {
                let e = try parseExpr()
                noteImplicit(e)
                terms.append(e)
                if at(VT.comma) { p += 1; continue }
                break
            }
            try expect(VT.rparen, "to close the gate's terminal list")
            if terms.count < 2 { throw err(it, "gate '\(kw.text)' needs at least an output and an input terminal") }
            let start = elist.count
            elist.append(contentsOf: terms)
            stmts.append(VStmt(kind: SK.gate, sub: kind.rawValue, a: Int32(start), b: Int32(terms.count), tok: Int32(it == gt + 1 || isName(it) ? it : gt)))
            if at(VT.comma) { p += 1; continue }
            break
        }
        try expect(VT.semi, "after the gate instance")
    }

    mutating func parseInstance() throws {
        let mt = p
        let modName = val[p]
        p += 1
        if at(VT.hash) { throw err(p, "parameter overrides ('#(...)') on module instances are not supported") }
        instantiated.insert(modName)
        while true {
            let it = p
            var instName: Int32 = -1
            if isName(p) { instName = val[p]; p += 1 }
            if at(VT.lbrack) { throw err(p, "arrays of instances are not supported") }
            if !at(VT.lparen) {
                if at(VT.equals) || at(VT.lbrack) || at(VT.dot) {
                    throw err(mt, "expected a module item, found identifier '\(names.name(modName))' (assignments need 'assign')")
                }
                throw err(p, "expected '(' to open the connection list of instance of '\(names.name(modName))', found \(describe(p))")
            }
            p += 1
            let start = conns.count
            var named = false
            if !at(VT.rparen) {
                named = at(VT.dot)
                while true {
                    let ct = p
                    if named {
                        try expect(VT.dot, "before a named connection (do not mix named and positional connections)")
                        if at(VT.star) { throw err(p, "'.*' connections are not supported") }
                        let pt = p
                        let port = try expectName("a port name")
                        var e: Int32 = -1
                        if at(VT.lparen) {
                            p += 1
                            if !at(VT.rparen) { e = try parseExpr(); noteImplicit(e) }
                            try expect(VT.rparen, "to close the connection")
                        } else {
                            e = Int32(exprs.count)
                            exprs.append(VExpr(kind: EK.name, a: port, tok: Int32(pt)))
                        }
                        conns.append(VConn(port: port, expr: e, tok: Int32(ct)))
                    } else {
                        if at(VT.dot) { throw err(p, "named and positional connections cannot be mixed") }
                        var e: Int32 = -1
                        if !at(VT.comma) && !at(VT.rparen) { e = try parseExpr(); noteImplicit(e) }
                        conns.append(VConn(port: -1, expr: e, tok: Int32(ct)))
                    }
                    if at(VT.comma) { p += 1; continue }
                    break
                }
            }
            try expect(VT.rparen, "to close the connection list")
            stmts.append(VStmt(kind: SK.inst, sub: named ? 1 : 0, a: modName, b: Int32(start), c: Int32(conns.count - start),
                               d: instName, tok: Int32(instName >= 0 ? it : mt)))
            if at(VT.comma) { p += 1; continue }
            break
        }
        try expect(VT.semi, "after the module instance")
    }

    // MARK: expressions

    static func binaryPrecedence(_ kind: UInt8) -> Int {
        switch kind {
        case VT.pipePipe: return 1
        case VT.ampAmp: return 2
        case VT.pipe: return 3
        case VT.caret, VT.tildeCaret: return 4
        case VT.amp: return 5
        case VT.eqEq, VT.bangEq, VT.eqEqEq, VT.bangEqEq: return 6
        case VT.lt, VT.gt, VT.le, VT.ge: return 7
        case VT.shl, VT.shr, VT.ashl, VT.ashr: return 8
        case VT.plus, VT.minus: return 9
        case VT.star, VT.slash, VT.percent: return 10
        case VT.power: return 11
        default: return 0
        }
    }

    mutating func parseExpr() throws -> Int32 {
        depth += 1
        defer { depth -= 1 }
        if depth > 500 { throw err(p, "expression nested too deeply") }
        let cond = try parseBinary(1)
        guard at(VT.question) else { return cond }
        let qt = p
        p += 1
        let t = try parseExpr()
        try expect(VT.colon, "in the conditional expression '?:'")
        let e = try parseExpr()
        exprs.append(VExpr(kind: EK.ternary, a: cond, b: t, c: e, tok: Int32(qt)))
        return Int32(exprs.count - 1)
    }

    mutating func parseBinary(_ minPrec: Int) throws -> Int32 {
        var lhs = try parseUnary()
        while true {
            let op = k[p]
            let prec = VerilogParser.binaryPrecedence(op)
            if prec == 0 || prec < minPrec { return lhs }
            switch op {
            case VT.pipePipe, VT.ampAmp, VT.pipe, VT.caret, VT.tildeCaret, VT.amp, VT.eqEq, VT.bangEq: break
            default: throw err(p, "operator \(VT.describe(op)) is not supported in the gate-level subset (supported: ~ ! & | ^ ~^ && || == != ?:)")
            }
            let ot = p
            var operands = [lhs]
            while k[p] == op {
                p += 1
                operands.append(try parseBinary(prec + 1))
                if op == VT.eqEq || op == VT.bangEq { break }  // comparisons stay binary
            }
            let start = elist.count
            elist.append(contentsOf: operands)
            exprs.append(VExpr(kind: EK.nary, op: op, a: Int32(start), b: Int32(operands.count), tok: Int32(ot)))
            lhs = Int32(exprs.count - 1)
        }
    }

    mutating func parseUnary() throws -> Int32 {
        let t = p
        switch k[p] {
        case VT.tilde, VT.bang, VT.amp, VT.pipe, VT.caret, VT.tildeAmp, VT.tildePipe, VT.tildeCaret:
            p += 1
            depth += 1
            defer { depth -= 1 }
            if depth > 500 { throw err(t, "expression nested too deeply") }
            let a = try parseUnary()
            exprs.append(VExpr(kind: EK.unary, op: k[t], a: a, tok: Int32(t)))
            return Int32(exprs.count - 1)
        case VT.plus:
            p += 1
            return try parseUnary()
        case VT.minus:
            throw err(p, "unary '-' is not supported in the gate-level subset")
        default:
            return try parsePrimary()
        }
    }

    mutating func parsePrimary() throws -> Int32 {
        let t = p
        switch k[p] {
        case VT.lparen:
            p += 1
            let e = try parseExpr()
            try expect(VT.rparen, "to close '('")
            return e
        case VT.number:
            p += 1
            exprs.append(VExpr(kind: EK.const, a: val[t], tok: Int32(t)))
            return Int32(exprs.count - 1)
        case VT.lbrace:
            p += 1
            depth += 1
            defer { depth -= 1 }
            if depth > 500 { throw err(t, "expression nested too deeply") }
            let first = try parseExpr()
            if at(VT.lbrace) {
                // replication {n{...}}
                let fx = exprs[Int(first)]
                guard fx.kind == EK.const, consts[Int(fx.a)].value >= 0, consts[Int(fx.a)].value <= 1 << 20 else {
                    throw err(Int(fx.tok), "expected a constant replication count")
                }
                let inner = try parsePrimary()  // the inner concatenation
                try expect(VT.rbrace, "to close the replication")
                exprs.append(VExpr(kind: EK.repl, a: Int32(consts[Int(fx.a)].value), b: inner, tok: Int32(t)))
                return Int32(exprs.count - 1)
            }
            var items = [first]
            while at(VT.comma) { p += 1; items.append(try parseExpr()) }
            try expect(VT.rbrace, "to close the concatenation")
            let start = elist.count
            elist.append(contentsOf: items)
            exprs.append(VExpr(kind: EK.concat, a: Int32(start), b: Int32(items.count), tok: Int32(t)))
            return Int32(exprs.count - 1)
        case VT.ident, VT.escIdent:
            if let kw = keyword(p) { try rejectConstruct(kw, p) }
            let name = val[p]
            p += 1
            if at(VT.lparen) { throw err(t, "function calls are not supported in the gate-level subset") }
            guard at(VT.lbrack) else {
                exprs.append(VExpr(kind: EK.name, a: name, tok: Int32(t)))
                return Int32(exprs.count - 1)
            }
            p += 1
            let a = try constInt("a bit index")
            var e: VExpr
            if at(VT.colon) {
                p += 1
                let b = try constInt("the part-select's second index")
                e = VExpr(kind: EK.part, a: name, b: a, c: b, tok: Int32(t))
            } else if at(VT.plusColon) || at(VT.minusColon) {
                let up = at(VT.plusColon)
                p += 1
                let w = try constInt("the part-select width")
                if w < 1 { throw err(p - 1, "part-select width must be positive") }
                // a[b +: w] is a[b+w-1 : b] for descending vectors; direction fixed at elaboration
                e = VExpr(kind: EK.part, op: up ? 1 : 2, a: name, b: a, c: w, tok: Int32(t))
            } else {
                e = VExpr(kind: EK.bit, a: name, b: a, tok: Int32(t))
            }
            try expect(VT.rbrack, "to close the select")
            if at(VT.lbrack) { throw err(p, "multi-dimensional selects are not supported") }
            exprs.append(e)
            return Int32(exprs.count - 1)
        case VT.sysIdent: throw err(p, "system functions are not supported in the gate-level subset")
        case VT.string: throw err(p, "strings are not supported in the gate-level subset")
        default:
            throw err(p, "expected an expression, found \(describe(p))")
        }
    }

    // MARK: module resolution

    /// Creates implicit nets, checks the ports, lays out the bits and turns
    /// identifier ids in the module's expressions into net indices.
    mutating func resolveModule(exprStart: Int) throws {
        for (n, t) in implicitCandidates where mod.netOf[n] == nil {
            if defaultNettypeNone {
                throw err(Int(t), "undeclared net '\(names.name(n))' (`default_nettype none is in effect): expected a 'wire' declaration")
            }
            mod.netOf[n] = Int32(mod.nets.count)
            mod.nets.append(VNet(name: n, tok: t))
        }
        var inHeader = Set<Int32>()
        for (i, n) in mod.ports.enumerated() {
            if !inHeader.insert(n).inserted { throw err(Int(mod.portToks[i]), "port '\(names.name(n))' is listed twice in the module header") }
            guard let ni = mod.netOf[n], mod.nets[Int(ni)].dir != 0 else {
                throw err(Int(mod.portToks[i]), "port '\(names.name(n))' has no 'input' or 'output' declaration")
            }
        }
        var offset = 0
        for i in 0..<mod.nets.count {
            if mod.nets[i].dir != 0 && !inHeader.contains(mod.nets[i].name) {
                throw err(Int(mod.nets[i].tok), "'\(names.name(mod.nets[i].name))' is declared as a port but is not in the module header")
            }
            mod.nets[i].bitOffset = Int32(offset)
            offset += mod.nets[i].width
            if offset > 1 << 28 { throw err(Int(mod.nets[i].tok), "module has too many net bits") }
        }
        mod.totalBits = offset
        for i in exprStart..<exprs.count {
            let kind = exprs[i].kind
            if kind == EK.name || kind == EK.bit || kind == EK.part {
                guard let ni = mod.netOf[exprs[i].a] else {
                    throw err(Int(exprs[i].tok), "undeclared identifier '\(names.name(exprs[i].a))'")
                }
                exprs[i].a = ni
            }
        }
    }
}

// MARK: - Elaboration (flattening) into the net graph

struct VerilogElaborator {
    var ps: VerilogParser
    let options: ReadOptions
    var g = NetGraph()
    var instances: [(base: Int, module: Int, path: String)] = []
    var scratch: [UInt32] = []
    var lbits: [Int] = []
    var onPath: [Int] = []
    /// Module name id -> index of the library cell (-1: none), looked up once per name.
    var cellOfName: [Int32: Int] = [:]
    /// Pin name ids of each library cell used, by cell index.
    var cellPinIds: [Int: [Int32]] = [:]
    /// Flip-flop instances, checked after elaboration (clock, clear, preset);
    /// their pin literals lie in `flopPins[pinStart..<pinStart + pins]`.
    var flops: [(cell: Int, tok: Int32, name: String, pinStart: Int)] = []
    var flopPins: [UInt32] = []

    init(parser: VerilogParser, options: ReadOptions) {
        ps = parser; self.options = options
        g = NetGraph(expectedNodes: parser.exprs.count)
    }

    func err(_ tok: Int32, _ message: String) -> FormatError { ps.err(Int(tok), message) }

    mutating func run() throws -> AIG {
        let top = try findTop()
        let m = ps.modules[top]
        if m.ports.isEmpty {
            throw err(m.tok, "empty netlist: no inputs or outputs (module '\(ps.names.name(m.name))' has no ports)")
        }
        let base = g.addBits(m.totalBits)
        instances.append((base, top, ""))
        // Sources and outputs in header order, vector bits LSB first.
        for n in m.ports {
            guard let ni = m.netOf[n] else { continue }
            let net = m.nets[Int(ni)]
            for pos in 0..<net.width {
                let bit = base + Int(net.bitOffset) + pos
                let name = bitName(net, pos, prefix: "")
                if net.dir == 1 { _ = g.addInput(bit: bit, name: name) }
            }
        }
        try elaborate(top, base: base, path: "")
        if !flops.isEmpty { try checkFlipFlops() }
        for n in m.ports {
            guard let ni = m.netOf[n] else { continue }
            let net = m.nets[Int(ni)]
            guard net.dir == 2 else { continue }
            for pos in 0..<net.width {
                let bit = base + Int(net.bitOffset) + pos
                g.outputs.append((g.ref(bit, at: net.tok), bitName(net, pos, prefix: "")))
            }
        }
        var graph = g
        g = NetGraph()
        let describer = NetGraph.Describer(
            name: { [self] bit in self.describeBit(bit) },
            error: { [self] handle, message in
                handle >= 0 ? self.err(handle, message) : FormatError(file: self.ps.file, message: message)
            })
        return try graph.finish(undriven: options.undriven, describe: describer)
    }

    func bitName(_ net: VNet, _ pos: Int, prefix: String) -> String {
        let base = prefix + ps.names.name(net.name)
        return net.isVector ? "\(base)[\(net.index(pos))]" : base
    }

    func describeBit(_ bit: Int) -> String {
        // instances are in increasing base order
        var lo = 0, hi = instances.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if instances[mid].base <= bit { lo = mid } else { hi = mid - 1 }
        }
        let inst = instances[lo]
        let m = ps.modules[inst.module]
        let local = bit - inst.base
        var best = 0
        for (i, n) in m.nets.enumerated() where Int(n.bitOffset) <= local && n.width > 0 { if Int(n.bitOffset) + n.width > local { best = i; break } }
        guard best < m.nets.count else { return "bit \(bit)" }
        return bitName(m.nets[best], local - Int(m.nets[best].bitOffset), prefix: inst.path.isEmpty ? "" : inst.path + ".")
    }

    mutating func findTop() throws -> Int {
        if let top = options.top {
            for (i, m) in ps.modules.enumerated() where ps.names.name(m.name) == top { return i }
            let all = ps.modules.map { ps.names.name($0.name) }.joined(separator: ", ")
            throw FormatError(file: ps.file, message: "top module '\(top)' not found; modules: \(all)")
        }
        let candidates = ps.modules.indices.filter { !ps.instantiated.contains(ps.modules[$0].name) }
        if candidates.count == 1 { return candidates[0] }
        if candidates.isEmpty, let first = ps.modules.first {
            throw err(first.tok, "no top module: every module is instantiated by another (recursive hierarchy?); choose one with --top NAME")
        }
        let list = candidates.map { ps.names.name(ps.modules[$0].name) }.joined(separator: ", ")
        throw FormatError(file: ps.file, message: "ambiguous top module: \(list) are never instantiated; choose one with --top NAME")
    }

    mutating func drive(_ bit: Int, _ lit: UInt32, at tok: Int32) throws {
        if let prev = g.drive(bit, lit, at: tok) {
            if prev == -2 { throw err(tok, "net '\(describeBit(bit))' is an input and cannot be driven inside the module") }
            let line = lineColumn(ps.buf, Int(ps.off[Int(prev)])).line
            throw err(tok, "net '\(describeBit(bit))' is driven more than once (first driver at line \(line))")
        }
    }

    mutating func elaborate(_ mi: Int, base: Int, path: String) throws {
        if onPath.contains(mi) {
            throw FormatError(file: ps.file, message: "module '\(ps.names.name(ps.modules[mi].name))' instantiates itself (recursive hierarchy)")
        }
        onPath.append(mi)
        defer { onPath.removeLast() }
        let m = ps.modules[mi]
        for net in m.nets where net.supply >= 0 {
            for pos in 0..<net.width { try drive(base + Int(net.bitOffset) + pos, UInt32(net.supply), at: net.tok) }
        }
        for si in m.stmtStart..<m.stmtEnd {
            let s = ps.stmts[si]
            switch s.kind {
            case SK.assign:
                var bits = lbits
                lbits = []
                bits.removeAll(keepingCapacity: true)
                try lvalue(s.a, m, base, &bits)
                let w = bits.count
                let sw = try selfWidth(s.b, m)
                if sw > w {
                    throw err(s.tok, "width mismatch: the right side is \(sw) bits wide but the left side only \(w); the assignment would truncate")
                }
                let start = scratch.count
                try eval(s.b, w, m, base)
                for i in 0..<w { try drive(bits[i], scratch[start + i], at: s.tok) }
                scratch.removeSubrange(start...)
                lbits = bits
            case SK.gate:
                try gate(s, m, base)
            default:
                try instance(s, m, base, path)
            }
        }
    }

    mutating func gate(_ s: VStmt, _ m: VModule, _ base: Int) throws {
        let kind = GateKind(rawValue: s.sub) ?? .buf
        let terms = Array(ps.elist[Int(s.a)..<Int(s.a + s.b)])
        let outCount = (kind == .not || kind == .buf) ? terms.count - 1 : 1
        var ins: [UInt32] = []
        for e in terms[outCount...] {
            let w = try selfWidth(e, m)
            if w != 1 { throw err(ps.exprs[Int(e)].tok, "gate terminal must be 1 bit wide, found \(w) bits") }
            let start = scratch.count
            try eval(e, 1, m, base)
            ins.append(scratch[start])
            scratch.removeSubrange(start...)
        }
        var out: UInt32
        switch kind {
        case .and, .nand: out = g.reduce(&ins, identity: NetGraph.trueLit) { $0.and($1, $2) }
        case .or, .nor: out = g.reduce(&ins, identity: NetGraph.falseLit) { $0.or($1, $2) }
        case .xor, .xnor: out = g.reduce(&ins, identity: NetGraph.falseLit) { $0.xor($1, $2) }
        case .not: out = ins[0] ^ 1
        case .buf: out = ins[0]
        }
        if kind == .nand || kind == .nor || kind == .xnor { out ^= 1 }
        if (kind == .not || kind == .buf), ins.count != 1 { throw err(s.tok, "'\(kind)' takes exactly one input (its last terminal)") }
        for e in terms[..<outCount] {
            var bits: [Int] = []
            try lvalue(e, m, base, &bits)
            if bits.count != 1 { throw err(ps.exprs[Int(e)].tok, "gate output terminal must be 1 bit wide, found \(bits.count) bits") }
            try drive(bits[0], out, at: s.tok)
        }
    }

    mutating func instance(_ s: VStmt, _ m: VModule, _ base: Int, _ path: String) throws {
        guard let si = ps.moduleByName[s.a] else {
            guard let lib = options.cells else {
                throw err(s.tok, "unknown module '\(ps.names.name(s.a))' (not defined in this file; for standard cells, pass their Liberty library with --liberty FILE)")
            }
            let ci: Int
            if let known = cellOfName[s.a] { ci = known } else {
                ci = lib.index(of: ps.names.name(s.a)) ?? -1
                cellOfName[s.a] = ci
            }
            guard ci >= 0 else {
                throw err(s.tok, "unknown module or cell '\(ps.names.name(s.a))': not defined in this file nor in the Liberty library (\(lib.files.joined(separator: ", ")))")
            }
            try cellInstance(s, ci, lib, m, base, path)
            return
        }
        let sub = ps.modules[si]
        let subBase = g.addBits(sub.totalBits)
        let instName = s.d >= 0 ? ps.names.name(s.d) : "\(ps.names.name(s.a))_\(s.tok)"
        let subPath = path.isEmpty ? instName : path + "." + instName
        instances.append((subBase, si, subPath))
        let named = s.sub == 1
        if !named && Int(s.c) > sub.ports.count {
            throw err(s.tok, "instance '\(instName)' has \(s.c) connections but module '\(ps.names.name(sub.name))' has \(sub.ports.count) ports")
        }
        var seen = Set<Int32>()
        for ci in Int(s.b)..<Int(s.b + s.c) {
            let c = ps.conns[ci]
            let portName = named ? c.port : sub.ports[ci - Int(s.b)]
            guard let pn = sub.netOf[portName], sub.nets[Int(pn)].dir != 0 else {
                throw err(c.tok, "module '\(ps.names.name(sub.name))' has no port '\(ps.names.name(portName))'")
            }
            if !seen.insert(portName).inserted { throw err(c.tok, "port '\(ps.names.name(portName))' is connected twice") }
            guard c.expr >= 0 else { continue }
            let port = sub.nets[Int(pn)]
            let pw = port.width
            if port.dir == 1 {
                let sw = try selfWidth(c.expr, m)
                if sw > pw { throw err(c.tok, "width mismatch: \(sw) bits connected to the \(pw)-bit input port '\(ps.names.name(portName))'; it would truncate") }
                let start = scratch.count
                try eval(c.expr, pw, m, base)
                for pos in 0..<pw { try drive(subBase + Int(port.bitOffset) + pos, scratch[start + pos], at: c.tok) }
                scratch.removeSubrange(start...)
            } else {
                var bits: [Int] = []
                try lvalue(c.expr, m, base, &bits)
                if bits.count != pw {
                    throw err(c.tok, "width mismatch: \(bits.count) bits connected to the \(pw)-bit output port '\(ps.names.name(portName))'")
                }
                for pos in 0..<pw { try drive(bits[pos], g.ref(subBase + Int(port.bitOffset) + pos, at: c.tok), at: c.tok) }
            }
        }
        try elaborate(si, base: subBase, path: subPath)
    }

    // MARK: expressions

    /// Net bits named by a left-hand side, least significant first.
    func lvalue(_ e: Int32, _ m: VModule, _ base: Int, _ out: inout [Int]) throws {
        let x = ps.exprs[Int(e)]
        switch x.kind {
        case EK.name:
            let net = m.nets[Int(x.a)]
            for pos in 0..<net.width { out.append(base + Int(net.bitOffset) + pos) }
        case EK.bit:
            let net = m.nets[Int(x.a)]
            out.append(base + Int(net.bitOffset) + (try position(net, Int(x.b), x.tok)))
        case EK.part:
            let net = m.nets[Int(x.a)]
            let (lo, hi) = try partRange(net, x)
            for pos in lo...hi { out.append(base + Int(net.bitOffset) + pos) }
        case EK.concat:
            var i = Int(x.b) - 1
            while i >= 0 { try lvalue(ps.elist[Int(x.a) + i], m, base, &out); i -= 1 }
        default:
            throw err(x.tok, "expected a net, bit-select, part-select or concatenation on the left side")
        }
    }

    func position(_ net: VNet, _ idx: Int, _ tok: Int32) throws -> Int {
        guard let pos = net.position(idx) else {
            throw err(tok, net.isVector
                ? "index \(idx) is out of range for '\(ps.names.name(net.name))[\(net.msb):\(net.lsb)]'"
                : "'\(ps.names.name(net.name))' is a scalar and cannot be indexed")
        }
        return pos
    }

    /// Bit positions (low, high) of a part-select.
    func partRange(_ net: VNet, _ x: VExpr) throws -> (Int, Int) {
        var hiIdx = Int(x.b), loIdx = Int(x.c)
        if x.op != 0 {
            let w = Int(x.c)
            let start = Int(x.b)
            let descending = net.msb >= net.lsb
            if x.op == 1 { (hiIdx, loIdx) = descending ? (start + w - 1, start) : (start, start + w - 1) } else {
                (hiIdx, loIdx) = descending ? (start, start - w + 1) : (start - w + 1, start)
            }
        }
        let ph = try position(net, hiIdx, x.tok), pl = try position(net, loIdx, x.tok)
        if ph < pl && !(hiIdx == loIdx) {
            throw err(x.tok, "part-select [\(hiIdx):\(loIdx)] is reversed relative to the declaration [\(net.msb):\(net.lsb)] of '\(ps.names.name(net.name))'")
        }
        return (pl, ph)
    }

    /// Self-determined width (unsized constants count with their minimal width).
    func selfWidth(_ e: Int32, _ m: VModule) throws -> Int {
        let x = ps.exprs[Int(e)]
        switch x.kind {
        case EK.name: return m.nets[Int(x.a)].width
        case EK.bit: return 1
        case EK.part:
            let (lo, hi) = try partRange(m.nets[Int(x.a)], x)
            return hi - lo + 1
        case EK.const: return Int(ps.consts[Int(x.a)].width)
        case EK.unary: return x.op == VT.tilde ? try selfWidth(x.a, m) : 1
        case EK.nary:
            switch x.op {
            case VT.pipe, VT.amp, VT.caret, VT.tildeCaret:
                var w = 0
                for i in 0..<Int(x.b) { w = max(w, try selfWidth(ps.elist[Int(x.a) + i], m)) }
                return w
            default: return 1
            }
        case EK.ternary: return max(try selfWidth(x.b, m), try selfWidth(x.c, m))
        case EK.concat:
            var w = 0
            for i in 0..<Int(x.b) {
                let ce = ps.elist[Int(x.a) + i]
                let cx = ps.exprs[Int(ce)]
                if cx.kind == EK.const && !ps.consts[Int(cx.a)].sized {
                    throw err(cx.tok, "unsized constant in a concatenation: expected a sized constant such as 1'b0")
                }
                w += try selfWidth(ce, m)
            }
            return w
        case EK.repl:
            // Nested replications multiply: keep the width (and the memory) bounded.
            let inner = try selfWidth(x.b, m)
            if inner > 0 && Int(x.a) > (1 << 20) / inner { throw err(x.tok, "replication is wider than \(1 << 20) bits") }
            return Int(x.a) * inner
        default: return 1
        }
    }

    /// Appends the `width` literals of `e` (least significant first) to `scratch`.
    mutating func eval(_ e: Int32, _ width: Int, _ m: VModule, _ base: Int) throws {
        let x = ps.exprs[Int(e)]
        switch x.kind {
        case EK.name:
            let net = m.nets[Int(x.a)]
            let b = base + Int(net.bitOffset)
            let n = min(width, net.width)
            for pos in 0..<n { scratch.append(g.ref(b + pos, at: x.tok)) }
            if width > n { scratch.append(contentsOf: repeatElement(0, count: width - n)) }
        case EK.bit:
            let net = m.nets[Int(x.a)]
            let pos = try position(net, Int(x.b), x.tok)
            scratch.append(g.ref(base + Int(net.bitOffset) + pos, at: x.tok))
            if width > 1 { scratch.append(contentsOf: repeatElement(0, count: width - 1)) }
        case EK.part:
            let net = m.nets[Int(x.a)]
            let (lo, hi) = try partRange(net, x)
            let n = min(width, hi - lo + 1)
            for pos in lo..<(lo + n) { scratch.append(g.ref(base + Int(net.bitOffset) + pos, at: x.tok)) }
            if width > n { scratch.append(contentsOf: repeatElement(0, count: width - n)) }
        case EK.const:
            let c = ps.consts[Int(x.a)]
            let n = min(width, Int(c.width))
            for i in 0..<n { scratch.append(UInt32(ps.constBits[Int(c.bitsStart) + i])) }
            if width > n { scratch.append(contentsOf: repeatElement(0, count: width - n)) }
        case EK.unary:
            if x.op == VT.tilde {
                let s = scratch.count
                try eval(x.a, width, m, base)
                for i in s..<scratch.count { scratch[i] ^= 1 }
                return
            }
            let r = try reduceOperand(x.a, op: x.op, m, base)
            scratch.append(r)
            if width > 1 { scratch.append(contentsOf: repeatElement(0, count: width - 1)) }
        case EK.nary:
            let count = Int(x.b)
            switch x.op {
            case VT.pipe, VT.amp, VT.caret, VT.tildeCaret:
                let s = scratch.count
                try eval(ps.elist[Int(x.a)], width, m, base)
                for i in 1..<count {
                    try eval(ps.elist[Int(x.a) + i], width, m, base)
                    for j in 0..<width {
                        let a = scratch[s + j], b = scratch[s + width + j]
                        switch x.op {
                        case VT.amp: scratch[s + j] = g.and(a, b)
                        case VT.pipe: scratch[s + j] = g.or(a, b)
                        case VT.caret: scratch[s + j] = g.xor(a, b)
                        default: scratch[s + j] = g.xor(a, b) ^ 1
                        }
                    }
                    scratch.removeSubrange((s + width)...)
                }
            case VT.ampAmp, VT.pipePipe:
                var acc = try reduceOperand(ps.elist[Int(x.a)], op: VT.pipe, m, base)
                for i in 1..<count {
                    let b = try reduceOperand(ps.elist[Int(x.a) + i], op: VT.pipe, m, base)
                    acc = x.op == VT.ampAmp ? g.and(acc, b) : g.or(acc, b)
                }
                scratch.append(acc)
                if width > 1 { scratch.append(contentsOf: repeatElement(0, count: width - 1)) }
            default: // == !=  (binary)
                let a = ps.elist[Int(x.a)], b = ps.elist[Int(x.a) + 1]
                let w = max(try selfWidth(a, m), try selfWidth(b, m))
                let s = scratch.count
                try eval(a, w, m, base)
                try eval(b, w, m, base)
                var eqs: [UInt32] = []
                eqs.reserveCapacity(w)
                for j in 0..<w { eqs.append(g.xor(scratch[s + j], scratch[s + w + j]) ^ 1) }
                scratch.removeSubrange(s...)
                var r = g.reduce(&eqs, identity: NetGraph.trueLit) { $0.and($1, $2) }
                if x.op == VT.bangEq { r ^= 1 }
                scratch.append(r)
                if width > 1 { scratch.append(contentsOf: repeatElement(0, count: width - 1)) }
            }
        case EK.ternary:
            let c = try reduceOperand(x.a, op: VT.pipe, m, base)
            let s = scratch.count
            try eval(x.b, width, m, base)
            try eval(x.c, width, m, base)
            for j in 0..<width { scratch[s + j] = g.mux(c, scratch[s + j], scratch[s + width + j]) }
            scratch.removeSubrange((s + width)...)
        case EK.concat:
            let s = scratch.count
            var i = Int(x.b) - 1
            while i >= 0 {
                let ce = ps.elist[Int(x.a) + i]
                try eval(ce, try selfWidth(ce, m), m, base)
                i -= 1
            }
            let n = scratch.count - s
            if n > width { scratch.removeSubrange((s + width)...) }
            if width > n { scratch.append(contentsOf: repeatElement(0, count: width - n)) }
        case EK.repl:
            let s = scratch.count
            let iw = try selfWidth(x.b, m)
            if iw > 0 && Int(x.a) > (1 << 20) / iw { throw err(x.tok, "replication is wider than \(1 << 20) bits") }
            try eval(x.b, iw, m, base)
            let total = iw * Int(x.a)
            if x.a == 0 { scratch.removeSubrange(s...) } else {
                for _ in 1..<Int(x.a) { for j in 0..<iw { scratch.append(scratch[s + j]) } }
            }
            if total > width { scratch.removeSubrange((s + width)...) }
            if width > total { scratch.append(contentsOf: repeatElement(0, count: width - total)) }
        default:
            throw err(x.tok, "unsupported expression")
        }
    }

    /// Evaluates an operand at its own width and reduces it to one literal with
    /// a reduction operator (`|` for truth values).
    mutating func reduceOperand(_ e: Int32, op: UInt8, _ m: VModule, _ base: Int) throws -> UInt32 {
        let w = try selfWidth(e, m)
        let s = scratch.count
        try eval(e, w, m, base)
        var xs = Array(scratch[s...])
        scratch.removeSubrange(s...)
        switch op {
        case VT.amp: return g.reduce(&xs, identity: 1) { $0.and($1, $2) }
        case VT.tildeAmp: return g.reduce(&xs, identity: 1) { $0.and($1, $2) } ^ 1
        case VT.pipe: return g.reduce(&xs, identity: 0) { $0.or($1, $2) }
        case VT.tildePipe: return g.reduce(&xs, identity: 0) { $0.or($1, $2) } ^ 1
        case VT.caret: return g.reduce(&xs, identity: 0) { $0.xor($1, $2) }
        case VT.tildeCaret: return g.reduce(&xs, identity: 0) { $0.xor($1, $2) } ^ 1
        default: return g.reduce(&xs, identity: 0) { $0.or($1, $2) } ^ 1  // '!'
        }
    }
}

// MARK: - Library cells (--liberty)

/// Instances of Liberty cells. A combinational cell's output pins are built
/// from its functions; a flip-flop (`ff` group) becomes an AIG latch with
/// initial value 0 whose next state is `next_state`, named after the net its
/// Q pin (the pin whose function is the state variable) drives, or after the
/// instance when Q is unconnected; QN and other outputs are functions of the
/// state. After elaboration every flip-flop is checked: `clear`/`preset` must
/// be tied inactive (asynchronous set/reset is rejected, not dropped), and all
/// clocks must come from one primary input, on one edge, through buffers or
/// inverters only (a clock driven by logic is clock gating: rejected).
extension VerilogElaborator {
    static let unconnected = NetGraph.none

    mutating func cellInstance(_ s: VStmt, _ ci: Int, _ lib: CellLibrary, _ m: VModule, _ base: Int, _ path: String) throws {
        let cell = lib.cells[ci]
        let local = s.d >= 0 ? ps.names.name(s.d) : "\(cell.name)_\(s.tok)"
        let instName = path.isEmpty ? local : path + "." + local
        let what = "instance '\(instName)' of cell '\(cell.name)'"
        if let u = cell.unsupported {
            throw err(s.tok, "\(what): \(u.reason) (\(cell.file):\(u.line))")
        }
        let pinIds: [Int32]
        if let known = cellPinIds[ci] { pinIds = known } else {
            pinIds = cell.pins.map { ps.names.intern($0.name) }
            cellPinIds[ci] = pinIds
        }
        let np = cell.pins.count
        var lits = [UInt32](repeating: Self.unconnected, count: np + 2)
        var outBits = [Int](repeating: -1, count: np)
        var outExprs = [Int32](repeating: -1, count: np)
        var connected = [Bool](repeating: false, count: np)
        let named = s.sub == 1
        let ports = named ? [] : cell.ports
        func pinList() -> String { cell.ports.map { cell.pins[$0].name }.joined(separator: ", ") }
        if !named && Int(s.c) > ports.count {
            throw err(s.tok, "\(what) has \(s.c) connections but the cell has \(ports.count) pins (\(pinList()))")
        }
        for k in 0..<Int(s.c) {
            let c = ps.conns[Int(s.b) + k]
            let pi: Int
            if named {
                guard let f = pinIds.firstIndex(of: c.port), cell.pins[f].direction != .internal else {
                    throw err(c.tok, "cell '\(cell.name)' has no pin '\(ps.names.name(c.port))' (instance '\(instName)'; pins: \(pinList()))")
                }
                pi = f
            } else {
                pi = ports[k]
            }
            if connected[pi] { throw err(c.tok, "pin '\(cell.pins[pi].name)' of \(what) is connected twice") }
            connected[pi] = true
            guard c.expr >= 0 else { continue }
            let pin = cell.pins[pi]
            if pin.direction == .input {
                let w = try selfWidth(c.expr, m)
                if w != 1 { throw err(c.tok, "width mismatch: \(w) bits connected to the 1-bit input pin '\(pin.name)' of \(what)") }
                let start = scratch.count
                try eval(c.expr, 1, m, base)
                lits[pi] = scratch[start]
                scratch.removeSubrange(start...)
            } else {
                var bits: [Int] = []
                try lvalue(c.expr, m, base, &bits)
                if bits.count != 1 { throw err(c.tok, "width mismatch: \(bits.count) bits connected to the 1-bit output pin '\(pin.name)' of \(what)") }
                outBits[pi] = bits[0]
                outExprs[pi] = c.expr
            }
        }
        var stateBit = -1
        if cell.sequential != nil {
            stateBit = g.addBits(1)
            lits[np] = g.ref(stateBit, at: s.tok)
            lits[np + 1] = lits[np] ^ 1
        }
        // Every node once, children first; `unconnected` propagates until used.
        let u = Self.unconnected
        var vals = [UInt32](repeating: 0, count: cell.nodes.count)
        for (i, n) in cell.nodes.enumerated() {
            let a = n.op == .variable || n.op == .const0 || n.op == .const1 ? 0 : vals[Int(n.a)]
            let b = n.op == .and || n.op == .or || n.op == .xor ? vals[Int(n.b)] : 0
            if a == u || b == u { vals[i] = u; continue }
            switch n.op {
            case .const0: vals[i] = NetGraph.falseLit
            case .const1: vals[i] = NetGraph.trueLit
            case .variable: vals[i] = Int(n.a) < lits.count ? lits[Int(n.a)] : u
            case .not: vals[i] = a ^ 1
            case .and: vals[i] = g.and(a, b)
            case .or: vals[i] = g.or(a, b)
            case .xor: vals[i] = g.xor(a, b)
            }
        }
        func unconnectedInputs() -> String {
            (0..<np).filter { cell.pins[$0].direction == .input && lits[$0] == u }.map { "'\(cell.pins[$0].name)'" }.joined(separator: ", ")
        }
        var qPin = -1
        for pi in 0..<np where outBits[pi] >= 0 {
            let pin = cell.pins[pi]
            guard pin.function >= 0 else {
                throw err(s.tok, "output pin '\(pin.name)' of \(what) has no function in \(cell.file)")
            }
            let v = vals[Int(pin.function)]
            if v == u { throw err(s.tok, "output pin '\(pin.name)' of \(what) depends on unconnected input pins (\(unconnectedInputs()))") }
            let root = cell.nodes[Int(pin.function)]
            if cell.sequential != nil, root.op == .variable, Int(root.a) == np, qPin < 0 { qPin = pi }
            try drive(outBits[pi], v, at: s.tok)
        }
        if let q = cell.sequential {
            let next = vals[Int(q.next)]
            if next == u { throw err(s.tok, "the next state of \(what) depends on unconnected input pins (\(unconnectedInputs()))") }
            var latchName = instName
            if qPin >= 0 {
                // The net Q drives, named from the connection itself (no search).
                let x = ps.exprs[Int(outExprs[qPin])]
                let prefix = path.isEmpty ? "" : path + "."
                if x.kind == EK.name || x.kind == EK.bit {
                    let net = m.nets[Int(x.a)]
                    latchName = bitName(net, outBits[qPin] - base - Int(net.bitOffset), prefix: prefix)
                } else {
                    latchName = describeBit(outBits[qPin])
                }
            }
            _ = g.addLatch(bit: stateBit, next: next, reset: .zero, name: latchName, at: s.tok)
            flops.append((ci, s.tok, instName, flopPins.count))
            flopPins.append(contentsOf: lits[0..<np])
        }
    }

    /// Follows a literal through nets driven by other nets (assigns, buffers)
    /// to the net or node where it really comes from.
    func chase(_ lit: UInt32) -> UInt32 {
        var l = lit
        var steps = 0
        while l != Self.unconnected && steps <= g.bitCount {
            let node = Int(l >> 1)
            guard node > 0, g.nodeA[node] == NetGraph.netMark else { return l }
            let d = g.driver[Int(g.nodeB[node])]
            if d == NetGraph.none || d == NetGraph.source { return l }
            l = d ^ (l & 1)
            steps += 1
        }
        return l
    }

    /// The value of a cell function when its pins' constant values decide it, else nil.
    func constantValue(_ cell: CellLibrary.Cell, _ root: Int32, _ pins: [UInt32]) -> Bool? {
        guard root >= 0, Int(root) < cell.nodes.count else { return nil }
        var v = [UInt8](repeating: 2, count: Int(root) + 1)  // 0, 1, 2 = unknown
        for i in 0...Int(root) {
            let n = cell.nodes[i]
            let x = n.op == .not || n.op == .and || n.op == .or || n.op == .xor ? v[Int(n.a)] : 2
            let y = n.op == .and || n.op == .or || n.op == .xor ? v[Int(n.b)] : 2
            switch n.op {
            case .const0: v[i] = 0
            case .const1: v[i] = 1
            case .variable:
                let a = Int(n.a)
                v[i] = a < pins.count && pins[a] < 2 ? UInt8(pins[a]) : 2
            case .not: v[i] = x == 2 ? 2 : 1 - x
            case .and: v[i] = x == 0 || y == 0 ? 0 : (x == 1 && y == 1 ? 1 : 2)
            case .or: v[i] = x == 1 || y == 1 ? 1 : (x == 0 && y == 0 ? 0 : 2)
            case .xor: v[i] = x == 2 || y == 2 ? 2 : x ^ y
            }
        }
        let r = v[Int(root)]
        return r == 2 ? nil : r == 1
    }

    /// Asynchronous clear/preset must be tied inactive; every clock must be one
    /// primary input on one edge (the AIG's single implicit clock).
    mutating func checkFlipFlops() throws {
        guard let lib = options.cells else { return }
        var isInput = [Bool](repeating: false, count: g.bitCount)
        for s in g.inputs { isInput[s.bit] = true }
        var clock: (bit: Int, falling: Bool, inst: String)? = nil
        var pins: [UInt32] = []
        for f in flops {
            let cell = lib.cells[f.cell]
            guard let q = cell.sequential else { continue }
            let np = cell.pins.count
            pins.removeAll(keepingCapacity: true)
            for k in 0..<np { pins.append(chase(flopPins[f.pinStart + k])) }
            let what = "instance '\(f.name)' of cell '\(cell.name)'"
            for (root, text, kind) in [(q.clear, q.clearText, "clear"), (q.preset, q.presetText, "preset")] where root >= 0 {
                if constantValue(cell, root, pins) != false {
                    throw err(f.tok, "\(what): asynchronous \(kind) (\(kind) : \"\(text)\") is not tied inactive; asynchronous set/reset is not supported (tie its pins to constants, or map to a flip-flop without \(kind))")
                }
            }
            let ckName = cell.pins[q.clockPin].name
            let ck = pins[q.clockPin]
            if ck == Self.unconnected { throw err(f.tok, "clock pin '\(ckName)' of \(what) is not connected") }
            let node = Int(ck >> 1)
            if node == 0 { throw err(f.tok, "clock pin '\(ckName)' of \(what) is tied to a constant") }
            guard g.nodeA[node] == NetGraph.netMark else {
                throw err(f.tok, "clock pin '\(ckName)' of \(what) is driven by logic (clock gating is not supported): expected a primary input, through buffers or inverters at most")
            }
            let bit = Int(g.nodeB[node])
            if g.driver[bit] == NetGraph.none { continue }  // undriven: reported when the graph is finished
            guard isInput[bit] else {
                throw err(f.tok, "clock pin '\(ckName)' of \(what) is driven by a flip-flop output (derived clocks are not supported): expected a primary input")
            }
            let falling = (ck & 1 == 1) != q.clockInverted
            if let c = clock {
                if c.bit != bit || c.falling != falling {
                    func edge(_ f: Bool) -> String { f ? "falling" : "rising" }
                    throw err(f.tok, "\(what) is clocked on the \(edge(falling)) edge of '\(describeBit(bit))' but instance '\(c.inst)' on the \(edge(c.falling)) edge of '\(describeBit(c.bit))': the AIG has one implicit clock, so all flip-flops must share one clock and edge")
                }
            } else {
                clock = (bit, falling, f.name)
            }
        }
    }
}
