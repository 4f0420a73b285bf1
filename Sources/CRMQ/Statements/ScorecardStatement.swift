/// `scorecard [in S] [where …]`: the QCi customer management model scored from the data.
struct ScorecardStatement: Statement {
    var filter = CustomerFilter()

    static let word = "scorecard"
    static let help = StatementHelp(
        syntax: "scorecard [in SEGMENT] [where EXPR]",
        summary: "The QCi customer management scorecard. For each area the data can speak to (analysis and planning, proposition, "
            + "information, processes, measurement, customer experience, acquisition, retention, development, recovery), the measures "
            + "the snapshot supports, computed, and whether each creates or destroys value and why; an area the data cannot see says so.",
        example: "scorecard")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self { Self(filter: try parser.filter()) }
    static func complete(_ typed: TypedWords) -> CompletionHint { .clauses(typed, first: ["in", "where"]) }
    var description: String { "scorecard" + SourceText.filter(filter) }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try Scorecard(scope: try session.scope(range)).result(filter)
    }
}
