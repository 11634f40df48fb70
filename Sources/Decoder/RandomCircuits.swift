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
        while b.aig.andCount < want && tries < 20 * want {
            tries += 1
            // Prefer recent nodes so that the logic is deep as well as wide.
            let pick = { () -> Literal in
                let k = lits.count - 1 - min(lits.count - 1, below(min(lits.count, 12)) * (below(3) == 0 ? 3 : 1))
                return lits[max(0, k)].complemented(if: below(2) == 1)
            }
            let l = b.and(pick(), pick())
            if !l.isConstant && Int(l.variable) > inputs && !lits.contains(l.regular) { lits.append(l.regular) }
        }
        for o in 0..<outputs { b.addOutput(lits[lits.count - 1 - min(lits.count - 1, o * 2)].complemented(if: below(2) == 1)) }
        let g = b.finish().cleanedUp()
        best = g
        if ands.contains(g.andCount) { return g }
    }
    return best
}
