import AIG

/// What `miter decode --json` prints (schema `miter.decode.v1`).
public struct DecodeReport: Codable, Sendable, Equatable {
    public var schema = JSONReport.schema("decode")
    public var target: String
    public var inputs, outputs: Int
    /// The source circuit's ANDs (absent for truth-table targets) and the result's.
    public var andsBefore: Int?
    public var andsAfter: Int
    public var depth: Int
    public var strategy: String
    public var policy: String
    /// Always true: the result equals every target on all minterms (exhaustive simulation).
    public var verified = true
    public var steps, rollouts: Int
    public var seconds: Double
    public var output: String?
    /// From a circuit (never worse than the source): the budgets and each round's ANDs.
    public var maxAnds: Int?
    public var maxTokens: Int?
    public var budgetDropped: Bool?
    public var strategyAnds: Int?
    public var replayAnds: Int?
    public var replayChosen: Bool?
    public var roundAnds: [Int]?
    /// ANDs of the source after the synthesis script, when it made the source smaller.
    public var optimizedAnds: Int?
    /// The token work of one round was over `DecodeParams.neverWorseTokenWork`: the result is the optimised source's replay.
    public var strategySkipped: Bool?
    /// `--tokens`: the token sequence.
    public var tokens: [Int]?

    public init(target: String, inputs: Int, outputs: Int, andsBefore: Int?, result: DecodeResult, strategy: String,
                policy: String, output: String?, neverWorse n: NeverWorseReport?, tokens: Bool) {
        self.target = target; self.inputs = inputs; self.outputs = outputs
        self.andsBefore = andsBefore; andsAfter = result.andCount; depth = result.depth
        self.strategy = strategy; self.policy = policy
        steps = result.stats.steps; rollouts = result.stats.rollouts; seconds = result.stats.seconds
        self.output = output
        if let n {
            maxAnds = n.maxAnds; maxTokens = n.maxTokens; budgetDropped = n.budgetDropped
            strategyAnds = n.strategyAnds; replayAnds = n.replayAnds; replayChosen = n.replayChosen; roundAnds = n.roundAnds
            optimizedAnds = n.optimizedAnds
            strategySkipped = n.strategySkipped
        }
        if tokens { self.tokens = result.tokens.map { Int($0) } }
    }
}
