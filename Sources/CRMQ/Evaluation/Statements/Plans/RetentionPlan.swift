/// The retention plan: the value at risk, clv × (1 − p_alive), the signals behind the risk,
/// an action fitted to the customer's portfolio group and a spending cap that never exceeds
/// the value at risk.
extension Plans {
    /// What retention does for each portfolio group, and the share of the value at risk it
    /// is worth spending: an offer that costs all of it gains nothing even when it works.
    static let retentionRules: [String: (share: Double, action: String, reason: String)] = [
        "invest": (0.5, "personal contact: the account manager calls or visits", "profitable now and high potential: worth up to half the value at risk"),
        "nurture": (0.25, "low-cost service: a check-in by email or phone and a reorder reminder", "profitable now, little potential: a quarter of the value at risk at most"),
        "re-engineer": (0.25, "move it to a cheaper channel and cut its cost to serve before spending to keep it", "unprofitable now, high potential: a quarter of the value at risk, and only with a cheaper way to serve it"),
        "sack": (0, "no retention spend: serve it at cost or let it go", "no present or future profit: nothing"),
    ]

    /// A customer's retention facts.
    struct RetentionCase {
        var group: String
        var clv: Double
        var pAlive: Double
        var valueAtRisk: Double { clv.isNaN || pAlive.isNaN ? 0 : max(0, clv * (1 - pAlive)) }
        var cap: Double { valueAtRisk * (Plans.retentionRules[group]?.share ?? 0) }
    }

    func retentionCases() throws(Diagnostic) -> (cases: [RetentionCase?], threshold: Double, source: String) {
        let (groups, clv, threshold, source) = try scope.portfolio()
        let pAlive = try scope.numbers(.pAlive)
        let cases = groups.codes.indices.map { c in groups[c].map { RetentionCase(group: $0, clv: clv[c], pAlive: pAlive[c]) } }
        return (cases, threshold, source)
    }

    /// The warning signs: overdue against its usual gap, falling spend, complaints, low
    /// satisfaction, a weak credit grade. Each with its numbers and whether it warns.
    func signals(_ c: Int) throws(Diagnostic) -> [(sign: RetentionSign, text: Prose, warns: Bool)] {
        var signals: [(RetentionSign, Prose, Bool)] = []
        let customers = scope.snapshot.customers
        let daysSince = scope.snapshot.customers.numbers(CustomerFields.daysSince)[c], frequency = scope.snapshot.customers.numbers(CustomerFields.frequency)[c], recency = scope.snapshot.customers.numbers(CustomerFields.recency)[c]
        if frequency >= 1 {
            let gap = recency * 7 / frequency
            let times = daysSince / max(gap, 1)
            signals.append((.overdue,
                "\(exact: daysSince) days since the last purchase, \(exact: (times * 10).rounded() / 10)× its usual gap of \(exact: gap.rounded()) days",
                times > 1.5))
        } else if !daysSince.isNaN {
            signals.append((.onePurchase, "one purchase day so far, \(exact: daysSince) days ago", daysSince > 182))
        }
        let recent = revenue(of: c, daysBefore: 182, to: 0), before = revenue(of: c, daysBefore: 364, to: 182)
        if before > 0 {
            let change = recent / before - 1
            signals.append((.spend, "spend \(money(recent)) in the last 26 weeks against \(money(before)) in the 26 before (\(change >= 0 ? "+" : "")\(percent(change)))", change < -0.2))
        }
        if let interactions = scope.snapshot.interactions {
            let asOf = scope.snapshot.info.asOf
            let complaints = interactions.customer.indices.filter {
                Int(interactions.customer[$0]) == c && interactions.day[$0] > CalendarDay.shift(asOf, by: -364) && interactions.kind[$0]?.lowercased() == "complaint"
            }
            let notes = complaints.compactMap { interactions.note[$0] }.map { "“\($0)”" }
            signals.append((.complaints,
                "\(count: complaints.count, "complaint") in the last 52 weeks\(notes.isEmpty ? "" : ": " + notes.joined(separator: ", "))",
                !complaints.isEmpty))
        }
        if let satisfaction = customers.optionalNumbers(CustomerFields.satisfaction), !satisfaction[c].isNaN {
            signals.append((.satisfaction, "satisfaction \(exact: satisfaction[c])/10", satisfaction[c] < 6))
        }
        if scope.snapshot.payments != nil {
            let f = try scope.analytics.credit(scope.snapshot)[c]
            if let grade = Credit.grade(f.score) {
                signals.append((.credit, "credit grade \(grade) (score \(exact: f.score.rounded()), paying \(f.trendWord))", grade == "C" || grade == "D"))
            }
        }
        return signals
    }

