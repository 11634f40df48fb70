import AIG
import CZ3
import Simulation

// Certificates (`miter check --certify`, `miter certify-check`): the checker
// writes down what an `equivalent` verdict rests on — every merge of SAT
// sweeping and every output proof, in order — and `CertificateChecker`
// re-proves each of those lemmas with Z3, independently of the engine that
// found it (built-in solver, CaDiCaL, BDDs, exhaustive or cut simulation).

extension EquivalenceChecker {
    /// Checks `a` against `b` like `check`, and returns the certificate of
    /// the verdict (nil when undecided). The whole-miter portfolio attempt
    /// is off (see `Params.recordProof`); a BDD proof is written as the
    /// merges of nodes with equal BDDs (`CheckRun.bddMerges`).
    public func certify(_ a: AIG, _ b: AIG, circuitA: String, circuitB: String) throws(Failure) -> (CheckResult, Stats, Certificate?) {
        var p = params
        p.recordProof = true
        var run = CheckRun(params: p)
        var (result, stats) = try run.check(a, b)
        guard let miter = run.miter else { return (result, stats, nil) }
        switch result {
        case .equivalent:
            let start = now()
            let lemmas = Self.lemmas(miter.aig, run.trail)
            stats.certificateSeconds = now() - start
            return (result, stats, Certificate(verdict: .equivalent, circuitA: circuitA, circuitB: circuitB, miter: miter.aig,
                                               lemmas: lemmas, counterexample: nil))
        case .notEquivalent(let cex):
            return (result, stats, Certificate(verdict: .notEquivalent, circuitA: circuitA, circuitB: circuitB, miter: miter.aig,
                                               lemmas: [], counterexample: cex.inputs))
        case .undecided:
            return (result, stats, nil)
        }
    }

    /// Numbers the trail's merges, then its output proofs (by output), with
    /// the lemmas each one's cones reach first (`LemmaDependencies`).
    static func lemmas(_ m: AIG, _ trail: CheckRun.ProofTrail) -> [Lemma] {
        let outputs = trail.outputs.sorted(by: { $0.output < $1.output })
        let merges = trail.merges.count
        let assumes = LemmaDependencies.all(m, merges: trail.merges.enumerated().map { ($1.variable, Int($1.target.variable), $0 + 1) },
                                            outputs: outputs.enumerated().map { ($1.output, merges + $0 + 1) },
                                            mergeLists: trail.mergeDependencies)
        var lemmas: [Lemma] = []
        lemmas.reserveCapacity(assumes.count)
        for merge in trail.merges {
            let n = lemmas.count + 1
            lemmas.append(Lemma(number: n, claim: .merge(x: Literal(variable: UInt32(merge.variable)), y: merge.target),
                                method: merge.method, assumes: assumes[n - 1], cut: merge.cut))
        }
        for (k, method, cut) in outputs {
            lemmas.append(Lemma(number: lemmas.count + 1, claim: .output(k), method: method, assumes: assumes[lemmas.count], cut: cut))
        }
        return lemmas
    }
}

