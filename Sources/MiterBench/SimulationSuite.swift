import AIG
import AIGFormats
import Foundation
import Simulation

// MARK: - sim: simulation speed on the large EPFL circuits

/// Simulation speed in AND-node-words per second on div, log2, multiplier and
/// mem_ctrl at 1,024 words per node: (a) every node's 1,024 words kept (the
/// `Simulator.simulateRandom` API, what SAT sweeping reads), (b) the same
/// 1,024 words in chunks of C words (what the functional hash does), and
/// ABC's `&sim2 -W 1024` on the same file for comparison.
func simSuite(_ ctx: BenchContext) throws -> [String: Any] {
    let names = ["arithmetic/div.aig", "arithmetic/log2.aig", "arithmetic/multiplier.aig", "random_control/mem_ctrl.aig"]
    let words = ctx.quick ? 256 : 1024
    let mhz = cpuMHz()
    var rows: [[String: Any]] = []
    var fullRates: [Double] = [], chunkRates: [Double] = []
    for name in names {
        let path = ctx.sharedDir + "/epfl/" + name
        guard FileManager.default.fileExists(atPath: path) else { log("no \(path): skipped"); continue }
        let aig = try CircuitIO.read(path: path)
        let nodeWords = Double(aig.andCount * words)
        var row: [String: Any] = ["file": (name as NSString).lastPathComponent, "ands": aig.andCount, "words": words]

        var sim = Simulator()
        sim.simulateRandom(aig, words: words, seed: 1)  // warm-up, allocates the buffer once
        let full = timeMedian(runs: ctx.runs) { sim.simulateRandom(aig, words: words, seed: 1) }
        row["all_nodes_ms"] = r3(full * 1000)
        row["all_nodes_Gnodewords_per_s"] = r3(nodeWords / full / 1e9)
        if let mhz { row["all_nodes_cycles_per_nodeword"] = r3(mhz * 1e6 * full / nodeWords) }
        fullRates.append(nodeWords / full)

        var best = (chunk: 0, seconds: Double.infinity)
        var perChunk: [String: Double] = [:]
        for chunk in [4, 8, 16, 32, 64] {
            var s = Simulator()
            let t = timeMedian(runs: ctx.runs) { chunkedRandom(&s, aig, words: words, chunk: chunk) }
            perChunk["\(chunk)"] = r3(nodeWords / t / 1e9)
            if t < best.seconds { best = (chunk, t) }
        }
        row["chunked_Gnodewords_per_s_by_chunk"] = perChunk
        row["chunked_best_chunk"] = best.chunk
        row["chunked_Gnodewords_per_s"] = r3(nodeWords / best.seconds / 1e9)
        if let mhz { row["chunked_cycles_per_nodeword"] = r3(mhz * 1e6 * best.seconds / nodeWords) }
        chunkRates.append(nodeWords / best.seconds)

        if let abc = ctx.which("berkeley-abc", "abc") {
            // &sim2 simulates both files (here the same one twice) for R rounds;
            // the difference of 11 and 1 rounds removes reading and setup.
            func abcTime(_ rounds: Int) throws -> Double? {
                var ts: [Double] = []
                for _ in 0..<max(1, min(ctx.runs, 3)) {
                    let run = try runProcess([abc, "-c", "&sim2 -W \(words) -R \(rounds) -v \(path) \(path)"], captureOutput: true)
                    guard let t = parseABCTime(run.output) else { return nil }
                    ts.append(t)
                }
                return median(ts)
            }
            if let t1 = try abcTime(1), let t11 = try abcTime(11), t11 > t1 {
                let abcRate = 10 * 2 * nodeWords / (t11 - t1)
                row["abc_sim2_reported_s_R1"] = r3(t1); row["abc_sim2_reported_s_R11"] = r3(t11)
                row["abc_sim2_Gnodewords_per_s"] = r3(abcRate / 1e9)
                row["ratio_all_nodes_vs_abc"] = r3((nodeWords / full) / abcRate)
            }
        }
        rows.append(row)
    }
    var r: [String: Any] = ["circuits": rows, "goal_Gnodewords_per_s_per_core": 0.5]
    if !fullRates.isEmpty {
        r["min_all_nodes_Gnodewords_per_s"] = r3(fullRates.min()! / 1e9)
        r["min_chunked_Gnodewords_per_s"] = r3(chunkRates.min()! / 1e9)
    }
    if let mhz { r["cpu_MHz"] = mhz }
    r["command"] = "MiterBench --runs \(ctx.runs) sim"
    return r
}

