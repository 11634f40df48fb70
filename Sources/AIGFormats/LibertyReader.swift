/// Standard cells read from Liberty (`.lib`) files, for post-synthesis netlists
/// that instantiate them (`NAND2_X1 U12 (.A1(n3), .A2(n7), .ZN(n9));`).
///
/// What is read: `library` groups; their `cell` groups; in a cell, `pin`
/// groups (`direction`, `function`, `three_state`), one `ff` or `latch` group
/// (`next_state`, `clocked_on`, `clear`, `preset`; `data_in`, `enable`).
/// Everything else (timing, power, templates, `test_cell`, `pg_pin`, …) is
/// skipped. A cell the Verilog reader cannot model faithfully (tri-state or
/// `inout` pins, buses, `statetable`, level-sensitive latches, an `ff` whose
/// clock is not a single pin, two clocks) is kept but marked `unsupported`:
/// instantiating it is a located error, merely defining it is not.
///
/// Functions are small expression trees over the cell's variables: its pins
/// (numbered in file order, `0..<pins.count`), then the `ff`/`latch` state
/// (`pins.count`) and its complement (`pins.count + 1`). Operators, highest
/// precedence first (as in the Liberty reference): postfix `'` (not), prefix
/// `!` (not), `^` (xor), `&` `*` or juxtaposition (and), `|` `+` (or);
/// constants `0` `1`; parentheses.
public struct CellLibrary: Sendable {
    public enum Direction: String, Sendable, Equatable { case input, output, `internal`, `inout` }

    public struct Pin: Sendable, Equatable {
        public var name: String
        public var direction: Direction
        /// Root node of the output function, or -1.
        public var function: Int32 = -1
        public var functionText: String = ""
        public var line: Int = 0
        public static func == (a: Pin, b: Pin) -> Bool {
            a.name == b.name && a.direction == b.direction && a.function == b.function
        }
    }

    public enum Op: UInt8, Sendable { case const0, const1, variable, not, and, or, xor }

    /// One expression node; `a`/`b` are child nodes (or the variable for `.variable`).
    /// Children always precede their parent, so evaluating nodes in index order works.
    public struct Node: Sendable, Equatable {
        public var op: Op
        public var a: Int32 = 0
        public var b: Int32 = 0
    }

    /// An `ff` (edge-triggered) or `latch` (level-sensitive) group.
    public struct Sequential: Sendable, Equatable {
        public enum Kind: String, Sendable { case flipFlop = "ff", latch }
        public var kind: Kind
        public var state: String
        public var stateN: String
        /// `next_state` (ff) or `data_in` (latch) root node.
        public var next: Int32 = -1
        /// `clocked_on` (ff) or `enable` (latch) root node.
        public var clock: Int32 = -1
        /// The clock pin and whether the function inverts it (`!CK`: falling edge).
        public var clockPin: Int = -1
        public var clockInverted = false
        /// Asynchronous `clear`/`preset` root nodes, or -1.
        public var clear: Int32 = -1
        public var preset: Int32 = -1
        public var clearText = "", presetText = ""
        public var line: Int = 0
        public static func == (a: Sequential, b: Sequential) -> Bool {
            a.kind == b.kind && a.next == b.next && a.clock == b.clock && a.clear == b.clear && a.preset == b.preset
        }
    }

    public struct Cell: Sendable {
        public var name: String
        public var file: String
        public var line: Int
        public var pins: [Pin] = []
        public var nodes: [Node] = []
        public var sequential: Sequential? = nil
        /// Why the cell cannot be instantiated (with the Liberty line), or nil.
        public var unsupported: (line: Int, reason: String)? = nil

        /// Indices of the input and output pins in file order: positional connections.
        public var ports: [Int] { pins.indices.filter { pins[$0].direction == .input || pins[$0].direction == .output } }
        public var stateVariable: Int { pins.count }
        public func pinIndex(_ name: String) -> Int? { pins.firstIndex { $0.name == name } }

