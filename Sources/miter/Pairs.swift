import AIG
import AIGFormats
import ArgumentParser
import Dispatch
import Equivalence
import Simulation

struct PairsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pairs",
        abstract: "Emit proved equivalent / not-equivalent circuit pairs for machine learning.",
        discussion: """
        Reads circuits like 'miter dedup' (files, directories, JSONL files, --from-list, JSONL or \
        AIGER on stdin), deduplicates them into proved classes, then samples equivalent pairs inside \
        classes and non-equivalent pairs across classes of the same shape. Every pair is re-checked \
        and kept only when the checker's verdict matches its label (a non-equivalent pair carries \
        the checker's confirmed counterexample); undecided pairs are dropped and counted.
        --jsonl FILE: one pair per line (miter.pair.v1: both circuits as 'aag' text, port names, \
        label 1/0, verdict, counterexample bits as lists of 0/1, graph ids a_graph/b_graph into the \
        tensors, solver time). --tensors FILE.npz or FILE.safetensors: graph tensors (node types, \
        edge_index, edge inversions, per-graph offsets, pair index, labels, graph_names).
        """)

    @OptionGroup var circuits: CircuitSetOptionGroup

    @Option(name: .customLong("max-pairs"), help: "Most pairs emitted.")
    var maxPairs: Int = 10_000

    @Flag(help: "Equal numbers of equivalent and non-equivalent pairs.")
    var balance = false

    @Option(help: "Seed of the sampling (decimal or 0x-hex).")
    var seed: String = "0"

    @Option(help: "Write the pairs as JSONL to this file ('-': stdout).")
    var jsonl: String?

    @Option(help: "Write graph tensors to FILE.npz or FILE.safetensors.")
    var tensors: String?

    @Flag(help: "Print the summary as JSON (miter.pairs.v1).")
    var json = false

    @OptionGroup var progressOptions: ProgressOptionGroup

    func run() throws {
        guard maxPairs >= 0 else { try fail("--max-pairs must not be negative") }
        guard let seedValue = parseSeed(seed) else { try fail("--seed must be a 64-bit unsigned number (decimal or 0x-hex), got '\(seed)'") }
        if let tensors, !(tensors.hasSuffix(".npz") || tensors.hasSuffix(".safetensors")) {
            try fail("--tensors must end in .npz or .safetensors, got '\(tensors)'")
        }
        guard jsonl != nil || tensors != nil else { try fail("give --jsonl FILE and/or --tensors FILE") }
        let set = try circuits.load()
        let match = try circuits.matching.mode
        let bar = progressOptions.reporter()
        var dp = Dedup.Params()
        dp.matching = match; dp.timeout = circuits.timeout; dp.jobs = circuits.jobs
        var dedupProgress: (@Sendable (Dedup.Phase, Int, Int) -> Void)? = nil
        var checkProgress: (@Sendable (Int, Int) -> Void)? = nil
        if let bar {
            dedupProgress = { phase, done, total in bar.update(phase == .hashing ? "hashing" : "proving", done, total) }
            checkProgress = { done, total in bar.update("checking", done, total) }
        }
        let classes = Dedup.run(set.circuits, params: dp, progress: dedupProgress)
        var pp = Pairs.Params()
        pp.maxPairs = maxPairs; pp.balance = balance; pp.seed = seedValue
        pp.matching = match; pp.timeout = circuits.timeout; pp.jobs = circuits.jobs
        let result = Pairs.generate(set.circuits, classOf: classes.classOf, params: pp, progress: checkProgress)
        bar?.finish()

        let t0 = monotonicSeconds()
        let (graphCircuit, graphOf) = GraphTensors.graphs(of: result.pairs)
        if let jsonl {
            // The AIGER text of every circuit of the pairs once, then the rows, both in parallel.
            var texts = [String](repeating: "", count: graphCircuit.count)
            texts.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let out = out
                DispatchQueue.concurrentPerform(iterations: max(1, circuits.jobs > 0 ? circuits.jobs : onlineProcessorCount())) { w in
                    let workers = max(1, circuits.jobs > 0 ? circuits.jobs : onlineProcessorCount())
                    var g = w
                    while g < graphCircuit.count {
                        out[g] = String(decoding: AIGERWriter.ascii(set.circuits[graphCircuit[g]]), as: UTF8.self)
                        g += workers
                    }
                }
            }
            let lines = encodeLines(count: result.pairs.count, jobs: circuits.jobs) { k in
                PairRecord(result.pairs[k], index: k, circuits: set.circuits, names: set.names, graphOf: graphOf,
                           aag: { c in graphOf[c].map { texts[$0] } ?? "" })  // every circuit of a pair has a graph
            }
            try reportingErrors { try CircuitIO.writeBytesAtomically(Array(lines.utf8), to: jsonl) }
        }
        if let tensors {
            let t = GraphTensors(circuits: set.circuits, pairs: result.pairs, names: set.names)
            let bytes = tensors.hasSuffix(".npz") ? try reportingErrors { try t.npz() } : t.safetensors()
            try reportingErrors { try CircuitIO.writeBytesAtomically(bytes, to: tensors) }
        }
        let writeSeconds = monotonicSeconds() - t0
        let summary = PairsSummary(result, dedup: classes, circuits: set.circuits.count, graphs: graphCircuit.count,
                                   match: match, readSeconds: set.readSeconds, writeSeconds: writeSeconds,
                                   jsonl: jsonl, tensors: tensors)
        if json && jsonl == "-" {
            // The pairs own stdout: the summary goes to stderr, as the text one does.
            var e = StandardError(); print(JSONReport.encode(summary), to: &e)
        } else if json {
            print(JSONReport.encode(summary))
        } else {
            let line = "\(summary.pairs) pairs (\(summary.equivalent) equivalent, \(summary.notEquivalent) not equivalent) from \(summary.circuits) circuits in \(summary.classes) classes"
            let detail = "  checks \(summary.checks), undecided dropped \(summary.undecidedDropped); time: read \(seconds(set.readSeconds)), dedup \(seconds(classes.stats.totalSeconds)), pairs \(seconds(result.stats.seconds)), write \(seconds(writeSeconds)), total \(seconds(summary.totalSeconds))"
            if jsonl == "-" { var e = StandardError(); print(line + "\n" + detail, to: &e) } else { print(line + "\n" + detail) }
        }
        if result.stats.contradictions > 0 { try fail("internal error: \(result.stats.contradictions) checks contradicted the proved classes (pairs dropped)") }
    }
}