    func retention(customer c: Int) throws(Diagnostic) -> StatementResult {
        let (cases, threshold, source) = try retentionCases()
        let customers = scope.snapshot.customers
        let label = "\(customers.label(c)) (\(customers.ids[c] ?? ""))"
        guard let plan = cases[c] else {
            throw Diagnostic("\(label) has no portfolio group (no profit or clv), so no retention plan")
        }
        let rule = Self.retentionRules[plan.group]!
        let profit = scope.snapshot.customers.numbers(CustomerFields.profit)[c]
        let signals = try signals(c)
        let warnings = signals.filter(\.warns)
        // Each action as the plan says it and as its table cell holds it (words, no figures).
        var actions: [(said: Prose, cell: String)] = [(Prose(rule.action), rule.action)]
        if plan.group != "sack" {
            if warnings.contains(where: { $0.sign == .complaints }) { actions.append(("resolve the complaints first", "resolve the complaints first")) }
            if warnings.contains(where: { $0.sign == .overdue }) { actions.append(("contact it now: it is overdue", "contact it now: it is overdue")) }
            if plan.group == "re-engineer", let costly = costliestActivity(c) {
                actions.append((
                    "its costliest activity is \(costly.name) (\(money(costly.cost))): offer a cheaper way to do it",
                    "its costliest activity is \(costly.name): offer a cheaper way to do it"))
            }
        }
        let gapDays = try usualGap(c)
        let measure: Prose = plan.group == "sack"
            ? "its cost to serve falls; no retention spend is booked against it"
            : "a purchase by \(CalendarDay.format(CalendarDay.shift(scope.snapshot.info.asOf, by: Int32(gapDays.rounded())))) (its usual gap), p_alive at least \(percent(max(plan.pAlive, 0.8))) at the next snapshot, "
              + "no new complaint; check with `compare` on the next snapshot"
        let now = profit > 0 ? "profitable now" : "not profitable now"
        let potential = Portfolio.hasPotential(plan.clv, threshold) ? Portfolio.above : Portfolio.notAbove
        let who: Prose = "\(label), \(plan.group): profit \(money(profit)) (\(now)), clv \(money(plan.clv)) \(potential) \(money(threshold)) (\(source))"
        let text = Self.lines([
            ("who", who),
            ("why", "value at risk \(money(plan.valueAtRisk)) = clv \(money(plan.clv)) × (1 − p_alive \(percent(plan.pAlive)))\n"
                + signals.map { "\($0.warns ? "! " : "· ")\($0.text)" as Prose }.joined(separator: "\n")),
            ("what to do", actions.map(\.said).joined(separator: "; ")),
            ("spend at most", "\(money(plan.cap)) (\(rule.reason))"),
            ("success", measure),
        ])
        let record = ResultTable(title: "retention plan for \(label)", columns: [
            ResultColumn("portfolio", .text(TextColumn([plan.group]))),
            ResultColumn("clv", unit: .money, .number([plan.clv])),
            ResultColumn("p_alive", unit: .ratio, .number([plan.pAlive])),
            ResultColumn("value_at_risk", unit: .money, .number([plan.valueAtRisk])),
            ResultColumn("warning_signs", unit: .count, .number([Double(warnings.count)])),
            ResultColumn("spend_cap", unit: .money, .number([plan.cap])),
            ResultColumn("action", .text(TextColumn([actions.map(\.cell).joined(separator: "; ")]))),
        ], isRecord: true)
        return StatementResult([.message(text), .table(record)])
    }

