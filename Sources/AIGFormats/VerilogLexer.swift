/// Tokens of the gate-level Verilog subset, kept in flat arrays.
enum VT {
    static let eof: UInt8 = 0, ident: UInt8 = 1, escIdent: UInt8 = 2, number: UInt8 = 3
    static let sysIdent: UInt8 = 4, string: UInt8 = 5
    static let lparen: UInt8 = 10, rparen: UInt8 = 11, lbrack: UInt8 = 12, rbrack: UInt8 = 13
    static let lbrace: UInt8 = 14, rbrace: UInt8 = 15, comma: UInt8 = 16, semi: UInt8 = 17
    static let colon: UInt8 = 18, dot: UInt8 = 19, hash: UInt8 = 20, equals: UInt8 = 21
    static let question: UInt8 = 22, at: UInt8 = 23
    static let tilde: UInt8 = 30, bang: UInt8 = 31, amp: UInt8 = 32, pipe: UInt8 = 33, caret: UInt8 = 34
    static let tildeAmp: UInt8 = 35, tildePipe: UInt8 = 36, tildeCaret: UInt8 = 37
    static let ampAmp: UInt8 = 38, pipePipe: UInt8 = 39, eqEq: UInt8 = 40, bangEq: UInt8 = 41
    static let eqEqEq: UInt8 = 42, bangEqEq: UInt8 = 43, lt: UInt8 = 44, gt: UInt8 = 45, le: UInt8 = 46, ge: UInt8 = 47
    static let plus: UInt8 = 48, minus: UInt8 = 49, star: UInt8 = 50, slash: UInt8 = 51, percent: UInt8 = 52
    static let shl: UInt8 = 53, shr: UInt8 = 54, ashl: UInt8 = 55, ashr: UInt8 = 56, power: UInt8 = 57
    static let plusColon: UInt8 = 58, minusColon: UInt8 = 59, apostrophe: UInt8 = 60, other: UInt8 = 61

    static func describe(_ k: UInt8) -> String {
        switch k {
        case eof: return "end of file"
        case ident, escIdent: return "identifier"
        case number: return "number"
        case sysIdent: return "system identifier"
        case string: return "string"
        default: return "'\(spelling[k] ?? "?")'"
        }
    }
    static let spelling: [UInt8: String] = [
        lparen: "(", rparen: ")", lbrack: "[", rbrack: "]", lbrace: "{", rbrace: "}", comma: ",", semi: ";",
        colon: ":", dot: ".", hash: "#", equals: "=", question: "?", at: "@", tilde: "~", bang: "!", amp: "&",
        pipe: "|", caret: "^", tildeAmp: "~&", tildePipe: "~|", tildeCaret: "~^", ampAmp: "&&", pipePipe: "||",
        eqEq: "==", bangEq: "!=", eqEqEq: "===", bangEqEq: "!==", lt: "<", gt: ">", le: "<=", ge: ">=",
        plus: "+", minus: "-", star: "*", slash: "/", percent: "%", shl: "<<", shr: ">>", ashl: "<<<", ashr: ">>>",
        power: "**", plusColon: "+:", minusColon: "-:", apostrophe: "'", other: "?",
    ]
}

/// Verilog keywords, interned first so that a plain identifier whose id is
/// below `VKeyword.count` is that keyword.
enum VKeyword: Int32, CaseIterable {
    case module, endmodule, macromodule, input, output, `inout`, wire, tri, tri0, tri1, wand, wor, triand, trior, trireg
    case supply0, supply1, reg, logic, integer, real, time, genvar, parameter, localparam, defparam, specparam
    case assign, deassign, force, release, always, always_comb, always_ff, always_latch, initial, final
    case generate, endgenerate, function, endfunction, task, endtask
    case and, or, nand, nor, xor, xnor, not, buf, bufif0, bufif1, notif0, notif1
    case pmos, nmos, cmos, rcmos, rnmos, rpmos, tran, tranif0, tranif1, rtran, rtranif0, rtranif1, pullup, pulldown
    case signed, unsigned, specify, endspecify, begin, end, `if`, `else`, `case`, casex, casez, endcase
    case `for`, `while`, `repeat`, forever, primitive, endprimitive, table, endtable, event, scalared, vectored