extension LemmaDependencies {
    /// Every lemma's dependencies, the walks spread over the cores: `merges`
    /// (variable, representative, lemma number) and `outputs` (output index,
    /// lemma number), results in that order, merges first. Each walk counts
    /// only merges numbered below its own lemma, so the table can hold every
    /// merge before the walks start, and each list is what a walk at that
    /// lemma's turn would give (sqrt vs resyn2: 0.20 → 0.11 s; the walks
    /// cross deep unmerged cones). Claims with variables or outputs out of
    /// range get no list (the checker rejects them before reading one).
    /// `mergeLists`: the merges' lists already walked (`LemmaPipeline`); only the outputs' are walked then.
    static func all(_ m: AIG, merges: [(variable: Int, representative: Int, lemma: Int)], outputs: [(output: Int, lemma: Int)],
                    mergeLists: [[Int]]? = nil, jobs: Int = 0) -> [[Int]] {
        var table = LemmaDependencies(variableCount: m.maxVariable + 1)
        for merge in merges where merge.variable <= m.maxVariable { table.recordFirstMerge(variable: merge.variable, lemma: merge.lemma) }
        table.prepareWalks(m)
        // Walked already: the output lemmas' walks only (they cross the first
        // circuit's output cones, multiplier vs resyn2: 8-11 ms on one thread).
        let walked = mergeLists?.count == merges.count ? mergeLists : nil
        let skip = walked == nil ? 0 : merges.count
        let total = merges.count + outputs.count
        let states = parallelWorkers(count: total - skip, jobs: jobs > 0 ? jobs : onlineProcessorCount(), grain: walked == nil ? 64 : 8,
                                     makeState: { (table, [(Int, [Int])]()) }, body: { state, range in
            for i in range.lowerBound + skip..<range.upperBound + skip {
                if i < merges.count {
                    let (v, r, n) = merges[i]
                    guard v <= m.maxVariable, r <= m.maxVariable else { continue }
                    state.1.append((i, state.0.mergeDependencies(m, variable: v, representative: r, before: n)))
                } else {
                    let (k, n) = outputs[i - merges.count]
                    guard k >= 0, k < m.outputs.count else { continue }
                    state.1.append((i, state.0.dependencies(m, roots: [Int(m.outputs[k].variable)], before: n)))
                }
            }
        })
        var result = (walked ?? []) + [[Int]](repeating: [], count: total - skip)
        for state in states { for (i, d) in state.1 { result[i] = d } }
        return result
    }
}

/// Re-proves a certificate's lemmas with Z3. The lemmas are replayed in
/// order over a copy of the miter that is rebuilt node by node (structural
/// hashing): a node whose merge lemma holds is replaced by the literal it
/// equals, so each later lemma is asked over the same reduced cones the
/// checker's solver saw (the cut points of the original proof). Each lemma
/// is settled by Z3 queries (`Z3LemmaProver`: the nodes as Z3 formulas, not
/// our CNF encoding) that must end UNSAT; a lemma whose two sides hash to
/// the same node needs none.
public struct CertificateChecker {
    public struct Params: Sendable {
        /// Total time budget in seconds (0: none); running out gives `undecided`.
        public var timeout = 0.0
        /// Start a fresh Z3 solver after this many queries when it holds
        /// more than `recycleFactor` times the nodes of the next query's
        /// cone (a solver bloated with unrelated cones slows every query;
        /// 0: never). The solver of SAT-found lemmas may start afresh after
        /// any query (their cones are large and few).
        public var recycleQueries = 200
        public var recycleFactor = 10
        /// Z3 workers, each with its own context (0: one per core). The
        /// lemmas are independent once the reduced miter is built, so they
        /// are proved in parallel; the first failing lemma is still the
        /// lowest-numbered one.
        public var jobs = 0
        public init() {}
    }

    public struct LemmaTime: Sendable, Equatable, Codable {
        public var lemma: Int
        public var seconds: Double
    }

    public struct Report: Sendable, Equatable {
        public enum Verdict: String, Sendable, Codable { case holds, fails, undecided }
        public var verdict: Verdict
        /// The first lemma that does not hold (or was not decided); for a
        /// missing output lemma, one past the last lemma.
        public var failedLemma: Int? = nil
        public var reason: String? = nil
        public var lemmas = 0
        /// Lemmas Z3 proved, and lemmas whose sides were one node after hashing.
        public var z3Proofs = 0
        public var structural = 0
        /// Of the Z3 proofs, those over a lemma's cut hint alone, and those
        /// over a window of the cones (`Z3LemmaProver.windowDepths`).
        public var cutHintProofs = 0
        public var windowProofs = 0
        /// Z3's time summed over the workers (`workers` of them ran).
        public var z3Seconds = 0.0
        public var workers = 1
        public var seconds = 0.0
        /// The slowest lemmas (at most 10), slowest first.
        public var slowest: [LemmaTime] = []
        /// Counterexample certificates: the miter outputs the vector sets to 1.
        public var differingOutputs: [Int] = []
    }

