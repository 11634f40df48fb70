import AIG
import AIGFormats
import Decoder
import Equivalence
import Foundation
import Simulation

/// The decoder's acceptance and figures: random 8-input/2-output circuits
/// (10–40 ANDs, `randomDecoderCircuit`, seeds 0..<N; N = 1,000, 200 with
/// --quick). Greedy (ISF heuristic) and source replay on all N, each result
/// checked by `EquivalenceChecker` (what `miter check` runs) and ABC `cec -n`
/// on a sample; mask latency per step for 8 and 16 inputs; mean AND counts of
/// source, replay, greedy, beam, MCTS at 10/100/1,000 playouts, ABC `resyn2`
/// and `&deepsyn -T 1` (MCTS 1,000 and `&deepsyn` on the first M circuits,
/// the rest on all N, with every method's mean on the same M for comparison).
///
/// `MITER_DECODER_EXPLORE=K` (with `MITER_DECODER_METHODS=greedy,beam4,mcts10,…`)
/// only decodes the first K circuits with the listed methods and reports their
/// mean ANDs and seconds per circuit (for tuning; every result is still verified).
func decoderSuite(_ ctx: BenchContext) throws -> [String: Any] {
    let env = ProcessInfo.processInfo.environment
    if let k = env["MITER_DECODER_EXPLORE"].flatMap(Int.init) {
        let methods = (env["MITER_DECODER_METHODS"] ?? "greedy,beam4,mcts10").split(separator: ",").map(String.init)
        var res: [String: Any] = ["circuits": k]
        // Planner overrides for tuning: MITER_PLANNER=depth,singles,pairs,shannonVars,leafCostPerVariable.
        var pp = PlannerParams()
        if let v = env["MITER_PLANNER"]?.split(separator: ",").compactMap({ Double($0) }), v.count == 5 {
            pp.depth = Int(v[0]); pp.singles = Int(v[1]); pp.pairs = Int(v[2]); pp.shannonVars = Int(v[3]); pp.leafCostPerVariable = v[4]
        }
        let offset = env["MITER_DECODER_OFFSET"].flatMap(Int.init) ?? 0
        var perCircuit: [String: [Int]] = [:]
        for m in methods where m == "resyn2" {
            guard let abc = ctx.which("berkeley-abc", "abc") else { continue }
            let dir = ctx.workDir + "/decoder-explore"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let resyn2 = resyn2Script
            var script = ""
            for seed in offset..<(offset + k) {
                try CircuitIO.write(randomDecoderCircuit(seed: UInt64(seed)), to: "\(dir)/src\(seed).aig", format: .aigerBinary)
                script += "read \(dir)/src\(seed).aig; strash; \(resyn2); print_stats\n"
            }
            try script.write(toFile: dir + "/resyn2.abc", atomically: true, encoding: .utf8)
            let xs = parseAndCounts(try runProcess([abc, "-f", dir + "/resyn2.abc"], captureOutput: true).output)
            perCircuit[m] = xs
            res[m] = ["mean_ands": r3(Double(xs.reduce(0, +)) / Double(max(1, xs.count)))]
            log("decoder explore: resyn2 \(res[m]!)")
        }
        if methods.contains("latency8") {
            res["mask_latency"] = ["8_inputs_with_max_ands": try maskLatency(inputs: 8, circuits: 20, maxAnds: true)]
        }
        if methods.contains("latency") {
            res["mask_latency"] = ["8_inputs": try maskLatency(inputs: 8, circuits: 50, maxAnds: false),
                                   "8_inputs_with_max_ands": try maskLatency(inputs: 8, circuits: 20, maxAnds: true),
                                   "16_inputs": try maskLatency(inputs: 16, circuits: 5, maxAnds: false),
                                   "16_inputs_with_max_ands": try maskLatency(inputs: 16, circuits: 5, maxAnds: true)]
        }
        // MITER_DECODER_DIR=DIR: the circuits are DIR's .aig files (sorted) instead of randomDecoderCircuit;
        // MITER_DECODER_GUIDED=1: decodeNeverWorse (the CLI's route) instead of decode.
        var files: [AIG] = []
        if let dir = env["MITER_DECODER_DIR"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".aig") }.sorted()
            files = try names.prefix(offset + k).map { try CircuitIO.read(path: dir + "/" + $0) }
        }
        let guided = env["MITER_DECODER_GUIDED"] != nil
        for m in methods where ["optimize", "rewrite", "resub", "dcresub"].contains(m) {
            // The synthesis passes alone (the decoder's starting point), checked exhaustively.
            var total = 0
            let start = Date()
            for seed in offset..<(offset + k) {
                let g = files.isEmpty ? randomDecoderCircuit(seed: UInt64(seed)) : files[min(seed, files.count - 1)]
                // Tuning: MITER_REWRITE_CUTS=N, MITER_RESUB_DIVISORS=N.
                var op = AIGOptimization.Params()
                if let c = env["MITER_REWRITE_CUTS"].flatMap(Int.init) { op.rewriting.cutsPerNode = c }
                if let d = env["MITER_RESUB_DIVISORS"].flatMap(Int.init) { op.resubstitution.maxDivisors = d }
                if env["MITER_NO_DC"] != nil { op.dontCares = false }
                if let r = env["MITER_RESTARTS"].flatMap(Int.init) { op.restarts = r }
                let h = m == "optimize" ? AIGOptimization.optimize(g, params: op).0 : m == "rewrite" ? AIGRewriting.rewrite(g, params: op.rewriting).0
                    : m == "dcresub" ? AIGResubstitution.resubstituteWithDontCares(g, params: op.resubstitution).0
                    : AIGResubstitution.resubstitute(g, params: op.resubstitution).0
                try verifyDecoded(h, DecoderTargets(aig: g))
                total += h.andCount
                perCircuit[m, default: []].append(h.andCount)
            }
            res[m] = ["mean_ands": r3(Double(total) / Double(k)), "seconds_per_circuit": r3(Date().timeIntervalSince(start) / Double(k))]
            log("decoder explore: \(m) \(res[m]!)")
        }
        for m in methods {
            var p = DecodeParams()
            if m == "greedy" { p.strategy = .greedy } else if m.hasPrefix("beam") { p.strategy = .beam; p.beamWidth = Int(m.dropFirst(4)) ?? 4 } else if m.hasPrefix("mcts") {
                p.strategy = .mcts; p.playouts = Int(m.dropFirst(4)) ?? 100
            } else { continue }
            if let r = env["MITER_DECODE_RESTARTS"].flatMap(Int.init) { p.optimization?.restarts = r }
            var total = 0
            let start = Date()
            for seed in offset..<(offset + k) {
                let g = files.isEmpty ? randomDecoderCircuit(seed: UInt64(seed)) : files[min(seed, files.count - 1)]
                var h = HeuristicPolicy(params: pp)
                let r = guided ? try decodeNeverWorse(DecoderTargets(aig: g), source: g, policy: &h, params: p).0
                               : try decode(DecoderTargets(aig: g), policy: &h, params: p)
                total += r.andCount
                perCircuit[m, default: []].append(r.andCount)
            }
            res[m] = ["mean_ands": r3(Double(total) / Double(k)), "seconds_per_circuit": r3(Date().timeIntervalSince(start) / Double(k))]
            log("decoder explore: \(m) \(res[m]!)")
        }
        if env["MITER_DECODER_PER_CIRCUIT"] != nil { res["per_circuit"] = perCircuit }
        return res
    }
    // MITER_DECODER_PARTS=tuning,real,serving (default all).
    let parts = Set((env["MITER_DECODER_PARTS"] ?? "tuning,real,serving").split(separator: ",").map(String.init))
    var out: [String: Any] = [:]
    if parts.contains("real") { out["real_circuits"] = try decoderRealCircuits(ctx) }
    if parts.contains("serving") { out["batched_serving"] = try decoderServing(ctx) }
    out["command"] = "MiterBench --runs \(ctx.runs)\(ctx.quick ? " --quick" : "") decoder"
    guard parts.contains("tuning") else { return out }
    let n = ctx.quick ? 200 : 1000
    let subset = ctx.quick ? 10 : 50
    let mcts1000Subset = ctx.quick ? 3 : 20
    let circuits = (0..<n).map { randomDecoderCircuit(seed: UInt64($0)) }
    out["circuits"] = n
    out["generator"] = "randomDecoderCircuit(seed: 0..<\(n), inputs: 8, outputs: 2, ands: 10...40)"

    // 1. Acceptance: greedy and replay on every circuit, checked.
    var ands: [String: [Int]] = ["source": circuits.map(\.andCount)]
    var completed = 0, equivalent = 0
    var greedyAIGs: [AIG] = []
    let t0 = Date()
    for (k, g) in circuits.enumerated() {
        let t = try DecoderTargets(aig: g)
        var h = HeuristicPolicy()
        let greedy = try decodeNeverWorse(t, source: g, policy: &h).0
        var rp = try ReplayPolicy(aig: g)
        var p = DecodeParams()
        p.budget.maxDepth = DecoderBudget.defaultDepth(inputs: 8, sourceDepth: g.depth())
        let replay = try decode(t, policy: &rp, params: p)
        completed += 1
        var ok = true
        for r in [greedy, replay] {
            if case .equivalent = try EquivalenceChecker().check(g, r.aig).0 {} else { ok = false }
        }
        if ok { equivalent += 1 }
        ands["greedy", default: []].append(greedy.andCount)
        ands["replay", default: []].append(replay.andCount)
        greedyAIGs.append(greedy.aig)
        if k % 200 == 199 { log("decoder: \(k + 1)/\(n) circuits") }
    }
    out["acceptance"] = ["completed": completed, "equivalent_by_miter_check": equivalent, "strategies": "greedy heuristic and source replay",
                         "seconds": r3(Date().timeIntervalSince(t0))]

    // ABC cec on a sample.
    let dir = ctx.workDir + "/decoder"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let abc = ctx.which("berkeley-abc", "abc")
    for (k, g) in circuits.enumerated() {
        try CircuitIO.write(g, to: "\(dir)/src\(k).aig", format: .aigerBinary)
    }
    if let abc {
        var agree = 0
        let sample = min(n, 100)
        for k in 0..<sample {
            try CircuitIO.write(greedyAIGs[k], to: "\(dir)/greedy\(k).aig", format: .aigerBinary)
            let run = try runProcess([abc, "-c", "cec -n \(dir)/src\(k).aig \(dir)/greedy\(k).aig"], captureOutput: true)
            if run.output.contains("Networks are equivalent") { agree += 1 }
        }
        out["abc_cec_sample"] = ["checked": sample, "equivalent": agree]
    }

    // 2. Mask latency per step along greedy trajectories.
    out["mask_latency"] = ["8_inputs": try maskLatency(inputs: 8, circuits: 50, maxAnds: false),
                           "8_inputs_with_max_ands": try maskLatency(inputs: 8, circuits: 20, maxAnds: true),
                           "16_inputs": try maskLatency(inputs: 16, circuits: 5, maxAnds: false),
                           "16_inputs_with_max_ands": try maskLatency(inputs: 16, circuits: 5, maxAnds: true)]

    // 3. Beam and MCTS (all circuits; 1,000 playouts on the first `mcts1000Subset`).
    func run(_ strategy: DecodeStrategy, playouts: Int = 100, count: Int) throws -> ([Int], Double) {
        var xs: [Int] = []
        let start = Date()
        for g in circuits.prefix(count) {
            var p = DecodeParams()
            p.strategy = strategy; p.playouts = playouts; p.beamWidth = 4
            var h = HeuristicPolicy()
            let r = try decodeNeverWorse(DecoderTargets(aig: g), source: g, policy: &h, params: p).0
            if r.andCount > g.andCount { throw BenchError.failed("decoded circuit larger than its source") }
            if case .equivalent = try EquivalenceChecker().check(g, r.aig).0 {} else { throw BenchError.failed("decoded circuit not equivalent") }
            xs.append(r.andCount)
        }
        return (xs, Date().timeIntervalSince(start) / Double(count))
    }
    var seconds: [String: Double] = [:]
    log("decoder: beam"); (ands["beam4"], seconds["beam4"]) = try run(.beam, count: n)
    log("decoder: mcts10"); (ands["mcts10"], seconds["mcts10"]) = try run(.mcts, playouts: 10, count: n)
    log("decoder: mcts100"); (ands["mcts100"], seconds["mcts100"]) = try run(.mcts, playouts: 100, count: n)
    log("decoder: mcts1000"); (ands["mcts1000"], seconds["mcts1000"]) = try run(.mcts, playouts: 1000, count: mcts1000Subset)

    // 4. ABC resyn2 (all circuits, one ABC process) and &deepsyn -T 1 (subset).
    if let abc {
        let resyn2 = resyn2Script
        // Long scripts go through a file (`abc -f`), not the argument list.
        let script = (0..<n).map { "read \(dir)/src\($0).aig; strash; \(resyn2); print_stats" }.joined(separator: "\n")
        try script.write(toFile: dir + "/resyn2.abc", atomically: true, encoding: .utf8)
        let run = try runProcess([abc, "-f", dir + "/resyn2.abc"], captureOutput: true)
        ands["abc_resyn2"] = parseAndCounts(run.output)
        let rc = abcRC
        try rc.write(toFile: dir + "/abc.rc", atomically: true, encoding: .utf8)
        log("decoder: abc &deepsyn")
        let deep = (0..<subset).map { "&r \(dir)/src\($0).aig; &deepsyn -T 1; &ps" }.joined(separator: "\n")
        try deep.write(toFile: dir + "/deepsyn.abc", atomically: true, encoding: .utf8)
        let run2 = try runProcess([abc, "-f", dir + "/deepsyn.abc"], cwd: dir, captureOutput: true)
        ands["abc_deepsyn_T1"] = parseAndCounts(run2.output)
    }

    func mean(_ xs: [Int]?, _ m: Int) -> Any {
        guard let xs, xs.count >= m, m > 0 else { return NSNull() }
        return r3(Double(xs.prefix(m).reduce(0, +)) / Double(m))
    }
    let methods = ["source", "replay", "greedy", "beam4", "mcts10", "mcts100", "mcts1000", "abc_resyn2", "abc_deepsyn_T1"]
    out["mean_ands_all"] = Dictionary(uniqueKeysWithValues: methods.map { ($0, mean(ands[$0], n)) })
    out["mean_ands_first_\(subset)"] = Dictionary(uniqueKeysWithValues: methods.map { ($0, mean(ands[$0], subset)) })
    out["mean_ands_first_\(mcts1000Subset)"] = Dictionary(uniqueKeysWithValues: methods.map { ($0, mean(ands[$0], mcts1000Subset)) })
    out["seconds_per_circuit"] = seconds.mapValues(r3)
    return out
}

