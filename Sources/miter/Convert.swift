import AIG
import AIGFormats
import ArgumentParser

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a circuit between formats, or draw it as a Graphviz DOT picture.",
        discussion: """
        The output format follows OUT's extension (.aag, .aig, .v, .dot/.gv); '-' writes to \
        standard output (binary AIGER unless --ascii, or DOT with --dot or --cone). The output \
        file is written atomically: on any error no partial file is left behind.

        DOT pictures ('dot -Tpng x.dot -o x.png') put the inputs at the top and the outputs at \
        the bottom; a dashed edge is complemented. --cone OUTPUT (an output name or index, \
        repeatable) draws only the fan-in of those outputs; pictures of more than 5000 nodes \
        are still written, with a note.
        """)

    @Argument(help: "Input circuit (any supported format; '-' for AIGER on stdin).")
    var input: String

    @Argument(help: "Output file, or '-' for standard output.")
    var output: String

    @Flag(help: "Write ASCII AIGER (.aag) whatever the extension.")
    var ascii = false

    @Flag(help: "Write binary AIGER (.aig) whatever the extension.")
    var binary = false

    @Flag(help: "Write a Graphviz DOT picture whatever the extension.")
    var dot = false

    @Option(name: .customLong("cone"), parsing: .singleValue,
            help: ArgumentHelp("DOT only: draw just the fan-in of this output (a name or an index; repeatable).", valueName: "output"))
    var cone: [String] = []

    @OptionGroup var read: ReadOptionGroup

    /// Pictures with more nodes than this get a note suggesting --cone.
    static let bigPicture = 5000

    func run() throws {
        if [ascii, binary, dot].filter({ $0 }).count > 1 { try fail("--ascii, --binary and --dot exclude each other") }
        let format: CircuitFormat
        if ascii { format = .aigerASCII } else if binary { format = .aigerBinary } else if dot { format = .dot } else if output == "-" {
            format = cone.isEmpty ? .aigerBinary : .dot
        } else if let f = CircuitFormat(path: output) { format = f } else {
            try fail("cannot tell the output format from '\(output)': use .aag, .aig, .v or .dot, or --ascii/--binary/--dot")
        }
        if !cone.isEmpty && format != .dot {
            try fail("--cone draws part of a DOT picture; '\(output)' is written as \(format.rawValue): use a .dot output or --dot")
        }
        let aig = try reportingErrors { try loadCircuit(input, try read.readOptions) }
        guard format == .dot else {
            try reportingErrors { try CircuitIO.write(aig, to: output, format: format) }
            return
        }
        let outputs = try cone.map { try outputIndex($0, in: aig) }
        let source = input == "-" ? "<stdin>" : String(input.split(separator: "/").last ?? Substring(input))
        var title = source
        if !cone.isEmpty {
            let names = Array(Set(outputs)).sorted().map { aig.outputNames[$0] ?? "output \($0)" }
            title += ": cone of " + names.joined(separator: ", ")
        }
        let options = DOTWriter.Options(cone: cone.isEmpty ? nil : Set(outputs), title: title)
        let picture = try reportingErrors { try DOTWriter.picture(aig, options) }
        try reportingErrors { try CircuitIO.writeBytesAtomically(picture.bytes, to: output) }
        if picture.nodeCount > Self.bigPicture {
            var err = StandardError()
            print("miter: note: \(output == "-" ? "the picture" : output) draws \(picture.nodeCount) nodes (\(picture.edgeCount) edges); Graphviz may take long to lay it out: --cone OUTPUT draws only the fan-in of chosen outputs", to: &err)
        }
    }

    /// An output by name (the first of that name), else by index; unknown ones are an error (exit 2).
    private func outputIndex(_ spec: String, in aig: AIG) throws -> Int {
        if let k = aig.outputNames.firstIndex(where: { $0 == spec }) { return k }
        if let k = Int(spec), k >= 0, k < aig.outputCount { return k }
        let known = aig.outputNames.enumerated().prefix(8).map { $0.element ?? "#\($0.offset)" }.joined(separator: ", ")
        let more = aig.outputCount > 8 ? ", …" : ""
        let source = input == "-" ? "<stdin>" : input
        try fail("\(source): --cone '\(spec)': no output has that name, and it is not an output index\(aig.outputCount == 0 ? "" : " 0..\(aig.outputCount - 1)") (outputs: \(aig.outputCount == 0 ? "none" : known + more))")
    }
}
