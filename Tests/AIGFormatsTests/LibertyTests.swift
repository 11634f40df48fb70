import AIG
import AIGFormats
import Foundation
import Testing

private typealias S = NetlistTestSupport

/// The Liberty reader and Verilog netlists of library cells (`--liberty`).
@Suite struct LibertyTests {
    static let libraryPath = S.fixture("Circuits/liberty/miter.lib")

    static func testLibrary() throws -> CellLibrary { try LibertyReader.read(paths: [libraryPath]) }

    /// A library whose body (cells) starts on line 2 of `t.lib`.
    static func library(_ body: String, file: String = "t.lib") throws -> CellLibrary {
        try LibertyReader.parse(Array("library (t) {\n\(body)\n}\n".utf8), file: file)
    }

    static func options(_ lib: CellLibrary?) -> ReadOptions {
        var o = ReadOptions(); o.cells = lib; return o
    }

    static func read(_ verilog: String, _ lib: CellLibrary?) throws -> AIG {
        try S.parse(verilog, options: options(lib))
    }

    /// The located error of a Liberty text, or nil (recorded as an issue) when it parses.
    func libraryError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> FormatError? {
        do {
            _ = try LibertyReader.parse(Array(text.utf8), file: "t.lib")
            Issue.record("expected an error for: \(text.prefix(200))", sourceLocation: sourceLocation)
        } catch let e as FormatError { return e } catch { Issue.record("unexpected error \(error)", sourceLocation: sourceLocation) }
        return nil
    }

