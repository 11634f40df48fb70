import AIG
import AIGFormats
import ArgumentParser

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print inputs, outputs, latches, ANDs and levels of each circuit.",
        discussion: "Counts are those of the file as read (no optimisation); levels is the AND depth.")

    @Argument(help: "Circuit files (any supported format; '-' for AIGER on stdin).")
    var files: [String]

    @Flag(help: "One JSON object per file, in a JSON array.")
    var json = false

    @OptionGroup var read: ReadOptionGroup

    func run() throws {
        var rows: [StatsReport] = []
        for path in files {
            let aig = try reportingErrors { try loadCircuit(path, try read.readOptions) }
            let r = StatsReport(file: path, aig: aig)
            if json { rows.append(r); continue }
            let extra = [("bad", r.bad), ("constraints", r.constraints), ("justice", r.justice), ("fairness", r.fairness)]
                .compactMap { name, n in n.map { "  \(name) = \($0)" } }.joined()
            print("\(path): i/o = \(r.inputs)/\(r.outputs)  latches = \(r.latches)  and = \(r.ands)  lev = \(r.levels)\(extra)")
        }
        if json { print(JSONReport.encode(rows)) }
    }
}
