import AIG
@testable import AIGFormats
import Foundation
import Testing

private typealias S = NetlistTestSupport

/// The RTL reader on small modules whose function is computed here by hand
/// (the Yosys differential corpus is in EquivalenceTests; these run without Yosys).
@Suite struct RTLReaderTests {
    /// Output bits as an integer (output 0 least significant), for inputs given as one integer.
    private func value(_ aig: AIG, _ inputs: Int) -> Int {
        let out = S.evaluate(aig, (0..<aig.inputCount).map { (inputs >> $0) & 1 == 1 })
        return out.enumerated().reduce(0) { $0 | ($1.element ? 1 << $1.offset : 0) }
    }

    @Test func contextSizingKeepsTheCarryAndSignExtends() throws {
        let aig = try S.parse("""
            module m(input [3:0] a, b, input signed [3:0] s, output [4:0] sum, output [7:0] ext);
              assign sum = a + b;
              assign ext = s;
            endmodule
            """)
        #expect(S.names(aig.inputNames).prefix(2) == ["a[0]", "a[1]"])
        for a in 0..<16 { for b in [0, 7, 15] { for s in [0, 5, 8, 15] {
            let v = value(aig, a | b << 4 | s << 8)
            #expect(v & 31 == a + b)
            #expect(v >> 5 == (s >= 8 ? s | 0xF0 : s))
        } } }
    }

    @Test func divisionAndModuloTruncateTowardZero() throws {
        let aig = try S.parse("""
            module m(input signed [3:0] a, b, output signed [3:0] q, r);
              assign q = a / b;
              assign r = a % b;
            endmodule
            """)
        for a in -8...7 { for b in -8...7 where b != 0 {
            let v = value(aig, (a & 15) | (b & 15) << 4)
            let q = a / b, r = a % b  // Swift truncates toward zero too
            #expect(v & 15 == q & 15, "\(a) / \(b)")
            #expect(v >> 4 == r & 15, "\(a) % \(b)")
        } }
    }

    @Test func stringsFullCaseAndTruncatedLiterals() throws {
        let aig = try S.parse("""
            module m(input [1:0] s, output reg [15:0] y, output [3:0] t);
              assign t = 4'h1F;
              always @* begin
                (* full_case *)
                case (s)
                  2'd0: y = "ab";
                  2'd1: y = "c";
                  2'd2: y = 16'd7;
                endcase
              end
            endmodule
            """)
        #expect(value(aig, 0) & 0xFFFF == 0x6162)
        #expect(value(aig, 1) & 0xFFFF == 0x0063)
        #expect(value(aig, 2) & 0xFFFF == 7)
        #expect(value(aig, 3) & 0xFFFF == 7)  // full_case: the last item covers the rest
        #expect(value(aig, 0) >> 16 == 0xF)
    }

    @Test func xBitsAreErrorsUnlessReadAsZero() throws {
        let src = "module m(input a, output [1:0] y);\n  assign y = a ? 2'b01 : 2'bx1;\nendmodule\n"
        #expect(throws: FormatError.self) { try S.parse(src) }
        var o = ReadOptions()
        o.xBits = .zero
        let aig = try S.parse(src, options: o)
        #expect(value(aig, 0) == 1 && value(aig, 1) == 1)
    }

