import AIG

// Syntax tree of the synthesisable Verilog-2005 subset (see `RTLElaborator`).
// RTL files are small next to the netlists the gate-level reader handles, so
// the tree is plain Swift values; the bit-level work is flat (`NetGraph`).

struct RExpr {
    indirect enum Node {
        case ident(Int32)
        case number(Int32)
        case string(Int32)
        case unary(UInt8, RExpr)
        case binary(UInt8, RExpr, RExpr)
        case ternary(RExpr, RExpr, RExpr)
        case concat([RExpr])
        case repl(RExpr, [RExpr])
        case index(RExpr, RExpr)
        case range(RExpr, RExpr, RExpr)
        case indexed(RExpr, RExpr, RExpr, up: Bool)
        case call(Int32, [RExpr])
        case system(Int32, [RExpr])
        case hierarchical([Int32])
    }
    var node: Node
    var tok: Int32
}

struct RCaseItem {
    var labels: [RExpr]      // empty: default
    var body: RStmt
}

struct RStmt {
    indirect enum Node {
        case block([RStmt])
        case scopedBlock(Int32, [RDecl], [RStmt])
        case assign(lhs: RExpr, rhs: RExpr, nonblocking: Bool)
        case ifElse(RExpr, RStmt, RStmt?)
        case caseOf(kind: UInt8, RExpr, [RCaseItem], full: Bool)   // kind 0 case, 1 casez, 2 casex; full: (* full_case *)
        case forLoop(init: RStmt, cond: RExpr, step: RStmt, body: RStmt)
        case repeatLoop(RExpr, RStmt)
        case whileLoop(RExpr, RStmt)
        case null
    }
    var node: Node
    var tok: Int32
}

struct RRange { var msb: RExpr; var lsb: RExpr }

enum RDeclKind: UInt8 { case wire, reg, integer, genvar }

struct RDecl {
    var name: Int32
    var tok: Int32
    var kind: RDeclKind
    var dir: UInt8 = 0          // 0 none, 1 input, 2 output
    var signed = false
    var range: RRange? = nil
    var array: RRange? = nil
    var initial: RExpr? = nil
    var supply: Int8 = -1       // supply0/supply1 nets: every bit driven by this constant
}

struct RParam {
    var name: Int32
    var tok: Int32
    var local: Bool
    var signed: Bool
    var range: RRange?
    var isInteger: Bool
    var value: RExpr
}

struct RInstance {
    var module: Int32
    var tok: Int32
    var params: [(name: Int32?, value: RExpr)]
    var name: Int32
    var connections: [(port: Int32?, value: RExpr?, tok: Int32)]
}

struct RFunction {
    var name: Int32
    var tok: Int32
    var signed: Bool
    var range: RRange?
    var isInteger: Bool
    var inputs: [Int32]
    var decls: [RDecl]
    var body: RStmt
}

enum RSensitivity {
    case combinational
    case edges([(posedge: Bool, signal: Int32, tok: Int32)])
}

indirect enum RItem {
    case decl(RDecl)
    case param(RParam)
    case assign(RExpr, RExpr, Int32)
    case always(RSensitivity, RStmt, Int32)
    case initial(RStmt, Int32)
    case instance(RInstance)
    case genFor(variable: Int32, start: RExpr, cond: RExpr, step: RExpr, name: Int32?, items: [RItem], tok: Int32)
    case genIf(RExpr, [RItem], [RItem], name: Int32?, elseName: Int32?, tok: Int32)
    case genBlock(name: Int32?, items: [RItem], tok: Int32)
    case genCase(RExpr, [(labels: [RExpr], items: [RItem], name: Int32?)], tok: Int32)
}

struct RModule {
    var name: Int32
    var tok: Int32
    var ports: [(name: Int32, tok: Int32)] = []
    var headerParams: [RParam] = []
    var items: [RItem] = []
    var functions: [Int32: RFunction] = [:]
}

/// Parser of the RTL subset over the shared Verilog tokens.
struct RTLParser: VerilogTokenCursor {
    let k: [UInt8]
    let off: [UInt32]
    let val: [Int32]
    var names: NameInterner
    let lexer: VerilogLexer
    let buf: UnsafeBufferPointer<UInt8>
    var p = 0
    var depth = 0
    var modules: [RModule] = []
    var moduleByName: [Int32: Int] = [:]
    var instantiated: Set<Int32> = []
    var functions: [Int32: RFunction] = [:]

    init(lexer: VerilogLexer, buf: UnsafeBufferPointer<UInt8>) {
        k = lexer.kinds; off = lexer.offsets; val = lexer.values; names = lexer.names
        self.lexer = lexer; self.buf = buf
    }

    // MARK: helpers

    func err(_ tok: Int, _ message: String) -> FormatError {
        let t = min(max(tok, 0), off.count - 1)
        let (f, l, c) = lexer.location(of: Int(off[t]), main: buf)
        return FormatError(file: f, line: l, column: c, message: message)
    }

