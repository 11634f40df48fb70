import AIG
import AIGFormats
import ArgumentParser
import Simulation

struct Hash: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the functional hash of each circuit.",
        discussion: """
        Equivalent circuits get equal hashes however they are written. With at most 16 \
        inputs (latch current states count as inputs) the hash is that of the exact truth \
        tables; above, of canonical BDDs when they stay within --bdd-nodes (exact too), \
        else of the outputs under --patterns seeded random patterns (default 8192, seed 0), \
        where unequal hashes prove non-equivalence and equal hashes are strong evidence of it. Ports match by position, or by name with --by-name.

        One line per file: HASH  i/o = I/O  and = A  (exact | exact (BDD) | N patterns)  FILE
        --outputs adds one line per output: '  HASH  output K NAME' (in hash order).
        """)

    @Argument(help: "Circuit files (any supported format; '-' for AIGER on stdin).")
    var files: [String]

    @Flag(help: "Also print one line per output (its signature).")
    var outputs = false

    @Option(help: "Random patterns above 16 inputs (rounded up to a multiple of 64; 1...16777216).")
    var patterns: Int = FunctionalHash.Params().patterns

    @Option(help: "Seed of the random patterns (decimal or 0x-hexadecimal).")
    var seed: String = "0"

    @Option(name: .customLong("bdd-nodes"), help: "Above 16 inputs, exact BDD signatures when building them needs at most this many nodes (0 = always random patterns).")
    var bddNodes: Int = FunctionalHash.Params().bddNodeLimit

    @Flag(name: .customLong("by-name"), help: "Match inputs, latches and outputs by name (sorted) instead of by position.")
    var byName = false

    @Flag(help: "One JSON object per file, in a JSON array (hashes as 0x-hex strings).")
    var json = false

    @OptionGroup var read: ReadOptionGroup

    func run() throws {
        guard (1...(1 << 24)).contains(patterns) else { try fail("--patterns must be between 1 and 16777216, got \(patterns)") }
        guard let seedValue = parseSeed(seed) else { try fail("--seed must be a 64-bit unsigned number (decimal or 0x-hex), got '\(seed)'") }
        var params = FunctionalHash.Params()
        params.patterns = patterns
        params.seed = seedValue
        params.byName = byName
        guard bddNodes >= 0 else { try fail("--bdd-nodes must be 0 or more, got \(bddNodes)") }
        params.bddNodeLimit = bddNodes
        var hasher = FunctionalHash.Hasher(params: params)
        var rows: [String] = []
        for path in files {
            let aig = try reportingErrors { try loadCircuit(path, try read.readOptions) }
            let r = hasher.hash(aig)
            let mode: String
            switch r.method {
            case .truthTable: mode = "exact"
            case .bdd: mode = "exact (BDD)"
            case .patterns: mode = "\(r.patternCount) patterns"
            }
            if json {
                var row = "{\"file\":\(jsonString(path)),\"hash\":\"\(hex64(r.circuit))\",\"inputs\":\(aig.inputCount),\"outputs\":\(aig.outputCount),\"latches\":\(aig.latchCount),\"ands\":\(aig.andCount),\"exact\":\(r.exact),\"method\":\"\(r.method.rawValue)\",\"patterns\":\(r.patternCount)"
                if outputs {
                    let items = r.outputs.indices.map { k -> String in
                        let o = r.outputOrder[k]
                        let name = aig.outputNames[o].map(jsonString) ?? "null"
                        return "{\"index\":\(o),\"name\":\(name),\"hash\":\"\(hex64(r.outputs[k]))\"}"
                    }
                    row += ",\"output_hashes\":[" + items.joined(separator: ",") + "]"
                }
                rows.append(row + "}")
            } else {
                print("\(hex64(r.circuit))  i/o = \(aig.inputCount)/\(aig.outputCount)\(aig.latchCount > 0 ? "  latches = \(aig.latchCount)" : "")  and = \(aig.andCount)  \(mode)  \(path)")
                if outputs {
                    for k in r.outputs.indices {
                        let o = r.outputOrder[k]
                        print("  \(hex64(r.outputs[k]))  output \(o)\(aig.outputNames[o].map { " " + $0 } ?? "")")
                    }
                }
            }
        }
        if json { print("[" + rows.joined(separator: ",\n") + "]") }
    }
}

/// A 64-bit value as 16 lowercase hex digits.
func hex64(_ x: UInt64) -> String {
    let s = String(x, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
}

/// Decimal or 0x-hexadecimal UInt64.
func parseSeed(_ s: String) -> UInt64? {
    if s.hasPrefix("0x") || s.hasPrefix("0X") { return UInt64(s.dropFirst(2), radix: 16) }
    return UInt64(s)
}
