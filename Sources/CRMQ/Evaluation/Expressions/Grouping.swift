/// Customers split into groups by the value of a key, for `segment by`: groups in the
/// key's order (nulls last), and the aggregates of each group.
struct Grouping {
    /// The rows of the table that take part.
    let rows: [Int32]
    /// The group of each of `rows`.
    let group: [Int32]
    let groupCount: Int
    /// One key per group, in group order.
    let keys: ColumnData
    /// Rows in the whole table: aggregate arguments are evaluated over all of it.
    let tableCount: Int

    init(key: Vector, rows: [Int32], tableCount: Int) {
        self.rows = rows
        self.tableCount = tableCount
        let column = key.column(tableCount)
        // Each row gets a raw id for its key; the distinct raw ids are then put in key order.
        var raw = [Int32](repeating: 0, count: rows.count)
        var rawCount: Int
        var order: (Int32, Int32) -> Bool
        var rawKeys: [Int32] = []  // per raw id: the row that first had it
        switch column {
        case .text(let text):
            // Raw id = code + 1, so that null (-1) is 0.
            rawCount = text.values.count + 1
            for (i, row) in rows.enumerated() { raw[i] = text.codes[Int(row)] + 1 }
            order = { a, b in
                if a == 0 || b == 0 { return b == 0 && a != 0 }
                return text.values[Int(a - 1)] < text.values[Int(b - 1)]
            }
        case .bool(let b):
            rawCount = 3
            for (i, row) in rows.enumerated() { raw[i] = Int32(b[Int(row)]) }
            order = { $0 < $1 }
        case .number(let x):
            var ids: [UInt64: Int32] = [:]
            var values: [Double] = []
            for (i, row) in rows.enumerated() {
                let v = x[Int(row)]
                let bits = v.isNaN ? Double.nan.bitPattern : (v == 0 ? 0 : v.bitPattern)
                if let id = ids[bits] { raw[i] = id } else {
                    let id = Int32(values.count)
                    ids[bits] = id
                    values.append(v)
                    raw[i] = id
                }
            }
            rawCount = values.count
            order = { a, b in
                let (x, y) = (values[Int(a)], values[Int(b)])
                if x.isNaN || y.isNaN { return y.isNaN && !x.isNaN }
                return x < y
            }
        case .date(let d):
            var ids: [Int32: Int32] = [:]
            var values: [Int32] = []
            for (i, row) in rows.enumerated() {
                let v = d[Int(row)]
                if let id = ids[v] { raw[i] = id } else {
                    let id = Int32(values.count)
                    ids[v] = id
                    values.append(v)
                    raw[i] = id
                }
            }
            rawCount = values.count
            order = { a, b in
                let (x, y) = (values[Int(a)], values[Int(b)])
                if x == CalendarDay.null || y == CalendarDay.null { return y == CalendarDay.null && x != CalendarDay.null }
                return x < y
            }
        }
        rawKeys = [Int32](repeating: -1, count: rawCount)
        for (i, row) in rows.enumerated() where rawKeys[Int(raw[i])] < 0 { rawKeys[Int(raw[i])] = row }
        let present = (0..<Int32(rawCount)).filter { rawKeys[Int($0)] >= 0 }.sorted(by: order)
        var groupOfRaw = [Int32](repeating: -1, count: rawCount)
        for (g, r) in present.enumerated() { groupOfRaw[Int(r)] = Int32(g) }
        group = raw.map { groupOfRaw[Int($0)] }
        groupCount = present.count
        keys = column.gather(present.map { rawKeys[Int($0)] })
    }

    /// Customers per group.
    var counts: [Double] {
        var counts = [Double](repeating: 0, count: groupCount)
        for g in group { counts[Int(g)] += 1 }
        return counts
    }

    func aggregate(_ aggregate: Aggregate, _ argument: Compiled?) -> Vector {
        guard let argument else { return .numbers(counts) }
        let value = VectorEvaluator(count: tableCount).evaluate(argument).column(tableCount)
        switch (aggregate, value) {
        case (.count, _):
            var counts = [Double](repeating: 0, count: groupCount)
            for (i, row) in rows.enumerated() where !value.isNull(Int(row)) { counts[Int(group[i])] += 1 }
            return .numbers(counts)
        case (.min, .date(let d)), (.max, .date(let d)):
            var best = [Int32](repeating: CalendarDay.null, count: groupCount)
            for (i, row) in rows.enumerated() {
                let v = d[Int(row)]
                let g = Int(group[i])
                guard v != CalendarDay.null else { continue }
                if best[g] == CalendarDay.null || (aggregate == .min ? v < best[g] : v > best[g]) { best[g] = v }
            }
            return .dates(best)
        case (_, .number(let x)):
            return .numbers(numeric(aggregate, x))
        default:
            return .numbers([Double](repeating: .nan, count: groupCount))
        }
    }

    private func numeric(_ aggregate: Aggregate, _ x: [Double]) -> [Double] {
        var sums = [Double](repeating: 0, count: groupCount)
        var counts = [Int](repeating: 0, count: groupCount)
        var best = [Double](repeating: .nan, count: groupCount)
        var lists: [[Double]] = aggregate == .median ? Array(repeating: [], count: groupCount) : []
        for (i, row) in rows.enumerated() {
            let v = x[Int(row)]
            guard !v.isNaN else { continue }
            let g = Int(group[i])
            sums[g] += v
            counts[g] += 1
            switch aggregate {
            case .min: if best[g].isNaN || v < best[g] { best[g] = v }
            case .max: if best[g].isNaN || v > best[g] { best[g] = v }
            case .median: lists[g].append(v)
            default: break
            }
        }
        switch aggregate {
        case .sum: return (0..<groupCount).map { counts[$0] > 0 ? sums[$0] : .nan }
        case .avg: return (0..<groupCount).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : .nan }
        case .min, .max: return best
        case .median: return lists.map { Statistics.median($0) }
        case .share:
            let total = sums.reduce(0, +)
            return sums.map { total != 0 ? $0 / total : .nan }
        case .count: return counts.map(Double.init)
        }
    }
}

/// Small statistics over plain arrays.
enum Statistics {
    /// The middle value; the mean of the two middle values for an even count (numpy's rule).
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
