import Testing
import Foundation
import AIG
import AIGFormats
import Simulation
import Equivalence
@testable import Decoder
import TestSupport

/// Number of random circuits for the acceptance test: a few hundred in CI,
/// `MITER_DECODER_FULL=1` runs the full 1,000 (MiterBench's decoder suite does too).
let acceptanceCount = ProcessInfo.processInfo.environment["MITER_DECODER_FULL"] != nil ? 1000 : 200

func targets(_ g: AIG) throws -> DecoderTargets { try DecoderTargets(aig: g) }

@Suite struct TokenTests {
    @Test func vocabularyNumbering() {
        #expect(Vocabulary.size(inputs: 8) == 22)
        #expect(Vocabulary.literal(3) == 12 && Vocabulary.literal(3, negated: true) == 13)
        #expect(Vocabulary.name(13) == "¬x3" && Vocabulary.name(Vocabulary.nand) == "NAND")
        for t in 0..<Vocabulary.size(inputs: 5) { #expect(Vocabulary.parse(Substring(Vocabulary.name(t)), inputs: 5) == t) }
        #expect(Vocabulary.parse("!x2", inputs: 5) == Vocabulary.literal(2, negated: true))
        #expect(Vocabulary.parse("x5", inputs: 5) == nil)
    }

    @Test func roundTripRandomCircuits() throws {
        for seed in 0..<50 as Range<UInt64> {
            let g = randomDecoderCircuit(seed: seed)
            let toks = try TokenCodec.encode(g)
            #expect(toks.last == Vocabulary.eos)
            let back = try TokenCodec.decode(toks + [Vocabulary.pad, Vocabulary.pad], inputs: 8, outputs: 2)
            #expect(TruthTable.of(back) == TruthTable.of(g))
            #expect(back.andCount <= g.andCount)
        }
    }

    @Test func badSequencesAreTypedErrors() {
        #expect(throws: DecoderError.self) { try TokenCodec.decode([Vocabulary.and, Vocabulary.literal(0)], inputs: 2, outputs: 1) }
        #expect(throws: DecoderError.self) { try TokenCodec.decode([Vocabulary.literal(5), Vocabulary.eos], inputs: 2, outputs: 1) }
        #expect(throws: DecoderError.self) { try TokenCodec.decode([Vocabulary.const0, Vocabulary.const1], inputs: 2, outputs: 1) }
        #expect(throws: DecoderError.self) { try TokenCodec.decode([Vocabulary.const0, Vocabulary.eos, Vocabulary.const1], inputs: 2, outputs: 1) }
    }
}

@Suite struct DecoderStateTests {
    @Test func maskOfSimpleTarget() throws {
        // f = x0 ∧ ¬x1 over 2 inputs.
        let f = TruthTable(inputCount: 2, variable: 0)! & ~TruthTable(inputCount: 2, variable: 1)!
        let s = try DecoderState(targets: DecoderTargets(functions: [f]))
        let legal = Set(s.legalTokens())
        #expect(legal == [Vocabulary.and, Vocabulary.nand])
        let a = try s.applying(Vocabulary.and)
        // Left child of AND needs only the on-set: x0, ¬x1 and 1 fit.
        #expect(Set(a.legalTokens()).isSuperset(of: [Vocabulary.literal(0), Vocabulary.literal(1, negated: true), Vocabulary.const1]))
        #expect(!a.isLegal(Vocabulary.literal(1)))
        let b = try a.applying(Vocabulary.literal(0))
        let req = try #require(b.slotRequirement())
        #expect(!req.isLeftChild && req.level == 1)
        #expect(b.legalTokens().contains(Vocabulary.literal(1, negated: true)))
        #expect(throws: DecoderError.self) { try b.applying(Vocabulary.literal(1)) }
        let c = try b.applying(Vocabulary.literal(1, negated: true))
        #expect(c.legalTokens() == [Vocabulary.eos])
        let d = try c.applying(Vocabulary.eos)
        #expect(d.isComplete && d.andCount == 1)
        #expect(d.tokens == [Vocabulary.and, Vocabulary.literal(0), Vocabulary.literal(1, negated: true), Vocabulary.eos])
        try verifyDecoded(try d.aig(), try DecoderTargets(functions: [f]))
    }

