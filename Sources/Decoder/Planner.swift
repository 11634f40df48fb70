import AIG
import Simulation
#if canImport(Glibc)
import Glibc
#endif

/// Parameters of the sharing-aware ISF planner behind `HeuristicPolicy`.
public struct PlannerParams: Sendable, Equatable {
    /// Levels of the recursive cost estimate below a slot's decision
    /// (0: decisions are ranked by the leaf estimate alone). Default 2.
    public var depth = 2
    /// AND decompositions `f = e ∧ r` with an existing node `e ⊇ on(f)` (and,
    /// dually, NAND ones) tried per ISF, most off-set minterms removed first. Default 3.
    public var singles = 3
    /// Left functions `e1 ∨ e2` of two existing nodes (one new AND) tried at the
    /// decision itself, per operator. Default 2.
    public var pairs = 2
    /// Shannon variables tried per ISF (`NAND(NAND(x, f1), NAND(¬x, f0))`). Default 2.
    public var shannonVars = 2
    /// Where the recursion stops: estimated ANDs per variable the ISF must
    /// depend on, beyond the first. Default 1.5.
    public var leafCostPerVariable = 1.5
    /// Candidates (those covering most of the on-set) among which OR pairs
    /// are searched. Default 64.
    public var pairCandidates = 64
    public init() {}
}

/// One way to write the current slot: its token, the estimated number of new
/// ANDs below it (this node included) and the function intended for its left
/// child (for AND/NAND).
struct PlanOption {
    var token: Int
    var cost: Double
    var leftOn: [UInt64] = []
    var leftOff: [UInt64] = []
}

/// The sharing-aware cost estimate. Candidates are the functions that already
/// exist in the decoder state (inputs and finished ANDs, both polarities):
/// a slot whose ISF one of them satisfies costs nothing (a leaf, or the
/// node's tree, which merges). Otherwise the estimate is the cheapest of
/// `f = e ∧ r` (`e` existing, `e ⊇ on`: one AND plus `r` for `(on, off ∧ e)`),
/// the dual `f = ¬(e ∧ r)`, `f = (e1 ∨ e2) ∧ r` at the top, and a Shannon step
/// (three ANDs plus both restricted cofactors), recursively to `depth`.
struct Planner {
    let W: Int
    let mask: UInt64
    let n: Int
    let params: PlannerParams
    /// Candidate functions, `W` words each; `candLit[k]` is the literal that computes candidate `k`.
    var cand: [UInt64] = []
    var candLit: [Literal] = []
    var count = 0
    /// Salt of the memo keys (the candidate set).
    var salt: UInt64 = 0

    init(state s: DecoderState, params: PlannerParams) {
        W = s.W; mask = s.lastMask; n = s.inputCount; self.params = params
        let nodes = s.nodeHash.count
        cand.reserveCapacity(2 * nodes * W)
        var h: UInt64 = 0x5151
        for k in 1..<nodes {
            let lit = s.nodeLit[k]
            for neg in [false, true] {
                for w in 0..<W {
                    let x = s.nodeTT[k * W + w]
                    cand.append(neg ? ~x & mask : x)
                }
                candLit.append(lit.complemented(if: neg))
            }
            h = SplitMix64.mix(h ^ s.nodeHash[k])
        }
        count = candLit.count
        salt = h
    }

    @inline(__always) func isZero(_ a: [UInt64]) -> Bool { for x in a where x != 0 { return false }; return true }

    @inline(__always) func covers(_ k: Int, _ a: [UInt64]) -> Bool {
        let b = k * W
        for w in 0..<W where a[w] & ~cand[b + w] != 0 { return false }
        return true
    }

    @inline(__always) func killed(_ k: Int, _ off: [UInt64]) -> Int {
        let b = k * W
        var c = 0
        for w in 0..<W { c += (off[w] & ~cand[b + w]).nonzeroBitCount }
        return c
    }

    /// The first candidate satisfying `(on, off)` (inputs come first), or nil.
    func fitting(_ on: [UInt64], _ off: [UInt64]) -> Int? {
        for k in 0..<count {
            let b = k * W
            var ok = true
            for w in 0..<W where on[w] & ~cand[b + w] != 0 || off[w] & cand[b + w] != 0 { ok = false; break }
            if ok { return k }
        }
        return nil
    }

