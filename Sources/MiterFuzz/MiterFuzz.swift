import ReaderFuzzing
#if canImport(Glibc)
import Glibc
#endif

#if FUZZING
// libFuzzer entry point: built by Scripts/fuzz.sh with
// `-sanitize=fuzzer,address -DFUZZING -parse-as-library`; the reader comes
// from MITER_FUZZ_READER. A defect traps, so libFuzzer saves the input.
nonisolated(unsafe) var fuzzedReader: FuzzedReader? = nil

func report(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func miterFuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if fuzzedReader == nil {
        let name = getenv("MITER_FUZZ_READER").map { String(cString: $0) } ?? ""
        guard let r = FuzzedReader(rawValue: name) else {
            report("MITER_FUZZ_READER must be one of \(FuzzedReader.allCases.map(\.rawValue))")
            exit(2)
        }
        fuzzedReader = r
    }
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if case .defect(let why) = (fuzzedReader ?? .aiger).run(bytes) {
        report("defect: \(why)")
        abort()
    }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

// SwiftPM links an executable target's entry point under this name; here it
// hands control to libFuzzer's driver.
@_cdecl("MiterFuzz_main")
public func miterFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return runFuzzerDriver(&count, &vector, miterFuzzOne)
}
#else
/// Without the fuzzer: replays files (`MiterFuzz READER FILE...`), one line each;
/// exit 1 when any is a defect.
@main struct MiterFuzzReplay {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        guard let first = args.first, let reader = FuzzedReader(rawValue: first) else {
            print("usage: MiterFuzz \(FuzzedReader.allCases.map(\.rawValue).joined(separator: "|")) FILE...")
            exit(2)
        }
        var defects = 0
        for path in args.dropFirst() {
            guard let f = fopen(path, "rb") else { print("\(path): cannot open"); defects += 1; continue }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = fread(&chunk, 1, chunk.count, f)
                if n <= 0 { break }
                bytes += chunk[0..<n]
            }
            fclose(f)
            let outcome = reader.run(bytes)
            if case .defect = outcome { defects += 1 }
            print("\(path): \(outcome)")
        }
        exit(defects == 0 ? 0 : 1)
    }
}
#endif