    public var params: Params
    public init(params: Params = Params()) { self.params = params }

    public func check(_ c: Certificate) -> Report {
        let start = now()
        var report: Report
        switch c.verdict {
        case .notEquivalent: report = replay(c)
        case .equivalent: report = prove(c, deadline: params.timeout > 0 ? start + params.timeout : .infinity)
        }
        report.seconds = now() - start
        return report
    }

    private func replay(_ c: Certificate) -> Report {
        guard let vector = c.counterexample, vector.count == c.miter.inputCount else {
            return Report(verdict: .fails, failedLemma: nil, reason: "the certificate has no counterexample of \(c.miter.inputCount) values")
        }
        guard c.lemmas.isEmpty else {
            return Report(verdict: .fails, failedLemma: 1, reason: "a not-equivalent certificate cannot have lemmas")
        }
        guard let outputs = try? evaluate(c.miter, inputs: vector) else {
            return Report(verdict: .fails, reason: "the miter cannot be simulated")
        }
        let ones = outputs.indices.filter { outputs[$0] }
        if ones.isEmpty { return Report(verdict: .fails, reason: "the counterexample sets no miter output to 1: the circuits agree on it") }
        var r = Report(verdict: .holds)
        r.differingOutputs = ones
        return r
    }

    /// One Z3 query: lemma `lemma`'s two sides in the reduced miter, and the
    /// nodes its cut hint frees (empty: no hint).
    struct Query {
        var lemma: Int
        var x: Literal, y: Literal
        var free: [Int]
        /// Found by a SAT solver: a hard query, where what the incremental
        /// solver learnt from earlier ones pays (see `Z3LemmaProver.differ`).
        var hard: Bool
    }

    private struct Outcome {
        var lemma: Int
        var answer: SolverAnswer
        var seconds: Double
        var route: Z3LemmaProver.Route
    }

