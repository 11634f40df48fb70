/// Yosys's fine-grained internal cells, as `yosys … synth; write_blif`
/// leaves them in `.subckt` lines (flip-flops with enable or synchronous
/// reset, and with `write_blif -gates` every gate): `$_AND_`, `$_MUX_`,
/// `$_DFFE_PP_`, `$_SDFF_PN0_`, … Flip-flops become latches (initial value
/// 0, the clock left as an unused input, as `.latch … re clk` does); cells
/// with asynchronous set/reset (`$_DFF_PP0_`, `$_DFFSR_…`, `$_ALDFF_…`) and
/// level-sensitive latches (`$_DLATCH_…`, `$_SR_…`) are not modelled and are
/// rejected by name.
enum YosysCell {
    case gate(Gate)
    /// Enable and reset polarities are true for active-high; `resetValue`
    /// nil when there is no synchronous reset.
    case flipFlop(enable: Bool?, reset: Bool?, resetValue: Bool, enableOverReset: Bool)
    case unsupported(String)

    enum Gate { case buf, not, and, nand, or, nor, xor, xnor, andnot, ornot, mux, nmux, aoi3, oai3, aoi4, oai4 }

    /// Whether `name` is a Yosys internal cell name (`$_…_`).
    static func isInternal(_ name: String) -> Bool { name.hasPrefix("$_") && name.hasSuffix("_") && name.count > 3 }

    static func parse(_ name: String) -> YosysCell? {
        guard isInternal(name) else { return nil }
        let body = name.dropFirst(2).dropLast()
        let parts = body.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        let gates: [String: Gate] = ["BUF": .buf, "NOT": .not, "AND": .and, "NAND": .nand, "OR": .or, "NOR": .nor,
                                     "XOR": .xor, "XNOR": .xnor, "ANDNOT": .andnot, "ORNOT": .ornot, "MUX": .mux,
                                     "NMUX": .nmux, "AOI3": .aoi3, "OAI3": .oai3, "AOI4": .aoi4, "OAI4": .oai4]
        if parts.count == 1, let g = gates[parts[0]] { return .gate(g) }
        guard parts.count == 2 else { return nil }
        let kind = parts[0], p = Array(parts[1])
        func pol(_ c: Character) -> Bool? { c == "P" ? true : (c == "N" ? false : nil) }
        func value(_ c: Character) -> Bool? { c == "1" ? true : (c == "0" ? false : nil) }
        switch kind {
        case "DFF" where p.count == 1 && pol(p[0]) != nil:
            return .flipFlop(enable: nil, reset: nil, resetValue: false, enableOverReset: false)
        case "DFFE" where p.count == 2 && pol(p[0]) != nil:
            guard let e = pol(p[1]) else { return nil }
            return .flipFlop(enable: e, reset: nil, resetValue: false, enableOverReset: false)
        case "SDFF" where p.count == 3 && pol(p[0]) != nil:
            guard let r = pol(p[1]), let v = value(p[2]) else { return nil }
            return .flipFlop(enable: nil, reset: r, resetValue: v, enableOverReset: false)
        case "SDFFE" where p.count == 4 && pol(p[0]) != nil, "SDFFCE" where p.count == 4 && pol(p[0]) != nil:
            guard let r = pol(p[1]), let v = value(p[2]), let e = pol(p[3]) else { return nil }
            return .flipFlop(enable: e, reset: r, resetValue: v, enableOverReset: kind == "SDFFCE")
        case "DFF", "DFFE", "DFFSR", "DFFSRE", "ALDFF", "ALDFFE":
            return .unsupported("'\(name)' is a flip-flop with asynchronous set, reset or load, which is not modelled (map it to synchronous cells, e.g. yosys 'dfflegalize', or check the combinational logic with the register cut by hand)")
        case "DLATCH", "DLATCHSR", "SR":
            return .unsupported("'\(name)' is a level-sensitive latch, which is not modelled")
        default:
            return nil
        }
    }

    /// The pin names of a gate, inputs then the output.
    static func pins(_ g: Gate) -> (inputs: [String], output: String) {
        switch g {
        case .buf, .not: (["A"], "Y")
        case .mux, .nmux: (["A", "B", "S"], "Y")
        case .aoi3, .oai3: (["A", "B", "C"], "Y")
        case .aoi4, .oai4: (["A", "B", "C", "D"], "Y")
        default: (["A", "B"], "Y")
        }
    }

    /// The gate's function over its input literals (NetGraph phase-1 logic).
    static func evaluate(_ gate: Gate, _ x: [UInt32], _ g: inout NetGraph) -> UInt32 {
        switch gate {
        case .buf: return x[0]
        case .not: return x[0] ^ 1
        case .and: return g.and(x[0], x[1])
        case .nand: return g.and(x[0], x[1]) ^ 1
        case .or: return g.or(x[0], x[1])
        case .nor: return g.or(x[0], x[1]) ^ 1
        case .xor: return g.xor(x[0], x[1])
        case .xnor: return g.xor(x[0], x[1]) ^ 1
        case .andnot: return g.and(x[0], x[1] ^ 1)
        case .ornot: return g.or(x[0], x[1] ^ 1)
        case .mux: return g.mux(x[2], x[1], x[0])
        case .nmux: return g.mux(x[2], x[1], x[0]) ^ 1
        case .aoi3: return g.or(g.and(x[0], x[1]), x[2]) ^ 1
        case .oai3: return g.and(g.or(x[0], x[1]), x[2]) ^ 1
        case .aoi4: return g.or(g.and(x[0], x[1]), g.and(x[2], x[3])) ^ 1
        case .oai4: return g.and(g.or(x[0], x[1]), g.or(x[2], x[3])) ^ 1
        }
    }
}
