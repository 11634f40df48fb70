import AIG
import Simulation

/// Register (latch) names as synthesis tools write them, reduced to one key
/// per register so that `q_reg[3]`, `\q_reg[3] `, `q_reg_3_`, `q[3]`, `q(3)`
/// and `q.3` meet, and so do `u1/q`, `u1.q` and `u1_q`.
public enum RegisterNames {
    /// The names one latch symbol holds: Yosys's AIGER writer lists every
    /// alias of a latch's net on its symbol line (`cnt[0] count[0]`), so a
    /// symbol with spaces is read as several names.
    public static func aliases(_ symbol: String) -> [String] {
        symbol.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// The normalised key of one register name:
    /// 1. surrounding spaces and a leading `\` (Verilog escaped identifier) go;
    /// 2. trailing bit indices `[3]`, `(3)`, `<3>`, `_3_`, `.3` (repeated for
    ///    `mem[2][3]` or `mem_2__3_`) become `[3]`;
    /// 3. a `_reg` suffix before the indices (or at the end) goes;
    /// 4. the hierarchy separators `/`, `.`, `_` (and inner brackets) become `.`, runs collapsed.
    /// `q_reg_3_` → `q[3]`, `u1/sh_reg[0]` → `u1.sh[0]`. Pure; no name is rejected.
    public static func normalize(_ name: String) -> String {
        var s = Array(name.trimmingSpaces.unicodeScalars)
        if s.first == "\\" { s.removeFirst(); s = Array(String(String.UnicodeScalarView(s)).trimmingSpaces.unicodeScalars) }
        var indices: [Int] = []
        while let (index, rest) = trailingIndex(s) {
            indices.append(index)
            s = rest
        }
        let suffix: [Unicode.Scalar] = ["_", "r", "e", "g"]
        if s.count > suffix.count && Array(s.suffix(suffix.count)) == suffix { s.removeLast(suffix.count) }
        var base = ""
        var pendingSeparator = false
        for c in s {
            if separators.contains(c) { pendingSeparator = !base.isEmpty; continue }
            if pendingSeparator { base.unicodeScalars.append("."); pendingSeparator = false }
            base.unicodeScalars.append(c)
        }
        return base + indices.reversed().map { "[\($0)]" }.joined()
    }

    static let separators: Set<Unicode.Scalar> = ["/", ".", "_", "[", "]", "(", ")", "<", ">"]

    /// `[N]`, `(N)`, `<N>`, `_N_` or `.N` at the end of `s`: N and what precedes it.
    static func trailingIndex(_ s: [Unicode.Scalar]) -> (Int, [Unicode.Scalar])? {
        guard let last = s.last else { return nil }
        let open: Unicode.Scalar?
        switch last {
        case "]": open = "["
        case ")": open = "("
        case ">": open = "<"
        case "_": open = "_"
        default: open = nil
        }
        var end = s.count
        if open != nil { end -= 1 }
        var start = end
        while start > 0 && s[start - 1].value >= 48 && s[start - 1].value <= 57 { start -= 1 }
        // 1–9 digits (no overflow), preceded by the opening bracket (or `.` when unbracketed).
        guard start < end, end - start <= 9, start > 0 else { return nil }
        let digits = String(String.UnicodeScalarView(s[start..<end]))
        guard let n = Int(digits) else { return nil }
        if let open {
            guard s[start - 1] == open else { return nil }
        } else {
            guard s[start - 1] == "." else { return nil }
        }
        let rest = Array(s[0..<(start - 1)])
        return rest.isEmpty ? nil : (n, rest)
    }
}

extension String {
    var trimmingSpaces: String {
        let u = unicodeScalars
        guard let first = u.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = u.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(u[first...last])
    }
}

/// Which register (latch) of one circuit corresponds to which of the other,
/// so that a combinational check over cut latches compares next states
/// pairwise: first by name (exact, then normalised: `RegisterNames`), then by
/// functional signature: both circuits are simulated on the same random
/// input patterns, paired registers' current states getting the same random
/// values, and registers whose next-state signatures are equal and unique on
/// both sides are paired (repeated while that pairs more).
///
/// Pairs by signature are a hypothesis that the check then proves or refutes:
/// an `equivalent` verdict holds for whatever pairing it was given, so a wrong
/// pairing can only give `not equivalent`, never a false `equivalent`.
/// Ambiguous names (two registers of one circuit with the same key) are left
/// to the signatures, never guessed.
public struct RegisterMatching: Sendable, Equatable, Codable {
    public enum Method: String, Sendable, Codable, CaseIterable {
        case name, signature, position
    }