    private func prove(_ c: Certificate, deadline: Double) -> Report {
        let m = c.miter
        var report = Report(verdict: .holds)
        report.lemmas = c.lemmas.count
        func failure(_ n: Int, _ why: String) -> Report {
            var r = Report(verdict: .fails)
            r.lemmas = c.lemmas.count; r.failedLemma = n; r.reason = why
            return r
        }
        // Phase 1 (no solver): the lemmas' order, ranges and dependencies,
        // the reduced miter, and one query per lemma whose sides are not one
        // node. It stops at the first malformed lemma.
        var builder = AIGBuilder(inputCount: m.inputCount, expectedAnds: m.andCount)
        var map = [Literal](repeating: .false, count: m.maxVariable + 1)
        for v in 0...m.inputCount { map[v] = Literal(variable: UInt32(v)) }
        var next = m.firstAndVariable
        func translate(upTo end: Int) {
            while next <= end {
                let f = m.ands[next - m.firstAndVariable]
                map[next] = builder.and(map.translate(f.left), map.translate(f.right))
                next += 1
            }
        }
        // The dependency walks first, in parallel (each counts only earlier
        // merges); the loop below compares them in order.
        var mergeClaims: [(variable: Int, representative: Int, lemma: Int)] = [], outputClaims: [(output: Int, lemma: Int)] = []
        for (i, l) in c.lemmas.enumerated() {
            switch l.claim {
            case .merge(let x, let y): mergeClaims.append((Int(x.variable), Int(y.variable), i + 1))
            case .output(let k): outputClaims.append((k, i + 1))
            }
        }
        let needs = LemmaDependencies.all(m, merges: mergeClaims, outputs: outputClaims, jobs: params.jobs)
        var mergeIndex = 0, outputIndex = mergeClaims.count
        var covered = [Int](repeating: 0, count: m.outputs.count)
        var lastMerged = 0, lastMergeLemma = 0, firstOutputLemma = 0
        var queries: [Query] = []
        var malformed: Report? = nil

        lemmas: for (i, lemma) in c.lemmas.enumerated() {
            let n = i + 1
            func fail(_ why: String) { malformed = failure(n, why) }
            guard lemma.number == n else { fail("lemma number \(lemma.number) at position \(n): lemmas are numbered 1, 2, … in order"); break }
            if let bad = lemma.assumes.first(where: { $0 >= n }) { fail("assumes lemma \(bad), which is not an earlier lemma"); break }
            // Certificates built in code skip the file parser's range checks.
            switch lemma.claim {
            case .merge(let lx, let ly) where Int(lx.variable) > m.maxVariable || Int(ly.variable) > m.maxVariable:
                fail("literal out of range (the miter has \(m.maxVariable) variables)"); break lemmas
            case .output(let k) where k < 0 || k >= m.outputs.count:
                fail("output \(k) out of range (the miter has \(m.outputs.count) outputs)"); break lemmas
            default: break
            }
            let x: Literal, y: Literal, needed: [Int]
            switch lemma.claim {
            case .merge(let lx, let ly):
                let v = Int(lx.variable)
                if firstOutputLemma > 0 { fail("a merge after output lemma \(firstOutputLemma): merges come first"); break lemmas }
                guard v >= m.firstAndVariable else { fail("literal \(lx.raw) is not an AND node of the miter (only ANDs are merged)"); break lemmas }
                guard v > lastMerged else {
                    fail("merges variable \(v) after lemma \(lastMergeLemma) merged variable \(lastMerged): merges follow the miter's topological order"); break lemmas
                }
                guard Int(ly.variable) < v else { fail("merges literal \(lx.raw) into literal \(ly.raw), which is not an earlier node"); break lemmas }
                translate(upTo: v)
                x = map[v].complemented(if: lx.isComplemented); y = map.translate(ly)
                needed = needs[mergeIndex]; mergeIndex += 1
            case .output(let k):
                if firstOutputLemma == 0 { firstOutputLemma = n; translate(upTo: m.maxVariable) }
                if covered[k] > 0 { fail("output \(k) was already proved by lemma \(covered[k])"); break lemmas }
                x = map.translate(m.outputs[k]); y = .false
                needed = needs[outputIndex]; outputIndex += 1
            }
            if needed != lemma.assumes {
                fail("assumes \(list(lemma.assumes)) but its cones rely on \(list(needed))"); break
            }
            if x == y {
                report.structural += 1
            } else {
                let hint = !lemma.cut.isEmpty && lemma.cut.allSatisfy({ $0 < next }) ? lemma.cut.map { Int(map[$0].variable) } : []
                queries.append(Query(lemma: n, x: x, y: y, free: hint, hard: lemma.method == .sat))
            }
            switch lemma.claim {
            case .merge(let lx, let ly):
                let v = Int(lx.variable)
                map[v] = map.translate(ly).complemented(if: lx.isComplemented)
                lastMerged = v; lastMergeLemma = n
            case .output(let k):
                covered[k] = n
            }
        }

        // Phase 2: the queries, in parallel; each must be UNSAT. Workers skip
        // lemmas past the lowest failure found so far.
        let reduced = builder.aig
        let firstFailure = SharedState(Int.max)
        let params = self.params
        let states = parallelWorkers(count: queries.count, jobs: params.jobs > 0 ? params.jobs : onlineProcessorCount(), grain: 32,
                                     makeState: { (Z3LemmaProver(recycleQueries: params.recycleQueries, recycleFactor: params.recycleFactor), [Outcome]()) },
                                     body: { state, range in
            for q in queries[range] {
                if firstFailure.withLock({ $0 }) < q.lemma { return }
                let t = now()
                let (answer, route) = state.0.prove(q, in: reduced, deadline: deadline)
                state.1.append(Outcome(lemma: q.lemma, answer: answer, seconds: now() - t, route: route))
                if case .unsat = answer { continue }
                firstFailure.withLock { $0 = min($0, q.lemma) }
            }
        })
        report.workers = max(1, states.count)
        var outcomes = states.flatMap { $0.1 }
        outcomes.sort { $0.lemma < $1.lemma }
        for o in outcomes {
            report.z3Seconds += o.seconds
            switch o.answer {
            case .unsat:
                report.z3Proofs += 1
                switch o.route {
                case .cutHint: report.cutHintProofs += 1
                case .window: report.windowProofs += 1
                case .wholeCone: break
                }
            case .sat:
                return failure(o.lemma, "Z3 finds an input vector on which the two sides differ")
            case .unknown(let why):
                var r = failure(o.lemma, "Z3 did not decide it (\(why.isEmpty ? "timeout" : why))")
                r.verdict = .undecided
                return r
            }
        }
        if let malformed { return malformed }
        if let k = covered.firstIndex(of: 0) {
            let name = m.outputNames.indices.contains(k) ? m.outputNames[k].map { " (\($0))" } ?? "" : ""
            return failure(c.lemmas.count + 1, "no lemma proves output \(k)\(name)")
        }
        report.slowest = Array(outcomes.map { LemmaTime(lemma: $0.lemma, seconds: $0.seconds) }.sorted { $0.seconds > $1.seconds }.prefix(10))
        return report
    }

