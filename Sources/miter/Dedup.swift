import AIG
import AIGFormats
import ArgumentParser
import Dispatch
import Equivalence
import Simulation
#if canImport(Glibc)
import Glibc
#endif

extension Dedup.Keep: ExpressibleByArgument {}

struct DedupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedup",
        abstract: "Group circuits into classes of proved-equivalent circuits.",
        discussion: """
        Inputs, in order: circuit files, directories (searched recursively for .aag .aig .v .blif \
        .bench), JSONL files (.jsonl/.ndjson, or content starting with '{': one object per line \
        with the AIGER text in "aag" and an optional "name", as written by 'miter random --jsonl'), \
        --from-list FILE (one path per line), or standard input ('-' or no input): a JSONL stream \
        or concatenated ASCII AIGER files without comment sections.
        Circuits are bucketed by their key "I/O/L/HASH" (input, output, latch counts, functional \
        hash; 'miter hash --jsonl' prints it as "bucket"); inside a bucket each circuit is compared \
        with the class representatives by the equivalence checker and joins a class only when \
        proved equivalent. Equal hashes of circuits proved different are counted as collisions; \
        pairs left undecided (--timeout) are listed and never merged. Classes are ordered by \
        their first member, members in input order, so a set split by bucket key can be \
        deduplicated shard by shard.
        Exit codes: 0 ok, 2 error, 3 some pairs undecided (classes may then be finer than the truth).
        """)

    @OptionGroup var circuits: CircuitSetOptionGroup

    @Option(help: "Class representative: smallest (fewest ANDs) or first.")
    var keep: Dedup.Keep = .smallest

    @Option(help: "Write one representative per class into this directory (ASCII AIGER).")
    var out: String?

    @Flag(help: "Print one JSON object (miter.dedup.v1): the summary, undecided pairs and every class.")
    var json = false

    @Flag(help: "Print one JSON line per class (miter.dedup_class.v1; the summary goes to stderr).")
    var jsonl = false

    @OptionGroup var progressOptions: ProgressOptionGroup

    func run() throws {
        let set = try circuits.load()
        let match = try circuits.matching.mode
        var params = Dedup.Params()
        params.matching = match
        params.timeout = circuits.timeout
        params.jobs = circuits.jobs
        params.keep = keep
        let bar = progressOptions.reporter()
        var progress: (@Sendable (Dedup.Phase, Int, Int) -> Void)? = nil
        if let bar {
            progress = { phase, done, total in bar.update(phase == .hashing ? "hashing" : "proving", done, total) }
        }
        let result = Dedup.run(set.circuits, params: params, progress: progress)
        bar?.finish()
        let t0 = monotonicSeconds()
        if let out { try reportingErrors { try writeRepresentatives(result, set, to: out) } }
        let writeSeconds = out == nil ? 0 : monotonicSeconds() - t0

        let s = result.stats
        if json {
            print(JSONReport.encode(DedupReport(result, circuits: set.circuits, names: set.names, match: match,
                                                readSeconds: set.readSeconds, writeSeconds: writeSeconds)))
        } else if jsonl {
            // The summary (on stderr, after the lines) counts encoding and printing them as writing.
            let t1 = monotonicSeconds()
            let records = DedupClassRecord.all(result, circuits: set.circuits, names: set.names)
            print(encodeLines(records, jobs: circuits.jobs), terminator: "")
            var err = StandardError()
            print(textSummary(result, set, writeSeconds + monotonicSeconds() - t1, wrote: true), to: &err)
        } else {
            print(textSummary(result, set, writeSeconds))
        }
        if s.undecided + s.incomparable > 0 { throw ExitCode(MiterExit.undecided) }
    }

    func textSummary(_ r: Dedup.Result, _ set: CircuitSet, _ writeSeconds: Double, wrote: Bool = false) -> String {
        let s = r.stats
        let write = out == nil && !wrote ? "" : ", write \(seconds(writeSeconds))"
        var lines = [
            "\(s.circuits) circuits -> \(s.classes) classes (\(s.buckets) hash buckets, \(s.collisions) collisions)",
            "  comparisons \(s.comparisons) (\(s.refutations) refuted), SAT calls \(s.satCalls), undecided \(s.undecided)\(s.incomparable > 0 ? ", incomparable \(s.incomparable)" : "")",
            "  time: read \(seconds(set.readSeconds)), hash \(seconds(s.hashSeconds)), prove \(seconds(s.proveSeconds))\(write), total \(seconds(s.totalSeconds + set.readSeconds + writeSeconds)) (\(s.jobs) jobs)",
        ]
        for p in r.openPairs.prefix(10) { lines.append("  undecided: \(set.names[p.a]) vs \(set.names[p.b]): \(p.reason)") }
        if r.openPairs.count > 10 { lines.append("  … \(r.openPairs.count - 10) more undecided pairs (--json lists them all)") }
        return lines.joined(separator: "\n")
    }

    func writeRepresentatives(_ r: Dedup.Result, _ set: CircuitSet, to dir: String) throws {
        if mkdir(dir, 0o755) != 0 && errno != EEXIST {
            throw FormatError(file: dir, message: "cannot create directory: \(String(cString: strerror(errno)))")
        }
        let width = String(max(1, r.classes.count - 1)).count
        for (k, c) in r.classes.enumerated() {
            var base = set.names[c.representative]
            if let slash = base.lastIndex(of: "/") { base = String(base[base.index(after: slash)...]) }
            if let dot = base.lastIndex(of: "."), dot != base.startIndex { base = String(base[..<dot]) }
            base = String(base.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
            let idx = String(k)
            let name = String(repeating: "0", count: max(0, width - idx.count)) + idx + "-" + base + ".aag"
            try CircuitIO.write(set.circuits[c.representative], to: dir + "/" + name, format: .aigerASCII)
        }
    }
}

