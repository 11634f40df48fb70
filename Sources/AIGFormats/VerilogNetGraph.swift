import AIG

/// The bit-level netlist shared by the Verilog, BLIF and .bench readers.
///
/// Netlist files may define nets in any order, so reading happens in two
/// phases. Phase 1 (while parsing) records a raw AND graph whose leaves are
/// placeholders for net bits, and for every net bit the literal that drives
/// it. Phase 2 (`finish`) creates the AIG inputs and latches first (canonical
/// AIGER numbering), then resolves every observed literal with an iterative
/// depth-first walk through the drivers, hashing ANDs structurally, detecting
/// combinational loops and applying the undriven-net policy.
///
/// Raw literals are `2 * node + complement`; node 0 is constant false. A node
/// is either an AND (`nodeA`, `nodeB` are its fanin literals) or a net-bit
/// placeholder (`nodeA == netMark`, `nodeB` is the bit). No per-node objects.
struct NetGraph {
    static let none: UInt32 = .max
    static let source: UInt32 = .max - 1
    static let netMark: UInt32 = .max
    static let falseLit: UInt32 = 0
    static let trueLit: UInt32 = 1

    var nodeA: [UInt32] = [0]
    var nodeB: [UInt32] = [0]
    /// Per bit: the raw literal driving it, `none`, or `source` (input/latch output).
    var driver: [UInt32] = []
    /// Per bit: a reader-defined location handle of the driver (for messages).
    var driverAt: [Int32] = []
    /// Per bit: its placeholder node, or `none` while nobody reads it.
    var bitNode: [UInt32] = []
    /// Per bit: location handle of the first read.
    var useAt: [Int32] = []

    struct Source { var bit: Int; var name: String }
    struct LatchSource { var bit: Int; var next: UInt32; var reset: Latch.Reset; var name: String }
    var inputs: [Source] = []
    var latches: [LatchSource] = []
    var outputs: [(lit: UInt32, name: String)] = []

    init(expectedNodes: Int = 0) {
        nodeA.reserveCapacity(expectedNodes + 1); nodeB.reserveCapacity(expectedNodes + 1)
    }

    var bitCount: Int { driver.count }

    /// Allocates `n` fresh, undriven bits; returns the first bit's index.
    mutating func addBits(_ n: Int) -> Int {
        let base = driver.count
        driver.append(contentsOf: repeatElement(NetGraph.none, count: n))
        driverAt.append(contentsOf: repeatElement(-1, count: n))
        bitNode.append(contentsOf: repeatElement(NetGraph.none, count: n))
        useAt.append(contentsOf: repeatElement(-1, count: n))
        return base
    }

    /// The raw literal that reads `bit`.
    @inline(__always) mutating func ref(_ bit: Int, at: Int32) -> UInt32 {
        let n = bitNode[bit]
        if n != NetGraph.none { return n << 1 }
        let node = UInt32(nodeA.count)
        nodeA.append(NetGraph.netMark); nodeB.append(UInt32(bit))
        bitNode[bit] = node
        useAt[bit] = at
        return node << 1
    }

    /// Sets the driver of `bit`; returns the earlier driver's location handle
    /// (or -2 for an input/latch) when the bit was already driven.
    @inline(__always) mutating func drive(_ bit: Int, _ lit: UInt32, at: Int32) -> Int32? {
        let d = driver[bit]
        if d != NetGraph.none { return d == NetGraph.source ? -2 : driverAt[bit] }
        driver[bit] = lit; driverAt[bit] = at
        return nil
    }

    mutating func addInput(bit: Int, name: String) -> Int32? {
        if let prev = drive(bit, NetGraph.source, at: -2) { return prev }
        inputs.append(Source(bit: bit, name: name))
        return nil
    }

    mutating func addLatch(bit: Int, next: UInt32, reset: Latch.Reset, name: String, at: Int32) -> Int32? {
        if let prev = drive(bit, NetGraph.source, at: at) { return prev }
        driverAt[bit] = at
        latches.append(LatchSource(bit: bit, next: next, reset: reset, name: name))
        return nil
    }

    // MARK: phase-1 logic (constant folding only; hashing happens in phase 2)

