import Foundation

/// What a folder's snapshot.json says its tables are when they are not crmq's own files:
///
///     {"tables": {"transactions": {"file": "apparel_trans.csv",
///                                  "columns": {"customer_id": "Id", "date": "Date", "amount": "Price"},
///                                  "format": {"delimiter": ","}, "where": "Price > 0"},
///                 "customers": {"file": "apparel_static_cov.csv", "columns": {"id": "Id"}}}}
///
/// each table a file (or a folder of Spark part files) read as `load` reads an export, or,
/// with `"source": {"postgres": "…"}` or `{"sqlite": "crm.db"}`, a database's `table` or
/// `query`. The `where` and column expressions stay text here: the evaluation layer reads them.
public struct SnapshotRecipe: Sendable {
    public struct Table: Sendable {
        public var table: SnapshotTable
        /// The file, relative to the folder.
        public var file: String?
        /// With a source: the database's table or query.
        public var reference: TableReference?
        /// Field, then the file's column or an expression of its columns, as written.
        public var columns: [(field: String, column: String)] = []
        public var format = FormatOverrides()
        public var condition: String?
    }

    public var folder: String
    /// snapshot.json's path, which errors name.
    public var file: String
    public var info: SnapshotInfo
    public var tables: [Table]
    /// The unit cost of each activity, which activities need: `"activity_rates": {"file": …}`.
    public var activityRates: Table?
    public var source: (kind: DatabaseKind, location: String)?

    /// The folder's recipe; nil when its snapshot.json has no `tables` (crmq's own files).
    public static func read(folder: String) throws(DataError) -> SnapshotRecipe? {
        let file = (folder.hasSuffix("/") ? folder : folder + "/") + "snapshot.json"
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        let json = try SnapshotLoader.json(file)
        guard let given = json["tables"] else {
            if json["source"] != nil { throw DataError(file: file, columnName: "source", message: "a source needs its tables: \"tables\": {\"transactions\": {\"table\": \"orders\"}}") }
            return nil
        }
        var recipe = SnapshotRecipe(folder: folder, file: file, info: try SnapshotLoader.info(json, file: file), tables: [])
        if let source = json["source"] {
            guard let object = source as? [String: Any], object.count == 1, let (key, value) = object.first,
                  let kind = DatabaseKind(rawValue: key), let location = value as? String else {
                throw DataError(file: file, columnName: "source", message: "expected {\"postgres\": \"postgresql://…\"} or {\"sqlite\": \"crm.db\"}")
            }
            // A SQLite file is found beside snapshot.json.
            recipe.source = (kind, kind == .sqlite && !location.hasPrefix("/") ? recipe.path(of: location) : location)
        }
        guard let tables = given as? [String: Any], !tables.isEmpty else {
            throw DataError(file: file, columnName: "tables", message: "expected an object of tables: {\"transactions\": {\"file\": \"orders.csv\"}}")
        }
        for name in tables.keys.sorted() {
            let key = "tables.\(name)"
            if name == "activity_rates", recipe.source == nil {
                guard let object = tables[name] as? [String: Any] else {
                    throw DataError(file: file, columnName: key, message: "expected an object with file, columns and format")
                }
                recipe.activityRates = try Self.table(.activities, object, key: key, file: file, fromDatabase: false)
                continue
            }
            guard let table = SnapshotTable(rawValue: name) else {
                throw DataError(
                    file: file, columnName: key,
                    message: "no such table; the tables are " + SnapshotTable.allCases.map(\.rawValue).joined(separator: ", ")
                        + (Suggestion.hint(for: name, in: SnapshotTable.allCases.map(\.rawValue)).map { " (\($0))" } ?? ""))
            }
            guard let object = tables[name] as? [String: Any] else {
                throw DataError(file: file, columnName: key, message: "expected an object with file, columns, format and where")
            }
            recipe.tables.append(try Self.table(table, object, key: key, file: file, fromDatabase: recipe.source != nil))
        }
        guard recipe.tables.contains(where: { $0.table == .transactions }) else {
            throw DataError(file: file, columnName: "tables", message: "no transactions: every snapshot needs them")
        }
        if recipe.tables.contains(where: { $0.table == .activities }) != (recipe.activityRates != nil), recipe.source == nil {
            throw DataError(file: file, columnName: "tables.activity_rates", message: "activities and activity_rates come together: each activity's unit cost is in the rates")
        }
        return recipe
    }

    /// One table's entry, each key checked.
    private static func table(_ table: SnapshotTable, _ object: [String: Any], key: String, file: String, fromDatabase: Bool) throws(DataError) -> Table {
        var out = Table(table: table)
        let known = fromDatabase ? ["table", "query", "columns", "where"] : ["file", "columns", "format", "where"]
        for name in object.keys.sorted() where !known.contains(name) {
            throw DataError(
                file: file, columnName: "\(key).\(name)",
                message: "unknown key; \(fromDatabase ? "a database's" : "a file's") table has " + known.joined(separator: ", "))
        }
        func text(_ name: String) throws(DataError) -> String? {
            guard let value = object[name] else { return nil }
            guard let string = value as? String, !string.isEmpty else { throw DataError(file: file, columnName: "\(key).\(name)", message: "expected a string") }
            return string
        }
        func pairs(_ name: String) throws(DataError) -> [(String, String)] {
            guard let value = object[name] else { return [] }
            guard let map = value as? [String: Any], let strings = map as? [String: String] else {
                throw DataError(file: file, columnName: "\(key).\(name)", message: "expected an object of strings, like {\"amount\": \"Price\"}")
            }
            return strings.keys.sorted().map { ($0, strings[$0]!) }
        }
        out.columns = try pairs("columns")
        out.condition = try text("where")
        for (setting, value) in try pairs("format") {
            do {
                try out.format.set(setting, value)
            } catch {
                throw DataError(file: file, columnName: "\(key).format.\(setting)", message: error.message + (error.hint.map { " (\($0))" } ?? ""))
            }
        }
        if fromDatabase {
            let table = try text("table"), query = try text("query")
            guard (table == nil) != (query == nil) else {
                throw DataError(file: file, columnName: key, message: "expected either a table (\"table\": \"crm.orders\") or a query (\"query\": \"select …\")")
            }
            out.reference = table.map(TableReference.table) ?? query.map(TableReference.query)
        } else {
            guard let path = try text("file") else { throw DataError(file: file, columnName: "\(key).file", message: "missing: the file the table is read from") }
            out.file = path
        }
        return out
    }

    /// A file of the folder's.
    public func path(of name: String) -> String {
        name.hasPrefix("/") ? name : (folder.hasSuffix("/") ? folder : folder + "/") + name
    }
}
