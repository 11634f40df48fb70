import Foundation
import Testing
import AIGFormats
import ReaderFuzzing
import TestSupport

/// Replays what the fuzzers start from and what they found (Scripts/fuzz.sh):
/// each reader on the shipped circuits of its formats (must read, well-formed)
/// and on Tests/FuzzRegressions/READER/* (must read or give a located error;
/// never trap, hang, or return a malformed graph).
@Suite struct FuzzRegressionTests {
    static func files(under dir: String, extensions: [String]?) -> [URL] {
        let root = TestSupport.repoFile(dir)
        guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }
            .filter { u in (try? u.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .filter { u in extensions.map { $0.contains(u.pathExtension) } ?? true }
            .sorted { $0.path < $1.path }
    }

    @Test(arguments: FuzzedReader.allCases)
    func seedCorpusReads(_ reader: FuzzedReader) throws {
        let seeds = Self.files(under: "Circuits", extensions: reader.seedExtensions) + Self.files(under: "Verilog", extensions: reader.seedExtensions)
        #expect(!seeds.isEmpty, "no shipped \(reader.seedExtensions) circuits")
        for url in seeds {
            let outcome = reader.run(Array(try Data(contentsOf: url)))
            if case .read = outcome { continue }
            // Circuits/sequential holds RTL sources (always blocks) that Yosys
            // turns into the fixtures: a located error is right for them.
            if url.path.contains("/Circuits/sequential/"), case .rejected = outcome { continue }
            Issue.record("\(url.lastPathComponent): \(outcome)")
        }
    }

    @Test(arguments: FuzzedReader.allCases)
    func regressionInputsAreHandled(_ reader: FuzzedReader) throws {
        let inputs = Self.files(under: "Tests/FuzzRegressions/\(reader.rawValue)", extensions: nil)
        for url in inputs {
            let outcome = reader.run(Array(try Data(contentsOf: url)))
            if case .defect(let why) = outcome { Issue.record("\(url.lastPathComponent): \(why)") }
        }
    }

    /// The checks themselves: a malformed graph is caught.
    @Test func malformationIsDetected() throws {
        var aig = try AIGERReader.parse(Array("aag 3 2 0 1 1\n2\n4\n6\n6 2 4\n".utf8), file: "ok.aag")
        #expect(FuzzedReader.malformation(aig) == nil)
        aig.outputs = [.init(raw: 99)]
        #expect(FuzzedReader.malformation(aig) != nil)
    }
}
