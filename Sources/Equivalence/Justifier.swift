import AIG
import Simulation

/// Separates a candidate pair without the solver when that is easy: a
/// PODEM-style search (objective, backtrace to an input, three-valued
/// implication over the pair's cone, bounded backtracking) for an input
/// vector on which the two nodes differ.
///
/// Why: on control logic most false candidates are nodes that random
/// simulation sees as (nearly) constant; each needs its own rare vector,
/// and a Z3 call costs milliseconds while this costs microseconds. It only
/// ever *refutes* (the vector is re-simulated before use); proofs stay with
/// exhaustive simulation, cut proofs and Z3.
struct Justifier {
    struct Params {
        /// Backtracks per goal before giving up (then Z3 decides). Default 64.
        var maxBacktracks = 64
        /// Node evaluations per pair before giving up. Default 100,000 (about
        /// 100 µs): big arithmetic cones of truly equal pairs must not pay more.
        var maxWork = 100_000
        /// Only pairs whose node is this rare (ones per 256 random patterns, or
        /// zeros) are tried: false candidates that random simulation cannot
        /// split are nearly constant; balanced pairs are nearly always equal.
        /// Default 16 (1/16).
        var maxRareOnes = 128
    }

    var params = Params()
    private let first: Int
    private let inputCount: Int
    /// Per variable: ones among the first 256 random patterns (backtrace hint).
    private var ones: [UInt16]
    /// Three-valued values (0, 1, 2 = unknown), meaningful on the current cone only.
    private var value: [UInt8]
    private var collector = ConeCollector()
    /// AND variables of the current pair's cone, in topological order.
    private var cone: [Int32] = []
    private var decided: [UInt8]
    private var decisions: [(input: Int32, value: UInt8, flipped: Bool)] = []
    private var work = 0

    init(_ m: AIG, sim: Simulator) {
        first = m.firstAndVariable
        inputCount = m.inputCount
        let n = m.maxVariable + 1
        let w = sim.wordsPerVariable, hint = min(4, w)
        ones = sim.withValues { vals in
            (0..<n).map { v in
                var c = 0
                for i in 0..<hint { c += vals[v * w + i].nonzeroBitCount }
                return UInt16(c * 256 / (64 * hint))
            }
        }
        value = [UInt8](repeating: 2, count: n)
        decided = [UInt8](repeating: 2, count: n)
    }

    /// An input vector on which variable `v` differs from variable `r`
    /// complemented by `complemented`, or nil when none was found cheaply.
    mutating func separate(_ m: AIG, _ v: Int, _ r: Int, complemented: Bool) -> [Bool]? {
        guard min(Int(ones[v]), 256 - Int(ones[v])) <= params.maxRareOnes else { return nil }
        collectCone(m, v, r)
        work = 0
        // First try v at its rare value (what random simulation did not see).
        let rare: UInt8 = ones[v] < 128 ? 1 : 0
        for x in [rare, rare ^ 1] {
            let wantR = x ^ 1 ^ (complemented ? 1 : 0)
            if r == 0 && wantR == 1 { continue }   // the constant is 0
            if search(m, (v, x), (r, wantR)) {
                var vector = [Bool](repeating: false, count: inputCount)
                for d in decisions { vector[Int(d.input) - 1] = d.value == 1 }
                clearDecisions()
                return vector
            }
            clearDecisions()
        }
        return nil
    }

    private mutating func collectCone(_ m: AIG, _ v: Int, _ r: Int) {
        collector.collect(m, [v, r])
        cone = collector.ands.sorted()
        value[0] = 0
    }

    private mutating func clearDecisions() {
        for d in decisions { decided[Int(d.input)] = 2 }
        decisions.removeAll(keepingCapacity: true)
    }

    /// Three-valued simulation of the cone from the decided inputs.
    private mutating func imply(_ m: AIG) {
        for x in collector.inputs { value[Int(x)] = decided[Int(x)] }
        m.ands.withUnsafeBufferPointer { ands in
            for x in cone {
                let f = ands[Int(x) - first]
                let a = litValue(f.left), b = litValue(f.right)
                value[Int(x)] = a == 0 || b == 0 ? 0 : (a == 1 && b == 1 ? 1 : 2)
            }
        }
    }

    @inline(__always) private func litValue(_ l: Literal) -> UInt8 {
        let x = value[Int(l.variable)]
        return x == 2 ? 2 : x ^ (l.isComplemented ? 1 : 0)
    }

    private mutating func search(_ m: AIG, _ goalA: (Int, UInt8), _ goalB: (Int, UInt8)) -> Bool {
        var backtracks = 0
        while true {
            work += cone.count
            if work > params.maxWork { return false }
            imply(m)
            let va = value[goalA.0], vb = value[goalB.0]
            if va == goalA.1 && vb == goalB.1 { return true }
            var conflict = (va != 2 && va != goalA.1) || (vb != 2 && vb != goalB.1)
            if !conflict {
                let goal = va == 2 ? goalA : goalB
                if let (input, x) = backtrace(m, goal.0, goal.1) {
                    decided[input] = x
                    decisions.append((Int32(input), x, false))
                    continue
                }
                conflict = true
            }
            // Backtrack: drop flipped decisions, flip the latest unflipped one.
            while let last = decisions.last, last.flipped {
                decided[Int(last.input)] = 2
                decisions.removeLast()
            }
            guard var last = decisions.popLast() else { return false }
            backtracks += 1
            if backtracks > params.maxBacktracks { decided[Int(last.input)] = 2; return false }
            last.value ^= 1; last.flipped = true
            decided[Int(last.input)] = last.value
            decisions.append(last)
        }
    }

    /// From an unknown node and its wanted value down to an undecided input.
    private func backtrace(_ m: AIG, _ node: Int, _ want: UInt8) -> (Int, UInt8)? {
        var n = node, w = want
        while n >= first {
            let f = m.ands[n - first]
            var best: (Int, UInt8)? = nil
            var bestScore = -1
            for l in [f.left, f.right] where value[Int(l.variable)] == 2 {
                let need = w ^ (l.isComplemented ? 1 : 0)   // value the fanin variable must take
                let p1 = Int(ones[Int(l.variable)])
                let easy = need == 1 ? p1 : 256 - p1
                // Output 1 needs both fanins: take the hardest first. Output 0 needs one: the easiest.
                let score = w == 1 ? 256 - easy : easy
                if score > bestScore { bestScore = score; best = (Int(l.variable), need) }
            }
            guard let (next, need) = best else { return nil }
            n = next; w = need
        }
        return n >= 1 && n <= inputCount ? (n, w) : nil
    }
}
