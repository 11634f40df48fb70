/// How a lemma of a certificate was found (informational: a certificate
/// checker re-proves every lemma whatever its tag).
public enum ProofMethod: String, Sendable, CaseIterable, Codable {
    /// Equal after structural hashing (outputs identical in the miter).
    case structural
    /// Exhaustive simulation (of the whole miter or of the two cones).
    case exhaustive
    /// Equal reduced ordered BDDs.
    case bdd
    /// Equal functions over a small common cut.
    case cut
    /// An UNSAT answer of a SAT solver.
    case sat
}

/// One step of an equivalence proof over a miter.
public struct Lemma: Sendable, Equatable {
    public enum Claim: Sendable, Equatable {
        /// Miter literal `x` (of an AND variable) equals the literal `y` of an earlier variable.
        case merge(x: Literal, y: Literal)
        /// Miter output `k` (the XOR of output pair k) is constant 0.
        case output(Int)
    }
    /// 1-based position in the certificate.
    public var number: Int
    public var claim: Claim
    public var method: ProofMethod
    /// The earlier lemmas whose merged nodes the claim's cones reach first
    /// (see `LemmaDependencies`); sorted, each below `number`.
    public var assumes: [Int]
    /// A hint for the certificate checker: miter variables whose (reduced)
    /// nodes form a small cut below the claim, on which the two sides were
    /// shown equal. Freeing any set of nodes is sound, so a wrong hint can
    /// only make a query fail, never make a false lemma hold.
    public var cut: [Int]

    public init(number: Int, claim: Claim, method: ProofMethod, assumes: [Int], cut: [Int] = []) {
        self.number = number; self.claim = claim; self.method = method; self.assumes = assumes; self.cut = cut
    }
}

/// What `miter check --certify` writes: the miter itself, then either the
/// ordered lemmas an `equivalent` verdict rests on, or the counterexample of
/// a `not equivalent` one.
public struct Certificate: Sendable, Equatable {
    /// Version 2 embeds the miter as binary AIGER (`miter-aig BYTES`);
    /// version 1 as ASCII AIGER lines (`miter LINES`). Both are read.
    public static let formatVersion = 2
    public enum Verdict: String, Sendable { case equivalent, notEquivalent = "not-equivalent" }
    public var verdict: Verdict
    /// The two circuits the miter was built from, as the user named them.
    public var circuitA: String
    public var circuitB: String
    /// Combinational miter: output k is XOR(a_k, b_k) of the k-th matched output pair.
    public var miter: AIG
    public var lemmas: [Lemma]
    /// A shared input vector (one value per miter input) for `notEquivalent`.
    public var counterexample: [Bool]?

    public init(verdict: Verdict, circuitA: String, circuitB: String, miter: AIG, lemmas: [Lemma], counterexample: [Bool]?) {
        self.verdict = verdict; self.circuitA = circuitA; self.circuitB = circuitB
        self.miter = miter; self.lemmas = lemmas; self.counterexample = counterexample
    }
}

/// Which earlier lemmas a claim relies on: walking down from the claim's
/// node, the merged nodes met first (the walk stops there, since a merged
/// node stands for its representative, whose own lemma covers what lies
/// below). For a merge of X into Y the walk starts at X's fanins, and Y
/// counts only when Y itself was merged: Y's cone, like every node's, is
/// read with all earlier merges applied, and walking it too would list
/// most earlier lemmas for every merge into a deep unmerged cone (sqrt vs
/// resyn2: 29 MB of lists). Writer and checker use the same walk, so a
/// certificate whose `assumes` lists disagree with its lemma order is
/// rejected. Stamps make a walk cost O(nodes visited), not O(AIG).
public struct LemmaDependencies {
    /// Per miter variable: the number of the lemma that merged it (0: none yet).
    public private(set) var mergedBy: [Int32]
    private var stamp: [UInt32]
    private var generation: UInt32 = 0
    private var stack: [Int32] = []

    public init(variableCount: Int) {
        mergedBy = [Int32](repeating: 0, count: variableCount)
        stamp = [UInt32](repeating: 0, count: variableCount)
    }

    /// Records lemma `lemma`'s merge of `v` unless an earlier lemma merged it
    /// (for tables filled before the walks: see `before` in `dependencies`).
    public mutating func recordFirstMerge(variable v: Int, lemma: Int) { if mergedBy[v] == 0 { mergedBy[v] = Int32(lemma) } }

