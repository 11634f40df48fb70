import AIG

/// NPN classification of 4-input Boolean functions (16-bit truth tables,
/// bit `m` = value at minterm `m`, input `i` = bit `i` of `m`).
///
/// Every function `u` is `u(x) = rep(y) ⊕ o` with `y_k = x_{perm[k]} ⊕ neg_k`
/// for its class representative `rep` (the smallest truth table of the
/// class). There are 222 classes; the tables are built once (about 2.7 M
/// elementary steps, a few milliseconds) from the 768 transforms.
public struct NPN4: Sendable {
    /// One transform: `y_k = x_{perm[k]} ⊕ ((neg >> k) & 1)`, output `⊕ outNeg`.
    public struct Transform: Sendable, Equatable {
        public var perm: [UInt8]
        public var neg: UInt8
        public var outNeg: Bool
    }

    /// Class representatives, ascending.
    public let representatives: [UInt16]
    /// Class index of each function.
    let classOf: [UInt16]
    /// Transform index (into `transforms`) taking the representative to the function.
    let transformOf: [UInt16]
    public let transforms: [Transform]
    /// Every transform taking its class representative to a function (the
    /// representative's symmetries give several; 768 / orbit size each):
    /// transform indices `allTransformIndices[transformStart[f] ..< transformStart[f + 1]]`.
    let transformStart: [UInt32]
    let allTransformIndices: [UInt16]

    public static let shared = NPN4()

    /// All transforms `t` with `apply(t, to: representative) == f`: the same
    /// structure under each reads different leaf pairs, so their sharing differs.
    public func allTransforms(_ f: UInt16) -> [Transform] { transformIndices(f).map { transforms[Int($0)] } }
    func transformIndices(_ f: UInt16) -> ArraySlice<UInt16> {
        allTransformIndices[Int(transformStart[Int(f)])..<Int(transformStart[Int(f) + 1])]
    }

    public func classIndex(_ f: UInt16) -> Int { Int(classOf[Int(f)]) }
    public func transform(_ f: UInt16) -> Transform { transforms[Int(transformOf[Int(f)])] }

    /// `rep` under transform `t` (the function `x ↦ rep(y) ⊕ o`).
    public static func apply(_ t: Transform, to rep: UInt16) -> UInt16 {
        var out: UInt16 = 0
        for m in 0..<16 {
            var y = 0
            for k in 0..<4 where (m >> Int(t.perm[k])) & 1 != 0 { y |= 1 << k }
            y ^= Int(t.neg)
            var bit = (rep >> UInt16(y)) & 1
            if t.outNeg { bit ^= 1 }
            out |= bit << UInt16(m)
        }
        return out
    }

    init() {
        var perms: [[UInt8]] = []
        func permute(_ prefix: [UInt8], _ rest: [UInt8]) {
            if rest.isEmpty { perms.append(prefix); return }
            for (i, r) in rest.enumerated() {
                var remaining = rest; remaining.remove(at: i)
                permute(prefix + [r], remaining)
            }
        }
        permute([], [0, 1, 2, 3])
        var ts: [Transform] = []
        for p in perms { for neg in 0..<16 { for o in [false, true] { ts.append(Transform(perm: p, neg: UInt8(neg), outNeg: o)) } } }
        // Minterm maps per transform: minterm m of u reads minterm map[m] of rep.
        var maps = [UInt8](repeating: 0, count: ts.count * 16)
        for (ti, t) in ts.enumerated() {
            for m in 0..<16 {
                var y = 0
                for k in 0..<4 where (m >> Int(t.perm[k])) & 1 != 0 { y |= 1 << k }
                maps[ti * 16 + m] = UInt8(y ^ Int(t.neg))
            }
        }
        var classOf = [UInt16](repeating: .max, count: 65536)
        var transformOf = [UInt16](repeating: 0, count: 65536)
        var reps: [UInt16] = []
        // Every transform of each representative, per function reached: 222 × 768 entries.
        var perFunction = [[UInt16]](repeating: [], count: 65536)
        for f in 0..<65536 where classOf[f] == .max {
            let c = UInt16(reps.count)
            reps.append(UInt16(f))
            for ti in 0..<ts.count {
                var u = 0
                for m in 0..<16 where (f >> Int(maps[ti * 16 + m])) & 1 != 0 { u |= 1 << m }
                if ts[ti].outNeg { u ^= 0xFFFF }
                if classOf[u] == .max { classOf[u] = c; transformOf[u] = UInt16(ti) }
                perFunction[u].append(UInt16(ti))
            }
        }
        var start: [UInt32] = [0]
        start.reserveCapacity(65537)
        var flat: [UInt16] = []
        flat.reserveCapacity(reps.count * ts.count)
        for f in 0..<65536 { flat += perFunction[f]; start.append(UInt32(flat.count)) }
        transformStart = start
        allTransformIndices = flat
        representatives = reps
        self.classOf = classOf
        self.transformOf = transformOf
        transforms = ts
    }
}

