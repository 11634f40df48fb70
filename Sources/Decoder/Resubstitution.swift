import AIG
import Simulation

/// Resubstitution on exact functions (circuits of at most 16 inputs, every
/// node simulated exhaustively): each AND is re-expressed from other live
/// nodes ("divisors") outside its maximum fanout-free cone — one divisor
/// (0-resub), the AND/OR of two (1-resub) or an AND/OR of three or
/// `a ∧ (b ∨ c)` forms (2-resub) — when that needs fewer new ANDs than the
/// cone frees. Exact tables make every replacement an equivalence, with no
/// SAT call (the technique of ABC's `resub`, without its windowing).
public enum AIGResubstitution {
    public struct Params: Sendable {
        /// Divisors tried per node, the most recent first (bounds the pair and triple searches).
        public var maxDivisors = 150
        /// Candidates of each polarity class kept for the pair/triple searches.
        public var maxCandidates = 48
        /// In the don't-care pass, also rewrite 4-input cuts whose function
        /// the care set leaves incompletely specified: every completion (up
        /// to 2^8) is looked up in the NPN-4 library. Only up to
        /// `dontCareRewritingWork` ANDs × words, since the pass rescans after
        /// every replacement.
        public var dontCareRewriting = true
        public var dontCareRewritingWork = 4_096
        public init() {}
    }

    enum Plan { case divisor(Literal), and(Literal, Literal), or(Literal, Literal), andOr(Literal, Literal, Literal), orAnd(Literal, Literal, Literal) }