    func atWord(_ w: String) -> Bool { k[p] == VT.ident && names.name(val[p]) == w }

    mutating func expectKeyword(_ kw: VKeyword, _ context: String) throws {
        guard atKeyword(kw) else { throw err(p, "expected '\(kw.text)' \(context), found \(describe(p))") }
        p += 1
    }

    mutating func expectName(_ context: String) throws -> Int32 {
        guard isName(p) else {
            if let kw = keyword(p) { try reject(kw, p) }
            throw err(p, "expected \(context), found \(describe(p))")
        }
        p += 1
        return val[p - 1]
    }

    /// Constructs outside the subset, each with its own message.
    func reject(_ kw: VKeyword, _ t: Int) throws {
        switch kw {
        case .always_comb, .always_ff, .always_latch, .logic:
            throw err(t, "SystemVerilog '\(kw.text)' is not supported: expected Verilog-2005 (always @*, always @(posedge clk), reg/wire)")
        case .final: throw err(t, "'final' blocks are not supported")
        case .real, .time, .event, .trireg: throw err(t, "'\(kw.text)' variables are not supported: expected reg, wire or integer")
        case .task, .endtask: throw err(t, "tasks are not supported: expected functions or module instances")
        case .inout: throw err(t, "'inout' ports are not supported: expected 'input' or 'output'")
        case .tri, .tri0, .tri1, .wand, .wor, .triand, .trior:
            throw err(t, "tri-state and wired nets ('\(kw.text)') are not supported: expected 'wire'")
        case .bufif0, .bufif1, .notif0, .notif1, .pmos, .nmos, .cmos, .rcmos, .rnmos, .rpmos,
             .tran, .tranif0, .tranif1, .rtran, .rtranif0, .rtranif1, .pullup, .pulldown:
            throw err(t, "tri-state and switch primitives ('\(kw.text)') are not supported: expected and/or/nand/nor/xor/xnor/not/buf")
        case .defparam: throw err(t, "'defparam' is not supported: expected parameter overrides at the instance, #(.NAME(value))")
        case .specparam, .specify, .endspecify: throw err(t, "'\(kw.text)' (timing) is not supported")
        case .primitive, .table: throw err(t, "user-defined primitives are not supported")
        case .force, .release, .deassign: throw err(t, "procedural '\(kw.text)' is not supported")
        case .forever: throw err(t, "'forever' loops are not supported: expected 'for', 'while' or 'repeat' with constant bounds")
        default: throw err(t, "unexpected keyword '\(kw.text)'")
        }
    }

    // MARK: file and module

    mutating func parseFile() throws {
        while !at(VT.eof) {
            if atKeyword(.module) || atKeyword(.macromodule) {
                try parseModule()
            } else if let kw = keyword(p) {
                try reject(kw, p)
            } else {
                throw err(p, "expected 'module', found \(describe(p))")
            }
        }
        if modules.isEmpty { throw err(p, "no module found: expected 'module NAME (...); ... endmodule'") }
    }

    mutating func parseModule() throws {
        p += 1
        let nameTok = p
        let name = try expectName("a module name")
        if moduleByName[name] != nil { throw err(nameTok, "module '\(names.name(name))' is defined twice") }
        var m = RModule(name: name, tok: Int32(nameTok))
        functions = [:]
        if at(VT.hash) {
            p += 1
            try expect(VT.lparen, "after '#' in the module header")
            while !at(VT.rparen) {
                if atKeyword(.parameter) || atKeyword(.localparam) { p += 1 }
                let params = try parseParamBody(local: false, headerList: true)
                m.headerParams += params
                if at(VT.comma) { p += 1 } else { break }
            }
            try expect(VT.rparen, "to close the parameter list")
        }
        var items: [RItem] = []
        if at(VT.lparen) {
            p += 1
            if !at(VT.rparen) {
                if atKeyword(.input) || atKeyword(.output) || atKeyword(.inout) {
                    // ANSI header
                    var dir: UInt8 = 0
                    var kind = RDeclKind.wire, signed = false
                    var range: RRange? = nil
                    while true {
                        if atKeyword(.inout) { try reject(.inout, p) }
                        if atKeyword(.input) || atKeyword(.output) {
                            dir = atKeyword(.input) ? 1 : 2
                            p += 1
                            kind = .wire; signed = false; range = nil
                            if atKeyword(.wire) { p += 1 } else if atKeyword(.reg) { kind = .reg; p += 1 } else if atKeyword(.integer) {
                                kind = .integer; p += 1
                            } else if let kw = keyword(p), kw != .signed, kw != .unsigned { try reject(kw, p) }
                            if atKeyword(.signed) { signed = true; p += 1 } else if atKeyword(.unsigned) { p += 1 }
                            range = try parseOptionalRange()
                        }
                        let t = p
                        let n = try expectName("a port name")
                        m.ports.append((n, Int32(t)))
                        items.append(.decl(RDecl(name: n, tok: Int32(t), kind: kind, dir: dir, signed: signed || kind == .integer,
                                                 range: kind == .integer ? nil : range)))
                        if at(VT.comma) { p += 1; continue }
                        break
                    }
                } else {
                    while true {
                        let t = p
                        let n = try expectName("a port name")
                        m.ports.append((n, Int32(t)))
                        if at(VT.comma) { p += 1; continue }
                        break
                    }
                }
            }
            try expect(VT.rparen, "to close the port list")
        }
        try expect(VT.semi, "after the module header")
        while !atKeyword(.endmodule) {
            if at(VT.eof) { throw err(p, "expected 'endmodule' before the end of the file") }
            try parseItem(&items, inGenerate: false)
        }
        p += 1
        m.items = items
        m.functions = functions
        moduleByName[name] = modules.count
        modules.append(m)
    }

