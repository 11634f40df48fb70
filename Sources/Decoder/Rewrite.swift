import AIG
import Simulation

/// DAG-aware AIG rewriting with exact minimum structures (the technique of
/// ABC's `rewrite`, with a library of its own): at every AND, each 4-input
/// cut's function is looked up by NPN class in `npn4MinimumStructures`
/// (minimum AIGs found by SAT, `MiterBench npn4-library`), and the cone is
/// replaced when the structure, counted with the nodes it can share, needs
/// fewer ANDs than the cone frees (its maximum fanout-free cone, bounded by
/// the cut). With `zeroGain`, equal-size replacements are taken too: they
/// change the structure, which lets later passes find gains.
public enum AIGRewriting {
    public struct Params: Sendable {
        /// Cuts kept per node (the smallest first). `miter random` 8-input/2-output circuits (100): one pass 29.3 mean ANDs at 8, 28.18 at 16, 28.13 at 32 (ABC `rewrite` 28.28).
        public var cutsPerNode = 32
        /// Take replacements that gain nothing (ABC's `rewrite -z`).
        public var zeroGain = false
        /// Perturbation for restarts: with a seed, ties between equally good
        /// cuts are broken at random and each zero-gain replacement is taken
        /// with probability 1/2 (reproducible per seed).
        public var seed: UInt64? = nil
        /// The library structure is tried under up to this many of the
        /// transforms that give the cut's function (symmetric functions
        /// have many; each pairs the leaves differently, so shares
        /// differently). 1 = the stored transform only.
        public var transformsPerCut = 64
        public init() {}
    }

    public struct Stats: Sendable, Equatable {
        public var andsBefore = 0
        public var andsAfter = 0
        public var replacements = 0
    }

    static let library: [SmallStructure?] = npn4MinimumStructures.map(SmallStructure.init(text:))

    /// One pass over the ANDs in topological order. Combinational AIGs only
    /// (others are returned cleaned up and unchanged).
    public static func rewrite(_ aig: AIG, params: Params = Params()) -> (AIG, Stats) {
        let source = aig.cleanedUp()
        var stats = Stats(andsBefore: source.andCount, andsAfter: source.andCount)
        guard source.isCombinational, library.count == NPN4.shared.representatives.count else { return (source, stats) }
        var g = MutableAIG(source)
        let cuts = Cuts(source, limit: params.cutsPerNode)
        let npn = NPN4.shared
        var rng = Xoshiro256StarStar(seed: params.seed ?? 0)
        for k in 0..<source.andCount {
            let v = UInt32(source.firstAndVariable + k)
            guard g.isLive(v) else { continue }
            var best: (gain: Int, leaves: [Literal], structure: SmallStructure, transform: NPN4.Transform)? = nil
            for cut in cuts.cuts(of: Int(v)) where cut.count >= 2 {
                var leaves: [Literal] = []
                var valid = true
                for l in cut.leaves {
                    let r = g.resolve(Literal(variable: l))
                    if r.variable == 0 || !g.isLive(r.variable) || leaves.contains(where: { $0.variable == r.variable }) { valid = false; break }
                    leaves.append(r)
                }
                guard valid else { continue }
                while leaves.count < 4 { leaves.append(.false) }
                let table = UInt16(truncatingIfNeeded: cut.table)
                guard let structure = library[npn.classIndex(table)] else { continue }
                let indices = npn.transformIndices(table).prefix(max(1, params.transformsPerCut))
                g.withMFFCRemoved(v, leaves: leaves) { g, freed in
                    for ti in indices {
                        let t = npn.transforms[Int(ti)]
                        guard let added = g.cost(of: structure, transform: t, leaves: leaves, root: v) else { continue }
                        let gain = freed - added
                        let floor = params.zeroGain ? -1 : 0
                        let bestGain = best?.gain ?? floor
                        if gain > bestGain || (params.seed != nil && gain == bestGain && best != nil && rng.next() & 1 == 0) {
                            best = (gain, leaves, structure, t)
                        }
                    }
                }
            }
            guard let best else { continue }
            if params.seed != nil && best.gain == 0 && rng.next() & 1 == 0 { continue }
            let r = g.build(best.structure, transform: best.transform, leaves: best.leaves)
            if r.variable == v { continue }
            g.replace(v, with: r)
            stats.replacements += 1
        }
        let out = g.finish(like: source)
        stats.andsAfter = out.andCount
        // A zero-gain pass may not shrink; a pass never grows (each replacement gains ≥ 0).
        return out.andCount <= source.andCount ? (out, stats) : (source, Stats(andsBefore: source.andCount, andsAfter: source.andCount))
    }
}

