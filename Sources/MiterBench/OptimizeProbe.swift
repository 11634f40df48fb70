import Foundation
import AIG
import AIGFormats
import Decoder
import Simulation

/// `MiterBench optimize FILE...`: `AIGOptimization` on each file (ANDs
/// before and after, seconds, every result checked against its source by
/// exhaustive simulation), with the knobs as environment variables:
/// MITER_RESTARTS, MITER_WALKS, MITER_TRANSFORMS (rewriter transforms per
/// cut), MITER_NO_LUT (seeded rewriting only), MITER_NO_REFACTOR.
func optimizeProbe(_ files: [String]) -> Int32 {
    let env = ProcessInfo.processInfo.environment
    var params = AIGOptimization.Params()
    params.restarts = Int(env["MITER_RESTARTS"] ?? "") ?? params.restarts
    params.walks = Int(env["MITER_WALKS"] ?? "") ?? params.walks
    params.rewriting.transformsPerCut = Int(env["MITER_TRANSFORMS"] ?? "") ?? params.rewriting.transformsPerCut
    params.lutRemapping = env["MITER_NO_LUT"] == nil
    params.refactoring = env["MITER_NO_REFACTOR"] == nil
    var before = 0, after = 0, seconds = 0.0, count = 0
    for f in files {
        let g: AIG
        do { g = try CircuitIO.read(path: f) } catch { print("\(f): \(error)"); return 2 }
        let t0 = Date()
        let (o, _) = AIGOptimization.optimize(g, params: params)
        let dt = Date().timeIntervalSince(t0)
        guard g.inputCount <= 16, let a = TruthTable.of(g), let b = TruthTable.of(o), a == b else {
            print("\(f): the optimised circuit is not equivalent (or has more than 16 inputs)"); return 1
        }
        before += g.andCount; after += o.andCount; seconds += dt; count += 1
        print("\((f as NSString).lastPathComponent) \(g.andCount) -> \(o.andCount) ANDs " + String(format: "%.3f s", dt))
    }
    let n = Double(max(1, count))
    print(String(format: "mean %.3f -> %.3f ANDs, %.3f s per circuit (%d circuits)", Double(before) / n, Double(after) / n, seconds / n, count))
    return 0
}
