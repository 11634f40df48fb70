import Foundation
import Testing
import AIG
import AIGFormats
import Simulation
@testable import Equivalence

// Certificates (`EquivalenceChecker.certify`, `CertificateFile`,
// `CertificateChecker`): what the checker writes must read back unchanged and
// hold, and every kind of damage to a certificate must be caught — by the
// parser at the right line when it is syntactic, by the certificate checker
// at the right lemma when it is semantic.

// MARK: - Helpers

private struct FixtureError: Error, CustomStringConvertible { let description: String }

private func certify(_ a: AIG, _ b: AIG, _ configure: (inout EquivalenceChecker.Params) -> Void = { _ in },
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> (CheckResult, EquivalenceChecker.Stats, Certificate) {
    var p = EquivalenceChecker.Params()
    configure(&p)
    let (r, s, c) = try EquivalenceChecker(params: p).certify(a, b, circuitA: "a.aag", circuitB: "b.aag")
    return (r, s, try #require(c, "no certificate for \(r)", sourceLocation: sourceLocation))
}

private extension Lemma {
    var merge: (x: Literal, y: Literal)? { if case .merge(let x, let y) = claim { return (x, y) }; return nil }
    var output: Int? { if case .output(let k) = claim { return k }; return nil }
}

private extension Certificate {
    var mergeCount: Int { lemmas.filter { $0.merge != nil }.count }
    /// The number of the lemma that proves miter output `k`.
    func lemmaNumber(ofOutput k: Int) -> Int? { lemmas.first { $0.output == k }?.number }
}

/// Lemmas renumbered 1, 2, … by position, assumed numbers mapped old → new.
private func renumbered(_ lemmas: [Lemma], _ map: (Int) -> Int = { $0 }) -> [Lemma] {
    lemmas.enumerated().map { i, l in
        var l = l
        l.number = i + 1
        l.assumes = l.assumes.map(map)
        return l
    }
}

/// The structure `certify` promises: lemmas 1…n, merges in increasing
/// variable order before the output lemmas, each output proved once.
private func expectWellFormed(_ c: Certificate, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(c.lemmas.map(\.number) == c.lemmas.indices.map { $0 + 1 }, sourceLocation: sourceLocation)
    let merges = c.lemmas.prefix { $0.merge != nil }
    #expect(merges.count == c.mergeCount, "merges come first", sourceLocation: sourceLocation)
    let vars = merges.map { Int($0.merge!.x.variable) }
    #expect(zip(vars, vars.dropFirst()).allSatisfy { $0 < $1 }, sourceLocation: sourceLocation)
    #expect(c.lemmas.compactMap(\.output).sorted() == Array(0..<c.miter.outputs.count), sourceLocation: sourceLocation)
    for l in c.lemmas {
        #expect(l.assumes == l.assumes.sorted() && Set(l.assumes).count == l.assumes.count && l.assumes.allSatisfy { $0 >= 1 && $0 < l.number },
                "lemma \(l.number) assumes \(l.assumes)", sourceLocation: sourceLocation)
    }
}

/// Written and parsed again, the certificate is unchanged.
private func expectRoundTrip(_ c: Certificate, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let d = try CertificateFile.parse(CertificateFile.write(c), file: "round-trip.cert")
    #expect(d.verdict == c.verdict, sourceLocation: sourceLocation)
    #expect(d.circuitA == c.circuitA && d.circuitB == c.circuitB, sourceLocation: sourceLocation)
    #expect(d.lemmas == c.lemmas, sourceLocation: sourceLocation)
    #expect(d.counterexample == c.counterexample, sourceLocation: sourceLocation)
    #expect(d.miter.inputCount == c.miter.inputCount, sourceLocation: sourceLocation)
    #expect(d.miter.ands == c.miter.ands, sourceLocation: sourceLocation)
    #expect(d.miter.outputs == c.miter.outputs, sourceLocation: sourceLocation)
    #expect(d == c, "names and comments survive too", sourceLocation: sourceLocation)
}

private func expectHolds(_ c: Certificate, sourceLocation: SourceLocation = #_sourceLocation) -> CertificateChecker.Report {
    let r = CertificateChecker().check(c)
    #expect(r.verdict == .holds, "lemma \(r.failedLemma.map(String.init) ?? "-"): \(r.reason ?? "")", sourceLocation: sourceLocation)
    #expect(r.failedLemma == nil && r.reason == nil, sourceLocation: sourceLocation)
    if c.verdict == .equivalent {
        #expect(r.lemmas == c.lemmas.count, sourceLocation: sourceLocation)
        #expect(r.z3Proofs + r.structural == c.lemmas.count, sourceLocation: sourceLocation)
    }
    return r
}

private func lines(_ bytes: [UInt8]) -> [String] { String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n") }
private func bytes(_ lines: [String]) -> [UInt8] { Array(lines.joined(separator: "\n").utf8) }
/// 0-based index of the first line starting with `prefix`.
private func index(_ lines: [String], _ prefix: String) -> Int { lines.firstIndex { $0.hasPrefix(prefix) } ?? -1 }

// MARK: - The certificates the tampering tests start from

/// A SAT-swept certificate with many merge lemmas (seed 1: 65 merges, 6
/// outputs, 474 miter ANDs), a refutation, and the lemma numbers the
/// tamperings aim at — computed from the certificate, not guessed.
struct CertificateFixture: Sendable {
    static let shared = Result<CertificateFixture, any Error> { try CertificateFixture() }

    let cert: Certificate
    let refuted: Certificate
    var n: Int { cert.lemmas.count }
    let merges: Int
    /// A merge lemma in the middle: ≥ 2 assumed lemmas, y not constant, x not
    /// constant and the right fanin of x's AND can be 1 (random simulation
    /// witnesses both), so neither constant satisfies it and flipping the left
    /// fanin changes x.
    let mid: Int
    /// Merge lemma j such that merge lemma j + 1 assumes j.
    let dependentPair: Int
    /// Merge lemma j such that merge lemma j + 1 assumes nothing at or after j.
    let independentPair: Int
    /// An output lemma that assumes a lemma at or after `mid`.
    let outputAssumingMid: Int
    /// An output lemma whose assumptions all lie before merge `outputFree.position`.
    let outputFree: (lemma: Int, position: Int)
    /// An output lemma with assumptions.
    let outputWithAssumes: Int
    /// A miter output in the middle, and its lemma.
    let k: Int
    let kLemma: Int

    init() throws {
        let a = RandomCircuits.aig(inputs: 24, ands: 300, outputs: 6, seed: 1)
        var p = EquivalenceChecker.Params()
        p.bddNodeLimit = 0
        let checker = EquivalenceChecker(params: p)
        let (r, _, c0) = try checker.certify(a, RandomCircuits.restructured(a), circuitA: "a.aag", circuitB: "a-restructured.aag")
        guard r == .equivalent, let c = c0 else { throw FixtureError(description: "seed 1 not certified equivalent: \(r)") }
        let merges = c.mergeCount
        guard merges >= 20, c.miter.outputs.count >= 4 else { throw FixtureError(description: "\(merges) merges, \(c.miter.outputs.count) outputs") }

        var refutation: Certificate? = nil
        for k in stride(from: 3, to: a.andCount, by: 17) {
            let (r, _, c) = try checker.certify(a, RandomCircuits.mutant(a, and: k, left: true), circuitA: "a.aag", circuitB: "mutant.aag")
            if case .notEquivalent = r, let c { refutation = c; break }
        }
        guard let refutation else { throw FixtureError(description: "no refuted mutant") }

        let m = c.miter
        var sim = Simulator()
        sim.simulateRandom(m, words: 8, seed: 7)
        func canBeOne(_ l: Literal) -> Bool { sim.literalWords(l).contains { $0 != 0 } }
        func varies(_ l: Literal) -> Bool { canBeOne(l) && canBeOne(!l) }
        let lemmas = c.lemmas
        let half = merges / 2
        func firstMerge(_ what: String, from start: Int, _ ok: (Lemma) -> Bool) throws -> Int {
            guard let l = lemmas[(start - 1)..<merges].first(where: ok) else { throw FixtureError(description: "no merge lemma from \(start) for \(what)") }
            return l.number
        }
        let mid = try firstMerge("mid", from: half) { l in
            let (x, y) = l.merge!
            let f = m.ands[Int(x.variable) - m.firstAndVariable]
            return l.assumes.count >= 2 && !y.isConstant && varies(Literal(variable: x.variable)) && canBeOne(f.right)
                && Int(x.variable) < m.maxVariable && l.number < merges
        }
        let outputs = lemmas[merges...]
        guard let o1 = outputs.first(where: { ($0.assumes.last ?? 0) >= mid }),
              let o2 = outputs.min(by: { ($0.assumes.last ?? 0) < ($1.assumes.last ?? 0) }),
              let o3 = outputs.first(where: { !$0.assumes.isEmpty }) else { throw FixtureError(description: "output lemmas") }
        guard (o2.assumes.last ?? 0) + 1 <= merges else { throw FixtureError(description: "every output lemma assumes the last merge") }

        self.cert = c
        self.refuted = refutation
        self.merges = merges
        self.mid = mid
        self.dependentPair = try firstMerge("dependentPair", from: half) { $0.number < merges && lemmas[$0.number].assumes.contains($0.number) }
        self.independentPair = try firstMerge("independentPair", from: half) { l in l.number < merges && lemmas[l.number].assumes.allSatisfy { $0 < l.number } }
        self.outputAssumingMid = o1.number
        self.outputFree = (o2.number, (o2.assumes.last ?? 0) + 1)
        self.outputWithAssumes = o3.number
        self.k = m.outputs.count / 2
        self.kLemma = c.lemmaNumber(ofOutput: m.outputs.count / 2)!
    }
}

// MARK: - Tests

@Suite struct CertificateTests {
    /// Every way the checker decides an equivalence yields a certificate that
    /// reads back unchanged and that Z3 re-proves.
    @Test(arguments: UInt64(1)...10)
    func equivalentCertificatesRoundTripAndHold(seed: UInt64) throws {
        let a = RandomCircuits.aig(inputs: 24 + Int(seed % 3) * 4, ands: 300, outputs: 6, seed: seed)
        let b = RandomCircuits.restructured(a)

        // Default parameters: BDDs decide, and the proof is written as the
        // merges of nodes with equal BDDs; the outputs then hash to one node.
        let (_, plain) = try EquivalenceChecker().check(a, b)
        #expect(plain.decidedBy == "BDD")
        let (r0, s0, byDefault) = try certify(a, b)
        #expect(r0 == .equivalent && s0.decidedBy == "BDD")
        #expect(byDefault.mergeCount > 0)
        #expect(byDefault.lemmas.allSatisfy { ($0.method == .bdd || ($0.method == .structural && $0.output != nil)) && $0.cut.isEmpty })
        let fromBDD = CertificateChecker().check(byDefault)
        #expect(fromBDD.verdict == .holds && fromBDD.structural >= byDefault.miter.outputs.count, "every output lemma is equal after hashing")
        // A BDD merge with its target complemented is false at that lemma.
        let firstMerge = try #require(byDefault.lemmas.firstIndex { $0.merge != nil })
        var flipped = byDefault
        let (fx, fy) = flipped.lemmas[firstMerge].merge!
        flipped.lemmas[firstMerge].claim = .merge(x: fx, y: !fy)
        #expect(CertificateChecker().check(flipped).failedLemma == firstMerge + 1)

        // SAT sweeping (built-in solver, then CaDiCaL): merge lemmas.
        let (r1, s1, swept) = try certify(a, b) { $0.bddNodeLimit = 0 }
        #expect(r1 == .equivalent && s1.decidedBy == "SAT sweeping")
        #expect(swept.mergeCount > 0, "SAT sweeping records its merges")
        let (r2, s2, viaCaDiCaL) = try certify(a, b) { $0.bddNodeLimit = 0; $0.satEngine = .cadical }
        #expect(r2 == .equivalent && s2.decidedBy == "SAT sweeping" && s2.satEngine == "cadical")
        #expect(viaCaDiCaL.mergeCount > 0)

        // At most 16 inputs: exhaustive simulation.
        let small = RandomCircuits.aig(inputs: 12 + Int(seed % 5), ands: 200, outputs: 4, seed: seed)
        let (r3, s3, exhaustive) = try certify(small, RandomCircuits.restructured(small))
        #expect(r3 == .equivalent && s3.decidedBy == "exhaustive simulation")
        #expect(exhaustive.mergeCount == 0 && exhaustive.lemmas.contains { $0.method == .exhaustive })

        // Identical circuits: structural hashing alone.
        let (r4, s4, identical) = try certify(a, a)
        #expect(r4 == .equivalent && s4.decidedBy == "structural hashing")
        #expect(identical.lemmas.allSatisfy { $0.method == .structural && $0.assumes.isEmpty && $0.output != nil })

        for c in [byDefault, swept, viaCaDiCaL, exhaustive, identical] {
            #expect(c.verdict == .equivalent && c.counterexample == nil)
            #expect(c.circuitA == "a.aag" && c.circuitB == "b.aag")
            expectWellFormed(c)
            try expectRoundTrip(c)
            _ = expectHolds(c)
        }
        let r = CertificateChecker().check(identical)
        #expect(r.structural == identical.lemmas.count && r.z3Proofs == 0, "identical outputs need no Z3 call")
    }

    /// Refutations: the counterexample reads back, holds, and the outputs it
    /// sets to 1 are the miter's.
    @Test(arguments: UInt64(1)...10)
    func counterexampleCertificatesRoundTripAndHold(seed: UInt64) throws {
        let a = RandomCircuits.aig(inputs: 24, ands: 300, outputs: 6, seed: seed)
        var refuted = 0
        for k in stride(from: Int(seed % 7), to: a.andCount, by: 23) where refuted < 4 {
            let m = RandomCircuits.mutant(a, and: k, left: k % 2 == 0)
            for sweep in [false, true] {
                let (r, _, c) = try certify(a, m) { if sweep { $0.bddNodeLimit = 0 } }
                guard case .notEquivalent(let cex) = r else { continue }
                refuted += 1
                #expect(c.verdict == .notEquivalent && c.lemmas.isEmpty)
                #expect(c.counterexample == cex.inputs)
                try expectRoundTrip(c)
                let report = expectHolds(c)
                #expect(!report.differingOutputs.isEmpty)
                let outs = try evaluate(c.miter, inputs: try #require(c.counterexample))
                #expect(report.differingOutputs == outs.indices.filter { outs[$0] })
                // The vector really separates the two circuits (same input names, same order).
                #expect(try evaluate(a, inputs: cex.inputsA) != evaluate(m, inputs: cex.inputsB))
            }
        }
        #expect(refuted >= 2, "seed \(seed): \(refuted) refuted mutants")
    }

    /// Method tags are informational: any tag, comments, spacing, names, or
    /// complementing both sides of a merge leave a certificate valid.
    @Test func harmlessChangesStillHold() throws {
        let f = try CertificateFixture.shared.get()
        // CR LF line ends (the file edited on another system) read the same.
        let crlf = String(decoding: CertificateFile.write(f.cert, miterEncoding: .ascii), as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n")
        let fromCRLF = try CertificateFile.parse(Array(crlf.utf8), file: "crlf.cert")
        #expect(fromCRLF.lemmas == f.cert.lemmas && fromCRLF.miter.ands == f.cert.miter.ands)
        _ = expectHolds(fromCRLF)
        let base = CertificateChecker().check(f.cert)
        #expect(base.verdict == .holds)
        for method in ProofMethod.allCases {
            var c = f.cert
            for i in c.lemmas.indices { c.lemmas[i].method = method }
            let r = expectHolds(c)
            #expect(r.z3Proofs == base.z3Proofs && r.structural == base.structural, "all tags \(method)")
        }
        var rotated = f.cert
        for i in rotated.lemmas.indices { rotated.lemmas[i].method = ProofMethod.allCases[i % ProofMethod.allCases.count] }
        _ = expectHolds(rotated)

        // The same through the file: one tag edited in the text.
        var text = lines(CertificateFile.write(f.cert, miterEncoding: .ascii))
        let at = index(text, "lemma \(f.mid) ")
        let tag = f.cert.lemmas[f.mid - 1].method.rawValue
        let other: ProofMethod = f.cert.lemmas[f.mid - 1].method == .sat ? .bdd : .sat
        text[at] = text[at].replacingOccurrences(of: " \(tag)", with: " \(other.rawValue)")
        let edited = try CertificateFile.parse(bytes(text), file: "tag.cert")
        #expect(edited.lemmas[f.mid - 1].method == other)
        _ = expectHolds(edited)

        // Comments, blank lines, extra spaces between fields.
        var spaced = lines(CertificateFile.write(f.cert, miterEncoding: .ascii))
        let first = index(spaced, "lemma 1 ")
        spaced[first] = spaced[first].replacingOccurrences(of: " ", with: "   ") + "  "
        spaced.insert(contentsOf: ["# comment between lemmas", "", "    "], at: first)
        spaced.insert("# written by a test", at: 0)
        #expect(try CertificateFile.parse(bytes(spaced), file: "spaced.cert") == f.cert)

        // Other names of the two circuits (a newline in a name is written as a space).
        var renamed = f.cert
        renamed.circuitA = "first circuit.v"; renamed.circuitB = "second\ncircuit.aig"
        let back = try CertificateFile.parse(CertificateFile.write(renamed), file: "names.cert")
        #expect(back.circuitA == "first circuit.v" && back.circuitB == "second circuit.aig")
        _ = expectHolds(back)

        // x = y  ⇔  ¬x = ¬y.
        var both = f.cert
        let (x, y) = both.lemmas[f.mid - 1].merge!
        both.lemmas[f.mid - 1].claim = .merge(x: !x, y: !y)
        _ = expectHolds(both)
    }

    /// What a damaged certificate must be rejected with.
    struct Outcome: Sendable, CustomStringConvertible {
        /// The failing lemma (nil: the certificate as a whole).
        var lemma: Int?
        /// A piece of the checker's reason (nil: several rules may catch it first).
        var reason: String?
        var description: String { "lemma \(lemma.map(String.init) ?? "none") (\(reason ?? "any reason"))" }
    }

    /// Semantic damage: well-formed certificates whose lemmas, order,
    /// assumptions, miter or counterexample are wrong.
    enum Tamper: String, CaseIterable, Sendable {
        case complementY, complementX, swapXAndY
        case yReplacedByFalse, yReplacedByTrue, xReplacedByInput, xReplacedByConstant
        case mergedIntoItself, mergedIntoLaterNode
        case wrongLemmaNumber, numbersStartAtZero, mergeRepeated
        case dependentMergesSwapped, independentMergesSwapped
        case assumptionDropped, extraEarlierAssumption, assumesLaterLemma, assumesItself
        case assumptionsUnsorted, assumptionDuplicated, assumesLemmaZero
        case mergeMovedAfterOutputs, outputMovedBeforeItsMerges, outputMovedBeforeOtherMerges
        case outputProvedTwice, lastOutputLemmaRemoved, outputLemmaRemovedAndRenumbered, outputLemmaRemovedLeavingGap
        case outputAssumptionDropped, allLemmasRemoved
        case miterOutputComplemented, miterOutputComplementedInText, miterOutputReplacedByInput, miterFaninFlippedUnderMerge
        case equivalentCalledNotEquivalent
        case counterexampleOnWhichCircuitsAgree, counterexampleRemoved, counterexampleTooShort
        case refutationWithLemmas, refutationCalledEquivalent

        func apply(_ f: CertificateFixture) throws -> (Certificate, Outcome) {
            var c = f.cert
            let i = f.mid
            let (x, y) = c.lemmas[i - 1].merge!
            func setMerge(_ n: Int, x: Literal, y: Literal) { c.lemmas[n - 1].claim = .merge(x: x, y: y) }
            func setAssumes(_ n: Int, _ a: [Int]) { c.lemmas[n - 1].assumes = a }
            let assumes = c.lemmas[i - 1].assumes
            let z3 = "Z3 finds", notAND = "is not an AND node", notEarlierNode = "which is not an earlier node"
            let numbering = "numbered 1, 2", notEarlierLemma = "which is not an earlier lemma", relies = "but its cones rely on"
            let order = "topological order", mergesFirst = "merges come first", missing = "no lemma proves output"
            switch self {
            case .complementY:
                setMerge(i, x: x, y: !y); return (c, Outcome(lemma: i, reason: z3))
            case .complementX:
                setMerge(i, x: !x, y: y); return (c, Outcome(lemma: i, reason: z3))
            case .swapXAndY:
                // Fails at i whichever rule: y's variable is an input, not after the last merge, or not below x's.
                setMerge(i, x: y, y: x); return (c, Outcome(lemma: i, reason: nil))
            case .yReplacedByFalse:
                // x is not constant (simulation shows both values); the dropped y cone may also change the assumptions.
                setMerge(i, x: x, y: .false); return (c, Outcome(lemma: i, reason: nil))
            case .yReplacedByTrue:
                setMerge(i, x: x, y: .true); return (c, Outcome(lemma: i, reason: nil))
            case .xReplacedByInput:
                setMerge(i, x: c.miter.inputLiteral(0), y: y); return (c, Outcome(lemma: i, reason: notAND))
            case .xReplacedByConstant:
                setMerge(i, x: .true, y: y); return (c, Outcome(lemma: i, reason: notAND))
            case .mergedIntoItself:
                setMerge(i, x: x, y: x.regular); return (c, Outcome(lemma: i, reason: notEarlierNode))
            case .mergedIntoLaterNode:
                setMerge(i, x: x, y: Literal(variable: x.variable + 1)); return (c, Outcome(lemma: i, reason: notEarlierNode))
            case .wrongLemmaNumber:
                c.lemmas[i - 1].number = i + 1; return (c, Outcome(lemma: i, reason: numbering))
            case .numbersStartAtZero:
                for j in c.lemmas.indices { c.lemmas[j].number -= 1 }
                return (c, Outcome(lemma: 1, reason: numbering))
            case .mergeRepeated:
                c.lemmas.insert(c.lemmas[i - 1], at: i)
                c.lemmas = renumbered(c.lemmas) { $0 > i ? $0 + 1 : $0 }
                return (c, Outcome(lemma: i + 1, reason: order))
            case .dependentMergesSwapped, .independentMergesSwapped:
                // Lemma j+1 goes first, references renumbered. If it assumes j it
                // now assumes a later lemma (fails at j); otherwise it holds at j,
                // and lemma j, now after a larger variable, fails at j + 1.
                let j = self == .dependentMergesSwapped ? f.dependentPair : f.independentPair
                c.lemmas.swapAt(j - 1, j)
                c.lemmas = renumbered(c.lemmas) { $0 == j ? j + 1 : $0 == j + 1 ? j : $0 }
                return self == .dependentMergesSwapped ? (c, Outcome(lemma: j, reason: notEarlierLemma)) : (c, Outcome(lemma: j + 1, reason: order))
            case .assumptionDropped:
                setAssumes(i, Array(assumes.dropFirst())); return (c, Outcome(lemma: i, reason: relies))
            case .extraEarlierAssumption:
                let extra = (1..<i).first { !assumes.contains($0) }!
                setAssumes(i, (assumes + [extra]).sorted()); return (c, Outcome(lemma: i, reason: relies))
            case .assumesLaterLemma:
                setAssumes(i, assumes + [i + 1]); return (c, Outcome(lemma: i, reason: notEarlierLemma))
            case .assumesItself:
                setAssumes(i, assumes + [i]); return (c, Outcome(lemma: i, reason: notEarlierLemma))
            case .assumptionsUnsorted:
                setAssumes(i, assumes.reversed()); return (c, Outcome(lemma: i, reason: relies))
            case .assumptionDuplicated:
                setAssumes(i, assumes + [assumes.last!]); return (c, Outcome(lemma: i, reason: relies))
            case .assumesLemmaZero:
                setAssumes(i, [0] + assumes); return (c, Outcome(lemma: i, reason: relies))
            case .mergeMovedAfterOutputs:
                // Merge `mid` moved behind the outputs, references to it renumbered.
                // Every merge of a written certificate is assumed by a later lemma
                // (the sweeper's merges lie in the output cones), so the first
                // lemma that assumed it now assumes a later lemma, one place up;
                // only a merge nobody assumes would fail at its new place.
                let moved = c.lemmas.remove(at: i - 1)
                c.lemmas.append(moved)
                c.lemmas = renumbered(c.lemmas) { $0 == i ? f.n : $0 > i ? $0 - 1 : $0 }
                if let assumer = f.cert.lemmas.first(where: { $0.assumes.contains(i) }) {
                    return (c, Outcome(lemma: assumer.number - 1, reason: notEarlierLemma))
                }
                return (c, Outcome(lemma: f.n, reason: mergesFirst))
            case .outputMovedBeforeItsMerges:
                // The output lemma lands at `mid` but assumes a merge at or after it.
                let o = f.outputAssumingMid, p = i
                let moved = c.lemmas.remove(at: o - 1)
                c.lemmas.insert(moved, at: p - 1)
                c.lemmas = renumbered(c.lemmas) { $0 == o ? p : ($0 >= p && $0 < o) ? $0 + 1 : $0 }
                return (c, Outcome(lemma: p, reason: notEarlierLemma))
            case .outputMovedBeforeOtherMerges:
                // An output lemma placed after all it assumes holds; the merge after it fails.
                let (o, p) = f.outputFree
                let moved = c.lemmas.remove(at: o - 1)
                c.lemmas.insert(moved, at: p - 1)
                c.lemmas = renumbered(c.lemmas) { $0 == o ? p : ($0 >= p && $0 < o) ? $0 + 1 : $0 }
                return (c, Outcome(lemma: p + 1, reason: mergesFirst))
            case .outputProvedTwice:
                let first = f.merges + 1, second = f.merges + 2
                c.lemmas[second - 1] = c.lemmas[first - 1]
                c.lemmas[second - 1].number = second
                return (c, Outcome(lemma: second, reason: "was already proved by lemma \(first)"))
            case .lastOutputLemmaRemoved:
                c.lemmas.removeLast()
                return (c, Outcome(lemma: c.lemmas.count + 1, reason: "\(missing) \(c.miter.outputs.count - 1)"))
            case .outputLemmaRemovedAndRenumbered:
                c.lemmas.remove(at: f.merges)
                c.lemmas = renumbered(c.lemmas)
                return (c, Outcome(lemma: c.lemmas.count + 1, reason: "\(missing) 0"))
            case .outputLemmaRemovedLeavingGap:
                c.lemmas.remove(at: f.merges)
                return (c, Outcome(lemma: f.merges + 1, reason: numbering))
            case .outputAssumptionDropped:
                let o = f.outputWithAssumes
                setAssumes(o, Array(c.lemmas[o - 1].assumes.dropLast()))
                return (c, Outcome(lemma: o, reason: relies))
            case .allLemmasRemoved:
                c.lemmas = []
                return (c, Outcome(lemma: 1, reason: "\(missing) 0"))
            case .miterOutputComplemented:
                c.miter.outputs[f.k] = !c.miter.outputs[f.k]
                return (c, Outcome(lemma: f.kLemma, reason: z3))
            case .miterOutputComplementedInText:
                // The miter's k-th output line in the written file, complemented.
                var text = lines(CertificateFile.write(c, miterEncoding: .ascii))
                let at = index(text, "aag ") + 1 + c.miter.inputCount + f.k
                let literal = try #require(UInt32(text[at]))
                #expect(literal == c.miter.outputs[f.k].raw)
                text[at] = String(literal ^ 1)
                return (try CertificateFile.parse(bytes(text), file: "tampered.cert"), Outcome(lemma: f.kLemma, reason: z3))
            case .miterOutputReplacedByInput:
                // Its assumptions no longer match, or (none assumed) Z3 sets the input to 1.
                c.miter.outputs[f.k] = c.miter.inputLiteral(0)
                return (c, Outcome(lemma: f.kLemma, reason: nil))
            case .miterFaninFlippedUnderMerge:
                // Only lemmas from `mid` on have x's node in their cones; AND(¬l, r)
                // differs from AND(l, r) = y wherever r = 1, which simulation witnessed.
                let a = Int(x.variable) - c.miter.firstAndVariable
                let g = c.miter.ands[a]
                c.miter.ands[a] = AndFanins(!g.left, g.right)
                return (c, Outcome(lemma: i, reason: z3))
            case .equivalentCalledNotEquivalent:
                c.verdict = .notEquivalent
                return (c, Outcome(lemma: nil, reason: "no counterexample"))
            case .counterexampleOnWhichCircuitsAgree:
                c = f.refuted
                var rng = SplitMix64(seed: 5)
                var vector = [Bool](repeating: false, count: c.miter.inputCount)
                while try evaluate(c.miter, inputs: vector).contains(true) {
                    vector = (0..<c.miter.inputCount).map { _ in rng.next() & 1 == 1 }
                }
                c.counterexample = vector
                return (c, Outcome(lemma: nil, reason: "the circuits agree on it"))
            case .counterexampleRemoved:
                c = f.refuted
                c.counterexample = nil
                return (c, Outcome(lemma: nil, reason: "no counterexample"))
            case .counterexampleTooShort:
                c = f.refuted
                c.counterexample!.removeLast()
                return (c, Outcome(lemma: nil, reason: "no counterexample of \(c.miter.inputCount) values"))
            case .refutationWithLemmas:
                c = f.refuted
                c.lemmas = [Lemma(number: 1, claim: .output(0), method: .sat, assumes: [])]
                return (c, Outcome(lemma: 1, reason: "cannot have lemmas"))
            case .refutationCalledEquivalent:
                c = f.refuted
                c.verdict = .equivalent
                return (c, Outcome(lemma: 1, reason: "\(missing) 0"))
            }
        }
    }

    @Test(arguments: Tamper.allCases)
    func tamperedCertificateFails(_ tamper: Tamper) throws {
        let f = try CertificateFixture.shared.get()
        let (c, expected) = try tamper.apply(f)
        #expect(c != f.cert && c != f.refuted, "the tampering changed something")
        let r = CertificateChecker().check(c)
        #expect(r.verdict == .fails, "\(tamper): expected \(expected), got \(r.verdict)")
        #expect(r.failedLemma == expected.lemma, "\(tamper): \(r.reason ?? "")")
        if let reason = expected.reason {
            #expect(r.reason?.contains(reason) == true, "\(tamper): reason \(r.reason ?? "none")")
        }
    }

    /// Syntactic damage to the written file: a `FormatError` at the right line.
    enum TextTamper: String, CaseIterable, Sendable {
        case badVersion, badMagic, unknownVerdict, missingCircuitLine
        case truncatedWithoutEnd, truncatedAmongLemmas, truncatedInsideMiter
        case miterLineCountTooSmall, miterLineCountTooLarge, miterLineCountMissing, miterAndLiteralOutOfRange
        case unknownMethodTag, unknownClaim, nonNumericLiteral, literalOutOfRange, negativeLemmaNumber, hugeLemmaNumber
        case nonNumericAssumption, mergeWithoutOperand, outputIndexOutOfRange, outputWithoutMethod
        case unknownKeyword, textAfterEnd, invalidUTF8, commentsCountAsLines
        case notEquivalentWithoutCounterexample, counterexampleLineRemoved, counterexampleTooShort, counterexampleBadDigit, secondCounterexample

        /// The tampered file, the expected 1-based line, a piece of the message.
        func apply(_ f: CertificateFixture) -> (bytes: [UInt8], line: Int, message: String) {
            let refutation = [.counterexampleLineRemoved, .counterexampleTooShort, .counterexampleBadDigit, .secondCounterexample].contains(self)
            let c = refutation ? f.refuted : f.cert
            var t = lines(CertificateFile.write(c, miterEncoding: .ascii))
            let m = c.miter
            let miterAt = index(t, "miter "), count = Int(t[miterAt].dropFirst(6))!
            let i = f.mid, lemmaAt = index(t, "lemma \(i) "), endAt = t.firstIndex(of: "end") ?? -1
            let outputAt = index(t, "lemma \(f.kLemma) "), cexAt = index(t, "counterexample")
            let maxLiteral = 2 * m.maxVariable + 1
            var fields = lemmaAt >= 0 ? t[lemmaAt].split(separator: " ").map(String.init) : []   // lemma i merge X Y METHOD A…
            func withFields(_ edit: (inout [String]) -> Void) -> String { edit(&fields); return fields.joined(separator: " ") }
            switch self {
            case .badVersion:
                t[0] = "miter-certificate 3"; return (bytes(t), 1, "format version 1 or 2")
            case .badMagic:
                t[0] = "miter-cert 1"; return (bytes(t), 1, "expected 'miter-certificate'")
            case .unknownVerdict:
                t[1] = "verdict probably"; return (bytes(t), 2, "verdict equivalent")
            case .missingCircuitLine:
                t.remove(at: 3); return (bytes(t), 4, "expected 'circuit-b', found 'miter'")
            case .truncatedWithoutEnd:
                t.removeSubrange(endAt...); return (bytes(t), endAt, "truncated")
            case .truncatedAmongLemmas:
                t.removeSubrange((lemmaAt + 1)...); return (bytes(t), lemmaAt + 1, "truncated")
            case .truncatedInsideMiter:
                t.removeSubrange((miterAt + count / 2)...); return (bytes(t), miterAt + 1, "a line count")
            case .miterLineCountTooSmall:
                // The miter's last line (a symbol) is read as a certificate line.
                t[miterAt] = "miter \(count - 1)"; return (bytes(t), miterAt + count + 1, "expected 'lemma', 'counterexample' or 'end'")
            case .miterLineCountTooLarge:
                // The first lemma line is read as an AIGER symbol line.
                t[miterAt] = "miter \(count + 1)"; return (bytes(t), miterAt + count + 2, "symbol")
            case .miterLineCountMissing:
                t[miterAt] = "miter"; return (bytes(t), miterAt + 1, "expected 'miter N'")
            case .miterAndLiteralOutOfRange:
                let andAt = miterAt + 2 + m.inputCount + m.outputs.count
                var and = t[andAt].split(separator: " ").map(String.init)
                and[2] = String(maxLiteral + 1)
                t[andAt] = and.joined(separator: " ")
                return (bytes(t), andAt + 1, "exceeds")
            case .unknownMethodTag:
                t[lemmaAt] = withFields { $0[5] = "intuition" }; return (bytes(t), lemmaAt + 1, "expected a proof method")
            case .unknownClaim:
                t[lemmaAt] = withFields { $0[2] = "equals" }; return (bytes(t), lemmaAt + 1, "expected 'merge' or 'output'")
            case .nonNumericLiteral:
                t[lemmaAt] = withFields { $0[3] += "a" }; return (bytes(t), lemmaAt + 1, "a miter literal")
            case .literalOutOfRange:
                t[lemmaAt] = withFields { $0[4] = String(maxLiteral + 1) }; return (bytes(t), lemmaAt + 1, "up to \(maxLiteral)")
            case .negativeLemmaNumber:
                t[lemmaAt] = withFields { $0[1] = "-\(i)" }; return (bytes(t), lemmaAt + 1, "a lemma number")
            case .hugeLemmaNumber:
                t[lemmaAt] = withFields { $0[1] = "99999999999" }; return (bytes(t), lemmaAt + 1, "a lemma number")
            case .nonNumericAssumption:
                t[lemmaAt] = withFields { $0.append("first") }; return (bytes(t), lemmaAt + 1, "an assumed lemma number")
            case .mergeWithoutOperand:
                t[lemmaAt] = withFields { $0 = Array($0.prefix(4)) + ["sat"] }; return (bytes(t), lemmaAt + 1, "merge X Y METHOD")
            case .outputIndexOutOfRange:
                t[outputAt] = "lemma \(f.kLemma) output \(m.outputs.count) sat"; return (bytes(t), outputAt + 1, "an output index")
            case .outputWithoutMethod:
                t[outputAt] = "lemma \(f.kLemma) output \(f.k)"; return (bytes(t), outputAt + 1, "output K METHOD")
            case .unknownKeyword:
                t.insert("proof \(i)", at: lemmaAt); return (bytes(t), lemmaAt + 1, "found 'proof'")
            case .textAfterEnd:
                t.insert("lemma \(f.n + 1) output 0 sat", at: endAt + 1); return (bytes(t), endAt + 2, "nothing after 'end'")
            case .invalidUTF8:
                let start = t[..<lemmaAt].reduce(0) { $0 + $1.utf8.count + 1 }
                var b = bytes(t)
                b.insert(0xFF, at: start + t[lemmaAt].utf8.count)
                return (b, lemmaAt + 1, "UTF-8")
            case .commentsCountAsLines:
                t[lemmaAt] = withFields { $0[5] = "intuition" }
                t.insert(contentsOf: ["# a comment", ""], at: lemmaAt)
                return (bytes(t), lemmaAt + 3, "expected a proof method")
            case .notEquivalentWithoutCounterexample:
                t[1] = "verdict not-equivalent"; return (bytes(t), endAt + 1, "needs a 'counterexample' line")
            case .counterexampleLineRemoved:
                t.remove(at: cexAt); return (bytes(t), cexAt + 1, "needs a 'counterexample' line")
            case .counterexampleTooShort:
                t[cexAt].removeLast(); return (bytes(t), cexAt + 1, "\(m.inputCount) digits")
            case .counterexampleBadDigit:
                t[cexAt] = "counterexample 2" + t[cexAt].dropFirst(16); return (bytes(t), cexAt + 1, "\(m.inputCount) digits")
            case .secondCounterexample:
                t.insert(t[cexAt], at: cexAt + 1); return (bytes(t), cexAt + 2, "a second 'counterexample'")
            }
        }
    }

    @Test(arguments: TextTamper.allCases)
    func malformedFileIsALocatedError(_ tamper: TextTamper) throws {
        let f = try CertificateFixture.shared.get()
        let (b, line, message) = tamper.apply(f)
        do {
            let c = try CertificateFile.parse(b, file: "tampered.cert")
            Issue.record("\(tamper): parsed (\(c.lemmas.count) lemmas)")
        } catch {
            #expect(error.file == "tampered.cert")
            #expect(error.line == line, "\(tamper): \(error)")
            #expect(error.message.contains(message), "\(tamper): \(error)")
        }
    }

    /// An AND fanin flipped anywhere in the miter. Lemmas whose cones do not
    /// contain the node are unaffected, so the first failure is no earlier
    /// than the first lemma whose cone (in the miter as written) contains it;
    /// and it is no later than the first lemma that random simulation of the
    /// damaged miter shows false (all before it hold, it is then checked
    /// exactly). The flip may also be unobservable: then it may hold.
    @Test func flippedMiterFaninFailsBetweenItsConeAndTheFirstFalseLemma() throws {
        let f = try CertificateFixture.shared.get()
        let c = f.cert, m = c.miter, first = m.firstAndVariable
        // Per lemma, the variables of its cones.
        let cones: [[Bool]] = c.lemmas.map { l in
            var inCone = [Bool](repeating: false, count: m.maxVariable + 1)
            var stack = l.merge.map { [Int($0.x.variable), Int($0.y.variable)] } ?? [Int(m.outputs[l.output!].variable)]
            while let v = stack.popLast() {
                if inCone[v] { continue }
                inCone[v] = true
                if v >= first { let g = m.ands[v - first]; stack += [Int(g.left.variable), Int(g.right.variable)] }
            }
            return inCone
        }
        // Nodes in no cone (logic of the circuits that reaches no output) change nothing.
        let dead = (first...m.maxVariable).filter { v in !cones.contains { $0[v] } }
        for v in dead.prefix(5) {
            var d = c
            let g = m.ands[v - first]
            d.miter.ands[v - first] = AndFanins(!g.left, g.right)
            #expect(CertificateChecker().check(d).verdict == .holds, "node \(v) is in no lemma's cone")
        }
        let live = (first...m.maxVariable).filter { v in cones.contains { $0[v] } }
        var failed = 0, exact = 0, tried = 0
        for v in stride(from: 0, to: live.count, by: max(1, live.count / 40)).map({ live[$0] }) {
            tried += 1
            var d = c
            let g = m.ands[v - first]
            d.miter.ands[v - first] = AndFanins(!g.left, g.right)
            let lower = try #require(c.lemmas.first { cones[$0.number - 1][v] }?.number)
            var sim = Simulator()
            sim.simulateRandom(d.miter, words: 4, seed: UInt64(v))
            let upper = c.lemmas.first { l in
                if let p = l.merge { return sim.literalWords(p.x) != sim.literalWords(p.y) }
                return sim.literalWords(d.miter.outputs[l.output!]).contains { $0 != 0 }
            }?.number
            let r = CertificateChecker().check(d)
            #expect(r.verdict != .undecided)
            if let upper {
                #expect(upper >= lower)
                #expect(r.verdict == .fails, "node \(v): lemma \(upper) is false")
            }
            if r.verdict == .fails {
                failed += 1
                let n = try #require(r.failedLemma)
                #expect(n >= lower && n <= (upper ?? Int.max), "node \(v): failed \(n), cone from \(lower), false from \(upper.map(String.init) ?? "-")")
                if n == lower { exact += 1 }
            }
        }
        #expect(!dead.isEmpty && tried >= 30 && failed * 2 >= tried, "\(failed) of \(tried) flips caught, \(exact) at the first lemma of the cone")
    }

    /// A miter with no outputs has no output to prove: `output 0` is malformed,
    /// and a certificate built in code with it fails instead of trapping.
    @Test func outputIndexOfAMiterWithoutOutputsIsRejected() throws {
        let text = "miter-certificate 1\nverdict equivalent\ncircuit-a a\ncircuit-b b\nmiter 1\naag 0 0 0 0 0\nlemma 1 output 0 sat\nend\n"
        #expect(throws: FormatError.self) { try CertificateFile.parse(Array(text.utf8), file: "empty.cert") }
        var built = try CertificateFile.parse(Array("miter-certificate 1\nverdict equivalent\ncircuit-a a\ncircuit-b b\nmiter 1\naag 0 0 0 0 0\nend\n".utf8), file: "e")
        built.lemmas = [Lemma(number: 1, claim: .output(0), method: .sat, assumes: []),]
        #expect(CertificateChecker().check(built).failedLemma == 1)
        built.lemmas = [Lemma(number: 1, claim: .merge(x: Literal(raw: 40), y: Literal(raw: 2)), method: .sat, assumes: [])]
        #expect(CertificateChecker().check(built).failedLemma == 1)
        // Without the output lemma the empty miter is a valid (vacuous) certificate.
        let valid = "miter-certificate 1\nverdict equivalent\ncircuit-a a\ncircuit-b b\nmiter 1\naag 0 0 0 0 0\nend\n"
        #expect((try? CertificateFile.parse(Array(valid.utf8), file: "empty.cert")).map { CertificateChecker().check($0).verdict } == .holds)
    }
}

/// Version 2 embeds the miter as binary AIGER; version 1 (ASCII) is still read.
@Suite struct CertificateBinaryMiterTests {
    /// The bytes up to the binary block, where it starts and its length.
    private func split(_ b: [UInt8]) -> (head: [UInt8], start: Int, count: Int) {
        let key = Array("\nmiter-aig ".utf8)
        let at = (0...(b.count - key.count)).first { Array(b[$0..<($0 + key.count)]) == key }!
        let lineEnd = b[(at + 1)...].firstIndex(of: 10)!
        let count = Int(String(decoding: b[(at + key.count)..<lineEnd], as: UTF8.self))!
        return (Array(b[...lineEnd]), lineEnd + 1, count)
    }

    @Test func bothVersionsReadTheSameCertificate() throws {
        let f = try CertificateFixture.shared.get()
        for c in [f.cert, f.refuted] {
            let binary = CertificateFile.write(c), ascii = CertificateFile.write(c, miterEncoding: .ascii)
            #expect(binary.starts(with: Array("miter-certificate 2\n".utf8)) && ascii.starts(with: Array("miter-certificate 1\n".utf8)))
            #expect(binary.count < ascii.count, "binary \(binary.count) bytes, ASCII \(ascii.count)")
            let a = try CertificateFile.parse(binary, file: "b.cert"), b = try CertificateFile.parse(ascii, file: "a.cert")
            #expect(a == b && a.miter.ands == c.miter.ands && a.miter.outputs == c.miter.outputs && a.lemmas == c.lemmas)
        }
        // Comments and blank lines after the binary block, and a lemma tag edited there, still read.
        let b = CertificateFile.write(f.cert)
        let (head, start, count) = split(b)
        var tail = Array(b[(start + count + 1)...])
        tail.insert(contentsOf: Array("# after the miter\n\n".utf8), at: 0)
        #expect(try CertificateFile.parse(head + b[start...(start + count)] + tail, file: "c.cert") == f.cert)
        #expect(CertificateChecker().check(try CertificateFile.parse(b, file: "b.cert")).verdict == .holds)
    }

    /// Damaged binary blocks: located errors (a byte offset, or the line after the block), never a crash.
    @Test func damagedBinaryMiterIsALocatedError() throws {
        let f = try CertificateFixture.shared.get()
        let b = CertificateFile.write(f.cert)
        let (head, start, count) = split(b)
        let block = Array(b[start..<(start + count)]), rest = Array(b[(start + count)...])
        func header(_ n: Int) -> [UInt8] {
            var h = String(decoding: head, as: UTF8.self).components(separatedBy: "\n")
            let i = h.firstIndex { $0.hasPrefix("miter-aig ") }!
            h[i] = "miter-aig \(n)"
            return Array(h.joined(separator: "\n").utf8)
        }
        let cases: [(String, [UInt8])] = [
            ("truncated inside the block", Array(b[..<(start + count / 2)])),
            ("byte count one short", header(count - 1) + block + rest),
            ("byte count one long", header(count + 1) + block + rest),
            ("byte count past the end", header(b.count) + block + rest),
            ("byte count not a number", Array(header(0).dropLast(1)) + Array("x\n".utf8) + block + rest),
            ("header of the block damaged", head + Array("aag".utf8) + block.dropFirst(3) + rest),
            ("AND deltas cut", head + block.prefix(count - 40) + Array(repeating: 10, count: 40) + rest),
            ("no newline after the block", head + block + Array("lemma 1".utf8)),
        ]
        for (what, bytes) in cases {
            do {
                let c = try CertificateFile.parse(bytes, file: "bad.cert")
                // One byte short drops only the symbol table's last newline (the next line is then
                // blank): the same certificate. Cut AND deltas may still decode to some AIG: then
                // the miter differs and the lemmas cannot all hold.
                switch what {
                case "byte count one short": #expect(c == f.cert)
                case "AND deltas cut": #expect(CertificateChecker().check(c).verdict != .holds)
                default: Issue.record("\(what): parsed")
                }
            } catch {
                #expect(error.file == "bad.cert" && (error.line != nil || error.byteOffset != nil), "\(what): \(error)")
                if what.hasPrefix("truncated") || what.hasSuffix("past the end") { #expect(error.message.contains("truncated"), "\(what): \(error)") }
            }
        }
        // Random bytes in the block never crash the reader.
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var d = block
            for _ in 0..<3 { d[Int.random(in: 0..<d.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            _ = try? CertificateFile.parse(head + d + rest, file: "random.cert")
        }
    }
}

@Suite struct CertificateRangeTests {
    /// Runs of assumed lemmas are written as ranges and read back as lists;
    /// a range that is reversed, reaches the lemma itself or names a lemma
    /// past the file's lines is malformed (no huge expansion).
    @Test func assumedRangesRoundTripAndBadRangesAreMalformed() throws {
        let a = RandomCircuits.aig(inputs: 24, ands: 300, outputs: 6, seed: 1)
        let (_, _, c) = try EquivalenceChecker().certify(a, RandomCircuits.restructured(a), circuitA: "a", circuitB: "b")
        let cert = try #require(c)
        let text = String(decoding: CertificateFile.write(cert, miterEncoding: .ascii), as: UTF8.self)
        #expect(cert.lemmas.contains { $0.assumes.count >= 3 } == text.contains { $0 == "-" })
        #expect(try CertificateFile.parse(Array(text.utf8), file: "c").lemmas == cert.lemmas)
        var lines = text.components(separatedBy: "\n")
        let i = try #require(lines.firstIndex { $0.hasPrefix("lemma 5 ") })
        for bad in ["3-1", "1-5", "1-99999"] {
            var t = lines
            t[i] += " " + bad
            #expect(throws: FormatError.self, "\(bad)") { try CertificateFile.parse(Array(t.joined(separator: "\n").utf8), file: "c") }
        }
        lines[i] += " 1-2"
        _ = try CertificateFile.parse(Array(lines.joined(separator: "\n").utf8), file: "c")
        // An equivalent certificate with a counterexample line contradicts itself.
        var withVector = text.components(separatedBy: "\n")
        withVector.insert("counterexample " + String(repeating: "0", count: cert.miter.inputCount), at: withVector.count - 2)
        #expect(throws: FormatError.self) { try CertificateFile.parse(Array(withVector.joined(separator: "\n").utf8), file: "c") }
    }
}

@Suite struct CertificateCutHintTests {
    /// Cut hints make most cut-proved lemmas small Z3 queries; a wrong hint
    /// only costs the full query, and no hint makes a false lemma hold.
    @Test func cutHintsAreUsedAndCannotMakeAFalseLemmaHold() throws {
        let a = RandomCircuits.aig(inputs: 24, ands: 300, outputs: 6, seed: 1)
        var p = EquivalenceChecker.Params()
        p.bddNodeLimit = 0   // SAT sweeping, whose cut proofs leave hints
        let (_, _, c) = try EquivalenceChecker(params: p).certify(a, RandomCircuits.restructured(a), circuitA: "a", circuitB: "b")
        let cert = try #require(c)
        let hinted = cert.lemmas.filter { !$0.cut.isEmpty }
        #expect(!hinted.isEmpty && hinted.allSatisfy { $0.method == .cut })
        let r = CertificateChecker().check(try CertificateFile.parse(CertificateFile.write(cert), file: "c"))
        #expect(r.verdict == .holds && r.cutHintProofs == hinted.count)

        // Wrong hints (the inputs, or the lemma's own nodes): still holds, through the full queries.
        var wrong = cert
        for i in wrong.lemmas.indices where !wrong.lemmas[i].cut.isEmpty { wrong.lemmas[i].cut = [1, 2, 3] }
        #expect(CertificateChecker().check(wrong).verdict == .holds)

        // A false lemma with a hint: complement one hinted merge's target; hint every node below.
        let i = try #require(cert.lemmas.firstIndex { !$0.cut.isEmpty })
        var bad = cert
        guard case .merge(let x, let y) = bad.lemmas[i].claim else { Issue.record("not a merge"); return }
        bad.lemmas[i].claim = .merge(x: x, y: !y)
        let rb = CertificateChecker().check(bad)
        #expect(rb.verdict == .fails && rb.failedLemma == i + 1)
        bad.lemmas[i].cut = Array(1..<Int(x.variable))
        let rc = CertificateChecker().check(bad)
        #expect(rc.verdict == .fails && rc.failedLemma == i + 1)
    }
}

/// Lemmas are proved in parallel: whatever the number of Z3 workers, the
/// lemma reported is the lowest-numbered one that fails.
@Test func parallelCheckReportsTheFirstFailingLemma() throws {
    let f = try CertificateFixture.shared.get()
    var one = f.cert, two = f.cert
    let (x, y) = try #require(f.cert.lemmas[f.mid - 1].merge)
    let lastMerge = f.merges
    let (lx, ly) = try #require(f.cert.lemmas[lastMerge - 1].merge)
    #expect(lastMerge > f.mid + 20)
    one.lemmas[lastMerge - 1].claim = .merge(x: lx, y: !ly)
    two.lemmas[lastMerge - 1].claim = .merge(x: lx, y: !ly)
    two.lemmas[f.mid - 1].claim = .merge(x: x, y: !y)
    for jobs in [1, 2, 4] {
        var p = CertificateChecker.Params()
        p.jobs = jobs
        let checker = CertificateChecker(params: p)
        let r1 = checker.check(one), r2 = checker.check(two)
        #expect(r1.verdict == .fails && r1.failedLemma == lastMerge, "jobs \(jobs): \(r1.reason ?? "")")
        #expect(r2.verdict == .fails && r2.failedLemma == f.mid, "jobs \(jobs): \(r2.reason ?? "")")
    }
}

@Suite struct CertificateWindowTests {
    /// Lemmas whose cones exceed the small-cone limit are tried over windows
    /// of their cones first; a false lemma still fails at its own number
    /// (a window can only prove a lemma), and the verdicts agree with
    /// proofs over whole cones alone.
    @Test func windowsProveLemmasAndCannotMakeAFalseOneHold() throws {
        let a = RandomCircuits.aig(inputs: 32, ands: 1_500, outputs: 8, seed: 7)
        var p = EquivalenceChecker.Params()
        p.bddNodeLimit = 0
        let (_, _, c) = try EquivalenceChecker(params: p).certify(a, RandomCircuits.restructured(a), circuitA: "a", circuitB: "b")
        let cert = try #require(c)
        let r = CertificateChecker().check(cert)
        #expect(r.verdict == .holds && r.windowProofs > 0, "\(r.windowProofs) window proofs of \(r.z3Proofs)")

        // Complement the target of every tenth merge, one at a time, that has no
        // cut hint: each fails at exactly its number.
        let merges = cert.lemmas.indices.filter { cert.lemmas[$0].merge != nil && cert.lemmas[$0].cut.isEmpty }
        #expect(merges.count >= 10)
        for i in stride(from: 0, to: merges.count, by: max(1, merges.count / 10)).map({ merges[$0] }) {
            var bad = cert
            let (x, y) = try #require(bad.lemmas[i].merge)
            bad.lemmas[i].claim = .merge(x: x, y: !y)
            let rb = CertificateChecker().check(bad)
            #expect(rb.verdict == .fails && rb.failedLemma == i + 1, "lemma \(i + 1): \(rb.reason ?? "")")
        }
    }
}

/// With a second core, `LemmaPipeline` walks the merges' dependencies while
/// sweeping goes on; its lists must be the ones walked after the sweep
/// (`certify-check` recomputes them and rejects any other).
@Suite struct LemmaPipelineTests {
    @Test(arguments: UInt64(1)...6)
    func listsWalkedDuringTheSweepEqualThoseWalkedAfter(seed: UInt64) throws {
        let a = RandomCircuits.aig(inputs: 28, ands: 400 + Int(seed) * 50, outputs: 5, seed: seed)
        let b = RandomCircuits.restructured(a)
        var p = EquivalenceChecker.Params()
        p.bddNodeLimit = 0
        p.recordProof = true
        p.jobs = 2
        var run = CheckRun(params: p)
        let (result, _) = try run.check(a, b)
        #expect(result == .equivalent)
        let m = try #require(run.miter).aig
        let during = try #require(run.trail.mergeDependencies, "the pipeline ran and matched the sweep's merges")
        #expect(during.count == run.trail.merges.count && during.count > 0)
        let after = LemmaDependencies.all(m, merges: run.trail.merges.enumerated().map { ($1.variable, Int($1.target.variable), $0 + 1) },
                                          outputs: [])
        #expect(during == after)

        // Whole certificates: one thread or two, the same bytes.
        var one = EquivalenceChecker.Params(), two = one
        one.bddNodeLimit = 0; two.bddNodeLimit = 0; two.jobs = 2
        let c1 = try #require(try EquivalenceChecker(params: one).certify(a, b, circuitA: "a", circuitB: "b").2)
        let c2 = try #require(try EquivalenceChecker(params: two).certify(a, b, circuitA: "a", circuitB: "b").2)
        #expect(CertificateFile.write(c1) == CertificateFile.write(c2))
        #expect(CertificateChecker().check(c2).verdict == .holds)
    }

    @Test func aFeedOutOfOrderIsDropped() {
        let a = RandomCircuits.aig(inputs: 8, ands: 40, outputs: 2, seed: 3)
        let pipeline = LemmaPipeline(a)
        let last = Int32(a.maxVariable)
        pipeline.add(variable: last, representative: 1)
        pipeline.add(variable: last - 1, representative: 1)
        #expect(pipeline.finish(merges: [(last, 1), (last - 1, 1)]) == nil)
        let fresh = LemmaPipeline(a)
        fresh.add(variable: last, representative: 1)
        #expect(fresh.finish(merges: [(last, 2)]) == nil, "a feed that differs from the sweep's merges")
        #expect(fresh.finish(merges: [(last, 1)])?.count == 1)
    }
}
