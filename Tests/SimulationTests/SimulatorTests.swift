import AIG
import AIGFormats
import Simulation
import Testing
import TestSupport

@Suite struct PRNGTests {
    /// Golden values from the public-domain reference C code of SplitMix64
    /// and xoshiro256** (compiled and run when these tests were written).
    @Test func splitMix64MatchesReference() {
        var sm = SplitMix64(seed: 0)
        #expect(sm.next() == 0xE220_A839_7B1D_CDAF)
        #expect(sm.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func xoshiroMatchesReference() {
        var x = Xoshiro256StarStar(seed: 0)
        #expect(x.next() == 0x99EC_5F36_CB75_F2B4)
        #expect(x.next() == 0xBF6E_1F78_4956_452A)
        #expect(x.next() == 0x1A5F_849D_4933_E6E0)
    }

    /// Input i's stream is xoshiro seeded with SplitMix64 outputs 4i...4i+3.
    @Test func patternStreamDefinition() {
        var s = Patterns.stream(seed: 42, input: 1)
        #expect(s.next() == 0xFE64_7E51_5340_0883)
        #expect(s.next() == 0x7FCB_8E42_F6A7_5C30)
        #expect(s.next() == 0xB4D1_E9A1_2A15_9020)
        var a = Patterns.stream(seed: 0, input: 0), b = Xoshiro256StarStar(seed: 0)
        for _ in 0..<10 { #expect(a.next() == b.next()) }
    }

    @Test func exhaustiveWords() {
        // Bit m of the word sequence of input i is bit i of m.
        for i in 0..<9 {
            for m in 0..<512 {
                let w = Patterns.exhaustiveWord(input: i, word: m >> 6)
                #expect((w >> UInt64(m & 63)) & 1 == UInt64((m >> i) & 1))
            }
        }
        #expect(Patterns.exhaustiveMask(inputs: 0) == 1)
        #expect(Patterns.exhaustiveMask(inputs: 3) == 0xFF)
        #expect(Patterns.exhaustiveMask(inputs: 6) == ~0)
        #expect(Patterns.exhaustiveWordCount(inputs: 8) == 4)
    }
}

@Suite struct SimulatorTests {
    /// Bit-parallel simulation agrees with single-vector evaluation, pattern by pattern.
    @Test(arguments: [1, 3, 4, 7])
    func simulationMatchesEvaluation(words: Int) throws {
        for seed in 0..<6 as Range<UInt64> {
            let aig = randomAIG(inputs: 9, outputs: 5, ands: 120, latches: Int(seed % 3), seed: seed)
            let n = aig.inputCount + aig.latchCount
            let patterns = PatternSet.random(inputCount: n, wordCount: words, seed: seed)
            var sim = Simulator()
            sim.simulate(aig, patterns: patterns)
            #expect(sim.wordsPerVariable == words)
            for p in stride(from: 0, to: patterns.count, by: 13) {
                let v = patterns.pattern(p)
                let e = try evaluateStep(aig, inputs: Array(v[0..<aig.inputCount]), latchState: Array(v[aig.inputCount...]))
                #expect(e.outputs == aig.outputs.map { sim.value($0, pattern: p) })
                #expect(e.nextState == aig.latches.map { sim.value($0.next, pattern: p) })
            }
        }
    }

    /// Every node's words are readable and consistent with the AND rule.
    @Test func everyNodeWords() {
        let aig = randomAIG(inputs: 12, outputs: 3, ands: 300, seed: 11)
        var sim = Simulator()
        sim.simulateRandom(aig, words: 5, seed: 9)
        #expect(sim.words(of: 0).allSatisfy { $0 == 0 })
        for (k, f) in aig.ands.enumerated() {
            let v = aig.firstAndVariable + k
            for w in 0..<5 {
                #expect(sim.word(Literal(variable: UInt32(v)), w) == sim.word(f.left, w) & sim.word(f.right, w))
            }
        }
        // simulateRandom == simulate(.random)
        var sim2 = Simulator()
        sim2.simulate(aig, patterns: .random(inputCount: 12, wordCount: 5, seed: 9))
        #expect(sim.withValues { Array($0) } == sim2.withValues { Array($0) })
    }