        /// Evaluates the expression rooted at `root`; `value(v)` gives variable `v`.
        public func evaluate(_ root: Int32, _ value: (Int) -> Bool) -> Bool {
            guard root >= 0, Int(root) < nodes.count else { return false }
            var v = [Bool](repeating: false, count: Int(root) + 1)
            for i in 0...Int(root) {
                let n = nodes[i]
                switch n.op {
                case .const0: v[i] = false
                case .const1: v[i] = true
                case .variable: v[i] = value(Int(n.a))
                case .not: v[i] = !v[Int(n.a)]
                case .and: v[i] = v[Int(n.a)] && v[Int(n.b)]
                case .or: v[i] = v[Int(n.a)] || v[Int(n.b)]
                case .xor: v[i] = v[Int(n.a)] != v[Int(n.b)]
                }
            }
            return v[Int(root)]
        }

        /// The same logic (pins, functions, sequential behaviour), wherever defined.
        func sameLogic(_ o: Cell) -> Bool {
            pins == o.pins && nodes == o.nodes && sequential == o.sequential
                && unsupported?.reason == o.unsupported?.reason
        }
    }

    public private(set) var cells: [Cell] = []
    private var byName: [String: Int] = [:]
    /// The Liberty files the cells came from, in reading order.
    public private(set) var files: [String] = []

    public init() {}

    public func index(of name: String) -> Int? { byName[name] }
    public func cell(named name: String) -> Cell? { byName[name].map { cells[$0] } }

    /// Adds the cells of `other`. A cell defined again with the same logic is
    /// kept once; with different logic it is an error naming both places.
    public mutating func merge(_ other: CellLibrary) throws {
        for f in other.files where !files.contains(f) { files.append(f) }
        for c in other.cells {
            if let i = byName[c.name] {
                let first = cells[i]
                if first.sameLogic(c) { continue }
                throw FormatError(file: c.file, line: c.line,
                                  message: "cell '\(c.name)' is also defined in \(first.file):\(first.line) with different pins or functions")
            }
            byName[c.name] = cells.count
            cells.append(c)
        }
    }

    mutating func add(_ c: Cell) { byName[c.name] = cells.count; cells.append(c) }
    mutating func noteFile(_ f: String) { if !files.contains(f) { files.append(f) } }
}

public enum LibertyReader {
    /// Parses one Liberty file.
    public static func parse(_ bytes: [UInt8], file: String) throws -> CellLibrary {
        var lexer = LibertyLexer(bytes: bytes, file: file)
        try lexer.run()
        var parser = LibertyParser(lexer: lexer)
        try parser.parseFile()
        var interp = LibertyInterpreter(parser: parser)
        return try interp.run()
    }

    /// Reads and merges several Liberty files (in order).
    public static func read(paths: [String]) throws -> CellLibrary {
        var lib = CellLibrary()
        for p in paths {
            let bytes = try CircuitIO.readBytes(path: p)
            try lib.merge(try parse(bytes, file: p))
        }
        return lib
    }

    /// Merges libraries already parsed.
    public static func merging(_ libraries: [CellLibrary]) throws -> CellLibrary {
        var lib = CellLibrary()
        for l in libraries { try lib.merge(l) }
        return lib
    }
}

// MARK: - Lexer

enum LT {
    static let eof: UInt8 = 0, word: UInt8 = 1, string: UInt8 = 2, lparen: UInt8 = 3, rparen: UInt8 = 4
    static let lbrace: UInt8 = 5, rbrace: UInt8 = 6, colon: UInt8 = 7, semi: UInt8 = 8, comma: UInt8 = 9

    static func describe(_ k: UInt8) -> String {
        switch k {
        case eof: return "end of file"
        case word: return "a name"
        case string: return "a string"
        case lparen: return "'('"
        case rparen: return "')'"
        case lbrace: return "'{'"
        case rbrace: return "'}'"
        case colon: return "':'"
        case semi: return "';'"
        default: return "','"
        }
    }
}

/// Tokens in flat arrays: kind, content range (strings without quotes), line.
struct LibertyLexer {
    let bytes: [UInt8]
    let file: String
    var kind: [UInt8] = []
    var start: [Int] = []
    var end: [Int] = []
    var line: [Int] = []

    init(bytes: [UInt8], file: String) { self.bytes = bytes; self.file = file }

