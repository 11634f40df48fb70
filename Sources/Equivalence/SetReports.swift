import AIG
import Simulation

extension PortMatching.Mode {
    /// Whether a circuit's functional hash orders its ports by name under this mode:
    /// always for `.names`, never for `.order`, and for `.auto` when the circuit names
    /// every input and output uniquely (the checker then matches two such circuits by name).
    public func hashesByName(_ aig: AIG) -> Bool {
        switch self {
        case .names: true
        case .order: false
        case .auto: PortMatching.fullyNamed(aig)
        }
    }
}

/// What `miter dedup --json` prints (schema `miter.dedup.v1`, python/miter/schemas/dedup.schema.json).
public struct DedupReport: Codable, Sendable, Equatable {
    public var schema = JSONReport.schema("dedup")
    public var summary: DedupSummary
    /// Pairs the checker left undecided (or could not compare): never merged.
    public var undecidedPairs: [DedupUndecidedPair]
    /// Classes ordered by their first member (input order).
    public var classes: [DedupClassRecord]

    /// `names[i]` names circuit `i`; `readSeconds`/`writeSeconds` are the command's file time.
    public init(_ r: Dedup.Result, circuits: [AIG], names: [String], match: PortMatching.Mode,
                readSeconds: Double = 0, writeSeconds: Double = 0) {
        summary = DedupSummary(r, match: match, readSeconds: readSeconds, writeSeconds: writeSeconds)
        undecidedPairs = r.openPairs.map { DedupUndecidedPair($0, names: names) }
        classes = DedupClassRecord.all(r, circuits: circuits, names: names)
    }
}

public struct DedupSummary: Codable, Sendable, Equatable {
    public var circuits: Int
    public var classes: Int
    /// Distinct bucket keys (input, output, latch counts and hash).
    public var buckets: Int
    /// Classes beyond the first of their bucket: equal hashes, proved different.
    public var collisions: Int
    public var refutations: Int
    public var comparisons: Int
    public var satCalls: Int
    public var undecided: Int
    public var incomparable: Int
    /// Port matching of the hash and the checker: "auto", "names" or "order".
    public var match: String
    public var readSeconds: Double
    public var hashSeconds: Double
    public var proveSeconds: Double
    /// Writing `--out` representatives.
    public var writeSeconds: Double
    /// Read, hash, prove and write.
    public var totalSeconds: Double
    public var jobs: Int

    public init(_ r: Dedup.Result, match: PortMatching.Mode, readSeconds: Double = 0, writeSeconds: Double = 0) {
        let s = r.stats
        circuits = s.circuits; classes = s.classes; buckets = s.buckets; collisions = s.collisions
        refutations = s.refutations; comparisons = s.comparisons; satCalls = s.satCalls
        undecided = s.undecided; incomparable = s.incomparable; self.match = match.rawValue
        self.readSeconds = rounded6(readSeconds); hashSeconds = rounded6(s.hashSeconds); proveSeconds = rounded6(s.proveSeconds)
        self.writeSeconds = rounded6(writeSeconds)
        totalSeconds = rounded6(readSeconds + s.totalSeconds + writeSeconds)
        jobs = s.jobs
    }
}

public struct DedupUndecidedPair: Codable, Sendable, Equatable {
    /// The class representative compared (a name of the input set).
    public var a: String
    /// The circuit compared with it.
    public var b: String
    public var aIndex: Int
    public var bIndex: Int
    public var verdict: Verdict
    public var reason: String

    public init(_ p: Dedup.OpenPair, names: [String]) {
        a = names[p.a]; b = names[p.b]; aIndex = p.a; bIndex = p.b; verdict = .undecided; reason = p.reason
    }
}

