/// `scorecard [in S] [where …]`: QCi's customer management model scored from what the
/// snapshot holds. Each QCi area gets the measures the data supports, computed; a measure
/// with a natural zero (money made or lost) says whether it creates or destroys value and
/// why; a rate with nothing to compare it with says so; an area the data cannot see says
/// that instead of a figure.
struct Scorecard {
    let scope: CustomerScope

    /// One line of the scorecard.
    struct Measure {
        var area: String
        var measure: String
        var value: Double
        var unit: NumberUnit
        var verdict: Verdict
        var why: Prose
    }

    enum Verdict: String {
        case creates = "creates value"
        case destroys = "destroys value"
        case unjudged = "no benchmark"
        case unmeasured = "not measured"
    }

    static let areas = [
        "analysis and planning", "proposition", "people and organisation", "information and technology", "processes",
        "measurement", "customer experience", "acquisition", "retention", "development", "recovery",
    ]
    /// Days without a purchase after which a customer counts as lapsed (recovery).
    static let lapseDays: Int32 = 180
    /// The share of customers with a known clv below which planning destroys value.
    static let valuedShare = 0.9
    /// The holdout error within which the model counts as checked and sound.
    static let holdoutTolerance = 0.1

    func result(_ filter: CustomerFilter) throws(Diagnostic) -> StatementResult {
        let rows = try scope.rows(filter).map(Int.init)
        guard !rows.isEmpty else { throw Diagnostic("no customers to score") }
        var measures: [Measure] = []
        measures += try planning(rows)
        measures += try proposition()
        measures.append(Measure(area: "people and organisation", measure: "—", value: .nan, unit: .plain, verdict: .unmeasured,
                                why: "the snapshot holds nothing on staff, partners or how they are organised"))
        measures += information(rows)
        measures += processes(rows)
        measures += measurement()
        measures += experience(rows)
        measures += try activity(rows)
        let table = ResultTable(title: "QCi scorecard of \(count: rows.count, "customer")", columns: [
            ResultColumn("area", .text(TextColumn(measures.map(\.area)))),
            ResultColumn("measure", .text(TextColumn(measures.map(\.measure)))),
            ResultColumn("value", .text(TextColumn(measures.map { $0.value.isNaN ? nil : ValueText.display($0.value, unit: $0.unit) }))),
            ResultColumn("verdict", .text(TextColumn(measures.map(\.verdict.rawValue)))),
            ResultColumn("why", .text(TextColumn(measures.map { ProseText.display($0.why) }))),
        ], notes: [
            "a verdict only where the measure is money made or lost; planning also needs \(exact: Self.valuedShare * 100)% of customers valued, "
                + "measurement a model within \(exact: Self.holdoutTolerance * 100)% of the holdout",
        ])
        let creates = measures.filter { $0.verdict == .creates }.map(\.measure), destroys = measures.filter { $0.verdict == .destroys }.map(\.measure)
        let unmeasured = Set(measures.filter { $0.verdict == .unmeasured }.map(\.area))
        let text: Prose = """
            creates value: \(creates.isEmpty ? "nothing measured" : creates.joined(separator: "; "))
            destroys value: \(destroys.isEmpty ? "nothing measured" : destroys.joined(separator: "; "))
            not measured from this data: \(unmeasured.isEmpty ? "none" : Self.areas.filter(unmeasured.contains).joined(separator: ", "))
            """
        return StatementResult([.table(table), .message(text)])
    }

    private var asOf: Int32 { scope.snapshot.info.asOf }
    private var transactions: TransactionTable? { scope.snapshot.transactions.day.isEmpty ? nil : scope.snapshot.transactions }

    private func numbers(_ name: String) -> [Double]? {
        guard case .number(let values)? = try? scope.resolve(name)?.1 else { return nil }
        return values
    }

    private func sum(_ values: [Double], _ rows: [Int]) -> Double { rows.reduce(0) { $0 + (values[$1].isFinite ? values[$1] : 0) } }

