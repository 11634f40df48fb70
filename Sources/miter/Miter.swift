import AIG
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

@main
struct MiterCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "miter",
        abstract: "Decide whether logic circuits compute the same Boolean function.",
        discussion: """
        Circuits are read from AIGER (.aag/.aig), gate-level Verilog (.v), BLIF (.blif) \
        and ISCAS .bench files; '-' reads AIGER from standard input.
        Exit codes: 0 equivalent / ok, 1 not equivalent, 2 error (usage errors too), 3 undecided.
        With --json, an error is also printed on stdout as a JSON object (schema miter.error.v1).
        """,
        version: "0.1.0",
        subcommands: [
            Stats.self,
            Convert.self,
            Hash.self, Sim.self,
            Check.self, CertifyCheck.self, MiterCommand.self,
            RandomCommand.self, DedupCommand.self, PairsCommand.self,
            Decode.self, Serve.self,
        ]
    )

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let code = execute(arguments)
        fflush(nil)
        Glibc.exit(code)
    }

    /// Parses and runs one command line; returns its exit code. Errors go to stderr as
    /// text and, when the line asks for JSON, to stdout as an `ErrorReport` as well.
    static func execute(_ arguments: [String]) -> Int32 {
        let wantsJSON = arguments.prefix { $0 != "--" }.contains { $0 == "--json" || $0 == "--jsonl" }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return MiterExit.ok
        } catch let e as CLIError {
            report(e, json: wantsJSON)
            return MiterExit.error
        } catch let e as ExitCode {
            return e.rawValue
        } catch {
            let code = exitCode(for: error).rawValue
            let message = fullMessage(for: error)
            if code == 0 {  // --help, --version
                print(message)
                return MiterExit.ok
            }
            // Usage errors (ArgumentParser's 64) exit 2 like every other error.
            var err = StandardError()
            print(message, to: &err)
            if wantsJSON {
                let first = message.split(separator: "\n").first.map(String.init) ?? message
                let text = first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : first
                print(JSONReport.encode(ErrorReport(message: text, text: text)))
            }
            return MiterExit.error
        }
    }

    static func report(_ e: CLIError, json: Bool) {
        var err = StandardError()
        print("miter: error: \(e.text)", to: &err)
        if json { print(JSONReport.encode(e.report)) }
    }
}
