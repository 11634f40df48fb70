import AIG
import Simulation

/// Typed errors of the decoder: bad targets, budgets that cannot be met,
/// illegal tokens and (never expected) failed verifications.
public enum DecoderError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooManyInputs(Int)
    case noOutputs
    case targetMismatch(String)
    case budgetTooSmall(maxAnds: Int?, maxDepth: Int, guaranteedAnds: Int, guaranteedDepth: Int, maxTokens: Int? = nil, guaranteedTokens: Int = 0)
    case illegalToken(token: Int, position: Int, reason: String)
    case notCombinational
    case tooManyTokens(limit: Int)
    case badTokens(String)
    case incomplete
    case verificationFailed(output: Int)

    public var description: String {
        switch self {
        case .tooManyInputs(let n): return "the decoder handles at most 16 inputs, the target has \(n)"
        case .noOutputs: return "the target has no outputs"
        case .targetMismatch(let s): return s
        case let .budgetTooSmall(a, d, ga, gd, t, gt):
            return "budget cannot be guaranteed: max ANDs \(a.map(String.init) ?? "none"), max depth \(d), max tokens \(t.map(String.init) ?? "none"); the guaranteed completion needs \(ga) ANDs, depth \(gd) and \(gt) tokens"
        case let .illegalToken(t, p, r): return "illegal token \(Vocabulary.name(t)) at position \(p): \(r)"
        case .notCombinational: return "the circuit has latches; the decoder handles combinational circuits"
        case .tooManyTokens(let l): return "token sequence longer than \(l)"
        case .badTokens(let s): return s
        case .incomplete: return "the decoder state is not complete"
        case .verificationFailed(let o): return "internal error: decoded output \(o) does not match its target"
        }
    }
}

/// The functions to decode: one exact truth table per output (≤ 16 inputs)
/// and optional care sets (a 0 bit is a don't-care minterm).
public struct DecoderTargets: Sendable, Equatable {
    public let inputCount: Int
    public let functions: [TruthTable]
    public let care: [TruthTable]?
    public var outputNames: [String?]

    public init(functions: [TruthTable], care: [TruthTable]? = nil, outputNames: [String?]? = nil) throws {
        guard let first = functions.first else { throw DecoderError.noOutputs }
        let n = first.inputCount
        guard n <= TruthTable.maxInputs else { throw DecoderError.tooManyInputs(n) }
        guard functions.allSatisfy({ $0.inputCount == n }) else { throw DecoderError.targetMismatch("target truth tables have different input counts") }
        if let care {
            guard care.count == functions.count else { throw DecoderError.targetMismatch("\(care.count) care sets for \(functions.count) outputs") }
            guard care.allSatisfy({ $0.inputCount == n }) else { throw DecoderError.targetMismatch("care sets must have \(n) inputs") }
        }
        inputCount = n
        self.functions = functions
        self.care = care
        self.outputNames = outputNames ?? Array(repeating: nil, count: functions.count)
    }

    /// The outputs of a combinational circuit with at most 16 inputs.
    public init(aig: AIG, care: [TruthTable]? = nil) throws {
        guard aig.isCombinational else { throw DecoderError.notCombinational }
        guard aig.inputCount <= TruthTable.maxInputs else { throw DecoderError.tooManyInputs(aig.inputCount) }
        guard let tts = TruthTable.of(aig) else { throw DecoderError.tooManyInputs(aig.inputCount) }
        if tts.isEmpty { throw DecoderError.noOutputs }
        try self.init(functions: tts, care: care, outputNames: aig.outputNames)
    }

    public var outputCount: Int { functions.count }
}

/// Budgets of a decoding: most AND nodes (after merging) and most levels.
public struct DecoderBudget: Sendable, Equatable {
    /// Largest AND count of the finished circuit; nil: unbounded.
    public var maxAnds: Int?
    /// Largest depth (AND levels) of every output tree; nil: `defaultDepth`.
    public var maxDepth: Int?
    /// Longest token sequence (EOS included); nil: unbounded (the depth cap still bounds it).
    public var maxTokens: Int?
    public init(maxAnds: Int? = nil, maxDepth: Int? = nil, maxTokens: Int? = nil) {
        self.maxAnds = maxAnds; self.maxDepth = maxDepth; self.maxTokens = maxTokens
    }

    /// Default depth: room for a source of depth `sourceDepth` plus the
    /// guaranteed completion (`2n` levels) below any of its slots.
    public static func defaultDepth(inputs n: Int, sourceDepth: Int = 0) -> Int { max(sourceDepth, 2 * n) + 2 * n }
}

