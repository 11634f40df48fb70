import AIG

/// Exact AIG synthesis of small functions with CaDiCaL: the fewest AND
/// gates (complemented edges free) that compute a truth table over up to 6
/// inputs. For `k = 0, 1, ...` a CNF asks for a `k`-gate AIG (selection
/// variables per gate and fanin pair, the gate's 2-input function
/// restricted to one minterm, i.e. an AND with fanin polarities, and one
/// simulation variable per gate and minterm); the first satisfiable `k` is
/// the minimum because every smaller one was refuted (UNSAT).
public enum ExactSynthesis {
    public struct Params: Sendable {
        /// Give up (undecided) above this many gates.
        public var maxGates = 12
        /// Conflicts per SAT call; 0 = none. A call that runs out makes the result undecided.
        public var conflictLimit: UInt32 = 0
        /// Order independent consecutive gates colexicographically by their
        /// fanin pairs (Knuth, TAOCP 7.1.2): every circuit has an order that
        /// meets it, and it cuts the refutations of the smaller counts, the
        /// slow part (4-input classes: see `MiterBench npn4-library`'s log).
        public var orderGates = true
        public init() {}
    }

    /// Gates as literal pairs; literals are `2 * node + complement`, node 0
    /// the constant, nodes `1...n` the inputs, node `n + 1 + g` gate `g`.
    public struct Structure: Sendable, Equatable {
        public var gates: [[Int]]
        public var output: Int
        public init(gates: [[Int]], output: Int) { self.gates = gates; self.output = output }
    }

    public enum Result: Sendable, Equatable {
        /// Minimum proved: every smaller gate count was UNSAT.
        case minimum(Structure)
        /// Found with this many gates but a smaller count was not refuted within the budget.
        case undecided(best: Structure?)
    }

    /// `table` bit `m` is the function's value at minterm `m` (input `i` = bit `i` of `m`).
    public static func synthesize(table: UInt64, inputs n: Int, params: Params = Params()) -> Result {
        precondition(n >= 1 && n <= 6)
        let rows = 1 << n
        let mask: UInt64 = rows == 64 ? ~0 : (1 << UInt64(rows)) - 1
        let f = table & mask
        // Zero gates: a constant or a (complemented) input.
        if f == 0 { return .minimum(Structure(gates: [], output: 0)) }
        if f == mask { return .minimum(Structure(gates: [], output: 1)) }
        for i in 0..<n {
            var x: UInt64 = 0
            for m in 0..<rows where (m >> i) & 1 != 0 { x |= 1 << UInt64(m) }
            if f == x { return .minimum(Structure(gates: [], output: 2 * (i + 1))) }
            if f == ~x & mask { return .minimum(Structure(gates: [], output: 2 * (i + 1) + 1)) }
        }
        // Upwards while every count is refuted; a count that runs out of
        // conflicts switches to downwards from `maxGates` (large counts are
        // easy to satisfy): the smallest count found is then the answer, a
        // structure but not a proved minimum.
        var open = params.maxGates + 1
        for k in 1...params.maxGates {
            switch attempt(f, n, k, params) {
            case .sat(let s): return .minimum(s)
            case .unsat: continue
            case .unknown: open = k
            }
            break
        }
        guard open <= params.maxGates else { return .undecided(best: nil) }
        var best: Structure? = nil
        for k in stride(from: params.maxGates, through: open, by: -1) {
            guard case .sat(let s) = attempt(f, n, k, params) else { break }
            best = s
        }
        return .undecided(best: best)
    }

    public enum Attempt { case sat(Structure), unsat, unknown }

