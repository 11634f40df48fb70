import AIG

/// Reads ASCII (`aag`) and binary (`aig`) AIGER, including the 1.9
/// extensions (B C J F sections, latch reset values), the symbol table and
/// comments. Validation follows the reference reader; every error is a
/// located `FormatError`. ASCII files may use sparse variables and define
/// ANDs in any order: the result is renumbered canonically and sorted
/// topologically.
public enum AIGERReader {
    /// Largest M we accept: literals must fit in 32 bits with room to spare.
    static let maxVariableLimit = (1 << 30) - 1

    public static func parse(_ bytes: [UInt8], file: String) throws -> AIG {
        try bytes.withUnsafeBufferPointer { buf in
            var p = Parser(buf: buf, file: file)
            return try p.parseFile()
        }
    }
}

/// Where an item was defined, kept for error messages about later checks.
private typealias Offset = Int

private struct Parser {
    let buf: UnsafeBufferPointer<UInt8>
    let file: String
    var pos = 0

    init(buf: UnsafeBufferPointer<UInt8>, file: String) { self.buf = buf; self.file = file }

    // MARK: errors and locations

    /// Line and column (1-based) of a byte offset; computed only on the error path.
    func location(_ offset: Int) -> (line: Int, column: Int) {
        var line = 1, lineStart = 0
        var i = 0
        let end = min(offset, buf.count)
        while i < end { if buf[i] == 10 { line += 1; lineStart = i + 1 }; i += 1 }
        return (line, offset - lineStart + 1)
    }

    func error(at offset: Int, _ message: String) -> FormatError {
        let (l, c) = location(offset)
        return FormatError(file: file, line: l, column: c, message: message)
    }

    func binaryError(at offset: Int, _ message: String) -> FormatError {
        FormatError(file: file, byteOffset: offset, message: message)
    }

    func describeByte(at offset: Int) -> String {
        guard offset < buf.count else { return "end of file" }
        let b = buf[offset]
        switch b {
        case 10: return "end of line"
        case 32: return "space"
        case 33...126: return "'\(Character(UnicodeScalar(b)))'"
        default: return "byte 0x\(String(b, radix: 16))"
        }
    }

    // MARK: tokens

    /// An unsigned decimal number (no sign, no leading '+').
    mutating func number(_ what: String) throws -> UInt64 {
        let start = pos
        var value: UInt64 = 0
        while pos < buf.count, buf[pos] >= 48, buf[pos] <= 57 {
            value = value &* 10 &+ UInt64(buf[pos] - 48)
            if value > UInt64(UInt32.max) * 4 { throw error(at: start, "\(what) is too large") }
            pos += 1
        }
        if pos == start { throw error(at: start, "expected \(what) (a decimal number), found \(describeByte(at: start))") }
        return value
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard pos < buf.count, buf[pos] == byte else {
            throw error(at: pos, "expected \(what), found \(describeByte(at: pos))")
        }
        pos += 1
    }
    mutating func space() throws { try expect(32, "a single space") }
    mutating func newline() throws { try expect(10, "end of line") }

    // MARK: file

    struct Header {
        var binary: Bool
        var m = 0, i = 0, l = 0, o = 0, a = 0, b = 0, c = 0, j = 0, f = 0
    }

