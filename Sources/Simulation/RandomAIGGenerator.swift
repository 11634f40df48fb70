import AIG

/// Reproducible random combinational AIGs, equivalent rewrites of them
/// (variants) and single-gate changes (mutants), for tests, benchmarks and
/// `miter random`.
///
/// Everything is a pure function of the parameters and the seed (SplitMix64
/// streams), so the same seed gives the same circuits on every machine.
/// Circuit `k` of a set uses the stream seeded with `mix(seed ^ k·gamma)`;
/// its variant `j` and mutant `j` use streams derived from that one, so
/// generating more circuits never changes the earlier ones.
public enum RandomAIGGenerator {
    public struct Params: Sendable, Equatable {
        /// Primary inputs. Default 8.
        public var inputs = 8
        /// Outputs. Default 2.
        public var outputs = 2
        /// AND nodes, approximately: XOR and MUX gates add 3 at once, the
        /// nodes nothing reads are folded into the outputs, and logic outside
        /// every output cone is dropped. Default 50.
        public var ands = 50
        /// Seed of the whole set. Default 0.
        public var seed: UInt64 = 0
        public init() {}
        public init(inputs: Int, outputs: Int, ands: Int, seed: UInt64 = 0) {
            self.inputs = inputs; self.outputs = outputs; self.ands = ands; self.seed = seed
        }
    }

    /// What a generated circuit is, relative to its family's source circuit.
    public enum Kind: Sendable, Equatable, CustomStringConvertible {
        case source
        /// An equivalent rewrite (equivalent by construction).
        case variant(Int)
        /// A single-gate change: usually, not always, a different function.
        case mutant(Int)
        public var description: String {
            switch self {
            case .source: return "source"
            case .variant(let k): return "variant\(k)"
            case .mutant(let k): return "mutant\(k)"
            }
        }
    }

    public struct Item: Sendable {
        public var aig: AIG
        /// Index of the source circuit this item derives from.
        public var family: Int
        public var kind: Kind
        /// `c000012`, `c000012_v1`, `c000012_m3`.
        public var name: String
    }

    @inline(__always) static func streamSeed(_ seed: UInt64, _ k: UInt64) -> UInt64 {
        SplitMix64.mix(seed ^ (k &+ 1) &* SplitMix64.gamma)
    }

    /// Source circuit `index` of the set described by `params`. Inputs are
    /// named `i0…`, outputs `o0…`. Every output is driven by logic (no
    /// constant outputs unless the folding makes one).
    public static func circuit(_ params: Params, index: Int) -> AIG {
        // Up to 8 tries for a circuit without constant outputs (checked exactly up to 16 inputs).
        var c = AIG()
        for attempt in 0..<8 {
            c = attemptCircuit(params, seed: streamSeed(params.seed &+ UInt64(attempt) &* 0x1000_0000_0000_0001,
                                                        UInt64(truncatingIfNeeded: index)))
            guard let tables = TruthTable.of(c) else { break }
            if !tables.contains(where: { $0.isConstantFalse || $0.isConstantTrue }) { break }
        }
        return c
    }

