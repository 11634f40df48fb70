import Testing
import AIG
import AIGFormats
import Simulation
@testable import Equivalence
import TestSupport

private func fixture(_ name: String) throws -> AIG {
    try CircuitIO.read(path: TestSupport.repoFile("Circuits/sequential/" + name).path)
}

/// A circuit with inputs `in0, in1`, one register per entry of `registers`
/// (name, next-state function of the inputs and registers, by index), and
/// one output per register (its current state), named `o<k>` after the
/// entry's position in `outputOrder` (default: register order).
private func circuit(_ registers: [(name: String?, next: (inout AIGBuilder, [Literal], [Literal]) -> Literal)],
                     outputs outputOrder: [Int]? = nil, reset: Latch.Reset = .zero) -> AIG {
    var b = AIGBuilder()
    let ins = [b.addInput(name: "in0"), b.addInput(name: "in1")]
    let regs = registers.map { b.addLatch(reset: reset, name: $0.name) }
    for (k, r) in registers.enumerated() { b.setLatch(k, next: r.next(&b, ins, regs)) }
    for (k, i) in (outputOrder ?? Array(registers.indices)).enumerated() { b.addOutput(regs[i], name: "o\(k)") }
    return b.finish()
}

private func check(_ a: AIG, _ b: AIG, _ configure: (inout EquivalenceChecker.Params) -> Void = { _ in }) throws -> (CheckResult, EquivalenceChecker.Stats) {
    var p = EquivalenceChecker.Params()
    configure(&p)
    return try EquivalenceChecker(params: p).check(a, b)
}

@Suite struct RegisterMatchingTests {
    @Test func normalisedNamesMeet() {
        for n in ["q_reg[3]", "\\q_reg[3] ", "q_reg_3_", "q[3]", "q(3)", "q.3", "q<3>", "  q[03]", "\\q[3]"] {
            #expect(RegisterNames.normalize(n) == "q[3]", "\(n) -> \(RegisterNames.normalize(n))")
        }
        for n in ["u1/q_reg[0]", "u1.q[0]", "u1_q_reg_0_", "\\u1.q_reg[0] ", "u1/q(0)"] {
            #expect(RegisterNames.normalize(n) == "u1.q[0]", "\(n) -> \(RegisterNames.normalize(n))")
        }
        #expect(RegisterNames.normalize("mem_reg[2][3]") == "mem[2][3]")
        #expect(RegisterNames.normalize("mem_reg_2__3_") == "mem[2][3]")
        #expect(RegisterNames.normalize("state_reg") == "state")
        #expect(RegisterNames.normalize("top/u2/data_out_reg") == "top.u2.data.out")
        #expect(RegisterNames.normalize("top.u2.data_out") == "top.u2.data.out")
        // Not indices: digits glued to the name, a bare `_N`, non-digits in brackets.
        #expect(RegisterNames.normalize("q3") == "q3")
        #expect(RegisterNames.normalize("q_3") == "q.3")
        #expect(RegisterNames.normalize("q[a]") == "q.a")
        // Degenerate names stay names, no trap.
        #expect(RegisterNames.normalize("") == "")
        #expect(RegisterNames.normalize("\\") == "")
        #expect(RegisterNames.normalize("_reg") == "reg")
        #expect(RegisterNames.normalize("[3]") == "3")
        #expect(RegisterNames.normalize("q[99999999999999999999]") == "q.99999999999999999999")
        #expect(RegisterNames.aliases("cnt[0] count[0]") == ["cnt[0]", "count[0]"])
        #expect(RegisterNames.aliases("\\q_reg[3] ") == ["\\q_reg[3]"])
    }

    @Test func renamedRegistersPairByName() {
        let a = circuit([("q[0]", { b, i, _ in i[0] }), ("q[1]", { b, i, r in b.and(i[1], r[0]) }), ("u1.s", { b, i, r in b.xor(r[0], r[1]) })])
        let b = circuit([("\\u1/s_reg ", { b, i, r in b.xor(r[2], r[1]) }), ("q_reg_0_", { b, i, _ in i[0] }), ("q_reg[1]", { b, i, r in b.and(i[1], r[1]) })],
                        outputs: [1, 2, 0])
        let m = RegisterMatching.match(a, b, inputOfB: [0, 1])
        #expect(m.isComplete)
        #expect(m.pairs.map { [$0.a, $0.b] } == [[0, 1], [1, 2], [2, 0]])
        #expect(m.count(.name) == 3 && m.stats.normalisedNames == 3)
    }