    mutating func parseHeader() throws -> Header {
        if buf.isEmpty { throw error(at: 0, "empty file: expected header 'aag M I L O A' or 'aig M I L O A'") }
        guard buf.count >= 3, buf[0] == 97, buf[1] == 97 || buf[1] == 105, buf[2] == 103 else {
            throw error(at: 0, "expected header starting with 'aag' or 'aig'")
        }
        var h = Header(binary: buf[1] == 105)
        pos = 3
        var fields: [Int] = []
        let names = ["M", "I", "L", "O", "A", "B", "C", "J", "F"]
        while fields.count < 9, pos < buf.count, buf[pos] == 32 {
            pos += 1
            let v = try number("header field \(names[fields.count])")
            if v > UInt64(AIGERReader.maxVariableLimit) {
                throw error(at: pos - 1, "header field \(names[fields.count]) = \(v) exceeds the supported maximum \(AIGERReader.maxVariableLimit)")
            }
            fields.append(Int(v))
        }
        if fields.count < 5 {
            throw error(at: pos, "expected header '\(h.binary ? "aig" : "aag") M I L O A [B C J F]' with at least 5 numbers, found \(fields.count) before \(describeByte(at: pos))")
        }
        try newline()
        (h.m, h.i, h.l, h.o, h.a) = (fields[0], fields[1], fields[2], fields[3], fields[4])
        if fields.count > 5 { h.b = fields[5] }
        if fields.count > 6 { h.c = fields[6] }
        if fields.count > 7 { h.j = fields[7] }
        if fields.count > 8 { h.f = fields[8] }
        // Every item a section lists takes at least 2 bytes ("2\n"; binary
        // inputs none): refuse a header that
        // promises more than the file can hold before allocating for it.
        // (Binary ANDs are checked against what follows the symbol-free part below.)
        let listed = (h.binary ? 0 : h.i + h.a) + h.l + h.o + h.b + h.c + h.j + h.f
        if listed > buf.count / 2 {
            throw error(at: 0, "header lists \(listed) inputs, latches, outputs, ANDs and properties, more than a \(buf.count)-byte file can hold")
        }
        if h.binary {
            if h.m != h.i + h.l + h.a {
                throw error(at: 0, "binary header: M = \(h.m) must equal I + L + A = \(h.i + h.l + h.a)")
            }
        } else if h.m < h.i + h.l + h.a {
            throw error(at: 0, "header: M = \(h.m) is smaller than I + L + A = \(h.i + h.l + h.a)")
        }
        return h
    }

    /// A literal on its own, checked against M.
    mutating func literal(_ what: String, maxLiteral: Int) throws -> UInt32 {
        let start = pos
        let v = try number(what)
        if v > UInt64(maxLiteral) { throw error(at: start, "\(what) \(v) exceeds 2*M+1 = \(maxLiteral)") }
        return UInt32(v)
    }

    /// A section of one literal per line (outputs, bad, constraints, fairness).
    mutating func literalLines(_ count: Int, _ what: String, maxLiteral: Int) throws -> ([UInt32], [Offset]) {
        var lits = [UInt32](), offs = [Offset]()
        lits.reserveCapacity(count); offs.reserveCapacity(count)
        for _ in 0..<count {
            offs.append(pos)
            lits.append(try literal(what, maxLiteral: maxLiteral))
            try newline()
        }
        return (lits, offs)
    }

    struct Raw {
        var inputs: [UInt32] = [], inputOffs: [Offset] = []
        var latchLits: [UInt32] = [], latchNext: [UInt32] = [], latchReset: [Latch.Reset] = [], latchOffs: [Offset] = []
        var outputs: [UInt32] = [], outputOffs: [Offset] = []
        var bad: [UInt32] = [], badOffs: [Offset] = []
        var constraints: [UInt32] = [], constraintOffs: [Offset] = []
        var justice: [[UInt32]] = [], justiceOffs: [[Offset]] = []
        var fairness: [UInt32] = [], fairnessOffs: [Offset] = []
        var andLhs: [UInt32] = [], andR0: [UInt32] = [], andR1: [UInt32] = [], andOffs: [Offset] = []
        var binaryAnds: [AndFanins] = []
    }

