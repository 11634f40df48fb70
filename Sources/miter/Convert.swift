import AIG
import AIGFormats
import ArgumentParser

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a circuit between formats.",
        discussion: """
        The output format follows OUT's extension (.aag, .aig, .v, ...); '-' writes to \
        standard output (binary AIGER unless --ascii). The output file is written atomically: \
        on any error no partial file is left behind.
        """)

    @Argument(help: "Input circuit (any supported format; '-' for AIGER on stdin).")
    var input: String

    @Argument(help: "Output file, or '-' for standard output.")
    var output: String

    @Flag(help: "Write ASCII AIGER (.aag) whatever the extension.")
    var ascii = false

    @Flag(help: "Write binary AIGER (.aig) whatever the extension.")
    var binary = false

    @OptionGroup var read: ReadOptionGroup

    func run() throws {
        if ascii && binary { try fail("--ascii and --binary exclude each other") }
        let format: CircuitFormat
        if ascii { format = .aigerASCII } else if binary { format = .aigerBinary } else if output == "-" {
            format = .aigerBinary
        } else if let f = CircuitFormat(path: output) { format = f } else {
            try fail("cannot tell the output format from '\(output)': use .aag, .aig or .v, or --ascii/--binary")
        }
        let aig = try reportingErrors { try loadCircuit(input, try read.readOptions) }
        try reportingErrors { try CircuitIO.write(aig, to: output, format: format) }
    }
}
