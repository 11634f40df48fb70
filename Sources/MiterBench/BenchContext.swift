import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Shared settings and measuring helpers for the suites.
struct BenchContext {
    var runs = 5
    var quick = false
    /// Wall-clock limit of one equivalence check (ours and ABC's), seconds.
    var checkTimeout = 120.0
    var sharedDir = "../shared/circuits"
    var workDir = NSTemporaryDirectory() + "miterbench"

    /// The shared EPFL `.aig` files, sorted; empty (with a note on stderr) when absent.
    func epflAIGs() -> [String] {
        // Absolute: ABC runs in the work directory (for its abc.rc).
        let base = sharedDir.hasPrefix("/") ? sharedDir : FileManager.default.currentDirectoryPath + "/" + sharedDir
        let root = (base as NSString).standardizingPath + "/epfl"
        guard let e = FileManager.default.enumerator(atPath: root) else {
            log("no shared circuits at \(root): EPFL figures skipped")
            return []
        }
        return e.compactMap { $0 as? String }.filter { $0.hasSuffix(".aig") }.sorted().map { root + "/" + $0 }
    }

    /// Path of an executable on PATH, or nil.
    func which(_ names: String...) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }

    /// The `miter` executable built next to this benchmark.
    var miterPath: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("miter").path
    }

    func machineDescription() -> String {
        var cpu = "unknown CPU"
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            cpu = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return "\(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores"
    }
}

func log(_ s: String) { FileHandle.standardError.write((s + "\n").data(using: .utf8)!) }

/// Wall time and peak resident memory of one child process.
struct ProcessRun { var seconds: Double; var maxRSSBytes: Int; var status: Int32; var output: String }

/// Runs a command to completion and measures it: posix_spawn, then wait4 on
/// that very child, so ru_maxrss is the child's own peak (Foundation's Process
/// reaps children itself, which would lose it).
func runProcess(_ argv: [String], cwd: String? = nil, captureOutput: Bool = false) throws -> ProcessRun {
    var fileActions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&fileActions)
    defer { posix_spawn_file_actions_destroy(&fileActions) }
    let outPath = NSTemporaryDirectory() + "miterbench-out-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    posix_spawn_file_actions_addopen(&fileActions, 1, captureOutput ? outPath : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&fileActions, 1, 2)
    // Linux charges a spawned child's ru_maxrss with the parent's peak (exec records the
    // memory it replaces), which inflates small children to this benchmark's own size; GNU
    // time in between is a small parent, so its %M is the command's own peak.
    let rssPath = outPath + ".rss"
    let timeTool = "/usr/bin/time"
    let viaTime = FileManager.default.isExecutableFile(atPath: timeTool)
    let spawned = viaTime ? [timeTool, "-f", "%M", "-o", rssPath] + argv : argv
    let cArgs = spawned.map { strdup($0) } + [nil]
    defer { for a in cArgs { free(a) } }
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    // The child inherits the working directory (the benchmark is single-threaded).
    let previous = FileManager.default.currentDirectoryPath
    if let cwd { _ = FileManager.default.changeCurrentDirectoryPath(cwd) }
    let rc = posix_spawn(&pid, spawned[0], &fileActions, nil, cArgs, environ)
    if cwd != nil { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
    if rc != 0 { throw BenchError.failed("cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    var output = ""
    if captureOutput {
        output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        unlink(outPath)
    }
    var maxRSS = Int(usage.ru_maxrss) * 1024
    if viaTime {
        // The last line of the file is %M (KB); a killed command adds a line before it.
        if let text = try? String(contentsOfFile: rssPath, encoding: .utf8),
           let kb = text.split(separator: "\n").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
            maxRSS = kb * 1024
        }
        unlink(rssPath)
    }
    return ProcessRun(seconds: seconds, maxRSSBytes: maxRSS, status: (status >> 8) & 0xff, output: output)
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Median seconds of `runs` executions of `body` (in process).
func timeMedian(runs: Int, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<max(1, runs) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    return median(times)
}

/// Rounds for readable JSON.
func r3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
