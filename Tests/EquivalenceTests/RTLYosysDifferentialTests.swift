import Foundation
import Testing
import AIG
import AIGFormats
import Equivalence
import TestSupport

/// The RTL Verilog corpus (Tests/Fixtures/rtl, see its README) against Yosys:
/// Yosys's reading of every file, as an AIGER reference, must be equivalent
/// to Miter's reading of the same file, inputs, outputs and registers paired
/// by name. Yosys runs once for the whole corpus (two processes, one script
/// each); skipped with a printed reason when Yosys is absent.
///
/// `MITER_RTL_ONLY=name1,name2` restricts the corpus to those files (stems).
@Suite(.serialized) struct RTLYosysDifferentialTests {
    /// Every small module and design: equivalent to Yosys's reference.
    @Test func rtlAgainstYosys() throws {
        guard let ref = Self.reference() else { return }
        let results = Self.checkAll(ref.cases) { c in
            try CircuitIO.read(path: c.file, options: { var o = ReadOptions(); o.top = c.top; return o }())
        }
        Self.report(results, label: "RTL reader", total: ref.cases.count)
        if let abc = TestSupport.which("berkeley-abc", "abc") { try Self.abcCEC(abc, ref, results) }
        else { print("SKIP ABC cec part of \(#function): ABC (berkeley-abc) is not installed") }
    }

    /// Self-check of the harness with the readers Miter has today: the
    /// reference against Yosys's own gate-level output of the same file
    /// (`write_verilog -noattr` for combinational files, `write_blif` for
    /// sequential ones, which the Verilog reader cannot hold), compared
    /// exactly like the RTL reading. Proves the clock, port-name and
    /// register-name handling.
    @Test func harnessSelfCheckOnYosysNetlists() throws {
        guard let ref = Self.reference() else { return }
        let results = Self.checkAll(ref.cases) { c in
            var o = ReadOptions()
            o.undriven = .zero   // Yosys leaves unused carry bits undriven
            let sequential = try Self.readReference(c, ref).latchCount > 0
            let netlist = try CircuitIO.read(path: ref.path(c, sequential ? "blif" : "ys.v"), options: o)
            return sequential ? try Self.renamedToDeclaredRanges(Self.namingAsyncResetLatches(Self.droppingClock(netlist)), ref.ranges(c)) : netlist
        }
        Self.report(results, label: "Yosys netlists", total: ref.cases.count)
    }

    /// The RTL rewrites of the gate-level samples in Verilog/ have the same ports and
    /// functions as the originals (read by the gate-level reader), by Yosys's reading.
    @Test func rtlRewritesMatchGateLevelSamples() throws {
        guard let ref = Self.reference() else { return }
        for (rtl, gate) in [("adder2_rtl", "Verilog/adder2.v"), ("alu4_rtl", "Verilog/alu4.v"), ("c17_rtl", "Verilog/c17.v")] {
            guard let c = ref.cases.first(where: { $0.top == rtl }) else { continue }
            let reference = try Self.readReference(c, ref)
            let original = try CircuitIO.read(path: TestSupport.repoFile(gate).path)
            let (r, _) = try Self.check(original, reference)
            #expect(r == .equivalent, "\(gate) vs Yosys's reading of designs/\(rtl).v: \(Self.describe(r))")
        }
    }

