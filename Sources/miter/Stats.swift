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
        var rows: [String] = []
        for path in files {
            let aig = try reportingErrors { try loadCircuit(path, try read.readOptions) }
            let levels = aig.depth()
            // AIGER 1.9 property sections, shown only where present.
            let sections: [CircuitSection] = [.bad, .constraints, .justice, .fairness]
            let present = sections.filter { aig.itemCount($0) > 0 }
            if json {
                let extra = present.map { ",\"\($0.rawValue)\":\($0 == .justice ? aig.justice.count : aig.itemCount($0))" }.joined()
                rows.append("{\"file\":\(jsonString(path)),\"inputs\":\(aig.inputCount),\"outputs\":\(aig.outputCount),\"latches\":\(aig.latchCount),\"ands\":\(aig.andCount),\"levels\":\(levels)\(extra)}")
            } else {
                let extra = present.map { "  \($0.rawValue) = \($0 == .justice ? aig.justice.count : aig.itemCount($0))" }.joined()
                print("\(path): i/o = \(aig.inputCount)/\(aig.outputCount)  latches = \(aig.latchCount)  and = \(aig.andCount)  lev = \(levels)\(extra)")
            }
        }
        if json { print("[" + rows.joined(separator: ",\n") + "]") }
    }
}