    mutating func parseOptionalRange() throws -> RRange? {
        guard at(VT.lbrack) else { return nil }
        p += 1
        let msb = try parseExpr()
        try expect(VT.colon, "in the range [msb:lsb]")
        let lsb = try parseExpr()
        try expect(VT.rbrack, "to close the range")
        return RRange(msb: msb, lsb: lsb)
    }

    /// `[signed] [range] NAME = expr {, NAME = expr}` after `parameter`/`localparam`.
    mutating func parseParamBody(local: Bool, headerList: Bool) throws -> [RParam] {
        var signed = false, isInteger = false
        if atKeyword(.integer) { isInteger = true; signed = true; p += 1 }
        if atKeyword(.signed) { signed = true; p += 1 }
        let range = try parseOptionalRange()
        var out: [RParam] = []
        while true {
            let t = p
            let n = try expectName("a parameter name")
            try expect(VT.equals, "after the parameter name")
            let v = try parseExpr()
            out.append(RParam(name: n, tok: Int32(t), local: local, signed: signed, range: range, isInteger: isInteger, value: v))
            // In a header list a comma may start the next `parameter`.
            if at(VT.comma) && !(headerList && (keyword(p + 1) == .parameter || keyword(p + 1) == .localparam)) && isName(p + 1) {
                p += 1; continue
            }
            break
        }
        return out
    }

    mutating func skipDelay() throws {
        guard at(VT.hash) else { return }
        p += 1
        if at(VT.lparen) {
            var d = 0
            repeat {
                if at(VT.lparen) { d += 1 } else if at(VT.rparen) { d -= 1 } else if at(VT.eof) { throw err(p, "unterminated delay") }
                p += 1
            } while d > 0
        } else { p += 1 }
    }

    mutating func parseItem(_ items: inout [RItem], inGenerate: Bool) throws {
        let t = p
        if at(VT.semi) { p += 1; return }
        guard let kw = keyword(p) else {
            if isName(p) { try parseInstance(&items); return }
            throw err(p, "expected a declaration, 'assign', 'always', or a module instance, found \(describe(p))")
        }
        switch kw {
        case .input, .output:
            p += 1
            var kind = RDeclKind.wire
            if atKeyword(.wire) { p += 1 } else if atKeyword(.reg) { kind = .reg; p += 1 } else if atKeyword(.integer) { kind = .integer; p += 1 }
            try parseDeclList(&items, kind: kind, dir: kw == .input ? 1 : 2)
        case .wire, .reg, .integer:
            p += 1
            try parseDeclList(&items, kind: kw == .wire ? .wire : kw == .reg ? .reg : .integer, dir: 0)
        case .supply0, .supply1:
            p += 1
            let range = try parseOptionalRange()
            while true {
                let nt = p
                let n = try expectName("a net name")
                var d = RDecl(name: n, tok: Int32(nt), kind: .wire, range: range)
                d.supply = kw == .supply1 ? 1 : 0
                items.append(.decl(d))
                if at(VT.comma) { p += 1; continue }
                break
            }
            try expect(VT.semi, "after the declaration")
        case .genvar:
            p += 1
            while true {
                let nt = p
                let n = try expectName("a genvar name")
                items.append(.decl(RDecl(name: n, tok: Int32(nt), kind: .genvar)))
                if at(VT.comma) { p += 1; continue }
                break
            }
            try expect(VT.semi, "after the genvar declaration")
        case .parameter, .localparam:
            p += 1
            for prm in try parseParamBody(local: kw == .localparam, headerList: false) { items.append(.param(prm)) }
            try expect(VT.semi, "after the parameter declaration")
        case .assign:
            p += 1
            try skipDelay()
            while true {
                let at0 = p
                let lhs = try parseLValue()
                try expect(VT.equals, "in the continuous assignment")
                let rhs = try parseExpr()
                items.append(.assign(lhs, rhs, Int32(at0)))
                if at(VT.comma) { p += 1; continue }
                break
            }
            try expect(VT.semi, "after the assignment")
        case .always:
            p += 1
            let sens = try parseSensitivity(Int32(t))
            let body = try parseStmt()
            items.append(.always(sens, body, Int32(t)))
        case .initial:
            p += 1
            let body = try parseStmt()
            items.append(.initial(body, Int32(t)))
        case .generate:
            if inGenerate { throw err(t, "nested 'generate' region") }
            p += 1
            while !atKeyword(.endgenerate) {
                if at(VT.eof) { throw err(p, "expected 'endgenerate' before the end of the file") }
                try parseItem(&items, inGenerate: true)
            }
            p += 1
        case .for:
            try parseGenerateFor(&items)
        case .if:
            try parseGenerateIf(&items)
        case .begin:
            let (inner, name) = try parseGenerateBody()
            items.append(.genBlock(name: name, items: inner, tok: Int32(t)))
        case .function:
            try parseFunction()
        case .and, .or, .nand, .nor, .xor, .xnor, .not, .buf:
            try parseGate(kw, &items)
        case .case:
            p += 1
            try expect(VT.lparen, "after 'case'")
            let sel = try parseExpr()
            try expect(VT.rparen, "after the case expression")
            var arms: [(labels: [RExpr], items: [RItem], name: Int32?)] = []
            while !atKeyword(.endcase) {
                if at(VT.eof) { throw err(p, "expected 'endcase' before the end of the file") }
                let labels = try parseCaseLabels()
                let (body, name) = try parseGenerateBody()
                arms.append((labels, body, name))
            }
            p += 1
            items.append(.genCase(sel, arms, tok: Int32(t)))
        default:
            try reject(kw, t)
        }
    }

