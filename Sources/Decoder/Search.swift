import AIG
import Simulation
#if canImport(Glibc)
import Glibc
#endif

/// Search strategies over the decoder. All of them only ever apply legal
/// tokens, so they always finish; every result is verified by exhaustive
/// simulation against the targets before it is returned.
public enum DecodeStrategy: String, Sendable, CaseIterable {
    case greedy, sample, beam, mcts
}

public struct DecodeParams: Sendable {
    public var strategy: DecodeStrategy = .greedy
    public var budget = DecoderBudget()
    /// Sampling temperature (`sample`); logits are divided by it.
    public var temperature = 1.0
    /// Beam width (`beam`).
    public var beamWidth = 4
    /// MCTS playouts per decision (`mcts`).
    public var playouts = 100
    /// PUCT exploration constant (`mcts`).
    public var exploration = 2.0
    /// Temperature of the policy softmax used as MCTS prior (`mcts`).
    public var priorTemperature = 3.0
    /// How beam and MCTS value a state: `.policy` completes it greedily with
    /// the policy (memoised per state along each completion), `.guarantee`
    /// with the guaranteed completion π. nil: `.guarantee` with a guide (π
    /// then follows the source: as good a value on the Circuit Transformer
    /// examples and `miter random` circuits, 10–40x faster), else `.policy`.
    public var rollout: Rollout? = nil
    var effectiveRollout: Rollout { rollout ?? (guide != nil ? .guarantee : .policy) }
    /// MCTS spends no playouts where the policy's best token is a leaf scored
    /// at least `forcedLeafScore` at a right child or output root (a leaf that
    /// satisfies the plan finishes the node at no cost).
    /// nil: never. Default 10.
    public var forcedLeafScore: Double? = 10
    public var seed: UInt64 = 1
    /// A known circuit for the targets that the guaranteed completion follows
    /// (`DecoderGuide`); `decodeNeverWorse` sets it to the source.
    public var guide: DecoderGuide? = nil
    /// `decodeNeverWorse` without a caller's token budget: at most this many
    /// times the tokens of the guide's own completion. The language expands
    /// shared logic into trees, so reusing deep shared nodes can make a
    /// sequence exponentially long (EPFL int2float: over 15,000 tokens for
    /// its first output, unfinished after minutes); with this budget a
    /// decoding takes at most 4x the source's sequence. Default 4.
    public var neverWorseTokenFactor = 4
    /// `decodeNeverWorse`: the strategy runs in a round only while the
    /// token budgets of the rounds it ran in, this one included, stay within
    /// this many tokens; otherwise the round is the replay of its (optimised)
    /// source. Optimised circuits share more, and the token language writes
    /// shared logic again at every use: EPFL int2float's optimised guide has
    /// a 7,134-token sequence, and a greedy round under its 4x budget takes
    /// 7–9 s for no gain over the optimised circuit. Default 20,000: EPFL
    /// ctrl's four rounds of 4,084 tokens fit; 8-input circuits of ~35 ANDs
    /// use a few hundred tokens per round.
    public var neverWorseTokenWork = 20_000
    /// `decodeNeverWorse`: most rounds, each guided by the previous round's
    /// result, stopping after two rounds in a row without a gain. nil: 8,
    /// except 1 for beam and MCTS with policy rollouts (seconds to a minute
    /// per round on 8-input circuits of ~35 ANDs).
    public var neverWorseRounds: Int? = nil
    var rounds: Int { max(1, neverWorseRounds ?? (strategy == .greedy || strategy == .sample || rollout != .policy ? 8 : 1)) }
    /// `decodeNeverWorse`: the source, and each round's result, go through
    /// `AIGOptimization` first, and the smaller circuit (verified against
    /// the targets) is the one that guides and bounds the next decoding.
    /// nil: no optimisation.
    public var optimization: AIGOptimization.Params? = AIGOptimization.Params()
    /// Restarts when a round's result is optimised again (the source had
    /// the full walk): on `miter random` 8x2 circuits the rounds gained
    /// 0.06 mean ANDs with 400 restarts each, at 1.7 s per circuit.
    public var roundRestarts = 48
    public init() {}
}

public enum Rollout: String, Sendable, CaseIterable { case policy, guarantee }