    func candidate(_ k: Int) -> [UInt64] { Array(cand[(k * W)..<(k * W + W)]) }

    @inline(__always) func varWord(_ i: Int, _ w: Int) -> UInt64 { Patterns.exhaustiveWord(input: i, word: w) & mask }

    /// Whether some on-minterm and some off-minterm differ only in input `i`.
    func mustDepend(_ i: Int, _ on: [UInt64], _ off: [UInt64]) -> Bool {
        if i < 6 {
            let s = UInt64(1) << UInt64(i)
            let sel = Patterns.exhaustiveWord(input: i, word: 0)
            for w in 0..<W {
                let sw = ((off[w] & sel) >> s) | ((off[w] & ~sel) << s)
                if on[w] & sw & mask != 0 { return true }
            }
        } else {
            let step = 1 << (i - 6)
            for w in 0..<W where on[w] & off[w ^ step] != 0 { return true }
        }
        return false
    }

    func leafEstimate(_ on: [UInt64], _ off: [UInt64]) -> Double {
        var s = 0
        for i in 0..<n where mustDepend(i, on, off) { s += 1 }
        return max(1, params.leafCostPerVariable * Double(s - 1))
    }

    /// The `k` candidates with `a ⊆ c` that remove the most of `b` (at least one minterm).
    func bestCovering(_ a: [UInt64], _ b: [UInt64], limit: Int) -> [Int] {
        var top: [(Int, Int)] = []
        for k in 0..<count where covers(k, a) {
            let kill = killed(k, b)
            if kill == 0 { continue }
            if top.count < limit { top.append((kill, k)); top.sort { $0.0 > $1.0 } } else if kill > top[limit - 1].0 {
                top[limit - 1] = (kill, k); top.sort { $0.0 > $1.0 }
            }
        }
        return top.map(\.1)
    }

    /// Pairs `c1 ∨ c2` with `a ⊆ c1 ∨ c2` (neither alone) removing the most of `b`,
    /// among the `pairCandidates` candidates that cover most of `a` (the
    /// search is quadratic in them: with every node of a 700-AND circuit it
    /// took 90% of EPFL cavlc's decoding time).
    func bestPairs(_ a: [UInt64], _ b: [UInt64], limit: Int) -> [[UInt64]] {
        guard limit > 0 else { return [] }
        var pool: [(covered: Int, k: Int)] = []
        for k in 0..<count where !covers(k, a) {
            let base = k * W
            var c = 0
            for w in 0..<W { c += (a[w] & cand[base + w]).nonzeroBitCount }
            if c > 0 { pool.append((c, k)) }
        }
        if pool.count > params.pairCandidates {
            pool.sort { $0.covered != $1.covered ? $0.covered > $1.covered : $0.k < $1.k }
            pool.removeLast(pool.count - params.pairCandidates)
            pool.sort { $0.k < $1.k }
        }
        var top: [(Int, [UInt64])] = []
        var p = [UInt64](repeating: 0, count: W)
        for x in 0..<pool.count {
            let i = pool[x].k
            for y in (x + 1)..<max(x + 1, pool.count) {
                let j = pool[y].k
                var ok = true, kill = 0
                for w in 0..<W {
                    p[w] = cand[i * W + w] | cand[j * W + w]
                    if a[w] & ~p[w] != 0 { ok = false; break }
                    kill += (b[w] & ~p[w]).nonzeroBitCount
                }
                if !ok || kill == 0 { continue }
                if top.count < limit { top.append((kill, p)); top.sort { $0.0 > $1.0 } } else if kill > top[limit - 1].0 {
                    top[limit - 1] = (kill, p); top.sort { $0.0 > $1.0 }
                }
            }
        }
        return top.map(\.1)
    }

