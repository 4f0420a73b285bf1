/// `profile X`: the 360° view of one customer (Buttle's customer intimacy): who they are,
/// what they bring, and their latest transactions, costs, contacts and payments.
struct CustomerProfile {
    let scope: CustomerScope
    let customer: Name

    static let recentRows = 10

    func result() throws(Diagnostic) -> StatementResult {
        let row = try scope.customer(customer)
        let snapshot = scope.snapshot
        let title: Prose = "\(snapshot.customers.label(row)) (\(snapshot.customers.ids[row] ?? ""))"
        var blocks: [ResultBlock] = [.table(figures(row, title: title))]
        if let t = transactions(row) { blocks.append(.table(t)) }
        if let t = activities(row) { blocks.append(.table(t)) }
        if let t = interactions(row) { blocks.append(.table(t)) }
        if let t = payments(row) { blocks.append(.table(t)) }
        return StatementResult(blocks)
    }

    private func figures(_ row: Int, title: Prose) -> ResultTable {
        let customers = scope.snapshot.customers
        let columns = customers.fields.compactMap { field in
            customers.column(field.name).map { ResultColumn(field.name, unit: field.unit, $0.gather([Int32(row)])) }
        }
        return ResultTable(title: title, columns: columns, isRecord: true)
    }

    /// The latest rows of a customer, newest first.
    private func latest(_ rows: [Int], day: [Int32]) -> (shown: [Int32], total: Int) {
        let sorted = rows.sorted { day[$0] != day[$1] ? day[$0] > day[$1] : $0 > $1 }
        return (sorted.prefix(Self.recentRows).map(Int32.init), rows.count)
    }

    private func note(_ shown: Int, _ total: Int, _ what: String) -> [Prose] {
        shown < total ? ["the latest \(shown) of \(count: total) \(what)"] : []
    }

    private func transactions(_ row: Int) -> ResultTable? {
        let t = scope.snapshot.transactions
        let range = t.rows(of: row)
        guard !range.isEmpty else { return nil }
        let (rows, total) = latest(Array(range), day: t.day)
        var columns = [
            ResultColumn("date", .date(t.day).gather(rows)),
            ResultColumn("amount", unit: .money, .number(t.amount).gather(rows)),
        ]
        if t.marginKnown { columns.append(ResultColumn("margin", unit: .money, .number(t.margin).gather(rows))) }
        if let q = t.quantity { columns.append(ResultColumn("quantity", unit: .count, .number(q).gather(rows))) }
        if let p = t.product { columns.append(ResultColumn("product", .text(p).gather(rows))) }
        return ResultTable(title: "transactions", columns: columns, notes: note(rows.count, total, "transactions"))
    }

    private func activities(_ row: Int) -> ResultTable? {
        guard let a = scope.snapshot.activities else { return nil }
        var quantity: [String: Double] = [:]
        var cost: [String: Double] = [:]
        var unitCost: [String: Double] = [:]
        for i in a.customer.indices where Int(a.customer[i]) == row {
            let name = a.activity[i] ?? ""
            quantity[name, default: 0] += a.quantity[i]
            cost[name, default: 0] += a.quantity[i] * a.unitCost[i]
            unitCost[name] = a.unitCost[i]
        }
        guard !cost.isEmpty else { return nil }
        let names = cost.keys.sorted { cost[$0]! != cost[$1]! ? cost[$0]! > cost[$1]! : $0 < $1 }
        return ResultTable(title: "cost to serve", columns: [
            ResultColumn("activity", .text(TextColumn(names))),
            ResultColumn("quantity", unit: .count, .number(names.map { quantity[$0]! })),
            ResultColumn("unit_cost", unit: .money, .number(names.map { unitCost[$0]! })),
            ResultColumn("cost", unit: .money, .number(names.map { cost[$0]! })),
        ])
    }

    private func interactions(_ row: Int) -> ResultTable? {
        guard let t = scope.snapshot.interactions else { return nil }
        let mine = t.customer.indices.filter { Int(t.customer[$0]) == row }
        guard !mine.isEmpty else { return nil }
        let (rows, total) = latest(mine, day: t.day)
        return ResultTable(title: "interactions", columns: [
            ResultColumn("date", .date(t.day).gather(rows)),
            ResultColumn("channel", .text(t.channel).gather(rows)),
            ResultColumn("kind", .text(t.kind).gather(rows)),
            ResultColumn("note", .text(t.note).gather(rows)),
        ], notes: note(rows.count, total, "interactions"))
    }

    private func payments(_ row: Int) -> ResultTable? {
        guard let p = scope.snapshot.payments else { return nil }
        let mine = p.customer.indices.filter { Int(p.customer[$0]) == row }
        guard !mine.isEmpty else { return nil }
        let (rows, total) = latest(mine, day: p.due)
        let asOf = scope.snapshot.info.asOf
        let late = rows.map { r -> Double in
            let paid = p.paid[Int(r)]
            return Double((paid == CalendarDay.null ? asOf : paid) - p.due[Int(r)])
        }
        return ResultTable(title: "payments", columns: [
            ResultColumn("due", .date(p.due).gather(rows)),
            ResultColumn("paid", .date(p.paid).gather(rows)),
            ResultColumn("amount", unit: .money, .number(p.amount).gather(rows)),
            ResultColumn("days_late", unit: .days, .number(late.map { max(0, $0) })),
        ], notes: note(rows.count, total, "payments") + ["days_late of an unpaid invoice is counted to as_of"])
    }
}