    @Test func mergingRefundsDuplicates() throws {
        // Two outputs with complementary functions: the second costs nothing.
        let f = TruthTable(inputCount: 3, variable: 0)! & TruthTable(inputCount: 3, variable: 2)!
        var s = try DecoderState(targets: DecoderTargets(functions: [f, ~f]))
        for t in [Vocabulary.and, Vocabulary.literal(0), Vocabulary.literal(2), Vocabulary.nand, Vocabulary.literal(2), Vocabulary.literal(0), Vocabulary.eos] {
            s = try s.applying(t)
        }
        #expect(s.andCount == 1)
        let g = try s.aig()
        #expect(g.outputs[0] == !g.outputs[1])
    }

    @Test func careSetsAllowDontCares() throws {
        let f = TruthTable(inputCount: 2, variable: 0)! & TruthTable(inputCount: 2, variable: 1)!
        let care = ~(TruthTable(inputCount: 2, variable: 0)! ^ TruthTable(inputCount: 2, variable: 1)!)  // minterms 00, 11
        let s = try DecoderState(targets: DecoderTargets(functions: [f], care: [care]))
        #expect(s.isLegal(Vocabulary.literal(0)) && s.isLegal(Vocabulary.literal(1)))
        let r = try s.applying(Vocabulary.literal(1)).applying(Vocabulary.eos)
        try verifyDecoded(try r.aig(), try DecoderTargets(functions: [f], care: [care]))
    }

    @Test func impossibleBudgetsAreRefusedUpFront() throws {
        // A circuit whose guaranteed completion needs ANDs and depth: one less of either is refused.
        var seed: UInt64 = 7
        var g = randomDecoderCircuit(seed: seed)
        while try DecoderState(targets: targets(g)).completedByGuarantee().depthUsed < 2 { seed += 1; g = randomDecoderCircuit(seed: seed) }
        let free = try DecoderState(targets: targets(g)).completedByGuarantee()
        #expect(throws: DecoderError.self) { try DecoderState(targets: targets(g), budget: DecoderBudget(maxAnds: free.andCount - 1)) }
        #expect(throws: DecoderError.self) { try DecoderState(targets: targets(g), budget: DecoderBudget(maxDepth: free.depthUsed - 1)) }
        #expect(throws: DecoderError.self) { try DecoderState(targets: targets(g), budget: DecoderBudget(maxTokens: free.tokenCount - 1)) }
        _ = try DecoderState(targets: targets(g), budget: DecoderBudget(maxAnds: free.andCount, maxDepth: free.depthUsed, maxTokens: free.tokenCount))
        #expect(throws: DecoderError.self) { try DecoderState(targets: targets(g), budget: DecoderBudget(maxAnds: -1)) }
        #expect(throws: DecoderError.self) { try DecoderTargets(functions: []) }
        #expect(throws: DecoderError.self) { try DecoderTargets(functions: [TruthTable(inputCount: 4)!, TruthTable(inputCount: 3)!]) }
    }

