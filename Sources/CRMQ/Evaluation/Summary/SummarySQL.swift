/// The engines `summary sql for …` writes a script for.
public enum SQLEngine: String, Sendable, CaseIterable {
    case postgres, duckdb, spark

    /// What the script's first line calls it.
    var title: String {
        switch self {
        case .postgres: "PostgreSQL"
        case .duckdb: "DuckDB"
        case .spark: "Spark SQL"
        }
    }

    /// A name as the engine quotes it: `"Customer ID"`, or `` `Customer ID` `` in Spark.
    func quoted(_ name: String) -> String {
        switch self {
        case .postgres, .duckdb: "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        case .spark: "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
        }
    }

    var double: String { self == .postgres ? "DOUBLE PRECISION" : "DOUBLE" }
    var text: String {
        switch self {
        case .postgres: "TEXT"
        case .duckdb: "VARCHAR"
        case .spark: "STRING"
        }
    }

    /// Whole days from one date to a later one.
    func days(from start: String, to end: String) -> String {
        self == .spark ? "DATEDIFF(\(end), \(start))" : "(\(end) - \(start))"
    }

    /// The day `days` days before a date.
    func before(_ date: String, days: Int32) -> String {
        self == .spark ? "DATE_SUB(\(date), \(days))" : "(\(date) - \(days))"
    }

    /// The statement that makes a result of the script's, by name, from a query.
    func create(_ name: String, as query: String) -> String {
        switch self {
        case .postgres: "DROP TABLE IF EXISTS \(name);\nCREATE TABLE \(name) AS\n\(query);"
        case .duckdb: "CREATE OR REPLACE TABLE \(name) AS\n\(query);"
        case .spark: "CREATE OR REPLACE TEMPORARY VIEW \(name) AS\n\(query);"
        }
    }

    /// How to write a result out as CSV for `load`, as a comment of the script.
    func export(_ name: String) -> String {
        switch self {
        case .postgres: "--   psql: \\copy \(name) to '\(name).csv' csv header"
        case .duckdb: "--   COPY \(name) TO '\(name).csv' (HEADER);"
        case .spark: "--   INSERT OVERWRITE DIRECTORY '\(name)' USING csv OPTIONS (header 'true') SELECT * FROM \(name);"
        }
    }
}

/// The summary of reference §2 — one row per customer with every field that needs no model,
/// the payment facts credit scores are made of and the 52 weeks' revenue `compare` counts —
/// written as SQL for the engine that holds the data, so that only one row per customer has
/// to leave it (`summary sql for duckdb`). The rules are the in-memory derivation's
/// (`CustomerFigures`, `Credit.facts`): purchases on one day are one, a negative amount is a
/// return (revenue and margin, no purchase), rows after as_of are left out. It makes
/// `crmq_summary`, and `crmq_histogram` — (frequency, recency, age, count) — for the fits.
struct SummarySQL {
    var engine: SQLEngine
    var asOf: Int32?
    /// Each table read: a table's name or a query. The transactions are required.
    var tables: [SnapshotTable: TableReference]
    /// The fields of `columns (…)` and their sources: a column or an expression of columns;
    /// `null` for a column the table does not have. Unnamed fields are their own column.
    var columns: [String: Expr] = [:]
    var condition: Expr?
    /// `set margin_rate`: the margin of a row whose margin is not known.
    var marginRate: Double?

    /// The fields `columns (…)` may name: the transactions' and the customers'.
    static let mappable = ["customer_id", "date", "amount", "margin", "id", "wallet"]