public struct DecodeStats: Sendable, Equatable {
    public var steps = 0
    /// Calls of the policy (states scored).
    public var policyCalls = 0
    /// Rollouts by the guaranteed completion (beam ranking, MCTS evaluations).
    public var rollouts = 0
    public var seconds = 0.0
}

public struct DecodeResult: Sendable {
    public var aig: AIG
    public var tokens: [Int]
    public var andCount: Int
    public var depth: Int
    public var stats: DecodeStats
}

/// Checks exhaustively that `aig`'s outputs equal the targets on their care sets.
public func verifyDecoded(_ aig: AIG, _ targets: DecoderTargets) throws {
    guard aig.outputCount == targets.outputCount, aig.inputCount == targets.inputCount,
          let tts = TruthTable.of(aig) else { throw DecoderError.verificationFailed(output: 0) }
    for k in 0..<tts.count {
        let diff = tts[k] ^ targets.functions[k]
        let bad = targets.care.map { diff & $0[k] } ?? diff
        if !bad.isConstantFalse { throw DecoderError.verificationFailed(output: k) }
    }
}

@inline(__always) func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Decodes `targets` with `policy` under `params`; the result is verified.
public func decode<P: Policy>(_ targets: DecoderTargets, policy: inout P, params: DecodeParams = DecodeParams()) throws -> DecodeResult {
    let t0 = now()
    var stats = DecodeStats()
    let start = try DecoderState(targets: targets, budget: params.budget, guide: params.guide)
    var final: DecoderState
    switch params.strategy {
    case .greedy: final = runGreedy(start, &policy, temperature: nil, seed: params.seed, &stats)
    case .sample: final = runGreedy(start, &policy, temperature: max(1e-6, params.temperature), seed: params.seed, &stats)
    case .beam: final = runBeam(start, &policy, width: max(1, params.beamWidth), rollout: params.effectiveRollout, &stats)
    case .mcts: final = runMCTS(start, &policy, params, &stats)
    }
    let aig = try final.aig(outputNames: targets.outputNames)
    try verifyDecoded(aig, targets)
    stats.seconds = now() - t0
    return DecodeResult(aig: aig, tokens: final.tokens, andCount: final.andCount, depth: final.depthUsed, stats: stats)
}

func argmaxLegal(_ legal: [Int], _ row: [Double]) -> Int {
    var best = legal[0]
    for t in legal where row[t] > row[best] { best = t }
    return best
}

/// The policy's best legal token in `s` (EOS once every output is written),
/// budget-checked in score order: usually one check, not the whole mask.
func greedyToken<P: Policy>(_ s: DecoderState, _ policy: inout P, _ stats: inout DecodeStats) -> Int {
    if s.outputIndex == s.outputCount { return Vocabulary.eos }
    let row = policy.scores(for: [s])[0]
    stats.policyCalls += 1
    return s.bestLegalToken(scores: row)
}

func runGreedy<P: Policy>(_ start: DecoderState, _ policy: inout P, temperature: Double?, seed: UInt64, _ stats: inout DecodeStats) -> DecoderState {
    var s = start
    var rng = Xoshiro256StarStar(seed: seed)
    while !s.isComplete {
        if temperature == nil {
            s.applyUnchecked(greedyToken(s, &policy, &stats))
            stats.steps += 1
            continue
        }
        let legal = s.legalTokens()
        var t = legal[0]
        if legal.count > 1 {
            let row = policy.scores(for: [s])[0]
            stats.policyCalls += 1
            if let temperature {
                let m = legal.map { row[$0] }.max() ?? 0
                let w = legal.map { exp((row[$0] - m) / temperature) }
                var u = Double(rng.next() >> 11) / Double(1 << 53) * w.reduce(0, +)
                t = legal.last!
                for (k, x) in w.enumerated() { u -= x; if u <= 0 { t = legal[k]; break } }
            } else { t = argmaxLegal(legal, row) }
        }
        s.applyUnchecked(t)
        stats.steps += 1
    }
    return s
}

/// Completes states for beam and MCTS values: greedily with the policy
/// (every state on a completion maps to the same finished state, so later
/// rollouts through them are free) or with π.
struct Roller<P: Policy> {
    var mode: Rollout
    var cache: [UInt64: Int] = [:]
    var finished: [DecoderState] = []
    var best: DecoderState?

    init(mode: Rollout) { self.mode = mode }

    /// Fewest ANDs, then fewest tokens.
    mutating func note(_ s: DecoderState) {
        if let b = best, (b.andCount, b.tokenCount) <= (s.andCount, s.tokenCount) { return }
        best = s
    }