    @Test func macrosWithArgumentsAndIncludes() throws {
        let dir = try S.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "`define W 4\n".write(toFile: dir + "/defs.vh", atomically: true, encoding: .utf8)
        let src = """
            `include "defs.vh"
            `define MAX(x, y) ((x) > (y) ? (x) : (y))
            module m(input [`W-1:0] a, b, output [`W-1:0] y, output [7:0] k);
              assign y = `MAX(a, b);
              assign k = `W'd9;
            endmodule
            """
        try src.write(toFile: dir + "/m.v", atomically: true, encoding: .utf8)
        let aig = try CircuitIO.read(path: dir + "/m.v")
        #expect(aig.inputCount == 8)
        for a in 0..<16 { for b in 0..<16 { #expect(value(aig, a | b << 4) & 15 == max(a, b)) } }
        #expect(value(aig, 0) >> 4 == 9)
        // An error in the included file names that file.
        try "`define W 4\n  %\n".write(toFile: dir + "/defs.vh", atomically: true, encoding: .utf8)
        do { _ = try CircuitIO.read(path: dir + "/m.v"); Issue.record("expected an error") } catch let e as FormatError {
            #expect(e.file.hasSuffix("defs.vh") && e.line == 2, "\(e)")
        }
    }

    @Test func registersAsyncResetInEitherBranchAndOneClockThroughPorts() throws {
        let aig = try S.parse("""
            module cnt(input clk, input rst_n, output reg [1:0] q);
              always @(posedge clk or negedge rst_n)
                if (rst_n) q <= q + 2'd1; else q <= 2'd2;
            endmodule
            module top(input clk, input rst_n, output [1:0] q);
              cnt u (.clk(clk), .rst_n(rst_n), .q(q));
            endmodule
            """)
        #expect(S.names(aig.inputNames) == ["rst_n"])  // the clock is no input
        #expect(S.names(aig.latchNames) == ["u.q[0]", "u.q[1]"])
        // While reset is active (rst_n = 0) the register reads 2 whatever the latch holds.
        for state in 0..<4 {
            let out = S.evaluate(aig, [false], latches: [(state & 1) == 1, (state & 2) == 2])
            #expect(out == [false, true])
            let run = S.evaluate(aig, [true], latches: [(state & 1) == 1, (state & 2) == 2])
            #expect(run == [(state & 1) == 1, (state & 2) == 2])
        }
        #expect(throws: FormatError.self) {
            try S.parse("""
                module m(input c1, c2, d, output reg a, b);
                  always @(posedge c1) a <= d;
                  always @(posedge c2) b <= d;
                endmodule
                """)
        }
    }

    @Test func temporariesAndNamedBlockVariablesAreNoRegisters() throws {
        let aig = try S.parse("""
            module m(input clk, input [3:0] a, input s, output reg [3:0] q, output reg [3:0] y);
              always @(posedge clk) begin : blk
                reg [3:0] t;
                t = a + 4'd1;
                q <= t;
              end
              always @* begin
                y = 4'd0;
                if (s) begin : inner
                  reg [3:0] u;
                  u = a ^ 4'd5;
                  y = u;
                end
              end
            endmodule
            """)
        #expect(S.names(aig.latchNames) == ["q[0]", "q[1]", "q[2]", "q[3]"])
    }

    @Test func constantFunctionsWithWhileLoopsSizePorts() throws {
        let aig = try S.parse("""
            module m(input [15:0] a, output [clog2(16)-1:0] y);
              function integer clog2;
                input integer n;
                integer v;
                begin
                  v = n - 1;
                  clog2 = 0;
                  while (v > 0) begin clog2 = clog2 + 1; v = v >> 1; end
                end
              endfunction
              assign y = a[3:0];
            endmodule
            """)
        #expect(aig.outputCount == 4)
    }
}

/// Bad RTL never crashes, hangs or takes unbounded memory: located errors for
/// designs too large to unroll, and no crash on truncations and byte flips.
@Suite struct RTLBadInputTests {
    @Test func oversizedDesignsAreLocatedErrors() {
        let cases: [(String, String)] = [
            ("module m(input a, output y);\n  assign y = ^{1000000{ {1000000{a}} }};\nendmodule\n", "replication is wider"),
            ("module m(input [3:0] a, output reg [3:0] y);\n  integer i;\n  always @* begin y = a; for (i = 0; i < 100000; i = i + 1) y = y + 1; end\nendmodule\n", "loop runs more than"),
            ("module m(input [99999:0] a, b, output [99999:0] y);\n  assign y = a * b;\nendmodule\n", "multipliers and dividers up to"),
            ("module m(input a, output y);\n  genvar i;\n  for (i = 0; i < 2; i = i) begin : g end\n  assign y = a;\nendmodule\n", "generate loop runs more than"),
            ("module m(input [3:0] a, output [3:0] y);\n  function [3:0] f; input [3:0] x; f = f(x); endfunction\n  assign y = f(a);\nendmodule\n", "recurses"),
            ("module m(input a, output y);\n  m u (.a(a), .y(y));\nendmodule\n", "recursive hierarchy"),
        ]
        for (src, words) in cases {
            do { _ = try S.parse(src); Issue.record("expected an error: \(src)") } catch let e as FormatError {
                #expect(e.line != nil && e.message.contains(words), "\(e)")
            } catch { Issue.record("\(error)") }
        }
    }

