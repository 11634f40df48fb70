import Foundation
import Testing
import AIG
import AIGFormats
import TestSupport

private let c17 = TestSupport.repoFile("Circuits/c17.bench").path

/// `dot` on PATH (or /usr/bin/dot), or nil with a printed reason.
private func graphviz(_ test: String = #function) -> String? {
    if let p = TestSupport.which("dot") { return p }
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/dot") { return "/usr/bin/dot" }
    print("SKIP \(test): Graphviz 'dot' is not installed")
    return nil
}

/// Node ids and edge count of a DOT text as Graphviz reads it (`dot -Tplain`).
private func layout(_ dot: String, _ bytes: [UInt8]) throws -> (nodes: Set<String>, edges: Int) {
    let r = try TestSupport.run(dot, ["-Tplain"], stdin: bytes)
    #expect(r.status == 0 && r.stderr.isEmpty, "dot: \(r.stderr)")
    var nodes = Set<String>(), edges = 0
    for line in r.stdout.split(separator: "\n") {
        let t = line.split(separator: " ")
        if t.first == "node" { nodes.insert(String(t[1])) } else if t.first == "edge" { edges += 1 }
    }
    return (nodes, edges)
}

@Suite struct DOTCommandTests {
    /// `check --dot-cex`: both circuits' differing cones, each node with its value under the counterexample.
    @Test func counterexamplePictures() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bug = dir.appendingPathComponent("c17b.bench").path
        let text = try String(contentsOfFile: c17, encoding: .utf8)
        #expect(text.contains("NAND(N10, N16)"))
        try text.replacingOccurrences(of: "NAND(N10, N16)", with: "NAND(N10, N11)").write(toFile: bug, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("cex.dot").path
        let r = try TestSupport.miter(["check", c17, bug, "--dot-cex", out])
        #expect(r.status == 1, "\(r.stdout) \(r.stderr)")
        let first = String(decoding: try CircuitIO.readBytes(path: out), as: UTF8.self)
        let second = String(decoding: try CircuitIO.readBytes(path: dir.appendingPathComponent("cex.second.dot").path), as: UTF8.self)
        for picture in [first, second] {
            #expect(picture.contains("N22 = ") && !picture.contains("N23"), "only the differing output's cone")
            #expect(picture.contains("counterexample"))
        }
        // The output node's label (the title names both values).
        let valueA = first.contains("label=\"N22 = 1\"") ? 1 : first.contains("label=\"N22 = 0\"") ? 0 : -1
        let valueB = second.contains("label=\"N22 = 1\"") ? 1 : second.contains("label=\"N22 = 0\"") ? 0 : -1
        #expect(valueA >= 0 && valueB >= 0 && valueA != valueB, "the values differ where the circuits do")
        // Equivalent: no picture.
        let none = dir.appendingPathComponent("none.dot").path
        #expect(try TestSupport.miter(["check", c17, c17, "--dot-cex", none]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: none))
        guard let dot = graphviz() else { return }
        _ = try layout(dot, Array(first.utf8))
    }

    @Test func convertWritesDOT() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("c17.dot").path
        let r = try TestSupport.miter(["convert", c17, out])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        let bytes = try CircuitIO.readBytes(path: out)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("digraph") && text.contains("c17.bench") && text.contains("dashed edge = complemented"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["c17.dot"], "no temporary left")
        // From AIGER too, and .gv is DOT.
        let aig = dir.appendingPathComponent("c17.aig").path, gv = dir.appendingPathComponent("c17.gv").path
        #expect(try TestSupport.miter(["convert", c17, aig]).status == 0)
        #expect(try TestSupport.miter(["convert", aig, gv]).status == 0)
        #expect(try CircuitIO.readBytes(path: gv).starts(with: Array("// Miter AIG picture".utf8)))
        guard let dot = graphviz() else { return }
        let g = try layout(dot, bytes)
        #expect(g.nodes.count == 13 && g.edges == 14)
    }

    @Test func stdoutIsAIGERUnlessDOTIsAsked() throws {
        let plain = try TestSupport.miter(["convert", c17, "-"])
        #expect(plain.status == 0 && plain.stdout.hasPrefix("aig "))
        let dotOut = try TestSupport.miter(["convert", "--dot", c17, "-"])
        #expect(dotOut.status == 0 && dotOut.stdout.hasPrefix("// Miter AIG picture") && dotOut.stdout.contains("digraph aig"))
        // --cone can only mean a picture: '-' then writes DOT.
        let cone = try TestSupport.miter(["convert", c17, "-", "--cone", "N22"])
        #expect(cone.status == 0 && cone.stdout.contains("digraph aig") && cone.stdout.contains("cone of N22"))
        #expect(try TestSupport.miter(["convert", "--dot", "--ascii", c17, "-"]).status == 2)
    }

    @Test func coneByNameAndIndex() throws {
        let byName = try TestSupport.miter(["convert", c17, "-", "--cone", "N22"])
        let byIndex = try TestSupport.miter(["convert", c17, "-", "--dot", "--cone", "0"])
        #expect(byName.status == 0 && byIndex.status == 0)
        #expect(byName.stdout == byIndex.stdout)
        #expect(!byName.stdout.contains("\"N7\"") && !byName.stdout.contains("o1 "))
        let both = try TestSupport.miter(["convert", c17, "-", "--cone", "N23", "--cone", "N22"])
        #expect(both.status == 0 && both.stdout.contains("o0 [") && both.stdout.contains("o1 ["))
        guard let dot = graphviz() else { return }
        let g = try layout(dot, Array(byName.stdout.utf8))
        #expect(g.nodes == Set(["n1", "n2", "n3", "n4", "n6", "n7", "n8", "n9", "o0"]) && g.edges == 9)
    }

    @Test func coneErrorsExit2WithNoFile() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("x.dot").path
        for bad in ["nope", "2", "-1"] {
            let r = try TestSupport.miter(["convert", c17, out, "--cone", "N22", "--cone=\(bad)"])
            #expect(r.status == 2, "\(bad): \(r.stderr)")
            #expect(r.stderr.contains("c17.bench: --cone '\(bad)': no output has that name"), "\(r.stderr)")
            #expect(r.stderr.contains("outputs: N22, N23"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "a failed picture leaves no file")
        // --cone with an AIGER output is a usage error too.
        let aag = dir.appendingPathComponent("x.aag").path
        let r = try TestSupport.miter(["convert", c17, aag, "--cone", "N22"])
        #expect(r.status == 2 && r.stderr.contains("--cone draws part of a DOT picture"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func bigPictureIsWrittenWithANote() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A chain of 5,001 ANDs.
        var b = AIGBuilder()
        var x = b.addInput(name: "a")
        let y = b.addInput(name: "b")
        for k in 0..<5001 { x = b.and(x, k % 2 == 0 ? y : !y); x = k % 3 == 0 ? !x : x }
        b.addOutput(x, name: "z")
        let src = dir.appendingPathComponent("big.aig").path, out = dir.appendingPathComponent("big.dot").path
        let aig = b.finish()
        #expect(aig.andCount == 5001)
        try CircuitIO.write(aig, to: src, format: .aigerBinary)
        let r = try TestSupport.miter(["convert", src, out])
        #expect(r.status == 0)
        #expect(r.stderr.contains("note:") && r.stderr.contains("--cone"), "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: out))
        let small = try TestSupport.miter(["convert", c17, dir.appendingPathComponent("small.dot").path])
        #expect(small.status == 0 && small.stderr.isEmpty)
    }
}