func r6(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }

/// Every value as one JSON line (`JSONReport.encode`), encoded by `jobs` threads (0: all
/// cores) in input order: the JSONL writers of `dedup`, `pairs` and `hash`.
func encodeLines<T: Encodable & Sendable>(_ values: [T], jobs: Int) -> String {
    encodeLines(count: values.count, jobs: jobs) { values[$0] }
}

/// Lines for `make(0..<count)`, built and encoded in parallel chunks, joined in order.
func encodeLines<T: Encodable>(count: Int, jobs: Int, _ make: (Int) -> T) -> String {
    let chunk = 256
    let chunks = (count + chunk - 1) / chunk
    var parts = [String](repeating: "", count: chunks)
    parts.withUnsafeMutableBufferPointer { out in
        nonisolated(unsafe) let out = out
        nonisolated(unsafe) let make = make
        let workers = max(1, min(jobs > 0 ? jobs : onlineProcessorCount(), chunks))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var c = w
            while c < chunks {
                var s = ""
                for i in (c * chunk)..<min(count, (c + 1) * chunk) { s += JSONReport.encode(make(i)); s += "\n" }
                out[c] = s
                c += workers
            }
        }
    }
    return parts.joined()
}

/// Where a circuit set comes from: files, directories, JSONL files, a list file or stdin.
struct CircuitInputsOptionGroup: ParsableArguments {
    @Argument(help: "Circuit files, directories or JSONL files (.jsonl/.ndjson); '-' or nothing: standard input (JSONL or concatenated AIGER).")
    var inputs: [String] = []

    @Option(name: .customLong("from-list"), help: "A file listing circuit paths, one per line ('#' comments).")
    var fromList: String?

    @OptionGroup var read: ReadOptionGroup

    /// Reads every circuit (errors exit 2, located at file:line).
    func load(jobs: Int) throws -> CircuitSet {
        try reportingErrors { try CircuitSet.load(inputs: inputs, fromList: fromList, options: try read.readOptions, jobs: jobs) }
    }
}

/// `--match auto|names|order` for circuit sets (`--by-name` is `--match names`).
struct SetMatchOptionGroup: ParsableArguments {
    @Option(name: .long, help: "Port matching of the hash and the checks: order (by position, the default), names (every circuit must name its ports), or auto (by name for circuits that name every input and output uniquely, by position for the others). Use the same value on 'hash' and 'dedup' for equal bucket keys.")
    var match: PortMatching.Mode?

    @Flag(name: .customLong("by-name"), help: "Same as --match names.")
    var byName = false

    /// The mode asked for (default `.order`).
    var mode: PortMatching.Mode { get throws {
        try check()
        return byName ? .names : match ?? .order
    } }

    func check() throws {
        if byName, let match, match != .names { try fail("--by-name contradicts --match \(match.rawValue)") }
    }
}