    mutating func parseFile() throws -> AIG {
        let h = try parseHeader()
        let maxLit = 2 * h.m + 1
        var raw = Raw()

        // Inputs (ASCII only; binary inputs are implicit).
        if !h.binary {
            raw.inputs.reserveCapacity(h.i)
            for _ in 0..<h.i {
                raw.inputOffs.append(pos)
                let l = try literal("input literal", maxLiteral: maxLit)
                if l & 1 == 1 || l < 2 { throw error(at: raw.inputOffs.last!, "input literal \(l) must be even and not a constant") }
                raw.inputs.append(l)
                try newline()
            }
        } else if h.i > buf.count * 64 + 1_000_000 {
            // Implicit inputs cost nothing in the file; refuse absurd counts before allocating.
            throw error(at: 0, "binary header: I = \(h.i) inputs is more than this reader supports for a \(buf.count)-byte file")
        }

        // Latches.
        for k in 0..<h.l {
            raw.latchOffs.append(pos)
            let lit: UInt32
            if h.binary {
                lit = UInt32(2 * (h.i + 1 + k))
            } else {
                lit = try literal("latch literal", maxLiteral: maxLit)
                if lit & 1 == 1 || lit < 2 { throw error(at: raw.latchOffs.last!, "latch literal \(lit) must be even and not a constant") }
                try space()
            }
            let next = try literal("latch next-state literal", maxLiteral: maxLit)
            var reset = Latch.Reset.zero
            if pos < buf.count, buf[pos] == 32 {
                pos += 1
                let rpos = pos
                let r = try number("latch reset value")
                if r == 0 { reset = .zero } else if r == 1 { reset = .one } else if r == UInt64(lit) { reset = .uninitialized } else {
                    throw error(at: rpos, "latch reset value must be 0, 1 or the latch literal \(lit), found \(r)")
                }
            }
            try newline()
            raw.latchLits.append(lit); raw.latchNext.append(next); raw.latchReset.append(reset)
        }

        (raw.outputs, raw.outputOffs) = try literalLines(h.o, "output literal", maxLiteral: maxLit)
        (raw.bad, raw.badOffs) = try literalLines(h.b, "bad-state literal", maxLiteral: maxLit)
        (raw.constraints, raw.constraintOffs) = try literalLines(h.c, "constraint literal", maxLiteral: maxLit)
        var justiceSizes: [Int] = []
        for _ in 0..<h.j {
            let s = try number("justice property size")
            if s > UInt64(buf.count) { throw error(at: pos - 1, "justice property size \(s) is larger than the file") }
            justiceSizes.append(Int(s)); try newline()
        }
        for s in justiceSizes {
            let (lits, offs) = try literalLines(s, "justice literal", maxLiteral: maxLit)
            raw.justice.append(lits); raw.justiceOffs.append(offs)
        }
        (raw.fairness, raw.fairnessOffs) = try literalLines(h.f, "fairness literal", maxLiteral: maxLit)

        if h.binary {
            try parseBinaryAnds(h, &raw)
        } else {
            raw.andLhs.reserveCapacity(h.a); raw.andR0.reserveCapacity(h.a); raw.andR1.reserveCapacity(h.a)
            for _ in 0..<h.a {
                let off = pos
                raw.andOffs.append(off)
                let lhs = try literal("AND literal", maxLiteral: maxLit)
                if lhs & 1 == 1 || lhs < 2 { throw error(at: off, "AND literal \(lhs) must be even and not a constant") }
                try space()
                let r0 = try literal("AND fanin literal", maxLiteral: maxLit)
                try space()
                let r1 = try literal("AND fanin literal", maxLiteral: maxLit)
                try newline()
                raw.andLhs.append(lhs); raw.andR0.append(r0); raw.andR1.append(r1)
            }
        }

        var aig = h.binary ? try buildBinary(h, raw) : try buildASCII(h, raw)
        try parseSymbolsAndComments(&aig)
        return aig
    }

    // MARK: binary ANDs

