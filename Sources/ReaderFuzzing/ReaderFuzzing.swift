import AIG
import AIGFormats

/// One input of a fuzzer, given to one reader: the reader must either throw
/// a located `FormatError` or return a well-formed AIG. Anything else (a
/// trap, an unlocated error, a malformed graph) is a bug. Used by the
/// libFuzzer entry point (`Sources/MiterFuzz`, `Scripts/fuzz.sh`) and by the
/// regression test that replays the seed corpus and every input a fuzzer found.
public enum FuzzedReader: String, CaseIterable, Sendable {
    case aiger, verilog, blif, bench, liberty

    /// The file extensions whose shipped circuits seed this reader.
    public var seedExtensions: [String] {
        switch self {
        case .aiger: ["aag", "aig"]
        case .verilog: ["v"]
        case .blif: ["blif"]
        case .bench: ["bench"]
        case .liberty: ["lib"]
        }
    }

    public enum Outcome: Equatable, Sendable {
        case read(inputs: Int, outputs: Int, ands: Int)
        case rejected(line: Int?)
        /// A bug: the reader returned something it must not.
        case defect(String)
    }

    public func run(_ bytes: [UInt8]) -> Outcome {
        let name = "fuzz." + seedExtensions[0]
        do {
            if self == .liberty {
                let library = try LibertyReader.parse(bytes, file: name)
                if let why = Self.malformation(library) { return .defect(why) }
                return .read(inputs: library.cells.count, outputs: 0, ands: library.cells.reduce(0) { $0 + $1.nodes.count })
            }
            let aig: AIG
            switch self {
            case .aiger: aig = try AIGERReader.parse(bytes, file: name)
            case .verilog: aig = try VerilogReader.parse(bytes, file: name)
            case .blif: aig = try BLIFReader.parse(bytes, file: name)
            case .bench: aig = try BenchReader.parse(bytes, file: name)
            case .liberty: return .defect("unreachable")
            }
            if let why = Self.malformation(aig) { return .defect(why) }
            return .read(inputs: aig.inputCount, outputs: aig.outputCount, ands: aig.andCount)
        } catch let e as FormatError {
            if e.file != name { return .defect("error names file '\(e.file)', not '\(name)'") }
            return .rejected(line: e.line)
        } catch {
            return .defect("not a FormatError: \(error)")
        }
    }

    /// Why `library` breaks its invariants: expression children precede
    /// their parents, pin functions name existing nodes.
    public static func malformation(_ library: CellLibrary) -> String? {
        for cell in library.cells {
            for (k, node) in cell.nodes.enumerated() {
                switch node.op {
                case .not where node.a >= Int32(k) || node.a < 0,
                     .and where node.a >= Int32(k) || node.b >= Int32(k) || node.a < 0 || node.b < 0,
                     .or where node.a >= Int32(k) || node.b >= Int32(k) || node.a < 0 || node.b < 0,
                     .xor where node.a >= Int32(k) || node.b >= Int32(k) || node.a < 0 || node.b < 0:
                    return "cell \(cell.name): node \(k) has a child that does not precede it"
                default: break
                }
            }
            for pin in cell.pins where pin.function >= Int32(cell.nodes.count) {
                return "cell \(cell.name): pin \(pin.name) names node \(pin.function) of \(cell.nodes.count)"
            }
        }
        return nil
    }

    /// Why `aig` breaks the AIG's invariants (nil: it does not).
    public static func malformation(_ aig: AIG) -> String? {
        let limit = UInt32(2 * aig.maxVariable + 1)
        for (k, f) in aig.ands.enumerated() {
            let v = aig.firstAndVariable + k
            if Int(f.left.variable) >= v || Int(f.right.variable) >= v { return "AND \(v) is not in topological order" }
        }
        for l in aig.outputs + aig.latches.map(\.next) + aig.bad + aig.constraints + aig.fairness + aig.justice.flatMap({ $0 })
        where l.raw > limit {
            return "literal \(l.raw) beyond M = \(aig.maxVariable)"
        }
        if aig.inputNames.count != aig.inputCount || aig.outputNames.count != aig.outputCount || aig.latchNames.count != aig.latchCount {
            return "name arrays do not match the ports"
        }
        return nil
    }
}
