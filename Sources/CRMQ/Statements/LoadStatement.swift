/// `load "DIR" [as NAME] [as of DATE]`: a snapshot folder, made the one in use.
struct LoadStatement: Statement {
    var path: String
    var alias: Name?
    var asOf: Int32?

    static let word = "load"
    static let help = StatementHelp(
        syntax: "load \"DIR\" [as NAME] [as of DATE]",
        summary: "Load a snapshot directory and use it: customers.csv, transactions.csv and the optional files. "
            + "With `as of`, rows dated later are set aside, as if the snapshot were taken that day.",
        example: "load \"examples/acme\" as acme as of 2024-06-30")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        var statement = Self(path: try parser.path("a snapshot directory in quotes, like \"examples/acme\""))
        while parser.accept("as") != nil {
            if parser.accept("of") != nil {
                statement.asOf = try parser.date("a date like 2024-06-30")
            } else {
                statement.alias = try parser.name("a name for the snapshot, or `of` and a date")
            }
        }
        return statement
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        typed.isEmpty ? .paths(directoriesOnly: true) : .words(typed.lastWord == "as" ? ["of"] : ["as"])
    }

    var description: String {
        "load \(SourceText.quoted(path))" + (alias.map { " as \($0.text)" } ?? "") + (asOf.map { " as of \(CalendarDay.format($0))" } ?? "")
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let snapshot: Snapshot
        do {
            snapshot = try session.load(directory: path, name: alias?.text.lowercased(), asOf: asOf)
        } catch {
            if error.isInterruption {
                throw Diagnostic("interrupted: the load of \(path) was stopped, and nothing changed", at: range)
            }
            throw Diagnostic("cannot load the snapshot: \(error)", at: range)
        }
        return .message(Session.loadedMessage(snapshot))
    }
}
