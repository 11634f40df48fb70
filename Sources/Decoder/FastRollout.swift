import AIG
import Simulation
import Synchronization

/// What π writes below a slot with plan `P`: a pure function of `P`, so it is
/// computed once per plan. `value`: the subtree's function; `nodes`: the
/// distinct (normalised) functions of its AND nodes, `W` words each, with
/// their hashes; `depth`: its AND levels; `tokens`: its token count.
struct PiSubtree: Sendable {
    var value: [UInt64]
    var nodeHashes: [UInt64]
    var nodeWords: [UInt64]
    var depth: Int
    var tokens: Int
}

/// Memo of `PiSubtree` per plan, shared by every copy of a decoder state
/// (keys are verified word by word, so a hash collision cannot give a wrong entry).
final class PiCache: Sendable {
    /// Immutable, so a hit costs one retain instead of one per array.
    final class Entry: Sendable {
        let on: [UInt64], off: [UInt64], tree: PiSubtree, decision: DecoderState.Decision
        init(on: [UInt64], off: [UInt64], tree: PiSubtree, decision: DecoderState.Decision) {
            self.on = on; self.off = off; self.tree = tree; self.decision = decision
        }
    }
    let table = Mutex<[UInt64: Entry]>([:])
    /// Entries kept before the memo is cleared (default 2^18; batched
    /// serving uses fewer so that many states stay small).
    let limit: Int
    init(limit: Int = 1 << 18) { self.limit = max(16, limit) }

    func lookup(_ h: UInt64, _ on: [UInt64], _ off: [UInt64]) -> Entry? {
        table.withLock { t in
            guard let e = t[h], e.on == on, e.off == off else { return nil }
            return e
        }
    }

    func store(_ h: UInt64, _ e: Entry) {
        table.withLock { t in
            if t.count >= limit { t.removeAll(keepingCapacity: true) }
            t[h] = e
        }
    }
}

/// Reusable buffers for the budget checks of one mask computation, so that
/// checking a candidate token copies no state and allocates nothing once warm.
struct RolloutScratch {
    /// Open-addressing set (linear probing) of node functions: entry + 1, 0 = empty.
    var slots: [Int32] = []
    var hashes: [UInt64] = []
    var words: [UInt64] = []
    /// Entries `0..<base` are the circuit's own nodes; later ones belong to the current rollout.
    var base = 0
    var ready = false
    var frames: [DecoderState.Frame] = []
    var frameWords: [UInt64] = []
    var on: [UInt64] = [], off: [UInt64] = [], pOn: [UInt64] = [], pOff: [UInt64] = [], v: [UInt64] = []

    /// Adds node function `x[xb..<xb+W]` (normalised, hash `h`) unless present; whether it was new.
    mutating func insert(_ h: UInt64, _ x: [UInt64], _ xb: Int, _ W: Int) -> Bool {
        insert(h, x, xb, W, xor: 0, and: ~0)
    }

    /// Adds the normalised function of `v` (minterm 0 is 0) unless present; whether it was new.
    mutating func insertValue(_ W: Int, _ lastMask: UInt64) -> Bool {
        let flip = v[0] & 1 != 0
        let xor: UInt64 = flip ? ~0 : 0, and: UInt64 = flip ? lastMask : ~0
        var h: UInt64 = 0x1234_5678
        for w in 0..<W { h = SplitMix64.mix(h ^ ((v[w] ^ xor) & and)) }
        return insert(h, v, 0, W, xor: xor, and: and)
    }

    /// Adds the function whose word `w` is `(x[xb + w] ^ xor) & and`, hashed `h`, unless present.
    private mutating func insert(_ h: UInt64, _ x: [UInt64], _ xb: Int, _ W: Int, xor: UInt64, and: UInt64) -> Bool {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 {
            let e = Int(slots[i]) - 1
            if hashes[e] == h {
                var same = true
                for w in 0..<W where words[e * W + w] != (x[xb + w] ^ xor) & and { same = false; break }
                if same { return false }
            }
            i = (i + 1) & mask
        }
        hashes.append(h)
        for w in 0..<W { words.append((x[xb + w] ^ xor) & and) }
        slots[i] = Int32(hashes.count)
        if hashes.count * 2 > slots.count { rehash(slots.count * 2) }
        return true
    }

