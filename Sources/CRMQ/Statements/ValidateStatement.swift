/// `validate [MODEL] [holdout DATE]`: a purchase model's predictions against what happened
/// after as_of; `validate sbg [period month|year] [in S] [where …] [holdout DATE]`: sBG's
/// renewals against what became of the contracts running at as_of.
struct ValidateStatement: Statement {
    var model: Spelled<ModelName>?
    /// sBG's: the contracts' period, and the contracts to fit and compare.
    var period: ContractPeriod?
    var filter = CustomerFilter()
    var holdoutEnd: Int32?

    static let word = "validate"
    static let drawsChart = true
    static let help = StatementHelp(
        syntax: "validate [\(ModelName.purchases.map(\.rawValue).joined(separator: "|"))] [holdout DATE]\n"
            + "validate sbg [period \(ContractPeriod.allCases.map(\.rawValue).joined(separator: "|"))] [in SEGMENT] [where EXPR] [holdout DATE]",
        summary: "Compare the model's predictions with what happened after as_of. Load a snapshot as of an earlier day; "
            + "the later transactions are the holdout. Predicted against actual repeat purchase days in total, by "
            + "calibration frequency 0 to 7+, and cumulatively week by week, with a chart. validate sbg fits sBG on the "
            + "contracts as they stood at as_of (those the filter keeps) and compares, renewal by renewal, how many of the "
            + "contracts running then renewed after it (no contract_end, or a later one) with Σ S(t)/S(n).",
        example: "load \"examples/subscriptions\"; validate sbg where plan = 'regular'")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        var statement = Self()
        if let key = parser.token.key, key != "holdout", !parser.terminators.contains(key) {
            statement.model = try parser.choice("model", among: ModelName.purchases + [.sbg])
        }
        if statement.model?.value == .sbg {
            if parser.accept("period") != nil { statement.period = try parser.choice("period", among: ContractPeriod.allCases).value }
            statement.filter = try parser.filter()
        }
        if parser.accept("holdout") != nil { statement.holdoutEnd = try parser.date("the last day of the holdout, like 1998-06-30") }
        return statement
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        if typed.isEmpty { return .words(ModelName.purchases.map(\.rawValue) + [ModelName.sbg.rawValue, "holdout"]) }
        if typed.lastWord == "holdout" { return .nothing }
        if typed.words.first == ModelName.sbg.rawValue {
            if typed.lastWord == "period" { return .words(ContractPeriod.allCases.map(\.rawValue)) }
            return typed.count == 1 ? .words(["period", "in", "where", "holdout"]) : .clauses(typed, first: ["in", "where", "holdout"])
        }
        return .words(["holdout"])
    }

    var description: String {
        "validate" + (model.map { " \($0.value.rawValue)" } ?? "") + (period.map { " period \($0.rawValue)" } ?? "")
            + SourceText.filter(filter) + (holdoutEnd.map { " holdout \(CalendarDay.format($0))" } ?? "")
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let scope = try session.scope(range)
        if model?.value == .sbg { return try ContractValidation(scope: scope).result(period: period, filter: filter, holdoutEnd: holdoutEnd) }
        return try Validation(scope: scope).result(model: model?.value, holdoutEnd: holdoutEnd)
    }
}
