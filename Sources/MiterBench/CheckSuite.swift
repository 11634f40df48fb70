import Foundation

/// `miter check` against ABC `cec -n` and `&cec` on every shared EPFL
/// circuit versus its ABC `resyn2` and `if -K 6; strash` versions (generated
/// with ABC into the work directory). Each side runs as a child process with
/// the same wall-clock limit (`--check-timeout`, default 120 s); the ratio is
/// our median time over the better ABC median. --quick keeps the small circuits.
func checkSuite(_ ctx: BenchContext) throws -> [String: Any] {
    guard let abc = ctx.which("berkeley-abc", "abc") else { return ["skipped": "ABC not installed"] }
    let pairs = try checkSuitePairs(ctx, abc: abc)
    if pairs.isEmpty { return ["skipped": "no shared EPFL circuits"] }
    let limit = ctx.checkTimeout
    var rows: [[String: Any]] = []
    var ratios: [Double] = []
    for (name, tag, path, other) in pairs {
        log("check \(name) vs \(tag)")
        let ours = try timed(ctx, ["/usr/bin/timeout", "\(Int(limit) + 5)", ctx.miterPath, "check", "--match", "order",
                                   "--timeout", "\(Int(limit))", path, other]) { checkVerdict($0) }
        let cec = try timed(ctx, ["/usr/bin/timeout", "\(Int(limit))", abc, "-c", "cec -n \(path) \(other)"]) { abcVerdict($0) }
        // &cec compares by order; its -n flag selects a naive engine, so it is not used.
        let gcec = try timed(ctx, ["/usr/bin/timeout", "\(Int(limit))", abc, "-c", "&r \(path); &cec \(other)"]) { abcVerdict($0) }
        var row: [String: Any] = ["circuit": name, "version": tag,
                                  "miter_s": r3(ours.seconds), "miter": ours.verdict, "miter_peak_MB": r3(ours.peakMB),
                                  "abc_cec_s": r3(cec.seconds), "abc_cec": cec.verdict,
                                  "abc_gcec_s": r3(gcec.seconds), "abc_gcec": gcec.verdict]
        let abcTimes = [cec, gcec].filter { $0.verdict == "equivalent" }.map(\.seconds)
        if let best = abcTimes.min(), ours.verdict == "equivalent" {
            row["ratio_vs_best_abc"] = r3(ours.seconds / best)
            ratios.append(ours.seconds / best)
        }
        rows.append(row)
    }
    // JSON cannot hold NaN: no ratio at all (nothing decided) is reported as null.
    return ["pairs": rows, "median_ratio": ratios.isEmpty ? NSNull() : r3(median(ratios)) as Any, "limit_s": limit,
            "command": "MiterBench --runs \(ctx.runs) check"]
}

/// `miter check`'s verdict from its exit status.
func checkVerdict(_ run: ProcessRun) -> String {
    switch run.status {
    case 0: return "equivalent"
    case 1: return "not equivalent"
    case 3, 124: return "undecided"
    default: return "error \(run.status)"
    }
}

/// The check suite's pairs: every shared EPFL circuit against its ABC
/// `resyn2` and `if -K 6; strash` versions (and `&deepsyn` for the small
/// ones), generated into the work directory once.
func checkSuitePairs(_ ctx: BenchContext, abc: String) throws -> [(name: String, tag: String, original: String, other: String)] {
    let files = ctx.epflAIGs().filter { ctx.quick ? (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int ?? 0).map { $0 < 20_000 } ?? false : true }
    let dir = ctx.workDir + "/check"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let resyn2 = "balance; rewrite; refactor; balance; rewrite; rewrite -z; balance; refactor -z; rewrite -z; balance"
    // &deepsyn calls compress2rs, an alias Debian's ABC lacks: give it an abc.rc.
    try "alias compress2rs \"balance -l; resub -K 6 -l; rewrite -l; resub -K 6 -N 2 -l; refactor -l; resub -K 8 -l; balance -l; resub -K 8 -N 2 -l; rewrite -l; resub -K 10 -l; rewrite -z -l; resub -K 10 -N 2 -l; balance -l; resub -K 12 -l; refactor -z -l; resub -K 12 -N 2 -l; rewrite -z -l; balance -l\"\n"
        .write(toFile: dir + "/abc.rc", atomically: true, encoding: .utf8)
    var pairs: [(name: String, tag: String, original: String, other: String)] = []
    for path in files {
        let name = (path as NSString).lastPathComponent.replacingOccurrences(of: ".aig", with: "")
        let size: Int? = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
        let small = (size ?? Int.max) < 20_000
        var todo = [("resyn2", "strash; " + resyn2), ("if6", "strash; if -K 6; strash")]
        // &deepsyn on the small circuits only (it runs for its full 5 s budget).
        if small { todo.append(("deepsyn", "&get -n; &deepsyn -T 5; &put")) }
        for (tag, script) in todo {
            let other = "\(dir)/\(name).\(tag).aig"
            if !FileManager.default.fileExists(atPath: other) {
                _ = try runProcess([abc, "-c", "read \(path); \(script); write_aiger \(other)"], cwd: dir)
            }
            pairs.append((name, tag, path, other))
        }
    }
    return pairs
}

private func abcVerdict(_ run: ProcessRun) -> String {
    if run.status == 124 { return "timeout" }
    if run.output.contains("Networks are equivalent") { return "equivalent" }
    // &cec's per-output summary: every output UNSAT, none SAT or undecided.
    if run.output.contains("SAT =      0.") && run.output.contains("UNDEC =      0.") { return "equivalent" }
    if run.output.contains("NOT EQUIVALENT") { return "not equivalent" }
    return "undecided"
}

/// Several commands timed in turns (A B A B …), so drift on a shared
/// machine touches each alike; medians. Runs under 0.2 s (where one
/// disturbance is tens of percent) are repeated at least `shortRunRounds`
/// times; one round when the first takes over 5 s.
func timedInTurns(_ ctx: BenchContext, _ argvs: [[String]], shortRunRounds: Int = 9, verdict: (ProcessRun) -> String) throws -> [(seconds: Double, peakMB: Double, verdict: String)] {
    var times = [[Double]](repeating: [], count: argvs.count), peaks = times
    var last = [String](repeating: "", count: argvs.count)
    var rounds = ctx.runs, i = 0
    while i < rounds {
        for (k, argv) in argvs.enumerated() {
            let run = try runProcess(argv, captureOutput: true)
            times[k].append(run.seconds); peaks[k].append(Double(run.maxRSSBytes) / 1e6)
            last[k] = verdict(run)
        }
        if i == 0 {
            if times.contains(where: { $0[0] > 5 }) { break }
            if times.allSatisfy({ $0[0] < 0.2 }) { rounds = max(rounds, shortRunRounds) }
        }
        i += 1
    }
    return argvs.indices.map { (median(times[$0]), median(peaks[$0]), last[$0]) }
}

/// Median wall time over the runs (one run when the first takes over 5 s).
func timed(_ ctx: BenchContext, _ argv: [String], verdict: (ProcessRun) -> String) throws -> (seconds: Double, peakMB: Double, verdict: String) {
    try timedInTurns(ctx, [argv], shortRunRounds: 0, verdict: verdict)[0]
}