    public static func resubstitute(_ aig: AIG, params: Params = Params()) -> (AIG, AIGRewriting.Stats) {
        let source = aig.cleanedUp()
        var stats = AIGRewriting.Stats(andsBefore: source.andCount, andsAfter: source.andCount)
        guard source.isCombinational, source.inputCount <= TruthTable.maxInputs, source.andCount > 0 else { return (source, stats) }
        var g = MutableAIG(source)
        g.computeTables()
        let W = g.words
        let mask = Patterns.exhaustiveMask(inputs: source.inputCount)
        var inCone = [Bool](repeating: false, count: g.fanins.count)
        for k in 0..<source.andCount {
            let v = UInt32(source.firstAndVariable + k)
            guard g.isLive(v) else { continue }
            if inCone.count < g.fanins.count { inCone += Array(repeating: false, count: g.fanins.count - inCone.count) }
            var chosen: Plan? = nil
            var bestGain = 0
            g.withMFFCRemoved(v, leaves: []) { g, freed in
                guard freed >= 1 else { return }
                // The cone: nodes reachable from v whose fanouts all went away.
                var cone: [UInt32] = [v]
                var stack: [UInt32] = [v]
                inCone[Int(v)] = true
                while let x = stack.popLast() {
                    let (a, b) = g.faninsResolved(x)
                    for y in [a.variable, b.variable] where g.isAnd(y) && g.refs[Int(y)] == 0 && !inCone[Int(y)] {
                        inCone[Int(y)] = true; cone.append(y); stack.append(y)
                    }
                }
                defer { for x in cone { inCone[Int(x)] = false } }
                // Divisors: live nodes outside the cone that cannot depend on v
                // (earlier original nodes, inputs, and nodes built by earlier replacements).
                var divisors: [UInt32] = []
                var d = g.fanins.count - 1
                while d >= 1 && divisors.count < params.maxDivisors {
                    let x = UInt32(d)
                    d -= 1
                    if x == v || inCone[Int(x)] { continue }
                    if g.isAnd(x) && (Int(x) > Int(v) && Int(x) < source.maxVariable + 1) { continue }
                    if !g.isLive(x) { continue }
                    divisors.append(x)
                }
                let tv = Int(v) * W
                func table(_ l: Literal, _ w: Int) -> UInt64 {
                    let t = g.tables[Int(l.variable) * W + w]
                    return l.isComplemented ? ~t & mask : t
                }
                // 0-resub, and the divisors each side of v's function.
                var above: [Literal] = []   // l ⊇ f
                var below: [Literal] = []   // l ⊆ f
                for x in divisors {
                    for c in [false, true] {
                        let l = Literal(variable: x, complemented: c)
                        var eq = true, sup = true, sub = true
                        for w in 0..<W {
                            let t = table(l, w), f = g.tables[tv + w]
                            if t != f { eq = false }
                            if f & ~t != 0 { sup = false }
                            if t & ~f != 0 { sub = false }
                            if !sup && !sub { break }
                        }
                        if eq { bestGain = freed; chosen = .divisor(l); return }
                        if sup && above.count < params.maxCandidates { above.append(l) }
                        if sub && below.count < params.maxCandidates { below.append(l) }
                    }
                }
                // 1-resub: f = a ∧ b (a, b ⊇ f) or f = a ∨ b (a, b ⊆ f).
                if freed >= 2 {
                    for i in 0..<above.count { for j in (i + 1)..<max(i + 1, above.count) {
                        var ok = true
                        for w in 0..<W where table(above[i], w) & table(above[j], w) != g.tables[tv + w] { ok = false; break }
                        if ok { if freed - 1 > bestGain { bestGain = freed - 1; chosen = .and(above[i], above[j]) } }
                    } }
                    for i in 0..<below.count { for j in (i + 1)..<max(i + 1, below.count) {
                        var ok = true
                        for w in 0..<W where table(below[i], w) | table(below[j], w) != g.tables[tv + w] { ok = false; break }
                        if ok { if freed - 1 > bestGain { bestGain = freed - 1; chosen = .or(below[i], below[j]) } }
                    } }
                }
                // 2-resub: f = a ∧ b ∧ c, f = a ∨ b ∨ c, f = a ∧ (b ∨ c), f = a ∨ (b ∧ c).
                if freed >= 3 && bestGain < freed - 1 {
                    let all = divisors.flatMap { [Literal(variable: $0), Literal(variable: $0, complemented: true)] }.prefix(2 * params.maxCandidates)
                    for a in above {
                        // b ∨ c must cover f within a: b, c ⊆ ... any; f = a ∧ (b ∨ c) needs f ⊆ b ∨ c and a ∧ (b ∨ c) ⊆ f.
                        let inside = all.filter { l in (0..<W).allSatisfy { w in table(a, w) & table(l, w) & ~g.tables[tv + w] == 0 } }
                        for i in 0..<inside.count { for j in (i + 1)..<max(i + 1, inside.count) {
                            var ok = true
                            for w in 0..<W where table(a, w) & (table(inside[i], w) | table(inside[j], w)) != g.tables[tv + w] { ok = false; break }
                            if ok, freed - 2 > bestGain { bestGain = freed - 2; chosen = .andOr(a, inside[i], inside[j]) }
                        } }
                        if bestGain >= freed - 2 { break }
                    }
                    if bestGain < freed - 2 {
                        for a in below {
                            // f = a ∨ (b ∧ c): b ∧ c ⊆ f and f ⊆ a ∨ (b ∧ c); b, c ⊇ f ∧ ¬a.
                            let outside = all.filter { l in (0..<W).allSatisfy { w in g.tables[tv + w] & ~table(a, w) & ~table(l, w) == 0 } }
                            for i in 0..<outside.count { for j in (i + 1)..<max(i + 1, outside.count) {
                                var ok = true
                                for w in 0..<W where table(a, w) | (table(outside[i], w) & table(outside[j], w)) != g.tables[tv + w] { ok = false; break }
                                if ok, freed - 2 > bestGain { bestGain = freed - 2; chosen = .orAnd(a, outside[i], outside[j]) }
                            } }
                            if bestGain >= freed - 2 { break }
                        }
                    }
                }
            }
            guard let plan = chosen else { continue }
            let r: Literal
            switch plan {
            case .divisor(let a): r = a
            case .and(let a, let b): r = g.and(a, b)
            case .or(let a, let b): r = !g.and(!a, !b)
            case .andOr(let a, let b, let c): r = g.and(a, !g.and(!b, !c))
            case .orAnd(let a, let b, let c): r = !g.and(!a, !g.and(b, c))
            }
            if r.variable == v { continue }
            g.replace(v, with: r)
            stats.replacements += 1
        }
        let out = g.finish(like: source)
        stats.andsAfter = out.andCount
        return out.andCount <= source.andCount ? (out, stats) : (source, AIGRewriting.Stats(andsBefore: source.andCount, andsAfter: source.andCount))
    }
}

