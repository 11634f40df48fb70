import Foundation
import Testing
import TestSupport

private func repo(_ p: String) -> String { TestSupport.repoFile(p).path }

/// `--liberty`: Yosys-mapped standard-cell netlists checked against their
/// sources (by name), ABC reading the same netlists, and the CLI's errors.
@Suite(.serialized) struct LibertyCommandTests {
    static let library = repo("Circuits/liberty/miter.lib")
    static let epfl = ["random_control/ctrl", "random_control/int2float", "random_control/router",
                       "random_control/dec", "random_control/cavlc", "arithmetic/adder"]

    /// s27 (Circuits/s27.bench) as RTL for Yosys: three flip-flops on `clk`.
    static let s27RTL = """
    module s27(clk, G0, G1, G2, G3, G17);
      input clk, G0, G1, G2, G3;
      output G17;
      reg G5, G6, G7;
      wire G8, G9, G10, G11, G12, G13, G14, G15, G16;
      assign G14 = ~G0;
      assign G17 = ~G11;
      assign G8 = G14 & G6;
      assign G15 = G12 | G8;
      assign G16 = G3 | G8;
      assign G9 = ~(G16 & G15);
      assign G10 = ~(G14 | G11);
      assign G11 = ~(G5 | G9);
      assign G12 = ~(G1 | G7);
      assign G13 = ~(G2 | G12);
      always @(posedge clk) begin G5 <= G10; G6 <= G11; G7 <= G13; end
    endmodule

    """

    static func yosysMap(_ yosys: String, _ source: String, _ mapped: String) throws -> TestSupport.Output {
        try TestSupport.run(yosys, ["-q", "-p", "read_verilog \(source); synth; dfflibmap -liberty \(library); abc -liberty \(library); write_verilog -noattr \(mapped)"])
    }

    /// EPFL circuits mapped by Yosys onto the test library are equivalent to
    /// their sources; ABC, where it reads the mapped netlist, agrees, and ABC
    /// proves our reading of it (written as AIGER) equal to the shipped AIG.
    @Test func yosysMappedEPFLCircuitsAreEquivalent() throws {
        guard let shared = TestSupport.shared() else { return }
        guard let yosys = TestSupport.which("yosys") else { print("SKIP \(#function): yosys is not installed"); return }
        let abc = TestSupport.abc()
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var checked = 0, abcRead = 0
        for name in Self.epfl {
            let src = shared.appendingPathComponent("epfl/\(name).v").path
            let ref = shared.appendingPathComponent("epfl/\(name).aig").path
            let base = dir.appendingPathComponent(name.replacingOccurrences(of: "/", with: "_")).path
            let y = try Self.yosysMap(yosys, src, base + ".mapped.v")
            #expect(y.status == 0, "\(name): yosys: \(y.stdout) \(y.stderr)")
            guard y.status == 0 else { continue }
            let r = try TestSupport.miter(["check", "--match", "names", "--liberty", Self.library, src, base + ".mapped.v"])
            #expect(r.status == 0 && r.stdout.hasPrefix("equivalent\n"), "\(name): \(r.stdout) \(r.stderr)")
            if r.status == 0 { checked += 1 }
            guard let abc else { continue }
            let conv = try TestSupport.miter(["convert", "--liberty", Self.library, base + ".mapped.v", base + ".ours.aig"])
            #expect(conv.status == 0, "\(conv.stderr)")
            let ours = try TestSupport.runABC(abc, "cec \(base).ours.aig \(ref)")
            #expect(ours.contains("Networks are equivalent"), "\(name): ABC on our reading: \(ours)")
            let theirs = try TestSupport.runABC(abc, "read_lib \(Self.library); read -m \(base).mapped.v; cec \(ref)")
            #expect(!theirs.contains("NOT EQUIVALENT"), "\(name): ABC: \(theirs)")
            if theirs.contains("Networks are equivalent") { abcRead += 1 }
        }
        print("LIBERTY: \(checked)/\(Self.epfl.count) Yosys-mapped EPFL circuits equivalent to their sources; ABC read \(abcRead) of them and agreed")
        #expect(checked == Self.epfl.count)
    }

