/// A column of a result: its header, how its numbers are meant, and its values.
public struct ResultColumn: Sendable {
    public var name: String
    public var unit: NumberUnit
    public var data: ColumnData

    public init(_ name: String, unit: NumberUnit = .plain, _ data: ColumnData) {
        self.name = name
        self.unit = unit
        self.data = data
    }
}

/// A table a statement answers with. Renderers turn it into aligned text, CSV, JSON or
/// Markdown; nothing in it is formatted yet: its values are columns, its title and notes
/// `Prose` with their figures as numbers.
public struct ResultTable: Sendable {
    public var title: Prose?
    public var columns: [ResultColumn]
    public var notes: [Prose] = []
    /// A single record (one customer's profile): people read it as field/value lines,
    /// programs get it as one row with a column per field.
    public var isRecord = false
    /// The same numbers as a chart, which a person at the prompt sees instead of the table
    /// (the RFM grid as a heat map); other modes print the table.
    public var drawing: Chart?

    public init(title: Prose? = nil, columns: [ResultColumn], notes: [Prose] = [], isRecord: Bool = false, drawing: Chart? = nil) {
        self.title = title
        self.columns = columns
        self.notes = notes
        self.isRecord = isRecord
        self.drawing = drawing
    }

    public var rowCount: Int { columns.first?.data.count ?? 0 }

    /// A number of the column named, for a sentence about the table; nil when absent or null.
    func number(_ column: String, row: Int = 0) -> Double? {
        guard case .number(let values)? = columns.first(where: { $0.name == column })?.data, row < values.count, !values[row].isNaN else { return nil }
        return values[row]
    }

    /// A text of the column named; nil when absent or null.
    func text(_ column: String, row: Int = 0) -> String? {
        guard case .text(let values)? = columns.first(where: { $0.name == column })?.data, row < values.codes.count else { return nil }
        return values[row]
    }
}

/// One piece of a statement's answer.
public enum ResultBlock: Sendable {
    case table(ResultTable)
    /// A sentence for the person at the prompt ("loaded acme: 60 customers").
    case message(Prose)
    case chart(Chart)
    /// A script for another program (`summary sql`): printed exactly as it is, never wrapped.
    case script(String)
    /// A document for a file (`report … to FILE`): written, not printed.
    case report(Report)
}

/// What the front end must do beyond printing the answer.
public enum Effect: Sendable, Equatable {
    case quit
    case read(String)
    case save(String)
    case mode(OutputMode)
    case timer(Bool)
    case maxRows(Int)
    case showLast
    /// Write the result's chart to this file as SVG.
    case plot(String)
    /// Write the result's report to this file: HTML, or Markdown with its charts as SVG files beside.
    case report(String)
}

/// A statement's answer.
public struct StatementResult: Sendable {
    public var blocks: [ResultBlock]
    public var effect: Effect?

    public init(_ blocks: [ResultBlock] = [], effect: Effect? = nil) {
        self.blocks = blocks
        self.effect = effect
    }

    public static func message(_ text: Prose) -> StatementResult { StatementResult([.message(text)]) }

    /// The sentences of the result, in order.
    public var messages: [Prose] {
        blocks.compactMap { if case .message(let m) = $0 { m } else { nil } }
    }

    /// The scripts of the result (`summary sql`), in order.
    public var scripts: [String] {
        blocks.compactMap { if case .script(let s) = $0 { s } else { nil } }
    }

    public var tables: [ResultTable] {
        blocks.compactMap { if case .table(let t) = $0 { t } else { nil } }
    }

    /// The charts of the result, those drawn from its tables included, in order.
    public var charts: [Chart] {
        blocks.compactMap {
            switch $0 {
            case .chart(let c): c
            case .table(let t): t.drawing
            case .message, .script, .report: nil
            }
        }
    }
}