/// Mean `legalMask()` time per step along heuristic-greedy trajectories of
/// random circuits (seeds 90,000…); with `maxAnds`, the budget is π's AND
/// count + 2 (tight: most tokens need the exact check).
private func maskLatency(inputs: Int, circuits count: Int, maxAnds: Bool) throws -> [String: Any] {
    var total = 0.0, steps = 0
    for seed in 0..<count {
        let g = randomDecoderCircuit(seed: UInt64(90_000 + seed), inputs: inputs, outputs: 2, ands: 10...40)
        let t = try DecoderTargets(aig: g)
        var budget = DecoderBudget()
        if maxAnds {
            budget.maxAnds = try DecoderState(targets: t).completedByGuarantee().andCount + 2
        }
        var s = try DecoderState(targets: t, budget: budget)
        var h = HeuristicPolicy()
        while !s.isComplete {
            let a = DispatchTime.now().uptimeNanoseconds
            let mask = s.legalMask()
            total += Double(DispatchTime.now().uptimeNanoseconds - a)
            steps += 1
            let row = h.score(s)
            var best = -1
            for (i, ok) in mask.enumerated() where ok { if best < 0 || row[i] > row[best] { best = i } }
            s = try s.applying(best)
        }
    }
    return ["mean_us_per_step": r3(total / Double(steps) / 1000), "steps": steps, "circuits": count]
}