    static func attemptCircuit(_ params: Params, seed: UInt64) -> AIG {
        var rng = SplitMix64(seed: seed)
        let n = max(0, params.inputs)
        var b = AIGBuilder(inputCount: n, expectedAnds: params.ands)
        var pool: [Literal] = (0..<n).map { b.input($0) }
        if pool.isEmpty { pool = [.true] }
        // Nodes nothing reads yet: each new AND consumes one, so almost all
        // logic ends up in the outputs' cones.
        var dangling: [Literal] = pool
        var head = 0
        func pick(_ rng: inout SplitMix64) -> Literal {
            let r = rng.next()
            // Half the picks among recent nodes: deep logic, not a flat soup.
            let recent = min(pool.count, max(2, 2 * n))
            let i = r & 1 == 0 ? pool.count - 1 - Int((r >> 1) % UInt64(recent)) : Int((r >> 1) % UInt64(pool.count))
            return pool[i].complemented(if: (r >> 40) & 1 == 1)
        }
        let outs = max(0, params.outputs)
        let mainBudget = max(0, params.ands - max(0, n - outs))
        var attempts = 0
        while b.aig.andCount < mainBudget && attempts < params.ands * 20 + 20 {
            attempts += 1
            let before = b.aig.andCount
            let first: Literal
            if head < dangling.count && rng.next() % 4 != 0 {
                first = dangling[head].complemented(if: rng.next() & 1 == 1); head += 1
            } else { first = pick(&rng) }
            // AND-type gates alone drift to constants in deep logic: mix in XORs
            // and MUXes (3 ANDs each), which keep functions balanced.
            let op = rng.next() % 10
            let l: Literal
            if op < 4 { l = b.and(first, pick(&rng)) } else if op < 7 { l = b.xor(first, pick(&rng)) } else {
                l = b.mux(pick(&rng), first, pick(&rng))
            }
            if b.aig.andCount > before, !l.isConstant { pool.append(l.regular); dangling.append(l.regular) }
        }
        // Fold what is still unread pairwise until one node per output is left.
        var rest = Array(dangling[head...])
        var guardSteps = 0
        while rest.count > max(1, outs) && guardSteps < 4 * (rest.count + 4) {
            guardSteps += 1
            let x = rest.removeFirst(), y = rest.removeFirst()
            let before = b.aig.andCount
            let l = rng.next() & 1 == 0 ? b.xor(x, y)
                : b.and(x.complemented(if: rng.next() & 1 == 1), y.complemented(if: rng.next() & 1 == 1))
            if b.aig.andCount > before { rest.append(l.regular) } else if !l.isConstant { rest.append(l) }
        }
        // Outputs: the remaining deep nodes, then the last nodes created.
        for k in 0..<outs {
            let r = rng.next()
            let l = k < rest.count ? rest[rest.count - 1 - k] : pool[max(0, pool.count - 1 - k) % pool.count]
            b.addOutput(l.complemented(if: (r >> 33) & 1 == 1), name: "o\(k)")
        }
        var aig = b.finish().cleanedUp()
        aig.inputNames = (0..<n).map { "i\($0)" }
        return aig
    }

    /// An equivalent rewrite of `aig` (combinational), structurally different
    /// from it whenever the circuit has logic. Each AND is rebuilt with one
    /// rewrite drawn at random:
    /// - re-association `(c∧d)∧y → c∧(d∧y)`,
    /// - De Morgan distribution `x∧¬(c∧d) → (x∧¬c) ∨ (x∧¬d)`,
    /// - XOR re-encoding `f → (f⊕r)⊕r` (r a random input; XOR in AND/OR or mux form),
    /// - duplicated logic (Shannon split on a random input r) `x∧y → ((r∧x)∧y) ∨ ((¬r∧y)∧x)`,
    /// - absorption `f → f∧(f∨r)`,
    /// - or kept as is;
    /// then the ANDs are emitted in a random topological order. Port names are kept.
    public static func variant(of aig: AIG, seed: UInt64) -> AIG {
        let src = aig.cuttingLatches()
        let n = src.inputCount
        var rng = SplitMix64(seed: seed)
        var b = AIGBuilder(inputCount: n, expectedAnds: src.andCount * 3)
        var map = [Literal](repeating: .false, count: src.maxVariable + 1)
        for i in 0..<n { map[i + 1] = b.input(i) }
        func randomInput(_ rng: inout SplitMix64) -> Literal {
            n == 0 ? .true : b.input(Int(rng.next() % UInt64(n)))
        }
        let first = src.firstAndVariable
        for (k, a) in src.ands.enumerated() {
            var x = map.translate(a.left), y = map.translate(a.right)
            if rng.next() & 1 == 0 { swap(&x, &y) }
            let choice = rng.next() % 8
            var f: Literal
            switch choice {
            case 0, 1:
                // Re-association when x is a plain AND.
                if !x.isComplemented, Int(x.variable) >= b.firstAndVariable {
                    let g = b.fanins(ofVariable: Int(x.variable))
                    f = b.and(g.left, b.and(g.right, y))
                } else if !y.isComplemented, Int(y.variable) >= b.firstAndVariable {
                    let g = b.fanins(ofVariable: Int(y.variable))
                    f = b.and(b.and(x, g.left), g.right)
                } else { f = b.and(x, y) }
            case 2:
                // De Morgan: y = ¬(c∧d) = ¬c ∨ ¬d, so x∧y = (x∧¬c) ∨ (x∧¬d).
                if y.isComplemented, Int(y.variable) >= b.firstAndVariable {
                    let g = b.fanins(ofVariable: Int(y.variable))
                    f = b.or(b.and(x, !g.left), b.and(x, !g.right))
                } else if x.isComplemented, Int(x.variable) >= b.firstAndVariable {
                    let g = b.fanins(ofVariable: Int(x.variable))
                    f = b.or(b.and(y, !g.left), b.and(y, !g.right))
                } else { f = b.and(x, y) }
            case 3:
                // XOR re-encoding: f = (f ⊕ r) ⊕ r, the two XORs in different forms.
                let g = b.and(x, y)
                let r = randomInput(&rng)
                let t = b.xor(g, r)
                f = b.mux(r, !t, t)
            case 4:
                // Shannon-style duplication on r: f = (r ∧ f) ∨ (¬r ∧ f).
                let r = randomInput(&rng)
                f = b.or(b.and(b.and(r, x), y), b.and(b.and(!r, y), x))
            case 5:
                // Absorption: f = f ∧ (f ∨ r).
                let g = b.and(x, y)
                f = b.and(g, b.or(g, randomInput(&rng)))
            default:
                f = b.and(x, y)
            }
            map[first + k] = f
        }
        var out = AIG(inputCount: n)
        out.outputs = src.outputs.map(map.translate)
        out.outputNames = src.outputNames
        var built = b.finish()
        built.outputs = out.outputs
        built.outputNames = out.outputNames
        built.inputNames = src.inputNames
        built = built.cleanedUp()
        return reordered(built, rng: &rng)
    }

