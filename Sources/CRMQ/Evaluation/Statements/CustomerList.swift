/// `customers [in S] [where …] [order by …] [limit N] [show …]`: a list of customers.
struct CustomerList {
    let scope: CustomerScope
    let query: CustomerQuery

    /// What a list shows when the query names no columns.
    static let defaultFields = ["id", "name", "segment", "orders", "revenue", "profit", "last_purchase"]

    func table() throws(Diagnostic) -> ResultTable {
        var rows = try scope.rows(query.filter)
        let total = rows.count
        if !query.order.isEmpty { rows = try ordered(rows) }
        if let limit = query.limit, limit < rows.count { rows = Array(rows.prefix(limit)) }
        var columns: [ResultColumn] = []
        if query.show.isEmpty {
            let customers = scope.snapshot.customers
            for name in Self.defaultFields {
                guard let field = customers.field(name), let data = customers.column(name) else { continue }
                if name == "profit", !scope.snapshot.marginKnown { continue }
                columns.append(ResultColumn(name, unit: field.unit, data.gather(rows)))
            }
        } else {
            for item in query.show {
                let (typed, vector) = try scope.evaluate(item.expr)
                columns.append(ResultColumn(
                    item.alias?.text ?? "\(item.expr)", unit: typed.unit, vector.column(scope.count).gather(rows)))
            }
        }
        var notes: [Prose] = []
        if rows.count < total { notes.append("\(count: rows.count) of \(count: total) customers") }
        let named = (query.show.map(\.expr) + query.order.map(\.expr)).flatMap(\.fieldNames).map { $0.lowercased() }
        if named.contains(ModelField.clv.rawValue), !scope.snapshot.marginKnown {
            notes.append("clv values revenue: no margin is known (set margin_rate = 30% to value a share of it)")
        }
        if named.contains(ModelField.dert.rawValue), let fitted = try? scope.models.fitted(scope.snapshot, scope.settings) {
            notes += fitted.notes.filter { ProseText.display($0).hasPrefix("dert ") }
        }
        return ResultTable(columns: columns, notes: notes)
    }

    /// Sorted by the order keys; nulls last whichever the direction, ties in file order.
    /// With a limit, only the first rows are found (a bounded heap), not the whole order.
    private func ordered(_ rows: [Int32]) throws(Diagnostic) -> [Int32] {
        var keys: [SortKey] = []
        for item in query.order {
            let (_, vector) = try scope.evaluate(item.expr)
            keys.append(SortKey(vector.column(scope.count), descending: item.descending))
        }
        let before = { (a: Int32, b: Int32) -> Bool in
            for key in keys {
                let order = key.compare(Int(a), Int(b))
                if order != 0 { return order < 0 }
            }
            return a < b
        }
        if let limit = query.limit, limit < rows.count / 8 {
            return Self.first(limit, of: rows, by: before)
        }
        return rows.sorted(by: before)
    }

    /// The first `k` rows in order, keeping a heap of the best `k` seen (its root the worst).
    static func first(_ k: Int, of rows: [Int32], by before: (Int32, Int32) -> Bool) -> [Int32] {
        guard k > 0 else { return [] }
        var heap: [Int32] = []
        heap.reserveCapacity(k)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var worst = i
                if l < heap.count, before(heap[worst], heap[l]) { worst = l }
                if r < heap.count, before(heap[worst], heap[r]) { worst = r }
                if worst == i { return }
                heap.swapAt(i, worst)
                i = worst
            }
        }
        for row in rows {
            if heap.count < k {
                heap.append(row)
                var i = heap.count - 1
                while i > 0, before(heap[(i - 1) / 2], heap[i]) {
                    heap.swapAt(i, (i - 1) / 2)
                    i = (i - 1) / 2
                }
            } else if before(row, heap[0]) {
                heap[0] = row
                siftDown(0)
            }
        }
        return heap.sorted(by: before)
    }
}

/// One `order by` key, ready to compare two rows: -1, 0 or 1, nulls last in either direction.
struct SortKey {
    private enum Values {
        case number([Double])
        case date([Int32])
        /// Each row's rank among the distinct texts, so that rows compare as integers.
        case rank([Int32])
    }

    private let values: Values
    private let descending: Bool

    init(_ column: ColumnData, descending: Bool) {
        self.descending = descending
        switch column {
        case .number(let v): values = .number(v)
        case .date(let v): values = .date(v.map { $0 == CalendarDay.null ? .max : $0 })
        case .bool(let v): values = .rank(v.map { $0 > 1 ? .max : Int32($0) })
        case .text(let t):
            var rankOfCode = [Int32](repeating: 0, count: t.values.count)
            for (rank, code) in t.values.indices.sorted(by: { t.values[$0] < t.values[$1] }).enumerated() {
                rankOfCode[code] = Int32(rank)
            }
            values = .rank(t.codes.map { $0 < 0 ? .max : rankOfCode[Int($0)] })
        }
    }

    @inline(__always)
    func compare(_ a: Int, _ b: Int) -> Int {
        let order: Int
        switch values {
        case .number(let v):
            let (x, y) = (v[a], v[b])
            if x.isNaN || y.isNaN { return x.isNaN == y.isNaN ? 0 : (x.isNaN ? 1 : -1) }
            order = x < y ? -1 : x > y ? 1 : 0
        case .date(let v):
            let (x, y) = (v[a], v[b])
            if x == .max || y == .max { return x == y ? 0 : (x == .max ? 1 : -1) }
            order = x < y ? -1 : x > y ? 1 : 0
        case .rank(let v):
            let (x, y) = (v[a], v[b])
            if x == .max || y == .max { return x == y ? 0 : (x == .max ? 1 : -1) }
            order = x < y ? -1 : x > y ? 1 : 0
        }
        return descending ? -order : order
    }
}
