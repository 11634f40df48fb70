import AIG
import AIGFormats
import ArgumentParser
import Equivalence
#if canImport(Glibc)
import Glibc
#endif

extension PortMatching.Mode: ExpressibleByArgument {}
extension EquivalenceChecker.Params.SATEngine: ExpressibleByArgument {}

/// Options shared by commands that compare two circuits.
struct MatchOptionGroup: ParsableArguments {
    @Option(name: .long, help: "Port matching: auto (names when both circuits name every port, else order), names or order.")
    var match: PortMatching.Mode = .auto

    @Flag(name: .long, help: "Inputs present in one circuit only become free inputs instead of an error.")
    var allowExtraInputs = false

    @Flag(name: .long, help: "Registers paired neither by name nor by signature become free inputs (current state) with unchecked next states instead of an error.")
    var allowUnmatched = false

    @Option(name: .long, help: "AIGER 1.9 sections compared as outputs: auto (a circuit's outputs, or its bad-state properties B when it has no outputs, as ABC reads it), outputs, bad, properties (the B, C, J, F sections both have) or all (outputs, then those).")
    var compare: ComparedSections = .auto

    /// The two circuits with the compared sections as their outputs, and those sections (A's, B's).
    func selectingSections(_ a: AIG, _ b: AIG) throws -> (AIG, AIG, ([CircuitSection], [CircuitSection])) {
        let (sa, sb) = a.sectionsCompared(with: b, compare)
        if sa.isEmpty { try fail("--compare \(compare.rawValue): the two circuits have no property section (B, C, J, F) in common") }
        for (c, label) in [(a, "first"), (b, "second")] where compare == .bad && c.bad.isEmpty {
            try fail("--compare bad: the \(label) circuit has no bad-state properties (B)")
        }
        return (a.withSectionsAsOutputs(sa), b.withSectionsAsOutputs(sb), (sa, sb))
    }
}

extension ComparedSections: ExpressibleByArgument {}

