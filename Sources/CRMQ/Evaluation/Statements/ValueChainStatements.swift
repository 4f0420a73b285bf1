/// `portfolio`, `rfm`, `ssc` and `pareto`: the value chain's first step (which customers
/// matter, and how), as tables, small grids and the whale curve.
struct ValueChainStatements {
    let scope: CustomerScope

    private func figures(_ rows: [Int32], _ field: Field) -> [Double] {
        let all = scope.snapshot.customers.numbers(field)
        return rows.map { all[Int($0)] }
    }

    /// The customers' names (their ids where they have none), as a column of codes.
    private func labels(_ rows: [Int]) -> TextColumn {
        let ids = scope.snapshot.customers.ids
        guard let names = scope.snapshot.customers.text(CustomerFields.name) else {
            return TextColumn(codes: rows.map { ids.codes[$0] }, values: ids.values)
        }
        guard rows.contains(where: { names.codes[$0] < 0 }) else { return TextColumn(codes: rows.map { names.codes[$0] }, values: names.values) }
        return TextColumn(rows.map { names[$0] ?? ids[$0] })
    }

    private func sum(_ values: [Double]) -> Double { values.reduce(0) { $1.isNaN ? $0 : $0 + $1 } }

    /// The four groups in their fixed order, with their customers' figures and shares.
    func portfolio(_ filter: CustomerFilter) throws(Diagnostic) -> StatementResult {
        let rows = try scope.rows(filter)
        guard scope.snapshot.marginKnown else {
            throw Diagnostic("portfolio needs profit, and this snapshot has no margins (no margin column, no margin_rate)", hint: "set margin_rate = 30% values margin as that share of the amount")
        }
        let (groups, clvAll, threshold, source) = try scope.portfolio()
        let revenue = figures(rows, CustomerFields.revenue), profit = figures(rows, CustomerFields.profit)
        let clv = rows.map { clvAll[Int($0)] }
        let totals = (customers: Double(rows.count), revenue: sum(revenue), profit: sum(profit), clv: sum(clv))
        // One pass: customers, revenue, profit and clv per group, in the groups' order.
        var columns = [[Double]](repeating: [Double](repeating: 0, count: Portfolio.groups.count), count: 4)
        for (i, row) in rows.enumerated() {
            let k = Int(groups.codes[Int(row)])
            guard k >= 0 else { continue }
            columns[0][k] += 1
            if !revenue[i].isNaN { columns[1][k] += revenue[i] }
            if !profit[i].isNaN { columns[2][k] += profit[i] }
            if !clv[i].isNaN { columns[3][k] += clv[i] }
        }
        func share(_ values: [Double], _ total: Double) -> ColumnData { .number(values.map { total != 0 ? $0 / total : .nan }) }
        let table = ResultTable(title: "portfolio", columns: [
            ResultColumn("group", .text(TextColumn(Portfolio.groups))),
            ResultColumn("customers", unit: .count, .number(columns[0])),
            ResultColumn("customer_share", unit: .ratio, share(columns[0], totals.customers)),
            ResultColumn("revenue", unit: .money, .number(columns[1])),
            ResultColumn("revenue_share", unit: .ratio, share(columns[1], totals.revenue)),
            ResultColumn("profit", unit: .money, .number(columns[2])),
            ResultColumn("profit_share", unit: .ratio, share(columns[2], totals.profit)),
            ResultColumn("clv", unit: .money, .number(columns[3])),
            ResultColumn("clv_share", unit: .ratio, share(columns[3], totals.clv)),
        ], notes: [
            "profitable now: profit > 0; potential: clv \(Portfolio.above) \(threshold, .money) (\(source))",
        ])
        // The 2×2 grid: profitable now (rows) against potential (columns).
        let at = [[1, 0], [3, 2]]
        let grid = Chart(title: "portfolio: customers by profit now and potential", kind: .heatMap(
            rowTitle: "profit", rows: ["profitable now", "not profitable now"], columnTitle: "potential",
            columns: ["little potential", "high potential"], values: at.map { $0.map { columns[0][$0] } },
            cells: at.map { $0.map { k in
                "\(Portfolio.groups[k]) \(columns[0][k], .count) (\(totals.customers > 0 ? columns[0][k] / totals.customers : 0, .ratio))"
            } }))
        return StatementResult([.table(table), .chart(grid)])
    }