    /// Each file in errors/ is rejected with an error on its `// expect-line:`
    /// whose message contains its `// expect:` text (case-insensitive).
    @Test func unsupportedConstructsGiveLocatedErrors() throws {
        let dir = TestSupport.repoFile("Tests/Fixtures/rtl/errors")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".v") }.sorted()
        #expect(files.count >= 15)
        var failures: [String] = []
        for f in files {
            let path = dir.appendingPathComponent(f).path
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            guard lines.count > 2, lines[0].hasPrefix("// expect: "), lines[1].hasPrefix("// expect-line: "),
                  let line = Int(lines[1].dropFirst("// expect-line: ".count).trimmingCharacters(in: .whitespaces)) else {
                failures.append("\(f): no '// expect:' / '// expect-line:' header"); continue
            }
            let expect = String(lines[0].dropFirst("// expect: ".count)).trimmingCharacters(in: .whitespaces)
            var o = ReadOptions()
            o.top = String(f.dropLast(2))
            do {
                let aig = try CircuitIO.read(path: path, options: o)
                failures.append("\(f): read without error (\(aig.inputCount) inputs, \(aig.latchCount) latches, \(aig.andCount) ANDs); expected an error at line \(line) containing '\(expect)'")
            } catch let e as FormatError {
                if e.line != line || !e.message.lowercased().contains(expect.lowercased()) {
                    failures.append("\(f): expected line \(line) and '\(expect)', got \(e)")
                }
            } catch {
                failures.append("\(f): expected a FormatError at line \(line), got \(error)")
            }
        }
        for m in failures { Issue.record(Comment(rawValue: m)) }
        print("RTL errors/: \(files.count - failures.count) of \(files.count) files give the expected located error")
    }
}

// MARK: - The Yosys reference

extension RTLYosysDifferentialTests {
    struct Case: Sendable {
        var file: String     // the .v
        var dir: String      // its folder (include path)
        var top: String      // module name = file stem
        var group: String    // "small" or "designs"
        /// What Yosys reads: the file, or its twin in standard/ where Yosys departs
        /// from IEEE 1364-2005 and the twin spells out the standard's reading.
        var referenceFile: String {
            let twin = TestSupport.repoFile("Tests/Fixtures/rtl/standard/\(top).v").path
            return FileManager.default.fileExists(atPath: twin) ? twin : file
        }
    }

    /// Yosys's outputs for the corpus: `<out>/<top>.aag` (reference), `.blif`, `.ys.v`.
    struct Reference: Sendable {
        var out: String
        var cases: [Case]
        var seconds: Double
        func path(_ c: Case, _ ext: String) -> String { "\(out)/\(c.top).\(ext)" }

        /// Declared ranges (msb, lsb) of every vector net of the file, from Yosys's Verilog output.
        func ranges(_ c: Case) -> [String: (Int, Int)] {
            guard let text = try? String(contentsOfFile: path(c, "ys.v"), encoding: .utf8) else { return [:] }
            var r: [String: (Int, Int)] = [:]
            for line in text.split(separator: "\n") {
                let t = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard t.count >= 3, ["input", "output", "wire", "reg", "inout"].contains(t[0]) else { continue }
                var k = 1
                if t[k] == "signed" { k += 1 }
                guard k + 1 < t.count, t[k].hasPrefix("["), t[k].hasSuffix("]") else { continue }
                let bounds = t[k].dropFirst().dropLast().split(separator: ":")
                guard bounds.count == 2, let msb = Int(bounds[0]), let lsb = Int(bounds[1]) else { continue }
                var name = String(t[k + 1])
                if name.hasSuffix(";") { name.removeLast() }
                if name.hasPrefix("\\") { name.removeFirst() }
                r[name] = (msb, lsb)
            }
            return r
        }
    }

    /// The per-file Yosys flow (see Tests/Fixtures/rtl/README.md).
    static func yosysScript(_ c: Case, out: String) -> String {
        """
        design -reset
        log RTLFILE \(c.group)/\(c.top).v
        read_verilog -I \(c.dir) \(c.referenceFile)
        hierarchy -top \(c.top); proc; flatten; opt -mux_undef; memory -nordff; opt -mux_undef
        techmap; opt -fast -mux_undef
        async2sync; dffunmap; aigmap; setundef -zero; opt_clean
        write_aiger -ascii -symbols \(out)/\(c.top).aag
        write_blif \(out)/\(c.top).blif
        write_verilog -noattr \(out)/\(c.top).ys.v

        """
    }

