/// `fit` and `clv for`: the models' parameters, and one customer's lifetime value in parts.
struct ModelStatements {
    let scope: CustomerScope

    /// `fit [model] [in S] [where …]`: the fitted parameters with standard errors, the
    /// log-likelihood, customers used and iterations, on the customers the filter lets in.
    func fit(model: Spelled<ModelName>?, filter: CustomerFilter) throws(Diagnostic) -> StatementResult {
        // Without a model named: BG/NBD and Gamma-Gamma, and the purchase model in use besides.
        let inUse = scope.settings.model(for: scope.snapshot)
        let extra: [ModelName] = inUse.purchaseModel != nil && inUse != .bgnbd ? [inUse] : []
        // A summary of opportunities has BG/BB alone.
        let first: [ModelName] = scope.snapshot.countsPeriods ? [] : [.bgnbd]
        let wanted: [ModelName] = model.map { [$0.value] } ?? first + extra + [.gammagamma]
        if filter.segment == nil, filter.condition == nil {
            // All customers: the session's own fits, which clv and the other fields use too. Each
            // model is fitted on its own, so that one that cannot be fitted does not stop another.
            var fits: [ModelFit] = []
            // A summary of purchases alone (frequency, recency, T) has no spend to fit.
            let spendKnown = model != nil || scope.snapshot.knowsSpend
            for name in wanted {
                if let type = name.purchaseModel {
                    fits.append(try scope.models.purchase(type, scope.snapshot, standardErrors: true).1)
                } else if name == .gammagamma, spendKnown {
                    fits.append(try scope.models.gammaGamma(scope.snapshot, standardErrors: true).1)
                }
            }
            let unfitted: [ResultBlock] = spendKnown ? [] : [
                .message("Gamma-Gamma is not fitted: \(scope.snapshot.name) has no spend (no monetary column), so clv cannot be valued"),
            ]
            return StatementResult(fits.flatMap(Self.tables) + unfitted)
        }
        let rows = try scope.rows(filter)
        let customers = scope.snapshot.customers
        func column(_ field: Field) -> [Double] {
            let all = customers.numbers(field)
            guard filter.segment != nil || filter.condition != nil else { return all }
            var only = [Double](repeating: .nan, count: all.count)
            for r in rows { only[Int(r)] = all[Int(r)] }
            return only
        }
        let frequency = column(CustomerFields.frequency), monetary = column(CustomerFields.monetary)
        var fits: [ModelFit] = []
        do {
            let histories = PurchaseHistories(
                frequency: frequency, recency: column(CustomerFields.recency), age: column(CustomerFields.age),
                weight: customers.optionalNumbers(CustomerFields.weight))
            for type in wanted.compactMap(\.purchaseModel) {
                fits.append(try type.fitted(histories, penalty: scope.models.penalty, standardErrors: true, interrupted: scope.models.interrupted).1)
            }
            if wanted.contains(.gammagamma) {
                fits.append(try GammaGamma.fit(GammaGamma.Data(frequency: frequency, monetary: monetary), penalty: scope.models.penalty).1)
            }
        } catch {
            throw Diagnostic("cannot fit: \(error.message)", at: model?.range)
        }
        return StatementResult(fits.flatMap(Self.tables))
    }

