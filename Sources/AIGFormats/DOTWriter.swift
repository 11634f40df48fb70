import AIG

/// Writes an AIG as a Graphviz DOT picture (`dot -Tpng x.dot -o x.png`).
///
/// What is drawn:
///
/// - inputs: named `invtriangle`s in one rank at the top (`rank=same`), with
///   the latches' current states (named double-bordered boxes: they are sources
///   of the combinational logic) and the constant (a rounded `const 0` box,
///   drawn only when an edge uses it);
/// - AND nodes: ellipses labelled with their AIG variable;
/// - outputs: named boxes in one rank at the bottom, with the latches' next
///   states (dashed-bordered boxes `name (next)`) and the AIGER 1.9 `bad` and
///   `constraint` properties;
/// - edges run from a fanin to the node it feeds; a **dashed** edge is
///   complemented (inverted). A DOT comment and (by default) the graph label say so.
///
/// Node ids are stable: `n<variable>` for the constant (`n0`), inputs, latch
/// current states and ANDs; `o<k>` outputs, `x<k>` latch next states, `b<k>`
/// bad properties, `c<k>` constraints. Names are escaped for DOT (quotes,
/// backslashes, control characters shown as `\xHH`, `&` kept literal), and the
/// output depends only on the AIG and the options.
///
/// Counterexample pictures are one call. With `values` from
/// `DOTWriter.values(of:pattern:)` (the circuit evaluated on one input vector,
/// no Simulation module needed):
///
///     let values = try DOTWriter.values(of: aig, pattern: cex.inputsA)
///     let dot = try DOTWriter.write(aig, DOTWriter.Options(
///         cone: [k], values: values, highlight: [k], title: "\(name): output \(k) differs"))
///     try CircuitIO.writeBytesAtomically(dot, to: path)   // or DOTWriter.write(aig, options, to: path)
///
/// draws only the fan-in of output `k`, every node labelled `= 0` / `= 1` and
/// filled blue-ish (0) or red-ish (1), edges coloured by the value they carry,
/// and output `k` drawn bold red.
public enum DOTWriter {
    public struct Options: Sendable, Equatable {
        /// Output indices whose transitive fan-in alone is drawn (stopping at
        /// inputs and latch current states); nil draws the whole circuit,
        /// including latch next states and bad/constraint properties.
        public var cone: Set<Int>?
        /// Per-variable values (index = AIG variable, at least `maxVariable + 1`
        /// entries, index 0 the constant false), e.g. from `values(of:pattern:)`.
        public var values: [Bool]?
        /// Output indices drawn emphasised (bold red border), e.g. the differing outputs.
        public var highlight: Set<Int>
        /// A title shown at the top of the picture (line breaks allowed).
        public var title: String?
        /// Adds a legend line ("dashed edge = complemented ...") to the graph label.
        public var legend: Bool

        public init(cone: Set<Int>? = nil, values: [Bool]? = nil, highlight: Set<Int> = [],
                    title: String? = nil, legend: Bool = true) {
            self.cone = cone; self.values = values; self.highlight = highlight
            self.title = title; self.legend = legend
        }
    }

    /// A rendered picture and what it holds.
    public struct Picture: Sendable {
        public var bytes: [UInt8]
        /// Nodes drawn (constant, inputs, latches, ANDs, outputs, next states, properties).
        public var nodeCount: Int
        /// Edges drawn, and how many of them are complemented (dashed).
        public var edgeCount: Int
        public var complementedEdgeCount: Int
    }

    /// The DOT text of `aig`. Throws when an option does not fit the circuit
    /// (an output index out of range, too few values).
    public static func write(_ aig: AIG, _ options: Options = Options()) throws -> [UInt8] {
        try picture(aig, options).bytes
    }

    /// Writes the DOT text atomically to `path` (`-` is standard output).
    public static func write(_ aig: AIG, _ options: Options = Options(), to path: String) throws {
        try CircuitIO.writeBytesAtomically(write(aig, options), to: path)
    }

    /// Per-variable values of `aig` for one input vector: `pattern` holds the
    /// inputs, then optionally the latches' current states (without them a latch
    /// holds its reset value, an uninitialised one 0). The AIG is evaluated in
    /// topological order; the result has `maxVariable + 1` entries, `[0]` false.
    public static func values(of aig: AIG, pattern: [Bool]) throws -> [Bool] {
        let n = aig.inputCount, l = aig.latchCount
        guard pattern.count == n || pattern.count == n + l else {
            throw FormatError(file: "<values>", message: "expected \(n) input values\(l > 0 ? " or \(n + l) (inputs then latch states)" : ""), got \(pattern.count)")
        }
        var v = [Bool](repeating: false, count: aig.maxVariable + 1)
        for i in 0..<n { v[i + 1] = pattern[i] }
        for j in 0..<l {
            v[aig.firstLatchVariable + j] = pattern.count == n + l ? pattern[n + j] : aig.latches[j].reset == .one
        }
        @inline(__always) func lit(_ x: Literal) -> Bool { v[Int(x.variable)] != x.isComplemented }
        let first = aig.firstAndVariable
        for (k, a) in aig.ands.enumerated() { v[first + k] = lit(a.left) && lit(a.right) }
        return v
    }

