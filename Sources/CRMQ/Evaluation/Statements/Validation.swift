#if canImport(Glibc)
import Glibc
#endif

/// `validate`: the model fitted on the data up to as_of against the transactions set aside
/// after it (Fader, Hardie & Lee 2005, figures 2 and 4): repeat purchase days predicted and
/// seen, in total, by calibration frequency, and week by week.
struct Validation {
    let scope: CustomerScope

    func result(model: ModelName?, holdoutEnd: Int32?) throws(Diagnostic) -> StatementResult {
        // The model named, else the one in use when it is a purchase model, else BG/NBD; with
        // covariates set, the model in use at each customer's own (another model named is refused).
        let covariates = scope.settings.covariates
        if !covariates.isEmpty, let model, model != scope.settings.model(for: scope.snapshot) {
            try ModelStore.refuseCovariates(scope.settings, "validate \(model.rawValue), another model than the one in use,")
        }
        let type = model?.purchaseModel ?? scope.settings.model?.purchaseModel ?? BGNBD.self
        let snapshot = scope.snapshot
        let later = snapshot.transactions.later
        let asOf = snapshot.info.asOf
        guard let lastDay = later.day.max() else {
            throw Diagnostic(
                "validate needs transactions after as_of to compare with, and this snapshot has none",
                hint: "load it as of an earlier day: load \"\(snapshot.directory)\" as of \(CalendarDay.format(CalendarDay.shift(asOf, by: -182)))")
        }
        // The work is a week at a time: past the data there is nothing to compare, only weeks to count.
        let end = try Self.holdoutEnd(holdoutEnd, asOf: asOf, shown: lastDay, as: "the last day with a transaction after as_of", statement: "validate")
        try WorkMemory.validation.check(customers: snapshot.customers.count)
        // With covariates, each pattern's customers by their own model, rows one pattern after another.
        let patterns = covariates.isEmpty ? nil : try scope.models.patternModels(snapshot, scope.settings)
        let histories = patterns?.design.pooled ?? scope.models.histories(snapshot)
        let length = Double(end - asOf) / 7
        let weeks = Int(ceil(length))
        let times = (1..<weeks).map(Double.init) + [length]

        let (actual, actualByWeek, newcomers) = seen(histories, through: end, weeks: weeks)
        // Predicted: E[X(w)] at the end of each week, per distinct (x, tₓ, T) row.
        let perRow: [[Double]]
        if let patterns {
            perRow = patterns.design.histories.indices.flatMap { j in
                let (model, rows) = (patterns.models[j], patterns.design.histories[j])
                return rows.x.indices.map { i in model.expectedPurchases(at: times, x: rows.x[i], tx: rows.tx[i], T: rows.T[i]) }
            }
        } else {
            let model = try scope.models.purchase(type, snapshot).0
            perRow = parallelChunks(histories.x.count) { range in
                range.map { i in model.expectedPurchases(at: times, x: histories.x[i], tx: histories.tx[i], T: histories.T[i]) }
            }
        }
        var predictedByWeek = [Double](repeating: 0, count: weeks)
        for (i, row) in perRow.enumerated() {
            for w in 0..<weeks { predictedByWeek[w] += histories.weight[i] * row[w] }
        }
        let customers = (0..<snapshot.customers.count).filter { histories.rowOfCustomer[$0] >= 0 }
        let predicted = customers.map { perRow[Int(histories.rowOfCustomer[$0])][weeks - 1] }
        let totalPredicted = predicted.reduce(0, +)
        let totalActual = customers.reduce(0.0) { $0 + actual[$1] }

        let title = patterns.map { "\(type.title) with \($0.design.names.joined(separator: ", "))" } ?? type.title
        let summary = ResultTable(title: "\(title) against the holdout", columns: [
            ResultColumn("calibration_end", .date([asOf])),
            ResultColumn("holdout_end", .date([end])),
            ResultColumn("holdout_weeks", unit: .weeks, .number([length])),
            ResultColumn("customers", unit: .count, .number([Double(customers.count)])),
            ResultColumn("predicted", unit: .plain, .number([totalPredicted])),
            ResultColumn("actual", unit: .count, .number([totalActual])),
            ResultColumn("predicted_over_actual", unit: .ratio, .number([totalActual > 0 ? totalPredicted / totalActual : .nan])),
        ], notes: ["repeat purchase days (purchases on one day are one) of the customers who bought by calibration_end"]
            + (newcomers.isEmpty ? [] : ["left out: \(count: newcomers.count, "customer") whose first purchase was in the holdout"]),
           isRecord: true)

        let frequencyTable = byFrequency(customers, predicted: predicted, actual: actual)
        var cumulative = 0.0
        let actualCumulative = actualByWeek.map { cumulative += $0; return cumulative }
        let weekly = ResultTable(title: "cumulative, week by week", columns: [
            ResultColumn("week", unit: .count, .number((1...weeks).map(Double.init))),
            ResultColumn("predicted", unit: .plain, .number(predictedByWeek)),
            ResultColumn("actual", unit: .count, .number(actualCumulative)),
        ])
        return StatementResult([
            .table(summary), .table(frequencyTable), .table(weekly),
            .chart(Chart(title: "repeat purchase days in the holdout, cumulative", kind: .lines(
                series: ["predicted", "actual"], values: [predictedByWeek, actualCumulative], xLabel: "weeks after calibration_end"))),
        ])
    }

