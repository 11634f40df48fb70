/// The two fanins of an AND node, stored as raw literals (8 bytes per AND).
/// By convention `left >= right` (AIGER's binary order), so the node's
/// variable is always larger than both fanin variables.
public struct AndFanins: Hashable, Sendable {
    public var left: Literal
    public var right: Literal
    @inline(__always) public init(_ a: Literal, _ b: Literal) {
        if a.raw >= b.raw { left = a; right = b } else { left = b; right = a }
    }
}

/// A latch: its next-state literal and its reset (initial) value.
public struct Latch: Hashable, Sendable {
    public enum Reset: Hashable, Sendable { case zero, one, uninitialized }
    public var next: Literal
    public var reset: Reset
    public init(next: Literal, reset: Reset = .zero) { self.next = next; self.reset = reset }
}

/// An And-Inverter Graph in canonical AIGER numbering:
/// variable 0 is constant false, variables `1...inputCount` are the primary
/// inputs, the next `latches.count` variables are latch outputs (current state),
/// and the remaining variables are AND nodes in topological order
/// (`ands[k]` defines variable `firstAndVariable + k`).
///
/// Storage is flat: one contiguous array of fanin pairs, no per-node objects.
public struct AIG: Hashable, Sendable {
    public var inputCount: Int
    public var latches: [Latch]
    public var ands: [AndFanins]
    public var outputs: [Literal]
    /// AIGER 1.9 property sections.
    public var bad: [Literal]
    public var constraints: [Literal]
    public var justice: [[Literal]]
    public var fairness: [Literal]

    /// Symbol names, `nil` where the file gave none. Arrays are kept the same
    /// length as the items they name.
    public var inputNames: [String?]
    public var latchNames: [String?]
    public var outputNames: [String?]
    public var badNames: [String?]
    public var constraintNames: [String?]
    public var justiceNames: [String?]
    public var fairnessNames: [String?]
    /// Comment section lines (without the leading `c` line).
    public var comments: [String]

    public init(inputCount: Int = 0) {
        self.inputCount = inputCount
        latches = []; ands = []; outputs = []
        bad = []; constraints = []; justice = []; fairness = []
        inputNames = Array(repeating: nil, count: inputCount)
        latchNames = []; outputNames = []; badNames = []; constraintNames = []
        justiceNames = []; fairnessNames = []
        comments = []
    }

    @inline(__always) public var latchCount: Int { latches.count }
    @inline(__always) public var andCount: Int { ands.count }
    @inline(__always) public var outputCount: Int { outputs.count }
    /// AIGER's M: the largest variable index.
    @inline(__always) public var maxVariable: Int { inputCount + latches.count + ands.count }
    @inline(__always) public var firstLatchVariable: Int { inputCount + 1 }
    @inline(__always) public var firstAndVariable: Int { inputCount + latches.count + 1 }
    public var isCombinational: Bool { latches.isEmpty }

    public enum NodeKind: Equatable, Sendable { case constant, input(Int), latch(Int), and(Int) }

    @inline(__always) public func kind(of variable: UInt32) -> NodeKind {
        let v = Int(variable)
        if v == 0 { return .constant }
        if v <= inputCount { return .input(v - 1) }
        if v < firstAndVariable { return .latch(v - firstLatchVariable) }
        return .and(v - firstAndVariable)
    }

    @inline(__always) public func inputLiteral(_ i: Int) -> Literal { Literal(variable: UInt32(i + 1)) }
    @inline(__always) public func latchLiteral(_ i: Int) -> Literal { Literal(variable: UInt32(firstLatchVariable + i)) }
    @inline(__always) public func andLiteral(_ k: Int) -> Literal { Literal(variable: UInt32(firstAndVariable + k)) }

    /// Adds an output (no structural hashing needed).
    public mutating func addOutput(_ literal: Literal, name: String? = nil) {
        outputs.append(literal); outputNames.append(name)
    }

    /// Checks the structural invariants (bounds, topological order, name array
    /// lengths). Returns a description of the first violation, or nil.
    public func invariantViolation() -> String? {
        let m = UInt32(maxVariable)
        for (k, a) in ands.enumerated() {
            let v = UInt32(firstAndVariable + k)
            if a.left.variable >= v || a.right.variable >= v { return "AND \(v) is not in topological order" }
        }
        for l in outputs + bad + constraints + fairness + justice.flatMap({ $0 }) + latches.map(\.next) where l.variable > m {
            return "literal \(l.raw) exceeds maximum variable \(m)"
        }
        if inputNames.count != inputCount || latchNames.count != latches.count || outputNames.count != outputs.count
            || badNames.count != bad.count || constraintNames.count != constraints.count
            || justiceNames.count != justice.count || fairnessNames.count != fairness.count {
            return "name arrays do not match item counts"
        }
        return nil
    }
}
