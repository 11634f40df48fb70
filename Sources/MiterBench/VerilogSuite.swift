import AIG
import AIGFormats
import Foundation

/// Verilog → AIG for the large EPFL netlists (`div.v`, `mem_ctrl.v`), end to
/// end as child processes in the same run:
///   ours   `miter convert X.v out.aig`
///   ABC    `read_verilog X.v; strash`
///   Yosys  `read_verilog X.v; techmap; aigmap`
/// Median wall time and peak RSS over `--runs` runs, and the time ratios.
/// Also the in-process parse time of every shared EPFL `.v` file.
func verilogSuite(_ ctx: BenchContext) throws -> [String: Any] {
    var result: [String: Any] = [:]
    // Absolute: the child processes run in the work directory.
    let root = URL(fileURLWithPath: ctx.sharedDir + "/epfl").standardizedFileURL.path
    let files = ["arithmetic/div.v", "random_control/mem_ctrl.v"].map { root + "/" + $0 }
    guard files.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) else {
        return ["skipped": "no EPFL Verilog under \(root)"]
    }
    try FileManager.default.createDirectory(atPath: ctx.workDir, withIntermediateDirectories: true)
    let abc = ctx.which("berkeley-abc", "abc")
    let yosys = ctx.which("yosys")

    func measure(_ argv: [String], runs: Int) throws -> (seconds: Double, peakMB: Double) {
        var times: [Double] = [], peaks: [Double] = []
        for _ in 0..<max(1, runs) {
            let run = try runProcess(argv, cwd: ctx.workDir)
            if run.status != 0 { throw BenchError.failed(argv.joined(separator: " ")) }
            times.append(run.seconds); peaks.append(Double(run.maxRSSBytes) / 1e6)
        }
        return (median(times), median(peaks))
    }

    var rows: [[String: Any]] = []
    for path in files {
        let name = (path as NSString).lastPathComponent
        log("verilog: \(name)")
        var r: [String: Any] = ["file": name]
        let bytes = try CircuitIO.readBytes(path: path)
        let aig = try CircuitIO.parse(bytes, name: path, format: .verilog)
        r["bytes"] = bytes.count
        r["ands"] = aig.andCount
        let ours = try measure([ctx.miterPath, "convert", path, ctx.workDir + "/verilog-out.aig"], runs: ctx.runs)
        r["miter_s"] = r3(ours.seconds); r["miter_peak_MB"] = r3(ours.peakMB)
        if let abc {
            let a = try measure([abc, "-c", "read_verilog \(path); strash"], runs: ctx.runs)
            r["abc_s"] = r3(a.seconds); r["abc_peak_MB"] = r3(a.peakMB)
            r["time_ratio_vs_abc"] = r3(ours.seconds / a.seconds)
            r["memory_ratio_vs_abc"] = r3(ours.peakMB / a.peakMB)
        } else { r["abc"] = "not installed" }
        if let yosys {
            // Yosys takes ~10 s per file: fewer runs unless asked for many.
            let y = try measure([yosys, "-q", "-p", "read_verilog \(path); techmap; aigmap"], runs: ctx.quick ? 1 : min(ctx.runs, 3))
            r["yosys_s"] = r3(y.seconds); r["yosys_peak_MB"] = r3(y.peakMB)
            r["time_ratio_vs_yosys"] = r3(ours.seconds / y.seconds)
            r["memory_ratio_vs_yosys"] = r3(ours.peakMB / y.peakMB)
        } else { r["yosys"] = "not installed" }
        rows.append(r)
    }
    result["large"] = rows

    // In-process parse throughput over every shared EPFL .v file.
    var perFile: [[String: Any]] = []
    let all = (FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".v") }.sorted()
    for f in all {
        let bytes = try CircuitIO.readBytes(path: root + "/" + f)
        var ands = 0
        let t = try timeMedian(runs: ctx.runs) { ands = try CircuitIO.parse(bytes, name: f, format: .verilog).andCount }
        perFile.append(["file": f, "ands": ands, "parse_ms": r3(t * 1000), "MB_per_s": r3(Double(bytes.count) / t / 1e6)])
    }
    result["epfl_in_process"] = perFile
    result["command"] = "MiterBench --runs \(ctx.runs) verilog"
    return result
}
