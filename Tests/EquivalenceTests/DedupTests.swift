import Foundation
import Testing
import AIG
import Simulation
@testable import Equivalence

/// Ground truth by exact truth tables: class ids of `items` (same id ⇔ same function).
func groundTruthClasses(_ aigs: [AIG]) -> [Int] {
    var ids: [[UInt64]: Int] = [:]
    return aigs.map { a in
        let key = RandomAIGGenerator.functionKey(a) ?? []
        if let id = ids[key] { return id }
        ids[key] = ids.count
        return ids.count - 1
    }
}

/// True when two labelings define the same partition.
func samePartition(_ x: [Int], _ y: [Int]) -> Bool {
    guard x.count == y.count else { return false }
    var xy: [Int: Int] = [:], yx: [Int: Int] = [:]
    for (a, b) in zip(x, y) {
        if let m = xy[a], m != b { return false }
        if let m = yx[b], m != a { return false }
        xy[a] = b; yx[b] = a
    }
    return true
}

@Suite struct DedupTests {
    /// The acceptance set: random functions × equivalent variants × mutants.
    /// 2,000 circuits in CI; MITER_DEDUP_FULL=1 runs the full 10,000.
    @Test func classesEqualGroundTruth() {
        let full = ProcessInfo.processInfo.environment["MITER_DEDUP_FULL"] != nil
        let families = full ? 1000 : 200
        let p = RandomAIGGenerator.Params(inputs: 8, outputs: 2, ands: 50, seed: 1)
        let items = RandomAIGGenerator.generateSet(p, count: families, variants: 5, mutants: 4)
        #expect(items.count == families * 10)
        let aigs = items.map(\.aig)
        let truth = groundTruthClasses(aigs)
        var params = Dedup.Params()
        params.jobs = 2
        let r = Dedup.run(aigs, params: params)
        #expect(samePartition(r.classOf, truth))
        #expect(r.stats.classes == Set(truth).count)
        #expect(r.stats.undecided == 0 && r.openPairs.isEmpty)
        #expect(r.stats.satCalls == 0)   // 8 inputs: exhaustive simulation decides
        #expect(r.stats.comparisons >= items.count - r.stats.classes)
        print("dedup \(items.count) circuits: \(r.stats.classes) classes, \(r.stats.comparisons) comparisons, hash \(r.stats.hashSeconds) s, prove \(r.stats.proveSeconds) s")
        // Every class member is a member; representatives are the smallest.
        for c in r.classes {
            #expect(c.members.contains(c.representative))
            #expect(c.members.allSatisfy { aigs[$0].andCount >= aigs[c.representative].andCount })
        }
    }

    @Test func keepFirstAndSingleJob() {
        let p = RandomAIGGenerator.Params(inputs: 6, outputs: 1, ands: 20, seed: 3)
        let aigs = RandomAIGGenerator.generateSet(p, count: 30, variants: 2, mutants: 2).map(\.aig)
        var params = Dedup.Params()
        params.jobs = 1
        params.keep = .first
        let r = Dedup.run(aigs, params: params)
        #expect(samePartition(r.classOf, groundTruthClasses(aigs)))
        for c in r.classes { #expect(c.representative == c.members[0]) }
        #expect(r.classes.map { $0.members[0] } == r.classes.map { $0.members[0] }.sorted())
    }

    /// With random-pattern hashing (BDDs off: they would make this hash exact),
    /// circuits that differ on one minterm in 2^24 share a hash, and the
    /// checker must split the bucket.
    @Test func hashCollisionSplitsBucket() {
        let p = RandomAIGGenerator.Params(inputs: 24, outputs: 1, ands: 40, seed: 5)
        let base = RandomAIGGenerator.circuit(p, index: 0)
        var b = AIGBuilder(base)
        // One minterm with alternating polarities: no density of random patterns hits it.
        let all = b.and((0..<24).map { b.input($0).complemented(if: $0 % 2 == 1) })
        let o = b.xor(base.outputs[0], all)
        var rare = b.finish(); rare.outputs[0] = o
        let variant = RandomAIGGenerator.variant(of: base, seed: 11)
        let r = Dedup.run([base, rare, variant], params: { var q = Dedup.Params(); q.jobs = 1; q.hash.bddNodeLimit = 0; return q }())
        #expect(r.hashes[0] == r.hashes[1])   // a real collision
        // The default (BDD) hash tells them apart.
        let exact = Dedup.run([base, rare, variant], params: { var q = Dedup.Params(); q.jobs = 1; return q }())
        #expect(exact.hashes[0] != exact.hashes[1] && exact.classOf == [0, 1, 0] && exact.stats.collisions == 0)
        #expect(r.classOf == [0, 1, 0])
        #expect(r.stats.collisions == 1 && r.stats.refutations == 1)
        #expect(r.stats.buckets == 1)
    }

    @Test func undecidedPairsAreNeverMerged() {
        // A tiny timeout on 20-input circuits: comparisons that reach the solver go undecided.
        let p = RandomAIGGenerator.Params(inputs: 40, outputs: 1, ands: 400, seed: 9)
        let base = RandomAIGGenerator.circuit(p, index: 0)
        let variant = RandomAIGGenerator.variant(of: base, seed: 1)
        var params = Dedup.Params()
        params.timeout = 1e-9
        params.jobs = 1
        let r = Dedup.run([base, variant], params: params)
        if r.stats.undecided > 0 {
            #expect(r.classOf == [0, 1])
            #expect(r.openPairs.count == 1)
        } else {
            #expect(r.classOf == [0, 0])   // decided before the deadline was checked
        }
    }

    @Test func byNameMatchesPermutedPorts() {
        let p = RandomAIGGenerator.Params(inputs: 5, outputs: 2, ands: 20, seed: 2)
        let a = RandomAIGGenerator.circuit(p, index: 0)
        // The same circuit with its outputs listed in the other order.
        var swapped = a
        swapped.outputs.reverse(); swapped.outputNames.reverse()
        var params = Dedup.Params(); params.jobs = 1
        #expect(Dedup.run([a, swapped], params: params).stats.classes == 2)
        params.byName = true
        #expect(Dedup.run([a, swapped], params: params).stats.classes == 1)
    }

    @Test func emptyAndSingle() {
        #expect(Dedup.run([]).classes.isEmpty)
        let r = Dedup.run([AIG(inputCount: 2)])
        #expect(r.classes == [Dedup.Class(representative: 0, members: [0])])
    }
}
