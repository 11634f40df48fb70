import AIG
import AIGFormats
import Decoder
import Foundation
import Simulation

/// `miter decode --serve --batch`: the JSON-lines protocol over a
/// `BatchDecoder` (documented in the README, "Batched serving"). One request
/// per line on stdin, one reply per line on stdout; a malformed request gets
/// an error reply and the session goes on.
struct BatchServer {
    var batch: BatchDecoder
    /// Whether views carry the slot's on/off sets (`"features": false` in `open` turns them off).
    var features = true
    /// Whether the vocabulary is settled: by --vocab-inputs, else by the first open.
    var fixedVocabulary: Bool
    let parseTable: (String) -> TruthTable?

    init(vocabularyInputs: Int?, parseTable: @escaping (String) -> TruthTable?) {
        batch = BatchDecoder(vocabularyInputs: vocabularyInputs ?? 16)
        fixedVocabulary = vocabularyInputs != nil
        self.parseTable = parseTable
    }

    struct RequestError: Error { var message: String }

    static func run(vocabularyInputs: Int?, parseTable: @escaping (String) -> TruthTable?) {
        var server = BatchServer(vocabularyInputs: vocabularyInputs, parseTable: parseTable)
        let out = FileHandle.standardOutput
        while let line = readLine(strippingNewline: true) {
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            var reply: String
            do {
                guard let obj = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                    throw RequestError(message: "expected a JSON object with \"op\"")
                }
                let op = obj["op"] as? String ?? ""
                if op == "close" { out.write(Data("{\"type\":\"closed\"}\n".utf8)); return }
                reply = try server.handle(op, obj)
            } catch let e as RequestError {
                reply = "{\"type\":\"error\",\"message\":\(jsonString(e.message))}"
            } catch {
                reply = "{\"type\":\"error\",\"message\":\(jsonString("\(error)"))}"
            }
            out.write(Data((reply + "\n").utf8))
        }
    }

    func ints(_ obj: [String: Any], _ key: String) throws -> [Int] {
        guard let xs = obj[key] as? [Any] else { throw RequestError(message: "\"\(key)\" must be a list of integers") }
        return try xs.map { x in
            guard let n = x as? Int else { throw RequestError(message: "\"\(key)\" must be a list of integers") }
            return n
        }
    }

    func targetSpecs(_ obj: [String: Any]) throws -> [[String: Any]] {
        guard let specs = obj["targets"] as? [[String: Any]], !specs.isEmpty else {
            throw RequestError(message: "open: \"targets\" must be a non-empty list of {\"tt\": [hex, ...]} or {\"aag\": text} objects")
        }
        return specs
    }

    func parseTarget(_ spec: [String: Any]) throws -> (DecoderTargets, AIG?) {
        if let text = spec["aag"] as? String {
            let aig = try AIGERReader.parse(Array(text.utf8), file: "<aag>")
            guard aig.isCombinational, aig.inputCount <= 16, aig.outputCount > 0 else {
                throw RequestError(message: "open: an \"aag\" target must be combinational with 1+ outputs and at most 16 inputs")
            }
            return (try DecoderTargets(aig: aig), aig)
        }
        guard let hexes = spec["tt"] as? [String], !hexes.isEmpty else {
            throw RequestError(message: "open: a target needs \"tt\": [hex, ...] or \"aag\": text")
        }
        let tts = try hexes.map { h in
            guard let t = parseTable(h) else { throw RequestError(message: "open: bad truth table '\(h)'") }
            return t
        }
        var care: [TruthTable]? = nil
        if let c = spec["care"] as? [String] {
            care = try c.map { h in
                guard let t = parseTable(h) else { throw RequestError(message: "open: bad care set '\(h)'") }
                return t
            }
        }
        return (try DecoderTargets(functions: tts, care: care), nil)
    }

    mutating func handle(_ op: String, _ obj: [String: Any]) throws -> String {
        switch op {
        case "open":
            if let f = obj["features"] as? Bool { features = f }
            let specs = try targetSpecs(obj)
            let parsed = try specs.map(parseTarget)
            // The vocabulary is fixed by the first open unless --vocab-inputs gave it.
            if !fixedVocabulary && batch.liveCount == 0 {
                batch = BatchDecoder(vocabularyInputs: parsed.map(\.0.inputCount).max() ?? 0)
                fixedVocabulary = true
            }
            var ids: [Int] = []
            for (spec, (targets, source)) in zip(specs, parsed) {
                let budget = DecoderBudget(maxAnds: spec["max_ands"] as? Int, maxDepth: spec["max_depth"] as? Int, maxTokens: spec["max_tokens"] as? Int)
                do { ids.append(try batch.open(targets, budget: budget, source: source)) } catch {
                    for id in ids { try? batch.drop(id) }   // all or nothing
                    throw error
                }
            }
            let views = try batch.views(ids)
            return "{\"type\":\"opened\",\"vocab\":\(batch.vocabularySize),\"ids\":[\(ids.map(String.init).joined(separator: ","))],\"states\":\(encode(views))}"
        case "step":
            let ids = try ints(obj, "ids")
            let views: [BatchDecoder.View]
            if obj["scores"] != nil {
                guard let rows = obj["scores"] as? [[Any]] else { throw RequestError(message: "step: \"scores\" must be a list of rows of numbers") }
                let scores: [[Double]] = try rows.map { row in
                    try row.map { x in
                        guard let n = x as? NSNumber else { throw RequestError(message: "step: \"scores\" must be a list of rows of numbers") }
                        return n.doubleValue
                    }
                }
                views = try batch.step(ids, scores: scores)
            } else {
                views = try batch.step(ids, tokens: try ints(obj, "tokens"))
            }
            return "{\"type\":\"step\",\"states\":\(encode(views))}"
        case "view":
            return "{\"type\":\"step\",\"states\":\(encode(try batch.views(try ints(obj, "ids"))))}"
        case "clone":
            let ids = try ints(obj, "ids")
            for id in ids { _ = try batch.state(id) }
            let copies = try ids.map { try batch.clone($0) }
            return "{\"type\":\"cloned\",\"ids\":[\(copies.map(String.init).joined(separator: ","))],\"states\":\(encode(try batch.views(copies)))}"
        case "drop":
            let ids = try ints(obj, "ids")
            try batch.checkDistinct(ids)   // all or nothing
            for id in ids { try batch.drop(id) }
            return "{\"type\":\"dropped\",\"live\":\(batch.liveCount)}"
        case "result":
            var parts: [String] = []
            for id in try ints(obj, "ids") {
                let s = try batch.state(id)
                guard s.isComplete else { throw RequestError(message: "result: state \(id) is not complete") }
                let aig = try batch.result(id)
                parts.append("{\"id\":\(id),\"ands\":\(s.andCount),\"depth\":\(s.depthUsed),\"verified\":true,\"tokens\":[\(s.tokens.map(String.init).joined(separator: ","))],\"aag\":\(jsonString(String(decoding: AIGERWriter.ascii(aig), as: UTF8.self)))}")
            }
            return "{\"type\":\"result\",\"results\":[\(parts.joined(separator: ","))]}"
        default:
            throw RequestError(message: "unknown op '\(op)': expected open, step, view, clone, drop, result or close")
        }
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    /// Views as a JSON list; masks as hex of the packed bytes (byte k first, bit t of byte t/8 = token t).
    func encode(_ views: [BatchDecoder.View]) -> String {
        var s = "["
        s.reserveCapacity(views.count * (features ? 200 : 80))
        let v = batch.vocabularySize
        for (k, view) in views.enumerated() {
            if k > 0 { s += "," }
            var mask = ""
            for b in view.packedMask(vocabularySize: v) {
                mask.unicodeScalars.append(Unicode.Scalar(Self.hexDigits[Int(b >> 4)]))
                mask.unicodeScalars.append(Unicode.Scalar(Self.hexDigits[Int(b & 15)]))
            }
            s += "{\"id\":\(view.id),\"mask\":\"\(mask)\",\"done\":\(view.complete),\"output\":\(view.output),\"level\":\(view.level),\"left\":\(view.leftChild),\"ands\":\(view.ands),\"tokens\":\(view.tokens)"
            if features, let on = view.on, let off = view.off { s += ",\"on\":\"\(on.hex)\",\"off\":\"\(off.hex)\"" }
            if let e = view.error { s += ",\"error\":\(jsonString(e))" }
            s += "}"
        }
        return s + "]"
    }
}