    /// The value of a finished state for MCTS: fewer ANDs first; among equal
    /// AND counts fewer tokens (junk such as `AND 1 x` merges for free and
    /// would otherwise let the search wander).
    static func cost(_ s: DecoderState) -> Double { Double(s.andCount) + Double(s.tokenCount) / 200 }

    /// The cost (`cost`) of the completion of `s` (recorded in `best`).
    mutating func complete(_ start: DecoderState, _ policy: inout P, _ stats: inout DecodeStats) -> Double {
        stats.rollouts += 1
        if mode == .guarantee {
            let done = start.completedByGuarantee()
            note(done)
            return Self.cost(done)
        }
        var s = start
        var path: [UInt64] = []
        var hit: Int? = nil
        while !s.isComplete {
            if let k = cache[s.prefixHash] { hit = k; break }
            path.append(s.prefixHash)
            s.applyUnchecked(greedyToken(s, &policy, &stats))
        }
        let k: Int
        if let hit { k = hit } else { finished.append(s); k = finished.count - 1; note(s) }
        for h in path { cache[h] = k }
        return Self.cost(finished[k])
    }
}

/// Beam search: each beam state expands its `width` best legal tokens by
/// policy score; children are ranked by the AND count of their rollout
/// (then policy score) and the best `width` kept. The best finished state or
/// rollout seen wins.
func runBeam<P: Policy>(_ start: DecoderState, _ policy: inout P, width: Int, rollout: Rollout, _ stats: inout DecodeStats) -> DecoderState {
    var beam = [start]
    var roller = Roller<P>(mode: rollout)
    _ = roller.complete(start, &policy, &stats)
    var seen = Set<UInt64>()
    while !beam.isEmpty {
        let rows = policy.scores(for: beam)
        stats.policyCalls += beam.count
        var children: [(cost: Double, score: Double, state: DecoderState)] = []
        for (b, s) in beam.enumerated() {
            let legal = s.legalTokens()
            let ranked = legal.sorted { rows[b][$0] > rows[b][$1] }.prefix(width)
            for t in ranked {
                var c = s
                c.applyUnchecked(t)
                if c.isComplete { roller.note(c); continue }
                guard seen.insert(c.prefixHash).inserted else { continue }
                let cost = roller.complete(c, &policy, &stats)
                children.append((cost, rows[b][t], c))
            }
        }
        children.sort { $0.cost != $1.cost ? $0.cost < $1.cost : $0.score > $1.score }
        beam = children.prefix(width).map(\.state)
        stats.steps += 1
    }
    return roller.best ?? start.completedByGuarantee()
}

/// MCTS with PUCT: the policy's softmax is the prior, leaves are valued by
/// their rollout (objective: fewest ANDs, then fewest tokens), `playouts`
/// simulations per decision, then the next token of the best circuit found so
/// far is taken (the most visited one if none extends the prefix). Decisions where the
/// policy's best token is a forced leaf (`forcedLeafScore`) take it without
/// playouts. The best finished circuit seen in any rollout is returned (it is
/// a legal completion too).
struct MCTSNode {
    var state: DecoderState
    var tokens: [Int] = []
    var prior: [Double] = []
    var children: [Int] = []     // node index, -1 unexpanded
    var visits = 0
    var total = 0.0
    var expanded = false
    var forced: Int? = nil
}