    mutating func varint(_ k: Int) throws -> UInt32 {
        let start = pos
        var x: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard pos < buf.count else {
                throw binaryError(at: start, "AND \(k): truncated delta encoding (file ends inside the AND section)")
            }
            let byte = buf[pos]; pos += 1
            x |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
            if shift > 28 { throw binaryError(at: start, "AND \(k): delta encoding overflows 32 bits") }
        }
        if x > UInt64(UInt32.max) { throw binaryError(at: start, "AND \(k): delta encoding overflows 32 bits") }
        return UInt32(x)
    }

    mutating func parseBinaryAnds(_ h: Header, _ raw: inout Raw) throws {
        // Each AND takes at least two bytes: refuse truncated files before allocating.
        if h.a > (buf.count - pos) / 2 + 1 {
            throw binaryError(at: pos, "binary AND section: \(h.a) ANDs need at least \(2 * h.a) bytes, only \(buf.count - pos) remain")
        }
        // Decoded straight into the final flat array: no intermediate copies.
        raw.binaryAnds = [AndFanins](repeating: AndFanins(.false, .false), count: h.a)
        let first = h.i + h.l + 1
        try raw.binaryAnds.withUnsafeMutableBufferPointer { ands in
            for k in 0..<h.a {
                let lhs = UInt32(2 * (first + k))
                let start = pos
                // Fast path: both deltas fit in one byte each.
                var d0: UInt32, d1: UInt32
                if pos + 1 < buf.count, buf[pos] < 0x80, buf[pos + 1] < 0x80 {
                    d0 = UInt32(buf[pos]); d1 = UInt32(buf[pos + 1]); pos += 2
                } else {
                    d0 = try varint(k)
                    d1 = try varint(k)
                }
                if d0 == 0 || d0 > lhs {
                    throw binaryError(at: start, "AND \(k) (literal \(lhs)): first delta \(d0) must be between 1 and \(lhs)")
                }
                let a = lhs - d0
                if d1 > a {
                    throw binaryError(at: start, "AND \(k) (literal \(lhs)): second delta \(d1) exceeds first fanin \(a)")
                }
                // a >= a - d1, so the fanins are already in stored order.
                ands[k] = AndFanins(Literal(raw: a), Literal(raw: a - d1))
            }
        }
    }

    func buildBinary(_ h: Header, _ raw: consuming Raw) throws -> AIG {
        var aig = AIG(inputCount: h.i)
        aig.latches.reserveCapacity(h.l)
        for k in 0..<h.l {
            aig.latches.append(Latch(next: Literal(raw: raw.latchNext[k]), reset: raw.latchReset[k]))
        }
        aig.latchNames = Array(repeating: nil, count: h.l)
        aig.outputs = raw.outputs.map(Literal.init(raw:))
        aig.outputNames = Array(repeating: nil, count: h.o)
        aig.bad = raw.bad.map(Literal.init(raw:)); aig.badNames = Array(repeating: nil, count: h.b)
        aig.constraints = raw.constraints.map(Literal.init(raw:)); aig.constraintNames = Array(repeating: nil, count: h.c)
        aig.justice = raw.justice.map { $0.map(Literal.init(raw:)) }; aig.justiceNames = Array(repeating: nil, count: h.j)
        aig.fairness = raw.fairness.map(Literal.init(raw:)); aig.fairnessNames = Array(repeating: nil, count: h.f)
        aig.ands = raw.binaryAnds
        return aig
    }

    // MARK: ASCII: definitions, checks, renumbering

    /// Variable → definition, dense when M is reasonable for the file size,
    /// sparse (a dictionary, built once) for huge M with few nodes.
    struct Definitions {
        static let none = UInt32.max
        var dense: [UInt32] = []
        var sparse: [UInt32: UInt32] = [:]
        let isDense: Bool
        init(m: Int, fileSize: Int) {
            isDense = m <= 4 * fileSize + 1024
            if isDense { dense = [UInt32](repeating: Definitions.none, count: m + 1) }
        }
        subscript(v: UInt32) -> UInt32 {
            get { isDense ? dense[Int(v)] : (sparse[v] ?? Definitions.none) }
            set { if isDense { dense[Int(v)] = newValue } else { sparse[v] = newValue } }
        }
    }

    func buildASCII(_ h: Header, _ raw: Raw) throws -> AIG {
        // Definition codes: inputs 0..<I, latches I..<I+L, ANDs I+L..<I+L+A.
        // (The tables are filled in place, then read through `let` copies: a local
        // function capturing a `var` pays a dynamic exclusivity check on every access,
        // 13% of reading a JSONL set of small circuits.)
        var building = Definitions(m: h.m, fileSize: buf.count)
        func define(_ lit: UInt32, _ code: Int, _ off: Offset, _ what: String, _ defs: inout Definitions) throws {
            let v = lit >> 1
            let old = defs[v]
            if old != Definitions.none {
                let kind = old < h.i ? "an input" : old < h.i + h.l ? "a latch" : "an AND"
                throw error(at: off, "\(what) variable \(v) (literal \(lit)) is already defined as \(kind)")
            }
            defs[v] = UInt32(code)
        }
        for (k, l) in raw.inputs.enumerated() { try define(l, k, raw.inputOffs[k], "input", &building) }
        for (k, l) in raw.latchLits.enumerated() { try define(l, h.i + k, raw.latchOffs[k], "latch", &building) }
        for (k, l) in raw.andLhs.enumerated() { try define(l, h.i + h.l + k, raw.andOffs[k], "AND", &building) }
        let defs = building

        func checkDefined(_ l: UInt32, _ off: Offset, _ what: String) throws {
            if l >= 2 && defs[l >> 1] == Definitions.none {
                throw error(at: off, "\(what) \(l) uses variable \(l >> 1), which is never defined")
            }
        }
        for k in 0..<h.l { try checkDefined(raw.latchNext[k], raw.latchOffs[k], "latch next-state literal") }
        for k in 0..<h.o { try checkDefined(raw.outputs[k], raw.outputOffs[k], "output literal") }
        for k in 0..<h.b { try checkDefined(raw.bad[k], raw.badOffs[k], "bad-state literal") }
        for k in 0..<h.c { try checkDefined(raw.constraints[k], raw.constraintOffs[k], "constraint literal") }
        for (j, lits) in raw.justice.enumerated() {
            for (k, l) in lits.enumerated() { try checkDefined(l, raw.justiceOffs[j][k], "justice literal") }
        }
        for k in 0..<h.f { try checkDefined(raw.fairness[k], raw.fairnessOffs[k], "fairness literal") }
        for k in 0..<h.a {
            try checkDefined(raw.andR0[k], raw.andOffs[k], "AND fanin literal")
            try checkDefined(raw.andR1[k], raw.andOffs[k], "AND fanin literal")
        }

        // New variable of each definition code: inputs and latches in file order,
        // ANDs in a topological order that keeps file order where it already is one.
        let firstAnd = h.i + h.l + 1
        var newVar = [UInt32](repeating: 0, count: h.i + h.l + h.a)
        for k in 0..<(h.i + h.l) { newVar[k] = UInt32(k + 1) }
        var order = [Int]()   // AND indices in topological order
        order.reserveCapacity(h.a)
        var state = [UInt8](repeating: 0, count: h.a)   // 0 new, 1 on stack, 2 placed
        var stack = [(and: Int, child: UInt8)]()
        for root in 0..<h.a where state[root] == 0 {
            stack.append((root, 0)); state[root] = 1
            while let top = stack.last {
                let k = top.and
                if top.child == 2 {
                    stack.removeLast(); state[k] = 2
                    newVar[h.i + h.l + k] = UInt32(firstAnd + order.count)
                    order.append(k)
                    continue
                }
                stack[stack.count - 1].child += 1
                let fanin = top.child == 0 ? raw.andR0[k] : raw.andR1[k]
                guard fanin >= 2 else { continue }
                let code = Int(defs[fanin >> 1])
                guard code >= h.i + h.l else { continue }
                let c = code - h.i - h.l
                if state[c] == 1 {
                    throw error(at: raw.andOffs[c], "combinational cycle through AND literal \(raw.andLhs[c]) (reached again from AND \(raw.andLhs[k]))")
                }
                if state[c] == 0 { state[c] = 1; stack.append((c, 0)) }
            }
        }

        let newVarOf = newVar
        func map(_ l: UInt32) -> Literal {
            if l < 2 { return Literal(raw: l) }
            return Literal(variable: newVarOf[Int(defs[l >> 1])], complemented: l & 1 == 1)
        }
        var aig = AIG(inputCount: h.i)
        aig.latches = (0..<h.l).map { Latch(next: map(raw.latchNext[$0]), reset: raw.latchReset[$0]) }
        aig.latchNames = Array(repeating: nil, count: h.l)
        aig.outputs = raw.outputs.map(map); aig.outputNames = Array(repeating: nil, count: h.o)
        aig.bad = raw.bad.map(map); aig.badNames = Array(repeating: nil, count: h.b)
        aig.constraints = raw.constraints.map(map); aig.constraintNames = Array(repeating: nil, count: h.c)
        aig.justice = raw.justice.map { $0.map(map) }; aig.justiceNames = Array(repeating: nil, count: h.j)
        aig.fairness = raw.fairness.map(map); aig.fairnessNames = Array(repeating: nil, count: h.f)
        aig.ands = order.map { AndFanins(map(raw.andR0[$0]), map(raw.andR1[$0])) }
        return aig
    }

    // MARK: symbols and comments

    mutating func parseSymbolsAndComments(_ aig: inout AIG) throws {
        while pos < buf.count {
            let lineStart = pos
            let kind = buf[pos]
            // ABC's GIA writer (`&w`) starts the comment section with 'c'
            // followed directly by its binary extension records: after a 'c'
            // that no digit follows, the rest is comment data, not a
            // constraint symbol.
            if kind == 99, pos + 1 < buf.count, buf[pos + 1] != 10, buf[pos + 1] != 13, !(48...57).contains(buf[pos + 1]) {
                pos = buf.count
                return
            }
            if kind == 99, pos + 1 >= buf.count || buf[pos + 1] == 10 || buf[pos + 1] == 13 {
                // "c" alone: everything after is comment lines.
                pos += 1
                if pos < buf.count, buf[pos] == 13 { pos += 1 }
                if pos < buf.count { pos += 1 }
                var lineBegin = pos
                var i = pos
                while i < buf.count {
                    if buf[i] == 10 { aig.comments.append(text(lineBegin, i)); lineBegin = i + 1 }
                    i += 1
                }
                if lineBegin < buf.count { aig.comments.append(text(lineBegin, buf.count)) }
                pos = buf.count
                return
            }
            let section: WritableKeyPath<AIG, [String?]>
            let what: String
            switch kind {
            case 105: section = \.inputNames; what = "input"
            case 108: section = \.latchNames; what = "latch"
            case 111: section = \.outputNames; what = "output"
            case 98: section = \.badNames; what = "bad-state property"
            case 99: section = \.constraintNames; what = "constraint"
            case 106: section = \.justiceNames; what = "justice property"
            case 102: section = \.fairnessNames; what = "fairness property"
            default:
                throw error(at: lineStart, "expected a symbol line (i/l/o/b/c/j/f followed by a position) or 'c' starting the comment section, found \(describeByte(at: lineStart))")
            }
            pos += 1
            let posStart = pos
            let index = try number("\(what) symbol position")
            let count = aig[keyPath: section].count
            if index >= UInt64(count) {
                throw error(at: posStart, "\(what) symbol position \(index) is out of range (the file has \(count) \(what)\(count == 1 ? "" : "s"))")
            }
            try space()
            let nameStart = pos
            while pos < buf.count, buf[pos] != 10 { pos += 1 }
            var nameEnd = pos
            if nameEnd > nameStart, buf[nameEnd - 1] == 13 { nameEnd -= 1 }
            if nameEnd == nameStart { throw error(at: nameStart, "expected a symbol name after the position") }
            if pos < buf.count { pos += 1 }
            if aig[keyPath: section][Int(index)] != nil {
                throw error(at: lineStart, "\(what) \(index) already has a symbol")
            }
            aig[keyPath: section][Int(index)] = text(nameStart, nameEnd)
        }
    }

    func text(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buf[start..<end]), as: UTF8.self)
    }
}