    @inline(__always) mutating func and(_ a: UInt32, _ b: UInt32) -> UInt32 {
        if a == b { return a }
        if a ^ b == 1 { return 0 }
        if a < 2 || b < 2 { let (c, x) = a < 2 ? (a, b) : (b, a); return c == 0 ? 0 : x }
        let node = UInt32(nodeA.count)
        nodeA.append(a); nodeB.append(b)
        return node << 1
    }
    @inline(__always) mutating func or(_ a: UInt32, _ b: UInt32) -> UInt32 { and(a ^ 1, b ^ 1) ^ 1 }
    @inline(__always) mutating func xor(_ a: UInt32, _ b: UInt32) -> UInt32 {
        if a < 2 { return b ^ a }
        if b < 2 { return a ^ b }
        if a == b { return 0 }
        if a ^ b == 1 { return 1 }
        let both = and(a, b), neither = and(a ^ 1, b ^ 1)
        return and(both ^ 1, neither ^ 1)
    }
    @inline(__always) mutating func mux(_ s: UInt32, _ t: UInt32, _ e: UInt32) -> UInt32 {
        if t == e { return t }
        if s < 2 { return s == 1 ? t : e }
        return or(and(s, t), and(s ^ 1, e))
    }
    /// Balanced reduction of `xs` with `op` (identity for none).
    mutating func reduce(_ xs: inout [UInt32], identity: UInt32, _ op: (inout NetGraph, UInt32, UInt32) -> UInt32) -> UInt32 {
        if xs.isEmpty { return identity }
        var n = xs.count
        while n > 1 {
            var w = 0, i = 0
            while i + 1 < n { xs[w] = op(&self, xs[i], xs[i + 1]); w += 1; i += 2 }
            if i < n { xs[w] = xs[i]; w += 1 }
            n = w
        }
        return xs[0]
    }

    // MARK: phase 2

    /// Describes a bit for messages: its name and an error located at `handle`.
    struct Describer {
        var name: (Int) -> String
        var error: (Int32, String) -> FormatError
    }

    func isUndrivenRead(_ bit: Int) -> Bool { bitNode[bit] != NetGraph.none && driver[bit] == NetGraph.none }

    mutating func finish(undriven: ReadOptions.Undriven, describe: Describer) throws -> AIG {
        // Undriven nets that somebody reads.
        var extraInputs: [Int] = []
        for bit in 0..<driver.count where bitNode[bit] != NetGraph.none && driver[bit] == NetGraph.none {
            switch undriven {
            case .error:
                throw describe.error(useAt[bit], "net '\(describe.name(bit))' is used but never driven (use --undriven zero|input to accept undriven nets)")
            case .zero: driver[bit] = NetGraph.falseLit
            case .input: extraInputs.append(bit)
            }
        }
        var b = AIGBuilder(inputCount: 0, latchCount: 0, expectedAnds: nodeA.count / 2)
        var final = [UInt32](repeating: NetGraph.none, count: nodeA.count)
        final[0] = 0
        for s in inputs {
            let l = b.addInput(name: s.name)
            if bitNode[s.bit] != NetGraph.none { final[Int(bitNode[s.bit])] = l.raw }
        }
        for bit in extraInputs {
            let l = b.addInput(name: describe.name(bit))
            final[Int(bitNode[bit])] = l.raw
        }
        for s in latches {
            let l = b.addLatch(reset: s.reset, name: s.name)
            if bitNode[s.bit] != NetGraph.none { final[Int(bitNode[s.bit])] = l.raw }
        }
        let inProgress = NetGraph.none - 1
        var stack: [UInt32] = []
        stack.reserveCapacity(1024)

        /// `node` is the net placeholder met again while its driver was being resolved.
        func loopError(_ node: UInt32, _ stack: [UInt32]) -> FormatError {
            let bit = Int(nodeB[Int(node)])
            var names: [String] = []
            for n in stack.reversed() where nodeA[Int(n)] == NetGraph.netMark {
                let nb = Int(nodeB[Int(n)])
                names.append(describe.name(nb))
                if nb == bit { break }
                if names.count >= 12 { names.append("..."); break }
            }
            let path = (names.reversed() + [describe.name(bit)]).joined(separator: " -> ")
            return describe.error(driverAt[bit], "combinational loop through net '\(describe.name(bit))' (\(path))")
        }

        func resolve(_ root: UInt32, _ b: inout AIGBuilder, _ final: inout [UInt32], _ stack: inout [UInt32]) throws -> UInt32 {
            let rootNode = root >> 1
            if final[Int(rootNode)] != NetGraph.none && final[Int(rootNode)] != inProgress {
                return final[Int(rootNode)] ^ (root & 1)
            }
            stack.removeAll(keepingCapacity: true)
            stack.append(rootNode)
            while let top = stack.last {
                let t = Int(top)
                let ft = final[t]
                if ft != NetGraph.none && ft != inProgress { stack.removeLast(); continue }
                let na = nodeA[t]
                if na == NetGraph.netMark {
                    let bit = Int(nodeB[t])
                    let d = driver[bit]
                    let c = Int(d >> 1)
                    if ft == NetGraph.none {
                        final[t] = inProgress
                        let fc = final[c]
                        if fc == NetGraph.none { stack.append(UInt32(c)); continue }
                        if fc == inProgress { throw loopError(UInt32(c), stack) }
                    }
                    let fc = final[c]
                    if fc == inProgress || fc == NetGraph.none {
                        throw loopError(nodeA[c] == NetGraph.netMark ? UInt32(c) : top, stack)
                    }
                    final[t] = fc ^ (d & 1)
                    stack.removeLast()
                } else {
                    let nb = nodeB[t]
                    let fa = final[Int(na >> 1)], fb = final[Int(nb >> 1)]
                    if fa == NetGraph.none { stack.append(na >> 1); continue }
                    if fb == NetGraph.none { stack.append(nb >> 1); continue }
                    if fa == inProgress || fb == inProgress {
                        let n = fa == inProgress ? na >> 1 : nb >> 1
                        throw loopError(n, stack)
                    }
                    final[t] = b.and(Literal(raw: fa ^ (na & 1)), Literal(raw: fb ^ (nb & 1))).raw
                    stack.removeLast()
                }
            }
            return final[Int(rootNode)] ^ (root & 1)
        }

        for o in outputs {
            let l = try resolve(o.lit, &b, &final, &stack)
            b.addOutput(Literal(raw: l), name: o.name)
        }
        for (i, s) in latches.enumerated() {
            let l = try resolve(s.next, &b, &final, &stack)
            b.setLatch(i, next: Literal(raw: l))
        }
        return b.finish()
    }
}

