import AIG

/// The functional hash: a 64-bit signature of every output's function and
/// one of the whole circuit, equal for equivalent circuits however they are
/// written. Definition (frozen by golden values in the tests; README has the
/// prose version):
///
/// 1. Pattern inputs are the primary inputs then the latch current states
///    (`n = inputCount + latchCount`). With `byName`, inputs, latches and
///    outputs are each sorted by name (UTF-8 byte order, unnamed = "", ties
///    by position) and pattern input `k` is the `k`-th in that order.
/// 2. Patterns: when `n ≤ exactInputLimit` (16), all `2^n` minterms
///    (`Patterns.exhaustiveWord`, bits beyond `2^n` masked to 0) — the
///    signatures are then hashes of exact truth tables. Otherwise
///    `64 * ceil(patterns / 64)` random patterns: word `w` of pattern input `k`
///    is `Patterns.mixedDensityWord(&stream_k, word: w)` with
///    `stream_k = Patterns.stream(seed:input: k)` (mixed densities of ones).
///    2b. Otherwise, first the BDDs of all roots are built (pattern input k
///    at level k, complement edges, then-edges regular); when that creates at
///    most `bddNodeLimit` nodes the signatures are exact:
///    `sig = mix(d ^ 0x424444)` with `d` the BDD digest (`BDDManager.digests`:
///    terminal ONE = H0, node = `mix(mix(mix(H0 ^ level) ^ d_then) ^ d_else)`,
///    a complemented edge `~d`) and step 3 is skipped. Only when the BDDs
///    outgrow the limit are the random patterns used.
/// 3. Signature of a root literal (outputs, then latch next states, in the
///    order of 1.) over its words `x_0 ... x_{W-1}` (complement applied):
///    `h = H0; for each w: h = mix(h ^ x_w); sig = mix(h ^ patternCount)`,
///    `mix` = `SplitMix64.mix`, `H0 = 0x6A09E667F3BCC908`.
/// 4. Circuit hash: `h = H0`, then `h = mix(h ^ x)` for `x` in
///    `[inputCount, latchCount, outputCount, output sigs..., latch next sigs...,
///    latch resets (0, 1, 2 = uninitialised)...]`.
/// 5. Only when the circuit has AIGER 1.9 properties, the fold continues
///    with `[badCount, constraintCount, justiceCount, fairnessCount]`, the
///    signatures of the bad, constraint and fairness literals, then for each
///    justice property its literal count and literal signatures (file order,
///    also with `byName`).
public enum FunctionalHash {
    public static let initial: UInt64 = 0x6A09_E667_F3BC_C908
    /// Folded into every BDD signature (ASCII "BDD").
    public static let bddTag: UInt64 = 0x0042_4444

    public enum Method: String, Sendable, Equatable {
        /// Exhaustive simulation (at most `exactInputLimit` pattern inputs).
        case truthTable = "exact"
        /// Canonical BDDs (exact) within `bddNodeLimit`.
        case bdd
        /// Random patterns (plus witnesses when given): equal hashes are evidence, not proof.
        case patterns
    }

    public struct Params: Sendable, Equatable {
        /// Random patterns when the circuit has more than `exactInputLimit`
        /// pattern inputs; rounded up to a multiple of 64. Default 8,192
        /// (128 words): the hardest separable single-gate mutant of the
        /// small EPFL circuits (priority) needs 4,928 (README, miss rate).
        public var patterns = 8192
        /// Seed of the random patterns. Default 0.
        public var seed: UInt64 = 0
        /// Match inputs and outputs by name instead of by position. Default false.
        public var byName = false
        /// Exhaustive (exact) simulation up to this many pattern inputs. Default 16, at most 24.
        public var exactInputLimit = 16
        /// Above `exactInputLimit`, exact signatures from BDDs (pattern input
        /// k at level k) when building them creates at most this many nodes;
        /// 0 = never. Default 262,144 (about 6 MB): router's 257 ANDs need
        /// ~1,700 nodes; a 64-bit multiplier never fits.
        public var bddNodeLimit = 1 << 18
        /// Words simulated at a time (memory = variables × chunk × 8 bytes);
        /// does not affect the result. Default 32 (fastest on the EPFL
        /// circuits, see MiterBench `sim`).
        public var chunkWords = 32
        public init() {}
    }