    /// The same AIG with its ANDs emitted in a random topological order.
    public static func reordered(_ aig: AIG, seed: UInt64) -> AIG {
        var rng = SplitMix64(seed: seed)
        return reordered(aig, rng: &rng)
    }

    static func reordered(_ aig: AIG, rng: inout SplitMix64) -> AIG {
        let first = aig.firstAndVariable
        let count = aig.andCount
        if count < 2 { return aig }
        // Kahn's algorithm with a random choice among the ready nodes.
        var pending = [UInt8](repeating: 0, count: count)
        var fanouts = [[Int32]](repeating: [], count: count)
        for (k, a) in aig.ands.enumerated() {
            for v in [Int(a.left.variable), Int(a.right.variable)] where v >= first {
                pending[k] += 1; fanouts[v - first].append(Int32(k))
            }
        }
        var ready: [Int] = (0..<count).filter { pending[$0] == 0 }
        var map = [Literal](repeating: .false, count: aig.maxVariable + 1)
        for v in 1..<first { map[v] = Literal(variable: UInt32(v)) }
        var b = AIGBuilder(inputCount: aig.inputCount, latchCount: aig.latchCount, expectedAnds: count)
        while !ready.isEmpty {
            let i = Int(rng.next() % UInt64(ready.count))
            let k = ready[i]
            ready.swapAt(i, ready.count - 1); ready.removeLast()
            let a = aig.ands[k]
            map[first + k] = b.and(map.translate(a.left), map.translate(a.right))
            for f in fanouts[k] {
                pending[Int(f)] -= 1
                if pending[Int(f)] == 0 { ready.append(Int(f)) }
            }
        }
        var out = b.finish()
        out.inputNames = aig.inputNames
        out.latchNames = aig.latchNames
        out.latches = aig.latches.map { Latch(next: map.translate($0.next), reset: $0.reset) }
        out.outputs = aig.outputs.map(map.translate)
        out.outputNames = aig.outputNames
        out.comments = aig.comments
        return out
    }

