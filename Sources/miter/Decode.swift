import AIG
import AIGFormats
import ArgumentParser
import Decoder
import Foundation
import Simulation

extension DecodeStrategy: ExpressibleByArgument {}

struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rewrite a circuit token by token with the equivalence-preserving decoder.",
        discussion: """
        TARGET is a circuit file (its outputs become the targets, ≤ 16 inputs) or a truth-table \
        file (.tt: one hexadecimal truth table per line, most significant digit first, as ABC \
        prints them; '#' starts a comment). Every token the decoder accepts keeps the circuit \
        completable within the budgets, so decoding always finishes; the result is verified by \
        exhaustive simulation before it is written.
        --serve speaks the JSON-lines protocol of examples/decode_client.py on stdin/stdout: \
        the decoder sends {"type":"step",...,"legal":[ids],"on":hex,"off":hex}, the model answers \
        {"token":id} or {"scores":[...]}; see README.
        --serve --batch holds many states in one process (open, step, view, clone, drop, result, \
        close requests; masks packed as hex bits; every core used); see README, "Batched serving".
        Exit codes: 0 ok, 2 error.
        """)

    @Argument(help: "Target circuit or truth-table file (optional with --serve: then the first request line gives the targets).")
    var target: String?

    @Option(name: .shortAndLong, help: "Write the decoded circuit here (.aag/.aig/.v).")
    var output: String?

    @Option(help: "greedy, sample, beam or mcts.")
    var strategy: DecodeStrategy = .greedy

    @Option(help: "Policy: heuristic (ISF heuristic), uniform, or replay (follow TARGET's own structure).")
    var policy: String = "heuristic"

    @Option(help: "MCTS playouts per decision.")
    var playouts: Int = 100

    @Option(help: "Beam width.")
    var beam: Int = 4

    @Option(help: "Sampling temperature.")
    var temperature: Double = 1.0

    @Option(help: "Random seed (sample, mcts).")
    var seed: UInt64 = 1

    @Option(help: "Largest AND count allowed (refused up front when it cannot be guaranteed).")
    var maxAnds: Int?

    @Option(help: "Largest depth allowed (default: max(source depth, 2n) + 2n).")
    var maxDepth: Int?

    @Option(help: "Longest token sequence allowed, EOS included (default from a circuit: 4x the source's own sequence).")
    var maxTokens: Int?

    @Option(help: "How beam and mcts value a state: policy (complete it greedily with the policy) or guarantee (the guaranteed completion, which follows TARGET's structure when TARGET is a circuit; much cheaper). Default: guarantee for a circuit TARGET, policy for truth tables.")
    var rollout: String?

    @Option(help: "From a circuit: most decoding rounds, each guided by the previous result (default 8 for greedy and sample, 1 for beam and mcts).")
    var rounds: Int?

    @Flag(help: "From a circuit: decode from the circuit as given, without optimising it first (rewriting with exact 4-input structures, resubstitution, refactoring, and a walk over LUT covers and rebalancings).")
    var noOptimize = false

    @Option(help: "From a circuit: restarts of the optimiser's walk over restructurings (default 400, fewer on circuits over 50 ANDs; 0: rounds of the passes only; about 1.6 ms each on an 8-input circuit of 25 ANDs).")
    var restarts: Int?

    @Option(help: "Care sets: a truth-table file with one line per output (1 = care).")
    var care: String?

    @Flag(help: "Print the token sequence.")
    var tokens = false

    @Flag(help: "Serve external models over JSON lines on stdin/stdout.")
    var serve = false

    @Flag(help: "With --serve: many decoding states in one process (batched protocol).")
    var batch = false

    @Option(help: "With --serve --batch: vocabulary of this many inputs for every state (default: the first open's largest input count).")
    var vocabInputs: Int?

    @Flag(help: "Print a JSON object.")
    var json = false

    @OptionGroup var read: ReadOptionGroup

    func validate() throws {
        if !serve && target == nil { throw ValidationError("missing TARGET") }
        if batch && !serve { throw ValidationError("--batch needs --serve") }
        if batch && target != nil { throw ValidationError("--serve --batch takes its targets from 'open' requests, not TARGET") }
        if let v = vocabInputs, !(0...16).contains(v) { throw ValidationError("--vocab-inputs must be 0...16") }
        if let r = restarts, r < 0 { throw ValidationError("--restarts must be 0 or more") }
        if playouts < 1 { throw ValidationError("--playouts must be at least 1") }
        if beam < 1 { throw ValidationError("--beam must be at least 1") }
        if !(temperature > 0) { throw ValidationError("--temperature must be positive") }
        if !["heuristic", "uniform", "replay"].contains(policy) { throw ValidationError("--policy must be heuristic, uniform or replay") }
        if let rollout, Rollout(rawValue: rollout) == nil { throw ValidationError("--rollout must be policy or guarantee") }
    }

    func run() throws {
        if serve && batch { return BatchServer.run(vocabularyInputs: vocabInputs, parseTable: parseHexTable) }
        if serve { return try reportingErrors { try runServer() } }
        guard let target else { try fail("missing TARGET") }
        let (targets, source) = try reportingErrors { try loadTargets(target) }
        if policy == "replay" && source == nil { try fail("--policy replay needs a circuit TARGET, not a truth table") }
        var params = DecodeParams()
        params.strategy = strategy
        params.playouts = playouts
        params.beamWidth = beam
        params.temperature = temperature
        params.seed = seed
        params.neverWorseRounds = rounds.map { max(1, $0) }
        if noOptimize { params.optimization = nil }
        if let r = restarts {
            params.optimization?.restarts = r
            params.roundRestarts = min(params.roundRestarts, r)
        }
        params.rollout = rollout.flatMap(Rollout.init(rawValue:))
        // Without --max-depth each round's default comes from its own source's depth (decodeNeverWorse).
        params.budget = DecoderBudget(maxAnds: maxAnds, maxDepth: maxDepth ?? (source == nil || policy == "replay" ? DecoderBudget.defaultDepth(inputs: targets.inputCount, sourceDepth: source?.depth() ?? 0) : nil),
                                      maxTokens: maxTokens)
        // From a circuit, the result is never larger than replaying the
        // circuit itself, and the circuit's AND count is the default budget.
        func run<P: Policy>(_ p: inout P) throws -> (DecodeResult, NeverWorseReport?) {
            guard let source, policy != "replay" else {
                var q = params
                // Truth-table targets: steps bounded by 4x the guaranteed completion's sequence.
                if source == nil { q.budget = try filledBudget(q.budget, targets, guide: nil, sourceAnds: nil, tokenFactor: q.neverWorseTokenFactor) }
                return (try decode(targets, policy: &p, params: q), nil)
            }
            let (r, n) = try decodeNeverWorse(targets, source: source, policy: &p, params: params)
            return (r, n)
        }
        let (result, neverWorse): (DecodeResult, NeverWorseReport?) = try reportingErrors {
            switch policy {
            case "uniform": var p = UniformPolicy(); return try run(&p)
            case "replay": var p = try ReplayPolicy(aig: source ?? AIG()); return try run(&p)
            default: var p = HeuristicPolicy(); return try run(&p)
            }
        }
        if let output {
            try reportingErrors {
                let format = CircuitFormat(path: output) ?? .aigerBinary
                try CircuitIO.write(result.aig, to: output, format: format == .aigerASCII ? .aigerASCII : format == .verilog ? .verilog : .aigerBinary)
            }
        }
        let before = source.map { String($0.andCount) } ?? "-"
        let minterms = 1 << targets.inputCount
        if json {
            print(JSONReport.encode(DecodeReport(target: target, inputs: targets.inputCount, outputs: targets.outputCount,
                                                 andsBefore: source?.andCount, result: result, strategy: strategy.rawValue,
                                                 policy: policy, output: output, neverWorse: neverWorse, tokens: tokens)))
        } else {
            print("decoded \(target): \(targets.inputCount) inputs, \(targets.outputCount) output\(targets.outputCount == 1 ? "" : "s")")
            print("  ANDs: \(before) before, \(result.andCount) after (strategy \(strategy.rawValue), policy \(policy)); depth \(result.depth); \(result.tokens.count) tokens in \(seconds(result.stats.seconds))")
            if let n = neverWorse {
                let budget = n.budgetDropped ? "no AND budget (the source's count is below the decoder's guaranteed completion)" : "AND budget \(n.maxAnds.map(String.init) ?? "none")\(maxAnds == nil ? (n.optimizedAnds == nil ? " (the source's count)" : " (the optimised circuit's count)") : "")"
                let replayed = n.optimizedAnds == nil ? "the source" : "the optimised circuit"
                let replay = n.replayAnds.map { n.replayChosen ? "replaying \(replayed) gave \($0), kept instead of the strategy's \(n.strategyAnds)" : "replaying \(replayed) gives \($0)" } ?? "replaying \(replayed) does not fit the budget"
                let tokenBudget = n.maxTokens.map { "token budget \($0)\(maxTokens == nil ? (n.optimizedAnds == nil ? " (4x the source's sequence)" : " (4x the optimised circuit's sequence)") : "")" } ?? "no token budget"
                if let o = n.optimizedAnds { print("  optimised first (rewriting with exact 4-input structures, resubstitution, refactoring, a walk over restructurings): \(source?.andCount ?? 0) → \(o) ANDs; that circuit guides and bounds the decoding") }
                print("  \(budget), \(tokenBudget); \(replay)")
                if n.strategySkipped { print("  the strategy did not run: the token budget is over the decoder's token work (\(DecodeParams().neverWorseTokenWork) tokens); the result is the optimised circuit") }
                if n.roundAnds.count > 1 { print("  rounds, each guided by the previous result: \(n.roundAnds.map(String.init).joined(separator: " → ")) ANDs") }
            }
            print("  verified: every output equals its target on all \(minterms) minterms\(targets.care == nil ? "" : " of its care set") (exhaustive simulation)")
            if tokens { print("  tokens: " + TokenCodec.text(result.tokens)) }
            if let output { print("  wrote \(output)") }
        }
    }

    /// Targets from a circuit or a truth-table file, with the circuit when there is one.
    func loadTargets(_ path: String) throws -> (DecoderTargets, AIG?) {
        let careTables = try care.map { try readTruthTables($0) }
        if path.hasSuffix(".tt") || path.hasSuffix(".truth") {
            let tts = try readTruthTables(path)
            return (try DecoderTargets(functions: tts, care: careTables), nil)
        }
        let aig = try loadCircuit(path, try read.readOptions)
        guard aig.isCombinational else { throw ValidationError("\(path): the decoder handles combinational circuits (this one has \(aig.latchCount) latches)") }
        guard aig.inputCount <= 16 else { throw ValidationError("\(path): \(aig.inputCount) inputs; the decoder handles at most 16") }
        guard aig.outputCount > 0 else { throw ValidationError("\(path): no outputs") }
        return (try DecoderTargets(aig: aig, care: careTables), aig)
    }

    func readTruthTables(_ path: String) throws -> [TruthTable] {
        let text = String(decoding: try CircuitIO.readBytes(path: path), as: UTF8.self)
        var tables: [TruthTable] = []
        for (k, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if line.isEmpty { continue }
            guard let t = parseHexTable(line) else {
                throw ValidationError("\(path):\(k + 1): expected a hexadecimal truth table of 1, 2, 4, ... 16384 digits (2^n/4 digits for n inputs)")
            }
            if let first = tables.first, first.inputCount != t.inputCount {
                throw ValidationError("\(path):\(k + 1): \(t.inputCount) inputs, earlier lines have \(first.inputCount)")
            }
            tables.append(t)
        }
        if tables.isEmpty { throw ValidationError("\(path): no truth tables") }
        return tables
    }

    func parseHexTable(_ s: String) -> TruthTable? {
        var digits = s
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits.removeFirst(2) }
        let count = digits.count
        for n in 2...16 where (1 << n) / 4 == count { return TruthTable(hex: digits, inputCount: n) }
        return count == 1 ? TruthTable(hex: digits, inputCount: 2) : nil
    }

    // MARK: - JSON-lines server

    func send(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    func runServer() throws {
        var targets: DecoderTargets
        var source: AIG? = nil
        var budget = DecoderBudget(maxAnds: maxAnds, maxDepth: maxDepth)
        if let target {
            (targets, source) = try loadTargets(target)
        } else {
            guard let line = readLine(strippingNewline: true) else { throw ValidationError("--serve: no start request on stdin") }
            guard let obj = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                  let hexes = obj["targets"] as? [String], !hexes.isEmpty else {
                throw ValidationError("--serve: the first line must be {\"targets\": [hex, ...], \"care\": [hex, ...]?, \"max_ands\": n?, \"max_depth\": n?}")
            }
            var tts: [TruthTable] = []
            for h in hexes {
                guard let t = parseHexTable(h) else { throw ValidationError("--serve: bad truth table '\(h)'") }
                tts.append(t)
            }
            var careTables: [TruthTable]? = nil
            if let c = obj["care"] as? [String] {
                careTables = try c.map { h in
                    guard let t = parseHexTable(h) else { throw ValidationError("--serve: bad care set '\(h)'") }
                    return t
                }
            }
            targets = try DecoderTargets(functions: tts, care: careTables)
            if let a = obj["max_ands"] as? Int { budget.maxAnds = a }
            if let d = obj["max_depth"] as? Int { budget.maxDepth = d }
        }
        if budget.maxDepth == nil { budget.maxDepth = DecoderBudget.defaultDepth(inputs: targets.inputCount, sourceDepth: source?.depth() ?? 0) }
        var state: DecoderState
        do { state = try DecoderState(targets: targets, budget: budget) } catch {
            send(["type": "error", "message": "\(error)", "fatal": true]); throw ExitCode(MiterExit.error)
        }
        let vocab = (0..<state.vocabularySize).map(Vocabulary.name)
        send(["type": "start", "inputs": targets.inputCount, "outputs": targets.outputCount, "vocabulary": vocab,
              "max_depth": state.maxDepth, "max_ands": state.maxAnds as Any? ?? NSNull()])
        while !state.isComplete {
            let legal = state.legalTokens()
            let req = state.slotRequirement()
            send(["type": "step", "step": state.tokens.count, "legal": legal, "output": req?.output ?? state.outputCount,
                  "level": req?.level ?? 0, "left_child": req?.isLeftChild ?? false,
                  "on": req?.on.hex ?? "", "off": req?.off.hex ?? "", "ands": state.andCount])
            guard let line = readLine(strippingNewline: true) else { throw ValidationError("--serve: the model closed stdin before the circuit was complete") }
            guard let obj = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                send(["type": "error", "message": "expected a JSON object {\"token\": id} or {\"scores\": [...]}"]); continue
            }
            var token: Int? = obj["token"] as? Int
            if token == nil, let scores = obj["scores"] as? [Double] {
                guard scores.count == state.vocabularySize else {
                    send(["type": "error", "message": "scores must have \(state.vocabularySize) entries"]); continue
                }
                token = legal.max { scores[$0] < scores[$1] }
            }
            guard let t = token else { send(["type": "error", "message": "expected {\"token\": id} or {\"scores\": [...]}"]); continue }
            do { state = try state.applying(t) } catch {
                send(["type": "error", "message": "\(error)"]); continue
            }
        }
        let aig = try state.aig(outputNames: targets.outputNames)
        try verifyDecoded(aig, targets)
        if let output {
            let format = CircuitFormat(path: output) ?? .aigerBinary
            try CircuitIO.write(aig, to: output, format: format == .aigerASCII ? .aigerASCII : .aigerBinary)
        }
        send(["type": "done", "ands": state.andCount, "depth": state.depthUsed, "tokens": state.tokens, "verified": true,
              "ands_before": source.map { $0.andCount as Any } ?? NSNull(),
              "aag": String(decoding: AIGERWriter.ascii(aig), as: UTF8.self)])
    }
}
