import AIG

/// Refactoring (the move of ABC's `refactor`): at every AND, a
/// reconvergence-driven cut of up to `maxLeaves` leaves is collapsed to its
/// truth table, an irredundant sum of products of the function or of its
/// complement (Minato–Morreale) is factored by common literals, and the
/// cone is replaced when the factored form, counted with what it shares,
/// needs fewer ANDs than the cone frees. Windows are larger than the
/// rewriter's 4-input cuts, and the new structure comes from the function
/// alone, so it reaches structures local rewriting does not: on `miter
/// random` circuits a zero-gain refactoring of the script's result let
/// resubstitution find gains (28 → 25 ANDs on one of them).
public enum AIGRefactoring {
    public struct Params: Sendable {
        /// Cut size (ABC's default is 10).
        public var maxLeaves = 10
        /// Take replacements that gain nothing (ABC's `refactor -z`).
        public var zeroGain = false
        public init() {}
    }

    public struct Stats: Sendable, Equatable {
        public var andsBefore = 0
        public var andsAfter = 0
        public var replacements = 0
    }

    public static func refactor(_ aig: AIG, params: Params = Params()) -> (AIG, Stats) {
        let source = aig.cleanedUp()
        var stats = Stats(andsBefore: source.andCount, andsAfter: source.andCount)
        guard source.isCombinational else { return (source, stats) }
        let k = min(12, max(3, params.maxLeaves))
        var g = MutableAIG(source)
        for j in 0..<source.andCount {
            let v = UInt32(source.firstAndVariable + j)
            guard g.isLive(v), let leaves = reconvergentCut(g, v, k), leaves.count >= 3 else { continue }
            let n = leaves.count
            let table = coneTable(g, v, leaves)
            var candidates: [SmallStructure] = []
            for (t, complement) in [(table, false), (table.not(n), true)] {
                let cover = Table.isop(t, t, n)
                guard let s = factoredStructure(cover, inputs: n, complement: complement) else { continue }
                candidates.append(s)
            }
            var best: (gain: Int, structure: SmallStructure)? = nil
            let leafLiterals = leaves.map { Literal(variable: $0) }
            g.withMFFCRemoved(v, leaves: leafLiterals) { g, freed in
                for s in candidates {
                    guard let added = g.cost(of: s, leafLiterals: leafLiterals, root: v) else { continue }
                    let gain = freed - added
                    if gain > (best?.gain ?? (params.zeroGain ? -1 : 0)) { best = (gain, s) }
                }
            }
            guard let best else { continue }
            let r = best.structure.instantiate(leaves: leafLiterals) { g.and($0, $1) }
            if r.variable == v { continue }
            g.replace(v, with: r)
            stats.replacements += 1
        }
        let out = g.finish(like: source)
        stats.andsAfter = out.andCount
        if out.andCount > source.andCount { return (source, Stats(andsBefore: source.andCount, andsAfter: source.andCount)) }
        return (out, stats)
    }

    /// Leaves (variables) of a cut of `v` grown from its fanins by expanding
    /// the leaf that adds the fewest new leaves, while at most `k` remain.
    static func reconvergentCut(_ g: MutableAIG, _ v: UInt32, _ k: Int) -> [UInt32]? {
        var inCone: Set<UInt32> = [v]
        var leaves: [UInt32] = []
        let (a, b) = g.faninsResolved(v)
        for x in [a.variable, b.variable] where x != 0 && !leaves.contains(x) { leaves.append(x) }
        while true {
            var bestIndex = -1, bestCost = Int.max
            for (i, l) in leaves.enumerated() where g.isAnd(l) {
                let (x, y) = g.faninsResolved(l)
                var cost = -1
                for f in Set([x.variable, y.variable]) where f != 0 && !leaves.contains(f) && !inCone.contains(f) { cost += 1 }
                if cost < bestCost { bestCost = cost; bestIndex = i }
            }
            guard bestIndex >= 0, leaves.count + bestCost <= k else { break }
            let l = leaves.remove(at: bestIndex)
            inCone.insert(l)
            let (x, y) = g.faninsResolved(l)
            for f in [x.variable, y.variable] where f != 0 && !leaves.contains(f) && !inCone.contains(f) { leaves.append(f) }
            if leaves.isEmpty { return nil }
        }
        return leaves.count <= k ? leaves.sorted() : nil
    }

