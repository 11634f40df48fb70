import AIG
import Dispatch
import Simulation
#if canImport(Glibc)
import Glibc
#endif

/// Many decoding states in one process, for models that decode batches:
/// states are opened from targets, stepped together (one token or one score
/// row each), cloned (so a model's own beam search can branch) and dropped.
/// Work on a batch runs on every core (`DispatchQueue.concurrentPerform`);
/// each state is a value, so states never share mutable data except their
/// targets' π memo, which is locked.
///
/// All states share one vocabulary: `6 + 2·vocabularyInputs` ids (the
/// `Vocabulary` numbering), so a model's output layer has one width; ids of
/// inputs a state does not have are never legal for it.
public struct BatchDecoder: Sendable {
    public let vocabularyInputs: Int
    public var vocabularySize: Int { Vocabulary.size(inputs: vocabularyInputs) }
    /// π subtrees each opened target memoises before its memo is cleared
    /// (shared by the target's clones). Default 4,096: about 1 MB per 8-input target.
    public var cacheLimit = 4096

    struct Slot: Sendable {
        var state: DecoderState
        var targets: DecoderTargets
        /// The legal tokens of `state`, once computed (a step checks tokens against them).
        var legal: [Int]?
    }
    var slots: [Slot?] = []
    var free: [Int] = []

    public init(vocabularyInputs: Int) { self.vocabularyInputs = max(0, min(16, vocabularyInputs)) }

    /// Live states.
    public var liveCount: Int { slots.count - free.count }

    /// What a model sees of one state before its next token.
    public struct View: Sendable, Equatable {
        public var id: Int
        /// Legal token ids, ascending (only `PAD` once complete).
        public var legal: [Int]
        public var complete: Bool
        /// Output being written, the slot's level and whether it is a left child.
        public var output: Int
        public var level: Int
        public var leftChild: Bool
        /// The slot's required on/off sets (nil after the last output).
        public var on: TruthTable?
        public var off: TruthTable?
        public var ands: Int
        public var tokens: Int
        /// Why the last token given for this state was refused (the state is unchanged).
        public var error: String?