    /// Re-places every entry in insertion order, which keeps `reset`'s LIFO removal exact.
    mutating func rehash(_ capacity: Int) {
        slots = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for e in 0..<hashes.count {
            var i = Int(truncatingIfNeeded: hashes[e]) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Int32(e + 1)
        }
    }

    /// Drops the last rollout's nodes, newest first: under linear probing that
    /// restores the table exactly as it was before they were inserted.
    mutating func reset(_ W: Int) {
        let mask = slots.count - 1
        var e = hashes.count - 1
        while e >= base {
            var i = Int(truncatingIfNeeded: hashes[e]) & mask
            while Int(slots[i]) != e + 1 { i = (i + 1) & mask }
            slots[i] = 0
            e -= 1
        }
        hashes.removeLast(hashes.count - base)
        words.removeLast(words.count - base * W)
    }
}

extension DecoderState {
    func normalisedHash(_ tt: [UInt64]) -> (UInt64, [UInt64]) {
        let flip = tt[0] & 1 != 0
        var h: UInt64 = 0x1234_5678
        var x = tt
        for w in 0..<W {
            if flip { x[w] = ~tt[w] & lastMask }
            h = SplitMix64.mix(h ^ x[w])
        }
        return (h, x)
    }

    func planHash(_ on: [UInt64], _ off: [UInt64]) -> UInt64 {
        var h: UInt64 = 0x7f4a_7c15 ^ UInt64(W)
        for x in on { h = SplitMix64.mix(h ^ x) }
        h = SplitMix64.mix(h ^ 0x55)
        for x in off { h = SplitMix64.mix(h ^ x) }
        return h
    }

    /// π's subtree for plan `(on, off)` (memoised in `piCache`).
    func piSubtree(_ on: [UInt64], _ off: [UInt64]) -> PiSubtree { piEntry(on, off).tree }

    /// π's decision for plan `(on, off)` (memoised with its subtree).
    func piDecision(_ on: [UInt64], _ off: [UInt64]) -> Decision { piEntry(on, off).decision }

    func piEntry(_ on: [UInt64], _ off: [UInt64]) -> PiCache.Entry {
        let h = planHash(on, off)
        if let e = piCache.lookup(h, on, off) { return e }
        let d = completionDecision(on, off)
        var tree: PiSubtree
        if Vocabulary.isLeaf(d.token) {
            tree = PiSubtree(value: leafValue(d.token), nodeHashes: [], nodeWords: [], depth: 0, tokens: 1)
        } else {
            let l = piSubtree(d.leftOn, d.leftOff)
            // As in `applyUnchecked`: π's right plan holds when the left child satisfies π's left plan.
            var fits = true
            for w in 0..<W where d.leftOn[w] & ~l.value[w] != 0 || d.leftOff[w] & l.value[w] != 0 { fits = false; break }
            let r: PiSubtree
            if fits { r = piSubtree(d.rightOn, d.rightOff) } else {
                // Not reached for π's own plans; kept for exactness with `applyUnchecked`.
                let nand = d.token == Vocabulary.nand
                let gOn = nand ? off : on, gOff = nand ? on : off
                r = piSubtree(gOn, (0..<W).map { gOff[$0] & l.value[$0] })
            }
            var g = (0..<W).map { l.value[$0] & r.value[$0] }
            var hashes = l.nodeHashes, words = l.nodeWords
            func add(_ hh: UInt64, _ ww: ArraySlice<UInt64>) {
                var k = 0
                while k < hashes.count {
                    if hashes[k] == hh && words[(k * W)..<(k * W + W)] == ww { return }
                    k += 1
                }
                hashes.append(hh); words.append(contentsOf: ww)
            }
            for k in 0..<r.nodeHashes.count { add(r.nodeHashes[k], r.nodeWords[(k * W)..<(k * W + W)]) }
            let (gh, gw) = normalisedHash(g)
            add(gh, gw[...])
            if d.token == Vocabulary.nand { for w in 0..<W { g[w] = ~g[w] & lastMask } }
            tree = PiSubtree(value: g, nodeHashes: hashes, nodeWords: words, depth: 1 + max(l.depth, r.depth), tokens: 1 + l.tokens + r.tokens)
        }
        let e = PiCache.Entry(on: on, off: off, tree: tree, decision: d)
        piCache.store(h, e)
        return e
    }