    @Test func yosysAliasListsPairByAnyAlias() {
        let a = circuit([("cnt[0]", { b, i, _ in i[0] }), ("u1.sh[0]", { b, i, _ in i[1] })])
        let b = circuit([("shout[0] u1.sh[0]", { b, i, _ in i[1] }), ("cnt[0] count[0]", { b, i, _ in i[0] })], outputs: [1, 0])
        let m = RegisterMatching.match(a, b, inputOfB: [0, 1])
        #expect(m.pairs.map { [$0.a, $0.b] } == [[0, 1], [1, 0]])
        #expect(m.count(.name) == 2)
    }

    /// Two registers of one circuit with one key: no guess by name, the signatures decide.
    @Test func ambiguousNamesFallBackToSignatures() {
        let a = circuit([("q_reg[1]", { b, i, _ in i[0] }), ("q_1_", { b, i, _ in b.and(i[0], i[1]) })])
        let b = circuit([("x", { b, i, _ in b.and(i[0], i[1]) }), ("q[1]", { b, i, _ in i[0] })], outputs: [1, 0])
        let m = RegisterMatching.match(a, b, inputOfB: [0, 1])
        #expect(m.stats.ambiguousKeys == 1)
        #expect(m.count(.name) == 0 && m.count(.signature) == 2)
        #expect(m.pairs.map { [$0.a, $0.b] } == [[0, 1], [1, 0]])
    }

    /// A shift chain with unrelated names, in another order: each signature
    /// round pairs the next stage once the one before is paired.
    @Test func signaturesPairAChainRoundByRound() {
        let a = circuit([("a0", { b, i, _ in i[0] }), ("a1", { b, i, r in r[0] }), ("a2", { b, i, r in b.and(r[1], i[1]) })])
        let b = circuit([("x2", { b, i, r in b.and(r[2], i[1]) }), ("x0", { b, i, _ in i[0] }), ("x1", { b, i, r in r[1] })],
                        outputs: [1, 2, 0])
        let m = RegisterMatching.match(a, b, inputOfB: [0, 1])
        #expect(m.pairs.map { [$0.a, $0.b] } == [[0, 1], [1, 2], [2, 0]])
        #expect(m.count(.signature) == 3)
        #expect(m.stats.signatureRounds >= 3)
        // The inputs' correspondence matters: with B's inputs swapped nothing pairs.
        let swapped = RegisterMatching.match(a, b, inputOfB: [1, 0])
        #expect(swapped.pairs.isEmpty && swapped.unmatchedA == [0, 1, 2] && swapped.unmatchedB == [0, 1, 2])
        // Through the checker: equivalent.
        #expect((try? check(a, b).0) == .equivalent)
    }

    /// A register whose next state depends only on itself (a toggle) cannot
    /// be paired by signature: an error names it, unless allowed.
    @Test func unmatchedRegistersAreAnErrorUnlessAllowed() throws {
        let a = circuit([("t", { b, i, r in !r[0] }), ("k", { b, i, _ in i[0] })])
        let b = circuit([("flip", { b, i, r in !r[0] }), ("k", { b, i, _ in i[0] })])
        do {
            _ = try check(a, b)
            Issue.record("expected an error")
        } catch {
            let text = "\(error)"
            #expect(text.contains("registers do not match"), "\(text)")
            #expect(text.contains("1 of the first circuit (t)") && text.contains("1 of the second (flip)"), "\(text)")
            #expect(text.contains("--allow-unmatched"))
        }
        let (r, s) = try check(a, b) { $0.allowUnmatchedRegisters = true }
        #expect(s.registers?.unmatchedNamesA == ["t"] && s.registers?.unmatchedNamesB == ["flip"])
        #expect(s.registers?.count(.name) == 1)
        // o0 reads t in A and flip in B, now two free inputs: they differ.
        guard case .notEquivalent(let cex) = r else { Issue.record("got \(r)"); return }
        #expect(cex.differences.map(\.output) == ["o0"])
        #expect(Set(cex.assumedStates.map(\.register)) == ["t", "k", "flip"])
    }

