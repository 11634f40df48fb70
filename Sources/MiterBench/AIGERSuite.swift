import AIG
import AIGFormats
import Foundation

/// AIGER read/write of every shared EPFL circuit (in process), and of one
/// large AIG (≥ 5 M ANDs) end to end as `miter convert big.aig out.aig` versus
/// ABC's `&r; &w` and `read; write_aiger`, wall time and peak memory.
func aigerSuite(_ ctx: BenchContext) throws -> [String: Any] {
    var result: [String: Any] = [:]
    var perFile: [[String: Any]] = []
    for path in ctx.epflAIGs() {
        let bytes = try CircuitIO.readBytes(path: path)
        var aig = AIG()
        let read = try timeMedian(runs: ctx.runs) { aig = try CircuitIO.parse(bytes, name: path) }
        var out: [UInt8] = []
        let write = timeMedian(runs: ctx.runs) { out = AIGERWriter.binary(aig) }
        perFile.append([
            "file": (path as NSString).lastPathComponent, "ands": aig.andCount,
            "read_ms": r3(read * 1000), "write_ms": r3(write * 1000),
            "read_MB_per_s": r3(Double(bytes.count) / read / 1e6), "bytes_out": out.count,
        ])
    }
    result["epfl"] = perFile
    result["big"] = try bigFile(ctx)
    return result
}

private func bigFile(_ ctx: BenchContext) throws -> [String: Any] {
    guard let abc = ctx.which("berkeley-abc", "abc") else { return ["skipped": "ABC not installed (needed to build the large AIG)"] }
    let div = ctx.sharedDir + "/epfl/arithmetic/div.aig"
    guard FileManager.default.fileExists(atPath: div) else { return ["skipped": "no \(div)"] }
    try FileManager.default.createDirectory(atPath: ctx.workDir, withIntermediateDirectories: true)
    let big = ctx.workDir + "/big.aig"
    let doublings = ctx.quick ? 3 : 7
    if !FileManager.default.fileExists(atPath: big) || ctx.quick {
        log("building \(big) with ABC (\(doublings) doublings of div)")
        let script = "read \(div); logic; " + String(repeating: "double; ", count: doublings) + "strash; write_aiger \(big)"
        _ = try runProcess([abc, "-c", script])
    }
    var r: [String: Any] = [:]
    let bytes = try CircuitIO.readBytes(path: big)
    let aig = try CircuitIO.parse(bytes, name: big)
    r["ands"] = aig.andCount
    r["file_bytes"] = bytes.count
    r["in_memory_bytes_per_and"] = MemoryLayout<AndFanins>.stride

    func measure(_ argv: [String]) throws -> (seconds: Double, peakMB: Double) {
        var times: [Double] = [], peaks: [Double] = []
        for _ in 0..<ctx.runs {
            let run = try runProcess(argv, cwd: ctx.workDir)
            if run.status != 0 { throw BenchError.failed(argv.joined(separator: " ")) }
            times.append(run.seconds); peaks.append(Double(run.maxRSSBytes) / 1e6)
        }
        return (median(times), median(peaks))
    }
    let ours = try measure([ctx.miterPath, "convert", big, ctx.workDir + "/out-miter.aig"])
    let abcFast = try measure([abc, "-c", "&r \(big); &w \(ctx.workDir)/out-abc-fast.aig"])
    let abcClassic = try measure([abc, "-c", "read \(big); write_aiger \(ctx.workDir)/out-abc.aig"])
    r["miter_convert_s"] = r3(ours.seconds); r["miter_peak_MB"] = r3(ours.peakMB)
    r["abc_fast_s"] = r3(abcFast.seconds); r["abc_fast_peak_MB"] = r3(abcFast.peakMB)
    r["abc_classic_s"] = r3(abcClassic.seconds); r["abc_classic_peak_MB"] = r3(abcClassic.peakMB)
    r["time_ratio_vs_abc_fast"] = r3(ours.seconds / abcFast.seconds)
    r["time_ratio_vs_abc_classic"] = r3(ours.seconds / abcClassic.seconds)
    r["memory_ratio_vs_abc_fast"] = r3(ours.peakMB / abcFast.peakMB)
    r["peak_bytes_per_and"] = r3(ours.peakMB * 1e6 / Double(aig.andCount))
    r["command"] = "MiterBench --runs \(ctx.runs) aiger"
    return r
}

enum BenchError: Error { case failed(String) }