    /// Variables for Shannon steps: both halves hold care minterms; fewest
    /// care minterms in the larger cofactor first.
    func shannonVariables(_ on: [UInt64], _ off: [UInt64], limit: Int) -> [Int] {
        var xs: [(Int, Int)] = []
        for i in 0..<n {
            var c1 = 0, c0 = 0, on1 = 0, off1 = 0, on0 = 0, off0 = 0
            for w in 0..<W {
                let x = varWord(i, w)
                on1 += (on[w] & x).nonzeroBitCount; off1 += (off[w] & x).nonzeroBitCount
                on0 += (on[w] & ~x).nonzeroBitCount; off0 += (off[w] & ~x).nonzeroBitCount
            }
            c1 = min(on1, off1); c0 = min(on0, off0)
            if on1 + off1 == 0 || on0 + off0 == 0 { continue }
            xs.append((c1 + c0, i))
        }
        xs.sort { $0.0 < $1.0 }
        return xs.prefix(limit).map(\.1)
    }

    func key(_ on: [UInt64], _ off: [UInt64], _ d: Int) -> UInt64 {
        var h = salt ^ UInt64(d)
        for x in on { h = SplitMix64.mix(h ^ x) }
        h = SplitMix64.mix(h ^ 0xabcdef)
        for x in off { h = SplitMix64.mix(h ^ x) }
        return h
    }

    /// Estimated new ANDs to write a function satisfying `(on, off)`.
    func estimate(_ on: [UInt64], _ off: [UInt64], _ d: Int, _ memo: inout [UInt64: Double]) -> Double {
        if isZero(on) || isZero(off) { return 0 }
        if fitting(on, off) != nil { return 0 }
        if d <= 0 { return leafEstimate(on, off) }
        let k = key(on, off, d)
        if let v = memo[k] { return v }
        var best = 1 + leafEstimate(on, off) * 2
        for (a, b) in [(on, off), (off, on)] {
            for c in bestCovering(a, b, limit: params.singles) {
                var rb = b
                for w in 0..<W { rb[w] &= cand[c * W + w] }
                best = min(best, 1 + estimate(a, rb, d - 1, &memo))
            }
        }
        for x in shannonVariables(on, off, limit: params.shannonVars) {
            var on1 = on, off1 = off, on0 = on, off0 = off
            for w in 0..<W {
                let v = varWord(x, w)
                on1[w] &= v; off1[w] &= v; on0[w] &= ~v; off0[w] &= ~v
            }
            best = min(best, 3 + estimate(on1, off1, d - 1, &memo) + estimate(on0, off0, d - 1, &memo))
        }
        memo[k] = best
        return best
    }

    /// The options for a slot whose intended ISF is `(on, off)`: the best AND
    /// and the best NAND (nil when none), with their estimated costs and the
    /// functions intended for their left children.
    func options(_ on: [UInt64], _ off: [UInt64], state s: DecoderState, _ memo: inout [UInt64: Double]) -> (and: PlanOption?, nand: PlanOption?) {
        var best: [PlanOption?] = [nil, nil]
        func offer(_ o: PlanOption) {
            let i = o.token == Vocabulary.and ? 0 : 1
            if best[i] == nil || o.cost < best[i]!.cost { best[i] = o }
        }
        // An existing AND node that satisfies the slot: its tree merges.
        if let k = fitting(on, off), let (fanins, complemented) = s.andFanins(of: candLit[k]) {
            let (lOn, lOff) = s.exactFunction(of: fanins.left)
            offer(PlanOption(token: complemented ? Vocabulary.nand : Vocabulary.and, cost: 0, leftOn: lOn, leftOff: lOff))
            return (best[0], best[1])
        }
        let d = params.depth
        for (side, (a, b)) in [(on, off), (off, on)].enumerated() {
            let token = side == 0 ? Vocabulary.and : Vocabulary.nand
            for c in bestCovering(a, b, limit: 2 * params.singles) {
                var rb = b
                for w in 0..<W { rb[w] &= cand[c * W + w] }
                let e = candidate(c)
                offer(PlanOption(token: token, cost: 1 + estimate(a, rb, d - 1, &memo), leftOn: e, leftOff: e.map { ~$0 & mask }))
            }
            for p in bestPairs(a, b, limit: params.pairs) {
                var rb = b
                for w in 0..<W { rb[w] &= p[w] }
                offer(PlanOption(token: token, cost: 2 + estimate(a, rb, d - 1, &memo), leftOn: p, leftOff: p.map { ~$0 & mask }))
            }
        }
        for x in shannonVariables(on, off, limit: max(1, params.shannonVars)) {
            var on1 = on, off1 = off, on0 = on, off0 = off, lOn = on, lOff = on
            for w in 0..<W {
                let v = varWord(x, w)
                on1[w] &= v; off1[w] &= v; on0[w] &= ~v; off0[w] &= ~v
                // t1 = NAND(x, f1): 1 where x = 0 or f must be 0; 0 where x = 1 and f must be 1.
                lOn[w] = (~v & mask) | off1[w]; lOff[w] = on1[w]
            }
            offer(PlanOption(token: Vocabulary.nand, cost: 3 + estimate(on1, off1, d - 1, &memo) + estimate(on0, off0, d - 1, &memo),
                             leftOn: lOn, leftOff: lOff))
        }
        return (best[0], best[1])
    }
}

