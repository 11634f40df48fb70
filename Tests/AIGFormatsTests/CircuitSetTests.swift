import Foundation
import Testing
import AIG
import AIGFormats
import TestSupport

@Suite struct CircuitSetTests {
    static let and = "aag 3 2 0 1 1\n2\n4\n6\n6 2 4\n"
    static let or = "aag 3 2 0 1 1\n2\n4\n7\n6 3 5\n"
    static func line(_ aag: String, name: String? = nil) -> String {
        let text = aag.replacingOccurrences(of: "\n", with: "\\n")
        return name.map { "{\"name\": \"\($0)\", \"aag\": \"\(text)\"}" } ?? "{\"aag\": \"\(text)\"}"
    }

    @Test func jsonlStreamsNamesAndLines() throws {
        let text = Self.line(Self.and, name: "and") + "\n\n  \n" + Self.line(Self.or) + "\n"
        let s = try CircuitSet.parseJSONL(Array(text.utf8), name: "set.jsonl", jobs: 2)
        #expect(s.names == ["and", "set.jsonl:4"])
        #expect(s.circuits.map(\.andCount) == [1, 1] && s.circuits[1].outputs[0].isComplemented)
        // Standard input recognises JSONL, concatenated ASCII AIGER and nothing at all.
        #expect(try CircuitSet.parseStream(Array(text.utf8), name: "<stdin>").names == ["and", "<stdin>:4"])
        #expect(try CircuitSet.parseStream(Array((Self.and + Self.or).utf8), name: "<stdin>").names == ["<stdin>#1", "<stdin>#2"])
        #expect(try CircuitSet.parseStream(Array(Self.and.utf8), name: "<stdin>").names == ["<stdin>"])
        #expect(try CircuitSet.parseStream([], name: "<stdin>").count == 0)
    }

    /// Many lines are parsed in parallel; the result keeps the order and the first error (in order) wins.
    @Test func parallelParseKeepsOrderAndFirstError() throws {
        var lines = (0..<1000).map { Self.line($0 % 2 == 0 ? Self.and : Self.or, name: "c\($0)") }
        let s = try CircuitSet.parseJSONL(Array(lines.joined(separator: "\n").utf8), name: "big.jsonl", jobs: 4)
        #expect(s.names == (0..<1000).map { "c\($0)" })
        lines[700] = "{\"aag\": \"aag 3 2 0 1 1\\n2\\n4\\n6\\n6 2 9\\n\"}"
        lines[900] = "not json"
        do {
            _ = try CircuitSet.parseJSONL(Array(lines.joined(separator: "\n").utf8), name: "big.jsonl", jobs: 4)
            Issue.record("expected an error")
        } catch let e as FormatError {
            #expect(e.file == "big.jsonl" && e.line == 701, "\(e)")
            #expect(e.message.hasPrefix("in \"aag\" of big.jsonl:701, its line 5"), "\(e.message)")
        }
        do {
            _ = try CircuitSet.parseJSONL(Array("{\"aag\": 3}\n".utf8), name: "x.jsonl")
            Issue.record("expected an error")
        } catch let e as FormatError {
            #expect(e.line == 1 && e.message.contains("\"aag\""))
        }
        do {
            _ = try CircuitSet.parseJSONL(Array("{\"aag\": \"aag 0 0 0 0 0\\n\",}\n".utf8), name: "x.jsonl")
            Issue.record("expected an error")
        } catch let e as FormatError {
            #expect(e.line == 1 && e.column == 27 && e.message.hasPrefix("invalid JSON"), "\(e)")
        }
    }

    /// Files, JSONL files (by extension or by content) and directories, in input order; a
    /// directory's manifest.jsonl is not a circuit file.
    @Test func loadFilesDirectoriesAndJSONLFiles() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sub = dir.appendingPathComponent("circuits")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try Self.and.write(to: sub.appendingPathComponent("b.aag"), atomically: true, encoding: .utf8)
        try Self.or.write(to: sub.appendingPathComponent("a.aag"), atomically: true, encoding: .utf8)
        try (Self.line(Self.and, name: "listed") + "\n").write(to: sub.appendingPathComponent("manifest.jsonl"), atomically: true, encoding: .utf8)
        let jsonl = dir.appendingPathComponent("set.ndjson").path
        try (Self.line(Self.or, name: "x") + "\n").write(toFile: jsonl, atomically: true, encoding: .utf8)
        let byContent = dir.appendingPathComponent("set.txt").path
        try (" " + Self.line(Self.and) + "\n").write(toFile: byContent, atomically: true, encoding: .utf8)
        let s = try CircuitSet.load(inputs: [jsonl, sub.path, byContent], jobs: 2)
        #expect(s.names == ["x", sub.path + "/a.aag", sub.path + "/b.aag", byContent + ":1"])
        #expect(s.readSeconds >= 0)
        #expect(CircuitSet.isStream(path: "a/b.JSONL", []) && !CircuitSet.isStream(path: "a.jsonl/b.aag", Array(Self.and.utf8)))
        #expect(throws: FormatError.self) { try CircuitSet.load(inputs: [dir.appendingPathComponent("missing").path]) }
    }

    @Test func jsonValueParsesEscapes() throws {
        let v = try JSONValue.parse(Array(#"{"a": ["x\n\u00fc\ud83d\ude00", 1.5e2, true, null], "b": {}}"#.utf8))
        #expect(v["a"] == .array([.string("x\nü😀"), .number(150), .bool(true), .null]))
        #expect(v["b"] == .object([:]) && v["c"] == nil && v["a"]?.stringValue == nil)
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Array("[1,]".utf8)) }
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Array("\"open".utf8)) }
    }
}