    public struct Pair: Sendable, Equatable, Codable {
        /// Register indices in A and in B.
        public var a: Int
        public var b: Int
        public var nameA: String
        public var nameB: String
        public var method: Method
    }

    public struct Params: Sendable, Equatable, Codable {
        /// Pair registers by position instead of by name and signature.
        public var byPosition = false
        /// Use signatures for the registers names leave unpaired.
        public var signatures = true
        /// Simulation words (64 patterns each) of a signature.
        public var signatureWords = 8
        /// Signature rounds at most (each round pairs what it can given the earlier pairs).
        public var maxSignatureRounds = 64
        public var seed: UInt64 = 0x5EED_4E67
        public init() {}
    }

    public struct Stats: Sendable, Equatable, Codable {
        /// Pairs by identical names and by equal normalised names.
        public var exactNames = 0
        public var normalisedNames = 0
        public var signatures = 0
        public var positions = 0
        /// Keys shared by two or more registers of one circuit (left to signatures).
        public var ambiguousKeys = 0
        public var signatureRounds = 0
        public var seconds = 0.0
        public init() {}
    }

    /// In A's register order.
    public var pairs: [Pair] = []
    /// Registers of A and of B left unpaired (indices).
    public var unmatchedA: [Int] = []
    public var unmatchedB: [Int] = []
    public var unmatchedNamesA: [String] = []
    public var unmatchedNamesB: [String] = []
    /// Pairs (indices into `pairs`) whose registers have different initial values.
    public var resetMismatches: [Int] = []
    public var stats = Stats()

    public func count(_ m: Method) -> Int { pairs.reduce(0) { $0 + ($1.method == m ? 1 : 0) } }
    public var isComplete: Bool { unmatchedA.isEmpty && unmatchedB.isEmpty }

    /// A register's display name: its symbol, or `latchK` when it has none (as `cuttingLatches` names it).
    public static func displayName(_ c: AIG, _ i: Int) -> String { c.latchNames[i] ?? "latch\(i)" }