    /// `v`'s function over `leaves` (leaf `i` = variable `i` of the table).
    static func coneTable(_ g: MutableAIG, _ v: UInt32, _ leaves: [UInt32]) -> Table {
        let n = leaves.count
        var memo: [UInt32: Table] = [:]
        for (i, l) in leaves.enumerated() { memo[l] = Table.variable(i, n) }
        memo[0] = Table.zero(n)
        func eval(_ u: UInt32) -> Table {
            if let t = memo[u] { return t }
            let (x, y) = g.faninsResolved(u)
            var tx = eval(x.variable), ty = eval(y.variable)
            if x.isComplemented { tx = tx.not(n) }
            if y.isComplemented { ty = ty.not(n) }
            let t = tx.and(ty)
            memo[u] = t
            return t
        }
        return eval(v)
    }

    /// A cube: literals as bit masks over the inputs.
    struct Cube: Equatable { var positive: UInt32; var negative: UInt32 }

    /// The factored form of a cover as a gate list over `inputs` leaves
    /// (`complement`: the structure's output is the cover's complement);
    /// nil when it would not fit a `SmallStructure` (more than 100 gates).
    static func factoredStructure(_ cover: [Cube], inputs n: Int, complement: Bool) -> SmallStructure? {
        var gates: [(UInt8, UInt8)] = []
        var strash: [UInt16: UInt8] = [:]
        var overflow = false
        func and(_ a: UInt8, _ b: UInt8) -> UInt8 {
            if a == 0 || b == 0 { return 0 }
            if a == 1 { return b }
            if b == 1 { return a }
            if a == b { return a }
            if a ^ b == 1 { return 0 }
            let (x, y) = a < b ? (a, b) : (b, a)
            let key = UInt16(x) << 8 | UInt16(y)
            if let e = strash[key] { return e }
            guard gates.count < 100 else { overflow = true; return 0 }
            gates.append((x, y))
            let lit = UInt8(2 * (n + gates.count))
            strash[key] = lit
            return lit
        }
        func or(_ a: UInt8, _ b: UInt8) -> UInt8 { and(a ^ 1, b ^ 1) ^ 1 }
        func literal(_ i: Int, _ positive: Bool) -> UInt8 { UInt8(2 * (i + 1)) ^ (positive ? 0 : 1) }
        func factor(_ cubes: [Cube]) -> UInt8 {
            if cubes.isEmpty { return 0 }
            if cubes.contains(where: { $0.positive == 0 && $0.negative == 0 }) { return 1 }
            if cubes.count == 1 {
                var r: UInt8 = 1
                for i in 0..<n {
                    if (cubes[0].positive >> UInt32(i)) & 1 != 0 { r = and(r, literal(i, true)) }
                    if (cubes[0].negative >> UInt32(i)) & 1 != 0 { r = and(r, literal(i, false)) }
                }
                return r
            }
            // The literal in most cubes; divide by it when it is in two or more.
            var best = (count: 1, index: 0, positive: true)
            for i in 0..<n {
                let bit = UInt32(1) << UInt32(i)
                let p = cubes.filter { $0.positive & bit != 0 }.count
                let q = cubes.filter { $0.negative & bit != 0 }.count
                if p > best.count { best = (p, i, true) }
                if q > best.count { best = (q, i, false) }
            }
            if best.count < 2 {
                var r: UInt8 = 0
                for c in cubes { r = or(r, factor([c])) }
                return r
            }
            let bit = UInt32(1) << UInt32(best.index)
            var quotient: [Cube] = [], rest: [Cube] = []
            for c in cubes {
                if best.positive ? c.positive & bit != 0 : c.negative & bit != 0 {
                    var q = c
                    if best.positive { q.positive &= ~bit } else { q.negative &= ~bit }
                    quotient.append(q)
                } else {
                    rest.append(c)
                }
            }
            let divided = and(literal(best.index, best.positive), factor(quotient))
            return rest.isEmpty ? divided : or(divided, factor(rest))
        }
        let out = factor(cover)
        guard !overflow else { return nil }
        return SmallStructure(gates: gates, output: out ^ (complement ? 1 : 0), inputs: n)
    }

