/// A summary crmq's own `summary sql` made where the data lives (`crmq_summary`): one row per
/// customer with the customers table's columns, the as_of day, every field that needs no
/// model, the 52 weeks' revenue and, when there were payments, the payment facts. It loads
/// as a summary snapshot whose fields are the file's as they are: the models fit on it, and
/// every statement that needs only a customer's fields answers, credit and compare included.
struct OwnSummaryLoader {
    /// What messages call it: the file's path, or a database's table.
    var path: String
    var name: String
    var asOf: Int32?
    /// Where its rows come from: a file (its dialect and renamed id), or a database's stream.
    var origin: FileOrigin
    var interrupted: InterruptCheck = ctrlCPressed

    /// The fields the file gives, each a column of its own name.
    static let fields: [Field] = CustomerFields.derived + [CustomerFields.revenue52Weeks]

    /// Whether a file's header (normalised) is such a summary's: as_of and every field.
    static func recognises(_ header: [String]) -> Bool {
        (["as_of"] + fields.map(\.name)).allSatisfy(header.contains)
    }

    func load() throws(DataError) -> Snapshot {
        var loader = SnapshotLoader(directory: path, name: name)
        loader.origins["customers.csv"] = origin
        loader.folderless = true
        loader.interrupted = interrupted
        func spec(_ field: Field) -> ColumnSpec { ColumnSpec(name: field.name, kind: field.type == .date ? .date : .number) }
        let specs = [ColumnSpec(name: "as_of", kind: .date, required: true, emptyAllowed: false)]
            + Self.fields.map(spec) + CustomerFields.paymentFacts.map(spec)
        var (table, index, read) = try loader.readCustomers(with: specs)
        let day = try self.day(read)
        for field in Self.fields {
            if field.type == .date {
                table.add(field, .date(read.dates[field.name]!))
            } else {
                table.add(field, .number(read.numbers[field.name]!))
            }
        }
        try check(table, read)
        // Payment facts: all of them or none (a summary made without payments).
        if CustomerFields.paymentFacts.allSatisfy({ read.header.contains($0.name) }) {
            for field in CustomerFields.paymentFacts { table.add(field, .number(read.numbers[field.name]!)) }
        }
        let transactions = TransactionTable(
            customer: [], day: [], amount: [], fileMargin: nil, marginRate: nil, quantity: nil, product: nil,
            start: [Int32](repeating: 0, count: table.count + 1), later: LaterTransactions(customer: [], day: []))
        let source = TableSource(
            table: "summary", file: origin.name, dialect: origin.dialect, mapping: origin.renamed.joined(separator: ", "),
            rows: table.count, timeUnit: .weeks, isDatabase: origin.isDatabase)
        return Snapshot(
            name: name, directory: path, info: SnapshotInfo(asOf: day), customers: table, transactions: transactions,
            activities: nil, payments: nil, interactions: nil, valueStar: nil, setAside: [:], index: index, sources: [source])
    }

    /// The day the summary is as of: the same on every row, and the one `as of` asks for.
    private func day(_ read: ReadTable) throws(DataError) -> Int32 {
        let days = read.dates["as_of"]!
        guard let day = days.first else { return asOf ?? CalendarDay.null }
        if let other = days.firstIndex(where: { $0 != day }) {
            throw error(read, other, "as_of", "as_of \(CalendarDay.format(days[other])) differs from the first row's \(CalendarDay.format(day)): a summary is of one day")
        }
        if let asOf, asOf != day {
            throw DataError(
                file: path, columnName: "as_of",
                message: "is a summary as of \(CalendarDay.format(day)); as of \(CalendarDay.format(asOf)) needs a summary made as of that day (summary sql … as of \(CalendarDay.format(asOf)))")
        }
        return day
    }

    /// Rows that cannot be: a frequency that is not a whole number of repeat purchases, a
    /// recency above the age, an age of more than 10,000 years.
    private func check(_ table: CustomerTable, _ read: ReadTable) throws(DataError) {
        let frequency = read.numbers["frequency"]!, recency = read.numbers["recency"]!, age = read.numbers["age"]!
        for i in 0..<table.count where !frequency[i].isNaN {
            if frequency[i] < 0 || frequency[i] != frequency[i].rounded() {
                throw error(read, i, "frequency", "expected a whole number of repeat purchases, found \(NumberText.plain(frequency[i]))")
            }
            if !(recency[i] >= 0 && recency[i] <= age[i] * (1 + 1e-9)) {
                throw error(read, i, "recency", "recency \(NumberText.plain(recency[i])) is not between 0 and the age \(NumberText.plain(age[i]))")
            }
            if age[i] > SummaryLoader.longestWeeks {
                throw error(read, i, "age", "an age of \(NumberText.plain(age[i])) weeks is more than 10,000 years")
            }
        }
    }

    private func error(_ read: ReadTable, _ row: Int, _ column: String, _ message: String) -> DataError {
        DataError(
            file: path, line: row < read.lines.count ? read.lines[row] : nil,
            column: read.header.firstIndex(of: column).map { $0 + 1 }, columnName: column, message: message)
    }
}