    /// The no-dead-end guarantee: random legal tokens (mode 0), adversarial
    /// choices (mode 1: always an operator when one is legal) under a token
    /// budget, tight budgets (mode 2: exactly π's ANDs and depth, twice its
    /// tokens) and leaf-biased random tokens with the default budget on 8
    /// inputs (mode 3) always finish; every step has a legal token (π's among
    /// them); the result is within budget and correct.
    /// Mode 4: the source as guide, its AND count as budget and its sequence
    /// as token budget (what `decodeNeverWorse` allows, with no slack), with
    /// operator-biased random tokens.
    @Test(arguments: [0, 1, 2, 3, 4])
    func neverDeadEnds(mode: Int) throws {
        var rng = Xoshiro256StarStar(seed: UInt64(100 + mode))
        let inputs = [5, 5, 6, 8, 7][mode]
        for seed in 0..<10 as Range<UInt64> {
            let g = randomDecoderCircuit(seed: seed &* 31 &+ UInt64(mode), inputs: inputs, ands: mode == 4 ? 20...40 : 10...40)
            let t = try targets(g)
            var budget = DecoderBudget()
            var guide: DecoderGuide? = nil
            switch mode {
            case 0, 1: budget.maxTokens = 400
            case 2:
                let free = try DecoderState(targets: t).completedByGuarantee()
                budget = DecoderBudget(maxAnds: free.andCount, maxDepth: free.depthUsed, maxTokens: 2 * free.tokenCount)
            case 4:
                guide = try DecoderGuide(aig: g)
                let probe = try DecoderState(targets: t, guide: guide)
                budget = DecoderBudget(maxAnds: g.andCount, maxDepth: g.depth(), maxTokens: probe.guaranteed.tokens)
            default: break
            }
            var s = try DecoderState(targets: t, budget: budget, guide: guide)
            var steps = 0
            while !s.isComplete {
                let legal = s.legalTokens()
                #expect(!legal.isEmpty)
                #expect(legal.contains(s.completionToken()))
                let ops = legal.filter { $0 == Vocabulary.and || $0 == Vocabulary.nand }
                let leaves = legal.filter { !ops.contains($0) }
                let tok: Int
                switch mode {
                case 1 where !ops.isEmpty: tok = ops[Int(rng.next() % UInt64(ops.count))]
                case 4 where !ops.isEmpty && rng.next() % 2 == 0: tok = ops[Int(rng.next() % UInt64(ops.count))]
                case 3 where !leaves.isEmpty && rng.next() % 5 != 0: tok = leaves[Int(rng.next() % UInt64(leaves.count))]
                default: tok = legal[Int(rng.next() % UInt64(legal.count))]
                }
                s = try s.applying(tok)
                steps += 1
                if steps > 1_000_000 { Issue.record("no termination"); return }
            }
            #expect(s.andCount <= (budget.maxAnds ?? Int.max))
            #expect(s.depthUsed <= s.maxDepth)
            #expect(s.tokenCount <= (budget.maxTokens ?? Int.max))
            try verifyDecoded(try s.aig(), t)
        }
    }

    /// The mask's slot-by-slot rollout (memoised π subtrees) equals the
    /// token-by-token rollout of π from random reachable states, with and
    /// without budgets, on 3, 5 and 8 inputs; so does the rollout after a
    /// token computed without applying it (`rollout(after:)`, one scratch
    /// shared by every token of a state, as in the mask), for every locally
    /// fitting token, legal or not.
    @Test func fastRolloutEqualsTokenRollout() throws {
        var rng = Xoshiro256StarStar(seed: 4242)
        var checked = 0
        for seed in 0..<12 as Range<UInt64> {
            let n = [3, 5, 8][Int(seed % 3)]
            let g = randomDecoderCircuit(seed: 700 + seed, inputs: n)
            let t = try targets(g)
            var budget = DecoderBudget()
            if seed % 2 == 1 {
                let free = try DecoderState(targets: t, guide: seed >= 6 ? DecoderGuide(aig: g) : nil).completedByGuarantee()
                budget = DecoderBudget(maxAnds: free.andCount + 1, maxDepth: free.depthUsed + 1, maxTokens: 2 * free.tokenCount)
            }
            // The second half of the seeds follows a guide (the source): π then writes guide nodes.
            var s = try DecoderState(targets: t, budget: budget, guide: seed >= 6 ? DecoderGuide(aig: g) : nil)
            while !s.isComplete {
                let slow = s.rollout(limitChecked: false), fast = s.fastRollout(limitChecked: false)
                #expect(slow == fast, "seed \(seed) at \(s.tokens.count) tokens")
                checked += 1
                let legal = s.legalTokens()
                for tok in legal where tok != Vocabulary.eos {
                    var c = s
                    c.applyUnchecked(tok)
                    let a = c.rollout(limitChecked: false), b = c.fastRollout(limitChecked: false)
                    #expect(a == b, "seed \(seed), token \(Vocabulary.name(tok)) after \(s.tokens.count) tokens")
                    checked += 1
                }
                var scratch = RolloutScratch()
                var on = [UInt64](repeating: 0, count: s.W), off = on
                if s.outputIndex < s.outputCount { s.currentISF(&on, &off) }
                for tok in 2..<s.vocabularySize where s.outputIndex < s.outputCount {
                    let fits: Bool
                    switch tok {
                    case Vocabulary.const0: fits = s.isZero(on)
                    case Vocabulary.const1: fits = s.isZero(off)
                    case Vocabulary.and, Vocabulary.nand: fits = true
                    default:
                        let (p, q) = s.literalFits((tok - Vocabulary.firstLiteral) / 2, on, off)
                        fits = (tok - Vocabulary.firstLiteral) & 1 == 0 ? p : q
                    }
                    guard fits else { continue }
                    var c = s
                    c.applyUnchecked(tok)
                    let a = c.rollout(limitChecked: false), b = s.rollout(after: tok, limitChecked: false, &scratch)
                    #expect(a == b, "seed \(seed), token \(Vocabulary.name(tok)) after \(s.tokens.count) tokens (no copy)")
                    checked += 1
                }
                s = try s.applying(legal[Int(rng.next() % UInt64(legal.count))])
            }
        }
        #expect(checked > 500)
    }