/// `words` random words per node simulated `chunk` words at a time.
private func chunkedRandom(_ sim: inout Simulator, _ aig: AIG, words: Int, chunk: Int) {
    let n = aig.inputCount + aig.latchCount
    var rngs = (0..<n).map { Patterns.stream(seed: 1, input: $0) }
    var start = 0
    while start < words {
        let cw = min(chunk, words - start)
        sim.prepare(aig, words: cw)
        for i in 0..<n { sim.withInputWords(i) { b in for w in 0..<cw { b[w] = rngs[i].next() } } }
        sim.run(aig)
        start += cw
    }
}

private func parseABCTime(_ output: String) -> Double? {
    guard let r = output.range(of: "Time =") else { return nil }
    let rest = output[r.upperBound...].trimmingCharacters(in: .whitespaces)
    return Double(rest.prefix { $0.isNumber || $0 == "." })
}

private func cpuMHz() -> Double? {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = info.split(separator: "\n").first(where: { $0.hasPrefix("cpu MHz") }),
          let colon = line.firstIndex(of: ":") else { return nil }
    return Double(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
}

// MARK: - hash: throughput on many small circuits, time per EPFL circuit

/// Functional-hash throughput end to end from binary AIGER bytes in memory:
/// 100,000 random 8-input, 2-output, ~50-AND circuits, on one core and on
/// all cores; plus the default hash time of every shared EPFL circuit.
func hashSuite(_ ctx: BenchContext) throws -> [String: Any] {
    let count = ctx.quick ? 10_000 : 100_000
    var gen = BenchRNG(state: 7)
    let files: [[UInt8]] = (0..<count).map { _ in AIGERWriter.binary(smallRandomCircuit(&gen)) }
    let avgAnds = files.prefix(1000).reduce(0) { $0 + ((try? CircuitIO.parse($1, name: "x").andCount) ?? 0) } / 1000

    let shared = files
    @Sendable func hashRange(_ range: Range<Int>) -> UInt64 {
        var hasher = FunctionalHash.Hasher()
        var x: UInt64 = 0
        for i in range {
            guard let aig = try? CircuitIO.parse(shared[i], name: "mem") else { continue }
            x ^= hasher.hash(aig).circuit
        }
        return x
    }
    var check: UInt64 = 0
    let one = timeMedian(runs: ctx.runs) { check = hashRange(0..<count) }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let all = timeMedian(runs: ctx.runs) {
        let slots = Slots(count: cores)
        let per = (count + cores - 1) / cores
        DispatchQueue.concurrentPerform(iterations: cores) { t in
            slots.set(t, hashRange(t * per ..< min(count, (t + 1) * per)))
        }
        precondition(slots.values.reduce(0, ^) == check, "parallel hashing disagrees")
    }
    // Hashing alone (circuits parsed beforehand), one core.
    let parsed = files.compactMap { try? CircuitIO.parse($0, name: "mem") }
    var hasher = FunctionalHash.Hasher()
    let hashOnly = timeMedian(runs: ctx.runs) { for a in parsed { _ = hasher.hash(a) } }
    let parseOnly = timeMedian(runs: ctx.runs) { for f in files { _ = try? CircuitIO.parse(f, name: "mem") } }

    var epfl: [[String: Any]] = []
    for path in ctx.epflAIGs() {
        let aig = try CircuitIO.read(path: path)
        var h = FunctionalHash.Hasher()
        var r = h.hash(aig)
        let t = timeMedian(runs: ctx.runs) { r = h.hash(aig) }
        epfl.append(["file": (path as NSString).lastPathComponent, "ands": aig.andCount, "ms": r3(t * 1000),
                     "exact": r.exact, "method": r.method.rawValue, "patterns": r.patternCount,
                     "hash": String(r.circuit, radix: 16)])
    }
    return [
        "small_circuits": count, "small_inputs": 8, "small_outputs": 2, "small_avg_ands": avgAnds,
        "one_core_circuits_per_s": Int(Double(count) / one),
        "all_cores_circuits_per_s": Int(Double(count) / all), "cores": cores,
        "hash_only_one_core_circuits_per_s": Int(Double(count) / hashOnly),
        "parse_only_one_core_circuits_per_s": Int(Double(count) / parseOnly),
        "goal_circuits_per_s": 200_000,
        "epfl_default_hash": epfl,
        "command": "MiterBench --runs \(ctx.runs) hash",
    ]
}

/// One result slot per thread (each thread writes only its own).
final class Slots: @unchecked Sendable {
    var values: [UInt64]
    init(count: Int) { values = Array(repeating: 0, count: count) }
    func set(_ i: Int, _ x: UInt64) { values.withUnsafeMutableBufferPointer { $0[i] = x } }
}

struct BenchRNG {
    var state: UInt64
    mutating func next() -> UInt64 { state = state &+ SplitMix64.gamma; return SplitMix64.mix(state) }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// A random 8-input, 2-output circuit of about 50 ANDs.
func smallRandomCircuit(_ rng: inout BenchRNG) -> AIG {
    var b = AIGBuilder(inputCount: 8, expectedAnds: 64)
    var lits = (0..<8).map { b.input($0) }
    var tries = 0
    while lits.count < 58 && tries < 400 {
        tries += 1
        let x = lits[rng.below(lits.count)].complemented(if: rng.next() & 1 == 1)
        let y = lits[lits.count - 1 - rng.below(min(lits.count, 12))].complemented(if: rng.next() & 1 == 1)
        let z = b.and(x, y)
        if !z.isConstant && z.variable > lits.last!.variable { lits.append(z) }
    }
    b.addOutput(lits[lits.count - 1].complemented(if: rng.next() & 1 == 1))
    b.addOutput(lits[lits.count - 2])
    return b.finish()
}

// MARK: - hashmiss: single-gate mutants of the EPFL circuits

/// For every shared EPFL circuit and its single-gate mutants (one fanin
/// polarity of one AND flipped): how many non-equivalent mutants get the
/// original's hash at the default setting, and how many patterns separate
/// them all. All mutants of circuits up to `allUpTo` ANDs, a seeded sample
/// of `sample` mutants of larger ones. Ground truth: exhaustive simulation
/// (≤ 16 inputs), a first difference within 65,536 random patterns, else
/// ABC `cec -n`.
func hashMissSuite(_ ctx: BenchContext) throws -> [String: Any] {
    let allUpTo = ctx.quick ? 1000 : 3000
    let sample = ctx.quick ? 100 : 1000
    let params = FunctionalHash.Params()
    let maxWords = 1024
    let abc = ctx.which("berkeley-abc", "abc")
    try FileManager.default.createDirectory(atPath: ctx.workDir, withIntermediateDirectories: true)
    var rows: [[String: Any]] = []
    var totals = (mutants: 0, equivalent: 0, nonEquivalent: 0, misses: 0, undecided: 0)
    var neededHistogram: [Int: Int] = [:]   // patterns needed (rounded up to 64) → mutants
    var maxNeeded = 0
    var hasher = FunctionalHash.Hasher(params: params)
    var randomOnly = params; randomOnly.bddNodeLimit = 0
    var randomHasher = FunctionalHash.Hasher(params: randomOnly)
    var totalRandomMisses = 0
    var simA = Simulator(), simB = Simulator()
    for path in ctx.epflAIGs() {
        let aig = try CircuitIO.read(path: path)
        let name = (path as NSString).lastPathComponent
        let originalResult = hasher.hash(aig)
        let original = originalResult.circuit
        let originalRandom = randomHasher.hash(aig).circuit
        var sites: [(Int, Bool)] = []
        if aig.andCount <= allUpTo {
            for k in 0..<aig.andCount { sites.append((k, false)); sites.append((k, true)) }
        } else {
            var rng = BenchRNG(state: 12345)
            for _ in 0..<sample { sites.append((rng.below(aig.andCount), rng.next() & 1 == 1)) }
        }
        log("hashmiss: \(name): \(sites.count) mutants")
        var row: [String: Any] = ["file": name, "ands": aig.andCount, "mutants": sites.count,
                                  "method": originalResult.method.rawValue]
        var equivalent = 0, nonEquivalent = 0, misses = 0, randomMisses = 0, undecided = 0, rowMax = 0, abcCalls = 0
        var missExamples: [String] = []
        for (k, right) in sites {
            var m = aig
            if right { m.ands[k].right = !m.ands[k].right } else { m.ands[k].left = !m.ands[k].left }
            let h = hasher.hash(m).circuit
            let hr = originalResult.method == .bdd ? randomHasher.hash(m).circuit : h
            let first = firstDifference(aig, m, seed: params.seed, maxWords: maxWords,
                                        exactLimit: params.exactInputLimit, &simA, &simB)
            var isEquivalent: Bool?
            switch first {
            case .differs(let p):
                isEquivalent = false
                let needed = 64 * ((p + 64) / 64)
                neededHistogram[needed, default: 0] += 1
                rowMax = max(rowMax, needed)
            case .equalExhaustive: isEquivalent = true
            case .equalSoFar:
                // Survived 65,536 random patterns: ask ABC (at most 25 calls per circuit).
                if abcCalls < 25 {
                    abcCalls += 1
                    isEquivalent = try abc.flatMap { try abcEquivalent($0, aig, m, dir: ctx.workDir, seconds: 30) }
                }
            }
            switch isEquivalent {
            case true?: equivalent += 1
            case false?:
                nonEquivalent += 1
                if h == original { misses += 1; if missExamples.count < 5 { missExamples.append("and \(k) \(right ? "right" : "left")") } }
                if originalResult.method == .bdd ? hr == originalRandom : h == original { randomMisses += 1 }
            case nil: undecided += 1
            }
        }
        row["equivalent"] = equivalent; row["non_equivalent"] = nonEquivalent
        row["misses_at_default"] = misses; row["misses_random_patterns_only"] = randomMisses; row["undecided"] = undecided
        row["max_patterns_needed"] = rowMax
        row["abc_calls"] = abcCalls
        log("  \(name) [\(originalResult.method.rawValue)]: equivalent \(equivalent), non-equivalent \(nonEquivalent), misses \(misses) (random patterns only: \(randomMisses)), undecided \(undecided), max patterns needed \(rowMax)")
        if !missExamples.isEmpty { row["miss_examples"] = missExamples }
        rows.append(row)
        totals.mutants += sites.count; totals.equivalent += equivalent; totals.nonEquivalent += nonEquivalent
        totals.misses += misses; totals.undecided += undecided; totalRandomMisses += randomMisses
        maxNeeded = max(maxNeeded, rowMax)
    }
    return [
        "circuits": rows, "default_patterns": params.patterns,
        "mutants": totals.mutants, "equivalent": totals.equivalent, "non_equivalent": totals.nonEquivalent,
        "misses_at_default": totals.misses, "misses_random_patterns_only": totalRandomMisses, "undecided": totals.undecided,
        "miss_rate": totals.nonEquivalent == 0 ? 0 : Double(totals.misses) / Double(totals.nonEquivalent),
        "max_patterns_needed": maxNeeded,
        "patterns_needed_histogram": Dictionary(uniqueKeysWithValues: neededHistogram.map { ("\($0.key)", $0.value) }),
        "note": "misses_at_default uses the default hash (exact BDDs where they fit); misses_random_patterns_only the same with --bdd-nodes 0; patterns needed = first differing random pattern (per the hash's pattern streams), rounded up to 64; exact circuits (≤16 inputs) use exhaustive patterns, counted the same way",
        "command": "MiterBench hashmiss",
    ]
}

enum FirstDifference { case differs(Int), equalExhaustive, equalSoFar }

/// The first pattern (in the functional hash's pattern order) on which two
/// circuits with the same ports differ in an output or latch next state.
func firstDifference(_ a: AIG, _ b: AIG, seed: UInt64, maxWords: Int, exactLimit: Int,
                     _ sa: inout Simulator, _ sb: inout Simulator) -> FirstDifference {
    let n = a.inputCount + a.latchCount
    let exact = n <= exactLimit
    let total = exact ? Patterns.exhaustiveWordCount(inputs: n) : maxWords
    let mask = exact ? Patterns.exhaustiveMask(inputs: n) : ~0
    var rngs = (0..<n).map { Patterns.stream(seed: seed, input: $0) }
    let rootsA = a.outputs + a.latches.map(\.next), rootsB = b.outputs + b.latches.map(\.next)
    var start = 0
    let chunk = 16
    while start < total {
        let cw = min(chunk, total - start)
        sa.prepare(a, words: cw); sb.prepare(b, words: cw)
        for i in 0..<n {
            var ws = [UInt64](repeating: 0, count: cw)
            for w in 0..<cw { ws[w] = exact ? Patterns.exhaustiveWord(input: i, word: start + w) & mask : Patterns.mixedDensityWord(&rngs[i], word: start + w) }
            sa.withInputWords(i) { buf in for w in 0..<cw { buf[w] = ws[w] } }
            sb.withInputWords(i) { buf in for w in 0..<cw { buf[w] = ws[w] } }
        }
        sa.run(a); sb.run(b)
        for w in 0..<cw {
            var diff: UInt64 = 0
            for r in rootsA.indices { diff |= (sa.word(rootsA[r], w) ^ sb.word(rootsB[r], w)) & mask }
            if diff != 0 { return .differs(64 * (start + w) + diff.trailingZeroBitCount) }
        }
        start += cw
    }
    return exact ? .equalExhaustive : .equalSoFar
}

/// ABC `cec -n` (ports by order) under a 60 s wall-clock limit: true
/// equivalent, false not, nil unknown.
func abcEquivalent(_ abc: String, _ a: AIG, _ b: AIG, dir: String, seconds: Int = 60) throws -> Bool? {
    let pa = dir + "/mut-a.aig", pb = dir + "/mut-b.aig"
    try CircuitIO.write(a, to: pa, format: .aigerBinary)
    try CircuitIO.write(b, to: pb, format: .aigerBinary)
    let run = try runProcess(["/usr/bin/timeout", "\(seconds)", abc, "-c", "cec -n \(pa) \(pb)"], captureOutput: true)
    if run.output.contains("NOT EQUIVALENT") { return false }
    if run.output.contains("are equivalent") { return true }
    return nil
}
