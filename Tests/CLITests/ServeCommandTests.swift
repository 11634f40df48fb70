import Foundation
import Testing
import TestSupport

/// `miter serve`: many command lines in one process, answers equal to the CLI's own.
@Suite struct ServeCommandTests {
    func repo(_ p: String) -> String { TestSupport.repoFile(p).path }

    func answers(_ requests: [String]) throws -> [[String: Any]] {
        let r = try TestSupport.miter(["serve"], stdin: Array((requests.joined(separator: "\n") + "\n").utf8))
        #expect(r.status == 0, "\(r.stderr)")
        return try r.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    func request(_ id: Int, _ argv: [String], files: [String: String] = [:], stdin: String? = nil) throws -> String {
        var obj: [String: Any] = ["id": id, "argv": argv]
        if !files.isEmpty { obj["files"] = files }
        if let stdin { obj["stdin"] = stdin }
        return String(decoding: try JSONSerialization.data(withJSONObject: obj), as: UTF8.self)
    }

    @Test func answersEqualTheCLI() throws {
        let pairs = [("Circuits/i2c.aig", "Circuits/i2c_opt.aig"), ("Circuits/i2c.aig", "Circuits/i2c_bug.aig"),
                     ("Circuits/aiger-examples/and.aag", "Circuits/aiger-examples/or.aag")]
        var requests: [String] = []
        for (k, p) in pairs.enumerated() { requests.append(try request(k, ["check", repo(p.0), repo(p.1)])) }
        requests.append(try request(9, ["stats", repo("Circuits/c17.bench"), repo("Circuits/s27.bench")]))
        let got = try answers(requests)
        #expect(got.count == requests.count)
        for (k, p) in pairs.enumerated() {
            let cli = try TestSupport.miter(["check", "--json", repo(p.0), repo(p.1)])
            let expected = try #require(try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])
            let answer = got[k]
            #expect(answer["id"] as? Int == k)
            #expect(answer["exit_code"] as? Int == Int(cli.status))
            let result = try #require(answer["result"] as? [String: Any])
            #expect(result["schema"] as? String == "miter.check.v1")
            #expect(result["verdict"] as? String == expected["verdict"] as? String)
            #expect(result["decided_by"] as? String == expected["decided_by"] as? String)
            let cexA = (result["counterexample"] as? [String: Any])?["vector_first"] as? String
            let cexB = (expected["counterexample"] as? [String: Any])?["vector_first"] as? String
            #expect(cexA == cexB)
        }
        let stats = try #require(got[3]["result"] as? [[String: Any]])
        #expect(stats.map { $0["ands"] as? Int } == [6, 8])
    }

    @Test func inlineFilesAndStdin() throws {
        let buf = "aag 1 1 0 1 0\n2\n2\n", inv = "aag 1 1 0 1 0\n2\n3\n"
        let jsonl = try [buf, buf, inv].map { String(decoding: try JSONSerialization.data(withJSONObject: ["aag": $0]), as: UTF8.self) }
            .joined(separator: "\n")
        let got = try answers([
            try request(1, ["check", "a.aag", "b.aag"], files: ["a.aag": buf, "b.aag": inv]),
            try request(2, ["check", "a.aag", "b.aag"], files: ["a.aag": buf, "b.aag": buf]),
            try request(3, ["dedup", "-"], stdin: jsonl),
            // Files of one request are gone in the next.
            try request(4, ["check", "a.aag", "b.aag"]),
        ] + [
            // Binary AIGER as base64; the same argv again (parsed once) with other files.
            String(decoding: try JSONSerialization.data(withJSONObject: [
                "id": 5, "argv": ["check", "x.aig", "y.aig"],
                "files": ["x.aig": ["base64": try Data(contentsOf: TestSupport.repoFile("Circuits/i2c.aig")).base64EncodedString()],
                          "y.aig": ["base64": try Data(contentsOf: TestSupport.repoFile("Circuits/i2c_bug.aig")).base64EncodedString()]]]), as: UTF8.self),
            String(decoding: try JSONSerialization.data(withJSONObject: [
                "id": 6, "argv": ["check", "x.aig", "y.aig"],
                "files": ["x.aig": ["base64": try Data(contentsOf: TestSupport.repoFile("Circuits/i2c.aig")).base64EncodedString()],
                          "y.aig": ["base64": try Data(contentsOf: TestSupport.repoFile("Circuits/i2c_opt.aig")).base64EncodedString()]]]), as: UTF8.self),
            "{\"id\":7,\"argv\":[\"stats\",\"z.aig\"],\"files\":{\"z.aig\":{\"base64\":\"%%%\"}}}",
        ])
        #expect(got.map { $0["exit_code"] as? Int } == [1, 0, 0, 2, 1, 0, 2])
        #expect((got[0]["result"] as? [String: Any])?["verdict"] as? String == "not_equivalent")
        let dedup = try #require(got[2]["result"] as? [String: Any])
        #expect(((dedup["summary"] as? [String: Any])?["classes"] as? Int) == 2, "\(dedup)")
        let error = try #require((got[3]["result"] as? [String: Any])?["error"] as? [String: Any])
        #expect(error["file"] as? String == "a.aag")
    }

    @Test func badRequestsAreAnsweredAndTheWorkerGoesOn() throws {
        let got = try answers([
            "not json", "[1,2]", "{\"id\":3}", "{\"id\":4,\"argv\":[]}", "{\"id\":5,\"argv\":[1]}",
            try request(6, ["serve"]), try request(7, ["check", "--no-such-option"]),
            try request(8, ["check", "/nonexistent.aig", "/nonexistent2.aig"]),
            try request(9, ["stats", "x.aag"], files: ["x.aag": "aag 1 1 0 1 0\n2\n"]),
            try request(10, ["stats", repo("Circuits/c17.bench")]),
        ])
        #expect(got.count == 10)
        for a in got.prefix(9) {
            #expect(a["exit_code"] as? Int == 2, "\(a)")
            let result = try #require(a["result"] as? [String: Any])
            #expect(result["schema"] as? String == "miter.error.v1")
            #expect(((result["error"] as? [String: Any])?["message"] as? String)?.isEmpty == false)
        }
        // The malformed circuit's error is located.
        let located = try #require((got[8]["result"] as? [String: Any])?["error"] as? [String: Any])
        #expect(located["file"] as? String == "x.aag" && located["line"] != nil, "\(located)")
        #expect(got[9]["exit_code"] as? Int == 0)
    }

    @Test func usageErrorsExit2WithJSON() throws {
        let r = try TestSupport.miter(["check", "--no-such-option", "--json", "a", "b"])
        #expect(r.status == 2)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(obj["schema"] as? String == "miter.error.v1")
        let missing = try TestSupport.miter(["check", "--json", "/nonexistent.aig", repo("Circuits/c17.bench")])
        #expect(missing.status == 2 && missing.stderr.contains("miter: error: /nonexistent.aig"))
        let err = try #require(try JSONSerialization.jsonObject(with: Data(missing.stdout.utf8)) as? [String: Any])
        #expect((err["error"] as? [String: Any])?["file"] as? String == "/nonexistent.aig")
        let plain = try TestSupport.miter(["stats", "--bogus"])
        #expect(plain.status == 2 && plain.stdout.isEmpty)
    }
}
