import Foundation
import Testing
import TestSupport

@Suite struct PairsCommandTests {
    /// Every labelled pair is re-checked with `miter check` (and a sample with ABC
    /// `cec` when installed); numpy loads the tensor files when Python has it.
    @Test func everyPairRecheckedAndFilesLoad() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let set = try TestSupport.miter(["random", "--inputs", "7", "--outputs", "2", "--ands", "30", "--count", "15",
                                         "--variants", "3", "--mutants", "3", "--seed", "8", "--jsonl", "-"])
        #expect(set.status == 0, "\(set.stderr)")
        let jsonl = dir.appendingPathComponent("pairs.jsonl").path
        let npz = dir.appendingPathComponent("pairs.npz").path
        let st = dir.appendingPathComponent("pairs.safetensors").path
        let r = try TestSupport.miter(["pairs", "--max-pairs", "30", "--balance", "--seed", "1", "--jsonl", jsonl, "--tensors", npz],
                                      stdin: Array(set.stdout.utf8))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("30 pairs (15 equivalent, 15 not equivalent)"), "\(r.stdout)")
        let s = try TestSupport.miter(["pairs", "--max-pairs", "30", "--balance", "--seed", "1", "--jsonl", jsonl, "--tensors", st],
                                      stdin: Array(set.stdout.utf8))
        #expect(s.status == 0, "\(s.stderr)")

        let lines = try String(contentsOfFile: jsonl, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 30)
        let abc = TestSupport.which("berkeley-abc", "abc")
        if abc == nil { print("SKIP ABC cec sample: ABC (berkeley-abc) is not installed") }
        for (k, line) in lines.enumerated() {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let a = dir.appendingPathComponent("a\(k).aag"), b = dir.appendingPathComponent("b\(k).aag")
            try (o["a_aag"] as? String ?? "").write(to: a, atomically: true, encoding: .utf8)
            try (o["b_aag"] as? String ?? "").write(to: b, atomically: true, encoding: .utf8)
            let label = o["label"] as? Int
            let c = try TestSupport.miter(["check", "--match", "order", a.path, b.path])
            #expect(c.status == (label == 1 ? 0 : 1), "pair \(k): label \(String(describing: label)), miter check exit \(c.status)")
            #expect(o["schema"] as? String == "miter.pair.v1")
            #expect(o["pair"] as? Int == k)
            #expect(o["verdict"] as? String == (label == 1 ? "equivalent" : "not_equivalent"))
            #expect(o["a_graph"] is Int && o["b_graph"] is Int)
            if label == 0 {
                // Bit vectors are lists of 0/1 (strings like "0101" become numbers in pandas).
                let cex = try #require(o["cex_inputs_a"] as? [Int])
                #expect(cex.count == 7 && cex.allSatisfy { $0 == 0 || $0 == 1 })
                #expect((o["cex_inputs_b"] as? [Int])?.count == 7)
                #expect(!((o["cex_outputs"] as? [Any]) ?? []).isEmpty)
            } else {
                #expect(o["cex_inputs_a"] is NSNull && o["cex_inputs_b"] is NSNull)
            }
            if let abc, k < 10 {
                // ABC reads binary AIGER; -n matches ports by order.
                let ax = dir.appendingPathComponent("a\(k).aig"), bx = dir.appendingPathComponent("b\(k).aig")
                _ = try TestSupport.miter(["convert", a.path, ax.path]); _ = try TestSupport.miter(["convert", b.path, bx.path])
                let out = try TestSupport.runABC(abc, "cec -n \(ax.path) \(bx.path)")
                #expect(out.contains(label == 1 ? "Networks are equivalent" : "NOT EQUIVALENT"), "pair \(k): \(out)")
            }
        }

        guard let python = TestSupport.which("python3") else { print("SKIP numpy loading: python3 is not installed"); return }
        let probe = try TestSupport.run(python, ["-c", "import numpy"])
        guard probe.status == 0 else { print("SKIP numpy loading: numpy is not importable"); return }
        let script = TestSupport.repoFile("examples/load_pairs.py").path
        // The safetensors file was written last, with the same pairs as the .npz (same seed).
        for tensors in [npz, st] {
            let p = try TestSupport.run(python, [script, jsonl, tensors])
            #expect(p.status == 0, "\(p.stdout)\(p.stderr)")
            #expect(p.stdout.hasPrefix("ok: 30 pairs (15 equivalent)"), "\(p.stdout)")
        }
        let pandas = try TestSupport.run(python, ["-c", "import pandas"])
        if pandas.status != 0 { print("SKIP pandas.read_json check: pandas is not importable (json module used)"); return }
        // pandas' defaults keep the bit vectors and join rows to the tensors through graph_names.
        let check = """
        import sys, numpy as np, pandas as pd
        df = pd.read_json(sys.argv[1], lines=True)
        z = np.load(sys.argv[2], allow_pickle=False)
        names = z["graph_names"]
        assert list(names[df.a_graph]) == list(df.a_name) and list(names[df.b_graph]) == list(df.b_name)
        assert (z["pair_index"] == df[["a_graph", "b_graph"]].to_numpy()).all()
        neq = df[df.label == 0]
        assert all(isinstance(v, list) and set(v) <= {0, 1} and len(v) == 7 for v in neq.cex_inputs_a), neq.cex_inputs_a.head()
        print("pandas ok", len(df))
        """
        // The .npz was written first: rewrite the JSONL with the .npz's run (same seed, same pairs).
        _ = try TestSupport.miter(["pairs", "--max-pairs", "30", "--balance", "--seed", "1", "--jsonl", jsonl, "--tensors", npz],
                                  stdin: Array(set.stdout.utf8))
        let p = try TestSupport.run(python, ["-c", check, jsonl, npz])
        #expect(p.status == 0 && p.stdout.contains("pandas ok 30"), "\(p.stdout)\(p.stderr)")
    }

    @Test func badArgumentsAreExit2() throws {
        let r = try TestSupport.miter(["pairs", "--tensors", "x.pkl"], stdin: [])
        #expect(r.status == 2 && r.stderr.contains("--tensors"))
        let n = try TestSupport.miter(["pairs"], stdin: [])
        #expect(n.status == 2 && n.stderr.contains("--jsonl"))
    }
}