    func error(_ offset: Int, _ message: String) -> FormatError {
        let (l, c) = lineColumn(bytes, offset)
        return FormatError(file: file, line: l, column: c, message: message)
    }

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 || c == 12 || c == 11 }
    @inline(__always) static func isPunct(_ c: UInt8) -> Bool {
        c == 40 || c == 41 || c == 123 || c == 125 || c == 58 || c == 59 || c == 44 || c == 34
    }

    mutating func push(_ k: UInt8, _ s: Int, _ e: Int, _ l: Int) { kind.append(k); start.append(s); end.append(e); line.append(l) }

    mutating func run() throws {
        let n = bytes.count
        var i = 0, ln = 1
        while i < n {
            let c = bytes[i]
            if c == 10 { ln += 1; i += 1; continue }
            if LibertyLexer.isSpace(c) { i += 1; continue }
            if c == 92 {  // '\' line continuation (or stray): whitespace
                i += 1; continue
            }
            if c == 47, i + 1 < n, bytes[i + 1] == 42 {  // /* comment */
                let open = i
                i += 2
                var closed = false
                while i + 1 < n {
                    if bytes[i] == 42 && bytes[i + 1] == 47 { closed = true; i += 2; break }
                    if bytes[i] == 10 { ln += 1 }
                    i += 1
                }
                if !closed { throw error(open, "unterminated comment: expected '*/'") }
                continue
            }
            if c == 47, i + 1 < n, bytes[i + 1] == 47 {  // // comment
                while i < n && bytes[i] != 10 { i += 1 }
                continue
            }
            if c == 34 {  // "string"
                let open = i, l0 = ln
                i += 1
                let s = i
                while i < n && bytes[i] != 34 {
                    if bytes[i] == 92 && i + 1 < n { if bytes[i + 1] == 10 { ln += 1 }; i += 2; continue }
                    if bytes[i] == 10 { ln += 1 }
                    i += 1
                }
                if i >= n { throw error(open, "unterminated string: expected '\"'") }
                push(LT.string, s, i, l0)
                i += 1
                continue
            }
            let k: UInt8
            switch c {
            case 40: k = LT.lparen
            case 41: k = LT.rparen
            case 123: k = LT.lbrace
            case 125: k = LT.rbrace
            case 58: k = LT.colon
            case 59: k = LT.semi
            case 44: k = LT.comma
            default: k = LT.word
            }
            if k != LT.word { push(k, i, i + 1, ln); i += 1; continue }
            let s = i
            while i < n {
                let d = bytes[i]
                if LibertyLexer.isSpace(d) || LibertyLexer.isPunct(d) { break }
                if d == 47, i + 1 < n, bytes[i + 1] == 42 { break }
                if d == 92, i + 1 < n, bytes[i + 1] == 10 || bytes[i + 1] == 13 { break }
                i += 1
            }
            push(LT.word, s, i, ln)
        }
        push(LT.eof, n, n, ln)
    }
}

// MARK: - Statement tree

/// A statement: `name : value ;` (simple), `name ( args ) ;` (complex) or
/// `name ( args ) { ... }` (group). Preorder; `end` is past the subtree.
struct LStmt {
    static let simple: UInt8 = 0, complex: UInt8 = 1, group: UInt8 = 2
    var name: Int
    var kind: UInt8
    var argStart: Int
    var argCount: Int
    var end: Int
}

struct LibertyParser {
    let lx: LibertyLexer
    var p = 0
    var stmts: [LStmt] = []
    var args: [Int] = []
    static let maxDepth = 64

    init(lexer: LibertyLexer) { lx = lexer }

    func err(_ t: Int, _ message: String) -> FormatError { lx.error(lx.start[t], message) }

    func text(_ t: Int) -> String { String(decoding: lx.bytes[lx.start[t]..<lx.end[t]], as: UTF8.self) }

    func describe(_ t: Int) -> String {
        let k = lx.kind[t]
        if k == LT.word { return "'\(text(t).prefix(40))'" }
        if k == LT.string { return "\"\(text(t).prefix(40))\"" }
        return LT.describe(k)
    }

    mutating func parseFile() throws {
        try statements(depth: 0, open: -1)
    }

