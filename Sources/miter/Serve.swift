import AIG
import AIGFormats
import ArgumentParser
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `miter serve`: one long-lived process answering many command lines, so that a
/// million small calls from Python do not pay a million process starts.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer many requests in one process: a JSON line in, a JSON line out.",
        discussion: """
        Each line on stdin is a request {"id": ANY, "argv": ["check", "a.aag", "b.aag", ...], \
        "files": {"a.aag": "aag 1 1 0 1 0\\n2\\n2\\n", "b.aig": {"base64": "..."}}, "stdin": "..."}: argv is a miter \
        command line, run as the CLI runs it, with --json added for the commands that have it \
        (check, certify-check, hash, stats, sim, dedup, pairs, decode). "files" are circuits (or \
        list and vector files) sent inline, read before the file system under those names; \
        "stdin" is what '-' reads (empty when absent). Each answer is one line \
        {"id": ANY, "exit_code": N, "result": JSON, "seconds": S}: result is what the command \
        prints with --json (for an error, exit code 2, the miter.error.v1 object), or "output" \
        with the text printed by a command without JSON. Requests run one at a time, in order; \
        run several workers for parallelism. End of input ends the process. Parsed command lines are \
        kept, so a client that sends circuits inline under fixed names (a.aag, b.aig) repeats \
        one argv and pays no parsing.
        """)

    /// Commands whose results come as JSON with `--json`.
    static let jsonCommands: Set<String> = ["check", "certify-check", "hash", "stats", "sim", "dedup", "pairs", "decode"]

    func run() throws {
        var capture = try OutputCapture()
        var parsed = ParsedCommands()
        while let line = readLine(strippingNewline: true) {
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            let answer = Self.answer(line, capture: &capture, parsed: &parsed)
            capture.writeToRealStdout(answer + "\n")
        }
    }

    /// One request line in, one answer line out (never throws: a bad request is an answer too).
    static func answer(_ line: String, capture: inout OutputCapture, parsed: inout ParsedCommands) -> String {
        let t0 = monotonicSeconds()
        var idJSON = "null"
        func reply(_ code: Int32, _ body: String) -> String {
            "{\"exit_code\":\(code),\"id\":\(idJSON),\(body),\"seconds\":\(r6(monotonicSeconds() - t0))}"
        }
        func requestError(_ message: String) -> String {
            reply(MiterExit.error, "\"result\":" + JSONReport.encode(ErrorReport(message: message, text: "request: " + message)))
        }
        let request: JSONValue
        do { request = try JSONValue.parse(Array(line.utf8)) } catch {
            return requestError("invalid JSON at byte \(error.offset + 1): \(error.message)")
        }
        guard case .object(let fields) = request else { return requestError("expected a JSON object") }
        if let id = fields["id"] { idJSON = id.jsonText }
        guard case .array(let argvValues)? = fields["argv"] else { return requestError("expected \"argv\": an array of strings") }
        var argv: [String] = []
        for v in argvValues {
            guard case .string(let s) = v else { return requestError("\"argv\" must hold strings only") }
            argv.append(s)
        }
        guard let command = argv.first else { return requestError("\"argv\" is empty: give a command, e.g. [\"check\", \"a.aag\", \"b.aag\"]") }
        if command == "serve" || (command == "decode" && argv.contains("--serve")) {
            return requestError("'\(argv.joined(separator: " "))' cannot run inside miter serve")
        }
        var files: [String: [UInt8]] = [:]
        if let f = fields["files"] {
            guard case .object(let entries) = f else { return requestError("\"files\" must be an object of name: text") }
            for (name, value) in entries {
                switch value {
                case .string(let text): files[name] = Array(text.utf8)
                case .object(let o):
                    // Binary files (binary AIGER) travel as base64.
                    guard case .string(let b64)? = o["base64"], let data = Data(base64Encoded: b64) else {
                        return requestError("\"files\".\(name) must be a string or {\"base64\": \"...\"}")
                    }
                    files[name] = Array(data)
                default: return requestError("\"files\".\(name) must be a string or {\"base64\": \"...\"}")
                }
            }
        }
        switch fields["stdin"] {
        case .string(let text)?: files["-"] = Array(text.utf8)
        case nil, .null?: files["-"] = []
        default: return requestError("\"stdin\" must be a string")
        }
        let json = jsonCommands.contains(command)
        if json && !argv.contains("--json") { argv.append("--json") }

        CircuitIO.inMemoryFiles = files
        defer { CircuitIO.inMemoryFiles = [:] }
        var code: Int32 = 0
        var cliError: CLIError? = nil
        let printed = capture.capturing {
            do {
                var command = try parsed.command(argv)
                try command.run()
            } catch let e as CLIError {
                cliError = e; code = MiterExit.error
            } catch let e as ExitCode {
                code = e.rawValue
            } catch {
                let c = MiterCLI.exitCode(for: error).rawValue
                if c != 0 {
                    let first = MiterCLI.fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "usage error"
                    cliError = CLIError(first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : first)
                    code = MiterExit.error
                } else {
                    print(MiterCLI.fullMessage(for: error))
                }
            }
        }
        if let cliError { return reply(MiterExit.error, "\"result\":" + JSONReport.encode(cliError.report)) }
        var text = printed
        while let last = text.last, last == "\n" || last == "\r" { text.removeLast() }
        // One answer per line: JSON text holds no raw line breaks inside strings, so the
        // ones between values can go.
        if json, !text.isEmpty {
            // One line is one JSONReport.encode: no need to parse it again.
            if !text.contains("\n"), text.first == "{" || text.first == "[" { return reply(code, "\"result\":" + text) }
            if (try? JSONValue.parse(Array(text.utf8))) != nil {
                return reply(code, "\"result\":" + text.filter { $0 != "\n" && $0 != "\r\n" && $0 != "\r" })
            }
            // JSON lines (`pairs --jsonl -`, `dedup --jsonl`): the result is their array.
            let lines = text.split(separator: "\n").map { String($0) }
            if lines.allSatisfy({ (try? JSONValue.parse(Array($0.utf8))) != nil }) {
                return reply(code, "\"result\":[" + lines.joined(separator: ",") + "]")
            }
        }
        return reply(code, "\"output\":" + jsonString(printed))
    }
}

