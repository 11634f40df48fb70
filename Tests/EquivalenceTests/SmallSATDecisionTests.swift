import Testing
import AIG
import Simulation
@testable import Equivalence

/// Branching restricted to a query's cone (how SAT sweeping calls the
/// built-in solver while it holds many other cones): every answer equals
/// exhaustive simulation, and every model's inputs really separate the pair.
@Suite struct SmallSATDecisionTests {
    @Test func restrictedBranchingMatchesExhaustiveSimulation() throws {
        var checked = 0, sat = 0
        for seed in UInt64(1)...6 {
            let aig = RandomCircuits.aig(inputs: 12, ands: 250, outputs: 4, seed: seed)
            // The whole circuit in one solver, Tseitin-encoded (variable v ↦ v).
            var solver = SmallSAT()
            for _ in 0...aig.maxVariable { _ = solver.newVariable() }
            solver.addClause(1)   // variable 0 is constant false
            let first = aig.firstAndVariable
            for (k, a) in aig.ands.enumerated() {
                let n = Int32(2 * (first + k)), l = Int32(a.left.raw), r = Int32(a.right.raw)
                solver.addClause(n ^ 1, l); solver.addClause(n ^ 1, r); solver.addClause(n, l ^ 1, r ^ 1)
            }
            let all = try #require(PatternSet.exhaustive(inputCount: 12))
            var sim = Simulator()
            sim.simulate(aig, patterns: all)
            var cone = ConeCollector()
            for k in stride(from: 0, to: aig.andCount - 1, by: 9) {
                let x = first + k, y = first + (k * 37 + 11) % aig.andCount
                cone.collect(aig, [x, y])
                let decisions = cone.ands + cone.inputs
                for complemented in [false, true] {
                    let differ = (0..<all.count).contains { p in
                        sim.value(Literal(variable: UInt32(x)), pattern: p) != (sim.value(Literal(variable: UInt32(y)), pattern: p) != complemented)
                    }
                    let lx = Int32(2 * x), ly = Int32(2 * y) ^ (complemented ? 1 : 0)
                    var found = false
                    for (p, q) in [(lx, ly ^ 1), (lx ^ 1, ly)] {
                        let answer = solver.solve(assumptions: [p, q], conflictLimit: 0, decisionVariables: decisions)
                        #expect(answer != .unknown)
                        guard answer == .sat else { continue }
                        found = true
                        // The model's inputs (others free: false) separate x and y.
                        var s = Simulator()
                        s.prepare(aig, words: 1)
                        for i in 0..<aig.inputCount {
                            let value = solver.modelValue(Int32(i + 1))
                            s.withInputWords(i) { $0[0] = value ? ~0 : 0 }
                        }
                        s.run(aig)
                        let vx = s.value(Literal(variable: UInt32(x)), pattern: 0)
                        let vy = s.value(Literal(variable: UInt32(y)), pattern: 0) != complemented
                        #expect(vx != vy, "seed \(seed): model does not separate \(x), \(y)")
                        break
                    }
                    #expect(found == differ, "seed \(seed) pair \(x) \(y) complemented \(complemented)")
                    checked += 1
                    if found { sat += 1 }
                }
            }
        }
        #expect(checked > 100)
        #expect(sat > 10 && sat < checked)
    }
}