func runMCTS<P: Policy>(_ start: DecoderState, _ policy: inout P, _ params: DecodeParams, _ stats: inout DecodeStats) -> DecoderState {
    let playouts = max(1, params.playouts), c = params.exploration, priorTemperature = max(1e-6, params.priorTemperature)
    var nodes: [MCTSNode] = [MCTSNode(state: start)]
    var roller = Roller<P>(mode: params.effectiveRollout)
    let first = roller.complete(start, &policy, &stats)
    let scale = max(1, first)
    var root = 0

    func expand(_ k: Int, _ policy: inout P, _ stats: inout DecodeStats) -> Double {
        let s = nodes[k].state
        if s.isComplete {
            roller.note(s)
            return -Roller<P>.cost(s) / scale
        }
        let legal = s.legalTokens()
        let row = policy.scores(for: [s])[0]
        stats.policyCalls += 1
        // Prior: softmax of the scores at temperature `priorTemperature` (flatter than the policy, for exploration).
        let m = legal.map { row[$0] }.max() ?? 0
        let w = legal.map { exp((row[$0] - m) / priorTemperature) }
        let z = w.reduce(0, +)
        nodes[k].tokens = legal
        nodes[k].prior = w.map { $0 / z }
        nodes[k].children = Array(repeating: -1, count: legal.count)
        nodes[k].expanded = true
        let top = argmaxLegal(legal, row)
        if legal.count == 1 { nodes[k].forced = top } else if let f = params.forcedLeafScore, Vocabulary.isLeaf(top), row[top] >= f,
                  s.frames.last.map({ $0.right }) ?? true {
            nodes[k].forced = top
        }
        return -roller.complete(s, &policy, &stats) / scale
    }

    while !nodes[root].state.isComplete {
        if !nodes[root].expanded { _ = expand(root, &policy, &stats) }
        if nodes[root].forced == nil {
            for _ in 0..<playouts {
                var path = [root]
                var k = root
                var value = 0.0
                while true {
                    let node = nodes[k]
                    if !node.expanded || node.state.isComplete { value = expand(k, &policy, &stats); break }
                    let sq = Double(node.visits).squareRoot()
                    var bestJ = 0, bestU = -Double.infinity
                    for j in 0..<node.tokens.count {
                        let ch = node.children[j]
                        let (n, q) = ch < 0 ? (0, 0.0) : (nodes[ch].visits, nodes[ch].visits > 0 ? nodes[ch].total / Double(nodes[ch].visits) : 0)
                        let u = (n > 0 ? q : -1.0) + c * node.prior[j] * (sq + 1) / Double(1 + n)
                        if u > bestU { bestU = u; bestJ = j }
                    }
                    var ch = node.children[bestJ]
                    if ch < 0 {
                        var st = node.state
                        st.applyUnchecked(node.tokens[bestJ])
                        nodes.append(MCTSNode(state: st))
                        ch = nodes.count - 1
                        nodes[k].children[bestJ] = ch
                    }
                    path.append(ch)
                    k = ch
                }
                for p in path { nodes[p].visits += 1; nodes[p].total += value }
            }
        }
        // Follow the best circuit found so far (its completion never gets
        // worse); else take the forced token, else the most visited one.
        let node = nodes[root]
        var pick = 0
        let p = node.state.tokens.count
        if let b = roller.best, b.tokens.count > p, b.tokens.starts(with: node.state.tokens),
           let j = node.tokens.firstIndex(of: b.tokens[p]) {
            pick = j
        } else if let f = node.forced, let j = node.tokens.firstIndex(of: f) { pick = j } else {
            for j in 0..<node.tokens.count {
                let a = node.children[j] < 0 ? -1 : nodes[node.children[j]].visits
                let b = node.children[pick] < 0 ? -1 : nodes[node.children[pick]].visits
                if a > b || (a == b && node.prior[j] > node.prior[pick]) { pick = j }
            }
        }
        var next: DecoderState
        if node.children[pick] < 0 {
            next = node.state
            next.applyUnchecked(node.tokens[pick])
        } else { next = nodes[node.children[pick]].state }
        // A fresh tree below the chosen token keeps memory bounded.
        nodes = [MCTSNode(state: next)]
        root = 0
        stats.steps += 1
    }
    roller.note(nodes[root].state)
    return roller.best ?? nodes[root].state
}

/// `budget` with what it leaves open taken from a source: the depth from
/// the guide's (`max(G, 2n) + 2n`), `sourceAnds` ANDs, and `tokenFactor`
/// times the tokens of the guaranteed completion from the initial state
/// (which follows the guide when there is one; 0: no token budget). Every
/// budget filled in is feasible: the completion itself meets it.
public func filledBudget(_ budget: DecoderBudget, _ targets: DecoderTargets, guide: DecoderGuide?, sourceAnds: Int?,
                         tokenFactor: Int, cacheLimit: Int = 1 << 18) throws -> DecoderBudget {
    var b = budget
    if let guide, b.maxDepth == nil { b.maxDepth = DecoderBudget.defaultDepth(inputs: targets.inputCount, sourceDepth: guide.depth) }
    if let sourceAnds, b.maxAnds == nil { b.maxAnds = sourceAnds }
    if b.maxTokens == nil, tokenFactor > 0 {
        let probe = try DecoderState(targets: targets, budget: DecoderBudget(maxDepth: b.maxDepth), guide: guide, cacheLimit: cacheLimit)
        b.maxTokens = tokenFactor * probe.guaranteed.tokens
    }
    return b
}

