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

    /// The groups of the rows by their key. Long: a raw id per row from each kind of column
    /// (text codes, booleans, numbers and dates by value), then one ordering of them.
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
            text.codes.withUnsafeBufferPointer { codes in
                raw.withUnsafeMutableBufferPointer { raw in
                    for i in 0..<rows.count { raw[i] = codes[Int(rows[i])] &+ 1 }
                }
            }
            order = { a, b in
                if a == 0 || b == 0 { return b == 0 && a != 0 }
                return text.values[Int(a - 1)] < text.values[Int(b - 1)]
            }
        case .bool(let b):
            rawCount = 3
            for (i, row) in rows.enumerated() { raw[i] = Int32(b[Int(row)]) }
            order = { $0 < $1 }
        case .number(let x):
            // One id per distinct value; all NaNs are one null, and −0 is 0.
            let values: [Double]
            (raw, values) = Self.distinctIds(rows) { x[$0] } key: { $0.isNaN ? Double.nan.bitPattern : ($0 == 0 ? 0 : $0.bitPattern) }
            rawCount = values.count
            order = { a, b in
                let (x, y) = (values[Int(a)], values[Int(b)])
                if x.isNaN || y.isNaN { return y.isNaN && !x.isNaN }
                return x < y
            }
        case .date(let d):
            let values: [Int32]
            (raw, values) = Self.distinctIds(rows) { d[$0] } key: { $0 }
            rawCount = values.count
            order = { a, b in
                let (x, y) = (values[Int(a)], values[Int(b)])
                if x == CalendarDay.null || y == CalendarDay.null { return y == CalendarDay.null && x != CalendarDay.null }
                return x < y
            }
        }
        rawKeys = [Int32](repeating: -1, count: rawCount)
        rawKeys.withUnsafeMutableBufferPointer { keys in
            raw.withUnsafeBufferPointer { raw in
                for i in 0..<raw.count where keys[Int(raw[i])] < 0 { keys[Int(raw[i])] = rows[i] }
            }
        }
        let present = (0..<Int32(rawCount)).filter { rawKeys[Int($0)] >= 0 }.sorted(by: order)
        var groupOfRaw = [Int32](repeating: -1, count: rawCount)
        for (g, r) in present.enumerated() { groupOfRaw[Int(r)] = Int32(g) }
        group = [Int32](unsafeUninitializedCapacity: raw.count) { out, done in
            raw.withUnsafeBufferPointer { raw in
                groupOfRaw.withUnsafeBufferPointer { groupOf in
                    for i in 0..<raw.count { out[i] = groupOf[Int(raw[i])] }
                }
            }
            done = raw.count
        }
        groupCount = present.count
        keys = column.gather(present.map { rawKeys[Int($0)] })
    }

    /// For each of `rows`, an id for its value (ids in order of first sight), and the value of
    /// each id; values with the same `key` share an id.
    private static func distinctIds<V, K: Hashable>(_ rows: [Int32], _ value: (Int) -> V, key: (V) -> K) -> ([Int32], [V]) {
        var ids: [K: Int32] = [:]
        var values: [V] = []
        let raw = rows.map { row -> Int32 in
            let v = value(Int(row))
            if let id = ids[key(v)] { return id }
            let id = Int32(values.count)
            ids[key(v)] = id
            values.append(v)
            return id
        }
        return (raw, values)
    }

    /// Customers per group.
    var counts: [Double] {
        var counts = [Int](repeating: 0, count: groupCount)
        counts.withUnsafeMutableBufferPointer { counts in
            for g in group { counts[Int(g)] &+= 1 }
        }
        return counts.map(Double.init)
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
        if aggregate == .median {
            var lists: [[Double]] = Array(repeating: [], count: groupCount)
            for (i, row) in rows.enumerated() where !x[Int(row)].isNaN { lists[Int(group[i])].append(x[Int(row)]) }
            return lists.map { Statistics.median($0) }
        }
        var sums = [Double](repeating: 0, count: groupCount)
        var counts = [Int](repeating: 0, count: groupCount)
        var best = [Double](repeating: .nan, count: groupCount)
        x.withUnsafeBufferPointer { x in
            rows.withUnsafeBufferPointer { rows in
                group.withUnsafeBufferPointer { group in
                    sums.withUnsafeMutableBufferPointer { sums in
                        counts.withUnsafeMutableBufferPointer { counts in
                            best.withUnsafeMutableBufferPointer { best in
                                switch aggregate {
                                case .min, .max:
                                    let isMin = aggregate == .min
                                    for i in 0..<rows.count {
                                        let v = x[Int(rows[i])]
                                        let g = Int(group[i])
                                        if v.isNaN { continue }
                                        if best[g].isNaN || (isMin ? v < best[g] : v > best[g]) { best[g] = v }
                                    }
                                default:
                                    for i in 0..<rows.count {
                                        let v = x[Int(rows[i])]
                                        if v.isNaN { continue }
                                        let g = Int(group[i])
                                        sums[g] += v
                                        counts[g] &+= 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        switch aggregate {
        case .sum: return (0..<groupCount).map { counts[$0] > 0 ? sums[$0] : .nan }
        case .avg: return (0..<groupCount).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : .nan }
        case .min, .max: return best
        case .share:
            let total = sums.reduce(0, +)
            return sums.map { total != 0 ? $0 / total : .nan }
        case .count, .median: return counts.map(Double.init)
        }
    }
}
