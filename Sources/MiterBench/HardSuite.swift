import Foundation
import AIG
import AIGFormats
import Simulation

/// Settings of the `hard` suite (set from the command line in main.swift).
struct HardOptions {
    /// Wall-clock limit of every checker on one pair, seconds (same for all tools).
    var timeout = 600.0
    /// Limit of one ABC generation run (one flow on one circuit), seconds.
    var generationTimeout = 900.0
    /// Circuit names to keep (nil: all).
    var only: Set<String>? = nil
    /// Generate the restructured versions and mutants, print the pairs, time nothing.
    var generateOnly = false
    /// hyp (214k ANDs) is slow to restructure: skipped unless asked for (or named in `only`).
    var includeHyp = false
    /// Runs of a tool on a pair whose first run is under `repeatBelow` seconds (median reported).
    var runs = 3
    var repeatBelow = 10.0
    /// Retry flows that failed (timed out) in an earlier generation run.
    var retryFailed = false
}

nonisolated(unsafe) var hardOptions = HardOptions()

private let resyn2 = "balance; rewrite; refactor; balance; rewrite; rewrite -z; balance; refactor -z; rewrite -z; balance"
private let resyn2rs = "balance; resub -K 6; rewrite; resub -K 6 -N 2; refactor; resub -K 8; balance; resub -K 8 -N 2; rewrite; resub -K 10; rewrite -z; resub -K 10 -N 2; balance; resub -K 12; refactor -z; resub -K 12 -N 2; rewrite -z; balance"

/// The restructuring flows (Debian's berkeley-abc has every command used;
/// the abc.rc aliases resyn2 / resyn2rs are spelled out since it ships no abc.rc).
let hardFlows: [(tag: String, script: String)] = {
    let f1 = "dch -f; if -K 6; mfs2; strash; dc2; dch -f; if -K 4; strash; \(resyn2)"
    let f2 = "&st; &synch2; &if -K 6; &mfs; &st; &dch; &if -K 4; &st"
    return [
        // (1) choices + 6-LUT mapping + don't-care resynthesis + 4-LUT remapping, twice.
        ("dchmfs", "strash; \(f1); \(f1)"),
        // (2) the same idea in the GIA world (&synch2 choices, &mfs), twice.
        ("gia", "strash; &get -n; \(f2); \(f2); &put; strash"),
        // (3) our own LUT flow: wide 8-LUTs with deeper mfs2 windows, 5- and 6-LUT remapping, resyn2rs.
        ("lut", "strash; if -K 8; mfs2 -W 4; strash; dc2; if -K 5; strash; dch; if -K 6; mfs2; strash; \(resyn2rs)"),
    ]
}()

/// One pair to check: an EPFL circuit against a restructured version or a mutant.
struct HardPair {
    var circuit: String
    var tag: String
    var source: String
    var other: String
    /// "equivalent" for restructurings; "not equivalent" for a mutant that random simulation tells apart; "unknown" otherwise.
    var expected: String
    var info: [String: Any]
}

