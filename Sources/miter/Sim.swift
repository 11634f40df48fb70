import AIG
import AIGFormats
import ArgumentParser
import Simulation

struct Sim: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a circuit on input vectors and print the output values.",
        discussion: """
        A vector is a string of 0/1, character i being input i in the file's input order \
        ('_' and blanks are ignored, so 0110_1001 is fine). For a circuit with latches it \
        may also give the latches' current state after the inputs (inputs + latches \
        characters); otherwise latches start at their reset values (uninitialised = 0).

        --vectors FILE: one vector per line; empty lines and lines starting with '#' are \
        skipped. The first line may instead be a header of port names (separated by blanks \
        or commas): then character i is the input (or latch) named by the i-th name, and \
        every input must be named once.

        Output: one line per vector, 'VECTOR OUTPUTS' (output j = character j), with \
        ' NEXT' (the latches' next state) appended for sequential circuits.
        """)

    @Argument(help: "Circuit file (any supported format; '-' for AIGER on stdin).")
    var file: String

    @Option(name: .customLong("vector"), help: "An input vector such as 0110 (repeatable).")
    var vectors: [String] = []

    @Option(name: .customLong("vectors"), help: "A file of vectors, one per line (optional header line of names).")
    var vectorFile: String?

    @Flag(help: "Print a JSON object instead of lines.")
    var json = false

    @OptionGroup var read: ReadOptionGroup

    func run() throws {
        if vectors.isEmpty && vectorFile == nil { try fail("give at least one --vector or a --vectors FILE") }
        let aig = try reportingErrors { try loadCircuit(file, try read.readOptions) }
        var rows: [(text: String, values: [Bool])] = []
        let defaultOrder = Array(0..<(aig.inputCount + aig.latchCount))
        for (k, v) in vectors.enumerated() {
            rows.append((v, try parseVector(v, aig: aig, order: defaultOrder, allowLatches: true, where: "--vector #\(k + 1)")))
        }
        if let vectorFile { rows += try readVectorFile(vectorFile, aig: aig) }

        // Bit-parallel: all vectors at once.
        let n = aig.inputCount + aig.latchCount
        var patterns = PatternSet(inputCount: n, wordCount: max(1, (rows.count + 63) / 64))
        for r in rows { patterns.append(r.values) }
        var sim = Simulator()
        sim.simulate(aig, patterns: patterns)
        func bits(_ lits: [Literal], _ p: Int) -> String {
            String(lits.map { sim.value($0, pattern: p) ? "1" : "0" })
        }
        let nextLits = aig.latches.map(\.next)
        if json {
            let results = rows.indices.map { p in
                SimReport.Row(vector: vectorString(rows[p].values, aig: aig), outputs: bits(aig.outputs, p),
                              next: aig.latchCount > 0 ? bits(nextLits, p) : nil)
            }
            print(JSONReport.encode(SimReport(file: file, aig: aig, results: results)))
        } else {
            for p in rows.indices {
                let v = vectorString(rows[p].values, aig: aig)
                print(aig.latchCount > 0 ? "\(v) \(bits(aig.outputs, p)) \(bits(nextLits, p))" : "\(v) \(bits(aig.outputs, p))")
            }
        }
    }

    /// The normalised vector: inputs, then latch state for sequential circuits.
    private func vectorString(_ values: [Bool], aig: AIG) -> String {
        let s = String(values[0..<aig.inputCount].map { $0 ? "1" : "0" })
        if aig.latchCount == 0 { return s }
        return s + " " + String(values[aig.inputCount...].map { $0 ? "1" : "0" })
    }

    /// Parses a 0/1 string into a full pattern (inputs then latches). `order[c]`
    /// is the pattern input set by the c-th value.
    private func parseVector(_ text: String, aig: AIG, order: [Int], allowLatches: Bool, where place: String) throws -> [Bool] {
        var chars: [Bool] = []
        for ch in text.unicodeScalars {
            switch ch {
            case "0": chars.append(false)
            case "1": chars.append(true)
            case "_", " ", "\t", "\r": continue
            default: try fail("\(place): '\(ch)' is not 0 or 1 in vector '\(text)'")
            }
        }
        var values = [Bool](repeating: false, count: aig.inputCount + aig.latchCount)
        for j in 0..<aig.latchCount where aig.latches[j].reset == .one { values[aig.inputCount + j] = true }
        let expected = order.count
        let withoutLatches = allowLatches ? aig.inputCount : expected
        guard chars.count == expected || chars.count == withoutLatches else {
            var what = "\(aig.inputCount) input\(aig.inputCount == 1 ? "" : "s")"
            if aig.latchCount > 0 && allowLatches { what += " (or \(expected) with the \(aig.latchCount) latch\(aig.latchCount == 1 ? "" : "es"))" }
            try fail("\(place): vector '\(text)' has \(chars.count) value\(chars.count == 1 ? "" : "s"), but \(file) has \(what)")
        }
        for (c, v) in chars.enumerated() { values[order[c]] = v }
        return values
    }

    private func readVectorFile(_ path: String, aig: AIG) throws -> [(text: String, values: [Bool])] {
        let bytes = try reportingErrors { try CircuitIO.readBytes(path: path) }
        let text = String(decoding: bytes, as: UTF8.self)
        var order = Array(0..<(aig.inputCount + aig.latchCount))
        var allowLatches = true
        var rows: [(String, [Bool])] = []
        var first = true
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine.trimmingCharacters(in: " \t\r"))
            if line.isEmpty || line.hasPrefix("#") { continue }
            defer { first = false }
            if first && line.unicodeScalars.contains(where: { !"01_ \t".unicodeScalars.contains($0) }) {
                order = try headerOrder(line, aig: aig, where: "\(path):\(index + 1)")
                allowLatches = false
                continue
            }
            rows.append((line, try parseVector(line, aig: aig, order: order, allowLatches: allowLatches, where: "\(path):\(index + 1)")))
        }
        return rows
    }

    /// Maps header names to pattern inputs; every input must appear once,
    /// latches all or none.
    private func headerOrder(_ line: String, aig: AIG, where place: String) throws -> [Int] {
        let names = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
        var index: [String: Int] = [:]
        for (i, n) in aig.inputNames.enumerated() { if let n, index[n] == nil { index[n] = i } }
        for (j, n) in aig.latchNames.enumerated() { if let n, index[n] == nil { index[n] = aig.inputCount + j } }
        var seen = Set<Int>()
        var order: [Int] = []
        for n in names {
            guard let p = index[n] else { try fail("\(place): header names '\(n)', which is not an input or latch of \(file)") }
            guard seen.insert(p).inserted else { try fail("\(place): header names '\(n)' twice") }
            order.append(p)
        }
        let inputsNamed = order.filter { $0 < aig.inputCount }.count
        let latchesNamed = order.count - inputsNamed
        if inputsNamed != aig.inputCount {
            try fail("\(place): header names \(inputsNamed) of the \(aig.inputCount) inputs of \(file); name every input once")
        }
        if latchesNamed != 0 && latchesNamed != aig.latchCount {
            try fail("\(place): header names \(latchesNamed) of the \(aig.latchCount) latches; name all or none")
        }
        return order
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return s
    }
}
