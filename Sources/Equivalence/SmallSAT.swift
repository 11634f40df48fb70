// A small MiniSat-style CDCL solver for the many small queries of SAT
// sweeping. Z3 costs ~0.7 ms of overhead per call; queries on cones of a few
// hundred gates need tens of microseconds, so this solver keeps everything in
// a handful of flat buffers that are reused across `reset()`s.
//
// Layout:
// - literals are 2*var + sign (like AIGER); `vals` is indexed by literal
//   (1 true, -1 false, 0 unassigned) so a literal's value is one load;
// - binary clauses live only in `bins` (implicit, other literal per watch);
// - longer clauses live in one Int32 arena: [size, info, activity, lits...],
//   referenced by the offset of their header (`cref`); `info` = lbd << 2 | learnt;
// - a reason is -1 (decision/unit), a cref (the implied literal is lits[0]),
//   or -2 - x for a binary clause whose other, false, literal is x.
//
// The state is one struct of raw buffers (no bounds, uniqueness or
// exclusivity checks in the hot loops) owned by a box; `SmallSAT` copies it
// on write, so the struct keeps value semantics.

/// Literal: 2*variable + (negated ? 1 : 0), variables 0..<variableCount (like AIGER literals).
struct SmallSAT {
    enum Result { case sat, unsat, unknown }   // unknown: conflict budget exhausted

    private var box: SATCoreBox

    init() { box = SATCoreBox(SATCore()) }

    /// The state, through a pointer: no dynamic exclusivity checks (a class
    /// property would get one per access, a quarter of the run time).
    private var core: UnsafeMutablePointer<SATCore> { box.core }

    private mutating func unique() {
        if !isKnownUniquelyReferenced(&box) { box = SATCoreBox(box.core.pointee.clone()) }
    }

    /// Forget all variables and clauses (keep allocated capacity, for reuse across queries).
    /// The statistics counters keep counting across resets.
    mutating func reset() { unique(); core.pointee.reset() }

    var variableCount: Int { core.pointee.nVars }

    /// Adds a fresh variable and returns its index.
    mutating func newVariable() -> Int32 { unique(); return core.pointee.newVariable() }

    /// Adds a clause (any length ≥ 1, may contain duplicates / tautologies). Only between solves, at decision level 0.
    /// A literal out of range asserts in debug builds; in release builds it
    /// poisons the solver: every later `solve` answers `.unknown` until `reset()`.
    mutating func addClause(_ a: Int32) {
        unique(); core.pointee.addClause(a, a, a, count: 1)
    }
    mutating func addClause(_ a: Int32, _ b: Int32) {
        unique(); core.pointee.addClause(a, b, b, count: 2)
    }
    mutating func addClause(_ a: Int32, _ b: Int32, _ c: Int32) {
        unique(); core.pointee.addClause(a, b, c, count: 3)
    }
    mutating func addClause(_ lits: [Int32]) {
        unique()
        lits.withUnsafeBufferPointer { core.pointee.addClause($0) }
    }

    /// Solves under assumptions (literals forced true for this call only). conflictLimit 0 = unlimited.
    /// Incremental: learned clauses stay valid across calls; new variables/clauses may be added between calls.
    mutating func solve(assumptions: [Int32], conflictLimit: Int) -> Result {
        unique()
        return assumptions.withUnsafeBufferPointer { core.pointee.solve(assumptions: $0, conflictLimit: conflictLimit, decisionVariables: nil) }
    }

    /// Like `solve`, but branches only on `decisionVariables` and answers
    /// `.sat` once they are all assigned without conflict. Sound for `.sat`
    /// only when every model of the listed variables' clauses extends to the
    /// other variables — true for a Tseitin-encoded cone closed under fanins
    /// (the rest are definitions), which is how SAT sweeping calls it. Why:
    /// a long-lived solver holds many cones; branching over all of them made
    /// every call cost O(all variables) (voter: 40% of the time in picking
    /// branch variables). After `.sat`, only the listed variables have model values.
    mutating func solve(assumptions: [Int32], conflictLimit: Int, decisionVariables: [Int32]) -> Result {
        unique()
        return assumptions.withUnsafeBufferPointer { a in
            decisionVariables.withUnsafeBufferPointer { d in
                core.pointee.solve(assumptions: a, conflictLimit: conflictLimit, decisionVariables: d)
            }
        }
    }

    /// After .sat: the value of a variable in the model (false when there is
    /// no model or the variable is out of range).
    func modelValue(_ variable: Int32) -> Bool { core.pointee.modelValue(variable) }

    /// Counters for stats (cumulative over the solver's life, resets included).
    var conflicts: Int { core.pointee.conflicts }
    var decisions: Int { core.pointee.decisions }
    var propagations: Int { core.pointee.propagations }
    /// Learnt-clause database reductions so far.
    var reductions: Int { core.pointee.reductions }