    private func list(_ a: [Int]) -> String { a.isEmpty ? "no lemma" : "lemmas " + a.map(String.init).joined(separator: ", ") }
}

/// Z3 queries for the lemmas of one worker. Each lemma is asked over the
/// smallest cone that may settle it: its cut hint, its whole cone when that
/// is small (`smallCone`), then windows of the two cones (nodes
/// `windowDepths` levels down left free), each a small query in a push/pop
/// scope; only then the whole cone, in an incremental solver.
/// UNSAT with nodes left free implies UNSAT with them bound, so a small query
/// can only prove a lemma; a SAT answer there just moves to the next one.
struct Z3LemmaProver {
    /// How a lemma was settled: over its cut hint, a window of its cones, or
    /// its whole cone (an answer that is not UNSAT always comes from there).
    enum Route { case cutHint, window, wholeCone }

    /// Window depths, tried in order. On the check suite's arithmetic pairs
    /// vs resyn2 (certify-check, 2 workers), no windows → 2, 6, 16: hyp
    /// 148 s → 1.4 s, sqrt 8.9 → 1.8 s, multiplier 2.5 → 0.9 s. Most SAT-proved
    /// lemmas there hold over 6 nodes (2 levels) whose whole cones of 4–190 k
    /// ANDs took Z3 up to 76 s each in the incremental solver; 2, 8, 32 and
    /// 4, 16 were as fast or slower (sqrt 2.7 s with 2, 8, 32).
    static let windowDepths = [2, 6, 16]
    /// Cones of at most this many ANDs go to one small query of the whole
    /// cone, without windows (square vs resyn2: 2,977 lemmas proved by
    /// exhaustive simulation, of 6–48 ANDs each).
    static let smallCone = 64

    let recycleQueries: Int
    let recycleFactor: Int
    /// Whole-cone queries of lemmas not found by SAT (scopes), and of
    /// SAT-found ones (activation literals, so learnt clauses stay): apart,
    /// so that neither solver holds the other's cones.
    private var easy = IncrementalCones(logic: Z3LemmaProver.logic)
    private var hard = IncrementalCones(logic: Z3LemmaProver.logic)
    private var cone = ConeCollector()
    /// The solver and node terms of small (cut-hint, window, small-cone) queries.
    private var local: Z3Solver? = nil
    private var localTerms: [Z3_ast?] = []
    private var localStamp: [UInt32] = []
    private var localGeneration: UInt32 = 0
    private var localUnbounded = false
    private var windowStamp: [UInt32] = []
    private var windowGeneration: UInt32 = 0

    /// Z3's SMT core (`QF_UF`) rather than its SAT core (`QF_FD`, what the
    /// checker's Z3 engine uses): certify-check of sin vs two LUT/mfs rounds
    /// (1,021 queries) 4.5 s → 1.6 s, square vs the &-flow (5,194) 7.8 → 4.3 s,
    /// voter (2,998) 3.4 s either way. The default solver: 2.2, 6.6, 6.5 s.
    /// Batching 16–256 consecutive lemmas per query (one disjunction) was
    /// slower on all three (up to 3.5×) and was dropped.
    static let logic = "QF_UF"