    @Test func positionsForUnnamedRegistersAndOrderMode() throws {
        let a = circuit([(nil, { b, i, _ in i[0] }), (nil, { b, i, r in !r[0] })])
        let m = try PortMatching.matchCut(a, a, mode: .auto).1
        #expect(m?.count(.position) == 2)
        #expect((try check(a, a).0) == .equivalent)
        // One side named, the other not (ABC's AIGER without symbols): by position too;
        // --match names pairs them by signature instead.
        let named = circuit([("p", { b, i, _ in i[0] }), ("q", { b, i, r in b.and(r[0], i[1]) })])
        var unnamed = named; unnamed.latchNames = [nil, nil]
        let (r1, s1) = try check(named, unnamed)
        #expect(r1 == .equivalent && s1.registers?.count(.position) == 2)
        let (r2, s2) = try check(named, unnamed) { $0.matching = .names }
        #expect(r2 == .equivalent && s2.registers?.count(.signature) == 2)
        // --match order pairs registers by position even when named: a wrong
        // pairing (registers listed in another order) gives "not equivalent", never "equivalent".
        let x = circuit([("p", { b, i, _ in i[0] }), ("q", { b, i, r in b.and(r[0], i[1]) })])
        let y = circuit([("q", { b, i, r in b.and(r[1], i[1]) }), ("p", { b, i, _ in i[0] })], outputs: [1, 0])
        #expect((try check(x, y).0) == .equivalent)
        guard case .notEquivalent = try check(x, y, { $0.matching = .order }).0 else { Issue.record("order pairing should fail"); return }
    }

    @Test func differentInitialValuesAreReported() {
        let a = circuit([("q", { b, i, _ in i[0] })], reset: .zero)
        let b = circuit([("q", { b, i, _ in i[0] })], reset: .one)
        let m = RegisterMatching.match(a, b, inputOfB: [0, 1])
        #expect(m.resetMismatches == [0])
        let u = circuit([("q", { b, i, _ in i[0] })], reset: .uninitialized)
        #expect(RegisterMatching.match(a, u, inputOfB: [0, 1]).resetMismatches.isEmpty)
    }

    /// The issue's acceptance: the design, its Yosys netlists (names changed by
    /// the tool) and a hand-renamed version are equivalent; a netlist with one
    /// register's next state changed is not, and the counterexample replays.
    @Test func fixturesFromYosys() throws {
        let design = try fixture("counter.blif")
        for (name, byName, bySignature) in [("counter_yosys.blif", 5, 3), ("counter_yosys.aag", 8, 0), ("counter_renamed.aag", 7, 1)] {
            let (r, s) = try check(design, try fixture(name))
            #expect(r == .equivalent, "\(name): \(r)")
            #expect(s.registers?.count(.name) == byName && s.registers?.count(.signature) == bySignature, "\(name): \(String(describing: s.registers))")
            #expect(s.registers?.isComplete == true)
        }
        let bug = try fixture("counter_bug.aag")
        let (r, s) = try check(design, bug)
        guard case .notEquivalent(let cex) = r, let regs = s.registers else { Issue.record("got \(r)"); return }
        #expect(cex.differences.map(\.output) == ["u1.sh[0]$next"])
        #expect(cex.assumedStates.count == 8)
        // Replay on the sequential circuits: inputs and current states from each circuit's own vector.
        let ea = try evaluateStep(design, inputs: Array(cex.inputsA[..<design.inputCount]), latchState: Array(cex.inputsA[design.inputCount...]))
        let eb = try evaluateStep(bug, inputs: Array(cex.inputsB[..<bug.inputCount]), latchState: Array(cex.inputsB[bug.inputCount...]))
        #expect(ea.outputs == eb.outputs)
        let differing = regs.pairs.filter { ea.nextState[$0.a] != eb.nextState[$0.b] }.map(\.nameA)
        #expect(differing == ["u1.sh[0]"])
        // Paired registers read the same state in both vectors.
        for p in regs.pairs { #expect(cex.inputsA[design.inputCount + p.a] == cex.inputsB[bug.inputCount + p.b]) }
    }
}