    mutating func parseDeclList(_ items: inout [RItem], kind: RDeclKind, dir: UInt8) throws {
        var signed = kind == .integer
        if atKeyword(.signed) { signed = true; p += 1 } else if atKeyword(.unsigned) { p += 1 }
        let range = kind == .integer ? nil : try parseOptionalRange()
        try skipDelay()
        while true {
            let t = p
            let n = try expectName("a name in the declaration")
            var d = RDecl(name: n, tok: Int32(t), kind: kind, dir: dir, signed: signed, range: range)
            if at(VT.lbrack) {
                d.array = try parseOptionalRange()
                if at(VT.lbrack) { throw err(p, "multi-dimensional arrays are not supported: expected one [first:last] memory range") }
            }
            if at(VT.equals) {
                if dir != 0 && kind != .reg { throw err(p, "port declarations cannot have an initial value") }
                p += 1
                d.initial = try parseExpr()
            }
            items.append(.decl(d))
            if at(VT.comma) { p += 1; continue }
            break
        }
        try expect(VT.semi, "after the declaration")
    }

    mutating func parseSensitivity(_ t: Int32) throws -> RSensitivity {
        guard at(VT.at) else { throw err(p, "expected '@' after 'always': an always block without an event control never stops") }
        p += 1
        if at(VT.star) { p += 1; return .combinational }
        try expect(VT.lparen, "after '@'")
        if at(VT.star) { p += 1; try expect(VT.rparen, "after '@(*'"); return .combinational }
        var edges: [(Bool, Int32, Int32)] = []
        var level = false
        while true {
            if atWord("posedge") || atWord("negedge") {
                let pos = atWord("posedge")
                p += 1
                let st = p
                let s = try expectName("a signal after posedge/negedge")
                if at(VT.lbrack) { throw err(p, "an edge on a bit of a vector is not supported: expected a scalar clock or reset") }
                edges.append((pos, s, Int32(st)))
            } else {
                _ = try parseExpr()
                level = true
            }
            if at(VT.comma) || atKeyword(.or) { p += 1; continue }
            break
        }
        try expect(VT.rparen, "to close the sensitivity list")
        if level && !edges.isEmpty {
            throw err(Int(t), "a sensitivity list mixing edges and levels is not supported: expected @(*) or @(posedge clk ...)")
        }
        // A level list (@(a or b)) is read as @* — synthesis tools do the same.
        return level ? .combinational : .edges(edges.map { (posedge: $0.0, signal: $0.1, tok: $0.2) })
    }

    mutating func parseGenerateFor(_ items: inout [RItem]) throws {
        let t = p
        p += 1
        try expect(VT.lparen, "after 'for'")
        if atKeyword(.genvar) { p += 1 }
        let v = try expectName("the genvar of the generate loop")
        try expect(VT.equals, "in the loop initialisation")
        let start = try parseExpr()
        try expect(VT.semi, "after the loop initialisation")
        let cond = try parseExpr()
        try expect(VT.semi, "after the loop condition")
        let st = p
        let v2 = try expectName("the genvar in the loop step")
        if v2 != v { throw err(st, "the loop step must assign the genvar '\(names.name(v))'") }
        try expect(VT.equals, "in the loop step")
        let step = try parseExpr()
        try expect(VT.rparen, "to close the loop header")
        let (inner, name) = try parseGenerateBody()
        items.append(.genFor(variable: v, start: start, cond: cond, step: step, name: name, items: inner, tok: Int32(t)))
    }