/// One class of proved-equivalent circuits: an element of `DedupReport.classes` and one line
/// of `miter dedup --jsonl` (schema `miter.dedup_class.v1`).
///
/// Shards: circuits with different `bucket` keys are never compared, so a set partitioned by
/// `bucket` (whole buckets per shard, e.g. from `miter hash --jsonl`) can be deduplicated shard
/// by shard; the union of the shards' classes is the classes of the whole set. Classes are
/// deterministic: members in input order, classes ordered by their first member; a global
/// id is then (bucket, first member) in any fixed order.
public struct DedupClassRecord: Codable, Sendable, Equatable {
    public var schema = JSONReport.schema("dedup_class")
    /// Index of the class in this run (ordered by first member).
    public var `class`: Int
    public var size: Int
    public var representative: String
    public var representativeIndex: Int
    /// ANDs of the representative.
    public var representativeAnds: Int
    /// Member names in input order (the representative included).
    public var members: [String]
    /// Positions of the members in the input set.
    public var memberIndices: [Int]
    /// `"I/O/L/HASH"`: the bucket every member belongs to (as `miter hash --jsonl` prints it).
    public var bucket: String
    /// The members' functional hash (16 hex digits).
    public var hash: String
    public var inputs: Int
    public var outputs: Int
    public var latches: Int
    /// Undecided pairs with a member of this class (then it may be finer than the truth).
    public var undecided: Int

    enum CodingKeys: String, CodingKey {
        case schema, `class`, size, representative, representativeIndex, representativeAnds, members, memberIndices
        case bucket, hash, inputs, outputs, latches, undecided
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema); try c.encode(`class`, forKey: .class); try c.encode(size, forKey: .size)
        try c.encode(representative, forKey: .representative)
        try c.encode(representativeIndex, forKey: .representativeIndex); try c.encode(representativeAnds, forKey: .representativeAnds)
        try encodeList(members, &c, .members); try encodeList(memberIndices, &c, .memberIndices)
        try c.encode(bucket, forKey: .bucket); try c.encode(hash, forKey: .hash)
        try c.encode(inputs, forKey: .inputs); try c.encode(outputs, forKey: .outputs); try c.encode(latches, forKey: .latches)
        try c.encode(undecided, forKey: .undecided)
    }

    public static func all(_ r: Dedup.Result, circuits: [AIG], names: [String]) -> [DedupClassRecord] {
        var open = [Int](repeating: 0, count: r.classes.count)
        for p in r.openPairs {
            open[r.classOf[p.a]] += 1
            if r.classOf[p.b] != r.classOf[p.a] { open[r.classOf[p.b]] += 1 }
        }
        return r.classes.enumerated().map { k, c in
            let rep = circuits[c.representative]
            let h = r.hashes[c.members[0]]
            return DedupClassRecord(class: k, size: c.members.count, representative: names[c.representative],
                                    representativeIndex: c.representative, representativeAnds: rep.andCount,
                                    members: c.members.map { names[$0] }, memberIndices: c.members,
                                    bucket: FunctionalHash.bucketKey(rep, hash: h), hash: FunctionalHash.hex(h),
                                    inputs: rep.inputCount, outputs: rep.outputCount, latches: rep.latchCount,
                                    undecided: open[k])
        }
    }
}

/// What `miter pairs --json` prints (schema `miter.pairs.v1`, python/miter/schemas/pairs.schema.json).
public struct PairsSummary: Codable, Sendable, Equatable {
    public var schema = JSONReport.schema("pairs")
    public var pairs: Int
    public var equivalent: Int
    public var notEquivalent: Int
    /// Checks that gave no verdict (dropped, never labelled).
    public var undecidedDropped: Int
    /// Checks that contradicted the proved classes (a bug if ever non-zero; dropped).
    public var contradictions: Int
    public var checks: Int
    public var circuits: Int
    public var classes: Int
    /// Distinct circuits of the pairs: the tensors' graphs.
    public var graphs: Int
    public var match: String
    public var readSeconds: Double
    public var dedupSeconds: Double
    public var pairsSeconds: Double
    /// Encoding and writing --jsonl and --tensors.
    public var writeSeconds: Double
    public var totalSeconds: Double
    /// Files written (absent when not asked for).
    public var jsonl: String?
    public var tensors: String?

