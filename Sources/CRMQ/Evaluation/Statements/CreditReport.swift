/// `credit [in S] [where …]`: customers by grade and the weakest payers; `credit for X`: one
/// customer's score, the payment facts behind it, the trend and the invoices.
struct CreditReport {
    let scope: CustomerScope

    func result(for customer: Name?, _ filter: CustomerFilter) throws(Diagnostic) -> StatementResult {
        let facts = try scope.analytics.credit(scope.snapshot)
        if let customer { return try one(scope.customer(customer), facts) }
        let rows = try scope.rows(filter).map(Int.init).filter { facts[$0].invoices > 0 }
        guard !rows.isEmpty else { throw Diagnostic("no customer here has an invoice due by \(CalendarDay.format(scope.snapshot.info.asOf))") }
        let grades = Credit.grades.map(\.grade)
        var customers = [Double](repeating: 0, count: grades.count), invoiced = customers, unpaid = customers, late = customers
        var invoices = customers
        for c in rows {
            let k = Credit.gradeIndex(facts[c].score)!
            customers[k] += 1
            invoiced[k] += facts[c].invoiced
            unpaid[k] += facts[c].unpaid
            late[k] += Double(facts[c].daysLateSum)
            invoices[k] += Double(facts[c].invoices)
        }
        let byGrade = ResultTable(title: "credit grades", columns: [
            ResultColumn("grade", .text(TextColumn(grades))),
            ResultColumn("from_score", unit: .score, .number(Credit.grades.map(\.from))),
            ResultColumn("customers", unit: .count, .number(customers)),
            ResultColumn("customer_share", unit: .ratio, .number(customers.map { $0 / Double(rows.count) })),
            ResultColumn("invoiced", unit: .money, .number(invoiced)),
            ResultColumn("unpaid", unit: .money, .number(unpaid)),
            ResultColumn("mean_days_late", unit: .days, .number(zip(late, invoices).map { $1 > 0 ? $0 / $1 : .nan })),
        ], notes: ["\(count: rows.count, "customer") with invoices due by \(CalendarDay.format(scope.snapshot.info.asOf)); `explain credit` gives the rule"])
        return StatementResult([.table(byGrade), .table(list(weakest(rows, facts, count: 10), facts, title: "the weakest payers"))])
    }

    /// The `count` lowest scores, lowest first, ties by id: one pass that keeps a short list.
    private func weakest(_ rows: [Int], _ facts: [Credit.Facts], count: Int) -> [Int] {
        let ids = scope.snapshot.customers.ids
        func before(_ a: Int, _ b: Int) -> Bool {
            let (x, y) = (facts[a].score, facts[b].score)
            return x < y || (x == y && (ids[a] ?? "") < (ids[b] ?? ""))
        }
        var kept: [Int] = []
        for c in rows where kept.count < count || before(c, kept[kept.count - 1]) {
            let at = kept.firstIndex { before(c, $0) } ?? kept.count
            kept.insert(c, at: at)
            if kept.count > count { kept.removeLast() }
        }
        return kept
    }

    private func list(_ rows: [Int], _ facts: [Credit.Facts], title: Prose) -> ResultTable {
        let customers = scope.snapshot.customers
        return ResultTable(title: title, columns: [
            ResultColumn("id", .text(TextColumn(rows.map { customers.ids[$0] }))),
            ResultColumn("name", .text(TextColumn(rows.map { customers.label($0) }))),
            ResultColumn("credit_score", unit: .score, .number(rows.map { facts[$0].score })),
            ResultColumn("grade", .text(TextColumn(rows.map { Credit.grade(facts[$0].score) }))),
            ResultColumn("on_time", unit: .ratio, .number(rows.map { facts[$0].onTimeShare })),
            ResultColumn("mean_days_late", unit: .days, .number(rows.map { facts[$0].meanDaysLate })),
            ResultColumn("unpaid", unit: .money, .number(rows.map { facts[$0].unpaid })),
            ResultColumn("trend", .text(TextColumn(rows.map { facts[$0].trendWord }))),
        ])
    }

    private func one(_ c: Int, _ all: [Credit.Facts]) throws(Diagnostic) -> StatementResult {
        let f = all[c]
        let customers = scope.snapshot.customers
        guard f.invoices > 0 else {
            throw Diagnostic("\(customers.label(c)) has no invoice due by \(CalendarDay.format(scope.snapshot.info.asOf)), so no credit score")
        }
        let record = ResultTable(title: "credit of \(customers.label(c)) (\(customers.ids[c] ?? ""))", columns: [
            ResultColumn("credit_score", unit: .score, .number([f.score])),
            ResultColumn("credit_grade", .text(TextColumn([Credit.grade(f.score)]))),
            ResultColumn("invoices", unit: .count, .number([Double(f.invoices)])),
            ResultColumn("invoiced", unit: .money, .number([f.invoiced])),
            ResultColumn("on_time_share", unit: .ratio, .number([f.onTimeShare])),
            ResultColumn("mean_days_late", unit: .days, .number([f.meanDaysLate])),
            ResultColumn("unpaid_invoices", unit: .count, .number([Double(f.unpaidInvoices)])),
            ResultColumn("unpaid", unit: .money, .number([f.unpaid])),
            ResultColumn("paid_days_late_last_26_weeks", unit: .days, .number([f.recentDaysLate])),
            ResultColumn("paid_days_late_26_weeks_before", unit: .days, .number([f.beforeDaysLate])),
            ResultColumn("trend", .text(TextColumn([f.trendWord]))),
            ResultColumn("trend_adjustment", unit: .plain, .number([-f.trendPoints])),
        ], isRecord: true)
        // The invoices, the latest twelve, oldest first.
        let payments = scope.snapshot.payments!
        let mine = payments.customer.indices.filter { Int(payments.customer[$0]) == c }
            .sorted { payments.due[$0] < payments.due[$1] }.suffix(12)
        let asOf = scope.snapshot.info.asOf
        let invoices = ResultTable(title: "the latest invoices", columns: [
            ResultColumn("due", .date(mine.map { payments.due[$0] })),
            ResultColumn("paid", .date(mine.map { payments.paid[$0] })),
            ResultColumn("amount", unit: .money, .number(mine.map { payments.amount[$0] })),
            ResultColumn("days_late", unit: .days, .number(mine.map { Double(Credit.daysLate(due: payments.due[$0], paid: payments.paid[$0], asOf: asOf)) })),
        ], notes: mine.contains { payments.paid[$0] == CalendarDay.null } ? ["an empty paid date: unpaid on \(CalendarDay.format(asOf)), late counted to that day"] : [])
        return StatementResult([.table(record), .table(invoices)])
    }
}