/// Hard equivalence pairs: each EPFL circuit against three deep ABC
/// restructurings and a mutant (one fanin complemented deep inside the first
/// restructuring). Miter against Debian's ABC (`cec -n`, `&cec`) and, when
/// ABC_NEW / KISSAT name binaries, the newest ABC and Kissat on ABC's miter CNF.
func hardSuite(_ ctx: BenchContext) throws -> [String: Any] {
    let opt = hardOptions
    guard let abc = ctx.which("berkeley-abc", "abc") else { return ["skipped": "ABC not installed"] }
    let env = ProcessInfo.processInfo.environment
    func executable(_ key: String) -> String? {
        guard let p = env[key], !p.isEmpty else { return nil }
        if FileManager.default.isExecutableFile(atPath: p) { return p }
        log("hard: \(key)=\(p) is not an executable: that anchor is skipped")
        return nil
    }
    let abcNew = executable("ABC_NEW"), kissat = executable("KISSAT")
    let miter = executable("MITER_BIN") ?? ctx.miterPath
    let extraArgs = (env["MITER_HARD_ARGS"] ?? "").split(separator: " ").map(String.init)

    var files = ctx.epflAIGs()
    if files.isEmpty { return ["skipped": "no shared EPFL circuits"] }
    files = files.filter { path in
        let n = circuitName(path)
        if let only = opt.only { return only.contains(n) }
        return n != "hyp" || opt.includeHyp
    }
    let dir = (ctx.workDir.hasPrefix("/") ? ctx.workDir : FileManager.default.currentDirectoryPath + "/" + ctx.workDir) + "/hard"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)

    // Generation (cached in the work directory), smallest circuits first.
    var sources: [(path: String, aig: AIG)] = []
    for path in files {
        do { sources.append((path, try CircuitIO.read(path: path))) } catch { log("hard: cannot read \(path): \(error)") }
    }
    sources.sort { $0.aig.andCount < $1.aig.andCount }
    var pairs: [HardPair] = []
    var failures: [[String: Any]] = []
    for (path, aig) in sources {
        let got = generate(circuit: path, aig: aig, dir: dir, abc: abc, opt: opt)
        pairs += got.pairs
        failures += got.failures
    }
    let generation: [String: Any] = ["flows": hardFlows.map { ["tag": $0.tag, "script": $0.script] },
                                     "generation_timeout_s": opt.generationTimeout, "failed": failures, "dir": dir]
    if opt.generateOnly {
        return ["generation": generation,
                "pairs": pairs.map { p -> [String: Any] in
                    var row: [String: Any] = ["circuit": p.circuit, "tag": p.tag, "source": p.source, "other": p.other, "expected": p.expected]
                    for (k, v) in p.info { row[k] = v }
                    return row
                }]
    }

    // Timing.
    let limit = opt.timeout
    let L = String(Int(limit.rounded(.up)))
    let rowsPath = dir + "/rows-\(Int(Date().timeIntervalSince1970)).jsonl"
    _ = FileManager.default.createFile(atPath: rowsPath, contents: nil)
    log("hard: \(pairs.count) pairs, limit \(L) s, rows appended to \(rowsPath)")
    var anchors: [(name: String, argv: (HardPair) -> [String])] = [
        ("abc_cec", { [abc, "-c", "cec -n \($0.source) \($0.other)"] }),
        ("abc_gcec", { [abc, "-c", "&r \($0.source); &cec \($0.other)"] }),
    ]
    if let n = abcNew {
        anchors.append(("abcnew_cec", { [n, "-c", "cec -n \($0.source) \($0.other)"] }))
        anchors.append(("abcnew_gcec", { [n, "-c", "&r \($0.source); &cec \($0.other)"] }))
    }
    var rows: [[String: Any]] = []
    var ratios: [Double] = [], ratiosCNF: [Double] = []
    var lostCNF = 0
    var lost: [[String: Any]] = [], undecidedByAll: [String] = [], disagreements: [[String: Any]] = []
    var decidedByUs = 0
    for (index, pair) in pairs.enumerated() {
        let id = "\(pair.circuit).\(pair.tag)"
        log("hard [\(index + 1)/\(pairs.count)] \(id)")
        var row: [String: Any] = ["circuit": pair.circuit, "version": pair.tag, "source": pair.source, "other": pair.other,
                                  "expected": pair.expected]
        for (k, v) in pair.info { row[k] = v }
        let ours = measure(["/usr/bin/timeout", "-k", "5", String(Int(limit.rounded(.up)) + 5), miter, "check", "--match", "order",
                            "--timeout", L] + extraArgs + [pair.source, pair.other], limit: limit, opt: opt, cwd: dir) { run in
            switch run.status {
            case 0: return "equivalent"
            case 1: return "not equivalent"
            case 3, 124, 137: return "undecided"
            default: return "error \(run.status)"
            }
        }
        log("  miter \(ours.verdict) \(r3(ours.seconds)) s")
        put(&row, "miter", ours)
        var decided: [(name: String, seconds: Double, verdict: String)] = []
        var kissatCNF = 0.0
        for anchor in anchors {
            let m = measure(["/usr/bin/timeout", "-k", "5", L] + anchor.argv(pair), limit: limit, opt: opt, cwd: dir, verdict: abcVerdict)
            log("  \(anchor.name) \(m.verdict) \(r3(m.seconds)) s")
            put(&row, anchor.name, m)
            if isDecided(m.verdict) { decided.append((anchor.name, m.seconds, m.verdict)) }
        }
        if let k = kissat {
            // The miter CNF comes from the newest ABC when given; its time is reported, not counted.
            let cnf = "\(dir)/miter-\(getpid()).cnf"
            let gen = try runProcess(["/usr/bin/timeout", "-k", "5", L, abcNew ?? abc, "-c",
                                      "miter -n \(pair.source) \(pair.other); strash; write_cnf \(cnf)"], cwd: dir, captureOutput: true)
            row["kissat_cnf_s"] = r3(gen.seconds)
            if gen.status == 0, FileManager.default.fileExists(atPath: cnf) {
                let m = measure(["/usr/bin/timeout", "-k", "5", L, k, "-q", cnf], limit: limit, opt: opt, cwd: dir) { run in
                    run.status == 20 ? "equivalent" : run.status == 10 ? "not equivalent" : run.status == 124 || run.status == 137 ? "timeout" : "error \(run.status)"
                }
                log("  kissat \(m.verdict) \(r3(m.seconds)) s (CNF \(r3(gen.seconds)) s)")
                put(&row, "kissat", m)
                if isDecided(m.verdict) { decided.append(("kissat", m.seconds, m.verdict)); kissatCNF = gen.seconds }
                row["kissat_with_cnf_s"] = r3(m.seconds + gen.seconds)
            } else {
                row["kissat"] = gen.status == 124 || gen.status == 137 ? "CNF timeout" : "CNF failed (exit \(gen.status))"
                log("  kissat: \(row["kissat"]!)")
            }
            unlink(cnf)
        }
        // Verdict consistency: every decided verdict (ours, anchors', the simulation's) must agree.
        var verdicts = decided.map { ($0.name, $0.verdict) }
        if isDecided(ours.verdict) { verdicts.append(("miter", ours.verdict)) }
        if pair.expected != "unknown" { verdicts.append(("expected", pair.expected)) }
        if Set(verdicts.map(\.1)).count > 1 {
            row["disagreement"] = true
            disagreements.append(["pair": id, "verdicts": Dictionary(verdicts, uniquingKeysWith: { a, _ in a })])
            log("  DISAGREEMENT: \(verdicts)")
        }
        if isDecided(ours.verdict) { decidedByUs += 1 }
        if let best = decided.min(by: { $0.seconds < $1.seconds }) {
            row["best_anchor"] = best.name
            row["best_anchor_s"] = r3(best.seconds)
            if isDecided(ours.verdict) {
                let ratio = ours.seconds / max(best.seconds, 1e-3)
                row["ratio_vs_best_anchor"] = r3(ratio)
                ratios.append(ratio)
                if ratio > 1 { lost.append(["pair": id, "ratio": r3(ratio), "best_anchor": best.name]) }
                log("  ratio \(r3(ratio)) vs \(best.name)")
                // The same with Kissat charged for writing its CNF (miter + strash + write_cnf in ABC).
                let bestCNF = decided.map { $0.name == "kissat" ? $0.seconds + kissatCNF : $0.seconds }.min()!
                let r = ours.seconds / max(bestCNF, 1e-3)
                row["ratio_vs_best_anchor_cnf_counted"] = r3(r)
                ratiosCNF.append(r)
                if r > 1 { lostCNF += 1 }
            } else {
                lost.append(["pair": id, "ratio": NSNull(), "best_anchor": best.name, "miter": ours.verdict])
                lostCNF += 1
            }
        } else {
            row["best_anchor"] = NSNull()
            undecidedByAll.append(id)
        }
        rows.append(row)
        if let data = try? JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]),
           let h = FileHandle(forWritingAtPath: rowsPath) {
            h.seekToEndOfFile(); h.write(data + Data("\n".utf8)); h.closeFile()
        }
    }
    var command = "MiterBench --work \(ctx.workDir) --hard-timeout \(L)"
    if let only = opt.only { command += " --hard-only \(only.sorted().joined(separator: ","))" }
    if opt.includeHyp { command += " --hard-include-hyp" }
    if opt.runs != HardOptions().runs { command += " --hard-runs \(opt.runs)" }
    command += " hard"
    let envPrefix = ["MITER_HARD_ARGS", "ABC_NEW", "KISSAT", "MITER_BIN"].compactMap { k in env[k].map { "\(k)='\($0)'" } }
    if !envPrefix.isEmpty { command = envPrefix.joined(separator: " ") + " " + command }
    return [
        "pairs": rows,
        "summary": [
            "pairs": rows.count,
            "decided_by_miter": decidedByUs,
            "decided_by_some_anchor": rows.count - undecidedByAll.count,
            "undecided_by_every_anchor": undecidedByAll,
            "we_lose": lost,
            "we_lose_count": lost.count,
            "median_ratio": ratios.isEmpty ? NSNull() : r3(median(ratios)) as Any,
            "disagreements": disagreements,
            "median_ratio_cnf_counted": ratiosCNF.isEmpty ? NSNull() : r3(median(ratiosCNF)) as Any,
            "we_lose_count_cnf_counted": lostCNF,
        ] as [String: Any],
        "generation": generation,
        "limit_s": limit,
        "anchors": anchors.map(\.name) + (kissat == nil ? [] : ["kissat"]),
        "miter": miter, "miter_args": extraArgs,
        "notes": "ratio = miter time / fastest anchor that decided the pair (median of \(opt.runs) runs when under \(opt.repeatBelow) s, else one run); kissat time is the solver alone (CNF generation reported apart as kissat_cnf_s; the *_cnf_counted figures charge it to Kissat); a pair we leave undecided that an anchor decides counts as lost; peak_MB is floored near MiterBench's own RSS (children are spawned with vfork); a verdict after the limit counts as timeout",
        "command": command,
    ]
}