    @Test func truncatedAndCorruptedRTLNeverCrashes() throws {
        let src = Array("""
            `define W 4
            module sub #(parameter N = 2) (input clk, input [N-1:0] d, output reg [N-1:0] q);
              always @(posedge clk) q <= d + 1'b1;
            endmodule
            module top (input clk, rst, input [`W-1:0] a, b, input [1:0] s, output reg [`W-1:0] y, output [`W-1:0] z);
              reg [3:0] m [0:3];
              integer i;
              function [3:0] f; input [3:0] x; f = x ^ 4'sd5; endfunction
              always @* begin
                y = 0;
                casez (s) 2'd0: y = a + b; 2'd1: y = a * b; 2'b1?: y = f(a) >>> 1; endcase
                for (i = 0; i < 2; i = i + 1) y[i] = y[i] ^ m[i][0];
              end
              always @(posedge clk or posedge rst) if (rst) m[0] <= 4'd1; else m[s] <= a;
              sub #(.N(4)) u (.clk(clk), .d(a), .q(z));
            endmodule
            """.utf8)
        _ = try CircuitIO.parse(src, name: "t.v", format: .verilog)
        for n in stride(from: 0, to: src.count, by: 3) { _ = try? CircuitIO.parse(Array(src[0..<n]), name: "t.v", format: .verilog) }
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("()[]{};,.=~&|^!?:#'\\/*`+-<> \n0189abxzhdsw_".utf8)
        for _ in 0..<300 {
            var m = src
            for _ in 0..<3 { m[Int.random(in: 0..<m.count, using: &rng)] = alphabet.randomElement(using: &rng) ?? 32 }
            _ = try? CircuitIO.parse(m, name: "t.v", format: .verilog)
        }
    }
}

/// Constant folding in machine arithmetic agrees with the bit-blasted operators.
@Suite struct RTLConstantFoldingTests {
    @Test func foldingMatchesTheCircuits() {
        var g = NetGraph()
        for signed in [false, true] {
            for a in 0..<16 { for b in 0..<16 {
                let x = NetGraph.constant(a, width: 4), y = NetGraph.constant(b, width: 4)
                let ops: [(UInt8, [UInt32])] = [
                    (VT.plus, g.add(x, y).sum), (VT.minus, g.subtract(x, y).difference), (VT.star, g.multiply(x, y)),
                    (VT.slash, g.divide(x, y, signed: signed).quotient), (VT.percent, g.divide(x, y, signed: signed).remainder),
                ]
                for (op, circuit) in ops {
                    let folded = RTLElaborator.foldConstants(op, x, y, signed: signed)
                    if b == 0 && (op == VT.slash || op == VT.percent) { #expect(folded == nil); continue }
                    #expect(folded == circuit, "\(a) \(VT.describe(op)) \(b) signed \(signed)")
                }
            } }
        }
    }
}

/// Selects whose width or span comes from the file are bounded before any loop runs.
@Suite struct RTLSelectBoundsTests {
    @Test func hugeSelectsAreLocatedErrors() {
        let sources = [
            "module m(input [3:0] a, output reg [3:0] y);\n  always @* begin y = 0; y[2000000000:0] = a; end\nendmodule\n",
            "module m(input [3:0] a, input [1:0] i, output reg [3:0] y);\n  always @* begin y = 0; y[i +: 2000000000] = a; end\nendmodule\n",
            "module m(input [3:0] a, input [1:0] i, output [3:0] y);\n  assign y = a[i +: 2000000000];\nendmodule\n",
            "module m(input a, output y);\n  assign y = $signed() + 1;\nendmodule\n",
        ]
        for src in sources {
            do { _ = try S.parse(src); Issue.record("expected an error: \(src)") } catch let e as FormatError {
                #expect(e.line == 2, "\(e)")
            } catch { Issue.record("\(error)") }
        }
    }
}
