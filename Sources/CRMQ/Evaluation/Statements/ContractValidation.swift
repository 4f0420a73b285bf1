/// `validate sbg [period month|year] [in S] [where …] [holdout DATE]`: sBG fitted on the
/// contracts as they stood at as_of, against what became of the running ones after it, as
/// Fader & Hardie (2007) project years 8–12 from a fit on years 0–7.
///
/// A contract running at as_of that had renewed n times comes to its t-th renewal (t > n) at
/// start + t periods; it renews there with probability S(t)/S(n), and it did when it has no
/// contract_end yet or one after that day. Each renewal number's contracts whose renewal falls
/// in the holdout — after as_of, through the last day the data shows (a later payment or a
/// contract_end), or `holdout DATE` — are compared: renewed seen against Σ S(t)/S(n).
struct ContractValidation {
    let scope: CustomerScope

    func result(period: ContractPeriod?, filter: CustomerFilter, holdoutEnd: Int32?) throws(Diagnostic) -> StatementResult {
        let snapshot = scope.snapshot
        let contracts = filter == CustomerFilter()
            ? try scope.models.contracts(snapshot, scope.settings, period: period)
            : try scope.models.contracts(snapshot, scope.settings, period: period, keeping: Set(try scope.rows(filter).map(Int.init)))
        let customers = snapshot.customers, asOf = snapshot.info.asOf
        let start = customers.dates(Field(ContractTenures.startField, .date, "")) ?? []
        let end = customers.dates(Field(ContractTenures.endField, .date, "")) ?? []
        // The last day the data shows after as_of: a later payment, or a contract ending.
        let shown = max(snapshot.transactions.later.day.max() ?? CalendarDay.null, end.filter { $0 != CalendarDay.null }.max() ?? CalendarDay.null)
        guard shown != CalendarDay.null, shown > asOf else {
            throw Diagnostic(
                "validate sbg needs what became of the contracts after as_of — a contract_end after it, or later payments — and \(snapshot.name) shows nothing after \(CalendarDay.format(asOf))",
                hint: "load it as of an earlier day")
        }
        let last = try Validation.holdoutEnd(holdoutEnd, asOf: asOf, shown: shown, as: "the last day the data shows after as_of", statement: "validate sbg")
        let model = contracts.model, days = contracts.period.days
        var due: [Int: (contracts: Int, renewed: Int, predicted: Double)] = [:]
        for c in contracts.tenures.periods.indices where contracts.tenures.periods[c] >= 0 && !contracts.tenures.ended[c] {
            let n = contracts.tenures.periods[c], kept = model.survival(n)
            var t = n + 1
            while case let renewal = start[c] &+ Int32((Double(t) * days).rounded(.down)), renewal <= last {
                if renewal > asOf {
                    let renewed = end[c] == CalendarDay.null || end[c] > renewal
                    let row = due[t] ?? (0, 0, 0)
                    due[t] = (row.contracts + 1, row.renewed + (renewed ? 1 : 0), row.predicted + model.survival(t) / kept)
                }
                t += 1
            }
        }
        guard !due.isEmpty else { throw Diagnostic("no running contract comes to a renewal between as_of and \(CalendarDay.format(last))") }
        let renewals = due.keys.sorted()
        let rows = renewals.map { due[$0]! }
        let table = ResultTable(
            title: "sBG against the holdout: renewals after \(CalendarDay.format(asOf)) through \(CalendarDay.format(last)) (a \(contracts.period.rawValue) a period)",
            columns: [
                ResultColumn("renewal", unit: .count, .number(renewals.map(Double.init))),
                ResultColumn("contracts", unit: .count, .number(rows.map { Double($0.contracts) })),
                ResultColumn("renewed", unit: .count, .number(rows.map { Double($0.renewed) })),
                ResultColumn("renewed_predicted", unit: .estimate, .number(rows.map(\.predicted))),
                ResultColumn("survival_seen", unit: .ratio, .number(rows.map { Double($0.renewed) / Double($0.contracts) })),
                ResultColumn("survival_predicted", unit: .ratio, .number(rows.map { $0.predicted / Double($0.contracts) })),
            ],
            notes: [
                "contracts: those running at as_of whose renewal t falls in the holdout; renewed_predicted: Σ S(t)/S(n), n the renewals each had made by as_of",
                "the fit: α \(model.alpha, decimals: 4), β \(model.beta, decimals: 4) on the contracts as they stood at as_of",
            ])
        let seen = rows.reduce(0) { $0 + $1.renewed }, predicted = rows.reduce(0.0) { $0 + $1.predicted }
        let error = rows.reduce(0.0) { $0 + abs($1.predicted - Double($1.renewed)) } / Double(rows.count)
        let summary: Prose = "renewals in the holdout: \(count: seen) seen, \(predicted, .estimate) predicted (\(100 * (predicted - Double(seen)) / Double(max(seen, 1)), decimals: 1)%); "
            + "mean absolute error per renewal \(error, decimals: 1)"
        return StatementResult([.table(table), .message(summary)])
    }
}
