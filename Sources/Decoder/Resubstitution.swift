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
