import AIG

/// One spelling of a verdict in every JSON report (`miter check`, `pairs`, `dedup`, Python).
public enum Verdict: String, Codable, Sendable, CaseIterable {
    case equivalent
    case notEquivalent = "not_equivalent"
    case undecided

    public init(_ result: CheckResult) {
        switch result {
        case .equivalent: self = .equivalent
        case .notEquivalent: self = .notEquivalent
        case .undecided: self = .undecided
        }
    }
}

/// What `miter check --json` prints (schema `miter.check.v1`, python/miter/schemas/check.schema.json).
public struct CheckReport: Codable, Sendable, Equatable {
    public var schema = JSONReport.schema("check")
    public var first: String
    public var second: String
    public var verdict: Verdict
    /// The step that decided: structural hashing, simulation, exhaustive simulation, BDD, SAT sweeping, …
    public var decidedBy: String
    /// Not equivalent: the confirmed counterexample (re-simulated on both circuits).
    public var counterexample: CounterexampleReport?
    /// Undecided: why (budget), and the outputs still open.
    public var reason: String?
    public var openOutputs: [String]?
    /// The sections compared as outputs, of each circuit ("outputs", "bad", ...).
    public var compared: Compared
    public var registers: RegistersReport?
    /// The whole-miter DRAT route (`--certify-drat`): what was written.
    public var drat: String?
    /// `--certify FILE`: the certificate written (absent when undecided: no file).
    public var certificate: String?
    public var stats: CheckStatsReport

    public struct Compared: Codable, Sendable, Equatable {
        public var a: [String]
        public var b: [String]
        public init(a: [String], b: [String]) { self.a = a; self.b = b }
    }

    public init(first: String, second: String, result: CheckResult, stats s: EquivalenceChecker.Stats, compared: Compared) {
        self.first = first; self.second = second
        verdict = Verdict(result)
        decidedBy = s.decidedBy
        switch result {
        case .equivalent: break
        case .notEquivalent(let cex): counterexample = CounterexampleReport(cex)
        case .undecided(let why, let open): reason = why; openOutputs = open
        }
        self.compared = compared
        registers = s.registers.map(RegistersReport.init)
        stats = CheckStatsReport(s)
    }
}

public struct CounterexampleReport: Codable, Sendable, Equatable {
    /// The input vector in each circuit's own input order (then its latches' current states),
    /// as 0/1 text that `miter sim --vectors` replays.
    public var vectorFirst: String
    public var vectorSecond: String
    /// Shared input name → 0/1.
    public var inputs: [String: Int]
    public var differences: [Difference]
    /// Sequential circuits: register current states the vector assumes.
    public var assumedStates: [String: Int]

    public struct Difference: Codable, Sendable, Equatable {
        public var output: String
        public var first: Int
        public var second: Int
    }

    public init(_ cex: Counterexample) {
        func bits(_ v: [Bool]) -> String { String(v.map { $0 ? "1" : "0" }) }
        vectorFirst = bits(cex.inputsA); vectorSecond = bits(cex.inputsB)
        var named: [String: Int] = [:]
        for (n, v) in zip(cex.inputNames, cex.inputs) where named[n] == nil { named[n] = v ? 1 : 0 }
        inputs = named
        differences = cex.differences.map { Difference(output: $0.output, first: $0.valueA ? 1 : 0, second: $0.valueB ? 1 : 0) }
        var states: [String: Int] = [:]
        for s in cex.assumedStates where states[s.register] == nil { states[s.register] = s.value ? 1 : 0 }
        assumedStates = states
    }
}

public struct RegistersReport: Codable, Sendable, Equatable {
    public var paired: Int
    public var byName: Int
    public var bySignature: Int
    public var byPosition: Int
    public var unmatchedFirst: [String]
    public var unmatchedSecond: [String]
    public var initialValueMismatches: [String]
    public var pairs: [Pair]
    public var stats: RegisterMatching.Stats

    public struct Pair: Codable, Sendable, Equatable {
        public var first: String
        public var second: String
        public var by: RegisterMatching.Method
    }

    public init(_ r: RegisterMatching) {
        paired = r.pairs.count
        byName = r.count(.name); bySignature = r.count(.signature); byPosition = r.count(.position)
        unmatchedFirst = r.unmatchedNamesA; unmatchedSecond = r.unmatchedNamesB
        initialValueMismatches = r.resetMismatches.map { r.pairs[$0].nameA }
        pairs = r.pairs.map { Pair(first: $0.nameA, second: $0.nameB, by: $0.method) }
        stats = r.stats
    }
}

