/// One file a user exported — orders, invoices, a public data set — loaded as it is: its
/// dialect sniffed (or told), its columns recognised (or named), rows left out by `where`,
/// and read as a snapshot's transactions. The customers are those who appear in the rows
/// kept, in order of first appearance.
public struct ExportFileLoader {
    public var path: String
    public var name: String
    public var asOf: Int32?
    /// `columns (customer_id = Id, …)`: the user's pairs of field and file column.
    public var columns: [(field: String, column: String)] = []
    /// `format (…)`: what the user says of the dialect, over what the sniffer finds.
    public var format = FormatOverrides()
    /// `where …` and the fields that are expressions, compiled by the evaluation layer.
    public var rules: RowRules?
    public var progress: (@Sendable (String, Double) -> Void)?
    public var interrupted: InterruptCheck = ctrlCPressed
    /// What snapshot.json says of the snapshot (its as_of, margin rate, …), when a folder's
    /// snapshot.json describes this file as its transactions.
    var info: SnapshotInfo?
    /// A customers table beside the transactions (a file, or a database's): its customers
    /// are the snapshot's, and each row's customer must be one of them.
    var customersTable: FileOrigin?
    /// The snapshot's other tables, by the file name they stand for (`payments.csv`,
    /// `interactions.csv`, `activities.csv` with `activity_rates.csv`).
    var otherTables: [String: FileOrigin] = [:]
    /// The columns a database says the transactions have, and a few of its rows (for their
    /// types); `path` then names the table for messages.
    var databaseColumns: (names: [String], sample: [[String]])?
    /// A database's rows, arriving in blocks.
    var blocks: BlockStream?
    /// How many rows the database expects the blocks to hold (its planner's estimate).
    var expectedRows: Int?

    public init(path: String, name: String, asOf: Int32? = nil) {
        self.path = path
        self.name = name
        self.asOf = asOf
    }

    /// Transactions as crmq reads them, with the customer read as text: its codes, in order
    /// of first appearance, are the customers' rows. A quantity may be negative: exports
    /// write a return as a negative quantity, and a return's quantity is what went back.
    static let specs: [ColumnSpec] = TransactionReader.specs.map {
        var spec = $0
        if spec.kind == .customer { (spec.kind, spec.emptyAllowed) = (.text, false) }
        if spec.kind == .text { spec.repeats = true }
        spec.negativeRefused = nil
        return spec
    }