/// Parsed command lines by argv. Parsing with ArgumentParser costs 0.2-0.6 ms (75% of a
/// small `check` request); a client that sends its circuits inline under fixed names
/// repeats the same argv and skips it. A command value is a struct: running a copy
/// again is the same as parsing again.
struct ParsedCommands {
    private var byArgv: [[String]: ParsableCommand] = [:]
    static let limit = 256

    mutating func command(_ argv: [String]) throws -> ParsableCommand {
        if let c = byArgv[argv] { return c }
        let c = try MiterCLI.parseAsRoot(argv)
        if byArgv.count >= Self.limit { byArgv.removeAll(keepingCapacity: true) }
        byArgv[argv] = c
        return c
    }
}

/// Redirects file descriptor 1 into an unlinked temporary file while a command runs,
/// so the command's printed output becomes the request's answer.
struct OutputCapture {
    private let realStdout: Int32
    private let scratch: Int32

    init() throws {
        var template = Array("/tmp/miter-serve-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw CLIError("serve: cannot create a scratch file in /tmp: \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        scratch = fd
        realStdout = dup(1)
        guard realStdout >= 0 else { throw CLIError("serve: cannot duplicate stdout") }
    }

    mutating func capturing(_ body: () -> Void) -> String {
        fflush(nil)
        _ = ftruncate(scratch, 0)
        _ = lseek(scratch, 0, SEEK_SET)
        _ = dup2(scratch, 1)
        body()
        fflush(nil)
        _ = dup2(realStdout, 1)
        let size = Int(lseek(scratch, 0, SEEK_CUR))
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { pread(scratch, $0.baseAddress! + done, size - done, off_t(done)) }
            if n <= 0 { break }
            done += n
        }
        return String(decoding: bytes[0..<done], as: UTF8.self)
    }

    func writeToRealStdout(_ text: String) {
        var bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(realStdout, $0.baseAddress! + done, $0.count - done) }
            if n <= 0 { if errno == EINTR { continue }; break }
            done += n
        }
    }
}

extension JSONValue {
    /// The value as compact JSON text (object keys sorted).
    var jsonText: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let d):
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
            return d.isFinite ? "\(d)" : "null"
        case .string(let s): return jsonString(s)
        case .array(let a): return "[" + a.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let o): return "{" + o.sorted { $0.key < $1.key }.map { jsonString($0.key) + ":" + $0.value.jsonText }.joined(separator: ",") + "}"
        }
    }
}