    /// Analysis and planning: can we value the customers, and do costs match revenues?
    private func planning(_ rows: [Int]) throws(Diagnostic) -> [Measure] {
        var out: [Measure] = []
        let area = "analysis and planning"
        if let clv = numbers("clv") {
            let valued = Double(rows.filter { clv[$0].isFinite }.count) / Double(rows.count)
            out.append(Measure(area: area, measure: "customers with a known lifetime value", value: valued, unit: .ratio,
                               verdict: valued >= Self.valuedShare ? .creates : .destroys,
                               why: valued >= Self.valuedShare ? "plans can weigh nearly every customer by value"
                                   : "\(1 - valued, .ratio) of customers cannot be valued, so no plan can tell them apart"))
        } else {
            out.append(Measure(area: area, measure: "customers with a known lifetime value", value: .nan, unit: .plain, verdict: .unmeasured,
                               why: "no model can value these customers"))
        }
        if scope.snapshot.marginKnown, let profit = numbers("profit") {
            let losers = rows.filter { profit[$0] < 0 }
            let lost = -losers.reduce(0) { $0 + profit[$1] }
            out.append(Measure(area: area, measure: "profit given back by unprofitable customers", value: lost, unit: .money,
                               verdict: lost > 0 ? .destroys : .creates,
                               why: lost > 0 ? "\(count: losers.count, "customer") cost more to serve than their margin: a mismatch of costs to revenues"
                                   : "every customer's margin covers its cost to serve"))
        }
        return out
    }

    /// Proposition: the value star's gap to the competitor, weighed by each segment's revenue.
    private func proposition() throws(Diagnostic) -> [Measure] {
        guard scope.snapshot.valueStar != nil else {
            return [Measure(area: "proposition", measure: "—", value: .nan, unit: .plain, verdict: .unmeasured, why: "no valuestar.csv: nothing on how customers rate us against the competitor")]
        }
        let report = ValueStarReport(scope: scope)
        let stars = try report.stars()
        let revenue = report.segmentFigures(stars.map(\.segment)).1
        var weighted = 0.0, weight = 0.0
        for (star, r) in zip(stars, revenue) where r.isFinite && r > 0 {
            let scores = star.weightedScores
            weighted += r * (scores.ours - scores.theirs)
            weight += r
        }
        let gap = weight > 0 ? weighted / weight : .nan
        let worse = stars.filter { ValueMapReport.map($0).valueAdvantage < -1e-9 }.map(\.segment)
        return [Measure(area: "proposition", measure: "value star score against the competitor's (revenue-weighted)", value: gap, unit: .estimate,
                        verdict: gap.isNaN ? .unjudged : gap >= 0 ? .creates : .destroys,
                        why: (gap >= 0 ? "customers rate us above the competitor where the revenue is" : "customers rate the competitor above us where the revenue is")
                            + (worse.isEmpty ? "" : "; worse value for the price in \(worse.joined(separator: ", "))"))]
    }

    /// Information and technology: how complete the customer records are.
    private func information(_ rows: [Int]) -> [Measure] {
        let customers = scope.snapshot.customers
        let attributes = CustomerFields.attributes.filter { $0.name != CustomerFields.id.name && customers.column($0.name) != nil }
        guard !attributes.isEmpty else {
            return [Measure(area: "information and technology", measure: "—", value: .nan, unit: .plain, verdict: .unmeasured, why: "no customer attributes beside the ids")]
        }
        var filled = 0
        for field in attributes {
            guard let column = customers.column(field.name) else { continue }
            filled += rows.filter { !column.isNull($0) }.count
        }
        let share = Double(filled) / Double(rows.count * attributes.count)
        return [Measure(area: "information and technology", measure: "customer record fields filled", value: share, unit: .ratio, verdict: .unjudged,
                        why: "\(count: attributes.count, "attribute") of customers.csv; blanks are what no one can segment or contact by")]
    }

    /// Processes: what serving and billing cost against what they bring.
    private func processes(_ rows: [Int]) -> [Measure] {
        var out: [Measure] = []
        if scope.snapshot.activities != nil, scope.snapshot.marginKnown, let cost = numbers("cost_to_serve"), let revenue = numbers("revenue"), let margin = numbers("margin") {
            let r = sum(revenue, rows), c = sum(cost, rows), m = sum(margin, rows)
            out.append(Measure(area: "processes", measure: "cost to serve per unit of revenue", value: r != 0 ? c / r : .nan, unit: .ratio,
                               verdict: m - c >= 0 ? .creates : .destroys,
                               why: "against a margin of \(r != 0 ? m / r : .nan, .ratio) of revenue: the processes leave \(r != 0 ? (m - c) / r : .nan, .ratio) as profit"))
        } else {
            out.append(Measure(area: "processes", measure: "cost to serve per unit of revenue", value: .nan, unit: .plain, verdict: .unmeasured,
                               why: "no activities with unit costs" + (scope.snapshot.marginKnown ? "" : ", no margins")))
        }
        if let facts = try? scope.analytics.credit(scope.snapshot), scope.snapshot.payments != nil {
            var invoices = 0.0, onTime = 0.0, unpaid = 0.0
            for c in rows {
                invoices += Double(facts[c].invoices)
                onTime += Double(facts[c].onTime)
                unpaid += facts[c].unpaid
            }
            out.append(Measure(area: "processes", measure: "invoices paid on time", value: invoices > 0 ? onTime / invoices : .nan, unit: .ratio,
                               verdict: unpaid > 0 ? .destroys : .creates,
                               why: unpaid > 0 ? "\(unpaid, .money) of invoices due is unpaid" : "every invoice due is paid"))
        } else {
            out.append(Measure(area: "processes", measure: "invoices paid on time", value: .nan, unit: .plain, verdict: .unmeasured, why: "no payments"))
        }
        return out
    }