/// The equivalence-preserving decoder state: a value type (flat arrays of
/// truth-table words, copy-on-write), so search can branch by copying.
///
/// ## Slots and their requirements
/// Decoding is pre-order. Every open slot carries an incompletely specified
/// function (ISF) `(on, off)`. An output slot requires the target on its care
/// set. An `AND` node `g = a ∧ b` whose own requirement is `(gOn, gOff)`
/// (complemented for `NAND`) gives its left child `(gOn, ∅)` and, once the left
/// child's function `a` is known, its right child `(gOn, gOff ∧ a)`: exactly the
/// functions that still complete the node. A leaf (literal or constant) is
/// locally legal iff it is 1 on `on` and 0 on `off`.
///
/// ## Merging
/// A finished node whose truth table (or its complement) already exists — an
/// input, a constant or an earlier node — is merged with it and costs no AND.
///
/// ## No dead end: the guaranteed completion π and its proof
/// π is a fixed deterministic policy (`completionDecision`): at a slot with
/// plan `P = (on, off)` it writes a leaf when one fits `P`, else, with a
/// guide (`DecoderGuide`, a known circuit such as the source), the first
/// guide node `v = a ∧ b` whose function or complement fits `P`, as `AND`
/// or `NAND` with the exact functions of `a` and `b` as its children's plans
/// (stronger than the actual requirements: `on ⊆ v ⊆ a, b` and
/// `off ∧ a ⊆ ¬b`, dually for `NAND`), else a Shannon
/// step on a variable `x` of `vars(P)` (the variables whose lifted cofactors
/// differ), preferring the highest `x` with a constant-fitting cofactor
/// (`AND(x, f1)`, `NAND(x, ¬f1)`, `AND(¬x, f0)`, `NAND(¬x, ¬f0)`, one AND) and
/// else the highest `x` (`NAND(NAND(x, f1), NAND(¬x, f0))`). A frame created by
/// π's own token stores π's plans for both children; every other frame stores
/// the slot's actual requirement as plan, and a right plan is kept only if the
/// finished left child satisfies π's left plan. Plans are always at least as
/// strong as the actual requirements (checked case by case in
/// `completionDecision`), so π's tokens are locally legal.
///
/// *Depth bound.* From a slot with plan `P`, π's subtree has depth ≤ 2·|vars(P)| + G
/// ≤ 2n + G, where `G` is the guide's depth (0 without one; a guide node's
/// subtree is made of guide nodes, one per function, so it has at most the
/// node's level): a one-AND step removes `x` from the plans below it; a general step's
/// children `NAND(x, f1)` have `x` as their highest variable with a constant
/// cofactor (all of `vars(f1)` are below `x`), so π removes `x` there with one
/// more AND level.
///
/// *Legality.* `Roll(s)` is the circuit π completes from `s`. A token `t` is
/// legal iff it is locally legal and `Roll(s·t)` meets the budget (uses ≤
/// `maxAnds` ANDs, places no AND at level ≥ `maxDepth`, writes ≤ `maxTokens`
/// tokens). When there is no AND budget this is decided without a rollout
/// whenever the deepest open slot after `t` is at a level `d` with
/// `d + 2n + G ≤ maxDepth` and (with a token budget, and no guide) the tokens so far plus
/// `T(n) = 6·2^n − 5` per open slot plus EOS fit (π writes at most `T(k)`
/// tokens below a slot with `k` plan variables: `T(k) = 5 + 2 T(k−1)`): then
/// `Roll(s·t)` meets the budgets by these bounds.
///
/// *Deciding it fast (same legality, no approximation).* (1) π's own token
/// needs no check: by the theorem below `Roll(s·π(s)) = Roll(s)`, which is
/// within budget in every reachable state. (2) Any other token's `Roll(s·t)`
/// is computed slot by slot (`rollout(after:)`), not token by token, and
/// without applying `t` to a copy of the state (its frame or leaf value is
/// simulated on scratch copies of the open frames, as `applyUnchecked` would
/// set them): what π writes below a slot is a pure function of the slot's
/// plan (its tokens, its depth, its value and the set of its nodes'
/// functions), memoised per plan in `PiCache` with the plan's words verified
/// on every hit. Completing a slot adds exactly those node functions that the
/// circuit and the rollout do not have yet (a hash set whose hits are
/// verified word by word; merging compares functions, so the order inside
/// the subtree does not matter), and open frames close and pass plans to
/// their right children as in `applyUnchecked`. So `rollout(after:)`
/// returns `Roll`'s AND count, depth and tokens exactly (tested against
/// applying the token and rolling out token by token, from random states),
/// and legality is unchanged.
///
/// *Theorem.* Every reachable incomplete state has a legal token, and every
/// completed circuit meets the budget. Proof: the initial state meets
/// `Roll(s0)` within budget, or `init` throws `budgetTooSmall`. Every legal step
/// keeps `Roll(s)` within budget by definition. In such a state, π's own token
/// `t* = π(s)` is locally legal, and `s·t*` is the first step of `Roll(s)`,
/// with the same stored plans, so `Roll(s·t*) = Roll(s)`, within budget: `t*`
/// is legal. A complete state is its own rollout. ∎ (Tested on random circuits
/// with random and adversarial legal tokens.)
public struct DecoderState: Sendable {
    public let inputCount: Int
    public let outputCount: Int
    /// Words per truth table.
    let W: Int
    let lastMask: UInt64
    let targetOn: [UInt64]     // outputCount * W
    let targetOff: [UInt64]
    public let maxAnds: Int?
    public let maxDepth: Int
    public let maxTokens: Int?
    /// Tokens written so far (counted in rollouts too).
    public private(set) var tokenCount = 0

