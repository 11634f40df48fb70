import AIG

/// The transitive fanin of a few roots, collected again and again on one
/// AIG without clearing a full-size array per call (generation stamps).
/// Used per candidate pair, so it must cost O(cone), not O(AIG).
struct ConeCollector {
    private var stamp: [UInt32] = []
    private var generation: UInt32 = 0
    /// Input (and latch) variables of the last cone, in discovery order.
    private(set) var inputs: [Int32] = []
    /// AND variables of the last cone, unsorted.
    private(set) var ands: [Int32] = []

    mutating func collect(_ aig: AIG, _ roots: [Int]) {
        let n = aig.maxVariable + 1
        if stamp.count < n { stamp += [UInt32](repeating: 0, count: n - stamp.count) }
        generation &+= 1
        if generation == 0 { for i in stamp.indices { stamp[i] = 0 }; generation = 1 }
        inputs.removeAll(keepingCapacity: true)
        ands.removeAll(keepingCapacity: true)
        let first = aig.firstAndVariable
        var stack = roots
        while let v = stack.popLast() {
            if v == 0 || stamp[v] == generation { continue }
            stamp[v] = generation
            if v < first { inputs.append(Int32(v)); continue }
            ands.append(Int32(v))
            let f = aig.ands[v - first]
            stack.append(Int(f.left.variable)); stack.append(Int(f.right.variable))
        }
    }
}