extension AIGRewriting {
    static func tableMask(_ n: Int) -> UInt64 { n >= 6 ? ~0 : (1 << UInt64(1 << n)) - 1 }

    /// `table` over its `inputs` restricted to the leaves it depends on:
    /// the compacted table and the kept leaf positions.
    static func supportOnly(_ table: UInt64, inputs n: Int) -> (UInt64, [Int]) {
        var t = table & tableMask(n)
        var kept = Array(0..<n)
        var i = 0
        while i < kept.count {
            let (c0, c1) = FunctionSynthesis.cofactors(t, kept.count, i)
            if c0 == c1 { t = c0; kept.remove(at: i) } else { i += 1 }
        }
        return (t, kept)
    }
}

/// The k-feasible cuts (k ≤ 6) of every AND with their truth tables,
/// computed once on a (static) AIG: each node's cuts merge its fanins'
/// cuts; dominated cuts are dropped and the `limit` smallest kept (plus the
/// trivial cut). A table has `1 << maxLeaves` meaningful bits, leaf `i` =
/// minterm bit `i`; a cut with fewer leaves ignores the higher ones, so a
/// 4-leaf cut's 4-input table is the low 16 bits.
struct Cuts {
    struct Cut { var leaves: [UInt32]; var table: UInt64; var count: Int { leaves.count } }
    private var byNode: [[Cut]]

    init(_ aig: AIG, maxLeaves: Int = 4, limit: Int) {
        precondition(maxLeaves >= 2 && maxLeaves <= 6)
        byNode = Array(repeating: [], count: aig.maxVariable + 1)
        let single = Self.variableTable(0)
        for v in stride(from: 1, through: aig.inputCount, by: 1) { byNode[v] = [Cut(leaves: [UInt32(v)], table: single)] }
        for (k, a) in aig.ands.enumerated() {
            let v = aig.firstAndVariable + k
            var set: [Cut] = []
            let c0 = byNode[Int(a.left.variable)], c1 = byNode[Int(a.right.variable)]
            for x in c0 { for y in c1 {
                guard let leaves = Self.union(x.leaves, y.leaves, maxLeaves) else { continue }
                if set.contains(where: { Self.dominates($0.leaves, leaves) }) { continue }
                set.removeAll { Self.dominates(leaves, $0.leaves) }
                var tx = Self.expand(x.table, from: x.leaves, to: leaves, maxLeaves)
                var ty = Self.expand(y.table, from: y.leaves, to: leaves, maxLeaves)
                if a.left.isComplemented { tx = ~tx }
                if a.right.isComplemented { ty = ~ty }
                set.append(Cut(leaves: leaves, table: tx & ty))
            } }
            set.sort { $0.leaves.count < $1.leaves.count }
            if set.count > limit { set.removeLast(set.count - limit) }
            byNode[v] = set + [Cut(leaves: [UInt32(v)], table: single)]
        }
    }

    /// The non-trivial cuts of `v`.
    func cuts(of v: Int) -> ArraySlice<Cut> { byNode[v].dropLast() }

    /// Input `i`'s table (i < 6) over 64 minterms; its low `2^n` bits are its table over `n > i` variables.
    static func variableTable(_ i: Int) -> UInt64 {
        let patterns: [UInt64] = [0xAAAA_AAAA_AAAA_AAAA, 0xCCCC_CCCC_CCCC_CCCC, 0xF0F0_F0F0_F0F0_F0F0,
                                  0xFF00_FF00_FF00_FF00, 0xFFFF_0000_FFFF_0000, 0xFFFF_FFFF_0000_0000]
        return patterns[i]
    }