    static func corpus() -> [Case] {
        let only = ProcessInfo.processInfo.environment["MITER_RTL_ONLY"].map { Set($0.split(separator: ",").map(String.init)) }
        var cases: [Case] = []
        for group in ["small", "designs"] {
            let dir = TestSupport.repoFile("Tests/Fixtures/rtl/\(group)").path
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for f in files.sorted() where f.hasSuffix(".v") {
                let top = String(f.dropLast(2))
                if let only, !only.contains(top) { continue }
                cases.append(Case(file: "\(dir)/\(f)", dir: dir, top: top, group: group))
            }
        }
        return cases
    }

    nonisolated(unsafe) private static var cached: Reference?? = nil
    private static let lock = NSLock()

    /// Runs Yosys once for the whole corpus (cached for the other tests), or nil with a printed reason.
    static func reference(for test: String = #function) -> Reference? {
        lock.lock(); defer { lock.unlock() }
        if let c = cached {
            if c == nil { print("SKIP \(test): no Yosys reference (see the first test's output)") }
            return c
        }
        guard let yosys = TestSupport.which("yosys") else {
            print("SKIP \(test): Yosys is not installed")
            cached = .some(nil)
            return nil
        }
        let cases = corpus()
        let start = Date()
        do {
            let out = try TestSupport.temporaryDirectory("miter-rtl-yosys").path
            // Two processes (CI has two cores), each one script.
            let halves = [stride(from: 0, to: cases.count, by: 2).map { cases[$0] },
                          stride(from: 1, to: cases.count, by: 2).map { cases[$0] }]
            nonisolated(unsafe) var failures: [String] = []
            let flock = NSLock()
            DispatchQueue.concurrentPerform(iterations: halves.count) { h in
                let script = "\(out)/corpus\(h).ys", log = "\(out)/corpus\(h).log"
                do {
                    try halves[h].map { yosysScript($0, out: out) }.joined().write(toFile: script, atomically: true, encoding: .utf8)
                    let r = try TestSupport.run(yosys, ["-q", "-l", log, "-s", script])
                    if r.status != 0 {
                        let logText = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                        let last = logText.split(separator: "\n").last(where: { $0.hasPrefix("RTLFILE ") })?.dropFirst(8) ?? "?"
                        flock.lock(); failures.append("Yosys failed on \(last): \(r.stdout)\(r.stderr)"); flock.unlock()
                    }
                } catch {
                    flock.lock(); failures.append("Yosys: \(error)"); flock.unlock()
                }
            }
            for f in failures { Issue.record(Comment(rawValue: f)) }
            if !failures.isEmpty { cached = .some(nil); return nil }
            let ref = Reference(out: out, cases: cases, seconds: Date().timeIntervalSince(start))
            print("RTL corpus: Yosys read \(cases.count) files in \(String(format: "%.1f", ref.seconds)) s (outputs in \(out))")
            cached = .some(ref)
            return ref
        } catch {
            Issue.record(error)
            cached = .some(nil)
            return nil
        }
    }

    /// The reference AIG of a case: the unused `clk` input removed, port and
    /// register bit names renamed from Yosys's positions to the declared indices.
    static func readReference(_ c: Case, _ ref: Reference) throws -> AIG {
        try renamedToDeclaredRanges(namingAsyncResetLatches(droppingClock(CircuitIO.read(path: ref.path(c, "aag")))), ref.ranges(c))
    }