    public func load() throws(DataError) -> Snapshot {
        if databaseColumns == nil {
            let files = FileBytes.parts(of: path) ?? [path]
            let beside = ([customersTable].compactMap { $0 } + otherTables.values).filter { !$0.isDatabase }.map(\.name)
            try MemoryBudget.check(inputBytes: MemoryBudget.size(of: files + beside), kind: .export, file: path)
        }
        let plan = try inspect(computing: Set(rules?.computed.map(\.field) ?? []))
        if OwnSummaryLoader.recognises(plan.header) {
            // crmq's own summary, made where the data lives: its fields as they are.
            if rules != nil {
                throw DataError(file: path, message: "is a summary made by summary sql (a customer a row): where and expressions are for transactions")
            }
            let origin = blocks.map { FileOrigin.stream($0, name: path) }
                ?? .file(FileLayout(path: path, dialect: plan.dialect, rename: plan.mapping.renames))
            var loader = OwnSummaryLoader(path: path, name: name, asOf: asOf, origin: origin)
            loader.interrupted = interrupted
            return try loader.load()
        }
        if plan.isSummary {
            if rules != nil {
                throw DataError(file: path, message: "is a summary (frequency, recency, T a row): where and expressions are for transactions")
            }
            let shown = self.shown
            // An age column of opportunities (`periods`, as lifetimes' BG/BB data names it) counts them.
            let counted = plan.mapping.column(for: "age").map { ["periods", "n_periods"].contains($0) } ?? false
            var loader = SummaryLoader(path: path, name: name, asOf: asOf, unit: format.timeUnit ?? (counted ? .periods : .weeks), plan: plan)
            loader.blocks = blocks
            loader.progress = progress.map { report in { @Sendable fraction in report(shown, fraction) } }
            loader.interrupted = interrupted
            return try loader.load()
        }
        let read = try read(plan)
        let rowsRead = read.rowCount
        // Consumed: the rows hold the only reference to the parsed pieces, so that arrange
        // frees them once it has placed their rows, not when this load returns.
        var rows = try ExportRows(consume read, plan: plan, rules: rules, file: path)
        var customers: CustomerTable
        let index: InternedStrings
        if let customersTable {
            // The customers are the table's; each row's customer is looked up among them.
            var loader = SnapshotLoader(directory: customersTable.name, name: name)
            loader.origins["customers.csv"] = customersTable
            loader.folderless = true
            loader.interrupted = interrupted
            (customers, index, _) = try loader.readCustomers()
            let column = plan.mapping.column(for: "customer_id").flatMap { plan.header.firstIndex(of: $0) }
            try rows.join(index, file: path, column: column.map { ($0 + 1, plan.written[$0]) }, customersTable: customersTable.shown)
        } else {
            customers = CustomerTable(count: rows.ids.values.count)
            customers.add(CustomerFields.attribute("id")!, .text(TextColumn(codes: (0..<Int32(rows.ids.values.count)).map { $0 }, values: rows.ids.values)))
            index = rows.index
        }
        var info = self.info ?? SnapshotInfo(asOf: CalendarDay.null)
        if let asOf {
            info.asOf = asOf
        } else if info.asOf == CalendarDay.null {
            guard let latest = rows.raw.latestDay else {
                throw DataError(file: path, message: "has no rows\(rows.filtered > 0 ? " left after where" : ""), so as_of cannot be its latest date: load … as of DATE")
            }
            info.asOf = latest
        }
        var setAside: [String: Int] = [:]
        let transactions = TransactionReader(path: path, index: index, marginRate: info.marginRate)
            .arrange(&rows.raw, customers: customers.count, asOf: info.asOf, setAside: &setAside)
        if let later = setAside.removeValue(forKey: "transactions.csv") { setAside[shown] = later }
        // The other tables, read as a folder's are, their customers looked up among these.
        var others = SnapshotLoader(directory: path, name: name)
        others.origins = otherTables
        others.folderless = true
        others.interrupted = interrupted
        let activities = try others.readActivities(index: index, asOf: info.asOf, setAside: &setAside)
        let payments = try others.readPayments(index: index, asOf: info.asOf, setAside: &setAside)
        let interactions = try others.readInteractions(index: index, asOf: info.asOf, setAside: &setAside)
        CustomerFigures(transactions: transactions, activities: activities, asOf: info.asOf).derive(into: &customers)
        try SnapshotLoader.checkSumsAreFinite(customers, file: path)
        let named = plan.mapping.summary(header: plan.header, written: plan.written)
        let mapping = ([named].filter { !$0.isEmpty } + (rules?.computed ?? []).map { "\($0.field) ← \($0.written)" }).joined(separator: ", ")
        let sources = customersTable.map { [TableSource(
            table: "customers", file: $0.name, dialect: $0.dialect, mapping: $0.renamed.joined(separator: ", "),
            rows: customers.count, isDatabase: $0.isDatabase)] } ?? []
        // The other tables' rows: those kept and those set aside; activities name their rates' file.
        let kept = ["activities.csv": activities?.customer.count, "payments.csv": payments?.customer.count, "interactions.csv": interactions?.customer.count]
        let otherSources = otherTables.keys.sorted().compactMap { file -> TableSource? in
            guard let origin = otherTables[file], let rows = kept[file] ?? nil else { return nil }
            var mapping = origin.renamed
            if file == "activities.csv", let rates = otherTables["activity_rates.csv"] { mapping.append("unit costs from \(rates.shown)") }
            return TableSource(
                table: String(file.dropLast(4)), file: origin.name, dialect: origin.dialect, mapping: mapping.joined(separator: ", "),
                rows: rows + (setAside[file] ?? 0), isDatabase: origin.isDatabase)
        }
        let source = TableSource(
            table: "transactions", file: path, dialect: plan.dialect, mapping: mapping, rows: rowsRead,
            condition: rules?.condition, filtered: rows.filtered, isDatabase: databaseColumns != nil)
        return Snapshot(
            name: name, directory: path, info: info, customers: customers, transactions: transactions,
            activities: activities, payments: payments, interactions: interactions, valueStar: nil,
            setAside: setAside, index: index, sources: sources + [source] + otherSources)
    }

