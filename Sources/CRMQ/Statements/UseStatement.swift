/// `use NAME`: another loaded snapshot becomes the one statements ask.
struct UseStatement: Statement {
    var name: Name

    static let word = "use"
    static let answersOnHistogram = true
    static let help = StatementHelp(syntax: "use NAME", summary: "Make a loaded snapshot the one statements ask.", example: "use acme")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self { Self(name: try parser.name("a snapshot name")) }
    static func complete(_ typed: TypedWords) -> CompletionHint { typed.isEmpty ? .snapshots : .nothing }
    var description: String { "use \(name.text)" }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let snapshot = try session.snapshot(named: name, hint: "`snapshots` lists the loaded ones")
        session.use(snapshot.name)
        return .message("using \(snapshot.name)")
    }
}