    /// `async2sync` leaves a register with an asynchronous reset as an
    /// anonymous latch L (no symbol; `$auto$async2sync...` in BLIF) whose
    /// visible value is `rst ? value : L`. An output whose cone reads only L
    /// and one input r, equal to L for one value of r and constant for the
    /// other, shows that value: the latch takes the output's name, as the
    /// register it models would (`output reg q`).
    static func namingAsyncResetLatches(_ aig: AIG) -> AIG {
        func anonymous(_ j: Int) -> Bool { (aig.latchNames[j] ?? "").isEmpty || aig.latchNames[j]!.hasPrefix("$") }
        guard (0..<aig.latchCount).contains(where: anonymous) else { return aig }
        // Support (inputs and latches) of an output, up to 2 variables.
        func support(_ l: Literal) -> Set<UInt32>? {
            var seen = Set<UInt32>(), leaves = Set<UInt32>(), stack = [l.variable]
            while let v = stack.popLast() {
                if v == 0 || !seen.insert(v).inserted { continue }
                if Int(v) < aig.firstAndVariable { leaves.insert(v); if leaves.count > 2 { return nil }; continue }
                let f = aig.ands[Int(v) - aig.firstAndVariable]
                stack.append(f.left.variable); stack.append(f.right.variable)
            }
            return leaves
        }
        func value(_ l: Literal, _ env: [UInt32: Bool]) -> Bool {
            var memo: [UInt32: Bool] = [0: false]
            func ev(_ v: UInt32) -> Bool {
                if let x = memo[v] ?? env[v] { return x }
                let f = aig.ands[Int(v) - aig.firstAndVariable]
                let x = (ev(f.left.variable) != f.left.isComplemented) && (ev(f.right.variable) != f.right.isComplemented)
                memo[v] = x
                return x
            }
            return ev(l.variable) != l.isComplemented
        }
        var r = aig
        for j in 0..<aig.latchCount where anonymous(j) {
            let lv = UInt32(aig.firstLatchVariable + j)
            var names: [String] = []
            for (k, o) in aig.outputs.enumerated() {
                guard let name = aig.outputNames[k], let sup = support(o), sup.contains(lv) else { continue }
                if sup.count == 1 { if value(o, [lv: true]) && !value(o, [lv: false]) { names.append(name) }; continue }
                guard let rv = sup.first(where: { $0 != lv }), Int(rv) <= aig.inputCount else { continue }
                for active in [false, true] {
                    let follows = value(o, [lv: true, rv: !active]) && !value(o, [lv: false, rv: !active])
                    let constant = value(o, [lv: true, rv: active]) == value(o, [lv: false, rv: active])
                    if follows && constant { names.append(name); break }
                }
            }
            if !names.isEmpty { r.latchNames[j] = names.joined(separator: " ") }
        }
        return r
    }

    /// The circuit without its input `clk`, when nothing reads it (Yosys keeps
    /// the clock as an AIGER input; Miter's reader does not).
    static func droppingClock(_ aig: AIG) throws -> AIG {
        guard let k = aig.inputNames.firstIndex(of: "clk") else { return aig }
        let v = UInt32(k + 1)
        let used = aig.ands.contains { $0.left.variable == v || $0.right.variable == v }
            || aig.latches.contains { $0.next.variable == v } || aig.outputs.contains { $0.variable == v }
        if used { return aig }
        return rebuilt(aig, inputOrder: Array(0..<aig.inputCount).filter { $0 != k }, outputOrder: Array(0..<aig.outputCount))
    }

    /// The same circuit with inputs and outputs in another order (a subset of
    /// the inputs: the others must be unused), latches in place.
    static func rebuilt(_ aig: AIG, inputOrder: [Int], outputOrder: [Int]) -> AIG {
        var b = AIGBuilder()
        var map = [Literal](repeating: .false, count: aig.maxVariable + 1)
        func m(_ l: Literal) -> Literal { map[Int(l.variable)].complemented(if: l.isComplemented) }
        for i in inputOrder { map[i + 1] = b.addInput(name: aig.inputNames[i]) }
        for (j, l) in aig.latches.enumerated() { map[aig.firstLatchVariable + j] = b.addLatch(reset: l.reset, name: aig.latchNames[j]) }
        for (k, f) in aig.ands.enumerated() { map[aig.firstAndVariable + k] = b.and(m(f.left), m(f.right)) }
        for (j, l) in aig.latches.enumerated() { b.setLatch(j, next: m(l.next)) }
        for o in outputOrder { b.addOutput(m(aig.outputs[o]), name: aig.outputNames[o]) }
        return b.finish()
    }

