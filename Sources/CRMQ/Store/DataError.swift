/// A problem in a snapshot's files: which file, where in it, and what was expected.
///
/// `line` is the physical line of the file (1-based, counting the header), `column` the
/// field's position in its row (1-based) and `columnName` the header above it.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var columnName: String?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, columnName: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.columnName = columnName
        self.message = message
    }

    /// What a load throws when Ctrl-C stops it.
    public static func interrupted(_ file: String) -> DataError { DataError(file: file, message: "interrupted") }

    public var isInterruption: Bool { message == "interrupted" && line == nil }

    /// `transactions.csv:12:3: column amount: expected a number, found "12,5"`
    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        if let columnName { return "\(place): column \(columnName): \(message)" }
        return "\(place): \(message)"
    }
}