extension AIGResubstitution {
    /// Resubstitution with observability don't-cares (the idea of ABC's
    /// `mfs`, on exact functions): a node may be replaced by one that agrees
    /// with it only where its value reaches an output, the care set found by
    /// simulating its fanout cone with the node complemented. One
    /// replacement changes the functions of its fanout cone, so the circuit
    /// is rebuilt after each and the scan goes on from the same position.
    /// `maxWork` bounds ANDs × words (larger circuits are returned as they are).
    public static func resubstituteWithDontCares(_ aig: AIG, params: Params = Params(), maxWork: Int = 1 << 16) -> (AIG, AIGRewriting.Stats) {
        var current = aig.cleanedUp()
        var stats = AIGRewriting.Stats(andsBefore: current.andCount, andsAfter: current.andCount)
        let n = current.inputCount
        guard current.isCombinational, n <= TruthTable.maxInputs, current.andCount > 0 else { return (current, stats) }
        let W = Patterns.exhaustiveWordCount(inputs: n)
        guard current.andCount * W <= maxWork else { return (current, stats) }
        let mask = Patterns.exhaustiveMask(inputs: n)
        var position = 0
        while position < current.andCount {
            let g = current
            let first = g.firstAndVariable
            let count = g.maxVariable + 1
            var tables = [UInt64](repeating: 0, count: count * W)
            for i in 0..<n { for w in 0..<W { tables[(i + 1) * W + w] = Patterns.exhaustiveWord(input: i, word: w) & mask } }
            @inline(__always) func word(_ t: [UInt64], _ l: Literal, _ w: Int) -> UInt64 {
                let x = t[Int(l.variable) * W + w]
                return l.isComplemented ? ~x & mask : x
            }
            for (k, a) in g.ands.enumerated() {
                let v = first + k
                for w in 0..<W { tables[v * W + w] = word(tables, a.left, w) & word(tables, a.right, w) }
            }
            var refs = [Int32](repeating: 0, count: count)
            for a in g.ands { refs[Int(a.left.variable)] += 1; refs[Int(a.right.variable)] += 1 }
            for o in g.outputs { refs[Int(o.variable)] += 1 }
            var applied = false
            let cutRewriting = params.dontCareRewriting && g.andCount * W <= params.dontCareRewritingWork
            let cuts = cutRewriting ? Cuts(g, limit: 32) : Cuts(AIG(inputCount: 0), limit: 0)
            var flipped = tables
            var changed = [Bool](repeating: false, count: count)
            var inMFFC = [Bool](repeating: false, count: count)
            for k in position..<g.andCount {
                let v = first + k
                // Care set: minterms where complementing v changes some output.
                for w in 0..<W { flipped[v * W + w] = ~tables[v * W + w] & mask }
                changed[v] = true
                var touched: [Int] = [v]
                for (j, a) in g.ands.enumerated().dropFirst(k + 1) where changed[Int(a.left.variable)] || changed[Int(a.right.variable)] {
                    let u = first + j
                    for w in 0..<W { flipped[u * W + w] = word(flipped, a.left, w) & word(flipped, a.right, w) }
                    changed[u] = true; touched.append(u)
                }
                var care = [UInt64](repeating: 0, count: W)
                for o in g.outputs where changed[Int(o.variable)] {
                    for w in 0..<W { care[w] |= word(tables, o, w) ^ word(flipped, o, w) }
                }
                for u in touched { changed[u] = false; for w in 0..<W { flipped[u * W + w] = tables[u * W + w] } }
                // The MFFC of v (its nodes are freed by a replacement).
                var mffc: [Int] = [v]
                var stack = [v]
                var localRefs: [(Int, Int32)] = []
                inMFFC[v] = true
                while let x = stack.popLast() {
                    let a = g.ands[x - first]
                    for y in [Int(a.left.variable), Int(a.right.variable)] where y >= first {
                        localRefs.append((y, refs[y])); refs[y] -= 1
                        if refs[y] == 0 { inMFFC[y] = true; mffc.append(y); stack.append(y) }
                    }
                }
                for (y, r) in localRefs.reversed() { refs[y] = r }
                defer { for x in mffc { inMFFC[x] = false } }
                let freed = mffc.count
                func agrees(_ t: (Int) -> UInt64) -> Bool {
                    for w in 0..<W where (t(w) ^ tables[v * W + w]) & care[w] != 0 { return false }
                    return true
                }
                var replacement: ((inout AIGBuilder, [Literal]) -> Literal)? = nil
                if care.allSatisfy({ $0 == 0 }) { replacement = { _, _ in .false } }
                // Divisors: earlier nodes (not in v's fanout cone), outside the MFFC, the most recent first.
                var divisors: [Literal] = []
                var d = v - 1
                while d >= 1 && divisors.count < params.maxDivisors {
                    if !inMFFC[d] { divisors.append(Literal(variable: UInt32(d))) }
                    d -= 1
                }
                if replacement == nil {
                    for x in divisors {
                        for l in [x, !x] where agrees({ word(tables, l, $0) }) { replacement = { _, map in map.translate(l) }; break }
                        if replacement != nil { break }
                    }
                }
                if replacement == nil && freed >= 2 {
                    // f = a ∧ b on the care set: a and b must cover f's care on-set.
                    var above: [Literal] = []
                    for x in divisors {
                        for l in [x, !x] where above.count < params.maxCandidates {
                            var ok = true
                            for w in 0..<W where tables[v * W + w] & care[w] & ~word(tables, l, w) != 0 { ok = false; break }
                            if ok { above.append(l) }
                        }
                    }
                    search: for i in 0..<above.count {
                        for j in (i + 1)..<max(i + 1, above.count) where agrees({ word(tables, above[i], $0) & word(tables, above[j], $0) }) {
                            let (a, b) = (above[i], above[j])
                            replacement = { builder, map in builder.and(map.translate(a), map.translate(b)) }
                            break search
                        }
                    }
                    // f = a ∨ b on the care set: a and b inside f's care on-set (outside its care off-set).
                    if replacement == nil {
                        var below: [Literal] = []
                        for x in divisors {
                            for l in [x, !x] where below.count < params.maxCandidates {
                                var ok = true
                                for w in 0..<W where ~tables[v * W + w] & care[w] & word(tables, l, w) != 0 { ok = false; break }
                                if ok { below.append(l) }
                            }
                        }
                        search: for i in 0..<below.count {
                            for j in (i + 1)..<max(i + 1, below.count) where agrees({ word(tables, below[i], $0) | word(tables, below[j], $0) }) {
                                let (a, b) = (below[i], below[j])
                                replacement = { builder, map in builder.or(map.translate(a), map.translate(b)) }
                                break search
                            }
                        }
                    }
                }
                if replacement == nil && freed >= 2 && cutRewriting {
                    replacement = dontCareRewrite(v, cuts: cuts, care: care, tables: tables, W: W, refs: &refs, g: g)
                }
                guard let replacement else { continue }
                // Rebuild with v replaced, then go on from v's position.
                var b = AIGBuilder(inputCount: n, expectedAnds: g.andCount)
                var map = [Literal](repeating: .false, count: count)
                for i in 0...n { map[i] = Literal(variable: UInt32(i)) }
                for (j, a) in g.ands.enumerated() {
                    let u = first + j
                    map[u] = u == v ? replacement(&b, map) : b.and(map.translate(a.left), map.translate(a.right))
                }
                for o in g.outputs { b.addOutput(map.translate(o)) }
                let next = b.finish().cleanedUp()
                guard next.andCount < g.andCount else { continue }
                current = next
                stats.replacements += 1
                position = k
                applied = true
                break
            }
            if !applied { break }
        }
        current.inputNames = aig.inputNames
        current.outputNames = aig.outputNames
        stats.andsAfter = current.andCount
        return (current, stats)
    }
}

