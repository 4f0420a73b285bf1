/// `set NAME = VALUE`: an assumption of the models and analytics.
struct SetStatement: Statement {
    var setting: Name
    var value: SettingValue
    var valueRange: SourceRange

    static let word = "set"
    static let answersOnHistogram = true
    static let help = StatementHelp(
        syntax: "set discount = RATE | horizon = N months | model = \(ModelName.lifetimeValue.map(\.rawValue).joined(separator: "|")) "
            + "| potential_threshold = AMOUNT|median | rfm_cuts recency|frequency|monetary = A, B, C, D|quantiles "
            + "| margin_rate = RATE|none | fixed_costs = AMOUNT|none | interval = LEVEL|default | penalty = C|none "
            + "| covariates = FIELD, …|none",
        summary: "Change an assumption of the models and analytics. `settings` shows them all and where each comes from. "
            + "margin_rate values margin as that share of the amount where the transactions give none (every loaded snapshot's "
            + "margins, profit and clv follow); `none` goes back to snapshot.json's. interval is the level of p_alive_low … "
            + "clv_high (90% by default); penalty adds c · Σ (ln θ)² to every fit's mean negative log-likelihood, for data "
            + "that cannot pin a model down. covariates makes the model fields (p_alive, expected_purchases, clv and all that "
            + "follows) come from Pareto/NBD or BG/NBD fitted with those customer fields on both processes, each customer "
            + "with their own parameters (fit paretonbd with … shows the fit).",
        example: "set discount = 8%")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        let setting = try parser.name("a setting such as `discount` or `horizon` (`settings` lists them)")
        if setting.text.lowercased() == "rfm_cuts" { return try parseCuts(&parser, setting) }
        if setting.text.lowercased() == "covariates" { return try parseCovariates(&parser, setting) }
        _ = parser.acceptSymbol("=")
        let start = parser.token.range
        switch parser.token.kind {
        case .number(let value, let percent):
            _ = parser.advance()
            var unit: String?
            if let key = parser.token.key {
                _ = parser.advance()
                unit = key
            }
            return Self(setting: setting, value: .number(value, percent: percent, unit: unit), valueRange: start.to(parser.previous.range))
        case .word(let w, _):
            _ = parser.advance()
            return Self(setting: setting, value: .word(w), valueRange: start)
        case .string(let s):
            _ = parser.advance()
            return Self(setting: setting, value: .word(s), valueRange: start)
        default:
            throw parser.expected("a value, like 10% or 24 months")
        }
    }

    /// `covariates = gender, channel`, or `none`.
    private static func parseCovariates(_ parser: inout Parser, _ setting: Name) throws(Diagnostic) -> Self {
        _ = parser.acceptSymbol("=")
        let start = parser.token.range
        if case .word(_, "none") = parser.token.kind {
            _ = parser.advance()
            return Self(setting: setting, value: .names([]), valueRange: start)
        }
        var names: [String] = []
        repeat { names.append(try parser.name("a customer field, or `none`").text) } while parser.acceptSymbol(",") != nil
        return Self(setting: setting, value: .names(names), valueRange: start.to(parser.previous.range))
    }

    /// `rfm_cuts frequency = 1, 2, 4, 8`: four cuts of one score, or `quantiles`.
    private static func parseCuts(_ parser: inout Parser, _ setting: Name) throws(Diagnostic) -> Self {
        let letter: Spelled<RFMLetter> = try parser.choice("RFM score")
        _ = parser.acceptSymbol("=")
        let start = parser.token.range
        if case .word(_, "quantiles") = parser.token.kind {
            _ = parser.advance()
            return Self(setting: setting, value: .cuts(letter.value, nil), valueRange: start)
        }
        var cuts: [Double] = []
        repeat {
            guard case .number(let v, false) = parser.token.kind else {
                throw parser.expected("a cut (a number) of \(letter.value.rawValue), or `quantiles`")
            }
            _ = parser.advance()
            cuts.append(v)
        } while parser.acceptSymbol(",") != nil
        return Self(setting: setting, value: .cuts(letter.value, cuts), valueRange: start.to(parser.previous.range))
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        if typed.isEmpty { return .words(Settings.names) }
        switch typed.words.first {
        case "model": return .words(ModelName.lifetimeValue.map(\.rawValue))
        case "potential_threshold": return .words(["median"])
        case "margin_rate", "fixed_costs": return .words(["none"])
        case "covariates": return typed.lastWord == "covariates" || typed.lastWord == "=" || typed.lastWord == "," ? .fields(plus: ["none"]) : .nothing
        case "rfm_cuts": return typed.words.count == 1 ? .words(RFMLetter.allCases.map(\.rawValue)) : .words(["quantiles"])
        default: return .nothing
        }
    }

    var description: String {
        switch value {
        case .number(let v, let percent, let unit):
            "set \(setting.text) = " + (percent ? SourceText.percent(v) : NumberText.plain(v)) + (unit.map { " \($0)" } ?? "")
        case .word(let w): "set \(setting.text) = \(w)"
        case .cuts(let letter, let cuts):
            "set \(setting.text) \(letter.rawValue) = " + (cuts.map { $0.map(NumberText.plain).joined(separator: ", ") } ?? "quantiles")
        case .names(let names): "set \(setting.text) = " + (names.isEmpty ? "none" : names.joined(separator: ", "))
        }
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try session.change(setting, value, at: valueRange)
        return .message("\(setting.text.lowercased()) set")
    }
}