    /// Tokens written so far (not recorded in internal rollouts).
    public private(set) var tokens: [Int] = []
    var record = true
    /// The output being written; `outputCount` once all are done.
    public private(set) var outputIndex = 0
    public private(set) var finished = false
    var outputLits: [Literal] = []

    // Distinct node functions (normalised: minterm 0 is 0) and their literals.
    var ands: [AndFanins] = []
    var nodeTT: [UInt64] = []
    var nodeLit: [Literal] = []
    var nodeHash: [UInt64] = []

    // Open frames (innermost last).
    /// `key`: `prefixHash` just after the frame's AND/NAND token (identifies the frame for policies' plans).
    struct Frame: Sendable { var nand: Bool; var level: Int32; var right: Bool; var planned: Bool; var leftLit: Literal; var key: UInt64 = 0 }
    var frames: [Frame] = []
    /// 7 W per frame: gOn, gOff, leftTT, leftPlanOn, leftPlanOff, rightPlanOn, rightPlanOff.
    var frameWords: [UInt64] = []
    /// Largest level at which an AND was placed, +1 (the depth so far).
    public private(set) var depthUsed = 0
    /// A hash of the targets and every token so far: identifies the state for
    /// policies that remember plans per frame (no effect on legality).
    public private(set) var prefixHash: UInt64 = 0
    /// π's subtrees per plan (pure, shared by all copies).
    let piCache: PiCache
    /// The known circuit π follows where one of its nodes fits (see `DecoderGuide`).
    public let guide: DecoderGuide?
    /// AND levels π may place below a slot beyond `2·|vars|`: the guide's depth.
    let guideDepth: Int
    /// ANDs, depth and tokens of the circuit π completes from the initial state.
    public private(set) var guaranteed: (ands: Int, depth: Int, tokens: Int) = (0, 0, 0)

    /// `cacheLimit`: π subtrees memoised (shared by the state's copies) before the memo is cleared.
    public init(targets: DecoderTargets, budget: DecoderBudget = DecoderBudget(), guide: DecoderGuide? = nil, cacheLimit: Int = 1 << 18) throws {
        piCache = PiCache(limit: cacheLimit)
        let n = targets.inputCount
        guard n <= TruthTable.maxInputs else { throw DecoderError.tooManyInputs(n) }
        if let guide, guide.inputCount != n { throw DecoderError.targetMismatch("the guide circuit has \(guide.inputCount) inputs, the targets \(n)") }
        self.guide = guide
        guideDepth = guide?.depth ?? 0
        inputCount = n
        outputCount = targets.outputCount
        W = Patterns.exhaustiveWordCount(inputs: n)
        lastMask = Patterns.exhaustiveMask(inputs: n)
        var on: [UInt64] = [], off: [UInt64] = []
        for (k, f) in targets.functions.enumerated() {
            let care = targets.care?[k].words ?? Array(repeating: lastMask, count: W)
            for w in 0..<W { on.append(f.words[w] & care[w]); off.append(~f.words[w] & care[w] & lastMask) }
        }
        targetOn = on; targetOff = off
        var h: UInt64 = 0x6a09_e667_f3bc_c908 ^ UInt64(n)
        for x in on { h = SplitMix64.mix(h ^ x) }
        for x in off { h = SplitMix64.mix(h ^ x) }
        prefixHash = h
        maxAnds = budget.maxAnds
        maxDepth = budget.maxDepth ?? DecoderBudget.defaultDepth(inputs: n)
        maxTokens = budget.maxTokens
        if let a = maxAnds, a < 0 { throw DecoderError.budgetTooSmall(maxAnds: a, maxDepth: maxDepth, guaranteedAnds: 0, guaranteedDepth: 0) }
        if maxDepth < 0 { throw DecoderError.budgetTooSmall(maxAnds: maxAnds, maxDepth: maxDepth, guaranteedAnds: 0, guaranteedDepth: 0) }
        // Seed the node table with the constant and the inputs.
        addNode(Array(repeating: 0, count: W), .false)
        for i in 0..<n { addNode((0..<W).map { Patterns.exhaustiveWord(input: i, word: $0) & lastMask }, Literal(variable: UInt32(i + 1))) }
        let roll = rollout(limitChecked: false)
        guaranteed = roll
        if roll.ands > (maxAnds ?? Int.max) || roll.depth > maxDepth || roll.tokens > (maxTokens ?? Int.max) {
            throw DecoderError.budgetTooSmall(maxAnds: maxAnds, maxDepth: maxDepth, guaranteedAnds: roll.ands, guaranteedDepth: roll.depth,
                                              maxTokens: maxTokens, guaranteedTokens: roll.tokens)
        }
    }

