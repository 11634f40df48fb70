import Testing
@testable import AIG

/// Reference evaluation used only by these tests (the Simulation module has
/// the real one): values of every variable for one input assignment.
func evaluate(_ aig: AIG, _ inputs: [Bool]) -> [Bool] {
    var value = [Bool](repeating: false, count: aig.maxVariable + 1)
    for i in 0..<aig.inputCount { value[i + 1] = inputs[i] }
    func lit(_ l: Literal) -> Bool { value[Int(l.variable)] != l.isComplemented }
    for (k, a) in aig.ands.enumerated() { value[aig.firstAndVariable + k] = lit(a.left) && lit(a.right) }
    return aig.outputs.map(lit)
}

func allAssignments(_ n: Int) -> [[Bool]] {
    (0..<(1 << n)).map { m in (0..<n).map { m >> $0 & 1 == 1 } }
}

@Suite struct LiteralTests {
    @Test func aigerConvention() {
        let l = Literal(variable: 5, complemented: true)
        #expect(l.raw == 11)
        #expect(l.variable == 5)
        #expect(l.isComplemented)
        #expect((!l).raw == 10)
        #expect(l.regular.raw == 10)
        #expect(Literal.false.raw == 0 && Literal.true.raw == 1)
        #expect(!Literal.false == .true)
        #expect(Literal(raw: 7).complemented(if: false).raw == 7)
        #expect(Literal(raw: 7).complemented(if: true).raw == 6)
    }

    @Test func andFitsInEightBytes() {
        #expect(MemoryLayout<AndFanins>.stride == 8)
        #expect(MemoryLayout<Literal>.stride == 4)
    }
}

@Suite struct BuilderTests {
    @Test func trivialCasesFold() {
        var b = AIGBuilder(inputCount: 2)
        let a = b.input(0), c = b.input(1)
        #expect(b.and(a, .false) == .false)
        #expect(b.and(.false, a) == .false)
        #expect(b.and(a, .true) == a)
        #expect(b.and(.true, !a) == !a)
        #expect(b.and(a, a) == a)
        #expect(b.and(a, !a) == .false)
        #expect(b.aig.andCount == 0)
        let x = b.and(a, c)
        #expect(b.and(c, a) == x, "operand order must not matter")
        #expect(b.aig.andCount == 1)
        #expect(b.and(!a, c) != x)
        #expect(b.aig.andCount == 2)
        #expect(b.existingAnd(a, c) == x)
        #expect(b.existingAnd(!a, !c) == nil)
    }

    @Test func helpersComputeTheirFunctions() {
        var b = AIGBuilder(inputCount: 3)
        let (x, y, z) = (b.input(0), b.input(1), b.input(2))
        b.addOutput(b.or(x, y)); b.addOutput(b.xor(x, y)); b.addOutput(b.mux(x, y, z))
        b.addOutput(b.nand(x, y)); b.addOutput(b.nor(x, y)); b.addOutput(b.xnor(x, y))
        b.addOutput(b.and([x, y, z])); b.addOutput(b.or([x, y, z])); b.addOutput(b.xor([x, y, z]))
        b.addOutput(b.and([])); b.addOutput(b.or([]))
        let aig = b.finish()
        #expect(aig.invariantViolation() == nil)
        for v in allAssignments(3) {
            let o = evaluate(aig, v)
            let (p, q, r) = (v[0], v[1], v[2])
            #expect(o == [p || q, p != q, p ? q : r, !(p && q), !(p || q), p == q,
                          p && q && r, p || q || r, (p != q) != r, true, false])
        }
    }

    @Test func growsTheHashTable() {
        var b = AIGBuilder(inputCount: 64)
        var lits: [Literal] = []
        for i in 0..<64 { for j in 0..<i { lits.append(b.and(b.input(i), !b.input(j))) } }
        let count = b.aig.andCount
        #expect(count == 64 * 63 / 2)
        for i in 0..<64 { for j in 0..<i { _ = b.and(!b.input(j), b.input(i)) } }
        #expect(b.aig.andCount == count, "every AND must be found again after the table grew")
        #expect(b.aig.invariantViolation() == nil)
    }

    @Test func rebuildingOnExistingAIGReusesNodes() {
        var b = AIGBuilder(inputCount: 2)
        let x = b.and(b.input(0), b.input(1))
        var again = AIGBuilder(b.finish())
        #expect(again.and(again.input(1), again.input(0)) == x)
        #expect(again.aig.andCount == 1)
    }
}

@Suite struct AnalysisTests {
    /// out0 = (a∧b)∧c, out1 = a; one dangling AND (b∧c).
    func sample() -> AIG {
        var b = AIGBuilder(inputCount: 3)
        let ab = b.and(b.input(0), b.input(1))
        _ = b.and(b.input(1), b.input(2))
        let abc = b.and(ab, b.input(2))
        b.addOutput(abc, name: "f")
        b.addOutput(!b.input(0), name: "g")
        var aig = b.finish()
        aig.inputNames = ["a", "b", "c"]
        return aig
    }

    @Test func levelsAndDepth() {
        let aig = sample()
        let lv = aig.levels()
        #expect(lv[1] == 0 && lv[4] == 1 && lv[5] == 1 && lv[6] == 2)
        #expect(aig.depth() == 2)
    }

    @Test func fanouts() {
        let f = sample().fanoutCounts()
        #expect(f[1] == 2)   // a: AND 4 and output g
        #expect(f[2] == 2)   // b: ANDs 4 and 5
        #expect(f[3] == 2)   // c: ANDs 5 and 6
        #expect(f[5] == 0)   // dangling
        #expect(f[6] == 1)
    }

    @Test func coneOfAnOutput() {
        let aig = sample()
        let c = aig.cone(of: [aig.outputs[0]])
        #expect(c == [false, true, true, true, true, false, true])
        #expect(aig.andCount(inConeOf: [aig.outputs[1]]) == 0)
        #expect(aig.andCount(inConeOf: aig.outputs) == 2)
    }

    @Test func cleanupDropsDanglingAndKeepsFunctionAndNames() {
        let aig = sample()
        let clean = aig.cleanedUp()
        #expect(clean.andCount == 2)
        #expect(clean.invariantViolation() == nil)
        #expect(clean.inputNames == ["a", "b", "c"])
        #expect(clean.outputNames == ["f", "g"])
        for v in allAssignments(3) { #expect(evaluate(clean, v) == evaluate(aig, v)) }
    }

    @Test func cleanupKeepsLatchLogic() {
        var b = AIGBuilder(inputCount: 1, latchCount: 1)
        let n = b.and(b.input(0), !b.latch(0))
        b.setLatch(0, next: n, reset: .one)
        let clean = b.finish().cleanedUp()
        #expect(clean.andCount == 1)
        #expect(clean.latches[0].reset == .one)
        #expect(clean.latches[0].next.variable == UInt32(clean.firstAndVariable))
    }
}
