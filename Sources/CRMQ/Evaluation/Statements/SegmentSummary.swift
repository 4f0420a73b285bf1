/// `segment where … [as NAME]` and `segment by KEY [where …] [show …]`: how many customers
/// a segment holds and what share of revenue, margin and profit they bring.
struct SegmentSummary {
    let scope: CustomerScope

    /// One row for the customers meeting the condition, their shares taken of all customers.
    func summarise(condition: Expr, name: String?) throws(Diagnostic) -> ResultTable {
        let rows = try scope.rows(CustomerFilter(condition: condition))
        let grouping = Grouping(key: .bool(1), rows: rows, tableCount: scope.count)
        let label = ResultColumn("segment", .text(TextColumn([name ?? "\(condition)"])))
        let all = (0..<Int32(scope.count)).map { $0 }
        var figures = summaryColumns(grouping, shareOf: all)
        if rows.isEmpty {
            // No customer meets it: one row all the same, of 0 customers and 0 of everything.
            figures = figures.map { ResultColumn($0.name, unit: $0.unit, .number([all.isEmpty && $0.unit == .ratio ? .nan : 0])) }
        }
        return ResultTable(columns: [label] + figures, notes: notes)
    }

    /// One row per value of the key, in the key's order.
    func group(by key: Expr, filter: CustomerFilter, show: [ShowItem]) throws(Diagnostic) -> ResultTable {
        let rows = try scope.rows(filter)
        let (typed, vector) = try scope.evaluate(key)
        let grouping = Grouping(key: vector, rows: rows, tableCount: scope.count)
        let keyColumn = ResultColumn("\(key)", unit: typed.unit, grouping.keys)
        guard !show.isEmpty else {
            return ResultTable(columns: [keyColumn] + summaryColumns(grouping, shareOf: rows), notes: notes)
        }
        let compiler = scope.compiler(aggregates: true)
        let evaluator = VectorEvaluator(count: grouping.groupCount, grouping: grouping)
        var columns = [keyColumn]
        for item in show {
            let compiled = try compiler.compile(item.expr)
            let name = item.alias?.text ?? (item.expr.kind == .call("count", []) ? "customers" : "\(item.expr)")
            columns.append(ResultColumn(name, unit: compiled.unit, evaluator.evaluate(compiled.node).column(grouping.groupCount)))
        }
        return ResultTable(columns: columns)
    }

    private var notes: [Prose] {
        scope.snapshot.marginKnown ? [] : ["margin and profit are unknown: the transactions have no margin and no margin_rate is set (set margin_rate = 30%)"]
    }

    /// Customers, revenue, margin and profit of each group, each with its share of the
    /// same figure over `base`.
    private func summaryColumns(_ grouping: Grouping, shareOf base: [Int32]) -> [ResultColumn] {
        let counts = grouping.counts
        var columns = [
            ResultColumn("customers", unit: .count, .number(counts)),
            ResultColumn("customer_share", unit: .ratio, .number(counts.map { base.isEmpty ? .nan : $0 / Double(base.count) })),
        ]
        let figures = scope.snapshot.marginKnown ? [CustomerFields.revenue, CustomerFields.margin, CustomerFields.profit] : [CustomerFields.revenue]
        for field in figures {
            let name = field.name, values = scope.snapshot.customers.numbers(field)
            guard case .numbers(let sums) = grouping.aggregate(.sum, .value(.numbers(values))) else { continue }
            let total = values.withUnsafeBufferPointer { v in
                base.reduce(0.0) { sum, row in v[Int(row)].isNaN ? sum : sum + v[Int(row)] }
            }
            columns.append(ResultColumn(name, unit: field.unit, .number(sums.map { $0.isNaN ? 0 : $0 })))
            columns.append(ResultColumn("\(name)_share", unit: .ratio, .number(sums.map { total != 0 ? ($0.isNaN ? 0 : $0) / total : .nan })))
        }
        return columns
    }
}
