import AIG

/// AND-tree balancing (the move of ABC's `balance`): every multi-input AND
/// (a tree of uncomplemented single-fanout ANDs) is rebuilt pairing its
/// two shallowest inputs first, preferring pairs that already exist. It
/// rarely removes ANDs itself; the optimiser's walk uses it to reach
/// structures where rewriting finds gains again.
public enum AIGBalancing {
    public static func balance(_ aig: AIG) -> AIG {
        let g = aig.cleanedUp()
        guard g.isCombinational, g.andCount > 0 else { return g }
        let first = g.firstAndVariable, count = g.maxVariable + 1
        let refs = g.fanoutCounts()
        var b = AIGBuilder(inputCount: g.inputCount, expectedAnds: g.andCount)
        var map = [Literal?](repeating: nil, count: count)
        var level = [Int](repeating: 0, count: count)   // by new variable
        for i in 0...g.inputCount { map[i] = Literal(variable: UInt32(i)) }
        func newLevel(_ l: Literal) -> Int { Int(l.variable) < level.count ? level[Int(l.variable)] : 0 }
        func and(_ x: Literal, _ y: Literal) -> Literal {
            let r = b.and(x, y)
            let v = Int(r.variable)
            if v >= level.count { level += Array(repeating: 0, count: v + 1 - level.count) }
            if v > g.inputCount && level[v] == 0 { level[v] = 1 + max(newLevel(x), newLevel(y)) }
            return r
        }
        // Rebuild in topological order; a node is built when first needed.
        func build(_ v: Int) -> Literal {
            if let m = map[v] { return m }
            // The supergate's inputs: expand through uncomplemented ANDs used once.
            var leaves: [Literal] = []
            var stack: [Literal] = [g.ands[v - first].left, g.ands[v - first].right]
            while let l = stack.popLast() {
                let u = Int(l.variable)
                if !l.isComplemented && u >= first && refs[u] == 1 && leaves.count + stack.count < 64 {
                    stack.append(g.ands[u - first].left); stack.append(g.ands[u - first].right)
                } else {
                    leaves.append(l)
                }
            }
            var inputs = leaves.map { l -> Literal in
                let u = Int(l.variable)
                return (u < first ? Literal(variable: UInt32(u)) : build(u)).complemented(if: l.isComplemented)
            }
            // Pair the shallowest first; among equals, an AND that exists already.
            while inputs.count > 1 {
                inputs.sort { newLevel($0) > newLevel($1) }
                let x = inputs.removeLast()
                var partner = inputs.count - 1
                let lowest = newLevel(inputs[partner])
                var j = partner
                while j >= 0 && newLevel(inputs[j]) == lowest {
                    if b.existingAnd(x, inputs[j]) != nil { partner = j; break }
                    j -= 1
                }
                let y = inputs.remove(at: partner)
                inputs.append(and(x, y))
            }
            let r = inputs.first ?? .true
            map[v] = r
            return r
        }
        // ANDs inside a supergate are built only as part of it.
        var absorbed = [Bool](repeating: false, count: count)
        for a in g.ands {
            for l in [a.left, a.right] where !l.isComplemented && Int(l.variable) >= first && refs[Int(l.variable)] == 1 { absorbed[Int(l.variable)] = true }
        }
        for j in 0..<g.andCount where refs[first + j] > 0 && !absorbed[first + j] { _ = build(first + j) }
        for o in g.outputs {
            let v = Int(o.variable)
            let m = v < first ? Literal(variable: UInt32(v)) : (map[v] ?? build(v))
            b.addOutput(m.complemented(if: o.isComplemented))
        }
        var out = b.finish().cleanedUp()
        out.inputNames = aig.inputNames
        out.outputNames = aig.outputNames
        return out
    }
}
