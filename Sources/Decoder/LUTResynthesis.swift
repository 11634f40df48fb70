import AIG
import Simulation

/// Restructuring through a LUT cover, the move ABC's `&deepsyn` walks with
/// (`&if -a -K k`, then the AIG re-derived from the LUTs' functions): the
/// AIG is covered with k-input cuts (area flow in ANDs, with seeded noise
/// so that restarts see different covers), and every LUT is rebuilt from
/// its truth table alone. Up to 4 inputs that is the NPN-4 library's
/// minimum structure; 5 and 6 inputs are decomposed (AND/OR/XOR with one
/// input where the function allows, otherwise a Shannon split on the input
/// with the cheapest cofactors) down to library functions. The result is
/// usually larger than the source; the passes run after it recover the
/// sharing, from another starting point than local rewriting reaches.
public enum LUTResynthesis {
    public struct Params: Sendable {
        /// LUT inputs, 2...6.
        public var lutSize = 4
        /// Cuts per node the cover chooses from.
        public var cutsPerNode = 16
        /// Cut costs are scaled by a random factor in [1, 1 + noise) (0: none).
        public var noise = 0.3
        public var seed: UInt64 = 1
        public init() {}
    }

    public static func remap(_ aig: AIG, params: Params = Params()) -> AIG {
        let g = aig.cleanedUp()
        guard g.isCombinational, g.andCount > 0 else { return g }
        let k = min(6, max(2, params.lutSize))
        let cuts = Cuts(g, maxLeaves: k, limit: params.cutsPerNode)
        var rng = Xoshiro256StarStar(seed: params.seed)
        let first = g.firstAndVariable, count = g.maxVariable + 1
        var synthesis = FunctionSynthesis()
        // Fanout estimates: structural fanouts first, then the cover's.
        var estimate = g.fanoutCounts().map { Double(max(1, $0)) }
        var chosen = [Cuts.Cut?](repeating: nil, count: count)
        var flow = [Double](repeating: 0, count: count)
        var required = [Bool](repeating: false, count: count)
        for _ in 0..<2 {
            for j in 0..<g.andCount {
                let v = first + j
                var best = Double.infinity
                for cut in cuts.cuts(of: v) {
                    var area = Double(synthesis.cost(cut.table, inputs: cut.count))
                    for l in cut.leaves where Int(l) >= first { area += flow[Int(l)] / estimate[Int(l)] }
                    if params.noise > 0 { area *= 1 + params.noise * Double(rng.next() >> 11) / Double(1 << 53) }
                    if area < best { best = area; chosen[v] = cut }
                }
                flow[v] = best
            }
            // The cover from the outputs, and its fanouts as the next estimates.
            required = [Bool](repeating: false, count: count)
            var refs = [Int](repeating: 0, count: count)
            var stack: [Int] = g.outputs.map { Int($0.variable) }.filter { $0 >= first }
            for o in g.outputs { refs[Int(o.variable)] += 1 }
            while let v = stack.popLast() {
                guard !required[v], let cut = chosen[v] else { continue }
                required[v] = true
                for l in cut.leaves where Int(l) >= first {
                    refs[Int(l)] += 1
                    if !required[Int(l)] { stack.append(Int(l)) }
                }
            }
            for v in first..<count { estimate[v] = Double(max(1, refs[v])) }
        }
        var b = AIGBuilder(inputCount: g.inputCount, expectedAnds: g.andCount * 2)
        var map = [Literal](repeating: .false, count: count)
        for i in 0...g.inputCount { map[i] = Literal(variable: UInt32(i)) }
        for v in first..<count where required[v] {
            guard let cut = chosen[v] else { continue }
            map[v] = synthesis.build(cut.table, leaves: cut.leaves.map { map[Int($0)] }, into: &b)
        }
        for o in g.outputs { b.addOutput(map.translate(o)) }
        var out = b.finish().cleanedUp()
        out.inputNames = aig.inputNames
        out.outputNames = aig.outputNames
        return out
    }
}

/// Structures for functions of up to 6 inputs without a solver: the NPN-4
/// library up to 4 inputs, above that one-input decompositions and Shannon
/// splits (costs memoised per table).
struct FunctionSynthesis {
    private var memo: [UInt64: (cost: Int, split: Int)] = [:]

    /// ANDs of `build`'s structure for `table` over `n` leaves (before sharing).
    mutating func cost(_ table: UInt64, inputs n: Int) -> Int {
        let (t, used) = AIGRewriting.supportOnly(table, inputs: n)
        return plan(t, used.count).cost
    }