    public struct Stats: Sendable, Equatable {
        /// AND-node words simulated.
        public var andWords = 0
        /// Words per node in total (over all chunks).
        public var words = 0
        /// BDD nodes created (0 when no BDD was tried).
        public var bddNodes = 0
        public init() {}
    }

    public struct Result: Sendable, Equatable {
        /// The circuit hash.
        public var circuit: UInt64
        /// Output signatures in hash order (`outputOrder`).
        public var outputs: [UInt64]
        /// Latch next-state signatures in hash order (`latchOrder`).
        public var latchNext: [UInt64]
        /// Original index of the output at each hash position (identity unless `byName`).
        public var outputOrder: [Int]
        public var inputOrder: [Int]
        public var latchOrder: [Int]
        /// True when the signatures are of exact functions (truth tables or BDDs).
        public var exact: Bool
        /// How the signatures were computed.
        public var method: Method
        /// Patterns simulated (2^n for truth tables, 0 for BDDs).
        public var patternCount: Int
        public var stats: Stats
    }

    /// Hashes one circuit (allocates a fresh `Hasher`; reuse one for many circuits).
    public static func hash(_ aig: AIG, params: Params = Params()) -> Result {
        var h = Hasher(params: params)
        return h.hash(aig)
    }

    /// The hash order of a circuit's ports (step 1): pattern input `k` is
    /// variable `patternVariables[k]`; `roots` are the outputs then the latch
    /// next states.
    public struct Order: Sendable {
        public let inputs: [Int], latches: [Int], outputs: [Int]
        public let patternVariables: [Int]
        public let roots: [Literal]
        public init(_ aig: AIG, byName: Bool) {
            let identity = { (k: Int) in Array(0..<k) }
            inputs = byName ? FunctionalHash.nameOrder(aig.inputNames) : identity(aig.inputCount)
            latches = byName ? FunctionalHash.nameOrder(aig.latchNames) : identity(aig.latchCount)
            outputs = byName ? FunctionalHash.nameOrder(aig.outputNames) : identity(aig.outputCount)
            patternVariables = inputs.map { $0 + 1 } + latches.map { aig.firstLatchVariable + $0 }
            roots = outputs.map { aig.outputs[$0] } + latches.map { aig.latches[$0].next }
        }
    }

    @inline(__always) static func fold(_ h: UInt64, _ x: UInt64) -> UInt64 { SplitMix64.mix(h ^ x) }

    /// Positions sorted by name (UTF-8 bytes, nil = "", stable).
    static func nameOrder(_ names: [String?]) -> [Int] {
        let keys = names.map { Array(($0 ?? "").utf8) }
        return names.indices.sorted { a, b in
            if keys[a] != keys[b] { return keys[a].lexicographicallyPrecedes(keys[b]) }
            return a < b
        }
    }

    /// A reusable hasher: its buffers are kept across `hash` calls, so hashing
    /// many small circuits allocates only the result arrays.
    public struct Hasher: Sendable {
        public var params: Params
        private var sim = Simulator()
        private var rngs: [Xoshiro256StarStar] = []
        private var acc: [UInt64] = []
        private var rootBuf: [Literal] = []
        private var patternVar: [Int] = []

        public init(params: Params = Params()) { self.params = params }

