/// What `describe` says of a snapshot beyond its customer fields: where each table came
/// from — the file, its dialect, the columns used, the rows read, left out by `where` and
/// set aside by `as of` — and the columns of one table.
struct SnapshotDescription {
    let snapshot: Snapshot

    /// A row per table the snapshot holds.
    func tables() -> ResultTable {
        var rows: [(table: String, file: String, read: Int, leftOut: Int, setAside: Int, dialect: String, columns: String)] = []
        let own = "crmq's layout: delimiter ',', date 'YYYY-MM-DD'"
        if snapshot.sources.isEmpty {
            func add(_ table: SnapshotTable, _ count: Int?) {
                guard let count else { return }
                let file = "\(table.rawValue).csv"
                let later = snapshot.setAside[file] ?? 0
                rows.append((table.rawValue, file, count + later, 0, later, own, "its own names"))
            }
            add(.customers, snapshot.customers.count)
            add(.transactions, snapshot.transactionFacts.count)
            add(.activities, snapshot.activities?.customer.count)
            add(.payments, snapshot.payments?.customer.count)
            add(.interactions, snapshot.interactions?.customer.count)
        }
        for source in snapshot.sources {
            let file = source.shown
            var columns = source.mapping.isEmpty ? "its own names" : source.mapping
            if let condition = source.condition { columns += "; where \(condition)" }
            rows.append((
                source.timeUnit == nil ? source.table : "summary (\(source.timeUnit!.rawValue))", file, source.rows, source.filtered,
                snapshot.setAside[source.table == "transactions" ? file : "\(source.table).csv"] ?? 0, source.dialect.summary, columns))
        }
        return ResultTable(title: "tables of \(snapshot.name)", columns: [
            ResultColumn("table", .text(TextColumn(rows.map(\.table)))),
            ResultColumn("file", .text(TextColumn(rows.map(\.file)))),
            ResultColumn("rows_read", unit: .count, .number(rows.map { Double($0.read) })),
            ResultColumn("left_out", unit: .count, .number(rows.map { Double($0.leftOut) })),
            ResultColumn("set_aside", unit: .count, .number(rows.map { Double($0.setAside) })),
            ResultColumn("dialect", .text(TextColumn(rows.map(\.dialect)))),
            ResultColumn("columns", .text(TextColumn(rows.map(\.columns)))),
        ], notes: ["left_out: rows a load's where did not keep; set_aside: rows dated after as_of (the holdout)"])
    }

    /// The columns of a table other than customers, over the rows of the given customers, as
    /// fields: name, type and data. Nil when the snapshot has no such table.
    func columns(of table: SnapshotTable, customers chosen: [Int]) -> (fields: [(Field, ColumnData)], rows: [Int])? {
        let ids = snapshot.customers.ids
        func who(_ customer: [Int32]) -> ColumnData { .text(TextColumn(codes: customer.map { ids.codes[Int($0)] }, values: ids.values)) }
        func rows(_ customer: [Int32]) -> [Int] {
            guard chosen.count < snapshot.customers.count else { return Array(customer.indices) }
            var keep = [Bool](repeating: false, count: snapshot.customers.count)
            for c in chosen { keep[c] = true }
            return customer.indices.filter { keep[Int(customer[$0])] }
        }
        func field(_ name: String, _ type: ValueType, _ data: ColumnData) -> (Field, ColumnData) { (Field(name, type, ""), data) }
        switch table {
        case .customers:
            return nil
        case .transactions:
            let t = snapshot.transactions
            guard !snapshot.isSummary else { return nil }
            var out = [field("customer_id", .text, who(t.customer)), field("date", .date, .date(t.day)), field("amount", .number, .number(t.amount))]
            if t.marginKnown { out.append(field("margin", .number, .number(t.margin))) }
            if let q = t.quantity { out.append(field("quantity", .number, .number(q))) }
            if let p = t.product { out.append(field("product", .text, .text(p))) }
            return (out, rows(t.customer))
        case .activities:
            guard let a = snapshot.activities else { return nil }
            return ([field("customer_id", .text, who(a.customer)), field("date", .date, .date(a.day)), field("activity", .text, .text(a.activity)),
                     field("quantity", .number, .number(a.quantity)), field("unit_cost", .number, .number(a.unitCost))], rows(a.customer))
        case .activityRates:
            // The rates the activities were costed at: one row an activity (whichever customers are chosen).
            guard let a = snapshot.activities else { return nil }
            var cost = [Double](repeating: .nan, count: a.activity.values.count)
            for (i, code) in a.activity.codes.enumerated() where code >= 0 && cost[Int(code)].isNaN { cost[Int(code)] = a.unitCost[i] }
            let names = TextColumn(codes: (0..<Int32(cost.count)).map { $0 }, values: a.activity.values)
            return ([field("activity", .text, .text(names)), field("unit_cost", .number, .number(cost))], Array(cost.indices))
        case .payments:
            guard let p = snapshot.payments else { return nil }
            return ([field("customer_id", .text, who(p.customer)), field("due", .date, .date(p.due)), field("paid", .date, .date(p.paid)),
                     field("amount", .number, .number(p.amount))], rows(p.customer))
        case .interactions:
            guard let i = snapshot.interactions else { return nil }
            return ([field("customer_id", .text, who(i.customer)), field("date", .date, .date(i.day)), field("channel", .text, .text(i.channel)),
                     field("kind", .text, .text(i.kind)), field("note", .text, .text(i.note))], rows(i.customer))
        }
    }
}