    /// Measurement: is the model the plans rest on checked against what happened?
    private func measurement() -> [Measure] {
        guard let (predicted, actual) = Validation(scope: scope).totals() else {
            return [Measure(area: "measurement", measure: "the model against a holdout", value: .nan, unit: .plain, verdict: .unmeasured,
                            why: "no holdout: nothing after as_of to check the model against (load it as of an earlier date)")]
        }
        let error = predicted / actual - 1
        return [Measure(area: "measurement", measure: "the model's error over the holdout", value: error, unit: .ratio,
                        verdict: abs(error) <= Self.holdoutTolerance ? .creates : .destroys,
                        why: abs(error) <= Self.holdoutTolerance ? "plans rest on a model checked against what happened"
                            : "plans rest on a model \(abs(error), .ratio) off what happened")]
    }

    /// Customer experience: satisfaction and complaints, and what the complainers did since.
    private func experience(_ rows: [Int]) -> [Measure] {
        var out: [Measure] = []
        if let satisfaction = numbers("satisfaction") {
            let scored = rows.filter { satisfaction[$0].isFinite }
            out.append(Measure(area: "customer experience", measure: "mean satisfaction (0–10)",
                               value: scored.isEmpty ? .nan : sum(satisfaction, scored) / Double(scored.count), unit: .estimate, verdict: .unjudged,
                               why: "\(count: scored.count, "customer") scored; no earlier or competitor's score to compare with"))
        }
        if let interactions = scope.snapshot.interactions, let complaint = interactions.kind.values.firstIndex(where: { $0.lowercased() == "complaint" }) {
            let chosen = Set(rows.map(Int32.init))
            let complaints = interactions.kind.codes.indices.filter { interactions.kind.codes[$0] == Int32(complaint) && chosen.contains(interactions.customer[$0]) }
            out.append(Measure(area: "customer experience", measure: "complaints per 100 customers", value: 100 * Double(complaints.count) / Double(rows.count), unit: .estimate,
                               verdict: .unjudged, why: "\(count: complaints.count, "complaint") from \(count: Set(complaints.map { interactions.customer[$0] }).count, "customer")"))
        }
        if out.isEmpty {
            out.append(Measure(area: "customer experience", measure: "—", value: .nan, unit: .plain, verdict: .unmeasured, why: "no satisfaction scores and no interactions"))
        }
        return out
    }