    /// Per variable, the lowest lemma number merging a node of its cone
    /// (itself included; Int32.max: none). Filled by `prepareWalks` once
    /// every merge is recorded; a walk then skips a cone holding no merge it
    /// counts. Without it an output lemma's walk crosses the first circuit's
    /// whole output cone, whose nodes are representatives, never merged
    /// (hyp vs resyn2: 0.3 s of --certify).
    private var earliestMergeBelow: [Int32] = []

    /// Variables up to this one have their final `earliestMergeBelow` entry.
    private var preparedThrough = -1

    public mutating func prepareWalks(_ aig: AIG) {
        earliestMergeBelow = []
        extendWalks(aig, through: mergedBy.count - 1)
    }

    /// Prepares the pruning table up to variable `last` only: enough for
    /// walks below `last + 1` once every merge of a variable up to `last` is
    /// recorded (sweeping merges in increasing variable order, so
    /// `LemmaPipeline` can walk while the sweep goes on).
    public mutating func extendWalks(_ aig: AIG, through last: Int) {
        if earliestMergeBelow.count != mergedBy.count {
            earliestMergeBelow = [Int32](repeating: .max, count: mergedBy.count)
            preparedThrough = -1
        }
        let end = min(last, mergedBy.count - 1)
        guard end > preparedThrough else { return }
        let first = aig.firstAndVariable, from = preparedThrough + 1
        earliestMergeBelow.withUnsafeMutableBufferPointer { e in
            mergedBy.withUnsafeBufferPointer { merged in
                aig.ands.withUnsafeBufferPointer { ands in
                    for v in from...end {
                        var x = merged[v] == 0 ? Int32.max : merged[v]
                        if v >= first {
                            let f = ands[v - first]
                            x = min(x, e[Int(f.left.variable)], e[Int(f.right.variable)])
                        }
                        e[v] = x
                    }
                }
            }
        }
        preparedThrough = end
    }

    /// The dependencies of the lemma that merges `variable` into `representative`.
    /// `before`: only merges of lemmas numbered below it count (a table filled
    /// with every merge first then gives what the walk at that lemma's turn gives).
    public mutating func mergeDependencies(_ aig: AIG, variable v: Int, representative r: Int, before limit: Int = Int(Int32.max)) -> [Int] {
        var d = dependencies(aig, roots: [v], belowFirstRoot: true, before: limit)
        let own = Int(mergedBy[r])
        if own != 0 && own < limit && !d.contains(own) { d.append(own); d.sort() }
        return d
    }

    /// Lemmas met first below `roots` (a root that is itself merged counts;
    /// with `belowRoot`, the walk starts at the first root's fanins instead,
    /// for the node a merge lemma is about). Sorted, unique.
    public mutating func dependencies(_ aig: AIG, roots: [Int], belowFirstRoot: Bool = false, before limit: Int = Int(Int32.max)) -> [Int] {
        generation &+= 1
        if generation == 0 { for i in stamp.indices { stamp[i] = 0 }; generation = 1 }
        var found: [Int] = []
        // A local stack (a stored one pays a uniqueness check per push).
        var stack = self.stack
        self.stack = []
        stack.removeAll(keepingCapacity: true)
        let first = aig.firstAndVariable
        let g = generation, bound = Int32(clamping: limit)
        for (i, r) in roots.enumerated() {
            if i == 0 && belowFirstRoot && r >= first {
                stamp[r] = g
                let f = aig.ands[r - first]
                stack.append(Int32(f.left.variable)); stack.append(Int32(f.right.variable))
            } else {
                stack.append(Int32(r))
            }
        }
        // The hot loop of `--certify` on deep cones (sqrt, hyp): raw buffers.
        let pruned = earliestMergeBelow.count == mergedBy.count
        aig.ands.withUnsafeBufferPointer { ands in
            mergedBy.withUnsafeBufferPointer { merged in
                earliestMergeBelow.withUnsafeBufferPointer { earliest in
                    stamp.withUnsafeMutableBufferPointer { stamp in
                        while let v32 = stack.popLast() {
                            let v = Int(v32)
                            if v == 0 || stamp[v] == g { continue }
                            if pruned && earliest[v] >= bound { continue }
                            stamp[v] = g
                            let k = merged[v]
                            if k != 0 && k < bound { found.append(Int(k)); continue }
                            if v < first { continue }
                            let f = ands[v - first]
                            stack.append(Int32(f.left.variable)); stack.append(Int32(f.right.variable))
                        }
                    }
                }
            }
        }
        self.stack = stack
        found.sort()
        return found
    }
}
