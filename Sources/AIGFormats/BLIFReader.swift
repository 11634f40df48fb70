import AIG

/// Reads Berkeley BLIF: `.model .inputs .outputs .names .latch .subckt .end`,
/// `\` line continuation and `#` comments. `.names` covers are single-output
/// (`0 1 -` input columns) given as on-set (output column `1`) or off-set
/// (`0`); a `.names` with no rows is constant 0. `.latch in out [type ctrl]
/// [init]` becomes an AIG latch (init 0, 1, or 2/3 = uninitialised).
/// `.subckt` hierarchies are flattened; a `.subckt` of a Yosys internal cell
/// with no `.model` in the file (`$_DFFE_PP_`, `$_SDFF_PN0_`, `$_AND_`, …, what
/// `yosys … synth; write_blif` leaves) is built from the cell (`YosysCell`). The top model is the first one, or
/// `ReadOptions.top`. Timing and attribute directives are ignored.
public enum BLIFReader {
    public static func parse(_ bytes: [UInt8], file: String, options: ReadOptions = ReadOptions()) throws -> AIG {
        try normalizingLoneCarriageReturns(bytes).withUnsafeBufferPointer { buf in
            var r = BLIFParser(buf: buf, file: file)
            try r.parse()
            return try r.build(options)
        }
    }
}

private struct BLIFModel {
    var name: Int32
    var at: Int32
    var netOf: [Int32: Int32] = [:]
    var netNames: [Int32] = []
    var netAt: [Int32] = []
    var inputs: [Int32] = []
    var outputs: [Int32] = []
    var inputAt: [Int32] = []
    /// `.names`: (first input in `pool`, input count, output net, first row in `rows`, row count, at)
    var covers: [(inStart: Int32, inCount: Int32, out: Int32, rowStart: Int32, rowCount: Int32, outValue: UInt8, at: Int32)] = []
    var latches: [(input: Int32, output: Int32, reset: Latch.Reset, at: Int32)] = []
    var subckts: [(model: Int32, pairStart: Int32, pairCount: Int32, at: Int32)] = []
}

private struct BLIFParser {
    let buf: UnsafeBufferPointer<UInt8>
    let file: String
    var i = 0
    var names = NameInterner(capacity: 1024)
    var models: [BLIFModel] = []
    var pool: [Int32] = []          // cover inputs (local nets)
    var rows: [UInt8] = []          // cover rows, inCount chars each ('0', '1', '-' as 0, 1, 2)
    var pairs: [(formal: Int32, actual: Int32, at: Int32)] = []
    var tokens: [(start: Int, end: Int)] = []

    init(buf: UnsafeBufferPointer<UInt8>, file: String) { self.buf = buf; self.file = file }

    func err(_ offset: Int, _ message: String) -> FormatError {
        let (l, c) = lineColumn(buf, offset)
        return FormatError(file: file, line: l, column: c, message: message)
    }

