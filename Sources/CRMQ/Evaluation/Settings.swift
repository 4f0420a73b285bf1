/// What `set` changes: the assumptions behind the models and analytics. A setting the user
/// has not set falls back to the snapshot's `snapshot.json`, then to the product's default.
public struct Settings: Sendable, Equatable {
    public static let defaultDiscountRate = 0.10
    public static let defaultHorizonMonths = 36.0
    /// On a summary of opportunities the horizon counts them.
    public static let defaultHorizonPeriods = 10.0
    /// The model behind clv unless set: BG/NBD × Gamma-Gamma.
    public static let defaultModel = ModelName.bgnbd

    /// Annual discount rate.
    public var discountRate: Double?
    public var horizonMonths: Double?
    /// BG/NBD or Pareto/NBD × Gamma-Gamma, or the simple retention formula (`ModelName.lifetimeValue`).
    public var model: ModelName?
    /// The CLV above which a customer has potential (`portfolio`); the median when unset.
    public var potentialThreshold: Double?
    /// RFM cuts set per score; the quantiles where unset.
    var rfmCuts = RFM.Cuts()
    /// Margin as a share of amount where transactions give none; snapshot.json's when unset.
    public var marginRate: Double?
    /// The company's fixed costs a year (ssc's cost magnets); snapshot.json's when unset.
    public var fixedCosts: Double?
    /// The level of the model fields' intervals (p_alive_low, clv_high, …).
    public var interval: Double?
    /// Every fit's L2 penalty on its parameters' logs (`lifetimes`' penalizer_coef); none when unset.
    public var penalty: Double?
    /// What a contract renews (sBG's period): a year unless set.
    var contractPeriod: ContractPeriod?
    /// Customer columns that scale the purchase model's parameters customer by customer
    /// (Pareto/NBD, BG/NBD): none unless set.
    var covariates: [String] = []
    public static let defaultInterval = 0.90

    public init() {}

    static let names = ["discount", "horizon", "model", "potential_threshold", "rfm_cuts", "margin_rate", "fixed_costs", "interval", "penalty", "contract_period", "covariates"]

    mutating func set(_ name: Name, _ value: SettingValue, at valueRange: SourceRange) throws(Diagnostic) {
        switch name.text.lowercased() {
        case "discount", "discount_rate":
            guard case .number(let v, let percent, let unit) = value, unit == nil else {
                throw Diagnostic("the discount is a yearly rate, like 10%", at: valueRange)
            }
            guard percent || v < 1 else {
                throw Diagnostic("write the rate as a percentage (10%) or a fraction (0.10)", at: valueRange)
            }
            guard Assumptions.discountRate.contains(v) else { throw Diagnostic(Assumptions.discountRateText, at: valueRange) }
            discountRate = v
        case "horizon":
            guard case .number(let v, false, let unit) = value else {
                throw Diagnostic("the horizon is a number of months, like 24 months", at: valueRange)
            }
            let months: Double
            switch unit ?? "months" {
            // On a summary of opportunities (BG/BB) the horizon counts them: `set horizon = 10 periods`.
            case "month", "months", "period", "periods": months = v
            case "year", "years": months = v * 12
            default: throw Diagnostic("the horizon is counted in months or years (periods on a summary of opportunities)", at: valueRange)
            }
            guard months >= 1, months <= 1200, months == months.rounded() else {
                throw Diagnostic("the horizon is a whole number of months from 1 to 1200", at: valueRange)
            }
            horizonMonths = months
        case "model":
            let choices = ModelName.lifetimeValue
            guard case .word(let w) = value, let chosen = choices.first(where: { $0.rawValue == w.lowercased() }) else {
                throw Diagnostic("the models are " + Parser.list(choices.map(\.rawValue)), at: valueRange)
            }
            model = chosen
        case "potential_threshold":
            switch value {
            case .word(let w) where w.lowercased() == "median": potentialThreshold = nil
            case .number(let v, false, nil): potentialThreshold = v
            default: throw Diagnostic("the potential threshold is a CLV amount, or `median`", at: valueRange)
            }
        case "margin_rate":
            switch value {
            case .word(let w) where ["none", "default"].contains(w.lowercased()): marginRate = nil
            case .number(let v, let percent, nil):
                guard percent || v <= 1 else { throw Diagnostic("write the rate as a percentage (30%) or a fraction (0.30)", at: valueRange) }
                guard Assumptions.marginRate.contains(v) else { throw Diagnostic(Assumptions.marginRateText, at: valueRange) }
                marginRate = v
            default: throw Diagnostic("the margin rate is a share of the amount, like 30%, or `none` for snapshot.json's", at: valueRange)
            }
        case "fixed_costs":
            switch value {
            case .word(let w) where ["none", "default"].contains(w.lowercased()): fixedCosts = nil
            case .number(let v, false, nil) where v >= 0: fixedCosts = v
            default: throw Diagnostic("fixed costs are an amount a year, 0 or more, or `none` for snapshot.json's", at: valueRange)
            }
        case "interval":
            switch value {
            case .word(let w) where w.lowercased() == "default": interval = nil
            case .number(let v, let percent, nil):
                guard percent || v < 1 else { throw Diagnostic("write the level as a percentage (90%) or a fraction (0.90)", at: valueRange) }
                guard v >= 0.5, v <= 0.999 else { throw Diagnostic("the interval's level is from 50% to 99.9%", at: valueRange) }
                interval = v
            default: throw Diagnostic("the interval is a level, like 90%, or `default`", at: valueRange)
            }
        case "penalty":
            switch value {
            case .word(let w) where ["none", "default"].contains(w.lowercased()): penalty = nil
            case .number(let v, false, nil) where v >= 0 && v <= 100: penalty = v == 0 ? nil : v
            default: throw Diagnostic("the penalty is a number from 0 to 100, like 0.01, or `none`", at: valueRange)
            }
        case "contract_period":
            guard case .word(let w) = value, let period = ContractPeriod(rawValue: w.lowercased()) else {
                throw Diagnostic("a contract's period is " + Parser.list(ContractPeriod.allCases.map(\.rawValue)), at: valueRange)
            }
            contractPeriod = period
        case "covariates":
            guard case .names(let names) = value else { throw Diagnostic("covariates are customer fields, like gender, channel, or `none`", at: valueRange) }
            covariates = names
        case "rfm_cuts":
            guard case .cuts(let letter, let cuts) = value else { throw Diagnostic("rfm_cuts takes a score, then its cuts", at: valueRange) }
            if let cuts {
                guard cuts.count == 4 else {
                    throw Diagnostic("\(letter.rawValue) has five scores, so four cuts, not \(cuts.count)", at: valueRange, hint: "set rfm_cuts frequency = 1, 2, 4, 8")
                }
                guard zip(cuts, cuts.dropFirst()).allSatisfy({ $0 < $1 }) else {
                    throw Diagnostic("the cuts go up: each larger than the one before", at: valueRange)
                }
            }
            rfmCuts[letter] = cuts
        default:
            throw Diagnostic(
                "unknown setting `\(name.text)`", at: name.range,
                hint: Suggestion.hint(for: name.text, in: Self.names) ?? "`settings` lists them")
        }
    }

