import AIG
import AIGFormats
import Foundation
import Testing

private typealias S = NetlistTestSupport

@Suite struct BLIFReaderTests {
    @Test func subcktHierarchyMatchesVerilogTwin() throws {
        let blif = try CircuitIO.read(path: S.fixture("Circuits/adder2.blif"))
        let verilog = try CircuitIO.read(path: S.fixture("Verilog/adder2.v"))
        #expect(S.names(blif.inputNames) == ["a[0]", "a[1]", "b[0]", "b[1]", "cin"])
        #expect(blif.inputNames == verilog.inputNames && blif.outputNames == verilog.outputNames)
        #expect(S.truthTable(blif) == S.truthTable(verilog))
    }

    @Test func coversConstantsAndLatches() throws {
        let aig = try S.parse("""
            .model t   # comment
            .inputs a b \\
              c
            .outputs on off one zero q dc
            .names a b c on
            1-1 1
            01- 1
            .names a b off
            11 0
            .names one
            1
            .names zero
            .names a dc
            - 1
            .latch on q 1
            .end
            """, .blif, name: "t.blif")
        #expect(aig.inputCount == 3 && aig.latchCount == 1 && aig.latches[0].reset == .one)
        #expect(S.names(aig.outputNames) == ["on", "off", "one", "zero", "q", "dc"])
        for m in 0..<8 {
            let a = m & 1 != 0, b = m & 2 != 0, c = m & 4 != 0
            let o = S.evaluate(aig, [a, b, c], latches: [true])
            #expect(o == [(a && c) || (!a && b), !(a && b), true, false, true, true])
        }
        #expect(S.evaluate(aig, [true, false, true], latches: [false])[4] == false)
    }

    @Test func latchInitialValues() throws {
        let aig = try S.parse(".model l\n.inputs d\n.outputs q0 q1 q2\n.latch d q0 0\n.latch d q1 re clk 3\n.latch d q2\n.end\n", .blif, name: "t.blif")
        #expect(aig.latches.map(\.reset) == [.zero, .uninitialized, .uninitialized])
    }

    @Test func locatedErrors() {
        func err(_ s: String) -> FormatError? {
            do { _ = try S.parse(s, .blif, name: "t.blif"); Issue.record("no error for \(s)"); return nil } catch let e as FormatError {
                return e
            } catch { return nil }
        }
        let e1 = err(".model m\n.inputs a\n.outputs y\n.names a y\n12 1\n.end\n")
        #expect(e1?.line == 5 && e1?.message.contains("cover row") == true)
        let e2 = err(".model m\n.inputs a\n.outputs y\n.names a y\n1 1\n0 0\n.end\n")
        #expect(e2?.line == 6 && e2?.message.contains("on-set and off-set") == true)
        let e3 = err(".model m\n.inputs a\n.outputs y\n.gate and2 A=a B=a O=y\n.end\n")
        #expect(e3?.line == 4 && e3?.message.contains("not supported") == true)
        let e4 = err(".model m\n.inputs a\n.outputs y\n.subckt nosuch x=a y=y\n.end\n")
        #expect(e4?.line == 4 && e4?.message.contains("unknown model") == true)
        let e5 = err(".model m\n.inputs a\n.outputs y\n.names a w y\n11 1\n.end\n")
        #expect(e5?.message.contains("'w'") == true && e5?.message.contains("never driven") == true)
        let e6 = err(".model m\n.inputs a\n.outputs y\n.names y a y\n11 1\n.end\n")
        #expect(e6?.message.contains("combinational loop") == true)
        let e7 = err(".model m\n.frobnicate\n.end\n")
        #expect(e7?.line == 2 && e7?.column == 1)
    }

    @Test func truncatedInputsNeverCrash() throws {
        let src = try CircuitIO.readBytes(path: S.fixture("Circuits/adder2.blif"))
        for n in 0..<src.count { _ = try? CircuitIO.parse(Array(src[0..<n]), name: "t.blif", format: .blif) }
        let bench = try CircuitIO.readBytes(path: S.fixture("Circuits/s27.bench"))
        for n in 0..<bench.count { _ = try? CircuitIO.parse(Array(bench[0..<n]), name: "t.bench", format: .bench) }
    }
}