    func text(_ t: (start: Int, end: Int)) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buf[t.start..<t.end]), as: UTF8.self)
    }

    func controlByteError(_ j: Int) -> FormatError {
        err(j, "unexpected \(controlByteDescription(buf[j])): a BLIF file is text")
    }

    /// Whether only blanks follow `from` on its line (a `\` there continues the line), and where the line ends.
    func continuesLine(_ from: Int) -> (Bool, Int) {
        var j = from
        while j < buf.count && (buf[j] == 32 || buf[j] == 9 || buf[j] == 13) { j += 1 }
        return (j >= buf.count || buf[j] == 10, j)
    }

    /// Reads the next logical line's tokens (continuations joined, comments
    /// dropped); false at end. A control byte anywhere, comments included, is
    /// an error.
    mutating func nextLine() throws -> Bool {
        tokens.removeAll(keepingCapacity: true)
        let n = buf.count
        while i < n {
            let c = buf[i]
            if c == 10 {
                i += 1
                if !tokens.isEmpty { return true }
                continue
            }
            if c == 32 || c == 9 || c == 13 { i += 1; continue }
            if isControlByte(c) { throw controlByteError(i) }
            if c == 35 {
                while i < n && buf[i] != 10 {
                    if isControlByte(buf[i]) { throw controlByteError(i) }
                    i += 1
                }
                continue
            }
            if c == 92 {  // backslash: continuation when only blanks follow on the line
                let (continues, j) = continuesLine(i + 1)
                if continues { i = j + 1; continue }
            }
            let s = i
            while i < n && buf[i] > 32 && buf[i] != 35 {
                if buf[i] == 92, continuesLine(i + 1).0 { break }
                i += 1
            }
            if i < n && isControlByte(buf[i]) { throw controlByteError(i) }
            tokens.append((s, i))
        }
        return !tokens.isEmpty
    }

    mutating func intern(_ t: (start: Int, end: Int)) -> Int32 {
        guard let base = buf.baseAddress else { return -1 }
        return names.intern(base + t.start, t.end - t.start)
    }

    mutating func net(_ m: inout BLIFModel, _ t: (start: Int, end: Int)) -> Int32 {
        let id = intern(t)
        if let n = m.netOf[id] { return n }
        let n = Int32(m.netNames.count)
        m.netOf[id] = n; m.netNames.append(id); m.netAt.append(Int32(t.start))
        return n
    }

    mutating func parse() throws {
        var current: BLIFModel? = nil
        var cover = -1  // index of the open .names in current.covers
        func close(_ m: inout BLIFModel?, _ models: inout [BLIFModel]) { if let x = m { models.append(x) }; m = nil }
        while try nextLine() {
            let t0 = tokens[0]
            let first = text(t0)
            if !first.hasPrefix(".") {
                guard cover >= 0, var m = current else {
                    throw err(t0.start, "expected a '.' directive (.model, .inputs, .outputs, .names, .latch, .subckt, .end), found '\(first)'")
                }
                var c = m.covers[cover]
                let k = Int(c.inCount)
                let rowText: [(Int, Int)]
                if k == 0 {
                    guard tokens.count == 1 else { throw err(tokens[1].start, "a constant .names row has only the output value") }
                    rowText = [(t0.start, t0.end)]
                } else {
                    guard tokens.count == 2, tokens[0].end - tokens[0].start == k else {
                        throw err(t0.start, "expected a cover row of \(k) input characters (0, 1, -) and an output value")
                    }
                    rowText = [(tokens[0].start, tokens[0].end), (tokens[1].start, tokens[1].end)]
                }
                if k > 0 {
                    for j in rowText[0].0..<rowText[0].1 {
                        switch buf[j] {
                        case 48: rows.append(0)
                        case 49: rows.append(1)
                        case 45: rows.append(2)
                        default: throw err(j, "expected 0, 1 or - in the cover row")
                        }
                    }
                }
                let o = rowText[rowText.count - 1]
                guard o.1 - o.0 == 1, buf[o.0] == 48 || buf[o.0] == 49 else { throw err(o.0, "expected the output value 0 or 1") }
                let ov = buf[o.0] - 48
                if c.rowCount > 0 && ov != c.outValue {
                    throw err(o.0, "cover mixes on-set and off-set rows: expected output value \(c.outValue)")
                }
                c.outValue = ov
                c.rowCount += 1
                m.covers[cover] = c
                current = m
                continue
            }
            cover = -1
            switch first {
            case ".model":
                close(&current, &models)
                let nameTok = tokens.count > 1 ? tokens[1] : t0
                current = BLIFModel(name: tokens.count > 1 ? intern(nameTok) : intern(t0), at: Int32(t0.start))
            case ".end":
                close(&current, &models)
            case ".inputs", ".outputs", ".names", ".latch", ".subckt", ".gate", ".mlatch":
                if current == nil {
                    // A file without .model: an implicit unnamed model.
                    current = BLIFModel(name: -1, at: Int32(t0.start))
                }
                guard var m = current else { continue }
                switch first {
                case ".inputs":
                    for t in tokens.dropFirst() { m.inputs.append(net(&m, t)); m.inputAt.append(Int32(t.start)) }
                case ".outputs":
                    for t in tokens.dropFirst() { m.outputs.append(net(&m, t)) }
                case ".names":
                    guard tokens.count >= 2 else { throw err(t0.end, "expected .names with at least an output net") }
                    let start = Int32(pool.count)
                    for t in tokens.dropFirst().dropLast() { pool.append(net(&m, t)) }
                    let out = net(&m, tokens[tokens.count - 1])
                    m.covers.append((start, Int32(tokens.count - 2), out, Int32(rows.count), 0, 1, Int32(tokens[tokens.count - 1].start)))
                    cover = m.covers.count - 1
                case ".latch":
                    guard tokens.count >= 3 && tokens.count <= 6 else { throw err(t0.start, "expected .latch INPUT OUTPUT [TYPE CONTROL] [INIT]") }
                    var reset = Latch.Reset.uninitialized
                    if tokens.count == 4 || tokens.count == 6 {
                        let it = tokens[tokens.count - 1]
                        switch text(it) {
                        case "0": reset = .zero
                        case "1": reset = .one
                        case "2", "3": reset = .uninitialized
                        default: throw err(it.start, "expected the latch initial value 0, 1, 2 or 3")
                        }
                    }
                    let input = net(&m, tokens[1]), output = net(&m, tokens[2])
                    m.latches.append((input, output, reset, Int32(tokens[2].start)))
                case ".subckt", ".gate":
                    // `.gate` is a library cell; only Yosys's internal cells
                    // (`write_blif -gates`) are known without a library.
                    guard tokens.count >= 2 else { throw err(t0.end, "expected \(first) MODEL formal=actual ...") }
                    if first == ".gate", !YosysCell.isInternal(text(tokens[1])) {
                        throw err(t0.start, "'.gate \(text(tokens[1]))' (a technology-mapped BLIF construct) is not supported: expected .names covers, .subckt, or Yosys internal cells")
                    }
                    let model = intern(tokens[1])
                    let start = Int32(pairs.count)
                    for t in tokens.dropFirst(2) {
                        var eq = t.start
                        while eq < t.end && buf[eq] != 61 { eq += 1 }
                        guard eq > t.start, eq < t.end - 1 else { throw err(t.start, "expected formal=actual in \(first)") }
                        let formal = intern((t.start, eq))
                        let actual = net(&m, (eq + 1, t.end))
                        pairs.append((formal, actual, Int32(t.start)))
                    }
                    m.subckts.append((model, start, Int32(pairs.count) - start, Int32(t0.start)))
                default:
                    throw err(t0.start, "'\(first)' (a technology-mapped BLIF construct) is not supported: expected .names covers")
                }
                current = m
            case ".exdc":
                throw err(t0.start, "'.exdc' (external don't cares) is not supported")
            case ".search":
                throw err(t0.start, "'.search' is not supported: put all models in one file")
            case ".default_input_arrival", ".default_output_required", ".default_input_drive", ".default_output_load",
                 ".default_max_input_load", ".input_arrival", ".output_required", ".input_drive", ".output_load",
                 ".max_input_load", ".wire_load_slope", ".wire", ".area", ".delay", ".cname", ".attr", ".param",
                 ".clock", ".clock_event", ".conn", ".barbuf", ".blackbox", ".start_kiss", ".end_kiss", ".flop", ".cycle":
                if first == ".blackbox" { throw err(t0.start, "'.blackbox' models are not supported") }
                if first == ".start_kiss" { throw err(t0.start, "FSM (.start_kiss) descriptions are not supported") }
                continue
            default:
                throw err(t0.start, "unknown BLIF directive '\(first)'")
            }
        }
        // A model the file ends inside is a truncated file, not a smaller circuit.
        if let m = current {
            throw err(buf.count, "model '\(names.name(m.name))' has no '.end': the file ends inside it (truncated?)")
        }
        if models.isEmpty { throw FormatError(file: file, line: 1, column: 1, message: "no .model found: expected a BLIF netlist") }
    }

    // MARK: flattening

    var g = NetGraph()
    var instances: [(base: Int, model: Int, path: String)] = []
    var onPath: [Int] = []

    mutating func build(_ options: ReadOptions) throws -> AIG {
        var byName: [Int32: Int] = [:]
        for (k, m) in models.enumerated() {
            if byName[m.name] != nil { throw err(Int(m.at), "model '\(names.name(m.name))' is defined twice") }
            byName[m.name] = k
        }
        var top = 0
        if let t = options.top {
            let nm = self.names
            guard let k = models.firstIndex(where: { nm.name($0.name) == t }) else {
                throw FormatError(file: file, message: "top model '\(t)' not found; models: \(models.map { nm.name($0.name) }.joined(separator: ", "))")
            }
            top = k
        }
        let m = models[top]
        if m.inputs.isEmpty && m.outputs.isEmpty && m.latches.isEmpty && m.subckts.isEmpty {
            throw err(Int(m.at), "empty netlist: model '\(names.name(m.name))' has no .inputs, .outputs, .latch or .subckt")
        }
        let base = g.addBits(m.netNames.count)
        instances.append((base, top, ""))
        for (k, n) in m.inputs.enumerated() {
            if g.addInput(bit: base + Int(n), name: names.name(m.netNames[Int(n)])) != nil {
                throw err(Int(m.inputAt[k]), "input '\(names.name(m.netNames[Int(n)]))' is listed twice")
            }
        }
        try instantiate(top, base: base, path: "", byName: byName)
        for n in m.outputs {
            g.outputs.append((g.ref(base + Int(n), at: m.netAt[Int(n)]), names.name(m.netNames[Int(n)])))
        }
        let names = self.names, models = self.models, instances = self.instances
        let buf = self.buf, file = self.file
        let describer = NetGraph.Describer(
            name: { bit in
                var lo = 0, hi = instances.count - 1
                while lo < hi { let mid = (lo + hi + 1) / 2; if instances[mid].base <= bit { lo = mid } else { hi = mid - 1 } }
                let inst = instances[lo]
                let local = bit - inst.base
                let nm = names.name(models[inst.model].netNames[local])
                return inst.path.isEmpty ? nm : inst.path + "." + nm
            },
            error: { handle, message in
                let (l, c) = lineColumn(buf, Int(handle))
                return handle >= 0 ? FormatError(file: file, line: l, column: c, message: message) : FormatError(file: file, message: message)
            })
        var graph = g
        g = NetGraph()
        return try graph.finish(undriven: options.undriven, describe: describer)
    }

    mutating func drive(_ bit: Int, _ lit: UInt32, at: Int32, _ nameID: Int32) throws {
        if let prev = g.drive(bit, lit, at: at) {
            let netName = names.name(nameID)
            if prev == -2 { throw err(Int(at), "net '\(netName)' is a primary input and cannot be driven") }
            throw err(Int(at), "net '\(netName)' is driven more than once (first driver at line \(lineColumn(buf, Int(prev)).line))")
        }
    }

    /// A `.subckt` of one of Yosys's internal cells (no `.model` for it in the file).
    mutating func instantiateYosysCell(_ cell: YosysCell, _ cellName: String, _ s: (model: Int32, pairStart: Int32, pairCount: Int32, at: Int32),
                                       _ m: BLIFModel, base: Int, path: String) throws {
        var pins: [String: (bit: Int, at: Int32, name: Int32)] = [:]
        for pi in Int(s.pairStart)..<Int(s.pairStart + s.pairCount) {
            let pr = pairs[pi]
            let formal = names.name(pr.formal)
            if pins[formal] != nil { throw err(Int(pr.at), "pin '\(formal)' of '\(cellName)' is connected twice") }
            pins[formal] = (base + Int(pr.actual), pr.at, m.netNames[Int(pr.actual)])
        }
        func input(_ pin: String) throws -> UInt32 {
            guard let p = pins[pin] else { throw err(Int(s.at), "'\(cellName)' needs its pin '\(pin)' connected") }
            return g.ref(p.bit, at: p.at)
        }
        func output(_ pin: String) throws -> (bit: Int, at: Int32, name: Int32) {
            guard let p = pins[pin] else { throw err(Int(s.at), "'\(cellName)' needs its output pin '\(pin)' connected") }
            return p
        }
        switch cell {
        case .unsupported(let why):
            throw err(Int(s.at), why)
        case .gate(let gate):
            let (ins, out) = YosysCell.pins(gate)
            let known = Set(ins + [out])
            if let extra = pins.keys.sorted().first(where: { !known.contains($0) }) {
                throw err(Int(s.at), "'\(cellName)' has no pin '\(extra)' (its pins: \((ins + [out]).joined(separator: ", ")))")
            }
            let x = try ins.map(input)
            let y = try output(out)
            try drive(y.bit, YosysCell.evaluate(gate, x, &g), at: y.at, y.name)
        case .flipFlop(let enable, let reset, let resetValue, let enableOverReset):
            var known: Set<String> = ["C", "D", "Q"]
            if enable != nil { known.insert("E") }
            if reset != nil { known.insert("R") }
            if let extra = pins.keys.sorted().first(where: { !known.contains($0) }) {
                throw err(Int(s.at), "'\(cellName)' has no pin '\(extra)' (its pins: \(known.sorted().joined(separator: ", ")))")
            }
            let q = try output("Q")
            let current = g.ref(q.bit, at: q.at)
            var next = try input("D")
            let value: UInt32 = resetValue ? 1 : 0
            let resetActive = try reset.map { try input("R") ^ ($0 ? 0 : 1) }
            let enableActive = try enable.map { try input("E") ^ ($0 ? 0 : 1) }
            if enableOverReset {
                // $_SDFFCE_: the reset acts only while enabled.
                if let r = resetActive { next = g.mux(r, value, next) }
                if let e = enableActive { next = g.mux(e, next, current) }
            } else {
                if let e = enableActive { next = g.mux(e, next, current) }
                if let r = resetActive { next = g.mux(r, value, next) }
            }
            let name = (path.isEmpty ? "" : path + ".") + names.name(q.name)
            if g.addLatch(bit: q.bit, next: next, reset: .zero, name: name, at: q.at) != nil {
                throw err(Int(q.at), "net '\(name)' is driven more than once")
            }
        }
    }

    mutating func instantiate(_ mi: Int, base: Int, path: String, byName: [Int32: Int]) throws {
        let m = models[mi]
        if onPath.contains(mi) { throw err(Int(m.at), "model '\(names.name(m.name))' instantiates itself (recursive .subckt)") }
        onPath.append(mi)
        defer { onPath.removeLast() }
        var terms: [UInt32] = []
        var lits: [UInt32] = []
        for c in m.covers {
            lits.removeAll(keepingCapacity: true)
            for k in 0..<Int(c.inCount) { lits.append(g.ref(base + Int(pool[Int(c.inStart) + k]), at: c.at)) }
            terms.removeAll(keepingCapacity: true)
            let k = Int(c.inCount)
            for r in 0..<Int(c.rowCount) {
                var cube: UInt32 = 1
                let rs = Int(c.rowStart) + r * k
                for j in 0..<k {
                    let v = rows[rs + j]
                    if v == 2 { continue }
                    cube = g.and(cube, v == 1 ? lits[j] : lits[j] ^ 1)
                }
                terms.append(cube)
            }
            var f = g.reduce(&terms, identity: 0) { $0.or($1, $2) }
            if c.rowCount > 0 && c.outValue == 0 { f ^= 1 }
            try drive(base + Int(c.out), f, at: c.at, m.netNames[Int(c.out)])
        }
        for l in m.latches {
            let name = (path.isEmpty ? "" : path + ".") + names.name(m.netNames[Int(l.output)])
            if let prev = g.addLatch(bit: base + Int(l.output), next: g.ref(base + Int(l.input), at: l.at), reset: l.reset, name: name, at: l.at) {
                _ = prev
                throw err(Int(l.at), "net '\(name)' is driven more than once")
            }
        }
        for (si, s) in m.subckts.enumerated() {
            guard let sub = byName[s.model] else {
                let cellName = names.name(s.model)
                guard let cell = YosysCell.parse(cellName) else { throw err(Int(s.at), "unknown model '\(cellName)' in .subckt") }
                try instantiateYosysCell(cell, cellName, s, m, base: base, path: path)
                continue
            }
            let sm = models[sub]
            let subBase = g.addBits(sm.netNames.count)
            let subPath = (path.isEmpty ? "" : path + ".") + names.name(s.model) + "_\(si)"
            instances.append((subBase, sub, subPath))
            for pi in Int(s.pairStart)..<Int(s.pairStart + s.pairCount) {
                let pr = pairs[pi]
                guard let formal = sm.netOf[pr.formal] else {
                    throw err(Int(pr.at), "model '\(names.name(sm.name))' has no port '\(names.name(pr.formal))'")
                }
                let parentBit = base + Int(pr.actual), subBit = subBase + Int(formal)
                if sm.inputs.contains(formal) {
                    let l = g.ref(parentBit, at: pr.at)
                    try drive(subBit, l, at: pr.at, pr.formal)
                } else if sm.outputs.contains(formal) {
                    let l = g.ref(subBit, at: pr.at)
                    try drive(parentBit, l, at: pr.at, m.netNames[Int(pr.actual)])
                } else {
                    throw err(Int(pr.at), "'\(names.name(pr.formal))' is not an input or output of model '\(names.name(sm.name))'")
                }
            }
            try instantiate(sub, base: subBase, path: subPath, byName: byName)
        }
    }
}