    mutating func statements(depth: Int, open: Int) throws {
        while true {
            let t = p
            let k = lx.kind[t]
            if k == LT.eof {
                if open >= 0 { throw err(open, "group '\(text(open))' has no closing '}'") }
                return
            }
            if k == LT.rbrace {
                if open >= 0 { p += 1; return }
                throw err(t, "unexpected '}' (no group is open)")
            }
            if k == LT.semi { p += 1; continue }
            guard k == LT.word || k == LT.string else {
                throw err(t, "expected an attribute or group name, found \(describe(t))")
            }
            p += 1
            let si = stmts.count
            stmts.append(LStmt(name: t, kind: LStmt.simple, argStart: args.count, argCount: 0, end: 0))
            if lx.kind[p] == LT.colon {
                p += 1
                let l0 = lx.line[p]
                while (lx.kind[p] == LT.word || lx.kind[p] == LT.string) && lx.line[p] == l0 { args.append(p); p += 1 }
                if args.count == stmts[si].argStart { throw err(p, "expected a value after '\(text(t)) :', found \(describe(p))") }
                if lx.kind[p] == LT.semi { p += 1 }
            } else if lx.kind[p] == LT.lparen {
                p += 1
                while lx.kind[p] != LT.rparen {
                    switch lx.kind[p] {
                    case LT.word, LT.string: args.append(p); p += 1
                    case LT.comma: p += 1
                    default: throw err(p, "expected ')' to close the arguments of '\(text(t))', found \(describe(p))")
                    }
                }
                p += 1
                if lx.kind[p] == LT.lbrace {
                    if depth + 1 > LibertyParser.maxDepth { throw err(p, "groups nested too deeply (more than \(LibertyParser.maxDepth) levels)") }
                    stmts[si].kind = LStmt.group
                    stmts[si].argCount = args.count - stmts[si].argStart
                    p += 1
                    try statements(depth: depth + 1, open: t)
                } else {
                    stmts[si].kind = LStmt.complex
                    if lx.kind[p] == LT.semi { p += 1 }
                }
            } else {
                throw err(p, "expected ':' or '(' after '\(text(t))', found \(describe(p))")
            }
            if stmts[si].kind != LStmt.group { stmts[si].argCount = args.count - stmts[si].argStart }
            stmts[si].end = stmts.count
        }
    }
}

// MARK: - Interpretation: cells, pins, ff/latch groups, functions

struct LibertyInterpreter {
    let ps: LibertyParser
    var lx: LibertyLexer { ps.lx }
    var lib = CellLibrary()

    init(parser: LibertyParser) { ps = parser }

    func name(_ s: LStmt) -> String { ps.text(s.name) }
    func arg(_ s: LStmt, _ i: Int) -> Int? { i < s.argCount ? ps.args[s.argStart + i] : nil }

    func children(_ si: Int) -> [Int] {
        var out: [Int] = []
        var i = si + 1
        while i < ps.stmts[si].end { out.append(i); i = ps.stmts[i].end }
        return out
    }

    mutating func run() throws -> CellLibrary {
        lib.noteFile(lx.file)
        var i = 0
        var libraries = 0
        while i < ps.stmts.count {
            let s = ps.stmts[i]
            guard s.kind == LStmt.group, name(s) == "library" else {
                throw ps.err(s.name, "expected 'library (NAME) { ... }', found \(ps.describe(s.name))")
            }
            libraries += 1
            try library(i)
            i = s.end
        }
        if libraries == 0 { throw FormatError(file: lx.file, line: 1, message: "no 'library (NAME) { ... }' group: not a Liberty file") }
        if lib.cells.isEmpty { throw FormatError(file: lx.file, line: 1, message: "the Liberty library defines no cells") }
        return lib
    }

    mutating func library(_ li: Int) throws {
        var firstLine: [String: Int] = [:]
        for ci in children(li) {
            let s = ps.stmts[ci]
            switch name(s) {
            case "cell" where s.kind == LStmt.group:
                guard let nt = arg(s, 0) else { throw ps.err(s.name, "expected a cell name: 'cell (NAME) { ... }'") }
                let cname = ps.text(nt)
                if let l = firstLine[cname] { throw ps.err(nt, "cell '\(cname)' is defined twice (first at line \(l))") }
                firstLine[cname] = lx.line[nt]
                lib.add(try cell(ci, cname))
            case "include_file":
                throw ps.err(s.name, "'include_file' is not supported: pass each Liberty file with its own --liberty")
            default: break
            }
        }
    }

