import Foundation
import Testing
import AIG
import AIGFormats
import TestSupport

private func repo(_ p: String) -> String { TestSupport.repoFile(p).path }

/// Netlists as tools write them (issue #14): control bytes, CR-only line
/// ends, empty netlists, AIGER 1.9 property sections.
@Suite struct NetlistInputTests {
    static let controlBytes: [UInt8] = Array(0x00...0x08) + [0x0B, 0x0C] + Array(0x0E...0x1F)

    /// Every control byte at every kind of place in a BLIF file (a name, a
    /// cover row, a comment, a blank line, after `.end`) is a located error,
    /// never a hang: the reader once looped on an empty token there.
    @Test func everyControlByteInBLIFIsALocatedError() throws {
        let text = Array(".model m\n.inputs a b\n.outputs y\n# a comment\n.names a b y\n11 1\n.end\n".utf8)
        // Offsets: inside '.inputs', inside a name, in a cover row, in the comment, at a line start, after '.end'.
        let places = [3, 12, 21, 30, 37, 45, text.count]
        for c in Self.controlBytes {
            for at in places {
                var bytes = text
                bytes.insert(c, at: at)
                let line = bytes[..<at].filter { $0 == 10 }.count + 1
                #expect(throws: FormatError.self, "byte \(c) at \(at)") { try BLIFReader.parse(bytes, file: "x.blif") }
                do { _ = try BLIFReader.parse(bytes, file: "x.blif") } catch let e as FormatError {
                    #expect(e.line == line, "byte \(c) at \(at): \(e)")
                    #expect(e.description.contains("control byte 0x"), "\(e)")
                }
            }
        }
        // Through the CLI: exit 2, the file and line named.
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("nul.blif")
        try Data(text + [0]).write(to: file)
        let r = try TestSupport.miter(["stats", file.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("nul.blif:8:1: unexpected control byte 0x00"), "\(r.stderr)")
    }

    /// A BLIF file that ends inside a model (no `.end`) is truncated: an error, not a smaller circuit.
    @Test func truncatedBLIFIsAnError() throws {
        let full = ".model m\n.inputs a b\n.outputs y\n.names a b y\n11 1\n.end\n"
        _ = try BLIFReader.parse(Array(full.utf8), file: "full.blif")
        let cut = Array(full.utf8.prefix(full.utf8.count - 5))
        do {
            _ = try BLIFReader.parse(cut, file: "cut.blif")
            Issue.record("a truncated BLIF file was accepted")
        } catch let e as FormatError { #expect(e.description.contains("has no '.end'"), "\(e)") }
    }

    @Test func controlBytesInBenchCommentsAreErrors() throws {
        for c in Self.controlBytes {
            let bytes = Array("INPUT(a)\n# x".utf8) + [c] + Array("\nOUTPUT(b)\nb = NOT(a)\n".utf8)
            #expect(throws: FormatError.self, "byte \(c)") { try BenchReader.parse(bytes, file: "x.bench") }
        }
    }

    /// Old Mac line ends (CR only) read like LF; CR LF too; errors still name the right line.
    @Test func carriageReturnOnlyLineEnds() throws {
        let lf = "INPUT(a)\nINPUT(b)\nOUTPUT(y)\ny = NAND(a, b)\n"
        let reference = try BenchReader.parse(Array(lf.utf8), file: "lf.bench")
        for ending in ["\r", "\r\n"] {
            let text = lf.replacingOccurrences(of: "\n", with: ending)
            let aig = try BenchReader.parse(Array(text.utf8), file: "cr.bench")
            #expect(aig.inputCount == 2 && aig.outputCount == 1 && aig.ands == reference.ands && aig.outputs == reference.outputs)
        }
        do {
            _ = try BenchReader.parse(Array("INPUT(a)\rOUTPUT(y)\ry = FOO(a)\r".utf8), file: "bad.bench")
            Issue.record("unknown gate accepted")
        } catch let e as FormatError { #expect(e.line == 3, "\(e)") }
        let blif = ".model m\r.inputs a b\r.outputs y\r.names a b y\r11 1\r.end\r"
        let b = try BLIFReader.parse(Array(blif.utf8), file: "cr.blif")
        #expect(b.inputCount == 2 && b.outputCount == 1 && b.andCount == 1)
    }

    /// An empty or comment-only netlist is an error in every format (exit 2), not a 0/0 circuit.
    @Test func emptyNetlistsAreErrors() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, String)] = [
            ("empty.bench", ""), ("comments.bench", "# only a comment\n\n"), ("cr.bench", "INPUT(a)\rOUTPUT(a)\r# x\r"),
            ("empty.blif", ""), ("comments.blif", "# nothing\n"), ("portless.blif", ".model m\n.end\n"),
            ("empty.v", ""), ("comments.v", "// nothing\n/* at all */\n"),
            ("empty.aag", ""),
        ]
        for (name, text) in cases {
            let file = dir.appendingPathComponent(name)
            try Data(text.utf8).write(to: file)
            let r = try TestSupport.miter(["stats", file.path])
            if name == "cr.bench" {
                // Not empty: CR-only line ends are line ends (a buffer from a to a).
                #expect(r.status == 0 && r.stdout.contains("i/o = 1/1"), "\(name): \(r.stdout) \(r.stderr)")
                continue
            }
            #expect(r.status == 2, "\(name): \(r.stdout)")
            #expect(r.stderr.contains(name), "\(name): \(r.stderr)")
        }
    }

