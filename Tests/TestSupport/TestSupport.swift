import Foundation

/// Helpers shared by the test targets: where the repository and the shared
/// circuits are, which peer tools are installed, and running a process.
public enum TestSupport {
    /// The repository root (this file is Tests/TestSupport/TestSupport.swift).
    public static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/circuits` beside the repository, or nil (a user's clone has none).
    public static var sharedCircuits: URL? {
        let url = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/circuits")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Shared EPFL `.aig` files, sorted by name; empty when ../shared is absent.
    public static func epflAIGs() -> [URL] {
        guard let root = sharedCircuits?.appendingPathComponent("epfl"),
              let e = FileManager.default.enumerator(atPath: root.path) else { return [] }
        return e.compactMap { $0 as? String }.filter { $0.hasSuffix(".aig") }.sorted()
            .map { root.appendingPathComponent($0) }
    }

    /// A circuit shipped in the repository, e.g. `Circuits/aiger-examples/and.aag`.
    public static func repoFile(_ relative: String) -> URL { repoRoot.appendingPathComponent(relative) }

    /// Path of an executable on PATH, or nil.
    public static func which(_ names: String...) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }

    /// ABC (Debian's `berkeley-abc`), or nil with a printed reason.
    public static func abc(for test: String = #function) -> String? {
        if let p = which("berkeley-abc", "abc") { return p }
        print("SKIP \(test): ABC (berkeley-abc) is not installed")
        return nil
    }

    /// Shared circuits, or nil with a printed reason.
    public static func shared(for test: String = #function) -> URL? {
        if let s = sharedCircuits { return s }
        print("SKIP \(test): ../shared/circuits is absent")
        return nil
    }

    public struct Output: Sendable { public var status: Int32; public var stdout: String; public var stderr: String }

    /// Runs a program to completion, feeding `stdin` when given.
    public static func run(_ executable: String, _ arguments: [String], stdin: [UInt8]? = nil,
                           cwd: URL? = nil) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let cwd { p.currentDirectoryURL = cwd }
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out; p.standardError = err
        p.standardInput = stdin == nil ? FileHandle.nullDevice : inp
        try p.run()
        if let stdin {
            inp.fileHandleForWriting.write(Data(stdin))
            try inp.fileHandleForWriting.close()
        }
        // Read both pipes concurrently so a full stderr cannot block the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs an ABC script and returns its standard output.
    public static func runABC(_ abc: String, _ script: String, cwd: URL? = nil) throws -> String {
        try run(abc, ["-c", script], cwd: cwd).stdout
    }

    /// A fresh temporary directory.
    public static func temporaryDirectory(_ prefix: String = "miter-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension TestSupport {
    /// The `miter` executable of the build under test: next to the test bundle
    /// (SwiftPM builds every product for `swift test`), else `.build/debug/miter`.
    public static var miterExecutable: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [beside, beside.deletingLastPathComponent(), beside.deletingLastPathComponent().deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("miter").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return repoRoot.appendingPathComponent(".build/debug/miter").path
    }

    /// Runs `miter` with arguments.
    public static func miter(_ arguments: [String], stdin: [UInt8]? = nil, cwd: URL? = nil) throws -> Output {
        try run(miterExecutable, arguments, stdin: stdin, cwd: cwd)
    }
}