    static func union(_ a: [UInt32], _ b: [UInt32], _ k: Int) -> [UInt32]? {
        var out: [UInt32] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            let x: UInt32
            if j == b.count || (i < a.count && a[i] < b[j]) { x = a[i]; i += 1 }
            else if i == a.count || b[j] < a[i] { x = b[j]; j += 1 }
            else { x = a[i]; i += 1; j += 1 }
            out.append(x)
            if out.count > k { return nil }
        }
        return out
    }

    /// Whether `a`'s leaves are a subset of `b`'s.
    static func dominates(_ a: [UInt32], _ b: [UInt32]) -> Bool { a.count <= b.count && a.allSatisfy(b.contains) }

    /// A table over `from` (variable `i` = `from[i]`) as a table over `to` ⊇ `from`.
    static func expand(_ t: UInt64, from: [UInt32], to: [UInt32], _ n: Int) -> UInt64 {
        if from == to { return t }
        let position = from.map { l in to.firstIndex(of: l) ?? 0 }
        var out: UInt64 = 0
        for m in 0..<(1 << n) {
            var s = 0
            for (i, p) in position.enumerated() where (m >> p) & 1 != 0 { s |= 1 << i }
            out |= ((t >> UInt64(s)) & 1) << UInt64(m)
        }
        return out
    }
}

/// An AIG under in-place replacement: fanout counts, a strash table of
/// live nodes, and a replacement literal per node (`resolve`). New nodes are
/// appended; `finish` rebuilds a compact topological AIG from the outputs.
struct MutableAIG {
    var fanins: [AndFanins]   // by variable; inputs and the constant hold (0, 0)
    var refs: [Int32]
    var replacement: [Literal]
    var dead: [Bool]
    var strash: [UInt64: UInt32] = [:]
    let inputCount: Int
    var outputs: [Literal]
    /// Exact functions (exhaustive simulation, `words` per node) when
    /// `computeTables` was called; kept up to date for new nodes.
    var words = 0
    var tables: [UInt64] = []

    init(_ aig: AIG) {
        inputCount = aig.inputCount
        fanins = Array(repeating: AndFanins(.false, .false), count: aig.firstAndVariable) + aig.ands
        refs = Array(repeating: 0, count: fanins.count)
        replacement = (0..<fanins.count).map { Literal(variable: UInt32($0)) }
        dead = Array(repeating: false, count: fanins.count)
        outputs = aig.outputs
        for (k, a) in aig.ands.enumerated() {
            refs[Int(a.left.variable)] += 1; refs[Int(a.right.variable)] += 1
            strash[Self.key(a)] = UInt32(aig.firstAndVariable + k)
        }
        for o in outputs { refs[Int(o.variable)] += 1 }
    }

    @inline(__always) static func key(_ f: AndFanins) -> UInt64 { UInt64(f.left.raw) << 32 | UInt64(f.right.raw) }
    @inline(__always) func isAnd(_ v: UInt32) -> Bool { Int(v) > inputCount }
    func isLive(_ v: UInt32) -> Bool { !isAnd(v) || (!dead[Int(v)] && refs[Int(v)] > 0) }

    func resolve(_ l: Literal) -> Literal {
        var x = l
        while true {
            let r = replacement[Int(x.variable)]
            if r.variable == x.variable { return x }
            x = r.complemented(if: x.isComplemented)
        }
    }

    func faninsResolved(_ v: UInt32) -> (Literal, Literal) {
        let f = fanins[Int(v)]
        return (resolve(f.left), resolve(f.right))
    }

