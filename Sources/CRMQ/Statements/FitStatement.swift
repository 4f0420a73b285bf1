/// `fit [MODEL|gammagamma] [in S] [where …]`: the models' parameters.
struct FitStatement: Statement {
    var model: Spelled<ModelName>?
    var filter = CustomerFilter()

    static let word = "fit"
    static let answersOnHistogram = true
    static let help = StatementHelp(
        syntax: "fit [\(ModelName.fittable.map(\.rawValue).joined(separator: "|"))] [in SEGMENT] [where EXPR]",
        summary: "Fit the lifetime-value models by maximum likelihood. A purchase model for how many purchases a customer "
            + "makes and when they drop out (" + ModelCatalog.purchaseModels.map { "\($0.word), \($0.title): \($0.summary)" }.joined(separator: "; ")
            + "), Gamma-Gamma for how much they spend; parameters with standard errors, the log-likelihood (time in weeks), "
            + "customers used and iterations. Without a model named, BG/NBD and Gamma-Gamma, and the model in use.",
        example: "fit bgnbd where segment = 'retail'")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        var statement = Self()
        if let key = parser.token.key, key != "in", key != "where", !parser.terminators.contains(key) {
            statement.model = try parser.choice("model", among: ModelName.fittable)
        }
        statement.filter = try parser.filter()
        return statement
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        typed.isEmpty ? .words(ModelName.fittable.map(\.rawValue) + ["in", "where"]) : .clauses(typed, first: ["in", "where"])
    }

    var description: String { "fit" + (model.map { " \($0.value.rawValue)" } ?? "") + SourceText.filter(filter) }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try ModelStatements(scope: try session.scope(range)).fit(model: model, filter: filter)
    }
}
