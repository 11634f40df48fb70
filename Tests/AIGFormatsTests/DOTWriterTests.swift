import AIG
import AIGFormats
import Foundation
import Testing
import TestSupport

/// Graphviz's own reading of a DOT text (`dot -Tplain` and `-Tsvg`).
private struct Rendered {
    struct Node { var label: String; var style: String; var shape: String; var fill: String }
    struct Edge { var tail: String; var head: String; var style: String; var color: String }
    var nodes: [String: Node] = [:]
    var edges: [Edge] = []
    /// The texts drawn in the SVG picture, XML entities decoded.
    var texts: [String] = []

    /// `dot` on PATH (or /usr/bin/dot), or nil with a printed reason.
    static func graphviz(_ test: String = #function) -> String? {
        if let p = TestSupport.which("dot") { return p }
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/dot") { return "/usr/bin/dot" }
        print("SKIP \(test): Graphviz 'dot' is not installed")
        return nil
    }

    /// Lays the DOT text out; Graphviz must accept it without a word on stderr.
    init(_ dot: String, _ bytes: [UInt8]) throws {
        let plain = try TestSupport.run(dot, ["-Tplain"], stdin: bytes)
        #expect(plain.status == 0 && plain.stderr.isEmpty, "dot -Tplain: \(plain.stderr)")
        for line in plain.stdout.split(separator: "\n") {
            let t = Rendered.tokens(String(line))
            if t.first == "node", t.count >= 11 {
                nodes[t[1]] = Node(label: t[6], style: t[7], shape: t[8], fill: t[10])
            } else if t.first == "edge", t.count >= 4, let n = Int(t[3]) {
                let rest = Array(t[(4 + 2 * n)...])   // [label xl yl] style color
                edges.append(Edge(tail: t[1], head: t[2], style: rest[rest.count - 2], color: rest[rest.count - 1]))
            }
        }
        let svg = try TestSupport.run(dot, ["-Tsvg"], stdin: bytes)
        #expect(svg.status == 0 && svg.stderr.isEmpty, "dot -Tsvg: \(svg.stderr)")
        var rest = Substring(svg.stdout)
        while let open = rest.range(of: "<text"), let gt = rest[open.upperBound...].firstIndex(of: ">"),
              let close = rest[gt...].range(of: "</text>") {
            texts.append(Rendered.unescapeXML(String(rest[rest.index(after: gt)..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
    }

    /// Splits a `-Tplain` line; quoted fields keep their text with `\"` and `\\` undone.
    static func tokens(_ line: String) -> [String] {
        var out: [String] = [], cur = "", inQuotes = false, escaped = false, quotedToken = false
        for c in line {
            if inQuotes {
                if escaped { cur.append(c); escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inQuotes = false } else { cur.append(c) }
            } else if c == "\"" { inQuotes = true; quotedToken = true } else if c == " " {
                if !cur.isEmpty || quotedToken { out.append(cur) }
                cur = ""; quotedToken = false
            } else { cur.append(c) }
        }
        if !cur.isEmpty || quotedToken { out.append(cur) }
        return out
    }

    static func unescapeXML(_ s: String) -> String {
        var s = s
        while let r = s.range(of: #"&#[0-9]+;"#, options: .regularExpression),
              let code = UInt32(s[r].dropFirst(2).dropLast()), let u = Unicode.Scalar(code) {
            s.replaceSubrange(r, with: String(Character(u)))
        }
        return s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    var dashedEdges: Int { edges.filter { $0.style == "dashed" }.count }
}

private let c17Path = TestSupport.repoFile("Circuits/c17.bench").path

/// A circuit with everything DOT draws: named and unnamed inputs, a latch, a
/// constant output, bad and constraint properties, complemented edges.
private func sequentialSample() -> AIG {
    var b = AIGBuilder()
    let a = b.addInput(name: "a"), c = b.addInput()
    let q = b.addLatch(reset: .one, name: "q")
    let x = b.and(a, !c)
    let y = b.and(!x, q)
    b.setLatch(0, next: !y)
    b.addOutput(y, name: "y")
    b.addOutput(.true, name: "one")
    var aig = b.finish()
    aig.bad = [x]; aig.badNames = ["bx"]
    aig.constraints = [!a]; aig.constraintNames = [nil]
    return aig
}

/// Edges an AIG drawn whole has, and how many are complemented.
private func expectedEdges(_ aig: AIG) -> (all: Int, complemented: Int) {
    let lits = aig.ands.flatMap { [$0.left, $0.right] } + aig.outputs + aig.latches.map(\.next) + aig.bad + aig.constraints
    return (lits.count, lits.filter(\.isComplemented).count)
}

@Suite struct DOTWriterTests {
    @Test func c17ParsesAndCountsMatch() throws {
        let aig = try CircuitIO.read(path: c17Path)
        let p = try DOTWriter.picture(aig)
        let (all, complemented) = expectedEdges(aig)
        #expect(p.nodeCount == 5 + 6 + 2 && p.edgeCount == all && p.complementedEdgeCount == complemented)
        let text = String(decoding: p.bytes, as: UTF8.self)
        #expect(text.contains("dashed edge = complemented"))
        #expect(text.components(separatedBy: "->").count - 1 == all)
        #expect(!text.contains("n0 "), "the constant is drawn only when used")
        // The same text through CircuitIO, and deterministic.
        #expect(try CircuitIO.serialize(aig, format: .dot) == p.bytes)
        #expect(try DOTWriter.write(aig) == p.bytes)
        guard let dot = Rendered.graphviz() else { return }
        let r = try Rendered(dot, p.bytes)
        #expect(Set(r.nodes.keys) == Set((1...11).map { "n\($0)" } + ["o0", "o1"]))
        #expect(r.edges.count == all && r.dashedEdges == complemented)
        #expect(r.nodes["n1"]?.label == "N1" && r.nodes["n1"]?.shape == "invtriangle")
        #expect(r.nodes["o1"]?.label == "N23" && r.nodes["o1"]?.shape == "box")
        // Every edge goes from a fanin to its node, dashed exactly when complemented.
        for (k, a) in aig.ands.enumerated() {
            let v = aig.firstAndVariable + k
            for l in [a.left, a.right] {
                #expect(r.edges.contains { $0.tail == "n\(l.variable)" && $0.head == "n\(v)" && ($0.style == "dashed") == l.isComplemented })
            }
        }
    }

    @Test func latchesConstantsAndProperties() throws {
        let aig = sequentialSample()
        let p = try DOTWriter.picture(aig)
        let (all, complemented) = expectedEdges(aig)
        // const, 2 inputs, 1 latch, 2 ANDs, 2 outputs, 1 next state, 1 bad, 1 constraint
        #expect(p.nodeCount == 11 && p.edgeCount == all && p.complementedEdgeCount == complemented)
        guard let dot = Rendered.graphviz() else { return }
        let r = try Rendered(dot, p.bytes)
        #expect(r.nodes.count == 11 && r.edges.count == all && r.dashedEdges == complemented)
        #expect(r.nodes["n0"]?.label == "const 0")
        #expect(r.nodes["n2"]?.label == "i1", "unnamed input")
        #expect(r.nodes["n3"]?.label == "q" && r.nodes["n3"]?.shape == "box")
        #expect(r.nodes["x0"]?.label == "q (next)" && r.nodes["x0"]?.style == "dashed")
        #expect(r.nodes["b0"]?.label == "bad bx" && r.nodes["c0"]?.label == "constraint 0")
        // The constant output `one` is a complemented edge from the constant.
        #expect(r.edges.contains { $0.tail == "n0" && $0.head == "o1" && $0.style == "dashed" })
        #expect(r.edges.contains { $0.tail == "n5" && $0.head == "x0" && $0.style == "dashed" })
    }

    @Test func coneDrawsOnlyTheFanin() throws {
        let aig = try CircuitIO.read(path: c17Path)
        // N22 = NAND(N10, N16): N1, N2, N3, N6 and ANDs 6 (N10), 7 (N11), 8 (N16), 9; not N7, 10, 11.
        let p = try DOTWriter.picture(aig, DOTWriter.Options(cone: [0]))
        #expect(p.nodeCount == 4 + 4 + 1 && p.edgeCount == 4 * 2 + 1)
        let text = String(decoding: p.bytes, as: UTF8.self)
        #expect(!text.contains("\"N7\"") && !text.contains("o1") && !text.contains("n10") && !text.contains("n11"))
        #expect(try DOTWriter.picture(aig, DOTWriter.Options(cone: [0, 1])).nodeCount == 13)
        #expect(try DOTWriter.picture(aig, DOTWriter.Options(cone: [])).nodeCount == 0)
        // A cone stops at latches: no next states, no properties.
        let s = try DOTWriter.picture(sequentialSample(), DOTWriter.Options(cone: [0]))
        let st = String(decoding: s.bytes, as: UTF8.self)
        #expect(s.nodeCount == 2 + 1 + 2 + 1 && !st.contains("x0") && !st.contains("b0") && !st.contains("n0 "))
        #expect(throws: FormatError.self) { try DOTWriter.write(aig, DOTWriter.Options(cone: [2])) }
        #expect(throws: FormatError.self) { try DOTWriter.write(aig, DOTWriter.Options(highlight: [-1])) }
        guard let dot = Rendered.graphviz() else { return }
        let r = try Rendered(dot, p.bytes)
        #expect(Set(r.nodes.keys) == Set(["n1", "n2", "n3", "n4", "n6", "n7", "n8", "n9", "o0"]))
        #expect(r.edges.count == 9)
    }

    @Test func oddNamesAreEscaped() throws {
        let names = ["q\"uote", "back\\slash", "two\nlines", "ctl\u{1}x\u{7F}", "a&lt;b & c", "ünï cödé ✓", "\\N", "{x} [y] -> z;"]
        var b = AIGBuilder()
        let ins = names.map { b.addInput(name: $0) }
        b.addOutput(b.and(ins), name: "out \"\\\"")
        let aig = b.finish()
        let bytes = try DOTWriter.write(aig, DOTWriter.Options(title: "title \"x\"\nsecond line"))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#"label="q\"uote""#) && text.contains(#"label="back\\slash""#))
        #expect(text.contains(#"label="two\\x0Alines""#) && text.contains(#"label="ctl\\x01x\\x7F""#))
        #expect(text.contains(#"label="a&amp;lt;b &amp; c""#))
        guard let dot = Rendered.graphviz() else { return }
        let r = try Rendered(dot, bytes)
        #expect(r.nodes.count == names.count + (names.count - 1) + 1)
        // What Graphviz draws is the name itself (control characters as \xHH).
        let shown = ["q\"uote", "back\\slash", "two\\x0Alines", "ctl\\x01x\\x7F", "a&lt;b & c", "ünï cödé ✓", "\\N", "{x} [y] -> z;", "out \"\\\""]
        for s in shown { #expect(r.texts.contains(s), "\(s) not drawn; texts: \(r.texts)") }
        #expect(r.texts.contains("title \"x\"") && r.texts.contains("second line"))
    }

    @Test func valuesAreEvaluatedAndShown() throws {
        let aig = try CircuitIO.read(path: c17Path)
        for m in 0..<32 {
            let pattern = (0..<5).map { m >> $0 & 1 != 0 }
            let v = try DOTWriter.values(of: aig, pattern: pattern)
            #expect(v.count == aig.maxVariable + 1 && v[0] == false)
            let (n1, n2, n3, n6, n7) = (pattern[0], pattern[1], pattern[2], pattern[3], pattern[4])
            let n10 = !(n1 && n3), n11 = !(n3 && n6), n16 = !(n2 && n11), n19 = !(n11 && n7)
            let outs = aig.outputs.map { v[Int($0.variable)] != $0.isComplemented }
            #expect(outs == [!(n10 && n16), !(n16 && n19)], "pattern \(m)")
        }
        // N1 = N2 = N3 = 1, N6 = N7 = 0: N10 = 0, N11 = 1, N16 = 0, N19 = 1, N22 = 1, N23 = 1.
        let values = try DOTWriter.values(of: aig, pattern: [true, true, true, false, false])
        let p = try DOTWriter.picture(aig, DOTWriter.Options(cone: [1], values: values, highlight: [1], title: "N23 differs"))
        let text = String(decoding: p.bytes, as: UTF8.self)
        #expect(text.contains("red = 1, blue = 0"))
        #expect(text.contains(##"o1 [label="N23 = 1", shape=box, fillcolor="#f4b4b4", style="bold,filled", color="#d00000", penwidth=3]"##), "\(text)")
        guard let dot = Rendered.graphviz() else { return }
        let r = try Rendered(dot, p.bytes)
        #expect(r.nodes["n2"]?.label == "N2 = 1" && r.nodes["n2"]?.fill == "#f4b4b4")
        #expect(r.nodes["n1"] == nil, "N1 is outside N23's cone")
        #expect(r.nodes["n4"]?.label == "N6 = 0" && r.nodes["n4"]?.fill == "#b4ccf4")
        #expect(r.nodes["n8"]?.label == "8 = 1", "N16 = NAND(N2, N11) = 0 is AND 8 = 1, complemented")
        #expect(r.edges.contains { $0.tail == "n8" && $0.head == "n11" && $0.style == "dashed" && $0.color == "#3060c0" })
        #expect(r.texts.contains("N23 differs"))
    }

    @Test func badOptionsAndPatternsThrow() throws {
        let aig = try CircuitIO.read(path: c17Path)
        #expect(throws: FormatError.self) { try DOTWriter.values(of: aig, pattern: [true]) }
        #expect(throws: FormatError.self) { try DOTWriter.write(aig, DOTWriter.Options(values: [false, true])) }
        // Latches: their reset value unless the pattern gives the current states.
        let s = sequentialSample()
        #expect(try DOTWriter.values(of: s, pattern: [true, false])[3] == true)
        #expect(try DOTWriter.values(of: s, pattern: [true, false, false])[3] == false)
        #expect(throws: FormatError.self) { try DOTWriter.values(of: s, pattern: [true, false, false, true]) }
    }
}
