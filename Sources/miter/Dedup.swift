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
        Inputs: circuit files, directories (searched recursively for .aag .aig .v .blif .bench), \
        --from-list FILE (one path per line), or standard input ('-' or no input): a JSONL stream \
        (one object per line with the AIGER text in "aag" and an optional "name", as written by \
        'miter random --jsonl') or concatenated ASCII AIGER files without comment sections.
        Circuits are bucketed by (input, output, latch counts, functional hash); inside a bucket \
        each circuit is compared with the class representatives by the equivalence checker and \
        joins a class only when proved equivalent. Equal hashes of circuits proved different are \
        counted as collisions; pairs left undecided (--timeout) are listed and never merged.
        Exit codes: 0 ok, 2 error, 3 some pairs undecided (classes may then be finer than the truth).
        """)

    @OptionGroup var circuits: CircuitSetOptionGroup

    @Option(help: "Class representative: smallest (fewest ANDs) or first.")
    var keep: Dedup.Keep = .smallest

    @Option(help: "Write one representative per class into this directory (ASCII AIGER).")
    var out: String?

    @Flag(help: "Print one JSON object: the summary and every class with its members and representative.")
    var json = false

    @Flag(help: "Print one JSON line per class (the summary goes to stderr).")
    var jsonl = false

    func run() throws {
        let set = try circuits.load()
        var params = Dedup.Params()
        params.byName = circuits.byName
        params.timeout = circuits.timeout
        params.jobs = circuits.jobs
        params.keep = keep
        let bar = ProgressBar.ifTerminal()
        var progress: (@Sendable (Dedup.Phase, Int, Int) -> Void)? = nil
        if let bar {
            progress = { phase, done, total in bar.update(phase == .hashing ? "hashing" : "proving", done, total) }
        }
        let result = Dedup.run(set.circuits, params: params, progress: progress)
        bar?.finish()
        if let out { try reportingErrors { try writeRepresentatives(result, set, to: out) } }

        let s = result.stats
        let summary = "{\"circuits\":\(s.circuits),\"classes\":\(s.classes),\"buckets\":\(s.buckets),\"collisions\":\(s.collisions),\"refutations\":\(s.refutations),\"comparisons\":\(s.comparisons),\"sat_calls\":\(s.satCalls),\"undecided\":\(s.undecided),\"incomparable\":\(s.incomparable),\"hash_seconds\":\(r6(s.hashSeconds)),\"prove_seconds\":\(r6(s.proveSeconds)),\"total_seconds\":\(r6(s.totalSeconds)),\"read_seconds\":\(r6(set.readSeconds)),\"jobs\":\(s.jobs)}"
        let openJSON = "[" + result.openPairs.map { "{\"a\":\(jsonString(set.names[$0.a])),\"b\":\(jsonString(set.names[$0.b])),\"reason\":\(jsonString($0.reason))}" }.joined(separator: ",") + "]"
        if json {
            let classes = result.classes.enumerated().map { k, c in classJSON(k, c, set) }
            print("{\"summary\":\(summary),\"undecided_pairs\":\(openJSON),\"classes\":[\n" + classes.joined(separator: ",\n") + "\n]}")
        } else if jsonl {
            for (k, c) in result.classes.enumerated() { print(classJSON(k, c, set)) }
            var err = StandardError()
            print(textSummary(result, set), to: &err)
        } else {
            print(textSummary(result, set))
        }
        if s.undecided + s.incomparable > 0 { throw ExitCode(MiterExit.undecided) }
    }

    func classJSON(_ k: Int, _ c: Dedup.Class, _ set: CircuitSet) -> String {
        "{\"class\":\(k),\"size\":\(c.members.count),\"representative\":\(jsonString(set.names[c.representative])),\"members\":["
            + c.members.map { jsonString(set.names[$0]) }.joined(separator: ",") + "]}"
    }

    func textSummary(_ r: Dedup.Result, _ set: CircuitSet) -> String {
        let s = r.stats
        var lines = [
            "\(s.circuits) circuits -> \(s.classes) classes (\(s.buckets) hash buckets, \(s.collisions) collisions)",
            "  comparisons \(s.comparisons) (\(s.refutations) refuted), SAT calls \(s.satCalls), undecided \(s.undecided)\(s.incomparable > 0 ? ", incomparable \(s.incomparable)" : "")",
            "  time: read \(seconds(set.readSeconds)), hash \(seconds(s.hashSeconds)), prove \(seconds(s.proveSeconds)), total \(seconds(s.totalSeconds + set.readSeconds)) (\(s.jobs) jobs)",
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

/// Circuits collected from files, directories, list files or a stream, with their names.
struct CircuitSet {
    var circuits: [AIG] = []
    var names: [String] = []
    var readSeconds = 0.0

    static let extensions: Set<String> = ["aag", "aig", "v", "sv", "blif", "bench"]

    static func load(inputs: [String], fromList: String?, options: ReadOptions, jobs: Int) throws -> CircuitSet {
        let t0 = monotonicSeconds()
        var collected: [String] = []
        var set = CircuitSet()
        var useStdin = inputs.isEmpty && fromList == nil
        for p in inputs {
            if p == "-" { useStdin = true; continue }
            var st = stat()
            guard stat(p, &st) == 0 else { throw FormatError(file: p, message: "cannot open: \(String(cString: strerror(errno)))") }
            if (st.st_mode & S_IFMT) == S_IFDIR { try walk(p, into: &collected) } else { collected.append(p) }
        }
        if let fromList {
            let bytes = try CircuitIO.readBytes(path: fromList)
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
                let t = line.trimmingSpaces
                if t.isEmpty || t.hasPrefix("#") { continue }
                collected.append(t)
            }
        }
        if useStdin {
            let bytes = try CircuitIO.readBytes(path: "-")
            try parseStream(bytes, name: "<stdin>", into: &set)
        }
        // Files are read and parsed in parallel; the first failing file (in order) is reported.
        let paths = collected
        var parsed = [Result<AIG, Error>?](repeating: nil, count: paths.count)
        parsed.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let buf = buf
            let workers = max(1, jobs > 0 ? jobs : onlineProcessorCount())
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var i = w
                while i < paths.count {
                    buf[i] = Result { try CircuitIO.read(path: paths[i], options: options) }
                    i += workers
                }
            }
        }
        for (i, r) in parsed.enumerated() {
            switch r {
            case .success(let aig)?: set.circuits.append(aig); set.names.append(paths[i])
            case .failure(let e)?: throw e
            case nil: break
            }
        }
        set.readSeconds = monotonicSeconds() - t0
        return set
    }

    /// Recursively lists circuit files under `dir` (sorted, hidden entries skipped).
    static func walk(_ dir: String, into paths: inout [String]) throws {
        guard let d = opendir(dir) else { throw FormatError(file: dir, message: "cannot open directory: \(String(cString: strerror(errno)))") }
        var entries: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            entries.append(name)
        }
        closedir(d)
        for name in entries.sorted() {
            let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            var st = stat()
            guard stat(path, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR { try walk(path, into: &paths); continue }
            if let dot = name.lastIndex(of: "."), extensions.contains(name[name.index(after: dot)...].lowercased()) {
                paths.append(path)
            }
        }
    }

    /// A JSONL stream (`{"aag": "...", "name": "..."}` per line) or concatenated ASCII AIGER.
    static func parseStream(_ bytes: [UInt8], name: String, into set: inout CircuitSet) throws {
        let firstNonSpace = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        if firstNonSpace == UInt8(ascii: "{") {
            var lineNo = 0
            for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
                lineNo += 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
                let value: JSONValue
                do { value = try JSONValue.parse(Array(line)) } catch let e as JSONValue.ParseError {
                    throw FormatError(file: name, line: lineNo, column: e.offset + 1, message: "invalid JSON: \(e.message)")
                }
                guard case .object(let obj) = value, case .string(let text)? = obj["aag"] else {
                    throw FormatError(file: name, line: lineNo, message: "expected a JSON object with the circuit's AIGER text in \"aag\"")
                }
                var circuitName = "\(name):\(lineNo)"
                if case .string(let n)? = obj["name"] { circuitName = n }
                do { set.circuits.append(try AIGERReader.parse(Array(text.utf8), file: circuitName)) } catch let e as FormatError {
                    throw FormatError(file: name, line: lineNo, message: "in \"aag\" of \(circuitName): \(e.description)")
                }
                set.names.append(circuitName)
            }
            return
        }
        if bytes.starts(with: Array("aig".utf8)) {
            set.circuits.append(try AIGERReader.parse(bytes, file: name)); set.names.append(name)
            return
        }
        // Concatenated ASCII AIGER: a new circuit starts at each line beginning with "aag ".
        var starts: [Int] = []
        var lineStart = 0
        var lineNumbers: [Int] = []
        var lineNo = 1
        for i in 0...bytes.count {
            if i == bytes.count || bytes[i] == 0x0A {
                if bytes[lineStart..<i].starts(with: Array("aag ".utf8)) { starts.append(lineStart); lineNumbers.append(lineNo) }
                lineStart = i + 1; lineNo += 1
            }
        }
        if starts.isEmpty {
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return }
            throw FormatError(file: name, line: 1, message: "expected a JSONL stream or (concatenated) AIGER files")
        }
        if starts[0] != 0, !bytes[0..<starts[0]].allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw FormatError(file: name, line: 1, message: "text before the first 'aag' header")
        }
        for (k, s) in starts.enumerated() {
            let e = k + 1 < starts.count ? starts[k + 1] : bytes.count
            let label = "\(name)#\(k + 1)"
            do { set.circuits.append(try AIGERReader.parse(Array(bytes[s..<e]), file: label)) } catch let err as FormatError {
                // Report the line within the whole stream.
                var fixed = err
                fixed.file = name
                if let l = err.line { fixed.line = l + lineNumbers[k] - 1 }
                fixed.message = "in circuit \(k + 1): " + err.message
                throw fixed
            }
            set.names.append(label)
        }
    }
}

extension Substring {
    var trimmingSpaces: String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// A one-line progress bar on stderr (done/total, rate, ETA), only when stderr is a terminal.
final class ProgressBar: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private let start = monotonicSeconds()
    private var last = 0.0
    private var phase = ""
    private var phaseStart = 0.0

    static func ifTerminal() -> ProgressBar? { isatty(2) != 0 ? ProgressBar() : nil }
    private init() { pthread_mutex_init(&mutex, nil) }

    func update(_ label: String, _ done: Int, _ total: Int) {
        pthread_mutex_lock(&mutex); defer { pthread_mutex_unlock(&mutex) }
        let t = monotonicSeconds()
        if label != phase { phase = label; phaseStart = t }
        guard t - last > 0.1 || done == total else { return }
        last = t
        let elapsed = max(1e-9, t - phaseStart)
        let rate = Double(done) / elapsed
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        var err = StandardError()
        print("\r\(label) [\(bar)] \(done)/\(total)  \(Int(rate))/s  ETA \(Int(eta.rounded())) s   ", terminator: "", to: &err)
    }

    func finish() {
        var err = StandardError()
        print("\r" + String(repeating: " ", count: 79) + "\r", terminator: "", to: &err)
    }
}

/// A minimal JSON reader for JSONL inputs (objects, arrays, strings, numbers, literals).
enum JSONValue: Equatable {
    case object([String: JSONValue]), array([JSONValue]), string(String), number(Double), bool(Bool), null

    struct ParseError: Error { var offset: Int; var message: String }

    static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var p = Parser(b: bytes)
        let v = try p.value(depth: 0)
        p.skip()
        if p.i != bytes.count { throw ParseError(offset: p.i, message: "unexpected text after the value") }
        return v
    }

    struct Parser {
        let b: [UInt8]
        var i = 0
        mutating func skip() { while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 } }
        func err(_ m: String) -> ParseError { ParseError(offset: i, message: m) }

        mutating func value(depth: Int) throws -> JSONValue {
            guard depth < 64 else { throw err("nesting too deep") }
            skip()
            guard i < b.count else { throw err("unexpected end of line") }
            switch b[i] {
            case UInt8(ascii: "{"):
                i += 1
                var obj: [String: JSONValue] = [:]
                skip()
                if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(obj) }
                while true {
                    skip()
                    guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw err("expected a key string") }
                    let k = try string()
                    skip()
                    guard i < b.count, b[i] == UInt8(ascii: ":") else { throw err("expected ':'") }
                    i += 1
                    obj[k] = try value(depth: depth + 1)
                    skip()
                    guard i < b.count else { throw err("unexpected end of line in object") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "}") { i += 1; return .object(obj) }
                    throw err("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                i += 1
                var arr: [JSONValue] = []
                skip()
                if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(arr) }
                while true {
                    arr.append(try value(depth: depth + 1))
                    skip()
                    guard i < b.count else { throw err("unexpected end of line in array") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "]") { i += 1; return .array(arr) }
                    throw err("expected ',' or ']'")
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default:
                let s = i
                while i < b.count, "+-0123456789.eE".utf8.contains(b[i]) { i += 1 }
                guard i > s, let d = Double(String(decoding: b[s..<i], as: UTF8.self)) else { throw err("unexpected character") }
                return .number(d)
            }
        }

        mutating func literal(_ word: String, _ v: JSONValue) throws -> JSONValue {
            let w = Array(word.utf8)
            guard i + w.count <= b.count, Array(b[i..<i + w.count]) == w else { throw err("unexpected character") }
            i += w.count
            return v
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= b.count, let v = UInt32(String(decoding: b[i..<i + 4], as: UTF8.self), radix: 16) else { throw err("bad \\u escape") }
            i += 4
            return v
        }

        mutating func string() throws -> String {
            i += 1
            var out: [UInt8] = []
            while true {
                guard i < b.count else { throw err("unterminated string") }
                let c = b[i]; i += 1
                if c == UInt8(ascii: "\"") { break }
                if c != UInt8(ascii: "\\") { out.append(c); continue }
                guard i < b.count else { throw err("unterminated escape") }
                let e = b[i]; i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var v = try hex4()
                    if (0xD800..<0xDC00).contains(v), i + 6 <= b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let lo = try hex4()
                        v = 0x10000 + ((v - 0xD800) << 10) + (lo &- 0xDC00) & 0x3FF
                    }
                    out += Array(String(Unicode.Scalar(v).map(Character.init) ?? "\u{FFFD}").utf8)
                default: out.append(e)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
