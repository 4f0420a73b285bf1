/// `load "PATH" [as NAME] [as of DATE] [columns (…)] [format (…)] [where …]`: a snapshot
/// folder, or a single export file read as it is, made the one in use.
struct LoadStatement: Statement {
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

    static let word = "load"
    static let help = StatementHelp(
        syntax: "load \"DIR\"|\"FILE\" [as NAME] [as of DATE] [columns (FIELD = COLUMN|EXPRESSION, …)] "
            + "[format (delimiter ';', decimal ',', thousands '.', date 'DD.MM.YYYY', header false, time_unit 'days')] [where CONDITION]",
        summary: "Load a snapshot and use it: a folder of customers.csv, transactions.csv and the optional files, or one "
            + "file of transactions as a shop or a data set exports it (the customers are those in it). A file's "
            + "delimiter, decimal mark and date order are sniffed, and its customer, date and amount columns recognised "
            + "by their usual names; `columns` and `format` say otherwise, and a field may be an expression of the file's "
            + "columns (amount = Quantity * UnitPrice). `where` keeps only the file's rows it holds for. With `as of`, "
            + "rows dated later are set aside. A summary — frequency, recency and T a customer, as lifetimes writes it "
            + "— loads as a snapshot the models fit on.",
        example: "load \"examples/acme\" as acme as of 2024-06-30")

    static let formatKeys = ["delimiter", "decimal", "thousands", "date", "header", "time_unit"]

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        var statement = Self(path: try parser.path("a snapshot folder or file in quotes, like \"examples/acme\""))
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
            } else if statement.condition == nil, parser.accept("where") != nil {
                statement.condition = try parser.expression()
            } else {
                return statement
            }
        }
    }

    /// `(customer_id = Id, amount = Quantity * UnitPrice)`.
    private static func columnPairs(_ parser: inout Parser) throws(Diagnostic) -> [(Name, Expr)] {
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
        return .words(typed.lastWord == "as" ? ["of"] : ["as", "columns", "format", "where"])
    }

    var description: String {
        var text = "load \(SourceText.quoted(path))" + (alias.map { " as \($0.text)" } ?? "") + (asOf.map { " as of \(CalendarDay.format($0))" } ?? "")
        if !columns.isEmpty { text += " columns (" + columns.map { "\($0.field.text) = \($0.source)" }.joined(separator: ", ") + ")" }
        if !format.isEmpty { text += " format (" + format.map { "\($0.key.text) \(SourceText.quoted($0.value.text))" }.joined(separator: ", ") + ")" }
        if let condition { text += " where \(condition)" }
        return text
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let name = alias?.text.lowercased()
        let snapshot: Snapshot
        if Session.isFile(path) {
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
                throw Diagnostic("interrupted: the load of \(path) was stopped, and nothing changed", at: range)
            }
            throw Diagnostic("cannot load the snapshot: \(error)", at: range)
        }
    }

    /// The file's loader: its columns named or computed, its format, and its `where`, the
    /// expressions checked against the file's header before a row is read.
    private func exportLoader(name: String, at range: SourceRange) throws(Diagnostic) -> ExportFileLoader {
        var loader = ExportFileLoader(path: path, name: name, asOf: asOf)
        loader.format = try formatOverrides()
        var computed: [(field: Name, source: Expr)] = []
        for (field, source) in columns {
            switch source.kind {
            case .field(let column), .string(let column): loader.columns.append((field.text, column))
            default: computed.append((field, source))
            }
        }
        guard condition != nil || !computed.isEmpty else { return loader }
        let fields = try LoadRules.fields(computed)
        let plan = try loading(at: range) { () throws(DataError) in try loader.inspect(computing: fields) }
        loader.rules = try LoadRules.compile(condition: condition, computed: computed, plan: plan, file: path)
        return loader
    }

    /// `format (…)` checked, each value at its word.
    private func formatOverrides() throws(Diagnostic) -> FormatOverrides {
        var out = FormatOverrides()
        for (key, value) in format {
            let v = value.text
            switch key.text.lowercased() {
            case "delimiter":
                let byName: [String: Delimiter] = [",": .comma, ";": .semicolon, "\t": .tab, "\\t": .tab, "tab": .tab, "|": .pipe, "spaces": .spaces, " ": .spaces]
                guard let d = byName[v.lowercased()] else {
                    throw Diagnostic("the delimiter is ',', ';', '\\t' (or tab), '|' or spaces, not '\(v)'", at: value.range)
                }
                out.delimiter = d
            case "decimal":
                guard v == "." || v == "," else { throw Diagnostic("the decimal mark is '.' or ',', not '\(v)'", at: value.range) }
                out.decimal = v.utf8.first
            case "thousands":
                guard ["", ".", ",", " ", "'"].contains(v) else { throw Diagnostic("the thousands separator is '.', ',', ' ', \"'\" or '' for none", at: value.range) }
                out.thousands = .some(v.utf8.first)
            case "date":
                guard let order = DateOrder.allCases.first(where: { $0.rawValue == v.uppercased() }) ?? (v.uppercased() == "DD/MM/YYYY" ? .dayMonthYear : nil) else {
                    throw Diagnostic(
                        "the date formats are " + (DateOrder.allCases.map(\.rawValue) + ["DD/MM/YYYY"]).joined(separator: ", "), at: value.range)
                }
                out.dates = order
            case "header":
                guard let b = ["true": true, "false": false][v.lowercased()] else { throw Diagnostic("header is true or false", at: value.range) }
                out.header = b
            case "time_unit":
                guard let unit = TimeUnit(rawValue: v.lowercased()) else {
                    throw Diagnostic("a summary's time unit is " + TimeUnit.allCases.map(\.rawValue).joined(separator: ", "), at: value.range)
                }
                out.timeUnit = unit
            default:
                throw Diagnostic(
                    "unknown format setting `\(key.text)`", at: key.range,
                    hint: Suggestion.hint(for: key.text, in: Self.formatKeys) ?? "the settings are " + Self.formatKeys.joined(separator: ", "))
            }
        }
        return out
    }
}
