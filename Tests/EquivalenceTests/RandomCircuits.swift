import AIG
import Simulation

/// Small reproducible circuit generators for the checker's tests.
enum RandomCircuits {
    /// A random combinational AIG; ANDs prefer recent nodes so the logic is deep.
    static func aig(inputs: Int, ands: Int, outputs: Int, seed: UInt64) -> AIG {
        var rng = SplitMix64(seed: seed)
        var b = AIGBuilder(inputCount: inputs, expectedAnds: ands)
        var pool: [Literal] = (0..<inputs).map { b.input($0) }
        func pick() -> Literal {
            let r = rng.next()
            let recent = min(pool.count, 2 * inputs)
            let index = r & 1 == 0 ? pool.count - 1 - Int((r >> 1) % UInt64(recent)) : Int((r >> 1) % UInt64(pool.count))
            return pool[index].complemented(if: (r >> 40) & 1 == 1)
        }
        var attempts = 0
        while b.aig.andCount < ands && attempts < ands * 20 {
            attempts += 1
            let l = b.and(pick(), pick())
            if !l.isConstant && l.variable > UInt32(inputs) && l.variable == UInt32(b.aig.maxVariable) { pool.append(l.regular) }
        }
        for k in 0..<outputs {
            let l = pool[pool.count - 1 - (k % pool.count)]
            b.addOutput(l.complemented(if: rng.next() & 1 == 1), name: "o\(k)")
        }
        var aig = b.finish()
        aig.inputNames = (0..<inputs).map { "i\($0)" }
        return aig
    }

    /// The same functions built differently: ANDs re-associated
    /// (`(c∧d)∧y → c∧(d∧y)`) and some padded with absorbed logic (`x → x∧(x∨i)`),
    /// so structural hashing alone cannot show the equivalence.
    static func restructured(_ aig: AIG) -> AIG {
        var b = AIGBuilder(inputCount: aig.inputCount)
        var map = [Literal](repeating: .false, count: aig.maxVariable + 1)
        for i in 0..<aig.inputCount { map[i + 1] = b.input(i) }
        for (k, a) in aig.ands.enumerated() {
            var x = map.translate(a.left), y = map.translate(a.right)
            if k % 5 == 0 { x = b.and(x, b.or(x, b.input(k % aig.inputCount))) }
            if !x.isComplemented, Int(x.variable) >= b.firstAndVariable, k % 2 == 0 {
                let f = b.fanins(ofVariable: Int(x.variable))
                map[aig.firstAndVariable + k] = b.and(f.left, b.and(f.right, y))
            } else {
                map[aig.firstAndVariable + k] = b.and(y, x)
            }
        }
        for (i, o) in aig.outputs.enumerated() { b.addOutput(map.translate(o), name: aig.outputNames[i]) }
        var out = b.finish().cleanedUp()
        out.inputNames = aig.inputNames
        return out
    }

    /// Flips the polarity of one fanin of AND `index` (a single-gate mutant).
    static func mutant(_ aig: AIG, and index: Int, left: Bool) -> AIG {
        var m = aig
        var f = m.ands[index]
        if left { f.left = !f.left } else { f.right = !f.right }
        m.ands[index] = AndFanins(f.left, f.right)
        return m
    }

    /// Output `output` XOR-ed with the AND of the first `width` inputs in
    /// alternating polarity (x0 ∧ ¬x1 ∧ x2 …): a difference on one minterm in
    /// 2^width that neither uniform nor skewed-density random patterns hit.
    static func rareDifference(_ aig: AIG, output: Int, width: Int) -> AIG {
        var b = AIGBuilder(aig)
        let all = b.and((0..<width).map { b.input($0).complemented(if: $0 % 2 == 1) })
        let o = b.xor(aig.outputs[output], all)
        var out = b.finish()
        out.outputs[output] = o
        return out
    }
}
