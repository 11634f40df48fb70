import AIG

/// Structural supports of the miter's nodes, kept only while they have at
/// most `limit` inputs, and exact local proofs by exhaustive simulation of
/// two cones over their joint support (2^k patterns, k ≤ limit).
struct SupportTable {
    static let limit = 16
    /// `inputs[v*limit ..< v*limit + count[v]]`: sorted input indices; count 255 = too many.
    private var inputs: [UInt16] = []
    private var count: [UInt8] = []
    // Scratch for local proofs, reused across calls.
    private var mark: [UInt32] = []
    private var generation: UInt32 = 0
    private var values: [UInt64] = []
    /// Scratch row of each variable in `values` (valid for the current call's cone and support).
    private var row: [Int32] = []
    private var coneNodes: [Int32] = []

    init() {}

    init(_ m: AIG, cone: [Bool]) {
        let n = m.maxVariable + 1, lim = Self.limit
        inputs = [UInt16](repeating: 0, count: n * lim)
        count = [UInt8](repeating: 255, count: n)
        count[0] = 0
        for i in 0..<m.inputCount where i < Int(UInt16.max) {
            inputs[(i + 1) * lim] = UInt16(i); count[i + 1] = 1
        }
        let first = m.firstAndVariable
        inputs.withUnsafeMutableBufferPointer { sup in
            count.withUnsafeMutableBufferPointer { cnt in
                for k in 0..<m.andCount where cone[first + k] {
                    let v = first + k
                    let a = Int(m.ands[k].left.variable), b = Int(m.ands[k].right.variable)
                    let ca = Int(cnt[a]), cb = Int(cnt[b])
                    guard ca != 255, cb != 255 else { continue }
                    // Merge two sorted lists, giving up past the limit.
                    var i = 0, j = 0, o = 0
                    while i < ca || j < cb {
                        let x = i < ca ? sup[a * lim + i] : UInt16.max
                        let y = j < cb ? sup[b * lim + j] : UInt16.max
                        if o == lim { o = 255; break }
                        if x == y { sup[v * lim + o] = x; i += 1; j += 1 }
                        else if x < y { sup[v * lim + o] = x; i += 1 } else { sup[v * lim + o] = y; j += 1 }
                        o += 1
                    }
                    cnt[v] = UInt8(o)
                }
            }
        }
        mark = [UInt32](repeating: 0, count: n)
    }