    mutating func parseGenerateBody() throws -> ([RItem], Int32?) {
        var inner: [RItem] = []
        var name: Int32? = nil
        if atKeyword(.begin) {
            p += 1
            if at(VT.colon) { p += 1; name = try expectName("a block name") }
            while !atKeyword(.end) {
                if at(VT.eof) { throw err(p, "expected 'end' before the end of the file") }
                try parseItem(&inner, inGenerate: true)
            }
            p += 1
        } else {
            try parseItem(&inner, inGenerate: true)
        }
        return (inner, name)
    }

    /// `a, b:` or `default:` (then empty) before a case item.
    mutating func parseCaseLabels() throws -> [RExpr] {
        if atWord("default") {
            p += 1
            if at(VT.colon) { p += 1 }
            return []
        }
        var labels: [RExpr] = []
        while true {
            labels.append(try parseExpr())
            if at(VT.comma) { p += 1; continue }
            break
        }
        try expect(VT.colon, "after the case label")
        return labels
    }

    mutating func parseGenerateIf(_ items: inout [RItem]) throws {
        let t = p
        p += 1
        try expect(VT.lparen, "after 'if'")
        let cond = try parseExpr()
        try expect(VT.rparen, "after the condition")
        let (thenItems, thenName) = try parseGenerateBody()
        var elseItems: [RItem] = []
        var elseName: Int32? = nil
        if atKeyword(.else) {
            p += 1
            if atKeyword(.if) {
                try parseGenerateIf(&elseItems)
            } else {
                (elseItems, elseName) = try parseGenerateBody()
            }
        }
        items.append(.genIf(cond, thenItems, elseItems, name: thenName, elseName: elseName, tok: Int32(t)))
    }

    mutating func parseFunction() throws {
        let t = p
        p += 1
        if atWord("automatic") { p += 1 }
        var signed = false, isInteger = false
        if atKeyword(.integer) { isInteger = true; signed = true; p += 1 }
        if atKeyword(.signed) { signed = true; p += 1 }
        let range = try parseOptionalRange()
        let name = try expectName("a function name")
        var decls: [RDecl] = []
        var inputs: [Int32] = []
        if at(VT.lparen) {
            p += 1
            while !at(VT.rparen) {
                try expectKeyword(.input, "in the function's argument list")
                var kind = RDeclKind.reg
                if atKeyword(.integer) { kind = .integer; p += 1 } else if atKeyword(.reg) || atKeyword(.wire) { p += 1 }
                var s = kind == .integer
                if atKeyword(.signed) { s = true; p += 1 }
                let r = try parseOptionalRange()
                while true {
                    let nt = p
                    let n = try expectName("an argument name")
                    decls.append(RDecl(name: n, tok: Int32(nt), kind: kind, dir: 1, signed: s, range: r))
                    inputs.append(n)
                    if at(VT.comma) && !(keyword(p + 1) == .input) { p += 1; continue }
                    break
                }
                if at(VT.comma) { p += 1 }
            }
            p += 1
        }
        try expect(VT.semi, "after the function header")
        while atKeyword(.input) || atKeyword(.reg) || atKeyword(.integer) || atKeyword(.parameter) || atKeyword(.localparam) {
            if atKeyword(.parameter) || atKeyword(.localparam) {
                throw err(p, "parameters inside functions are not supported: declare them in the module")
            }
            let isInput = atKeyword(.input)
            p += 1
            var kind = RDeclKind.reg
            if atKeyword(.integer) { kind = .integer; p += 1 } else if atKeyword(.reg) { p += 1 }
            if !isInput && keyword(p - 1) == .integer { kind = .integer }
            var s = kind == .integer
            if atKeyword(.signed) { s = true; p += 1 }
            let r = try parseOptionalRange()
            while true {
                let nt = p
                let n = try expectName("a name in the function declaration")
                decls.append(RDecl(name: n, tok: Int32(nt), kind: kind, dir: isInput ? 1 : 0, signed: s, range: r))
                if isInput { inputs.append(n) }
                if at(VT.comma) { p += 1; continue }
                break
            }
            try expect(VT.semi, "after the declaration")
        }
        if inputs.isEmpty { throw err(t, "function '\(names.name(name))' has no inputs") }
        let body = try parseStmt()
        try expectKeyword(.endfunction, "to end the function")
        functions[name] = RFunction(name: name, tok: Int32(t), signed: signed, range: range, isInteger: isInteger,
                                    inputs: inputs, decls: decls, body: body)
    }