        public mutating func hash(_ aig: AIG) -> Result {
            let n = aig.inputCount + aig.latchCount
            let order = FunctionalHash.Order(aig, byName: params.byName)
            let inOrder = order.inputs, latchOrder = order.latches, outOrder = order.outputs

            // Pattern input k (hash order) drives pattern variable patternVar[k].
            patternVar.removeAll(keepingCapacity: true)
            patternVar += order.patternVariables
            rootBuf.removeAll(keepingCapacity: true)
            rootBuf += order.roots
            let propertyStart = rootBuf.count
            rootBuf += aig.bad; rootBuf += aig.constraints; rootBuf += aig.fairness
            for j in aig.justice { rootBuf += j }

            let exact = n <= min(max(params.exactInputLimit, 0), 24)
            var stats = Stats()
            // Step 2b: above the truth-table limit, exact BDDs when they stay small.
            var bddSigs: [UInt64]? = nil
            if !exact && params.bddNodeLimit > 0 {
                var bdd = BDDManager(nodeLimit: params.bddNodeLimit)
                if let edges = bdd.build(aig, patternVariables: patternVar, roots: rootBuf) {
                    bddSigs = bdd.digests(edges).map { FunctionalHash.fold($0, FunctionalHash.bddTag) }
                }
                stats.bddNodes = bdd.nodeCount
            }
            let method: Method = exact ? .truthTable : bddSigs != nil ? .bdd : .patterns
            let totalWords = exact ? Patterns.exhaustiveWordCount(inputs: n) : method == .bdd ? 0 : max(1, (params.patterns + 63) / 64)
            let patternCount = exact ? 1 << n : 64 * totalWords
            let mask = exact ? Patterns.exhaustiveMask(inputs: n) : ~0
            if !exact {
                rngs.removeAll(keepingCapacity: true)
                for k in 0..<n { rngs.append(Patterns.stream(seed: params.seed, input: k)) }
            }
            let roots = rootBuf.count
            acc.removeAll(keepingCapacity: true)
            acc.append(contentsOf: repeatElement(FunctionalHash.initial, count: roots))

            let chunk = max(1, params.chunkWords)
            var start = 0
            while start < totalWords {
                let cw = min(chunk, totalWords - start)
                sim.prepare(aig, words: cw)
                for k in 0..<n {
                    let v = patternVar[k] - 1
                    if exact {
                        sim.withInputWords(v) { buf in
                            for w in 0..<cw { buf[w] = Patterns.exhaustiveWord(input: k, word: start + w) & mask }
                        }
                    } else {
                        sim.withInputWords(v) { buf in
                            rngs.withUnsafeMutableBufferPointer { r in
                                for w in 0..<cw { buf[w] = Patterns.mixedDensityWord(&r[k], word: start + w) }
                            }
                        }
                    }
                }
                sim.run(aig)
                stats.andWords += aig.andCount * cw
                // Fold this chunk's words into the per-root accumulators.
                sim.withValues { vals in
                    acc.withUnsafeMutableBufferPointer { a in
                        rootBuf.withUnsafeBufferPointer { rb in
                            for r in 0..<roots {
                                let lit = rb[r]
                                let base = Int(lit.variable) * cw
                                let cm: UInt64 = 0 &- UInt64(lit.raw & 1)
                                var h = a[r]
                                for w in 0..<cw { h = FunctionalHash.fold(h, (vals[base + w] ^ cm) & mask) }
                                a[r] = h
                            }
                        }
                    }
                }
                start += cw
            }
            stats.words = totalWords

            var sigs = [UInt64](repeating: 0, count: roots)
            for r in 0..<roots { sigs[r] = FunctionalHash.fold(acc[r], UInt64(patternCount)) }
            if let bddSigs { sigs = bddSigs }
            var c = FunctionalHash.initial
            c = FunctionalHash.fold(c, UInt64(aig.inputCount))
            c = FunctionalHash.fold(c, UInt64(aig.latchCount))
            c = FunctionalHash.fold(c, UInt64(aig.outputCount))
            for r in 0..<propertyStart { c = FunctionalHash.fold(c, sigs[r]) }
            for j in latchOrder {
                let code: UInt64
                switch aig.latches[j].reset { case .zero: code = 0; case .one: code = 1; case .uninitialized: code = 2 }
                c = FunctionalHash.fold(c, code)
            }
            if propertyStart < roots || !aig.justice.isEmpty {
                for x in [aig.bad.count, aig.constraints.count, aig.justice.count, aig.fairness.count] {
                    c = FunctionalHash.fold(c, UInt64(x))
                }
                var r = propertyStart
                let plain = aig.bad.count + aig.constraints.count + aig.fairness.count
                for _ in 0..<plain { c = FunctionalHash.fold(c, sigs[r]); r += 1 }
                for j in aig.justice {
                    c = FunctionalHash.fold(c, UInt64(j.count))
                    for _ in j { c = FunctionalHash.fold(c, sigs[r]); r += 1 }
                }
            }
            let outCount = aig.outputCount
            return Result(circuit: c, outputs: Array(sigs[0..<outCount]), latchNext: Array(sigs[outCount..<propertyStart]),
                          outputOrder: outOrder, inputOrder: inOrder, latchOrder: latchOrder,
                          exact: method != .patterns, method: method, patternCount: patternCount, stats: stats)
        }
    }
}
