/// How results are printed: `table` for people, the others for programs and documents.
public enum OutputMode: String, Sendable, CaseIterable {
    case table, csv, json, markdown
}

/// How a table is fitted to where it is shown.
public struct TableLayout: Sendable {
    /// Rows shown before the middle ones are left out; 0 shows all. Only on a terminal.
    public var maxRows: Int = 0
    /// Columns of the terminal; nil when not on a terminal (nothing is cut).
    public var width: Int?
    public var color: Bool = false

    public init(maxRows: Int = 0, width: Int? = nil, color: Bool = false) {
        self.maxRows = maxRows
        self.width = width
        self.color = color
    }
}