    /// A single-gate change of `aig`: one AND in the cone of the outputs gets
    /// one fanin complemented, both fanins complemented (AND → NOR of the
    /// complements), or one fanin replaced by another earlier node or input.
    /// The result may still be equivalent (redundant logic): decide that
    /// exactly (`sameFunction`) rather than assume it.
    public static func mutant(of aig: AIG, seed: UInt64) -> AIG {
        var rng = SplitMix64(seed: seed)
        var m = aig
        guard m.andCount > 0 else {
            // No gate to change: complement an output instead.
            if !m.outputs.isEmpty {
                let o = Int(rng.next() % UInt64(m.outputs.count)); m.outputs[o] = !m.outputs[o]
            }
            return m
        }
        let cone = m.cone(of: m.rootLiterals)
        let first = m.firstAndVariable
        let candidates = (0..<m.andCount).filter { cone[first + $0] }
        let k = candidates.isEmpty ? Int(rng.next() % UInt64(m.andCount)) : candidates[Int(rng.next() % UInt64(candidates.count))]
        var f = m.ands[k]
        switch rng.next() % 4 {
        case 0: f.left = !f.left
        case 1: f.right = !f.right
        case 2: f.left = !f.left; f.right = !f.right
        default:
            // Replace one fanin by another variable below this node.
            let limit = UInt64(first + k - 1)   // variables 1 ... first+k-1
            let v = UInt32(1 + rng.next() % max(1, limit))
            let l = Literal(variable: v, complemented: rng.next() & 1 == 1)
            if rng.next() & 1 == 0 { f.left = l } else { f.right = l }
        }
        m.ands[k] = AndFanins(f.left, f.right)
        return m
    }

    /// The exact function of a circuit with at most 16 pattern inputs: its
    /// output truth tables concatenated (nil above 16 inputs). Two circuits with
    /// the same port counts are equivalent (ports by position) exactly when
    /// their keys are equal.
    public static func functionKey(_ aig: AIG) -> [UInt64]? {
        guard let tables = TruthTable.of(aig) else { return nil }
        var key: [UInt64] = [UInt64(aig.inputCount), UInt64(aig.outputCount)]
        for t in tables { key += t.words }
        return key
    }

    /// A set: `count` source circuits, each followed by `variants` equivalent
    /// rewrites and `mutants` single-gate changes. Variants are retried (up to
    /// 8 seeds) until they differ structurally from the source and from each
    /// other; mutants (up to 8 seeds) until their function differs from the
    /// source's (checked exactly up to 16 inputs). A mutant can still equal the
    /// source (when all 8 tries are redundant) or another mutant: compute the
    /// ground truth with `functionKey`, do not assume it.
    public static func generateSet(_ params: Params, count: Int, variants: Int, mutants: Int) -> [Item] {
        var items: [Item] = []
        items.reserveCapacity(max(0, count) * (1 + max(0, variants) + max(0, mutants)))
        for c in 0..<max(0, count) {
            items += family(params, index: c, variants: variants, mutants: mutants)
        }
        return items
    }

    /// Source circuit `index` with its variants and mutants.
    public static func family(_ params: Params, index c: Int, variants: Int, mutants: Int) -> [Item] {
        let base = name(c)
        let src = circuit(params, index: c)
        var items = [Item(aig: src, family: c, kind: .source, name: base)]
        let fseed = streamSeed(params.seed ^ 0x5A5A_5A5A_5A5A_5A5A, UInt64(truncatingIfNeeded: c))
        var seen: [AIG] = [src]
        for j in 0..<max(0, variants) {
            var v = src
            for attempt in 0..<8 {
                v = variant(of: src, seed: streamSeed(fseed, UInt64(j * 8 + attempt)))
                if !seen.contains(where: { $0.ands == v.ands && $0.outputs == v.outputs }) { break }
            }
            seen.append(v)
            items.append(Item(aig: v, family: c, kind: .variant(j + 1), name: "\(base)_v\(j + 1)"))
        }
        let srcKey = functionKey(src)
        for j in 0..<max(0, mutants) {
            // Up to 8 tries for a mutant whose function differs (decided exactly
            // up to 16 inputs); the last try is kept either way.
            var m = src
            for attempt in 0..<8 {
                m = mutant(of: src, seed: streamSeed(fseed ^ 0xA5A5_A5A5_A5A5_A5A5, UInt64(j * 8 + attempt)))
                if srcKey == nil || functionKey(m) != srcKey { break }
            }
            items.append(Item(aig: m, family: c, kind: .mutant(j + 1), name: "\(base)_m\(j + 1)"))
        }
        return items
    }

    static func name(_ c: Int) -> String {
        let s = String(c)
        return "c" + String(repeating: "0", count: max(0, 6 - s.count)) + s
    }
}
