import AIG
import AIGFormats
import ArgumentParser

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print inputs, outputs, latches, ANDs and levels of each circuit.",
        discussion: """
        Counts are those of the file as read (no optimisation); levels is the AND depth. \
        Inputs as for 'miter hash': circuit files, directories, JSONL files, --from-list FILE \
        (many circuits: swift-argument-parser's parsing of thousands of file arguments is \
        quadratic), or standard input ('-' or nothing).
        """)

    @OptionGroup var source: CircuitInputsOptionGroup

    @Flag(help: "One JSON object per circuit, in a JSON array.")
    var json = false

    func run() throws {
        var rows: [StatsReport] = []
        let set = try source.load(jobs: 0)
        for (aig, path) in zip(set.circuits, set.names) {
            let r = StatsReport(file: path, aig: aig)
            if json { rows.append(r); continue }
            let extra = [("bad", r.bad), ("constraints", r.constraints), ("justice", r.justice), ("fairness", r.fairness)]
                .compactMap { name, n in n.map { "  \(name) = \($0)" } }.joined()
            print("\(path): i/o = \(r.inputs)/\(r.outputs)  latches = \(r.latches)  and = \(r.ands)  lev = \(r.levels)\(extra)")
        }
        if json { print(JSONReport.encode(rows)) }
    }
}
