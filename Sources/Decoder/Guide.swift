import AIG
import Simulation

/// A known circuit for the targets (usually the source being decoded),
/// functionally reduced, that the guaranteed completion follows: at a slot
/// whose plan one of its nodes satisfies, π writes that node's structure
/// instead of a Shannon expansion. Then the source itself is what π
/// completes from the initial state, so the source's AND count (and a token
/// budget proportional to its sequence) are always feasible budgets, and the
/// mask never lets a decoding end larger than the source.
///
/// Nodes are in topological order, one per distinct function (complements
/// and functions equal to a constant or an input are merged away when the
/// guide is built), each AND over two earlier guide literals. Literals use
/// the decoder's numbering: variable 0 the constant, `1...n` the inputs,
/// `n + 1 + k` guide node `k`. Immutable and shared by every state copy.
public final class DecoderGuide: Sendable {
    public let inputCount: Int
    let W: Int
    let lastMask: UInt64
    /// Exact function of each guide node, `W` words each (not normalised).
    let words: [UInt64]
    let fanins: [AndFanins]
    /// AND levels of each node.
    let levels: [Int32]
    /// Largest level (0 without nodes).
    public let depth: Int
    public var nodeCount: Int { fanins.count }

    /// Builds the guide of a combinational circuit with at most 16 inputs
    /// (exhaustive simulation of every node; equal functions merged).
    public init(aig: AIG) throws {
        guard aig.isCombinational else { throw DecoderError.notCombinational }
        let n = aig.inputCount
        guard n <= TruthTable.maxInputs else { throw DecoderError.tooManyInputs(n) }
        inputCount = n
        let W = Patterns.exhaustiveWordCount(inputs: n)
        let mask = Patterns.exhaustiveMask(inputs: n)
        self.W = W; lastMask = mask
        // Functions by guide literal variable: constant, inputs, then guide nodes.
        var fn = [UInt64](repeating: 0, count: W)
        for i in 0..<n { for w in 0..<W { fn.append(Patterns.exhaustiveWord(input: i, word: w) & mask) } }
        var lits = [Literal](repeating: .false, count: aig.maxVariable + 1)
        for i in 0..<n { lits[i + 1] = Literal(variable: UInt32(i + 1)) }
        var fanins: [AndFanins] = [], levels: [Int32] = []
        var level = [Int32](repeating: 0, count: n + 1)
        // Normalised function (minterm 0 is 0) -> guide variable; construction only, not a hot loop.
        var table: [[UInt64]: UInt32] = [:]
        table[Array(fn[0..<W])] = 0
        for i in 0..<n {
            var x = Array(fn[((i + 1) * W)..<((i + 2) * W)])
            if x[0] & 1 != 0 { for w in 0..<W { x[w] = ~x[w] & mask } }
            if table[x] == nil { table[x] = UInt32(i + 1) }
        }
        var v = [UInt64](repeating: 0, count: W)
        for (k, f) in aig.ands.enumerated() {
            let a = lits[Int(f.left.variable)].complemented(if: f.left.isComplemented)
            let b = lits[Int(f.right.variable)].complemented(if: f.right.isComplemented)
            let ab = Int(a.variable) * W, bb = Int(b.variable) * W
            let ma: UInt64 = a.isComplemented ? mask : 0, mb: UInt64 = b.isComplemented ? mask : 0
            for w in 0..<W { v[w] = (fn[ab + w] ^ ma) & (fn[bb + w] ^ mb) }
            let flip = v[0] & 1 != 0
            var key = v
            if flip { for w in 0..<W { key[w] = ~v[w] & mask } }
            let out = aig.firstAndVariable + k
            if let g = table[key] {
                // `fn[g]` is the normalised function when `g` is a guide node; inputs may be stored flipped.
                let stored = Array(fn[(Int(g) * W)..<(Int(g) * W + W)])
                lits[out] = Literal(variable: g, complemented: stored != v)
                continue
            }
            table[key] = UInt32(n + 1 + fanins.count)
            fn.append(contentsOf: v)
            fanins.append(AndFanins(a, b))
            let l = 1 + max(level[Int(a.variable)], level[Int(b.variable)])
            level.append(l); levels.append(l)
            lits[out] = Literal(variable: UInt32(n + fanins.count))
        }
        words = Array(fn[((n + 1) * W)...])
        self.fanins = fanins
        self.levels = levels
        depth = Int(levels.max() ?? 0)
    }

    /// The exact function of guide literal `l` as an ISF (on = f, off = ¬f).
    func exact(_ l: Literal) -> ([UInt64], [UInt64]) {
        var on = [UInt64](repeating: 0, count: W)
        let v = Int(l.variable)
        if v == 0 { } else if v <= inputCount {
            for w in 0..<W { on[w] = Patterns.exhaustiveWord(input: v - 1, word: w) & lastMask }
        } else {
            let b = (v - inputCount - 1) * W
            for w in 0..<W { on[w] = words[b + w] }
        }
        if l.isComplemented { for w in 0..<W { on[w] = ~on[w] & lastMask } }
        return (on, on.map { ~$0 & lastMask })
    }

    /// The first guide node (topological order) whose function or complement
    /// satisfies `(on, off)`: its index and whether the complement does.
    func fitting(_ on: [UInt64], _ off: [UInt64]) -> (node: Int, complemented: Bool)? {
        for k in 0..<fanins.count {
            let b = k * W
            var pos = true, neg = true
            for w in 0..<W {
                let x = words[b + w]
                if on[w] & ~x != 0 || off[w] & x != 0 { pos = false }
                if on[w] & x != 0 || off[w] & ~x & lastMask != 0 { neg = false }
                if !pos && !neg { break }
            }
            if pos { return (k, false) }
            if neg { return (k, true) }
        }
        return nil
    }
}