/// "bad-state properties (B)" and the like, for reports.
func describeSections(_ sections: [CircuitSection]) -> String {
    sections.map { s -> String in
        switch s {
        case .outputs: "outputs (O)"
        case .bad: "bad-state properties (B)"
        case .constraints: "invariant constraints (C)"
        case .justice: "justice properties (J)"
        case .fairness: "fairness constraints (F)"
        }
    }.joined(separator: ", ")
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check whether two circuits are combinationally equivalent.",
        discussion: """
        Prints 'equivalent' (proved), 'not equivalent' with the differing outputs, both values \
        and the full input vector, or 'undecided' with the outputs still open. Latches are cut: \
        current states become inputs and next states outputs, matched like ports.
        Exit codes: 0 equivalent, 1 not equivalent, 2 error, 3 undecided.
        """)

    @Argument(help: "First circuit (any supported format).")
    var first: String

    @Argument(help: "Second circuit (any supported format).")
    var second: String

    @OptionGroup var matching: MatchOptionGroup

    @Option(help: "Total time budget in seconds (0: none); running out gives 'undecided', never a guess.")
    var timeout: Double = 0

    @Option(help: "Conflict budget of each internal (sweeping) SAT query.")
    var sweepConflicts: UInt32 = 500

    @Option(help: "Conflict budget of each output SAT query (0: none, bounded by --timeout).")
    var outputConflicts: UInt32 = 0

    @Option(help: "Random simulation words per node before sweeping (64 patterns each).")
    var simWords: Int = EquivalenceChecker.Params().simulationWords

    @Option(help: "SAT engine for sweeping and output proofs: auto (built-in CDCL for small queries, CaDiCaL for large ones), builtin, cadical or z3.")
    var satEngine: EquivalenceChecker.Params.SATEngine = .auto

    @Option(help: ArgumentHelp("auto engine: queries with a larger conflict budget (or none) go to CaDiCaL.", visibility: .hidden))
    var autoLargeConflicts: UInt32 = EquivalenceChecker.Params().autoLargeQueryConflicts

    @Option(help: "Threads: 2 or more run a whole-miter CaDiCaL attempt beside SAT sweeping, first verdict wins (0: all cores).")
    var jobs: Int = 0

    @Option(name: .customLong("bdd-nodes"), help: "Above 16 inputs, decide exactly with BDDs when they need at most this many nodes (0: go straight to SAT sweeping).")
    var bddNodes: Int = EquivalenceChecker.Params().bddNodeLimit

    @Option(name: .customLong("cex"), help: "Write the counterexample as an input vector file that 'miter sim --vectors' replays.")
    var cexFile: String?

    @Option(name: .customLong("dot-cex"), help: ArgumentHelp("On 'not equivalent', draw the differing outputs' cones with the counterexample's values (Graphviz DOT): the first circuit to FILE, the second to FILE with '.second' before the extension.", valueName: "file"))
    var dotCex: String?

    @Option(help: "Write a certificate of the verdict: the miter and the lemmas an 'equivalent' rests on, or the counterexample ('miter certify-check FILE' re-proves it with Z3). No whole-miter portfolio attempt then.")
    var certify: String?

    @Option(name: .customLong("certify-drat"), help: "On 'equivalent', also write the miter's CNF to PREFIX.cnf and CaDiCaL's DRAT proof of it to PREFIX.drat (for small miters: one whole-miter SAT call, bounded by --timeout), for 'drat-trim PREFIX.cnf PREFIX.drat'.")
    var certifyDrat: String?

    @Flag(help: "Print a JSON object.")
    var json = false

    @Flag(help: "Print statistics (phases, SAT calls, merges).")
    var verbose = false

    @OptionGroup var read: ReadOptionGroup

    @OptionGroup var progress: ProgressOptionGroup

    func run() throws {
        let a0 = try reportingErrors { try loadCircuit(first, try read.readOptions) }
        let b0 = try reportingErrors { try loadCircuit(second, try read.readOptions) }
        let (a, b, compared) = try matching.selectingSections(a0, b0)
        var params = EquivalenceChecker.Params()
        params.matching = matching.match
        params.allowExtraInputs = matching.allowExtraInputs
        params.allowUnmatchedRegisters = matching.allowUnmatched
        params.timeout = timeout
        params.sweepConflictLimit = sweepConflicts
        guard (1...65536).contains(simWords) else { try fail("--sim-words must be between 1 and 65536, got \(simWords)") }
        params.simulationWords = simWords
        guard bddNodes >= 0 else { try fail("--bdd-nodes must be 0 or more, got \(bddNodes)") }
        params.bddNodeLimit = bddNodes
        params.satEngine = satEngine
        params.autoLargeQueryConflicts = autoLargeConflicts
        guard jobs >= 0 else { try fail("--jobs must be 0 (all cores) or more, got \(jobs)") }
        params.jobs = jobs > 0 ? jobs : onlineProcessorCount()
        params.outputConflictLimit = outputConflicts
        // A bar only for checks big enough to take a while (a bar that flashes says nothing).
        let reporter = progress.reporter(minimumItems: 20_000, items: a.andCount + b.andCount)
        if let reporter { params.progress = { reporter.update($0, $1, $2) } }
        let checker = EquivalenceChecker(params: params)
        let result: CheckResult, stats: EquivalenceChecker.Stats
        if let certify {
            var (r, s, certificate) = try reportingErrors { try checker.certify(a, b, circuitA: first, circuitB: second) }
            // Undecided: nothing to certify, and no file is written.
            if let certificate {
                let start = ContinuousClock.now
                try reportingErrors { try CircuitIO.writeBytesAtomically(CertificateFile.write(certificate), to: certify) }
                let spent = (ContinuousClock.now - start).components
                s.certificateSeconds += Double(spent.seconds) + Double(spent.attoseconds) / 1e18
            }
            (result, stats) = (r, s)
        } else {
            (result, stats) = try reportingErrors { try checker.check(a, b) }
        }
        reporter?.finish()

        var dratNote: String? = nil
        if let prefix = certifyDrat, case .equivalent = result {
            dratNote = try writeDRAT(a0, b0, prefix: prefix)  // buildMiter selects the compared sections itself
        }
        if let cexFile, case .notEquivalent(let cex) = result {
            try reportingErrors { try CircuitIO.writeBytesAtomically(Array(vectorFile(cex, a).utf8), to: cexFile) }
        }
        if let dotCex, case .notEquivalent(let cex) = result {
            try reportingErrors { try writeCounterexamplePictures(cex, a, b, to: dotCex) }
        }
        if json {
            var report = CheckReport(first: first, second: second, result: result, stats: stats,
                                     compared: .init(a: compared.0.map(\.rawValue), b: compared.1.map(\.rawValue)))
            report.drat = dratNote
            // Undecided: no certificate was written.
            if case .undecided = result {} else { report.certificate = certify }
            print(JSONReport.encode(report))
        } else {
            print(textReport(result, stats, a))
            if compared != ([.outputs], [.outputs]) {
                let what = compared.0 == compared.1 ? describeSections(compared.0) : "\(describeSections(compared.0)) of the first with \(describeSections(compared.1)) of the second"
                print("  compared: \(what), as outputs (--compare \(matching.compare.rawValue))")
            }
            if let dratNote { print("  DRAT: \(dratNote)") }
        }
        switch result {
        case .equivalent: throw ExitCode(MiterExit.ok)
        case .notEquivalent: throw ExitCode(MiterExit.notEquivalent)
        case .undecided: throw ExitCode(MiterExit.undecided)
        }
    }

    /// The whole-miter DRAT route (from the circuits as read: `buildMiter` selects the compared sections): a one-line account of what was written.
    func writeDRAT(_ a: AIG, _ b: AIG, prefix: String) throws -> String {
        let miter = try buildMiter(a, b, matching)
        var p = WholeMiterDRAT.Params()
        if timeout > 0 { p.timeout = timeout }
        let cnf = prefix + ".cnf", proof = prefix + ".drat"
        let r = try reportingErrors { try WholeMiterDRAT.write(miter: miter, cnfPath: cnf, proofPath: proof, params: p) }
        switch r.verdict {
        case .unsat:
            return "\(proof) proves \(cnf) unsatisfiable (\(r.variables) variables, \(r.clauses) clauses, proof \(r.proofBytes) bytes, CaDiCaL \(seconds(r.solveSeconds))); check with: drat-trim \(cnf) \(proof)"
        case .sat, .unknown:
            // Only an UNSAT proof certifies anything: leave no files behind.
            CircuitIO.removeFile(cnf); CircuitIO.removeFile(proof)
            return r.verdict == .sat ? "internal error: CaDiCaL finds the miter satisfiable; no DRAT files written"
                : "CaDiCaL did not finish within the time budget; no DRAT files written"
        }
    }

    func textReport(_ result: CheckResult, _ s: EquivalenceChecker.Stats, _ a: AIG) -> String {
        var lines: [String] = []
        switch result {
        case .equivalent:
            lines.append("equivalent")
            lines.append("  \(s.outputs) output\(s.outputs == 1 ? "" : "s") proved by \(s.decidedBy) in \(seconds(s.totalSeconds))")
        case .notEquivalent(let cex):
            lines.append("not equivalent")
            lines.append("  differing output\(cex.differences.count == 1 ? "" : "s") (\(first) / \(second)):")
            for d in cex.differences.prefix(20) { lines.append("    \(d.output): \(d.valueA ? 1 : 0) / \(d.valueB ? 1 : 0)") }
            if cex.differences.count > 20 { lines.append("    … \(cex.differences.count - 20) more") }
            lines.append("  input vector (\(cex.inputs.count) inputs, in the order of \(first)):")
            lines.append("    " + String(cex.inputsA.map { $0 ? "1" : "0" }))
            let assignments = zip(cex.inputNames, cex.inputs).map { "\($0)=\($1 ? 1 : 0)" }
            var line = "   "
            for item in assignments {
                if line.count + item.count > 100 { lines.append(line); line = "   " }
                line += " " + item
            }
            if line.count > 3 { lines.append(line) }
            lines += assumedStatesText(cex)
            lines.append("  found by \(s.decidedBy) in \(seconds(s.totalSeconds)) (--cex FILE saves it; miter sim CIRCUIT --vectors FILE replays it)")
        case .undecided(let reason, let open):
            lines.append("undecided: \(reason)")
            lines.append("  open output\(open.count == 1 ? "" : "s") (\(open.count) of \(s.outputs)): " + open.prefix(20).joined(separator: ", ") + (open.count > 20 ? ", …" : ""))
        }
        if let r = s.registers { lines += registersText(r) }
        if !s.unusedInputsIgnored.isEmpty {
            lines.append("  note: inputs of one circuit only that drive nothing, left out: " + s.unusedInputsIgnored.prefix(10).joined(separator: ", ")
                         + (s.unusedInputsIgnored.count > 10 ? ", …" : ""))
        }
        if s.latchesCut > 0 { lines.append("  note: latches cut (\(s.latchesCut)): the check is combinational, current states are inputs and next states outputs") }
        if verbose { lines.append(statsText(s)) }
        return lines.joined(separator: "\n")
    }

    func statsText(_ s: EquivalenceChecker.Stats) -> String {
        """
          stats: miter \(s.inputs) inputs, \(s.outputs) outputs, \(s.miterAnds) ANDs (\(s.outputsProvedStructurally) outputs equal after hashing)
                 time: simulation \(seconds(s.simulationSeconds)), exhaustive \(seconds(s.exhaustiveSeconds)), BDD \(seconds(s.bddSeconds)) (\(s.bddNodes) nodes), sweeping \(seconds(s.sweepSeconds)), outputs \(seconds(s.outputSeconds)), total \(seconds(s.totalSeconds))
                 simulation rounds \(s.simulationRounds); candidate classes \(s.classes), pairs tried \(s.candidatePairs), nodes merged \(s.nodesMerged), fraig ANDs \(s.fraigAnds)
                 local exhaustive proofs \(s.localProofs), refutations \(s.localRefutations); cut proofs \(s.cutProofs); justified refutations \(s.justifiedRefutations); SAT calls \(s.satCalls): \(s.satSat) sat, \(s.satUnsat) unsat, \(s.satUnknown) budget-out; fresh solvers \(s.solverRecycles)
                 engine \(s.satEngine) (calls: built-in \(s.builtinCalls), CaDiCaL \(s.cadicalCalls), Z3 \(s.z3Calls)); jobs \(s.jobs)\(s.portfolioSeconds > 0 ? ", whole-miter CaDiCaL beside sweeping for \(seconds(s.portfolioSeconds))" : "")\(s.quickPassesAbandoned > 0 ? "; quick pass abandoned, full pass run (\(s.reusedMerges) merges taken over)" : "")
        """
    }

    /// The differing outputs' cones of both circuits (latches cut, as the check saw them),
    /// every node labelled with its value under the counterexample.
    func writeCounterexamplePictures(_ cex: Counterexample, _ a: AIG, _ b: AIG, to path: String) throws {
        let second: String
        if let dot = path.lastIndex(of: "."), !path[dot...].contains("/") {
            second = String(path[..<dot]) + ".second" + String(path[dot...])
        } else {
            second = path + ".second"
        }
        for (aig, vector, indices, name, file) in [
            (a.cuttingLatches(), cex.inputsA, Set(cex.differences.map(\.indexA)), first, path),
            (b.cuttingLatches(), cex.inputsB, Set(cex.differences.map(\.indexB)), self.second, second),
        ] {
            let shown = indices.filter { $0 >= 0 && $0 < aig.outputCount }
            let values = try DOTWriter.values(of: aig, pattern: vector)
            let diffs = cex.differences.map { "\($0.output) = \($0.valueA ? 1 : 0) / \($0.valueB ? 1 : 0)" }.joined(separator: ", ")
            let title = "\(name): counterexample (\(first) / \(self.second)): \(diffs)"
            try DOTWriter.write(aig, .init(cone: shown, values: values, highlight: shown, title: title), to: file)
        }
    }

    /// A vector file for `miter sim --vectors`: a header naming the first
    /// circuit's inputs (so it replays on the second too when names match), then the vector.
    func vectorFile(_ cex: Counterexample, _ a: AIG) -> String {
        var text = "# counterexample: \(first) and \(second) differ on " + cex.differences.map(\.output).joined(separator: ", ") + "\n"
        // Sequential circuits: the vector holds the latches' current states after the inputs.
        if !cex.assumedStates.isEmpty {
            text += "# with the registers' current states after the inputs; in \(second)'s own order: " + String(cex.inputsB.map { $0 ? "1" : "0" }) + "\n"
        }
        let names = (a.inputNames + a.latchNames).compactMap { $0 }
        if names.count == a.inputCount + a.latchCount, !names.contains(where: { $0.contains(" ") || $0.contains(",") || $0.isEmpty }) {
            text += names.joined(separator: " ") + "\n"
        }
        text += String(cex.inputsA.map { $0 ? "1" : "0" }) + "\n"
        return text
    }
}