    mutating func parseGate(_ kw: VKeyword, _ items: inout [RItem]) throws {
        p += 1
        try skipDelay()
        while true {
            let t = p
            if isName(p) { p += 1; if at(VT.lbrack) { throw err(p, "arrays of gate instances are not supported") } }
            try expect(VT.lparen, "to open the gate's terminal list")
            var terms: [RExpr] = []
            while true {
                terms.append(try parseExpr())
                if at(VT.comma) { p += 1; continue }
                break
            }
            try expect(VT.rparen, "to close the gate's terminal list")
            let tt = Int32(t)
            if kw == .not || kw == .buf {
                guard terms.count >= 2, let input = terms.last else { throw err(t, "'\(kw.text)' needs an output and an input") }
                for o in terms.dropLast() {
                    items.append(.assign(o, kw == .not ? RExpr(node: .unary(VT.tilde, input), tok: tt) : input, tt))
                }
            } else {
                guard terms.count >= 3 else { throw err(t, "'\(kw.text)' needs an output and at least two inputs") }
                let op: UInt8 = kw == .and || kw == .nand ? VT.amp : kw == .or || kw == .nor ? VT.pipe : VT.caret
                var e = terms[1]
                for x in terms[2...] { e = RExpr(node: .binary(op, e, x), tok: tt) }
                if kw == .nand || kw == .nor || kw == .xnor { e = RExpr(node: .unary(VT.tilde, e), tok: tt) }
                items.append(.assign(terms[0], e, tt))
            }
            if at(VT.comma) { p += 1; continue }
            break
        }
        try expect(VT.semi, "after the gate instance")
    }

    mutating func parseInstance(_ items: inout [RItem]) throws {
        let t = p
        let module = val[p]
        p += 1
        var params: [(Int32?, RExpr)] = []
        if at(VT.hash) {
            p += 1
            try expect(VT.lparen, "after '#' in the instance")
            while !at(VT.rparen) {
                if at(VT.dot) {
                    p += 1
                    let n = try expectName("a parameter name")
                    try expect(VT.lparen, "after the parameter name")
                    let v = try parseExpr()
                    try expect(VT.rparen, "after the parameter value")
                    params.append((n, v))
                } else {
                    params.append((nil, try parseExpr()))
                }
                if at(VT.comma) { p += 1 } else { break }
            }
            try expect(VT.rparen, "to close the parameter overrides")
        }
        instantiated.insert(module)
        while true {
            let it = p
            let name = try expectName("an instance name")
            if at(VT.lbrack) { throw err(p, "arrays of instances are not supported") }
            try expect(VT.lparen, "to open the port connections")
            var conns: [(Int32?, RExpr?, Int32)] = []
            while !at(VT.rparen) {
                let ct = Int32(p)
                if at(VT.dot) {
                    p += 1
                    let port = try expectName("a port name")
                    try expect(VT.lparen, "after the port name")
                    let e: RExpr? = at(VT.rparen) ? nil : try parseExpr()
                    try expect(VT.rparen, "after the connection")
                    conns.append((port, e, ct))
                } else if at(VT.comma) {
                    conns.append((nil, nil, ct))
                } else {
                    conns.append((nil, try parseExpr(), ct))
                }
                if at(VT.comma) { p += 1 } else { break }
            }
            try expect(VT.rparen, "to close the port connections")
            _ = it
            items.append(.instance(RInstance(module: module, tok: Int32(t), params: params.map { (name: $0.0, value: $0.1) },
                                             name: name, connections: conns.map { (port: $0.0, value: $0.1, tok: $0.2) })))
            if at(VT.comma) { p += 1; continue }
            break
        }
        try expect(VT.semi, "after the instance")
    }

    // MARK: statements

