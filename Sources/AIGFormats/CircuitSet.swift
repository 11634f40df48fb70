import AIG
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A set of named circuits collected from circuit files, directories, list files and
/// streams, in the order the inputs name them: what `miter dedup`, `pairs` and `hash` read.
///
/// Sources:
/// - a circuit file in any format `CircuitIO` reads;
/// - a directory: searched recursively for `extensions` (sorted, hidden entries skipped);
/// - a list file (`fromList`): one path per line, `#` comments;
/// - a stream: standard input (`-`) or a file ending in `.jsonl`/`.ndjson` or whose
///   first non-space character is `{`. A JSONL stream has one object per line with the
///   AIGER text in `"aag"` and an optional `"name"` (default `FILE:LINE`), as
///   `miter random --jsonl` writes; standard input may also hold concatenated ASCII AIGER
///   files (named `<stdin>#K`; a single one `<stdin>`) or one binary AIGER file.
///
/// Paths held in `CircuitIO.inMemoryFiles` are files (never looked up on disk). Files
/// and the lines of streams are parsed in parallel; the first error in input order is
/// thrown, located at its file and line.
public struct CircuitSet: Sendable {
    public var circuits: [AIG] = []
    /// One name per circuit: its path, its JSONL `"name"`, `FILE:LINE` or `<stdin>#K`.
    public var names: [String] = []
    /// Wall time of `load` (finding, reading and parsing).
    public var readSeconds = 0.0

    public init() {}

    public var count: Int { circuits.count }

    /// Extensions of circuit files found in directories.
    public static let extensions: Set<String> = ["aag", "aig", "v", "sv", "blif", "bench"]
    /// Extensions of JSONL stream files (accepted as explicit inputs; not searched in directories,
    /// where `miter random --out` leaves its `manifest.jsonl`).
    public static let streamExtensions: Set<String> = ["jsonl", "ndjson"]

    /// Loads every input in order; no input and no list file means standard input.
    /// `jobs` parser threads (0: all online processors).
    public static func load(inputs: [String], fromList: String? = nil, options: ReadOptions = ReadOptions(),
                            jobs: Int = 0) throws -> CircuitSet {
        let t0 = clockSeconds()
        var paths: [String] = []
        for p in inputs {
            if p == "-" || CircuitIO.inMemoryFiles[p] != nil { paths.append(p); continue }
            var st = stat()
            guard stat(p, &st) == 0 else { throw FormatError(file: p, message: "cannot open: \(String(cString: strerror(errno)))") }
            if (st.st_mode & S_IFMT) == S_IFDIR { try walk(p, into: &paths) } else { paths.append(p) }
        }
        if let fromList {
            let bytes = try CircuitIO.readBytes(path: fromList)
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
                let t = trimmed(line)
                if t.isEmpty || t.hasPrefix("#") { continue }
                paths.append(t)
            }
        }
        if inputs.isEmpty && fromList == nil { paths.append("-") }