    /// The picture with its counts (the CLI warns about huge ones).
    public static func picture(_ aig: AIG, _ options: Options = Options()) throws -> Picture {
        if let bad = aig.invariantViolation() { throw FormatError(file: "<output>", message: "cannot draw the circuit: \(bad)") }
        let maxVar = aig.maxVariable
        if let cone = options.cone, let k = cone.first(where: { $0 < 0 || $0 >= aig.outputCount }) {
            throw FormatError(file: "<output>", message: "cone output index \(k) is out of range: the circuit has \(aig.outputCount) outputs")
        }
        if let k = options.highlight.first(where: { $0 < 0 || $0 >= aig.outputCount }) {
            throw FormatError(file: "<output>", message: "highlighted output index \(k) is out of range: the circuit has \(aig.outputCount) outputs")
        }
        if let values = options.values, values.count < maxVar + 1 {
            throw FormatError(file: "<output>", message: "expected \(maxVar + 1) per-variable values (variables 0...\(maxVar)), got \(values.count)")
        }

        // What is drawn.
        let outputs: [Int]
        let full = options.cone == nil
        var drawn: [Bool]
        if let cone = options.cone {
            outputs = cone.sorted()
            drawn = [Bool](repeating: false, count: maxVar + 1)
            for k in outputs { drawn[Int(aig.outputs[k].variable)] = true }
            let first = aig.firstAndVariable
            for k in stride(from: aig.andCount - 1, through: 0, by: -1) where drawn[first + k] {
                drawn[Int(aig.ands[k].left.variable)] = true
                drawn[Int(aig.ands[k].right.variable)] = true
            }
        } else {
            outputs = Array(0..<aig.outputCount)
            drawn = [Bool](repeating: true, count: maxVar + 1)
            drawn[0] = false
            let sinks = aig.outputs + aig.latches.map(\.next) + aig.bad + aig.constraints
            if sinks.contains(where: { $0.variable == 0 })
                || aig.ands.contains(where: { $0.left.variable == 0 || $0.right.variable == 0 }) {
                drawn[0] = true
            }
        }

        let values = options.values
        var out: [UInt8] = []
        out.reserveCapacity(256 + 40 * (aig.andCount * 3 + aig.inputCount + aig.outputCount))
        func emit(_ s: String) { out.append(contentsOf: s.utf8) }
        var nodes = 0, edges = 0, dashed = 0

        func valueOf(_ l: Literal) -> Bool? { values.map { $0[Int(l.variable)] != l.isComplemented } }
        func label(_ text: String, _ value: Bool?) -> String {
            quoted(value.map { text + " = " + ($0 ? "1" : "0") } ?? text)
        }
        /// One node statement; `styles` are combined with the value's fill.
        func node(_ id: String, _ text: String, shape: String, styles: [String] = [], value: Bool? = nil,
                  extra: String = "", indent: String = "    ") {
            var attrs = "label=\(label(text, value)), shape=\(shape)"
            var style = styles
            if let value {
                style.append("filled")
                attrs += ", fillcolor=\"\(value ? oneFill : zeroFill)\""
            }
            if !style.isEmpty { attrs += ", style=\"\(style.joined(separator: ","))\"" }
            emit("\(indent)\(id) [\(attrs)\(extra)];\n")
            nodes += 1
        }
        func edge(_ from: Literal, _ to: String) {
            var attrs: [String] = []
            if from.isComplemented { attrs.append("style=dashed"); dashed += 1 }
            if let v = valueOf(from) { attrs.append("color=\"\(v ? oneEdge : zeroEdge)\"") }
            emit("  n\(from.variable) -> \(to)\(attrs.isEmpty ? "" : " [\(attrs.joined(separator: ", "))]");\n")
            edges += 1
        }
        func name(_ n: String?, _ fallback: String) -> String { n ?? fallback }

        emit("// Miter AIG picture (Graphviz DOT); render with: dot -Tpng FILE -o FILE.png\n")
        emit("// Edges run from a fanin to the node it feeds; a DASHED edge is complemented (inverted).\n")
        emit("// Top: inputs (triangles), latch current states (double boxes), constant; ellipses: ANDs\n")
        emit("// (label: AIG variable); bottom: outputs (boxes), latch next states (dashed boxes).\n")
        emit("// Node ids: n<variable>, o<output>, x<latch> (next state), b<bad>, c<constraint>.\n")
        if values != nil { emit("// Values: '= 1' nodes are red, '= 0' blue; an edge's colour is the value it carries.\n") }
        if !full { emit("// Cone of output\(outputs.count == 1 ? "" : "s") \(outputs.map(String.init).joined(separator: ", ")) only.\n") }
        if full && (!aig.justice.isEmpty || !aig.fairness.isEmpty) {
            emit("// Not drawn: \(aig.justice.count) justice and \(aig.fairness.count) fairness properties.\n")
        }
        emit("digraph aig {\n")
        var graphLabel: [String] = []
        if let t = options.title { graphLabel.append(t) }
        if options.legend {
            graphLabel.append("dashed edge = complemented (inverted)" + (values == nil ? "" : "; red = 1, blue = 0"))
        }
        emit("  graph [rankdir=TB, ranksep=0.35, nodesep=0.25, fontname=\"Helvetica\", fontsize=12")
        if !graphLabel.isEmpty { emit(", labelloc=t, label=\(quoted(graphLabel.joined(separator: "\n"), lineBreaks: true))") }
        emit("];\n")
        emit("  node [fontname=\"Helvetica\", fontsize=11, height=0.3, margin=\"0.06,0.03\"];\n")
        emit("  edge [arrowsize=0.6];\n")

        // Sources, one rank at the top.
        emit("  { rank=same;\n")
        if drawn[0] { node("n0", "const 0", shape: "box", styles: ["rounded"], value: values.map { _ in false }) }
        for i in 0..<aig.inputCount where drawn[i + 1] {
            node("n\(i + 1)", name(aig.inputNames[i], "i\(i)"), shape: "invtriangle", value: values?[i + 1])
        }
        for j in 0..<aig.latchCount where drawn[aig.firstLatchVariable + j] {
            let v = aig.firstLatchVariable + j
            node("n\(v)", name(aig.latchNames[j], "l\(j)"), shape: "box", value: values?[v], extra: ", peripheries=2")
        }
        emit("  }\n")

        // AND nodes and their fanin edges.
        let first = aig.firstAndVariable
        for (k, a) in aig.ands.enumerated() where drawn[first + k] {
            let v = first + k
            node("n\(v)", String(v), shape: "ellipse", value: values?[v], indent: "  ")
            let id = "n\(v)"
            edge(a.left, id); edge(a.right, id)
        }

        // Sinks, one rank at the bottom.
        emit("  { rank=same;\n")
        for k in outputs {
            let hi = options.highlight.contains(k)
            node("o\(k)", name(aig.outputNames[k], "o\(k)"), shape: "box", styles: hi ? ["bold"] : [],
                 value: valueOf(aig.outputs[k]), extra: hi ? ", color=\"\(highlightColor)\", penwidth=3" : "")
        }
        if full {
            for (j, l) in aig.latches.enumerated() {
                node("x\(j)", name(aig.latchNames[j], "l\(j)") + " (next)", shape: "box", styles: ["dashed"], value: valueOf(l.next))
            }
            for (j, l) in aig.bad.enumerated() {
                node("b\(j)", "bad " + name(aig.badNames[j], String(j)), shape: "octagon", value: valueOf(l))
            }
            for (j, l) in aig.constraints.enumerated() {
                node("c\(j)", "constraint " + name(aig.constraintNames[j], String(j)), shape: "hexagon", value: valueOf(l))
            }
        }
        emit("  }\n")
        for k in outputs { edge(aig.outputs[k], "o\(k)") }
        if full {
            for (j, l) in aig.latches.enumerated() { edge(l.next, "x\(j)") }
            for (j, l) in aig.bad.enumerated() { edge(l, "b\(j)") }
            for (j, l) in aig.constraints.enumerated() { edge(l, "c\(j)") }
        }
        emit("}\n")
        return Picture(bytes: out, nodeCount: nodes, edgeCount: edges, complementedEdgeCount: dashed)
    }

    private static let oneFill = "#f4b4b4", zeroFill = "#b4ccf4"
    private static let oneEdge = "#c03030", zeroEdge = "#3060c0"
    private static let highlightColor = "#d00000"

    /// A DOT double-quoted string. Backslashes and quotes are escaped; control
    /// characters are shown as `\xHH` (line breaks too unless `lineBreaks`);
    /// `&` becomes `&amp;` so Graphviz does not read a name like `a&lt;b` as an entity.
    public static func quoted(_ s: String, lineBreaks: Bool = false) -> String {
        var r = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": r += "\\\""
            case "\\": r += "\\\\"
            case "&": r += "&amp;"
            case "\n" where lineBreaks: r += "\\n"
            case _ where u.value < 0x20 || (0x7F...0x9F).contains(u.value):
                let hex = String(u.value, radix: 16, uppercase: true)
                r += "\\\\x" + (hex.count < 2 ? "0" : "") + hex
            default: r.unicodeScalars.append(u)
            }
        }
        return r + "\""
    }
}
