/// `whatif retention +5% | discount 12% | cost_to_serve -10% [in S] [where …]`: clv and
/// profit under one change, against today's.
struct WhatIfStatement: Statement {
    var change: WhatIfChange
    var filter = CustomerFilter()

    static let word = "whatif"
    static let help = StatementHelp(
        syntax: "whatif retention ±N% | discount N% | cost_to_serve ±N% [in SEGMENT] [where EXPR]",
        summary: "Clv and profit recomputed under one change, against today's. Retention in points (+5% adds five points "
            + "to the snapshot's yearly rate), a new discount rate, or cost to serve up or down for the customers the filter names; the "
            + "portfolio's value before and after, and the customers who change group.",
        example: "whatif retention +5%")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        let lever: Spelled<WhatIfLever> = try parser.choice("lever")
        _ = parser.acceptSymbol("=")
        let start = parser.token.range
        var sign = 0.0
        if parser.acceptSymbol("+") != nil { sign = 1 } else if parser.acceptSymbol("-") != nil { sign = -1 }
        guard case .number(let v, let percent) = parser.token.kind, percent else {
            throw parser.expected("a percentage, like +5% or 12%")
        }
        let end = parser.advance().range
        let change = WhatIfChange(lever: lever, value: sign == 0 ? v : sign * v, relative: sign != 0, range: start.to(end))
        return Self(change: change, filter: try parser.filter())
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        typed.isEmpty ? .choices(WhatIfLever.self) : typed.count == 1 ? .nothing : .clauses(typed, first: ["in", "where"])
    }

    var description: String {
        let sign = change.relative ? (change.value < 0 ? "-" : "+") : ""
        return "whatif \(change.lever.value.rawValue) " + sign + SourceText.percent(abs(change.value)) + SourceText.filter(filter)
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try WhatIf(scope: try session.scope(range)).result(change, filter)
    }
}
