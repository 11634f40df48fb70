import Foundation
import Testing
import AIG
import AIGFormats
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

@Suite struct DedupReportTests {
    static func parse(_ text: String) throws -> AIG { try AIGERReader.parse(Array(text.utf8), file: "t.aag") }

    /// `.auto`: named circuits by name, unnamed ones by position, never one class of both.
    @Test func autoMatchingKeepsClassesHomogeneous() throws {
        let first = try Self.parse("aag 3 2 0 1 1\n2\n4\n6\n6 2 5\ni0 a\ni1 b\no0 y\n")
        let second = try Self.parse("aag 3 2 0 1 1\n2\n4\n6\n6 4 3\ni0 b\ni1 a\no0 y\n")
        let unnamed = try Self.parse("aag 3 2 0 1 1\n2\n4\n6\n6 2 5\n")
        var p = Dedup.Params(); p.jobs = 1
        p.matching = .auto
        #expect(Dedup.run([first, second, unnamed], params: p).classes.map(\.members) == [[0, 1], [2]])
        p.matching = .order
        #expect(Dedup.run([first, second, unnamed], params: p).classes.map(\.members) == [[0, 2], [1]])
        p.byName = true
        #expect(p.matching == .names)
        #expect(Dedup.run([first, second], params: p).classes.map(\.members) == [[0, 1]])
    }

    /// Class records: ordered by first member, members in input order, bucket key and hash of the members.
    @Test func classRecordsCarryBucketKeys() throws {
        let p = RandomAIGGenerator.Params(inputs: 6, outputs: 2, ands: 20, seed: 4)
        let aigs = RandomAIGGenerator.generateSet(p, count: 20, variants: 2, mutants: 1).map(\.aig)
        let r = Dedup.run(aigs)
        let names = aigs.indices.map { "c\($0)" }
        let report = DedupReport(r, circuits: aigs, names: names, match: .order, readSeconds: 0.5)
        #expect(report.schema == "miter.dedup.v1" && report.summary.match == "order")
        #expect(report.summary.totalSeconds >= 0.5 && report.summary.readSeconds == 0.5)
        var hasher = FunctionalHash.Hasher()
        var previous = -1
        for (k, c) in report.classes.enumerated() {
            #expect(c.class == k && c.schema == "miter.dedup_class.v1")
            #expect(c.memberIndices == c.memberIndices.sorted() && c.memberIndices[0] > previous)
            previous = c.memberIndices[0]
            #expect(c.members == c.memberIndices.map { names[$0] } && c.size == c.members.count)
            for m in c.memberIndices {
                let h = hasher.hash(aigs[m]).circuit
                #expect(c.bucket == FunctionalHash.bucketKey(aigs[m], hash: h) && c.hash == FunctionalHash.hex(h))
            }
        }
        let json = JSONReport.encode(report.classes[0])
        #expect(json.contains("\"member_indices\":[") && json.contains("\"schema\":\"miter.dedup_class.v1\""))
        #expect(try JSONReport.decode(DedupReport.self, from: JSONReport.encode(report)) == report)
    }

    /// Progress reaches every phase's total.
    @Test func progressReachesTotals() {
        let p = RandomAIGGenerator.Params(inputs: 6, outputs: 2, ands: 20, seed: 4)
        let aigs = RandomAIGGenerator.generateSet(p, count: 300, variants: 1, mutants: 0).map(\.aig)
        let seen = SharedState([String: [Int]]())
        var params = Dedup.Params(); params.jobs = 2
        _ = Dedup.run(aigs, params: params, progress: { phase, done, total in
            #expect(total == aigs.count && done <= total)
            seen.withLock { $0["\(phase)", default: []].append(done) }
        })
        let counts = seen.withLock { $0 }
        #expect(counts.keys.sorted() == ["hashing", "proving"])
        for (phase, c) in counts {
            // One call at a time, in increasing order, ending at the total.
            #expect(c == c.sorted() && c.last == aigs.count, "\(phase): \(c)")
        }
    }
}
