import AIG

/// The text format of `miter check --certify` (version 2), one item per line:
///
///     miter-certificate 2
///     verdict equivalent                 (or: verdict not-equivalent)
///     circuit-a i2c.v
///     circuit-b i2c_opt.aig
///     miter-aig 14650                    (the next 14650 bytes are the miter, binary AIGER,
///     aig 1342 136 0 128 1206 …          then a newline; output k is XOR of the k-th output pair)
///     lemma 1 merge 1030 1002 sat        (miter literal 1030 equals literal 1002)
///     lemma 2 merge 1088 33 exhaustive 1 (… assuming lemma 1)
///     lemma 3 merge 1130 1090 cut 2 cut-hint 40 51 77   (… equal over the nodes of miter variables 40, 51, 77)
///     lemma 4 output 0 sat 1 2           (miter output 0 is constant 0, assuming 1 and 2;
///                                         a run of three or more is written as a range, 1-17)
///     counterexample 0110…               (not-equivalent only: one value per miter input)
///     end
///
/// Version 1 (still read, and written with `miterEncoding: .ascii`) has
/// `miter LINES` followed by that many lines of ASCII AIGER instead. Binary
/// is about 5× smaller and 4× faster to write (EPFL mem_ctrl: 46,836 ANDs,
/// 4.4 ms of a 10 ms check for ASCII).
///
/// Lines starting with `#` are comments. Syntax and ranges are checked here
/// (a malformed file is a located `FormatError`); whether the lemmas hold,
/// and in this order, is the certificate checker's business.
public enum CertificateFile {
    public static let magic = "miter-certificate"

    public enum MiterEncoding: Sendable { case binary, ascii }

