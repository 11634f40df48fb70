/// A located error in a circuit file: which file, where, and what was expected.
/// `line`/`column` are 1-based for text; binary sections report `byteOffset`.
public struct FormatError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var byteOffset: Int?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, byteOffset: Int? = nil, message: String) {
        self.file = file; self.line = line; self.column = column; self.byteOffset = byteOffset; self.message = message
    }

    /// `file:line:column: message`, or `file: byte N: message` for binary data.
    public var description: String {
        var where_ = file
        if let line { where_ += ":\(line)"; if let column { where_ += ":\(column)" } }
        if let byteOffset { where_ += line == nil ? ": byte \(byteOffset)" : " (byte \(byteOffset))" }
        return "\(where_): \(message)"
    }
}