/// The cheapest library structure for `v` over one of its 4-input cuts,
/// given `v`'s care set over the primary inputs: a cut minterm is cared
/// for when some cared-for input minterm reaches it (so unreachable leaf
/// combinations are free too). nil when no cut gains by the structures' own
/// counts (sharing is left to the rebuild, which must shrink).
private func dontCareRewrite(_ v: Int, cuts: Cuts, care: [UInt64], tables: [UInt64], W: Int,
                             refs: inout [Int32], g: AIG) -> ((inout AIGBuilder, [Literal]) -> Literal)? {
    let npn = NPN4.shared
    let first = g.firstAndVariable
    var best: (gain: Int, leaves: [UInt32], structure: SmallStructure, transform: NPN4.Transform)? = nil
    for cut in cuts.cuts(of: v) where cut.count >= 2 {
        var careMask: UInt16 = 0
        for w in 0..<W {
            var c = care[w]
            while c != 0 {
                let bit = UInt64(c.trailingZeroBitCount)
                c &= c - 1
                var m = 0
                for (i, l) in cut.leaves.enumerated() where (tables[Int(l) * W + w] >> bit) & 1 != 0 { m |= 1 << i }
                careMask |= 1 << UInt16(m)
            }
        }
        let free = ~careMask
        let dcCount = free.nonzeroBitCount
        guard dcCount > 0, dcCount <= 8 else { continue }
        // Nodes freed: v's cone down to the cut's leaves.
        var stops = Set(cut.leaves.map(Int.init))
        var freed = 0
        var saved: [(Int, Int32)] = []
        var stack = [v]
        while let x = stack.popLast() {
            freed += 1
            let a = g.ands[x - first]
            for y in [Int(a.left.variable), Int(a.right.variable)] where y >= first && !stops.contains(y) {
                saved.append((y, refs[y])); refs[y] -= 1
                if refs[y] == 0 { stack.append(y) }
            }
        }
        for (y, r) in saved.reversed() { refs[y] = r }
        stops.removeAll()
        let positions = (0..<16).filter { free & (1 << UInt16($0)) != 0 }
        let base = UInt16(truncatingIfNeeded: cut.table) & careMask
        for subset in 0..<(1 << positions.count) {
            var f = base
            for (i, p) in positions.enumerated() where (subset >> i) & 1 != 0 { f |= 1 << UInt16(p) }
            guard let s = AIGRewriting.library[npn.classIndex(f)] else { continue }
            let gain = freed - s.gates.count
            if gain > (best?.gain ?? 0) { best = (gain, cut.leaves, s, npn.transform(f)) }
        }
    }
    guard let best else { return nil }
    return { builder, map in
        let leafLits = (0..<4).map { i in i < best.leaves.count ? map.translate(Literal(variable: best.leaves[i])) : .false }
        return best.structure.instantiate(transform: best.transform, leaves: leafLits) { builder.and($0, $1) }
    }
}