    /// The certificate's bytes: version 2 (binary miter) by default, version 1 with `.ascii`.
    public static func write(_ c: Certificate, miterEncoding: MiterEncoding = .binary) -> [UInt8] {
        var out: [UInt8] = []
        func line(_ s: String) { out.append(contentsOf: s.utf8); out.append(10) }
        func clean(_ s: String) -> String { String(s.map { $0.isNewline ? " " : $0 }) }
        line("\(magic) \(miterEncoding == .binary ? Certificate.formatVersion : 1)")
        line("verdict \(c.verdict.rawValue)")
        line("circuit-a \(clean(c.circuitA))")
        line("circuit-b \(clean(c.circuitB))")
        switch miterEncoding {
        case .binary:
            let aig = AIGERWriter.binary(c.miter)
            line("miter-aig \(aig.count)")
            out.append(contentsOf: aig)
            out.append(10)
        case .ascii:
            let aag = AIGERWriter.ascii(c.miter)
            let lines = aag.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } + (aag.last == 10 || aag.isEmpty ? 0 : 1)
            line("miter \(lines)")
            out.append(contentsOf: aag)
            if aag.last != 10 && !aag.isEmpty { out.append(10) }
        }
        out.append(contentsOf: lemmaLines(c.lemmas))
        if let v = c.counterexample { line("counterexample " + String(v.map { $0 ? "1" : "0" })) }
        line("end")
        return out
    }

    /// The `lemma` lines, written into a buffer sized beforehand (no
    /// per-byte append): sqrt vs resyn2's lemmas assume 1.2 M earlier
    /// lemmas in all, 13 MB of text (appends: 45 ms; strings: 130 ms).
    static func lemmaLines(_ lemmas: [Lemma]) -> [UInt8] {
        // Per lemma: "lemma N merge X Y method" stays under 128 bytes, each number (an Int) under 21 with its space.
        var bound = 0
        for l in lemmas { bound += 128 + 21 * (l.assumes.count + l.cut.count + 1) }
        return [UInt8](unsafeUninitializedCapacity: bound) { buffer, written in
            var sink = DecimalSink(base: buffer.baseAddress!)
            for l in lemmas {
                sink.word("lemma "); sink.number(l.number)
                switch l.claim {
                case .merge(let x, let y): sink.word(" merge "); sink.number(Int(x.raw)); sink.byte(32); sink.number(Int(y.raw))
                case .output(let k): sink.word(" output "); sink.number(k)
                }
                sink.byte(32); sink.word(l.method.word)
                // Runs of consecutive numbers as ranges: a merge deep in an
                // arithmetic cone assumes hundreds of lemmas, mostly in runs.
                l.assumes.withUnsafeBufferPointer { assumes in
                    var k = 0
                    while k < assumes.count {
                        var e = k
                        while e + 1 < assumes.count && assumes[e + 1] == assumes[e] + 1 { e += 1 }
                        if e - k >= 2 {
                            sink.byte(32); sink.number(assumes[k]); sink.byte(45); sink.number(assumes[e])
                        } else {
                            for i in k...e { sink.byte(32); sink.number(assumes[i]) }
                        }
                        k = e + 1
                    }
                }
                if !l.cut.isEmpty { sink.word(" cut-hint"); for v in l.cut { sink.byte(32); sink.number(v) } }
                sink.byte(10)
            }
            written = sink.count
        }
    }

    public static func parse(_ bytes: [UInt8], file: String) throws(FormatError) -> Certificate {
        var lines: [(start: Int, end: Int)] = []
        var s = 0
        for (i, b) in bytes.enumerated() where b == 10 { lines.append((s, i)); s = i + 1 }
        if s < bytes.count { lines.append((s, bytes.count)) }
        var index = 0
        func fail(_ message: String, line: Int? = nil) -> FormatError {
            FormatError(file: file, line: (line ?? index) + 1, message: message)
        }
        func text(_ k: Int) throws(FormatError) -> String {
            let (a, b) = lines[k]
            var slice = bytes[a..<b]
            if slice.last == 13 { slice = slice.dropLast() }
            guard let t = String(validating: slice, as: UTF8.self) else { throw fail("expected UTF-8 text", line: k) }
            return t
        }
        /// The next line that is not a comment, split at spaces.
        func next() throws(FormatError) -> [Substring]? {
            while index < lines.count {
                let t = try text(index)
                if t.hasPrefix("#") || t.allSatisfy({ $0 == " " }) { index += 1; continue }
                return t.split(separator: " ", omittingEmptySubsequences: true)
            }
            return nil
        }
        func expect(_ keyword: String) throws(FormatError) -> [Substring] {
            guard let f = try next() else { throw fail("expected '\(keyword)', found end of file", line: max(0, lines.count - 1)) }
            guard f.first.map(String.init) == keyword else { throw fail("expected '\(keyword)', found '\(f.first ?? "")'") }
            index += 1
            return f
        }
        func number(_ s: Substring, _ what: String, limit: Int) throws(FormatError) -> Int {
            guard s.utf8.count <= 10, s.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(s), n <= limit else {
                throw fail("expected \(what) (a decimal number up to \(limit)), found '\(s)'", line: index - 1)
            }
            return n
        }
        func restOfLine(_ keyword: String) throws(FormatError) -> String {
            _ = try expect(keyword)
            let t = try text(index - 1)
            return String(t.dropFirst(keyword.count).drop(while: { $0 == " " }))
        }

        let head = try expect(magic)
        guard head.count == 2, head[1] == "1" || head[1] == "\(Certificate.formatVersion)" else {
            throw fail("expected format version 1 or \(Certificate.formatVersion) ('\(magic) \(Certificate.formatVersion)')", line: index - 1)
        }
        let version = head[1] == "1" ? 1 : Certificate.formatVersion
        let v = try expect("verdict")
        guard v.count == 2, let verdict = Certificate.Verdict(rawValue: String(v[1])) else {
            throw fail("expected 'verdict equivalent' or 'verdict not-equivalent'", line: index - 1)
        }
        let circuitA = try restOfLine("circuit-a")
        let circuitB = try restOfLine("circuit-b")
        let miter: AIG
        if version == 1 {
            let m = try expect("miter")
            guard m.count == 2 else { throw fail("expected 'miter N' (N lines of ASCII AIGER follow)", line: index - 1) }
            let count = try number(m[1], "a line count", limit: lines.count - index)
            let miterLine = index
            let aagStart = index < lines.count ? lines[index].start : bytes.count
            let aagEnd = count == 0 ? aagStart : min(bytes.count, lines[index + count - 1].end + 1)
            // CR LF line ends (a file edited elsewhere) read like LF ones.
            var aag = Array(bytes[aagStart..<aagEnd])
            if aag.contains(13) { aag = aag.enumerated().filter { $0.element != 13 || $0.offset + 1 >= aag.count || aag[$0.offset + 1] != 10 }.map(\.element) }
            do { miter = try AIGERReader.parse(aag, file: file) } catch let e as FormatError {
                var moved = e
                if let l = e.line { moved.line = l + miterLine }
                throw moved
            } catch { throw fail("miter: \(error)", line: miterLine) }
            index += count
        } else {
            let m = try expect("miter-aig")
            let start = index < lines.count ? lines[index].start : bytes.count
            guard m.count == 2 else { throw fail("expected 'miter-aig N' (N bytes of binary AIGER follow)", line: index - 1) }
            let count = try number(m[1], "a byte count", limit: Int(Int32.max))
            guard count < bytes.count - start else {
                throw fail("the miter's \(count) bytes do not fit: \(bytes.count - start) bytes follow this line (the certificate is truncated, or the byte count is wrong)", line: index - 1)
            }
            // The binary block ends with a newline; certificate lines go on after it.
            guard bytes[start + count] == 10 else {
                throw FormatError(file: file, byteOffset: start + count, message: "expected a newline after the \(count) bytes of the miter (the certificate is truncated, or the byte count is wrong)")
            }
            do { miter = try AIGERReader.parse(Array(bytes[start..<(start + count)]), file: file) } catch let e as FormatError {
                var moved = e
                moved.byteOffset = (e.byteOffset ?? 0) + start
                if e.line != nil { moved.line = nil; moved.message = "miter (binary AIGER from byte \(start)): " + e.message }
                throw moved
            } catch { throw FormatError(file: file, byteOffset: start, message: "miter: \(error)") }
            // The line starting right after the block's newline (one exists: byte start+count is a newline).
            var lo = index, hi = lines.count
            while lo < hi { let mid = (lo + hi) / 2; if lines[mid].start <= start + count { lo = mid + 1 } else { hi = mid } }
            index = lo
        }
        guard miter.latches.isEmpty else { throw fail("the miter must be combinational (it has latches)", line: index - 1) }

        var lemmas: [Lemma] = []
        var counterexample: [Bool]? = nil
        let maxLiteral = 2 * miter.maxVariable + 1
        while true {
            guard let f = try next() else { throw fail("expected 'end' (the certificate is truncated)", line: max(0, lines.count - 1)) }
            index += 1
            switch f[0] {
            case "end":
                guard f.count == 1 else { throw fail("expected nothing after 'end'", line: index - 1) }
                if try next() != nil { throw fail("expected nothing after 'end'") }
                if verdict == .notEquivalent && counterexample == nil { throw fail("a not-equivalent certificate needs a 'counterexample' line", line: index - 1) }
                if verdict == .equivalent && counterexample != nil { throw fail("an equivalent certificate has no 'counterexample' line", line: index - 1) }
                return Certificate(verdict: verdict, circuitA: circuitA, circuitB: circuitB, miter: miter, lemmas: lemmas, counterexample: counterexample)
            case "lemma":
                guard f.count >= 4 else { throw fail("expected 'lemma N merge X Y METHOD [ASSUMED…]' or 'lemma N output K METHOD [ASSUMED…]'", line: index - 1) }
                let n = try number(f[1], "a lemma number", limit: Int(Int32.max))
                var rest = 3
                let claim: Lemma.Claim
                switch f[2] {
                case "merge":
                    guard f.count >= 6 else { throw fail("expected 'lemma N merge X Y METHOD [ASSUMED…]'", line: index - 1) }
                    let x = try number(f[3], "a miter literal", limit: maxLiteral)
                    let y = try number(f[4], "a miter literal", limit: maxLiteral)
                    claim = .merge(x: Literal(raw: UInt32(x)), y: Literal(raw: UInt32(y)))
                    rest = 5
                case "output":
                    guard f.count >= 5 else { throw fail("expected 'lemma N output K METHOD [ASSUMED…]'", line: index - 1) }
                    guard !miter.outputs.isEmpty else { throw fail("an output lemma, but the miter has no outputs", line: index - 1) }
                    claim = .output(try number(f[3], "an output index", limit: miter.outputs.count - 1))
                    rest = 4
                default: throw fail("expected 'merge' or 'output', found '\(f[2])'", line: index - 1)
                }
                guard let method = ProofMethod(rawValue: String(f[rest])) else {
                    throw fail("expected a proof method (\(ProofMethod.allCases.map(\.rawValue).joined(separator: ", "))), found '\(f[rest])'", line: index - 1)
                }
                var assumes: [Int] = []
                var cut: [Int] = []
                var fields = f[(rest + 1)...]
                if let h = fields.firstIndex(of: "cut-hint") {
                    for v in fields[(h + 1)...] { cut.append(try number(v, "a miter variable of the cut hint", limit: miter.maxVariable)) }
                    fields = fields[..<h]
                }
                for a in fields {
                    if let dash = a.firstIndex(of: "-"), dash != a.startIndex {
                        // A range `first-last` of earlier lemmas; bounded by the lemma's own number,
                        // which cannot exceed the file's line count (so no huge expansion).
                        let from = try number(a[..<dash], "an assumed lemma number", limit: Int(Int32.max))
                        let to = try number(a[a.index(after: dash)...], "an assumed lemma number", limit: Int(Int32.max))
                        guard from <= to, to < n, n <= lines.count else {
                            throw fail("expected a range 'FIRST-LAST' of lemmas before lemma \(n), found '\(a)'", line: index - 1)
                        }
                        assumes += from...to
                    } else {
                        assumes.append(try number(a, "an assumed lemma number", limit: Int(Int32.max)))
                    }
                }
                lemmas.append(Lemma(number: n, claim: claim, method: method, assumes: assumes, cut: cut))
            case "counterexample":
                let digits = f.count == 2 ? f[1] : ""
                guard f.count <= 2, digits.count == miter.inputCount, digits.allSatisfy({ $0 == "0" || $0 == "1" }) else {
                    throw fail("expected 'counterexample' and \(miter.inputCount) digits 0/1 (one per miter input)", line: index - 1)
                }
                guard counterexample == nil else { throw fail("a second 'counterexample' line", line: index - 1) }
                counterexample = digits.map { $0 == "1" }
            default:
                throw fail("expected 'lemma', 'counterexample' or 'end', found '\(f[0])'", line: index - 1)
            }
        }
    }
}

/// Bytes into memory the caller sized (no capacity or uniqueness check per byte).
private struct DecimalSink {
    let base: UnsafeMutablePointer<UInt8>
    var count = 0

    @inline(__always) mutating func byte(_ b: UInt8) { base[count] = b; count += 1 }

    @inline(__always) mutating func word(_ s: StaticString) {
        s.withUTF8Buffer { w in
            for b in w { base[count] = b; count += 1 }
        }
    }

    /// `n` in decimal (at most 20 bytes).
    @inline(__always) mutating func number(_ n: Int) {
        if n < 0 { byte(45) }
        var v = n.magnitude, digits = 1, t = v
        while t >= 10 { t /= 10; digits += 1 }
        var i = count + digits
        count = i
        repeat { i -= 1; base[i] = 48 + UInt8(v % 10); v /= 10 } while v > 0
    }
}

extension ProofMethod {
    /// The method as written in a certificate line.
    var word: StaticString {
        switch self {
        case .structural: "structural"
        case .exhaustive: "exhaustive"
        case .bdd: "bdd"
        case .cut: "cut"
        case .sat: "sat"
        }
    }
}
