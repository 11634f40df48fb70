import AIG
import AIGFormats
import Foundation
import Testing

/// Helpers shared by the netlist-reader tests (Verilog, BLIF, .bench).
enum NetlistTestSupport {
    /// The repository root, found from this file's path.
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func fixture(_ relative: String) -> String { repoRoot + "/" + relative }

    /// `../shared/circuits` next to the repository, or nil (with a printed reason).
    static func sharedCircuits(_ why: String) -> String? {
        let dir = URL(fileURLWithPath: repoRoot).deletingLastPathComponent().appendingPathComponent("shared/circuits").path
        if FileManager.default.fileExists(atPath: dir + "/epfl") { return dir }
        print("skipping \(why): no shared circuits at \(dir)")
        return nil
    }

    static func which(_ name: String, _ why: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        print("skipping \(why): \(name) is not installed")
        return nil
    }

    static func run(_ argv: [String], cwd: String? = nil) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: argv[0])
        p.arguments = Array(argv.dropFirst())
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "miter-netlist-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// ABC `cec` (by name, or by order with `byOrder`) on two AIGER files.
    static func abcEquivalent(_ abc: String, _ a: String, _ b: String, byOrder: Bool = false) throws -> (Bool, String) {
        let r = try run([abc, "-c", "cec \(byOrder ? "-n " : "")\(a) \(b)"])
        return (r.output.contains("Networks are equivalent"), r.output)
    }

    static func parse(_ text: String, _ format: CircuitFormat = .verilog, name: String = "t.v",
                      options: ReadOptions = ReadOptions()) throws -> AIG {
        try CircuitIO.parse(Array(text.utf8), name: name, format: format, options: options)
    }

    /// Output values of a combinational AIG for one input assignment.
    static func evaluate(_ aig: AIG, _ inputs: [Bool], latches: [Bool] = []) -> [Bool] {
        var v = [Bool](repeating: false, count: aig.maxVariable + 1)
        for i in 0..<aig.inputCount { v[i + 1] = inputs[i] }
        for (k, x) in latches.enumerated() { v[aig.firstLatchVariable + k] = x }
        func lit(_ l: Literal) -> Bool { v[Int(l.variable)] != l.isComplemented }
        for (k, a) in aig.ands.enumerated() { v[aig.firstAndVariable + k] = lit(a.left) && lit(a.right) }
        return aig.outputs.map(lit)
    }

    /// Every output for every input assignment (input 0 is bit 0 of the row index).
    static func truthTable(_ aig: AIG) -> [[Bool]] {
        precondition(aig.inputCount <= 16)
        return (0..<(1 << aig.inputCount)).map { m in
            evaluate(aig, (0..<aig.inputCount).map { (m >> $0) & 1 == 1 })
        }
    }

    static func names(_ xs: [String?]) -> [String] { xs.map { $0 ?? "" } }
}

@Suite struct VerilogSupportTests {
    @Test func fixturesExist() {
        for f in ["Verilog/c17.v", "Verilog/adder2.v", "Verilog/alu4.v", "Circuits/c17.bench", "Circuits/s27.bench", "Circuits/adder2.blif"] {
            #expect(FileManager.default.fileExists(atPath: NetlistTestSupport.fixture(f)), "missing fixture \(f)")
        }
    }
}
