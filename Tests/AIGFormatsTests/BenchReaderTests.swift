import AIG
import AIGFormats
import Foundation
import Testing

private typealias S = NetlistTestSupport

@Suite struct BenchReaderTests {
    @Test func c17BenchAndVerilogTwinsAgree() throws {
        let bench = try CircuitIO.read(path: S.fixture("Circuits/c17.bench"))
        let verilog = try CircuitIO.read(path: S.fixture("Verilog/c17.v"))
        #expect(S.names(bench.inputNames) == ["N1", "N2", "N3", "N6", "N7"])
        #expect(S.names(bench.outputNames) == ["N22", "N23"])
        #expect(bench.inputNames == verilog.inputNames && bench.outputNames == verilog.outputNames)
        #expect(bench.andCount == 6)
        let table = S.truthTable(bench)
        #expect(table == S.truthTable(verilog))
        for m in 0..<32 {
            let n1 = m & 1 != 0, n2 = m & 2 != 0, n3 = m & 4 != 0, n6 = m & 8 != 0, n7 = m & 16 != 0
            let n10 = !(n1 && n3), n11 = !(n3 && n6), n16 = !(n2 && n11), n19 = !(n11 && n7)
            #expect(table[m] == [!(n10 && n16), !(n16 && n19)])
        }
    }

    @Test func s27FlipFlopsBecomeLatches() throws {
        let aig = try CircuitIO.read(path: S.fixture("Circuits/s27.bench"))
        #expect(aig.inputCount == 4 && aig.outputCount == 1 && aig.latchCount == 3)
        #expect(S.names(aig.latchNames) == ["G5", "G6", "G7"])
        #expect(aig.latches.allSatisfy { $0.reset == .zero })
        // G17 = NOT(G11), G11 = NOR(G5, G9): with G5 = 1 the output is 1.
        #expect(S.evaluate(aig, [false, false, false, false], latches: [true, false, false]) == [true])
        guard let abc = S.which("berkeley-abc", "s27 comparison with ABC's bench reader") else { return }
        let tmp = try S.tempDir()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        try CircuitIO.write(aig, to: tmp + "/s27.aig", format: .aigerBinary)
        let r = try S.run([abc, "-c", "read_bench \(S.fixture("Circuits/s27.bench")); strash; cec \(tmp)/s27.aig"])
        #expect(r.output.contains("Networks are equivalent"), "\(r.output)")
    }

    @Test func gatesLUTsAndConstants() throws {
        let aig = try S.parse("""
            # all gate kinds
            INPUT(a)
            INPUT(b)
            INPUT(c)
            OUTPUT(o1)
            OUTPUT(o2)
            OUTPUT(o3)
            OUTPUT(o4)
            OUTPUT(o5)
            OUTPUT(o6)
            OUTPUT(o7)
            OUTPUT(o8)
            o1 = AND(a, b, c)
            o2 = OR(a, b, c)   # trailing comment
            o3 = XOR(a, b, c)
            o4 = XNOR(a, b)
            o5 = NOR(a, t)
            t = BUFF(c)
            o6 = LUT 0xe8 ( a, b, c )
            o7 = vdd
            o8 = NOT(o7)
            """, .bench, name: "t.bench")
        for m in 0..<8 {
            let a = m & 1 != 0, b = m & 2 != 0, c = m & 4 != 0
            let maj = (a && b) || (a && c) || (b && c)
            #expect(S.evaluate(aig, [a, b, c]) == [a && b && c, a || b || c, (a != b) != c, a == b, !(a || c), maj, true, false])
        }
    }

    @Test func locatedErrors() {
        func err(_ s: String, options: ReadOptions = ReadOptions()) -> FormatError? {
            do { _ = try S.parse(s, .bench, name: "t.bench", options: options); Issue.record("no error for \(s)"); return nil } catch let e as FormatError {
                return e
            } catch { return nil }
        }
        let e1 = err("INPUT(a)\nOUTPUT(y)\ny = FOO(a)\n")
        #expect(e1?.line == 3 && e1?.column == 5 && e1?.message.contains("unknown gate 'FOO'") == true)
        let e2 = err("INPUT(a)\nOUTPUT(y)\ny = NOT(a)\ny = BUF(a)\n")
        #expect(e2?.line == 4 && e2?.message.contains("more than once") == true)
        let e3 = err("INPUT(a)\nOUTPUT(y)\ny = AND(a, w)\n")
        #expect(e3?.line == 3 && e3?.column == 12 && e3?.message.contains("'w'") == true)
        let e4 = err("INPUT(a)\nOUTPUT(y)\ny = AND(a, z)\nz = OR(y, a)\n")
        #expect(e4?.message.contains("combinational loop") == true)
        let e5 = err("INPUT(a)\nOUTPUT(y)\ny = NOT(a, a)\n")
        #expect(e5?.line == 3 && e5?.message.contains("takes 1 input") == true)
        let e6 = err("INPUT(a\n")
        #expect(e6?.line == 1 && e6?.column == 8)
        var o = ReadOptions(); o.undriven = .input
        let aig = try? S.parse("INPUT(a)\nOUTPUT(y)\ny = AND(a, w)\n", .bench, name: "t.bench", options: o)
        #expect(aig.map { S.names($0.inputNames) } == ["a", "w"])
    }
}
