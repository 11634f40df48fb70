import Foundation
import Testing
import TestSupport

@Suite struct CLISimHashTests {
    let half = TestSupport.repoFile("Circuits/aiger-examples/halfadder.aag").path

    @Test func simHalfAdder() throws {
        let r = try TestSupport.miter(["sim", half, "--vector", "00", "--vector", "01", "--vector", "10", "--vector", "1_1"])
        #expect(r.status == 0)
        #expect(r.stdout == "00 00\n01 10\n10 10\n11 01\n")
    }

    @Test func simVectorFileWithHeader() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("v.txt")
        try "# comment\ny x\n10\n\n11\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try TestSupport.miter(["sim", half, "--vectors", file.path])
        #expect(r.status == 0)
        #expect(r.stdout == "01 10\n11 01\n")
        try "y z\n10\n".write(to: file, atomically: true, encoding: .utf8)
        let bad = try TestSupport.miter(["sim", half, "--vectors", file.path])
        #expect(bad.status == 2 && bad.stderr.contains("'z'"))
    }

    @Test func simErrors() throws {
        let long = try TestSupport.miter(["sim", half, "--vector", "011"])
        #expect(long.status == 2)
        #expect(long.stderr.contains("has 3 values") && long.stderr.contains("2 inputs"))
        let chars = try TestSupport.miter(["sim", half, "--vector", "0x"])
        #expect(chars.status == 2 && chars.stderr.contains("not 0 or 1"))
        let none = try TestSupport.miter(["sim", half])
        #expect(none.status == 2)
    }

    @Test func hashLinesAndJSON() throws {
        let r = try TestSupport.miter(["hash", "--outputs", half])
        #expect(r.status == 0)
        #expect(r.stdout == "fa02d7e88b6a222d  i/o = 2/2  and = 3  exact  \(half)\n  953e0ffab23c4ed7  output 0 s\n  24ede89dc17c7339  output 1 c\n")
        let j = try TestSupport.miter(["hash", "--json", half])
        #expect(j.stdout.contains("\"hash\":\"fa02d7e88b6a222d\""))
        #expect(try TestSupport.miter(["hash", "--patterns", "0", half]).status == 2)
        #expect(try TestSupport.miter(["hash", "--seed", "x1", half]).status == 2)
        #expect(try TestSupport.miter(["hash", "/nonexistent.aig"]).status == 2)
    }
}
