/// `profile ID|NAME`: the 360° view of one customer.
struct ProfileStatement: Statement {
    var customer: Name

    static let word = "profile"
    static let help = StatementHelp(
        syntax: "profile ID|NAME",
        summary: "The 360° view of one customer. Every field, the latest transactions, cost to serve by activity, "
            + "interactions and payments. Quote a name with spaces.",
        example: "profile \"Acme Corp\"")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self { Self(customer: try parser.customerName()) }
    static func complete(_ typed: TypedWords) -> CompletionHint { typed.isEmpty ? .customers : .nothing }
    var description: String { "profile \(SourceText.quoted(customer.text))" }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try CustomerProfile(scope: try session.scope(range), customer: customer).result()
    }
}