    /// The file read: the mapped fields under their own names, the columns the rules name,
    /// and nothing else (an export's other columns are passed over).
    private func read(_ plan: ExportPlan) throws(DataError) -> ReadTable {
        let computed = Set(rules?.computed.map(\.field) ?? [])
        var specs = Self.specs.filter { !computed.contains($0.name) }
        for column in rules?.columns ?? [] where !specs.contains(where: { $0.name == plan.readAs(column) }) {
            let kind: ColumnSpec.Kind = switch plan.types[column] {
            case .number: .number
            case .date: .date
            default: .text
            }
            specs.append(ColumnSpec(name: column, kind: kind, required: true))
        }
        // A currency column is read to check that the amounts are in one.
        if plan.header.contains("currency"), !specs.contains(where: { $0.name == "currency" }), plan.readAs("currency") == "currency" {
            specs.append(ColumnSpec(name: "currency", kind: .text))
        }
        var reader = TableReader(path: path, displayName: path, specs: specs)
        reader.blocks = blocks
        reader.expectedRows = expectedRows
        reader.dialect = plan.dialect
        reader.keepsExtras = false
        // Lines name the rows a rule or a quantity is wrong on.
        reader.keepLines = rules != nil || plan.mapping.column(for: "quantity") != nil || customersTable != nil
        reader.rename = plan.mapping.renames
        let shown = self.shown
        reader.progress = progress.map { report in { @Sendable fraction in report(shown, fraction) } }
        reader.interrupted = interrupted
        return try reader.read()
    }

    /// The dialect, the column mapping, the header and its columns' types, from the file's
    /// first lines. The fields `computing` names (expressions) are not looked for among the columns.
    public func inspect(computing computed: Set<String> = []) throws(DataError) -> ExportPlan {
        // A database says its columns; its rows are in crmq's dialect, with nothing to sniff.
        if let told = databaseColumns { return try plan(Dialect(), written: told.names, sample: told.sample, computed: computed) }
        let head = try DialectSniffer.head(of: path, format: format)
        return try plan(head.dialect, written: head.written, sample: head.rows, computed: computed)
    }

    /// The plan of a header: summary or transactions, the mapping, the date order its sample
    /// shows and each column's type.
    private func plan(_ sniffed: Dialect, written: [String], sample body: [[String]], computed: Set<String>) throws(DataError) -> ExportPlan {
        var dialect = sniffed
        let header = written.map(TableReader.normalise)
        let isSummary = computed.isEmpty && ColumnMapping.isSummary(header, given: columns)
        let mapping = try ColumnMapping.resolve(
            header: header, written: written, given: isSummary ? columns.map { (ColumnMapping.summaryField($0.field), $0.column) } : columns,
            computed: computed, roles: isSummary ? ColumnMapping.summaryRoles : ColumnMapping.transactionRoles, file: path)
        func values(_ k: Int) -> [String] { body.compactMap { k < $0.count ? $0[k] : nil } }
        if !isSummary, format.dates == nil, databaseColumns == nil, let column = mapping.column(for: "date"), let k = header.firstIndex(of: column) {
            dialect.dates = try DialectSniffer.dateOrder(values(k), file: path, column: written[k])
        }
        var types: [String: ValueType] = [:]
        for (k, column) in header.enumerated() { types[column] = DialectSniffer.valueType(values(k), dialect) }
        for (field, column) in mapping.pairs {
            types[column] = field == "date" ? .date : ["customer_id", "product", "id"].contains(field) ? .text : .number
        }
        return ExportPlan(dialect: dialect, header: header, written: written, mapping: mapping, isSummary: isSummary, types: types)
    }

    /// What messages call the source: the file's name, or a database's table whole.
    private var shown: String { databaseColumns == nil ? Self.fileName(path) : path }

    /// `orders.csv` of `exports/orders.csv`.
    static func fileName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
}