    /// `fit sbg [period …]`: sBG on the customers' contracts, then the retention curve renewal
    /// by renewal, as seen and as the model has it — the paper's figure in numbers.
    func fitContracts(period: ContractPeriod?, filter: CustomerFilter, at range: SourceRange?) throws(Diagnostic) -> StatementResult {
        let contracts: ModelStore.Contracts
        do throws(Diagnostic) {
            contracts = filter == CustomerFilter()
                ? try scope.models.contracts(scope.snapshot, scope.settings, period: period)
                : try scope.models.contracts(scope.snapshot, scope.settings, period: period, keeping: Set(try scope.rows(filter).map(Int.init)))
        } catch {
            var placed = error
            placed.range = placed.range ?? range  // a fit that fails points at the model's name
            throw placed
        }
        let (model, seen) = (contracts.model, contracts.tenures.observed())
        let renewals = seen.indices.map { Double($0 + 1) }
        let curve = ResultTable(title: "renewal by renewal (a \(contracts.period.rawValue) a period)", columns: [
            ResultColumn("renewal", unit: .count, .number(renewals)),
            ResultColumn("came_to_it", unit: .count, .number(seen.map { Double($0.atRisk) })),
            ResultColumn("renewed", unit: .count, .number(seen.map { Double($0.renewed) })),
            ResultColumn("retention_seen", unit: .ratio, .number(seen.map { $0.atRisk > 0 ? Double($0.renewed) / Double($0.atRisk) : .nan })),
            ResultColumn("retention_fitted", unit: .ratio, .number(seen.indices.map { model.retention($0 + 1) })),
            ResultColumn("survival_fitted", unit: .ratio, .number(seen.indices.map { model.survival($0 + 1) })),
        ], notes: [
            "retention at renewal t = (β+t−1)/(α+β+t−1): it rises with tenure as those likeliest to leave go first",
            "survival S(t) = B(α, β+t)/B(α, β), the share of a cohort still a customer after t renewals",
        ])
        return StatementResult(Self.tables(contracts.fit) + [.table(curve)])
    }

    /// The parameters, then the fit's own figures as a record (so that CSV and JSON carry them too).
    static func tables(_ fit: ModelFit) -> [ResultBlock] {
        let parameters = ResultTable(title: Prose(fit.model), columns: [
            ResultColumn("parameter", .text(TextColumn(fit.names))),
            ResultColumn("value", unit: .estimate, .number(fit.values)),
            ResultColumn("std_error", unit: .estimate, .number(fit.standardErrors)),
        ])
        let summary = ResultTable(columns: [
            ResultColumn("model", .text(TextColumn([fit.model]))),
            ResultColumn("log_likelihood", unit: .money, .number([fit.logLikelihood])),
            ResultColumn("customers", unit: .count, .number([Double(fit.customers)])),
            ResultColumn("iterations", unit: .count, .number([Double(fit.iterations)])),
            ResultColumn("converged", .bool([fit.converged ? 1 : 0])),
        ], notes: (fit.usesWeeks ? ["log-likelihood with time in weeks, as the papers report it"] : []) + fit.notes, isRecord: true)
        return [.table(parameters), .table(summary)]
    }