    /// The settings in force for a snapshot, with where each comes from.
    func table(for snapshot: Snapshot?) -> ResultTable {
        func percent(_ v: Double) -> String { NumberText.plain((v * 100 * 1e6).rounded() / 1e6) + "%" }
        var rows: [(String, String, String, String)] = []
        let discount: (Double, String) =
            discountRate.map { ($0, "set") } ?? snapshot?.info.discountRate.map { ($0, "snapshot.json") } ?? (Self.defaultDiscountRate, "default")
        rows.append(("discount", percent(discount.0) + " a year", discount.1, "annual rate future margins are discounted at"))
        if snapshot?.countsPeriods == true {
            rows.append((
                "horizon", NumberText.plain(horizonMonths ?? Self.defaultHorizonPeriods) + " opportunities", horizonMonths == nil ? "default" : "set",
                "opportunities ahead that expected_purchases and clv count (a summary of periods)"))
        } else {
            rows.append((
                "horizon", NumberText.plain(horizonMonths ?? Self.defaultHorizonMonths) + " months", horizonMonths == nil ? "default" : "set",
                "months of future margin counted in clv"))
        }
        rows.append(("model", self.model(for: snapshot).rawValue, model == nil ? "default" : "set", "the model behind clv"))
        rows.append((
            "potential_threshold", potentialThreshold.map { NumberText.plain($0) } ?? "median clv", potentialThreshold == nil ? "default" : "set",
            "clv above which a customer has potential (portfolio)"))
        let margin: (Double, String)? = marginRate.map { ($0, "set") } ?? snapshot?.info.marginRate.map { ($0, "snapshot.json") }
        rows.append((
            "margin_rate", margin.map { percent($0.0) } ?? "none", margin?.1 ?? "none",
            "margin as a share of amount where transactions have no margin"))
        let fixed: (Double, String)? = fixedCosts.map { ($0, "set") } ?? snapshot?.info.fixedCosts.map { ($0, "snapshot.json") }
        rows.append((
            "fixed_costs", fixed.map { NumberText.plain($0.0) } ?? "none", fixed?.1 ?? "none",
            "the company's fixed costs a year (ssc: a cost magnet draws a large share)"))
        rows.append((
            "interval", percent(interval ?? Self.defaultInterval), interval == nil ? "default" : "set",
            "level of the model fields' intervals (p_alive_low … clv_high)"))
        rows.append((
            "contract_period", (contractPeriod ?? .year).rawValue, contractPeriod == nil ? "default" : "set",
            "what a contract renews (sBG: renewal_probability, derl)"))
        rows.append((
            "covariates", covariates.isEmpty ? "none" : covariates.joined(separator: ", "), covariates.isEmpty ? "default" : "set",
            "customer fields that scale the purchase model's parameters customer by customer (paretonbd, bgnbd)"))
        rows.append((
            "penalty", penalty.map { NumberText.plain($0) } ?? "none", penalty == nil ? "none" : "set",
            "L2 penalty on the fitted parameters' logs, for data that cannot pin a model down"))
        for letter in RFMLetter.allCases {
            rows.append((
                "rfm_cuts \(letter.rawValue)", rfmCuts[letter].map { $0.map(NumberText.plain).joined(separator: ", ") } ?? "quantiles",
                rfmCuts[letter] == nil ? "default" : "set", "the four cuts of the \(letter.rawValue) score (\(RFM.quantilesText) quantiles unless set)"))
        }
        return ResultTable(columns: [
            ResultColumn("setting", .text(TextColumn(rows.map(\.0)))),
            ResultColumn("value", .text(TextColumn(rows.map(\.1)))),
            ResultColumn("from", .text(TextColumn(rows.map(\.2)))),
            ResultColumn("meaning", .text(TextColumn(rows.map(\.3)))),
        ])
    }
}
