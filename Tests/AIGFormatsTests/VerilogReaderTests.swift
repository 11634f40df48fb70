import AIG
import AIGFormats
import Testing

private typealias S = NetlistTestSupport

/// Semantics of the Verilog subset, checked exhaustively against Swift models.
@Suite struct VerilogReaderTests {
    /// Input bits (LSB first per port, ports in header order) → value of port `k`.
    private func field(_ m: Int, _ offset: Int, _ width: Int) -> Int { (m >> offset) & ((1 << width) - 1) }
    private func outputs(_ aig: AIG, _ m: Int) -> Int {
        let ins = (0..<aig.inputCount).map { (m >> $0) & 1 == 1 }
        return S.evaluate(aig, ins).enumerated().reduce(0) { $0 | ($1.element ? 1 << $1.offset : 0) }
    }

    @Test func portNamesAndOrderFollowHeaderLSBFirst() throws {
        let aig = try S.parse("""
            module m (b, a, y, z);
              input [3:0] a;
              input [0:1] b;   // ascending: b[1] is the least significant bit
              output [5:2] y;
              output z;
              assign y = a;
              assign z = ^b;
            endmodule
            """)
        #expect(S.names(aig.inputNames) == ["b[1]", "b[0]", "a[0]", "a[1]", "a[2]", "a[3]"])
        #expect(S.names(aig.outputNames) == ["y[2]", "y[3]", "y[4]", "y[5]", "z"])
        for m in 0..<64 {
            let a = field(m, 2, 4), b = field(m, 0, 2)
            let want = a | ((b.nonzeroBitCount & 1) << 4)
            #expect(outputs(aig, m) == want)
        }
    }

    @Test func escapedScalarPortsKeepTheirNames() throws {
        let aig = try S.parse("module top ( \\a[0] , \\a[1] , y ); input \\a[0] , \\a[1] ; output y; assign y = \\a[0]  & ~\\a[1] ; endmodule")
        #expect(S.names(aig.inputNames) == ["a[0]", "a[1]"])
        #expect(S.truthTable(aig).map { $0[0] } == [false, true, false, false])
    }

    @Test func alu4FixtureMatchesModel() throws {
        let aig = try CircuitIO.read(path: S.fixture("Verilog/alu4.v"))
        #expect(aig.inputCount == 10 && aig.outputCount == 8)
        #expect(S.names(aig.inputNames) == ["a[0]", "a[1]", "a[2]", "a[3]", "b[3]", "b[2]", "b[1]", "b[0]", "op[1]", "op[2]"])
        for m in 0..<1024 {
            let a = field(m, 0, 4)
            // b is [0:3]: bit position p is index 3-p; bb = {b[3],b[2],b[1],b[0]} so bb[p] = b[p] = position 3-p.
            let bpos = field(m, 4, 4)
            var bb = 0
            for p in 0..<4 where (bpos >> (3 - p)) & 1 == 1 { bb |= 1 << p }
            let op1 = field(m, 8, 1), op2 = field(m, 9, 1)
            let lo = op1 == 1 ? (a & bb & 3) : ((a | bb) & 3)
            let hi = op2 == 1 ? ((a ^ bb) >> 2) & 3 : (~(~(a ^ bb)) >> 2) & 3
            let t = lo | hi << 2
            let zero = t == 0 ? 1 : 0, parity = t.nonzeroBitCount & 1, eq = a == bb ? 1 : 0
            let any = ((a != 0) && bb != 15) || op1 == 1 ? 1 : 0
            let want = t | zero << 4 | parity << 5 | eq << 6 | any << 7
            #expect(outputs(aig, m) == want, "inputs \(m)")
        }
    }

    @Test func operatorsAndConstants() throws {
        let aig = try S.parse("""
            module ops(input [2:0] a, input s, output [2:0] m, output [5:0] c, output r1, r2, r3, r4, r5, r6, n, l);
              assign m = s ? a : 3'b101;
              assign c = {a[0], {2{a[1]}}, 1'h1, 2'd0} ^ 6'b0;
              assign r1 = &a; assign r2 = |a; assign r3 = ^a;
              assign r4 = ~&a; assign r5 = ~|a; assign r6 = ((a ~^ 3'b111) == 3'd0) ? 1 : 0;
              assign n = !a;
              assign l = (a[0] || s) && (a[1] ^~ s);
            endmodule
            """)
        for m in 0..<16 {
            let a = field(m, 0, 3), s = field(m, 3, 1)
            let mm = s == 1 ? a : 5
            let c = (a & 1) << 5 | ((a >> 1) & 1) << 4 | ((a >> 1) & 1) << 3 | 1 << 2
            let r1 = a == 7 ? 1 : 0, r2 = a != 0 ? 1 : 0, r3 = a.nonzeroBitCount & 1
            let r6 = ((~(a ^ 7)) & 7) == 0 ? 1 : 0
            let l = ((a & 1 == 1) || s == 1) && (((a >> 1) & 1) == s) ? 1 : 0
            let want = mm | c << 3 | r1 << 9 | r2 << 10 | r3 << 11 | (1 - r1) << 12 | (1 - r2) << 13 | r6 << 14
                | (a == 0 ? 1 : 0) << 15 | l << 16
            #expect(outputs(aig, m) == want, "inputs \(m)")
        }
    }

