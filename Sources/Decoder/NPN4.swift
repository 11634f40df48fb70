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

    public static let shared = NPN4()

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
        for f in 0..<65536 where classOf[f] == .max {
            let c = UInt16(reps.count)
            reps.append(UInt16(f))
            for ti in 0..<ts.count {
                var u = 0
                for m in 0..<16 where (f >> Int(maps[ti * 16 + m])) & 1 != 0 { u |= 1 << m }
                if ts[ti].outNeg { u ^= 0xFFFF }
                if classOf[u] == .max { classOf[u] = c; transformOf[u] = UInt16(ti) }
            }
        }
        representatives = reps
        self.classOf = classOf
        self.transformOf = transformOf
        transforms = ts
    }
}

/// A small AIG over 4 leaves as a flat gate list, the form the NPN library
/// ships in. Literals: `2 * node + complement`, node 0 the constant, nodes
/// `1...4` the leaves, node `5 + g` gate `g`.
public struct SmallStructure: Sendable, Equatable {
    public var gates: [(UInt8, UInt8)]
    public var output: UInt8
    public static func == (a: SmallStructure, b: SmallStructure) -> Bool {
        a.output == b.output && a.gates.count == b.gates.count && zip(a.gates, b.gates).allSatisfy { $0 == $1 }
    }
    public init(gates: [(UInt8, UInt8)], output: UInt8) { self.gates = gates; self.output = output }

    /// The truth table it computes over leaves `x0...x3`.
    public func truthTable() -> UInt16 {
        var v: [UInt16] = [0, 0xAAAA, 0xCCCC, 0xF0F0, 0xFF00]
        func lit(_ l: UInt8) -> UInt16 { l & 1 != 0 ? ~v[Int(l >> 1)] : v[Int(l >> 1)] }
        for (a, b) in gates { v.append(lit(a) & lit(b)) }
        return lit(output)
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
        self.gates = gates; self.output = output
    }
}
