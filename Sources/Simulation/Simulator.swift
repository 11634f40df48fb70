import AIG

/// Bit-parallel simulator: `W` 64-bit words per variable over the AIG in
/// topological order. Latch current-state values are inputs of the
/// combinational part (pattern input order: inputs, then latches).
///
/// Storage is one flat buffer: the words of variable `v` are
/// `values[v*W ..< (v+1)*W]` (variable 0, the constant, is all zeros). The
/// buffer is kept across calls and only grows, so repeated simulation
/// allocates nothing. A complemented literal's words are the bitwise NOT of
/// its variable's words (use `word(_:_:)` or `literalWords(_:)`).
///
/// Typical use (SAT sweeping): keep a `PatternSet`, append counterexamples,
/// call `simulate(_:patterns:)` again and read every node's words.
public struct Simulator: Sendable {
    public struct Stats: Sendable, Equatable {
        /// Simulation calls.
        public var runs = 0
        /// AND nodes evaluated times words per node, summed over calls.
        public var andWords = 0
        public init() {}
    }

    /// Words per variable of the last simulation (W).
    public private(set) var wordsPerVariable = 0
    /// Variables of the last simulated AIG (`maxVariable + 1`).
    public private(set) var variableCount = 0
    /// The simulation words; only the first `variableCount * wordsPerVariable` are meaningful.
    public private(set) var values: [UInt64] = []
    public private(set) var stats = Stats()

    // Reused scratch for cone simulation.
    private var coneMark: [UInt8] = []
    private var coneAnds: [UInt32] = []

    public init() {}

    // MARK: - Convenience entry points

    /// Simulates every AND under `patterns` (W = `patterns.wordCount`).
    /// Precondition: `patterns.inputCount == aig.inputCount + aig.latchCount`.
    public mutating func simulate(_ aig: AIG, patterns: PatternSet) {
        load(aig, patterns: patterns)
        run(aig)
    }

    /// Simulates only the ANDs in the transitive fan-in of `roots` (the
    /// words of other ANDs are left unspecified).
    public mutating func simulate(_ aig: AIG, patterns: PatternSet, cone roots: [Literal]) {
        load(aig, patterns: patterns)
        run(aig, cone: roots)
    }

    /// Simulates every AND under `words * 64` seeded random patterns: the
    /// same as `simulate(aig, patterns: .random(inputCount:wordCount:seed:))`
    /// without materialising the pattern set.
    public mutating func simulateRandom(_ aig: AIG, words: Int, seed: UInt64) {
        prepare(aig, words: words)
        let w = wordsPerVariable
        values.withUnsafeMutableBufferPointer { buf in
            for i in 0..<(aig.inputCount + aig.latchCount) {
                var rng = Patterns.stream(seed: seed, input: i)
                let base = (i + 1) * w
                for k in 0..<w { buf[base + k] = rng.next() }
            }
        }
        run(aig)
    }

    // MARK: - Low-level steps

    /// Sizes the buffer for `aig` with `words` words per variable and zeroes
    /// the constant. Input words must then be written with `setInputWords`
    /// or `withInputWords` before `run`.
    public mutating func prepare(_ aig: AIG, words: Int) {
        let w = max(1, words)
        wordsPerVariable = w
        variableCount = aig.maxVariable + 1
        let need = variableCount * w
        if values.count < need {
            values.reserveCapacity(need)
            values.append(contentsOf: repeatElement(0, count: need - values.count))
        }
        values.withUnsafeMutableBufferPointer { buf in
            for k in 0..<w { buf[k] = 0 }
        }
    }

    /// Copies the pattern words into the input and latch variables (after `prepare`).
    public mutating func load(_ aig: AIG, patterns: PatternSet) {
        precondition(patterns.inputCount == aig.inputCount + aig.latchCount,
                     "pattern set has \(patterns.inputCount) inputs, circuit has \(aig.inputCount + aig.latchCount) inputs and latches")
        prepare(aig, words: patterns.wordCount)
        let n = patterns.inputCount * patterns.wordCount
        let w = wordsPerVariable
        guard n > 0 else { return }
        values.withUnsafeMutableBufferPointer { dst in
            patterns.words.withUnsafeBufferPointer { src in
                // Pattern input i is variable i+1: one contiguous copy.
                if let d = dst.baseAddress, let s = src.baseAddress { (d + w).update(from: s, count: n) }
            }
        }
    }

    /// Gives mutable access to the words of pattern input `index` (variable `index + 1`).
    @inline(__always)
    public mutating func withInputWords<R>(_ index: Int, _ body: (UnsafeMutableBufferPointer<UInt64>) -> R) -> R {
        let w = wordsPerVariable
        precondition(index >= 0 && index + 1 < variableCount, "pattern input \(index) out of range")
        return values.withUnsafeMutableBufferPointer { buf in
            body(UnsafeMutableBufferPointer(rebasing: buf[(index + 1) * w ..< (index + 2) * w]))
        }
    }

    /// Simulates every AND from the current input words.
    public mutating func run(_ aig: AIG) {
        let w = wordsPerVariable
        precondition(variableCount == aig.maxVariable + 1, "prepare the simulator for this AIG first")
        let first = aig.firstAndVariable
        values.withUnsafeMutableBufferPointer { buf in
            aig.ands.withUnsafeBufferPointer { ands in
                Self.simulateAnds(ands, first: first, values: buf.baseAddress!, words: w)
            }
        }
        stats.runs += 1
        stats.andWords += aig.andCount * w
    }

