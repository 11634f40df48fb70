/// Which of an AIGER 1.9 circuit's output-like sections a check compares.
/// ABC writes sequential AIGER 1.9 with `O = 0` and its properties as bad-state
/// literals (`B`); comparing two such files means comparing those.
public enum ComparedSections: String, Sendable, CaseIterable, Codable {
    /// Each circuit's outputs, or its bad-state properties when it has no
    /// outputs (what ABC compares when it reads such files).
    case auto
    /// Outputs only.
    case outputs
    /// Bad-state properties (`B`) only.
    case bad
    /// Every property section (B, C, J, F) both circuits have.
    case properties
    /// Outputs, then every property section both circuits have.
    case all
}

/// The sections of one circuit, in the order they are compared.
public enum CircuitSection: String, Sendable, CaseIterable, Codable {
    case outputs, bad, constraints, justice, fairness

    /// AIGER's header letter.
    public var letter: String {
        switch self { case .outputs: "O"; case .bad: "B"; case .constraints: "C"; case .justice: "J"; case .fairness: "F" }
    }
}

extension AIG {
    /// How many items `section` has (a justice property counts its literals).
    public func itemCount(_ section: CircuitSection) -> Int {
        switch section {
        case .outputs: outputs.count
        case .bad: bad.count
        case .constraints: constraints.count
        case .justice: justice.reduce(0) { $0 + $1.count }
        case .fairness: fairness.count
        }
    }

    /// The sections `choice` compares for the pair (`self`, `other`): this
    /// circuit's, then the other's (they differ only for `auto`).
    public func sectionsCompared(with other: AIG, _ choice: ComparedSections) -> ([CircuitSection], [CircuitSection]) {
        let properties: [CircuitSection] = [.bad, .constraints, .justice, .fairness]
        let shared = properties.filter { itemCount($0) > 0 && other.itemCount($0) > 0 }
        switch choice {
        case .outputs: return ([.outputs], [.outputs])
        case .bad: return ([.bad], [.bad])
        case .properties: return (shared, shared)
        case .all: return ([.outputs] + shared, [.outputs] + shared)
        case .auto:
            // ABC's view: a file with no outputs but bad-state properties has
            // those as its primary outputs.
            func primary(_ c: AIG) -> [CircuitSection] { c.outputs.isEmpty && !c.bad.isEmpty ? [.bad] : [.outputs] }
            return (primary(self), primary(other))
        }
    }

    /// The circuit with `sections` as its outputs, in that order (the
    /// property sections themselves dropped). Items keep their names; an
    /// unnamed property is named after its section and index (`bad3`,
    /// `justice1[0]` for the first literal of justice property 1), so two
    /// files without names still match by position.
    public func withSectionsAsOutputs(_ sections: [CircuitSection]) -> AIG {
        if sections == [.outputs] && bad.isEmpty && constraints.isEmpty && justice.isEmpty && fairness.isEmpty { return self }
        var out = self
        out.outputs = []; out.outputNames = []
        out.bad = []; out.badNames = []; out.constraints = []; out.constraintNames = []
        out.justice = []; out.justiceNames = []; out.fairness = []; out.fairnessNames = []
        func name(_ names: [String?], _ i: Int, _ label: String) -> String? {
            (names.indices.contains(i) ? names[i] : nil) ?? "\(label)\(i)"
        }
        for s in sections {
            switch s {
            case .outputs:
                out.outputs += outputs; out.outputNames += outputNames
            case .bad:
                out.outputs += bad; out.outputNames += bad.indices.map { name(badNames, $0, "bad") }
            case .constraints:
                out.outputs += constraints; out.outputNames += constraints.indices.map { name(constraintNames, $0, "constraint") }
            case .justice:
                for (k, lits) in justice.enumerated() {
                    let base = name(justiceNames, k, "justice") ?? "justice\(k)"
                    out.outputs += lits; out.outputNames += lits.indices.map { "\(base)[\($0)]" }
                }
            case .fairness:
                out.outputs += fairness; out.outputNames += fairness.indices.map { name(fairnessNames, $0, "fairness") }
            }
        }
        return out
    }
}
