import Foundation
import Testing
import AIG
@testable import AIGFormats
import TestSupport

/// Cross-checks against ABC on the shared EPFL circuits (skipped with a
/// printed reason when ABC or ../shared is absent).
@Suite struct AIGERPeerTests {
    @Test func epflReadsAndRoundTripsByteForByte() throws {
        guard TestSupport.shared() != nil else { return }
        let files = TestSupport.epflAIGs()
        #expect(files.count >= 20)
        for url in files {
            let bytes = try CircuitIO.readBytes(path: url.path)
            let aig = try CircuitIO.parse(bytes, name: url.path)
            #expect(aig.invariantViolation() == nil)
            #expect(aig.inputNames.allSatisfy { $0 != nil }, "\(url.lastPathComponent): EPFL files name every input")
            // Binary → ASCII → binary gives the same file (FORMAT.txt's promise).
            let ascii = AIGERWriter.ascii(aig)
            let back = try CircuitIO.parse(ascii, name: "ascii")
            #expect(back == aig)
            #expect(AIGERWriter.binary(back) == bytes, "\(url.lastPathComponent): binary output differs from the input file")
        }
    }

    /// `miter stats` counts must equal ABC's `print_stats` on every EPFL circuit.
    @Test func countsEqualABCPrintStats() throws {
        guard let abc = TestSupport.abc(), TestSupport.shared() != nil else { return }
        let files = TestSupport.epflAIGs()
        let script = files.map { "read \($0.path); print_stats" }.joined(separator: "; ")
        let out = try TestSupport.runABC(abc, script)
        let lines = out.split(separator: "\n").filter { $0.contains("i/o =") }
        #expect(lines.count == files.count)
        for (url, line) in zip(files, lines) {
            let aig = try CircuitIO.read(path: url.path)
            let numbers = Self.numbers(after: ["i/o =", "/", "lat =", "and =", "lev ="], in: String(line))
            #expect(numbers == [aig.inputCount, aig.outputCount, aig.latchCount, aig.andCount, aig.depth()],
                    "\(url.lastPathComponent): ABC says \(line)")
        }
    }

    /// ABC's GIA writer (`&w`) starts the comment section with 'c' followed
    /// directly by binary extension records: the file reads, with the same
    /// ports and ANDs as ABC's classic writer gives for the same network.
    @Test func abcGIAWriterOutputReads() throws {
        guard let abc = TestSupport.abc(), TestSupport.shared() != nil else { return }
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = TestSupport.epflAIGs().filter { ["ctrl", "router", "int2float", "adder"].contains($0.deletingPathExtension().lastPathComponent) }
        #expect(files.count == 4)
        for url in files {
            let gia = dir.appendingPathComponent("gia.aig").path, classic = dir.appendingPathComponent("classic.aig").path
            _ = try TestSupport.runABC(abc, "&r \(url.path); &st; &if -K 4; &st; &w \(gia); &put; write_aiger \(classic)")
            let a = try CircuitIO.read(path: gia), b = try CircuitIO.read(path: classic)
            #expect(a.inputCount == b.inputCount && a.outputCount == b.outputCount && a.andCount == b.andCount, "\(url.lastPathComponent)")
        }
    }

    /// Files we write after a non-canonical ASCII detour are equivalent for ABC `cec -n`
    /// (ABC reads binary AIGER only; the ASCII form is checked by the byte-for-byte round trip).
    @Test func writtenFilesAreEquivalentForABC() throws {
        guard let abc = TestSupport.abc(), TestSupport.shared() != nil else { return }
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var script: [String] = []
        let files = TestSupport.epflAIGs().filter { !$0.path.hasSuffix("hyp.aig") }
        for url in files {
            let aig = try CircuitIO.read(path: url.path)
            let name = url.deletingPathExtension().lastPathComponent
            // Shuffle the ASCII form (reverse AND order) so the reader must re-sort it.
            var text = String(decoding: AIGERWriter.ascii(aig), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let firstAnd = 1 + aig.inputCount + aig.latchCount + aig.outputCount
            text[firstAnd..<(firstAnd + aig.andCount)].reverse()
            let shuffled = try CircuitIO.parse(Array(text.joined(separator: "\n").utf8), name: "shuffled")
            let aigPath = dir.appendingPathComponent("\(name).aig").path
            try CircuitIO.write(shuffled, to: aigPath, format: .aigerBinary)
            script.append("cec -n \(url.path) \(aigPath)")
        }
        let out = try TestSupport.runABC(abc, script.joined(separator: "; "))
        let verdicts = out.split(separator: "\n").filter { $0.contains("equivalent") || $0.contains("NOT EQUIVALENT") }
        #expect(verdicts.count == script.count, "ABC output: \(out.suffix(2000))")
        for v in verdicts { #expect(v.contains("Networks are equivalent"), "\(v)") }
    }

    static func numbers(after keys: [String], in line: String) -> [Int] {
        var result: [Int] = []
        var rest = Substring(line)
        for key in keys {
            guard let r = rest.range(of: key) else { return result }
            rest = rest[r.upperBound...]
            let digits = rest.drop(while: { $0 == " " }).prefix(while: \.isNumber)
            result.append(Int(digits) ?? -1)
        }
        return result
    }
}
