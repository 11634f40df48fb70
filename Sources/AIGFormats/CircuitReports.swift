import AIG

/// One circuit as `miter stats --json` reports it (an array of these; schema `miter.stats.v1`).
public struct StatsReport: Codable, Sendable, Equatable {
    public var schema = JSONReport.schema("stats")
    public var file: String
    public var inputs, outputs, latches, ands: Int
    /// AND depth.
    public var levels: Int
    /// AIGER 1.9 property sections, present only when the circuit has them.
    public var bad, constraints, justice, fairness: Int?

    public init(file: String, aig: AIG) {
        self.file = file
        inputs = aig.inputCount; outputs = aig.outputCount; latches = aig.latchCount; ands = aig.andCount
        levels = aig.depth()
        func count(_ s: CircuitSection) -> Int? {
            let n = s == .justice ? aig.justice.count : aig.itemCount(s)
            return n > 0 ? n : nil
        }
        bad = count(.bad); constraints = count(.constraints); justice = count(.justice); fairness = count(.fairness)
    }
}

/// `miter sim --json` (schema `miter.sim.v1`): the circuit's port names and one row per vector.
public struct SimReport: Codable, Sendable, Equatable {
    public var schema = JSONReport.schema("sim")
    public var file: String
    public var inputs: [String]
    public var latches: [String]
    public var outputs: [String]
    public var results: [Row]

    public struct Row: Codable, Sendable, Equatable {
        /// Inputs as 0/1 text (then a space and the latch state for sequential circuits).
        public var vector: String
        /// Output values as 0/1 text, in output order.
        public var outputs: String
        /// Sequential circuits: next-state values as 0/1 text.
        public var next: String?
        public init(vector: String, outputs: String, next: String?) { self.vector = vector; self.outputs = outputs; self.next = next }
    }

    public init(file: String, aig: AIG, results: [Row]) {
        self.file = file
        func names(_ xs: [String?], _ prefix: String) -> [String] { xs.enumerated().map { $0.element ?? "\(prefix)\($0.offset)" } }
        inputs = names(aig.inputNames, "i"); latches = names(aig.latchNames, "l"); outputs = names(aig.outputNames, "o")
        self.results = results
    }
}