    /// Simulates only the ANDs in the cone of `roots` from the current input words.
    public mutating func run(_ aig: AIG, cone roots: [Literal]) {
        let w = wordsPerVariable
        precondition(variableCount == aig.maxVariable + 1, "prepare the simulator for this AIG first")
        let first = aig.firstAndVariable
        let count = markCone(aig, roots)
        values.withUnsafeMutableBufferPointer { buf in
            aig.ands.withUnsafeBufferPointer { ands in
                coneAnds.withUnsafeBufferPointer { list in
                    let vals = buf.baseAddress!
                    for i in 0..<count {
                        let k = Int(list[i])
                        Self.simulateAnd(ands[k], variable: first + k, values: vals, words: w)
                    }
                }
            }
        }
        stats.runs += 1
        stats.andWords += count * w
    }

    /// Collects the AND indices of the cone of `roots` in topological order into `coneAnds`.
    private mutating func markCone(_ aig: AIG, _ roots: [Literal]) -> Int {
        let n = aig.maxVariable + 1
        if coneMark.count < n { coneMark = Array(repeating: 0, count: n) }
        if coneAnds.count < aig.andCount { coneAnds = Array(repeating: 0, count: aig.andCount) }
        let first = aig.firstAndVariable
        var count = 0
        coneMark.withUnsafeMutableBufferPointer { mk in
            for k in 0..<n { mk[k] = 0 }
            for r in roots where Int(r.variable) < n { mk[Int(r.variable)] = 1 }
            aig.ands.withUnsafeBufferPointer { a in
                var k = a.count - 1
                while k >= 0 {
                    if mk[first + k] != 0 { mk[Int(a[k].left.variable)] = 1; mk[Int(a[k].right.variable)] = 1 }
                    k -= 1
                }
            }
            coneAnds.withUnsafeMutableBufferPointer { list in
                for k in 0..<aig.andCount where mk[first + k] != 0 { list[count] = UInt32(k); count += 1 }
            }
        }
        return count
    }

    // MARK: - Reading results

    /// Word `w` of a literal (complement applied).
    @inline(__always) public func word(_ literal: Literal, _ w: Int) -> UInt64 {
        let x = values[Int(literal.variable) * wordsPerVariable + w]
        return literal.isComplemented ? ~x : x
    }

    /// The words of a variable (no complement).
    public func words(of variable: Int) -> ArraySlice<UInt64> {
        values[variable * wordsPerVariable ..< (variable + 1) * wordsPerVariable]
    }

    /// The words of a literal, complement applied.
    public func literalWords(_ literal: Literal) -> [UInt64] {
        let m: UInt64 = literal.isComplemented ? ~0 : 0
        return words(of: Int(literal.variable)).map { $0 ^ m }
    }

    /// Read access to the whole flat buffer (`variableCount * wordsPerVariable` words).
    public func withValues<R>(_ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        values.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0 ..< variableCount * wordsPerVariable])) }
    }

    /// Value of `literal` in pattern `p`.
    public func value(_ literal: Literal, pattern p: Int) -> Bool {
        word(literal, p >> 6) >> UInt64(p & 63) & 1 != 0
    }

    // MARK: - Kernels

    /// One AND: `out = (a ^ ma) & (b ^ mb)` over `words` words, the masks
    /// being all ones for complemented fanins.
    @inline(__always)
    static func simulateAnd(_ f: AndFanins, variable v: Int, values: UnsafeMutablePointer<UInt64>, words w: Int) {
        let l = Int(f.left.variable), r = Int(f.right.variable)
        precondition(l < v && r < v, "AIG is not in topological order")
        let a = values + l * w, b = values + r * w, o = values + v * w
        let ma: UInt64 = 0 &- UInt64(f.left.raw & 1), mb: UInt64 = 0 &- UInt64(f.right.raw & 1)
        for k in 0..<w { o[k] = (a[k] ^ ma) & (b[k] ^ mb) }
    }

    /// All ANDs in order; the word loop is specialised for the small W of
    /// exhaustive simulation of small circuits.
    static func simulateAnds(_ ands: UnsafeBufferPointer<AndFanins>, first: Int,
                             values: UnsafeMutablePointer<UInt64>, words w: Int) {
        switch w {
        case 1:
            for k in 0..<ands.count {
                let f = ands[k], v = first + k
                let l = Int(f.left.variable), r = Int(f.right.variable)
                precondition(l < v && r < v, "AIG is not in topological order")
                let ma: UInt64 = 0 &- UInt64(f.left.raw & 1), mb: UInt64 = 0 &- UInt64(f.right.raw & 1)
                values[v] = (values[l] ^ ma) & (values[r] ^ mb)
            }
        case 4:
            for k in 0..<ands.count {
                let f = ands[k], v = first + k
                let l = Int(f.left.variable), r = Int(f.right.variable)
                precondition(l < v && r < v, "AIG is not in topological order")
                let ma: UInt64 = 0 &- UInt64(f.left.raw & 1), mb: UInt64 = 0 &- UInt64(f.right.raw & 1)
                let a = values + 4 * l, b = values + 4 * r, o = values + 4 * v
                o[0] = (a[0] ^ ma) & (b[0] ^ mb); o[1] = (a[1] ^ ma) & (b[1] ^ mb)
                o[2] = (a[2] ^ ma) & (b[2] ^ mb); o[3] = (a[3] ^ ma) & (b[3] ^ mb)
            }
        default:
            for k in 0..<ands.count { simulateAnd(ands[k], variable: first + k, values: values, words: w) }
        }
    }
}
