/// Text netlists from old Mac tools end lines with a lone CR. The line-based
/// readers (BLIF, .bench) see LF as the line end and CR as a blank (so CR LF
/// reads like LF); this turns each CR not followed by LF into LF, keeping
/// every byte offset, so error locations stay right.
func normalizingLoneCarriageReturns(_ bytes: [UInt8]) -> [UInt8] {
    guard bytes.contains(13) else { return bytes }
    var out = bytes
    for j in out.indices where out[j] == 13 && (j + 1 == out.count || out[j + 1] != 10) { out[j] = 10 }
    return out
}

/// A byte no text netlist contains (NUL, form feed, escape, …); tab, LF and
/// CR are text.
@inline(__always) func isControlByte(_ c: UInt8) -> Bool { c < 32 && c != 9 && c != 10 && c != 13 }

/// "control byte 0x0C" for error messages.
func controlByteDescription(_ c: UInt8) -> String {
    "control byte 0x" + (c < 16 ? "0" : "") + String(c, radix: 16, uppercase: true)
}
