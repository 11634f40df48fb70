import AIGFormats
import Foundation
import Simulation
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

    /// `miter sim` agrees with ABC (`sim -A FILE -m -v` prints each pattern's
    /// output values) on 256 random vectors per circuit: the shipped i2c
    /// circuits, the combinational AIGER examples and the small EPFL circuits.
    @Test func simAgreesWithABCOnRandomVectors() throws {
        guard let abc = TestSupport.abc() else { return }
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var files = ["Circuits/i2c.aig", "Circuits/i2c_bug.aig", "Circuits/c17.bench", "Circuits/adder2.blif"].map { TestSupport.repoFile($0).path }
        let examples = TestSupport.repoFile("Circuits/aiger-examples")
        for name in try FileManager.default.contentsOfDirectory(atPath: examples.path).sorted() where name.hasSuffix(".aag") {
            files.append(examples.appendingPathComponent(name).path)
        }
        if TestSupport.shared() != nil {
            files += Shared.smallCircuits.compactMap { Shared.epfl($0) }
        }
        var rng = SplitMix64(seed: 2026)
        var compared = 0
        for (n, file) in files.enumerated() {
            // ABC reads binary AIGER only; its `sim` is combinational here (no latches).
            let aig = try CircuitIO.read(path: file)
            guard aig.latchCount == 0, aig.inputCount > 0, aig.outputCount > 0, aig.bad.isEmpty, aig.justice.isEmpty else { continue }
            let bin = dir.appendingPathComponent("c\(n).aig").path
            try CircuitIO.write(aig, to: bin, format: .aigerBinary)
            var vectors: [String] = []
            for k in 0..<256 {
                let density = k % 4   // all-random, sparse, dense, alternating densities
                vectors.append(String((0..<aig.inputCount).map { _ -> Character in
                    let r = rng.next()
                    let one = density == 0 ? r & 1 == 1 : density == 1 ? r % 8 == 0 : density == 2 ? r % 8 != 0 : r % 3 == 0
                    return one ? "1" : "0"
                }))
            }
            let vfile = dir.appendingPathComponent("v\(n).txt")
            try (vectors.joined(separator: "\n") + "\n").write(to: vfile, atomically: true, encoding: .utf8)
            let ours = try TestSupport.miter(["sim", bin, "--vectors", vfile.path])
            try #require(ours.status == 0, "\(file): \(ours.stderr)")
            let ourOutputs = ours.stdout.split(separator: "\n").map { String($0.split(separator: " ").last ?? "") }
            let abcOut = try TestSupport.runABC(abc, "read \(bin); sim -A \(vfile.path) -m -v", cwd: dir)
            let abcOutputs = abcOut.split(separator: "\n").map(String.init).filter { $0.count == aig.outputCount && $0.allSatisfy { $0 == "0" || $0 == "1" } }
            #expect(abcOutputs.count == vectors.count, "\(file): ABC printed \(abcOutputs.count) patterns")
            #expect(ourOutputs == abcOutputs, "\(file)")
            compared += 1
        }
        print("miter sim vs ABC sim: \(compared) circuits × 256 vectors")
        #expect(compared >= 4)
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
