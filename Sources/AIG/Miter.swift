extension AIG {
    /// The combinational part: latches cut, each current state becoming an
    /// extra input (after the primary inputs, named after the latch) and each
    /// next state an extra output (after the primary outputs, named
    /// `<latch>$next`). Property sections are dropped. Already combinational
    /// circuits are returned unchanged.
    public func cuttingLatches() -> AIG {
        if latches.isEmpty { return self }
        var out = AIG(inputCount: inputCount + latches.count)
        out.ands = ands   // the numbering is unchanged: latch variables follow the inputs
        out.inputNames = inputNames + latchNames.enumerated().map { $0.element ?? "latch\($0.offset)" }
        out.outputs = outputs + latches.map(\.next)
        out.outputNames = outputNames + latchNames.enumerated().map { ($0.element ?? "latch\($0.offset)") + "$next" }
        out.comments = comments
        return out
    }
}

/// Two circuits joined over shared inputs. `outputPairs[k]` holds the miter
/// literals of the k-th matched output of A and of B; the miter's own outputs
/// are their XORs. Built with structural hashing, so identical logic is shared.
public struct Miter: Sendable {
    public var aig: AIG
    /// Literal in `aig` of every variable of A (and of B).
    public var mapA: [Literal]
    public var mapB: [Literal]
    public var outputPairs: [(a: Literal, b: Literal)]

    /// - Parameters:
    ///   - inputOfB: for each input of B, the index of the shared input (an input
    ///     of A, or an extra input numbered from `a.inputCount` when B has inputs A lacks).
    ///   - sharedInputCount: number of miter inputs (≥ A's inputs).
    ///   - outputPairs: pairs (output of A, output of B) to compare.
    public init(_ a: AIG, _ b: AIG, inputOfB: [Int], sharedInputCount: Int,
                outputPairs pairs: [(Int, Int)], inputNames: [String?]) {
        precondition(a.latches.isEmpty && b.latches.isEmpty, "cut latches before building a miter")
        var builder = AIGBuilder(inputCount: sharedInputCount, expectedAnds: a.andCount + b.andCount)
        mapA = Self.copy(a, into: &builder, inputs: (0..<a.inputCount).map { $0 })
        mapB = Self.copy(b, into: &builder, inputs: inputOfB)
        var op: [(a: Literal, b: Literal)] = []
        for (i, j) in pairs {
            let la = mapA.translate(a.outputs[i]), lb = mapB.translate(b.outputs[j])
            op.append((la, lb))
        }
        for (k, p) in op.enumerated() {
            builder.addOutput(builder.xor(p.a, p.b), name: a.outputNames[pairs[k].0])
        }
        var aig = builder.finish()
        aig.inputNames = inputNames
        self.aig = aig
        outputPairs = op
    }

    private static func copy(_ c: AIG, into b: inout AIGBuilder, inputs: [Int]) -> [Literal] {
        var map = [Literal](repeating: .false, count: c.maxVariable + 1)
        for i in 0..<c.inputCount { map[i + 1] = b.input(inputs[i]) }
        let first = c.firstAndVariable
        c.ands.withUnsafeBufferPointer { ands in
            for k in 0..<ands.count {
                map[first + k] = b.and(map.translate(ands[k].left), map.translate(ands[k].right))
            }
        }
        return map
    }
}