    /// Every token the mask allows keeps π's completion within the budget, and
    /// every token it forbids breaks it (the mask is exact, not just sound).
    @Test func maskIsExactUnderAndBudget() throws {
        var rng = Xoshiro256StarStar(seed: 99)
        for seed in 0..<8 as Range<UInt64> {
            let g = randomDecoderCircuit(seed: 800 + seed, inputs: 6)
            let t = try targets(g)
            let free = try DecoderState(targets: t).completedByGuarantee()
            var s = try DecoderState(targets: t, budget: DecoderBudget(maxAnds: free.andCount + 1))
            while !s.isComplete && s.outputIndex < s.outputCount {
                let legal = Set(s.legalTokens())
                var on = [UInt64](repeating: 0, count: s.W), off = on
                s.currentISF(&on, &off)
                for tok in 2..<s.vocabularySize {
                    let fits: Bool
                    switch tok {
                    case Vocabulary.const0: fits = s.isZero(on)
                    case Vocabulary.const1: fits = s.isZero(off)
                    case Vocabulary.and, Vocabulary.nand: fits = s.currentLevel < s.maxDepth
                    default:
                        let (p, q) = s.literalFits((tok - Vocabulary.firstLiteral) / 2, on, off)
                        fits = (tok - Vocabulary.firstLiteral) & 1 == 0 ? p : q
                    }
                    guard fits else { #expect(!legal.contains(tok)); continue }
                    var c = s
                    c.applyUnchecked(tok)
                    let r = c.rollout(limitChecked: false)
                    #expect(legal.contains(tok) == (r.ands <= free.andCount + 1 && r.depth <= s.maxDepth), "token \(Vocabulary.name(tok))")
                }
                let l = Array(legal)
                s = try s.applying(l[Int(rng.next() % UInt64(l.count))])
            }
        }
    }

    @Test func guaranteedCompletionDepthBound() throws {
        for seed in 0..<30 as Range<UInt64> {
            for n in [3, 8, 10] {
                let g = randomDecoderCircuit(seed: seed, inputs: n, outputs: 2, ands: 10...60)
                let done = try DecoderState(targets: targets(g)).completedByGuarantee()
                #expect(done.depthUsed <= 2 * n)
                try verifyDecoded(try done.aig(), try targets(g))
            }
        }
    }

    /// With the source as guide, π's completion from the initial state is the
    /// source with equal functions merged: never more ANDs than the source,
    /// no deeper, correct; guide nodes are one per function.
    @Test func guidedCompletionFollowsTheSource() throws {
        for seed in 0..<30 as Range<UInt64> {
            for n in [3, 8, 11] {
                let g = randomDecoderCircuit(seed: 500 + seed, inputs: n, outputs: 1 + Int(seed % 3), ands: 10...80)
                let guide = try DecoderGuide(aig: g)
                #expect(guide.nodeCount <= g.cleanedUp().andCount || guide.nodeCount <= g.andCount)
                #expect(guide.depth <= g.depth())
                let s = try DecoderState(targets: targets(g), guide: guide)
                #expect(s.guaranteed.ands <= g.cleanedUp().andCount, "seed \(seed), \(n) inputs")
                #expect(s.guaranteed.depth <= g.depth())
                let done = s.completedByGuarantee()
                #expect(done.andCount == s.guaranteed.ands && done.tokenCount == s.guaranteed.tokens)
                try verifyDecoded(try done.aig(), try targets(g))
                // The source's own count is therefore always a feasible budget.
                _ = try DecoderState(targets: targets(g), budget: DecoderBudget(maxAnds: g.cleanedUp().andCount, maxDepth: g.depth()), guide: guide)
            }
        }
        // A guide with another input count is refused.
        let g = randomDecoderCircuit(seed: 1, inputs: 4)
        #expect(throws: DecoderError.self) { try DecoderState(targets: targets(g), guide: DecoderGuide(aig: randomDecoderCircuit(seed: 1, inputs: 5))) }
    }

    /// EPFL's control circuits with at most 16 inputs decode with greedy within
    /// the source's AND count and 4x its sequence (int2float did not finish in
    /// minutes before the guide and the token budget).
    @Test func epflSmallControlCircuitsDecode() throws {
        guard let shared = TestSupport.shared() else { return }
        for name in ["int2float", "ctrl"] {
            let url = shared.appendingPathComponent("epfl/random_control/\(name).aig")
            guard FileManager.default.fileExists(atPath: url.path) else { print("SKIP \(name): not in ../shared"); continue }
            let source = try CircuitIO.read(path: url.path)
            var policy = HeuristicPolicy()
            var params = DecodeParams()
            params.neverWorseRounds = 2
            let (r, report) = try decodeNeverWorse(try targets(source), source: source, policy: &policy, params: params)
            #expect(!report.budgetDropped && report.strategyAnds <= source.andCount, "\(name): \(report)")
            #expect(r.tokens.count <= report.maxTokens ?? 0)
            try verifyDecoded(r.aig, try targets(source))
        }
    }

    @Test func sixteenInputs() throws {
        let g = randomDecoderCircuit(seed: 3, inputs: 16, outputs: 2, ands: 8...12)
        var policy = HeuristicPolicy()
        let r = try decode(targets(g), policy: &policy)
        try verifyDecoded(r.aig, try targets(g))
    }
}

@Suite struct AcceptanceTests {
    /// Random 8-input/2-output circuits (10–40 ANDs): greedy heuristic and
    /// source replay always complete, and are equivalent by exhaustive
    /// simulation and by `EquivalenceChecker`; ABC `cec -n` on a sample.
    @Test func randomCircuitsGreedyAndReplay() throws {
        var completed = 0
        var srcAnds = 0, replayAnds = 0, greedyAnds = 0
        for seed in 0..<UInt64(acceptanceCount) {
            let g = randomDecoderCircuit(seed: seed)
            let t = try targets(g)
            var h = HeuristicPolicy()
            let greedy = try decode(t, policy: &h)
            var rp = try ReplayPolicy(aig: g)
            var p = DecodeParams()
            p.budget.maxDepth = DecoderBudget.defaultDepth(inputs: 8, sourceDepth: g.depth())
            let replay = try decode(t, policy: &rp, params: p)
            #expect(replay.andCount <= g.andCount)
            #expect(replay.tokens == (try TokenCodec.encode(g)))
            for r in [greedy, replay] {
                let (verdict, _) = try EquivalenceChecker().check(g, r.aig)
                #expect(verdict == .equivalent)
            }
            completed += 1
            srcAnds += g.andCount; replayAnds += replay.andCount; greedyAnds += greedy.andCount
        }
        #expect(completed == acceptanceCount)
        print("decoder acceptance: \(completed) circuits, mean ANDs source \(Double(srcAnds) / Double(completed)), replay \(Double(replayAnds) / Double(completed)), greedy \(Double(greedyAnds) / Double(completed))")
    }

