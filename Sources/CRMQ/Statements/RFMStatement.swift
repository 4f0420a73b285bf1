/// `rfm [in S] [where …]`: the RFM segments and the recency × frequency grid.
struct RFMStatement: Statement {
    var filter = CustomerFilter()

    static let word = "rfm"
    static let drawsChart = true
    static let help = StatementHelp(
        syntax: "rfm [in SEGMENT] [where EXPR]",
        summary: "RFM segments. Recency, frequency and monetary scores 1–5 by quintiles, the named segments with "
            + "customers and revenue, and the recency × frequency grid. rfm, rfm_segment and the scores are fields.",
        example: "rfm")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self { Self(filter: try parser.filter()) }
    static func complete(_ typed: TypedWords) -> CompletionHint { .clauses(typed, first: ["in", "where"]) }
    var description: String { "rfm" + SourceText.filter(filter) }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try ValueChainStatements(scope: try session.scope(range)).rfm(filter)
    }
}