    func retention(segment: Members) throws(Diagnostic) -> StatementResult {
        let (cases, threshold, source) = try retentionCases()
        let customers = scope.snapshot.customers
        let rows = segment.rows.filter { cases[$0] != nil }
        guard !rows.isEmpty else { throw Diagnostic("segment \(segment.name) has no customer with a portfolio group") }
        let atRisk = rows.filter { cases[$0]!.valueAtRisk > 0 }.sorted {
            (cases[$0]!.valueAtRisk, customers.ids[$1] ?? "") > (cases[$1]!.valueAtRisk, customers.ids[$0] ?? "")
        }
        let totalRisk = rows.reduce(0) { $0 + cases[$1]!.valueAtRisk }
        let totalCap = rows.reduce(0) { $0 + cases[$1]!.cap }
        let groups = Portfolio.groups.map { g in rows.filter { cases[$0]!.group == g } }
        let top = Array(atRisk.prefix(10))
        let list = ResultTable(title: "the customers with the most value at risk", columns: [
            ResultColumn("id", .text(TextColumn(top.map { customers.ids[$0] }))),
            ResultColumn("name", .text(TextColumn(top.map { customers.label($0) }))),
            ResultColumn("portfolio", .text(TextColumn(top.map { cases[$0]!.group }))),
            ResultColumn("clv", unit: .money, .number(top.map { cases[$0]!.clv })),
            ResultColumn("p_alive", unit: .ratio, .number(top.map { cases[$0]!.pAlive })),
            ResultColumn("value_at_risk", unit: .money, .number(top.map { cases[$0]!.valueAtRisk })),
            ResultColumn("spend_cap", unit: .money, .number(top.map { cases[$0]!.cap })),
        ], notes: atRisk.count > top.count ? ["\(atRisk.count - top.count) more at risk: plan retention for ID shows each"] : [])
        let byGroup = zip(Portfolio.groups, groups).filter { !$0.1.isEmpty }.map { group, members -> Prose in
            let risk = members.reduce(0) { $0 + cases[$1]!.valueAtRisk }
            return "\(group) \(members.count): value at risk \(money(risk)); \(Self.retentionRules[group]!.action)"
        }
        let text = Self.lines([
            ("who", "\(count: rows.count, "customer") of \(segment.definition); potential is clv \(Portfolio.above) \(money(threshold)) (\(source))"),
            ("why", "value at risk \(money(totalRisk)) = Σ clv × (1 − p_alive), \(count: atRisk.count, "customer") with some"),
            ("what to do", byGroup.joined(separator: "\n")),
            ("spend at most", "\(money(totalCap)) in all: each customer's cap by its group (invest half its value at risk, nurture and re-engineer a quarter, sack nothing)"),
            ("success", "the segment's retention rate at the next snapshot (`compare`), and its value at risk falling below \(money(totalRisk * 0.8))"),
        ])
        return StatementResult([.message(text), .table(list)])
    }

    /// The customer's usual days between purchases: recency × 7 / frequency (a year if it has bought once).
    func usualGap(_ c: Int) throws(Diagnostic) -> Double {
        let frequency = scope.snapshot.customers.numbers(CustomerFields.frequency)[c], recency = scope.snapshot.customers.numbers(CustomerFields.recency)[c]
        return frequency >= 1 ? max(1, recency * 7 / frequency) : 365
    }

    /// The activity that costs the most to serve this customer.
    func costliestActivity(_ c: Int) -> (name: String, cost: Double)? {
        guard let activities = scope.snapshot.activities else { return nil }
        var cost: [String: Double] = [:]
        for i in activities.customer.indices where Int(activities.customer[i]) == c {
            cost[activities.activity[i] ?? "", default: 0] += activities.quantity[i] * activities.unitCost[i]
        }
        return cost.max { ($0.value, $1.key) < ($1.value, $0.key) }.map { ($0.key, $0.value) }
    }
}

/// The warning signs a retention plan looks at.
enum RetentionSign: Equatable {
    /// Days since the last purchase against the usual gap between purchases.
    case overdue
    /// A single purchase day so far: days since it.
    case onePurchase
    /// Spend in the last 26 weeks against the 26 before.
    case spend
    case complaints
    case satisfaction
    case credit
}