private func circuitName(_ path: String) -> String {
    ((path as NSString).lastPathComponent as NSString).deletingPathExtension
}

private func isDecided(_ v: String) -> Bool { v == "equivalent" || v == "not equivalent" }

private func put(_ row: inout [String: Any], _ name: String, _ m: Measured) {
    row[name] = m.verdict
    row[name + "_s"] = r3(m.seconds)
    row[name + "_runs"] = m.runs
    row[name + "_peak_MB"] = r3(m.peakMB)
}

private struct Measured { var seconds: Double; var peakMB: Double; var verdict: String; var runs: Int }

/// Runs a tool `opt.runs` times when its first run is under `opt.repeatBelow` s, once otherwise.
/// Median time and peak memory; a verdict given after `limit` counts as a timeout.
private func measure(_ argv: [String], limit: Double, opt: HardOptions, cwd: String, verdict: (ProcessRun) -> String) -> Measured {
    var times: [Double] = [], peaks: [Double] = [], verdicts: [String] = []
    for i in 0..<max(1, opt.runs) {
        guard let run = try? runProcess(argv, cwd: cwd, captureOutput: true) else {
            return Measured(seconds: .nan, peakMB: 0, verdict: "cannot start \(argv.first ?? "")", runs: 0)
        }
        var v = verdict(run)
        if run.seconds > limit && isDecided(v) { v = "timeout" }
        times.append(run.seconds); peaks.append(Double(run.maxRSSBytes) / 1e6); verdicts.append(v)
        if i == 0 && run.seconds >= opt.repeatBelow { break }
    }
    var distinct: [String] = []
    for v in verdicts where !distinct.contains(v) { distinct.append(v) }
    return Measured(seconds: median(times), peakMB: median(peaks), verdict: distinct.joined(separator: "/"), runs: times.count)
}

