import Foundation
import Testing
import TestSupport

private func repo(_ p: String) -> String { TestSupport.repoFile(p).path }

@Suite struct CertifyCommandTests {
    @Test func equivalentCertificateIsReprovedAndTamperingIsExit1() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cert = dir.appendingPathComponent("i2c.cert").path
        // BDDs off: SAT sweeping, so the certificate has merge lemmas.
        let r = try TestSupport.miter(["check", "--bdd-nodes", "0", "--certify", cert, repo("Verilog/i2c.v"), repo("Circuits/i2c_opt.aig")])
        #expect(r.status == 0, "\(r.stderr)")
        let ok = try TestSupport.miter(["certify-check", cert])
        #expect(ok.status == 0, "\(ok.stdout) \(ok.stderr)")
        #expect(ok.stdout.hasPrefix("certificate holds: "))
        let json = try TestSupport.miter(["certify-check", "--json", cert])
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(obj["result"] as? String == "holds")
        #expect(obj["claim"] as? String == "equivalent")
        #expect((obj["lemmas"] as? Int ?? 0) > 142)
        // The certificate is about these two files, not others.
        let same = try TestSupport.miter(["certify-check", cert, "--circuits", repo("Verilog/i2c.v"), repo("Circuits/i2c_opt.aig")])
        #expect(same.status == 0 && same.stdout.contains("miter rebuilt from the two files: identical"), "\(same.stdout) \(same.stderr)")
        let other = try TestSupport.miter(["certify-check", cert, "--circuits", repo("Circuits/i2c.aig"), repo("Circuits/i2c_bug.aig")])
        #expect(other.status == 1 && other.stdout.contains("is not the miter of"), "\(other.stdout) \(other.stderr)")

        // Complement the second literal of the first SAT-proved merge: exit 1 naming that lemma.
        // Edited as bytes, as sed would: the embedded miter is binary AIGER.
        var lines = [UInt8](try Data(contentsOf: URL(fileURLWithPath: cert))).split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
        func text(_ l: [UInt8]) -> String { String(decoding: l, as: UTF8.self) }
        let i = try #require(lines.firstIndex { text($0).hasPrefix("lemma ") && text($0).contains(" merge ") })
        var f = text(lines[i]).split(separator: " ").map(String.init)
        f[4] = String((Int(f[4]) ?? 0) ^ 1)
        lines[i] = Array(f.joined(separator: " ").utf8)
        let bad = dir.appendingPathComponent("bad.cert").path
        func join(_ ls: [[UInt8]]) -> Data { Data(Array(ls.joined(separator: [10]))) }
        try join(lines).write(to: URL(fileURLWithPath: bad))
        let rejected = try TestSupport.miter(["certify-check", bad])
        #expect(rejected.status == 1, "\(rejected.stdout)")
        #expect(rejected.stdout.hasPrefix("certificate fails: lemma \(f[1]):"), "\(rejected.stdout)")

        // A truncated file is malformed: exit 2 with a location.
        let cut = dir.appendingPathComponent("cut.cert").path
        try join(Array(lines.dropLast(3))).write(to: URL(fileURLWithPath: cut))
        let malformed = try TestSupport.miter(["certify-check", cut])
        #expect(malformed.status == 2)
        #expect(malformed.stderr.contains("cut.cert:"), "\(malformed.stderr)")
        #expect(try TestSupport.miter(["certify-check", dir.appendingPathComponent("missing").path]).status == 2)
    }

    @Test func notEquivalentCertificateReplaysItsCounterexample() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cert = dir.appendingPathComponent("bug.cert").path
        let r = try TestSupport.miter(["check", "--certify", cert, repo("Circuits/i2c.aig"), repo("Circuits/i2c_bug.aig")])
        #expect(r.status == 1)
        let ok = try TestSupport.miter(["certify-check", cert])
        #expect(ok.status == 0, "\(ok.stdout)")
        #expect(ok.stdout.contains("not equivalent"))
        #expect(ok.stdout.contains("miter output 7 to 1"))
    }

    @Test func undecidedWritesNoCertificate() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cert = dir.appendingPathComponent("none.cert").path
        let r = try TestSupport.miter(["check", "--timeout", "0.000000001", "--certify", cert, repo("Circuits/i2c.aig"), repo("Circuits/i2c_opt.aig")])
        #expect(r.status == 3)
        #expect(!FileManager.default.fileExists(atPath: cert))
    }

    @Test func dratRouteWritesAProofThatDratTrimAccepts() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let prefix = dir.appendingPathComponent("i2c").path
        let r = try TestSupport.miter(["check", "--certify-drat", prefix, repo("Circuits/i2c.aig"), repo("Circuits/i2c_opt.aig")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("DRAT: \(prefix).drat proves \(prefix).cnf unsatisfiable"))
        let candidates = [ProcessInfo.processInfo.environment["DRAT_TRIM"], "/work/ext/drat-trim/drat-trim", "/usr/local/bin/drat-trim", "/usr/bin/drat-trim"]
        guard let drat = candidates.compactMap({ $0 }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("SKIP drat-trim not found (set DRAT_TRIM or build github.com/marijnheule/drat-trim)")
            return
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: drat)
        p.arguments = [prefix + ".cnf", prefix + ".drat"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(out.contains("s VERIFIED"), "\(out)")
        // Not equivalent: no DRAT files.
        let bug = dir.appendingPathComponent("bug").path
        let n = try TestSupport.miter(["check", "--certify-drat", bug, repo("Circuits/i2c.aig"), repo("Circuits/i2c_bug.aig")])
        #expect(n.status == 1)
        #expect(!FileManager.default.fileExists(atPath: bug + ".cnf") && !FileManager.default.fileExists(atPath: bug + ".drat"))
    }
}
