/// `load "PATH" [as NAME] [as of DATE] [columns (…)] [format (…)] [where …]`: a snapshot
/// folder, or a single export file read as it is, made the one in use; `load postgres|sqlite
/// "…" tables (…)`: a database's tables, read where they live.
struct LoadStatement: Statement {
    /// `load postgres "…"` or `load sqlite "…"`: a database, not a file or folder.
    var database: DatabaseKind?
    var path: String
    var alias: Name?
    var asOf: Int32?
    /// `columns (customer_id = Id, amount = Quantity * UnitPrice)`: a field, then the file's
    /// column (a name, or a quoted name with spaces) or an expression of its columns.
    var columns: [(field: Name, source: Expr)] = []
    /// `format (delimiter ';', decimal ',')`: key and value as written.
    var format: [(key: Name, value: Name)] = []
    /// `where financial_status != 'refunded'`: the file's rows to keep, before anything is derived.
    var condition: Expr?
    /// `tables (transactions = orders, customers = 'select …')`: a database's tables.
    var tables: [(table: Spelled<SnapshotTable>, reference: Name)] = []
    /// `load postgres "…" summarised`: the summary made in the server (`summary sql`'s
    /// query), so that one row per customer crosses the wire; where it was written.
    var summarised: SourceRange?

    static let word = "load"
    static let answersOnHistogram = true
    static let help = StatementHelp(
        syntax: "load \"DIR\"|\"FILE\" [as NAME] [as of DATE] [columns (FIELD = COLUMN|EXPRESSION, …)] "
            + "[format (delimiter ';', decimal ',', thousands '.', date 'DD.MM.YYYY', header false, time_unit 'days')] [where CONDITION]\n"
            + "load postgres|sqlite \"CONNECTION\"|\"FILE\" [as NAME] [as of DATE] tables (transactions = TABLE|'QUERY', customers = …) "
            + "[columns (FIELD = COLUMN|EXPRESSION, …)] [where CONDITION] [summarised]",
        summary: "Load a snapshot and use it: a folder of customers.csv, transactions.csv and the optional files, or one "
            + "file of transactions as a shop or a data set exports it (the customers are those in it). A file's "
            + "delimiter, decimal mark and date order are sniffed, and its customer, date and amount columns recognised "
            + "by their usual names; `columns` and `format` say otherwise, and a field may be an expression of the file's "
            + "columns (amount = Quantity * UnitPrice). `where` keeps only the file's rows it holds for. With `as of`, "
            + "rows dated later are set aside. A summary — frequency, recency and T a customer, as lifetimes writes it "
            + "— loads as a snapshot the models fit on. `load postgres` and `load sqlite` read a database's tables where "
            + "they live, each a table or a query, their columns named or computed and their rows kept by `where` as a file's are; "
            + "`summarised` has PostgreSQL make the summary (as summary sql does) so that only a row per customer comes over.",
        example: "load \"examples/acme\" as acme as of 2024-06-30")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        var database: DatabaseKind?
        if case .word(_, let key) = parser.token.kind, let kind = DatabaseKind(rawValue: key) {
            _ = parser.advance()
            database = kind
        }
        let what = database == .postgres ? "a connection string in quotes, like \"postgresql://crm@localhost/shop\""
            : database == .sqlite ? "a SQLite file in quotes, like \"crm.db\"" : "a snapshot folder or file in quotes, like \"examples/acme\""
        var statement = Self(database: database, path: try parser.path(what))
        while true {
            if parser.accept("as") != nil {
                if parser.accept("of") != nil {
                    statement.asOf = try parser.date("a date like 2024-06-30")
                } else {
                    statement.alias = try parser.name("a name for the snapshot, or `of` and a date")
                }
            } else if parser.accept("columns") != nil {
                statement.columns = try columnPairs(&parser)
            } else if parser.accept("format") != nil {
                statement.format = try formatPairs(&parser)
            } else if database != nil, parser.accept("tables") != nil {
                statement.tables = try tablePairs(&parser)
            } else if statement.condition == nil, parser.accept("where") != nil {
                statement.condition = try parser.expression()
            } else if database != nil, statement.summarised == nil, let word = parser.accept("summarised") ?? parser.accept("summarized") {
                statement.summarised = word.range
            } else {
                return statement
            }
        }
    }

    /// `(customer_id = Id, amount = Quantity * UnitPrice)`.
    static func columnPairs(_ parser: inout Parser) throws(Diagnostic) -> [(Name, Expr)] {
        try parser.expectSymbol("(")
        var out: [(Name, Expr)] = []
        repeat {
            let field = try word(&parser, "a field, `=` and the file's column, like customer_id = Id")
            try parser.expectSymbol("=")
            out.append((field, try parser.expression()))
        } while parser.acceptSymbol(",") != nil
        try parser.expectSymbol(")")
        return out
    }

    /// `(transactions = orders, customers = 'select …')`: a table of the snapshot, then a
    /// table of the database (in quotes when it has a schema: 'crm.orders') or a query.
    static func tablePairs<Table: CaseIterable & RawRepresentable & Sendable>(_ parser: inout Parser) throws(Diagnostic) -> [(Spelled<Table>, Name)]
    where Table.RawValue == String {
        try parser.expectSymbol("(")
        var out: [(Spelled<Table>, Name)] = []
        repeat {
            let table: Spelled<Table> = try parser.choice("snapshot table")
            try parser.expectSymbol("=")
            out.append((table, try word(&parser, "a table of the database, or a query in quotes")))
        } while parser.acceptSymbol(",") != nil
        try parser.expectSymbol(")")
        return out
    }

    /// `(delimiter ';', header false)`: words or quoted texts, kept as written.
    private static func formatPairs(_ parser: inout Parser) throws(Diagnostic) -> [(Name, Name)] {
        try parser.expectSymbol("(")
        var out: [(Name, Name)] = []
        let what = "a format setting and its value, like delimiter ';'"
        repeat {
            let key = try word(&parser, what)
            out.append((key, try word(&parser, what)))
        } while parser.acceptSymbol(",") != nil
        try parser.expectSymbol(")")
        return out
    }

    private static func word(_ parser: inout Parser, _ what: String) throws(Diagnostic) -> Name {
        switch parser.token.kind {
        case .string(let s): return Name(s, parser.advance().range)
        case .word(let w, _): return Name(w, parser.advance().range)
        default: throw parser.expected(what)
        }
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        if typed.isEmpty { return .paths(endings: CompletionHint.dataFileEndings) }
        if typed.count == 1, let kind = typed.words.first, DatabaseKind(rawValue: kind) != nil { return .nothing }
        if typed.words.first.flatMap(DatabaseKind.init) != nil {
            return .words(typed.lastWord == "as" ? ["of"] : ["as", "tables", "columns", "where", "summarised"])
        }
        return .words(typed.lastWord == "as" ? ["of"] : ["as", "columns", "format", "where"])
    }

    var description: String {
        var text = "load " + (database.map { $0.rawValue + " " } ?? "") + SourceText.quoted(path) + (alias.map { " as \($0.text)" } ?? "") + (asOf.map { " as of \(CalendarDay.format($0))" } ?? "")
        if !columns.isEmpty { text += " columns (" + columns.map { "\($0.field.text) = \($0.source)" }.joined(separator: ", ") + ")" }
        if !format.isEmpty { text += " format (" + format.map { "\($0.key.text) \(SourceText.quoted($0.value.text))" }.joined(separator: ", ") + ")" }
        if !tables.isEmpty { text += " tables (" + tables.map { "\($0.table.value.rawValue) = \(SourceText.quoted($0.reference.text))" }.joined(separator: ", ") + ")" }
        if let condition { text += " where \(condition)" }
        if summarised != nil { text += " summarised" }
        return text
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let name = alias?.text.lowercased()
        let snapshot: Snapshot
        if let database {
            let loader = try databaseLoader(database, name: name ?? Self.defaultName(database, path), at: range, settings: session.settings)
            snapshot = try loading(at: range) { () throws(DataError) in try session.load(loader) }
        } else if SnapshotFileFormat.isSnapshotFile(path) {
            if let word = columns.first?.field ?? format.first?.key {
                throw Diagnostic("columns (…) and format (…) describe an export; \(path) is a crmq snapshot file", at: word.range)
            }
            if let condition { throw Diagnostic("where on a load filters an export's rows; \(path) is a crmq snapshot file", at: condition.range) }
            snapshot = try loading(at: range) { () throws(DataError) in try session.load(directory: path, name: name, asOf: asOf) }
        } else if Session.isFile(path) {
            let loader = try exportLoader(name: name ?? Session.defaultName(for: path), at: range)
            snapshot = try loading(at: range) { () throws(DataError) in try session.load(loader) }
        } else {
            if let word = columns.first?.field ?? format.first?.key {
                throw Diagnostic("columns (…) and format (…) describe a single file, and \(path) is a folder", at: word.range)
            }
            if let condition { throw Diagnostic("where on a load filters a single file's rows, and \(path) is a folder", at: condition.range) }
            snapshot = try loading(at: range) { () throws(DataError) in try session.load(directory: path, name: name, asOf: asOf) }
        }
        return .message(Session.loadedMessage(snapshot))
    }

    /// A load's data error as an error at the statement.
    private func loading<T>(at range: SourceRange, _ body: () throws(DataError) -> T) throws(Diagnostic) -> T {
        do {
            return try body()
        } catch {
            if error.isInterruption {
                // A connection string may hold a password: shown without it, as everywhere.
                throw Diagnostic("interrupted: the load of \(Secrets.redacted(path)) was stopped, and nothing changed", at: range)
            }
            throw Diagnostic("cannot load the snapshot: \(error)", at: range)
        }
    }

    /// A database's snapshot is named after it: `crm` for crm.db, `shop` for postgresql://…/shop.
    static func defaultName(_ kind: DatabaseKind, _ location: String) -> String {
        var name = location
        switch kind {
        case .sqlite:
            for ending in [".sqlite3", ".sqlite", ".db"] where name.lowercased().hasSuffix(ending) { name.removeLast(ending.count) }
        case .postgres:
            if let key = name.range(of: "dbname=") {
                name = String(name[key.upperBound...].prefix { $0 != " " })
            } else if name.contains("://") {
                name = String(name.split(separator: "?").first ?? "")
                if name.filter({ $0 == "/" }).count < 3 { name = "" }  // no database after the host
            }
        }
        let last = TableReader.normalise(name.split(separator: "/").last.map(String.init) ?? "")
        return last.isEmpty ? kind.rawValue : last
    }

    /// The database's loader: its tables, the transactions' columns named or computed, and
    /// its `where`, the expressions checked against the columns the database says before a row is read.
    private func databaseLoader(_ kind: DatabaseKind, name: String, at range: SourceRange, settings: Settings) throws(Diagnostic) -> DatabaseLoader {
        if let key = format.first?.key { throw Diagnostic("format (…) describes a file; a database says what its columns are", at: key.range) }
        if let summarised { return try summaryLoader(kind, name: name, at: summarised, settings: settings) }
        guard !tables.isEmpty else {
            throw Diagnostic("say which tables to read: tables (transactions = orders, customers = 'select …')", hint: Secrets.redacted("\(self) tables (transactions = orders)"))
        }
        var loader = DatabaseLoader(kind: kind, location: path, name: name, asOf: asOf, tables: tables.map { ($0.table.value, TableReference($0.reference.text)) })
        let computed: [(field: Name, source: Expr)]
        (loader.columns, computed) = LoadRules.split(columns)
        loader.rules = try rules(computed, at: range) { (fields) throws(DataError) in try loader.inspect(computing: fields) }
        return loader
    }

    /// A PostgreSQL load of the summary the server makes: summary sql's query over the tables
    /// named, with the columns, `where` and `as of` of the load (and the margin rate set),
    /// read as a summary made where the data lives.
    private func summaryLoader(_ kind: DatabaseKind, name: String, at word: SourceRange, settings: Settings) throws(Diagnostic) -> DatabaseLoader {
        guard kind == .postgres else {
            throw Diagnostic("summarised is for PostgreSQL, whose server makes the summary; SQLite runs inside crmq, so load its tables as they are", at: word)
        }
        let script = try SummarySQL(engine: .postgres, asOf: asOf, tables: tables, columns: columns, condition: condition, marginRate: settings.marginRate)
        let read = SnapshotTable.allCases.filter { script.tables[$0] != nil }.map(\.rawValue)
        return DatabaseLoader(kind: kind, location: path, name: name, asOf: asOf, tables: [(.transactions, .summary(query: try script.summaryQuery(), of: read))])
    }

    /// The file's loader: its columns named or computed, its format, and its `where`, the
    /// expressions checked against the file's header before a row is read.
    private func exportLoader(name: String, at range: SourceRange) throws(Diagnostic) -> ExportFileLoader {
        var loader = ExportFileLoader(path: path, name: name, asOf: asOf)
        loader.format = try formatOverrides()
        let computed: [(field: Name, source: Expr)]
        (loader.columns, computed) = LoadRules.split(columns)
        loader.rules = try rules(computed, at: range) { (fields) throws(DataError) in try loader.inspect(computing: fields) }
        return loader
    }

    /// The load's `where` and expressions compiled against the plan of the rows they apply
    /// to (read from the source only when there are any).
    private func rules(
        _ computed: [(field: Name, source: Expr)], at range: SourceRange, inspect: (Set<String>) throws(DataError) -> ExportPlan
    ) throws(Diagnostic) -> RowRules? {
        guard condition != nil || !computed.isEmpty else { return nil }
        let fields = try LoadRules.fields(computed)
        let plan = try loading(at: range) { () throws(DataError) in try inspect(fields) }
        return try LoadRules.compile(condition: condition, computed: computed, plan: plan, shown: database == nil ? ExportFileLoader.fileName(path) : "the table")
    }

    /// `format (…)` checked, each value at its word.
    private func formatOverrides() throws(Diagnostic) -> FormatOverrides {
        var out = FormatOverrides()
        for (key, value) in format {
            do {
                try out.set(key.text, value.text)
            } catch {
                throw Diagnostic(error.message, at: error.atKey ? key.range : value.range, hint: error.hint)
            }
        }
        return out
    }
}