    /// A script from a statement's clauses (`summary sql`, `load postgres … summarised`),
    /// each checked at its word: the tables a summary reads, once each (the transactions
    /// are `transactions` unless named), activities with their rates, and the fields it maps.
    init(
        engine: SQLEngine, asOf: Int32?, tables named: [(table: Spelled<SnapshotTable>, reference: Name)],
        columns mapped: [(field: Name, source: Expr)], condition: Expr?, marginRate: Double?
    ) throws(Diagnostic) {
        self.engine = engine
        self.asOf = asOf
        self.tables = [.transactions: .table("transactions")]
        self.condition = condition
        self.marginRate = marginRate
        var seen: Set<SnapshotTable> = []
        for (table, reference) in named {
            if table.value == .interactions {
                throw Diagnostic("a summary has no use for interactions: it reads transactions, customers, activities, activity_rates and payments", at: table.range)
            }
            guard seen.insert(table.value).inserted else { throw Diagnostic("\(table.value.rawValue) is named twice", at: table.range) }
            tables[table.value] = TableReference(reference.text)
        }
        if let activities = named.first(where: { $0.table.value == .activities }), tables[.activityRates] == nil {
            throw Diagnostic("activities need their unit costs: tables (…, activity_rates = …)", at: activities.table.range)
        }
        for (field, source) in mapped {
            let name = TableReader.normalise(field.text)
            guard Self.mappable.contains(name) else {
                throw Diagnostic(
                    "a summary maps customer_id, date, amount and margin (the transactions') and id and wallet (the customers'), not \(field.text)",
                    at: field.range, hint: Suggestion.hint(for: field.text, in: Self.mappable))
            }
            if case .null = source.kind, !["margin", "wallet"].contains(name) {
                throw Diagnostic("\(name) must come from a column; only margin and wallet may be null", at: source.range)
            }
            columns[name] = source
        }
    }

    /// The whole script: both results made, and how to take them out.
    func script() throws(Diagnostic) -> String {
        let summary = try summaryQuery()
        let histogram = """
            SELECT frequency, recency, age, COUNT(*) AS count
            FROM crmq_summary
            WHERE frequency IS NOT NULL
            GROUP BY frequency, recency, age
            """
        var read = ["transactions"]
        for table in SnapshotTable.allCases where table != .transactions && tables[table] != nil { read.append(table.rawValue) }
        return """
            -- crmq summary for \(engine.title): one row per customer (crmq_summary), with every field that needs
            -- no model, and the purchase histogram the models fit on (crmq_histogram). Reads \(read.joined(separator: ", ")).
            -- As of \(asOf.map(CalendarDay.format) ?? "the latest transaction's day"). Take the summary out and load it:
            \(engine.export("crmq_summary"))
            --   crmq: load "crmq_summary.csv"

            \(engine.create("crmq_summary", as: summary))

            \(engine.create("crmq_histogram", as: histogram))

            """
    }

