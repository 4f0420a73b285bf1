/// `assets [in S] [where …]`: the book of customers seen as an asset — what it is worth, how
/// sure that figure is, and how much of the value and of the risk rests on a few customers.
/// Value is clv; risk is the value at risk, clv × (1 − p_alive), as the retention plans use it.
struct AssetReport {
    let scope: CustomerScope

    static let tops = [0.01, 0.05, 0.10, 0.20]

    func result(_ filter: CustomerFilter) throws(Diagnostic) -> StatementResult {
        let rows = try scope.rows(filter)
        guard !rows.isEmpty else { throw Diagnostic("no customers to value") }
        let clv = try scope.numbers(.clv), alive = try scope.numbers(.pAlive)
        let value = rows.map { clv[Int($0)] }.map { $0.isFinite ? $0 : 0 }
        let risk = rows.map { Int($0) }.map { clv[$0].isFinite && alive[$0].isFinite ? clv[$0] * (1 - alive[$0]) : 0 }
        let totalRisk = risk.reduce(0, +)
        // The total's own interval; a model without one (the simple formula) shows the total alone.
        let interval = try? scope.models.totalLifetimeValue(scope.snapshot, scope.settings, customers: rows)
        let total = interval?.total ?? value.reduce(0, +)
        let level = interval.map { (($0.level * 1000).rounded() / 10) }
        var figures = [
            ResultColumn("customers", unit: .count, .number([Double(rows.count)])),
            ResultColumn("clv", unit: .money, .number([total])),
        ]
        if let interval {
            figures += [
                ResultColumn("clv_low", unit: .money, .number([interval.low])),
                ResultColumn("clv_high", unit: .money, .number([interval.high])),
            ]
        }
        figures += [
            ResultColumn("clv_per_customer", unit: .money, .number([total / Double(rows.count)])),
            ResultColumn("value_at_risk", unit: .money, .number([totalRisk])),
            ResultColumn("share_at_risk", unit: .ratio, .number([total > 0 ? totalRisk / total : .nan])),
        ]
        let book = ResultTable(title: "the book as an asset", columns: figures, notes: [
            interval == nil
                ? "no interval: the model in use has no fitted parameters (set model = bgnbd)"
                : "clv_low, clv_high: the total's own \(exact: level!)% interval by the delta method (set interval), narrower than the sum of each customer's",
            "value at risk = Σ clv × (1 − p_alive)",
        ], isRecord: true)
        let valueCurve = WhaleCurve(value), riskCurve = WhaleCurve(risk)
        let counts = Self.tops.map { valueCurve.top($0) }
        let concentration = ResultTable(title: "how concentrated the value and the risk are", columns: [
            ResultColumn("top", unit: .ratio, .number(Self.tops)),
            ResultColumn("customers", unit: .count, .number(counts.map(Double.init))),
            ResultColumn("share_of_clv", unit: .ratio, .number(Self.tops.map { Self.share(valueCurve, $0) })),
            ResultColumn("share_of_risk", unit: .ratio, .number(Self.tops.map { Self.share(riskCurve, $0) })),
        ], notes: ["customers ranked by clv for its share, by value at risk for the risk's"])
        var text: Prose = "\(count: rows.count, "customer") are worth \(total, .money)"
        if let interval { text = text + " (\(exact: level!)% interval \(interval.low, .money) to \(interval.high, .money))" }
        text = text + "; \(totalRisk, .money) of it is at risk of leaving with the customer (\(total > 0 ? totalRisk / total : .nan, .ratio))."
        text = text + "\nthe top 10% of customers (\(count: valueCurve.top(0.1), "customer")) hold \(Self.share(valueCurve, 0.1), .ratio) of the value; "
            + "the top 10% by value at risk hold \(Self.share(riskCurve, 0.1), .ratio) of the risk."
        return StatementResult([.table(book), .table(concentration), .message(text)])
    }

    /// The share of the curve's total held by the top `fraction` of customers; NaN for a total of 0.
    static func share(_ curve: WhaleCurve, _ fraction: Double) -> Double {
        curve.total != 0 ? curve.cumulative(curve.top(fraction)) / curve.total : .nan
    }
}
