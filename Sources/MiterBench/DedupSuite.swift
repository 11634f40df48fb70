import Foundation
import AIG
import Equivalence
import Simulation

/// `dedup`: 100,000 random 8-input/2-output circuits of about 50 ANDs with
/// many duplicates (10,000 source functions, each with 5 equivalent rewrites
/// and 4 single-gate mutants), deduplicated in process with 2 workers (the
/// goal: under 10 s on 2 cores). Reports circuits/s, comparisons and SAT calls
/// per circuit, the share of time in hashing vs proving, and whether the
/// classes equal the ground truth (exact truth tables). --quick: 10,000 circuits.
func dedupSuite(_ ctx: BenchContext) throws -> [String: Any] {
    let families = ctx.quick ? 1_000 : 10_000
    let p = RandomAIGGenerator.Params(inputs: 8, outputs: 2, ands: 50, seed: 2026)
    log("dedup: generating \(families * 10) circuits")
    let t0 = DispatchTime.now().uptimeNanoseconds
    let items = RandomAIGGenerator.generateSet(p, count: families, variants: 5, mutants: 4)
    let genSeconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    let aigs = items.map(\.aig)

    // Ground truth: exact truth tables.
    var ids: [[UInt64]: Int] = [:]
    let truth = aigs.map { a -> Int in
        let key = RandomAIGGenerator.functionKey(a) ?? []
        if let id = ids[key] { return id }
        ids[key] = ids.count
        return ids.count - 1
    }

    var rows: [[String: Any]] = []
    for jobs in [1, 2] {
        var params = Dedup.Params()
        params.jobs = jobs
        var walls: [Double] = []
        var last: Dedup.Result? = nil
        for _ in 0..<max(1, ctx.runs) {
            log("dedup: \(aigs.count) circuits, \(jobs) job(s)")
            let s = DispatchTime.now().uptimeNanoseconds
            let r = Dedup.run(aigs, params: params)
            walls.append(Double(DispatchTime.now().uptimeNanoseconds - s) / 1e9)
            last = r
        }
        guard let r = last else { continue }
        let wall = median(walls)
        var exact = r.classOf.count == truth.count
        var xy: [Int: Int] = [:], yx: [Int: Int] = [:]
        for (a, b) in zip(r.classOf, truth) where exact {
            if let m = xy[a], m != b { exact = false }
            if let m = yx[b], m != a { exact = false }
            xy[a] = b; yx[b] = a
        }
        let n = Double(aigs.count)
        let st = r.stats
        rows.append([
            "jobs": jobs, "circuits": aigs.count, "classes": st.classes, "ground_truth_classes": ids.count,
            "classes_equal_ground_truth": exact, "wall_s": r3(wall), "circuits_per_s": Int(n / wall),
            "comparisons_per_circuit": r3(Double(st.comparisons) / n), "sat_calls_per_circuit": r3(Double(st.satCalls) / n),
            "collisions": st.collisions, "undecided": st.undecided,
            "hash_s": r3(st.hashSeconds), "prove_s": r3(st.proveSeconds),
            "hash_share": r3(st.hashSeconds / max(1e-9, st.totalSeconds)), "prove_share": r3(st.proveSeconds / max(1e-9, st.totalSeconds)),
        ])
    }
    return ["results": rows, "generate_s": r3(genSeconds), "goal": "100,000 circuits < 10 s wall on 2 cores",
            "command": "MiterBench --runs \(ctx.runs)\(ctx.quick ? " --quick" : "") dedup"]
}