/// Line and column (1-based) of a byte offset; used on error paths only.
func lineColumn(_ buf: UnsafeBufferPointer<UInt8>, _ offset: Int) -> (line: Int, column: Int) {
    var line = 1, lineStart = 0, i = 0
    let end = min(max(offset, 0), buf.count)
    while i < end { if buf[i] == 10 { line += 1; lineStart = i + 1 }; i += 1 }
    return (line, end - lineStart + 1)
}

func lineColumn(_ bytes: [UInt8], _ offset: Int) -> (line: Int, column: Int) {
    bytes.withUnsafeBufferPointer { lineColumn($0, offset) }
}

/// Interns byte strings (identifiers) to dense ids with an open-addressing
/// table over a flat byte pool: no String per token.
struct NameInterner {
    private(set) var pool: [UInt8] = []
    private(set) var starts: [Int32] = [0]
    private var slots: [Int32]
    private var hashes: [UInt32] = []
    private var mask: Int

    init(capacity: Int = 1024) {
        var cap = 1024
        while cap < capacity * 2 { cap <<= 1 }
        slots = Array(repeating: -1, count: cap)
        mask = cap - 1
    }

    var count: Int { starts.count - 1 }

    @inline(__always) static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt32 {
        var h: UInt32 = 2166136261
        for i in 0..<n { h = (h ^ UInt32(p[i])) &* 16777619 }
        return h
    }

    mutating func intern(_ s: String) -> Int32 {
        var a = Array(s.utf8)
        let n = a.count
        a.append(0)  // never empty, so the base address exists
        return a.withUnsafeBufferPointer { buf -> Int32 in
            guard let base = buf.baseAddress else { return -1 }
            return intern(base, n)
        }
    }

    /// The id of the bytes `p[0..<n]`, adding them when new.
    @inline(__always) mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        let h = NameInterner.hash(p, n)
        var i = Int(h &* 0x9E37_79B1) & mask
        while true {
            let id = slots[i]
            if id < 0 { break }
            if hashes[Int(id)] == h {
                let s = Int(starts[Int(id)]), e = Int(starts[Int(id) + 1])
                if e - s == n {
                    let same = pool.withUnsafeBufferPointer { pb -> Bool in
                        for k in 0..<n where pb[s + k] != p[k] { return false }
                        return true
                    }
                    if same { return id }
                }
            }
            i = (i + 1) & mask
        }
        let id = Int32(count)
        slots[i] = id
        hashes.append(h)
        pool.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        starts.append(Int32(pool.count))
        if count * 2 > slots.count { grow() }
        return id
    }

    /// The id of a byte string when it is interned, else nil.
    func lookup(_ s: String) -> Int32? {
        let a = Array(s.utf8)
        for id in 0..<count {
            let st = Int(starts[id]), e = Int(starts[id + 1])
            if e - st == a.count && Array(pool[st..<e]) == a { return Int32(id) }
        }
        return nil
    }

    private mutating func grow() {
        let cap = slots.count * 2
        slots = Array(repeating: -1, count: cap)
        mask = cap - 1
        for id in 0..<count {
            var i = Int(hashes[id] &* 0x9E37_79B1) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(id)
        }
    }

    func name(_ id: Int32) -> String {
        guard id >= 0 && Int(id) < count else { return "?" }
        return String(decoding: pool[Int(starts[Int(id)])..<Int(starts[Int(id) + 1])], as: UTF8.self)
    }
}