    mutating func build(_ table: UInt64, leaves: [Literal], into b: inout AIGBuilder) -> Literal {
        let (t, used) = AIGRewriting.supportOnly(table, inputs: leaves.count)
        return emit(t, used.map { leaves[$0] }, &b)
    }

    private static func key(_ t: UInt64, _ n: Int) -> UInt64 { (t & AIGRewriting.tableMask(n)) &* 8 &+ UInt64(n) }

    /// The cofactors of `t` (over `n` variables) on variable `i`, as tables over the other `n - 1` in order.
    static func cofactors(_ t: UInt64, _ n: Int, _ i: Int) -> (UInt64, UInt64) {
        var c0: UInt64 = 0, c1: UInt64 = 0, j: UInt64 = 0
        for x in 0..<(1 << n) where (x >> i) & 1 == 0 {
            c0 |= ((t >> UInt64(x)) & 1) << j
            c1 |= ((t >> UInt64(x | 1 << i)) & 1) << j
            j += 1
        }
        return (c0, c1)
    }

    /// The 4-input table of a function over `n` ≤ 4 variables (the others vacuous).
    static func table4(_ t: UInt64, _ n: Int) -> UInt16 {
        var x = t & AIGRewriting.tableMask(n)
        for c in n..<4 { x |= x << UInt64(1 << c) }
        return UInt16(truncatingIfNeeded: x)
    }

    /// Decomposition kinds for one input: 0-3 AND/OR forms, 4 XOR, 5 Shannon.
    private mutating func plan(_ t: UInt64, _ n: Int) -> (cost: Int, split: Int) {
        if n <= 4 {
            let f = Self.table4(t, n)
            return (AIGRewriting.library[NPN4.shared.classIndex(f)]?.gates.count ?? 12, -1)
        }
        let key = Self.key(t, n)
        if let m = memo[key] { return m }
        let mask = AIGRewriting.tableMask(n - 1)
        var best = (cost: Int.max, split: 0)
        for i in 0..<n {
            let (c0, c1) = Self.cofactors(t, n, i)
            // One cofactor constant: an AND (or OR) with the input.
            if c0 == 0 || c0 == mask || c1 == 0 || c1 == mask {
                let rest = (c0 == 0 || c0 == mask) ? c1 : c0
                let c = 1 + plan(rest, n - 1).cost
                if c < best.cost { best = (c, i * 8) }
            } else if c0 == ~c1 & mask {
                let c = 3 + plan(c0, n - 1).cost
                if c < best.cost { best = (c, i * 8 + 4) }
            } else {
                let c = 3 + plan(c0, n - 1).cost + plan(c1, n - 1).cost
                if c < best.cost { best = (c, i * 8 + 5) }
            }
        }
        memo[key] = best
        return best
    }

    private mutating func emit(_ t: UInt64, _ leaves: [Literal], _ b: inout AIGBuilder) -> Literal {
        let n = leaves.count
        let mask = AIGRewriting.tableMask(n)
        if t & mask == 0 { return .false }
        if t & mask == mask { return .true }
        if n <= 4 {
            let f = Self.table4(t, n)
            let npn = NPN4.shared
            guard let s = AIGRewriting.library[npn.classIndex(f)] else { return shannon(t, leaves, 0, &b) }
            let padded = leaves + Array(repeating: Literal.false, count: 4 - n)
            return s.instantiate(transform: npn.transform(f), leaves: padded) { b.and($0, $1) }
        }
        let split = plan(t, n).split
        let i = split / 8
        var rest = leaves
        let x = rest.remove(at: i)
        let (c0, c1) = Self.cofactors(t, n, i)
        let m = AIGRewriting.tableMask(n - 1)
        switch split % 8 {
        case 4: return b.xor(x, emit(c0, rest, &b))
        case 5: return shannon(t, leaves, i, &b)
        default:
            if c0 == 0 { return b.and(x, emit(c1, rest, &b)) }
            if c0 == m { return b.or(!x, emit(c1, rest, &b)) }
            if c1 == 0 { return b.and(!x, emit(c0, rest, &b)) }
            return b.or(x, emit(c0, rest, &b))
        }
    }

    private mutating func shannon(_ t: UInt64, _ leaves: [Literal], _ i: Int, _ b: inout AIGBuilder) -> Literal {
        var rest = leaves
        let x = rest.remove(at: i)
        let (c0, c1) = Self.cofactors(t, leaves.count, i)
        let e = emit(c0, rest, &b), th = emit(c1, rest, &b)
        return b.mux(x, th, e)
    }
}
