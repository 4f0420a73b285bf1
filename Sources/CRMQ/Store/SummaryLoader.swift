/// A summary a model user already has — one row per customer with frequency, recency and T,
/// as `lifetimes`' `summary_data_from_transaction_data` writes it, or CLVTools' and BTYD's
/// `x`, `t.x`, `T.cal` — loaded as a snapshot with no transactions: the models and every
/// statement that needs only those fields work on it. A weight makes a row stand for that
/// many customers (a compressed summary).
struct SummaryLoader {
    var path: String
    var name: String
    var asOf: Int32?
    var unit: TimeUnit
    var plan: ExportPlan
    var blocks: BlockStream?
    var progress: (@Sendable (Double) -> Void)?
    var interrupted: InterruptCheck = ctrlCPressed

    /// The most opportunities a summary of periods may count (BG/BB sums over them).
    static let mostOpportunities = 1_000.0

    /// The longest T a summary may give, in weeks: 10,000 years, so that its days count in 32 bits.
    static let longestWeeks = 521_775.0

    /// The most customers a weighted summary is spread into, a row each: beyond, its rows
    /// stay as they are, a histogram whose weights the fits count (a row of every column
    /// for each of a hundred million customers would ask for gigabytes).
    static let mostCustomers = 10_000_000

    private static let measures: [(field: String, what: String)] = [
        ("frequency", "repeat purchases"), ("recency", "the time from the first purchase to the last"),
        ("age", "the time from the first purchase to the end of the period (T)"),
    ]

    func load() throws(DataError) -> Snapshot {
        let read = try read()
        let n = read.rowCount
        let frequency = read.numbers["frequency"]!, recency = read.numbers["recency"]!, age = read.numbers["age"]!
        let monetary = read.numbers["monetary"], weights = read.numbers["weights"]
        for i in 0..<n {
            if frequency[i] != frequency[i].rounded() { throw error(read, i, "frequency", "expected a whole number of repeat purchases, found \(NumberText.plain(frequency[i]))") }
            if recency[i] > age[i] * (1 + 1e-9) {
                throw error(read, i, "recency", "recency \(NumberText.plain(recency[i])) is more than T \(NumberText.plain(age[i])): the last purchase comes after the end of the period")
            }
            if age[i] * unit.weeks > Self.longestWeeks {
                throw error(read, i, "age", "T of \(NumberText.plain(age[i])) \(unit.rawValue) is more than 10,000 years")
            }
            if unit == .periods {
                // Opportunities are counted: whole, and few enough that BG/BB's sum over them stays quick.
                for (field, value) in [("recency", recency[i]), ("age", age[i])] where value != value.rounded() {
                    throw error(read, i, field, "expected a whole number of opportunities, found \(NumberText.plain(value))")
                }
                if age[i] > Self.mostOpportunities {
                    throw error(read, i, "age", "\(NumberText.plain(age[i])) opportunities is more than \(Int(Self.mostOpportunities)): periods count chances to buy, like yearly appeals")
                }
            }
            if frequency[i] == 0, recency[i] != 0 {
                throw error(read, i, "recency", "a customer without repeat purchases has recency 0, found \(NumberText.plain(recency[i]))")
            }
            if let weights, weights[i] != weights[i].rounded() || weights[i] < 0 || weights[i] > 1e9 {
                throw error(read, i, "weights", "expected a whole number of customers, found \(NumberText.plain(weights[i]))")
            }
        }
        // Each row as many times as its weight says; a histogram of more stays as it is.
        var rowOf: [Int32] = []
        let grouped = weights.map { $0.reduce(0, +) > Double(Self.mostCustomers) } ?? false
        if let weights, !grouped {
            rowOf.reserveCapacity(Int(weights.reduce(0, +)))
            for i in 0..<n { rowOf += repeatElement(Int32(i), count: Int(weights[i])) }
        } else {
            rowOf = (0..<Int32(n)).map { $0 }
        }
        let count = rowOf.count
        let (ids, index) = try customerIds(read, rowOf, spread: weights != nil && !grouped)
        let weeks = unit.weeks
        func each(_ values: [Double], _ scale: Double = 1) -> [Double] { rowOf.map { values[Int($0)] * scale } }
        let x = each(frequency), tx = each(recency, weeks), T = each(age, weeks)
        // lifetimes writes monetary_value 0 for customers without repeat purchases.
        let m = monetary.map { values in rowOf.map { frequency[Int($0)] == 0 ? 0 : values[Int($0)] } } ?? [Double](repeating: .nan, count: count)
        var table = CustomerTable(count: count)
        table.add(CustomerFields.id, .text(ids))
        for (name, values) in read.extras {
            let (type, data) = ExtraColumn.infer(values)
            table.add(Field(name, type, "a column of \(ExportFileLoader.fileName(path))"), data.gather(rowOf))
        }
        let day = asOf ?? CalendarDay.null
        let F = CustomerFields.self
        let unknown = [Double](repeating: .nan, count: count)
        // Opportunities have no dates.
        let first = (0..<count).map { c in day == CalendarDay.null || unit == .periods ? CalendarDay.null : day - Int32((T[c] * 7).rounded()) }
        table.add(F.orders, .number(x.map { $0 + 1 }))
        table.add(F.revenue, .number(unknown))
        table.add(F.margin, .number(unknown))
        table.add(F.firstPurchase, .date(first))
        table.add(F.lastPurchase, .date((0..<count).map { c in first[c] == CalendarDay.null ? first[c] : first[c] + Int32((tx[c] * 7).rounded()) }))
        table.add(F.frequency, .number(x))
        table.add(F.recency, .number(tx))
        table.add(F.age, .number(T))
        table.add(F.monetary, .number(m))
        table.add(F.daysSince, .number(unit == .periods ? unknown : (0..<count).map { (T[$0] - tx[$0]) * 7 }))
        table.add(F.aov, .number(unknown))
        table.add(F.costToServe, .number([Double](repeating: 0, count: count)))
        table.add(F.profit, .number(unknown))
        table.add(F.shareOfWallet, .number(unknown))
        if grouped, let weights { table.add(F.weight, .number(weights)) }
        let transactions = TransactionTable(
            customer: [], day: [], amount: [], fileMargin: nil, marginRate: nil, quantity: nil, product: nil,
            start: [Int32](repeating: 0, count: count + 1), later: LaterTransactions(customer: [], day: []))
        let source = TableSource(
            table: "summary", file: path, dialect: plan.dialect, mapping: plan.mapping.summary(header: plan.header, written: plan.written), rows: n, timeUnit: unit, isDatabase: blocks != nil)
        return Snapshot(
            name: name, directory: path, info: SnapshotInfo(asOf: day), customers: table, transactions: transactions,
            activities: nil, payments: nil, interactions: nil, valueStar: nil, setAside: [:], index: index, sources: [source])
    }