    /// The strategically significant customers of each kind, with the evidence for each.
    func ssc(_ filter: CustomerFilter) throws(Diagnostic) -> StatementResult {
        let rows = try scope.rows(filter)
        let customers = scope.snapshot.customers
        let transactions = scope.snapshot.transactions
        let clv = try scope.models.fitted(scope.snapshot, scope.settings).clv
        func bools(_ field: Field) -> [UInt8]? { if case .bool(let v) = customers.column(field.name) { v } else { nil } }
        var volume = [Double](repeating: 0, count: customers.count)
        let units = transactions.quantity ?? transactions.amount
        volume.withUnsafeMutableBufferPointer { volume in
            units.withUnsafeBufferPointer { units in
                transactions.customer.withUnsafeBufferPointer { customer in
                    transactions.amount.withUnsafeBufferPointer { amount in
                        // A return's quantity is what went back: it takes units off.
                        for i in 0..<units.count where !units[i].isNaN {
                            volume[Int(customer[i])] += amount[i] < 0 ? -units[i].magnitude : units[i]
                        }
                    }
                }
            }
        }
        let evidence = StrategicCustomers.find(
            clv: clv, benchmark: bools(CustomerFields.benchmark), referrals: customers.optionalNumbers(CustomerFields.referrals),
            inspiration: bools(CustomerFields.inspiration), ideas: customers.optionalNumbers(CustomerFields.ideas), volume: volume, volumeIsUnits: transactions.quantity != nil)
        var chosen = [Bool](repeating: rows.count == customers.count, count: customers.count)
        if rows.count != customers.count { for row in rows { chosen[Int(row)] = true } }
        let kept = evidence.ranked.indices.filter { chosen[Int(evidence.ranked[$0])] }
        let listed = kept.map { Int(evidence.ranked[$0]) }
        let fixed = scope.settings.fixedCosts ?? scope.snapshot.info.fixedCosts
        let referrals = customers.optionalNumbers(CustomerFields.referrals), ideas = customers.optionalNumbers(CustomerFields.ideas)
        let ids = customers.ids
        let kindText = (0..<16).map { mask in
            StrategicCustomers.kinds.indices.filter { mask & (1 << $0) != 0 }.map { StrategicCustomers.kinds[$0] }.joined(separator: ", ")
        }
        var columns = [
            ResultColumn("id", .text(TextColumn(codes: listed.map { ids.codes[$0] }, values: ids.values))),
            ResultColumn("name", .text(labels(listed))),
            ResultColumn("kinds", .text(TextColumn(codes: listed.map { Int32(evidence.kindMask[$0]) }, values: kindText))),
            ResultColumn("clv", unit: .money, .number(listed.map { clv[$0] })),
            ResultColumn("clv_rank", unit: .count, .number(kept.map { Double(evidence.clvRank[$0]) })),
            ResultColumn("referrals", unit: .count, .number(listed.map { referrals?[$0] ?? .nan })),
            ResultColumn("ideas", unit: .count, .number(listed.map { ideas?[$0] ?? .nan })),
            ResultColumn(evidence.volumeIsUnits ? "share_of_units" : "share_of_revenue", unit: .ratio,
                         .number(listed.map { evidence.volumeShare(of: $0) })),
        ]
        if let fixed {
            columns.append(ResultColumn("fixed_cost_absorbed", unit: .money, .number(listed.map { evidence.volumeShare(of: $0) * fixed })))
        }
        let counts = StrategicCustomers.kinds.indices.map { k in Double(listed.filter { evidence.kindMask[$0] & (1 << k) != 0 }.count) }
        let summary = ResultTable(title: "strategically significant customers", columns: [
            ResultColumn("kind", .text(TextColumn(StrategicCustomers.kinds))),
            ResultColumn("customers", unit: .count, .number(counts)),
        ], notes: ["high lifetime value: \(StrategicCustomers.topText) (rank ≤ \(Int((StrategicCustomers.topShare * Double(customers.count)).rounded(.up))) of \(count: customers.count)); "
            + "benchmark: benchmark true or \(StrategicCustomers.referralsText); inspiration: inspiration true or \(StrategicCustomers.ideasText); cost magnet: \(StrategicCustomers.magnetText) of all "
            + (evidence.volumeIsUnits ? "units" : "revenue") + (fixed.map { " (of fixed costs \($0, .money))" } ?? "")])
        return StatementResult([.table(summary), .table(ResultTable(columns: columns))])
    }

    /// The whale curve: the top shares, the peak, and what unprofitable customers destroy.
    func pareto(by: ParetoMeasure, _ filter: CustomerFilter) throws(Diagnostic) -> StatementResult {
        let measure = by.rawValue
        if by == .profit, !scope.snapshot.marginKnown {
            throw Diagnostic("pareto by profit needs margins, and this snapshot has none", hint: "pareto by revenue")
        }
        let rows = try scope.rows(filter)
        guard case .number(let all) = try scope.resolve(measure)?.1 else { throw Diagnostic("no field \(measure) to rank by") }
        let curve = WhaleCurve(rows.lazy.map { all[Int($0)] })
        guard curve.count > 0 else { throw Diagnostic("no customers to rank") }
        let fractions = [0.01, 0.05, 0.10, 0.20, 0.50, 1.0]
        let tops = fractions.map { curve.top($0) }
        let sums = tops.map { curve.cumulative($0) }
        let share = { (v: Double) -> Double in curve.total != 0 ? v / curve.total : .nan }
        let table = ResultTable(title: "whale curve by \(measure)", columns: [
            ResultColumn("top", unit: .ratio, .number(fractions)),
            ResultColumn("customers", unit: .count, .number(tops.map(Double.init))),
            ResultColumn(measure, unit: .money, .number(sums)),
            ResultColumn("share_of_total", unit: .ratio, .number(sums.map(share))),
        ])
        let peak = curve.peak
        let summary = ResultTable(columns: [
            ResultColumn("total", unit: .money, .number([curve.total])),
            ResultColumn("peak", unit: .money, .number([peak.value])),
            ResultColumn("peak_share_of_total", unit: .ratio, .number([share(peak.value)])),
            ResultColumn("peak_at_customers", unit: .count, .number([Double(peak.customers)])),
            ResultColumn("peak_at_share_of_customers", unit: .ratio, .number([Double(peak.customers) / Double(curve.count)])),
            ResultColumn("destroyed_by_customers_below_zero", unit: .money, .number([curve.destroyed])),
        ], isRecord: true)
        guard curve.total != 0 else {
            // Shares of a total of 0 are not numbers: the sums stand, with no curve to draw.
            var noted = summary
            noted.notes = ["the \(measure) of these customers adds up to 0, so it has no shares and no curve"]
            return StatementResult([.table(table), .table(noted)])
        }
        // The cumulative share at every 2.5% of the customers.
        let points = (1...40).map { share(curve.cumulative(curve.top(Double($0) / 40))) }
        let chart = Chart(title: "whale curve: cumulative share of \(measure), customers ranked by it (peak \(share(peak.value), .ratio) "
            + "at \(Double(peak.customers) / Double(curve.count), .ratio) of the customers)",
            kind: .curve(points: points, xLabel: "customers ranked by \(measure), largest first"))
        return StatementResult([.table(table), .table(summary), .chart(chart)])
    }

