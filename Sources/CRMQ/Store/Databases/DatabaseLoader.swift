/// A snapshot read where the data lives — a PostgreSQL server or a SQLite file — each table
/// a table's name or a query: `load postgres "postgresql://crm@db/shop" tables (transactions =
/// crm.orders, customers = "select …")`. The transactions' columns are recognised as a file's
/// are (or named by `columns`), and only the columns used cross the connection. Without a
/// customers table the customers are those the transactions name, as for one export file.
public struct DatabaseLoader {
    public var kind: DatabaseKind
    /// The connection string (PostgreSQL) or the file (SQLite).
    public var location: String
    public var name: String
    public var asOf: Int32?
    public var tables: [(table: SnapshotTable, reference: TableReference)]
    /// `columns (customer_id = client, …)`: the transactions' fields and their columns, and
    /// `id = …` for the customers table's (else its id is found by name, or as the column
    /// the transactions name their customer by).
    public var columns: [(field: String, column: String)] = []
    public var interrupted: InterruptCheck = ctrlCPressed
    /// What a folder's snapshot.json says of the snapshot, when it names the database.
    var info: SnapshotInfo?
    /// `where …` and the fields that are expressions, compiled by the evaluation layer
    /// against the plan `inspect` gives.
    public var rules: RowRules?

    public init(kind: DatabaseKind, location: String, name: String, asOf: Int32? = nil, tables: [(table: SnapshotTable, reference: TableReference)]) {
        self.kind = kind
        self.location = location
        self.name = name
        self.asOf = asOf
        self.tables = tables
    }

    /// The transactions' plan — their columns as the database names them, typed from their
    /// first rows, and mapped — that `where` and expressions are checked against before a row is read.
    public func inspect(computing computed: Set<String>) throws(DataError) -> ExportPlan {
        let database = try connect()
        return try transactionsLoader(database, sampled: true).loader.inspect(computing: computed)
    }

    /// Read as one export is (the export loader itself): the transactions streamed, only the
    /// columns used crossing the connection; the customers and other tables beside them.
    public func load() throws(DataError) -> Snapshot {
        let database = try connect()
        let computed = Set(rules?.computed.map(\.field) ?? [])
        // The first rows type the columns for where and the expressions; without them no
        // more than the names is asked (a summary's query is not run twice).
        var (loader, select) = try transactionsLoader(database, sampled: rules != nil)
        let plan = try loader.inspect(computing: computed)
        if !plan.isSummary {
            // The mapped columns, the rules' (a mapped field standing for its column: `quantity`
            // for `qty`) and a currency, in that order, once each.
            let ruled = (rules?.columns ?? []).compactMap { plan.header.contains($0) ? $0 : plan.mapping.column(for: $0) }
            let kept = (plan.mapping.pairs.map(\.column) + ruled + (plan.header.contains("currency") ? ["currency"] : []))
                .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let at = kept.map { plan.header.firstIndex(of: $0)! }
            loader.databaseColumns = (at.map { plan.written[$0] }, loader.databaseColumns!.sample.map { row in at.map { $0 < row.count ? row[$0] : "" } })
            loader.columns = plan.mapping.pairs.map { pair in (pair.field, plan.written[plan.header.firstIndex(of: pair.column)!]) }
            select = "SELECT \(at.map { PostgresDatabase.quoted(plan.written[$0]) }.joined(separator: ", ")) FROM (\(select)) AS crmq_source"
        }
        // Checked against the memory limit before a row crosses: the planner's estimate of the
        // rows, or a SQLite file's size.
        let estimate = database.estimate(of: select)
        try MemoryBudget.check(
            inputBytes: estimate?.bytes ?? (kind == .sqlite ? MemoryBudget.size(of: [location]) : 0), kind: .export, file: database.label)
        loader.expectedRows = estimate?.rows
        loader.blocks = database.stream(select)
        if !plan.isSummary { try readBeside(database, plan: plan, into: &loader) }
        return try loader.load()
    }

    private func connect() throws(DataError) -> any SQLDatabase {
        switch kind {
        case .postgres: try PostgresDatabase(location)
        case .sqlite: try SQLiteDatabase(path: location)
        }
    }

    /// The export loader of the transactions, told their columns (and first rows, when
    /// `sampled`), and their query.
    private func transactionsLoader(_ database: any SQLDatabase, sampled: Bool) throws(DataError) -> (loader: ExportFileLoader, select: String) {
        guard let transactions = reference(.transactions) else {
            throw DataError(file: database.label, message: "tables (…) names no transactions: tables (transactions = TABLE or 'select …')")
        }
        let head = sampled ? try database.head(of: transactions.select) : (columns: try database.columns(of: transactions.select), rows: [])
        var loader = ExportFileLoader(path: "\(database.label) \(transactions.shown)", name: name, asOf: asOf)
        // `columns (id = …)` names the customers table's id; the rest are the transactions'.
        loader.columns = columns.filter { TableReader.normalise($0.field) != "id" }
        loader.format = FormatOverrides.crmq
        loader.info = info
        loader.rules = rules
        loader.interrupted = interrupted
        loader.databaseColumns = (head.columns, head.rows)
        return (loader, transactions.select)
    }

    /// The customers table and the others (activities with their rates, payments,
    /// interactions), each read whole, beside the transactions: what a folder's files are.
    private func readBeside(_ database: any SQLDatabase, plan: ExportPlan, into loader: inout ExportFileLoader) throws(DataError) {
        if (reference(.activities) == nil) != (reference(.activityRates) == nil) {
            throw DataError(file: database.label, message: "activities and activity_rates come together: each activity's unit cost is in the rates (tables (…, activities = …, activity_rates = …))")
        }
        for (table, reference) in tables where table != .transactions {
            let shown = "\(database.label) \(reference.shown)"
            guard table == .customers else {
                loader.otherTables["\(table.rawValue).csv"] = .bytes(FileBytes(try database.csv(reference.select)), name: shown)
                continue
            }
            // The id column as crmq names it; every other column an attribute. The id: named,
            // else by the names ids go by, else the transactions' own customer column.
            let names = try database.columns(of: reference.select)
            let normalised = names.map(TableReader.normalise)
            var given = columns.filter { TableReader.normalise($0.field) == "id" }.prefix(1).map { $0 }
            let customerColumn = plan.mapping.column(for: "customer_id")!
            if given.isEmpty, !ColumnMapping.customerIdRole.names.contains(where: normalised.contains), normalised.contains(customerColumn) {
                given = [("id", customerColumn)]
            }
            let id = try ColumnMapping.resolve(header: normalised, written: names, given: given, roles: [ColumnMapping.customerIdRole], file: shown)
            let column = names[normalised.firstIndex(of: id.pairs[0].column)!]
            let others = names.filter { $0 != column }.map(PostgresDatabase.quoted)
            let select = "SELECT \(([PostgresDatabase.quoted(column) + " AS id"] + others).joined(separator: ", ")) FROM (\(reference.select)) AS crmq_source"
            let renamed = id.summary(header: normalised, written: names)
            loader.customersTable = .bytes(FileBytes(try database.csv(select)), name: shown, renamed: renamed.isEmpty ? [] : [renamed])
        }
    }

    private func reference(_ table: SnapshotTable) -> TableReference? { tables.first { $0.table == table }?.reference }
}
