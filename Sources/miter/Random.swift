import AIG
import AIGFormats
import ArgumentParser
import Simulation
#if canImport(Glibc)
import Glibc
#endif

struct RandomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "random",
        abstract: "Generate random combinational circuits, equivalent variants and mutants.",
        discussion: """
        Circuit k is named c00000k; --variants K adds K equivalent rewrites c00000k_v1… \
        (re-association, De Morgan distribution, XOR re-encoding, duplicated logic, absorption, \
        random node order), --mutants K adds K single-gate changes c00000k_m1… (a fanin \
        complemented or replaced), retried until their function differs from the source when \
        it can be decided exactly (≤ 16 inputs). The same seed gives the same circuits.
        Output: --out DIR writes one file per circuit and DIR/manifest.jsonl; --jsonl FILE ('-': \
        stdout) writes one JSON object per line: {"name","family","kind","function_class","aag"}. \
        function_class numbers the distinct functions in order of appearance (exact truth tables, \
        ≤ 16 inputs; null above): the ground truth for 'miter dedup'.
        """)

    @Option(help: "Primary inputs (0...64).") var inputs: Int = 8
    @Option(help: "Outputs (1...1024).") var outputs: Int = 2
    @Option(help: "AND nodes, approximately (1...1000000).") var ands: Int = 50
    @Option(help: "Source circuits.") var count: Int = 10
    @Option(help: "Seed (decimal or 0x-hex).") var seed: String = "0"
    @Option(help: "Equivalent rewrites of each circuit.") var variants: Int = 0
    @Option(help: "Single-gate mutants of each circuit.") var mutants: Int = 0
    @Option(help: "Write one file per circuit (and manifest.jsonl) into this directory.") var out: String?
    @Option(help: "File format with --out: aag or aig.") var format: String = "aag"
    @Option(help: "Write a JSONL stream to this file ('-': stdout).") var jsonl: String?

    func run() throws {
        guard (0...64).contains(inputs) else { try fail("--inputs must be between 0 and 64, got \(inputs)") }
        guard (1...1024).contains(outputs) else { try fail("--outputs must be between 1 and 1024, got \(outputs)") }
        guard (1...1_000_000).contains(ands) else { try fail("--ands must be between 1 and 1000000, got \(ands)") }
        guard count >= 0, variants >= 0, mutants >= 0 else { try fail("--count, --variants and --mutants must not be negative") }
        guard count * (1 + variants + mutants) <= 10_000_000 else { try fail("at most 10,000,000 circuits in all") }
        guard let seedValue = parseSeed(seed) else { try fail("--seed must be a 64-bit unsigned number (decimal or 0x-hex), got '\(seed)'") }
        guard out != nil || jsonl != nil else { try fail("give --out DIR and/or --jsonl FILE") }
        let fmt: CircuitFormat
        switch format { case "aag": fmt = .aigerASCII; case "aig": fmt = .aigerBinary
        default: try fail("--format must be aag or aig, got '\(format)'") }
        if let out, mkdir(out, 0o755) != 0 && errno != EEXIST {
            try fail("\(out): cannot create directory: \(String(cString: strerror(errno)))")
        }
        let params = RandomAIGGenerator.Params(inputs: inputs, outputs: outputs, ands: ands, seed: seedValue)
        var classIds: [[UInt64]: Int] = [:]
        var manifest: [UInt8] = []
        var stream: [UInt8] = []
        for c in 0..<count {
            for item in RandomAIGGenerator.family(params, index: c, variants: variants, mutants: mutants) {
                var fclass = "null"
                if let key = RandomAIGGenerator.functionKey(item.aig) {
                    let id = classIds[key] ?? classIds.count
                    classIds[key] = id
                    fclass = String(id)
                }
                let head = "{\"name\":\(jsonString(item.name)),\"family\":\(item.family),\"kind\":\(jsonString(item.kind.description)),\"function_class\":\(fclass)"
                if let out {
                    let file = "\(item.name).\(fmt.rawValue)"
                    try reportingErrors { try CircuitIO.write(item.aig, to: out + "/" + file, format: fmt) }
                    manifest += Array((head + ",\"file\":\(jsonString(file))}\n").utf8)
                }
                if jsonl != nil {
                    let text = String(decoding: AIGERWriter.ascii(item.aig), as: UTF8.self)
                    stream += Array((head + ",\"aag\":\(jsonString(text))}\n").utf8)
                }
            }
        }
        if let out { try reportingErrors { try CircuitIO.writeBytesAtomically(manifest, to: out + "/manifest.jsonl") } }
        if let jsonl { try reportingErrors { try CircuitIO.writeBytesAtomically(stream, to: jsonl) } }
    }
}