    /// Cone simulation gives the same root words as full simulation, and
    /// the buffer is reused across circuits of different sizes.
    @Test func coneSimulation() {
        var sim = Simulator()
        for seed in 0..<5 as Range<UInt64> {
            let aig = randomAIG(inputs: 10, outputs: 6, ands: 200 + 50 * Int(seed), seed: seed)
            let patterns = PatternSet.random(inputCount: 10, wordCount: 3, seed: seed)
            var full = Simulator()
            full.simulate(aig, patterns: patterns)
            let roots = [aig.outputs[0], aig.outputs[3]]
            sim.simulate(aig, patterns: patterns, cone: roots)
            for r in roots { #expect(sim.literalWords(r) == full.literalWords(r)) }
            #expect(sim.stats.andWords - 0 >= 0)
            let coneAnds = aig.andCount(inConeOf: roots)
            #expect(coneAnds <= aig.andCount)
        }
    }

    /// Appending counterexamples grows the set without disturbing earlier patterns.
    @Test func appendPatterns() {
        var rng = TestRNG(5)
        var set = PatternSet(inputCount: 7)
        var vectors: [[Bool]] = []
        for _ in 0..<200 {
            let v = (0..<7).map { _ in rng.bool() }
            vectors.append(v)
            let ok = set.append(v)
            #expect(ok)
        }
        #expect(set.count == 200)
        #expect(set.wordCount == 4)
        for (p, v) in vectors.enumerated() { #expect(set.pattern(p) == v) }
        let rejected = !set.append([true])
        #expect(rejected)
        #expect(set.validMask(word: 3) == (UInt64(1) << 8) - 1)
        #expect(PatternSet(inputCount: 2, vectors: [[true]]) == nil)
    }

    @Test func evaluateRejectsWrongLengths() {
        let aig = randomAIG(inputs: 3, outputs: 1, ands: 5, latches: 1, seed: 1)
        #expect(throws: SimulationError.inputCount(expected: 3, got: 2)) { try evaluate(aig, inputs: [true, false]) }
        #expect(throws: SimulationError.latchCount(expected: 1, got: 0)) {
            try evaluate(aig, inputs: [true, false, true], latchState: [])
        }
    }

    /// AIGER examples: the outputs the AIGER format document defines.
    @Test func aigerExamples() throws {
        func load(_ name: String) throws -> AIG {
            try CircuitIO.read(path: TestSupport.repoFile("Circuits/aiger-examples/" + name).path)
        }
        let and = try load("and.aag"), or = try load("or.aag"), xor = try load("xor1.aag")
        let half = try load("halfadder.aag")
        for a in [false, true] {
            for b in [false, true] {
                #expect(try evaluate(and, inputs: [a, b]) == [a && b])
                #expect(try evaluate(or, inputs: [a, b]) == [a || b])
                #expect(try evaluate(xor, inputs: [a, b]) == [a != b])
                #expect(try evaluate(half, inputs: [a, b]) == [a != b, a && b])
            }
        }
        #expect(try evaluate(load("true.aag"), inputs: []) == [true])
        #expect(try evaluate(load("false.aag"), inputs: []) == [false])
        #expect(try evaluate(load("inverter.aag"), inputs: [true]) == [false])
        // toggle: latch with reset 0, next = !latch, output = latch (one output per state).
        let toggle = try load("toggle.aag")
        let s0 = try evaluateStep(toggle, inputs: [], latchState: nil)
        let s1 = try evaluateStep(toggle, inputs: [], latchState: s0.nextState)
        #expect(s0.nextState != s1.nextState)
    }
}

@Suite struct TruthTableTests {
    @Test func basics() throws {
        let a = try #require(TruthTable(inputCount: 3, variable: 0))
        let b = try #require(TruthTable(inputCount: 3, variable: 1))
        let c = try #require(TruthTable(inputCount: 3, variable: 2))
        #expect(a.hex == "aa" && b.hex == "cc" && c.hex == "f0")
        let maj = (a & b) | (a & c) | (b & c)
        #expect(maj.hex == "e8")
        #expect(maj.onesCount == 4)
        #expect((~maj).hex == "17")
        #expect((a ^ a).isConstantFalse)
        #expect((a | ~a).isConstantTrue)
        #expect(maj.cofactor(2, true) == a | b)
        #expect(maj.cofactor(2, false) == a & b)
        #expect(maj.support == [0, 1, 2])
        #expect((a & b).support == [0, 1])
        #expect(maj.evaluate([true, false, true]))
        #expect(!maj.evaluate([true, false, false]))
        #expect(TruthTable(hex: "0xe8", inputCount: 3) == maj)
        #expect(TruthTable(hex: "e", inputCount: 1) == nil)  // sets a bit beyond 2^1
        #expect(TruthTable(hex: "2", inputCount: 1) == TruthTable(inputCount: 1, variable: 0))
        #expect(TruthTable(inputCount: 17) == nil)
        #expect(TruthTable(inputCount: 2, variable: 2) == nil)
        #expect(maj.bits == "00010111")
    }

    @Test func wideCofactors() throws {
        // 10 inputs: cofactors on word-level inputs.
        let n = 10
        let x = (0..<n).map { TruthTable(inputCount: n, variable: $0)! }
        let f = (x[0] & x[7]) ^ (x[9] | x[3])
        #expect(f.cofactor(9, true).isConstantTrue == false)
        #expect(f.cofactor(9, true) == ~(x[0] & x[7]))
        #expect(f.cofactor(7, false) == x[9] | x[3])
        #expect(f.support == [0, 3, 7, 9])
        #expect(TruthTable(hex: f.hex, inputCount: n) == f)
    }

    /// Truth tables from simulation equal those computed by evaluation.
    @Test func fromCircuit() throws {
        let aig = randomAIG(inputs: 8, outputs: 4, ands: 100, seed: 3)
        let tts = try #require(TruthTable.of(aig))
        for m in stride(from: 0, to: 256, by: 7) {
            let v = (0..<8).map { (m >> $0) & 1 == 1 }
            let out = try evaluate(aig, inputs: v)
            #expect(out == tts.map { $0[minterm: m] })
        }
        #expect(TruthTable.of(randomAIG(inputs: 17, outputs: 1, ands: 20, seed: 1)) == nil)
        let few = randomAIG(inputs: 2, outputs: 2, ands: 3, seed: 4)
        let t = try #require(TruthTable.of(few))
        #expect(t.allSatisfy { $0.words[0] >> 4 == 0 })
    }
}