    // MARK: - Public queries

    public var vocabularySize: Int { Vocabulary.size(inputs: inputCount) }
    public var isComplete: Bool { finished }
    /// ANDs of the circuit so far (distinct functions only).
    public var andCount: Int { ands.count }
    /// Level of the current slot (0 at an output root).
    public var currentLevel: Int { frames.last.map { Int($0.level) + 1 } ?? 0 }

    /// The requirement of the current slot, usable as model features.
    public struct SlotRequirement: Sendable, Equatable {
        /// Minterms where the slot's function must be 1 / must be 0.
        public var on: TruthTable
        public var off: TruthTable
        public var output: Int
        public var level: Int
        /// Whether the slot is a left child (its `off` is always empty then).
        public var isLeftChild: Bool
    }

    /// The current slot's ISF; nil when all outputs are written.
    public func slotRequirement() -> SlotRequirement? {
        guard outputIndex < outputCount else { return nil }
        var on = [UInt64](repeating: 0, count: W), off = on
        currentISF(&on, &off)
        guard let a = TruthTable(inputCount: inputCount, words: on), let b = TruthTable(inputCount: inputCount, words: off) else { return nil }
        return SlotRequirement(on: a, off: b, output: outputIndex, level: currentLevel, isLeftChild: frames.last.map { !$0.right } ?? false)
    }

    /// One flag per token id: whether the token is legal now.
    public func legalMask() -> [Bool] {
        var mask = [Bool](repeating: false, count: vocabularySize)
        for t in legalTokens() { mask[t] = true }
        return mask
    }

    /// The legal token ids, ascending. Never empty before `EOS`; after it only `PAD`.
    public func legalTokens() -> [Int] {
        if finished { return [Vocabulary.pad] }
        if outputIndex == outputCount { return [Vocabulary.eos] }
        var on = [UInt64](repeating: 0, count: W), off = on
        currentISF(&on, &off)
        let level = currentLevel
        var pi: Int? = nil
        var scratch = RolloutScratch()
        var result: [Int] = []
        result.reserveCapacity(vocabularySize)
        // Constants.
        if isZero(on) && budgetAllows(Vocabulary.const0, level: level, pi: &pi, &scratch) { result.append(Vocabulary.const0) }
        if isZero(off) && budgetAllows(Vocabulary.const1, level: level, pi: &pi, &scratch) { result.append(Vocabulary.const1) }
        if level < maxDepth {
            if budgetAllows(Vocabulary.and, level: level, pi: &pi, &scratch) { result.append(Vocabulary.and) }
            if budgetAllows(Vocabulary.nand, level: level, pi: &pi, &scratch) { result.append(Vocabulary.nand) }
        }
        for i in 0..<inputCount {
            let (pos, neg) = literalFits(i, on, off)
            if pos && budgetAllows(Vocabulary.literal(i), level: level, pi: &pi, &scratch) { result.append(Vocabulary.literal(i)) }
            if neg && budgetAllows(Vocabulary.literal(i, negated: true), level: level, pi: &pi, &scratch) { result.append(Vocabulary.literal(i, negated: true)) }
        }
        return result
    }

    /// Whether `token` is legal now.
    public func isLegal(_ token: Int) -> Bool { legalTokens().contains(token) }

