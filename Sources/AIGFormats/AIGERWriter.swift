import AIG

/// Writes ASCII and binary AIGER (1.9 header fields only when used).
/// The AIG is already in canonical numbering, so binary output needs no
/// renumbering: ANDs are delta-encoded as they are stored.
public enum AIGERWriter {
    public static func ascii(_ aig: AIG) -> [UInt8] {
        var out = ByteWriter(capacity: 16 * (aig.ands.count + aig.inputCount + aig.outputs.count) + 64)
        header(aig, binary: false, &out)
        for i in 0..<aig.inputCount { out.number(UInt32(2 * (i + 1))); out.byte(10) }
        latchLines(aig, binary: false, &out)
        propertyLines(aig, &out)
        for (k, a) in aig.ands.enumerated() {
            out.number(UInt32(2 * (aig.firstAndVariable + k))); out.byte(32)
            out.number(a.left.raw); out.byte(32)
            out.number(a.right.raw); out.byte(10)
        }
        symbolsAndComments(aig, &out)
        return out.bytes
    }

    public static func binary(_ aig: AIG) -> [UInt8] {
        var out = ByteWriter(capacity: 3 * aig.ands.count + 8 * (aig.outputs.count + aig.latches.count) + 64)
        header(aig, binary: true, &out)
        latchLines(aig, binary: true, &out)
        propertyLines(aig, &out)
        let first = UInt32(aig.firstAndVariable)
        aig.ands.withUnsafeBufferPointer { ands in
            for k in 0..<ands.count {
                let lhs = 2 * (first + UInt32(k))
                out.varint(lhs - ands[k].left.raw)
                out.varint(ands[k].left.raw - ands[k].right.raw)
            }
        }
        symbolsAndComments(aig, &out)
        return out.bytes
    }

    private static func header(_ aig: AIG, binary: Bool, _ out: inout ByteWriter) {
        out.text(binary ? "aig" : "aag")
        var fields = [aig.maxVariable, aig.inputCount, aig.latches.count, aig.outputs.count, aig.ands.count]
        let extra = [aig.bad.count, aig.constraints.count, aig.justice.count, aig.fairness.count]
        if let last = extra.lastIndex(where: { $0 > 0 }) { fields += extra[...last] }
        for f in fields { out.byte(32); out.number(UInt32(f)) }
        out.byte(10)
    }

    private static func latchLines(_ aig: AIG, binary: Bool, _ out: inout ByteWriter) {
        for (k, l) in aig.latches.enumerated() {
            let lit = UInt32(2 * (aig.firstLatchVariable + k))
            if !binary { out.number(lit); out.byte(32) }
            out.number(l.next.raw)
            switch l.reset {
            case .zero: break
            case .one: out.byte(32); out.number(1)
            case .uninitialized: out.byte(32); out.number(lit)
            }
            out.byte(10)
        }
    }

    private static func propertyLines(_ aig: AIG, _ out: inout ByteWriter) {
        for l in aig.outputs { out.number(l.raw); out.byte(10) }
        for l in aig.bad { out.number(l.raw); out.byte(10) }
        for l in aig.constraints { out.number(l.raw); out.byte(10) }
        for j in aig.justice { out.number(UInt32(j.count)); out.byte(10) }
        for j in aig.justice { for l in j { out.number(l.raw); out.byte(10) } }
        for l in aig.fairness { out.number(l.raw); out.byte(10) }
    }

    private static func symbolsAndComments(_ aig: AIG, _ out: inout ByteWriter) {
        let sections: [(UInt8, [String?])] = [
            (105, aig.inputNames), (108, aig.latchNames), (111, aig.outputNames), (98, aig.badNames),
            (99, aig.constraintNames), (106, aig.justiceNames), (102, aig.fairnessNames),
        ]
        for (prefix, names) in sections {
            for (i, name) in names.enumerated() {
                // A name cannot hold a newline in AIGER; such names are cut there.
                guard let name, let clean = name.split(separator: "\n", omittingEmptySubsequences: false).first, !clean.isEmpty else { continue }
                out.byte(prefix); out.number(UInt32(i)); out.byte(32); out.text(String(clean)); out.byte(10)
            }
        }
        if !aig.comments.isEmpty {
            out.text("c\n")
            for c in aig.comments { out.text(c); out.byte(10) }
        }
    }
}

/// Appends bytes into one growing array; numbers are formatted without String.
struct ByteWriter {
    var bytes: [UInt8]
    init(capacity: Int) { bytes = []; bytes.reserveCapacity(capacity) }

    @inline(__always) mutating func byte(_ b: UInt8) { bytes.append(b) }
    mutating func text(_ s: String) { bytes.append(contentsOf: s.utf8) }

    @inline(__always) mutating func number(_ value: UInt32) {
        var v = value
        if v < 10 { bytes.append(48 + UInt8(v)); return }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { t in
            while v > 0 { t[n] = 48 + UInt8(v % 10); v /= 10; n += 1 }
            var i = n - 1
            while i >= 0 { bytes.append(t[i]); i -= 1 }
        }
    }

    @inline(__always) mutating func varint(_ value: UInt32) {
        var x = value
        while x & ~0x7f != 0 { bytes.append(UInt8(x & 0x7f) | 0x80); x >>= 7 }
        bytes.append(UInt8(x))
    }
}
