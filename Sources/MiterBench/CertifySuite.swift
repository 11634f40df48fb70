import Foundation

/// What certificates cost (#13): for the `check` suite's pairs and the
/// `hard` suite's generated pairs (when its work directory has them), the
/// time of a plain `miter check`, of `check --certify FILE`, of
/// `certify-check FILE` (Z3 re-proving every lemma), and the certificate's
/// size. Ratios are over the plain check's median in the same run, the
/// plain and certifying checks timed in turns (`timedInTurns`).
/// `--certify-parts check,hard` (default both) and `--hard-only` for the hard pairs.
struct CertifyOptions { var parts: Set<String> = ["check", "hard"] }
nonisolated(unsafe) var certifyOptions = CertifyOptions()

func certifySuite(_ ctx: BenchContext) throws -> [String: Any] {
    var pairs: [(suite: String, name: String, tag: String, original: String, other: String)] = []
    let parts = certifyOptions.parts
    if parts.contains("check"), let abc = ctx.which("berkeley-abc", "abc") {
        pairs += try checkSuitePairs(ctx, abc: abc).map { ("check", $0.name, $0.tag, $0.original, $0.other) }
    }
    let hardDir = ctx.workDir + "/hard"
    let originals = Dictionary(ctx.epflAIGs().map { ((($0 as NSString).lastPathComponent as NSString).deletingPathExtension, $0) },
                               uniquingKeysWith: { a, _ in a })
    let hardFiles = ((try? FileManager.default.contentsOfDirectory(atPath: hardDir)) ?? []).filter { $0.hasSuffix(".aig") }.sorted()
    for f in hardFiles where parts.contains("hard") {
        let name = f.split(separator: ".").map(String.init)
        guard name.count == 3, let original = originals[name[0]] else { continue }
        if let only = hardOptions.only, !only.contains(name[0]) { continue }
        pairs.append(("hard", name[0], name[1], original, hardDir + "/" + f))
    }
    if hardFiles.isEmpty { log("certify: no hard-suite files in \(hardDir) (run the hard suite with the same --work first)") }
    if pairs.isEmpty { return ["skipped": "no shared EPFL circuits (or ABC missing)"] }
    let dir = ctx.workDir + "/certify"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let limit = ctx.checkTimeout
    var rows: [[String: Any]] = []
    var certifyRatios: [String: [Double]] = [:], verifyRatios: [String: [Double]] = [:]
    var failures: [String] = []
    for p in pairs {
        let id = "\(p.name).\(p.tag)"
        log("certify \(p.suite) \(id)")
        let cert = "\(dir)/\(p.suite).\(id).cert"
        let base = ["/usr/bin/timeout", "\(Int(limit) + 5)", ctx.miterPath, "check", "--match", "order", "--timeout", "\(Int(limit))"]
        let both = try timedInTurns(ctx, [base + [p.original, p.other], base + ["--certify", cert, p.original, p.other]]) { checkVerdict($0) }
        let (plain, certified) = (both[0], both[1])
        var row: [String: Any] = ["suite": p.suite, "circuit": p.name, "version": p.tag,
                                  "check_s": r3(plain.seconds), "check": plain.verdict,
                                  "certify_s": r3(certified.seconds), "certify": certified.verdict]
        if FileManager.default.fileExists(atPath: cert) {
            let size = (try? FileManager.default.attributesOfItem(atPath: cert))?[.size] as? Int ?? 0
            // Bytes, not UTF-8 text: the miter is embedded as binary AIGER.
            let bytes = [UInt8](FileManager.default.contents(atPath: cert) ?? Data())
            let lemmaPrefix = Array("lemma ".utf8)
            row["certificate_bytes"] = size
            row["lemmas"] = bytes.split(separator: 10).filter { $0.starts(with: lemmaPrefix) }.count
            let verify = try timed(ctx, ["/usr/bin/timeout", "\(Int(10 * limit) + 5)", ctx.miterPath, "certify-check",
                                         "--timeout", "\(Int(10 * limit))", cert]) { run in
                switch run.status { case 0: return "holds"; case 1: return "fails"; case 3, 124: return "undecided"; default: return "error \(run.status)" }
            }
            row["certify_check_s"] = r3(verify.seconds)
            row["certify_check"] = verify.verdict
            if verify.verdict != "holds" { failures.append("\(p.suite) \(id): certify-check \(verify.verdict)") }
            if plain.verdict == "equivalent" || plain.verdict == "not equivalent" {
                let c = certified.seconds / max(plain.seconds, 1e-3), v = verify.seconds / max(plain.seconds, 1e-3)
                row["certify_ratio"] = r3(c); row["certify_check_ratio"] = r3(v)
                certifyRatios[p.suite, default: []].append(c); verifyRatios[p.suite, default: []].append(v)
            }
            try? FileManager.default.removeItem(atPath: cert)
        }
        rows.append(row)
        // One JSON line per pair on stderr, so a long run's figures survive an interruption.
        if let line = try? JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]) { log("row " + String(decoding: line, as: UTF8.self)) }
    }
    var summary: [String: Any] = [:]
    for suite in Set(pairs.map(\.suite)) {
        let c = certifyRatios[suite] ?? [], v = verifyRatios[suite] ?? []
        summary[suite] = ["pairs": c.count,
                          "median_certify_ratio": c.isEmpty ? NSNull() : r3(median(c)) as Any,
                          "max_certify_ratio": c.max().map { r3($0) as Any } ?? NSNull(),
                          "median_certify_check_ratio": v.isEmpty ? NSNull() : r3(median(v)) as Any,
                          "max_certify_check_ratio": v.max().map { r3($0) as Any } ?? NSNull()]
    }
    return ["pairs": rows, "summary": summary, "failures": failures, "limit_s": limit,
            "notes": "ratios over the plain check's median (same run); certify-check gets 10x the check limit",
            "command": "MiterBench --runs \(ctx.runs) --work DIR certify"]
}