    init(recycleQueries: Int, recycleFactor: Int) {
        self.recycleQueries = recycleQueries; self.recycleFactor = recycleFactor
    }

    /// Settles one lemma: UNSAT over its cut hint, a small cone, or a window
    /// proves it; otherwise the whole cone decides.
    mutating func prove(_ q: CertificateChecker.Query, in aig: AIG, deadline: Double) -> (SolverAnswer, Route) {
        if !q.free.isEmpty, case .unsat = differ(q.x, q.y, freeing: q.free, in: aig, deadline: deadline) { return (.unsat, .cutHint) }
        if coneSize(q.x, q.y, limit: Self.smallCone, in: aig) <= Self.smallCone {
            return (differ(q.x, q.y, freeing: [], in: aig, deadline: deadline), .wholeCone)
        }
        for depth in Self.windowDepths {
            let frontier = windowFrontier(q.x, q.y, depth: depth, in: aig)
            // An empty frontier: the window is the whole cone, a small query still.
            if frontier.isEmpty { return (differ(q.x, q.y, freeing: [], in: aig, deadline: deadline), .wholeCone) }
            if case .unsat = differ(q.x, q.y, freeing: frontier, in: aig, deadline: deadline) { return (.unsat, .window) }
        }
        return (differ(q.x, q.y, in: aig, keepLearnt: q.hard, deadline: deadline), .wholeCone)
    }

    /// Whether `x` and `y` can differ, over their whole cones. The goal is
    /// asserted in a push/pop scope, or with `keepLearnt` under an activation
    /// literal retired after the answer, so that the clauses Z3 learnt stay
    /// for later queries. Scopes are cheaper for easy queries (multiplier vs
    /// resyn2: 1.31 → 1.11 s, square 0.68 → 0.60 s), activation literals pay
    /// for SAT-proved lemmas (sqrt: 4.3 s, against 6.8 s with scopes), which
    /// get a solver of their own. Z3's SAT core (`QF_FD`) there took square vs
    /// resyn2 from 0.69 to 0.48 s but sin vs the hard suite's dchmfs flow from
    /// 1.9 to 8.3 s (medians of 3), so both stay on the SMT core.
    mutating func differ(_ x: Literal, _ y: Literal, in aig: AIG, keepLearnt: Bool, deadline: Double) -> SolverAnswer {
        cone.collect(aig, [Int(x.variable), Int(y.variable)])
        if keepLearnt {
            return hard.differ(x, y, cone: cone, in: aig, scoped: false, recycleAfter: recycleQueries > 0 ? 1 : 0, recycleFactor: recycleFactor, deadline: deadline)
        }
        return easy.differ(x, y, cone: cone, in: aig, scoped: true, recycleAfter: recycleQueries, recycleFactor: recycleFactor, deadline: deadline)
    }

    private mutating func nextWindowGeneration(_ width: Int) -> UInt32 {
        if windowStamp.count < width { windowStamp += [UInt32](repeating: 0, count: width - windowStamp.count) }
        windowGeneration &+= 1
        if windowGeneration == 0 { for i in windowStamp.indices { windowStamp[i] = 0 }; windowGeneration = 1 }
        return windowGeneration
    }

    /// The ANDs `depth` levels below `x` and `y` (by their nearest distance):
    /// freeing them cuts the two cones to a window. Empty when the window
    /// holds the whole cone.
    mutating func windowFrontier(_ x: Literal, _ y: Literal, depth: Int, in aig: AIG) -> [Int] {
        let g = nextWindowGeneration(aig.maxVariable + 1), first = aig.firstAndVariable
        var level = [Int(x.variable), Int(y.variable)].filter { $0 >= first }
        for v in level { windowStamp[v] = g }
        for _ in 0..<depth {
            var next: [Int] = []
            for v in level {
                let f = aig.ands[v - first]
                let l = Int(f.left.variable), r = Int(f.right.variable)
                if l >= first && windowStamp[l] != g { windowStamp[l] = g; next.append(l) }
                if r >= first && windowStamp[r] != g { windowStamp[r] = g; next.append(r) }
            }
            if next.isEmpty { return [] }
            level = next
        }
        return level
    }