    /// The sequential s27 mapped onto DFF_X1 cells: latches named after the
    /// flip-flops' Q nets (G5 G6 G7, as in the .bench), equivalent by name.
    @Test func yosysMappedS27IsEquivalentToTheBench() throws {
        guard let yosys = TestSupport.which("yosys") else { print("SKIP \(#function): yosys is not installed"); return }
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rtl = dir.appendingPathComponent("s27.v").path, mapped = dir.appendingPathComponent("s27.mapped.v").path
        try Self.s27RTL.write(toFile: rtl, atomically: true, encoding: .utf8)
        let y = try Self.yosysMap(yosys, rtl, mapped)
        #expect(y.status == 0, "yosys: \(y.stdout) \(y.stderr)")
        let text = (try? String(contentsOfFile: mapped, encoding: .utf8)) ?? ""
        #expect(text.contains("DFF_X1"), "no flip-flop cells in \(text)")
        let stats = try TestSupport.miter(["stats", "--liberty", Self.library, mapped])
        #expect(stats.status == 0 && stats.stdout.contains("latches = 3"), "\(stats.stdout) \(stats.stderr)")
        // The mapped netlist has the clock as an extra (unused) input.
        let r = try TestSupport.miter(["check", "--match", "names", "--allow-extra-inputs", "--liberty", Self.library,
                                       repo("Circuits/s27.bench"), mapped])
        #expect(r.status == 0 && r.stdout.hasPrefix("equivalent\n"), "\(r.stdout) \(r.stderr)")
        // A broken next state is found.
        let bad = dir.appendingPathComponent("s27.bad.v").path
        try text.replacingOccurrences(of: ".D(G10)", with: ".D(G11)").write(toFile: bad, atomically: true, encoding: .utf8)
        let nb = try TestSupport.miter(["check", "--match", "names", "--allow-extra-inputs", "--liberty", Self.library,
                                        repo("Circuits/s27.bench"), bad])
        #expect(nb.status == 1, "\(nb.stdout) \(nb.stderr)")
    }

    @Test func libertyErrorsExit2() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let v = dir.appendingPathComponent("m.v").path
        try "module m(a, b, y);\n  input a, b;\n  output y;\n  NAND2_X1 U1 (.A1(a), .A2(b), .ZN(y));\nendmodule\n"
            .write(toFile: v, atomically: true, encoding: .utf8)
        let none = try TestSupport.miter(["stats", v])
        #expect(none.status == 2 && none.stderr.contains("m.v:4:") && none.stderr.contains("--liberty"), "\(none.stderr)")
        let ok = try TestSupport.miter(["stats", "--liberty", Self.library, v])
        #expect(ok.status == 0 && ok.stdout.contains("i/o = 2/1"), "\(ok.stdout) \(ok.stderr)")
        let missing = try TestSupport.miter(["stats", "--liberty", dir.appendingPathComponent("none.lib").path, v])
        #expect(missing.status == 2 && missing.stderr.contains("none.lib: cannot open"), "\(missing.stderr)")
        let broken = dir.appendingPathComponent("broken.lib").path
        try "library (b) {\n  cell (NAND2_X1) {\n    pin (A1) { direction : input; }\n    pin (ZN) { direction : output; function : \"!(A1 &\"; }\n  }\n}\n"
            .write(toFile: broken, atomically: true, encoding: .utf8)
        let bad = try TestSupport.miter(["stats", "--liberty", broken, v])
        #expect(bad.status == 2 && bad.stderr.contains("broken.lib:4:") && bad.stderr.contains("cell 'NAND2_X1'"), "\(bad.stderr)")
        // Repeatable: a second library adds cells.
        let extra = dir.appendingPathComponent("extra.lib").path
        try "library (x) { cell (ANDN2_X1) { pin (A) { direction : input; } pin (B) { direction : input; }\n pin (Z) { direction : output; function : \"A !B\"; } } }\n"
            .write(toFile: extra, atomically: true, encoding: .utf8)
        let v2 = dir.appendingPathComponent("m2.v").path
        try "module m(a, b, y);\n  input a, b;\n  output y;\n  wire n;\n  ANDN2_X1 U1 (.A(a), .B(b), .Z(n));\n  INV_X1 U2 (.A(n), .ZN(y));\nendmodule\n"
            .write(toFile: v2, atomically: true, encoding: .utf8)
        let one = try TestSupport.miter(["stats", "--liberty", Self.library, v2])
        #expect(one.status == 2 && one.stderr.contains("ANDN2_X1"), "\(one.stderr)")
        let two = try TestSupport.miter(["stats", "--liberty", Self.library, "--liberty", extra, v2])
        #expect(two.status == 0, "\(two.stderr)")
        let ref = dir.appendingPathComponent("ref.v").path
        try "module m(input a, input b, output y);\n  assign y = ~(a & ~b);\nendmodule\n".write(toFile: ref, atomically: true, encoding: .utf8)
        let eq = try TestSupport.miter(["check", "--liberty", Self.library, "--liberty", extra, ref, v2])
        #expect(eq.status == 0, "\(eq.stdout) \(eq.stderr)")
    }
}
