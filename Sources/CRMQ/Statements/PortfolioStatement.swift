/// `portfolio [in S] [where …]`: the four groups of customer portfolio analysis.
struct PortfolioStatement: Statement {
    var filter = CustomerFilter()

    static let word = "portfolio"
    static let drawsChart = true
    static let help = StatementHelp(
        syntax: "portfolio [in SEGMENT] [where EXPR]",
        summary: "Customer portfolio analysis: profitable now (profit > 0) against potential (clv above the median, "
            + "or set potential_threshold). Invest, nurture, re-engineer and sack, with customers, revenue, profit and clv "
            + "and their shares, and a 2×2 grid. portfolio is also a field.",
        example: "portfolio where region = 'North'")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self { Self(filter: try parser.filter()) }
    static func complete(_ typed: TypedWords) -> CompletionHint { .clauses(typed, first: ["in", "where"]) }
    var description: String { "portfolio" + SourceText.filter(filter) }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try ValueChainStatements(scope: try session.scope(range)).portfolio(filter)
    }
}
