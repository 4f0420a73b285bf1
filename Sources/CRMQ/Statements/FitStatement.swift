/// `fit [MODEL|gammagamma] [in S] [where …]`, `fit sbg [period month|year]`: the models' parameters.
struct FitStatement: Statement {
    var model: Spelled<ModelName>?
    var filter = CustomerFilter()
    /// sBG's period, when told.
    var period: ContractPeriod?
    /// `with gender, channel`: customer fields that scale the model's parameters customer by customer.
    var covariates: [Name] = []

    static let word = "fit"
    static let answersOnHistogram = true
    static let help = StatementHelp(
        syntax: "fit [\(ModelName.fittable.filter { $0 != .sbg }.map(\.rawValue).joined(separator: "|"))] [in SEGMENT] [where EXPR] "
            + "| fit sbg [period \(ContractPeriod.allCases.map(\.rawValue).joined(separator: "|"))] [in SEGMENT] [where EXPR]",
        summary: "Fit the lifetime-value models by maximum likelihood. A purchase model for how many purchases a customer "
            + "makes and when they drop out (" + ModelCatalog.purchaseModels.map { "\($0.word), \($0.title): \($0.summary)" }.joined(separator: "; ")
            + "), Gamma-Gamma for how much they spend; parameters with standard errors, the log-likelihood (time in weeks), "
            + "customers used and iterations. Without a model named, BG/NBD and Gamma-Gamma, and the model in use. "
            + "sbg (shifted-beta-geometric, Fader & Hardie 2007) fits contract renewals from customers' contract_start and "
            + "contract_end, with the retention curve seen and fitted renewal by renewal; period month|year says what a "
            + "contract renews (set contract_period; a year unless set). `with FIELD, …` (paretonbd, bgnbd) adds time-invariant "
            + "covariates on both the purchase and the dropout process, as CLVTools does: numeric, true/false or two-valued "
            + "customer fields, each with a coefficient per process (trans., life.) and its standard error.",
        example: "fit bgnbd where segment = 'retail'")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        var statement = Self()
        if let key = parser.token.key, key != "in", key != "where", !parser.terminators.contains(key) {
            statement.model = try parser.choice("model", among: ModelName.fittable)
        }
        if statement.model?.value == .sbg, parser.accept("period") != nil {
            statement.period = try parser.choice("period", among: ContractPeriod.allCases).value
        }
        if let model = statement.model, parser.token.key == "with" {
            guard ModelName.takesCovariates.contains(model.value) else {
                throw Diagnostic("\(model.value.rawValue) takes no covariates", at: parser.token.range,
                                 hint: "covariates go with " + ModelName.takesCovariates.map(\.rawValue).joined(separator: " or "))
            }
            _ = parser.advance()
            repeat { statement.covariates.append(try parser.name("a customer field")) } while parser.acceptSymbol(",") != nil
        }
        statement.filter = try parser.filter()
        return statement
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        if typed.isEmpty { return .words(ModelName.fittable.map(\.rawValue) + ["in", "where"]) }
        // sBG takes its period, and nothing after it.
        if typed.words.first == ModelName.sbg.rawValue {
            if typed.lastWord == "period" { return .words(ContractPeriod.allCases.map(\.rawValue)) }
            return typed.count == 1 ? .words(["period", "in", "where"]) : .clauses(typed, first: ["in", "where"])
        }
        if typed.lastWord == "with" || typed.lastWord == "," { return .fields(plus: []) }
        if typed.count == 1, let word = typed.words.first, ModelName.takesCovariates.map(\.rawValue).contains(word) {
            return .words(["with", "in", "where"])
        }
        return .clauses(typed, first: ["in", "where"])
    }

    var description: String {
        "fit" + (model.map { " \($0.value.rawValue)" } ?? "") + (period.map { " period \($0.rawValue)" } ?? "")
            + (covariates.isEmpty ? "" : " with " + covariates.map(\.text).joined(separator: ", ")) + SourceText.filter(filter)
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let statements = ModelStatements(scope: try session.scope(range))
        if model?.value == .sbg { return try statements.fitContracts(period: period, filter: filter, at: model?.range) }
        if let model, !covariates.isEmpty { return try statements.fit(model: model, covariates: covariates, filter: filter) }
        return try statements.fit(model: model, filter: filter)
    }
}