    /// The ANDs in the cones of `x` and `y`, counted up to `limit + 1`.
    mutating func coneSize(_ x: Literal, _ y: Literal, limit: Int, in aig: AIG) -> Int {
        let g = nextWindowGeneration(aig.maxVariable + 1), first = aig.firstAndVariable
        var stack = [Int(x.variable), Int(y.variable)], count = 0
        while let v = stack.popLast() {
            if v < first || windowStamp[v] == g { continue }
            windowStamp[v] = g; count += 1
            if count > limit { return count }
            let f = aig.ands[v - first]
            stack.append(Int(f.left.variable)); stack.append(Int(f.right.variable))
        }
        return count
    }

    /// Sets the solver's timeout to what is left of `deadline` (false: nothing
    /// is left). An unbounded deadline is set once per solver.
    static func applyDeadline(_ deadline: Double, to solver: Z3Solver, alreadyUnbounded: inout Bool) -> Bool {
        let remaining = deadline - now()
        if remaining <= 0 { return false }
        if remaining.isFinite || !alreadyUnbounded {
            solver.setLimits(timeoutMilliseconds: remaining.isFinite ? UInt32(min(remaining * 1000 + 1, Double(UInt32.max / 2))) : 0, maxConflicts: 0)
            alreadyUnbounded = !remaining.isFinite
        }
        return true
    }

    /// Whether `x` and `y` can differ when the nodes `free` (variables of
    /// `aig`) are free variables: a fresh small query over the cone above
    /// them, in a solver of its own. UNSAT there implies UNSAT with the nodes
    /// bound to their definitions.
    mutating func differ(_ x: Literal, _ y: Literal, freeing free: [Int], in aig: AIG, deadline: Double) -> SolverAnswer {
        // One solver for all cut-hint queries, each in a push/pop scope: its
        // definitions and goal go when it is answered, so node constants are
        // reused. Multiplier vs resyn2 (3,626 cut-hint queries), one worker:
        // 2.44 s with 32 queries per solver under activation literals (fresh
        // constants each), 1.86 s with scopes; a fresh solver per query cost
        // about twice the former.
        let width = aig.maxVariable + 1
        let solver: Z3Solver
        if let local { solver = local } else {
            solver = Z3Solver(logic: Self.logic); local = solver; localUnbounded = false
        }
        guard Self.applyDeadline(deadline, to: solver, alreadyUnbounded: &localUnbounded) else { return .unknown("timeout") }
        solver.push()
        localGeneration &+= 1
        if localStamp.count < width { localStamp += [UInt32](repeating: 0, count: width - localStamp.count) }
        if localTerms.count < width { localTerms += [Z3_ast?](repeating: nil, count: width - localTerms.count) }
        let g = localGeneration
        for v in free where v > 0 { localStamp[v] = g; localTerms[v] = solver.boolVariable(id: Int32(v + 1)) }
        // The cone above the free nodes, defined bottom-up (an explicit stack: cones can be deep).
        let first = aig.firstAndVariable
        var stack: [(Int, Bool)] = [(Int(x.variable), false), (Int(y.variable), false)]
        while let (v, expanded) = stack.popLast() {
            if v == 0 || (localStamp[v] == g && !expanded) { continue }
            if v < first { localStamp[v] = g; localTerms[v] = solver.boolVariable(id: Int32(v + 1)); continue }
            let f = aig.ands[v - first]
            if !expanded {
                localStamp[v] = g
                localTerms[v] = nil
                stack.append((v, true))
                stack.append((Int(f.left.variable), false)); stack.append((Int(f.right.variable), false))
                continue
            }
            // Terms, not constants with definitions: Z3 internalizes an AND
            // term several times faster than an `iff` definition (square vs
            // resyn2: 1.08 → 0.6 s; an 8-AND query 0.11 → 0.03 ms).
            localTerms[v] = solver.and(localTerm(f.left, solver), localTerm(f.right, solver))
        }
        solver.assert(solver.xor(localTerm(x, solver), localTerm(y, solver)))
        let answer = solver.check(assuming: [])
        solver.pop()
        return answer
    }

