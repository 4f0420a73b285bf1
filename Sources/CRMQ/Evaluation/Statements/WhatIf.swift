#if canImport(Glibc)
import Glibc
#endif

/// `whatif retention +5% | discount 12% | cost_to_serve -10% [in S] [where …]`: clv and profit
/// recomputed under one change, for the customers the filter names (all by default), and the
/// portfolio's value beside today's — Reichheld & Sasser's lesson on the user's own data.
///
/// How retention enters the models: r is the snapshot's yearly retention rate (of the
/// customers who bought 52–104 weeks before as_of, the share who bought in the last 52).
/// With BG/NBD or Pareto/NBD, the chance of still being a customer m months on grows from
/// r^(m/12) to r'^(m/12), so each month's expected purchases are multiplied by
/// (r'/r)^(m/12) — the same as discounting at (1 + d) / (r'/r)^(1/12) − 1 a month instead
/// of d. With the simple model, r' replaces r in m · r / (1 + i − r).
struct WhatIf {
    let scope: CustomerScope

    /// What the change does, as numbers: today's and the new value of the lever.
    struct Change {
        var lever: String
        var from: Double
        var to: Double
        var description: Prose
    }

    func result(_ change: WhatIfChange, _ filter: CustomerFilter) throws(Diagnostic) -> StatementResult {
        let snapshot = scope.snapshot
        guard snapshot.marginKnown else {
            throw Diagnostic("whatif compares profit and clv, and this snapshot has no margins (no margin column, no margin_rate)", hint: "set margin_rate = 30% values margin as that share of the amount")
        }
        let chosen = Set(try scope.rows(filter).map(Int.init))
        let today = try scope.portfolio()
        let profit = snapshot.customers.numbers(CustomerFields.profit)
        let cost = snapshot.customers.numbers(CustomerFields.costToServe)
        let margin = snapshot.customers.numbers(CustomerFields.margin)
        let value = scope.settings.lifetimeValue(for: snapshot)
        var newProfit = profit, newClv = today.clv
        let described: Change
        switch change.lever.value {
        case .retention:
            guard let (r, base, kept) = SimpleRetention.retentionRate(snapshot.transactions, customers: snapshot.customers.count, asOf: snapshot.info.asOf) else {
                throw Diagnostic("whatif retention needs today's retention rate, and no customer bought 52 to 104 weeks before as_of", at: change.lever.range)
            }
            let target = change.relative ? r + change.value : change.value
            guard target > 0, target < 1 else {
                throw Diagnostic("retention would be \(NumberText.plain((target * 1000).rounded() / 10))%; it must stay between 0% and 100%", at: change.range)
            }
            let fitted: ModelStore.Fitted
            if (scope.settings.model(for: scope.snapshot)) == .simple {
                fitted = try scope.models.compute(snapshot, scope.settings, value, retention: { _ in target })
            } else {
                let monthlyRate = (1 + value.monthlyRate) / pow(target / r, 1.0 / 12) - 1
                fitted = try scope.models.compute(snapshot, scope.settings, LifetimeValue(horizonMonths: value.horizonMonths, monthlyRate: monthlyRate))
            }
            for c in chosen { newClv[c] = fitted.clv[c] }
            described = Change(lever: "retention", from: r, to: target, description: "retention \(pct(r)) (\(kept) of \(base) kept) → \(pct(target))")
        case .discount:
            let annual = scope.settings.annualDiscountRate(for: snapshot)
            let target = change.relative ? annual + change.value : change.value
            guard Assumptions.discountRate.contains(target) else { throw Diagnostic(Assumptions.discountRateText, at: change.range) }
            let fitted = try scope.models.compute(
                snapshot, scope.settings, LifetimeValue(horizonMonths: value.horizonMonths, annualRate: target), annualRate: target)
            for c in chosen { newClv[c] = fitted.clv[c] }
            described = Change(lever: "discount", from: annual, to: target, description: "discount \(pct(annual)) a year → \(pct(target))")
        case .costToServe:
            guard change.relative else {
                throw Diagnostic("cost_to_serve changes by a share of today's: write it with a sign", at: change.range, hint: "whatif cost_to_serve -10%")
            }
            guard change.value > -1 else { throw Diagnostic("cost to serve cannot fall by 100% or more", at: change.range) }
            for c in chosen where !margin[c].isNaN { newProfit[c] = margin[c] - cost[c] * (1 + change.value) }
            described = Change(lever: "cost_to_serve", from: 1, to: 1 + change.value, description: "cost to serve \(change.value >= 0 ? "+" : "")\(pct(change.value))")
        }
        let groups = Portfolio.classify(profit: newProfit, clv: newClv, threshold: today.threshold)
        return StatementResult(table(
            described, chosen.count, groups: (today.groups.codes, groups), profit: (profit, newProfit), clv: (today.clv, newClv),
            threshold: today.threshold))
    }

