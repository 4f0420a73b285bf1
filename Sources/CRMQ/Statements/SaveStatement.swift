/// `save to "FILE"`: the last result written to a file.
struct SaveStatement: Statement {
    var path: String

    static let word = "save"
    static let help = StatementHelp(
        syntax: "save to \"FILE\"",
        summary: "Write the last result to a file. A name ending in .json writes JSON, .md Markdown, anything else CSV.",
        example: "save to \"big-customers.csv\"")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        try parser.expect("to")
        return Self(path: try parser.path("a file name in quotes, like \"out.csv\""))
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        typed.isEmpty ? .words(["to"]) : typed.count == 1 && typed.lastWord == "to" ? .paths(endings: nil) : .nothing
    }

    var description: String { "save to \(SourceText.quoted(path))" }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        guard session.lastResult != nil else {
            throw Diagnostic("there is no result to save yet", at: range, hint: "run a query first, then: save to \"out.csv\"")
        }
        return StatementResult(effect: .save(path))
    }
}
