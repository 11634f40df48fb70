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

/// Prints `miter: error: <message>` on stderr and exits with code 2.
/// Every user-data failure goes through here, so none traps.
func fail(_ message: String) -> Never {
    var stderr = StandardError()
    print("miter: error: \(message)", to: &stderr)
    Glibc.exit(MiterExit.error)
}

/// Runs `body`; any thrown error becomes a located message and exit 2.
func reportingErrors<T>(_ body: () throws -> T) -> T {
    do { return try body() } catch let e as FormatError { fail(e.description) } catch let e as ValidationError {
        fail(e.message)
    } catch { fail("\(error)") }
}

/// Options every command that reads netlists understands.
/// Circuit-set inputs and comparison options shared by `dedup` and `pairs`.
struct CircuitSetOptionGroup: ParsableArguments {
    @Argument(help: "Circuit files or directories ('-' or nothing: standard input).")
    var inputs: [String] = []

    @Option(name: .customLong("from-list"), help: "A file listing circuit paths, one per line ('#' comments).")
    var fromList: String?

    @Flag(name: .customLong("by-name"), help: "Match ports by name instead of by position.")
    var byName = false

    @Option(help: "Time budget of each comparison in seconds (0: none); an undecided comparison merges nothing and labels no pair.")
    var timeout: Double = 0

    @Option(help: "Worker threads (default: all cores).")
    var jobs: Int = 0

    @OptionGroup var read: ReadOptionGroup

    /// Checks the numbers (exit 2 on error) and reads every circuit.
    func load() -> CircuitSet {
        guard jobs >= 0 else { fail("--jobs must be at least 0, got \(jobs)") }
        guard timeout >= 0, timeout.isFinite else { fail("--timeout must be a non-negative number of seconds") }
        return reportingErrors { try CircuitSet.load(inputs: inputs, fromList: fromList, options: read.readOptions, jobs: jobs) }
    }
}

struct ReadOptionGroup: ParsableArguments {
    @Option(name: .long, help: "Verilog top module (default: the one module nobody instantiates).")
    var top: String?

    @Option(name: .long, help: "Nets used but never driven: error (default), zero (constant 0) or input (a fresh named input).")
    var undriven: ReadOptions.Undriven = .error

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("A Liberty (.lib) file of the standard cells that Verilog netlists instantiate (repeatable).", valueName: "file"))
    var liberty: [String] = []

    var readOptions: ReadOptions {
        var o = ReadOptions(); o.top = top; o.undriven = undriven
        if !liberty.isEmpty { o.cells = LibertyCache.load(liberty) }
        return o
    }
}

/// Liberty libraries already read, so that a command reading several circuits
/// parses them once. `readOptions` is only evaluated on the main thread.
private enum LibertyCache {
    nonisolated(unsafe) static var loaded: (paths: [String], cells: CellLibrary)? = nil

    static func load(_ paths: [String]) -> CellLibrary {
        if let l = loaded, l.paths == paths { return l.cells }
        let cells = reportingErrors { try LibertyReader.read(paths: paths) }
        loaded = (paths, cells)
        return cells
    }
}

extension ReadOptions.Undriven: ExpressibleByArgument {}

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