    @Test func unsizedConstantsExtendToTheContext() throws {
        let aig = try S.parse("module k(output [3:0] y, output [3:0] z, output w); assign y = ~0; assign z = 5; assign w = 1; endmodule")
        #expect(S.evaluate(aig, []) == [true, true, true, true, true, false, true, false, true])
    }

    @Test func gatePrimitivesWithManyTerminals() throws {
        let aig = try S.parse("""
            module g(a, b, c, y1, y2, y3, y4, y5, y6, y7, y8);
              input a, b, c; output y1, y2, y3, y4, y5, y6, y7, y8;
              and (y1, a, b, c);
              or #(1, 2) o1 (y2, a, b, c);
              nand n1 (y3, a, b, c), n2 (y4, a, ~b);
              nor (y5, a, b, c);
              xor (y6, a, b, c);
              xnor (y7, a, b);
              not (y8, w1, a & b);
              buf (w2, w1);
            endmodule
            """)
        for m in 0..<8 {
            let a = m & 1 == 1, b = m & 2 != 0, c = m & 4 != 0
            let o = S.evaluate(aig, [a, b, c])
            #expect(o == [a && b && c, a || b || c, !(a && b && c), !(a && !b), !(a || b || c), (a != b) != c, a == b, !(a && b)])
        }
    }

    @Test func hierarchyIsFlattenedWithNamedAndPositionalConnections() throws {
        let aig = try CircuitIO.read(path: S.fixture("Verilog/adder2.v"))
        #expect(S.names(aig.inputNames) == ["a[0]", "a[1]", "b[0]", "b[1]", "cin"])
        #expect(S.names(aig.outputNames) == ["s[0]", "s[1]", "cout"])
        for m in 0..<32 {
            let sum = field(m, 0, 2) + field(m, 2, 2) + field(m, 4, 1)
            #expect(outputs(aig, m) == sum)
        }
    }

    @Test func topModuleSelection() throws {
        let src = "module a(input x, output y); assign y = ~x; endmodule module b(input x, output y); assign y = x; endmodule"
        #expect(throws: FormatError.self) { try S.parse(src) }
        do { _ = try S.parse(src); Issue.record("expected an ambiguity error") } catch let e as FormatError {
            #expect(e.message.contains("a, b") && e.message.contains("--top"))
        }
        var o = ReadOptions(); o.top = "b"
        let aig = try S.parse(src, options: o)
        #expect(S.truthTable(aig) == [[false], [true]])
        o.top = "nope"
        #expect(throws: FormatError.self) { try S.parse(src, options: o) }
    }

    @Test func nonANSIHeaderWithRedeclaredWiresAndWireInitialisers() throws {
        let aig = try S.parse("""
            `default_nettype wire
            module t (a, y);
              input [1:0] a;
              wire [1:0] a;
              output y;
              wire y;
              wire t1 = a[1] & a[0], t2 = ~t1;
              assign y = t2;
            endmodule
            """)
        #expect(S.truthTable(aig).map { $0[0] } == [true, true, true, false])
    }

    @Test func concatenationOnTheLeftAndPartSelects() throws {
        let aig = try S.parse("module t(input [7:4] a, output [1:0] p, output [1:0] q); assign {p, q} = {a[7:6], a[5:4]}; endmodule")
        for m in 0..<16 {
            let want = (m >> 2) & 3 | (m & 3) << 2
            #expect(outputs(aig, m) == want)
        }
    }

    @Test func undrivenPolicies() throws {
        let src = "module t(input a, output y); wire target; assign y = a & target; endmodule"
        do { _ = try S.parse(src); Issue.record("expected an undriven error") } catch let e as FormatError {
            #expect(e.line == 1 && e.message.contains("'target'") && e.message.contains("never driven"))
        }
        var o = ReadOptions(); o.undriven = .zero
        let z = try S.parse(src, options: o)
        #expect(z.inputCount == 1 && S.truthTable(z) == [[false], [false]])
        o.undriven = .input
        let i = try S.parse(src, options: o)
        #expect(S.names(i.inputNames) == ["a", "target"])
        #expect(S.truthTable(i).map { $0[0] } == [false, false, false, true])
    }

    @Test func outputDrivenByAnInputAndConstants() throws {
        let aig = try S.parse("module t(a, y, k); input a; output y, k; assign y = a; assign k = 1'b0; endmodule")
        #expect(S.truthTable(aig) == [[false, false], [true, false]])
    }

    @Test func assignmentsInAnyOrder() throws {
        let aig = try S.parse("module t(input a, b, output y); assign y = n2; assign n2 = ~n1; wire n1, n2; assign n1 = a & b; endmodule")
        #expect(S.truthTable(aig).map { $0[0] } == [true, true, true, false])
    }
}
