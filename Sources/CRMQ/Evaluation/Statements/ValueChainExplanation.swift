/// `explain portfolio|ssc|rfm|credit|pareto|plan|whatif|valuestar|compare [for X]`: the rule,
/// the thresholds this data gives it, and — for a customer — where that customer lands.
struct ValueChainExplanation {
    let scope: CustomerScope

    private func money(_ v: Double) -> Prose { "\(v, .money)" }
    private func percent(_ v: Double) -> Prose { "\(v, .ratio)" }
    /// Rounded to two decimals, written with the digits left.
    private func number(_ v: Double) -> Prose { "\(exact: (v * 100).rounded() / 100)" }

    func text(_ topic: ExplainTopic, customer: Name?) throws(Diagnostic) -> Prose {
        let row = try customer.map { n throws(Diagnostic) in try scope.customer(n) }
        let label = row.map { "\(scope.snapshot.customers.label($0)) (\(scope.snapshot.customers.ids[$0] ?? ""))" } ?? ""
        let lines: [Prose]
        switch topic {
        case .portfolio: lines = try portfolioLines(row, label)
        case .rfm: lines = try rfmLines(row, label)
        case .credit: lines = try creditLines(row, label)
        case .pareto: lines = try paretoLines(row, label)
        case .ssc: lines = try sscLines(row, label)
        case .plan: lines = try planLines(row, label)
        case .whatif: lines = try whatifLines(row, label)
        case .valuestar: lines = try valuestarLines(row, label)
        case .clv, .pAlive, .fit:
            throw Diagnostic("explain \(topic.rawValue) walks through a model, not the value chain")
        case .compare: lines = try compareLines(row, label)
        }
        return lines.joined(separator: "\n")
    }

    /// `explain portfolio`: the rule, this data's thresholds and, for a customer, where it lands.
    private func portfolioLines(_ row: Int?, _ label: String) throws(Diagnostic) -> [Prose] {
        var lines: [Prose]
        let (groups, clv, threshold, source) = try scope.portfolio()
        let profit = scope.snapshot.customers.numbers(CustomerFields.profit)
        lines = [
            "portfolio (customer portfolio analysis): two questions about each customer",
            "  profitable now?   profit = margin − cost_to_serve > 0",
            "  potential?        clv \(Portfolio.above) \(money(threshold)) (\(source); `set potential_threshold = 500` to change it)",
            "  invest = both, nurture = profitable only, re-engineer = potential only, sack = neither",
        ]
        let counts = Portfolio.groups.indices.map { k in groups.codes.filter { $0 == Int32(k) }.count }
        lines.append("  here: " + zip(Portfolio.groups, counts).map { "\($0) \($1)" }.joined(separator: ", "))
        if let c = row {
            lines.append("\(label): profit \(money(profit[c])) \(profit[c] > 0 ? "> 0" : "≤ 0"), clv \(money(clv[c])) \(Portfolio.hasPotential(clv[c], threshold) ? Portfolio.above : Portfolio.notAbove) \(money(threshold)) → \(groups[c] ?? "no group")")
        }
        return lines
    }

    /// `explain rfm`: the rule, this data's thresholds and, for a customer, where it lands.
    private func rfmLines(_ row: Int?, _ label: String) throws(Diagnostic) -> [Prose] {
        var lines: [Prose]
        let result = scope.analytics.rfm(scope.snapshot, scope.settings)
        func source(_ letter: RFMLetter) -> String { scope.settings.rfmCuts[letter] == nil ? "" : " (set)" }
        lines = [
            "rfm: three scores 1–5, each by four cuts: the \(RFM.quantilesText) quantiles of the customers who bought",
            "  (linear interpolation) unless `set rfm_cuts` gives them; score = 1 + the number of cuts strictly below",
            "  the value, so the lowest value scores 1 and equal values share the lower score",
            "  R on −days_since: cuts \(result.cuts.r.map(number).joined(separator: ", ")) (so 5 = the most recent)\(source(.recency))",
            "  F on orders:      cuts \(result.cuts.f.map(number).joined(separator: ", "))\(source(.frequency))",
            "  M on revenue:     cuts \(result.cuts.m.map(number).joined(separator: ", "))\(source(.monetary))",
            "  segments, first match: " + RFM.segments.map { "\($0.name) (R \($0.r.lowerBound)–\($0.r.upperBound), F \($0.f.lowerBound)–\($0.f.upperBound), M \($0.m.lowerBound)–\($0.m.upperBound))" }.joined(separator: "; ") + "; else Others",
        ]
        if let c = row {
            let daysSince = scope.snapshot.customers.numbers(CustomerFields.daysSince)[c]
            let orders = scope.snapshot.customers.numbers(CustomerFields.orders)[c], revenue = scope.snapshot.customers.numbers(CustomerFields.revenue)[c]
            lines.append("\(label): −days_since \(number(-daysSince)) → R \(number(RFM.number(result.r[c]))), orders \(number(orders)) → F \(number(RFM.number(result.f[c]))), revenue \(money(revenue)) → M \(number(RFM.number(result.m[c]))): \(result.code[c] ?? "no scores"), \(result.segment[c] ?? "no segment")")
        }
        return lines
    }

