import AIG
import AIGFormats
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// Exit codes shared by every command.
enum MiterExit {
    static let ok: Int32 = 0
    static let notEquivalent: Int32 = 1
    static let error: Int32 = 2
    static let undecided: Int32 = 3
}

/// A failure on user data or arguments: the CLI prints it (as text, or as a JSON object
/// with `--json`) and exits with code 2; `miter serve` answers it and goes on.
struct CLIError: Error {
    /// The whole line printed after `miter: error: ` (location included).
    var text: String
    var located: FormatError? = nil

    init(_ message: String) { text = message }
    init(_ e: FormatError) { text = e.description; located = e }

    var report: ErrorReport {
        ErrorReport(message: located?.message ?? text, text: text, file: located?.file, line: located?.line,
                    column: located?.column, byteOffset: located?.byteOffset)
    }
}

/// Stops the command with a located message (exit 2). Every user-data failure goes
/// through here or `reportingErrors`, so none traps and `miter serve` survives it.
func fail(_ message: String) throws -> Never { throw CLIError(message) }

/// Runs `body`; any thrown error becomes a `CLIError` (exit 2).
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as FormatError { throw CLIError(e) } catch let e as ValidationError {
        throw CLIError(e.message)
    } catch let e as CLIError { throw e } catch let e as ExitCode { throw e } catch { throw CLIError("\(error)") }
}

/// Options every command that reads netlists understands.
/// Circuit-set inputs and comparison options shared by `dedup` and `pairs`.
struct CircuitSetOptionGroup: ParsableArguments {
    @OptionGroup var source: CircuitInputsOptionGroup

    @OptionGroup var matching: SetMatchOptionGroup

    @Option(help: "Time budget of each comparison in seconds (0: none); an undecided comparison merges nothing and labels no pair.")
    var timeout: Double = 0

    @Option(help: "Worker threads (default: all cores).")
    var jobs: Int = 0

    /// Checks the numbers (exit 2 on error) and reads every circuit.
    func load() throws -> CircuitSet {
        guard jobs >= 0 else { try fail("--jobs must be at least 0, got \(jobs)") }
        guard timeout >= 0, timeout.isFinite else { try fail("--timeout must be a non-negative number of seconds") }
        try matching.check()
        return try source.load(jobs: jobs)
    }
}

struct ReadOptionGroup: ParsableArguments {
    @Option(name: .long, help: "Verilog top module (default: the one module nobody instantiates).")
    var top: String?

    @Option(name: .long, help: "Nets used but never driven: error (default), zero (constant 0) or input (a fresh named input).")
    var undriven: ReadOptions.Undriven = .error

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("A Liberty (.lib) file of the standard cells that Verilog netlists instantiate (repeatable).", valueName: "file"))
    var liberty: [String] = []

    @Option(name: .long, help: "RTL Verilog x/z bits outside casez/casex labels: error (default) or zero (read as 0, as Yosys's setundef -zero).")
    var xBits: ReadOptions.XBits = .error

    var readOptions: ReadOptions { get throws {
        var o = ReadOptions(); o.top = top; o.undriven = undriven; o.xBits = xBits
        if !liberty.isEmpty { o.cells = try LibertyCache.load(liberty) }
        return o
    } }
}

/// Liberty libraries already read, so that a command reading several circuits
/// parses them once. `readOptions` is only evaluated on the main thread.
private enum LibertyCache {
    nonisolated(unsafe) static var loaded: (paths: [String], cells: CellLibrary)? = nil

    static func load(_ paths: [String]) throws -> CellLibrary {
        if let l = loaded, l.paths == paths { return l.cells }
        let cells = try reportingErrors { try LibertyReader.read(paths: paths) }
        loaded = (paths, cells)
        return cells
    }
}

extension ReadOptions.Undriven: ExpressibleByArgument {}
extension ReadOptions.XBits: ExpressibleByArgument {}

func loadCircuit(_ path: String, _ options: ReadOptions = ReadOptions()) throws -> AIG {
    try CircuitIO.read(path: path, options: options)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var bytes = Array(string.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}

/// Minimal JSON string escaping for our own reports.
func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where u.value < 0x20:
            let hex = String(u.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}