    /// `a[k]` (k-th bit from the LSB, as `write_aiger` names it) renamed to the
    /// declared index: `input [11:4] a` gives a[4 + k], `input [0:7] a` a[7 - k].
    static func renamedToDeclaredRanges(_ aig: AIG, _ ranges: [String: (Int, Int)]) -> AIG {
        let odd = ranges.filter { $0.value.0 < $0.value.1 || $0.value.1 != 0 }
        if odd.isEmpty { return aig }
        func one(_ name: String) -> String {
            guard name.hasSuffix("]"), let open = name.lastIndex(of: "["),
                  let k = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]),
                  let (msb, lsb) = odd[String(name[..<open])] else { return name }
            return "\(name[..<open])[\(msb >= lsb ? lsb + k : lsb - k)]"
        }
        func rename(_ n: String?) -> String? { n.map { $0.split(separator: " ").map { one(String($0)) }.joined(separator: " ") } }
        var r = aig
        r.inputNames = aig.inputNames.map(rename)
        r.outputNames = aig.outputNames.map(rename)
        r.latchNames = aig.latchNames.map(rename)
        return r
    }
}

// MARK: - Checking and reporting

extension RTLYosysDifferentialTests {
    enum Outcome: Sendable {
        case equivalent(registers: Int)
        case failed(String)
    }

    static func check(_ ours: AIG, _ reference: AIG) throws -> (CheckResult, EquivalenceChecker.Stats) {
        var p = EquivalenceChecker.Params()
        p.matching = .names      // registers unnamed in the reference (async resets) pair by signature
        p.timeout = 60
        p.jobs = 1
        return try EquivalenceChecker(params: p).check(ours, reference)
    }

    static func describe(_ r: CheckResult) -> String {
        switch r {
        case .equivalent: return "equivalent"
        case .undecided(let reason, let open): return "undecided (\(reason)); open outputs: \(open.prefix(8).joined(separator: ", "))"
        case .notEquivalent(let cex):
            let diffs = cex.differences.prefix(8).map { "\($0.output): Miter \($0.valueA ? 1 : 0) / Yosys \($0.valueB ? 1 : 0)" }
            let ins = zip(cex.inputNames, cex.inputs).map { "\($0)=\($1 ? 1 : 0)" }
            var s = "NOT equivalent; differing outputs: \(diffs.joined(separator: ", "))\(cex.differences.count > 8 ? ", ..." : "")\n    inputs: \(ins.joined(separator: " "))"
            if !cex.assumedStates.isEmpty {
                s += "\n    register states: " + cex.assumedStates.map { "\($0.register)=\($0.value ? 1 : 0)" }.joined(separator: " ")
            }
            return s
        }
    }

    /// Reads each case with `read` and checks it against the reference, on all cores.
    static func checkAll(_ cases: [Case], _ read: @escaping @Sendable (Case) throws -> AIG) -> [(Case, Outcome)] {
        guard let ref = reference() else { return [] }
        nonisolated(unsafe) var outcomes = [Outcome](repeating: .failed("not run"), count: cases.count)
        nonisolated(unsafe) var seconds = [Double](repeating: 0, count: cases.count)
        let olock = NSLock()
        DispatchQueue.concurrentPerform(iterations: cases.count) { i in
            let c = cases[i]
            let start = Date()
            let o: Outcome
            do {
                let reference = try readReference(c, ref)
                let ours: AIG
                do { ours = try read(c) } catch { throw ReadFailure(message: "read failed: \(error)") }
                do {
                    let (r, s) = try check(ours, reference)
                    if case .equivalent = r {
                        if let regs = s.registers, !regs.resetMismatches.isEmpty {
                            let list = regs.resetMismatches.map { "\(regs.pairs[$0].nameA) (Miter \(ours.latches[regs.pairs[$0].a].reset), Yosys \(reference.latches[regs.pairs[$0].b].reset))" }
                            o = .failed("equivalent, but initial values differ: \(list.joined(separator: ", "))")
                        } else {
                            o = .equivalent(registers: reference.latchCount)
                        }
                    } else {
                        o = .failed(describe(r))
                    }
                } catch {
                    o = .failed("check failed: \(error)\n    Miter: \(ours.inputCount) inputs, \(ours.latchCount) latches, \(ours.outputCount) outputs; Yosys: \(reference.inputCount) inputs, \(reference.latchCount) latches, \(reference.outputCount) outputs")
                }
            } catch let e as ReadFailure {
                o = .failed(e.message)
            } catch {
                o = .failed("Yosys reference unreadable: \(error)")
            }
            olock.lock(); outcomes[i] = o; seconds[i] = Date().timeIntervalSince(start); olock.unlock()
        }
        let slowest = seconds.indices.sorted { seconds[$0] > seconds[$1] }.prefix(5)
        print("RTL corpus: slowest reads + checks: " + slowest.map { "\(cases[$0].top) \(String(format: "%.1f", seconds[$0])) s" }.joined(separator: ", "))
        return Array(zip(cases, outcomes))
    }

