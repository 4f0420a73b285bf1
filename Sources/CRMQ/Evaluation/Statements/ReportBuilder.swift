import Foundation

/// `report [in S] [where …] to FILE`: the answers a manager or a class looks at, gathered
/// into one `Report`, each under one sentence computed from them. A section the snapshot
/// cannot fill (no margins, no payments, no value star, no holdout) throws why, and is
/// listed as left out with that reason, never filled with anything made up.
struct ReportBuilder {
    let scope: CustomerScope
    let filter: CustomerFilter
    /// The statement as written, for the page's footer.
    let statement: String

    /// The most customers a list in the report shows.
    static let listLength = 10

    func report() throws(Diagnostic) -> Report {
        // The models' figures are of every customer whatever the filter keeps.
        try WorkMemory.report.check(customers: scope.snapshot.customers.count)
        let rows = try scope.rows(filter)
        guard !rows.isEmpty else { throw Diagnostic("no customers to report on" + (filter == CustomerFilter() ? "" : ": the filter keeps none")) }
        let snapshot = scope.snapshot
        var sections: [Report.Section] = []
        var omitted: [Prose] = []
        func add(_ title: String, _ build: () throws(Diagnostic) -> Report.Section) {
            do throws(Diagnostic) {
                sections.append(try build())
            } catch {
                omitted.append("\(title): \(error.message)")
            }
        }
        add("the book at a glance") { () throws(Diagnostic) in try glance(rows) }
        add("the whale curve") { () throws(Diagnostic) in try whaleCurve() }
        add("the portfolio") { () throws(Diagnostic) in try portfolio() }
        add("RFM") { () throws(Diagnostic) in try rfm() }
        add("lifetime value") { () throws(Diagnostic) in try clvDistribution(rows) }
        add("the model against the holdout") { () throws(Diagnostic) in try validation() }
        add("retention calls") { () throws(Diagnostic) in try retention(rows) }
        add("the credit watch list") { () throws(Diagnostic) in try credit() }
        add("the value star and the value map") { () throws(Diagnostic) in try valueProposition() }
        let facts: [Prose] = [
            "as of \(CalendarDay.format(snapshot.info.asOf)), \(count: rows.count, "customer")"
                + (filter == CustomerFilter() ? "" : " (\(SourceText.filter(filter).trimmingCharacters(in: .whitespaces)))"),
            "made by crmq: \(statement)",
        ]
        return Report(title: "Customer value report: \(snapshot.name)", facts: facts, sections: sections, omitted: omitted)
    }

    private func numbers(_ name: String) throws(Diagnostic) -> [Double]? {
        guard case .number(let values) = try scope.resolve(name)?.1 else { return nil }
        return values
    }

    private func sum(_ values: [Double], _ rows: [Int32]) -> Double {
        rows.reduce(0) { $0 + (values[Int($1)].isNaN ? 0 : values[Int($1)]) }
    }

    private func glance(_ rows: [Int32]) throws(Diagnostic) -> Report.Section {
        let names = ["revenue", "margin", "cost_to_serve", "profit", "clv"]
        var figures: [(String, Double)] = []
        for name in names {
            // clv needs a model the snapshot may not support: the book is shown without it.
            guard let values = try? numbers(name) else { continue }
            if name == "margin" || name == "profit", !scope.snapshot.marginKnown { continue }
            if name == "cost_to_serve", scope.snapshot.activities == nil { continue }  // 0 by definition, not a finding
            figures.append((name, sum(values, rows)))
        }
        let table = ResultTable(columns: [ResultColumn("customers", unit: .count, .number([Double(rows.count)]))]
            + figures.map { ResultColumn($0.0, unit: .money, .number([$0.1])) }, isRecord: true)
        let value = Dictionary(uniqueKeysWithValues: figures)
        var sentence: Prose = "\(count: rows.count, "customer") bought \(value["revenue"] ?? .nan, .money) up to \(CalendarDay.format(scope.snapshot.info.asOf))"
        if let profit = value["profit"], let revenue = value["revenue"], revenue != 0 {
            let cost: Prose = value["cost_to_serve"].map { "after \($0, .money) of cost to serve " } ?? ""
            sentence = sentence + "; " + cost + "they leave \(profit, .money) of profit, \(profit / revenue, .ratio) of revenue"
        }
        if let clv = value["clv"] {
            sentence = sentence + "; the model expects \(clv, .money) more of discounted margin from them (clv)"
        }
        return Report.Section(title: "The book at a glance", sentence: sentence + ".", blocks: [.table(table)])
    }