    @Test func strategiesFinishAndVerify() throws {
        for seed in 0..<4 as Range<UInt64> {
            let g = randomDecoderCircuit(seed: 1000 + seed)
            let t = try targets(g)
            for strategy in DecodeStrategy.allCases {
                var p = DecodeParams()
                p.strategy = strategy
                p.playouts = 10
                p.beamWidth = 2
                var h = HeuristicPolicy()
                let r = try decode(t, policy: &h, params: p)
                #expect(r.aig.andCount == r.andCount)
                let (verdict, _) = try EquivalenceChecker().check(g, r.aig)
                #expect(verdict == .equivalent)
            }
            var u = UniformPolicy()
            var p = DecodeParams(); p.strategy = .sample
            let r = try decode(t, policy: &u, params: p)
            try verifyDecoded(r.aig, t)
        }
    }

    /// The sharing-aware heuristic: an OR-of-ORs product needs 3 ANDs; two
    /// outputs `¬(x0 ∧ ¬x5 ∧ ¬x4)` and `x0 ∧ ¬x5 ∧ x4` share `x0 ∧ ¬x5` (3 ANDs,
    /// found by MCTS); and greedy's mean on the first 20 random circuits stays
    /// below the previous Shannon heuristic's 5.8.
    @Test func heuristicFindsSmallCircuits() throws {
        let x = (0..<6).map { TruthTable(inputCount: 6, variable: $0)! }
        var h = HeuristicPolicy()
        let product = try decode(DecoderTargets(functions: [(x[0] | x[1]) & (x[2] | x[3])]), policy: &h)
        #expect(product.andCount == 3)
        var p = DecodeParams(); p.strategy = .mcts; p.playouts = 100
        var h2 = HeuristicPolicy()
        let shared = try decode(DecoderTargets(functions: [~(x[0] & ~x[5] & ~x[4]), x[0] & ~x[5] & x[4]]), policy: &h2, params: p)
        #expect(shared.andCount == 3)
        var total = 0
        for seed in 0..<20 as Range<UInt64> {
            var g = HeuristicPolicy()
            total += try decode(targets(randomDecoderCircuit(seed: seed)), policy: &g).andCount
        }
        #expect(Double(total) / 20 <= 5.0, "greedy mean \(Double(total) / 20)")
    }