/// The ISF heuristic, sharing-aware. It keeps, per frame (keyed by
/// `DecoderState.prefixHash` at the frame's token), the function it intended
/// for that node and its left child, so a left child is steered towards the
/// intended function rather than its weak actual requirement `(on, ∅)`; the
/// intent is always at least as strong as the actual requirement, so following
/// it stays legal. At a slot it scores:
/// - 10.5: a constant that satisfies the intent (except 1 at a left child,
///   a no-op: 1); 10: a literal that satisfies the intent;
/// - 9.9: the operator of an existing node that satisfies the intent (its
///   tree merges, no AND);
/// - `1.5 + 7.5·e^(−cost/8)` (9 … 1.5): AND and NAND by the `Planner`'s
///   estimated new ANDs of their best decomposition (existing-node factors,
///   OR pairs, Shannon steps); 1.1 when a leaf satisfies the intent;
/// - at a left child, a literal that satisfies only the actual requirement is
///   another factor of the parent: scored like an operator by the parent's
///   estimated cost with it; elsewhere such leaves (and the no-op constant 1
///   at a left child) score 1; the rest 0; the guaranteed completion's
///   token at least 1.2 (legal under any budget the state accepted, so a
///   tight budget falls back to it rather than to junk).
/// The memo of estimates and the plans live in the policy (clear them between
/// unrelated runs with a fresh policy; keys include the targets, so reuse is
/// safe but grows memory).
public struct HeuristicPolicy: Policy {
    public var params: PlannerParams
    /// The factor intended for each frame's left child, by frame key.
    var leftIntents: [UInt64: ([UInt64], [UInt64])] = [:]
    var memo: [UInt64: Double] = [:]
    /// Score rows per state (`prefixHash`): search revisits states.
    var rows: [UInt64: [Double]] = [:]
    /// Entries kept before the memo and plans are cleared.
    public var memoLimit = 1 << 20

    public init(params: PlannerParams = PlannerParams()) { self.params = params }

    public mutating func scores(for states: [DecoderState]) -> [[Double]] { states.map { score($0) } }

    /// The intended ISFs along the open frames, top-down: an output root
    /// intends its target; a frame's node intends its slot's ISF (swapped for
    /// NAND); a left child intends the factor remembered for its frame (or
    /// planned now for frames the policy did not propose); a right child
    /// intends `(nodeOn, nodeOff ∧ left)`. Each is joined with the actual
    /// requirement (never weaker; on a contradiction the actual one is used).
    /// Returns the current slot's ISF and the top frame's node ISF.
    mutating func intendedPath(_ s: DecoderState, _ planner: Planner) -> (on: [UInt64], off: [UInt64], nodeOn: [UInt64], nodeOff: [UInt64]) {
        let W = s.W
        var on = Array(s.targetOn[(s.outputIndex * W)..<(s.outputIndex * W + W)])
        var off = Array(s.targetOff[(s.outputIndex * W)..<(s.outputIndex * W + W)])
        var nOn = on, nOff = off
        for (k, f) in s.frames.enumerated() {
            let b = k * 7 * W
            nOn = f.nand ? off : on; nOff = f.nand ? on : off
            var ok = true
            for w in 0..<W {
                nOn[w] |= s.frameWords[b + w]; nOff[w] |= s.frameWords[b + W + w]
                if nOn[w] & nOff[w] != 0 { ok = false }
            }
            if !ok { nOn = Array(s.frameWords[b..<(b + W)]); nOff = Array(s.frameWords[(b + W)..<(b + 2 * W)]) }
            if !f.right {
                if leftIntents[f.key] == nil, let o = planner.options(nOn, nOff, state: s, &memo).and {
                    leftIntents[f.key] = (o.leftOn, o.leftOff)
                }
                let l = leftIntents[f.key]
                for w in 0..<W { on[w] = nOn[w] | (l?.0[w] ?? 0); off[w] = l?.1[w] ?? 0 }
                for w in 0..<W where on[w] & off[w] != 0 { on = nOn; off = [UInt64](repeating: 0, count: W); break }
            } else {
                for w in 0..<W { on[w] = nOn[w]; off[w] = nOff[w] & s.frameWords[b + 2 * W + w] }
            }
        }
        return (on, off, nOn, nOff)
    }