    /// A variable reference met while parsing a function, resolved at the end of its cell.
    struct PendingVar { var node: Int32; var name: String; var tok: Int; var owner: String }

    mutating func cell(_ ci: Int, _ cname: String) throws -> CellLibrary.Cell {
        var c = CellLibrary.Cell(name: cname, file: lx.file, line: lx.line[ps.stmts[ci].name])
        var pending: [PendingVar] = []
        var pinLine: [String: Int] = [:]
        func unsupported(_ tok: Int, _ why: String) {
            if c.unsupported == nil { c.unsupported = (lx.line[tok], why) }
        }
        for ki in children(ci) {
            let s = ps.stmts[ki]
            let kname = name(s)
            switch kname {
            case "pin" where s.kind == LStmt.group:
                guard s.argCount > 0 else { throw ps.err(s.name, "cell '\(cname)': expected a pin name: 'pin (NAME) { ... }'") }
                var dir: CellLibrary.Direction? = nil
                var fn: (tok: Int, text: String)? = nil
                var threeState = false
                for ai in children(ki) {
                    let a = ps.stmts[ai]
                    switch name(a) {
                    case "direction" where a.kind == LStmt.simple:
                        guard let vt = arg(a, 0), let d = CellLibrary.Direction(rawValue: ps.text(vt)) else {
                            throw ps.err(a.name, "cell '\(cname)': expected 'direction : input | output | inout | internal'")
                        }
                        dir = d
                    case "function" where a.kind == LStmt.simple:
                        if let vt = arg(a, 0) { fn = (vt, ps.text(vt)) }
                    case "three_state": threeState = true
                    default: break
                    }
                }
                for k in 0..<s.argCount {
                    let nt = ps.args[s.argStart + k]
                    let pname = ps.text(nt)
                    guard let dir else { throw ps.err(nt, "cell '\(cname)': pin '\(pname)' has no 'direction'") }
                    if let l = pinLine[pname] { throw ps.err(nt, "cell '\(cname)': pin '\(pname)' is defined twice (first at line \(l))") }
                    pinLine[pname] = lx.line[nt]
                    var pin = CellLibrary.Pin(name: pname, direction: dir, line: lx.line[nt])
                    if let fn, dir == .output || dir == .internal || dir == .inout {
                        pin.function = try function(fn.tok, &c.nodes, &pending, owner: "pin '\(pname)'", cell: cname)
                        pin.functionText = fn.text
                    }
                    if threeState { unsupported(nt, "pin '\(pname)' is tri-state ('three_state'); tri-state cells are not supported") }
                    if dir == .inout { unsupported(nt, "pin '\(pname)' is 'inout'; bidirectional pins are not supported") }
                    c.pins.append(pin)
                }
            case "bus", "bundle":
                unsupported(s.name, "'\(kname)' pins are not supported (expected scalar 'pin' groups)")
            case "statetable":
                unsupported(s.name, "'statetable' cells are not supported (expected an 'ff' group)")
            case "ff_bank", "latch_bank":
                unsupported(s.name, "'\(kname)' groups are not supported (expected one 'ff' group)")
            case "ff", "latch":
                guard s.kind == LStmt.group else { break }
                let isFF = kname == "ff"
                guard let st = arg(s, 0) else { throw ps.err(s.name, "cell '\(cname)': expected '\(kname) (STATE, STATE_N) { ... }'") }
                if c.sequential != nil { unsupported(s.name, "the cell has more than one ff/latch group"); break }
                var q = CellLibrary.Sequential(kind: isFF ? .flipFlop : .latch, state: ps.text(st),
                                               stateN: arg(s, 1).map { ps.text($0) } ?? "", line: lx.line[s.name])
                let owner = "\(kname) group"
                for ai in children(ki) {
                    let a = ps.stmts[ai]
                    guard a.kind == LStmt.simple, let vt = arg(a, 0) else { continue }
                    let an = name(a)
                    switch (an, isFF) {
                    case ("next_state", true), ("data_in", false):
                        q.next = try function(vt, &c.nodes, &pending, owner: "\(owner) \(an)", cell: cname)
                    case ("clocked_on", true), ("enable", false):
                        q.clock = try function(vt, &c.nodes, &pending, owner: "\(owner) \(an)", cell: cname)
                    case ("clear", _):
                        q.clear = try function(vt, &c.nodes, &pending, owner: "\(owner) clear", cell: cname)
                        q.clearText = ps.text(vt)
                    case ("preset", _):
                        q.preset = try function(vt, &c.nodes, &pending, owner: "\(owner) preset", cell: cname)
                        q.presetText = ps.text(vt)
                    case ("clocked_on_also", true):
                        unsupported(a.name, "'clocked_on_also' (master-slave flip-flops) is not supported")
                    default: break
                    }
                }
                if q.next < 0 { throw ps.err(s.name, "cell '\(cname)': the \(kname) group has no '\(isFF ? "next_state" : "data_in")'") }
                if q.clock < 0 { throw ps.err(s.name, "cell '\(cname)': the \(kname) group has no '\(isFF ? "clocked_on" : "enable")'") }
                if !isFF {
                    unsupported(s.name, "level-sensitive 'latch' cells are not supported (the AIG models edge-triggered flip-flops)")
                }
                c.sequential = q
            default: break
            }
        }
        // Resolve variable names: input pins, then the ff/latch state variables.
        let state = c.sequential?.state, stateN = c.sequential?.stateN
        if let state, let l = pinLine[state] {
            throw FormatError(file: lx.file, line: l, message: "cell '\(cname)': pin '\(state)' has the name of the \(c.sequential?.kind.rawValue ?? "ff") state variable")
        }
        for v in pending {
            let index: Int
            if let pi = c.pins.firstIndex(where: { $0.name == v.name }) {
                guard c.pins[pi].direction == .input || c.pins[pi].direction == .inout else {
                    throw ps.err(v.tok, "cell '\(cname)': the function of \(v.owner) refers to \(c.pins[pi].direction.rawValue) pin '\(v.name)' (only input pins and the ff/latch state variables may appear)")
                }
                index = pi
            } else if v.name == state {
                index = c.pins.count
            } else if let stateN, !stateN.isEmpty, v.name == stateN {
                index = c.pins.count + 1
            } else {
                throw ps.err(v.tok, "cell '\(cname)': the function of \(v.owner) refers to '\(v.name)', which is not a pin of the cell\(state == nil ? "" : " nor its state variable")")
            }
            c.nodes[Int(v.node)].a = Int32(index)
        }
        if var q = c.sequential {
            // The clock must be one pin, possibly inverted.
            var root = c.nodes[Int(q.clock)]
            var inverted = false
            while root.op == .not { inverted.toggle(); root = c.nodes[Int(root.a)] }
            if root.op == .variable, Int(root.a) < c.pins.count {
                q.clockPin = Int(root.a); q.clockInverted = inverted
            } else {
                unsupported(ps.stmts[ci].name, "the \(q.kind.rawValue) clock is not a single pin (gated or constant clock inside the cell)")
            }
            c.sequential = q
        }
        return c
    }

