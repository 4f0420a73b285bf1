/// `settings`: the settings in force and where each comes from.
struct SettingsStatement: Statement {
    static let word = "settings"
    static let answersOnHistogram = true
    static let help = StatementHelp(
        syntax: "settings", summary: "Show the settings in force and where each comes from: default, snapshot.json or set.",
        example: "settings")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self { Self() }
    var description: String { "settings" }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        StatementResult([.table(session.settings.table(for: session.current))])
    }
}
