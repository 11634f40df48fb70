import AIG

/// Reduced ordered BDDs with complement edges, just big enough for exact
/// functional hashing: a canonical form of each output, so two circuits get
/// the same signature exactly when they compute the same function.
///
/// Edges are `2 * node + complement`; node 0 is the terminal ONE, so edge 0 is
/// true and edge 1 false. The then-edge of every node is regular (canonical
/// form). Nodes live in flat arrays; the unique table is open-addressed and
/// the AND cache direct-mapped. Building stops (returns nil) when the node
/// count would pass `nodeLimit`; there is no garbage collection.
public struct BDDManager: Sendable {
    public typealias Edge = UInt32
    public static let one: Edge = 0
    public static let zero: Edge = 1

    private var level: [UInt32] = [UInt32.max]
    private var thenEdge: [Edge] = [0]
    private var elseEdge: [Edge] = [0]
    private var unique: [UInt32] = []
    private var uniqueMask = 0
    private var cacheKey: [UInt64] = []
    private var cacheValue: [Edge] = []
    private var cacheMask = 0
    public let nodeLimit: Int
    public private(set) var exceeded = false

    public var nodeCount: Int { level.count }

    public init(nodeLimit: Int) {
        self.nodeLimit = max(2, nodeLimit)
        resizeUnique(1 << 12)
        cacheKey = [UInt64](repeating: .max, count: 1 << 12)
        cacheValue = [Edge](repeating: 0, count: 1 << 12)
        cacheMask = (1 << 12) - 1
    }

    /// The edge of variable `level` (its positive literal).
    public mutating func variable(_ level: Int) -> Edge? { node(UInt32(level), then: Self.one, else: Self.zero) }

    @inline(__always) static func regular(_ e: Edge) -> Edge { e & ~1 }
    @inline(__always) static func index(_ e: Edge) -> Int { Int(e >> 1) }

    public func level(of e: Edge) -> UInt32 { level[Self.index(e)] }

    /// Then/else cofactors of `e` with respect to its own top variable.
    public func cofactors(_ e: Edge) -> (then: Edge, else: Edge) {
        let i = Self.index(e), c = e & 1
        return (thenEdge[i] ^ c, elseEdge[i] ^ c)
    }

    private mutating func node(_ v: UInt32, then t: Edge, else e: Edge) -> Edge? {
        if t == e { return t }
        // Canonical form: regular then-edge; the complement moves to the result.
        let flip = t & 1
        let t0 = t ^ flip, e0 = e ^ flip
        var h = Int(truncatingIfNeeded: (UInt64(v) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(t0) &* 0xC2B2_AE3D_27D4_EB4F) ^ (UInt64(e0) &* 0x1656_67B1_9E37_79F9))
        h ^= h >> 29
        var slot = h & uniqueMask
        while true {
            let n = unique[slot]
            if n == 0 { break }
            let k = Int(n)
            if level[k] == v && thenEdge[k] == t0 && elseEdge[k] == e0 { return Edge(k << 1) ^ flip }
            slot = (slot + 1) & uniqueMask
        }
        guard level.count < nodeLimit else { exceeded = true; return nil }
        let k = level.count
        level.append(v); thenEdge.append(t0); elseEdge.append(e0)
        unique[slot] = UInt32(k)
        if level.count * 2 > unique.count { resizeUnique(unique.count * 2) }
        if level.count > cacheKey.count, cacheKey.count < 1 << 22 {
            let size = cacheKey.count * 2
            cacheKey = [UInt64](repeating: .max, count: size)
            cacheValue = [Edge](repeating: 0, count: size)
            cacheMask = size - 1
        }
        return Edge(k << 1) ^ flip
    }

    private mutating func resizeUnique(_ size: Int) {
        unique = [UInt32](repeating: 0, count: size)
        uniqueMask = size - 1
        for k in 1..<level.count {
            var h = Int(truncatingIfNeeded: (UInt64(level[k]) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(thenEdge[k]) &* 0xC2B2_AE3D_27D4_EB4F) ^ (UInt64(elseEdge[k]) &* 0x1656_67B1_9E37_79F9))
            h ^= h >> 29
            var slot = h & uniqueMask
            while unique[slot] != 0 { slot = (slot + 1) & uniqueMask }
            unique[slot] = UInt32(k)
        }
    }

