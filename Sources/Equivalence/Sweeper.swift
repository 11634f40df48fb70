import AIG
import CZ3
import Simulation

/// SAT sweeping over a miter: nodes are rebuilt in topological order into a
/// structurally hashed "fraig"; a node whose simulation signature equals (or
/// complements) an earlier node's is proved equal with Z3 and merged, so later
/// queries see a smaller circuit. Every counterexample becomes a new pattern
/// that splits the candidate classes. Node definitions reach Z3 lazily: only
/// the cones that queries touch are encoded.
struct Sweeper {
    enum Answer { case unsat, sat([Bool]), unknown(String) }

    let m: AIG
    let params: EquivalenceChecker.Params
    let deadline: Double
    let sim: Simulator

    var fraig: AIGBuilder
    /// Miter variable → fraig literal.
    var map: [Literal]
    let solver: Z3Solver
    var z3Vars: [Z3_ast?] = []
    var inputVars: [Z3_ast] = []
    var currentConflictLimit: UInt32? = nil

    // Counterexample patterns, 64 per batch: input words and the value word of every miter variable.
    var cexInputs: [[UInt64]] = []
    var cexValues: [[UInt64]] = []
    var cexCount = 0
    var cexBatches: Int { cexInputs.count }

    var satCalls = 0, satSat = 0, satUnsat = 0, satUnknown = 0
    var merged = 0, candidates = 0, classCount = 0
    var localSat = 0, localUnsat = 0, cutProofs = 0
    var cutProver = CutProver()
    var support = SupportTable()

    init(miter: AIG, params: EquivalenceChecker.Params, deadline: Double, sim: Simulator) {
        m = miter
        self.params = params
        self.deadline = deadline
        self.sim = sim
        fraig = AIGBuilder(inputCount: miter.inputCount, expectedAnds: miter.andCount)
        map = [Literal](repeating: .false, count: miter.maxVariable + 1)
        for v in 0...miter.inputCount { map[v] = Literal(variable: UInt32(v)) }
        solver = Z3Solver(logic: params.solverLogic)
        z3Vars = [Z3_ast?](repeating: nil, count: miter.inputCount + 1)
        z3Vars[0] = solver.falseValue
        for i in 0..<miter.inputCount {
            let v = solver.boolVariable("i\(i)")
            z3Vars[i + 1] = v
            inputVars.append(v)
        }
    }

    /// Rebuilds the miter into the fraig without any proofs.
    mutating func mapWithoutSweeping() {
        for k in 0..<m.andCount {
            let a = m.ands[k]
            map[m.firstAndVariable + k] = fraig.and(map.translate(a.left), map.translate(a.right))
        }
    }

    mutating func sweep(roots: [Literal]) {
        let cone = m.cone(of: roots)
        let n = m.maxVariable + 1
        let w = sim.wordsPerVariable
        // Phase-normalised signature hashes of the candidates (constant, inputs, cone ANDs).
        var hash = [UInt64](repeating: 0, count: n)
        var phase = [Bool](repeating: false, count: n)
        var candidates: [Int32] = []
        sim.withValues { vals in
            for v in 0..<n where v <= m.inputCount || cone[v] {
                let flip = vals[v * w] & 1 != 0
                let mask: UInt64 = flip ? ~0 : 0
                var h: UInt64 = 0x9E37_79B9_7F4A_7C15
                for i in 0..<w { h = (h ^ (vals[v * w + i] ^ mask)) &* 0xFF51_AFD7_ED55_8CCD; h ^= h >> 29 }
                hash[v] = h; phase[v] = flip
                candidates.append(Int32(v))
            }
        }
        // Classes: equal hashes, numbered by sorting (no dictionary in the loop).
        candidates.sort { hash[Int($0)] != hash[Int($1)] ? hash[Int($0)] < hash[Int($1)] : $0 < $1 }
        var classOf = [Int32](repeating: -1, count: n)
        var classSize: [Int32] = []
        for (idx, v) in candidates.enumerated() {
            if idx == 0 || hash[Int(candidates[idx - 1])] != hash[Int(v)] { classSize.append(0) }
            classOf[Int(v)] = Int32(classSize.count - 1)
            classSize[classSize.count - 1] += 1
        }
        classCount = classSize.filter { $0 > 1 }.count
        var reprs = [[Int32]](repeating: [], count: classSize.count)
        for v in 0...m.inputCount { reprs[Int(classOf[v])].append(Int32(v)) }

        support = SupportTable(m, cone: cone)
        let first = m.firstAndVariable
        for k in 0..<m.andCount {
            let v = first + k
            guard cone[v] else { continue }
            let a = m.ands[k]
            let lit = fraig.and(map.translate(a.left), map.translate(a.right))
            map[v] = lit
            let cid = Int(classOf[v])
            guard classSize[cid] > 1 else { continue }
            var done = false
            for r in reprs[cid] where signaturesEqual(v, Int(r), phase) {
                let target = map[Int(r)].complemented(if: phase[v] != phase[Int(r)])
                if target == lit { done = true; break }
                if now() > deadline { break }
                self.candidates += 1
                // Small joint support: exhaustive simulation of the two cones decides exactly,
                // much faster than a solver call.
                if let local = support.proveLocally(m, v, Int(r), complemented: phase[v] != phase[Int(r)]) {
                    if let vector = local {
                        addCounterexample(vector); localSat += 1
                    } else {
                        map[v] = target; merged += 1; done = true; localUnsat += 1
                    }
                    break
                }
                if cutProver.provesEqual(fraig, lit, target) {
                    map[v] = target; merged += 1; done = true; cutProofs += 1
                    break
                }
                switch prove(lit, target, conflictLimit: params.sweepConflictLimit) {
                case .unsat: map[v] = target; merged += 1; done = true
                case .sat(let vector): addCounterexample(vector)
                case .unknown: break
                }
                break
            }
            if !done { reprs[cid].append(Int32(v)) }
        }
    }

