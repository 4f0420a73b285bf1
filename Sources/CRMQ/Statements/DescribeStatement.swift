/// `describe [in S] [where …]`: what the snapshot holds, a row per customer field — its
/// type, how many customers have a value, how many distinct values, and the range — as
/// DuckDB's SUMMARIZE describes a table. The first thing to ask of one's own data.
struct DescribeStatement: Statement {
    var filter = CustomerFilter()

    static let word = "describe"
    static let help = StatementHelp(
        syntax: "describe [in SEGMENT] [where EXPR]",
        summary: "What the snapshot holds: a row per customer field with its type, how many customers have a value and "
            + "how many do not, distinct values, the smallest, largest and mean number, the first and last date, and "
            + "the most common text. The model and value-chain fields are left out: `help fields` lists them.",
        example: "describe")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self { Self(filter: try parser.filter()) }
    static func complete(_ typed: TypedWords) -> CompletionHint { .clauses(typed, first: ["in", "where"]) }
    var description: String { "describe" + SourceText.filter(filter) }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let scope = try session.scope(range)
        let rows = try scope.rows(filter).map(Int.init)
        let customers = scope.snapshot.customers
        var summaries: [Summary] = []
        for field in customers.fields {
            guard let data = customers.column(field.name) else { continue }
            summaries.append(Summary(field, data, rows))
        }
        func numbers(_ pick: (Summary) -> Double) -> ColumnData { .number(summaries.map(pick)) }
        return StatementResult([.table(ResultTable(title: "fields of \(scope.snapshot.name)", columns: [
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
        ], notes: ["\(count: rows.count, "customer") described"]))])
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