    /// nil: supports too large (use the solver). `.some(nil)`: proved equal
    /// (`v == r ⊕ complemented`). `.some(vector)`: a full input vector where they differ.
    mutating func proveLocally(_ m: AIG, _ v: Int, _ r: Int, complemented: Bool) -> [Bool]?? {
        guard !count.isEmpty else { return nil }
        let lim = Self.limit
        let cv = Int(count[v]), cr = Int(count[r])
        guard cv != 255, cr != 255 else { return nil }
        // Joint support.
        var joint: [UInt16] = []
        joint.reserveCapacity(lim)
        var i = 0, j = 0
        while i < cv || j < cr {
            let x = i < cv ? inputs[v * lim + i] : UInt16.max
            let y = j < cr ? inputs[r * lim + j] : UInt16.max
            if x == y { joint.append(x); i += 1; j += 1 } else if x < y { joint.append(x); i += 1 } else { joint.append(y); j += 1 }
            if joint.count > lim { return nil }
        }
        // Cone nodes (ANDs) of v and r, collected then sorted into topological order.
        generation &+= 1
        if generation == 0 { for k in mark.indices { mark[k] = 0 }; generation = 1 }
        coneNodes.removeAll(keepingCapacity: true)
        var stack: [Int32] = [Int32(v), Int32(r)]
        let first = m.firstAndVariable
        while let x = stack.popLast() {
            let xi = Int(x)
            if xi < first || mark[xi] == generation { continue }
            mark[xi] = generation
            coneNodes.append(x)
            let f = m.ands[xi - first]
            stack.append(Int32(f.left.variable)); stack.append(Int32(f.right.variable))
        }
        coneNodes.sort()
        // Exhaustive patterns over the joint support: W words of 64 minterms.
        // Scratch rows are numbered compactly (constant, support inputs, cone
        // nodes), not by variable: a row per miter variable would reach
        // hundreds of MB at 1,024 words and fault in fresh pages on every call.
        let k = joint.count
        let words = max(1, (1 << k) / 64)
        let rows = 1 + k + coneNodes.count
        if values.count < rows * words { values = [UInt64](repeating: 0, count: max(rows * words, values.count * 2)) }
        if row.count < mark.count { row = [Int32](repeating: 0, count: mark.count) }
        row[0] = 0
        for (bit, input) in joint.enumerated() { row[Int(input) + 1] = Int32(1 + bit) }
        for (j, x) in coneNodes.enumerated() { row[Int(x)] = Int32(1 + k + j) }
        let validMask: UInt64 = k >= 6 ? ~0 : (1 << UInt64(1 << k)) - 1
        let masks: [UInt64] = [0xAAAA_AAAA_AAAA_AAAA, 0xCCCC_CCCC_CCCC_CCCC, 0xF0F0_F0F0_F0F0_F0F0,
                               0xFF00_FF00_FF00_FF00, 0xFFFF_0000_FFFF_0000, 0xFFFF_FFFF_0000_0000]
        return values.withUnsafeMutableBufferPointer { val -> [Bool]?? in
            for w in 0..<words { val[w] = 0 }
            for bit in 0..<k {
                let base = (1 + bit) * words
                for w in 0..<words {
                    // Within a word: the usual 0xAAAA…, 0xCCCC…, … masks.
                    val[base + w] = bit < 6 ? masks[bit] : ((w >> (bit - 6)) & 1 == 1 ? ~0 : 0)
                }
            }
            m.ands.withUnsafeBufferPointer { ands in
                for (j, x) in coneNodes.enumerated() {
                    let f = ands[Int(x) - first]
                    let lb = Int(row[Int(f.left.variable)]) * words, rb = Int(row[Int(f.right.variable)]) * words
                    let lm: UInt64 = f.left.isComplemented ? ~0 : 0, rm: UInt64 = f.right.isComplemented ? ~0 : 0
                    let o = (1 + k + j) * words
                    for w in 0..<words { val[o + w] = (val[lb + w] ^ lm) & (val[rb + w] ^ rm) }
                }
            }
            let flip: UInt64 = complemented ? ~0 : 0
            let vb = Int(row[v]) * words, rb = Int(row[r]) * words
            for w in 0..<words {
                let diff = (val[vb + w] ^ val[rb + w] ^ flip) & validMask
                if diff != 0 {
                    let minterm = w * 64 + diff.trailingZeroBitCount
                    var vector = [Bool](repeating: false, count: m.inputCount)
                    for (bit, input) in joint.enumerated() { vector[Int(input)] = (minterm >> bit) & 1 == 1 }
                    return .some(vector)
                }
            }
            return .some(nil)
        }
    }
}

/// Proves two fraig literals equal over a common cut: the frontier is grown
/// from both roots by expanding the topologically latest node while it has at
/// most `limit` nodes; if the two functions agree on every assignment of the
/// frontier (treated as free variables), they are equal. Sound but incomplete
/// (frontier correlations are ignored): `false` only means "not shown here".
/// After the fanins of a rewritten node are merged, a small common cut nearly
/// always exists, so most sweeping proofs avoid the solver.
struct CutProver {
    static let limit = 12
    static let maxInside = 256
    private var slot: [Int32] = []       // fraig variable → index in `nodes`, valid when stamp matches
    private var stamp: [UInt32] = []
    private var generation: UInt32 = 0
    private var frontier: [Int32] = []
    private var inside: [Int32] = []
    private var tables: [UInt64] = []
    /// The cut (fraig variables) of the last successful proof, for certificates.
    private(set) var lastCut: [Int32] = []