/// The checker's `Stats` as reported (times in seconds).
public struct CheckStatsReport: Codable, Sendable, Equatable {
    public var inputs, outputs, miterAnds, outputsEqualAfterHashing, latchesCut: Int
    public var simulationSeconds, exhaustiveSeconds, bddSeconds, sweepSeconds, outputSeconds, totalSeconds, portfolioSeconds: Double
    public var bddNodes, simulationRounds, classes, candidatePairs, nodesMerged, localProofs, localRefutations, cutProofs: Int
    public var justifiedRefutations, solverRecycles, quickPassesAbandoned, reusedMerges, fraigAnds: Int
    public var satCalls, sat, unsat, budgetOut: Int
    public var satEngine: String
    public var jobs, builtinCalls, cadicalCalls, z3Calls: Int
    /// Only with `--certify` (see `Stats.certificateSeconds`).
    public var certificateSeconds: Double?

    public init(_ s: EquivalenceChecker.Stats) {
        inputs = s.inputs; outputs = s.outputs; miterAnds = s.miterAnds
        outputsEqualAfterHashing = s.outputsProvedStructurally; latchesCut = s.latchesCut
        simulationSeconds = s.simulationSeconds; exhaustiveSeconds = s.exhaustiveSeconds; bddSeconds = s.bddSeconds
        sweepSeconds = s.sweepSeconds; outputSeconds = s.outputSeconds; totalSeconds = s.totalSeconds
        portfolioSeconds = s.portfolioSeconds
        certificateSeconds = s.certificateSeconds > 0 ? s.certificateSeconds : nil
        bddNodes = s.bddNodes; simulationRounds = s.simulationRounds; classes = s.classes
        candidatePairs = s.candidatePairs; nodesMerged = s.nodesMerged; localProofs = s.localProofs
        localRefutations = s.localRefutations; cutProofs = s.cutProofs; justifiedRefutations = s.justifiedRefutations
        solverRecycles = s.solverRecycles; quickPassesAbandoned = s.quickPassesAbandoned; reusedMerges = s.reusedMerges
        fraigAnds = s.fraigAnds
        satCalls = s.satCalls; sat = s.satSat; unsat = s.satUnsat; budgetOut = s.satUnknown
        satEngine = s.satEngine; jobs = s.jobs
        builtinCalls = s.builtinCalls; cadicalCalls = s.cadicalCalls; z3Calls = s.z3Calls
    }
}

/// What `miter certify-check --json` prints (schema `miter.certify_check.v1`).
public struct CertifyCheckReport: Codable, Sendable, Equatable {
    public var schema = JSONReport.schema("certify_check")
    public var file: String
    /// holds, fails or undecided.
    public var result: CertificateChecker.Report.Verdict
    /// The certificate's own claim.
    public var claim: Verdict
    public var circuitA: String
    public var circuitB: String
    public var failedLemma: Int?
    public var reason: String?
    public var lemmas, z3Proofs, cutHintProofs, windowProofs, structural, workers: Int
    public var z3Seconds, totalSeconds: Double
    public var slowest: [CertificateChecker.LemmaTime]
    /// A counterexample certificate: the miter outputs it sets to 1.
    public var differingOutputs: [Int]
    /// `--circuits A B`: the miter was rebuilt from the two files and found identical.
    public var circuitsChecked: Bool

    public init(file: String, certificate: Certificate, result r: CertificateChecker.Report, circuitsChecked: Bool) {
        self.file = file
        result = r.verdict
        claim = certificate.verdict == .equivalent ? .equivalent : .notEquivalent
        circuitA = certificate.circuitA; circuitB = certificate.circuitB
        failedLemma = r.failedLemma; reason = r.reason
        lemmas = r.lemmas; z3Proofs = r.z3Proofs; cutHintProofs = r.cutHintProofs; windowProofs = r.windowProofs; structural = r.structural
        workers = r.workers; z3Seconds = r.z3Seconds; totalSeconds = r.seconds
        slowest = r.slowest
        differingOutputs = r.differingOutputs
        self.circuitsChecked = circuitsChecked
    }
}
