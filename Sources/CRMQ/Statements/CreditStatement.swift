/// `credit [for X] | [in S] [where …]`: credit grades, or one customer's credit.
struct CreditStatement: Statement {
    var customer: Name?
    var filter = CustomerFilter()

    static let word = "credit"
    static let help = StatementHelp(
        syntax: "credit [for ID|NAME] | credit [in SEGMENT] [where EXPR]",
        summary: "Credit scores and grades from payments. On-time share, mean days late, unpaid share and the trend "
            + "of the last 26 weeks against the 26 before give a score 0–100 and a grade A–D; for one customer, the "
            + "figures behind it. credit_score and credit_grade are fields.",
        example: "credit for DELTA")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        if parser.accept("for") != nil { return Self(customer: try parser.customerName()) }
        return Self(filter: try parser.filter())
    }

    static func complete(_ typed: TypedWords) -> CompletionHint { .clauses(typed, first: ["for", "in", "where"]) }
    var description: String { "credit" + (customer.map { " for \(SourceText.quoted($0.text))" } ?? SourceText.filter(filter)) }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try CreditReport(scope: try session.scope(range)).result(for: customer, filter)
    }
}
