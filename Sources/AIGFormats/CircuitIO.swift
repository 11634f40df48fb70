import AIG
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The circuit file formats Miter reads and writes.
public enum CircuitFormat: String, CaseIterable, Sendable {
    case aigerASCII = "aag", aigerBinary = "aig", verilog = "v", blif = "blif", bench = "bench", dot = "dot"

    /// The format named by a path's extension, or nil.
    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "aag": self = .aigerASCII
        case "aig": self = .aigerBinary
        case "v", "sv", "verilog": self = .verilog
        case "blif": self = .blif
        case "bench": self = .bench
        case "dot", "gv": self = .dot
        default: return nil
        }
    }
}

/// Options that readers of netlist formats honour.
public struct ReadOptions: Sendable {
    /// What to do with nets that are used but never driven (Verilog/BLIF/.bench).
    public enum Undriven: String, Sendable, CaseIterable { case error, zero, input }
    public var undriven: Undriven = .error
    /// Verilog top module; nil picks the single module nobody instantiates.
    public var top: String? = nil
    /// Standard cells (from `--liberty` files) that Verilog instances may name
    /// when no module of that name is defined; nil: none.
    public var cells: CellLibrary? = nil
    /// RTL Verilog x/z bits outside casez/casex labels: a located error, or read as 0
    /// (Yosys's `setundef -zero`; an x is a don't-care the netlist may have filled otherwise).
    public enum XBits: String, Sendable, CaseIterable { case error, zero }
    public var xBits: XBits = .error
    public init() {}
}

/// Reading and writing circuits, any supported format.
public enum CircuitIO {
    /// Reads a file (`-` is standard input). AIGER is recognised from its
    /// header whatever the extension; other formats from the extension.
    public static func read(path: String, options: ReadOptions = ReadOptions()) throws -> AIG {
        let bytes = try readBytes(path: path)
        return try parse(bytes, name: path == "-" ? "<stdin>" : path, format: CircuitFormat(path: path), options: options)
    }

    /// Parses bytes already in memory; `format` is a hint used when the content does not say.
    public static func parse(_ bytes: [UInt8], name: String, format: CircuitFormat? = nil,
                             options: ReadOptions = ReadOptions()) throws -> AIG {
        if bytes.starts(with: Array("aag".utf8)) || bytes.starts(with: Array("aig".utf8)) {
            return try AIGERReader.parse(bytes, file: name)
        }
        switch format {
        case .aigerASCII?, .aigerBinary?:
            return try AIGERReader.parse(bytes, file: name)
        case .verilog?:
            return try VerilogReader.parse(bytes, file: name, options: options)
        case .blif?:
            return try BLIFReader.parse(bytes, file: name, options: options)
        case .bench?:
            return try BenchReader.parse(bytes, file: name, options: options)
        case .dot?:
            throw FormatError(file: name, message: "DOT is an output-only format")
        case nil:
            throw FormatError(file: name, message: "unknown circuit format: expected an AIGER header ('aag'/'aig') or a file extension .aag .aig .v .blif .bench")
        }
    }

    /// Serialises a circuit in `format`.
    public static func serialize(_ aig: AIG, format: CircuitFormat) throws -> [UInt8] {
        switch format {
        case .aigerASCII: return AIGERWriter.ascii(aig)
        case .aigerBinary: return AIGERWriter.binary(aig)
        case .verilog: return try VerilogWriter.write(aig)
        case .dot: return try DOTWriter.write(aig)
        default: throw FormatError(file: "<output>", message: "writing \(format.rawValue) files is not supported yet")
        }
    }

    /// Writes a circuit atomically: to a temporary file beside `path`, then
    /// renamed over it, so a failure never leaves a partial file. `-` is stdout.
    public static func write(_ aig: AIG, to path: String, format: CircuitFormat) throws {
        let bytes = try serialize(aig, format: format)
        try writeBytesAtomically(bytes, to: path)
    }

    // MARK: - Raw file access (POSIX, no Foundation in the hot path)

    /// Files held in memory, read before the file system: the circuits (and standard
    /// input, under "-") that a `miter serve` request sends inline. Set only between
    /// requests, on one thread; readers running in parallel only look it up.
    public nonisolated(unsafe) static var inMemoryFiles: [String: [UInt8]] = [:]

    public static func readBytes(path: String) throws -> [UInt8] {
        if let bytes = inMemoryFiles[path] { return bytes }
        let fd = path == "-" ? 0 : open(path, O_RDONLY)
        if fd < 0 { throw FormatError(file: path, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { if fd != 0 { close(fd) } }
        var st = stat()
        var capacity = 1 << 16
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG {
            capacity = Int(st.st_size) + 1
        }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw FormatError(file: path, message: "is a directory, expected a circuit file") }
        var bytes = [UInt8](repeating: 0, count: capacity)
        var used = 0
        while true {
            if used == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let n = bytes.withUnsafeMutableBytes { buf in
                Glibc.read(fd, buf.baseAddress! + used, buf.count - used)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw FormatError(file: path, message: "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            used += n
        }
        bytes.removeSubrange(used...)
        return bytes
    }

    /// Removes a file if it exists (ignoring errors: used to clean up outputs that prove nothing).
    public static func removeFile(_ path: String) { _ = unlink(path) }

    public static func writeBytesAtomically(_ bytes: [UInt8], to path: String) throws {
        if path == "-" {
            try writeAll(fd: 1, bytes, name: "<stdout>")
            return
        }
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 { throw FormatError(file: path, message: "cannot create: \(String(cString: strerror(errno)))") }
        do {
            try writeAll(fd: fd, bytes, name: path)
            if close(fd) != 0 { throw FormatError(file: path, message: "close failed: \(String(cString: strerror(errno)))") }
        } catch {
            close(fd); unlink(tmp); throw error
        }
        if rename(tmp, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw FormatError(file: path, message: "cannot write: \(reason)")
        }
    }

    private static func writeAll(fd: Int32, _ bytes: [UInt8], name: String) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FormatError(file: name, message: "write failed: \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }
}
