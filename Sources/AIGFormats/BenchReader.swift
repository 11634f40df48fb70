import AIG

/// Reads ISCAS `.bench` netlists:
///
///     # comment
///     INPUT(G1)
///     OUTPUT(G22)
///     G10 = NAND(G1, G3)
///     G5 = DFF(G10)
///
/// Gates: AND OR NAND NOR XOR XNOR (any number of inputs), NOT, BUF/BUFF,
/// DFF (an AIG latch with initial value 0), CONST0/CONST1 (no inputs), and
/// ABC's `LUT 0x<hex> (a, b, ...)` (truth-table bit `m` is the output for the
/// input assignment whose bit `j` is input `j`). Nets may be used before
/// they are defined. Inputs and outputs keep the file's order and names.
public enum BenchReader {
    public static func parse(_ bytes: [UInt8], file: String, options: ReadOptions = ReadOptions()) throws -> AIG {
        try normalizingLoneCarriageReturns(bytes).withUnsafeBufferPointer { buf in
            var r = BenchParser(buf: buf, file: file)
            return try r.run(options)
        }
    }
}

private struct BenchParser {
    let buf: UnsafeBufferPointer<UInt8>
    let file: String
    var i = 0
    var names = NameInterner(capacity: 1024)
    var g = NetGraph()
    var outputs: [(bit: Int, at: Int32)] = []

    init(buf: UnsafeBufferPointer<UInt8>, file: String) { self.buf = buf; self.file = file }

    func err(_ offset: Int, _ message: String) -> FormatError {
        let (l, c) = lineColumn(buf, offset)
        return FormatError(file: file, line: l, column: c, message: message)
    }

    func describe(_ o: Int) -> String {
        guard o < buf.count else { return "end of file" }
        let c = buf[o]
        if c == 10 || c == 13 { return "end of line" }
        return c >= 33 && c <= 126 ? "'\(Character(UnicodeScalar(c)))'" : "byte 0x\(String(c, radix: 16))"
    }

    @inline(__always) static func isNameChar(_ c: UInt8) -> Bool {
        c > 32 && c < 127 && c != 40 && c != 41 && c != 44 && c != 61 && c != 35
    }

    mutating func skipBlanks() { while i < buf.count && (buf[i] == 32 || buf[i] == 9 || buf[i] == 13) { i += 1 } }

    /// A net name; returns its bit.
    mutating func name(_ what: String) throws -> (bit: Int, at: Int) {
        skipBlanks()
        let s = i
        while i < buf.count && BenchParser.isNameChar(buf[i]) { i += 1 }
        if i == s { throw err(s, "expected \(what), found \(describe(s))") }
        guard let base = buf.baseAddress else { throw err(s, "expected \(what)") }
        let id = Int(names.intern(base + s, i - s))
        if id >= g.bitCount { _ = g.addBits(id + 1 - g.bitCount) }
        return (id, s)
    }

    mutating func expect(_ c: UInt8, _ what: String) throws {
        skipBlanks()
        guard i < buf.count && buf[i] == c else { throw err(i, "expected \(what), found \(describe(i))") }
        i += 1
    }