func seconds(_ s: Double) -> String {
    if s < 0.001 { return "\(Int((s * 1e6).rounded())) µs" }
    if s < 1 { return "\(Int((s * 1e3).rounded())) ms" }
    return "\(Double(Int(s * 100)) / 100) s"
}

struct MiterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "miter",
        abstract: "Write the miter of two circuits (one XOR output per matched output pair).",
        discussion: "Inputs are shared (matched like 'miter check'); an output is 1 exactly where the circuits differ. --combine ORs them into one output.")

    @Argument(help: "First circuit.") var first: String
    @Argument(help: "Second circuit.") var second: String
    @Option(name: .shortAndLong, help: "Output file (.aig, .aag, ...; '-' for stdout).") var output: String
    @Flag(help: "One output: the OR of all differences.") var combine = false
    @OptionGroup var matching: MatchOptionGroup
    @OptionGroup var read: ReadOptionGroup

    func run() throws {
        let a = try reportingErrors { try loadCircuit(first, try read.readOptions) }
        let b = try reportingErrors { try loadCircuit(second, try read.readOptions) }
        var aig = try buildMiter(a, b, matching)
        if combine {
            var builder = AIGBuilder(aig)
            let any = builder.or(aig.outputs)
            aig = builder.finish()
            aig.outputs = [any]; aig.outputNames = ["miter"]
        }
        aig = aig.cleanedUp()
        let format = output == "-" ? CircuitFormat.aigerBinary : (CircuitFormat(path: output) ?? .aigerBinary)
        try reportingErrors { try CircuitIO.write(aig, to: output, format: format) }
    }
}

