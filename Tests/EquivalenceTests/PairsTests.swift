import Testing
import AIG
import Simulation
@testable import Equivalence

@Suite struct PairsTests {
    func set() -> [AIG] {
        let p = RandomAIGGenerator.Params(inputs: 7, outputs: 2, ands: 30, seed: 21)
        return RandomAIGGenerator.generateSet(p, count: 30, variants: 3, mutants: 3).map(\.aig)
    }

    @Test func labelsAreProvedAndBalanced() throws {
        let aigs = set()
        let classes = Dedup.run(aigs)
        var params = Pairs.Params()
        params.maxPairs = 100
        params.balance = true
        params.seed = 3
        let r = Pairs.generate(aigs, classOf: classes.classOf, params: params)
        #expect(r.pairs.count == 100)
        #expect(r.pairs.filter { $0.label == 1 }.count == 50)
        #expect(r.stats.undecided == 0 && r.stats.contradictions == 0)
        let truth = groundTruthClasses(aigs)
        for p in r.pairs {
            #expect(p.a != p.b)
            #expect((truth[p.a] == truth[p.b]) == (p.label == 1))
            if p.label == 0 {
                let cex = try #require(p.counterexample)
                let oa = try evaluate(aigs[p.a], inputs: cex.inputsA), ob = try evaluate(aigs[p.b], inputs: cex.inputsB)
                #expect(oa != ob)
            } else { #expect(p.counterexample == nil) }
        }
        // Reproducible for a seed.
        let again = Pairs.generate(aigs, classOf: classes.classOf, params: params)
        #expect(again.pairs.map { [$0.a, $0.b, $0.label] } == r.pairs.map { [$0.a, $0.b, $0.label] })
    }

    @Test func unbalancedRespectsMaxPairs() {
        let aigs = set()
        let classes = Dedup.run(aigs)
        var params = Pairs.Params()
        params.maxPairs = 37
        let r = Pairs.generate(aigs, classOf: classes.classOf, params: params)
        #expect(r.pairs.count == 37)
        #expect(Set(r.pairs.map { [$0.a, $0.b] }).count == 37)
    }

    @Test func noPairsWhenNothingToPair() {
        let one = [RandomAIGGenerator.circuit(.init(), index: 0)]
        #expect(Pairs.generate(one, classOf: [0]).pairs.isEmpty)
    }

    @Test func crcAndNpyLayout() throws {
        #expect(crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        let aigs = set()
        let classes = Dedup.run(aigs)
        var params = Pairs.Params(); params.maxPairs = 10
        let r = Pairs.generate(aigs, classOf: classes.classOf, params: params)
        let t = GraphTensors(circuits: aigs, pairs: r.pairs)
        for a in t.arrays {
            let npy = GraphTensors.npy(a)
            let headerLength = Int(npy[8]) | Int(npy[9]) << 8
            #expect((10 + headerLength) % 64 == 0)
            #expect(npy.count == 10 + headerLength + a.data.count)
        }
        let zip = try t.npz()
        #expect(zip.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        #expect(Array(zip.suffix(22).prefix(4)) == [0x50, 0x4B, 0x05, 0x06])
        let nodes = try #require(t.arrays.first { $0.name == "node_type" })
        let edges = try #require(t.arrays.first { $0.name == "edge_index" })
        // Each graph: 1 + I + A + O nodes, 2A + O edges.
        let totalNodes = t.graphCircuit.reduce(0) { $0 + 1 + aigs[$1].inputCount + aigs[$1].andCount + aigs[$1].outputCount }
        let totalEdges = t.graphCircuit.reduce(0) { $0 + 2 * aigs[$1].andCount + aigs[$1].outputCount }
        #expect(nodes.shape == [totalNodes] && edges.shape == [2, totalEdges])
        let st = t.safetensors()
        let n = st.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect((8 + n) % 8 == 0 && st.count == 8 + n + t.arrays.reduce(0) { $0 + $1.data.count })
    }
    /// Rows and tensors join by graph id: `graph_names[a_graph]` is the row's `a_name`.
    @Test func recordsAndGraphNames() throws {
        let aigs = set()
        let names = aigs.indices.map { "circuit-\($0)-ü" }
        let classes = Dedup.run(aigs)
        var params = Pairs.Params(); params.maxPairs = 20; params.balance = true
        let checks = SharedState(0)
        let r = Pairs.generate(aigs, classOf: classes.classOf, params: params, progress: { done, total in
            #expect(done <= total)
            checks.withLock { $0 = max($0, done) }
        })
        #expect(checks.withLock { $0 } == r.stats.checks)
        let t = GraphTensors(circuits: aigs, pairs: r.pairs, names: names)
        let (graphCircuit, graphOf) = GraphTensors.graphs(of: r.pairs)
        #expect(graphCircuit == t.graphCircuit && t.graphNames == graphCircuit.map { names[$0] })
        let unicode = try #require(t.arrays.first { $0.name == "graph_names" })
        #expect(unicode.width == names.map(\.count).max() && unicode.data.count == 4 * unicode.width * graphCircuit.count)
        #expect(String(decoding: GraphTensors.npy(unicode).prefix(80), as: UTF8.self).contains("'descr': '<U\(unicode.width)'"))
        let st = String(decoding: t.safetensors(), as: UTF8.self)
        #expect(st.contains("\"graph_names\":\"[\\\"circuit-"))
        for (k, p) in r.pairs.enumerated() {
            let row = PairRecord(p, index: k, circuits: aigs, names: names, graphOf: graphOf, aag: { "aag \($0)" })
            #expect(t.graphNames[row.aGraph] == row.aName && t.graphNames[row.bGraph] == row.bName)
            #expect(row.verdict == (p.label == 1 ? .equivalent : .notEquivalent))
            let json = JSONReport.encode(row)
            if p.label == 0 {
                #expect(row.cexInputsA?.count == aigs[p.a].inputCount && json.contains("\"cex_inputs_a\":[") )
            } else {
                #expect(json.contains("\"cex_inputs_a\":null") && json.contains("\"cex_inputs_b\":null"))
            }
            #expect(json.hasPrefix("{\"a_aag\":") && json.contains("\"schema\":\"miter.pair.v1\""))
        }
    }
}
