/// `validate [MODEL] [holdout DATE]`: a purchase model's predictions against what happened after as_of.
struct ValidateStatement: Statement {
    var model: Spelled<ModelName>?
    var holdoutEnd: Int32?

    static let word = "validate"
    static let drawsChart = true
    static let help = StatementHelp(
        syntax: "validate [\(ModelName.purchases.map(\.rawValue).joined(separator: "|"))] [holdout DATE]",
        summary: "Compare the model's predictions with what happened after as_of. Load a snapshot as of an earlier day; "
            + "the later transactions are the holdout. Predicted against actual repeat purchase days in total, by "
            + "calibration frequency 0 to 7+, and cumulatively week by week, with a chart.",
        example: "load \"examples/cdnow-sample\" as of 1997-09-30; validate")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        var statement = Self()
        if let key = parser.token.key, key != "holdout", !parser.terminators.contains(key) {
            statement.model = try parser.choice("model", among: ModelName.purchases)
        }
        if parser.accept("holdout") != nil { statement.holdoutEnd = try parser.date("the last day of the holdout, like 1998-06-30") }
        return statement
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        typed.isEmpty ? .words(ModelName.purchases.map(\.rawValue) + ["holdout"]) : typed.lastWord == "holdout" ? .nothing : .words(["holdout"])
    }

    var description: String {
        "validate" + (model.map { " \($0.value.rawValue)" } ?? "") + (holdoutEnd.map { " holdout \(CalendarDay.format($0))" } ?? "")
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try Validation(scope: try session.scope(range)).result(model: model?.value, holdoutEnd: holdoutEnd)
    }
}
