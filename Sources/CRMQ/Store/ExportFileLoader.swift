/// One file a user exported — orders, invoices, a public data set — loaded as it is: its
/// dialect sniffed (or told), its columns recognised (or named), and read as a snapshot's
/// transactions. The customers are those who appear in it, in order of first appearance.
public struct ExportFileLoader {
    public var path: String
    public var name: String
    public var asOf: Int32?
    /// `columns (customer_id = Id, …)`: the user's pairs of field and file column.
    public var columns: [(field: String, column: String)] = []
    /// `format (…)`: what the user says of the dialect, over what the sniffer finds.
    public var format = FormatOverrides()
    public var progress: (@Sendable (String, Double) -> Void)?
    public var interrupted: InterruptCheck = ctrlCPressed

    public init(path: String, name: String, asOf: Int32? = nil) {
        self.path = path
        self.name = name
        self.asOf = asOf
    }

    /// Transactions as crmq reads them, with the customer read as text: its codes, in order
    /// of first appearance, are the customers' rows.
    static let specs: [ColumnSpec] = TransactionReader.specs.map {
        var spec = $0
        if spec.kind == .customer { (spec.kind, spec.emptyAllowed) = (.text, false) }
        return spec
    }

    public func load() throws(DataError) -> Snapshot {
        let (dialect, mapping, written) = try plan()
        var reader = TableReader(path: path, displayName: path, specs: Self.specs)
        reader.dialect = dialect
        reader.rename = Dictionary(mapping.pairs.filter { $0.field != $0.column }.map { ($0.column, $0.field) }, uniquingKeysWith: { a, _ in a })
        let shown = Self.fileName(path)
        reader.progress = progress.map { report in { @Sendable fraction in report(shown, fraction) } }
        reader.interrupted = interrupted
        let read = try reader.read()
        let ids = read.texts["customer_id"]!
        // The text column is merged whole; the other columns stay in their pieces: cut the
        // customer codes the same way.
        let dayPieces = read.dates.pieces["date"]!
        var customerPieces: [[Int32]] = []
        var at = 0
        for piece in dayPieces {
            customerPieces.append(Array(ids.codes[at..<(at + piece.count)]))
            at += piece.count
        }
        var raw = TransactionReader.Raw(
            customer: customerPieces, day: dayPieces, amount: read.numbers.pieces["amount"]!,
            margin: read.numbers.pieces["margin"], quantity: read.numbers.pieces["quantity"], product: read.texts["product"])
        var info = SnapshotInfo(asOf: CalendarDay.null)
        if let asOf {
            info.asOf = asOf
        } else {
            guard let latest = raw.latestDay else {
                throw DataError(file: path, message: "has no rows, so as_of cannot be its latest date: load … as of DATE")
            }
            info.asOf = latest
        }
        var customers = CustomerTable(count: ids.values.count)
        customers.add(CustomerFields.attribute("id")!, .text(TextColumn(codes: (0..<Int32(ids.values.count)).map { $0 }, values: ids.values)))
        var setAside: [String: Int] = [:]
        let transactions = TransactionReader(path: path, index: read.interned["customer_id"]!, marginRate: nil)
            .arrange(&raw, customers: customers.count, asOf: info.asOf, setAside: &setAside)
        if let later = setAside.removeValue(forKey: "transactions.csv") { setAside[Self.fileName(path)] = later }
        CustomerFigures(transactions: transactions, activities: nil, asOf: info.asOf).derive(into: &customers)
        try SnapshotLoader.checkSumsAreFinite(customers, file: path)
        let source = TableSource(
            table: "transactions", file: path, dialect: dialect, mapping: mapping.summary(written: written), rows: read.rowCount)
        return Snapshot(
            name: name, directory: path, info: info, customers: customers, transactions: transactions,
            activities: nil, payments: nil, interactions: nil, valueStar: nil,
            setAside: setAside, index: read.interned["customer_id"]!, sources: [source])
    }

    /// The dialect, the column mapping and the header's own spelling, from the file's first lines.
    private func plan() throws(DataError) -> (Dialect, ColumnMapping, [String: String]) {
        let bytes = try FileBytes.read(path: path, displayName: path)
        return try bytes.withUnsafeBufferPointer { buffer throws(DataError) in
            let start = buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0
            let sample = DialectSniffer.sample(buffer, from: start)
            var dialect = DialectSniffer.sniff(sample)
            format.apply(to: &dialect)
            guard let records = DialectSniffer.records(sample, dialect.delimiter), let first = records.first else {
                throw DataError(file: path, line: 1, message: "the file is empty; a header row is required")
            }
            let written = dialect.header
                ? first.enumerated().map { $1.trimming(" \t").isEmpty ? "column\($0 + 1)" : $1 }
                : (1...first.count).map { "column\($0)" }
            let header = written.map(TableReader.normalise)
            let mapping = try ColumnMapping.resolve(
                header: header, written: written, given: columns, roles: ColumnMapping.transactionRoles, file: path)
            if format.dates == nil, let column = mapping.column(for: "date"), let k = header.firstIndex(of: column) {
                let values = records.dropFirst(dialect.header ? 1 : 0).compactMap { k < $0.count ? $0[k] : nil }
                dialect.dates = try DialectSniffer.dateOrder(values, file: path, column: written[k])
            }
            return (dialect, mapping, Dictionary(zip(header, written), uniquingKeysWith: { a, _ in a }))
        }
    }

    /// `orders.csv` of `exports/orders.csv`.
    static func fileName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
}

/// What `format (…)` says of a file's dialect; nil leaves the sniffer's finding.
public struct FormatOverrides: Sendable, Equatable {
    public var delimiter: Delimiter?
    public var decimal: UInt8?
    public var thousands: UInt8??
    public var dates: DateOrder?
    public var header: Bool?

    public init() {}

    func apply(to dialect: inout Dialect) {
        if let delimiter { dialect.delimiter = delimiter }
        if let decimal { dialect.decimal = decimal }
        if let thousands { dialect.thousands = thousands }
        if let dates { dialect.dates = dates }
        if let header { dialect.header = header }
    }
}
