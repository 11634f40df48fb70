import Foundation
import Testing
import TestSupport

@Suite struct RandomCommandTests {
    @Test func directoryWithManifestIsReproducible() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let args = ["random", "--inputs", "6", "--outputs", "2", "--ands", "30", "--count", "3", "--variants", "2", "--mutants", "1", "--seed", "5"]
        let r = try TestSupport.miter(args + ["--out", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(files.filter { $0.hasSuffix(".aag") }.count == 12)
        #expect(files.contains("c000000_v2.aag") && files.contains("c000002_m1.aag") && files.contains("manifest.jsonl"))
        let manifest = try String(contentsOf: dir.appendingPathComponent("manifest.jsonl"), encoding: .utf8)
        let rows = manifest.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(rows.count == 12)
        #expect(rows.first?["kind"] as? String == "source" && rows.first?["function_class"] as? Int == 0)
        // The stream carries the same circuits, byte for byte.
        let s = try TestSupport.miter(args + ["--jsonl", "-"])
        #expect(s.status == 0)
        let lines = s.stdout.split(separator: "\n")
        #expect(lines.count == 12)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        let text = try String(contentsOf: dir.appendingPathComponent("c000000.aag"), encoding: .utf8)
        #expect(first["aag"] as? String == text)
        let again = try TestSupport.miter(args + ["--jsonl", "-"])
        #expect(again.stdout == s.stdout)
    }

    @Test func badOptionsAreExit2() throws {
        let r = try TestSupport.miter(["random", "--inputs", "100", "--jsonl", "-"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--inputs"))
        let n = try TestSupport.miter(["random", "--count", "1"])
        #expect(n.status == 2 && n.stderr.contains("--out"))
    }
}
