import AIG
import AIGFormats
import Decoder
import Equivalence
import Foundation
import Simulation

/// Decoder figures on circuits nobody here tuned on: the shared EPFL control
/// circuits with at most 16 inputs, `miter random` 8-input/2-output
/// circuits (a different generator from the tuning set's
/// `randomDecoderCircuit`, with less redundancy: ABC `resyn2` keeps ~70% of
/// their ANDs), and the Circuit Transformer README's 25-AND example and
/// training-data 33-AND example. Every result goes through
/// `decodeNeverWorse` (what `miter decode FILE` runs) and `EquivalenceChecker`;
/// ABC `resyn2` and `&deepsyn -T 1` in the same run.
func decoderRealCircuits(_ ctx: BenchContext) throws -> [String: Any] {
    let dir = ctx.workDir + "/decoder-real"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let abc = ctx.which("berkeley-abc", "abc")
    if abc != nil { try abcRC.write(toFile: dir + "/abc.rc", atomically: true, encoding: .utf8) }

    /// ABC's AND counts after `resyn2` and after `&deepsyn -T 1`, per file.
    @Sendable func abcCounts(_ paths: [String]) throws -> (resyn2: [Int], deepsyn: [Int]) {
        guard let abc else { return ([], []) }
        let script = paths.map { "read \($0); strash; \(resyn2Script); print_stats" }.joined(separator: "\n")
        try script.write(toFile: dir + "/resyn2.abc", atomically: true, encoding: .utf8)
        let r = parseAndCounts(try runProcess([abc, "-f", dir + "/resyn2.abc"], cwd: dir, captureOutput: true).output)
        let deep = paths.map { "&r \($0); &deepsyn -T 1; &ps" }.joined(separator: "\n")
        try deep.write(toFile: dir + "/deepsyn.abc", atomically: true, encoding: .utf8)
        let d = parseAndCounts(try runProcess([abc, "-f", dir + "/deepsyn.abc"], cwd: dir, captureOutput: true).output)
        return (r, d)
    }

    func decodeChecked(_ g: AIG, _ strategy: DecodeStrategy, playouts: Int = 100) throws -> (ands: Int, strategyAnds: Int, seconds: Double, optimized: Int) {
        var p = DecodeParams()
        p.strategy = strategy; p.playouts = playouts
        var h = HeuristicPolicy()
        let start = Date()
        let (r, report) = try decodeNeverWorse(DecoderTargets(aig: g), source: g, policy: &h, params: p)
        let seconds = Date().timeIntervalSince(start)
        guard case .equivalent = try EquivalenceChecker().check(g, r.aig).0 else { throw BenchError.failed("decoded circuit not equivalent") }
        guard r.andCount <= g.cleanedUp().andCount else { throw BenchError.failed("decoded circuit larger than its source") }
        return (r.andCount, report.strategyAnds, seconds, report.optimizedAnds ?? g.cleanedUp().andCount)
    }

    var out: [String: Any] = [:]

    // 1. EPFL control circuits with <= 16 inputs, greedy.
    let epfl = ctx.epflAIGs().filter { p in ["ctrl", "dec", "int2float", "cavlc"].contains { p.hasSuffix("/\($0).aig") } }
    if !epfl.isEmpty {
        let (r2, ds) = try abcCounts(epfl)
        var rows: [[String: Any]] = []
        for (k, path) in epfl.enumerated() {
            let g = try CircuitIO.read(path: path)
            log("decoder real: \((path as NSString).lastPathComponent)")
            let d = try decodeChecked(g, .greedy)
            rows.append(["circuit": ((path as NSString).lastPathComponent as NSString).deletingPathExtension, "inputs": g.inputCount,
                         "outputs": g.outputCount, "source_ands": g.andCount, "synthesis_script_ands": d.optimized, "greedy_ands": d.ands, "greedy_strategy_ands": d.strategyAnds,
                         "greedy_seconds": r3(d.seconds), "abc_resyn2": k < r2.count ? r2[k] : NSNull(), "abc_deepsyn_T1": k < ds.count ? ds[k] : NSNull()])
        }
        out["epfl_greedy"] = rows
    }

    // 2. `miter random` circuits (not the tuning generator).
    // MITER_RANDOM_COUNT / MITER_RANDOM_MCTS: circuits, and how many of them MCTS decodes.
    let env = ProcessInfo.processInfo.environment
    let count = Int(env["MITER_RANDOM_COUNT"] ?? "") ?? (ctx.quick ? 30 : 100)
    let mctsCount = min(count, Int(env["MITER_RANDOM_MCTS"] ?? "") ?? (ctx.quick ? 5 : 20))
    let setDir = dir + "/random8x2"
    try? FileManager.default.removeItem(atPath: setDir)
    let gen = try runProcess([ctx.miterPath, "random", "--inputs", "8", "--outputs", "2", "--ands", "25", "--count", "\(count)", "--seed", "3",
                              "--out", setDir, "--format", "aig"])
    guard gen.status == 0 else { throw BenchError.failed("miter random failed") }
    let paths = try FileManager.default.contentsOfDirectory(atPath: setDir).filter { $0.hasSuffix(".aig") }.sorted().map { setDir + "/" + $0 }
    let circuits = try paths.map { try CircuitIO.read(path: $0) }
    // ABC runs on the other core meanwhile (its time is its own: deepsyn -T 1 per circuit).
    final class Box: @unchecked Sendable { var counts: (resyn2: [Int], deepsyn: [Int]) = ([], []); var error: Error? }
    let abcResult = Box()
    let abcDone = DispatchSemaphore(value: 0)
    let abcPaths = paths
    Thread {
        do { abcResult.counts = try abcCounts(abcPaths) } catch { abcResult.error = error }
        abcDone.signal()
    }.start()
    var greedy: [Int] = [], greedyStrategy: [Int] = [], optimized: [Int] = [], seconds = 0.0
    for g in circuits {
        let d = try decodeChecked(g, .greedy)
        greedy.append(d.ands); greedyStrategy.append(d.strategyAnds); optimized.append(d.optimized); seconds += d.seconds
    }
    var mcts: [Int] = [], mctsSeconds = 0.0
    log("decoder real: mcts (100 playouts) on \(mctsCount) miter-random circuits")
    for g in circuits.prefix(mctsCount) {
        let d = try decodeChecked(g, .mcts, playouts: 100)
        mcts.append(d.ands); mctsSeconds += d.seconds
    }
    abcDone.wait()
    if let e = abcResult.error { throw e }
    let (r2, ds) = abcResult.counts
    func mean(_ xs: [Int], _ m: Int? = nil) -> Any {
        let ys = m.map { Array(xs.prefix($0)) } ?? xs
        return ys.isEmpty ? NSNull() : r3(Double(ys.reduce(0, +)) / Double(ys.count))
    }
    out["miter_random_8x2"] = [
        "generator": "miter random --inputs 8 --outputs 2 --ands 25 --count \(count) --seed 3", "circuits": circuits.count,
        "mean_ands_all": ["source": mean(circuits.map(\.andCount)), "synthesis_script": mean(optimized), "greedy": mean(greedy), "greedy_strategy_alone": mean(greedyStrategy),
                          "abc_resyn2": mean(r2), "abc_deepsyn_T1": mean(ds)],
        "greedy_seconds_per_circuit": r3(seconds / Double(max(1, circuits.count))),
        "mean_ands_first_\(mctsCount)": ["source": mean(circuits.map(\.andCount), mctsCount), "greedy": mean(greedy, mctsCount),
                                         "mcts100": mean(mcts), "abc_resyn2": mean(r2, mctsCount), "abc_deepsyn_T1": mean(ds, mctsCount)],
        "mcts100_seconds_per_circuit": r3(mctsSeconds / Double(max(1, mcts.count))),
        "greedy_not_larger_than_resyn2": zip(greedy, r2).filter { $0 <= $1 }.count,
        "mcts100_not_larger_than_resyn2": zip(mcts, r2).filter { $0 <= $1 }.count,
        "mcts100_not_larger_than_deepsyn": zip(mcts, ds).filter { $0 <= $1 }.count,
    ]

    // 3. The Circuit Transformer's examples.
    let examples: [(String, String)] = [("ct_readme_25_ands", ctReadmeExample), ("ct_training_33_ands", ctTrainingExample)]
    var exampleRows: [String: Any] = [:]
    for (name, text) in examples {
        let g = try AIGERReader.parse(Array(text.utf8), file: name)
        let path = "\(dir)/\(name).aig"
        try CircuitIO.write(g, to: path, format: .aigerBinary)
        let (er, ed) = try abcCounts([path])
        var row: [String: Any] = ["source": g.andCount, "abc_resyn2": er.first ?? NSNull(), "abc_deepsyn_T1": ed.first ?? NSNull()]
        for (label, strategy, playouts) in [("greedy", DecodeStrategy.greedy, 1), ("beam4", .beam, 1), ("mcts10", .mcts, 10), ("mcts100", .mcts, 100)] {
            log("decoder real: \(name) \(label)")
            let d = try decodeChecked(g, strategy, playouts: playouts)
            row[label] = d.ands
            row[label + "_seconds"] = r3(d.seconds)
            row["synthesis_script"] = d.optimized
        }
        exampleRows[name] = row
    }
    out["circuit_transformer_examples"] = exampleRows
    return out
}

