extension AIG {
    /// All literals the circuit observes: outputs, latch next states and the
    /// AIGER 1.9 property literals.
    public var rootLiterals: [Literal] {
        var roots = outputs
        roots += latches.map(\.next)
        roots += bad; roots += constraints; roots += fairness
        for j in justice { roots += j }
        return roots
    }

    /// Logic level of every variable (inputs, latches and the constant are 0).
    public func levels() -> [UInt32] {
        var level = [UInt32](repeating: 0, count: maxVariable + 1)
        let first = firstAndVariable
        level.withUnsafeMutableBufferPointer { lv in
            ands.withUnsafeBufferPointer { a in
                for k in 0..<a.count {
                    let l = lv[Int(a[k].left.variable)], r = lv[Int(a[k].right.variable)]
                    lv[first + k] = max(l, r) + 1
                }
            }
        }
        return level
    }

    /// Depth: the largest level among the roots (outputs, latch next states, properties).
    public func depth() -> Int {
        let lv = levels()
        return Int(rootLiterals.map { lv[Int($0.variable)] }.max() ?? 0)
    }

    /// Number of references to each variable from ANDs and roots.
    public func fanoutCounts() -> [UInt32] {
        var fanout = [UInt32](repeating: 0, count: maxVariable + 1)
        fanout.withUnsafeMutableBufferPointer { fo in
            ands.withUnsafeBufferPointer { a in
                for g in a { fo[Int(g.left.variable)] += 1; fo[Int(g.right.variable)] += 1 }
            }
        }
        for l in rootLiterals { fanout[Int(l.variable)] += 1 }
        return fanout
    }

    /// Marks the transitive fan-in cone of `roots`: `result[v]` is true for every
    /// variable the roots depend on (including the roots' own variables).
    public func cone(of roots: [Literal]) -> [Bool] {
        var mark = [Bool](repeating: false, count: maxVariable + 1)
        for r in roots { mark[Int(r.variable)] = true }
        let first = firstAndVariable
        mark.withUnsafeMutableBufferPointer { mk in
            ands.withUnsafeBufferPointer { a in
                // Reverse topological sweep: a marked AND marks its fanins.
                var k = a.count - 1
                while k >= 0 {
                    if mk[first + k] { mk[Int(a[k].left.variable)] = true; mk[Int(a[k].right.variable)] = true }
                    k -= 1
                }
            }
        }
        return mark
    }

    /// Number of ANDs in the cone of `roots`.
    public func andCount(inConeOf roots: [Literal]) -> Int {
        let mark = cone(of: roots)
        return mark[firstAndVariable...].reduce(0) { $0 + ($1 ? 1 : 0) }
    }

    /// Drops ANDs that no root depends on and renumbers compactly; inputs,
    /// latches, names, properties and comments are kept. Structural duplicates
    /// are merged as a side effect of rebuilding through the builder.
    public func cleanedUp() -> AIG {
        let keep = cone(of: rootLiterals)
        var map = [Literal](repeating: .false, count: maxVariable + 1)
        var b = AIGBuilder(inputCount: inputCount, latchCount: latches.count, expectedAnds: ands.count)
        for v in 1..<firstAndVariable { map[v] = Literal(variable: UInt32(v)) }
        for (k, a) in ands.enumerated() where keep[firstAndVariable + k] {
            map[firstAndVariable + k] = b.and(map.translate(a.left), map.translate(a.right))
        }
        var out = b.finish()
        out.inputNames = inputNames
        out.latchNames = latchNames
        out.latches = latches.map { Latch(next: map.translate($0.next), reset: $0.reset) }
        out.outputs = outputs.map(map.translate)
        out.outputNames = outputNames
        out.bad = bad.map(map.translate); out.badNames = badNames
        out.constraints = constraints.map(map.translate); out.constraintNames = constraintNames
        out.justice = justice.map { $0.map(map.translate) }; out.justiceNames = justiceNames
        out.fairness = fairness.map(map.translate); out.fairnessNames = fairnessNames
        out.comments = comments
        return out
    }
}

extension Array where Element == Literal {
    /// Maps a literal through a variable → literal table, keeping its complement.
    @inline(__always) public func translate(_ l: Literal) -> Literal {
        self[Int(l.variable)].complemented(if: l.isComplemented)
    }
}