    /// The repeat purchases predicted over the whole holdout and those made, by the model in
    /// use; nil without a holdout or a purchase in it.
    /// The holdout's last day: the one given, else the last day the data shows after as_of
    /// (`shown`, described `as` the error says it); after as_of and not past `shown`.
    static func holdoutEnd(_ given: Int32?, asOf: Int32, shown: Int32, as described: String, statement: String) throws(Diagnostic) -> Int32 {
        let end = given ?? shown
        guard end > asOf else { throw Diagnostic("the holdout must end after as_of (\(CalendarDay.format(asOf)))") }
        guard end <= shown else {
            throw Diagnostic(
                "the holdout can end at the latest on \(CalendarDay.format(shown)), \(described)",
                hint: "\(statement) holdout \(CalendarDay.format(shown))")
        }
        return end
    }

    func totals() -> (predicted: Double, actual: Double)? {
        guard holdout() != nil, let result = try? result(model: nil, holdoutEnd: nil) else { return nil }
        return Self.totals(of: result)
    }

    /// The same, read from a validation's result (its chart's last points).
    static func totals(of result: StatementResult) -> (predicted: Double, actual: Double)? {
        guard case .lines(_, let values, _)? = result.charts.first?.kind, values.count == 2,
              let predicted = values[0].last, let actual = values[1].last, actual > 0 else { return nil }
        return (predicted, actual)
    }

    /// The whole holdout, every transaction after as_of: its last day, its length in weeks and
    /// each customer's repeat purchase days in it; nil when the snapshot has none.
    func holdout() -> (end: Int32, weeks: Double, actual: [Double])? {
        guard let end = scope.snapshot.transactions.later.day.max() else { return nil }
        let length = Double(end - scope.snapshot.info.asOf) / 7
        let (actual, _, _) = seen(scope.models.histories(scope.snapshot), through: end, weeks: Int(ceil(length)))
        return (end, length, actual)
    }

    /// Seen in the holdout up to `end`: each customer's distinct purchase days, the days of
    /// every week, and the customers whose first purchase came after as_of (left out).
    private func seen(_ histories: PurchaseHistories, through end: Int32, weeks: Int) -> (actual: [Double], byWeek: [Double], newcomers: Set<Int32>) {
        let later = scope.snapshot.transactions.later
        let asOf = scope.snapshot.info.asOf
        var seenDays = Set<UInt64>()
        var actual = [Double](repeating: 0, count: scope.count)
        var byWeek = [Double](repeating: 0, count: weeks)
        var newcomers = Set<Int32>()
        for i in 0..<later.count where later.day[i] <= end {
            let c = later.customer[i]
            guard histories.rowOfCustomer[Int(c)] >= 0 else {
                newcomers.insert(c)
                continue
            }
            guard seenDays.insert(UInt64(UInt32(bitPattern: c)) << 32 | UInt64(UInt32(bitPattern: later.day[i]))).inserted else { continue }
            actual[Int(c)] += 1
            byWeek[min(weeks, Int(ceil(Double(later.day[i] - asOf) / 7))) - 1] += 1
        }
        return (actual, byWeek, newcomers)
    }

    /// By calibration frequency 0 … 7+: the conditional expectations of the papers' figure 4.
    private func byFrequency(_ customers: [Int], predicted: [Double], actual: [Double]) -> ResultTable {
        var byFrequency = Array(repeating: (n: 0.0, predicted: 0.0, actual: 0.0), count: 8)
        let frequency = scope.snapshot.customers.numbers(CustomerFields.frequency)
        for (k, c) in customers.enumerated() {
            let bucket = min(7, Int(frequency[c]))
            byFrequency[bucket].n += 1
            byFrequency[bucket].predicted += predicted[k]
            byFrequency[bucket].actual += actual[c]
        }
        return ResultTable(title: "by repeat purchases up to calibration_end (per customer)", columns: [
            ResultColumn("frequency", .text(TextColumn((0..<8).map { $0 == 7 ? "7+" : String($0) }))),
            ResultColumn("customers", unit: .count, .number(byFrequency.map(\.n))),
            ResultColumn("predicted", unit: .plain, .number(byFrequency.map { $0.n > 0 ? $0.predicted / $0.n : .nan })),
            ResultColumn("actual", unit: .plain, .number(byFrequency.map { $0.n > 0 ? $0.actual / $0.n : .nan })),
        ])
    }
}