    /// `explain credit`: the rule, this data's thresholds and, for a customer, where it lands.
    private func creditLines(_ row: Int?, _ label: String) throws(Diagnostic) -> [Prose] {
        var lines: [Prose]
        let facts = try scope.analytics.credit(scope.snapshot)
        let w = Credit.weights
        lines = [
            "credit: from the invoices due up to \(CalendarDay.format(scope.snapshot.info.asOf))",
            "  on_time      = invoices paid by their due date / invoices",
            "  days_late    = mean of max(0, (paid, or as_of if unpaid) − due)",
            "  unpaid_share = unpaid amount / invoiced amount",
            "  base  = 100 × (\(number(w.onTime)) × on_time + \(number(w.punctuality)) × max(0, 1 − days_late / \(number(Credit.daysLateForZero))) + \(number(w.paid)) × (1 − unpaid_share))",
            "  trend = mean days late of the paid invoices due in the \(Credit.trendWindowWeeks) weeks to as_of − of those due in the \(Credit.trendWindowWeeks) before",
            "  score = base − trend × \(number(Credit.trendPointsPerDay)) (at most \(number(Credit.trendLimits.worse)) points off, \(number(-Credit.trendLimits.better)) on), kept within 0–100",
            "  grades: \(Credit.gradeRule)",
        ]
        let rated = facts.filter { $0.invoices > 0 }
        lines.append("  here: \(count: rated.count, "customer") with invoices; " + Credit.grades.map { g in "\(g.grade) \(rated.filter { Credit.grade($0.score) == g.grade }.count)" }.joined(separator: ", "))
        if let c = row {
            let f = facts[c]
            guard f.invoices > 0 else { lines.append("\(label) has no invoice, so no score"); return lines }
            lines.append("\(label): on_time \(f.onTime)/\(f.invoices) = \(number(f.onTimeShare)), days_late \(number(f.meanDaysLate)), unpaid_share \(number(f.unpaidShare))")
            lines.append("  base = 100 × (\(number(w.onTime)) × \(number(f.onTimeShare)) + \(number(w.punctuality)) × \(number(f.punctuality)) + \(number(w.paid)) × \(number(1 - f.unpaidShare))) = \(number(f.base))")
            lines.append("  trend = \(number(f.recentDaysLate.isNaN ? 0 : f.recentDaysLate)) − \(number(f.beforeDaysLate.isNaN ? 0 : f.beforeDaysLate)) = \(number(f.trend)) days (\(f.trendWord)) → \(number(-f.trendPoints)) points")
            lines.append("  score = \(number(f.score)) → grade \(Credit.grade(f.score)!)")
        }
        return lines
    }

    /// `explain pareto`: the rule, this data's thresholds and, for a customer, where it lands.
    private func paretoLines(_ row: Int?, _ label: String) throws(Diagnostic) -> [Prose] {
        var lines: [Prose]
        let profit = scope.snapshot.customers.numbers(CustomerFields.profit)
        let curve = WhaleCurve(profit)
        lines = [
            "pareto (the whale curve): customers ranked by profit, largest first; the curve is the running",
            "  total as a share of all profit. Top k% = the first ⌈k% × customers⌉ customers. It peaks above",
            "  100% when some customers lose money: the peak minus the total is the profit they destroy.",
            "  here: total \(money(curve.total)), peak \(money(curve.peak.value)) after \(curve.peak.customers) of \(curve.count) customers, destroyed \(money(curve.destroyed))",
        ]
        if let c = row {
            let rank = profit.indices.filter { profit[$0] > profit[c] }.count + 1
            lines.append("\(label): profit \(money(profit[c])), rank \(rank) of \(curve.count)")
        }
        return lines
    }

