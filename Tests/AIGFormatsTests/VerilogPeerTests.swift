import AIG
import AIGFormats
import Foundation
import Testing

private typealias S = NetlistTestSupport

/// Acceptance against real peers: the shipped EPFL files, Verilog/BLIF written
/// by Yosys and ABC, and our own writer read back by Yosys and ABC.
@Suite(.serialized) struct VerilogPeerTests {
    static let small = ["random_control/ctrl", "random_control/router", "random_control/int2float",
                        "random_control/cavlc", "random_control/dec", "arithmetic/adder"]

    /// Every shared EPFL `.v` reads to the shipped `.aig`'s port names and order, and ABC cec says equivalent.
    @Test func epflVerilogMatchesShippedAIGs() throws {
        guard let shared = S.sharedCircuits("EPFL Verilog acceptance") else { return }
        let abc = S.which("berkeley-abc", "ABC equivalence checks of the EPFL Verilog files")
        let tmp = try S.tempDir()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let root = shared + "/epfl"
        let files = (FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".v") }.sorted()
        #expect(files.count >= 19)
        for f in files {
            let v = root + "/" + f
            let aigPath = String(v.dropLast(2)) + ".aig"
            let ours = try CircuitIO.read(path: v)
            let shipped = try CircuitIO.read(path: aigPath)
            #expect(ours.inputNames == shipped.inputNames, "\(f): input names/order")
            #expect(ours.outputNames == shipped.outputNames, "\(f): output names/order")
            #expect(ours.invariantViolation() == nil)
            if let abc {
                let out = tmp + "/" + f.replacingOccurrences(of: "/", with: "_") + ".aig"
                try CircuitIO.write(ours, to: out, format: .aigerBinary)
                let (eq, log) = try S.abcEquivalent(abc, out, aigPath)
                #expect(eq, "\(f): ABC cec says \(log)")
            }
        }
    }

    /// Verilog written by Yosys (`synth; abc -g ...; write_verilog -noattr`) reads and is equivalent.
    @Test func yosysWrittenVerilog() throws {
        guard let shared = S.sharedCircuits("Yosys-written Verilog"),
              let yosys = S.which("yosys", "Yosys-written Verilog"),
              let abc = S.which("berkeley-abc", "Yosys-written Verilog") else { return }
        let tmp = try S.tempDir()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        for name in Self.small.prefix(4) {
            let src = shared + "/epfl/" + name + ".v", ref = shared + "/epfl/" + name + ".aig"
            let base = tmp + "/" + name.replacingOccurrences(of: "/", with: "_")
            let r = try S.run([yosys, "-q", "-p",
                               "read_verilog \(src); synth -auto-top; abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX; opt_clean; write_verilog -noattr \(base).ys.v"])
            #expect(r.status == 0, "yosys failed: \(r.output)")
            let aig = try CircuitIO.read(path: base + ".ys.v")
            try CircuitIO.write(aig, to: base + ".ys.aig", format: .aigerBinary)
            let (eq, log) = try S.abcEquivalent(abc, base + ".ys.aig", ref)
            #expect(eq, "\(name): \(log)")
        }
        // A vector design through Yosys: ports come back as vectors.
        let alu = try CircuitIO.read(path: S.fixture("Verilog/alu4.v"))
        let r = try S.run([yosys, "-q", "-p", "read_verilog \(S.fixture("Verilog/alu4.v")); synth; abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX; write_verilog -noattr \(tmp)/alu.ys.v"])
        #expect(r.status == 0, "yosys failed: \(r.output)")
        let back = try CircuitIO.read(path: tmp + "/alu.ys.v")
        #expect(back.inputNames == alu.inputNames && back.outputNames == alu.outputNames)
        #expect(S.truthTable(back) == S.truthTable(alu))
    }

    /// Verilog and BLIF written by ABC read and are equivalent; so is ABC's LUT `.bench`.
    @Test func abcWrittenVerilogBLIFAndBench() throws {
        guard let shared = S.sharedCircuits("ABC-written netlists"),
              let abc = S.which("berkeley-abc", "ABC-written netlists") else { return }
        let tmp = try S.tempDir()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        for name in Self.small {
            let ref = shared + "/epfl/" + name + ".aig"
            let base = tmp + "/" + name.replacingOccurrences(of: "/", with: "_")
            let r = try S.run([abc, "-c", "read \(ref); write_verilog \(base).abc.v; write_blif \(base).abc.blif; write_bench \(base).abc.bench"])
            #expect(r.status == 0, "\(r.output)")
            for ext in ["v", "blif", "bench"] {
                let aig = try CircuitIO.read(path: "\(base).abc.\(ext)")
                try CircuitIO.write(aig, to: "\(base).\(ext).aig", format: .aigerBinary)
                let (eq, log) = try S.abcEquivalent(abc, "\(base).\(ext).aig", ref)
                #expect(eq, "\(name).\(ext): \(log)")
            }
        }
    }

    /// `miter convert X.aig Y.v`: our Verilog reads back in Miter, ABC and Yosys as the same circuit.
    @Test func writerRoundTrips() throws {
        // Always: our own reader, exhaustively on the fixtures.
        for f in ["Verilog/alu4.v", "Verilog/adder2.v", "Circuits/c17.bench"] {
            let aig = try CircuitIO.read(path: S.fixture(f))
            let text = try CircuitIO.serialize(aig, format: .verilog)
            let back = try CircuitIO.parse(text, name: "w.v", format: .verilog)
            #expect(back.inputNames == aig.inputNames && back.outputNames == aig.outputNames, "\(f)")
            #expect(S.truthTable(back) == S.truthTable(aig), "\(f)")
        }
        // Names that need escaping, keywords, constants, duplicates and unnamed ports.
        var b = AIGBuilder()
        let x = b.addInput(name: "module"), y = b.addInput(name: "a b"), z = b.addInput(name: nil)
        let n = b.and(x, !y)
        b.addOutput(b.or(n, z), name: "out[0]")
        b.addOutput(.true, name: "n5")
        b.addOutput(!x, name: nil)
        let odd = b.finish()
        let back = try CircuitIO.parse(try CircuitIO.serialize(odd, format: .verilog), name: "w.v", format: .verilog)
        #expect(S.names(back.inputNames) == ["module", "a_b", "pi2"])
        #expect(S.names(back.outputNames) == ["out[0]", "n5", "po2"])
        #expect(S.truthTable(back) == S.truthTable(odd))

        guard let shared = S.sharedCircuits("writer round trip through ABC/Yosys"),
              let abc = S.which("berkeley-abc", "writer round trip through ABC") else { return }
        let tmp = try S.tempDir()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let yosys = S.which("yosys", "writer round trip through Yosys")
        for name in Self.small {
            let ref = shared + "/epfl/" + name + ".aig"
            let base = tmp + "/" + name.replacingOccurrences(of: "/", with: "_")
            try CircuitIO.write(try CircuitIO.read(path: ref), to: base + ".w.v", format: .verilog)
            let r = try S.run([abc, "-c", "read_verilog \(base).w.v; strash; cec \(ref)"])
            #expect(r.output.contains("Networks are equivalent"), "ABC on \(name): \(r.output)")
            if let yosys {
                let y = try S.run([yosys, "-q", "-p", "read_verilog \(base).w.v; techmap; aigmap; write_blif \(base).y.blif"])
                #expect(y.status == 0, "yosys: \(y.output)")
                let c = try S.run([abc, "-c", "read_blif \(base).y.blif; strash; cec \(ref)"])
                #expect(c.output.contains("Networks are equivalent"), "Yosys on \(name): \(c.output)")
            }
        }
    }

    @Test func sequentialAIGsAreRejectedByTheWriter() throws {
        let s27 = try CircuitIO.read(path: S.fixture("Circuits/s27.bench"))
        #expect(throws: FormatError.self) { try CircuitIO.serialize(s27, format: .verilog) }
    }
}
