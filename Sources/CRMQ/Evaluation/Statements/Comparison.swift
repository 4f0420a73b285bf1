/// `compare A B [by FIELD] [show retained|lost|new]`: what changed between two snapshots
/// (PRODUCT.md §5). A customer is active in a snapshot when it bought in the 52 weeks to its
/// as_of; retention rate = the earlier snapshot's active customers still active in the later
/// one ÷ the earlier snapshot's active customers. Customers are matched by id.
struct Comparison {
    let earlier: CustomerScope
    let later: CustomerScope


    /// Revenue in the 52 weeks to as_of of every customer of a snapshot.
    static func yearRevenue(_ snapshot: Snapshot) -> [Double] {
        // A summary made where the data lives says it; other summaries have no transactions to sum.
        if snapshot.isSummary, let given = snapshot.customers.optionalNumbers(CustomerFields.revenue52Weeks) { return given }
        let t = snapshot.transactions
        let asOf = snapshot.info.asOf
        return (0..<snapshot.customers.count).map { t.sum(t.amount, of: $0, after: CalendarDay.shift(asOf, by: -364), through: asOf) }
    }

    /// Each customer's row in the other snapshot (−1: not in it), both ways, matched by id once.
    struct Matching {
        var rowInLater: [Int]
        var rowInEarlier: [Int]
    }

    func matching() -> Matching {
        let (a, b) = (earlier.snapshot, later.snapshot)
        let ids = a.customers.ids
        let rowInLater = (0..<a.customers.count).map { ids[$0].flatMap { b.row(ofId: $0) } ?? -1 }
        var rowInEarlier = [Int](repeating: -1, count: b.customers.count)
        for (c, other) in rowInLater.enumerated() where other >= 0 { rowInEarlier[other] = c }
        return Matching(rowInLater: rowInLater, rowInEarlier: rowInEarlier)
    }

    struct Outcome {
        /// Rows of the earlier snapshot, and their row in the later one (−1: not in it).
        var retained: [(Int, Int)] = []
        var lost: [(Int, Int)] = []
        /// Rows of the later snapshot, and their row in the earlier one (−1: not in it).
        var new: [(Int, Int)] = []
        var activeBefore = 0
        var rate: Double { activeBefore > 0 ? Double(retained.count) / Double(activeBefore) : .nan }
    }

    func outcome(_ matching: Matching) -> (Outcome, [Double], [Double]) {
        let (a, b) = (earlier.snapshot, later.snapshot)
        let revenueA = Self.yearRevenue(a), revenueB = Self.yearRevenue(b)
        var result = Outcome()
        let rowInB = matching.rowInLater
        let (boughtA, boughtB) = (Self.boughtInYear(a), Self.boughtInYear(b))
        var activeBefore = [Bool](repeating: false, count: b.customers.count)
        for c in 0..<a.customers.count where boughtA[c] {
            result.activeBefore += 1
            let other = rowInB[c]
            if other >= 0 { activeBefore[other] = true }
            if other >= 0, boughtB[other] { result.retained.append((c, other)) } else { result.lost.append((c, other)) }
        }
        for c in 0..<b.customers.count where !activeBefore[c] && boughtB[c] {
            result.new.append((c, matching.rowInEarlier[c]))
        }
        return (result, revenueA, revenueB)
    }

    /// Whether each customer bought in the 52 weeks to as_of: its last purchase up to as_of
    /// (a return is none) is in them — which a summary says as well as transactions do.
    static func boughtInYear(_ s: Snapshot) -> [Bool] {
        let from = CalendarDay.shift(s.info.asOf, by: -364)
        let last = s.customers.dates(CustomerFields.lastPurchase) ?? []
        return (0..<s.customers.count).map { c in c < last.count && last[c] != CalendarDay.null && from != CalendarDay.null && last[c] > from }
    }

