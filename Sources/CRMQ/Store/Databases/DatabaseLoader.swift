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

    /// The tables a database may give; activities need their rates, which only a folder holds.
    public static let readable: [SnapshotTable] = [.transactions, .customers, .payments, .interactions]

    public init(kind: DatabaseKind, location: String, name: String, asOf: Int32? = nil, tables: [(table: SnapshotTable, reference: TableReference)]) {
        self.kind = kind
        self.location = location
        self.name = name
        self.asOf = asOf
        self.tables = tables
    }

    public func load() throws(DataError) -> Snapshot {
        let database: any SQLDatabase
        switch kind {
        case .postgres: database = try PostgresDatabase(location)
        case .sqlite: database = try SQLiteDatabase(path: location)
        }
        guard let transactions = reference(.transactions) else {
            throw DataError(file: database.label, message: "tables (…) names no transactions: tables (transactions = TABLE or 'select …')")
        }
        let label = "\(database.label) \(transactions.shown)"
        // `columns (id = …)` names the customers table's id; the rest are the transactions'.
        let columns = self.columns.filter { TableReader.normalise($0.field) != "id" }
        let idColumn = self.columns.first { TableReader.normalise($0.field) == "id" }
        let written = try database.columns(of: transactions.select)
        let header = written.map(TableReader.normalise)
        func quoted(_ column: String) -> String { PostgresDatabase.quoted(written[header.firstIndex(of: column)!]) }
        if reference(.customers) == nil, let other = tables.first(where: { $0.table != .transactions }) {
            throw DataError(
                file: database.label, message: "\(other.table.rawValue) name customers, and a customers table says who they are: tables (…, customers = TABLE)")
        }
        if ColumnMapping.isSummary(header, given: columns) || reference(.customers) == nil {
            // Read as one export: the summary whole, or transactions' columns under their own names.
            var select = transactions.select
            var names = written
            if !ColumnMapping.isSummary(header, given: columns) {
                let mapping = try ColumnMapping.resolve(header: header, written: written, given: columns, roles: ColumnMapping.transactionRoles, file: label)
                names = mapping.pairs.map { written[header.firstIndex(of: $0.column)!] }
                select = "SELECT \(mapping.pairs.map { quoted($0.column) }.joined(separator: ", ")) FROM (\(transactions.select)) AS crmq_source"
            }
            var loader = ExportFileLoader(path: label, name: name, asOf: asOf)
            loader.columns = columns
            loader.format = FormatOverrides.crmq
            loader.info = info
            loader.blocks = (database.stream(select), names)
            loader.interrupted = interrupted
            return try loader.load()
        }
        let mapping = try ColumnMapping.resolve(header: header, written: written, given: columns, roles: ColumnMapping.transactionRoles, file: label)
        let fields = mapping.pairs.map { "\(quoted($0.column)) AS \($0.field)" }.joined(separator: ", ")
        let streamed = database.stream("SELECT \(fields) FROM (\(transactions.select)) AS crmq_source")
        var origins = ["transactions.csv": FileOrigin.stream(streamed, name: label)]
        var sources = [TableSource(
            table: "transactions", file: label, dialect: .standard,
            mapping: mapping.summary(header: header, written: written), rows: 0,
            isDatabase: true)]
        for (table, reference) in tables where table != .transactions {
            guard Self.readable.contains(table) else {
                throw DataError(file: database.label, message: "\(table.rawValue) are not read from a database: they need a folder's activity_rates.csv")
            }
            let shown = "\(database.label) \(reference.shown)"
            var select = reference.select
            var renamed = ""
            if table == .customers {
                // The id column as crmq names it; every other column an attribute.
                let names = try database.columns(of: reference.select)
                let normalised = names.map(TableReader.normalise)
                // The id: named, else by the names ids go by, else the transactions' own customer column.
                var given = idColumn.map { [$0] } ?? []
                let customerColumn = mapping.column(for: "customer_id")!
                if given.isEmpty, !ColumnMapping.customerIdRole.names.contains(where: normalised.contains), normalised.contains(customerColumn) {
                    given = [("id", customerColumn)]
                }
                let id = try ColumnMapping.resolve(header: normalised, written: names, given: given, roles: [ColumnMapping.customerIdRole], file: shown)
                let column = names[normalised.firstIndex(of: id.pairs[0].column)!]
                let others = names.filter { $0 != column }.map(PostgresDatabase.quoted)
                select = "SELECT \(([PostgresDatabase.quoted(column) + " AS id"] + others).joined(separator: ", ")) FROM (\(reference.select)) AS crmq_source"
                renamed = id.summary(header: normalised, written: names)
            }
            let rows = try database.csv(select)
            origins["\(table.rawValue).csv"] = .bytes(FileBytes(rows.bytes), name: shown)
            sources.append(TableSource(table: table.rawValue, file: shown, dialect: .standard, mapping: renamed, rows: rows.rows, isDatabase: true))
        }
        var loader = SnapshotLoader(directory: database.label, name: name, asOf: asOf)
        loader.origins = origins
        loader.folderless = true
        loader.info = info
        loader.interrupted = interrupted
        let snapshot = try loader.load()
        // The transactions streamed by: their rows are counted once read.
        sources[0].rows = snapshot.transactions.count + (snapshot.setAside["transactions.csv"] ?? 0)
        return snapshot.described(by: sources)
    }

    private func reference(_ table: SnapshotTable) -> TableReference? { tables.first { $0.table == table }?.reference }
}
