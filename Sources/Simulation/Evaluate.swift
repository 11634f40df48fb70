import AIG

/// Errors of the simulation API on inputs a caller (or user) got wrong.
public enum SimulationError: Error, Equatable, Sendable, CustomStringConvertible {
    case inputCount(expected: Int, got: Int)
    case latchCount(expected: Int, got: Int)

    public var description: String {
        switch self {
        case let .inputCount(e, g): return "expected \(e) input value\(e == 1 ? "" : "s"), got \(g)"
        case let .latchCount(e, g): return "expected \(e) latch value\(e == 1 ? "" : "s"), got \(g)"
        }
    }
}

/// The result of evaluating one input vector: the outputs and, for
/// sequential circuits, the latches' next-state values.
public struct Evaluation: Equatable, Sendable {
    public var outputs: [Bool]
    public var nextState: [Bool]
}

/// Evaluates the circuit on one input vector, e.g. to replay a counterexample.
///
/// `latchState` gives the latches' current values (the combinational part
/// sees them as inputs after the primary inputs); nil uses the reset
/// values, an uninitialised latch reading as 0. Throws `SimulationError` on
/// a length mismatch.
public func evaluate(_ aig: AIG, inputs: [Bool], latchState: [Bool]? = nil) throws -> [Bool] {
    try evaluateStep(aig, inputs: inputs, latchState: latchState).outputs
}

/// As `evaluate`, also returning the latches' next-state values.
public func evaluateStep(_ aig: AIG, inputs: [Bool], latchState: [Bool]? = nil) throws -> Evaluation {
    guard inputs.count == aig.inputCount else { throw SimulationError.inputCount(expected: aig.inputCount, got: inputs.count) }
    if let latchState, latchState.count != aig.latchCount {
        throw SimulationError.latchCount(expected: aig.latchCount, got: latchState.count)
    }
    // One byte per variable: 0 or 1.
    var value = [UInt8](repeating: 0, count: aig.maxVariable + 1)
    let first = aig.firstAndVariable
    value.withUnsafeMutableBufferPointer { v in
        for i in 0..<inputs.count where inputs[i] { v[i + 1] = 1 }
        for j in 0..<aig.latchCount {
            let on = latchState.map { $0[j] } ?? (aig.latches[j].reset == .one)
            if on { v[aig.firstLatchVariable + j] = 1 }
        }
        aig.ands.withUnsafeBufferPointer { a in
            for k in 0..<a.count {
                let f = a[k]
                let x = v[Int(f.left.variable)] ^ UInt8(f.left.raw & 1)
                let y = v[Int(f.right.variable)] ^ UInt8(f.right.raw & 1)
                v[first + k] = x & y
            }
        }
    }
    @inline(__always) func lit(_ l: Literal) -> Bool { value[Int(l.variable)] ^ UInt8(l.raw & 1) != 0 }
    return Evaluation(outputs: aig.outputs.map(lit), nextState: aig.latches.map { lit($0.next) })
}