    var text: String { String(describing: self) }
}

/// A numeric literal: bits LSB first in the lexer's bit pool.
struct VConst {
    var width: Int32       // sized width, or the minimal width of an unsized value
    var sized: Bool
    var bitsStart: Int32
    var value: Int64       // the value when it fits in 62 bits, else -1
    /// Unsized decimals and `'s` literals are signed (IEEE 1364 3.5.1).
    var signed = false
    /// Start of this constant's x/z marks in `constXZ` (1 = x, 2 = z or ?), -1 when it has none.
    var xzStart: Int32 = -1
}

struct VerilogLexer {
    var kinds: [UInt8] = []
    var offsets: [UInt32] = []
    var values: [Int32] = []
    var names = VerilogLexer.keywordNames
    var consts: [VConst] = []
    var constBits: [UInt8] = []
    var constXZ: [UInt8] = []
    var defaultNettypeNone = false
    let file: String

    // Preprocessor state. Included files get their own offset range: file k's
    // bytes are at offsets `sources[k].base ..< base + bytes.count`, so a token
    // needs no file field; `location(of:)` maps an offset back.
    struct Source { var name: String; var bytes: [UInt8]; var base: Int }
    var sources: [Source] = []
    struct Macro { var parameters: [String]?; var body: [UInt8] }
    var macros: [String: Macro] = [:]
    /// `ifdef nesting: (this branch is active, some branch was taken, enclosing region active).
    var conditions: [(active: Bool, taken: Bool, outer: Bool)] = []
    var emitting = true
    var expansionDepth = 0
    /// Set when the file used a directive the gate-level parser cannot locate errors for.
    var usedIncludes = false
    var currentFile: String
    var currentBase = 0
    var fixedOffset: Int? = nil
    /// Token count right after the last macro expansion: `` `W'hF0`` sizes a literal by a macro.
    var macroEndedAt = -1
    /// Tokens preceded by a `(* full_case *)` attribute.
    var fullCaseTokens: Set<Int> = []

    init(file: String) { self.file = file; currentFile = file }

    /// The keywords interned first (ids = raw values), built once: interning
    /// them per file, names from `String(describing:)`, cost 50 µs, most of
    /// the time of reading a small netlist.
    static let keywordNames: NameInterner = {
        var n = NameInterner(capacity: 4096)
        for k in VKeyword.allCases { _ = n.intern(k.text) }
        return n
    }()

