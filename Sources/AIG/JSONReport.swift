import FoundationEssentials

/// The one place where results become JSON: every `--json`/`--jsonl` line the CLI
/// prints and every `miter serve` answer goes through `JSONReport.encode`, from the
/// `Codable` report types of the libraries. Keys are sorted (stable output to diff),
/// slashes unescaped, property names in snake_case; the schemas are documented in python/miter/schemas/.
public enum JSONReport {
    /// Version of every report's schema, written as `"schema": "miter.<kind>.v1"`.
    public static let version = 1

    public static func schema(_ kind: String) -> String { "miter.\(kind).v\(version)" }

    public static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Only non-finite numbers can fail, and reports hold none; say so rather than trap.
        guard let data = try? encoder.encode(value) else {
            return #"{"error":{"message":"internal error: a report could not be encoded as JSON"},"schema":"miter.error.v1"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(text.utf8))
    }
}

/// What every command prints on stdout with `--json` when it fails (exit 2).
public struct ErrorReport: Codable, Sendable, Equatable {
    public var schema = JSONReport.schema("error")
    public var error: Detail
    public var exitCode = 2

    public struct Detail: Codable, Sendable, Equatable {
        /// What was wrong or expected, without the location.
        public var message: String
        /// The whole text line `miter: error: ` prints (location included).
        public var text: String
        public var file: String?
        public var line: Int?
        public var column: Int?
        public var byteOffset: Int?
    }

    public init(message: String, text: String, file: String? = nil, line: Int? = nil, column: Int? = nil, byteOffset: Int? = nil) {
        error = Detail(message: message, text: text, file: file, line: line, column: column, byteOffset: byteOffset)
    }
}