    func leafValue(_ token: Int) -> [UInt64] {
        switch token {
        case Vocabulary.const0: return [UInt64](repeating: 0, count: W)
        case Vocabulary.const1: return [UInt64](repeating: lastMask, count: W)
        default:
            let i = (token - Vocabulary.firstLiteral) / 2
            let neg = (token - Vocabulary.firstLiteral) & 1 == 1
            return (0..<W).map { neg ? ~varWord(i, $0) & lastMask : varWord(i, $0) }
        }
    }

    /// The same result as `rollout(limitChecked:)` (π's completion: ANDs, depth,
    /// tokens), computed slot by slot from memoised π subtrees instead of token
    /// by token. Stops early (with a count over the limit) once over budget when `limitChecked`.
    func fastRollout(limitChecked: Bool) -> (ands: Int, depth: Int, tokens: Int) {
        var scratch = RolloutScratch()
        return rollout(after: nil, limitChecked: limitChecked, &scratch)
    }

    func prepare(_ s: inout RolloutScratch) {
        if s.ready { return }
        s.ready = true
        var capacity = 64
        while capacity < 4 * nodeHash.count { capacity <<= 1 }
        s.hashes = nodeHash
        s.words = nodeTT
        s.base = nodeHash.count
        s.rehash(capacity)
        s.on = [UInt64](repeating: 0, count: W)
        s.off = s.on; s.pOn = s.on; s.pOff = s.on; s.v = s.on
    }

