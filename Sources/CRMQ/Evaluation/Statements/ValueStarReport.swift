/// `valuestar [for segment S]`: Buttle's eight sources of customer value, per segment —
/// how much each matters, our score against the competitor's, and the gap weighted by
/// importance (importance × (score − competitor's)); strengths and weaknesses ranked by it.
struct ValueStarReport {
    let scope: CustomerScope

    /// One segment's rows: dimension, importance, score, competitor's, weighted gap.
    struct Star {
        var segment: String
        var dimensions: [(name: String, importance: Double, score: Double, competitor: Double)]

        func weightedGap(_ k: Int) -> Double { dimensions[k].importance * (dimensions[k].score - dimensions[k].competitor) }

        /// Σ importance × score / Σ importance, ours and the competitor's.
        var weightedScores: (ours: Double, theirs: Double) {
            let weight = dimensions.reduce(0) { $0 + $1.importance }
            guard weight > 0 else { return (.nan, .nan) }
            return (dimensions.reduce(0) { $0 + $1.importance * $1.score } / weight,
                    dimensions.reduce(0) { $0 + $1.importance * $1.competitor } / weight)
        }

        /// Dimension indices by weighted gap, largest first (ties by the star's order).
        var ranked: [Int] {
            dimensions.indices.sorted { (weightedGap($0), -$0) > (weightedGap($1), -$1) }
        }
    }

    func stars() throws(Diagnostic) -> [Star] {
        guard let table = scope.snapshot.valueStar else {
            throw Diagnostic("valuestar needs valuestar.csv (segment, dimension, importance, score, competitor_score), and \(scope.snapshot.name) has none")
        }
        var order: [String] = []
        var rows: [String: [Int]] = [:]
        for i in table.dimension.indices {
            let segment = table.segment[i] ?? ""
            if rows[segment] == nil { order.append(segment) }
            rows[segment, default: []].append(i)
        }
        return order.map { segment in
            let mine = rows[segment]!.sorted { table.dimension[$0] < table.dimension[$1] }
            return Star(segment: segment, dimensions: mine.map {
                (ValueStarTable.dimensions[table.dimension[$0]], table.importance[$0], table.score[$0], table.competitorScore[$0])
            })
        }
    }

    func result(segment: Name?) throws(Diagnostic) -> StatementResult {
        let stars = try stars()
        guard let segment else { return summary(stars) }
        guard let star = stars.first(where: { $0.segment.lowercased() == segment.text.lowercased() }) else {
            throw Diagnostic(
                "valuestar.csv has no segment `\(segment.text)`", at: segment.range,
                hint: "it has: " + stars.map(\.segment).joined(separator: ", "))
        }
        return detail(star)
    }

    private func summary(_ stars: [Star]) -> StatementResult {
        let (customers, revenue) = segmentFigures(stars.map(\.segment))
        let table = ResultTable(title: "value star by segment", columns: [
            ResultColumn("segment", .text(TextColumn(stars.map(\.segment)))),
            ResultColumn("customers", unit: .count, .number(customers)),
            ResultColumn("revenue", unit: .money, .number(revenue)),
            ResultColumn("our_score", unit: .estimate, .number(stars.map { $0.weightedScores.ours })),
            ResultColumn("competitor_score", unit: .estimate, .number(stars.map { $0.weightedScores.theirs })),
            ResultColumn("weighted_gap", unit: .plain, .number(stars.map { s in s.dimensions.indices.reduce(0) { $0 + s.weightedGap($1) } })),
            ResultColumn("main_strength", .text(TextColumn(stars.map { s in s.ranked.first.flatMap { s.weightedGap($0) > 0 ? s.dimensions[$0].name : nil } }))),
            ResultColumn("main_weakness", .text(TextColumn(stars.map { s in s.ranked.last.flatMap { s.weightedGap($0) < 0 ? s.dimensions[$0].name : nil } }))),
        ], notes: ["scores are importance-weighted means; weighted gap = Σ importance × (ours − competitor's); `valuestar for segment S` shows the eight"])
        return StatementResult([.table(table)])
    }

    private func detail(_ star: Star) -> StatementResult {
        let order = star.ranked
        let d = star.dimensions
        let table = ResultTable(title: "value star of \(star.segment), strongest first", columns: [
            ResultColumn("dimension", .text(TextColumn(order.map { d[$0].name }))),
            ResultColumn("importance", unit: .plain, .number(order.map { d[$0].importance })),
            ResultColumn("our_score", unit: .plain, .number(order.map { d[$0].score })),
            ResultColumn("competitor_score", unit: .plain, .number(order.map { d[$0].competitor })),
            ResultColumn("gap", unit: .plain, .number(order.map { d[$0].score - d[$0].competitor })),
            ResultColumn("weighted_gap", unit: .plain, .number(order.map { star.weightedGap($0) })),
            ResultColumn("verdict", .text(TextColumn(order.map { star.weightedGap($0) > 0 ? "strength" : star.weightedGap($0) < 0 ? "weakness" : "par" }))),
        ])
        let scores = star.weightedScores
        func list(_ ks: [Int]) -> Prose {
            ks.isEmpty ? "none" : ks.map { "\(d[$0].name) (\(exact: star.weightedGap($0)))" as Prose }.joined(separator: ", ")
        }
        let strengths = order.filter { star.weightedGap($0) > 0 }
        let weaknesses = order.filter { star.weightedGap($0) < 0 }.reversed()
        let verdict: Prose = """
            importance-weighted score: ours \(exact: (scores.ours * 100).rounded() / 100), \
            the competitor's \(exact: (scores.theirs * 100).rounded() / 100)
            strengths to build on: \(list(strengths))
            weaknesses to fix, worst first: \(list(Array(weaknesses)))
            """
        let maximum = max(10, d.map { max($0.score, $0.competitor) }.max() ?? 10)
        let chart = Chart(title: "value star of \(star.segment): our score against the competitor's", kind: .bars(
            labels: d.map { "\($0.name) (importance \(NumberText.plain($0.importance)))" }, series: ["ours", "competitor"],
            values: d.map { [$0.score, $0.competitor] }, maximum: maximum))
        return StatementResult([.table(table), .message(verdict), .chart(chart)])
    }

    /// Customers and revenue of each segment by the customers' `segment` column.
    func segmentFigures(_ segments: [String]) -> ([Double], [Double]) {
        guard let column = scope.snapshot.customers.text(CustomerFields.segment) else {
            return (segments.map { _ in .nan }, segments.map { _ in .nan })
        }
        let revenue = scope.snapshot.customers.numbers(CustomerFields.revenue)
        var customers = [Double](repeating: 0, count: segments.count), sums = customers
        let lowered = segments.map { $0.lowercased() }
        let indexOfCode = column.values.map { lowered.firstIndex(of: $0.lowercased()) }
        for (row, code) in column.codes.enumerated() where code >= 0 {
            guard let k = indexOfCode[Int(code)] else { continue }
            customers[k] += 1
            sums[k] += revenue[row]
        }
        return (customers, sums)
    }
}