/// What `decodeNeverWorse` did besides the strategy's own run.
public struct NeverWorseReport: Sendable, Equatable {
    /// The AND budget the run used: the caller's, else the source's count.
    public var maxAnds: Int?
    /// The token budget the run used: the caller's, else
    /// `neverWorseTokenFactor` times the source's own sequence.
    public var maxTokens: Int?
    /// The source's count was too tight for the decoder's guaranteed
    /// completion, so the runs went without an AND budget (not expected
    /// since the completion follows the source; kept as a safety net).
    public var budgetDropped = false
    /// ANDs of the strategy's own result and of replaying the source.
    public var strategyAnds = 0
    public var replayAnds: Int? = nil
    /// The replay was smaller and was returned (in the first round).
    public var replayChosen = false
    /// The AND count after each round (the first round's source is the caller's).
    public var roundAnds: [Int] = []
    /// ANDs of the source after `AIGOptimization`, when that made it smaller (the first round then starts from it).
    public var optimizedAnds: Int? = nil
    /// The first round's token budget was over `neverWorseTokenWork`: the result is the replay of the optimised source.
    public var strategySkipped = false
}

/// `decode`, never larger than the target's own structure. The source
/// becomes the guide of the guaranteed completion, so its AND count is a
/// feasible budget: without a caller's AND budget it is the budget (and the
/// mask keeps every step within it), and without a caller's token budget
/// the sequence may take `neverWorseTokenFactor` times the source's. The
/// source is also replayed through the decoder (every step of it is legal
/// while it follows the source); the smaller result wins, the strategy's on
/// a tie. Both results are verified.
///
/// Then, up to `neverWorseRounds` rounds in all, the result becomes the
/// source of the next round (its guide and its count the budget) while a
/// round still gains ANDs: the tighter budget steers the policy elsewhere
/// (`miter random` 8-input/2-output circuits: 31.3 mean ANDs after one
/// round, 29.4 after five).
public func decodeNeverWorse<P: Policy>(_ targets: DecoderTargets, source: AIG, policy: inout P,
                                        params: DecodeParams = DecodeParams()) throws -> (DecodeResult, NeverWorseReport) {
    let t0 = now()
    // Every round starts from the caller's policy as given (a policy's memo of intents would carry one round's plans into the next).
    let initialPolicy = policy
    // The token budget comes from the caller's source for every round, so rounds cannot compound it.
    var params = params
    var report0 = NeverWorseReport()
    let source = optimizedIfSmaller(source, targets, params.optimization, &report0)
    let firstGuide = try DecoderGuide(aig: source)
    params.budget.maxTokens = try filledBudget(params.budget, targets, guide: firstGuide, sourceAnds: nil,
                                               tokenFactor: params.neverWorseTokenFactor).maxTokens
    let roundTokens = params.budget.maxTokens ?? Int.max
    var work = 0
    func strategyFits() -> Bool { roundTokens <= params.neverWorseTokenWork - work }
    let firstRuns = strategyFits()
    var (best, report) = try decodeNeverWorseRound(targets, source: source, guide: firstGuide, policy: &policy, params: params, runStrategy: firstRuns)
    if firstRuns { work += roundTokens }
    report.roundAnds = [best.andCount]
    report.optimizedAnds = report0.optimizedAnds
    report.strategySkipped = !firstRuns && report.strategySkipped
    // A round is deterministic in its source, so the rounds go on while a
    // round's result differs from its source (fewer ANDs, or as many in a
    // new structure, which leads somewhere new) and is no larger than the best.
    var roundSource = source.cleanedUp()
    var latest = best
    var stats = best.stats
    // Two rounds in a row without fewer ANDs end it (measured: later gains after two stalls were rare).
    var stalled = best.andCount < roundSource.andCount ? 0 : 1
    while report.roundAnds.count < params.rounds && latest.andCount <= best.andCount && stalled < 2 && strategyFits() {
        if latest.andCount == roundSource.andCount, latest.tokens == (try? TokenCodec.encode(roundSource)) { break }
        roundSource = optimizedIfSmaller(latest.aig, targets, params.optimization.map { var p = $0; p.restarts = min(p.restarts, params.roundRestarts); return p }, &report0)
        var roundPolicy = initialPolicy
        let (next, _) = try decodeNeverWorseRound(targets, source: roundSource, guide: try DecoderGuide(aig: roundSource), policy: &roundPolicy, params: params)
        work += roundTokens
        report.roundAnds.append(next.andCount)
        stats.steps += next.stats.steps; stats.rollouts += next.stats.rollouts; stats.policyCalls += next.stats.policyCalls
        latest = next
        if next.andCount < best.andCount { best = next; stalled = 0 } else { stalled += 1 }
    }
    best.stats = stats
    best.stats.seconds = now() - t0
    return (best, report)
}