/// Batched serving: 128 `miter random` 8-input/2-output circuits in one
/// `BatchDecoder` stepped with uniformly random legal tokens until all are
/// complete (in-process: the decoder's own cost per state-step, masks
/// included), then the same through `miter decode --serve --batch` from
/// Python (`examples/bench_batch.py`, when python3 is installed): state-steps
/// per second, time per state-step, the server's peak memory; the
/// difference is the protocol's overhead (JSON, pipes and the client's own
/// token choice).
func decoderServing(_ ctx: BenchContext) throws -> [String: Any] {
    let dir = ctx.workDir + "/decoder-serving"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let batchSize = 128
    let jsonl = dir + "/targets.jsonl"
    let gen = try runProcess([ctx.miterPath, "random", "--inputs", "8", "--outputs", "2", "--ands", "30", "--count", "\(batchSize)",
                              "--seed", "11", "--jsonl", jsonl])
    guard gen.status == 0 else { throw BenchError.failed("miter random failed") }
    var sources: [AIG] = []
    for line in try String(contentsOfFile: jsonl, encoding: .utf8).split(separator: "\n") {
        guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let aag = obj["aag"] as? String else { continue }
        sources.append(try AIGERReader.parse(Array(aag.utf8), file: "targets.jsonl"))
    }
    var out: [String: Any] = ["batch": sources.count, "targets": "miter random --inputs 8 --outputs 2 --ands 30 --count \(batchSize) --seed 11"]
    var perState: [Double] = []
    var stepsTotal = 0
    for run in 0..<max(1, ctx.runs) {
        var batch = BatchDecoder(vocabularyInputs: 8)
        var ids: [Int] = []
        for g in sources { ids.append(try batch.open(DecoderTargets(aig: g), source: g)) }
        var views = try batch.views(ids)
        var rng = Xoshiro256StarStar(seed: UInt64(3 + run))
        var live = ids, stateSteps = 0
        let start = DispatchTime.now().uptimeNanoseconds
        while !live.isEmpty {
            let tokens = live.map { id in
                let legal = views[ids.firstIndex(of: id)!].legal
                return legal[Int(rng.next() % UInt64(legal.count))]
            }
            let stepped = try batch.step(live, tokens: tokens)
            for v in stepped { views[ids.firstIndex(of: v.id)!] = v }
            stateSteps += live.count
            live = stepped.filter { !$0.complete }.map(\.id)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        for id in ids { _ = try batch.result(id) }   // verified
        perState.append(seconds / Double(stateSteps) * 1e6)
        stepsTotal = stateSteps
    }
    perState.sort()
    let inProcess = perState[perState.count / 2]
    out["in_process"] = ["state_steps": stepsTotal, "us_per_state_step_median": r3(inProcess), "runs": perState.count,
                         "state_steps_per_second": Int(1e6 / inProcess)]
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/bench_batch.py").path
    if let python = ctx.which("python3"), FileManager.default.fileExists(atPath: script) {
        var rows: [[String: Any]] = []
        for _ in 0..<max(1, ctx.runs) {
            let r = try runProcess([python, script, ctx.miterPath, "\(batchSize)", "8", "uniform"], captureOutput: true)
            guard r.status == 0, let line = r.output.split(separator: "\n").last,
                  let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { throw BenchError.failed("bench_batch.py failed: \(r.output)") }
            rows.append(obj)
        }
        rows.sort { ($0["us_per_state_step"] as? Double ?? 0) < ($1["us_per_state_step"] as? Double ?? 0) }
        var median = rows[rows.count / 2]
        if let us = median["us_per_state_step"] as? Double { median["protocol_overhead_us_per_state_step"] = r3(us - inProcess) }
        median["command"] = "python3 examples/bench_batch.py miter \(batchSize) 8 uniform"
        out["through_protocol_from_python"] = median
    } else {
        log("python3 or examples/bench_batch.py absent: protocol figures skipped")
    }
    return out
}

let resyn2Script = "balance; rewrite; refactor; balance; rewrite; rewrite -z; balance; refactor -z; rewrite -z; balance"
let abcRC = "alias compress2rs \"balance -l; resub -K 6 -l; rewrite -l; resub -K 6 -N 2 -l; refactor -l; resub -K 8 -l; balance -l; resub -K 8 -N 2 -l; rewrite -l; resub -K 10 -l; rewrite -z -l; resub -K 10 -N 2 -l; balance -l; resub -K 12 -l; refactor -z -l; resub -K 12 -N 2 -l; rewrite -z -l; balance -l\"\n"

/// AND counts from ABC's `print_stats`/`&ps` lines, in order.
func parseAndCounts(_ text: String) -> [Int] {
    var xs: [Int] = []
    for line in text.split(separator: "\n") {
        guard let r = line.range(of: "and =") else { continue }
        let rest = line[r.upperBound...].drop { $0 == " " }
        if let v = Int(rest.prefix { $0.isNumber }) { xs.append(v) }
    }
    return xs
}

/// The 25-AND, 8-input, 2-output AIG of the Circuit Transformer's README
/// (github.com/snowkylin/circuit-transformer): circuit data, also
/// Tests/DecoderTests/Fixtures/ct-readme.aag.
let ctReadmeExample = """
aag 33 8 0 2 25
2
4
6
8
10
12
14
16
58
67
18 13 16
20 19 7
22 21 15
24 3 9
26 25 11
28 27 17
30 3 6
32 29 31
34 29 32
36 23 35
38 7 36
40 10 29
42 41 32
44 13 15
46 42 45
48 47 21
50 39 49
52 4 45
54 25 53
56 54 5
58 51 57
60 45 12
62 18 61
64 63 19
66 48 64

"""

/// The 33-AND source of the training-data example in the same README.
let ctTrainingExample = """
aag 41 8 0 2 33
2
4
6
8
10
12
14
16
42
83
18 7 12
20 15 12
22 18 20
24 15 23
26 6 8
28 2 27
30 25 28
32 16 2
34 11 33
36 8 2
38 34 36
40 38 20
42 31 40
44 3 11
46 45 27
48 5 13
50 46 49
52 50 15
54 51 8
56 34 5
58 55 57
60 52 59
62 11 36
64 8 20
66 62 65
68 10 15
70 36 45
72 68 71
74 57 63
76 72 74
78 67 77
80 79 58
82 61 80

"""