    /// Truth tables over up to 12 variables as words (bit `m` = minterm `m`).
    struct Table: Equatable {
        var words: [UInt64]
        static func wordCount(_ n: Int) -> Int { n <= 6 ? 1 : 1 << (n - 6) }
        static func mask(_ n: Int) -> UInt64 { n >= 6 ? ~0 : (1 << UInt64(1 << n)) - 1 }
        static func zero(_ n: Int) -> Table { Table(words: Array(repeating: 0, count: wordCount(n))) }
        static func ones(_ n: Int) -> Table { Table(words: Array(repeating: mask(n), count: wordCount(n))) }
        static func variable(_ i: Int, _ n: Int) -> Table {
            let count = wordCount(n)
            if i < 6 { return Table(words: Array(repeating: Cuts.variableTable(i) & mask(n), count: count)) }
            return Table(words: (0..<count).map { w in (w >> (i - 6)) & 1 != 0 ? ~0 : 0 })
        }
        func not(_ n: Int) -> Table { Table(words: words.map { ~$0 & Table.mask(n) }) }
        func and(_ o: Table) -> Table { Table(words: zip(words, o.words).map { $0 & $1 }) }
        func or(_ o: Table) -> Table { Table(words: zip(words, o.words).map { $0 | $1 }) }
        func andNot(_ o: Table) -> Table { Table(words: zip(words, o.words).map { $0 & ~$1 }) }
        var isZero: Bool { words.allSatisfy { $0 == 0 } }

        /// The cofactor on variable `i` (as a function of all `n`, not depending on `i`).
        func cofactor(_ i: Int, _ value: Bool, _ n: Int) -> Table {
            var out = words
            if i < 6 {
                let m = Cuts.variableTable(i), s = UInt64(1 << i)
                for w in 0..<out.count {
                    let x = words[w]
                    out[w] = value ? (x & m) | ((x & m) >> s) : (x & ~m) | ((x & ~m) << s)
                    out[w] &= Table.mask(n)
                }
            } else {
                let step = 1 << (i - 6)
                for w in 0..<out.count {
                    let base = w & ~step
                    out[w] = words[value ? base | step : base]
                }
            }
            return Table(words: out)
        }

        /// An irredundant cover `C` with `lower ≤ C ≤ upper` (Minato–Morreale),
        /// splitting on variables from the top.
        static func isop(_ lower: Table, _ upper: Table, _ n: Int) -> [Cube] {
            var cubes: [Cube] = []
            _ = isopRec(lower, upper, n, n - 1, &cubes)
            return cubes
        }

        /// Appends the cover's cubes and returns the function they compute.
        private static func isopRec(_ l: Table, _ u: Table, _ n: Int, _ top: Int, _ out: inout [Cube]) -> Table {
            if l.isZero { return zero(n) }
            if u == ones(n) { out.append(Cube(positive: 0, negative: 0)); return ones(n) }
            // The highest variable either bound depends on.
            var i = top
            while i >= 0 && l.cofactor(i, false, n) == l.cofactor(i, true, n) && u.cofactor(i, false, n) == u.cofactor(i, true, n) { i -= 1 }
            guard i >= 0 else { out.append(Cube(positive: 0, negative: 0)); return ones(n) }
            let l0 = l.cofactor(i, false, n), l1 = l.cofactor(i, true, n)
            let u0 = u.cofactor(i, false, n), u1 = u.cofactor(i, true, n)
            let bit = UInt32(1) << UInt32(i)
            var c0: [Cube] = [], c1: [Cube] = [], cs: [Cube] = []
            let r0 = isopRec(l0.andNot(u1), u0, n, i - 1, &c0)
            let r1 = isopRec(l1.andNot(u0), u1, n, i - 1, &c1)
            let ls = l0.andNot(r0).or(l1.andNot(r1))
            let rs = isopRec(ls, u0.and(u1), n, i - 1, &cs)
            out += c0.map { Cube(positive: $0.positive, negative: $0.negative | bit) }
            out += c1.map { Cube(positive: $0.positive | bit, negative: $0.negative) }
            out += cs
            let x = variable(i, n)
            return r0.andNot(x).or(r1.and(x)).or(rs)
        }
    }
}