    private func whaleCurve() throws(Diagnostic) -> Report.Section {
        let measure: ParetoMeasure = scope.snapshot.marginKnown ? .profit : .revenue
        let result = try ValueChainStatements(scope: scope).pareto(by: measure, filter)
        let tables = result.tables
        guard tables.count == 2, let total = tables[1].number("total"), total != 0 else { throw Diagnostic("the \(measure.rawValue) of these customers adds up to 0") }
        let top20 = tables[0].number("share_of_total", row: 3) ?? .nan  // rows: top 1, 5, 10, 20, 50, 100%
        let peak = tables[1].number("peak_share_of_total") ?? .nan
        let peakAt = tables[1].number("peak_at_share_of_customers") ?? .nan
        let destroyed = tables[1].number("destroyed_by_customers_below_zero") ?? 0
        var sentence: Prose = "The top 20% of customers hold \(top20, .ratio) of the \(measure.rawValue)"
        if peak > 1.0005 {
            sentence = sentence + "; the curve peaks at \(peak, .ratio) of the total with \(peakAt, .ratio) of the customers, and those below zero give back \(-destroyed, .money)."
        } else {
            sentence = sentence + "; no customer takes \(measure.rawValue) away, so the curve never rises above 100%."
        }
        return Report.Section(title: "The whale curve", sentence: sentence, blocks: result.blocks)
    }

    private func portfolio() throws(Diagnostic) -> Report.Section {
        let result = try ValueChainStatements(scope: scope).portfolio(filter)
        let table = result.tables[0]
        let groups = Portfolio.groups
        let shares = groups.indices.map { table.number("profit_share", row: $0) ?? .nan }
        let clvShares = groups.indices.map { table.number("clv_share", row: $0) ?? .nan }
        let customers = groups.indices.map { table.number("customers", row: $0) ?? 0 }
        let invest = groups.firstIndex(of: "invest")!
        let losing = groups.indices.filter { shares[$0] < 0 }
        var sentence: Prose = "\(count: Int(customers[invest]), "customer") to invest in hold \(clvShares[invest], .ratio) of the lifetime value and earn \(shares[invest], .ratio) of today's profit"
        if !losing.isEmpty {
            sentence = sentence + "; " + losing.map { "\(groups[$0]) (\(count: Int(customers[$0]), "customer")) loses \(-shares[$0], .ratio)" as Prose }.joined(separator: ", ")
        }
        return Report.Section(title: "The portfolio", sentence: sentence + ".", blocks: result.blocks)
    }

    private func rfm() throws(Diagnostic) -> Report.Section {
        let result = try ValueChainStatements(scope: scope).rfm(filter)
        let table = result.tables[0]
        let names = (0..<table.rowCount).compactMap { table.text("segment", row: $0) }
        let counts = names.indices.map { table.number("customers", row: $0) ?? 0 }
        let revenue = names.indices.map { table.number("revenue_share", row: $0) ?? .nan }
        let largest = names.indices.max { counts[$0] < counts[$1] }!
        let richest = names.indices.max { (revenue[$0].isNaN ? -1 : revenue[$0]) < (revenue[$1].isNaN ? -1 : revenue[$1]) }!
        let sentence: Prose = "The largest RFM segment is \(names[largest]) (\(count: Int(counts[largest]), "customer")); \(names[richest]) bring the most revenue, \(revenue[richest], .ratio) of it."
        return Report.Section(title: "Recency, frequency, monetary value", sentence: sentence, blocks: result.blocks)
    }