    static func isIdentStart(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 }
    static func isIdentChar(_ c: UInt8) -> Bool { isIdentStart(c) || (c >= 48 && c <= 57) || c == 36 }
    static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 || c == 12 || c == 11 }

    func error(_ buf: UnsafeBufferPointer<UInt8>, _ offset: Int, _ message: String) -> FormatError {
        if let fixedOffset, let main = mainBuffer {
            let (f, l, c) = location(of: fixedOffset, main: main)
            return FormatError(file: f, line: l, column: c, message: message + " (in a macro expansion)")
        }
        let (l, c) = lineColumn(buf, offset)
        return FormatError(file: currentFile, line: l, column: c, message: message)
    }
    var mainBuffer: UnsafeBufferPointer<UInt8>? = nil

    @inline(__always) mutating func push(_ k: UInt8, _ off: Int, _ v: Int32 = 0) {
        guard emitting else { return }
        let o = fixedOffset ?? currentBase + off
        kinds.append(k); offsets.append(UInt32(truncatingIfNeeded: o)); values.append(v)
    }

    /// File, line and column of a token offset (in the main file or an included one).
    func location(of offset: Int, main buf: UnsafeBufferPointer<UInt8>) -> (file: String, line: Int, column: Int) {
        for s in sources.reversed() where offset >= s.base && offset <= s.base + s.bytes.count {
            let (l, c) = s.bytes.withUnsafeBufferPointer { lineColumn($0, offset - s.base) }
            return (s.name, l, c)
        }
        let (l, c) = lineColumn(buf, offset)
        return (file, l, c)
    }

    mutating func tokenize(_ buf: UnsafeBufferPointer<UInt8>) throws {
        mainBuffer = buf
        let n = buf.count
        kinds.reserveCapacity(n / 4); offsets.reserveCapacity(n / 4); values.reserveCapacity(n / 4)
        try lexBuffer(buf)
        if let open = conditions.last {
            _ = open
            throw error(buf, n, "unterminated `ifdef/`ifndef: expected `endif before the end of the file")
        }
        currentBase = 0; fixedOffset = nil
        push(VT.eof, n)
    }

    mutating func lexBuffer(_ buf: UnsafeBufferPointer<UInt8>) throws {
        guard let base = buf.baseAddress else { return }
        let n = buf.count
        var i = 0
        while i < n {
            let c = buf[i]
            if VerilogLexer.isSpace(c) { i += 1; continue }
            if VerilogLexer.isIdentStart(c) {
                let s = i
                i += 1
                while i < n && VerilogLexer.isIdentChar(buf[i]) { i += 1 }
                if emitting { push(VT.ident, s, names.intern(base + s, i - s)) }
                continue
            }
            switch c {
            case 92: // '\' escaped identifier, ends at white space
                let s = i + 1
                i = s
                while i < n && !VerilogLexer.isSpace(buf[i]) { i += 1 }
                if i == s { throw error(buf, s - 1, "expected an escaped identifier after '\\'") }
                push(VT.escIdent, s - 1, names.intern(base + s, i - s))
            case 47: // '/'
                if i + 1 < n && buf[i + 1] == 47 {
                    while i < n && buf[i] != 10 { i += 1 }
                } else if i + 1 < n && buf[i + 1] == 42 {
                    let s = i
                    i += 2
                    while i + 1 < n && !(buf[i] == 42 && buf[i + 1] == 47) { i += 1 }
                    if i + 1 >= n { throw error(buf, s, "unterminated '/*' comment: expected '*/'") }
                    i += 2
                } else { push(VT.slash, i); i += 1 }
            case 40: // '('
                if i + 2 < n && buf[i + 1] == 42 && buf[i + 2] != 41 {
                    // (* attribute *)
                    let s = i
                    i += 2
                    while i + 1 < n && !(buf[i] == 42 && buf[i + 1] == 41) { i += 1 }
                    if i + 1 >= n { throw error(buf, s, "unterminated attribute '(*': expected '*)'") }
                    // `(* full_case *)` before a case: the token that follows is marked.
                    let text = String(decoding: UnsafeBufferPointer(rebasing: buf[(s + 2)..<i]), as: UTF8.self)
                    if emitting && text.contains("full_case") { fullCaseTokens.insert(kinds.count) }
                    i += 2
                } else { push(VT.lparen, i); i += 1 }
            case 48...57, 39: // number or based literal
                i = try number(buf, i)
            case 96: // '`' compiler directive or macro use
                let s = i
                i += 1
                let ws = i
                while i < n && VerilogLexer.isIdentChar(buf[i]) { i += 1 }
                let word = String(decoding: UnsafeBufferPointer(rebasing: buf[ws..<i]), as: UTF8.self)
                i = try directive(word, buf, s, i)
            case 36: // $system identifier
                let s = i
                i += 1
                while i < n && VerilogLexer.isIdentChar(buf[i]) { i += 1 }
                if emitting { push(VT.sysIdent, s, names.intern(base + s, i - s)) }
            case 34: // string (its text interned, escapes kept as written)
                let s = i
                i += 1
                while i < n && buf[i] != 34 && buf[i] != 10 { if buf[i] == 92 { i += 1 }; i += 1 }
                let e = min(i, n)
                if emitting { push(VT.string, s, names.intern(base + s + 1, max(0, e - s - 1))) }
                i += 1
            default:
                let s = i
                let c1: UInt8 = i + 1 < n ? buf[i + 1] : 0
                let c2: UInt8 = i + 2 < n ? buf[i + 2] : 0
                var k = VT.other, len = 1
                switch c {
                case 41: k = VT.rparen
                case 91: k = VT.lbrack
                case 93: k = VT.rbrack
                case 123: k = VT.lbrace
                case 125: k = VT.rbrace
                case 44: k = VT.comma
                case 59: k = VT.semi
                case 58: k = VT.colon
                case 46: k = VT.dot
                case 35: k = VT.hash
                case 63: k = VT.question
                case 64: k = VT.at
                case 126: // ~
                    if c1 == 38 { k = VT.tildeAmp; len = 2 } else if c1 == 124 { k = VT.tildePipe; len = 2 } else if c1 == 94 {
                        k = VT.tildeCaret; len = 2
                    } else { k = VT.tilde }
                case 33: // !
                    if c1 == 61 { if c2 == 61 { k = VT.bangEqEq; len = 3 } else { k = VT.bangEq; len = 2 } } else { k = VT.bang }
                case 61: // =
                    if c1 == 61 { if c2 == 61 { k = VT.eqEqEq; len = 3 } else { k = VT.eqEq; len = 2 } } else { k = VT.equals }
                case 38: if c1 == 38 { k = VT.ampAmp; len = 2 } else { k = VT.amp }
                case 124: if c1 == 124 { k = VT.pipePipe; len = 2 } else { k = VT.pipe }
                case 94: if c1 == 126 { k = VT.tildeCaret; len = 2 } else { k = VT.caret }
                case 60:
                    if c1 == 60 { if c2 == 60 { k = VT.ashl; len = 3 } else { k = VT.shl; len = 2 } } else if c1 == 61 {
                        k = VT.le; len = 2
                    } else { k = VT.lt }
                case 62:
                    if c1 == 62 { if c2 == 62 { k = VT.ashr; len = 3 } else { k = VT.shr; len = 2 } } else if c1 == 61 {
                        k = VT.ge; len = 2
                    } else { k = VT.gt }
                case 43: if c1 == 58 { k = VT.plusColon; len = 2 } else { k = VT.plus }
                case 45: if c1 == 58 { k = VT.minusColon; len = 2 } else { k = VT.minus }
                case 42: if c1 == 42 { k = VT.power; len = 2 } else { k = VT.star }
                case 37: k = VT.percent
                default:
                    let shown = c >= 33 && c <= 126 ? "'\(Character(UnicodeScalar(c)))'" : "byte 0x\(String(c, radix: 16))"
                    throw error(buf, s, "unexpected character \(shown)")
                }
                push(k, s)
                i += len
            }
        }
    }

    /// The rest of the line after a directive (with `\` continuations), and the index after it.
    private func restOfLine(_ buf: UnsafeBufferPointer<UInt8>, _ from: Int) -> ([UInt8], Int) {
        var i = from, out: [UInt8] = []
        let n = buf.count
        while i < n && buf[i] != 10 {
            if buf[i] == 92 && i + 1 < n && (buf[i + 1] == 10 || (buf[i + 1] == 13 && i + 2 < n && buf[i + 2] == 10)) {
                out.append(32); i += buf[i + 1] == 13 ? 3 : 2; continue
            }
            if buf[i] == 47 && i + 1 < n && buf[i + 1] == 47 { while i < n && buf[i] != 10 { i += 1 }; break }
            out.append(buf[i]); i += 1
        }
        return (out, i)
    }

    private func directiveName(_ buf: UnsafeBufferPointer<UInt8>, _ from: Int, _ what: String, _ at: Int) throws -> (String, Int) {
        var i = from
        let n = buf.count
        while i < n && (buf[i] == 32 || buf[i] == 9) { i += 1 }
        let s = i
        while i < n && VerilogLexer.isIdentChar(buf[i]) { i += 1 }
        if i == s { throw error(buf, at, "expected a macro name after `\(what)") }
        return (String(decoding: UnsafeBufferPointer(rebasing: buf[s..<i]), as: UTF8.self), i)
    }

    /// Handles one directive or macro use starting at `s` (the backquote); returns where lexing goes on.
    private mutating func directive(_ word: String, _ buf: UnsafeBufferPointer<UInt8>, _ s: Int, _ after: Int) throws -> Int {
        var i = after
        let n = buf.count
        switch word {
        case "ifdef", "ifndef":
            let (name, j) = try directiveName(buf, i, word, s)
            let defined = macros[name] != nil
            let active = emitting && (word == "ifdef" ? defined : !defined)
            conditions.append((active, active, emitting))
            emitting = active
            return j
        case "elsif":
            guard let top = conditions.last else { throw error(buf, s, "`elsif without `ifdef") }
            let (name, j) = try directiveName(buf, i, word, s)
            let active = top.outer && !top.taken && macros[name] != nil
            conditions[conditions.count - 1] = (active, top.taken || active, top.outer)
            emitting = active
            return j
        case "else":
            guard let top = conditions.last else { throw error(buf, s, "`else without `ifdef") }
            let active = top.outer && !top.taken
            conditions[conditions.count - 1] = (active, true, top.outer)
            emitting = active
            return i
        case "endif":
            guard let top = conditions.popLast() else { throw error(buf, s, "`endif without `ifdef") }
            emitting = top.outer
            return i
        default: break
        }
        if !emitting {
            // Inside an inactive branch only the nesting matters.
            return i
        }
        switch word {
        case "timescale", "celldefine", "endcelldefine", "resetall", "default_nettype", "nounconnected_drive", "unconnected_drive":
            let ls = i
            while i < n && buf[i] != 10 { i += 1 }
            if word == "default_nettype" {
                let rest = String(decoding: UnsafeBufferPointer(rebasing: buf[ls..<i]), as: UTF8.self)
                let v = rest.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).first.map(String.init) ?? ""
                defaultNettypeNone = v == "none"
            }
            return i
        case "define":
            let (name, j) = try directiveName(buf, i, word, s)
            var parameters: [String]? = nil
            var k = j
            if k < n && buf[k] == 40 {
                // `define NAME(a, b) body: the parameter list follows the name directly.
                k += 1
                var list: [String] = []
                var current: [UInt8] = []
                while k < n && buf[k] != 41 && buf[k] != 10 {
                    if buf[k] == 44 { list.append(String(decoding: current, as: UTF8.self)); current = [] } else { current.append(buf[k]) }
                    k += 1
                }
                guard k < n && buf[k] == 41 else { throw error(buf, j, "expected ')' to close the parameters of macro '\(name)'") }
                list.append(String(decoding: current, as: UTF8.self))
                list = list.map { String($0.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed()) }
                if list.contains(where: { $0.isEmpty || !$0.utf8.allSatisfy(VerilogLexer.isIdentChar) }) {
                    throw error(buf, j, "expected identifiers as the parameters of macro '\(name)'")
                }
                parameters = list
                k += 1
            }
            let (body, e) = restOfLine(buf, k)
            macros[name] = Macro(parameters: parameters, body: body)
            return e
        case "undef":
            let (name, j) = try directiveName(buf, i, word, s)
            macros[name] = nil
            return j
        case "include":
            while i < n && (buf[i] == 32 || buf[i] == 9) { i += 1 }
            guard i < n && buf[i] == 34 else { throw error(buf, i, "expected a file name in quotes after `include") }
            let ns = i + 1
            var j = ns
            while j < n && buf[j] != 34 && buf[j] != 10 { j += 1 }
            guard j < n && buf[j] == 34 else { throw error(buf, ns, "unterminated file name after `include") }
            let rel = String(decoding: UnsafeBufferPointer(rebasing: buf[ns..<j]), as: UTF8.self)
            try include(rel, buf, s)
            return j + 1
        default:
            guard let macro = macros[word] else {
                throw error(buf, s, "unknown compiler directive or undefined macro '`\(word)'")
            }
            if expansionDepth >= 64 { throw error(buf, s, "macro '`\(word)' expands recursively (more than 64 levels)") }
            var body = macro.body
            if let parameters = macro.parameters {
                let (args, end) = try macroArguments(buf, i, word, s)
                if args.count != parameters.count {
                    throw error(buf, s, "macro '`\(word)' takes \(parameters.count) arguments, \(args.count) given")
                }
                body = VerilogLexer.substitute(body, Dictionary(zip(parameters, args), uniquingKeysWith: { a, _ in a }))
                i = end
            }
            let savedFixed = fixedOffset, savedBase = currentBase
            if fixedOffset == nil { fixedOffset = currentBase + s }
            expansionDepth += 1
            try body.withUnsafeBufferPointer { try lexBuffer($0) }
            expansionDepth -= 1
            fixedOffset = savedFixed; currentBase = savedBase
            macroEndedAt = kinds.count
            return i
        }
    }

    /// The arguments of a macro use `(a, f(b, c))`: split at top-level commas; and the index after ')'.
    private func macroArguments(_ buf: UnsafeBufferPointer<UInt8>, _ from: Int, _ name: String, _ at: Int) throws -> ([[UInt8]], Int) {
        var i = from
        let n = buf.count
        while i < n && VerilogLexer.isSpace(buf[i]) { i += 1 }
        guard i < n && buf[i] == 40 else { throw error(buf, at, "macro '`\(name)' needs arguments in parentheses") }
        i += 1
        var args: [[UInt8]] = [], current: [UInt8] = []
        var depth = 0
        while i < n {
            let c = buf[i]
            if depth == 0 && c == 41 { args.append(current); return (args, i + 1) }
            if depth == 0 && c == 44 { args.append(current); current = []; i += 1; continue }
            if c == 40 || c == 91 || c == 123 { depth += 1 }
            if c == 41 || c == 93 || c == 125 { depth -= 1 }
            current.append(c)
            i += 1
        }
        throw error(buf, at, "unterminated arguments of macro '`\(name)': expected ')'")
    }

    /// `body` with every identifier that names a parameter replaced by its argument.
    static func substitute(_ body: [UInt8], _ args: [String: [UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < body.count {
            if isIdentStart(body[i]) && (i == 0 || !(isIdentChar(body[i - 1]) || body[i - 1] == 96)) {
                var j = i
                while j < body.count && isIdentChar(body[j]) { j += 1 }
                let word = String(decoding: body[i..<j], as: UTF8.self)
                if let a = args[word] { out.append(contentsOf: a) } else { out.append(contentsOf: body[i..<j]) }
                i = j
                continue
            }
            out.append(body[i])
            i += 1
        }
        return out
    }

    private mutating func include(_ rel: String, _ buf: UnsafeBufferPointer<UInt8>, _ at: Int) throws {
        if sources.count >= 256 || expansionDepth >= 64 { throw error(buf, at, "too many nested `include files") }
        let dir: String = {
            guard let slash = currentFile.lastIndex(of: "/") else { return "" }
            return String(currentFile[...slash])
        }()
        let path = rel.hasPrefix("/") ? rel : dir + rel
        let bytes: [UInt8]
        do { bytes = try CircuitIO.readBytes(path: path) } catch {
            throw self.error(buf, at, "cannot read `include file '\(path)'")
        }
        usedIncludes = true
        let last = sources.last.map { $0.base + $0.bytes.count + 1 } ?? (mainBuffer?.count ?? 0) + 1
        sources.append(Source(name: path, bytes: bytes, base: last))
        let savedFile = currentFile, savedBase = currentBase, savedFixed = fixedOffset
        currentFile = path; currentBase = last; fixedOffset = nil
        expansionDepth += 1
        try bytes.withUnsafeBufferPointer { try lexBuffer($0) }
        expansionDepth -= 1
        currentFile = savedFile; currentBase = savedBase; fixedOffset = savedFixed
    }

    /// Lexes a decimal number or a (sized/unsized) based literal starting at `start`.
    private mutating func number(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int) throws -> Int {
        let n = buf.count
        var i = start
        var size: Int64 = -1
        if buf[i] != 39 {
            var v: Int64 = 0
            var overflow = false
            while i < n && ((buf[i] >= 48 && buf[i] <= 57) || buf[i] == 95) {
                if buf[i] != 95 {
                    if v > (Int64.max - 9) / 10 { overflow = true } else { v = v * 10 + Int64(buf[i] - 48) }
                }
                i += 1
            }
            // A size followed by a base?
            var j = i
            while j < n && VerilogLexer.isSpace(buf[j]) { j += 1 }
            if j < n && buf[j] == 39 {
                if overflow || v == 0 || v > 1 << 20 { throw error(buf, start, "constant size must be between 1 and \(1 << 20)") }
                size = v
                i = j
            } else {
                if i < n && (VerilogLexer.isIdentStart(buf[i])) {
                    throw error(buf, i, "unexpected character after number")
                }
                if overflow {
                    let digits = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<i]), as: UTF8.self)
                    try addDecimal(digits, sized: -1, buf: buf, at: start)
                } else {
                    addConst(value: v, sized: -1)
                }
                consts[consts.count - 1].signed = true
                push(VT.number, start, Int32(consts.count - 1))
                return i
            }
        }
        // at '\''
        if size < 0 && macroEndedAt == kinds.count && kinds.last == VT.number, let v = values.last,
           consts[Int(v)].signed, !consts[Int(v)].sized, consts[Int(v)].value > 0, consts[Int(v)].value <= 1 << 20 {
            size = consts[Int(v)].value
            kinds.removeLast(); offsets.removeLast(); values.removeLast()
        }
        i += 1
        var signed = false
        if i < n && (buf[i] == 115 || buf[i] == 83) { i += 1; signed = true }
        guard i < n else { throw error(buf, start, "expected a base (b, o, d or h) after '''") }
        let baseChar = buf[i] | 0x20
        let bitsPerDigit: Int
        switch baseChar {
        case 98: bitsPerDigit = 1
        case 111: bitsPerDigit = 3
        case 104: bitsPerDigit = 4
        case 100: bitsPerDigit = 0
        default:
            if buf[i] == 48 || buf[i] == 49 { throw error(buf, start, "fill literals '0/'1 are not supported: expected a sized constant such as 1'b0") }
            throw error(buf, i, "expected a base (b, o, d or h) after '''")
        }
        i += 1
        while i < n && (buf[i] == 32 || buf[i] == 9) { i += 1 }
        let ds = i
        while i < n && (VerilogLexer.isIdentChar(buf[i]) || buf[i] == 63) { i += 1 }
        var digits: [UInt8] = []
        var digitAt: [Int] = []
        for k in ds..<i where buf[k] != 95 { digits.append(buf[k]); digitAt.append(k) }
        if digits.isEmpty { throw error(buf, ds, "expected digits after the base") }
        // x/z marks, LSB first; nil while the literal has none.
        var marks: [UInt8]? = nil
        if bitsPerDigit == 0 {
            for (k, d) in digits.enumerated() where !(d >= 48 && d <= 57) {
                throw error(buf, digitAt[k], d | 0x20 == 120 || d | 0x20 == 122 || d == 63
                    ? "x/z digits are not supported in decimal literals" : "invalid decimal digit")
            }
            try addDecimal(String(decoding: digits, as: UTF8.self), sized: size, buf: buf, at: start)
        } else {
            var bits: [UInt8] = []
            var xz: [UInt8] = []
            for (k, d) in digits.reversed().enumerated() {
                var v: Int
                var mark: UInt8 = 0
                switch d {
                case 48...57: v = Int(d - 48)
                case 97...102: v = Int(d - 87)
                case 65...70: v = Int(d - 55)
                case 120, 88: v = 0; mark = 1
                case 122, 90, 63: v = 0; mark = 2
                default: v = 99
                }
                if v >= 1 << bitsPerDigit { throw error(buf, digitAt[digits.count - 1 - k], "invalid digit for this base") }
                for b in 0..<bitsPerDigit { bits.append(UInt8((v >> b) & 1)); xz.append(mark) }
            }
            if xz.contains(where: { $0 != 0 }) {
                // A leading x or z digit fills the bits above it (IEEE 1364 3.5.1).
                let width = size > 0 ? Int(size) : max(32, xz.count)
                if xz.count > width {
                    xz.removeSubrange(width...); bits.removeSubrange(width...)
                }
                let fill = xz.last ?? 0
                while xz.count < width { xz.append(fill); bits.append(0) }
                marks = xz
                try addBits(bits, sized: Int64(width), buf: buf, at: start)
            } else {
                try addBits(bits, sized: size, buf: buf, at: start)
            }
        }
        consts[consts.count - 1].signed = signed
        if let marks {
            consts[consts.count - 1].xzStart = Int32(constXZ.count)
            constXZ.append(contentsOf: marks)
        }
        push(VT.number, start, Int32(consts.count - 1))
        return i
    }

    private mutating func addConst(value: Int64, sized: Int64) {
        var bits: [UInt8] = []
        var v = value
        while v > 0 { bits.append(UInt8(v & 1)); v >>= 1 }
        // cannot fail: the value fits
        _ = try? addBits(bits, sized: sized, buf: UnsafeBufferPointer(start: nil, count: 0), at: 0)
    }

    private mutating func addDecimal(_ digits: String, sized: Int64, buf: UnsafeBufferPointer<UInt8>, at: Int) throws {
        // Binary from decimal digits: repeated multiply-by-10 on a bit array (little endian limbs).
        var limbs: [UInt32] = [0]
        for d in digits.utf8 {
            var carry = UInt64(d - 48)
            for k in 0..<limbs.count {
                let x = UInt64(limbs[k]) * 10 + carry
                limbs[k] = UInt32(truncatingIfNeeded: x); carry = x >> 32
            }
            if carry > 0 { limbs.append(UInt32(carry)) }
            if limbs.count > (1 << 15) { throw error(buf, at, "constant is too large") }
        }
        var bits: [UInt8] = []
        for l in limbs { for b in 0..<32 { bits.append(UInt8((l >> UInt32(b)) & 1)) } }
        try addBits(bits, sized: sized, buf: buf, at: at)
    }

    private mutating func addBits(_ raw: [UInt8], sized: Int64, buf: UnsafeBufferPointer<UInt8>, at: Int) throws {
        var bits = raw
        while let last = bits.last, last == 0 { bits.removeLast() }
        var width = max(1, bits.count)
        if sized > 0 {
            // Too many digits: truncated from the left (IEEE 1364-2005 3.5.1), as every simulator does.
            if bits.count > Int(sized) { bits.removeSubrange(Int(sized)...) }
            width = Int(sized)
        }
        var value: Int64 = 0
        if bits.count <= 62 { for (k, b) in bits.enumerated() where b != 0 { value |= 1 << Int64(k) } } else { value = -1 }
        let start = Int32(constBits.count)
        constBits.append(contentsOf: bits)
        constBits.append(contentsOf: repeatElement(0, count: width - bits.count))
        consts.append(VConst(width: Int32(width), sized: sized > 0, bitsStart: start, value: value))
    }
}

