/// A folder whose snapshot.json describes its tables (`"tables"`, and `"source"` for a
/// database), loaded through the same loaders as `load "FILE" …` and `load postgres …`:
/// the `where` and the column expressions written in snapshot.json are read by the parser
/// and checked against the file's header, and an error in one names snapshot.json and its key.
struct RecipeLoader {
    let recipe: SnapshotRecipe
    let name: String
    let asOf: Int32?

    /// The tables a recipe reads through the export loader itself; the others are read as a
    /// folder's are, from the files the recipe names.
    static let fileTables: [SnapshotTable] = [.transactions, .customers]

    func loader() throws(DataError) -> SnapshotSource {
        let transactions = recipe.tables.first { $0.table == .transactions }!
        let besides = recipe.tables.filter { $0.table != .transactions }.map { ($0.table.rawValue, $0) }
            + (recipe.activityRates.map { [("activity_rates", $0)] } ?? [])
        for (name, table) in besides {
            if let condition = table.condition {
                throw DataError(file: recipe.file, columnName: "tables.\(name).where", message: "where filters the transactions' rows only, not \"\(condition)\"")
            }
        }
        var sources: [(field: Name, source: Expr)] = []
        for (field, written) in transactions.columns {
            sources.append((Name(field, SourceRange(0, 0)), try expression(written, key: "tables.transactions.columns.\(field)")))
        }
        let (named, computed) = LoadRules.split(sources)
        let condition = try transactions.condition.map { (text) throws(DataError) in try expression(text, key: "tables.transactions.where") }
        if let source = recipe.source {
            var loader = try database(source, named: named)
            loader.rules = try rules(condition, computed, shown: "the table") { (fields) throws(DataError) in try loader.inspect(computing: fields) }
            return .database(loader)
        }
        let path = recipe.path(of: transactions.file!)
        var loader = ExportFileLoader(path: path, name: name, asOf: asOf)
        loader.info = recipe.info
        loader.format = transactions.format
        loader.columns = named
        if let customers = recipe.tables.first(where: { $0.table == .customers }) {
            loader.customersTable = .file(try FileLayout.customers(
                path: recipe.path(of: customers.file!), format: customers.format,
                columns: customers.columns.map { (ColumnMapping.summaryField($0.field) == "id" ? "id" : $0.field, $0.column) }))
        }
        let others = recipe.tables.filter { !Self.fileTables.contains($0.table) }.map { ("\($0.table.rawValue)", $0) }
            + (recipe.activityRates.map { [("activity_rates", $0)] } ?? [])
        for (name, table) in others {
            loader.otherTables["\(name).csv"] = .file(try FileLayout.table(path: recipe.path(of: table.file!), format: table.format, columns: table.columns))
        }
        loader.rules = try rules(condition, computed, shown: ExportFileLoader.fileName(path)) { (fields) throws(DataError) in try loader.inspect(computing: fields) }
        return .file(loader)
    }

    /// The transactions' `where` and expressions compiled against the plan of their rows;
    /// an error in one names snapshot.json and its key.
    private func rules(
        _ condition: Expr?, _ computed: [(field: Name, source: Expr)], shown: String, inspect: (Set<String>) throws(DataError) -> ExportPlan
    ) throws(DataError) -> RowRules? {
        guard condition != nil || !computed.isEmpty else { return nil }
        do {
            let fields = try LoadRules.fields(computed)
            let plan = try inspect(fields)
            return try LoadRules.compile(condition: condition, computed: computed, plan: plan, shown: shown)
        } catch let error as Diagnostic {
            throw DataError(file: recipe.file, columnName: condition != nil ? "tables.transactions.where" : "tables.transactions.columns", message: error.message)
        } catch let error as DataError {
            throw error
        } catch {
            throw DataError(file: recipe.file, message: "\(error)")
        }
    }

    /// A database's tables: each a table or a query; the customers' id named by their `columns`.
    private func database(_ source: (kind: DatabaseKind, location: String), named: [(field: String, column: String)]) throws(DataError) -> DatabaseLoader {
        var loader = DatabaseLoader(
            kind: source.kind, location: source.location, name: name, asOf: asOf, tables: recipe.tables.map { ($0.table, $0.reference!) })
        loader.info = recipe.info
        loader.columns = named
        if let id = recipe.tables.first(where: { $0.table == .customers })?.columns.first(where: { ColumnMapping.summaryField($0.field) == "id" }) {
            loader.columns.append(("id", id.column))
        }
        return loader
    }

    /// A `where` or a column's expression as the language reads it: the whole text, one expression.
    private func expression(_ text: String, key: String) throws(DataError) -> Expr {
        var parser = Parser(text)
        do throws(Diagnostic) {
            let expr = try parser.expression()
            guard parser.atStatementEnd else { throw parser.expected("the end of the expression") }
            return expr
        } catch {
            throw DataError(file: recipe.file, columnName: key, message: "\(error.message) in \"\(text)\"")
        }
    }
}

/// Where a snapshot comes from, ready to load.
enum SnapshotSource {
    case file(ExportFileLoader)
    case database(DatabaseLoader)
}