    /// Tuning (and testing) knob: reduce the learnt clauses after `first`
    /// conflicts, then every `first + k * increment` conflicts later (defaults 2000, 300).
    mutating func setReduceSchedule(first: Int, increment: Int) {
        unique()
        core.pointee.reduceFirst = max(first, 1)
        core.pointee.reduceInterval = max(first, 1)
        core.pointee.reduceIncrement = max(increment, 0)
    }
}

// Value semantics (copy on write, like Array) make sharing copies across
// threads safe: a shared state is only read.
extension SmallSAT: @unchecked Sendable {}

/// Owns one `SATCore` and its buffers.
fileprivate final class SATCoreBox {
    let core: UnsafeMutablePointer<SATCore>
    init(_ c: SATCore) {
        core = .allocate(capacity: 1)
        core.initialize(to: c)
    }
    deinit {
        core.pointee.freeAll()
        core.deinitialize(count: 1)
        core.deallocate()
    }
}

// MARK: - Buffers

/// A growable buffer of trivial values with unchecked access in release
/// builds. Owned and freed by `SATCore`.
fileprivate struct SATBuf<T: BitwiseCopyable>: BitwiseCopyable {
    var ptr: UnsafeMutablePointer<T>
    var count: Int
    var cap: Int

    init(capacity: Int = 4) {
        cap = max(capacity, 1)
        ptr = .allocate(capacity: cap)
        count = 0
    }

    @inline(__always) subscript(i: Int) -> T {
        get { assert(i >= 0 && i < count); return ptr[i] }
        nonmutating set { assert(i >= 0 && i < count); ptr[i] = newValue }
    }

    @inline(__always) mutating func append(_ x: T) {
        if count == cap { grow(to: count + 1) }
        ptr[count] = x
        count += 1
    }

    mutating func reserve(_ n: Int) { if n > cap { grow(to: n) } }

    @inline(never) mutating func grow(to n: Int) {
        var c = max(cap, 1) * 2
        while c < n { c *= 2 }
        let p = UnsafeMutablePointer<T>.allocate(capacity: c)
        p.initialize(from: ptr, count: count)
        ptr.deallocate()
        ptr = p
        cap = c
    }

    func clone() -> SATBuf {
        var b = SATBuf(capacity: cap)
        b.ptr.initialize(from: ptr, count: count)
        b.count = count
        return b
    }

    func free() { ptr.deallocate() }
}

fileprivate struct SATWatcher: BitwiseCopyable {
    var cref: Int32
    var blocker: Int32
}

// MARK: - Storage and algorithms

