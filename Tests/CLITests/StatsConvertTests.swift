import Foundation
import Testing
import AIG
import AIGFormats
import TestSupport

private let examples = TestSupport.repoFile("Circuits/aiger-examples")

@Suite struct StatsCommandTests {
    @Test func textOutput() throws {
        let r = try TestSupport.miter(["stats", examples.appendingPathComponent("halfadder.aag").path])
        #expect(r.status == 0)
        #expect(r.stdout.contains("i/o = 2/2  latches = 0  and = 3  lev = 2"), "\(r.stdout)")
    }

    @Test func jsonOutputParses() throws {
        let files = ["halfadder.aag", "toggle-re.aag", "mult2.aig"].map { examples.appendingPathComponent($0).path }
        let r = try TestSupport.miter(["stats", "--json"] + files)
        #expect(r.status == 0)
        let rows = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.count == 3)
        #expect(rows?[1]["latches"] as? Int == 1)
        #expect(rows?[1]["ands"] as? Int == 4)
        #expect(rows?[2]["inputs"] as? Int == 2)
    }

    @Test func readsStandardInput() throws {
        let r = try TestSupport.miter(["stats", "-"], stdin: Array("aag 3 2 0 1 1\n2\n4\n6\n6 2 4\n".utf8))
        #expect(r.status == 0)
        #expect(r.stdout.contains("and = 1"))
    }

    @Test func malformedInputIsExit2WithLocation() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.aag")
        try Data("aag 2 1 0 1 0\n2\n4\n".utf8).write(to: bad)
        let r = try TestSupport.miter(["stats", bad.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.aag:3:1: output literal 4 uses variable 2, which is never defined"), "\(r.stderr)")
        let missing = try TestSupport.miter(["stats", dir.appendingPathComponent("nope.aig").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot open"))
    }

    @Test func helpExplainsTheTool() throws {
        let r = try TestSupport.miter(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("stats") && r.stdout.contains("convert") && r.stdout.contains("Exit codes"))
    }
}

@Suite struct ConvertCommandTests {
    @Test func asciiBinaryRoundTrip() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = examples.appendingPathComponent("toggle-re.aag").path
        let bin = dir.appendingPathComponent("t.aig").path, back = dir.appendingPathComponent("t.aag").path
        #expect(try TestSupport.miter(["convert", src, bin]).status == 0)
        #expect(try TestSupport.miter(["convert", bin, back]).status == 0)
        #expect(try CircuitIO.read(path: back) == CircuitIO.read(path: src))
        #expect(try CircuitIO.readBytes(path: bin).starts(with: Array("aig 7 2 1 2 4\n".utf8)))
    }

    @Test func stdoutAndFormatOverrides() throws {
        let src = examples.appendingPathComponent("and.aag").path
        let r = try TestSupport.miter(["convert", "--ascii", src, "-"])
        #expect(r.status == 0)
        #expect(r.stdout == "aag 3 2 0 1 1\n2\n4\n6\n6 4 2\n")
        let both = try TestSupport.miter(["convert", "--ascii", "--binary", src, "-"])
        #expect(both.status == 2)
    }

    @Test func errorsLeaveNoPartialFile() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.aig")
        try Data(Array("aig 3 2 0 1 1\n6\n".utf8) + [0x82]).write(to: bad)
        let out = dir.appendingPathComponent("out.aag")
        let r = try TestSupport.miter(["convert", bad.path, out.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.aig: byte 16: AND 0: truncated delta encoding"), "\(r.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(left == ["bad.aig"], "left behind: \(left)")
        // An existing output survives a failed conversion untouched.
        try Data("keep".utf8).write(to: out)
        #expect(try TestSupport.miter(["convert", bad.path, out.path]).status == 2)
        #expect(try String(contentsOf: out, encoding: .utf8) == "keep")
        // Unwritable destination: exit 2, message names the file.
        let w = try TestSupport.miter(["convert", examples.appendingPathComponent("and.aag").path, "/nonexistent-dir/x.aig"])
        #expect(w.status == 2)
        #expect(w.stderr.contains("/nonexistent-dir/x.aig"))
    }

    @Test func unknownOutputExtensionIsAnError() throws {
        let r = try TestSupport.miter(["convert", examples.appendingPathComponent("and.aag").path, "/tmp/x.unknown"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("cannot tell the output format"))
    }
}
