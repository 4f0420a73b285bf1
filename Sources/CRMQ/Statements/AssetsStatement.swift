/// `assets [in S] [where …]`: the customer asset perspective — the book's value, its interval,
/// and how concentrated the value and the risk are.
struct AssetsStatement: Statement {
    var filter = CustomerFilter()

    static let word = "assets"
    static let help = StatementHelp(
        syntax: "assets [in SEGMENT] [where EXPR]",
        summary: "The book of customers as an asset: total clv with its own interval (set interval), the value at risk "
            + "(clv × (1 − p_alive)), and the share of the value and of the risk held by the top 1, 5, 10 and 20% of customers.",
        example: "assets where segment = 'retail'")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self { Self(filter: try parser.filter()) }
    static func complete(_ typed: TypedWords) -> CompletionHint { .clauses(typed, first: ["in", "where"]) }
    var description: String { "assets" + SourceText.filter(filter) }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try AssetReport(scope: try session.scope(range)).result(filter)
    }
}
