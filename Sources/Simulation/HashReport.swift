import AIG

extension FunctionalHash {
    /// A 64-bit hash as 16 lowercase hex digits (the spelling of every report and of `bucketKey`).
    public static func hex(_ x: UInt64) -> String {
        let s = String(x, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// The key `miter dedup` buckets by, `"I/O/L/HASH"` (inputs, outputs, latches, circuit hash
    /// as 16 hex digits): circuits with different keys are never equivalent (under the same port
    /// matching), so a set partitioned by this key can be deduplicated partition by partition.
    public static func bucketKey(inputs: Int, outputs: Int, latches: Int, hash: UInt64) -> String {
        "\(inputs)/\(outputs)/\(latches)/\(hex(hash))"
    }

    public static func bucketKey(_ aig: AIG, hash: UInt64) -> String {
        bucketKey(inputs: aig.inputCount, outputs: aig.outputCount, latches: aig.latchCount, hash: hash)
    }
}

/// One circuit's functional hash, as `miter hash --json` (array) and `--jsonl` (one per line)
/// print it (schema `miter.hash.v1`, python/miter/schemas/hash.schema.json).
public struct HashRecord: Codable, Sendable, Equatable {
    public var schema = JSONReport.schema("hash")
    /// The circuit: its file, its JSONL "name", `FILE:LINE` or `<stdin>#K`.
    public var name: String
    /// Position of the circuit in the input set (0-based).
    public var index: Int
    public var inputs: Int
    public var outputs: Int
    public var latches: Int
    public var ands: Int
    /// The circuit hash, 16 lowercase hex digits.
    public var hash: String
    /// True when equal hashes mean equal functions (truth tables or BDDs).
    public var exact: Bool
    /// "exact" (truth tables), "bdd" or "patterns".
    public var method: String
    /// Random patterns simulated (0 when exact).
    public var patterns: Int
    /// `"I/O/L/HASH"`: what `miter dedup` buckets by (shuffle key for sharded dedup).
    public var bucket: String
    /// How ports were ordered for the hash: "names" (sorted by name) or "order" (by position).
    public var portOrder: String
    /// With `--outputs`: one signature per output, in hash order.
    public var outputHashes: [OutputHash]?

    public struct OutputHash: Codable, Sendable, Equatable {
        /// The output's position in the circuit.
        public var index: Int
        /// Its name (absent when unnamed).
        public var name: String?
        public var hash: String
        public init(index: Int, name: String?, hash: String) { self.index = index; self.name = name; self.hash = hash }
    }

    public init(name: String, index: Int, aig: AIG, result r: FunctionalHash.Result, byName: Bool, outputHashes: Bool) {
        self.name = name; self.index = index
        inputs = aig.inputCount; outputs = aig.outputCount; latches = aig.latchCount; ands = aig.andCount
        hash = FunctionalHash.hex(r.circuit)
        exact = r.exact
        method = r.method.rawValue
        patterns = r.patternCount
        bucket = FunctionalHash.bucketKey(aig, hash: r.circuit)
        portOrder = byName ? "names" : "order"
        if outputHashes {
            self.outputHashes = r.outputs.indices.map { k in
                let o = r.outputOrder[k]
                return OutputHash(index: o, name: aig.outputNames[o], hash: FunctionalHash.hex(r.outputs[k]))
            }
        }
    }
}