    /// The named segments in their order of precedence, and the recency × frequency grid.
    func rfm(_ filter: CustomerFilter) throws(Diagnostic) -> StatementResult {
        let rows = try scope.rows(filter)
        let result = scope.analytics.rfm(scope.snapshot, scope.settings)
        let revenue = scope.snapshot.customers.numbers(CustomerFields.revenue)
        let names = RFM.segmentNames
        var counts = [Double](repeating: 0, count: names.count), sums = counts
        var grid = [[Double]](repeating: [Double](repeating: 0, count: 5), count: 5)
        var scored = 0.0, total = 0.0
        for row in rows.map(Int.init) {
            let k = Int(result.segment.codes[row])
            guard k >= 0 else { continue }
            counts[k] += 1
            sums[k] += revenue[row]
            scored += 1
            total += revenue[row]
            grid[5 - Int(result.r[row])][Int(result.f[row]) - 1] += 1
        }
        let segments = ResultTable(title: "RFM segments", columns: [
            ResultColumn("segment", .text(TextColumn(names))),
            ResultColumn("customers", unit: .count, .number(counts)),
            ResultColumn("customer_share", unit: .ratio, .number(counts.map { scored > 0 ? $0 / scored : .nan })),
            ResultColumn("revenue", unit: .money, .number(sums)),
            ResultColumn("revenue_share", unit: .ratio, .number(sums.map { total != 0 ? $0 / total : .nan })),
        ], notes: rows.count > Int(scored) ? ["no RFM scores for \(count: rows.count - Int(scored), "customer") without a purchase"] : [])
        var gridColumns = [ResultColumn("recency", unit: .count, .number([5, 4, 3, 2, 1]))]
        for f in 0..<5 { gridColumns.append(ResultColumn("f\(f + 1)", unit: .count, .number(grid.map { $0[f] }))) }
        let title: Prose = "customers by recency (rows, 5 most recent) and frequency (columns) score"
        let heat = Chart(title: title, kind: .heatMap(
            rowTitle: "recency", rows: ["R5", "R4", "R3", "R2", "R1"], columnTitle: "frequency", columns: ["F1", "F2", "F3", "F4", "F5"],
            values: grid, cells: grid.map { $0.map { "\($0, .count)" } }))
        let gridTable = ResultTable(title: title, columns: gridColumns, drawing: heat)
        return StatementResult([.table(segments), .table(gridTable), .table(rfmCuts(result))])
    }

    /// The cuts each score used: cut k divides score k from k + 1 (a value at a cut takes the
    /// lower score). Recency's are days_since, where fewer days score higher.
    private func rfmCuts(_ result: RFM.Result) -> ResultTable {
        let cuts = [result.cuts.r.map { -$0 }, result.cuts.f, result.cuts.m]
        var columns = [
            ResultColumn("score", .text(TextColumn(RFMLetter.allCases.map(\.rawValue)))),
            ResultColumn("field", .text(TextColumn([CustomerFields.daysSince, CustomerFields.orders, CustomerFields.revenue].map(\.name)))),
        ]
        for k in 0..<4 {
            columns.append(ResultColumn("cut_\(k + 1)", unit: .plain, .number(cuts.map { $0.count == 4 ? $0[k] : .nan })))
        }
        columns.append(ResultColumn("from", .text(TextColumn(RFMLetter.allCases.map { scope.settings.rfmCuts[$0] == nil ? "quantiles" : "set" }))))
        return ResultTable(title: "cuts: score = 1 + the cuts below the value (recency: above days_since)", columns: columns, notes: [
            "`set rfm_cuts frequency = 1, 2, 4, 8` sets a score's cuts; `= quantiles` goes back to the \(RFM.quantilesText) quantiles",
        ])
    }
}
