/// The acquisition plan for a segment: a new customer is expected to be worth what the
/// segment's current customers are (their mean clv), which is the most it is worth paying
/// to win one; today's acquisition cost is set against it.
extension Plans {
    func acquisition(segment: Members) throws(Diagnostic) -> StatementResult {
        let rows = segment.rows
        guard !rows.isEmpty else { throw Diagnostic("segment \(segment.name) has no customers to value new ones by") }
        let clv = try scope.numbers(.clv)
        let valued = rows.filter { !clv[$0].isNaN }
        let meanClv = valued.reduce(0) { $0 + clv[$1] } / Double(max(1, valued.count))
        let medianClv = Statistics.median(valued.map { clv[$0] })
        let customers = scope.snapshot.customers
        var cost: (mean: Double, count: Int, recent: Int)? = nil
        if let paid = customers.optionalNumbers(CustomerFields.acquisitionCost) {
            let known = rows.filter { !paid[$0].isNaN }
            if !known.isEmpty {
                // Today's cost: that of the customers won in the last 52 weeks, else of all.
                var recent: [Int] = []
                if let won = customers.dates(CustomerFields.acquiredOn) {
                    recent = known.filter { won[$0] != CalendarDay.null && won[$0] > CalendarDay.shift(scope.snapshot.info.asOf, by: -364) }
                }
                let basis = recent.isEmpty ? known : recent
                cost = (basis.reduce(0) { $0 + paid[$1] } / Double(basis.count), basis.count, recent.count)
            }
        }
        let best = lookalike(rows, clv)
        let headroom = cost.map { meanClv - $0.mean }
        let verdict: Prose
        switch headroom {
        case .some(let h) where h > 0:
            verdict = "acquire more: a new customer costs \(money(cost!.mean)) and is worth \(money(meanClv)), \(money(h)) more than it costs"
        case .some:
            verdict = "do not buy customers at today's price: \(money(cost!.mean)) is more than the \(money(meanClv)) one is worth; cut the cost of winning them first (referrals, cheaper channels)"
        case .none:
            verdict = "pay no more than \(money(meanClv)) per new customer (the snapshot has no acquisition_cost to compare with)"
        }
        let costText: Prose = cost.map { c -> Prose in
            "today's acquisition cost \(money(c.mean)), the mean of \(count: c.count, "customer")\(c.recent > 0 ? " won in the last 52 weeks" : " (none won in the last 52 weeks: all of them)")"
        } ?? "no acquisition_cost column"
        let text = Self.lines([
            ("who", "prospects like the \(count: rows.count, "customer") of \(segment.definition)\(best.isEmpty ? "" : "; look for " + best)"),
            ("why", "their mean clv is \(money(meanClv)) (median \(money(medianClv))); \(costText)"),
            ("what to do", verdict),
            ("spend at most", "\(money(meanClv)) per new customer: paying more than a customer is worth destroys value"),
            ("success", "acquisition cost per new customer under \(money(meanClv)); the new customers' clv at the next snapshot (`compare … show new`) near \(money(meanClv))"),
        ])
        let record = ResultTable(title: "acquisition plan for \(segment.name)", columns: [
            ResultColumn("customers", unit: .count, .number([Double(rows.count)])),
            ResultColumn("mean_clv", unit: .money, .number([meanClv])),
            ResultColumn("median_clv", unit: .money, .number([medianClv])),
            ResultColumn("acquisition_cost", unit: .money, .number([cost?.mean ?? .nan])),
            ResultColumn("most_worth_paying", unit: .money, .number([meanClv])),
            ResultColumn("headroom", unit: .money, .number([headroom ?? .nan])),
        ], isRecord: true)
        return StatementResult([.message(text), .table(record)])
    }

    /// What the segment's most valuable fifth has in common: the region most of them are in.
    private func lookalike(_ rows: [Int], _ clv: [Double]) -> String {
        guard let region = scope.snapshot.customers.text(CustomerFields.region) else { return "" }
        let top = rows.filter { !clv[$0].isNaN }.sorted { clv[$0] > clv[$1] }.prefix(max(1, rows.count / 5))
        var count: [String: Int] = [:]
        for c in top { if let r = region[c] { count[r, default: 0] += 1 } }
        guard let (name, n) = count.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) else { return "" }
        return "the region \(name) (\(n) of its \(top.count) highest-clv customers)"
    }
}