    func signaturesEqual(_ v: Int, _ r: Int, _ phase: [Bool]) -> Bool {
        let w = sim.wordsPerVariable
        let mv: UInt64 = phase[v] ? ~0 : 0, mr: UInt64 = phase[r] ? ~0 : 0
        let equal = sim.withValues { vals in
            for i in 0..<w where vals[v * w + i] ^ mv != vals[r * w + i] ^ mr { return false }
            return true
        }
        guard equal else { return false }
        for batch in cexValues where batch[v] ^ mv != batch[r] ^ mr { return false }
        return true
    }

    /// Adds one counterexample pattern and simulates its batch word over the whole miter.
    mutating func addCounterexample(_ vector: [Bool]) {
        let bit = cexCount % 64
        if bit == 0 {
            cexInputs.append([UInt64](repeating: 0, count: m.inputCount))
            cexValues.append([UInt64](repeating: 0, count: m.maxVariable + 1))
        }
        let b = cexInputs.count - 1
        for (i, x) in vector.enumerated() where x { cexInputs[b][i] |= 1 << UInt64(bit) }
        cexCount += 1
        let first = m.firstAndVariable
        let inputs = cexInputs[b]
        cexValues[b].withUnsafeMutableBufferPointer { val in
            for i in 0..<m.inputCount { val[i + 1] = inputs[i] }
            m.ands.withUnsafeBufferPointer { ands in
                for k in 0..<ands.count {
                    let l = ands[k].left, r = ands[k].right
                    let x = val[Int(l.variable)] ^ (l.isComplemented ? ~0 : 0)
                    let y = val[Int(r.variable)] ^ (r.isComplemented ? ~0 : 0)
                    val[first + k] = x & y
                }
            }
        }
    }

    /// Asks Z3 whether miter literals `x` and `y` can differ (after sweeping).
    mutating func proveMiterLiterals(_ x: Literal, _ y: Literal, conflictLimit: UInt32) -> Answer {
        let fx = map.translate(x), fy = map.translate(y)
        if cutProver.provesEqual(fraig, fx, fy) { cutProofs += 1; return .unsat }
        return prove(fx, fy, conflictLimit: conflictLimit)
    }

    /// Asks Z3 whether fraig literals `x` and `y` can differ.
    mutating func prove(_ x: Literal, _ y: Literal, conflictLimit: UInt32) -> Answer {
        if x == y { return .unsat }
        let remaining = deadline - now()
        if remaining <= 0 { return .unknown("timeout") }
        let ex = encode(x), ey = encode(y)
        // Changing Z3's parameters is costly: only when the conflict budget changes.
        // The timeout is the whole remaining budget, set with it.
        if conflictLimit != currentConflictLimit {
            let ms = remaining.isFinite ? UInt32(min(remaining * 1000 + 1, Double(UInt32.max / 2))) : 0
            solver.setLimits(timeoutMilliseconds: ms, maxConflicts: conflictLimit)
            currentConflictLimit = conflictLimit
        }
        // Two calls under assumptions (x ∧ ¬y, then ¬x ∧ y): no new variables or unit
        // clauses, which would make Z3 clean up its whole clause database on the next call.
        for (p, q) in [(ex, solver.not(ey)), (solver.not(ex), ey)] {
            satCalls += 1
            switch solver.check(assuming: [p, q]) {
            case .unsat:
                satUnsat += 1
                // Keep what was proved: p → ¬q helps later queries.
                solver.assert(solver.or(solver.not(p), solver.not(q)))
            case .sat:
                satSat += 1
                return .sat(solver.modelValues(inputVars))
            case .unknown(let reason):
                satUnknown += 1
                return .unknown(now() > deadline ? "timeout" : "solver budget exhausted (\(reason))")
            }
        }
        return .unsat
    }

    /// The Z3 term of a fraig literal, asserting the definitions of its cone on first use.
    mutating func encode(_ l: Literal) -> Z3_ast {
        let needed = fraig.maxVariable + 1
        if z3Vars.count < needed { z3Vars.append(contentsOf: repeatElement(nil, count: needed - z3Vars.count)) }
        var stack: [Int] = [Int(l.variable)]
        while let v = stack.last {
            if z3Vars[v] != nil { stack.removeLast(); continue }
            let f = fraig.fanins(ofVariable: v)
            let lv = Int(f.left.variable), rv = Int(f.right.variable)
            if z3Vars[lv] == nil { stack.append(lv); continue }
            if z3Vars[rv] == nil { stack.append(rv); continue }
            stack.removeLast()
            let node = solver.boolVariable("n\(v)")
            // Tseitin clauses: node → a, node → b, a ∧ b → node.
            let a = term(f.left), b = term(f.right)
            solver.assert(solver.or(solver.not(node), a))
            solver.assert(solver.or(solver.not(node), b))
            solver.assert(solver.or3(node, solver.not(a), solver.not(b)))
            z3Vars[v] = node
        }
        return term(l)
    }

    func term(_ l: Literal) -> Z3_ast {
        // Callers have encoded the variable.
        let v = z3Vars[Int(l.variable)]!
        return l.isComplemented ? solver.not(v) : v
    }
}