    /// `f ∧ g`, or nil when the node limit is reached.
    public mutating func and(_ f: Edge, _ g: Edge) -> Edge? {
        if f == Self.zero || g == Self.zero || f == g ^ 1 { return Self.zero }
        if f == Self.one || f == g { return g }
        if g == Self.one { return f }
        let (a, b) = f < g ? (f, g) : (g, f)
        let key = UInt64(a) << 32 | UInt64(b)
        let slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & cacheMask
        if cacheKey[slot] == key { return cacheValue[slot] }
        let la = level[Self.index(a)], lb = level[Self.index(b)]
        let top = min(la, lb)
        let (at, ae) = la == top ? cofactors(a) : (a, a)
        let (bt, be) = lb == top ? cofactors(b) : (b, b)
        guard let t = and(at, bt), let e = and(ae, be), let r = node(top, then: t, else: e) else { return nil }
        // The cache may have been resized during recursion: recompute the slot.
        let s2 = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & cacheMask
        cacheKey[s2] = key; cacheValue[s2] = r
        return r
    }

    /// Builds the BDDs of `roots` of `aig`, with pattern input `k` (variable
    /// `patternVariables[k]`) at level `k`. Nil when the node limit is reached.
    public mutating func build(_ aig: AIG, patternVariables: [Int], roots: [Literal]) -> [Edge]? {
        guard let (edge, _) = buildCone(aig, patternVariables: patternVariables, roots: roots) else { return nil }
        return Self.edges(of: roots, in: edge)
    }

    /// The edges of `literals`, given every variable's edge (from `buildCone`).
    public static func edges(of literals: [Literal], in variableEdges: [Edge]) -> [Edge] {
        literals.map { variableEdges[Int($0.variable)] ^ ($0.isComplemented ? 1 : 0) }
    }

    /// Like `build`, but returns every variable's edge (constant false
    /// outside the roots' cone) and which variables are in that cone.
    public mutating func buildCone(_ aig: AIG, patternVariables: [Int], roots: [Literal]) -> (edges: [Edge], inCone: [Bool])? {
        var edge = [Edge](repeating: Self.zero, count: aig.maxVariable + 1)
        for (k, v) in patternVariables.enumerated() {
            guard let e = variable(k) else { return nil }
            edge[v] = e
        }
        let cone = aig.cone(of: roots)
        let first = aig.firstAndVariable
        for j in 0..<aig.andCount where cone[first + j] {
            let f = aig.ands[j]
            let l = edge[Int(f.left.variable)] ^ (f.left.isComplemented ? 1 : 0)
            let r = edge[Int(f.right.variable)] ^ (f.right.isComplemented ? 1 : 0)
            guard let e = and(l, r) else { return nil }
            edge[first + j] = e
        }
        return (edge, cone)
    }

    /// The BDD node of an edge (its complement bit dropped), for tables indexed by node.
    public static func node(of e: Edge) -> Int { index(e) }

    /// An assignment (by level, `levels` entries) under which `e` is true,
    /// nil when `e` is constant false. Unvisited levels are false.
    public func satisfyingAssignment(_ e: Edge, levels: Int) -> [Bool]? {
        if e == Self.zero { return nil }
        var values = [Bool](repeating: false, count: levels)
        var f = e
        // Canonical form: every edge other than the constant zero has a satisfying path.
        while f != Self.one {
            let (t, el) = cofactors(f)
            let v = Int(level(of: f))
            if t != Self.zero {
                if v < levels { values[v] = true }
                f = t
            } else {
                f = el
            }
        }
        return values
    }

    /// A 64-bit digest of the function of each edge, independent of node
    /// numbering: terminal ONE hashes to `H0`; a node to the fold of its level
    /// and its then/else digests (complement edges as `~digest`).
    public func digests(_ edges: [Edge]) -> [UInt64] {
        var memo = [UInt64](repeating: 0, count: level.count)
        var done = [Bool](repeating: false, count: level.count)
        memo[0] = FunctionalHash.initial; done[0] = true
        func digest(_ e: Edge) -> UInt64 {
            // Iterative post-order: BDDs can be deeper than the thread stack likes.
            var stack = [Self.index(e)]
            while let k = stack.last {
                if done[k] { stack.removeLast(); continue }
                let ti = Self.index(thenEdge[k]), ei = Self.index(elseEdge[k])
                if !done[ti] { stack.append(ti); continue }
                if !done[ei] { stack.append(ei); continue }
                stack.removeLast()
                let dt = memo[ti], de = elseEdge[k] & 1 == 0 ? memo[ei] : ~memo[ei]
                memo[k] = FunctionalHash.fold(FunctionalHash.fold(FunctionalHash.fold(FunctionalHash.initial, UInt64(level[k])), dt), de)
                done[k] = true
            }
            let d = memo[Self.index(e)]
            return e & 1 == 0 ? d : ~d
        }
        return edges.map(digest)
    }
}