    public init(_ r: Pairs.Result, dedup: Dedup.Result, circuits: Int, graphs: Int, match: PortMatching.Mode,
                readSeconds: Double, writeSeconds: Double, jsonl: String?, tensors: String?) {
        pairs = r.pairs.count
        equivalent = r.pairs.filter { $0.label == 1 }.count
        notEquivalent = pairs - equivalent
        undecidedDropped = r.stats.undecided; contradictions = r.stats.contradictions; checks = r.stats.checks
        self.circuits = circuits; classes = dedup.stats.classes; self.graphs = graphs; self.match = match.rawValue
        self.readSeconds = rounded6(readSeconds); dedupSeconds = rounded6(dedup.stats.totalSeconds)
        pairsSeconds = rounded6(r.stats.seconds); self.writeSeconds = rounded6(writeSeconds)
        totalSeconds = rounded6(readSeconds + dedup.stats.totalSeconds + r.stats.seconds + writeSeconds)
        self.jsonl = jsonl; self.tensors = tensors
    }
}

/// One line of `miter pairs --jsonl` (schema `miter.pair.v1`). Bit vectors are JSON lists of
/// 0/1 (not strings: `pandas.read_json` would read "0101" as the number 101). `aGraph`/`bGraph`
/// index the tensors' graphs (`graph_names` in the tensor file names them).
public struct PairRecord: Codable, Sendable, Equatable {
    public var schema = JSONReport.schema("pair")
    /// Position of the pair in the file (0-based): the row of `pair_index` and `labels`.
    public var pair: Int
    public var aName: String
    public var bName: String
    /// Positions of the two circuits in the input set.
    public var aIndex: Int
    public var bIndex: Int
    public var aGraph: Int
    public var bGraph: Int
    /// 1 equivalent, 0 not equivalent.
    public var label: Int
    public var verdict: Verdict
    public var aInputs: [String]
    public var aOutputs: [String]
    public var bInputs: [String]
    public var bOutputs: [String]
    /// Not equivalent: the counterexample, one 0/1 per input of each circuit (null when equivalent).
    public var cexInputsA: [Int]?
    public var cexInputsB: [Int]?
    /// Not equivalent: the outputs that differ under it (empty when equivalent).
    public var cexOutputs: [Difference]
    public var solverSeconds: Double
    public var satCalls: Int
    public var decidedBy: String
    public var aAag: String
    public var bAag: String

    public struct Difference: Codable, Sendable, Equatable {
        public var output: String
        public var a: Int
        public var b: Int
        enum CodingKeys: String, CodingKey { case output, a, b }
    }

    enum CodingKeys: String, CodingKey {
        case schema, pair, aName, bName, aIndex, bIndex, aGraph, bGraph, label, verdict, aInputs, aOutputs, bInputs, bOutputs
        case cexInputsA, cexInputsB, cexOutputs, solverSeconds, satCalls, decidedBy, aAag, bAag
    }