    public mutating func score(_ s: DecoderState) -> [Double] {
        var row = [Double](repeating: 0, count: s.vocabularySize)
        guard !s.isComplete, s.outputIndex < s.outputCount else { return row }
        if let r = rows[s.prefixHash] { return r }
        if leftIntents.count + memo.count + rows.count > memoLimit { leftIntents.removeAll(); memo.removeAll(); rows.removeAll() }
        let W = s.W
        var rOn = [UInt64](repeating: 0, count: W), rOff = rOn
        s.currentISF(&rOn, &rOff)
        let planner = Planner(state: s, params: params)
        let (on, off, nOn, nOff) = intendedPath(s, planner)
        for i in 0..<s.inputCount {
            let (p, n) = s.literalFits(i, rOn, rOff)
            let (ip, inn) = s.literalFits(i, on, off)
            if p { row[Vocabulary.literal(i)] = ip ? 10 : 1 }
            if n { row[Vocabulary.literal(i, negated: true)] = inn ? 10 : 1 }
        }
        // A constant that satisfies the intent costs nothing: best. One that
        // satisfies only the (weaker) actual requirement scores 1, and so does
        // constant 1 at a left child (a no-op).
        let isLeft = s.frames.last.map { !$0.right } ?? false
        if s.isZero(rOn) { row[Vocabulary.const0] = s.isZero(on) ? 10.5 : 1 }
        if s.isZero(rOff) { row[Vocabulary.const1] = s.isZero(off) && !isLeft ? 10.5 : 1 }
        // At a left child, a literal that satisfies only the actual requirement is
        // another factor for the parent: score it by the parent's estimated cost with it.
        if isLeft {
            for t in Vocabulary.firstLiteral..<row.count where row[t] == 1 {
                var rb = nOff
                for w in 0..<W {
                    let i = (t - Vocabulary.firstLiteral) / 2
                    rb[w] &= (t - Vocabulary.firstLiteral) & 1 == 1 ? ~s.varWord(i, w) & s.lastMask : s.varWord(i, w)
                }
                let cost = 1 + planner.estimate(nOn, rb, params.depth - 1, &memo)
                row[t] = 1.5 + 7.5 * exp(-cost / 8)
            }
        }
        let (a, n) = planner.options(on, off, state: s, &memo)
        // When a leaf satisfies the intent, an operator can only add nodes
        // (e.g. `AND x 1` when the budget forbids `x`): below π's token then.
        let leafFits = row.contains { $0 >= 10 }
        for o in [a, n].compactMap({ $0 }) {
            row[o.token] = leafFits ? 1.1 : o.cost == 0 ? 9.9 : 1.5 + 7.5 * exp(-o.cost / 8)
            // Remember the plan under the key the frame will get.
            leftIntents[SplitMix64.mix(s.prefixHash ^ UInt64(o.token &+ 0x9e37))] = (o.leftOn, o.leftOff)
        }
        // π's token (always legal, even under a tight budget) above the junk.
        let pi = s.completionToken()
        row[pi] = max(row[pi], 1.2)
        rows[s.prefixHash] = row
        return row
    }
}