    /// `Roll(s·token)` (`Roll(s)` when `token` is nil) without applying the
    /// token to a copy: the token's frame or leaf value is simulated on a copy
    /// of the open frames in `scratch`, then π completes slot by slot from
    /// memoised subtrees. The nodes a subtree adds are its node functions not
    /// yet in the circuit or the rollout, and frames close exactly as in
    /// `applyUnchecked`, so the result equals the token-by-token rollout.
    /// Stops early (with a count over the limit) once over budget when `limitChecked`.
    func rollout(after token: Int?, limitChecked: Bool, _ s: inout RolloutScratch) -> (ands: Int, depth: Int, tokens: Int) {
        if let token, finished || outputIndex == outputCount {
            var c = self
            c.record = false
            c.applyUnchecked(token)
            return c.rollout(after: nil, limitChecked: limitChecked, &s)
        }
        if finished { return (ands.count, depthUsed, tokenCount) }
        var ands = self.ands.count, depth = depthUsed, tokens = tokenCount
        if outputIndex == outputCount { return (ands, depth, tokens + 1) }
        let limit = limitChecked ? (maxAnds ?? Int.max) : Int.max
        let tlimit = limitChecked ? (maxTokens ?? Int.max) : Int.max
        let dlimit = limitChecked ? maxDepth : Int.max
        prepare(&s)
        s.reset(W)
        s.frames.removeAll(keepingCapacity: true)
        s.frames.append(contentsOf: frames)
        s.frameWords.removeAll(keepingCapacity: true)
        s.frameWords.append(contentsOf: frameWords)
        var output = outputIndex
        var level = currentLevel
        currentPlan(&s.pOn, &s.pOff)
        var expand = true
        if let token {
            tokens += 1
            if token == Vocabulary.and || token == Vocabulary.nand {
                // As in `applyUnchecked`: a frame with π's plans when π writes the same operator.
                currentISF(&s.on, &s.off)
                let d = piDecision(s.pOn, s.pOff)
                let nand = token == Vocabulary.nand
                let planned = d.token == token
                s.frames.append(Frame(nand: nand, level: Int32(level), right: false, planned: planned, leftLit: .false))
                for w in 0..<W { s.frameWords.append(nand ? s.off[w] : s.on[w]) }
                for w in 0..<W { s.frameWords.append(nand ? s.on[w] : s.off[w]) }
                for _ in 0..<W { s.frameWords.append(0) }
                for w in 0..<W {
                    s.pOn[w] = planned ? d.leftOn[w] : (nand ? s.off[w] : s.on[w])
                    s.pOff[w] = planned ? d.leftOff[w] : 0
                }
                for w in 0..<W { s.frameWords.append(s.pOn[w]) }
                for w in 0..<W { s.frameWords.append(s.pOff[w]) }
                for w in 0..<W { s.frameWords.append(planned ? d.rightOn[w] : 0) }
                for w in 0..<W { s.frameWords.append(planned ? d.rightOff[w] : 0) }
                depth = max(depth, level + 1)
                level += 1
            } else {
                switch token {
                case Vocabulary.const0: for w in 0..<W { s.v[w] = 0 }
                case Vocabulary.const1: for w in 0..<W { s.v[w] = lastMask }
                default:
                    let i = (token - Vocabulary.firstLiteral) / 2
                    let neg = (token - Vocabulary.firstLiteral) & 1 == 1
                    for w in 0..<W { s.v[w] = neg ? ~varWord(i, w) & lastMask : varWord(i, w) }
                }
                expand = false
            }
        }
        while true {
            if expand {
                let t = piEntry(s.pOn, s.pOff).tree
                tokens += t.tokens
                if t.depth > 0 { depth = max(depth, level + t.depth) }
                for k in 0..<t.nodeHashes.count where s.insert(t.nodeHashes[k], t.nodeWords, k * W, W) { ands += 1 }
                if ands > limit || tokens > tlimit || depth > dlimit { return (ands, depth, tokens) }
                for w in 0..<W { s.v[w] = t.value[w] }
            }
            expand = true
            // Close finished frames.
            while true {
                guard let f = s.frames.last else {
                    output += 1
                    if output == outputCount { return (ands, depth, tokens + 1) }
                    let b = output * W
                    for w in 0..<W { s.pOn[w] = targetOn[b + w]; s.pOff[w] = targetOff[b + w] }
                    level = 0
                    break
                }
                let b = (s.frames.count - 1) * 7 * W
                if !f.right {
                    s.frames[s.frames.count - 1].right = true
                    var satisfies = f.planned
                    for w in 0..<W {
                        s.frameWords[b + 2 * W + w] = s.v[w]
                        if satisfies && (s.frameWords[b + 3 * W + w] & ~s.v[w] != 0 || s.frameWords[b + 4 * W + w] & s.v[w] != 0) { satisfies = false }
                    }
                    for w in 0..<W {
                        s.pOn[w] = satisfies ? s.frameWords[b + 5 * W + w] : s.frameWords[b + w]
                        s.pOff[w] = satisfies ? s.frameWords[b + 6 * W + w] : s.frameWords[b + W + w] & s.v[w]
                    }
                    level = Int(f.level) + 1
                    break
                }
                for w in 0..<W { s.v[w] &= s.frameWords[b + 2 * W + w] }
                if s.insertValue(W, lastMask) { ands += 1 }
                if f.nand { for w in 0..<W { s.v[w] = ~s.v[w] & lastMask } }
                s.frames.removeLast()
                s.frameWords.removeLast(7 * W)
            }
            if ands > limit { return (ands, depth, tokens) }
        }
    }
}