    /// One gate count: a `k`-gate structure, a refutation, or out of conflicts.
    public static func attempt(_ f: UInt64, _ n: Int, _ k: Int, _ params: Params) -> Attempt {
        let sat = CaDiCaLBackend()
        let rows = 1 << n
        let trueLit = sat.newVariable() * 2
        sat.addClause(trueLit)
        // Simulation literal of node j (0-based: inputs 0..<n, gates n..<n+k) at minterm m.
        var sim = [[Int32]](repeating: [], count: n + k)
        for i in 0..<n { sim[i] = (0..<rows).map { m in (m >> i) & 1 != 0 ? trueLit : trueLit ^ 1 } }
        for g in 0..<k { sim[n + g] = (0..<rows).map { _ in sat.newVariable() * 2 } }
        // Gate function: exactly one of the four fanin minterms (a, b) gives 1.
        var fn = [[Int32]](repeating: [], count: k)
        var sel = [[(Int, Int, Int32)]](repeating: [], count: k)
        for g in 0..<k {
            fn[g] = (0..<4).map { _ in sat.newVariable() * 2 }
            sat.addClause(fn[g])
            for a in 0..<4 { for b in (a + 1)..<4 { sat.addClause(fn[g][a] ^ 1, fn[g][b] ^ 1) } }
            let node = n + g
            for j in 0..<node { for l in (j + 1)..<node { sel[g].append((j, l, sat.newVariable() * 2)) } }
            sat.addClause(sel[g].map(\.2))
            for x in 0..<sel[g].count { for y in (x + 1)..<sel[g].count { sat.addClause(sel[g][x].2 ^ 1, sel[g][y].2 ^ 1) } }
            // s ∧ (x_j = a) ∧ (x_l = b) → (x_node ↔ fn[a b]).
            for (j, l, s) in sel[g] {
                for m in 0..<rows {
                    for a in 0..<2 { for b in 0..<2 {
                        let xj = a == 1 ? sim[j][m] ^ 1 : sim[j][m]
                        let xl = b == 1 ? sim[l][m] ^ 1 : sim[l][m]
                        let v = fn[g][a * 2 + b]
                        sat.addClause([s ^ 1, xj, xl, sim[node][m] ^ 1, v])
                        sat.addClause([s ^ 1, xj, xl, sim[node][m], v ^ 1])
                    } }
                }
            }
        }
        // Every gate but the last feeds a later gate (no useless gates).
        for g in 0..<(k - 1) {
            let node = n + g
            var users: [Int32] = []
            for h in (g + 1)..<k { for (j, l, s) in sel[h] where j == node || l == node { users.append(s) } }
            sat.addClause(users)
        }
        if params.orderGates {
            for g in 0..<(k - 1) {
                let node = n + g
                for (j, l, s) in sel[g] {
                    for (j2, l2, s2) in sel[g + 1] where j2 != node && l2 != node && (l2 < l || (l2 == l && j2 < j)) {
                        sat.addClause(s ^ 1, s2 ^ 1)
                    }
                }
            }
        }
        // The last gate computes f or ¬f.
        let outNeg = sat.newVariable() * 2
        let last = n + k - 1
        for m in 0..<rows {
            let x = sim[last][m]
            if (f >> UInt64(m)) & 1 != 0 { sat.addClause(x, outNeg); sat.addClause(x ^ 1, outNeg ^ 1) }
            else { sat.addClause(x ^ 1, outNeg); sat.addClause(x, outNeg ^ 1) }
        }
        switch sat.solve([], conflictLimit: params.conflictLimit, branchOn: [], budget: CheckBudget(deadline: .infinity)) {
        case .unsat: return .unsat
        case .unknown: return .unknown
        case .sat:
            var gates: [[Int]] = []
            func literal(_ node: Int) -> Int { node < n ? 2 * (node + 1) : 2 * (node + 1) }
            for g in 0..<k {
                let fv = sat.values(fn[g].map { $0 >> 1 })
                let minterm = fv.firstIndex(of: true) ?? 3
                let a = minterm >> 1, b = minterm & 1
                guard let chosen = sel[g].first(where: { sat.values([$0.2 >> 1])[0] }) else { return .unknown }
                // The gate is 1 exactly when x_j = a and x_l = b: AND of x_j^(¬a), x_l^(¬b).
                gates.append([literal(chosen.0) + (a == 0 ? 1 : 0), literal(chosen.1) + (b == 0 ? 1 : 0)])
            }
            let neg = sat.values([outNeg >> 1])[0]
            return .sat(Structure(gates: gates, output: 2 * (n + k) + (neg ? 1 : 0)))
        }
    }
}