        /// The legal set as bits, bit `t` of byte `t / 8` for token `t`.
        public func packedMask(vocabularySize v: Int) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: (v + 7) / 8)
            for t in legal where t < v { bytes[t >> 3] |= 1 << UInt8(t & 7) }
            return bytes
        }
    }

    public enum BatchError: Error, Equatable, CustomStringConvertible {
        case unknownState(Int)
        case tooManyInputs(have: Int, vocabulary: Int)
        case countMismatch(ids: Int, values: Int)
        case scoreWidth(expected: Int, got: Int)
        case duplicateState(Int)
        public var description: String {
            switch self {
            case .unknownState(let id): return "no live state \(id)"
            case let .tooManyInputs(n, v): return "a target with \(n) inputs does not fit the batch's vocabulary of \(v) inputs (fixed by the first open; choose it with --vocab-inputs)"
            case let .countMismatch(i, v): return "\(i) state ids but \(v) tokens or score rows"
            case let .scoreWidth(e, g): return "a score row must have \(e) entries (the vocabulary), not \(g)"
            case .duplicateState(let id): return "state \(id) appears twice in one request"
            }
        }
    }

    /// Opens a state; with `source`, the source guides the guaranteed
    /// completion and, unless `budget` says otherwise, its AND count and 4x
    /// its sequence are the budgets (as `decodeNeverWorse`).
    public mutating func open(_ targets: DecoderTargets, budget: DecoderBudget = DecoderBudget(), source: AIG? = nil) throws -> Int {
        guard targets.inputCount <= vocabularyInputs else { throw BatchError.tooManyInputs(have: targets.inputCount, vocabulary: vocabularyInputs) }
        let guide = try source.map { try DecoderGuide(aig: $0) }
        let b = try filledBudget(budget, targets, guide: guide, sourceAnds: source?.cleanedUp().andCount, tokenFactor: 4, cacheLimit: cacheLimit)
        let s = try DecoderState(targets: targets, budget: b, guide: guide, cacheLimit: cacheLimit)
        return insert(Slot(state: s, targets: targets, legal: nil))
    }

    mutating func insert(_ slot: Slot) -> Int {
        if let id = free.popLast() { slots[id] = slot; return id }
        slots.append(slot)
        return slots.count - 1
    }

    func slot(_ id: Int) throws -> Slot {
        guard id >= 0, id < slots.count, let s = slots[id] else { throw BatchError.unknownState(id) }
        return s
    }

    /// A copy of state `id` under a new id (the π memo stays shared).
    public mutating func clone(_ id: Int) throws -> Int { insert(try slot(id)) }

    /// Forgets state `id`; its id may be reused by later opens and clones.
    public mutating func drop(_ id: Int) throws {
        _ = try slot(id)
        slots[id] = nil
        free.append(id)
    }

    /// The state behind `id` (for results and tests).
    public func state(_ id: Int) throws -> DecoderState { try slot(id).state }

    /// The finished, verified circuit of state `id`.
    public func result(_ id: Int) throws -> AIG {
        let s = try slot(id)
        let aig = try s.state.aig(outputNames: s.targets.outputNames)
        try verifyDecoded(aig, s.targets)
        return aig
    }

    /// Views of `ids`, computed in parallel (legal sets memoised per state).
    public mutating func views(_ ids: [Int]) throws -> [View] {
        for id in ids { _ = try slot(id) }
        fillLegal(ids)
        return ids.map { makeView($0, error: nil) }
    }

    /// Applies `tokens[k]` to state `ids[k]` (a refused token leaves its state
    /// as it was and is reported in its view), then returns the new views.
    public mutating func step(_ ids: [Int], tokens: [Int]) throws -> [View] {
        guard ids.count == tokens.count else { throw BatchError.countMismatch(ids: ids.count, values: tokens.count) }
        return try advance(ids) { k, s, legal in
            let t = tokens[k]
            guard legal.contains(t) else {
                return t >= 0 && t < Vocabulary.size(inputs: s.inputCount)
                    ? "illegal token \(Vocabulary.name(t)) at position \(s.tokens.count): \(s.illegalReason(t))"
                    : "token \(t) is not a node of a \(s.inputCount)-input circuit"
            }
            s.applyUnchecked(t)
            return nil
        }
    }

    /// Applies, per state, its legal token with the highest score in
    /// `scores[k]` (a row of `vocabularySize` logits), then returns the new views.
    public mutating func step(_ ids: [Int], scores: [[Double]]) throws -> [View] {
        guard ids.count == scores.count else { throw BatchError.countMismatch(ids: ids.count, values: scores.count) }
        let v = vocabularySize
        for row in scores where row.count != v { throw BatchError.scoreWidth(expected: v, got: row.count) }
        return try advance(ids) { k, s, legal in
            var best = legal[0]
            for t in legal where scores[k][t] > scores[k][best] { best = t }
            s.applyUnchecked(best)
            return nil
        }
    }

    /// Moves each state of `ids` with `move` (nil: moved; else why not), in
    /// parallel, computing the next legal sets on the way; returns the views.
    mutating func advance(_ ids: [Int], _ move: @Sendable (Int, inout DecoderState, [Int]) -> String?) throws -> [View] {
        try checkDistinct(ids)
        fillLegal(ids)
        let current = ids.map { slots[$0]! }
        let moved: [(Slot, String?)] = parallelMap(ids.count) { k in
            var slot = current[k]
            if slot.state.isComplete { return (slot, nil) }
            if let msg = move(k, &slot.state, slot.legal ?? slot.state.legalTokens()) { return (slot, msg) }
            slot.legal = slot.state.legalTokens()
            return (slot, nil)
        }
        for (k, id) in ids.enumerated() { slots[id] = moved[k].0 }
        return ids.enumerated().map { makeView($1, error: moved[$0].1) }
    }

    /// Throws unless every id is a live state and none appears twice.
    public func checkDistinct(_ ids: [Int]) throws {
        var seen = Set<Int>()
        for id in ids {
            _ = try slot(id)
            guard seen.insert(id).inserted else { throw BatchError.duplicateState(id) }
        }
    }

    mutating func fillLegal(_ ids: [Int]) {
        let todo = ids.filter { slots[$0]?.legal == nil }
        guard !todo.isEmpty else { return }
        let states = todo.map { slots[$0]!.state }
        let legal: [[Int]] = parallelMap(todo.count) { states[$0].legalTokens() }
        for (k, id) in todo.enumerated() { slots[id]!.legal = legal[k] }
    }

    func makeView(_ id: Int, error: String?) -> View {
        let slot = slots[id]!
        let s = slot.state
        let req = s.slotRequirement()
        return View(id: id, legal: slot.legal ?? [], complete: s.isComplete, output: req?.output ?? s.outputCount,
                    level: req?.level ?? 0, leftChild: req?.isLeftChild ?? false, on: req?.on, off: req?.off,
                    ands: s.andCount, tokens: s.tokens.count, error: error)
    }
}

/// `[body(0), …, body(count − 1)]`, computed on every core in contiguous chunks.
func parallelMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 1 else { return count == 1 ? [body(0)] : [] }
    var out = [T?](repeating: nil, count: count)
    let cores = max(1, min(count, System.coreCount))
    out.withUnsafeMutableBufferPointer { buffer in
        let shared = SharedBuffer(base: buffer.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: cores) { c in
            // Each chunk writes only its own elements.
            var k = c * count / cores
            let end = (c + 1) * count / cores
            while k < end { shared.base[k] = body(k); k += 1 }
        }
    }
    return out.map { $0! }
}

/// A buffer written by disjoint parallel chunks.
struct SharedBuffer<T>: @unchecked Sendable { let base: UnsafeMutablePointer<T> }

enum System {
    static let coreCount: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 4
        #endif
    }()
}