fileprivate struct SATCore {
    static let noReason: Int32 = -1
    static let headerWords = 3

    var nVars = 0
    /// False once the clauses are unsatisfiable at level 0 (permanent until reset).
    var ok = true
    /// Set by out-of-range input in release builds: answers `.unknown` until reset.
    var poisoned = false

    // Per literal (2 * allocated variables).
    var vals = SATBuf<Int8>()
    var watches = SATBuf<SATBuf<SATWatcher>>()
    var bins = SATBuf<SATBuf<Int32>>()
    // Per variable (allocated; slots beyond nVars are stale until reused).
    var level = SATBuf<Int32>()
    var reason = SATBuf<Int32>()
    var activity = SATBuf<Double>()
    var polarity = SATBuf<UInt8>()   // saved phase: 1 = last value was true
    var seen = SATBuf<UInt8>()
    var heapIndex = SATBuf<Int32>()
    var model = SATBuf<UInt8>()
    var hasModel = false
    /// Restricted branching (see `SmallSAT.solve(…decisionVariables:)`):
    /// a variable is a decision variable while its stamp equals `decisionGeneration`.
    var restricted = false
    var decisionStamp = SATBuf<UInt32>()
    var decisionGeneration: UInt32 = 0
    /// Model values are valid where `modelStamp` equals `modelGeneration`.
    var modelStamp = SATBuf<UInt32>()
    var modelGeneration: UInt32 = 0

    var heap = SATBuf<Int32>()
    var trail = SATBuf<Int32>()
    var trailLim = SATBuf<Int32>()
    var qhead = 0
    var arena = SATBuf<Int32>(capacity: 1024)
    var learnts = SATBuf<Int32>()

    // Scratch.
    var tmp = SATBuf<Int32>()
    var learnt = SATBuf<Int32>()
    var toClear = SATBuf<Int32>()
    var stack = SATBuf<Int32>()
    var levelStamp = SATBuf<UInt32>()
    var stampCounter: UInt32 = 0
    /// The literal (¬p) of a binary conflict clause, next to the one encoded in the conflict value.
    var binConflictLit: Int32 = 0

    var varInc = 1.0
    var claInc: Float = 1
    static let varDecay = 0.95
    static let claDecay: Float = 0.999
    var conflictsSinceReduce = 0
    var reduceFirst = 2000
    var reduceInterval = 2000
    var reduceIncrement = 300
    var reductions = 0

    var conflicts = 0
    var decisions = 0
    var propagations = 0

    init() {}

    /// Frees every buffer (called once, by the owning box).
    func freeAll() {
        for i in 0..<watches.count { watches.ptr[i].free() }
        for i in 0..<bins.count { bins.ptr[i].free() }
        vals.free(); watches.free(); bins.free()
        level.free(); reason.free(); activity.free(); polarity.free(); seen.free(); heapIndex.free(); model.free()
        decisionStamp.free(); modelStamp.free()
        heap.free(); trail.free(); trailLim.free(); arena.free(); learnts.free()
        tmp.free(); learnt.free(); toClear.free(); stack.free(); levelStamp.free()
    }

    /// A deep copy: scalars by value, every buffer duplicated (a new buffer
    /// field must be added here and in `freeAll`).
    func clone() -> SATCore {
        var o = self
        o.vals = vals.clone()
        o.watches = watches.clone()
        for i in 0..<watches.count { o.watches.ptr[i] = watches.ptr[i].clone() }
        o.bins = bins.clone()
        for i in 0..<bins.count { o.bins.ptr[i] = bins.ptr[i].clone() }
        o.level = level.clone(); o.reason = reason.clone(); o.activity = activity.clone()
        o.polarity = polarity.clone(); o.seen = seen.clone(); o.heapIndex = heapIndex.clone()
        o.model = model.clone()
        o.decisionStamp = decisionStamp.clone(); o.modelStamp = modelStamp.clone()
        o.heap = heap.clone(); o.trail = trail.clone(); o.trailLim = trailLim.clone()
        o.arena = arena.clone(); o.learnts = learnts.clone()
        o.tmp = tmp.clone(); o.learnt = learnt.clone(); o.toClear = toClear.clone(); o.stack = stack.clone()
        o.levelStamp = levelStamp.clone()
        return o
    }

    mutating func reset() {
        // Only the first 2*nVars lists can be non-empty.
        for i in 0..<(2 * nVars) {
            watches.ptr[i].count = 0
            bins.ptr[i].count = 0
        }
        nVars = 0
        ok = true
        poisoned = false
        hasModel = false
        restricted = false
        heap.count = 0
        trail.count = 0
        trailLim.count = 0
        qhead = 0
        arena.count = 0
        learnts.count = 0
        varInc = 1
        claInc = 1
        conflictsSinceReduce = 0
        reduceInterval = reduceFirst
    }

    @inline(__always) var decisionLevel: Int32 { Int32(truncatingIfNeeded: trailLim.count) }

    mutating func newVariable() -> Int32 {
        let v = nVars
        nVars += 1
        if v == level.count {
            vals.append(0); vals.append(0)
            watches.append(SATBuf()); watches.append(SATBuf())
            bins.append(SATBuf()); bins.append(SATBuf())
            level.append(0); reason.append(Self.noReason); activity.append(0)
            polarity.append(0); seen.append(0); heapIndex.append(-1)
            decisionStamp.append(0); modelStamp.append(0); model.append(0)
        } else {
            // Reused slot after reset(): its lists were emptied there.
            vals[2 * v] = 0; vals[2 * v + 1] = 0
            level[v] = 0; reason[v] = Self.noReason; activity[v] = 0
            polarity[v] = 0; seen[v] = 0; heapIndex[v] = -1
            decisionStamp[v] = 0; modelStamp[v] = 0
        }
        // Propagation writes the trail without growth checks.
        trail.reserve(nVars)
        if !restricted { heapInsert(Int32(v)) }
        return Int32(v)
    }

    // MARK: Heap (max-heap on activity)

    @inline(__always) mutating func heapUp(_ start: Int) {
        let h = heap.ptr, idx = heapIndex.ptr, act = activity.ptr
        let v = h[start]
        let a = act[Int(v)]
        var i = start
        while i > 0 {
            let parent = (i - 1) >> 1
            let pv = h[parent]
            if a > act[Int(pv)] {
                h[i] = pv; idx[Int(pv)] = Int32(i); i = parent
            } else { break }
        }
        h[i] = v; idx[Int(v)] = Int32(i)
    }

    @inline(__always) mutating func heapDown(_ start: Int) {
        let h = heap.ptr, idx = heapIndex.ptr, act = activity.ptr, n = heap.count
        let v = h[start]
        let a = act[Int(v)]
        var i = start
        while true {
            var child = 2 * i + 1
            if child >= n { break }
            if child + 1 < n && act[Int(h[child + 1])] > act[Int(h[child])] { child += 1 }
            let cv = h[child]
            if act[Int(cv)] > a {
                h[i] = cv; idx[Int(cv)] = Int32(i); i = child
            } else { break }
        }
        h[i] = v; idx[Int(v)] = Int32(i)
    }

    mutating func heapInsert(_ v: Int32) {
        heapIndex[Int(v)] = Int32(heap.count)
        heap.append(v)
        heapUp(heap.count - 1)
    }

    @inline(__always) mutating func bumpVariable(_ v: Int) {
        let act = activity.ptr
        act[v] += varInc
        if act[v] > 1e100 {
            for i in 0..<nVars { act[i] *= 1e-100 }
            varInc *= 1e-100
        }
        let hi = heapIndex.ptr[v]
        if hi >= 0 { heapUp(Int(hi)) }
    }

    @inline(__always) mutating func bumpClause(_ cref: Int) {
        let a = arena.ptr
        var act = Float(bitPattern: UInt32(bitPattern: a[cref + 2])) + claInc
        a[cref + 2] = Int32(bitPattern: act.bitPattern)
        if act > 1e20 {
            for i in 0..<learnts.count {
                let c = Int(learnts.ptr[i])
                act = Float(bitPattern: UInt32(bitPattern: a[c + 2])) * 1e-20
                a[c + 2] = Int32(bitPattern: act.bitPattern)
            }
            claInc *= 1e-20
        }
    }

    // MARK: Assignment

    @inline(__always) mutating func enqueue(_ lit: Int32, _ why: Int32) {
        vals.ptr[Int(lit)] = 1
        vals.ptr[Int(lit ^ 1)] = -1
        let v = Int(lit >> 1)
        level.ptr[v] = decisionLevel
        reason.ptr[v] = why
        trail.ptr[trail.count] = lit
        trail.count += 1
    }

    mutating func cancelUntil(_ target: Int32) {
        guard decisionLevel > target else { return }
        let start = Int(trailLim[Int(target)])
        let t = trail.ptr, vp = vals.ptr, pol = polarity.ptr, hidx = heapIndex.ptr
        var i = trail.count - 1
        while i >= start {
            let x = t[i]
            let v = Int(x >> 1)
            vp[Int(x)] = 0
            vp[Int(x ^ 1)] = 0
            pol[v] = (x & 1) == 0 ? 1 : 0
            if hidx[v] < 0 && (!restricted || decisionStamp.ptr[v] == decisionGeneration) { heapInsert(Int32(v)) }
            i -= 1
        }
        trail.count = start
        qhead = start
        trailLim.count = Int(target)
    }

    // MARK: Clauses

    mutating func addClause(_ a: Int32, _ b: Int32, _ c: Int32, count: Int) {
        // Fast path for Tseitin clauses: distinct variables, all unassigned.
        if ok && !poisoned {
            let limit = Int32(truncatingIfNeeded: 2 * nVars)
            let vp = vals.ptr
            if count == 2 {
                if a >= 0 && b >= 0 && a < limit && b < limit && a >> 1 != b >> 1 && vp[Int(a)] == 0 && vp[Int(b)] == 0 {
                    addBinary(a, b)
                    return
                }
            } else if count == 3 {
                if a >= 0 && b >= 0 && c >= 0 && a < limit && b < limit && c < limit
                    && a >> 1 != b >> 1 && a >> 1 != c >> 1 && b >> 1 != c >> 1
                    && vp[Int(a)] == 0 && vp[Int(b)] == 0 && vp[Int(c)] == 0 {
                    let cref = arena.count
                    arena.reserve(cref + Self.headerWords + 3)
                    let p = arena.ptr + cref
                    p[0] = 3; p[1] = 0; p[2] = 0; p[3] = a; p[4] = b; p[5] = c
                    arena.count = cref + Self.headerWords + 3
                    attach(Int32(cref))
                    return
                }
            }
        }
        tmp.count = 0
        tmp.reserve(3)
        tmp.ptr[0] = a; tmp.ptr[1] = b; tmp.ptr[2] = c
        tmp.count = count
        addTmpClause()
    }

    mutating func addClause(_ lits: UnsafeBufferPointer<Int32>) {
        tmp.count = 0
        tmp.reserve(lits.count)
        for l in lits { tmp.ptr[tmp.count] = l; tmp.count += 1 }
        addTmpClause()
    }

    /// Adds the clause in `tmp` at level 0: sorts, drops duplicates and
    /// level-0-false literals, skips tautologies and satisfied clauses.
    mutating func addTmpClause() {
        guard ok, !poisoned else { return }
        assert(decisionLevel == 0, "SmallSAT: clauses may only be added between solves")
        let n = tmp.count
        let t = tmp.ptr
        let limit = Int32(truncatingIfNeeded: 2 * nVars)
        for i in 0..<n {
            let l = t[i]
            guard l >= 0 && l < limit else {
                assertionFailure("SmallSAT: literal \(l) out of range (\(nVars) variables)")
                poisoned = true
                return
            }
        }
        // Insertion sort: clauses are short.
        if n > 1 {
            for i in 1..<n {
                let x = t[i]
                var j = i
                while j > 0 && t[j - 1] > x { t[j] = t[j - 1]; j -= 1 }
                t[j] = x
            }
        }
        var j = 0
        var prev: Int32 = -2
        for i in 0..<n {
            let l = t[i]
            let v = vals.ptr[Int(l)]
            if v == 1 || l == prev ^ 1 { return }   // satisfied or tautology
            if v == -1 || l == prev { continue }
            t[j] = l; j += 1; prev = l
        }
        switch j {
        case 0:
            ok = false
        case 1:
            enqueue(t[0], Self.noReason)
        case 2:
            addBinary(t[0], t[1])
        default:
            let cref = allocClause(t, j, learnt: false, lbd: 0)
            attach(cref)
        }
    }

    @inline(__always) mutating func addBinary(_ a: Int32, _ b: Int32) {
        bins.ptr[Int(a ^ 1)].append(b)
        bins.ptr[Int(b ^ 1)].append(a)
    }

    mutating func allocClause(_ lits: UnsafeMutablePointer<Int32>, _ n: Int, learnt: Bool, lbd: Int) -> Int32 {
        let cref = arena.count
        arena.reserve(cref + Self.headerWords + n)
        let a = arena.ptr
        a[cref] = Int32(n)
        a[cref + 1] = Int32(truncatingIfNeeded: min(lbd, 1 << 20) << 2) | (learnt ? 1 : 0)
        a[cref + 2] = 0
        // A loop: memmove's call overhead dominates for 3-literal clauses.
        for k in 0..<n { a[cref + Self.headerWords + k] = lits[k] }
        arena.count = cref + Self.headerWords + n
        return Int32(cref)
    }

    @inline(__always) mutating func attach(_ cref: Int32) {
        let c = arena.ptr + Int(cref) + Self.headerWords
        watches.ptr[Int(c[0] ^ 1)].append(SATWatcher(cref: cref, blocker: c[1]))
        watches.ptr[Int(c[1] ^ 1)].append(SATWatcher(cref: cref, blocker: c[0]))
    }

    // MARK: Propagation

    /// Unit propagation from `qhead`. Returns -1 when there is no conflict,
    /// else a conflicting clause's cref, or -2 - x for a binary clause
    /// (x ∨ binConflictLit) with both literals false.
    mutating func propagate() -> Int32 {
        var confl: Int32 = -1
        let vp = vals.ptr, t = trail.ptr, a = arena.ptr
        let ws = watches.ptr, bs = bins.ptr
        let lv = level.ptr, rs = reason.ptr
        let dl = decisionLevel
        var tc = trail.count
        var qh = qhead
        let start = qh

        outer: while qh < tc {
            let p = t[qh]
            qh += 1
            let notP = p ^ 1

            // Binary clauses (¬p ∨ q): cheapest first.
            let bl = bs[Int(p)]
            for i in 0..<bl.count {
                let q = bl.ptr[i]
                let vq = vp[Int(q)]
                if vq == 1 { continue }
                if vq == -1 {
                    confl = -2 - q
                    binConflictLit = notP
                    break outer
                }
                vp[Int(q)] = 1; vp[Int(q ^ 1)] = -1
                lv[Int(q >> 1)] = dl; rs[Int(q >> 1)] = -2 - notP
                t[tc] = q; tc += 1
            }

            // Long clauses: keep watchers in place (j) unless the watch moves.
            let wl = ws[Int(p)]
            let w = wl.ptr
            let n = wl.count
            var i = 0, j = 0
            while i < n {
                let wt = w[i]
                i += 1
                if vp[Int(wt.blocker)] == 1 { w[j] = wt; j += 1; continue }
                let cref = Int(wt.cref)
                let c = a + cref + Self.headerWords
                if c[0] == notP { c[0] = c[1]; c[1] = notP }
                let first = c[0]
                let nw = SATWatcher(cref: wt.cref, blocker: first)
                if first != wt.blocker && vp[Int(first)] == 1 { w[j] = nw; j += 1; continue }
                let size = Int(a[cref])
                var k = 2
                var moved = false
                while k < size {
                    let l = c[k]
                    if vp[Int(l)] != -1 {
                        c[1] = l; c[k] = notP
                        // l ≠ ¬p (no duplicate literals), so this is never the list being walked.
                        ws[Int(l ^ 1)].append(nw)
                        moved = true
                        break
                    }
                    k += 1
                }
                if moved { continue }
                w[j] = nw; j += 1
                if vp[Int(first)] == -1 {
                    confl = wt.cref
                    while i < n { w[j] = w[i]; j += 1; i += 1 }
                    ws[Int(p)].count = j
                    break outer
                }
                vp[Int(first)] = 1; vp[Int(first ^ 1)] = -1
                lv[Int(first >> 1)] = dl; rs[Int(first >> 1)] = wt.cref
                t[tc] = first; tc += 1
            }
            ws[Int(p)].count = j
        }
        propagations += qh - start
        trail.count = tc
        qhead = confl == -1 ? qh : tc
        return confl
    }

    // MARK: Conflict analysis

    /// 1UIP analysis of `confl` into `learnt` (asserting literal first, the
    /// highest other level second), with recursive minimization. Returns the
    /// backjump level and the clause's LBD.
    mutating func analyze(_ conflIn: Int32) -> (level: Int32, lbd: Int) {
        learnt.count = 0
        learnt.append(0)
        let sn = seen.ptr, lv = level.ptr, rs = reason.ptr, t = trail.ptr
        let dl = decisionLevel
        var pathC = 0
        var p: Int32 = -1
        var confl = conflIn
        var index = trail.count - 1

        @inline(__always) func visit(_ q: Int32) {
            let v = Int(q >> 1)
            if sn[v] == 0 && lv[v] > 0 {
                bumpVariable(v)
                sn[v] = 1
                if lv[v] >= dl { pathC += 1 } else { learnt.append(q) }
            }
        }

        repeat {
            if confl >= 0 {
                let cref = Int(confl)
                let a = arena.ptr
                if a[cref + 1] & 1 != 0 { bumpClause(cref) }
                let size = Int(a[cref])
                let c = a + cref + Self.headerWords
                for k in (p == -1 ? 0 : 1)..<size { visit(c[k]) }
            } else {
                // Binary reason or conflict (confl <= -2).
                visit(-2 - confl)
                if p == -1 { visit(binConflictLit) }
            }
            while sn[Int(t[index] >> 1)] == 0 { index -= 1 }
            p = t[index]
            index -= 1
            confl = rs[Int(p >> 1)]
            sn[Int(p >> 1)] = 0
            pathC -= 1
        } while pathC > 0
        learnt[0] = p ^ 1

        // Recursive minimization (MiniSat): drop literals implied by the others.
        toClear.count = 0
        for i in 0..<learnt.count { toClear.append(learnt[i]) }
        var abstractLevels: UInt32 = 0
        for i in 1..<learnt.count { abstractLevels |= abstractLevel(Int(learnt[i] >> 1)) }
        var j = 1
        for i in 1..<learnt.count {
            let q = learnt[i]
            if rs[Int(q >> 1)] == Self.noReason || !litRedundant(q, abstractLevels) {
                learnt[j] = q; j += 1
            }
        }
        learnt.count = j
        for i in 0..<toClear.count { sn[Int(toClear[i] >> 1)] = 0 }

        var bt: Int32 = 0
        if learnt.count > 1 {
            var maxI = 1
            for i in 2..<learnt.count where lv[Int(learnt[i] >> 1)] > lv[Int(learnt[maxI] >> 1)] { maxI = i }
            let x = learnt[maxI]; learnt[maxI] = learnt[1]; learnt[1] = x
            bt = lv[Int(x >> 1)]
        }
        return (bt, computeLBD())
    }

    @inline(__always) func abstractLevel(_ v: Int) -> UInt32 {
        1 << (UInt32(truncatingIfNeeded: level.ptr[v]) & 31)
    }

    /// True when `p`'s reason chain ends in literals of the learnt clause
    /// (marked seen) or level-0 facts.
    mutating func litRedundant(_ p: Int32, _ abstractLevels: UInt32) -> Bool {
        let sn = seen.ptr, lv = level.ptr, rs = reason.ptr
        stack.count = 0
        stack.append(p)
        let top = toClear.count
        while stack.count > 0 {
            stack.count -= 1
            let r = rs[Int(stack.ptr[stack.count] >> 1)]
            assert(r != Self.noReason)
            // The literals of the reason other than the implied one.
            let base = Int(r) + Self.headerWords + 1
            let n = r >= 0 ? Int(arena.ptr[Int(r)]) - 1 : 1
            for k in 0..<n {
                let q = r >= 0 ? arena.ptr[base + k] : -2 - r
                let v = Int(q >> 1)
                if sn[v] == 0 && lv[v] > 0 {
                    if rs[v] != Self.noReason && (abstractLevel(v) & abstractLevels) != 0 {
                        sn[v] = 1
                        stack.append(q)
                        toClear.append(q)
                    } else {
                        for i in top..<toClear.count { sn[Int(toClear[i] >> 1)] = 0 }
                        toClear.count = top
                        return false
                    }
                }
            }
        }
        return true
    }

    mutating func computeLBD() -> Int {
        let levels = trailLim.count + 1
        if levelStamp.count < levels {
            levelStamp.reserve(levels)
            while levelStamp.count < levels { levelStamp.append(0) }
        }
        stampCounter &+= 1
        if stampCounter == 0 {
            for i in 0..<levelStamp.count { levelStamp.ptr[i] = 0 }
            stampCounter = 1
        }
        var lbd = 0
        for i in 0..<learnt.count {
            let l = Int(level.ptr[Int(learnt.ptr[i] >> 1)])
            if levelStamp.ptr[l] != stampCounter { levelStamp.ptr[l] = stampCounter; lbd += 1 }
        }
        return lbd
    }

    // MARK: Clause database reduction (at level 0 only)

    /// Deletes the less useful half of the learnt clauses (LBD > 2, by LBD
    /// then activity), drops clauses satisfied at level 0 and false literals,
    /// compacts the arena and rebuilds the watches. Runs at level 0 after a
    /// complete propagation, so no clause is the reason of an assignment
    /// that analysis can still read (level-0 reasons are never read).
    mutating func reduceAndSimplify() {
        assert(decisionLevel == 0 && qhead == trail.count)
        let a = arena.ptr
        let vp = vals.ptr

        // Pick the learnts to delete (LBD ≤ 2 are kept) and mark them in their info word.
        var candidates: [Int32] = []
        candidates.reserveCapacity(learnts.count)
        for i in 0..<learnts.count {
            let c = Int(learnts.ptr[i])
            if (a[c + 1] >> 2) > 2 { candidates.append(Int32(c)) }
        }
        candidates.sort { x, y in
            let lx = a[Int(x) + 1] >> 2, ly = a[Int(y) + 1] >> 2
            if lx != ly { return lx > ly }
            return Float(bitPattern: UInt32(bitPattern: a[Int(x) + 2])) < Float(bitPattern: UInt32(bitPattern: a[Int(y) + 2]))
        }
        let deleteMark: Int32 = 1 << 1
        for i in 0..<(candidates.count / 2) { a[Int(candidates[i]) + 1] |= deleteMark }

        // Compact in place: clauses only move towards the start.
        var rd = 0, wr = 0
        let end = arena.count
        learnts.count = 0
        while rd < end {
            let size = Int(a[rd])
            let info = a[rd + 1]
            let act = a[rd + 2]
            let lits = a + rd + Self.headerWords
            let next = rd + Self.headerWords + size
            defer { rd = next }
            if info & deleteMark != 0 { continue }
            var satisfied = false
            var nonFalse = 0
            for k in 0..<size {
                let v = vp[Int(lits[k])]
                if v == 1 { satisfied = true; break }
                if v != -1 { nonFalse += 1 }
            }
            if satisfied { continue }
            // After full propagation an unsatisfied clause has non-false
            // watches (lits 0 and 1), so dropping false literals keeps them in
            // place. Keep a clause as it is if that ever did not hold.
            let n = nonFalse >= 2 ? nonFalse : size
            if nonFalse >= 2 {
                var m = 0
                for k in 0..<size where vp[Int(lits[k])] != -1 { lits[m] = lits[k]; m += 1 }
            }
            if n == 2 {
                addBinary(lits[0], lits[1])
                continue
            }
            // Forward copy: wr <= rd, so nothing unread is overwritten.
            a[wr] = Int32(n)
            a[wr + 1] = info
            a[wr + 2] = act
            for k in 0..<n { a[wr + Self.headerWords + k] = lits[k] }
            if info & 1 != 0 { learnts.append(Int32(wr)) }
            wr += Self.headerWords + n
        }
        arena.count = wr

        // Rebuild long watches; drop binaries satisfied at level 0.
        for l in 0..<(2 * nVars) {
            watches.ptr[l].count = 0
            let b = bins.ptr[l]
            var n = 0
            if vp[l] == -1 { bins.ptr[l].count = 0; continue }   // clause (¬l ∨ q) with ¬l true
            for i in 0..<b.count where vp[Int(b.ptr[i])] != 1 { b.ptr[n] = b.ptr[i]; n += 1 }
            bins.ptr[l].count = n
        }
        var c = 0
        while c < wr {
            attach(Int32(c))
            c += Self.headerWords + Int(a[c])
        }
        // Level-0 reasons may now point at moved clauses; they are never read.
        for i in 0..<trail.count { reason.ptr[Int(trail.ptr[i] >> 1)] = Self.noReason }
    }

    // MARK: Search

    enum SearchResult { case sat, unsat, unknown, restart }

    mutating func pickBranchLiteral() -> Int32 {
        let vp = vals.ptr
        while heap.count > 0 {
            let v = heap.ptr[0]
            let last = heap.ptr[heap.count - 1]
            heap.count -= 1
            heapIndex.ptr[Int(v)] = -1
            if heap.count > 0 {
                heap.ptr[0] = last
                heapIndex.ptr[Int(last)] = 0
                heapDown(0)
            }
            if vp[Int(2 * v)] == 0 {
                return polarity.ptr[Int(v)] != 0 ? 2 * v : 2 * v + 1
            }
        }
        return -1
    }

    mutating func search(restartAfter: Int, assumptions: UnsafeBufferPointer<Int32>, conflictBudgetEnd: Int) -> SearchResult {
        var conflictsHere = 0
        while true {
            let confl = propagate()
            if confl != -1 {
                conflicts += 1
                conflictsHere += 1
                conflictsSinceReduce += 1
                if decisionLevel == 0 {
                    ok = false
                    return .unsat
                }
                let (bt, lbd) = analyze(confl)
                cancelUntil(bt)
                switch learnt.count {
                case 1:
                    enqueue(learnt[0], Self.noReason)
                case 2:
                    addBinary(learnt[0], learnt[1])
                    enqueue(learnt[0], -2 - learnt[1])
                default:
                    let cref = allocClause(learnt.ptr, learnt.count, learnt: true, lbd: lbd)
                    attach(cref)
                    learnts.append(cref)
                    bumpClause(Int(cref))
                    enqueue(learnt[0], cref)
                }
                varInc /= Self.varDecay
                claInc /= Self.claDecay
                if conflictBudgetEnd > 0 && conflicts >= conflictBudgetEnd { return .unknown }
            } else {
                if conflictsHere >= restartAfter { return .restart }
                if decisionLevel == 0 && conflictsSinceReduce >= reduceInterval {
                    reduceAndSimplify()
                    conflictsSinceReduce = 0
                    reduceInterval += reduceIncrement
                    reductions += 1
                }
                var next: Int32 = -1
                while Int(decisionLevel) < assumptions.count {
                    let p = assumptions[Int(decisionLevel)]
                    let v = vals.ptr[Int(p)]
                    if v == 1 {
                        trailLim.append(Int32(trail.count))   // already true: an empty level
                    } else if v == -1 {
                        return .unsat   // under these assumptions only
                    } else {
                        next = p
                        break
                    }
                }
                if next == -1 {
                    next = pickBranchLiteral()
                    if next == -1 { return .sat }
                    decisions += 1
                }
                trailLim.append(Int32(trail.count))
                enqueue(next, Self.noReason)
            }
        }
    }

    /// Luby sequence 1,1,2,1,1,2,4,... (index from 0).
    static func luby(_ x0: Int) -> Int {
        var size = 1, seq = 0
        while size < x0 + 1 { seq += 1; size = 2 * size + 1 }
        var x = x0
        while size - 1 != x {
            size = (size - 1) >> 1
            seq -= 1
            x = x % size
        }
        return 1 << seq
    }

    mutating func solve(assumptions: UnsafeBufferPointer<Int32>, conflictLimit: Int,
                        decisionVariables: UnsafeBufferPointer<Int32>?) -> SmallSAT.Result {
        hasModel = false
        if poisoned { return .unknown }
        if !ok { return .unsat }
        let limit = Int32(truncatingIfNeeded: 2 * nVars)
        for p in assumptions {
            guard p >= 0 && p < limit else {
                assertionFailure("SmallSAT: assumption \(p) out of range (\(nVars) variables)")
                poisoned = true
                return .unknown
            }
        }
        if let d = decisionVariables {
            for v in d where v < 0 || Int(v) >= nVars {
                assertionFailure("SmallSAT: decision variable \(v) out of range (\(nVars) variables)")
                poisoned = true
                return .unknown
            }
        }
        assert(decisionLevel == 0)
        setDecisionVariables(decisionVariables)
        let budgetEnd = conflictLimit > 0 ? conflicts + conflictLimit : 0
        var result = SearchResult.restart
        var restarts = 0
        while result == .restart {
            result = search(restartAfter: Self.luby(restarts) * 100, assumptions: assumptions, conflictBudgetEnd: budgetEnd)
            restarts += 1
            if result == .restart {
                cancelUntil(0)
                if budgetEnd > 0 && conflicts >= budgetEnd { result = .unknown }
            }
        }
        if result == .sat {
            modelGeneration &+= 1
            if modelGeneration == 0 {
                for v in 0..<nVars { modelStamp.ptr[v] = 0 }
                modelGeneration = 1
            }
            if let d = decisionVariables {
                for v in d { model.ptr[Int(v)] = vals.ptr[2 * Int(v)] == 1 ? 1 : 0; modelStamp.ptr[Int(v)] = modelGeneration }
            } else {
                for v in 0..<nVars { model.ptr[v] = vals.ptr[2 * v] == 1 ? 1 : 0; modelStamp.ptr[v] = modelGeneration }
            }
            hasModel = true
        }
        cancelUntil(0)
        switch result {
        case .sat: return .sat
        case .unsat: return .unsat
        default: return .unknown
        }
    }

    func modelValue(_ v: Int32) -> Bool {
        guard hasModel, v >= 0, Int(v) < nVars, modelStamp.ptr[Int(v)] == modelGeneration else { return false }
        return model.ptr[Int(v)] != 0
    }

    /// Restricts branching to `vars` (nil: all variables): the heap is
    /// rebuilt from them, in O(old heap + vars), not O(all variables).
    mutating func setDecisionVariables(_ vars: UnsafeBufferPointer<Int32>?) {
        let idx = heapIndex.ptr
        guard let vars else {
            if restricted {
                restricted = false
                for v in 0..<nVars where idx[v] < 0 && vals.ptr[2 * v] == 0 { heapInsert(Int32(v)) }
            }
            return
        }
        restricted = true
        decisionGeneration &+= 1
        if decisionGeneration == 0 {
            for v in 0..<nVars { decisionStamp.ptr[v] = 0 }
            decisionGeneration = 1
        }
        for i in 0..<heap.count { idx[Int(heap.ptr[i])] = -1 }
        heap.count = 0
        for v in vars {
            decisionStamp.ptr[Int(v)] = decisionGeneration
            if idx[Int(v)] < 0 && vals.ptr[2 * Int(v)] == 0 { heapInsert(v) }
        }
    }
}