    private func clvDistribution(_ rows: [Int32]) throws(Diagnostic) -> Report.Section {
        guard let clv = try numbers("clv") else { throw Diagnostic("this snapshot has no clv") }
        let values = rows.map { clv[Int($0)] }.filter { !$0.isNaN }
        guard !values.isEmpty else { throw Diagnostic("no customer here has a clv") }
        let bands = ValueBands(values)
        let total = values.reduce(0, +)
        let median = Statistics.median(values)
        let chart = Chart(title: "customers by lifetime value (clv)", kind: .bars(
            labels: bands.labels.indices.map { "\(bands.labels[$0]) (\(ValueText.display(total != 0 ? bands.sums[$0] / total : .nan, unit: .ratio)) of clv)" },
            series: ["customers"], values: bands.counts.map { [Double($0)] }, maximum: Double(bands.counts.max() ?? 1)))
        let table = ResultTable(title: "customers by lifetime value", columns: [
            ResultColumn("clv", .text(TextColumn(bands.labels))),
            ResultColumn("customers", unit: .count, .number(bands.counts.map(Double.init))),
            ResultColumn("clv_total", unit: .money, .number(bands.sums)),
            ResultColumn("clv_share", unit: .ratio, .number(bands.sums.map { total != 0 ? $0 / total : .nan })),
        ])
        // The asset view: the total with its own interval, and how concentrated value and risk are.
        let assets = try AssetReport(scope: scope).result(filter)
        let sentence: Prose = "Half the customers are worth less than \(median, .money). " + (assets.messages.first ?? "")
        return Report.Section(title: "Lifetime value", sentence: sentence, blocks: [.chart(chart), .table(table)] + assets.blocks.filter { if case .table = $0 { true } else { false } })
    }

    private func validation() throws(Diagnostic) -> Report.Section {
        let validation = Validation(scope: scope)
        guard validation.holdout() != nil else {
            throw Diagnostic("no holdout: the snapshot keeps no purchases after as_of (load it `as of` an earlier date to keep some back)")
        }
        let result = try validation.result(model: nil, holdoutEnd: nil)
        guard let (predicted, actual) = Validation.totals(of: result) else { throw Diagnostic("no repeat purchase in the holdout to compare with") }
        let sentence: Prose = "Over the holdout the model predicted \(predicted, decimals: 0) repeat purchases of all the snapshot's customers and \(actual, decimals: 0) were made: \(predicted / actual - 1, .ratio) off."
        return Report.Section(title: "The model against the holdout", sentence: sentence, blocks: result.blocks)
    }

    private func retention(_ rows: [Int32]) throws(Diagnostic) -> Report.Section {
        let members = Plans.Members(
            name: "report", rows: rows.map(Int.init),
            definition: filter == CustomerFilter() ? "the book" : "the report's customers (\(SourceText.filter(filter).trimmingCharacters(in: .whitespaces)))")
        let result = try Plans(scope: scope).retention(segment: members)
        guard let list = result.tables.first, list.rowCount > 0 else { throw Diagnostic("no customer here has value at risk") }
        let risk = (0..<list.rowCount).reduce(0.0) { $0 + (list.number("value_at_risk", row: $1) ?? 0) }
        let first = list.text("name", row: 0) ?? list.text("id", row: 0) ?? ""
        let sentence: Prose = "The \(count: list.rowCount, "customer") below carry \(risk, .money) of lifetime value at risk (clv × (1 − p_alive)); \(first) comes first, with \(list.number("value_at_risk", row: 0) ?? .nan, .money)."
        return Report.Section(title: "Customers most worth a retention call", sentence: sentence, blocks: result.blocks)
    }

