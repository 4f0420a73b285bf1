/// `forecast`: the distribution of a customer's purchases over the next weeks
/// (`PurchaseForecast`), each count's chance and the running total, ending in a row for
/// every count beyond the last shown.
struct Forecast {
    let scope: CustomerScope

    func result(customer: Name?, span: (count: Double, unit: ModelTime)?, given: [(name: Name, value: String)] = []) throws(Diagnostic) -> StatementResult {
        let name = scope.settings.model(for: scope.snapshot)
        // Weeks, or on a summary of opportunities so many of them (the horizon's unless told).
        let opportunities = scope.snapshot.countsPeriods
        if let span, (span.unit == .periods) != opportunities {
            throw Diagnostic(opportunities
                ? "\(scope.snapshot.name) counts opportunities, not weeks: forecast … opportunities N"
                : "\(scope.snapshot.name) counts time in weeks; opportunities are for a summary of them (BG/BB): forecast … weeks N")
        }
        let weeks = span?.count ?? (opportunities ? Double(scope.settings.lifetimeValue(for: scope.snapshot).horizonMonths) : 52)
        let unit = opportunities ? "opportunities" : "weeks"
        guard let type = name.purchaseModel else {
            throw Diagnostic("forecast counts purchases with a purchase model, and the model in use is \(name.rawValue)", hint: "set model = bgnbd")
        }
        let fitted: any PurchaseModel
        if let customer, !scope.settings.covariates.isEmpty {
            fitted = try scope.models.customerModel(try scope.customer(customer), type, scope.snapshot, scope.settings)
        } else if customer == nil, !scope.settings.covariates.isEmpty {
            fitted = try newCustomerModel(given)
        } else {
            if let extra = given.first { throw Diagnostic("covariates are given, and none are set: set covariates = \(given.map(\.name.text).joined(separator: ", "))", at: extra.name.range) }
            fitted = try scope.models.purchase(type, scope.snapshot).0
        }
        guard let model = fitted as? any PurchaseForecast else {
            throw Diagnostic("\(type.title) has no forecast of purchase counts")
        }
        let title: Prose
        let customers = scope.snapshot.customers
        var history: (x: Double, tx: Double, T: Double)?
        var notes: [Prose] = []
        if let customer {
            let row = try scope.customer(customer)
            let (x, tx, T) = (customers.numbers(CustomerFields.frequency)[row], customers.numbers(CustomerFields.recency)[row],
                              customers.numbers(CustomerFields.age)[row])
            guard !x.isNaN else { throw Diagnostic("\(customers.label(row)) made no purchase up to as_of: the models start from a first purchase") }
            history = (x, tx, T)
            title = "purchases of \(customers.label(row)) (\(customers.ids[row] ?? "")) in the next \(weeks, .count) \(unit)"
            notes.append("P(alive) \(model.pAlive(x: x, tx: tx, T: T), .ratio): a customer who is gone buys nothing, so 0 carries 1 − P(alive) besides")
        } else {
            title = "purchases of a customer acquired today in the next \(weeks, .count) \(unit)" + (opportunities ? "" : " (after the first)")
        }
        // Enough counts that what is left beyond them is below one in a thousand (at least ten).
        var count = 10, p: [Double] = []
        repeat {
            p = history.map { model.conditional(weeks: weeks, x: $0.x, tx: $0.tx, T: $0.T, count: count) }
                ?? model.newCustomer(weeks: weeks, count: count)
            count *= 2
        } while p.reduce(0, +) < 0.999 && count <= 1024
        // Shown up to where the chances fall below one in ten thousand, then one row for the rest.
        let shown = max(1, min(p.count, (p.lastIndex { $0 >= 1e-4 } ?? 0) + 1))
        let rest = max(0, 1 - p.prefix(shown).reduce(0, +))
        var cumulative = 0.0
        let chances = Array(p.prefix(shown)) + [rest]
        let table = ResultTable(title: title, columns: [
            ResultColumn("purchases", .text(TextColumn((0..<shown).map(String.init) + ["\(shown) or more"]))),
            ResultColumn("probability", unit: .ratio, .number(chances)),
            ResultColumn("cumulative", unit: .ratio, .number(chances.map { cumulative += $0; return min(1, cumulative) })),
        ], notes: notes)
        // The mean: for a customer the model's own expectation (the distribution's mean, as
        // the tests hold); for a new one the distribution's.
        let expected = history.map { model.expectedPurchases(in: weeks, x: $0.x, tx: $0.tx, T: $0.T) }
            ?? zip(p.indices, p).reduce(0.0) { $0 + Double($1.0) * $1.1 }
        let summary = ResultTable(columns: [
            ResultColumn("model", .text(TextColumn([type.title]))),
            ResultColumn(unit, unit: opportunities ? .count : .weeks, .number([weeks])),
            ResultColumn("expected_purchases", unit: .plain, .number([expected])),
        ], isRecord: true)
        return StatementResult([.table(table), .table(summary)])
    }

    /// The model in use at a new customer's covariates, each as `set covariates` names them:
    /// a number (true/false as 1/0), or for a two-valued text the value itself.
    private func newCustomerModel(_ given: [(name: Name, value: String)]) throws(Diagnostic) -> any PurchaseModel {
        let (design, _, _, _) = try scope.models.patternModels(scope.snapshot, scope.settings)
        let covariates = scope.settings.covariates.map { $0.lowercased() }
        guard !given.isEmpty else {
            throw Diagnostic("a new customer's covariates are not known: forecast new customer with "
                + covariates.map { "\($0) = …" }.joined(separator: ", "))
        }
        var z: [Double] = []
        for (k, covariate) in covariates.enumerated() {
            guard let value = given.first(where: { $0.name.text.lowercased() == covariate })?.value else {
                throw Diagnostic("the new customer's \(covariate) is not given", hint: "forecast new customer with " + covariates.map { "\($0) = …" }.joined(separator: ", "))
            }
            let coded = design.names[k]  // `gender`, or `channel=online` for a text
            if let equals = coded.firstIndex(of: "=") {
                z.append(value.lowercased() == coded[coded.index(after: equals)...].lowercased() ? 1 : 0)
            } else if let number = Double(value) {
                z.append(number)
            } else if ["true", "false"].contains(value.lowercased()) {
                z.append(value.lowercased() == "true" ? 1 : 0)
            } else {
                throw Diagnostic("\(covariate) is a number; `\(value)` is not", at: given.first { $0.name.text.lowercased() == covariate }!.name.range)
            }
        }
        if let extra = given.first(where: { !covariates.contains($0.name.text.lowercased()) }) {
            throw Diagnostic("\(extra.name.text) is not one of the covariates set (\(covariates.joined(separator: ", ")))", at: extra.name.range)
        }
        return try scope.models.covariateModel(at: z, scope.snapshot, scope.settings)
    }
}
