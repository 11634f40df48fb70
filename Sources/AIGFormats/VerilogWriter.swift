import AIG

/// Writes a combinational AIG as a gate-level Verilog module in `assign`
/// form, readable by Miter, Yosys and ABC:
///
///     module top (a, \b[0] , y);
///       input a, \b[0] ;
///       output y;
///       wire n3;
///       assign n3 = a & ~\b[0] ;
///       assign y = ~n3;
///     endmodule
///
/// Port names are the AIG's symbols (escaped where they are not plain
/// identifiers; missing names become `pi<k>`/`po<k>`), so `a[3]` is written
/// as the escaped scalar `\a[3] ` like the EPFL benchmark files, and reads
/// back under the same name. Internal wires are `n<variable>` (with a prefix
/// chosen so that they cannot clash with a port). Latches are not supported:
/// Verilog flip-flops need `always` blocks, outside the gate-level subset.
public enum VerilogWriter {
    public static func write(_ aig: AIG, moduleName: String = "top") throws -> [UInt8] {
        if !aig.latches.isEmpty {
            throw FormatError(file: "<output>", message: "writing sequential circuits (\(aig.latches.count) latches) to Verilog is not supported: the gate-level subset has no flip-flops; write AIGER instead")
        }
        if !aig.bad.isEmpty || !aig.constraints.isEmpty || !aig.justice.isEmpty || !aig.fairness.isEmpty {
            throw FormatError(file: "<output>", message: "AIGER 1.9 properties (bad/constraint/justice/fairness) cannot be written to Verilog")
        }
        // Unique port names.
        var used = Set<String>()
        func unique(_ s: String) -> String {
            var name = sanitize(s)
            if used.contains(name) {
                var k = 1
                while used.contains("\(name)_\(k)") { k += 1 }
                name = "\(name)_\(k)"
            }
            used.insert(name)
            return name
        }
        let ins = (0..<aig.inputCount).map { unique(aig.inputNames[$0] ?? "pi\($0)") }
        let outs = (0..<aig.outputCount).map { unique(aig.outputNames[$0] ?? "po\($0)") }
        // A wire prefix no port name can collide with.
        var prefix = "n"
        while used.contains(where: { $0.hasPrefix(prefix) && $0.dropFirst(prefix.count).allSatisfy(\.isNumber) && $0.count > prefix.count }) {
            prefix = "_" + prefix
        }
        let inRef = ins.map(escape)
        var out: [UInt8] = []
        out.reserveCapacity(aig.andCount * 28 + 256)
        func emit(_ s: String) { out.append(contentsOf: s.utf8) }
        func ref(_ l: Literal) -> String {
            if l.isConstant { return l == .true ? "1'b1" : "1'b0" }
            let v = Int(l.variable)
            let base = v <= aig.inputCount ? inRef[v - 1] : prefix + String(v)
            return l.isComplemented ? "~" + base : base
        }
        emit("module \(escape(moduleName)) (")
        let ports = (ins + outs).map(escape)
        var col = 0
        for (k, p) in ports.enumerated() {
            if col > 70 { emit("\n    "); col = 4 }
            emit(p); col += p.utf8.count
            if k + 1 < ports.count { emit(", "); col += 2 }
        }
        emit(");\n")
        func declare(_ keyword: String, _ names: [String]) {
            guard !names.isEmpty else { return }
            emit("  \(keyword) ")
            var col = keyword.count + 3
            for (k, n) in names.enumerated() {
                if col > 70 { emit("\n    "); col = 4 }
                emit(n); col += n.utf8.count
                emit(k + 1 < names.count ? ", " : ";\n"); col += 2
            }
        }
        declare("input", ins.map(escape))
        declare("output", outs.map(escape))
        if aig.andCount > 0 {
            declare("wire", (0..<aig.andCount).map { prefix + String(aig.firstAndVariable + $0) })
        }
        for (k, a) in aig.ands.enumerated() {
            emit("  assign \(prefix)\(aig.firstAndVariable + k) = \(ref(a.left)) & \(ref(a.right));\n")
        }
        for (k, l) in aig.outputs.enumerated() {
            emit("  assign \(escape(outs[k])) = \(ref(l));\n")
        }
        emit("endmodule\n")
        return out
    }

    /// Replaces characters that cannot appear in an escaped identifier.
    static func sanitize(_ s: String) -> String {
        if s.isEmpty { return "_" }
        return String(s.unicodeScalars.map { $0.value > 32 && $0.value < 127 ? Character($0) : "_" })
    }

    static let keywords: Set<String> = Set(VKeyword.allCases.map(\.text)).union([
        "default", "disable", "edge", "fork", "join", "wait", "posedge", "negedge", "or", "small", "medium", "large",
        "strong0", "strong1", "weak0", "weak1", "pull0", "pull1", "highz0", "highz1", "cell", "config", "design",
        "endconfig", "library", "incdir", "include", "instance", "liblist", "use", "noshowcancelled", "showcancelled",
        "pulsestyle_onevent", "pulsestyle_ondetect", "automatic", "ifnone", "uwire", "localparam", "macromodule",
    ])

    /// The name as a plain identifier when possible, else escaped (`\name `).
    static func escape(_ s: String) -> String {
        let u = Array(s.utf8)
        if let f = u.first, VerilogLexer.isIdentStart(f), u.allSatisfy(VerilogLexer.isIdentChar), !keywords.contains(s) { return s }
        return "\\" + s + " "
    }
}