    struct ReadFailure: Error { var message: String }

    static func report(_ results: [(Case, Outcome)], label: String, total: Int) {
        var ok = 0, sequential = 0
        for (c, o) in results {
            switch o {
            case .equivalent(let regs): ok += 1; if regs > 0 { sequential += 1 }
            case .failed(let why): Issue.record(Comment(rawValue: "\(c.group)/\(c.top).v: \(why)"))
            }
        }
        print("RTL corpus (\(label)): \(ok) of \(total) files equivalent to Yosys's reading (\(sequential) sequential), \(results.count - ok) failing")
    }

    /// ABC `cec` on a handful of combinational files: Miter's reading, put in
    /// the reference's port order, against the reference.
    static func abcCEC(_ abc: String, _ ref: Reference, _ results: [(Case, Outcome)]) throws {
        let picks = ["op_xor_u16", "red_xnor_u13", "op_cond_nested", "cmp_eq_u13", "op_add_u16", "op_mul_u8", "op_div_s8", "shift_ashr_s13", "size_shift_keeps_left", "alw_casez_z",
                     "func_clog2", "sel_indexed_down", "sign_literal", "alu32", "barrel_shifter"]
        var pairs: [(String, String, String)] = []
        for (c, o) in results where picks.contains(c.top) {
            guard case .equivalent = o else { continue }
            var o = ReadOptions(); o.top = c.top
            let ours = try CircuitIO.read(path: c.file, options: o), reference = try readReference(c, ref)
            let inputIndex = Dictionary(ours.inputNames.enumerated().map { ($1 ?? "", $0) }, uniquingKeysWith: { a, _ in a })
            let outputIndex = Dictionary(ours.outputNames.enumerated().map { ($1 ?? "", $0) }, uniquingKeysWith: { a, _ in a })
            let ins = reference.inputNames.compactMap { inputIndex[$0 ?? ""] }, outs = reference.outputNames.compactMap { outputIndex[$0 ?? ""] }
            guard ins.count == ours.inputCount, outs.count == ours.outputCount else { continue }
            let a = "\(ref.out)/\(c.top).miter.aig", b = "\(ref.out)/\(c.top).ref.aig"
            try CircuitIO.write(rebuilt(ours, inputOrder: ins, outputOrder: outs), to: a, format: .aigerBinary)
            try CircuitIO.write(reference, to: b, format: .aigerBinary)
            pairs.append((c.top, a, b))
        }
        guard !pairs.isEmpty else { print("SKIP ABC cec: none of the picked files read as equivalent yet"); return }
        let out = try TestSupport.runABC(abc, pairs.map { "cec \($0.1) \($0.2)" }.joined(separator: "; "))
        let verdicts = out.split(separator: "\n").filter { $0.contains("Networks are") }
        #expect(verdicts.count == pairs.count, "ABC gave \(verdicts.count) verdicts for \(pairs.count) pairs: \(out)")
        for (p, v) in zip(pairs, verdicts) where !v.contains("Networks are equivalent") {
            Issue.record(Comment(rawValue: "\(p.0).v: ABC cec says \(v)"))
        }
        print("RTL corpus: ABC cec agreed on \(verdicts.filter { $0.contains("Networks are equivalent") }.count) of \(pairs.count) combinational files")
    }
}