        // Files are read and parsed in parallel; streams are parsed afterwards (line-parallel).
        enum Item { case circuit(AIG), stream([UInt8]), jsonl([UInt8]) }
        let workers = threadCount(jobs)
        var parsed = [Result<Item, Error>?](repeating: nil, count: paths.count)
        let list = paths
        parsed.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let buf = buf
            DispatchQueue.concurrentPerform(iterations: min(workers, max(1, list.count))) { w in
                var i = w
                while i < list.count {
                    buf[i] = Result {
                        let path = list[i]
                        let bytes = try CircuitIO.readBytes(path: path)
                        if path == "-" { return .stream(bytes) }
                        if isStream(path: path, bytes) { return .jsonl(bytes) }
                        return .circuit(try CircuitIO.parse(bytes, name: path, format: CircuitFormat(path: path), options: options))
                    }
                    i += min(workers, max(1, list.count))
                }
            }
        }
        var set = CircuitSet()
        for (i, r) in parsed.enumerated() {
            switch r {
            case .success(.circuit(let aig))?: set.circuits.append(aig); set.names.append(paths[i])
            case .success(.stream(let bytes))?:
                let s = try parseStream(bytes, name: "<stdin>", jobs: jobs)
                set.circuits += s.circuits; set.names += s.names
            case .success(.jsonl(let bytes))?:
                let s = try parseJSONL(bytes, name: paths[i], jobs: jobs)
                set.circuits += s.circuits; set.names += s.names
            case .failure(let e)?: throw e
            case nil: break
            }
        }
        set.readSeconds = clockSeconds() - t0
        return set
    }

    /// True when `bytes` read from `path` are a JSONL stream: a `.jsonl`/`.ndjson`
    /// extension, or a first non-space character `{`.
    public static func isStream(path: String, _ bytes: [UInt8]) -> Bool {
        if let dot = path.lastIndex(of: "."), !path[dot...].contains("/"),
           streamExtensions.contains(path[path.index(after: dot)...].lowercased()) { return true }
        return bytes.first { !isSpace($0) } == UInt8(ascii: "{")
    }

    /// Recursively lists circuit files under `dir` (sorted, hidden entries skipped).
    public static func walk(_ dir: String, into paths: inout [String]) throws {
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

    /// A stream named `name` (errors say `name:LINE`): JSONL, one binary AIGER file,
    /// or concatenated ASCII AIGER. JSONL lines are parsed by `jobs` threads (0: all).
    public static func parseStream(_ bytes: [UInt8], name: String, jobs: Int = 0) throws -> CircuitSet {
        if bytes.first(where: { !isSpace($0) }) == UInt8(ascii: "{") { return try parseJSONL(bytes, name: name, jobs: jobs) }
        var set = CircuitSet()
        if bytes.starts(with: Array("aig".utf8)) {
            set.circuits.append(try AIGERReader.parse(bytes, file: name)); set.names.append(name)
            return set
        }
        // Concatenated ASCII AIGER: a new circuit starts at each line beginning with "aag ".
        var starts: [Int] = []
        var lineStart = 0
        var lineNumbers: [Int] = []
        var lineNo = 1
        let header = Array("aag ".utf8)
        for i in 0...bytes.count {
            if i == bytes.count || bytes[i] == 0x0A {
                if bytes[lineStart..<i].starts(with: header) { starts.append(lineStart); lineNumbers.append(lineNo) }
                lineStart = i + 1; lineNo += 1
            }
        }
        if starts.isEmpty {
            if bytes.allSatisfy(isSpace) { return set }
            throw FormatError(file: name, line: 1, message: "expected a JSONL stream or (concatenated) AIGER files")
        }
        if starts[0] != 0, !bytes[0..<starts[0]].allSatisfy(isSpace) {
            throw FormatError(file: name, line: 1, message: "text before the first 'aag' header")
        }
        for (k, s) in starts.enumerated() {
            let e = k + 1 < starts.count ? starts[k + 1] : bytes.count
            let label = starts.count == 1 ? name : "\(name)#\(k + 1)"
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
        return set
    }

    /// JSONL: one `{"aag": ..., "name": ...}` object per non-blank line (errors say `name:LINE`).
    public static func parseJSONL(_ bytes: [UInt8], name: String, jobs: Int = 0) throws -> CircuitSet {
        var set = CircuitSet()
        // Line ranges (blank lines skipped, numbers kept for messages).
        var lines: [(start: Int, end: Int, number: Int)] = []
        var start = 0, number = 1
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
            if bytes[start..<i].contains(where: { !isSpace($0) }) { lines.append((start, i, number)) }
            start = i + 1; number += 1
        }
        var parsed = [Result<(AIG, String), FormatError>?](repeating: nil, count: lines.count)
        let workers = min(threadCount(jobs), max(1, lines.count / 64))
        let grain = 64
        let next = Counter()
        bytes.withUnsafeBufferPointer { text in
            nonisolated(unsafe) let text = text
            parsed.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let out = out
                let lineList = lines
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    while true {
                        let lo = next.take(grain)
                        if lo >= lineList.count { break }
                        for k in lo..<min(lineList.count, lo + grain) {
                            let l = lineList[k]
                            out[k] = parseLine(UnsafeBufferPointer(rebasing: text[l.start..<l.end]), number: l.number, stream: name)
                        }
                    }
                }
            }
        }
        set.circuits.reserveCapacity(set.circuits.count + lines.count)
        set.names.reserveCapacity(set.names.count + lines.count)
        for r in parsed {
            switch r {
            case .success(let (aig, n))?: set.circuits.append(aig); set.names.append(n)
            case .failure(let e)?: throw e
            case nil: break
            }
        }
        return set
    }

    static func parseLine(_ line: UnsafeBufferPointer<UInt8>, number: Int, stream: String) -> Result<(AIG, String), FormatError> {
        let value: JSONValue
        do { value = try JSONValue.parse(line) } catch {
            return .failure(FormatError(file: stream, line: number, column: error.offset + 1, message: "invalid JSON: \(error.message)"))
        }
        guard case .object(let obj) = value, case .string(let text)? = obj["aag"] else {
            return .failure(FormatError(file: stream, line: number, message: "expected a JSON object with the circuit's AIGER text in \"aag\""))
        }
        var circuitName = "\(stream):\(number)"
        if case .string(let n)? = obj["name"] { circuitName = n }
        do { return .success((try AIGERReader.parse(Array(text.utf8), file: circuitName), circuitName)) } catch let e as FormatError {
            var at = ""
            if let l = e.line { at += ", its line \(l)"; if let c = e.column { at += ", column \(c)" } }
            if let b = e.byteOffset { at += ", byte \(b)" }
            return .failure(FormatError(file: stream, line: number, message: "in \"aag\" of \(circuitName)\(at): \(e.message)"))
        } catch {
            return .failure(FormatError(file: stream, line: number, message: "in \"aag\" of \(circuitName): \(error)"))
        }
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    static func trimmed(_ line: Substring) -> String {
        var s = line[...]
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }

    static func threadCount(_ jobs: Int) -> Int { jobs > 0 ? jobs : max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    static func clockSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// A shared work counter for the line-parallel parser.
    final class Counter: @unchecked Sendable {
        private var mutex = pthread_mutex_t()
        private var value = 0
        init() { pthread_mutex_init(&mutex, nil) }
        deinit { pthread_mutex_destroy(&mutex) }
        func take(_ n: Int) -> Int {
            pthread_mutex_lock(&mutex); defer { pthread_mutex_unlock(&mutex) }
            let v = value; value += n; return v
        }
    }
}
