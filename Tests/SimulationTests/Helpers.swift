import AIG
import AIGFormats
import Foundation
import Simulation
import TestSupport

/// A small deterministic generator for test circuits (not the pattern PRNG).
struct TestRNG {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func bool() -> Bool { next() & 1 == 1 }
}

/// A random combinational AIG: `ands` random ANDs over random earlier literals.
func randomAIG(inputs: Int, outputs: Int, ands: Int, latches: Int = 0, seed: UInt64) -> AIG {
    var rng = TestRNG(seed)
    var b = AIGBuilder(inputCount: inputs, latchCount: latches, expectedAnds: ands)
    var lits: [Literal] = (0..<inputs).map { b.input($0) } + (0..<latches).map { b.latch($0) }
    var attempts = 0
    while lits.count < inputs + latches + ands && attempts < ands * 20 {
        attempts += 1
        let x = lits[rng.below(lits.count)].complemented(if: rng.bool())
        let y = lits[rng.below(lits.count)].complemented(if: rng.bool())
        let z = b.and(x, y)
        if !z.isConstant && !lits.contains(z.regular) { lits.append(z.regular) }
    }
    for o in 0..<outputs {
        let pick = lits.count - 1 - rng.below(min(lits.count, max(1, ands / 2)))
        b.addOutput(lits[max(0, pick)].complemented(if: rng.bool()), name: "o\(o)")
    }
    for j in 0..<latches { b.setLatch(j, next: lits[rng.below(lits.count)].complemented(if: rng.bool())) }
    var aig = b.finish()
    aig.inputNames = (0..<inputs).map { "i\($0)" }
    return aig
}

/// A single-gate mutant: the polarity of one fanin of AND `k` flipped.
func mutant(_ aig: AIG, and k: Int, right: Bool) -> AIG {
    var m = aig
    if right { m.ands[k].right = !m.ands[k].right } else { m.ands[k].left = !m.ands[k].left }
    return m
}

func hex(_ x: UInt64) -> String {
    let s = String(x, radix: 16)
    return "0x" + String(repeating: "0", count: 16 - s.count) + s
}

enum Shared {
    static func epfl(_ relative: String) -> String? {
        guard let root = TestSupport.sharedCircuits else { return nil }
        let p = root.appendingPathComponent("epfl/" + relative).path
        return FileManager.default.fileExists(atPath: p) ? p : nil
    }
    /// Small EPFL circuits used for mutant sweeps (fast in debug builds).
    static let smallCircuits = ["random_control/ctrl.aig", "random_control/int2float.aig", "random_control/dec.aig",
                                "random_control/cavlc.aig", "random_control/router.aig", "random_control/priority.aig"]
}
