import AIG
import AIGFormats
import Testing

private typealias S = NetlistTestSupport

/// Every unsupported or broken construct gives its own located error.
@Suite struct VerilogErrorTests {
    /// Parses `src` and returns the error; records an issue when it parses.
    private func error(_ src: String, options: ReadOptions = ReadOptions()) -> FormatError? {
        do {
            _ = try S.parse(src, options: options)
            Issue.record("expected an error for: \(src)")
            return nil
        } catch let e as FormatError {
            return e
        } catch {
            Issue.record("unexpected error type \(error)")
            return nil
        }
    }

    private func check(_ src: String, line: Int, column: Int, _ words: String..., options: ReadOptions = ReadOptions(),
                       sourceLocation: SourceLocation = #_sourceLocation) {
        guard let e = error(src, options: options) else { return }
        #expect(e.file == "t.v", sourceLocation: sourceLocation)
        #expect(e.line == line, "line of: \(e)", sourceLocation: sourceLocation)
        #expect(e.column == column, "column of: \(e)", sourceLocation: sourceLocation)
        for w in words { #expect(e.message.contains(w), "'\(w)' missing in: \(e)", sourceLocation: sourceLocation) }
    }

    @Test func alwaysBlockAssigningAWire() {
        check("module m(input a, output y);\n  always @(*) y = a;\nendmodule", line: 2, column: 15, "'y' is a wire", "reg")
    }
    @Test func initialBlockNeedsConstants() {
        check("module m(input a, output reg y);\n  initial y = a;\n  always @* y = a;\nendmodule", line: 2, column: 3,
              "'initial'", "constant")
    }
    @Test func continuousAssignmentToAReg() {
        check("module m(input a, output y);\n  reg r;\n  assign r = a;\n  assign y = r;\nendmodule", line: 3, column: 10, "'r' is a reg", "wire")
        check("module m(input a, output reg y);\nendmodule", line: 1, column: 30, "'y'", "never driven")
    }
    @Test func generateLoopBoundMustBeConstant() {
        check("module m(input [1:0] a, output y);\n  genvar i;\n  for (i = 0; i < a; i = i + 1) begin : g end\n  assign y = 0;\nendmodule",
              line: 3, column: 19, "'a' is not a constant")
    }
    @Test func functionAndTask() {
        check("module m(input a, output y);\n  function f;\nendmodule", line: 2, column: 3, "function")
        check("module m(input a, output y);\n   task t;\nendmodule", line: 2, column: 4, "task")
    }
    @Test func inoutPorts() {
        check("module m(a, y);\n  inout a;\nendmodule", line: 2, column: 3, "'inout'")
        check("module m(inout a);\nendmodule", line: 1, column: 10, "'inout'")
    }
    @Test func triState() {
        check("module m(input a, e, output y);\n  bufif1 b1 (y, a, e);\nendmodule", line: 2, column: 3, "tri-state")
        check("module m(input a, output y);\n  tri t;\nendmodule", line: 2, column: 3, "tri-state")
    }
    @Test func xAndZConstants() {
        check("module m(output y);\n  assign y = 1'bx;\nendmodule", line: 2, column: 14, "x/z", "casez")
        check("module m(output [1:0] y);\n  assign y = 2'b0z;\nendmodule", line: 2, column: 14, "x/z")
    }
    @Test func multiplyDrivenNet() {
        check("module m(input a, b, output y);\n  assign y = a;\n  assign y = b;\nendmodule", line: 3, column: 12, "'y'", "more than once", "line 2")
        check("module m(input a, b, output y);\n  assign a = b;\n  assign y = a;\nendmodule", line: 2, column: 12, "'a'", "input")
    }
    @Test func combinationalLoop() {
        check("module m(input a, output y);\n  wire p, q;\n  assign p = q & a;\n  assign q = ~p;\n  assign y = p;\nendmodule",
              line: 3, column: 12, "combinational loop", "'p'", "p -> q -> p")
    }
    @Test func widthMismatchThatWouldTruncate() {
        check("module m(input [3:0] a, output [1:0] y);\n  assign y = a;\nendmodule", line: 2, column: 12, "width mismatch", "4", "2")
        check("module m(output y);\n  assign y = 2'b10;\nendmodule", line: 2, column: 12, "width mismatch")
    }
    @Test func usedButNeverDriven() {
        check("module m(input a, output y);\n  wire w;\n  assign y = a | w;\nendmodule", line: 3, column: 18, "'w'", "never driven")
        check("module m(input a, output [1:0] y);\n  assign y[0] = a;\nendmodule", line: 1, column: 32, "'y[1]'", "never driven")
    }
    @Test func undeclaredIdentifier() {
        check("module m(input a, output y);\n  assign y = a & b;\nendmodule", line: 2, column: 18, "undeclared", "'b'")
        check("`default_nettype none\nmodule m(input a, output y);\n  and (y, a, n);\nendmodule", line: 3, column: 14, "undeclared", "'n'")
    }
    @Test func hierarchyErrors() {
        check("module m(input a, output y);\n  sub u (.a(a), .y(y));\nendmodule", line: 2, column: 7, "unknown module 'sub'")
        check("module s(input a, output y); assign y = a; endmodule\nmodule m(input a, output y);\n  s u (.a(a), .q(y));\nendmodule",
              line: 3, column: 15, "no port 'q'")
        check("module s(input [1:0] a, output y); assign y = ^a; endmodule\nmodule m(input [2:0] a, output y);\n  s u (a, y);\nendmodule",
              line: 3, column: 8, "width mismatch")
    }
    @Test func ambiguousTopListsCandidates() {
        guard let e = error("module a(); endmodule\nmodule b(); endmodule") else { return }
        #expect(e.message.contains("a, b") && e.message.contains("--top"))
    }
    @Test func lexicalErrors() {
        check("module m(); /* open\nendmodule", line: 1, column: 13, "unterminated")
        check("module m();\n  `define X(a b) a\nendmodule", line: 2, column: 12, "parameters of macro 'X'")
        check("module m(output y);\n  assign y = `UNDEF;\nendmodule", line: 2, column: 14, "undefined macro", "`UNDEF")
        check("module m(input a, output reg y);\n  always @* y = u.x;\nendmodule", line: 2, column: 17, "hierarchical")
        check("module m(input a, output y)\nendmodule", line: 2, column: 1, "expected ';'")
        check("module m(input a, output y);\n  assign y = a;\n", line: 1, column: 1, "endmodule")
        check("module m(input [3:0] a, output y);\n  assign y = a[4];\nendmodule", line: 2, column: 14, "out of range")
        check("module m(input a, output y);\n  parameter P = 1;\n  defparam P = 2;\nendmodule", line: 3, column: 3, "defparam")
    }

    /// Truncations and byte flips of a feature-rich file never crash the reader.
    @Test func truncatedAndCorruptedInputsNeverCrash() throws {
        let src = Array("""
            `timescale 1ns/1ps
            (* keep *) module fa (input wire a, b, ci, output s, co);
              assign s = a ^ b ^ ci; assign co = (a & b) | (ci & (a ^ b));
            endmodule
            module top (\\x[0] , x, y, z);
              input \\x[0] ; input [3:0] x; output [1:0] y; output z;
              wire [1:0] t = {x[3:2] == 2'b01, &x};
              fa u (.a(x[0]), .b(\\x[0] ), .ci(t[0]), .s(y[0]), .co(y[1]));
              nand #2 g1 (z, t[1], ~x[1], 1'b1);  // comment
            endmodule
            """.utf8)
        _ = try CircuitIO.parse(src, name: "t.v", format: .verilog)
        var outcomes = 0
        for n in 0..<src.count {
            if (try? CircuitIO.parse(Array(src[0..<n]), name: "t.v", format: .verilog)) != nil { outcomes += 1 }
        }
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("()[]{};,.=~&|^!?:#'\\/*` \n0189abxzhd_".utf8)
        for _ in 0..<400 {
            var m = src
            for _ in 0..<3 { m[Int.random(in: 0..<m.count, using: &rng)] = alphabet.randomElement(using: &rng) ?? 32 }
            _ = try? CircuitIO.parse(m, name: "t.v", format: .verilog)
        }
        #expect(outcomes < src.count)
    }
}