    /// Runs `body` while `v`'s maximum fanout-free cone (stopping at
    /// `leaves`) is dereferenced, so its nodes have no fanouts, with the
    /// number of nodes in it: what replacing `v` would free.
    mutating func withMFFCRemoved(_ v: UInt32, leaves: [Literal], _ body: (inout MutableAIG, Int) -> Void) {
        for l in leaves where isAnd(l.variable) { refs[Int(l.variable)] += 1 }
        let freed = deref(v)
        for l in leaves where isAnd(l.variable) { refs[Int(l.variable)] -= 1 }
        body(&self, freed)
        for l in leaves where isAnd(l.variable) { refs[Int(l.variable)] += 1 }
        _ = ref(v)
        for l in leaves where isAnd(l.variable) { refs[Int(l.variable)] -= 1 }
    }

    private mutating func deref(_ v: UInt32) -> Int {
        var count = 1
        let (a, b) = faninsResolved(v)
        for x in [a.variable, b.variable] where isAnd(x) {
            refs[Int(x)] -= 1
            if refs[Int(x)] == 0 { count += deref(x) }
        }
        return count
    }

    private mutating func ref(_ v: UInt32) -> Int {
        var count = 1
        let (a, b) = faninsResolved(v)
        for x in [a.variable, b.variable] where isAnd(x) {
            if refs[Int(x)] == 0 { count += ref(x) }
            refs[Int(x)] += 1
        }
        return count
    }

    /// The AND of two live literals if it folds or exists (never `avoid`).
    func existing(_ a: Literal, _ b: Literal) -> Literal? {
        if a == b { return a }
        if a.raw ^ b.raw == 1 { return .false }
        if a.raw < 2 || b.raw < 2 { let (c, x) = a.raw < 2 ? (a, b) : (b, a); return c == .false ? .false : x }
        guard let v = strash[Self.key(AndFanins(a, b))], !dead[Int(v)] else { return nil }
        return Literal(variable: v)
    }


    /// ANDs the structure would add with `root`'s cone dereferenced (nodes
    /// with no fanouts count as added); nil when it would use `root` itself.
    func cost(of s: SmallStructure, transform t: NPN4.Transform, leaves: [Literal], root: UInt32) -> Int? {
        cost(of: s, leafLiterals: SmallStructure.leafLiterals(t, leaves), root: root)
    }

    /// The same with the structure's leaves given directly.
    func cost(of s: SmallStructure, leafLiterals: [Literal], root: UInt32) -> Int? {
        var lits: [Literal?] = [.false] + leafLiterals
        var added = 0
        for (a, b) in s.gates {
            let x = lits[Int(a >> 1)].map { $0.complemented(if: a & 1 != 0) }
            let y = lits[Int(b >> 1)].map { $0.complemented(if: b & 1 != 0) }
            guard let x, let y, let e = existing(x, y) else { added += 1; lits.append(nil); continue }
            if e.variable == root { return nil }
            if isAnd(e.variable) && refs[Int(e.variable)] == 0 && e.variable != x.variable && e.variable != y.variable { added += 1 }
            lits.append(e)
        }
        return added
    }

    mutating func and(_ a: Literal, _ b: Literal) -> Literal {
        if let e = existing(a, b) { return e }
        let f = AndFanins(a, b)
        let v = UInt32(fanins.count)
        fanins.append(f); refs.append(0); replacement.append(Literal(variable: v)); dead.append(false)
        refs[Int(a.variable)] += 1; refs[Int(b.variable)] += 1
        strash[Self.key(f)] = v
        if words > 0 { appendTable(f) }
        return Literal(variable: v)
    }

    /// Computes every node's exact function (at most 16 inputs).
    mutating func computeTables() {
        words = Patterns.exhaustiveWordCount(inputs: inputCount)
        tables = []
        tables.reserveCapacity(fanins.count * words)
        let mask = Patterns.exhaustiveMask(inputs: inputCount)
        tables.append(contentsOf: repeatElement(0, count: words))
        for i in 0..<inputCount { for w in 0..<words { tables.append(Patterns.exhaustiveWord(input: i, word: w) & mask) } }
        for v in (inputCount + 1)..<max(inputCount + 1, fanins.count) { appendTable(fanins[v]) }
    }

