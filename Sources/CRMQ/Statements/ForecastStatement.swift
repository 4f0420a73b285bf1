/// `forecast for X [weeks N | opportunities N]`, `forecast new customer […]`: how many
/// purchases, as a distribution.
struct ForecastStatement: Statement {
    /// The customer, or nil for a customer acquired today.
    var customer: Name?
    /// `weeks N`, or `opportunities N` on a summary of them (BG/BB); nil: 52 weeks, or the horizon's opportunities.
    var span: (count: Double, unit: ModelTime)?
    /// A new customer's covariates, `with gender = 1, channel = 'online'`, as written.
    var given: [(name: Name, value: String)] = []

    static let word = "forecast"
    static let answersOnHistogram = true
    static let help = StatementHelp(
        syntax: "forecast for ID|NAME [weeks N|opportunities N] | forecast new customer [with F = V, …] [weeks N|opportunities N]",
        summary: "The chance of 0, 1, 2, … purchases in the next N weeks (52 unless told) and their expectation, from the "
            + "purchase model in use: for a customer given their history, or for one acquired today (CLVTools' newcustomer, "
            + "lifetimes' probability_of_n_purchases_up_to_time). On a summary of opportunities (BG/BB), the next N "
            + "opportunities (the horizon's unless told). With covariates set, a new customer's are given: with gender = 1, channel = 0.",
        example: "forecast for ACME weeks 26")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        var statement = Self()
        if parser.accept("new") != nil {
            try parser.expect("customer")
            if parser.accept("with") != nil {
                repeat {
                    let name = try parser.name("a covariate, like gender")
                    _ = parser.acceptSymbol("=")
                    let value: String
                    switch parser.token.kind {
                    case .number(let v, false): value = NumberText.plain(v)
                    case .string(let text): value = text
                    case .word(let w, _): value = w
                    default: throw parser.expected("its value, like 1 or 'online'")
                    }
                    _ = parser.advance()
                    statement.given.append((name, value))
                } while parser.acceptSymbol(",") != nil
            }
        } else {
            try parser.expect("for")
            statement.customer = try parser.customerName()
        }
        if parser.accept("weeks") != nil {
            guard case .number(let n, false) = parser.token.kind, n > 0, n <= 5200 else {
                throw parser.expected("a number of weeks from 1 to 5,200, like 26")
            }
            _ = parser.advance()
            statement.span = (n, .weeks)
        } else if parser.accept("opportunities") != nil {
            guard case .number(let n, false) = parser.token.kind, n >= 1, n <= 1000, n == n.rounded() else {
                throw parser.expected("a whole number of opportunities from 1 to 1,000, like 10")
            }
            _ = parser.advance()
            statement.span = (n, .periods)
        }
        return statement
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        switch typed.lastWord {
        case nil where typed.isEmpty: .words(["for", "new"])
        case "new": .words(["customer"])
        case "for": .customers
        default: .words(["weeks", "opportunities"])
        }
    }

    var description: String {
        "forecast " + (customer.map { "for \(SourceText.quoted($0.text))" } ?? "new customer")
            + (given.isEmpty ? "" : " with " + given.map { "\($0.name.text) = \(Double($0.value) != nil ? $0.value : SourceText.quoted($0.value))" }.joined(separator: ", "))
            + (span.map { " \($0.unit == .weeks ? "weeks" : "opportunities") \(NumberText.plain($0.count))" } ?? "")
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try Forecast(scope: try session.scope(range)).result(customer: customer, span: span, given: given)
    }
}