    private func credit() throws(Diagnostic) -> Report.Section {
        guard scope.snapshot.payments != nil else { throw Diagnostic("no payments in this snapshot") }
        let result = try CreditReport(scope: scope).result(for: nil, filter)
        guard let grades = result.tables.first else { throw Diagnostic("no invoices due") }
        let d = (0..<grades.rowCount).first { grades.text("grade", row: $0) == "D" }
        let c = (0..<grades.rowCount).first { grades.text("grade", row: $0) == "C" }
        let weak = (d.flatMap { grades.number("customers", row: $0) } ?? 0) + (c.flatMap { grades.number("customers", row: $0) } ?? 0)
        let unpaid = (0..<grades.rowCount).reduce(0.0) { $0 + (grades.number("unpaid", row: $1) ?? 0) }
        let sentence: Prose = "\(count: Int(weak), "customer") grade C or D; \(unpaid, .money) of invoices due is unpaid. The weakest payers first:"
        return Report.Section(title: "The credit watch list", sentence: sentence, blocks: result.blocks)
    }

    private func valueProposition() throws(Diagnostic) -> Report.Section {
        guard scope.snapshot.valueStar != nil else { throw Diagnostic("no valuestar.csv in this snapshot") }
        let star = try ValueStarReport(scope: scope).result(segment: nil)
        let map = try ValueMapReport(scope: scope).result(segment: nil)
        let stars = try ValueStarReport(scope: scope).stars()
        // The segment with the most revenue is drawn.
        let revenue = ValueStarReport(scope: scope).segmentFigures(stars.map(\.segment)).1
        let biggest = stars.indices.max { (revenue[$0].isNaN ? -1 : revenue[$0]) < (revenue[$1].isNaN ? -1 : revenue[$1]) }!
        let name = Name(stars[biggest].segment, SourceRange(0, 0))
        let starDetail = try ValueStarReport(scope: scope).result(segment: name)
        let mapDetail = try? ValueMapReport(scope: scope).result(segment: name)
        let maps = stars.map(ValueMapReport.map)
        let worse = stars.indices.filter { maps[$0].valueAdvantage < -1e-9 }.map { stars[$0].segment }
        var sentence: Prose = "Against the competitor, "
        sentence = sentence + (worse.isEmpty ? "every segment with a price score gets better or fair value from us" : "we are worse value in \(worse.joined(separator: ", "))")
        sentence = sentence + "; \(stars[biggest].segment), the segment with the most revenue, is drawn."
        return Report.Section(title: "The value star and the value map", sentence: sentence, blocks:
            star.blocks + map.blocks + starDetail.blocks.filter { if case .chart = $0 { true } else { false } }
                + (mapDetail?.blocks.filter { if case .chart = $0 { true } else { false } } ?? []))
    }
}

/// Bands of values by powers of ten (below 0, 0 to 10, 10 to 100, …), the empty ones at
/// either end left out: a distribution that spans pennies to millions reads in one chart.
struct ValueBands {
    var labels: [String] = []
    var counts: [Int] = []
    var sums: [Double] = []

    init(_ values: [Double]) {
        func band(_ v: Double) -> Int { v < 0 ? -1 : v < 10 ? 0 : min(12, Int(log10(v))) }
        let all = values.map(band)
        guard let low = all.min(), let high = all.max() else { return }
        func short(_ v: Double) -> String { NumberText.plain(v >= 1e6 ? v / 1e6 : v >= 1e3 ? v / 1e3 : v) + (v >= 1e6 ? "m" : v >= 1e3 ? "k" : "") }
        for k in low...high {
            labels.append(k < 0 ? "below 0" : k == 0 ? "0 to 10" : "\(short(pow(10, Double(k)))) to \(short(pow(10, Double(k + 1))))")
            counts.append(0)
            sums.append(0)
        }
        for (v, k) in zip(values, all) {
            counts[k - low] += 1
            sums[k - low] += v
        }
    }
}
