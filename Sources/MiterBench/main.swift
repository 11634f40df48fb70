import Foundation

/// MiterBench: prints benchmark figures as JSON on stdout (progress on stderr).
///
///     MiterBench [--runs N] [--shared DIR] [--work DIR] [SUITE ...]
///
/// Each suite measures Miter and, where installed, a peer (ABC, Yosys) in the
/// same run, and reports medians and ratios. With no SUITE every suite runs.
let suites: [(name: String, run: (BenchContext) throws -> [String: Any])] = [
    ("aiger", aigerSuite),
    ("verilog", verilogSuite),
    ("sim", simSuite), ("hash", hashSuite), ("hashmiss", hashMissSuite),
    ("check", checkSuite),
    ("dedup", dedupSuite),
    ("decoder", decoderSuite),
    ("hard", hardSuite),
    ("certify", certifySuite),
]

if CommandLine.arguments.dropFirst().first == "optimize" {
    exit(optimizeProbe(Array(CommandLine.arguments.dropFirst(2))))
}
if CommandLine.arguments.dropFirst().first == "npn4-library" {
    if CommandLine.arguments.count > 3, CommandLine.arguments[2] == "refine" { refineNPN4Library(CommandLine.arguments[3]) } else { printNPN4Library() }
    exit(0)
}

var context = BenchContext()
var selected: [String] = []
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--runs": context.runs = Int(args.popFirst() ?? "") ?? context.runs
    case "--shared": context.sharedDir = args.popFirst() ?? context.sharedDir
    case "--work": context.workDir = args.popFirst() ?? context.workDir
    case "--quick": context.quick = true
    case "--check-timeout": context.checkTimeout = Double(args.popFirst() ?? "") ?? context.checkTimeout
    case "--hard-timeout": hardOptions.timeout = Double(args.popFirst() ?? "") ?? hardOptions.timeout
    case "--hard-gen-timeout": hardOptions.generationTimeout = Double(args.popFirst() ?? "") ?? hardOptions.generationTimeout
    case "--hard-only": hardOptions.only = Set((args.popFirst() ?? "").split(separator: ",").map(String.init))
    case "--hard-runs": hardOptions.runs = Int(args.popFirst() ?? "") ?? hardOptions.runs
    case "--hard-include-hyp": hardOptions.includeHyp = true
    case "--hard-retry-failed": hardOptions.retryFailed = true
    case "--generate-only": hardOptions.generateOnly = true
    case "--certify-parts": certifyOptions.parts = Set((args.popFirst() ?? "").split(separator: ",").map(String.init))
    case "-h", "--help":
        print("usage: MiterBench [--runs N] [--quick] [--check-timeout S] [--hard-timeout S] [--hard-gen-timeout S] [--hard-only NAME,...] [--hard-runs N] [--hard-include-hyp] [--hard-retry-failed] [--generate-only] [--certify-parts check,hard] [--shared DIR] [--work DIR] [\(suites.map(\.name).joined(separator: "|"))...]")
        exit(0)
    default: selected.append(a)
    }
}
if selected.isEmpty { selected = suites.map(\.name) }

var report: [String: Any] = ["runs": context.runs, "machine": context.machineDescription()]
for name in selected {
    guard let suite = suites.first(where: { $0.name == name }) else {
        FileHandle.standardError.write("MiterBench: unknown suite '\(name)'\n".data(using: .utf8)!)
        exit(2)
    }
    do { report[name] = try suite.run(context) } catch {
        report[name] = ["error": "\(error)"]
    }
}
let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
print(String(decoding: data, as: UTF8.self))
