/// `load "PATH" [as NAME] [as of DATE] [columns (…)] [format (…)]`: a snapshot folder, or a
/// single export file read as it is, made the one in use.
struct LoadStatement: Statement {
    var path: String
    var alias: Name?
    var asOf: Int32?
    /// `columns (customer_id = Id, amount = "Total Price")`: field, then the file's column.
    var columns: [(field: Name, column: Name)] = []
    /// `format (delimiter ';', decimal ',')`: key and value as written.
    var format: [(key: Name, value: Name)] = []

    static let word = "load"
    static let help = StatementHelp(
        syntax: "load \"DIR\"|\"FILE\" [as NAME] [as of DATE] [columns (FIELD = COLUMN, …)] "
            + "[format (delimiter ';', decimal ',', thousands '.', date 'DD.MM.YYYY', header false)]",
        summary: "Load a snapshot and use it: a folder of customers.csv, transactions.csv and the optional files, or one "
            + "file of transactions as a shop or a data set exports it (the customers are those in it). A file's "
            + "delimiter, decimal mark and date order are sniffed, and its customer, date and amount columns recognised "
            + "by their usual names; `columns` and `format` say otherwise. With `as of`, rows dated later are set aside.",
        example: "load \"examples/acme\" as acme as of 2024-06-30")

    static let formatKeys = ["delimiter", "decimal", "thousands", "date", "header"]

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
                statement.columns = try pairs(&parser, separator: "=", what: "a field, `=` and the file's column, like customer_id = Id")
            } else if parser.accept("format") != nil {
                statement.format = try pairs(&parser, separator: nil, what: "a format setting and its value, like delimiter ';'")
            } else {
                return statement
            }
        }
    }

    /// `(a = b, c = d)` or `(a 'b', c 'd')`: words or quoted texts, kept as written.
    private static func pairs(_ parser: inout Parser, separator: String?, what: String) throws(Diagnostic) -> [(Name, Name)] {
        try parser.expectSymbol("(")
        var out: [(Name, Name)] = []
        repeat {
            let key = try word(&parser, what)
            if let separator { try parser.expectSymbol(separator) }
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
        return .words(typed.lastWord == "as" ? ["of"] : ["as", "columns", "format"])
    }

    var description: String {
        func shown(_ n: Name) -> String { n.text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !n.text.isEmpty ? n.text : SourceText.quoted(n.text) }
        var text = "load \(SourceText.quoted(path))" + (alias.map { " as \($0.text)" } ?? "") + (asOf.map { " as of \(CalendarDay.format($0))" } ?? "")
        if !columns.isEmpty { text += " columns (" + columns.map { "\(shown($0.field)) = \(shown($0.column))" }.joined(separator: ", ") + ")" }
        if !format.isEmpty { text += " format (" + format.map { "\($0.key.text) \(SourceText.quoted($0.value.text))" }.joined(separator: ", ") + ")" }
        return text
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let overrides = try formatOverrides()
        let snapshot: Snapshot
        do {
            snapshot = try session.load(
                directory: path, name: alias?.text.lowercased(), asOf: asOf,
                columns: columns.map { ($0.field.text, $0.column.text) }, format: overrides)
        } catch {
            if error.isInterruption {
                throw Diagnostic("interrupted: the load of \(path) was stopped, and nothing changed", at: range)
            }
            throw Diagnostic("cannot load the snapshot: \(error)", at: range)
        }
        return .message(Session.loadedMessage(snapshot))
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
            default:
                throw Diagnostic(
                    "unknown format setting `\(key.text)`", at: key.range,
                    hint: Suggestion.hint(for: key.text, in: Self.formatKeys) ?? "the settings are " + Self.formatKeys.joined(separator: ", "))
            }
        }
        return out
    }
}
