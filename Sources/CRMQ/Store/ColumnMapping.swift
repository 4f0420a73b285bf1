/// Which column of a user's file holds each field crmq reads: named by `columns (…)`, else
/// recognised from the names common exports and public data sets use.
struct ColumnMapping: Sendable, Equatable {
    /// A field crmq reads and the file's column it comes from (normalised, as the header
    /// reads), in the order of the fields.
    var pairs: [(field: String, column: String)]

    static func == (a: ColumnMapping, b: ColumnMapping) -> Bool {
        a.pairs.map(\.field) == b.pairs.map(\.field) && a.pairs.map(\.column) == b.pairs.map(\.column)
    }

    /// The file's column for a field, if any.
    func column(for field: String) -> String? { pairs.first { $0.field == field }?.column }

    /// `customer_id ← Id, date ← Date, amount ← Price`, with the header's own spelling
    /// (`written`, beside the normalised `header`); the fields written as crmq writes them
    /// are left out.
    func summary(header: [String], written: [String]) -> String {
        let spelled = Dictionary(zip(header, written), uniquingKeysWith: { a, _ in a })
        return pairs.map { ($0.field, spelled[$0.column] ?? $0.column) }.filter { $0.0 != $0.1 }.map { "\($0.0) ← \($0.1)" }
            .joined(separator: ", ")
    }

    /// The file's columns read as a field of another name: what a reader renames.
    var renames: [String: String] {
        Dictionary(pairs.filter { $0.field != $0.column }.map { ($0.column, $0.field) }, uniquingKeysWith: { a, _ in a })
    }

    /// A field crmq reads from a file, and the names it is known by in other tools' exports
    /// (normalised: `CustomerID` is `customerid`, `Customer ID` is `customer_id`), best first.
    struct Role {
        var field: String
        var names: [String]
        /// Names taken only when no other name of the field is in the file (`Id`).
        var lastResort: [String] = []
        var required: Bool
    }

    static let transactionRoles = [
        Role(field: "customer_id", names: ["customer_id", "customerid", "customer", "client_id", "user_id", "account_id"],
             lastResort: ["id"], required: true),
        Role(field: "date", names: ["date", "invoicedate", "invoice_date", "order_date", "created_at", "created_timestamp", "processed_at"],
             required: true),
        Role(field: "amount", names: ["amount", "price", "total", "total_price", "sales", "revenue", "value"], required: true),
        Role(field: "margin", names: ["margin"], required: false),
        Role(field: "quantity", names: ["quantity"], required: false),
        Role(field: "product", names: ["product"], required: false),
    ]

    /// A customers table's id, by the names a customer's column has in exports.
    static let customerIdRole = Role(
        field: "id", names: ["id", "customer_id", "customerid", "customer", "client_id", "user_id", "account_id"], required: true)

    /// A summary's columns: the names of `lifetimes` (frequency, recency, T, monetary_value),
    /// of CLVTools and BTYD (x, t.x, T.cal, m.x, zbar) and a weight that makes a row stand
    /// for that many customers (`lifetimes`' donations.csv).
    static let summaryRoles = [
        Role(field: "id", names: ["id", "customer_id", "customerid", "customer", "cust"], required: false),
        Role(field: "frequency", names: ["frequency", "x", "frequency_cal"], required: true),
        Role(field: "recency", names: ["recency", "t_x", "recency_cal"], required: true),
        Role(field: "age", names: ["t", "age", "t_cal", "periods", "n_periods"], required: true),
        Role(field: "monetary", names: ["monetary_value", "monetary", "m_x", "zbar", "monetary_value_cal"], required: false),
        Role(field: "weights", names: ["weights", "weight", "count", "n_custs", "custs"], required: false),
    ]

    /// A summary field as `columns (…)` may name it: `T`, `age`, `monetary_value`, `weight`.
    static func summaryField(_ written: String) -> String {
        let field = TableReader.normalise(written)
        return ["t": "age", "monetary_value": "monetary", "weight": "weights", "customer_id": "id"][field] ?? field
    }

    /// Whether a header is a summary's: it has a frequency, a recency and an age (T) column,
    /// and no date column a transactions file would have.
    static func isSummary(_ header: [String], given: [(field: String, column: String)]) -> Bool {
        let fields = Set(given.map { summaryField($0.field) })
        if !fields.isDisjoint(with: ["frequency", "recency", "age", "monetary", "weights"]) { return true }
        if !fields.isDisjoint(with: ["date", "amount"]) { return false }
        let has = { (field: String) in summaryRoles.first { $0.field == field }!.names.contains(where: header.contains) }
        return has("frequency") && has("recency") && has("age")
    }

    /// The mapping for a file with this header: the user's pairs first, checked, then each
    /// other field by the names it is known by, except the fields computed by expressions. An unknown field or column, a missing
    /// required field or two candidates for one field is an error that says what to write.
    static func resolve(
        header: [String], written: [String], given: [(field: String, column: String)], computed: Set<String> = [], roles: [Role],
        file: String
    ) throws(DataError) -> ColumnMapping {
        var pairs: [(field: String, column: String)] = []
        let fields = roles.map(\.field)
        for (field, column) in given {
            let f = TableReader.normalise(field), c = TableReader.normalise(column)
            guard fields.contains(f) else {
                throw DataError(
                    file: file, message: "columns (…) names `\(field)`, which crmq does not read here; the fields are "
                        + fields.joined(separator: ", ") + (Suggestion.hint(for: f, in: fields).map { " (\($0))" } ?? ""))
            }
            guard header.contains(c) else {
                throw DataError(
                    file: file, line: 1, message: "columns (…) maps \(f) to `\(column)`, and the header has no such column; it has "
                        + written.joined(separator: ", ") + (Suggestion.hint(for: c, in: header).map { " (\($0))" } ?? ""))
            }
            pairs.append((f, c))
        }
        let taken = Set(pairs.map(\.column))
        for role in roles where !pairs.contains(where: { $0.field == role.field }) && !computed.contains(role.field) {
            var found = role.names.filter { header.contains($0) && !taken.contains($0) }
            if found.isEmpty { found = role.lastResort.filter { header.contains($0) && !taken.contains($0) } }
            if found.count > 1 {
                let shown = found.map { written[header.firstIndex(of: $0)!] }
                throw DataError(
                    file: file, line: 1,
                    message: "which column is \(role.field)? the header has \(shown.map { "`\($0)`" }.joined(separator: " and ")); "
                        + "say which: load … columns (\(role.field) = \(shown[0]))")
            }
            if let column = found.first {
                pairs.append((role.field, column))
            } else if role.required {
                let known = (role.names + role.lastResort).joined(separator: ", ")
                throw DataError(
                    file: file, line: 1,
                    message: "no column for \(role.field): none of the header's \(written.joined(separator: ", ")) is a name it is known by "
                        + "(\(known)); name it: load … columns (\(role.field) = COLUMN)")
            }
        }
        let order = Dictionary(uniqueKeysWithValues: fields.enumerated().map { ($1, $0) })
        return ColumnMapping(pairs: pairs.sorted { order[$0.field]! < order[$1.field]! })
    }
}