    func checkLibrary(_ body: String, line: Int, _ words: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        guard let e = libraryError("library (t) {\n\(body)\n}\n", sourceLocation: sourceLocation) else { return }
        #expect(e.file == "t.lib", sourceLocation: sourceLocation)
        #expect(e.line == line, "line of: \(e)", sourceLocation: sourceLocation)
        for w in words { #expect(e.message.contains(w), "'\(w)' missing in: \(e)", sourceLocation: sourceLocation) }
    }

    func verilogError(_ src: String, _ lib: CellLibrary?, line: Int, _ words: String...,
                      sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try Self.read(src, lib)
            Issue.record("expected an error for: \(src)", sourceLocation: sourceLocation)
        } catch let e as FormatError {
            #expect(e.file == "t.v", sourceLocation: sourceLocation)
            #expect(e.line == line, "line of: \(e)", sourceLocation: sourceLocation)
            for w in words { #expect(e.message.contains(w), "'\(w)' missing in: \(e)", sourceLocation: sourceLocation) }
        } catch { Issue.record("unexpected error \(error)", sourceLocation: sourceLocation) }
    }

    // MARK: the test library

    @Test func testLibraryCellsHaveTheirFunctions() throws {
        let lib = try Self.testLibrary()
        #expect(lib.cells.count == 17)
        #expect(lib.files == [Self.libraryPath])
        let expected: [(String, [String], ([Bool]) -> Bool)] = [
            ("INV_X1", ["A"], { !$0[0] }),
            ("BUF_X1", ["A"], { $0[0] }),
            ("NAND2_X1", ["A1", "A2"], { !($0[0] && $0[1]) }),
            ("NOR2_X1", ["A1", "A2"], { !($0[0] || $0[1]) }),
            ("AND2_X1", ["A1", "A2"], { $0[0] && $0[1] }),
            ("OR2_X1", ["A1", "A2"], { $0[0] || $0[1] }),
            ("NAND3_X1", ["A1", "A2", "A3"], { !($0[0] && $0[1] && $0[2]) }),
            ("NOR3_X1", ["A1", "A2", "A3"], { !($0[0] || $0[1] || $0[2]) }),
            ("XOR2_X1", ["A", "B"], { $0[0] != $0[1] }),
            ("XNOR2_X1", ["A", "B"], { $0[0] == $0[1] }),
            ("AOI21_X1", ["A", "B1", "B2"], { !($0[0] || ($0[1] && $0[2])) }),
            ("OAI21_X1", ["A", "B1", "B2"], { !($0[0] && ($0[1] || $0[2])) }),
            ("AOI22_X1", ["A1", "A2", "B1", "B2"], { !(($0[0] && $0[1]) || ($0[2] && $0[3])) }),
            ("OAI22_X1", ["A1", "A2", "B1", "B2"], { !(($0[0] || $0[1]) && ($0[2] || $0[3])) }),
            ("MUX2_X1", ["A", "B", "S"], { $0[2] ? $0[1] : $0[0] }),
        ]
        for (name, inputs, f) in expected {
            let c = try #require(lib.cell(named: name), "\(name) missing")
            #expect(c.sequential == nil && c.unsupported == nil, "\(name)")
            let ins = c.pins.indices.filter { c.pins[$0].direction == .input }
            #expect(ins.map { c.pins[$0].name } == inputs, "\(name) pins")
            let out = try #require(c.pins.first { $0.direction == .output })
            for m in 0..<(1 << ins.count) {
                let vals = ins.indices.map { (m >> $0) & 1 == 1 }
                let got = c.evaluate(out.function) { v in vals[ins.firstIndex(of: v) ?? 0] }
                #expect(got == f(vals), "\(name) on \(vals)")
            }
        }
        for name in ["DFF_X1", "DFFR_X1"] {
            let c = try #require(lib.cell(named: name))
            let q = try #require(c.sequential)
            #expect(q.kind == .flipFlop && q.state == "IQ" && q.stateN == "IQN")
            #expect(c.pins[q.clockPin].name == "CK" && !q.clockInverted)
            let d = try #require(c.pinIndex("D"))
            #expect(c.evaluate(q.next) { $0 == d } && !c.evaluate(q.next) { $0 != d })
            let qPin = try #require(c.pins.first { $0.name == "Q" }), qn = try #require(c.pins.first { $0.name == "QN" })
            #expect(c.evaluate(qPin.function) { $0 == c.stateVariable })
            #expect(!c.evaluate(qn.function) { $0 == c.stateVariable })
            #expect((q.clear >= 0) == (name == "DFFR_X1"))
            if name == "DFFR_X1" { #expect(q.clearText == "!RN") }
        }
        #expect(try #require(lib.cell(named: "DFF_X1")).ports.count == 4)
    }

    // MARK: function expressions

    @Test func functionOperatorsAndPrecedence() throws {
        let cases: [(String, (Bool, Bool, Bool) -> Bool)] = [
            ("A B", { a, b, _ in a && b }),
            ("A' B", { a, b, _ in !a && b }),
            ("!A+B", { a, b, _ in !a || b }),
            ("A+B C", { a, b, c in a || (b && c) }),
            ("A | B & C", { a, b, c in a || (b && c) }),
            ("A^B C", { a, b, c in (a != b) && c }),      // xor binds tighter than and (Liberty)
            ("A | B ^ C", { a, b, c in a || (b != c) }),
            ("(A+B)'", { a, b, _ in !(a || b) }),
            ("!(A)'", { a, _, _ in a }),
            ("A''", { a, _, _ in a }),
            ("A*!B", { a, b, _ in a && !b }),
            ("A(B+C)", { a, b, c in a && (b || c) }),
            ("(A)(B)", { a, b, _ in a && b }),
            ("1", { _, _, _ in true }),
            ("0 + C", { _, _, c in c }),
            ("!(A ^ B) * C + !C * A", { a, b, c in (a == b && c) || (!c && a) }),
            ("  A\n & \\\n B  ", { a, b, _ in a && b }),
        ]
        var body = "cell (X) { pin (A) { direction : input; } pin (B) { direction : input; } pin (C) { direction : input; }\n"
        for (i, (f, _)) in cases.enumerated() { body += "pin (Y\(i)) { direction : output; function : \"\(f)\"; }\n" }
        body += "}"
        let c = try #require(try Self.library(body).cell(named: "X"))
        for (i, (f, ref)) in cases.enumerated() {
            let pin = try #require(c.pins.first { $0.name == "Y\(i)" })
            for m in 0..<8 {
                let v = [m & 1 == 1, m & 2 == 2, m & 4 == 4]
                #expect(c.evaluate(pin.function) { v[$0] } == ref(v[0], v[1], v[2]), "\(f) on \(v)")
            }
        }
        // Several pins in one group, quoted names, unquoted one-word function.
        let lib = try Self.library("cell (\"W\") { pin (A, B) { direction : input; } pin (\"Z\") { direction : output; function : A&B; } }")
        let w = try #require(lib.cell(named: "W"))
        #expect(w.pins.map(\.name) == ["A", "B", "Z"])
        #expect(w.evaluate(w.pins[2].function) { _ in true } && !w.evaluate(w.pins[2].function) { $0 == 0 })
    }

    @Test func badFunctionsAreLocatedErrors() {
        let pins = "pin (A) { direction : input; } pin (B) { direction : input; }"
        func cell(_ f: String) -> String { "cell (BAD_X1) { \(pins)\n  pin (Z) { direction : output;\n function : \"\(f)\"; } }" }
        checkLibrary(cell("A &"), line: 4, "cell 'BAD_X1'", "pin 'Z'", "bad function", "operand at the end")
        checkLibrary(cell("(A & B"), line: 4, "never closed")
        checkLibrary(cell("A & B)"), line: 4, "unmatched ')'")
        checkLibrary(cell("A # B"), line: 4, "unexpected '#'")
        checkLibrary(cell(""), line: 4, "empty")
        checkLibrary(cell("2A"), line: 4, "not a pin name")
        checkLibrary(cell("A & Q"), line: 4, "refers to 'Q'", "BAD_X1")
        checkLibrary("cell (C) { pin (A) { direction : input; } pin (Y) { direction : output; function : \"A\"; }\n pin (Z) { direction : output; function : \"!Y\"; } }",
                     line: 3, "refers to output pin 'Y'")
        checkLibrary("cell (F) { pin (D) { direction : input; } pin (CK) { direction : input; }\n ff (IQ, IQN) { clocked_on : \"CK\"; next_state : \"D &\"; } }",
                     line: 3, "cell 'F'", "next_state", "bad function")
        checkLibrary("cell (F) { pin (D) { direction : input; }\n ff (IQ, IQN) { clocked_on : \"CK\"; next_state : \"D\"; } }",
                     line: 3, "refers to 'CK'")
        checkLibrary("cell (F) { pin (D) { direction : input; }\n ff (IQ, IQN) { clocked_on : \"D\"; } }",
                     line: 3, "no 'next_state'")
    }

    @Test func nestingDepthIsBounded() throws {
        let pins = "pin (A) { direction : input; }"
        let deep = String(repeating: "(", count: 900) + "A" + String(repeating: ")", count: 900)
        let lib = try Self.library("cell (D) { \(pins) pin (Z) { direction : output; function : \"\(deep)\"; } }")
        let c = try #require(lib.cell(named: "D"))
        #expect(c.evaluate(c.pins[1].function) { _ in true })
        let tooDeep = String(repeating: "(", count: 1001) + "A" + String(repeating: ")", count: 1001)
        checkLibrary("cell (D) { \(pins) pin (Z) { direction : output; function : \"\(tooDeep)\"; } }", line: 2, "nested too deeply")
        checkLibrary("cell (D) { \(pins) pin (Z) { direction : output; function : \"\(String(repeating: "!", count: 100_000))A\"; } }",
                     line: 2, "nested too deeply")
        // A long flat expression is fine.
        let long = Array(repeating: "A", count: 20_000).joined(separator: " & ")
        _ = try Self.library("cell (L) { \(pins) pin (Z) { direction : output; function : \"\(long)\"; } }")
        // Groups nest at most 64 levels.
        let groups = String(repeating: "g () {\n", count: 100) + String(repeating: "}\n", count: 100)
        checkLibrary(groups, line: 65, "nested too deeply")
    }

    // MARK: Liberty syntax

    @Test func syntaxErrorsAreLocated() {
        checkLibrary("cell (X) { pin (A) { direction : \"input; } }", line: 2, "unterminated string")
        checkLibrary("/* never closed\ncell (X) { }", line: 2, "unterminated comment")
        checkLibrary("cell (X) {\n  pin (A) { direction : input; }", line: 1, "'library' has no closing '}'")
        checkLibrary("cell (X) { pin (A) { direction : sideways; } }", line: 2, "direction : input")
        checkLibrary("cell (X) {\n pin (A) { capacitance : 1; } }", line: 3, "pin 'A' has no 'direction'")
        checkLibrary("cell (X) { pin (A) { direction : input; } }\ncell (X) { pin (A) { direction : input; } }", line: 3, "cell 'X' is defined twice")
        checkLibrary("cell (X) { pin (A) { direction : input; }\n pin (A) { direction : input; } }", line: 3, "pin 'A' is defined twice")
        checkLibrary("cell (X) { pin (A { direction : input; } }", line: 2, "expected ')'")
        checkLibrary("cell (X) { area 3; }", line: 2, "expected ':' or '('")
        checkLibrary("cell (X) { area : ; }", line: 2, "expected a value")
        checkLibrary("include_file (other.lib);", line: 2, "include_file")
        checkLibrary("  time_unit : \"1ns\";", line: 1, "defines no cells")
        if let e = libraryError("cell (X) { }") { #expect(e.message.contains("expected 'library (NAME)"), "\(e)") }
        if let e = libraryError("") { #expect(e.message.contains("not a Liberty file"), "\(e)") }
        if let e = libraryError("library (a) { cell (X) { pin (A) { direction : input; } } }\n}") { #expect(e.line == 2 && e.message.contains("unexpected '}'"), "\(e)") }
    }

    @Test func unsupportedCellsFailOnlyWhenInstantiated() throws {
        let lib = try Self.library("""
        cell (TBUF_X1) { pin (A) { direction : input; } pin (EN) { direction : input; }
          pin (Z) { direction : output; function : "A"; three_state : "!EN"; } }
        cell (LAT_X1) { latch (IQ, IQN) { enable : "G"; data_in : "D"; }
          pin (D) { direction : input; } pin (G) { direction : input; } pin (Q) { direction : output; function : "IQ"; } }
        cell (ST_X1) { statetable ("D CK", "IQ") { table : "H R : - : H"; } pin (D) { direction : input; } }
        cell (GCK_X1) { ff (IQ, IQN) { next_state : "D"; clocked_on : "CK & E"; }
          pin (D) { direction : input; } pin (CK) { direction : input; } pin (E) { direction : input; }
          pin (Q) { direction : output; function : "IQ"; } }
        cell (INV_X1) { pin (A) { direction : input; } pin (ZN) { direction : output; function : "A'"; } }
        """)
        #expect(lib.cells.count == 5)
        #expect(lib.cell(named: "TBUF_X1")?.unsupported?.reason.contains("three_state") == true)
        #expect(lib.cell(named: "LAT_X1")?.unsupported?.reason.contains("latch") == true)
        #expect(lib.cell(named: "ST_X1")?.unsupported?.reason.contains("statetable") == true)
        #expect(lib.cell(named: "GCK_X1")?.unsupported?.reason.contains("not a single pin") == true)
        let aig = try Self.read("module m(a, y); input a; output y; INV_X1 u (.A(a), .ZN(y)); endmodule", lib)
        #expect(S.truthTable(aig) == [[true], [false]])
        verilogError("module m(a, e, y);\n input a, e; output y;\n TBUF_X1 u1 (.A(a), .EN(e), .Z(y));\nendmodule", lib,
                     line: 3, "instance 'u1' of cell 'TBUF_X1'", "tri-state", "t.lib:3")
        verilogError("module m(d, g, y);\n input d, g; output y;\n LAT_X1 l (.D(d), .G(g), .Q(y));\nendmodule", lib,
                     line: 3, "instance 'l'", "latch", "not supported")
    }

    @Test func mergingLibraries() throws {
        let a = try Self.library("cell (INV_X1) { pin (A) { direction : input; } pin (ZN) { direction : output; function : \"!A\"; } }", file: "a.lib")
        let same = try Self.library("cell (INV_X1) {\n pin (A) { direction : input; } pin (ZN) { direction : output; function : \"A'\"; } }", file: "b.lib")
        let other = try Self.library("cell (BUF_X1) { pin (A) { direction : input; } pin (Z) { direction : output; function : \"A\"; } }", file: "c.lib")
        let clash = try Self.library("\n\ncell (INV_X1) { pin (A) { direction : input; } pin (ZN) { direction : output; function : \"A\"; } }", file: "d.lib")
        let merged = try LibertyReader.merging([a, same, other])
        #expect(merged.cells.map(\.name) == ["INV_X1", "BUF_X1"])
        #expect(merged.files == ["a.lib", "b.lib", "c.lib"])
        #expect(merged.cell(named: "INV_X1")?.file == "a.lib")
        do {
            _ = try LibertyReader.merging([a, clash])
            Issue.record("conflicting definitions merged")
        } catch let e as FormatError {
            #expect(e.file == "d.lib" && e.line == 4 && e.message.contains("INV_X1") && e.message.contains("a.lib:2"), "\(e)")
        }
        // The same file twice is fine.
        let twice = try LibertyReader.read(paths: [Self.libraryPath, Self.libraryPath])
        #expect(twice.cells.count == 17)
    }

    /// Mutated and random bytes never trap: a library or a located error.
    @Test func arbitraryBytesGiveCleanErrors() throws {
        let base = try CircuitIO.readBytes(path: Self.libraryPath)
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17
            return Int(truncatingIfNeeded: rng >> 1)
        }
        let alphabet = Array("(){}:;,\"\\/*!'&|^+ \nAB01IQ".utf8)
        var parsed = 0, errors = 0
        for round in 0..<1500 {
            var bytes = base
            if round % 10 == 9 {
                bytes = (0..<(next() % 300)).map { _ in UInt8(truncatingIfNeeded: next()) }
            } else {
                for _ in 0..<(1 + next() % 8) {
                    let i = bytes.isEmpty ? 0 : next() % bytes.count
                    switch next() % 4 {
                    case 0: if !bytes.isEmpty { bytes[i] = alphabet[next() % alphabet.count] }
                    case 1: bytes.insert(alphabet[next() % alphabet.count], at: i)
                    case 2: if !bytes.isEmpty { bytes.remove(at: i) }
                    default: bytes.removeSubrange(i...)
                    }
                }
            }
            do {
                _ = try LibertyReader.parse(bytes, file: "f.lib")
                parsed += 1
            } catch let e as FormatError {
                #expect(e.file == "f.lib" && (e.line ?? 0) >= 1, "\(e)")
                errors += 1
            }
        }
        #expect(parsed > 0 && errors > 0)
    }

    // MARK: Verilog netlists of cells

    @Test func combinationalCellsNamedAndPositional() throws {
        let lib = try Self.testLibrary()
        let src = """
        module top(a, b, c, y, z, w);
          input a, b, c;
          output y, z, w;
          wire n1;
          NAND2_X1 U1 (.A1(a), .A2(b), .ZN(n1));
          AOI21_X1 U2 (n1, b, c, y);
          MUX2_X1 U3 (.A(a), .B(n1), .S(c), .Z(z));
          XOR2_X1 U4 (.A(y), .B(1'b1), .Z(w));
          OAI22_X1 U5 (.A1(a), .A2(b), .B1(c), .B2(n1), .ZN());
        endmodule
        """
        let aig = try Self.read(src, lib)
        #expect(S.names(aig.inputNames) == ["a", "b", "c"] && S.names(aig.outputNames) == ["y", "z", "w"])
        #expect(aig.latches.isEmpty && aig.invariantViolation() == nil)
        let tt = S.truthTable(aig)
        for m in 0..<8 {
            let a = m & 1 == 1, b = m & 2 == 2, c = m & 4 == 4
            let n1 = !(a && b)
            let y = !(n1 || (b && c))
            #expect(tt[m] == [y, c ? n1 : a, !y], "row \(m)")
        }
    }

    @Test func flipFlopsBecomeLatches() throws {
        let lib = try Self.testLibrary()
        let src = """
        module t(clk, d, e, q, qn, w2, q3);
          input clk, d, e;
          output q, qn, w2, q3;
          wire s, nx, ckb, one;
          assign one = 1'b1;
          BUF_X1 cb (.A(clk), .Z(ckb));
          DFF_X1 r1 (.D(nx), .CK(ckb), .Q(s), .QN(qn));
          AND2_X1 g (.A1(d), .A2(e), .ZN(nx));
          BUF_X1 b (.A(s), .Z(q));
          DFF_X1 r2 (.D(d), .CK(clk), .QN(w2));
          DFFR_X1 r3 (d, one, clk, q3, );
        endmodule
        """
        let aig = try Self.read(src, lib)
        #expect(aig.latches.count == 3)
        #expect(S.names(aig.latchNames) == ["s", "r2", "q3"])
        #expect(aig.latches.allSatisfy { $0.reset == .zero })
        #expect(aig.invariantViolation() == nil)
        // Cut: inputs clk d e s r2 q3, outputs q qn w2 q3 s$next r2$next q3$next.
        let cut = aig.cuttingLatches()
        #expect(S.names(cut.inputNames) == ["clk", "d", "e", "s", "r2", "q3"])
        for m in 0..<64 {
            let v = (0..<6).map { (m >> $0) & 1 == 1 }
            let out = S.evaluate(cut, v)
            #expect(out == [v[3], !v[3], !v[4], v[5], v[1] && v[2], v[1], v[1]], "row \(m)")
        }
    }

    @Test func flipFlopInSubmoduleIsNamedWithItsPath() throws {
        let lib = try Self.testLibrary()
        let src = """
        module sub(input c, input d, output [1:0] q);
          DFF_X1 f (.D(d), .CK(c), .Q(q[1]));
          assign q[0] = d;
        endmodule
        module top(input clk, input d, output [1:0] y);
          sub u (.c(clk), .d(d), .q(y));
        endmodule
        """
        let aig = try Self.read(src, lib)
        #expect(S.names(aig.latchNames) == ["u.q[1]"])
        #expect(S.names(aig.outputNames) == ["y[0]", "y[1]"])
    }

    @Test func flipFlopChecks() throws {
        let lib = try Self.testLibrary()
        let head = "module t(clk, clk2, rst, en, d, q);\n  input clk, clk2, rst, en, d;\n  output q;\n  wire g, q1;\n"
        verilogError(head + "  DFFR_X1 r3 (.D(d), .RN(rst), .CK(clk), .Q(q));\nendmodule", lib,
                     line: 5, "instance 'r3' of cell 'DFFR_X1'", "asynchronous clear", "!RN", "not supported")
        verilogError(head + "  DFFR_X1 r3 (.D(d), .CK(clk), .Q(q));\nendmodule", lib,
                     line: 5, "asynchronous clear")
        verilogError(head + "  AND2_X1 cg (.A1(clk), .A2(en), .ZN(g));\n  DFF_X1 r (.D(d), .CK(g), .Q(q));\nendmodule", lib,
                     line: 6, "instance 'r'", "clock gating")
        verilogError(head + "  DFF_X1 r1 (.D(d), .CK(clk), .Q(q1));\n  DFF_X1 r2 (.D(q1), .CK(clk2), .Q(q));\nendmodule", lib,
                     line: 6, "instance 'r2'", "'clk2'", "'r1'", "one implicit clock")
        verilogError(head + "  INV_X1 i (.A(clk), .ZN(g));\n  DFF_X1 r1 (.D(d), .CK(clk), .Q(q1));\n  DFF_X1 r2 (.D(q1), .CK(g), .Q(q));\nendmodule", lib,
                     line: 7, "falling edge")
        verilogError(head + "  DFF_X1 r1 (.D(d), .CK(clk), .Q(q1));\n  DFF_X1 r2 (.D(d), .CK(q1), .Q(q));\nendmodule", lib,
                     line: 6, "flip-flop output")
        verilogError(head + "  DFF_X1 r1 (.D(d), .CK(1'b0), .Q(q));\nendmodule", lib, line: 5, "constant")
        verilogError(head + "  DFF_X1 r1 (.CK(clk), .Q(q));\nendmodule", lib, line: 5, "next state", "'D'")
        // Inverted clocks on every flip-flop are one clock.
        let inv = try Self.read(head + "  INV_X1 i (.A(clk), .ZN(g));\n  DFF_X1 r1 (.D(d), .CK(g), .Q(q1));\n  DFF_X1 r2 (.D(q1), .CK(g), .Q(q));\nendmodule", lib)
        #expect(inv.latches.count == 2)
    }

    @Test func missingCellsAndPinsAreLocated() throws {
        let lib = try Self.testLibrary()
        let src = "module m(a, b, y);\n  input a, b;\n  output y;\n  NAND2_X1 U1 (.A1(a), .A2(b), .ZN(y));\nendmodule"
        verilogError(src, nil, line: 4, "unknown module 'NAND2_X1'", "--liberty")
        verilogError(src.replacingOccurrences(of: "NAND2_X1", with: "NAND9_X1"), lib, line: 4,
                     "'NAND9_X1'", "nor in the Liberty library", "miter.lib")
        verilogError(src.replacingOccurrences(of: ".A2(b)", with: ".B(b)"), lib, line: 4,
                     "cell 'NAND2_X1' has no pin 'B'", "A1, A2, ZN", "instance 'U1'")
        verilogError(src.replacingOccurrences(of: ".A2(b)", with: ".A1(b)"), lib, line: 4, "connected twice")
        verilogError(src.replacingOccurrences(of: ".A2(b), ", with: ""), lib, line: 4, "unconnected", "'A2'")
        verilogError(src.replacingOccurrences(of: "(.A1(a), .A2(b), .ZN(y))", with: "(a, b, y, a)"), lib, line: 4, "4 connections", "3 pins")
        verilogError("module m(input [1:0] a, output y);\n  INV_X1 U1 (.A(a), .ZN(y));\nendmodule", lib, line: 2, "width mismatch", "'A'")
        verilogError("module m(input a, output y);\n  INV_X1 U1 (.A(a), .ZN(y));\n  INV_X1 U2 (.A(a), .ZN(y));\nendmodule", lib, line: 3, "driven more than once")
        // A module of the file wins over a cell of the same name.
        let own = try Self.read("module INV_X1(input A, output ZN); assign ZN = A; endmodule\nmodule m(input a, output y);\n  INV_X1 U1 (.A(a), .ZN(y));\nendmodule", lib)
        #expect(S.truthTable(own) == [[false], [true]])
    }

    @Test func emptyNetlistIsAnError() {
        verilogError("// nothing here\n", nil, line: 2, "empty netlist: no inputs or outputs")
        verilogError("\nmodule m;\nendmodule\n", nil, line: 2, "empty netlist: no inputs or outputs", "'m'")
        verilogError("module m();\n  wire w;\nendmodule\n", nil, line: 1, "empty netlist")
    }
}
