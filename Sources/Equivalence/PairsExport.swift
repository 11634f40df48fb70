import AIG

/// Graph tensors of a pair set, loadable without pickle (`.npz` or safetensors).
///
/// Graphs are the distinct circuits of the pairs (latches cut), in order of
/// first appearance. Nodes of graph g, at global indices
/// `node_offsets[g] ..< node_offsets[g+1]`: the constant, the inputs, the ANDs
/// (topological order) and one node per output, so that local index = AIG
/// variable for the constant, inputs and ANDs. Arrays:
/// - `node_type` u8 [N]: 0 const, 1 input, 2 and, 3 output
/// - `edge_index` i64 [2, E]: row 0 fanin node, row 1 node (global indices);
///   an AND has two incoming edges, an output node one
/// - `edge_inverted` u8 [E]: 1 when the fanin is complemented
/// - `node_offsets`, `edge_offsets` i64 [G+1]
/// - `graph_inputs`, `graph_outputs`, `graph_ands` i64 [G]
/// - `pair_index` i64 [P, 2]: graph indices of each pair
/// - `labels` i8 [P]: 1 equivalent, 0 not equivalent
/// - `graph_names` [G]: each graph's circuit name (the JSONL rows' `a_name`/`b_name`; their
///   `a_graph`/`b_graph` are indices into it). In `.npz` a fixed-width unicode array (`<U…`,
///   loads with `allow_pickle=False`); in safetensors, which holds numbers only, the JSON
///   list `__metadata__["graph_names"]`.
public struct GraphTensors {
    public enum DType: String { case u8 = "u1", i8 = "i1", i64 = "i8", unicode = "U" }
    public struct Array_ {
        public var name: String; public var dtype: DType; public var shape: [Int]; public var data: [UInt8]
        /// Characters per element of a `.unicode` array (UTF-32, numpy's `<U…`).
        public var width = 0
    }
    public var arrays: [Array_] = []
    /// Index of each graph's circuit in the input set.
    public var graphCircuit: [Int] = []
    /// Name of each graph's circuit (empty when the initialiser was given no names).
    public var graphNames: [String] = []

    /// The graphs of a pair set: distinct circuits in order of first appearance
    /// (`graphCircuit`), and the graph of each circuit (`graphOf`).
    public static func graphs(of pairs: [Pairs.Pair]) -> (graphCircuit: [Int], graphOf: [Int: Int]) {
        var graphOf: [Int: Int] = [:]
        var graphCircuit: [Int] = []
        for p in pairs {
            for c in [p.a, p.b] where graphOf[c] == nil { graphOf[c] = graphCircuit.count; graphCircuit.append(c) }
        }
        return (graphCircuit, graphOf)
    }

    public init(circuits: [AIG], pairs: [Pairs.Pair], names: [String]? = nil) {
        let (graphCircuit, graphOf) = GraphTensors.graphs(of: pairs)
        self.graphCircuit = graphCircuit
        var nodeType: [UInt8] = [], src: [Int64] = [], dst: [Int64] = [], inv: [UInt8] = []
        var nodeOffsets: [Int64] = [0], edgeOffsets: [Int64] = [0]
        var gi: [Int64] = [], go: [Int64] = [], ga: [Int64] = []
        for c in graphCircuit {
            let aig = circuits[c].cuttingLatches()
            let base = Int64(nodeType.count)
            nodeType.append(0)
            nodeType += Array(repeating: 1, count: aig.inputCount)
            nodeType += Array(repeating: 2, count: aig.andCount)
            nodeType += Array(repeating: 3, count: aig.outputCount)
            let first = aig.firstAndVariable
            for (k, a) in aig.ands.enumerated() {
                for l in [a.left, a.right] {
                    src.append(base + Int64(l.variable)); dst.append(base + Int64(first + k)); inv.append(l.isComplemented ? 1 : 0)
                }
            }
            let outBase = base + Int64(aig.maxVariable + 1)
            for (j, l) in aig.outputs.enumerated() {
                src.append(base + Int64(l.variable)); dst.append(outBase + Int64(j)); inv.append(l.isComplemented ? 1 : 0)
            }
            nodeOffsets.append(Int64(nodeType.count)); edgeOffsets.append(Int64(src.count))
            gi.append(Int64(aig.inputCount)); go.append(Int64(aig.outputCount)); ga.append(Int64(aig.andCount))
        }
        var pairIndex: [Int64] = []
        var labels: [UInt8] = []
        for p in pairs {
            pairIndex.append(Int64(graphOf[p.a] ?? 0)); pairIndex.append(Int64(graphOf[p.b] ?? 0))
            labels.append(UInt8(p.label))
        }
        func bytes(_ xs: [Int64]) -> [UInt8] {
            var out = [UInt8](); out.reserveCapacity(xs.count * 8)
            for x in xs { withUnsafeBytes(of: x.littleEndian) { out += $0 } }
            return out
        }
        arrays = [
            Array_(name: "node_type", dtype: .u8, shape: [nodeType.count], data: nodeType),
            Array_(name: "edge_index", dtype: .i64, shape: [2, src.count], data: bytes(src + dst)),
            Array_(name: "edge_inverted", dtype: .u8, shape: [inv.count], data: inv),
            Array_(name: "node_offsets", dtype: .i64, shape: [nodeOffsets.count], data: bytes(nodeOffsets)),
            Array_(name: "edge_offsets", dtype: .i64, shape: [edgeOffsets.count], data: bytes(edgeOffsets)),
            Array_(name: "graph_inputs", dtype: .i64, shape: [gi.count], data: bytes(gi)),
            Array_(name: "graph_outputs", dtype: .i64, shape: [go.count], data: bytes(go)),
            Array_(name: "graph_ands", dtype: .i64, shape: [ga.count], data: bytes(ga)),
            Array_(name: "pair_index", dtype: .i64, shape: [pairs.count, 2], data: bytes(pairIndex)),
            Array_(name: "labels", dtype: .i8, shape: [labels.count], data: labels),
        ]
        if let names {
            graphNames = graphCircuit.map { names[$0] }
            // numpy's '<U0' is not a valid dtype: at least one character per element.
            let width = max(1, graphNames.map { $0.unicodeScalars.count }.max() ?? 1)
            var data: [UInt8] = []
            data.reserveCapacity(graphNames.count * width * 4)
            for n in graphNames {
                var k = 0
                for u in n.unicodeScalars { withUnsafeBytes(of: u.value.littleEndian) { data += $0 }; k += 1 }
                data += repeatElement(0, count: 4 * (width - k))
            }
            arrays.append(Array_(name: "graph_names", dtype: .unicode, shape: [graphNames.count], data: data, width: width))
        }
    }