    /// Acquisition, retention, development and recovery, from the purchases.
    private func activity(_ rows: [Int]) throws(Diagnostic) -> [Measure] {
        var out: [Measure] = []
        let customers = scope.snapshot.customers
        // Acquisition: the customers won in the last 52 weeks, their value against what winning them cost.
        if case .date(let acquired)? = customers.column(CustomerFields.acquiredOn.name), let cost = numbers("acquisition_cost"),
           let clv = numbers("clv"), scope.snapshot.marginKnown, let margin = numbers("margin") {
            let won = rows.filter { acquired[$0] > asOf - 364 && acquired[$0] <= asOf && cost[$0].isFinite }
            let value = won.reduce(0.0) { $0 + (margin[$1].isFinite ? margin[$1] : 0) + (clv[$1].isFinite ? clv[$1] : 0) - cost[$1] }
            out.append(Measure(area: "acquisition", measure: "value of the customers won in the last 52 weeks, less their cost", value: won.isEmpty ? .nan : value, unit: .money,
                               verdict: won.isEmpty ? .unjudged : value >= 0 ? .creates : .destroys,
                               why: won.isEmpty ? "no customer was won in the last 52 weeks"
                                   : "\(count: won.count, "customer"): margin so far and clv \(value + sum(cost, won), .money) against \(sum(cost, won), .money) spent winning them"))
        } else {
            out.append(Measure(area: "acquisition", measure: "—", value: .nan, unit: .plain, verdict: .unmeasured, why: "needs acquired_on, acquisition_cost, margins and a clv"))
        }
        guard let transactions else {
            for area in ["retention", "development", "recovery"] {
                out.append(Measure(area: area, measure: "—", value: .nan, unit: .plain, verdict: .unmeasured, why: "a summary has no purchases to follow over time"))
            }
            return out
        }
        // Retention: customers who bought in the year before last and again in the last.
        var before = Set<Int32>(), last = Set<Int32>()
        var revenueBefore = [Int32: Double]()
        let chosen = Set(rows.map(Int32.init))
        for i in transactions.day.indices where chosen.contains(transactions.customer[i]) && transactions.day[i] <= asOf && transactions.amount[i] >= 0 {
            let day = transactions.day[i], c = transactions.customer[i]
            if day > asOf - 364 { last.insert(c) } else if day > asOf - 728 {
                before.insert(c)
                revenueBefore[c, default: 0] += transactions.amount[i]
            }
        }
        if before.isEmpty {
            out.append(Measure(area: "retention", measure: "—", value: .nan, unit: .plain, verdict: .unmeasured, why: "no purchases in the year before the last 52 weeks"))
        } else {
            let kept = before.intersection(last), lost = before.subtracting(last)
            out.append(Measure(area: "retention", measure: "customers of the year before who bought again in the last 52 weeks", value: Double(kept.count) / Double(before.count),
                               unit: .ratio, verdict: .unjudged, why: "\(count: kept.count, "customer") of \(count: before.count); `compare` with the next snapshot says whether it rises"))
            let gone = lost.reduce(0.0) { $0 + (revenueBefore[$1] ?? 0) }
            out.append(Measure(area: "retention", measure: "revenue of the year before from customers since lost", value: gone, unit: .money,
                               verdict: gone > 0 ? .destroys : .creates,
                               why: gone > 0 ? "\(count: lost.count, "customer") who bought the year before did not buy again" : "no customer of the year before was lost"))
        }
        // Development: the share of the customers' wallets we hold.
        if let wallet = numbers("wallet"), let share = numbers("share_of_wallet") {
            let withWallet = rows.filter { wallet[$0].isFinite && wallet[$0] > 0 && share[$0].isFinite }
            let held = withWallet.reduce(0.0) { $0 + share[$1] * wallet[$1] }, total = sum(wallet, withWallet)
            out.append(Measure(area: "development", measure: "share of wallet (last 52 weeks)", value: total > 0 ? held / total : .nan, unit: .ratio, verdict: .unjudged,
                               why: "\(max(0, total - held), .money) a year of these customers' spend goes elsewhere: `plan development` says where to start"))
        } else {
            out.append(Measure(area: "development", measure: "—", value: .nan, unit: .plain, verdict: .unmeasured, why: "no wallet: nothing on what customers spend elsewhere"))
        }
        // Recovery: of the customers who lapsed (more than 180 days without a purchase), how many came back.
        var wonBack = 0, stillLapsed = 0
        for c in rows {
            let range = Int(transactions.start[c])..<Int(transactions.start[c + 1])
            let days = range.map { transactions.day[$0] }.filter { $0 <= asOf }.sorted()
            guard let lastDay = days.last else { continue }
            if zip(days, days.dropFirst()).contains(where: { $1 - $0 > Self.lapseDays }) { wonBack += 1 } else if asOf - lastDay > Self.lapseDays { stillLapsed += 1 }
        }
        if wonBack + stillLapsed == 0 {
            out.append(Measure(area: "recovery", measure: "—", value: .nan, unit: .plain, verdict: .unmeasured, why: "no customer went \(Self.lapseDays) days without a purchase"))
        } else {
            out.append(Measure(area: "recovery", measure: "lapsed customers won back", value: Double(wonBack) / Double(wonBack + stillLapsed), unit: .ratio,
                               verdict: .unjudged,
                               why: "\(count: wonBack, "customer") bought again after more than \(Self.lapseDays) days without; \(count: stillLapsed, "customer") still lapsed"))
        }
        return out
    }
}
