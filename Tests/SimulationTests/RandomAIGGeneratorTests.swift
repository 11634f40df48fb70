import Testing
import AIG
import Simulation

@Suite struct RandomAIGGeneratorTests {
    let params = RandomAIGGenerator.Params(inputs: 8, outputs: 2, ands: 50, seed: 7)

    @Test func reproducibleForASeed() {
        let a = RandomAIGGenerator.generateSet(params, count: 5, variants: 2, mutants: 2)
        let b = RandomAIGGenerator.generateSet(params, count: 5, variants: 2, mutants: 2)
        #expect(a.map(\.aig) == b.map(\.aig))
        #expect(a.map(\.name) == b.map(\.name))
        var other = params; other.seed = 8
        let c = RandomAIGGenerator.generateSet(other, count: 5, variants: 2, mutants: 2)
        #expect(a.map(\.aig) != c.map(\.aig))
        // Adding circuits keeps the earlier ones.
        let more = RandomAIGGenerator.generateSet(params, count: 7, variants: 2, mutants: 2)
        #expect(Array(more.prefix(a.count)).map(\.aig) == a.map(\.aig))
    }

    @Test func shapeAndNames() {
        for k in 0..<20 {
            let c = RandomAIGGenerator.circuit(params, index: k)
            #expect(c.inputCount == 8 && c.outputCount == 2)
            #expect(c.invariantViolation() == nil)
            #expect(c.andCount > 35 && c.andCount <= 50 + 3 * 8, "\(c.andCount) ANDs")
            #expect(c.inputNames.first == "i0" && c.outputNames.last == "o1")
        }
    }

    @Test func variantsAreEquivalentAndStructurallyDifferent() {
        var differentFromSource = 0, total = 0
        for k in 0..<50 {
            let items = RandomAIGGenerator.family(params, index: k, variants: 4, mutants: 0)
            let src = items[0].aig
            let key = RandomAIGGenerator.functionKey(src)
            for v in items.dropFirst() {
                total += 1
                #expect(v.aig.invariantViolation() == nil)
                #expect(RandomAIGGenerator.functionKey(v.aig) == key, "\(v.name) is not equivalent to its source")
                if v.aig.ands != src.ands || v.aig.outputs != src.outputs { differentFromSource += 1 }
                #expect(v.aig.inputNames == src.inputNames && v.aig.outputNames == src.outputNames)
            }
            // Variants differ from each other.
            let shapes = Set(items.map { $0.aig.ands.map { UInt64($0.left.raw) << 32 | UInt64($0.right.raw) } })
            #expect(shapes.count == items.count, "family \(k): duplicate structures")
        }
        #expect(differentFromSource == total)
    }

    @Test func mutantsAreSingleGateChangesMostlyDifferent() {
        var different = 0, total = 0
        for k in 0..<50 {
            let items = RandomAIGGenerator.family(params, index: k, variants: 0, mutants: 4)
            let src = items[0].aig
            for m in items.dropFirst() {
                total += 1
                #expect(m.aig.invariantViolation() == nil)
                #expect(m.aig.andCount == src.andCount)
                let changed = zip(m.aig.ands, src.ands).filter { $0 != $1 }.count
                #expect(changed <= 1)
                if RandomAIGGenerator.functionKey(m.aig) != RandomAIGGenerator.functionKey(src) { different += 1 }
            }
        }
        // Most single-gate changes change the function; some are redundant.
        #expect(different > total / 2, "\(different) of \(total) mutants differ")
    }

    @Test func reorderedKeepsFunction() {
        let c = RandomAIGGenerator.circuit(params, index: 3)
        let r = RandomAIGGenerator.reordered(c, seed: 99)
        #expect(r.invariantViolation() == nil)
        #expect(RandomAIGGenerator.functionKey(r) == RandomAIGGenerator.functionKey(c))
    }
}