    /// A percentage to one decimal, written with the digits left: 5%, 12.5%.
    private func pct(_ v: Double) -> Prose { "\(exact: (v * 1000).rounded() / 10)%" }

    private func table(
        _ change: Change, _ changed: Int, groups: ([Int32], [Int32]), profit: ([Double], [Double]), clv: ([Double], [Double]), threshold: Double
    ) -> [ResultBlock] {
        let names = Portfolio.groups + ["all"]
        var figures = [[Double]](repeating: [Double](repeating: 0, count: names.count), count: 6)
        var moved: [String: Int] = [:]
        for c in 0..<scope.count {
            let total = names.count - 1
            for (side, group) in [groups.0[c], groups.1[c]].enumerated() {
                let values = side == 0 ? (profit.0[c], clv.0[c]) : (profit.1[c], clv.1[c])
                for k in (group >= 0 ? [Int(group), total] : [total]) {
                    figures[side][k] += 1
                    if !values.0.isNaN { figures[2 + side][k] += values.0 }
                    if !values.1.isNaN { figures[4 + side][k] += values.1 }
                }
            }
            if let a = Portfolio.name(groups.0[c]), let b = Portfolio.name(groups.1[c]), a != b { moved["\(a) → \(b)", default: 0] += 1 }
        }
        let table = ResultTable(title: "what if \(change.description), for \(count: changed) of \(count: scope.count) customers", columns: [
            ResultColumn("group", .text(TextColumn(names))),
            ResultColumn("customers", unit: .count, .number(figures[0])),
            ResultColumn("customers_whatif", unit: .count, .number(figures[1])),
            ResultColumn("profit", unit: .money, .number(figures[2])),
            ResultColumn("profit_whatif", unit: .money, .number(figures[3])),
            ResultColumn("clv", unit: .money, .number(figures[4])),
            ResultColumn("clv_whatif", unit: .money, .number(figures[5])),
            ResultColumn("clv_change", unit: .ratio, .number(zip(figures[4], figures[5]).map { $0 != 0 ? $1 / $0 - 1 : .nan })),
        ], notes: ["groups by profit > 0 and clv \(Portfolio.above) today's threshold \(threshold, .money); `explain whatif` shows how the change enters"])
        var blocks: [ResultBlock] = [.table(table)]
        let total = names.count - 1
        var summary: Prose = "the portfolio's clv goes from \(figures[4][total], .money) to \(figures[5][total], .money) "
            + "(\(figures[5][total] - figures[4][total], .money), \(pct(figures[4][total] != 0 ? figures[5][total] / figures[4][total] - 1 : .nan)))"
        if change.lever == "cost_to_serve" { summary += "; profit from \(figures[2][total], .money) to \(figures[3][total], .money)" }
        blocks.append(.message(summary))
        if !moved.isEmpty {
            let keys = moved.keys.sorted()
            blocks.append(.table(ResultTable(title: "customers who change group", columns: [
                ResultColumn("move", .text(TextColumn(keys))),
                ResultColumn("customers", unit: .count, .number(keys.map { Double(moved[$0]!) })),
            ])))
        }
        return blocks
    }
}