    private mutating func appendTable(_ f: AndFanins) {
        let mask = Patterns.exhaustiveMask(inputs: inputCount)
        let a = Int(f.left.variable) * words, b = Int(f.right.variable) * words
        let ma: UInt64 = f.left.isComplemented ? mask : 0, mb: UInt64 = f.right.isComplemented ? mask : 0
        for w in 0..<words { tables.append((tables[a + w] ^ ma) & (tables[b + w] ^ mb)) }
    }

    mutating func build(_ s: SmallStructure, transform t: NPN4.Transform, leaves: [Literal]) -> Literal {
        s.instantiate(transform: t, leaves: leaves) { self.and($0, $1) }
    }

    /// `v`'s fanouts move to `r`; `v` and what only it used die.
    mutating func replace(_ v: UInt32, with r: Literal) {
        if isAnd(r.variable) { refs[Int(r.variable)] += refs[Int(v)] }
        refs[Int(v)] = 0
        replacement[Int(v)] = r
        kill(v)
        // New nodes the structure built but does not use end up with no fanouts.
    }

    private mutating func kill(_ v: UInt32) {
        let (a, b) = faninsResolved(v)
        dead[Int(v)] = true
        if strash[Self.key(fanins[Int(v)])] == v { strash[Self.key(fanins[Int(v)])] = nil }
        for x in [a.variable, b.variable] where isAnd(x) {
            refs[Int(x)] -= 1
            if refs[Int(x)] == 0 && replacement[Int(x)].variable == x { kill(x) }
        }
    }

    /// A compact AIG of the live logic, outputs in order, names as `like`'s.
    func finish(like source: AIG) -> AIG {
        var b = AIGBuilder(inputCount: inputCount, expectedAnds: fanins.count)
        var map = [Literal?](repeating: nil, count: fanins.count)
        map[0] = .false
        for i in stride(from: 1, through: inputCount, by: 1) { map[i] = Literal(variable: UInt32(i)) }
        func literal(_ l: Literal) -> Literal {
            let r = resolve(l)
            var stack: [UInt32] = [r.variable]
            while let v = stack.last {
                if map[Int(v)] != nil { stack.removeLast(); continue }
                let (x, y) = faninsResolved(v)
                let mx = map[Int(x.variable)], my = map[Int(y.variable)]
                if let mx, let my {
                    map[Int(v)] = b.and(mx.complemented(if: x.isComplemented), my.complemented(if: y.isComplemented))
                    stack.removeLast()
                } else {
                    if mx == nil { stack.append(x.variable) }
                    if my == nil { stack.append(y.variable) }
                }
            }
            return (map[Int(r.variable)] ?? .false).complemented(if: r.isComplemented)
        }
        for o in outputs { b.addOutput(literal(o)) }
        var out = b.finish()
        out.inputNames = source.inputNames
        out.outputNames = source.outputNames
        out.comments = source.comments
        return out
    }
}

extension SmallStructure {
    /// The leaf literals of a structure under transform `t`: leaf `k` is
    /// `leaves[perm[k]]`, complemented where `neg` says (see `NPN4`).
    static func leafLiterals(_ t: NPN4.Transform, _ leaves: [Literal]) -> [Literal] {
        (0..<4).map { k in leaves[Int(t.perm[k])].complemented(if: (t.neg >> UInt8(k)) & 1 != 0) }
    }

    /// Builds the structure over `leaves` (4, constants for unused ones)
    /// under transform `t` with `and`, returning the output literal: the
    /// function `NPN4.apply(t, to: truthTable())` of the leaves.
    func instantiate(transform t: NPN4.Transform, leaves: [Literal], and: (Literal, Literal) -> Literal) -> Literal {
        var lits: [Literal] = [.false] + Self.leafLiterals(t, leaves)
        for (a, b) in gates {
            lits.append(and(lits[Int(a >> 1)].complemented(if: a & 1 != 0), lits[Int(b >> 1)].complemented(if: b & 1 != 0)))
        }
        return lits[Int(output >> 1)].complemented(if: (output & 1 != 0) != t.outNeg)
    }
}
