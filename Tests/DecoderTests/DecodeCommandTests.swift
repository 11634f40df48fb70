import Testing
import Foundation
import AIG
import AIGFormats
import Simulation
import Decoder
import TestSupport

@Suite struct DecodeCommandTests {
    @Test func decodesACircuitAndVerifies() throws {
        let dir = try TestSupport.temporaryDirectory("decode-cli")
        let out = dir.appendingPathComponent("c17.aag").path
        let r = try TestSupport.miter(["decode", TestSupport.repoFile("Circuits/c17.bench").path, "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("ANDs: 6 before") && r.stdout.contains("verified"))
        let a = try CircuitIO.read(path: TestSupport.repoFile("Circuits/c17.bench").path), b = try CircuitIO.read(path: out)
        #expect(TruthTable.of(a) == TruthTable.of(b))
        let check = try TestSupport.miter(["check", TestSupport.repoFile("Circuits/c17.bench").path, out])
        #expect(check.status == 0, "\(check.stdout)")
        let j = try TestSupport.miter(["decode", "--json", "--strategy", "beam", "--beam", "2", TestSupport.repoFile("Circuits/c17.bench").path, "-o", out])
        #expect(j.status == 0 && j.stdout.hasPrefix("{") && j.stdout.contains("\"verified\":true"))
        // The walk's effort: 0 restarts still optimises (rounds only); a negative count is a usage error.
        let ct = TestSupport.repoFile("Tests/DecoderTests/Fixtures/ct-readme.aag").path
        let quick = try TestSupport.miter(["decode", "--json", "--restarts", "0", ct, "-o", out])
        #expect(quick.status == 0 && quick.stdout.contains("\"verified\":true"), "\(quick.stderr)")
        let negative = try TestSupport.miter(["decode", "--restarts", "-1", ct, "-o", out])
        #expect(negative.status == 2 && negative.stderr.contains("--restarts"))
    }

    @Test func truthTableFilesAndErrors() throws {
        let dir = try TestSupport.temporaryDirectory("decode-cli")
        let tt = dir.appendingPathComponent("t.tt")
        try "# and4, parity4\n8000\n6996\n".write(to: tt, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("t.aig").path
        let r = try TestSupport.miter(["decode", tt.path, "-o", out, "--strategy", "mcts", "--playouts", "5"])
        #expect(r.status == 0, "\(r.stderr)")
        let g = try CircuitIO.read(path: out)
        #expect(TruthTable.of(g)?.map(\.hex) == ["8000", "6996"])
        let tight = try TestSupport.miter(["decode", tt.path, "-o", out, "--max-ands", "1"])
        #expect(tight.status == 2 && tight.stderr.contains("budget cannot be guaranteed"))
        let bad = dir.appendingPathComponent("bad.tt")
        try "12345\n".write(to: bad, atomically: true, encoding: .utf8)
        let e = try TestSupport.miter(["decode", bad.path, "-o", out])
        #expect(e.status == 2 && e.stderr.contains("bad.tt:1"))
        let seq = try TestSupport.miter(["decode", TestSupport.repoFile("Circuits/s27.bench").path, "-o", out])
        #expect(seq.status == 2 && seq.stderr.contains("latches"))
    }

    @Test func serveProtocolWithScriptedModel() throws {
        // Answer every step with π's choice replayed from the state: here simply the first legal token.
        // A full exchange: start request, steps, done.
        var input = "{\"targets\": [\"8\"]}\n"   // 2-input AND
        for _ in 0..<20 { input += "{\"scores\": [0, 0, 0, 0, 0, 0, 5, 0, 5, 0]}\n" }
        let r = try TestSupport.miter(["decode", "--serve"], stdin: Array(input.utf8))
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first?.contains("\"type\":\"start\"") == true)
        #expect(lines.last?.contains("\"type\":\"done\"") == true && lines.last?.contains("\"verified\":true") == true)
        // An illegal token gets an error line and the same step again.
        let r2 = try TestSupport.miter(["decode", "--serve"], stdin: Array("{\"targets\": [\"8\"]}\n{\"token\": 2}\n{\"token\": 4}\n{\"token\": 6}\n{\"token\": 8}\n{\"token\": 1}\n".utf8))
        #expect(r2.stdout.contains("\"type\":\"error\"") && r2.stdout.contains("\"type\":\"done\""), "\(r2.stdout)")
    }

    /// Malformed batch requests (any bytes, wrong types, unknown or repeated
    /// states, wrong widths, a target too wide for the vocabulary) each get
    /// one error reply, change nothing, and the session goes on; EOF ends it with 0.
    @Test func batchServerRejectsBadRequests() throws {
        let requests = ["\u{0}\u{7f}garbage", "[1,2]", "{\"op\":\"fly\"}", "{\"op\":\"step\"}",
                        "{\"op\":\"open\",\"targets\":[]}", "{\"op\":\"open\",\"targets\":[{\"aag\":\"aag 1 1 0 1 0\\n2\\n\"}]}",
                        "{\"op\":\"open\",\"targets\":[{\"tt\":[\"zz\"]}]}",
                        "{\"op\":\"open\",\"targets\":[{\"tt\":[\"8\"]}]}",                  // the one good open: id 0, 2-input vocabulary
                        "{\"op\":\"open\",\"targets\":[{\"tt\":[\"6996\"]}]}",
                        "{\"op\":\"step\",\"ids\":[0,0],\"tokens\":[4,4]}", "{\"op\":\"step\",\"ids\":[-1],\"tokens\":[4]}",
                        "{\"op\":\"step\",\"ids\":[0],\"tokens\":[1e300]}", "{\"op\":\"step\",\"ids\":[0],\"scores\":[[1,2]]}",
                        "{\"op\":\"result\",\"ids\":[0]}", "{\"op\":\"drop\",\"ids\":[0,0]}", "{\"op\":\"view\",\"ids\":[0]}"]
        let r = try TestSupport.miter(["decode", "--serve", "--batch"], stdin: Array(requests.joined(separator: "\n").utf8) + [10])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == requests.count, "\(r.stdout)")
        for (k, line) in lines.enumerated() where k != 7 && k != lines.count - 1 {
            #expect(line.hasPrefix("{\"type\":\"error\""), "request \(k): \(line)")
        }
        #expect(lines[7].contains("\"opened\""))
        #expect(lines[8].contains("--vocab-inputs") && lines[9].contains("appears twice") && lines[14].contains("appears twice"))
        // State 0 survived every bad request unchanged.
        #expect(lines.last?.contains("\"id\":0,\"mask\":\"3000\"") == true && lines.last?.contains("\"tokens\":0") == true, "\(lines.last ?? "")")
    }

    /// examples/miter_batch.py against `miter decode --serve --batch`: the
    /// protocol (refused tokens, unknown states, clones), numpy masks equal to
    /// the legal sets, and a HuggingFace `LogitsProcessor` driving a tiny
    /// randomly initialised GPT-2 (greedy and beam search) to verified
    /// circuits; the script prints a SKIP line for each missing optional package.
    @Test func pythonBatchClient() throws {
        guard let python = TestSupport.which("python3") else { print("SKIP pythonBatchClient: python3 is not installed"); return }
        let r = try TestSupport.run(python, [TestSupport.repoFile("examples/test_miter_batch.py").path, TestSupport.miterExecutable])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("protocol: 4 states verified"))
        for line in r.stdout.split(separator: "\n") where line.hasPrefix("SKIP") { print(line) }
    }

    @Test func pythonClient() throws {
        guard let python = TestSupport.which("python3") else { print("SKIP pythonClient: python3 is not installed"); return }
        let r = try TestSupport.run(python, [TestSupport.repoFile("examples/decode_client.py").path, TestSupport.miterExecutable])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("verified True"))
    }
}