    @Test func aigerHeaderMessageNamesTheFormat() throws {
        for (text, expected) in [("aag 1 1 0\n", "'aag M I L O A"), ("aig 1 1\n", "'aig M I L O A")] {
            do {
                _ = try AIGERReader.parse(Array(text.utf8), file: "h.aig")
                Issue.record("accepted \(text)")
            } catch let e as FormatError {
                #expect(e.description.contains(expected), "\(e)")
                #expect(!e.description.contains("aaag") && !e.description.contains("aaig"), "\(e)")
            }
        }
    }

    /// ABC writes a sequential network as AIGER 1.9 with O = 0 and its outputs
    /// as bad-state properties: compared with the source as ABC compares them.
    @Test func abcSequentialAIGERWithBadProperties() throws {
        guard let abc = TestSupport.abc() else { return }
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s27 = repo("Circuits/s27.bench")
        let written = dir.appendingPathComponent("s27.aig").path
        let mutant = dir.appendingPathComponent("s27_mut.aig").path
        _ = try TestSupport.runABC(abc, "read_bench \(s27); strash; write_aiger -s \(written)")
        let aig = try CircuitIO.read(path: written)
        #expect(aig.outputCount == 0 && aig.bad.count == 1 && aig.latchCount == 3, "ABC no longer writes B properties: \(aig.outputCount) outputs, \(aig.bad.count) bad")

        let r = try TestSupport.miter(["check", s27, written])
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.contains("compared: outputs (O) of the first with bad-state properties (B) of the second"), "\(r.stdout)")
        let j = try TestSupport.miter(["check", "--json", written, written])
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        #expect((obj["compared"] as? [String: Any])?["a"] as? [String] == ["bad"])
        // Outputs only: 1 output against none.
        #expect(try TestSupport.miter(["check", "--compare", "outputs", s27, written]).status == 2)
        #expect(try TestSupport.miter(["check", "--compare", "bad", s27, written]).stderr.contains("first circuit has no bad-state properties"))
        #expect(try TestSupport.miter(["check", "--compare", "bad", written, written]).status == 0)

