import AIG
import AIGFormats
import ArgumentParser
import Equivalence

struct CertifyCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certify-check",
        abstract: "Re-prove a certificate written by 'miter check --certify' with Z3.",
        discussion: """
        Every lemma (merges, then output proofs) is replayed in order over the certificate's miter and \
        must be UNSAT for Z3, whatever engine found it; together they must cover every output. \
        A not-equivalent certificate's counterexample is replayed on the miter. \
        Exit codes: 0 the certificate holds, 1 a lemma fails (the first one is named), 2 malformed file, 3 undecided (--timeout).
        """)

    @Argument(help: "Certificate file.")
    var file: String

    @Option(help: "Time budget in seconds (0: none); running out gives exit code 3.")
    var timeout: Double = 0

    @Option(name: .customLong("circuits"), parsing: .upToNextOption,
            help: "The two circuit files the certificate is about: their miter (ports matched as 'check' does, with the same --match options) must be the certificate's.")
    var circuits: [String] = []

    @OptionGroup var matching: MatchOptionGroup
    @OptionGroup var read: ReadOptionGroup

    @Option(help: "Z3 workers proving lemmas in parallel (0: one per core).")
    var jobs: Int = 0

    @Flag(help: "Print a JSON object.")
    var json = false

    @Flag(help: "List the slowest lemmas.")
    var verbose = false

    func run() throws {
        guard timeout >= 0, timeout.isFinite else { try fail("--timeout must be a non-negative number of seconds") }
        guard jobs >= 0 else { try fail("--jobs must be 0 (all cores) or more, got \(jobs)") }
        let bytes = try reportingErrors { try CircuitIO.readBytes(path: file) }
        let certificate = try reportingErrors { try CertificateFile.parse(bytes, file: file) }
        guard circuits.isEmpty || circuits.count == 2 else { try fail("--circuits takes two files, got \(circuits.count)") }
        var sameMiter: Bool? = nil
        if circuits.count == 2 {
            let a = try reportingErrors { try loadCircuit(circuits[0], try read.readOptions) }
            let b = try reportingErrors { try loadCircuit(circuits[1], try read.readOptions) }
            let rebuilt = try buildMiter(a, b, matching)
            let m = certificate.miter
            sameMiter = rebuilt.inputCount == m.inputCount && rebuilt.ands == m.ands && rebuilt.outputs == m.outputs
        }
        if sameMiter == false {
            let why = "its miter is not the miter of \(circuits[0]) and \(circuits[1])"
            if json {
                var r = CertificateChecker.Report(verdict: .fails)
                r.reason = why
                print(JSONReport.encode(CertifyCheckReport(file: file, certificate: certificate, result: r, circuitsChecked: true)))
            }
            else { print("certificate fails: " + why) }
            throw ExitCode(MiterExit.notEquivalent)
        }
        var params = CertificateChecker.Params()
        params.timeout = timeout
        params.jobs = jobs
        let r = CertificateChecker(params: params).check(certificate)
        if json {
            print(JSONReport.encode(CertifyCheckReport(file: file, certificate: certificate, result: r, circuitsChecked: sameMiter == true)))
        } else {
            switch r.verdict {
            case .holds where certificate.verdict == .equivalent:
                print("certificate holds: \(certificate.circuitA) and \(certificate.circuitB) are equivalent" + (sameMiter == true ? " (miter rebuilt from the two files: identical)" : ""))
                print("  \(r.lemmas) lemmas re-proved: \(r.z3Proofs) by Z3 (\(r.cutHintProofs) over their cut hint, \(r.windowProofs) over a window of their cones; Z3 \(seconds(r.z3Seconds))\(r.workers > 1 ? " over \(r.workers) workers" : "")), \(r.structural) equal after hashing; total \(seconds(r.seconds))")
            case .holds:
                print("certificate holds: \(certificate.circuitA) and \(certificate.circuitB) are not equivalent")
                print("  the counterexample sets miter output\(r.differingOutputs.count == 1 ? "" : "s") " + r.differingOutputs.prefix(20).map(String.init).joined(separator: ", ") + " to 1")
            case .fails:
                print("certificate fails" + (r.failedLemma.map { ": lemma \($0)" } ?? "") + ": " + (r.reason ?? ""))
            case .undecided:
                print("undecided" + (r.failedLemma.map { ": lemma \($0)" } ?? "") + ": " + (r.reason ?? ""))
            }
            if verbose && !r.slowest.isEmpty {
                print("  slowest lemmas: " + r.slowest.map { "\($0.lemma) (\(seconds($0.seconds)))" }.joined(separator: ", "))
            }
        }
        switch r.verdict {
        case .holds: throw ExitCode(MiterExit.ok)
        case .fails: throw ExitCode(MiterExit.notEquivalent)
        case .undecided: throw ExitCode(MiterExit.undecided)
        }
    }
}