    func result(by: Expr?, list: ComparisonList?) throws(Diagnostic) -> StatementResult {
        let (a, b) = (earlier.snapshot, later.snapshot)
        let matching = matching()
        let (outcome, revenueA, revenueB) = outcome(matching)
        // Without a model for one of them, the comparison still counts customers and revenue.
        var notes: [Prose] = []
        func clv(_ scope: CustomerScope) -> [Double] {
            do throws(Diagnostic) {
                return try scope.models.fitted(scope.snapshot, scope.settings).clv
            } catch {
                notes.append("no clv for \(scope.snapshot.name): \(error.message)")
                return [Double](repeating: .nan, count: scope.count)
            }
        }
        let clvA = clv(earlier), clvB = clv(later)
        func sum(_ pairs: [(Int, Int)], _ values: [Double]) -> Double { pairs.reduce(0) { $0 + values[$1.0] } }
        let ordersA = a.customers.numbers(CustomerFields.orders)
        let wonBack = outcome.new.filter { $0.1 >= 0 && ordersA[$0.1] > 0 }.count
        let summary = ResultTable(title: "from \(a.name) (\(CalendarDay.format(a.info.asOf))) to \(b.name) (\(CalendarDay.format(b.info.asOf)))", columns: [
            ResultColumn("customers", .text(TextColumn(ComparisonList.allCases.map(\.rawValue)))),
            ResultColumn("count", unit: .count, .number([outcome.retained, outcome.lost, outcome.new].map { Double($0.count) })),
            ResultColumn("revenue_52_weeks", unit: .money, .number([
                outcome.retained.reduce(0) { $0 + revenueB[$1.1] }, sum(outcome.lost, revenueA), sum(outcome.new, revenueB),
            ])),
            ResultColumn("clv", unit: .money, .number([
                outcome.retained.reduce(0) { $0 + clvB[$1.1] }, sum(outcome.lost, clvA), sum(outcome.new, clvB),
            ])),
        ], notes: [
            "retention rate \(outcome.rate, .ratio): \(count: outcome.retained.count) of the \(count: outcome.activeBefore) customers who bought in the 52 weeks to \(CalendarDay.format(a.info.asOf)) bought in the 52 weeks to \(CalendarDay.format(b.info.asOf))",
            "revenue and clv of the retained and new as of \(b.name), of the lost as of \(a.name)"
                + (wonBack > 0 ? "; \(wonBack) of the new had bought before (won back)" : ""),
        ] + notes)
        var blocks: [ResultBlock] = [.table(summary)]
        let migration = try self.migration(by, matching)
        blocks.append(.table(migration))
        if let list {
            let kind = list.rawValue
            let (pairs, scope, revenue, clv): ([(Int, Int)], CustomerScope, [Double], [Double]) =
                switch list {
                case .retained: (outcome.retained.map { ($0.1, $0.0) }, later, revenueB, clvB)
                case .lost: (outcome.lost, earlier, revenueA, clvA)
                case .new: (outcome.new, later, revenueB, clvB)
                }
            let rows = pairs.map(\.0).sorted { (clv[$0], $1) > (clv[$1], $0) }
            let customers = scope.snapshot.customers
            blocks.append(.table(ResultTable(title: "\(kind) customers, by clv", columns: [
                ResultColumn("id", .text(TextColumn(rows.map { customers.ids[$0] }))),
                ResultColumn("name", .text(TextColumn(rows.map { customers.label($0) }))),
                ResultColumn("revenue_52_weeks", unit: .money, .number(rows.map { revenue[$0] })),
                ResultColumn("clv", unit: .money, .number(rows.map { clv[$0] })),
            ])))
        }
        return StatementResult(blocks)
    }

    /// Customers by their group in the earlier snapshot (rows) and in the later one (columns).
    private func migration(_ by: Expr?, _ matching: Matching) throws(Diagnostic) -> ResultTable {
        let key = by ?? Expr(.field("portfolio"), SourceRange(0, 0))
        let labelsA: [String], labelsB: [String]
        do throws(Diagnostic) {
            (labelsA, labelsB) = (try labels(key, earlier), try labels(key, later))
        } catch {
            guard by == nil else { throw error }
            throw Diagnostic(
                "the migration matrix is by portfolio unless you say otherwise, and the portfolio needs clv: \(error.message)",
                hint: "compare by another field: compare \(earlier.snapshot.name) \(later.snapshot.name) by rfm_segment")
        }
        let (a, b) = (earlier.snapshot, later.snapshot)
        let none = "(not in it)"
        var counts: [String: [String: Int]] = [:]
        for c in 0..<a.customers.count {
            let other = matching.rowInLater[c]
            counts[labelsA[c], default: [:]][other >= 0 ? labelsB[other] : none, default: 0] += 1
        }
        for c in 0..<b.customers.count where matching.rowInEarlier[c] < 0 { counts[none, default: [:]][labelsB[c], default: 0] += 1 }
        func ordered(_ names: Set<String>) -> [String] {
            let fixed = key.kind == .field("portfolio") ? Portfolio.groups : key.kind == .field("rfm_segment") ? RFM.segments.map(\.name) + ["Others"] : []
            return fixed.filter(names.contains) + names.subtracting(fixed).subtracting([none]).sorted() + (names.contains(none) ? [none] : [])
        }
        let from = ordered(Set(counts.keys)), to = ordered(Set(counts.values.flatMap(\.keys)))
        var columns = [ResultColumn("from \\ to", .text(TextColumn(from)))]
        for name in to {
            columns.append(ResultColumn(name, unit: .count, .number(from.map { Double(counts[$0]?[name] ?? 0) })))
        }
        let title: Prose = "migration by \(key.description): \(a.name) (rows) to \(b.name) (columns)"
        let values = from.map { f in to.map { Double(counts[f]?[$0] ?? 0) } }
        let chart = Chart(title: title, kind: .heatMap(
            rowTitle: a.name, rows: from, columnTitle: b.name, columns: to, values: values,
            cells: values.map { $0.map { "\($0, .count)" } }))
        return ResultTable(title: title, columns: columns, drawing: chart)
    }

    /// The group of each customer of a scope, as text: what the migration matrix is keyed by.
    private func labels(_ key: Expr, _ scope: CustomerScope) throws(Diagnostic) -> [String] {
        let column = try scope.evaluate(key).1.column(scope.count)
        if case .text(let text) = column {
            return text.codes.map { $0 >= 0 ? text.values[Int($0)] : "(none)" }
        }
        // Other values as their exact text, so that equal values are one group in both snapshots.
        return (0..<scope.count).map { row in
            switch column {
            case .number(let v): v[row].isFinite ? NumberText.plain(v[row]) : "(none)"
            case .date(let d): d[row] == CalendarDay.null ? "(none)" : CalendarDay.format(d[row])
            case .bool(let b): b[row] > 1 ? "(none)" : b[row] == 1 ? "true" : "false"
            case .text: ""  // handled above
            }
        }
    }
}
