/// `summary sql for postgres|duckdb|spark …`: the per-customer summary as a SQL script for
/// the engine that holds the data, so that a warehouse or a Spark cluster does the heavy part
/// and only one row per customer comes back to crmq (`load "crmq_summary.csv"`).
struct SummaryStatement: Statement {
    var engine: Spelled<SQLEngine>
    var asOf: Int32?
    var tables: [(table: Spelled<SnapshotTable>, reference: Name)] = []
    var columns: [(field: Name, source: Expr)] = []
    var condition: Expr?

    static let word = "summary"
    static let answersOnHistogram = true
    static let help = StatementHelp(
        syntax: "summary sql for postgres|duckdb|spark [as of DATE] "
            + "[tables (transactions = TABLE|'QUERY', customers = …, activities = …, activity_rates = …, payments = …)] "
            + "[columns (FIELD = COLUMN|EXPRESSION|null, …)] [where CONDITION]",
        summary: "A SQL script, in that engine's dialect, that makes the summary where the data lives: crmq_summary, one "
            + "row per customer with every field that needs no model, the payment facts credit is scored from and the "
            + "revenue of the 52 weeks to as_of, and the customers table's own columns; and crmq_histogram, the count of "
            + "each (frequency, recency, age), for the fits. The rules are crmq's own: same-day purchases are one, a "
            + "negative amount is a return, rows after as_of are left out, `where` keeps rows as a load's does. Tables "
            + "are crmq's names unless `tables` says; columns are crmq's names unless `columns` says (customer_id, date, "
            + "amount, margin of the transactions; id, wallet of the customers; `margin = null` when there is none). "
            + "Load the result back with load \"crmq_summary.csv\".",
        example: "summary sql for duckdb tables (transactions = orders, customers = clients) columns (id = client_no)")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        try parser.expect("sql")
        try parser.expect("for")
        var statement = Self(engine: try parser.choice("engine"))
        while true {
            if parser.accept("as") != nil {
                try parser.expect("of")
                statement.asOf = try parser.date("a date like 2024-06-30")
            } else if parser.accept("tables") != nil {
                statement.tables = try LoadStatement.tablePairs(&parser).map { ($0.0, $0.1) }
            } else if parser.accept("columns") != nil {
                statement.columns = try LoadStatement.columnPairs(&parser).map { ($0.0, $0.1) }
            } else if statement.condition == nil, parser.accept("where") != nil {
                statement.condition = try parser.expression()
            } else {
                return statement
            }
        }
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        if typed.isEmpty { return .words(["sql"]) }
        if typed.count == 1 { return .words(["for"]) }
        if typed.count == 2 { return .words(SQLEngine.allCases.map(\.rawValue)) }
        return .words(typed.lastWord == "as" ? ["of"] : ["as", "tables", "columns", "where"])
    }

    var description: String {
        var text = "summary sql for \(engine.value.rawValue)" + (asOf.map { " as of \(CalendarDay.format($0))" } ?? "")
        if !tables.isEmpty { text += " tables (" + tables.map { "\($0.table.value.rawValue) = \(SourceText.quoted($0.reference.text))" }.joined(separator: ", ") + ")" }
        if !columns.isEmpty { text += " columns (" + columns.map { "\($0.field.text) = \($0.source)" }.joined(separator: ", ") + ")" }
        if let condition { text += " where \(condition)" }
        return text
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let script = try SummarySQL(
            engine: engine.value, asOf: asOf, tables: tables, columns: columns, condition: condition, marginRate: session.settings.marginRate)
        return StatementResult([.script(try script.script())])
    }
}