    /// Every key is written, the counterexample's as null for equivalent pairs.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema); try c.encode(pair, forKey: .pair)
        try c.encode(aName, forKey: .aName); try c.encode(bName, forKey: .bName)
        try c.encode(aIndex, forKey: .aIndex); try c.encode(bIndex, forKey: .bIndex)
        try c.encode(aGraph, forKey: .aGraph); try c.encode(bGraph, forKey: .bGraph)
        try c.encode(label, forKey: .label); try c.encode(verdict, forKey: .verdict)
        try encodeList(aInputs, &c, .aInputs); try encodeList(aOutputs, &c, .aOutputs)
        try encodeList(bInputs, &c, .bInputs); try encodeList(bOutputs, &c, .bOutputs)
        if let cexInputsA { try encodeList(cexInputsA, &c, .cexInputsA) } else { try c.encodeNil(forKey: .cexInputsA) }
        if let cexInputsB { try encodeList(cexInputsB, &c, .cexInputsB) } else { try c.encodeNil(forKey: .cexInputsB) }
        var diffs = c.nestedUnkeyedContainer(forKey: .cexOutputs)
        for d in cexOutputs {
            var o = diffs.nestedContainer(keyedBy: Difference.CodingKeys.self)
            try o.encode(d.output, forKey: .output); try o.encode(d.a, forKey: .a); try o.encode(d.b, forKey: .b)
        }
        try c.encode(solverSeconds, forKey: .solverSeconds); try c.encode(satCalls, forKey: .satCalls)
        try c.encode(decidedBy, forKey: .decidedBy)
        try c.encode(aAag, forKey: .aAag); try c.encode(bAag, forKey: .bAag)
    }

    public init(_ p: Pairs.Pair, index: Int, circuits: [AIG], names: [String], graphOf: [Int: Int], aag: (Int) -> String) {
        let a = circuits[p.a], b = circuits[p.b]
        func portNames(_ n: [String?], _ prefix: String) -> [String] { n.enumerated().map { $0.element ?? "\(prefix)\($0.offset)" } }
        pair = index
        aName = names[p.a]; bName = names[p.b]; aIndex = p.a; bIndex = p.b
        aGraph = graphOf[p.a] ?? -1; bGraph = graphOf[p.b] ?? -1
        label = p.label; verdict = p.label == 1 ? .equivalent : .notEquivalent
        aInputs = portNames(a.inputNames, "i"); aOutputs = portNames(a.outputNames, "o")
        bInputs = portNames(b.inputNames, "i"); bOutputs = portNames(b.outputNames, "o")
        if let c = p.counterexample {
            cexInputsA = c.inputsA.map { $0 ? 1 : 0 }; cexInputsB = c.inputsB.map { $0 ? 1 : 0 }
            cexOutputs = c.differences.map { Difference(output: $0.output, a: $0.valueA ? 1 : 0, b: $0.valueB ? 1 : 0) }
        } else {
            cexInputsA = nil; cexInputsB = nil; cexOutputs = []
        }
        solverSeconds = rounded6(p.seconds); satCalls = p.satCalls; decidedBy = p.decidedBy
        aAag = aag(p.a); bAag = aag(p.b)
    }
}

/// One line of `--progress json` on stderr (schema `miter.progress.v1`).
public struct ProgressFrame: Codable, Sendable, Equatable {
    public var schema = JSONReport.schema("progress")
    /// What is being counted: "reading", "hashing", "proving", "checking", "writing".
    public var phase: String
    public var done: Int
    public var total: Int
    /// Items per second since the phase began (null before a rate can be measured).
    public var rate: Double?
    /// Seconds left at that rate (null when unknown).
    public var etaS: Double?

    public init(phase: String, done: Int, total: Int, rate: Double?, etaS: Double?) {
        self.phase = phase; self.done = done; self.total = total; self.rate = rate; self.etaS = etaS
    }

    enum CodingKeys: String, CodingKey { case schema, phase, done, total, rate, etaS }

    /// Every key is written (rate and eta_s as null when unknown).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema); try c.encode(phase, forKey: .phase)
        try c.encode(done, forKey: .done); try c.encode(total, forKey: .total)
        try c.encode(rate, forKey: .rate); try c.encode(etaS, forKey: .etaS)
    }
}

/// A list of strings or integers through the encoder's non-generic `encode(String)` /
/// `encode(Int)` (an array's own `encode(to:)` goes through the generic path, with dynamic
/// casts per element: half the cost of a `miter pairs` JSONL row). Same JSON text.
func encodeList<K: CodingKey>(_ xs: [String], _ c: inout KeyedEncodingContainer<K>, _ key: K) throws {
    var u = c.nestedUnkeyedContainer(forKey: key)
    for x in xs { try u.encode(x) }
}

func encodeList<K: CodingKey>(_ xs: [Int], _ c: inout KeyedEncodingContainer<K>, _ key: K) throws {
    var u = c.nestedUnkeyedContainer(forKey: key)
    for x in xs { try u.encode(x) }
}

/// Seconds rounded to microseconds, as every report prints them.
func rounded6(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }
