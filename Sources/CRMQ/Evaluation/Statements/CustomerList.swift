/// `customers [in S] [where …] [order by …] [limit N] [show …]`: a list of customers.
struct CustomerList {
    let scope: CustomerScope
    let query: CustomerQuery

    /// What a list shows when the query names no columns.
    static let defaultFields = ["id", "name", "segment", "orders", "revenue", "profit", "last_purchase"]

    func table() throws(Diagnostic) -> ResultTable {
        var rows = try scope.rows(query.filter)
        let total = rows.count
        if !query.order.isEmpty { rows = try ordered(rows) }
        if let limit = query.limit, limit < rows.count { rows = Array(rows.prefix(limit)) }
        var columns: [ResultColumn] = []
        if query.show.isEmpty {
            let customers = scope.snapshot.customers
            for name in Self.defaultFields {
                guard let field = customers.field(name), let data = customers.column(name) else { continue }
                if name == "profit", !scope.snapshot.transactions.marginKnown { continue }
                columns.append(ResultColumn(name, unit: field.unit, data.gather(rows)))
            }
        } else {
            for item in query.show {
                let (typed, vector) = try scope.evaluate(item.expr)
                columns.append(ResultColumn(
                    item.alias?.text ?? "\(item.expr)", unit: typed.unit, vector.column(scope.count).gather(rows)))
            }
        }
        var notes: [String] = []
        if rows.count < total { notes.append("\(NumberText.grouped(rows.count)) of \(NumberText.grouped(total)) customers") }
        return ResultTable(columns: columns, notes: notes)
    }

    /// Sorted by the order keys; nulls last whichever the direction, ties in file order.
    private func ordered(_ rows: [Int32]) throws(Diagnostic) -> [Int32] {
        var keys: [(ColumnData, Bool)] = []
        for item in query.order {
            let (_, vector) = try scope.evaluate(item.expr)
            keys.append((vector.column(scope.count), item.descending))
        }
        return rows.sorted { a, b in
            for (column, descending) in keys {
                let aNull = column.isNull(Int(a))
                let bNull = column.isNull(Int(b))
                if aNull != bNull { return bNull }
                if aNull { continue }
                let order = Self.compare(column, Int(a), Int(b))
                if order != 0 { return descending ? order > 0 : order < 0 }
            }
            return a < b
        }
    }

    /// -1, 0 or 1 for two rows that are both not null.
    static func compare(_ column: ColumnData, _ a: Int, _ b: Int) -> Int {
        switch column {
        case .number(let v): return v[a] < v[b] ? -1 : v[a] > v[b] ? 1 : 0
        case .date(let v): return v[a] < v[b] ? -1 : v[a] > v[b] ? 1 : 0
        case .bool(let v): return v[a] < v[b] ? -1 : v[a] > v[b] ? 1 : 0
        case .text(let t):
            let (x, y) = (t.values[Int(t.codes[a])], t.values[Int(t.codes[b])])
            return x < y ? -1 : x > y ? 1 : 0
        }
    }
}