    /// The legal token with the highest score (`scores[t]`, ties to the lower
    /// id), checking the budget only for candidates in score order: the same
    /// token as the argmax over `legalTokens()`, usually with one budget check.
    public func bestLegalToken(scores: [Double]) -> Int {
        if finished { return Vocabulary.pad }
        if outputIndex == outputCount { return Vocabulary.eos }
        var on = [UInt64](repeating: 0, count: W), off = on
        currentISF(&on, &off)
        let level = currentLevel
        var pi: Int? = nil
        var scratch = RolloutScratch()
        var order = Array(2..<vocabularySize)
        order.sort { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        for t in order {
            let fits: Bool
            switch t {
            case Vocabulary.const0: fits = isZero(on)
            case Vocabulary.const1: fits = isZero(off)
            case Vocabulary.and, Vocabulary.nand: fits = level < maxDepth
            default:
                let (p, n) = literalFits((t - Vocabulary.firstLiteral) / 2, on, off)
                fits = (t - Vocabulary.firstLiteral) & 1 == 0 ? p : n
            }
            if fits && budgetAllows(t, level: level, pi: &pi, &scratch) { return t }
        }
        return completionToken()
    }

    /// The state after `token`; throws `illegalToken` when the mask forbids it.
    public func applying(_ token: Int) throws -> DecoderState {
        guard isLegal(token) else {
            throw DecoderError.illegalToken(token: token, position: tokens.count, reason: illegalReason(token))
        }
        var s = self
        s.applyUnchecked(token)
        return s
    }

    /// The token the guaranteed completion π writes now (always legal).
    public func completionToken() -> Int {
        if finished { return Vocabulary.pad }
        if outputIndex == outputCount { return Vocabulary.eos }
        var pOn = [UInt64](repeating: 0, count: W), pOff = pOn
        currentPlan(&pOn, &pOff)
        return piDecision(pOn, pOff).token
    }

    /// The circuit π would complete from here (the rollout behind the mask).
    public func completedByGuarantee() -> DecoderState {
        var s = self
        while !s.finished { s.applyUnchecked(s.completionToken()) }
        return s
    }

    /// The finished circuit (inputs, ANDs, outputs; output names from the targets when given).
    public func aig(outputNames: [String?]? = nil) throws -> AIG {
        guard finished else { throw DecoderError.incomplete }
        var g = AIG(inputCount: inputCount)
        g.ands = ands
        for (k, l) in outputLits.enumerated() { g.addOutput(l, name: outputNames?[k] ?? nil) }
        return g
    }

    // MARK: - Internals: ISFs and plans

    @inline(__always) func isZero(_ a: [UInt64]) -> Bool { for x in a where x != 0 { return false }; return true }

    @inline(__always) func varWord(_ i: Int, _ w: Int) -> UInt64 { Patterns.exhaustiveWord(input: i, word: w) & lastMask }

    func literalFits(_ i: Int, _ on: [UInt64], _ off: [UInt64]) -> (Bool, Bool) {
        var pos = true, neg = true
        for w in 0..<W {
            let x = varWord(i, w)
            if on[w] & ~x != 0 || off[w] & x != 0 { pos = false }
            if on[w] & x != 0 || off[w] & ~x & lastMask != 0 { neg = false }
            if !pos && !neg { break }
        }
        return (pos, neg)
    }

    func currentISF(_ on: inout [UInt64], _ off: inout [UInt64]) {
        guard let f = frames.last else {
            let b = outputIndex * W
            for w in 0..<W { on[w] = targetOn[b + w]; off[w] = targetOff[b + w] }
            return
        }
        let b = (frames.count - 1) * 7 * W
        for w in 0..<W {
            on[w] = frameWords[b + w]
            off[w] = f.right ? frameWords[b + W + w] & frameWords[b + 2 * W + w] : 0
        }
    }

    func currentPlan(_ on: inout [UInt64], _ off: inout [UInt64]) {
        guard let f = frames.last else { currentISF(&on, &off); return }
        let b = (frames.count - 1) * 7 * W + (f.right ? 5 : 3) * W
        for w in 0..<W { on[w] = frameWords[b + w]; off[w] = frameWords[b + W + w] }
    }

    /// π's decision for a plan: a leaf token, or AND/NAND with the children's plans.
    struct Decision: Sendable { var token: Int; var leftOn: [UInt64] = []; var leftOff: [UInt64] = []; var rightOn: [UInt64] = []; var rightOff: [UInt64] = [] }

    /// Lifted cofactor: the half of `a` with input `i` = `value`, copied to both halves.
    func cofactor(_ a: [UInt64], _ i: Int, _ value: Bool) -> [UInt64] {
        var r = a
        if i < 6 {
            let s = UInt64(1) << UInt64(i)
            let sel = Patterns.exhaustiveWord(input: i, word: 0)
            for w in 0..<W {
                let h = value ? (a[w] & sel) >> s : a[w] & ~sel
                r[w] = (h | h << s) & lastMask
            }
        } else {
            let step = 1 << (i - 6)
            for w in 0..<W { r[w] = a[value ? (w | step) : (w & ~step)] }
        }
        return r
    }

    /// Whether the lifted cofactors of `a` by input `i` differ, and whether each is zero.
    func cofactorStats(_ a: [UInt64], _ i: Int) -> (differ: Bool, zero0: Bool, zero1: Bool) {
        var differ = false, z0 = true, z1 = true
        if i < 6 {
            let s = UInt64(1) << UInt64(i)
            let sel = Patterns.exhaustiveWord(input: i, word: 0)
            for w in 0..<W {
                let h0 = a[w] & ~sel & lastMask, h1 = ((a[w] & sel) >> s) & lastMask
                if h0 != h1 { differ = true }
                if h0 != 0 { z0 = false }
                if h1 != 0 { z1 = false }
            }
        } else {
            let step = 1 << (i - 6)
            for w in 0..<W where w & step == 0 {
                if a[w] != a[w | step] { differ = true }
                if a[w] != 0 { z0 = false }
                if a[w | step] != 0 { z1 = false }
            }
        }
        return (differ, z0, z1)
    }

    func completionDecision(_ on: [UInt64], _ off: [UInt64]) -> Decision {
        if isZero(on) { return Decision(token: Vocabulary.const0) }
        if isZero(off) { return Decision(token: Vocabulary.const1) }
        for i in 0..<inputCount {
            let (pos, neg) = literalFits(i, on, off)
            if pos { return Decision(token: Vocabulary.literal(i)) }
            if neg { return Decision(token: Vocabulary.literal(i, negated: true)) }
        }
        // A guide node that fits: its own structure, children planned as its exact fanin functions.
        if let guide, let (k, complemented) = guide.fitting(on, off) {
            let f = guide.fanins[k]
            let (lOn, lOff) = guide.exact(f.left), (rOn, rOff) = guide.exact(f.right)
            return Decision(token: complemented ? Vocabulary.nand : Vocabulary.and, leftOn: lOn, leftOff: lOff, rightOn: rOn, rightOff: rOff)
        }
        // Shannon step. vars(P): inputs whose lifted cofactors differ.
        var best: (i: Int, form: Int, c: ([UInt64], [UInt64], [UInt64], [UInt64]))? = nil
        var highest: (i: Int, c: ([UInt64], [UInt64], [UInt64], [UInt64]))? = nil
        var i = inputCount - 1
        var highestVar = -1
        while i >= 0 {
            // Allocation-free test first; the cofactors are built only for the chosen variable.
            let a = cofactorStats(on, i), b = cofactorStats(off, i)
            if a.differ || b.differ {
                if highestVar < 0 { highestVar = i }
                let form = a.zero0 ? 0 : b.zero0 ? 1 : a.zero1 ? 2 : b.zero1 ? 3 : -1
                if form >= 0 {
                    best = (i, form, (cofactor(on, i, false), cofactor(off, i, false), cofactor(on, i, true), cofactor(off, i, true)))
                    break
                }
            }
            i -= 1
        }
        if best == nil && highestVar >= 0 {
            let h = highestVar
            highest = (h, (cofactor(on, h, false), cofactor(off, h, false), cofactor(on, h, true), cofactor(off, h, true)))
        }
        let X: [UInt64]
        let nX: [UInt64]
        if let best {
            X = (0..<W).map { varWord(best.i, $0) }
            nX = X.map { ~$0 & lastMask }
            let (on0, off0, on1, off1) = best.c
            switch best.form {
            // f = x ∧ f1: plans are stronger than the actual slots because on ⊆ x.
            case 0: return Decision(token: Vocabulary.and, leftOn: X, leftOff: nX, rightOn: on1, rightOff: off1)
            // f = ¬x ∨ f1 = NAND(x, ¬f1): off ⊆ x.
            case 1: return Decision(token: Vocabulary.nand, leftOn: X, leftOff: nX, rightOn: off1, rightOff: on1)
            // f = ¬x ∧ f0.
            case 2: return Decision(token: Vocabulary.and, leftOn: nX, leftOff: X, rightOn: on0, rightOff: off0)
            // f = x ∨ f0 = NAND(¬x, ¬f0).
            default: return Decision(token: Vocabulary.nand, leftOn: nX, leftOff: X, rightOn: off0, rightOff: on0)
            }
        }
        // vars(P) is not empty: otherwise on and off would be constant and a constant would fit.
        guard let h = highest else { return Decision(token: Vocabulary.const0) }
        X = (0..<W).map { varWord(h.i, $0) }
        nX = X.map { ~$0 & lastMask }
        let (on0, off0, on1, off1) = h.c
        // f = NAND(t1, t0), t1 = NAND(x, f1) = ¬x ∨ ¬f1, t0 = NAND(¬x, f0) = x ∨ ¬f0.
        var lOn = [UInt64](repeating: 0, count: W), lOff = lOn, rOn = lOn, rOff = lOn
        for w in 0..<W {
            lOn[w] = nX[w] | (X[w] & off1[w]); lOff[w] = X[w] & on1[w]
            rOn[w] = X[w] | (nX[w] & off0[w]); rOff[w] = nX[w] & on0[w]
        }
        return Decision(token: Vocabulary.nand, leftOn: lOn, leftOff: lOff, rightOn: rOn, rightOff: rOff)
    }

    // MARK: - Budget checks

    /// Whether the budget still holds after `token` (local fit already checked);
    /// `pi`: π's token here, computed on first need; `scratch`: buffers shared by one mask's checks.
    func budgetAllows(_ token: Int, level: Int, pi: inout Int?, _ scratch: inout RolloutScratch) -> Bool {
        let isNode = token == Vocabulary.and || token == Vocabulary.nand
        if isNode && level >= maxDepth { return false }
        if maxAnds == nil {
            let deepest = isNode ? level + 1 : level
            var quick = deepest + 2 * inputCount + guideDepth <= maxDepth
            if quick, let maxTokens {
                // π writes at most T(n) = 6·2^n − 5 tokens per open slot (T(k) = 5 + 2 T(k−1), T(0) = 1);
                // a guide's subtrees can be longer, so with a guide the exact check decides.
                let open = openSlots + (isNode ? 1 : -1)
                let t = 6 * (1 << inputCount) - 5
                quick = guide == nil && tokenCount + 1 + open * t + 1 <= maxTokens
            }
            if quick { return true }
        }
        // π's own token: Roll(s·π(s)) = Roll(s), within budget in every reachable state (the theorem above).
        if pi == nil { pi = completionToken() }
        if token == pi { return true }
        let r = rollout(after: token, limitChecked: true, &scratch)
        return r.ands <= (maxAnds ?? Int.max) && r.depth <= maxDepth && r.tokens <= (maxTokens ?? Int.max)
    }

    /// Open slots: the current one, pending right children, outputs not started.
    var openSlots: Int {
        guard outputIndex < outputCount else { return 0 }
        var n = 1 + (outputCount - outputIndex - 1)
        for f in frames where !f.right { n += 1 }
        return n
    }

    /// Completes a copy with π; returns its AND count and depth (stops early once over budget when `limitChecked`).
    func rollout(limitChecked: Bool) -> (ands: Int, depth: Int, tokens: Int) {
        var s = self
        s.record = false
        let limit = maxAnds ?? Int.max, tlimit = maxTokens ?? Int.max
        while !s.finished {
            s.applyUnchecked(s.completionToken())
            if limitChecked && (s.ands.count > limit || s.depthUsed > maxDepth || s.tokenCount > tlimit) { break }
        }
        return (s.ands.count, s.depthUsed, s.tokenCount)
    }

    func illegalReason(_ token: Int) -> String {
        if finished { return token == Vocabulary.pad ? "" : "the sequence is complete" }
        if outputIndex == outputCount { return "all outputs are written: only EOS is legal" }
        if token < 0 || token >= vocabularySize || token == Vocabulary.pad || token == Vocabulary.eos { return "not a node token here" }
        if token == Vocabulary.and || token == Vocabulary.nand {
            return currentLevel >= maxDepth ? "depth budget \(maxDepth) reached" : "the AND/depth budget could not be met after it"
        }
        var on = [UInt64](repeating: 0, count: W), off = on
        currentISF(&on, &off)
        let fits: Bool
        switch token {
        case Vocabulary.const0: fits = isZero(on)
        case Vocabulary.const1: fits = isZero(off)
        default:
            let (p, n) = literalFits((token - Vocabulary.firstLiteral) / 2, on, off)
            fits = (token - Vocabulary.firstLiteral) & 1 == 0 ? p : n
        }
        return fits ? "the AND/depth budget could not be met after it" : "disagrees with the slot's required function on a care minterm"
    }

    // MARK: - Transitions

    mutating func addNode(_ tt: [UInt64], _ lit: Literal) {
        let flip = tt[0] & 1 != 0
        var h: UInt64 = 0x1234_5678
        for w in 0..<W {
            let x = flip ? ~tt[w] & lastMask : tt[w]
            nodeTT.append(x)
            h = SplitMix64.mix(h ^ x)
        }
        nodeHash.append(h)
        nodeLit.append(lit.complemented(if: flip))
    }

    /// The literal of an existing node with truth table `tt`, or nil.
    func findNode(_ tt: [UInt64]) -> Literal? {
        let flip = tt[0] & 1 != 0
        var h: UInt64 = 0x1234_5678
        for w in 0..<W { h = SplitMix64.mix(h ^ (flip ? ~tt[w] & lastMask : tt[w])) }
        for k in 0..<nodeHash.count where nodeHash[k] == h {
            var same = true
            for w in 0..<W where nodeTT[k * W + w] != (flip ? ~tt[w] & lastMask : tt[w]) { same = false; break }
            if same { return nodeLit[k].complemented(if: flip) }
        }
        return nil
    }

    /// The fanins of the AND node behind `lit` and whether `lit` is its
    /// complement; nil for constants and inputs.
    func andFanins(of lit: Literal) -> (AndFanins, Bool)? {
        let v = Int(lit.variable)
        guard v > inputCount, v - inputCount - 1 < ands.count else { return nil }
        return (ands[v - inputCount - 1], lit.isComplemented)
    }

    /// The exact function of an existing literal as an ISF (on = f, off = ¬f).
    func exactFunction(of lit: Literal) -> ([UInt64], [UInt64]) {
        var on = [UInt64](repeating: 0, count: W)
        for k in 0..<nodeLit.count where nodeLit[k].variable == lit.variable {
            let flip = nodeLit[k].isComplemented != lit.isComplemented
            for w in 0..<W { on[w] = flip ? ~nodeTT[k * W + w] & lastMask : nodeTT[k * W + w] }
            break
        }
        return (on, on.map { ~$0 & lastMask })
    }

    mutating func applyUnchecked(_ token: Int) {
        if finished { return }
        if record { tokens.append(token) }
        tokenCount += 1
        prefixHash = SplitMix64.mix(prefixHash ^ UInt64(token &+ 0x9e37))
        if outputIndex == outputCount { finished = true; return }
        let level = currentLevel
        if token == Vocabulary.and || token == Vocabulary.nand {
            var on = [UInt64](repeating: 0, count: W), off = on, pOn = on, pOff = on
            currentISF(&on, &off)
            currentPlan(&pOn, &pOff)
            let d = piDecision(pOn, pOff)
            let nand = token == Vocabulary.nand
            let planned = d.token == token
            frames.append(Frame(nand: nand, level: Int32(level), right: false, planned: planned, leftLit: .false, key: prefixHash))
            let gOn = nand ? off : on, gOff = nand ? on : off
            frameWords.append(contentsOf: gOn)
            frameWords.append(contentsOf: gOff)
            frameWords.append(contentsOf: repeatElement(0, count: W))
            if planned {
                frameWords.append(contentsOf: d.leftOn); frameWords.append(contentsOf: d.leftOff)
                frameWords.append(contentsOf: d.rightOn); frameWords.append(contentsOf: d.rightOff)
            } else {
                frameWords.append(contentsOf: gOn); frameWords.append(contentsOf: repeatElement(0, count: W))
                frameWords.append(contentsOf: repeatElement(0, count: 2 * W))
            }
            depthUsed = max(depthUsed, level + 1)
            return
        }
        // A leaf.
        var value = [UInt64](repeating: 0, count: W)
        var lit: Literal
        switch token {
        case Vocabulary.const0: lit = .false
        case Vocabulary.const1: lit = .true; for w in 0..<W { value[w] = lastMask }
        default:
            let i = (token - Vocabulary.firstLiteral) / 2
            let neg = (token - Vocabulary.firstLiteral) & 1 == 1
            lit = Literal(variable: UInt32(i + 1), complemented: neg)
            for w in 0..<W { value[w] = neg ? ~varWord(i, w) & lastMask : varWord(i, w) }
        }
        // Close finished nodes.
        while true {
            guard var f = frames.last else {
                outputLits.append(lit)
                outputIndex += 1
                return
            }
            let b = (frames.count - 1) * 7 * W
            if !f.right {
                f.right = true
                f.leftLit = lit
                frames[frames.count - 1] = f
                var satisfies = f.planned
                for w in 0..<W {
                    frameWords[b + 2 * W + w] = value[w]
                    if satisfies && (frameWords[b + 3 * W + w] & ~value[w] != 0 || frameWords[b + 4 * W + w] & value[w] != 0) { satisfies = false }
                }
                if !satisfies {
                    for w in 0..<W {
                        frameWords[b + 5 * W + w] = frameWords[b + w]
                        frameWords[b + 6 * W + w] = frameWords[b + W + w] & value[w]
                    }
                }
                return
            }
            // Both children done: g = left ∧ right.
            for w in 0..<W { value[w] &= frameWords[b + 2 * W + w] }
            var g: Literal
            if let existing = findNode(value) { g = existing } else {
                g = Literal(variable: UInt32(inputCount + 1 + ands.count))
                ands.append(AndFanins(f.leftLit, lit))
                addNode(value, g)
            }
            if f.nand { g = !g; for w in 0..<W { value[w] = ~value[w] & lastMask } }
            lit = g
            frames.removeLast()
            frameWords.removeLast(7 * W)
        }
    }
}
