import AIG
import Simulation

/// Small seeded random combinational circuits for the decoder's tests and
/// figures (independent of other generators): `inputs` inputs, `outputs`
/// outputs, ANDs over random earlier literals, outputs driven by the last
/// nodes, dangling logic removed. The AND count lies in `ands` (retried with
/// the next seed, up to 100 times, when hashing or cleanup leaves fewer).
public func randomDecoderCircuit(seed: UInt64, inputs: Int = 8, outputs: Int = 2, ands: ClosedRange<Int> = 10...40) -> AIG {
    var rng = Xoshiro256StarStar(seed: seed)
    @inline(__always) func below(_ n: Int) -> Int { Int(rng.next() % UInt64(max(1, n))) }
    var best = AIG(inputCount: inputs)
    for _ in 0..<100 {
        let want = ands.lowerBound + below(ands.count)
        var b = AIGBuilder(inputCount: inputs, expectedAnds: want)
        var lits: [Literal] = (0..<inputs).map { b.input($0) }
        var tries = 0
        var unused: [Int] = Array(0..<inputs)
        while b.aig.andCount < want && tries < 20 * want {
            tries += 1
            // Uniform over all earlier literals (inputs and nodes), random polarity;
            // the first operand is a node not yet used (when there is one) so that little logic dangles.
            let a = lits[unused.isEmpty ? below(lits.count) : unused.remove(at: below(unused.count))].complemented(if: below(2) == 1)
            let c = lits[below(lits.count)].complemented(if: below(2) == 1)
            let l = b.and(a, c)
            if !l.isConstant && Int(l.variable) > inputs && !lits.contains(l.regular) { lits.append(l.regular); unused.append(lits.count - 1) }
        }
        for o in 0..<outputs {
            let k = o == 0 ? lits.count - 1 : lits.count - 1 - below(max(1, (lits.count - inputs) / 2))
            b.addOutput(lits[max(0, k)].complemented(if: below(2) == 1))
        }
        let g = b.finish().cleanedUp()
        best = g
        if ands.contains(g.andCount) { return g }
    }
    return best
}
