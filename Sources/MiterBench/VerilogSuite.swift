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
///
/// Key "rtl": the RTL corpus (`Tests/Fixtures/rtl/bench/*.v`, the larger
/// benchmark designs, and `Tests/Fixtures/rtl/designs/*.v`), every file as
/// child processes in the same run:
///   ours   `miter convert X.v out.aig`                      (median of --runs)
///   Yosys  `read_verilog X.v; synth -flatten -top T; aigmap` (fewer runs)
///   ABC    `%read X.v; %blast`  ("cannot read: ..." where ABC rejects the file)
/// plus the in-process `CircuitIO.parse` time. It needs no ../shared: it runs
/// when the EPFL part is skipped.
func verilogSuite(_ ctx: BenchContext) throws -> [String: Any] {
    var result: [String: Any] = [:]
    try FileManager.default.createDirectory(atPath: ctx.workDir, withIntermediateDirectories: true)
    do { result["rtl"] = try rtlVerilogPart(ctx) } catch { result["rtl"] = ["error": "\(error)"] }
    result["command"] = "MiterBench --runs \(ctx.runs) verilog"
    // Absolute: the child processes run in the work directory.
    let root = URL(fileURLWithPath: ctx.sharedDir + "/epfl").standardizedFileURL.path
    let files = ["arithmetic/div.v", "random_control/mem_ctrl.v"].map { root + "/" + $0 }
    guard files.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) else {
        log("verilog: no EPFL Verilog under \(root): EPFL part skipped")
        result["skipped"] = "EPFL part: no EPFL Verilog under \(root)"
        return result
    }
    let abc = ctx.which("berkeley-abc", "abc")
    let yosys = ctx.which("yosys")

    var rows: [[String: Any]] = []
    for path in files {
        let name = (path as NSString).lastPathComponent
        log("verilog: \(name)")
        var r: [String: Any] = ["file": name]
        let bytes = try CircuitIO.readBytes(path: path)
        let aig = try CircuitIO.parse(bytes, name: path, format: .verilog)
        r["bytes"] = bytes.count
        r["ands"] = aig.andCount
        let ours = try measure([ctx.miterPath, "convert", path, ctx.workDir + "/verilog-out.aig"], runs: ctx.runs, ctx)
        r["miter_s"] = r3(ours.seconds); r["miter_peak_MB"] = r3(ours.peakMB)
        if let abc {
            let a = try measure([abc, "-c", "read_verilog \(path); strash"], runs: ctx.runs, ctx)
            r["abc_s"] = r3(a.seconds); r["abc_peak_MB"] = r3(a.peakMB)
            r["time_ratio_vs_abc"] = r3(ours.seconds / a.seconds)
            r["memory_ratio_vs_abc"] = r3(ours.peakMB / a.peakMB)
        } else { r["abc"] = "not installed" }
        if let yosys {
            // Yosys takes ~10 s per file: fewer runs unless asked for many.
            let y = try measure([yosys, "-q", "-p", "read_verilog \(path); techmap; aigmap"], runs: ctx.quick ? 1 : min(ctx.runs, 3), ctx)
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
    return result
}

/// Median wall time and peak RSS of a child process over `runs` runs (in the work directory).
private func measure(_ argv: [String], runs: Int, _ ctx: BenchContext) throws -> (seconds: Double, peakMB: Double) {
    try measureAdaptive(argv, runs: runs, slowAfter: .infinity, ctx)
}

/// As `measure`, but stops after the first run when that one took longer
/// than `slowAfter` seconds (Yosys on the larger designs: ~tens of seconds a run).
private func measureAdaptive(_ argv: [String], runs: Int, slowAfter: Double, _ ctx: BenchContext) throws -> (seconds: Double, peakMB: Double) {
    var times: [Double] = [], peaks: [Double] = []
    for _ in 0..<max(1, runs) {
        let run = try runProcess(argv, cwd: ctx.workDir)
        if run.status != 0 { throw BenchError.failed(argv.joined(separator: " ")) }
        times.append(run.seconds); peaks.append(Double(run.maxRSSBytes) / 1e6)
        if run.seconds > slowAfter { break }
    }
    return (median(times), median(peaks))
}

/// `Tests/Fixtures/rtl` of this checkout: under the current directory when run
/// from the repository root, else found from this source file's path.
private func rtlFixturesRoot() -> String? {
    let fm = FileManager.default
    let fromCWD = fm.currentDirectoryPath + "/Tests/Fixtures/rtl"
    let fromSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/rtl").path
    for dir in [fromCWD, fromSource] {
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue {
            return URL(fileURLWithPath: dir).standardizedFileURL.path
        }
    }
    return nil
}

/// The "rtl" part of the verilog suite: see `verilogSuite`.
private func rtlVerilogPart(_ ctx: BenchContext) throws -> [String: Any] {
    guard let root = rtlFixturesRoot() else { return ["skipped": "no Tests/Fixtures/rtl found"] }
    let abc = ctx.which("berkeley-abc", "abc")
    let yosys = ctx.which("yosys")
    var files: [(set: String, path: String)] = []
    for set in ["bench", "designs"] {
        let dir = root + "/" + set
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".v") }.sorted()
        files += names.map { (set, dir + "/" + $0) }
    }
    let out = ctx.workDir + "/rtl-out.aig"
    var rows: [[String: Any]] = []
    var benchRatios: [Double] = [], allRatios: [Double] = []
    for (set, path) in files {
        let name = set + "/" + (path as NSString).lastPathComponent
        let top = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var r: [String: Any] = ["file": name, "set": set, "top": top]
        var line = "verilog rtl: \(name)"
        do {
            let bytes = try CircuitIO.readBytes(path: path)
            var options = ReadOptions()
            options.top = top
            var aig = try CircuitIO.parse(bytes, name: path, format: .verilog, options: options)
            let t = try timeMedian(runs: ctx.runs) { aig = try CircuitIO.parse(bytes, name: path, format: .verilog, options: options) }
            r["bytes"] = bytes.count
            r["ands"] = aig.andCount
            r["latches"] = aig.latchCount
            r["inputs"] = aig.inputCount
            r["outputs"] = aig.outputs.count
            r["parse_ms"] = r3(t * 1000)
            line += ": \(aig.andCount) ANDs, \(aig.latchCount) latches, parse \(r3(t * 1000)) ms"

            let ours = try measure([ctx.miterPath, "convert", path, out], runs: ctx.runs, ctx)
            r["miter_s"] = r3(ours.seconds); r["miter_peak_MB"] = r3(ours.peakMB)
            line += ", miter \(r3(ours.seconds)) s \(Int(ours.peakMB.rounded())) MB"

            if let yosys {
                let script = "read_verilog \(path); synth -flatten -top \(top); aigmap"
                // Yosys takes up to a minute on the larger designs: fewer runs,
                // and one only when the first took over 10 s.
                let y = try measureAdaptive([yosys, "-q", "-p", script], runs: ctx.quick ? 1 : min(ctx.runs, 3), slowAfter: 10, ctx)
                r["yosys_s"] = r3(y.seconds); r["yosys_peak_MB"] = r3(y.peakMB)
                let ratio = ours.seconds / y.seconds
                r["time_ratio_vs_yosys"] = (ratio * 1e5).rounded() / 1e5
                r["memory_ratio_vs_yosys"] = r3(ours.peakMB / y.peakMB)
                allRatios.append(ratio)
                if set == "bench" { benchRatios.append(ratio) }
                line += ", yosys \(r3(y.seconds)) s \(Int(y.peakMB.rounded())) MB, ratio \((ratio * 1e4).rounded() / 1e4)"
            } else { r["yosys"] = "not installed" }

            if let abc {
                let argv = [abc, "-c", "%read \(path); %blast"]
                let probe = try runProcess(argv, cwd: ctx.workDir, captureOutput: true)
                let lines = probe.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty && !$0.hasPrefix("ABC command line") }
                let rejected = probe.status != 0 || lines.contains { $0.contains("There is no current design") || $0.contains("Empty network") || $0.hasPrefix("Error") }
                if rejected {
                    let first = (lines.first { !$0.hasPrefix("Warning") } ?? lines.first ?? "exit status \(probe.status)").replacingOccurrences(of: root + "/", with: "")
                    r["abc"] = "cannot read: \(first)"
                    line += ", abc cannot read"
                } else {
                    let a = try measure(argv, runs: ctx.runs, ctx)
                    r["abc_s"] = r3(a.seconds); r["abc_peak_MB"] = r3(a.peakMB)
                    r["time_ratio_vs_abc"] = r3(ours.seconds / a.seconds)
                    r["memory_ratio_vs_abc"] = r3(ours.peakMB / a.peakMB)
                    line += ", abc \(r3(a.seconds)) s"
                }
            } else { r["abc"] = "not installed" }
        } catch {
            r["error"] = "\(error)"
            line += ": error \(error)"
        }
        log(line)
        rows.append(r)
    }
    var summary: [String: Any] = ["files": rows.count, "bench_files": files.filter { $0.set == "bench" }.count]
    if !benchRatios.isEmpty {
        summary["bench_median_time_ratio_vs_yosys"] = (median(benchRatios) * 1e5).rounded() / 1e5
        summary["bench_max_time_ratio_vs_yosys"] = ((benchRatios.max() ?? .nan) * 1e5).rounded() / 1e5
        summary["bench_meeting_0.01_vs_yosys"] = "\(benchRatios.filter { $0 <= 0.01 }.count) of \(benchRatios.count)"
    }
    if !allRatios.isEmpty {
        summary["all_median_time_ratio_vs_yosys"] = (median(allRatios) * 1e5).rounded() / 1e5
        summary["all_max_time_ratio_vs_yosys"] = ((allRatios.max() ?? .nan) * 1e5).rounded() / 1e5
        summary["all_meeting_0.01_vs_yosys"] = "\(allRatios.filter { $0 <= 0.01 }.count) of \(allRatios.count)"
    }
    return ["files": rows, "summary": summary, "root": root]
}