    public struct TooLarge: Error, CustomStringConvertible {
        public var description: String { "tensor file over 4 GiB: ZIP64 is not supported, lower --max-pairs" }
    }

    /// An uncompressed `.npz` (ZIP, method 0 "stored") of `.npy` v1.0 arrays.
    public func npz() throws(TooLarge) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func u16(_ x: Int, _ b: inout [UInt8]) { b += [UInt8(x & 0xFF), UInt8((x >> 8) & 0xFF)] }
        func u32(_ x: UInt32, _ b: inout [UInt8]) { for s in stride(from: 0, to: 32, by: 8) { b.append(UInt8((x >> UInt32(s)) & 0xFF)) } }
        for a in arrays {
            let file = Array((a.name + ".npy").utf8)
            let data = GraphTensors.npy(a)
            guard out.count + data.count < Int(UInt32.max) - 1024 else { throw TooLarge() }
            let crc = crc32(data)
            let offset = UInt32(out.count)
            // Local file header.
            u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out)
            u16(0, &out); u16(0x21, &out)            // time 00:00, date 1980-01-01
            u32(crc, &out); u32(UInt32(data.count), &out); u32(UInt32(data.count), &out)
            u16(file.count, &out); u16(0, &out)
            out += file; out += data
            // Central directory entry.
            u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0x21, &central)
            u32(crc, &central); u32(UInt32(data.count), &central); u32(UInt32(data.count), &central)
            u16(file.count, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0, &central); u32(0, &central); u32(offset, &central)
            central += file
        }
        let cdOffset = UInt32(out.count)
        out += central
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out)
        u16(arrays.count, &out); u16(arrays.count, &out)
        u32(UInt32(central.count), &out); u32(cdOffset, &out); u16(0, &out)
        return out
    }

    /// One `.npy` (format 1.0): magic, header dict padded to a multiple of 64 bytes, little-endian data.
    static func npy(_ a: Array_) -> [UInt8] {
        let shape = a.shape.count == 1 ? "(\(a.shape[0]),)" : "(" + a.shape.map(String.init).joined(separator: ", ") + ")"
        let descr = a.dtype == .i64 ? "<i8" : a.dtype == .unicode ? "<U\(a.width)" : "|" + a.dtype.rawValue
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        let total = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let h = header.utf8.count
        out += [UInt8(h & 0xFF), UInt8(h >> 8)]
        out += Array(header.utf8)
        out += a.data
        return out
    }

    /// A safetensors file: 8-byte little-endian header length, JSON header, data.
    /// `graph_names` goes into `__metadata__` (safetensors metadata values are strings:
    /// here the JSON text of the list of names).
    public func safetensors() -> [UInt8] {
        var entries: [String] = []
        var offset = 0
        for a in arrays where a.dtype != .unicode {
            let dtype = a.dtype == .u8 ? "U8" : a.dtype == .i8 ? "I8" : "I64"
            entries.append("\"\(a.name)\":{\"dtype\":\"\(dtype)\",\"shape\":[\(a.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + a.data.count)]}")
            offset += a.data.count
        }
        var metadata = "\"format\":\"miter-pairs\""
        if arrays.contains(where: { $0.name == "graph_names" }) {
            metadata += ",\"graph_names\":" + JSONReport.encode(JSONReport.encode(graphNames))
        }
        var header = "{\"__metadata__\":{" + metadata + "}," + entries.joined(separator: ",") + "}"
        header += String(repeating: " ", count: (8 - header.utf8.count % 8) % 8)
        var out: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { out += $0 }
        out += Array(header.utf8)
        for a in arrays where a.dtype != .unicode { out += a.data }
        return out
    }
}

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as ZIP uses.
public func crc32(_ data: [UInt8]) -> UInt32 {
    let table: [UInt32] = (0..<256).map { i in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
    var crc: UInt32 = 0xFFFF_FFFF
    data.withUnsafeBufferPointer { buf in
        table.withUnsafeBufferPointer { t in
            for b in buf { crc = t[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        }
    }
    return crc ^ 0xFFFF_FFFF
}