    mutating func parseStmt() throws -> RStmt {
        let t = Int32(p)
        depth += 1
        defer { depth -= 1 }
        if depth > 400 { throw err(p, "statements nested too deeply") }
        if at(VT.hash) { try skipDelay() }
        if at(VT.semi) { p += 1; return RStmt(node: .null, tok: t) }
        if at(VT.at) { throw err(p, "event controls inside a block are not supported: expected one @(...) at the start of the always block") }
        if at(VT.sysIdent) {
            // $display and friends: no hardware, ignored as synthesis tools do.
            let task = names.name(val[p])
            if task == "$readmemh" || task == "$readmemb" {
                throw err(p, "'\(task)' is not supported: initialise memories with constant assignments in an 'initial' block")
            }
            p += 1
            if at(VT.lparen) { _ = try parseCallArgs() }
            try expect(VT.semi, "after the system task")
            return RStmt(node: .null, tok: t)
        }
        if let kw = keyword(p) {
            switch kw {
            case .begin:
                p += 1
                var label: Int32? = nil
                if at(VT.colon) {
                    p += 1
                    label = try expectName("a block name")
                }
                var body: [RStmt] = []
                var decls: [RDecl] = []
                while !atKeyword(.end) {
                    if at(VT.eof) { throw err(p, "expected 'end' before the end of the file") }
                    if atKeyword(.reg) || atKeyword(.integer) {
                        guard label != nil else { throw err(p, "declarations need a named block: begin : NAME") }
                        let kind: RDeclKind = atKeyword(.reg) ? .reg : .integer
                        p += 1
                        var items: [RItem] = []
                        try parseDeclList(&items, kind: kind, dir: 0)
                        for case .decl(let d) in items {
                            if d.initial != nil { throw err(Int(d.tok), "initial values of block variables are not supported") }
                            decls.append(d)
                        }
                        continue
                    }
                    body.append(try parseStmt())
                }
                p += 1
                if let label, !decls.isEmpty { return RStmt(node: .scopedBlock(label, decls, body), tok: t) }
                return RStmt(node: .block(body), tok: t)
            case .if:
                p += 1
                try expect(VT.lparen, "after 'if'")
                let c = try parseExpr()
                try expect(VT.rparen, "after the condition")
                let th = try parseStmt()
                var el: RStmt? = nil
                if atKeyword(.else) { p += 1; el = try parseStmt() }
                return RStmt(node: .ifElse(c, th, el), tok: t)
            case .case, .casez, .casex:
                p += 1
                try expect(VT.lparen, "after '\(kw.text)'")
                let e = try parseExpr()
                try expect(VT.rparen, "after the case expression")
                var items: [RCaseItem] = []
                while !atKeyword(.endcase) {
                    if at(VT.eof) { throw err(p, "expected 'endcase' before the end of the file") }
                    let labels = try parseCaseLabels()
                    items.append(RCaseItem(labels: labels, body: try parseStmt()))
                }
                p += 1
                return RStmt(node: .caseOf(kind: kw == .case ? 0 : kw == .casez ? 1 : 2, e, items, full: lexer.fullCaseTokens.contains(Int(t))), tok: t)
            case .for:
                p += 1
                try expect(VT.lparen, "after 'for'")
                let i = try parseSimpleAssign()
                try expect(VT.semi, "after the loop initialisation")
                let c = try parseExpr()
                try expect(VT.semi, "after the loop condition")
                let s = try parseSimpleAssign()
                try expect(VT.rparen, "to close the loop header")
                let body = try parseStmt()
                return RStmt(node: .forLoop(init: i, cond: c, step: s, body: body), tok: t)
            case .repeat:
                p += 1
                try expect(VT.lparen, "after 'repeat'")
                let c = try parseExpr()
                try expect(VT.rparen, "after the repeat count")
                return RStmt(node: .repeatLoop(c, try parseStmt()), tok: t)
            case .while:
                p += 1
                try expect(VT.lparen, "after 'while'")
                let c = try parseExpr()
                try expect(VT.rparen, "after the loop condition")
                return RStmt(node: .whileLoop(c, try parseStmt()), tok: t)
            case .assign:
                throw err(Int(t), "procedural 'assign' is not supported: expected a blocking (=) or non-blocking (<=) assignment")
            default:
                try reject(kw, Int(t))
            }
        }
        if atWord("fork") { throw err(p, "'fork'/'join' blocks are not supported: expected 'begin'/'end'") }
        if atWord("wait") { throw err(p, "'wait' statements are not supported: expected assignments, if, case and loops") }
        if isName(p) && k[p + 1] == VT.lparen && !(k[p + 1] == VT.lbrack) {
            throw err(p, "task calls are not supported: expected an assignment")
        }
        let lhs = try parseLValue()
        let nonblocking: Bool
        if at(VT.equals) { nonblocking = false } else if at(VT.le) { nonblocking = true } else {
            throw err(p, "expected '=' or '<=' in the assignment, found \(describe(p))")
        }
        p += 1
        try skipDelay()
        let rhs = try parseExpr()
        try expect(VT.semi, "after the assignment")
        return RStmt(node: .assign(lhs: lhs, rhs: rhs, nonblocking: nonblocking), tok: t)
    }

    mutating func parseSimpleAssign() throws -> RStmt {
        let t = Int32(p)
        let lhs = try parseLValue()
        try expect(VT.equals, "in the loop assignment")
        let rhs = try parseExpr()
        return RStmt(node: .assign(lhs: lhs, rhs: rhs, nonblocking: false), tok: t)
    }

    mutating func parseLValue() throws -> RExpr {
        let t = Int32(p)
        if at(VT.lbrace) {
            p += 1
            var parts: [RExpr] = []
            while true {
                parts.append(try parseLValue())
                if at(VT.comma) { p += 1; continue }
                break
            }
            try expect(VT.rbrace, "to close the concatenation")
            return RExpr(node: .concat(parts), tok: t)
        }
        let n = try expectName("a net or variable name on the left side")
        var e = RExpr(node: .ident(n), tok: t)
        try parseSelects(&e)
        if at(VT.dot) { throw err(p, "hierarchical references (into generate blocks or instances) are not supported") }
        return e
    }

    mutating func parseSelects(_ e: inout RExpr) throws {
        while at(VT.lbrack) {
            let st = Int32(p)
            p += 1
            let first = try parseExpr()
            if at(VT.colon) {
                p += 1
                let second = try parseExpr()
                try expect(VT.rbrack, "to close the part-select")
                e = RExpr(node: .range(e, first, second), tok: st)
            } else if at(VT.plusColon) || at(VT.minusColon) {
                let up = at(VT.plusColon)
                p += 1
                let w = try parseExpr()
                try expect(VT.rbrack, "to close the indexed part-select")
                e = RExpr(node: .indexed(e, first, w, up: up), tok: st)
            } else {
                try expect(VT.rbrack, "to close the bit-select")
                e = RExpr(node: .index(e, first), tok: st)
            }
        }
    }

