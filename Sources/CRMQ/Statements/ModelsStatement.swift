/// `models`: every purchase model fitted on the snapshot, side by side.
struct ModelsStatement: Statement {
    static let word = "models"
    static let answersOnHistogram = true
    static let help = StatementHelp(
        syntax: "models",
        summary: "Fit every purchase model (\(ModelName.purchases.map(\.rawValue).joined(separator: ", "))) and set them side by "
            + "side, as a paper's model table: parameters, log-likelihood, AIC and BIC, and — when the snapshot was loaded as "
            + "of an earlier day — each model's error on the holdout per customer (mean absolute error of repeat purchase "
            + "days) and in total. A model that cannot be fitted says why.",
        example: "load \"examples/cdnow-sample\" as of 1997-09-30; models")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self { Self() }
    var description: String { "models" }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try ModelComparison(scope: try session.scope(range)).result()
    }
}
