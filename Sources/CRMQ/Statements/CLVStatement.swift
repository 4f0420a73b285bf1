/// `clv for X [model …] [horizon N months] [discount R%]`: one customer's lifetime value in parts.
struct CLVStatement: Statement {
    var customer: Name
    var model: Spelled<ModelName>?
    var horizonMonths: Double?
    var discount: Double?

    static let word = "clv"
    static let answersOnHistogram = true
    static let help = StatementHelp(
        syntax: "clv for ID|NAME [model \(ModelName.lifetimeValue.map(\.rawValue).joined(separator: "|"))] [horizon N months] [discount R%]",
        summary: "One customer's lifetime value and its parts. P(alive), expected purchases and spend, margin ratio, "
            + "and month by month the expected purchases, discount factor and value. clv, p_alive, expected_purchases and "
            + "expected_spend are also fields: customers order by clv desc.",
        example: "clv for ACME horizon 24 months")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        try parser.expect("for")
        var statement = Self(customer: try parser.customerName())
        while !parser.atStatementEnd {
            if parser.accept("model") != nil {
                statement.model = try parser.choice("model", among: ModelName.lifetimeValue)
            } else if parser.accept("horizon") != nil {
                guard case .number(let n, false) = parser.token.kind, n >= 1, n <= 1200, n == n.rounded() else {
                    throw parser.expected("a whole number of months from 1 to 1200, like 24 months")
                }
                _ = parser.advance()
                if parser.accept("years") != nil || parser.accept("year") != nil {
                    statement.horizonMonths = n * 12
                } else {
                    if parser.accept("months") == nil { _ = parser.accept("month") }
                    statement.horizonMonths = n
                }
            } else if parser.accept("discount") != nil {
                guard case .number(let v, let percent) = parser.token.kind, percent || v < 1, Assumptions.discountRate.contains(v) else {
                    throw parser.expected("a yearly rate, like 8%")
                }
                _ = parser.advance()
                statement.discount = v
            } else {
                throw parser.expected("`model`, `horizon`, `discount` or the end of the statement")
            }
        }
        return statement
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        switch typed.lastWord {
        case nil where typed.isEmpty: .words(["for"])
        case "for": .customers
        case "model": .words(ModelName.lifetimeValue.map(\.rawValue))
        default: typed.count >= 2 ? .words(["model", "horizon", "discount", "months"]) : .nothing
        }
    }

    var description: String {
        "clv for \(SourceText.quoted(customer.text))" + (model.map { " model \($0.value.rawValue)" } ?? "")
            + (horizonMonths.map { " horizon \(NumberText.plain($0)) months" } ?? "") + (discount.map { " discount \(SourceText.percent($0))" } ?? "")
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try ModelStatements(scope: try session.scope(range)).clv(customer, model: model?.value, horizonMonths: horizonMonths, discount: discount)
    }
}
