import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Shared settings and measuring helpers for the suites.
struct BenchContext {
    var runs = 5
    var quick = false
    var sharedDir = "../shared/circuits"
    var workDir = NSTemporaryDirectory() + "miterbench"

    /// The shared EPFL `.aig` files, sorted; empty (with a note on stderr) when absent.
    func epflAIGs() -> [String] {
        let root = sharedDir + "/epfl"
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

/// Runs a command to completion and measures it with wait4 (ru_maxrss).
func runProcess(_ argv: [String], cwd: String? = nil, captureOutput: Bool = false) throws -> ProcessRun {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: argv[0])
    p.arguments = Array(argv.dropFirst())
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let pipe = Pipe()
    p.standardOutput = captureOutput ? pipe : FileHandle.nullDevice
    p.standardError = captureOutput ? pipe : FileHandle.nullDevice
    let start = DispatchTime.now().uptimeNanoseconds
    try p.run()
    var output = Data()
    if captureOutput { output = pipe.fileHandleForReading.readDataToEndOfFile() }
    var status: Int32 = 0
    var usage = rusage()
    wait4(p.processIdentifier, &status, 0, &usage)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return ProcessRun(seconds: seconds, maxRSSBytes: Int(usage.ru_maxrss) * 1024,
                      status: (status >> 8) & 0xff, output: String(decoding: output, as: UTF8.self))
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