    mutating func word() -> String {
        skipBlanks()
        let s = i
        while i < buf.count && BenchParser.isNameChar(buf[i]) { i += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: buf[s..<i]), as: UTF8.self)
    }

    mutating func endOfLine() throws {
        skipBlanks()
        if i < buf.count && buf[i] == 35 { try skipComment() }
        if i < buf.count && buf[i] != 10 { throw err(i, "expected end of line, found \(describe(i))") }
        i += 1
    }

    /// Skips a `#` comment up to the line end; a control byte in it is an error.
    mutating func skipComment() throws {
        while i < buf.count && buf[i] != 10 {
            if isControlByte(buf[i]) { throw err(i, "unexpected \(controlByteDescription(buf[i])): a .bench file is text") }
            i += 1
        }
    }

    mutating func run(_ options: ReadOptions) throws -> AIG {
        while i < buf.count {
            skipBlanks()
            if i >= buf.count { break }
            if buf[i] == 10 { i += 1; continue }
            if buf[i] == 35 { try skipComment(); continue }
            let lineStart = i
            let (bit, at) = try name("a net name, INPUT(...) or OUTPUT(...)")
            let first = names.name(Int32(bit))
            skipBlanks()
            if i < buf.count && buf[i] == 40 && (first == "INPUT" || first == "OUTPUT") {
                i += 1
                let (b, a) = try name("a net name")
                try expect(41, "')'")
                if first == "INPUT" {
                    if g.addInput(bit: b, name: names.name(Int32(b))) != nil {
                        throw err(a, "net '\(names.name(Int32(b)))' is declared as an input twice or also driven by a gate")
                    }
                } else {
                    outputs.append((b, Int32(a)))
                }
                try endOfLine()
                continue
            }
            try expect(61, "'=' after the net name (or INPUT(...)/OUTPUT(...))")
            skipBlanks()
            let gateAt = i
            let gate = word().uppercased()
            var table: [UInt8] = []
            if gate == "LUT" {
                skipBlanks()
                let hs = i
                let hex = word()
                guard hex.hasPrefix("0x") || hex.hasPrefix("0X"), hex.count > 2 else { throw err(hs, "expected a truth table such as 0x8 after LUT") }
                for ch in hex.utf8.dropFirst(2).reversed() {
                    guard let v = Int(String(UnicodeScalar(ch)), radix: 16) else { throw err(hs, "invalid hex digit in the LUT truth table") }
                    for b in 0..<4 { table.append(UInt8((v >> b) & 1)) }
                }
            }
            skipBlanks()
            if gate != "LUT" && (i >= buf.count || buf[i] == 10 || buf[i] == 35) {
                // `x = vdd`, `x = gnd` (ABC's constants) or `x = y` (a buffer).
                var out: UInt32
                switch gate {
                case "VDD": out = 1
                case "GND": out = 0
                default:
                    guard !gate.isEmpty else { throw err(gateAt, "expected a gate type after '='") }
                    i = gateAt
                    let (b, a) = try name("a net name")
                    out = g.ref(b, at: Int32(a))
                }
                if let prev = g.drive(bit, out, at: Int32(lineStart)) {
                    if prev == -2 { throw err(at, "net '\(first)' is an input and cannot be driven by a gate") }
                    throw err(at, "net '\(first)' is driven more than once (first driver at line \(lineColumn(buf, Int(prev)).line))")
                }
                try endOfLine()
                continue
            }
            try expect(40, "'(' after the gate type")
            var args: [UInt32] = []
            var argBits: [Int] = []
            skipBlanks()
            if i < buf.count && buf[i] != 41 {
                while true {
                    let (b, a) = try name("a gate input")
                    args.append(g.ref(b, at: Int32(a)))
                    argBits.append(b)
                    skipBlanks()
                    if i < buf.count && buf[i] == 44 { i += 1; continue }
                    break
                }
            }
            try expect(41, "')' or ',' in the gate's input list")
            var out: UInt32 = 0
            func need(_ n: Int?) throws {
                if let n, args.count != n { throw err(gateAt, "\(gate) takes \(n) input\(n == 1 ? "" : "s"), found \(args.count)") }
                if n == nil && args.isEmpty { throw err(gateAt, "\(gate) needs at least one input") }
            }
            switch gate {
            case "AND": try need(nil); out = g.reduce(&args, identity: 1) { $0.and($1, $2) }
            case "NAND": try need(nil); out = g.reduce(&args, identity: 1) { $0.and($1, $2) } ^ 1
            case "OR": try need(nil); out = g.reduce(&args, identity: 0) { $0.or($1, $2) }
            case "NOR": try need(nil); out = g.reduce(&args, identity: 0) { $0.or($1, $2) } ^ 1
            case "XOR": try need(nil); out = g.reduce(&args, identity: 0) { $0.xor($1, $2) }
            case "XNOR": try need(nil); out = g.reduce(&args, identity: 0) { $0.xor($1, $2) } ^ 1
            case "NOT", "INV": try need(1); out = args[0] ^ 1
            case "BUF", "BUFF": try need(1); out = args[0]
            case "CONST0", "GND", "ZERO": try need(0); out = 0
            case "CONST1", "VDD", "ONE": try need(0); out = 1
            case "DFF":
                try need(1)
                if g.addLatch(bit: bit, next: args[0], reset: .zero, name: first, at: Int32(lineStart)) != nil {
                    throw err(at, "net '\(first)' is driven more than once")
                }
                try endOfLine()
                continue
            case "LUT":
                if args.count > 16 { throw err(gateAt, "LUT with more than 16 inputs") }
                let size = 1 << args.count
                if table.count < size { table.append(contentsOf: repeatElement(0, count: size - table.count)) }
                if table[size...].contains(1) { throw err(gateAt, "LUT truth table has more bits than \(args.count) inputs allow") }
                out = lut(Array(table[0..<size]), args)
            default:
                throw err(gateAt, "unknown gate '\(gate)': expected AND, OR, NAND, NOR, XOR, XNOR, NOT, BUF, BUFF, DFF, CONST0, CONST1 or LUT")
            }
            if let prev = g.drive(bit, out, at: Int32(lineStart)) {
                if prev == -2 { throw err(at, "net '\(first)' is an input and cannot be driven by a gate") }
                throw err(at, "net '\(first)' is driven more than once (first driver at line \(lineColumn(buf, Int(prev)).line))")
            }
            try endOfLine()
        }
        if outputs.isEmpty && g.inputs.isEmpty && g.latches.isEmpty {
            throw FormatError(file: file, message: "empty netlist: no INPUT, OUTPUT or DFF (a .bench file declares its ports with INPUT(...) and OUTPUT(...))")
        }
        for o in outputs { g.outputs.append((g.ref(o.bit, at: o.at), names.name(Int32(o.bit)))) }
        let names = self.names
        let buf = self.buf, file = self.file
        let describer = NetGraph.Describer(
            name: { names.name(Int32($0)) },
            error: { handle, message in
                let (l, c) = lineColumn(buf, Int(handle))
                return handle >= 0 ? FormatError(file: file, line: l, column: c, message: message) : FormatError(file: file, message: message)
            })
        return try g.finish(undriven: options.undriven, describe: describer)
    }

    /// Shannon expansion of a truth table over `args` (bit j of the minterm index is args[j]).
    mutating func lut(_ table: [UInt8], _ args: [UInt32]) -> UInt32 {
        if args.isEmpty { return UInt32(table[0]) }
        let half = table.count / 2
        let top = args[args.count - 1]
        let rest = Array(args.dropLast())
        let f0 = lut(Array(table[0..<half]), rest)
        let f1 = lut(Array(table[half...]), rest)
        return g.mux(top, f1, f0)
    }
}