    // MARK: expressions

    static func precedence(_ kind: UInt8) -> Int {
        switch kind {
        case VT.power: return 11
        case VT.star, VT.slash, VT.percent: return 10
        case VT.plus, VT.minus: return 9
        case VT.shl, VT.shr, VT.ashl, VT.ashr: return 8
        case VT.lt, VT.le, VT.gt, VT.ge: return 7
        case VT.eqEq, VT.bangEq, VT.eqEqEq, VT.bangEqEq: return 6
        case VT.amp, VT.tildeAmp: return 5
        case VT.caret, VT.tildeCaret: return 4
        case VT.pipe, VT.tildePipe: return 3
        case VT.ampAmp: return 2
        case VT.pipePipe: return 1
        default: return -1
        }
    }

    mutating func parseExpr() throws -> RExpr {
        depth += 1
        defer { depth -= 1 }
        if depth > 400 { throw err(p, "expression nested too deeply") }
        let c = try parseBinary(1)
        if at(VT.question) {
            let t = Int32(p)
            p += 1
            let a = try parseExpr()
            try expect(VT.colon, "in the conditional operator")
            let b = try parseExpr()
            return RExpr(node: .ternary(c, a, b), tok: t)
        }
        return c
    }

    mutating func parseBinary(_ minPrec: Int) throws -> RExpr {
        var lhs = try parseUnary()
        while true {
            let op = k[p]
            let prec = RTLParser.precedence(op)
            if prec < minPrec { return lhs }
            if op == VT.tildeAmp || op == VT.tildePipe {
                throw err(p, "'\(VT.describe(op))' is a unary reduction operator, not a binary one")
            }
            let t = Int32(p)
            p += 1
            let rhs = try parseBinary(prec + 1)
            lhs = RExpr(node: .binary(op, lhs, rhs), tok: t)
        }
    }

    mutating func parseUnary() throws -> RExpr {
        let t = Int32(p)
        switch k[p] {
        case VT.tilde, VT.bang, VT.minus, VT.plus, VT.amp, VT.pipe, VT.caret, VT.tildeAmp, VT.tildePipe, VT.tildeCaret:
            let op = k[p]
            p += 1
            depth += 1
            defer { depth -= 1 }
            if depth > 400 { throw err(p, "expression nested too deeply") }
            return RExpr(node: .unary(op, try parseUnary()), tok: t)
        default:
            return try parsePrimary()
        }
    }

    mutating func parseCallArgs() throws -> [RExpr] {
        try expect(VT.lparen, "to open the argument list")
        var args: [RExpr] = []
        while !at(VT.rparen) {
            if at(VT.string) { args.append(RExpr(node: .string(val[p]), tok: Int32(p))); p += 1 } else { args.append(try parseExpr()) }
            if at(VT.comma) { p += 1 } else { break }
        }
        try expect(VT.rparen, "to close the argument list")
        return args
    }

    mutating func parsePrimary() throws -> RExpr {
        let t = Int32(p)
        switch k[p] {
        case VT.lparen:
            p += 1
            let e = try parseExpr()
            try expect(VT.rparen, "to close '('")
            return e
        case VT.number:
            p += 1
            return RExpr(node: .number(val[Int(t)]), tok: t)
        case VT.string:
            p += 1
            return RExpr(node: .string(val[Int(t)]), tok: t)
        case VT.sysIdent:
            let name = val[p]
            p += 1
            let args = at(VT.lparen) ? try parseCallArgs() : []
            return RExpr(node: .system(name, args), tok: t)
        case VT.lbrace:
            p += 1
            let first = try parseExpr()
            if at(VT.lbrace) {
                p += 1
                var inner: [RExpr] = []
                while true {
                    inner.append(try parseExpr())
                    if at(VT.comma) { p += 1; continue }
                    break
                }
                try expect(VT.rbrace, "to close the replicated concatenation")
                try expect(VT.rbrace, "to close the replication")
                return RExpr(node: .repl(first, inner), tok: t)
            }
            var items = [first]
            while at(VT.comma) { p += 1; items.append(try parseExpr()) }
            try expect(VT.rbrace, "to close the concatenation")
            return RExpr(node: .concat(items), tok: t)
        default:
            guard isName(p) else {
                if let kw = keyword(p) { try reject(kw, p) }
                throw err(p, "expected an expression, found \(describe(p))")
            }
            let n = val[p]
            p += 1
            if at(VT.lparen) {
                return RExpr(node: .call(n, try parseCallArgs()), tok: t)
            }
            if at(VT.dot) && isName(p + 1) {
                var path = [n]
                while at(VT.dot) && isName(p + 1) { p += 1; path.append(val[p]); p += 1 }
                return RExpr(node: .hierarchical(path), tok: t)
            }
            var e = RExpr(node: .ident(n), tok: t)
            try parseSelects(&e)
            if at(VT.dot) { throw err(p, "hierarchical references (into generate blocks or instances) are not supported") }
            return e
        }
    }
}