    /// The summary's columns under their fields' names, and any others as attributes.
    private func read() throws(DataError) -> ReadTable {
        var specs = Self.measures.map {
            ColumnSpec(name: $0.field, kind: .number, required: true, emptyAllowed: false, negativeRefused: "\($0.what) cannot be negative")
        }
        specs.append(ColumnSpec(name: "monetary", kind: .number, negativeRefused: "a mean spend cannot be negative"))
        specs.append(ColumnSpec(name: "weights", kind: .number, emptyAllowed: false))
        specs.append(ColumnSpec(name: "id", kind: .text, emptyAllowed: false))
        var reader = TableReader(path: path, displayName: path, specs: specs)
        reader.blocks = blocks
        reader.dialect = plan.dialect
        reader.keepLines = true
        reader.rename = plan.mapping.renames
        reader.progress = progress
        reader.interrupted = interrupted
        return try reader.read()
    }

    /// The ids of the file, else the customers' numbers 1, 2, …; a row that stands for several
    /// customers gives them its id and a number (`A-1`, `A-2`). A repeated id is an error at its line.
    private func customerIds(_ read: ReadTable, _ rowOf: [Int32], spread weighted: Bool) throws(DataError) -> (TextColumn, InternedStrings) {
        let given = read.texts["id"]
        var index = InternedStrings(capacity: rowOf.count)
        var values: [String] = []
        values.reserveCapacity(rowOf.count)
        var copy = 0
        for (c, row) in rowOf.enumerated() {
            copy = c > 0 && rowOf[c - 1] == row ? copy + 1 : 1
            var id = String(c + 1)
            if let given, let text = given[Int(row)] {
                id = weighted ? "\(text)-\(copy)" : text
            }
            guard index.intern(id).isNew else {
                throw error(read, Int(row), "id", "duplicate customer id \"\(id)\"; ids must be unique")
            }
            values.append(id)
        }
        return (TextColumn(codes: (0..<Int32(values.count)).map { $0 }, values: values), index)
    }

    private func error(_ read: ReadTable, _ row: Int, _ field: String, _ message: String) -> DataError {
        let column = plan.mapping.column(for: field).flatMap { plan.header.firstIndex(of: $0) }
        return DataError(
            file: path, line: read.lines[row], column: column.map { $0 + 1 }, columnName: column.map { plan.written[$0] }, message: message)
    }
}

/// The time unit of a summary's recency and T: the models count in weeks.
public enum TimeUnit: String, Sendable, Equatable, CaseIterable {
    case days, weeks, months, years
    /// Discrete opportunities to buy (a yearly gala, a monthly draw), counted as they are: only
    /// BG/BB reads them.
    case periods

    /// Weeks in one unit; a month is 1/12 of a year of 365.25 days. Periods are kept as counted.
    var weeks: Double {
        switch self {
        case .days: 1.0 / 7
        case .weeks, .periods: 1
        case .months: 365.25 / 12 / 7
        case .years: 365.25 / 7
        }
    }
}