    private func localTerm(_ l: Literal, _ solver: Z3Solver) -> Z3_ast {
        let base = l.variable == 0 ? solver.falseValue : (localTerms[Int(l.variable)] ?? solver.falseValue)
        return l.isComplemented ? solver.not(base) : base
    }
}

/// One incremental Z3 solver over a growing AIG's cones: each node gets a
/// constant defined once as the conjunction of its fanins.
struct IncrementalCones {
    let logic: String
    private var z3: Z3Solver? = nil
    /// Z3 constant per AIG variable (nil: not defined in the current solver).
    private var terms: [Z3_ast?] = []
    private var encoded = 0
    private var queriesSinceReset = 0
    private var queries: Int32 = 0
    private var limitSet = false

    init(logic: String) { self.logic = logic }

    /// Whether `x` and `y` (whose cone is `cone`) can differ. The solver
    /// starts afresh after `recycleAfter` queries (0: never) when it holds
    /// more than `recycleFactor` times the cone's nodes.
    mutating func differ(_ x: Literal, _ y: Literal, cone: ConeCollector, in aig: AIG, scoped: Bool,
                         recycleAfter: Int, recycleFactor: Int, deadline: Double) -> SolverAnswer {
        let solver: Z3Solver
        if let z3 { solver = z3 } else { solver = Z3Solver(logic: logic); z3 = solver }
        queriesSinceReset += 1
        if recycleAfter > 0, queriesSinceReset > recycleAfter, encoded > recycleFactor * max(1, cone.ands.count) {
            solver.resetSolver()
            for i in terms.indices { terms[i] = nil }
            encoded = 0; queriesSinceReset = 0; limitSet = false
        }
        if terms.count < aig.maxVariable + 1 { terms += [Z3_ast?](repeating: nil, count: aig.maxVariable + 1 - terms.count) }
        // Definitions bottom-up: the cone's ANDs in increasing variable order.
        let first = aig.firstAndVariable
        for v in cone.inputs where terms[Int(v)] == nil { terms[Int(v)] = solver.boolVariable(id: v + 1) }
        for v in cone.ands.sorted() where terms[Int(v)] == nil {
            let f = aig.ands[Int(v) - first]
            let t = solver.boolVariable(id: v + 1)
            solver.assert(solver.iff(t, solver.and(term(f.left, solver), term(f.right, solver))))
            terms[Int(v)] = t
            encoded += 1
        }
        guard Z3LemmaProver.applyDeadline(deadline, to: solver, alreadyUnbounded: &limitSet) else { return .unknown("timeout") }
        queries += 1
        if scoped {
            solver.push()
            solver.assert(solver.xor(term(x, solver), term(y, solver)))
            let answer = solver.check(assuming: [])
            solver.pop()
            return answer
        }
        let activation = solver.boolVariable(id: (1 << 30) + queries)
        solver.assert(solver.implies(activation, solver.xor(term(x, solver), term(y, solver))))
        let answer = solver.check(assuming: [activation])
        solver.assert(solver.not(activation))
        return answer
    }

    private func term(_ l: Literal, _ solver: Z3Solver) -> Z3_ast {
        let base: Z3_ast
        if l.variable == 0 { base = solver.falseValue } else if let t = terms[Int(l.variable)] { base = t } else { base = solver.falseValue }
        return l.isComplemented ? solver.not(base) : base
    }
}

extension CertificateChecker.Report {
    public init(verdict: Verdict) { self.init(verdict: verdict, failedLemma: nil) }
}
