/// `valuemap [for segment S]`: Gale's customer value map of each segment, from the value
/// star (`CustomerValueMap` holds the definitions): where we sit against the competitor on
/// relative quality and relative price, which side of the fair-value line, and what one
/// point more on each dimension moves.
struct ValueMapReport {
    let scope: CustomerScope

    func result(segment: Name?) throws(Diagnostic) -> StatementResult {
        let stars = try ValueStarReport(scope: scope).stars()
        guard let segment else { return summary(stars) }
        guard let star = stars.first(where: { $0.segment.lowercased() == segment.text.lowercased() }) else {
            throw Diagnostic(
                "valuestar.csv has no segment `\(segment.text)`", at: segment.range,
                hint: "it has: " + stars.map(\.segment).joined(separator: ", "))
        }
        let map = Self.map(star)
        guard map.hasPrice else {
            throw Diagnostic("the value map needs a price row for \(star.segment) in valuestar.csv, and it has none", at: segment.range)
        }
        return detail(star.segment, map)
    }

    static func map(_ star: ValueStarReport.Star) -> CustomerValueMap {
        CustomerValueMap(dimensions: star.dimensions.map { .init(name: $0.name, importance: $0.importance, ours: $0.score, theirs: $0.competitor) })
    }

    static func position(_ advantage: Double) -> String {
        advantage.isNaN ? "unknown" : advantage > 1e-9 ? "better value" : advantage < -1e-9 ? "worse value" : "fair value"
    }

    /// The dimension whose one point more moves the value advantage most.
    static func bestLever(_ map: CustomerValueMap) -> Int? {
        map.dimensions.indices.filter { map.valuePerPoint($0).isFinite }.max { map.valuePerPoint($0) < map.valuePerPoint($1) }
    }

    private func summary(_ stars: [ValueStarReport.Star]) -> StatementResult {
        let maps = stars.map(Self.map)
        let (customers, revenue) = ValueStarReport(scope: scope).segmentFigures(stars.map(\.segment))
        let table = ResultTable(title: "customer value map by segment", columns: [
            ResultColumn("segment", .text(TextColumn(stars.map(\.segment)))),
            ResultColumn("customers", unit: .count, .number(customers)),
            ResultColumn("revenue", unit: .money, .number(revenue)),
            ResultColumn("relative_quality", unit: .estimate, .number(maps.map(\.relativeQuality))),
            ResultColumn("relative_price", unit: .estimate, .number(maps.map(\.relativePrice))),
            ResultColumn("fair_price", unit: .estimate, .number(maps.map(\.fairPrice))),
            ResultColumn("value_advantage", unit: .estimate, .number(maps.map(\.valueAdvantage))),
            ResultColumn("position", .text(TextColumn(maps.map { Self.position($0.valueAdvantage) }))),
            ResultColumn("best_lever", .text(TextColumn(maps.map { m in Self.bestLever(m).map { m.dimensions[$0].name } }))),
        ], notes: [
            "relative quality: Σ importance × our score ÷ the competitor's, price left out; relative price: the competitor's price score ÷ ours",
            "value advantage = quality's share of importance × (quality − 1) − price's share × (price − 1); fair price: the price the fair-value line gives our quality",
            "`valuemap for segment S` draws the map and what one point more on each dimension is worth",
        ])
        return StatementResult([.table(table)])
    }

    private func detail(_ segment: String, _ map: CustomerValueMap) -> StatementResult {
        let d = map.dimensions
        let order = d.indices.sorted { (map.valuePerPoint($0), -$0) > (map.valuePerPoint($1), -$1) }
        let table = ResultTable(title: "value map of \(segment): one point more on each dimension", columns: [
            ResultColumn("dimension", .text(TextColumn(order.map { d[$0].name }))),
            ResultColumn("importance", unit: .plain, .number(order.map { d[$0].importance })),
            ResultColumn("our_score", unit: .plain, .number(order.map { d[$0].ours })),
            ResultColumn("competitor_score", unit: .plain, .number(order.map { d[$0].theirs })),
            ResultColumn("axis", .text(TextColumn(order.map { d[$0].name == CustomerValueMap.price ? "price" : "quality" }))),
            ResultColumn("value_per_point", unit: .estimate, .number(order.map { map.valuePerPoint($0) })),
        ], notes: ["value_per_point: the change in the value advantage from our score one point higher, all else kept"])
        let (q, p, v) = (map.relativeQuality, map.relativePrice, map.valueAdvantage)
        func r(_ x: Double) -> Prose { "\(exact: (x * 1000).rounded() / 1000)" }
        let advantage: Prose = "\(exact: (v * 10000).rounded() / 10000)"
        var lines: [Prose] = [
            "relative quality \(r(q)), relative price \(r(p)); customers weigh quality \(map.qualityWeight, .ratio) and price \(map.priceWeight, .ratio)",
        ]
        if map.fairPrice.isFinite {
            lines.append("on the fair-value line our quality carries a relative price of \(r(map.fairPrice)); we ask \(r(p)): \(Self.position(v)), value advantage \(advantage)")
            if v < -1e-9 {
                lines.append("to reach the line: cut the price \((p - map.fairPrice) / p, .ratio) (to a relative price of \(r(map.fairPrice))), or raise quality to \(r(q - v / map.qualityWeight))")
            } else if v > 1e-9 {
                lines.append("room to price: up to a relative price of \(r(map.fairPrice)) before the offer is worse value than the competitor's")
            }
        } else {
            lines.append("price carries no importance in \(segment): value is quality alone, advantage \(advantage)")
        }
        if let best = Self.bestLever(map) {
            lines.append("the best lever: \(d[best].name), \(r(map.valuePerPoint(best))) of advantage per point")
        }
        let line = map.fairValueLine(across: (min(q, 1) - 1)...(max(q, 1) + 1))  // clipped to the frame when drawn
        let chart = Chart(title: "customer value map of \(segment): relative quality against relative price", kind: .scatter(
            points: [ChartPoint("us", x: q, y: p), ChartPoint("competitor", x: 1, y: 1)],
            line: [ChartPoint("", x: line[0].q, y: line[0].p), ChartPoint("fair-value line: below it, better value than the competitor's", x: line[1].q, y: line[1].p)],
            xLabel: "relative perceived quality", yLabel: "relative price"))
        return StatementResult([.table(table), .message(lines.joined(separator: "\n")), .chart(chart)])
    }
}