    /// `explain ssc`: the rule and this data's numbers.
    private func sscLines(_ row: Int?, _ label: String) throws(Diagnostic) -> [Prose] {
        let lines: [Prose]
        lines = [
            "ssc (strategically significant customers), a customer can be several kinds:",
            "  high lifetime value: \(StrategicCustomers.topText) (rank ≤ ⌈\(exact: StrategicCustomers.topShare) × customers⌉)",
            "  benchmark: the benchmark column is true, or \(StrategicCustomers.referralsText)",
            "  inspiration: the inspiration column is true, or \(StrategicCustomers.ideasText)",
            "  cost magnet: \(exact: StrategicCustomers.costMagnetShare * 100)% or more of all units (of revenue when transactions have no quantity)",
            "  fixed cost absorbed = share of volume × fixed_costs (snapshot.json)"
                + ((scope.settings.fixedCosts ?? scope.snapshot.info.fixedCosts).map { ": here \(money($0))" } ?? ": none given here"),
        ]
        return lines
    }

    /// `explain plan`: the rule and this data's numbers.
    private func planLines(_ row: Int?, _ label: String) throws(Diagnostic) -> [Prose] {
        let lines: [Prose]
        let retention = Plans.retentionRules
        lines = [
            "plan retention: value at risk = clv × (1 − p_alive); the cap is a share of it by portfolio group:",
        ] + Portfolio.groups.map { "  \($0): \(percent(retention[$0]!.share)) — \(retention[$0]!.action)" } + [
            "  signals: days since the last purchase against the usual gap (recency × 7 / frequency days, a warning past 1.5×),",
            "  spend in the last 26 weeks against the 26 before (a warning below −20%), complaints in 52 weeks,",
            "  satisfaction below 6, credit grade C or D",
            "plan acquisition (a segment): the most worth paying for a new customer is the segment's mean clv,",
            "  set against the mean acquisition_cost of those won in the last 52 weeks (else all)",
            "plan development: gap = wallet − revenue of the last 52 weeks; potential = gap × margin ratio a year;",
            "  target: close \(percent(Plans.developmentTargetShare)) of the gap in 12 months; worth spending: that part's margin",
        ]
        return lines
    }

    /// `explain whatif`: the rule and this data's numbers.
    private func whatifLines(_ row: Int?, _ label: String) throws(Diagnostic) -> [Prose] {
        let lines: [Prose]
        let t = scope.snapshot.transactions
        let r = SimpleRetention.retentionRate(t, customers: scope.count, asOf: scope.snapshot.info.asOf)
        let value = scope.settings.lifetimeValue(for: scope.snapshot)
        lines = [
            "whatif retention ±x%: r is the yearly retention rate, the share of the customers who bought 52–104",
            "  weeks before as_of who bought again in the last 52 weeks"
                + (r.map { ": here \($0.kept) of \($0.base) = \(percent($0.rate))" } ?? ": not known here (no customer bought 52–104 weeks before as_of)"),
            "  r' = r + x (points). With BG/NBD or Pareto/NBD the chance of still being a customer m months on",
            "  grows from r^(m/12) to r'^(m/12): each month's expected purchases × (r'/r)^(m/12), the same as a",
            "  monthly discount of (1 + d) / (r'/r)^(1/12) − 1 instead of d = \(number(value.monthlyRate * 100))%",
            "  (simple model: r' replaces r in m · r / (1 + i − r))",
            "whatif discount x%: clv at a yearly rate of x (or today's + x with a sign)",
            "whatif cost_to_serve ±x%: profit = margin − cost_to_serve × (1 ± x); clv does not include cost to serve",
            "groups are re-drawn with today's potential threshold, so customers can move between them",
        ]
        return lines
    }

    /// `explain valuestar`: the rule and this data's numbers.
    private func valuestarLines(_ row: Int?, _ label: String) throws(Diagnostic) -> [Prose] {
        let lines: [Prose]
        lines = [
            "valuestar: per segment and each of the eight dimensions (\(ValueStarTable.dimensions.joined(separator: ", "))):",
            "  gap = our score − the competitor's; weighted gap = importance × gap",
            "  strengths: weighted gap > 0, largest first; weaknesses: < 0, worst first",
            "  weighted score = Σ importance × score / Σ importance (ours and the competitor's)",
        ]
        return lines
    }

    /// `explain compare`: the rule and this data's numbers.
    private func compareLines(_ row: Int?, _ label: String) throws(Diagnostic) -> [Prose] {
        let lines: [Prose]
        lines = [
            "compare A B: a customer is active in a snapshot when it bought in the 52 weeks to its as_of",
            "  retention rate = customers active in A who are active in B ÷ customers active in A (matched by id)",
            "  retained: active in both; lost: active in A, not in B; new: active in B, not in A",
            "  the migration matrix counts customers by their group in A (rows) and in B (columns), portfolio",
            "  unless `by FIELD`; (not in it) is a customer missing from that snapshot",
        ]
        return lines
    }
}
