/// What a load computes from a file's own columns before anything is derived: the rows to
/// keep (`load … where financial_status != 'refunded'`) and the fields that are expressions
/// of other columns (`columns (amount = Quantity * UnitPrice)`). The evaluation layer makes
/// it, since it knows expressions; the store only hands it the columns it names.
public struct RowRules: Sendable {
    /// The file's columns (normalised names) the rules read.
    public var columns: [String]
    /// The fields computed, each with its expression as written (for the load message).
    public var computed: [(field: String, written: String)]
    /// The condition as written, if there is one.
    public var condition: String?
    /// Given the named columns over `rows` rows: which rows to keep (1 keeps; nil keeps all)
    /// and each computed field's values.
    public var apply: @Sendable (_ columns: [String: ColumnData], _ rows: Int) -> (keep: [UInt8]?, values: [String: [Double]])

    public init(
        columns: [String], computed: [(field: String, written: String)], condition: String?,
        apply: @escaping @Sendable ([String: ColumnData], Int) -> (keep: [UInt8]?, values: [String: [Double]])
    ) {
        self.columns = columns
        self.computed = computed
        self.condition = condition
        self.apply = apply
    }
}

/// What a file's first lines say before it is read: its dialect, its header, which column
/// holds each field, and the type each column's values read as.
public struct ExportPlan: Sendable {
    public var dialect: Dialect
    /// The header's names, normalised as fields are named (`Unit Price` is `unit_price`).
    public var header: [String]
    /// The header's names as the file writes them (`columnN` for a blank one).
    public var written: [String]
    var mapping: ColumnMapping
    /// Whether the file is a summary (frequency, recency, T a row) rather than transactions.
    public var isSummary: Bool
    /// Each column's type by its normalised name: number, date or text, as its sample reads.
    public var types: [String: ValueType]

    /// The type of a column, or of a field by the column it is read from (`amount` for `Price`).
    public func type(of name: String) -> ValueType? { types[name] ?? mapping.column(for: name).flatMap { types[$0] } }

    /// The field a column is read as, when it is mapped to one; else the column itself.
    func readAs(_ column: String) -> String { mapping.pairs.first { $0.column == column }?.field ?? column }
}