private func abcVerdict(_ run: ProcessRun) -> String {
    if run.status == 124 || run.status == 137 { return "timeout" }
    if run.output.contains("NOT EQUIVALENT") { return "not equivalent" }
    if run.output.contains("Networks are equivalent") { return "equivalent" }
    // Older &cec summaries: every output UNSAT, none SAT or undecided.
    if run.output.contains("SAT =      0.") && run.output.contains("UNDEC =      0.") { return "equivalent" }
    if run.output.contains("UNDECIDED") { return "undecided" }
    return run.status == 0 ? "undecided" : "error \(run.status)"
}

// MARK: - Generation

/// The restructurings and the mutant of one circuit, generated into `dir` unless already there.
private func generate(circuit path: String, aig source: AIG, dir: String, abc: String, opt: HardOptions)
    -> (pairs: [HardPair], failures: [[String: Any]]) {
    let name = circuitName(path)
    var pairs: [HardPair] = [], failures: [[String: Any]] = []
    var firstFlow: (tag: String, path: String)? = nil
    let base: [String: Any] = ["source_ands": source.andCount, "source_depth": source.depth()]
    for flow in hardFlows {
        let out = "\(dir)/\(name).\(flow.tag).aig"
        let failed = out + ".failed"
        if opt.retryFailed { unlink(failed) }
        if !FileManager.default.fileExists(atPath: out) {
            if let reason = try? String(contentsOfFile: failed, encoding: .utf8) {
                log("hard: \(name).\(flow.tag) failed before (\(reason.trimmingCharacters(in: .whitespacesAndNewlines))); delete \(failed) or pass --hard-retry-failed to retry")
                failures.append(["circuit": name, "tag": flow.tag, "reason": reason.trimmingCharacters(in: .whitespacesAndNewlines), "cached": true])
                continue
            }
            log("hard: generating \(name).\(flow.tag) (\(source.andCount) ANDs)")
            let tmp = "\(dir)/\(name).\(flow.tag).tmp-\(getpid()).aig"
            let run: ProcessRun
            do {
                run = try runProcess(["/usr/bin/timeout", "-k", "10", String(Int(opt.generationTimeout)), abc, "-c",
                                      "read \(path); \(flow.script); write_aiger \(tmp)"], cwd: dir, captureOutput: true)
            } catch {
                failures.append(["circuit": name, "tag": flow.tag, "reason": "\(error)"]); continue
            }
            var reason: String? = nil
            if run.status == 124 || run.status == 137 {
                reason = "ABC timed out after \(Int(opt.generationTimeout)) s"
            } else if run.status != 0 || !FileManager.default.fileExists(atPath: tmp) {
                let tail = run.output.split(separator: "\n").suffix(3).joined(separator: " | ")
                reason = "ABC exit \(run.status), no output file: \(tail)"
            } else if let err = readBackProblem(tmp, like: source) {
                reason = err
            }
            if let reason {
                unlink(tmp)
                log("hard: \(name).\(flow.tag) FAILED: \(reason) (after \(r3(run.seconds)) s)")
                try? (reason + "\n").write(toFile: failed, atomically: true, encoding: .utf8)
                failures.append(["circuit": name, "tag": flow.tag, "reason": reason])
                continue
            }
            rename(tmp, out)
            log("hard: \(name).\(flow.tag) done in \(r3(run.seconds)) s")
        }
        guard let other = try? CircuitIO.read(path: out) else {
            failures.append(["circuit": name, "tag": flow.tag, "reason": "cached file does not read back"]); continue
        }
        var info = base
        info["other_ands"] = other.andCount; info["other_depth"] = other.depth()
        pairs.append(HardPair(circuit: name, tag: flow.tag, source: path, other: out, expected: "equivalent", info: info))
        if firstFlow == nil { firstFlow = (flow.tag, out) }
    }
    // The mutant of the first restructuring that exists (flow 1 normally).
    guard let from = firstFlow else {
        failures.append(["circuit": name, "tag": "mut", "reason": "no restructured version to mutate"])
        return (pairs, failures)
    }
    let out = "\(dir)/\(name).mut.aig", meta = out + ".json"
    var info: [String: Any]
    if FileManager.default.fileExists(atPath: out), let data = FileManager.default.contents(atPath: meta),
       let cached = try? JSONSerialization.jsonObject(with: data) as? [String: Any], cached["from"] as? String == from.path,
       cached["selection"] as? String == mutantSelection {
        info = cached
    } else {
        do {
            info = try makeMutant(of: from.path, to: out)
            info["from"] = from.path
            info["from_tag"] = from.tag
            let data = try JSONSerialization.data(withJSONObject: info, options: [.sortedKeys])
            try data.write(to: URL(fileURLWithPath: meta))
            log("hard: \(name).mut: AND \(info["and_index"]!) of \(info["and_count"]!) (level \(info["level"]!)), fanin \(info["fanin"]!) complemented, simulation differs: \(info["simulation_differs"]!)")
        } catch {
            failures.append(["circuit": name, "tag": "mut", "reason": "\(error)"])
            return (pairs, failures)
        }
    }
    for (k, v) in base { info[k] = v }
    let differs = info["simulation_differs"] as? Bool ?? false
    pairs.append(HardPair(circuit: name, tag: "mut", source: path, other: out,
                          expected: differs ? "not equivalent" : "unknown", info: info))
    return (pairs, failures)
}