    /// The query of one row per customer.
    func summaryQuery() throws(Diagnostic) -> String {
        let transactions = tables[.transactions]!
        let e = engine
        let double = e.double, text = e.text
        // A field not named in `columns` is the column of its own name.
        func field(_ name: String) throws(Diagnostic) -> String {
            try columns[name].map { source throws(Diagnostic) in try column(source) } ?? e.quoted(name)
        }
        // The fields of a row, for where and the expressions to name.
        var named: [String: String] = [:]
        for name in ["customer_id", "date", "amount", "margin"] { named[name] = try field(name) }
        let filter = try condition.map { (c) throws(Diagnostic) in try sql(c, fields: named) }
        let asOfValue = asOf.map { "DATE '\(CalendarDay.format($0))'" } ?? "(SELECT MAX(day) FROM crmq_rows)"
        let rowMargin = marginRate.map { "COALESCE(r.margin, r.amount * \($0))" } ?? "r.margin"
        let marginKnown = !(columns["margin"].map(Self.isNull) ?? false) || marginRate != nil
        var ctes = [
            """
            crmq_rows AS (
              SELECT CAST(\(named["customer_id"]!) AS \(text)) AS customer_id, CAST(\(named["date"]!) AS DATE) AS day,
                     CAST(\(named["amount"]!) AS \(double)) AS amount, CAST(\(named["margin"]!) AS \(double)) AS margin
              FROM \(Self.from(transactions)) AS crmq_source\(filter.map { "\n  WHERE \($0)" } ?? "")
            )
            """,
            "crmq_as_of AS (\n  SELECT \(asOfValue) AS as_of\n)",
            """
            crmq_kept AS (
              SELECT r.customer_id, r.day, r.amount, \(rowMargin) AS margin
              FROM crmq_rows r CROSS JOIN crmq_as_of a
              WHERE r.day <= a.as_of
            )
            """,
            // A customer's day: its rows summed, the purchases (amount ≥ 0) apart; one pass
            // of hashing over the rows, no sort.
            """
            crmq_daily AS (
              SELECT customer_id, day, SUM(amount) AS total, SUM(CASE WHEN amount >= 0 THEN amount END) AS spent,
                     SUM(CASE WHEN amount >= 0 THEN 1 ELSE 0 END) AS purchases,
                     SUM(margin) AS margin, COUNT(margin) AS margins, COUNT(*) AS row_count
              FROM crmq_kept
              GROUP BY customer_id, day
            )
            """,
            // A customer's days: a margin is unknown when any of its rows' is; frequency is the
            // purchase days but the first.
            """
            crmq_totals AS (
              SELECT d.customer_id, SUM(d.total) AS revenue,
                     CASE WHEN SUM(d.margins) = SUM(d.row_count) THEN SUM(d.margin) END AS margin,
                     SUM(d.purchases) AS orders,
                     SUM(CASE WHEN d.day > \(e.before("a.as_of", days: CustomerFigures.walletWindowDays)) THEN d.total ELSE 0 END) AS revenue_52_weeks,
                     SUM(CASE WHEN d.purchases > 0 THEN 1 ELSE 0 END) - 1 AS frequency,
                     MIN(CASE WHEN d.purchases > 0 THEN d.day END) AS first_day,
                     MAX(CASE WHEN d.purchases > 0 THEN d.day END) AS last_day
              FROM crmq_daily d CROSS JOIN crmq_as_of a
              GROUP BY d.customer_id
            )
            """,
            // The repeat purchase days' spend, summed as they come (not the whole less the
            // first day's, which would round otherwise than crmq's sum).
            """
            crmq_repeats AS (
              SELECT d.customer_id, SUM(d.spent) AS spent
              FROM crmq_daily d JOIN crmq_totals t ON t.customer_id = d.customer_id
              WHERE d.purchases > 0 AND d.day > t.first_day
              GROUP BY d.customer_id
            )
            """,
        ]
        // The customers: the customers table's rows, every column of theirs kept, or the ids
        // the transactions name; `key` is a customer's id as the rows name it.
        let customers: String, key: String
        var wallet = "NULL"
        if let table = tables[.customers] {
            customers = Self.from(table)
            key = "CAST(\(try columns["id"].map { (s) throws(Diagnostic) in try column(s, of: "c") } ?? "c." + e.quoted("id")) AS \(text))"
            if !(columns["wallet"].map(Self.isNull) ?? false) {
                wallet = "CAST(\(try columns["wallet"].map { (s) throws(Diagnostic) in try column(s, of: "c") } ?? "c." + e.quoted("wallet")) AS \(double))"
            }
        } else {
            customers = "(SELECT DISTINCT customer_id AS id FROM crmq_rows)"
            key = "c.id"
        }
        var joins = [
            "LEFT JOIN crmq_totals t ON t.customer_id = \(key)",
            "LEFT JOIN crmq_repeats r ON r.customer_id = \(key)",
        ]
        var costToServe = "0"
        if let activities = tables[.activities], let rates = tables[.activityRates] {
            let q = e.quoted
            ctes.append("""
                crmq_costs AS (
                  SELECT CAST(x.\(q("customer_id")) AS \(text)) AS customer_id,
                         SUM(COALESCE(CAST(x.\(q("quantity")) AS \(double)), 1) * CAST(u.\(q("unit_cost")) AS \(double))) AS cost_to_serve
                  FROM \(Self.from(activities)) AS x
                  JOIN \(Self.from(rates)) AS u ON u.\(q("activity")) = x.\(q("activity"))
                  CROSS JOIN crmq_as_of a
                  WHERE CAST(x.\(q("date")) AS DATE) <= a.as_of
                  GROUP BY CAST(x.\(q("customer_id")) AS \(text))
                )
                """)
            joins.append("LEFT JOIN crmq_costs k ON k.customer_id = \(key)")
            costToServe = "COALESCE(k.cost_to_serve, 0)"
        }
        var facts: [String] = []
        if let payments = tables[.payments] {
            ctes.append(paymentsCTE(payments))
            joins.append("LEFT JOIN crmq_facts f ON f.customer_id = \(key)")
            facts = [
                "f.invoices", "f.invoices_on_time", "f.days_late", "f.invoices_unpaid", "f.invoiced", "f.unpaid",
                "f.invoices_recent", "f.days_late_recent", "f.invoices_before", "f.days_late_before",
            ]
        }
        let margin = marginKnown ? "CASE WHEN t.customer_id IS NULL THEN 0 ELSE t.margin END" : "CAST(NULL AS \(double))"
        let bought = "t.first_day IS NOT NULL"
        let own = tables[.customers] == nil ? "c.id" : "c.*"
        let fields = [
            own,
            "a.as_of AS as_of",
            "COALESCE(t.orders, 0) AS orders",
            "COALESCE(t.revenue, 0) AS revenue",
            "\(margin) AS margin",
            "t.first_day AS first_purchase",
            "t.last_day AS last_purchase",
            "CASE WHEN \(bought) THEN t.frequency END AS frequency",
            "CAST(\(e.days(from: "t.first_day", to: "t.last_day")) AS \(double)) / 7 AS recency",
            "CAST(\(e.days(from: "t.first_day", to: "a.as_of")) AS \(double)) / 7 AS age",
            "CASE WHEN \(bought) THEN (CASE WHEN t.frequency > 0 THEN r.spent / t.frequency ELSE 0 END) END AS monetary",
            "\(e.days(from: "t.last_day", to: "a.as_of")) AS days_since",
            "CASE WHEN t.orders > 0 THEN t.revenue / t.orders END AS aov",
            "\(costToServe) AS cost_to_serve",
            "\(margin) - \(costToServe) AS profit",
            "CASE WHEN \(wallet) > 0 THEN COALESCE(t.revenue_52_weeks, 0) / \(wallet) END AS share_of_wallet",
            "COALESCE(t.revenue_52_weeks, 0) AS revenue_52_weeks",
        ] + facts.map { "\($0) AS \($0.dropFirst(2))" }
        return "WITH\n" + ctes.joined(separator: ",\n") + "\nSELECT " + fields.joined(separator: ",\n       ")
            + "\nFROM \(customers) AS c\nCROSS JOIN crmq_as_of a\n" + joins.joined(separator: "\n")
    }