    @Test func abcAgreesOnASample() throws {
        guard let abc = TestSupport.abc() else { return }
        let dir = try TestSupport.temporaryDirectory("decoder-abc")
        for seed in 0..<10 as Range<UInt64> {
            let g = randomDecoderCircuit(seed: 5000 + seed)
            var h = HeuristicPolicy()
            let r = try decode(targets(g), policy: &h)
            let a = dir.appendingPathComponent("a\(seed).aig").path, b = dir.appendingPathComponent("b\(seed).aig").path
            try CircuitIO.write(g, to: a, format: .aigerBinary)
            try CircuitIO.write(r.aig, to: b, format: .aigerBinary)
            let out = try TestSupport.runABC(abc, "cec -n \(a) \(b)")
            #expect(out.contains("Networks are equivalent"), "\(out)")
        }
    }
}

/// A decoded circuit is never larger than its source: the source guides the
/// guaranteed completion, so its count is always a feasible budget, and
/// replaying the source is a candidate too. Circuits where unguided greedy
/// was worse than the source come back at most as large, and verified.
@Test func decodingNeverReturnsMoreANDsThanTheSource() throws {
    for seed in 1...4 {
        let source = randomDecoderCircuit(seed: UInt64(100 + seed), inputs: 8, outputs: 2, ands: 30...40)
        var policy = HeuristicPolicy()
        let (result, report) = try decodeNeverWorse(try targets(source), source: source, policy: &policy)
        #expect(result.andCount <= source.cleanedUp().andCount, "seed \(seed): \(result.andCount) > \(source.cleanedUp().andCount)")
        try verifyDecoded(result.aig, try targets(source))
        #expect(report.replayAnds != nil)
        #expect(result.andCount <= min(report.strategyAnds, report.replayAnds ?? Int.max))
        #expect(result.andCount == report.roundAnds.min() && report.roundAnds.count <= 8)
        #expect(!report.budgetDropped && report.strategyAnds <= source.cleanedUp().andCount)
    }
    // Two circuits from `miter random --inputs 8 --ands 30 --seed 7` (c000003,
    // c000008) where greedy alone gives 71 and 62 ANDs against the sources' 41 and 40.
    for name in ["greedy-loses-1", "greedy-loses-2"] {
        let source = try CircuitIO.read(path: TestSupport.repoFile("Tests/DecoderTests/Fixtures/\(name).aag").path)
        var policy = HeuristicPolicy()
        let (result, report) = try decodeNeverWorse(try targets(source), source: source, policy: &policy)
        // Unguided greedy gave 71 and 62 here; guided by the source it stays within the source's count.
        #expect(!report.budgetDropped && report.strategyAnds <= source.cleanedUp().andCount, "\(name): \(report)")
        #expect(result.andCount <= source.cleanedUp().andCount, "\(name): \(report)")
        try verifyDecoded(result.aig, try targets(source))
    }
    // A caller's budget is kept as given.
    let source = randomDecoderCircuit(seed: 9, inputs: 5, outputs: 1, ands: 8...12)
    var policy = HeuristicPolicy()
    var params = DecodeParams()
    params.budget.maxAnds = 200
    let (_, report) = try decodeNeverWorse(try targets(source), source: source, policy: &policy, params: params)
    #expect(report.maxAnds == 200 && !report.budgetDropped)
}

/// `BatchDecoder`: states of different input counts share one vocabulary;
/// every view's legal set equals the state's own mask; clones branch
/// independently; refused tokens leave a state as it was; dropped ids are
/// reused; score rows take the best legal token; results are verified.
@Test func batchDecoderStatesStepCloneAndDrop() throws {
    var batch = BatchDecoder(vocabularyInputs: 8)
    var rng = Xoshiro256StarStar(seed: 17)
    var ids: [Int] = []
    var sources: [AIG] = []
    for seed in 0..<6 as Range<UInt64> {
        let g = randomDecoderCircuit(seed: 300 + seed, inputs: [3, 5, 8][Int(seed % 3)], outputs: 2)
        sources.append(g)
        ids.append(try batch.open(try targets(g), source: seed % 2 == 0 ? g : nil))
    }
    #expect(throws: BatchDecoder.BatchError.self) { try batch.open(try targets(randomDecoderCircuit(seed: 1, inputs: 9)), source: nil) }
    var views = try batch.views(ids)
    for (k, v) in views.enumerated() {
        #expect(v.legal == (try batch.state(ids[k])).legalTokens())
        #expect(v.legal.allSatisfy { $0 < Vocabulary.size(inputs: sources[k].inputCount) })
    }
    // An illegal token is refused and the state is unchanged.
    let refused = try batch.step([ids[0]], tokens: [Vocabulary.literal(7)])
    #expect(refused[0].error != nil && refused[0].tokens == 0)
    var live = ids
    var fork: Int? = nil
    var steps = 0
    while !live.isEmpty {
        let byId = Dictionary(uniqueKeysWithValues: views.map { ($0.id, $0) })
        if steps % 2 == 0 {
            let tokens = live.map { id in byId[id]!.legal[Int(rng.next() % UInt64(byId[id]!.legal.count))] }
            views = try batch.step(live, tokens: tokens)
        } else {
            let rows = live.map { _ in (0..<batch.vocabularySize).map { _ in Double(rng.next() % 1000) } }
            views = try batch.step(live, scores: rows)
            for (k, v) in views.enumerated() where v.legal != [Vocabulary.pad] {
                #expect(v.legal == (try batch.state(live[k])).legalTokens())
            }
        }
        for v in views { #expect(v.error == nil) }
        steps += 1
        if steps == 3 {
            fork = try batch.clone(ids[2])
            views += try batch.views([fork!])
            live.append(fork!)
        }
        live = views.filter { !$0.complete }.map(\.id)
        views = try batch.views(live)
    }
    for (k, id) in ids.enumerated() {
        let aig = try batch.result(id)
        try verifyDecoded(aig, try targets(sources[k]))
        if k % 2 == 0 { #expect(aig.andCount <= sources[k].cleanedUp().andCount) }
    }
    try verifyDecoded(try batch.result(fork!), try targets(sources[2]))
    try batch.drop(ids[1])
    #expect(throws: BatchDecoder.BatchError.self) { try batch.state(ids[1]) }
    #expect(try batch.open(try targets(sources[1])) == ids[1])   // the id is reused
    #expect(batch.liveCount == ids.count + 1)
}