/// `aig` cleaned up, or its `AIGOptimization` result when that is smaller
/// and verified against the targets (the first one is noted in the report).
func optimizedIfSmaller(_ aig: AIG, _ targets: DecoderTargets, _ params: AIGOptimization.Params?, _ report: inout NeverWorseReport) -> AIG {
    let clean = aig.cleanedUp()
    guard let params else { return clean }
    var (optimized, _) = AIGOptimization.optimize(clean, params: params)
    guard optimized.andCount < clean.andCount, (try? verifyDecoded(optimized, targets)) != nil else { return clean }
    optimized.comments = clean.comments
    if report.optimizedAnds == nil { report.optimizedAnds = optimized.andCount }
    return optimized
}

/// One round of `decodeNeverWorse`: the strategy guided by `source`, and the replay of `source`.
func decodeNeverWorseRound<P: Policy>(_ targets: DecoderTargets, source: AIG, guide: DecoderGuide, policy: inout P,
                                      params: DecodeParams, runStrategy: Bool = true) throws -> (DecodeResult, NeverWorseReport) {
    let t0 = now()
    var report = NeverWorseReport()
    var p = params
    p.guide = guide
    let callerBudget = p.budget.maxAnds != nil
    // The token budget is already the first round's (decodeNeverWorse).
    p.budget = try filledBudget(p.budget, targets, guide: guide, sourceAnds: source.cleanedUp().andCount, tokenFactor: 0)
    var result: DecodeResult
    var replay = try ReplayPolicy(aig: source)
    var replayParams = p
    replayParams.strategy = .greedy
    if !runStrategy {
        // Over the token work (see `neverWorseTokenWork`): the source itself
        // when it meets the budgets (its sequence is what a replay writes,
        // without the decoder's per-step work), else the replay.
        let clean = source.cleanedUp()
        let depth = clean.depth()
        var direct: DecodeResult? = nil
        if clean.andCount <= (p.budget.maxAnds ?? .max), depth <= (p.budget.maxDepth ?? .max),
           let tokens = try? TokenCodec.encode(clean), tokens.count <= (p.budget.maxTokens ?? .max),
           (try? verifyDecoded(clean, targets)) != nil {
            direct = DecodeResult(aig: clean, tokens: tokens, andCount: clean.andCount, depth: depth, stats: DecodeStats())
        }
        if let r0 = direct ?? (try? decode(targets, policy: &replay, params: replayParams)) {
            report.maxAnds = p.budget.maxAnds
            report.maxTokens = p.budget.maxTokens
            report.strategyAnds = r0.andCount
            report.replayAnds = r0.andCount
            report.strategySkipped = true
            var r = r0
            r.stats.seconds = now() - t0
            return (r, report)
        }
    }
    do {
        result = try decode(targets, policy: &policy, params: p)
    } catch DecoderError.budgetTooSmall where !callerBudget {
        p.budget.maxAnds = nil
        report.budgetDropped = true
        result = try decode(targets, policy: &policy, params: p)
    }
    report.maxAnds = p.budget.maxAnds
    report.maxTokens = p.budget.maxTokens
    report.strategyAnds = result.andCount
    replay = try ReplayPolicy(aig: source)
    // A replay the budget rules out (a caller's tighter one) is simply not a candidate.
    if let replayed = try? decode(targets, policy: &replay, params: replayParams) {
        report.replayAnds = replayed.andCount
        if replayed.andCount < result.andCount {
            report.replayChosen = true
            let stats = result.stats
            result = replayed
            result.stats.steps += stats.steps; result.stats.rollouts += stats.rollouts
        }
    }
    result.stats.seconds = now() - t0
    return (result, report)
}