/// Token access shared by the gate-level parser and `RTLParser` (same tokens, same rules).
protocol VerilogTokenCursor {
    var k: [UInt8] { get }
    var val: [Int32] { get }
    var names: NameInterner { get }
    var p: Int { get set }
    func err(_ tok: Int, _ message: String) -> FormatError
}

extension VerilogTokenCursor {
    func describe(_ t: Int) -> String {
        switch k[t] {
        case VT.ident: return isKeyword(t) ? "keyword '\(names.name(val[t]))'" : "identifier '\(names.name(val[t]))'"
        case VT.escIdent: return "identifier '\\\(names.name(val[t]))'"
        case VT.sysIdent: return "'\(names.name(val[t]))'"
        default: return VT.describe(k[t])
        }
    }

    @inline(__always) func isKeyword(_ t: Int) -> Bool { k[t] == VT.ident && val[t] < Int32(VKeyword.allCases.count) }
    @inline(__always) func keyword(_ t: Int) -> VKeyword? { isKeyword(t) ? VKeyword(rawValue: val[t]) : nil }
    @inline(__always) func isName(_ t: Int) -> Bool { (k[t] == VT.ident && !isKeyword(t)) || k[t] == VT.escIdent }
    @inline(__always) func at(_ kind: UInt8) -> Bool { k[p] == kind }
    @inline(__always) func atKeyword(_ kw: VKeyword) -> Bool { k[p] == VT.ident && val[p] == kw.rawValue }

    mutating func expect(_ kind: UInt8, _ context: String) throws {
        guard k[p] == kind else { throw err(p, "expected \(VT.describe(kind)) \(context), found \(describe(p))") }
        p += 1
    }
}