        // A mutant of the property (one gate changed): ABC and miter both say not equivalent.
        var m = aig
        m.bad[0] = !m.bad[0]
        try CircuitIO.write(m, to: mutant, format: .aigerBinary)
        let r2 = try TestSupport.miter(["check", s27, mutant])
        #expect(r2.status == 1, "\(r2.stdout) \(r2.stderr)")
        let abcSays = try TestSupport.runABC(abc, "cec \(s27) \(mutant)")
        #expect(abcSays.contains("NOT EQUIVALENT") || abcSays.contains("are not equivalent") || abcSays.lowercased().contains("not equivalent"), "ABC: \(abcSays)")
        let abcSame = try TestSupport.runABC(abc, "cec \(s27) \(written)")
        #expect(abcSame.lowercased().contains("are equivalent"), "ABC: \(abcSame)")
    }

    /// `yosys … synth; write_blif` leaves flip-flops with enables and
    /// synchronous resets as `.subckt $_DFFE_PP_ …` (and `write_blif -gates`
    /// every gate as `.gate $_AND_ …`). Each form must equal Yosys's own
    /// lowering to plain `.latch`es (`dfflegalize -cell $_DFF_P_ 01`); a
    /// changed next state must not.
    @Test func yosysInternalCellsInBLIF() throws {
        guard let yosys = TestSupport.which("yosys") else { print("SKIP \(#function): yosys is not installed"); return }
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rtl = """
        module regs(input clk, input rst, input rstn, input en, input enb, input [3:0] d,
                    output reg [3:0] a, output reg [3:0] b, output reg [3:0] c, output reg [3:0] e);
          always @(posedge clk) begin
            if (rst) a <= 4'b1010; else if (en) a <= d;
            if (!rstn) b <= 0; else b <= b + d;
            if (!enb) begin if (rst) c <= 4'b1111; else c <= c ^ d; end
            e <= en ? a : e;
          end
        endmodule
        """
        func path(_ n: String) -> String { dir.appendingPathComponent(n).path }
        try Data(rtl.utf8).write(to: dir.appendingPathComponent("regs.v"))
        try Data(rtl.replacingOccurrences(of: "c <= c ^ d", with: "c <= c & d").utf8).write(to: dir.appendingPathComponent("bug.v"))
        let flows: [(String, String, String)] = [
            ("regs.v", "plain.blif", "synth -top regs; dfflegalize -cell $_DFF_P_ 01; write_blif"),
            ("regs.v", "cells.blif", "synth -top regs; write_blif"),
            ("regs.v", "gates.blif", "synth -top regs; write_blif -gates"),
            ("bug.v", "bug.blif", "synth -top regs; write_blif"),
        ]
        for (src, out, script) in flows {
            let r = try TestSupport.run(yosys, ["-q", "-p", "read_verilog \(path(src)); \(script) \(path(out))"])
            #expect(r.status == 0, "yosys: \(r.stderr)")
        }
        let cells = try String(contentsOfFile: path("cells.blif"), encoding: .utf8)
        #expect(cells.contains("$_SDFFE_") && cells.contains("$_DFFE_"), "yosys no longer writes enable/reset cells")
        for other in ["cells.blif", "gates.blif"] {
            let r = try TestSupport.miter(["check", path("plain.blif"), path(other)])
            #expect(r.status == 0, "\(other): \(r.stdout) \(r.stderr)")
            #expect(r.stdout.contains("16 paired (16 by name"), "\(r.stdout)")
        }
        let bug = try TestSupport.miter(["check", path("plain.blif"), path("bug.blif")])
        #expect(bug.status == 1, "\(bug.stdout) \(bug.stderr)")
        #expect(bug.stdout.contains("c[0]$next"), "\(bug.stdout)")
    }

    @Test func yosysCellErrorsAreLocated() throws {
        let cases: [(String, String)] = [
            ("$_DFF_PP0_ C=clk D=d R=r Q=q", "asynchronous"),
            ("$_DLATCH_P_ E=clk D=d Q=q", "level-sensitive"),
            ("$_AND_ A=d B=d Z=q", "has no pin 'Z'"),
            ("$_DFFE_PP_ C=clk D=d Q=q", "needs its pin 'E'"),
            ("$_FOO_ A=d Y=q", "unknown model '$_FOO_'"),
        ]
        for (cell, message) in cases {
            let text = ".model m\n.inputs clk d r\n.outputs q\n.subckt \(cell)\n.end\n"
            do {
                _ = try BLIFReader.parse(Array(text.utf8), file: "c.blif")
                Issue.record("accepted \(cell)")
            } catch let e as FormatError {
                #expect(e.line == 4 && e.description.contains(message), "\(cell): \(e)")
            }
        }
        // `.gate` of a library cell still needs a library.
        #expect(throws: FormatError.self) { try BLIFReader.parse(Array(".model m\n.inputs a\n.outputs y\n.gate and2 A=a B=a O=y\n.end\n".utf8), file: "g.blif") }
    }
}

