/// `describe [TABLE] [in S] [where …]`: what the snapshot holds, a row per customer field —
/// its type, how many customers have a value, how many distinct values, and the range — as
/// DuckDB's SUMMARIZE describes a table, and where each table came from. The first thing to
/// ask of one's own data.
struct DescribeStatement: Statement {
    /// The table described; the customers' fields, and where every table came from, when nil.
    var table: SnapshotTable?
    var filter = CustomerFilter()

    static let word = "describe"
    static let answersOnHistogram = true
    static let help = StatementHelp(
        syntax: "describe [customers|transactions|activities|activity_rates|payments|interactions] [in SEGMENT] [where EXPR]",
        summary: "What the snapshot holds: a row per customer field with its type, how many customers have a value and "
            + "how many do not, distinct values, the smallest, largest and mean number, the first and last date, and "
            + "the most common text; then each table — its file, the dialect it was read in, the columns used, the rows "
            + "read, left out by a load's where and set aside by as of. Name a table for its own columns (over the rows of "
            + "the customers chosen). The model and value-chain fields are left out: `help fields` lists them.",
        example: "describe transactions")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        var statement = Self()
        if case .word(_, let key) = parser.token.kind, let table = SnapshotTable(rawValue: key) {
            _ = parser.advance()
            statement.table = table
        }
        statement.filter = try parser.filter()
        return statement
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        typed.isEmpty ? .words(SnapshotTable.allCases.map(\.rawValue) + ["in", "where"]) : .clauses(typed, first: ["in", "where"])
    }

    var description: String { "describe" + (table.map { " " + $0.rawValue } ?? "") + SourceText.filter(filter) }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let scope = try session.scope(range)
        let rows = try scope.rows(filter).map(Int.init)
        let description = SnapshotDescription(snapshot: scope.snapshot)
        guard let table, table != .customers else {
            let fields = scope.snapshot.customers.fields.compactMap { field in scope.snapshot.customers.column(field.name).map { (field, $0) } }
            let summary = Self.summary(fields, rows, title: "fields of \(scope.snapshot.name)", notes: ["\(count: rows.count, "customer") described"])
            return StatementResult(table == nil ? [.table(summary), .table(description.tables())] : [.table(summary)])
        }
        guard let (fields, tableRows) = description.columns(of: table, customers: rows) else {
            throw Diagnostic("\(scope.snapshot.name) has no \(table.rawValue)", at: range)
        }
        return StatementResult([.table(Self.summary(
            fields, tableRows, title: "\(table.rawValue) of \(scope.snapshot.name)",
            notes: ["\(count: tableRows.count, "row") of \(count: rows.count, "customer") described"]))])
    }

    /// A row per column: its type, values, nulls, distinct values and range.
    private static func summary(_ fields: [(Field, ColumnData)], _ rows: [Int], title: Prose, notes: [Prose]) -> ResultTable {
        let summaries = fields.map { Summary($0.0, $0.1, rows) }
        func numbers(_ pick: (Summary) -> Double) -> ColumnData { .number(summaries.map(pick)) }
        return ResultTable(title: title, columns: [
            ResultColumn("field", .text(TextColumn(summaries.map(\.field.name)))),
            ResultColumn("type", .text(TextColumn(summaries.map(\.field.type.rawValue)))),
            ResultColumn("values", unit: .count, numbers { Double($0.values) }),
            ResultColumn("nulls", unit: .count, numbers { Double(rows.count - $0.values) }),
            ResultColumn("distinct", unit: .count, numbers { Double($0.distinct) }),
            ResultColumn("min", unit: .plain, numbers(\.min)),
            ResultColumn("max", unit: .plain, numbers(\.max)),
            ResultColumn("mean", unit: .plain, numbers(\.mean)),
            ResultColumn("first", .date(summaries.map(\.first))),
            ResultColumn("last", .date(summaries.map(\.last))),
            ResultColumn("most_common", .text(TextColumn(summaries.map(\.mostCommon)))),
        ], notes: notes)
    }

    /// One field over the chosen rows. Numbers give min, max and mean; dates the first and
    /// last day; text and true/false the most common value (the first in table order on a
    /// tie, none when all differ).
    struct Summary {
        var field: Field
        var values = 0
        var distinct = 0
        var min = Double.nan, max = Double.nan, mean = Double.nan
        var first = CalendarDay.null, last = CalendarDay.null
        var mostCommon: String?

        init(_ field: Field, _ data: ColumnData, _ rows: [Int]) {
            self.field = field
            switch data {
            case .number(let v):
                var seen = Set<Double>()
                var sum = 0.0
                for r in rows where !v[r].isNaN {
                    values += 1
                    sum += v[r]
                    seen.insert(v[r])
                    if !(v[r] >= min) { min = v[r] }
                    if !(v[r] <= max) { max = v[r] }
                }
                distinct = seen.count
                if values > 0 { mean = sum / Double(values) }
            case .date(let v):
                var seen = Set<Int32>()
                for r in rows where v[r] != CalendarDay.null {
                    values += 1
                    seen.insert(v[r])
                    if first == CalendarDay.null || v[r] < first { first = v[r] }
                    if last == CalendarDay.null || v[r] > last { last = v[r] }
                }
                distinct = seen.count
            case .text(let t):
                (values, distinct, mostCommon) = Self.counted(rows.map { Int(t.codes[$0]) }, valueCount: t.values.count) { t.values[$0] }
            case .bool(let b):
                (values, distinct, mostCommon) = Self.counted(rows.map { b[$0] == 2 ? -1 : Int(b[$0]) }, valueCount: 2) { $0 == 1 ? "true" : "false" }
            }
        }

        /// Non-null rows, distinct values and the most common one, from codes (-1 null).
        private static func counted(_ codes: [Int], valueCount: Int, _ text: (Int) -> String) -> (Int, Int, String?) {
            var tally = [Int](repeating: 0, count: valueCount)
            var firstRow = [Int](repeating: Int.max, count: valueCount)
            for (i, code) in codes.enumerated() where code >= 0 {
                tally[code] += 1
                firstRow[code] = Swift.min(firstRow[code], i)
            }
            let present = tally.indices.filter { tally[$0] > 0 }
            let top = present.max { tally[$0] != tally[$1] ? tally[$0] < tally[$1] : firstRow[$0] > firstRow[$1] }
            let values = present.reduce(0) { $0 + tally[$1] }
            // Where every value is different (ids, names), none is the most common.
            return (values, present.count, present.count < values ? top.map(text) : nil)
        }
    }
}
