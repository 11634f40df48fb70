import AIG
import AIGFormats
import ArgumentParser
import Equivalence
import Simulation

struct PairsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pairs",
        abstract: "Emit proved equivalent / not-equivalent circuit pairs for machine learning.",
        discussion: """
        Reads circuits like 'miter dedup' (files, directories, --from-list, JSONL or AIGER on stdin), \
        deduplicates them into proved classes, then samples equivalent pairs inside classes and \
        non-equivalent pairs across classes of the same shape. Every pair is re-checked and kept \
        only when the checker's verdict matches its label (a non-equivalent pair carries the \
        checker's confirmed counterexample); undecided pairs are dropped and counted.
        --jsonl FILE: one pair per line (both circuits as 'aag' text, port names, label 1/0, \
        status, counterexample, solver time). --tensors FILE.npz or FILE.safetensors: graph \
        tensors (node types, edge_index, edge inversions, per-graph offsets, pair index, labels).
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

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() throws {
        guard maxPairs >= 0 else { try fail("--max-pairs must not be negative") }
        guard let seedValue = parseSeed(seed) else { try fail("--seed must be a 64-bit unsigned number (decimal or 0x-hex), got '\(seed)'") }
        if let tensors, !(tensors.hasSuffix(".npz") || tensors.hasSuffix(".safetensors")) {
            try fail("--tensors must end in .npz or .safetensors, got '\(tensors)'")
        }
        guard jsonl != nil || tensors != nil else { try fail("give --jsonl FILE and/or --tensors FILE") }
        let set = try circuits.load()
        var dp = Dedup.Params()
        dp.byName = circuits.byName; dp.timeout = circuits.timeout; dp.jobs = circuits.jobs
        let classes = Dedup.run(set.circuits, params: dp)
        var pp = Pairs.Params()
        pp.maxPairs = maxPairs; pp.balance = balance; pp.seed = seedValue
        pp.byName = circuits.byName; pp.timeout = circuits.timeout; pp.jobs = circuits.jobs
        let result = Pairs.generate(set.circuits, classOf: classes.classOf, params: pp)

        if let jsonl {
            var out: [UInt8] = []
            var text: [Int: String] = [:]
            func aag(_ i: Int) -> String {
                if let t = text[i] { return t }
                let t = String(decoding: AIGERWriter.ascii(set.circuits[i]), as: UTF8.self)
                text[i] = t
                return t
            }
            for p in result.pairs { out += Array((pairLine(p, set, aag(p.a), aag(p.b)) + "\n").utf8) }
            try reportingErrors { try CircuitIO.writeBytesAtomically(out, to: jsonl) }
        }
        if let tensors {
            let t = GraphTensors(circuits: set.circuits, pairs: result.pairs)
            let bytes = tensors.hasSuffix(".npz") ? try reportingErrors { try t.npz() } : t.safetensors()
            try reportingErrors { try CircuitIO.writeBytesAtomically(bytes, to: tensors) }
        }
        let eq = result.pairs.filter { $0.label == 1 }.count
        let s = result.stats
        if json {
            print("{\"pairs\":\(result.pairs.count),\"equivalent\":\(eq),\"not_equivalent\":\(result.pairs.count - eq),\"undecided_dropped\":\(s.undecided),\"contradictions\":\(s.contradictions),\"checks\":\(s.checks),\"circuits\":\(set.circuits.count),\"classes\":\(classes.stats.classes),\"dedup_seconds\":\(r6(classes.stats.totalSeconds)),\"pairs_seconds\":\(r6(s.seconds))}")
        } else {
            let line = "\(result.pairs.count) pairs (\(eq) equivalent, \(result.pairs.count - eq) not equivalent) from \(set.circuits.count) circuits in \(classes.stats.classes) classes"
            let detail = "  checks \(s.checks), undecided dropped \(s.undecided); time: dedup \(seconds(classes.stats.totalSeconds)), pairs \(seconds(s.seconds))"
            if jsonl == "-" { var e = StandardError(); print(line + "\n" + detail, to: &e) } else { print(line + "\n" + detail) }
        }
        if s.contradictions > 0 { try fail("internal error: \(s.contradictions) checks contradicted the proved classes (pairs dropped)") }
    }

    func pairLine(_ p: Pairs.Pair, _ set: CircuitSet, _ aagA: String, _ aagB: String) -> String {
        let a = set.circuits[p.a], b = set.circuits[p.b]
        func names(_ n: [String?], _ prefix: String) -> String {
            "[" + n.enumerated().map { jsonString($0.element ?? "\(prefix)\($0.offset)") }.joined(separator: ",") + "]"
        }
        var s = "{\"a_name\":\(jsonString(set.names[p.a])),\"b_name\":\(jsonString(set.names[p.b])),\"label\":\(p.label),\"status\":\"\(p.status)\""
        s += ",\"a_inputs\":\(names(a.inputNames, "i")),\"a_outputs\":\(names(a.outputNames, "o"))"
        s += ",\"b_inputs\":\(names(b.inputNames, "i")),\"b_outputs\":\(names(b.outputNames, "o"))"
        if let c = p.counterexample {
            let bits = { (v: [Bool]) in "\"" + String(v.map { $0 ? "1" : "0" }) + "\"" }
            let diffs = c.differences.map { "{\"output\":\(jsonString($0.output)),\"a\":\($0.valueA ? 1 : 0),\"b\":\($0.valueB ? 1 : 0)}" }
            s += ",\"cex_inputs_a\":\(bits(c.inputsA)),\"cex_inputs_b\":\(bits(c.inputsB)),\"cex_outputs\":[\(diffs.joined(separator: ","))]"
        } else {
            s += ",\"cex_inputs_a\":null,\"cex_inputs_b\":null,\"cex_outputs\":[]"
        }
        s += ",\"solver_seconds\":\(r6(p.seconds)),\"sat_calls\":\(p.satCalls),\"decided_by\":\(jsonString(p.decidedBy))"
        s += ",\"a_aag\":\(jsonString(aagA)),\"b_aag\":\(jsonString(aagB))}"
        return s
    }
}