/// A small AIG over `inputs` leaves (4 for the NPN library, up to 12 from
/// refactoring's factored forms) as a flat gate list, the form the NPN
/// library ships in. Literals: `2 * node + complement`, node 0 the constant, nodes
/// `1...inputs` the leaves, node `inputs + 1 + g` gate `g`.
public struct SmallStructure: Sendable, Equatable {
    public var gates: [(UInt8, UInt8)]
    public var output: UInt8
    public var inputs: Int
    public static func == (a: SmallStructure, b: SmallStructure) -> Bool {
        a.inputs == b.inputs && a.output == b.output && a.gates.count == b.gates.count && zip(a.gates, b.gates).allSatisfy { $0 == $1 }
    }
    public init(gates: [(UInt8, UInt8)], output: UInt8, inputs: Int = 4) { self.gates = gates; self.output = output; self.inputs = inputs }

    /// The truth table it computes over leaves `x0...x3`.
    public func truthTable() -> UInt16 { UInt16(truncatingIfNeeded: table64()) }

    /// The truth table over its `inputs` ≤ 6 leaves (64 bits, leaf `i` =
    /// minterm bit `i`); a literal naming no earlier node reads as 0.
    public func table64() -> UInt64 {
        var v: [UInt64] = [0] + (0..<inputs).map { Cuts.variableTable($0) }
        func lit(_ l: UInt8) -> UInt64 {
            let node = Int(l >> 1)
            guard node < v.count else { return 0 }
            return l & 1 != 0 ? ~v[node] : v[node]
        }
        for (a, b) in gates { v.append(lit(a) & lit(b)) }
        return lit(output)
    }

    /// Builds the structure over `leaves` (one literal per input) with `and`.
    public func instantiate(leaves: [Literal], and: (Literal, Literal) -> Literal) -> Literal {
        var lits: [Literal] = [.false] + leaves
        for (a, b) in gates {
            lits.append(and(lits[Int(a >> 1)].complemented(if: a & 1 != 0), lits[Int(b >> 1)].complemented(if: b & 1 != 0)))
        }
        return lits[Int(output >> 1)].complemented(if: output & 1 != 0)
    }

    /// Text form: gates as `a,b` separated by spaces, then `=output`.
    public var text: String { (gates.map { "\($0.0),\($0.1)" } + ["=\(output)"]).joined(separator: " ") }
    public init?(text: String) {
        var gates: [(UInt8, UInt8)] = []
        var output: UInt8? = nil
        for part in text.split(separator: " ") {
            if part.hasPrefix("=") { output = UInt8(part.dropFirst()); continue }
            let ab = part.split(separator: ",")
            guard ab.count == 2, let a = UInt8(ab[0]), let b = UInt8(ab[1]),
                  Int(a >> 1) < 5 + gates.count, Int(b >> 1) < 5 + gates.count else { return nil }
            gates.append((a, b))
        }
        guard let output, Int(output >> 1) < 5 + gates.count else { return nil }
        self.gates = gates; self.output = output; self.inputs = 4
    }
}