    mutating func provesEqual(_ fraig: AIGBuilder, _ x: Literal, _ y: Literal) -> Bool {
        if x == y { return true }
        if x.variable == y.variable { return false }
        let n = fraig.maxVariable + 1
        if slot.count < n {
            slot.append(contentsOf: repeatElement(0, count: n - slot.count))
            stamp.append(contentsOf: repeatElement(0, count: n - stamp.count))
        }
        generation &+= 1
        if generation == 0 { for i in stamp.indices { stamp[i] = 0 }; generation = 1 }
        let first = fraig.firstAndVariable
        frontier.removeAll(keepingCapacity: true)
        inside.removeAll(keepingCapacity: true)
        // stamp marks membership in frontier ∪ inside; slot < 0 marks "inside".
        func add(_ v: Int32) -> Bool {
            if v == 0 { return false }
            if stamp[Int(v)] == generation { return false }
            stamp[Int(v)] = generation; slot[Int(v)] = 0
            frontier.append(v)
            return true
        }
        _ = add(Int32(x.variable)); _ = add(Int32(y.variable))
        while inside.count < Self.maxInside {
            // The latest AND of the frontier.
            var best = -1
            for (i, v) in frontier.enumerated() where Int(v) >= first && (best < 0 || v > frontier[best]) { best = i }
            if best < 0 { break }
            let v = frontier[best]
            let f = fraig.fanins(ofVariable: Int(v))
            let l = Int32(f.left.variable), r = Int32(f.right.variable)
            var grow = -1
            if l != 0 && stamp[Int(l)] != generation { grow += 1 }
            if r != 0 && r != l && stamp[Int(r)] != generation { grow += 1 }
            if frontier.count + grow > Self.limit { break }
            frontier.remove(at: best)
            slot[Int(v)] = -1
            inside.append(v)
            _ = add(l); _ = add(r)
        }
        // Truth tables over the frontier: elementary functions for the frontier,
        // then the inside nodes in topological (increasing variable) order.
        let k = frontier.count
        let words = max(1, (1 << k) / 64)
        let total = (k + inside.count) * words
        if tables.count < total { tables = [UInt64](repeating: 0, count: total) }
        inside.sort()
        let masks: [UInt64] = [0xAAAA_AAAA_AAAA_AAAA, 0xCCCC_CCCC_CCCC_CCCC, 0xF0F0_F0F0_F0F0_F0F0,
                               0xFF00_FF00_FF00_FF00, 0xFFFF_0000_FFFF_0000, 0xFFFF_FFFF_0000_0000]
        for (i, v) in frontier.enumerated() {
            slot[Int(v)] = Int32(i)
            for w in 0..<words { tables[i * words + w] = i < 6 ? masks[i] : ((w >> (i - 6)) & 1 == 1 ? ~0 : 0) }
        }
        for (j, v) in inside.enumerated() { slot[Int(v)] = Int32(k + j) }
        let validMask: UInt64 = k >= 6 ? ~0 : (1 << UInt64(1 << k)) - 1
        let equal = tables.withUnsafeMutableBufferPointer { t -> Bool in
            func base(_ l: Literal) -> Int { l.variable == 0 ? -1 : Int(slot[Int(l.variable)]) * words }
            for (j, v) in inside.enumerated() {
                let f = fraig.fanins(ofVariable: Int(v))
                let lb = base(f.left), rb = base(f.right)
                let lm: UInt64 = f.left.isComplemented ? ~0 : 0, rm: UInt64 = f.right.isComplemented ? ~0 : 0
                let o = (k + j) * words
                for w in 0..<words {
                    let a = (lb < 0 ? 0 : t[lb + w]) ^ lm, b = (rb < 0 ? 0 : t[rb + w]) ^ rm
                    t[o + w] = a & b
                }
            }
            let xb = base(x), yb = base(y)
            let xm: UInt64 = x.isComplemented ? ~0 : 0, ym: UInt64 = y.isComplemented ? ~0 : 0
            for w in 0..<words {
                let a = (xb < 0 ? 0 : t[xb + w]) ^ xm, b = (yb < 0 ? 0 : t[yb + w]) ^ ym
                if (a ^ b) & validMask != 0 { return false }
            }
            return true
        }
        if equal { lastCut = frontier }
        return equal
    }
}