    /// `clv for X`: the customer's figure and its parts, month by month.
    func clv(_ name: Name, model: ModelName?, horizonMonths: Double?, discount: Double?) throws(Diagnostic) -> StatementResult {
        let row = try scope.customer(name)
        var settings = scope.settings
        if let horizonMonths { settings.horizonMonths = horizonMonths }
        if let discount { settings.discountRate = discount }
        if let model { settings.model = model }
        let fitted = try scope.models.fitted(scope.snapshot, settings)
        let customers = scope.snapshot.customers
        let id = customers.ids[row] ?? ""
        let label = customers.label(row)
        if let (simple, yearlyMargin) = fitted.simple {
            let margin = yearlyMargin[row]
            return StatementResult([.table(ResultTable(title: "clv of \(label) (\(id)), simple retention model", columns: [
                ResultColumn("clv", unit: .money, .number([fitted.clv[row]])),
                ResultColumn("yearly_margin", unit: .money, .number([margin])),
                ResultColumn("retention", unit: .ratio, .number([simple.retention])),
                ResultColumn("discount", unit: .ratio, .number([simple.discount])),
            ], notes: ["clv = m · r / (1 + i − r) (Gupta & Lehmann 2003): margin of the last 52 weeks kept at the snapshot's retention rate"]
                + fitted.notes, isRecord: true))])
        }
        if let reason = fitted.unvalued[row] {
            return .message("clv of \(label) (\(id)) is \(fitted.clv[row].isNaN ? "unknown" : "0"): \(reason)")
        }
        let (x, tx, T) = (customers.numbers(CustomerFields.frequency)[row], customers.numbers(CustomerFields.recency)[row],
                          customers.numbers(CustomerFields.age)[row])
        let value = fitted.value
        let purchases = try scope.models.customerModel(row, settings.model(for: scope.snapshot).purchaseModel ?? BGNBD.self, scope.snapshot, settings)
        let months = purchases.monthlyPurchases(value, x: x, tx: tx, T: T)
        let spend = fitted.expectedSpend[row], ratio = fitted.marginRatio[row]
        var factor = 1.0
        var factors: [Double] = [], values: [Double] = []
        for purchases in months {
            factor /= 1 + value.monthlyRate
            factors.append(factor)
            values.append(purchases * spend * ratio * factor)
        }
        // The interval, when the fits' information can be inverted; why not, when it cannot.
        var intervalColumns: [ResultColumn] = []
        var intervalNote: [Prose] = []
        do {
            let intervals = try scope.models.intervals(scope.snapshot, settings)
            intervalColumns = [
                ResultColumn("clv_low", unit: .money, .number([intervals.values(.clv, .low)[row]])),
                ResultColumn("clv_high", unit: .money, .number([intervals.values(.clv, .high)[row]])),
            ]
            intervalNote = [intervals.source]
        } catch {
            intervalNote = ["no interval: \(error.message)"]
        }
        let summary = ResultTable(title: "clv of \(label) (\(id))", columns: [
            ResultColumn("clv", unit: .money, .number([fitted.clv[row]])),
        ] + intervalColumns + [
            ResultColumn("p_alive", unit: .ratio, .number([fitted.pAlive[row]])),
            ResultColumn("expected_purchases", unit: .plain, .number([months.reduce(0, +)])),
            ResultColumn("expected_spend", unit: .money, .number([spend])),
            ResultColumn("margin_ratio", unit: .ratio, .number([ratio])),
            ResultColumn("horizon_months", unit: .count, .number([Double(value.horizonMonths)])),
            ResultColumn("monthly_discount", unit: .ratio, .number([value.monthlyRate])),
        ], notes: ["expected_purchases here is over the horizon; the field of that name is the next 52 weeks"] + intervalNote + fitted.notes,
           isRecord: true)
        let detail = ResultTable(title: "month by month (a month is \(exact: LifetimeValue.weeksPerMonth) weeks)", columns: [
            ResultColumn("month", unit: .count, .number(months.indices.map { Double($0 + 1) })),
            ResultColumn("expected_purchases", unit: .plain, .number(months)),
            ResultColumn("discount_factor", unit: .estimate, .number(factors)),
            ResultColumn("value", unit: .money, .number(values)),
        ])
        return StatementResult([.table(summary), .table(detail)])
    }
}

extension ModelStatements {
    /// `fit paretonbd|bgnbd with F, …`: the model with time-invariant covariates on both
    /// processes, on the chosen customers.
    func fit(model: Spelled<ModelName>, covariates: [Name], filter: CustomerFilter) throws(Diagnostic) -> StatementResult {
        let rows = try scope.rows(filter)
        let design = try covariateDesign(covariates, rows: rows)
        guard let type = model.value.covariateModel else { throw Diagnostic("\(model.value.rawValue) takes no covariates", at: model.range) }
        do throws(ModelError) {
            // On every customer it is the fit `set covariates` would make: kept for it.
            let fit = filter == CustomerFilter()
                ? try scope.models.covariateFit(model.value, scope.snapshot, covariates.map(\.text), design: design)
                : try type.fitWithCovariates(design, penalty: scope.models.penalty, standardErrors: true, interrupted: scope.models.interrupted)
            return StatementResult(Self.tables(fit))
        } catch {
            throw Diagnostic("cannot fit: \(error.message)", at: model.range)
        }
    }

    /// The chosen customers' covariates (`CovariateDesign(_:of:rows:)`).
    func covariateDesign(_ covariates: [Name], rows: [Int32]) throws(Diagnostic) -> CovariateDesign {
        try CovariateDesign(covariates, of: scope.snapshot.customers, rows: rows)
    }
}