    /// Each customer's payment facts over the invoices due up to as_of, as `Credit.facts`
    /// counts them; an invoice paid after as_of is unpaid on that day.
    private func paymentsCTE(_ payments: TableReference) -> String {
        let e = engine, q = engine.quoted
        let window = Credit.trendWindowDays
        let late = "GREATEST(0, \(e.days(from: "v.due", to: "COALESCE(v.paid, a.as_of)")))"
        return """
            crmq_invoices AS (
              SELECT CAST(x.\(q("customer_id")) AS \(e.text)) AS customer_id, CAST(x.\(q("due")) AS DATE) AS due,
                     CASE WHEN CAST(x.\(q("paid")) AS DATE) <= a.as_of THEN CAST(x.\(q("paid")) AS DATE) END AS paid,
                     CAST(x.\(q("amount")) AS \(e.double)) AS amount
              FROM \(Self.from(payments)) AS x CROSS JOIN crmq_as_of a
              WHERE CAST(x.\(q("due")) AS DATE) <= a.as_of
            ),
            crmq_facts AS (
              SELECT v.customer_id, COUNT(*) AS invoices,
                     SUM(CASE WHEN v.paid IS NULL THEN (CASE WHEN v.due >= a.as_of THEN 1 ELSE 0 END)
                              WHEN v.paid <= v.due THEN 1 ELSE 0 END) AS invoices_on_time,
                     SUM(\(late)) AS days_late,
                     SUM(CASE WHEN v.paid IS NULL THEN 1 ELSE 0 END) AS invoices_unpaid,
                     SUM(v.amount) AS invoiced,
                     SUM(CASE WHEN v.paid IS NULL THEN v.amount ELSE 0 END) AS unpaid,
                     SUM(CASE WHEN v.paid IS NOT NULL AND v.due > \(e.before("a.as_of", days: window)) THEN 1 ELSE 0 END) AS invoices_recent,
                     SUM(CASE WHEN v.paid IS NOT NULL AND v.due > \(e.before("a.as_of", days: window)) THEN \(late) ELSE 0 END) AS days_late_recent,
                     SUM(CASE WHEN v.paid IS NOT NULL AND v.due <= \(e.before("a.as_of", days: window))
                               AND v.due > \(e.before("a.as_of", days: 2 * window)) THEN 1 ELSE 0 END) AS invoices_before,
                     SUM(CASE WHEN v.paid IS NOT NULL AND v.due <= \(e.before("a.as_of", days: window))
                               AND v.due > \(e.before("a.as_of", days: 2 * window)) THEN \(late) ELSE 0 END) AS days_late_before
              FROM crmq_invoices v CROSS JOIN crmq_as_of a
              GROUP BY v.customer_id
            )
            """
    }