/// The miter of two circuits (latches cut, ports matched as `check` does; exit 2 on mismatched ports).
func buildMiter(_ a0: AIG, _ b0: AIG, _ matching: MatchOptionGroup) throws -> AIG {
    let (a1, b1, _) = try matching.selectingSections(a0, b0)
    let a = a1.cuttingLatches(), b = b1.cuttingLatches()
    let m: PortMatching
    do {
        (m, _) = try PortMatching.matchCut(a1, b1, mode: matching.match, allowExtraInputs: matching.allowExtraInputs,
                                           allowUnmatched: matching.allowUnmatched)
    } catch {
        try fail(error.message)
    }
    return Miter(a, b, inputOfB: m.inputOfB, sharedInputCount: m.sharedInputCount,
                 outputPairs: m.outputPairs, inputNames: m.inputNames).aig
}

// MARK: - Register matching in the reports

extension Check {
    /// The registers' pairing: counts, renamed pairs, pairs by signature, unpaired ones.
    func registersText(_ r: RegisterMatching) -> [String] {
        let unmatched = r.unmatchedA.count + r.unmatchedB.count
        var how = ["\(r.count(.name)) by name", "\(r.count(.signature)) by signature"]
        if r.count(.position) > 0 { how = ["\(r.count(.position)) by position"] }
        var lines = ["  registers: \(r.pairs.count) paired (\(how.joined(separator: ", "))), \(unmatched) unmatched"]
        func shown(_ items: [String], _ limit: Int) -> String {
            items.prefix(limit).joined(separator: ", ") + (items.count > limit ? ", … \(items.count - limit) more" : "")
        }
        let renamed = r.pairs.filter { $0.method == .name && $0.nameA != $0.nameB }.map { "\($0.nameA) = \($0.nameB)" }
        if !renamed.isEmpty { lines.append("    renamed (first = second): " + shown(renamed, 10)) }
        let bySignature = r.pairs.filter { $0.method == .signature }.map { "\($0.nameA) = \($0.nameB)" }
        if !bySignature.isEmpty { lines.append("    by signature: " + shown(bySignature, 20)) }
        if !bySignature.isEmpty || r.count(.position) > 0 {
            lines.append("    (pairs by \(bySignature.isEmpty ? "position" : "signature") are a hypothesis the check proves: a wrong pairing gives 'not equivalent', never a false 'equivalent')")
        }
        if !r.unmatchedNamesA.isEmpty { lines.append("    unmatched in \(first) (free current state, next state not compared): " + shown(r.unmatchedNamesA, 20)) }
        if !r.unmatchedNamesB.isEmpty { lines.append("    unmatched in \(second) (free current state, next state not compared): " + shown(r.unmatchedNamesB, 20)) }
        if !r.resetMismatches.isEmpty {
            lines.append("    note: different initial values: " + shown(r.resetMismatches.map { "\(r.pairs[$0].nameA) = \(r.pairs[$0].nameB)" }, 10))
        }
        return lines
    }

    /// The register states a counterexample over cut latches assumes.
    func assumedStatesText(_ cex: Counterexample) -> [String] {
        guard !cex.assumedStates.isEmpty else { return [] }
        var lines = ["  register states assumed (current states, part of the vector; replayed on both circuits):"]
        var line = "   "
        for item in cex.assumedStates.map({ "\($0.register)=\($0.value ? 1 : 0)" }) {
            if line.count + item.count > 100 { lines.append(line); line = "   " }
            line += " " + item
        }
        if line.count > 3 { lines.append(line) }
        return lines
    }
}