    /// Parses a function expression (string or bare word token) into `nodes`;
    /// returns its root. Shunting-yard with explicit stacks: no recursion.
    mutating func function(_ tok: Int, _ nodes: inout [CellLibrary.Node], _ pending: inout [PendingVar],
                           owner: String, cell: String) throws -> Int32 {
        let bytes = lx.bytes
        let s = lx.start[tok], e = lx.end[tok]
        let exprText = String(decoding: bytes[s..<e], as: UTF8.self)
        func fail(_ at: Int, _ what: String) -> FormatError {
            let shown = exprText.count > 60 ? String(exprText.prefix(60)) + "..." : exprText
            return lx.error(at, "cell '\(cell)', \(owner): bad function \"\(shown)\": \(what)")
        }
        // Operator stack entries: 1 '(' 2 not 3 xor 4 and 5 or.
        func prec(_ op: UInt8) -> Int {
            switch op { case 2: return 4; case 3: return 3; case 4: return 2; case 5: return 1; default: return 0 }
        }
        var ops: [UInt8] = []
        var opAt: [Int] = []
        var out: [Int32] = []
        func add(_ n: CellLibrary.Node) throws -> Int32 {
            if nodes.count >= 1 << 28 { throw fail(s, "expression too large") }
            nodes.append(n)
            return Int32(nodes.count - 1)
        }
        func apply(_ op: UInt8, _ at: Int) throws {
            if op == 2 {
                guard let a = out.popLast() else { throw fail(at, "'!' needs an operand") }
                out.append(try add(CellLibrary.Node(op: .not, a: a)))
                return
            }
            guard out.count >= 2, let b = out.popLast(), let a = out.popLast() else { throw fail(at, "operator needs two operands") }
            let o: CellLibrary.Op = op == 3 ? .xor : (op == 4 ? .and : .or)
            out.append(try add(CellLibrary.Node(op: o, a: a, b: b)))
        }
        func push(_ op: UInt8, _ at: Int) throws {
            if ops.count >= 1000 { throw fail(at, "expression nested too deeply (more than 1000 levels)") }
            ops.append(op); opAt.append(at)
        }
        func binary(_ op: UInt8, _ at: Int) throws {
            while let top = ops.last, top != 1, prec(top) >= prec(op) {
                ops.removeLast(); try apply(top, opAt.removeLast())
            }
            try push(op, at)
        }
        @inline(__always) func isNameChar(_ c: UInt8) -> Bool {
            (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 95 || c == 91 || c == 93 || c == 46 || c == 36
        }
        var expectOperand = true
        var i = s
        while true {
            while i < e && (LibertyLexer.isSpace(bytes[i]) || bytes[i] == 92) { i += 1 }
            if i >= e { break }
            let c = bytes[i]
            if expectOperand {
                if c == 33 { try push(2, i); i += 1; continue }  // !
                if c == 40 { try push(1, i); i += 1; continue }  // (
                if isNameChar(c) {
                    let ns = i
                    while i < e && isNameChar(bytes[i]) { i += 1 }
                    let word = String(decoding: bytes[ns..<i], as: UTF8.self)
                    if word == "0" || word == "1" {
                        out.append(try add(CellLibrary.Node(op: word == "0" ? .const0 : .const1)))
                    } else if c >= 48 && c <= 57 {
                        throw fail(ns, "'\(word)' is not a pin name or the constant 0 or 1")
                    } else {
                        let n = try add(CellLibrary.Node(op: .variable))
                        pending.append(PendingVar(node: n, name: word, tok: tok, owner: owner))
                        out.append(n)
                    }
                    expectOperand = false
                    continue
                }
                throw fail(i, "expected a pin name, 0, 1, '!' or '(', found '\(Unicode.Scalar(c))'")
            }
            switch c {
            case 39:  // postfix '
                guard let a = out.popLast() else { throw fail(i, "''' needs an operand") }
                out.append(try add(CellLibrary.Node(op: .not, a: a)))
                i += 1
            case 41:  // )
                var found = false
                while let top = ops.popLast() {
                    let at = opAt.removeLast()
                    if top == 1 { found = true; break }
                    try apply(top, at)
                }
                if !found { throw fail(i, "unmatched ')'") }
                i += 1
            case 38, 42: try binary(4, i); expectOperand = true; i += 1   // & *
            case 124, 43: try binary(5, i); expectOperand = true; i += 1  // | +
            case 94: try binary(3, i); expectOperand = true; i += 1       // ^
            case 33, 40: try binary(4, i); expectOperand = true           // juxtaposition: and
            default:
                if isNameChar(c) { try binary(4, i); expectOperand = true; continue }
                throw fail(i, "unexpected '\(Unicode.Scalar(c))' (operators: ! ' ^ & * | + and parentheses)")
            }
        }
        if expectOperand {
            throw fail(i, out.isEmpty && ops.isEmpty ? "the expression is empty" : "expected an operand at the end of the expression")
        }
        while let top = ops.popLast() {
            let at = opAt.removeLast()
            if top == 1 { throw fail(at, "'(' is never closed") }
            try apply(top, at)
        }
        guard out.count == 1, let root = out.first else { throw fail(s, "malformed expression") }
        return root
    }
}
