/// `pareto [by profit|revenue|clv] [in S] [where …]`: the whale curve.
struct ParetoStatement: Statement {
    var measure: ParetoMeasure = .profit
    var filter = CustomerFilter()

    static let word = "pareto"
    static let drawsChart = true
    static let help = StatementHelp(
        syntax: "pareto [by profit|revenue|clv] [in SEGMENT] [where EXPR]",
        summary: "The whale curve. Customers ranked by profit (or revenue, or clv), the share of the total held by the "
            + "top 1, 5, 10, 20 and 50%, the peak of the cumulative curve and where it peaks, and what the customers "
            + "below zero destroy, with a chart.",
        example: "pareto by profit")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        var statement = Self()
        if parser.accept("by") != nil { statement.measure = try parser.choice("measure").value }
        statement.filter = try parser.filter()
        return statement
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        if typed.isEmpty { return .words(["by", "in", "where"]) }
        if typed.lastWord == "by" { return .choices(ParetoMeasure.self) }
        return .clauses(typed, first: ["in", "where"])
    }

    var description: String { "pareto" + (measure == .profit ? "" : " by \(measure.rawValue)") + SourceText.filter(filter) }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try ValueChainStatements(scope: try session.scope(range)).pareto(by: measure, filter)
    }
}