    /// Pairs the registers of `a` and `b`.
    /// - Parameter inputOfB: for each primary input of B, the shared input it
    ///   reads (`PortMatching.inputOfB` of the primary ports): signatures give
    ///   matched inputs the same values.
    public static func match(_ a: AIG, _ b: AIG, inputOfB: [Int], params: Params = Params()) -> RegisterMatching {
        let t0 = now()
        var pb = [Int?](repeating: nil, count: a.latchCount)   // partner in B of A's register
        var pa = [Int?](repeating: nil, count: b.latchCount)
        var method = [Method](repeating: .name, count: a.latchCount)
        var stats = Stats()
        func pair(_ i: Int, _ j: Int, _ m: Method) { pb[i] = j; pa[j] = i; method[i] = m }

        if params.byPosition {
            for i in 0..<min(a.latchCount, b.latchCount) { pair(i, i, .position) }
            stats.positions = min(a.latchCount, b.latchCount)
        } else {
            // 1. Identical names, unique on both sides.
            var exactA: [String: [Int]] = [:], exactB: [String: [Int]] = [:]
            for (i, n) in a.latchNames.enumerated() { if let n { exactA[n.trimmingSpaces, default: []].append(i) } }
            for (j, n) in b.latchNames.enumerated() { if let n { exactB[n.trimmingSpaces, default: []].append(j) } }
            for (n, is_) in exactA where is_.count == 1 && !n.isEmpty {
                if let js = exactB[n], js.count == 1 { pair(is_[0], js[0], .name); stats.exactNames += 1 }
            }
            // 2. Normalised names of the rest: a key that one register on each
            // side holds proposes that pair; a register proposed two partners gets none.
            func keys(_ c: AIG, _ i: Int) -> Set<String> {
                guard let n = c.latchNames[i] else { return [] }
                return Set(RegisterNames.aliases(n).map(RegisterNames.normalize).filter { !$0.isEmpty })
            }
            var holdersA: [String: [Int]] = [:], holdersB: [String: [Int]] = [:]
            for i in 0..<a.latchCount where pb[i] == nil { for k in keys(a, i) { holdersA[k, default: []].append(i) } }
            for j in 0..<b.latchCount where pa[j] == nil { for k in keys(b, j) { holdersB[k, default: []].append(j) } }
            var proposedB: [Int: Set<Int>] = [:], proposedA: [Int: Set<Int>] = [:]
            for (k, is_) in holdersA {
                guard let js = holdersB[k] else { continue }
                if is_.count > 1 || js.count > 1 { stats.ambiguousKeys += 1; continue }
                proposedB[is_[0], default: []].insert(js[0])
                proposedA[js[0], default: []].insert(is_[0])
            }
            for k in holdersB.keys where holdersA[k] == nil && (holdersB[k]?.count ?? 0) > 1 { stats.ambiguousKeys += 1 }
            for (i, js) in proposedB.sorted(by: { $0.key < $1.key }) where js.count == 1 {
                if let j = js.first, proposedA[j] == [i] { pair(i, j, .name); stats.normalisedNames += 1 }
            }
            // 3. Signatures of the next-state functions.
            if params.signatures {
                var round = 0
                while round < params.maxSignatureRounds, pb.contains(nil), pa.contains(nil) {
                    round += 1
                    let sa = signatures(a, side: 0, inputs: Array(0..<a.inputCount),
                                        pairedWith: (0..<a.latchCount).map { pb[$0] == nil ? nil : $0 }, params)
                    let sb = signatures(b, side: 1, inputs: inputOfB, pairedWith: pa, params)
                    var byA: [[UInt64]: [Int]] = [:], byB: [[UInt64]: [Int]] = [:]
                    for i in 0..<a.latchCount where pb[i] == nil { byA[sa[i], default: []].append(i) }
                    for j in 0..<b.latchCount where pa[j] == nil { byB[sb[j], default: []].append(j) }
                    var progress = false
                    for (sig, is_) in byA where is_.count == 1 {
                        if let js = byB[sig], js.count == 1 { pair(is_[0], js[0], .signature); stats.signatures += 1; progress = true }
                    }
                    if !progress { break }
                }
                stats.signatureRounds = round
            }
        }

        var r = RegisterMatching()
        for i in 0..<a.latchCount {
            if let j = pb[i] {
                r.pairs.append(Pair(a: i, b: j, nameA: displayName(a, i), nameB: displayName(b, j), method: method[i]))
                let ra = a.latches[i].reset, rb = b.latches[j].reset
                if ra != rb && ra != .uninitialized && rb != .uninitialized { r.resetMismatches.append(r.pairs.count - 1) }
            } else {
                r.unmatchedA.append(i); r.unmatchedNamesA.append(displayName(a, i))
            }
        }
        for j in 0..<b.latchCount where pa[j] == nil { r.unmatchedB.append(j); r.unmatchedNamesB.append(displayName(b, j)) }
        stats.seconds = now() - t0
        r.stats = stats
        return r
    }

    /// Next-state signatures of every register of `c`. Primary input k gets
    /// the words of shared input `inputs[k]`; a paired register's current
    /// state the words of its pair (`pairedWith`: the A register's index),
    /// an unpaired one words of its own, different on each side.
    static func signatures(_ c: AIG, side: UInt64, inputs: [Int], pairedWith: [Int?], _ params: Params) -> [[UInt64]] {
        var sim = Simulator()
        sim.prepare(c, words: max(1, params.signatureWords))
        func fill(_ variable: Int, _ rng: Xoshiro256StarStar) {
            var rng = rng
            sim.withInputWords(variable) { buf in for x in 0..<buf.count { buf[x] = rng.next() } }
        }
        for k in 0..<c.inputCount { fill(k, Patterns.stream(seed: params.seed, input: inputs[k])) }
        for j in 0..<c.latchCount {
            if let p = pairedWith[j] {
                fill(c.inputCount + j, Patterns.stream(seed: params.seed &+ 1, input: p))
            } else {
                fill(c.inputCount + j, Patterns.stream(seed: params.seed &+ 2 &+ side, input: j))
            }
        }
        sim.run(c)
        return c.latches.map { sim.literalWords($0.next) }
    }
}