private let mutantSelection = "cone by level, from 60%"

/// Nil when `path` reads back as an AIG with the source's interface, else the problem.
private func readBackProblem(_ path: String, like source: AIG) -> String? {
    do {
        let g = try CircuitIO.read(path: path)
        if g.inputCount != source.inputCount || g.outputCount != source.outputCount || !g.isCombinational {
            return "interface changed: \(g.inputCount)/\(g.outputCount)/\(g.latchCount) inputs/outputs/latches vs \(source.inputCount)/\(source.outputCount)/0"
        }
        return nil
    } catch {
        return "output does not read back: \(error)"
    }
}

/// Complements one fanin of an AND deep inside `path` (the first AND of the
/// outputs' cone, ordered by level, from 60 % of that order on whose flip
/// random simulation sees an output change; up to 64 fanins tried) and writes it.
private func makeMutant(of path: String, to out: String) throws -> [String: Any] {
    let aig = try CircuitIO.read(path: path)
    let first = aig.firstAndVariable
    let cone = aig.cone(of: aig.outputs)
    let levels = aig.levels()
    // The outputs' cone ordered by logic level (then topological index): starting at 60 %
    // of that order puts the flip deep inside, not among the many shallow ANDs.
    let candidates = (0..<aig.andCount).filter { cone[first + $0] }
        .sorted { (levels[first + $0], $0) < (levels[first + $1], $1) }
    guard !candidates.isEmpty else { throw BenchError.failed("\(path): no AND in the outputs' cone") }
    let words = aig.andCount > 100_000 ? 16 : 64, seed: UInt64 = 0x4D49_5445_5221
    var sim = Simulator()
    // Mixed-density random patterns (as the functional hash uses): uniform ones miss priority/comparator logic.
    func simulate(_ g: AIG) {
        sim.prepare(g, words: words)
        for i in 0..<g.inputCount {
            var rng = Patterns.stream(seed: seed, input: i)
            sim.withInputWords(i) { buf in for w in 0..<buf.count { buf[w] = Patterns.mixedDensityWord(&rng, word: w) } }
        }
        sim.run(g)
    }
    simulate(aig)
    let reference = aig.outputs.map { sim.literalWords($0) }
    let start = candidates.count * 6 / 10
    var chosen: (k: Int, fanin: String, mutant: AIG, differs: Bool)? = nil
    // Both fanins of each candidate, left first, then the next AND in topological order.
    for attempt in 0..<min(64, 2 * candidates.count) {
        let k = candidates[(start + attempt / 2) % candidates.count]
        let useLeft = attempt % 2 == 0
        var mutant = aig
        var g = mutant.ands[k]
        if useLeft { g.left = !g.left } else { g.right = !g.right }
        // Binary AIGER stores left >= right: keep that order (the variables differ, so it holds already).
        if g.left < g.right { swap(&g.left, &g.right) }
        mutant.ands[k] = g
        simulate(mutant)
        let differs = zip(mutant.outputs, reference).contains { sim.literalWords($0.0) != $0.1 }
        if chosen == nil || differs { chosen = (k, useLeft ? "left" : "right", mutant, differs) }
        if differs { break }
    }
    let c = chosen!
    try CircuitIO.write(c.mutant, to: out, format: .aigerBinary)
    _ = try CircuitIO.read(path: out)
    return ["selection": mutantSelection, "and_index": c.k, "and_count": aig.andCount, "level_order_position": r3(Double(candidates.firstIndex(of: c.k) ?? 0) / Double(candidates.count)),
            "level": Int(levels[first + c.k]), "depth": aig.depth(), "fanin": c.fanin,
            "simulation_differs": c.differs, "simulation_patterns": words * 64]
}