    /// A table's rows: its name, or the query in parentheses.
    private static func from(_ reference: TableReference) -> String {
        switch reference {
        case .table(let name): name
        case .query(let text), .summary(let text, _): "(\(text))"
        }
    }

    /// A field's source in `columns (…)`: a column's name (bare or in quotes, `'Customer ID'`) or an expression.
    private func column(_ source: Expr, of table: String? = nil) throws(Diagnostic) -> String {
        if case .string(let name) = source.kind { return (table.map { $0 + "." } ?? "") + engine.quoted(name) }
        return try sql(source, fields: [:], of: table)
    }

    private static func isNull(_ e: Expr) -> Bool { if case .null = e.kind { true } else { false } }

    /// An expression of a row's columns in the engine's SQL; `fields` are the row's fields by
    /// name (`amount` for its column or expression), and a column is of table `table` when
    /// one is named. Aggregates have no place in a row.
    func sql(_ e: Expr, fields: [String: String], of table: String? = nil) throws(Diagnostic) -> String {
        func go(_ e: Expr) throws(Diagnostic) -> String { try sql(e, fields: fields, of: table) }
        switch e.kind {
        case .number(let v, _): return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
        case .string(let s): return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .date(let d): return "DATE '\(CalendarDay.format(d))'"
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .null: return "NULL"
        case .field(let name): return fields[TableReader.normalise(name)].map { "(\($0))" } ?? (table.map { $0 + "." } ?? "") + engine.quoted(name)
        case .negate(let x): return "(-\(try go(x)))"
        case .not(let x): return "(NOT \(try go(x)))"
        case .binary(let op, let l, let r):
            let word = switch op {
            case .and: "AND"
            case .or: "OR"
            case .notEqual: "<>"
            default: op.rawValue
            }
            // A quotient of whole numbers is not cut to a whole number, as in crmq.
            let left = op == .divide ? "CAST(\(try go(l)) AS \(engine.double))" : try go(l)
            return "(\(left) \(word) \(try go(r)))"
        case .inList(let x, let list, let negated):
            var items: [String] = []
            for item in list { items.append(try go(item)) }
            return "(\(try go(x)) \(negated ? "NOT IN" : "IN") (\(items.joined(separator: ", "))))"
        case .between(let x, let low, let high, let negated):
            return "(\(try go(x)) \(negated ? "NOT BETWEEN" : "BETWEEN") \(try go(low)) AND \(try go(high)))"
        case .like(let x, let pattern, let negated):
            return "(\(try go(x)) \(negated ? "NOT LIKE" : "LIKE") \(try go(pattern)))"
        case .isNull(let x, let negated):
            return "(\(try go(x)) IS \(negated ? "NOT " : "")NULL)"
        case .call(let name, _):
            throw Diagnostic("\(name)(…) sums over customers; a summary's columns and where are of one row", at: e.range)
        }
    }
}
