/// A small JSON reader for JSONL inputs (objects, arrays, strings, numbers, literals):
/// circuit streams (`{"aag": "...", "name": "..."}` per line) and `miter serve` requests.
/// Errors carry the byte offset in the parsed text, so callers can report file:line:column.
public enum JSONValue: Equatable, Sendable {
    case object([String: JSONValue]), array([JSONValue]), string(String), number(Double), bool(Bool), null

    public struct ParseError: Error, Equatable, Sendable {
        /// 0-based byte offset of the problem in the parsed text.
        public var offset: Int
        public var message: String
        public init(offset: Int, message: String) { self.offset = offset; self.message = message }
    }

    /// Parses one JSON value (surrounding white space allowed).
    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buf throws(ParseError) in try parse(buf) }
    }

    /// Parses one JSON value from a buffer (e.g. one line of a larger stream, without copying it).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) -> JSONValue {
        var p = Parser(b: bytes)
        let v = try p.value(depth: 0)
        p.skip()
        if p.i != bytes.count { throw ParseError(offset: p.i, message: "unexpected text after the value") }
        return v
    }

    /// The member `key` of an object (nil for other values or a missing key).
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The string value, or nil.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    struct Parser {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0
        init(b: UnsafeBufferPointer<UInt8>) { self.b = b }

        mutating func skip() { while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 } }
        func err(_ m: String) -> ParseError { ParseError(offset: i, message: m) }

        mutating func value(depth: Int) throws(ParseError) -> JSONValue {
            guard depth < 64 else { throw err("nesting too deep") }
            skip()
            guard i < b.count else { throw err("unexpected end of line") }
            switch b[i] {
            case UInt8(ascii: "{"):
                i += 1
                var obj: [String: JSONValue] = [:]
                skip()
                if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(obj) }
                while true {
                    skip()
                    guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw err("expected a key string") }
                    let k = try string()
                    skip()
                    guard i < b.count, b[i] == UInt8(ascii: ":") else { throw err("expected ':'") }
                    i += 1
                    obj[k] = try value(depth: depth + 1)
                    skip()
                    guard i < b.count else { throw err("unexpected end of line in object") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "}") { i += 1; return .object(obj) }
                    throw err("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                i += 1
                var arr: [JSONValue] = []
                skip()
                if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(arr) }
                while true {
                    arr.append(try value(depth: depth + 1))
                    skip()
                    guard i < b.count else { throw err("unexpected end of line in array") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "]") { i += 1; return .array(arr) }
                    throw err("expected ',' or ']'")
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default:
                let s = i
                while i < b.count, isNumberByte(b[i]) { i += 1 }
                guard i > s, let d = Double(String(decoding: UnsafeBufferPointer(rebasing: b[s..<i]), as: UTF8.self)) else {
                    i = s
                    throw err("unexpected character")
                }
                return .number(d)
            }
        }

        func isNumberByte(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
                || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
        }

        mutating func literal(_ word: StaticString, _ v: JSONValue) throws(ParseError) -> JSONValue {
            let n = word.utf8CodeUnitCount
            guard i + n <= b.count else { throw err("unexpected character") }
            let w = word.utf8Start
            for k in 0..<n where b[i + k] != w[k] { throw err("unexpected character") }
            i += n
            return v
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard i + 4 <= b.count else { throw err("bad \\u escape") }
            var v: UInt32 = 0
            for k in 0..<4 {
                let c = b[i + k]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw err("bad \\u escape")
                }
                v = v << 4 | d
            }
            i += 4
            return v
        }

        /// A string starting at the quote at `i`; runs without escapes are copied at once.
        mutating func string() throws(ParseError) -> String {
            i += 1
            var out: [UInt8] = []
            while true {
                let runStart = i
                while i < b.count, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\\") { i += 1 }
                if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<i])) }
                guard i < b.count else { throw err("unterminated string") }
                let c = b[i]; i += 1
                if c == UInt8(ascii: "\"") { break }
                guard i < b.count else { throw err("unterminated escape") }
                let e = b[i]; i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var v = try hex4()
                    if (0xD800..<0xDC00).contains(v), i + 6 <= b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let lo = try hex4()
                        v = 0x10000 + (((v - 0xD800) << 10) | ((lo &- 0xDC00) & 0x3FF))
                    }
                    out += Array(String(Unicode.Scalar(v).map(Character.init) ?? "\u{FFFD}").utf8)
                default: out.append(e)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
