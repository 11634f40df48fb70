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
    public var seed: UInt64 = 1
    public init() {}
}

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
    let start = try DecoderState(targets: targets, budget: params.budget)
    var final: DecoderState
    switch params.strategy {
    case .greedy: final = runGreedy(start, &policy, temperature: nil, seed: params.seed, &stats)
    case .sample: final = runGreedy(start, &policy, temperature: max(1e-6, params.temperature), seed: params.seed, &stats)
    case .beam: final = runBeam(start, &policy, width: max(1, params.beamWidth), &stats)
    case .mcts: final = runMCTS(start, &policy, playouts: max(1, params.playouts), c: params.exploration, priorTemperature: max(1e-6, params.priorTemperature), seed: params.seed, &stats)
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

func runGreedy<P: Policy>(_ start: DecoderState, _ policy: inout P, temperature: Double?, seed: UInt64, _ stats: inout DecodeStats) -> DecoderState {
    var s = start
    var rng = Xoshiro256StarStar(seed: seed)
    while !s.isComplete {
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

/// Beam search: each beam state expands its `width` best legal tokens by
/// policy score; children are ranked by the AND count of their guaranteed
/// completion (then policy score) and the best `width` kept. The best finished
/// state (or completion seen) wins.
func runBeam<P: Policy>(_ start: DecoderState, _ policy: inout P, width: Int, _ stats: inout DecodeStats) -> DecoderState {
    var beam = [start]
    var best = start.completedByGuarantee()
    stats.rollouts += 1
    while !beam.isEmpty {
        let rows = policy.scores(for: beam)
        stats.policyCalls += beam.count
        var children: [(cost: Int, score: Double, state: DecoderState)] = []
        for (b, s) in beam.enumerated() {
            let legal = s.legalTokens()
            let ranked = legal.sorted { rows[b][$0] > rows[b][$1] }.prefix(width)
            for t in ranked {
                var c = s
                c.applyUnchecked(t)
                if c.isComplete {
                    if c.andCount < best.andCount { best = c }
                    continue
                }
                let done = c.completedByGuarantee()
                stats.rollouts += 1
                if done.andCount < best.andCount { best = done }
                children.append((done.andCount, rows[b][t], c))
            }
        }
        children.sort { $0.cost != $1.cost ? $0.cost < $1.cost : $0.score > $1.score }
        beam = children.prefix(width).map(\.state)
        stats.steps += 1
    }
    return best
}

/// MCTS with PUCT: the policy's softmax is the prior, leaves are valued by the
/// guaranteed completion (objective: fewest ANDs), `playouts` simulations per
/// decision, then the most visited token is taken. The best finished circuit
/// seen in any rollout is returned (it is a legal completion too).
struct MCTSNode {
    var state: DecoderState
    var tokens: [Int] = []
    var prior: [Double] = []
    var children: [Int] = []     // node index, -1 unexpanded
    var visits = 0
    var total = 0.0
    var expanded = false
}

func runMCTS<P: Policy>(_ start: DecoderState, _ policy: inout P, playouts: Int, c: Double, priorTemperature: Double, seed: UInt64, _ stats: inout DecodeStats) -> DecoderState {
    var nodes: [MCTSNode] = [MCTSNode(state: start)]
    var best = start.completedByGuarantee()
    stats.rollouts += 1
    let scale = Double(max(1, best.andCount))
    var root = 0

    func expand(_ k: Int, _ policy: inout P, _ stats: inout DecodeStats) -> Double {
        let s = nodes[k].state
        if s.isComplete {
            if s.andCount < best.andCount { best = s }
            return -Double(s.andCount) / scale
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
        let done = s.completedByGuarantee()
        stats.rollouts += 1
        if done.andCount < best.andCount { best = done }
        return -Double(done.andCount) / scale
    }

    while !nodes[root].state.isComplete {
        if !nodes[root].expanded { _ = expand(root, &policy, &stats) }
        if nodes[root].tokens.count > 1 {
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
        // Take the most visited token.
        let node = nodes[root]
        var pick = 0
        for j in 0..<node.tokens.count {
            let a = node.children[j] < 0 ? -1 : nodes[node.children[j]].visits
            let b = node.children[pick] < 0 ? -1 : nodes[node.children[pick]].visits
            if a > b { pick = j }
        }
        if node.children[pick] < 0 {
            var st = node.state
            st.applyUnchecked(node.tokens[pick])
            nodes.append(MCTSNode(state: st))
            nodes[root].children[pick] = nodes.count - 1
        }
        // A fresh tree below the chosen token keeps memory bounded.
        let next = nodes[nodes[root].children[pick]].state
        nodes = [MCTSNode(state: next)]
        root = 0
        stats.steps += 1
    }
    if nodes[root].state.andCount < best.andCount { best = nodes[root].state }
    return best
}
