import AIG
import AIGFormats
import ArgumentParser
import Dispatch
import Equivalence
import Simulation

struct Hash: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the functional hash of each circuit.",
        discussion: """
        Equivalent circuits get equal hashes however they are written. With at most 16 \
        inputs (latch current states count as inputs) the hash is that of the exact truth \
        tables; above, of canonical BDDs when they stay within --bdd-nodes (exact too), \
        else of the outputs under --patterns seeded random patterns (default 8192, seed 0), \
        where unequal hashes prove non-equivalence and equal hashes are strong evidence of it. \
        Ports match by position, or by name with --match names (--by-name); --match auto orders \
        by name the circuits that name every port.
        Inputs as for 'miter dedup': circuit files, directories, JSONL files (.jsonl/.ndjson), \
        --from-list FILE, or standard input ('-' or nothing: JSONL or concatenated AIGER).

        One line per circuit: HASH  i/o = I/O  and = A  (exact | exact (BDD) | N patterns)  NAME
        --outputs adds one line per output: '  HASH  output K NAME' (in hash order).
        --json prints one array of miter.hash.v1 objects, --jsonl one object per line as the \
        circuits are hashed (with both, --json wins: 'miter serve' adds --json and then answers \
        the array); their "bucket" ("I/O/L/HASH") is the key 'miter dedup' buckets by.
        """)

    @OptionGroup var source: CircuitInputsOptionGroup

    @Flag(help: "Also print one line per output (its signature).")
    var outputs = false

    @Option(help: "Random patterns above 16 inputs (rounded up to a multiple of 64; 1...16777216).")
    var patterns: Int = FunctionalHash.Params().patterns

    @Option(help: "Seed of the random patterns (decimal or 0x-hexadecimal).")
    var seed: String = "0"

    @Option(name: .customLong("bdd-nodes"), help: "Above 16 inputs, exact BDD signatures when building them needs at most this many nodes (0 = always random patterns).")
    var bddNodes: Int = FunctionalHash.Params().bddNodeLimit

    @OptionGroup var matching: SetMatchOptionGroup

    @Flag(help: "One JSON array of miter.hash.v1 objects, one per circuit.")
    var json = false

    @Flag(help: "One miter.hash.v1 JSON object per line, printed as the circuits are hashed.")
    var jsonl = false

    @Option(help: "Worker threads (default: all cores).")
    var jobs: Int = 0

    @OptionGroup var progressOptions: ProgressOptionGroup

    func run() throws {
        guard (1...(1 << 24)).contains(patterns) else { try fail("--patterns must be between 1 and 16777216, got \(patterns)") }
        guard let seedValue = parseSeed(seed) else { try fail("--seed must be a 64-bit unsigned number (decimal or 0x-hex), got '\(seed)'") }
        guard bddNodes >= 0 else { try fail("--bdd-nodes must be 0 or more, got \(bddNodes)") }
        guard jobs >= 0 else { try fail("--jobs must be at least 0, got \(jobs)") }
        let match = try matching.mode
        var params = FunctionalHash.Params()
        params.patterns = patterns
        params.seed = seedValue
        params.bddNodeLimit = bddNodes
        let set = try source.load(jobs: jobs)
        let bar = progressOptions.reporter(minimumItems: 2, items: set.count)

        // Chunks hashed in parallel (one Hasher per worker), printed in input order as they finish.
        let workers = max(1, jobs > 0 ? jobs : onlineProcessorCount())
        let chunk = 4096
        var done = 0
        var arrayOpen = false
        while done < set.count {
            let lo = done, hi = min(set.count, done + chunk)
            let records = hashRange(set, lo..<hi, params: params, match: match, workers: workers)
            if json || jsonl {
                var text = encodeLines(records, jobs: jobs)
                if json {
                    text = (arrayOpen ? ",\n" : "[") + text.dropLast().replacingNewlines(with: ",\n")
                    arrayOpen = true
                }
                print(text, terminator: "")
            } else {
                print(records.map(textLines).joined(), terminator: "")
            }
            done = hi
            bar?.update("hashing", done, set.count)
        }
        bar?.finish()
        if json { print(arrayOpen ? "]" : "[]") }
    }

    func hashRange(_ set: CircuitSet, _ range: Range<Int>, params: FunctionalHash.Params, match: PortMatching.Mode,
                   workers: Int) -> [HashRecord] {
        var out = [HashRecord?](repeating: nil, count: range.count)
        let wantOutputs = outputs
        out.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let buf = buf
            let n = min(workers, max(1, range.count / 64))
            DispatchQueue.concurrentPerform(iterations: n) { w in
                var hasher = FunctionalHash.Hasher(params: params)
                var k = w
                while k < range.count {
                    let i = range.lowerBound + k
                    let aig = set.circuits[i]
                    let byName = match.hashesByName(aig)
                    hasher.params.byName = byName
                    buf[k] = HashRecord(name: set.names[i], index: i, aig: aig, result: hasher.hash(aig), byName: byName,
                                        outputHashes: wantOutputs)
                    k += n
                }
            }
        }
        return out.map { $0! }
    }

    func textLines(_ r: HashRecord) -> String {
        let mode = r.method == FunctionalHash.Method.truthTable.rawValue ? "exact"
            : r.method == FunctionalHash.Method.bdd.rawValue ? "exact (BDD)" : "\(r.patterns) patterns"
        var s = "\(r.hash)  i/o = \(r.inputs)/\(r.outputs)\(r.latches > 0 ? "  latches = \(r.latches)" : "")  and = \(r.ands)  \(mode)  \(r.name)\n"
        for o in r.outputHashes ?? [] { s += "  \(o.hash)  output \(o.index)\(o.name.map { " " + $0 } ?? "")\n" }
        return s
    }
}

extension Substring {
    /// The text with every "\n" replaced (JSON lines never contain a raw newline).
    func replacingNewlines(with separator: String) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: separator)
    }
}

/// Decimal or 0x-hexadecimal UInt64.
func parseSeed(_ s: String) -> UInt64? {
    if s.hasPrefix("0x") || s.hasPrefix("0X") { return UInt64(s.dropFirst(2), radix: 16) }
    return UInt64(s)
}
