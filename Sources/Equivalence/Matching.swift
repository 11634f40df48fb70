import AIG

/// How the ports of two circuits correspond.
public struct PortMatching: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// By name when both circuits name every input and output uniquely, else by order.
        case auto
        case names
        case order
    }

    /// For each input of B, the shared input it reads (A's inputs come first,
    /// then B's extra inputs when `allowExtraInputs`).
    public var inputOfB: [Int]
    public var sharedInputCount: Int
    /// Name of each shared input (A's names, then B's extras).
    public var inputNames: [String]
    /// (output of A, output of B), in A's output order.
    public var outputPairs: [(Int, Int)]
    public var outputNames: [String]
    public var byName: Bool
    /// Inputs present on one side only (treated as free inputs).
    public var extraInputsA: [String]
    public var extraInputsB: [String]
    /// Inputs of one circuit only that drive nothing (a netlist's clock next to an RTL
    /// reading without one): matched without `allowExtraInputs`, since nothing depends on them.
    public var unusedInputsIgnored: [String] = []
    /// Shared inputs that are registers' current states (latch-cut circuits; see `matchCut`).
    public var registerInputs: [Int] = []

    public struct Error: Swift.Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Matches `a` and `b` (both combinational: cut latches first).
    public static func match(_ a: AIG, _ b: AIG, mode: Mode = .auto,
                             allowExtraInputs: Bool = false) throws(Error) -> PortMatching {
        let names = mode == .names || (mode == .auto && fullyNamed(a) && fullyNamed(b))
        if mode == .names {
            for (c, label) in [(a, "first"), (b, "second")] where !fullyNamed(c) {
                throw Error(message: "cannot match by names: the \(label) circuit does not name every input and output uniquely")
            }
        }
        return names ? try byNames(a, b, allowExtraInputs) : try byOrder(a, b, allowExtraInputs)
    }

    static func fullyNamed(_ c: AIG) -> Bool {
        func unique(_ n: [String?]) -> Bool {
            let s = n.compactMap { $0 }
            return s.count == n.count && Set(s).count == s.count
        }
        return unique(c.inputNames) && unique(c.outputNames)
    }

    static func name(_ names: [String?], _ i: Int, _ prefix: String) -> String { names[i] ?? "\(prefix)\(i)" }

    static func byOrder(_ a: AIG, _ b: AIG, _ allowExtra: Bool) throws(Error) -> PortMatching {
        if a.outputCount != b.outputCount {
            throw Error(message: "output counts differ: \(a.outputCount) vs \(b.outputCount) (matching by order)")
        }
        if a.inputCount != b.inputCount && !allowExtra {
            throw Error(message: "input counts differ: \(a.inputCount) vs \(b.inputCount) (matching by order; --allow-extra-inputs treats the surplus as free inputs)")
        }
        let shared = max(a.inputCount, b.inputCount)
        var names = (0..<a.inputCount).map { name(a.inputNames, $0, "i") }
        for j in a.inputCount..<shared { names.append(name(b.inputNames, j, "i")) }
        return PortMatching(
            inputOfB: Array(0..<b.inputCount), sharedInputCount: shared, inputNames: names,
            outputPairs: (0..<a.outputCount).map { ($0, $0) },
            outputNames: (0..<a.outputCount).map { name(a.outputNames, $0, "o") }, byName: false,
            extraInputsA: a.inputCount > b.inputCount ? Array(names[b.inputCount...]) : [],
            extraInputsB: b.inputCount > a.inputCount ? Array(names[a.inputCount...]) : [])
    }

    static func byNames(_ a: AIG, _ b: AIG, _ allowExtra: Bool) throws(Error) -> PortMatching {
        let aIn = a.inputNames.map { $0 ?? "" }, bIn = b.inputNames.map { $0 ?? "" }
        let aOut = a.outputNames.map { $0 ?? "" }, bOut = b.outputNames.map { $0 ?? "" }
        var indexA: [String: Int] = [:]
        for (i, n) in aIn.enumerated() { indexA[n] = i }
        let onlyB = bIn.filter { indexA[$0] == nil }
        let bSet = Set(bIn)
        let onlyA = aIn.filter { !bSet.contains($0) }
        let fanA = a.fanoutCounts(), fanB = b.fanoutCounts()
        let unusedA = Set(aIn.indices.filter { fanA[$0 + 1] == 0 }.map { aIn[$0] })
        let unusedB = Set(bIn.indices.filter { fanB[$0 + 1] == 0 }.map { bIn[$0] })
        let usedOnlyA = onlyA.filter { !unusedA.contains($0) }, usedOnlyB = onlyB.filter { !unusedB.contains($0) }
        let outA = Set(aOut), outB = Set(bOut)
        let outOnlyA = aOut.filter { !outB.contains($0) }, outOnlyB = bOut.filter { !outA.contains($0) }
        var problems: [String] = []
        if !outOnlyA.isEmpty { problems.append("outputs only in the first circuit: \(list(outOnlyA))") }
        if !outOnlyB.isEmpty { problems.append("outputs only in the second circuit: \(list(outOnlyB))") }
        if !allowExtra {
            if !usedOnlyA.isEmpty { problems.append("inputs only in the first circuit: \(list(usedOnlyA))") }
            if !usedOnlyB.isEmpty { problems.append("inputs only in the second circuit: \(list(usedOnlyB))") }
        }
        if !problems.isEmpty {
            throw Error(message: "ports do not match by name; " + problems.joined(separator: "; ")
                        + (allowExtra || (usedOnlyA.isEmpty && usedOnlyB.isEmpty) ? "" : " (--allow-extra-inputs treats unmatched inputs as free)"))
        }
        var names = aIn
        var inputOfB: [Int] = []
        for n in bIn {
            if let i = indexA[n] { inputOfB.append(i) } else { inputOfB.append(names.count); names.append(n) }
        }
        var outIndexB: [String: Int] = [:]
        for (j, n) in bOut.enumerated() { outIndexB[n] = j }
        let pairs = aOut.enumerated().map { ($0.offset, outIndexB[$0.element] ?? 0) }
        var m = PortMatching(inputOfB: inputOfB, sharedInputCount: names.count, inputNames: names,
                             outputPairs: pairs, outputNames: aOut, byName: true,
                             extraInputsA: onlyA, extraInputsB: onlyB)
        if !allowExtra { m.unusedInputsIgnored = onlyA.filter { unusedA.contains($0) } + onlyB.filter { unusedB.contains($0) } }
        return m
    }

    static func list(_ names: [String]) -> String {
        let shown = names.prefix(10).joined(separator: ", ")
        return names.count > 10 ? "\(shown), … (\(names.count) in all)" : shown
    }

    /// Matches two circuits that may have latches, for a check over their
    /// latch-cut versions (`AIG.cuttingLatches()`): primary ports as `match`
    /// does, registers by `RegisterMatching` (by position with `mode == .order`,
    /// or in `.auto` mode when one circuit names no register; else by
    /// name, then signature). A register pair becomes one shared input (the
    /// current state, numbered after A's primary inputs as in the cut circuit)
    /// and one output pair (the next states, after the primary outputs).
    /// Unpaired registers are an error listing them unless `allowUnmatched`:
    /// then their current states are free inputs and their next states are not compared.
    /// Returns nil registers for two combinational circuits (then this is `match`).
    public static func matchCut(_ a: AIG, _ b: AIG, mode: Mode = .auto, allowExtraInputs: Bool = false,
                                registers params: RegisterMatching.Params = RegisterMatching.Params(),
                                allowUnmatched: Bool = false) throws(Error) -> (PortMatching, RegisterMatching?) {
        if a.latches.isEmpty && b.latches.isEmpty {
            return (try match(a, b, mode: mode, allowExtraInputs: allowExtraInputs), nil)
        }
        // Ports only: `match` reads names and counts of inputs and outputs, never latches.
        let primary = try match(a, b, mode: mode, allowExtraInputs: allowExtraInputs)
        var p = params
        // A circuit that names no register (AIGER without symbols, as ABC writes it) gives
        // names nothing to go on: by position then, as before register matching.
        let unnamed = a.latchNames.allSatisfy { $0 == nil } || b.latchNames.allSatisfy { $0 == nil }
        if mode == .order || (mode == .auto && unnamed && a.latchCount == b.latchCount) { p.byPosition = true }
        let regs = RegisterMatching.match(a, b, inputOfB: primary.inputOfB, params: p)
        if !regs.isComplete && !allowUnmatched {
            var parts: [String] = []
            if !regs.unmatchedNamesA.isEmpty { parts.append("\(regs.unmatchedNamesA.count) of the first circuit (\(list(regs.unmatchedNamesA)))") }
            if !regs.unmatchedNamesB.isEmpty { parts.append("\(regs.unmatchedNamesB.count) of the second (\(list(regs.unmatchedNamesB)))") }
            throw Error(message: "registers do not match: \(regs.pairs.count) paired (\(regs.count(.name)) by name, \(regs.count(.signature)) by signature, \(regs.count(.position)) by position), unmatched: "
                        + parts.joined(separator: "; ")
                        + " (--allow-unmatched leaves them unpaired: their current states become free inputs, their next states are not compared)")
        }
        // Shared inputs: A's primary inputs, A's registers, B's extra primary inputs, B's unpaired registers.
        let na = a.inputCount, la = a.latchCount
        var names = Array(primary.inputNames[0..<na])
        names += (0..<la).map { RegisterMatching.displayName(a, $0) }
        names += primary.inputNames[na...]
        var inputOfB = primary.inputOfB.map { $0 < na ? $0 : $0 + la }
        var stateOfB = [Int](repeating: 0, count: b.latchCount)
        for pair in regs.pairs { stateOfB[pair.b] = na + pair.a }
        for j in regs.unmatchedB { stateOfB[j] = names.count; names.append(RegisterMatching.displayName(b, j)) }
        inputOfB += stateOfB
        var outputPairs = primary.outputPairs, outputNames = primary.outputNames
        for pair in regs.pairs {
            outputPairs.append((a.outputCount + pair.a, b.outputCount + pair.b))
            outputNames.append(pair.nameA + "$next")
        }
        var m = PortMatching(inputOfB: inputOfB, sharedInputCount: names.count, inputNames: names,
                             outputPairs: outputPairs, outputNames: outputNames, byName: primary.byName,
                             extraInputsA: primary.extraInputsA + regs.unmatchedNamesA,
                             extraInputsB: primary.extraInputsB + regs.unmatchedNamesB)
        m.unusedInputsIgnored = primary.unusedInputsIgnored
        m.registerInputs = Array(na..<(na + la)) + regs.unmatchedB.map { stateOfB[$0] }
        return (m, regs)
    }
}

