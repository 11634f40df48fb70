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
    struct Entry: Sendable { var on: [UInt64]; var off: [UInt64]; var tree: PiSubtree; var decision: DecoderState.Decision }
    let table = Mutex<[UInt64: Entry]>([:])
    /// Entries kept before the memo is cleared.
    static let limit = 1 << 18

    func lookup(_ h: UInt64, _ on: [UInt64], _ off: [UInt64]) -> Entry? {
        table.withLock { t in
            guard let e = t[h], e.on == on, e.off == off else { return nil }
            return e
        }
    }

    func store(_ h: UInt64, _ e: Entry) {
        table.withLock { t in
            if t.count >= PiCache.limit { t.removeAll(keepingCapacity: true) }
            t[h] = e
        }
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
    /// by token: the nodes a subtree adds are its node functions not yet in the
    /// circuit, and frames close exactly as in `applyUnchecked`. Stops early
    /// (with a count over the limit) once over budget when `limitChecked`.
    func fastRollout(limitChecked: Bool) -> (ands: Int, depth: Int, tokens: Int) {
        if finished { return (ands.count, depthUsed, tokenCount) }
        var ands = self.ands.count, depth = depthUsed, tokens = tokenCount
        if outputIndex == outputCount { return (ands, depth, tokens + 1) }
        let limit = limitChecked ? (maxAnds ?? Int.max) : Int.max
        let tlimit = limitChecked ? (maxTokens ?? Int.max) : Int.max
        let dlimit = limitChecked ? maxDepth : Int.max
        var newHashes: [UInt64] = [], newWords: [UInt64] = []
        func exists(_ h: UInt64, _ x: ArraySlice<UInt64>) -> Bool {
            for k in 0..<nodeHash.count where nodeHash[k] == h && nodeTT[(k * W)..<(k * W + W)] == x { return true }
            for k in 0..<newHashes.count where newHashes[k] == h && newWords[(k * W)..<(k * W + W)] == x { return true }
            return false
        }
        // Open frames: nand, level, whether the left child is done, its value, plans.
        struct F { var nand: Bool; var level: Int; var right: Bool; var planned: Bool; var b: Int; var left: [UInt64] }
        var fs: [F] = frames.enumerated().map { k, f in
            let b = k * 7 * W
            return F(nand: f.nand, level: Int(f.level), right: f.right, planned: f.planned, b: b,
                     left: f.right ? Array(frameWords[(b + 2 * W)..<(b + 3 * W)]) : [])
        }
        var output = outputIndex
        var pOn = [UInt64](repeating: 0, count: W), pOff = pOn
        currentPlan(&pOn, &pOff)
        var level = currentLevel
        while true {
            let t = piSubtree(pOn, pOff)
            tokens += t.tokens
            if t.depth > 0 { depth = max(depth, level + t.depth) }
            for k in 0..<t.nodeHashes.count {
                let x = t.nodeWords[(k * W)..<(k * W + W)]
                if !exists(t.nodeHashes[k], x) { newHashes.append(t.nodeHashes[k]); newWords.append(contentsOf: x); ands += 1 }
            }
            if ands > limit || tokens > tlimit || depth > dlimit { return (ands, depth, tokens) }
            var v = t.value
            // Close finished frames.
            var next = false
            while !next {
                guard var f = fs.last else {
                    output += 1
                    if output == outputCount { return (ands, depth, tokens + 1) }
                    let b = output * W
                    for w in 0..<W { pOn[w] = targetOn[b + w]; pOff[w] = targetOff[b + w] }
                    level = 0
                    next = true
                    break
                }
                if !f.right {
                    f.right = true
                    f.left = v
                    let b = f.b
                    var satisfies = f.planned
                    for w in 0..<W where satisfies && (frameWords[b + 3 * W + w] & ~v[w] != 0 || frameWords[b + 4 * W + w] & v[w] != 0) { satisfies = false }
                    for w in 0..<W {
                        pOn[w] = satisfies ? frameWords[b + 5 * W + w] : frameWords[b + w]
                        pOff[w] = satisfies ? frameWords[b + 6 * W + w] : frameWords[b + W + w] & v[w]
                    }
                    fs[fs.count - 1] = f
                    level = f.level + 1
                    next = true
                    break
                }
                for w in 0..<W { v[w] &= f.left[w] }
                let (h, x) = normalisedHash(v)
                if !exists(h, x[...]) { newHashes.append(h); newWords.append(contentsOf: x); ands += 1 }
                if f.nand { for w in 0..<W { v[w] = ~v[w] & lastMask } }
                fs.removeLast()
            }
            if ands > limit { return (ands, depth, tokens) }
        }
    }
}
