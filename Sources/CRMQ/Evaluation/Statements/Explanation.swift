#if canImport(Glibc)
import Glibc
#endif

/// `explain clv for X`, `explain p_alive for X`, `explain fit`: the formula, then this
/// customer's numbers substituted step by step, for a student to redo by hand.
struct Explanation {
    let scope: CustomerScope

    func result(topic: Spelled<ExplainTopic>, customer: Name?) throws(Diagnostic) -> StatementResult {
        let word = topic.value.rawValue
        switch topic.value {
        case .clv, .pAlive:
            let model = scope.settings.model(for: scope.snapshot)
            guard let type = model.purchaseModel else {
                throw Diagnostic(
                    "explain \(word) walks through a purchase model; the model in use is \(model.rawValue)", at: topic.range,
                    hint: "clv for X shows the simple model's formula with its numbers, or set model = bgnbd")
            }
            guard let customer else {
                throw Diagnostic("explain \(word) needs a customer", at: topic.range, hint: "explain \(word) for ACME")
            }
            return .message(try customerFigure(word, customer, type))
        case .fit:
            return .message(try fit())
        case .portfolio, .ssc, .rfm, .credit, .pareto, .plan, .whatif, .valuestar, .compare:
            return .message(try ValueChainExplanation(scope: scope).text(topic.value, customer: customer))
        }
    }

    /// Four significant digits, as the estimates are shown.
    private func n(_ v: Double) -> Prose { "\(v, .estimate)" }
    private func money(_ v: Double) -> Prose { "\(v, .money)" }
    private func count(_ v: Double) -> Prose { "\(v, .count)" }
    private func ratio(_ v: Double) -> Prose { "\(v, .ratio)" }

    /// A step of the derivation: its number on the first line, the rest indented under it.
    private func numbered(_ step: Int, _ lines: [Prose]) -> [Prose] {
        lines.enumerated().map { i, line in i == 0 ? "\(step). \(line)" : "   \(line)" }
    }

    /// A parameter's name as the papers write it.
    private func symbol(_ name: String) -> String {
        ["alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ"][name] ?? name
    }

    /// The derivation's steps in order, each with this customer's numbers put in, and the interval.
    private func customerFigure(_ topic: String, _ name: Name, _ type: any PurchaseModel.Type) throws(Diagnostic) -> Prose {
        let row = try scope.customer(name)
        let customers = scope.snapshot.customers
        let label = "\(customers.label(row)) (\(customers.ids[row] ?? ""))"
        let fitted = try scope.models.fitted(scope.snapshot, scope.settings)
        let x = customers.numbers(CustomerFields.frequency)[row]
        let tx = customers.numbers(CustomerFields.recency)[row]
        let T = customers.numbers(CustomerFields.age)[row]
        if x.isNaN {
            return "\(topic) of \(label): the models start from a first purchase, and \(label) made none up to as_of "
                + "(\(CalendarDay.format(scope.snapshot.info.asOf))). Its clv is 0 and it has no p_alive."
        }
        let modelFit = try scope.models.purchase(type, scope.snapshot).1
        let model = try scope.models.customerModel(row, type, scope.snapshot, scope.settings)
        var lines: [Prose] = []
        lines.append("\(topic) of \(label)")
        lines.append("")
        let walkthrough = model.walkthrough(x: x, tx: tx, T: T)
        let parameters = zip(type.parameterNames, model.parameters).map { "\(symbol($0)) = \(n($1))" as Prose }.joined(separator: ", ")
        lines += numbered(1, walkthrough.assumes + [scope.settings.covariates.isEmpty
            ? "Fitted on \(count: modelFit.customers) customers: \(parameters)."
            : "Fitted with the covariates \(scope.settings.covariates.joined(separator: ", ")); at this customer's own: \(parameters)."])
        if scope.snapshot.countsPeriods {
            lines.append("2. This customer, in opportunities: x = \(count(x)) purchases, tₓ = \(n(tx)) (the opportunity of the last), n = \(n(T)) opportunities.")
        } else {
            lines.append("2. This customer, as of \(CalendarDay.format(scope.snapshot.info.asOf)), in weeks (7 days):")
            lines.append("   x = \(count(x)) repeat purchase days, tₓ = \(n(tx)) (first to last purchase), T = \(n(T)) (first purchase to as_of); "
                + "a return (a negative amount) is no purchase.")
        }
        lines += numbered(3, walkthrough.pAlive)
        if topic == "p_alive" { return lines.joined(separator: "\n") }
        if let reason = fitted.unvalued[row] {
            lines.append(fitted.clv[row].isNaN ? "4. clv is unknown: \(reason)." : "4. clv = 0: \(reason).")
            return lines.joined(separator: "\n")
        }
        let value = fitted.value
        let months = model.monthlyPurchases(value, x: x, tx: tx, T: T)
        let gg = try scope.models.gammaGamma(scope.snapshot).0
        let monetary = customers.numbers(CustomerFields.monetary)[row]
        let spend = fitted.expectedSpend[row]
        let ratio = fitted.marginRatio[row]
        let shown = months.prefix(3).map { n($0) }.joined(separator: ", ") + (months.count > 3 ? ", …" : "")
        let week = LifetimeValue.weeksPerMonth
        lines += numbered(4, ["Expected purchases by week t from now:"] + walkthrough.expectedPurchases + [
            "A month is \(exact: week) weeks; month m gets E(\(exact: week)·m) − E(\(exact: week)·(m−1)):",
            "\(shown) (\(n(months.reduce(0, +))) over \(value.horizonMonths) months).",
        ])
        lines.append("5. Expected spend per purchase (Gamma-Gamma: p = \(n(gg.p)), q = \(n(gg.q)), γ = \(n(gg.gamma))), from x and the mean")
        lines.append("   repeat spend m̄ = \(money(x > 0 ? monetary : 0)): (γp + p·x·m̄) / (p·x + q − 1)")
        lines.append("   = (\(n(gg.gamma))×\(n(gg.p)) + \(n(gg.p))×\(count(x))×\(money(x > 0 ? monetary : 0))) / (\(n(gg.p))×\(count(x)) + \(n(gg.q)) − 1) = \(money(spend))")
        if scope.snapshot.marginKnown {
            let margin = customers.numbers(CustomerFields.margin)[row], revenue = customers.numbers(CustomerFields.revenue)[row]
            lines.append("6. Margin ratio = margin / revenue = \(money(margin)) / \(money(revenue)) = \(self.ratio(ratio)).")
        } else {
            lines.append("6. Margin ratio = 1: the transactions carry no margin and no margin_rate is set (set margin_rate = 30%), so clv values revenue.")
        }
        let annual = pow(1 + value.monthlyRate, 12) - 1
        lines.append("7. Discount \(self.ratio(annual)) a year → d = (1 + \(n(annual)))^(1/12) − 1 = \(n(value.monthlyRate)) a month.")
        lines.append("8. clv = Σ_{m=1…\(value.horizonMonths)} purchases_m × \(money(spend)) × \(self.ratio(ratio)) / (1 + \(n(value.monthlyRate)))^m = \(money(fitted.clv[row]))")
        if let intervals = try? scope.models.intervals(scope.snapshot, scope.settings) {
            let (low, high) = (intervals.values(.clv, .low)[row], intervals.values(.clv, .high)[row])
            lines.append("9. Interval: \(money(low)) to \(money(high)) (clv_low, clv_high). \(intervals.source).")
            lines.append("   Only the parameters' uncertainty is in it: what one customer will in fact buy varies far more.")
        }
        lines.append("")
        lines.append("clv is the value from as_of on (what is already bought is not in it), in the snapshot's money.")
        lines.append("clv for \(customers.ids[row] ?? "") shows the months one by one.")
        return lines.joined(separator: "\n")
    }

    /// The model in use's likelihood with its maximum, then Gamma-Gamma's where spend is known.
    private func fit() throws(Diagnostic) -> Prose {
        let model = scope.settings.model(for: scope.snapshot)
        let type = model.purchaseModel ?? BGNBD.self
        let covariates = scope.settings.covariates
        // With covariates: the covariate fit, its rows those of every pattern together.
        let (fit, rows): (ModelFit, Int)
        var patternCount = 0
        if covariates.isEmpty {
            fit = try scope.models.purchase(type, scope.snapshot, standardErrors: true).1
            rows = scope.models.histories(scope.snapshot).x.count
        } else {
            let patterns = try scope.models.patternModels(scope.snapshot, scope.settings)
            (fit, rows) = (patterns.fit, patterns.design.pooled.x.count)
            patternCount = patterns.design.patterns.count
        }
        let parameters = zip(fit.names, fit.values).map { "\(symbol($0)) = \(n($1))" as Prose }.joined(separator: ", ")
        let who: Prose = type.time == .periods
            ? "per customer with x purchases in n opportunities, the last at tₓ:"
            : "per customer with x repeat purchase days, recency tₓ and age T (weeks):"
        var lines: [Prose] = ["fit: maximum likelihood, the parameters that make the data most probable.", ""]
        lines.append("\(type.title), \(who)")
        lines += type.likelihood.map { "  \($0)" }
        if !covariates.isEmpty, let scaled = model.covariateModel {
            lines.append("  at each customer's own parameters, from their covariates z_i (\(covariates.joined(separator: ", "))):")
            lines.append("  \(scaled.covariateConvention); \(count: patternCount, "covariate pattern")")
        }
        let history = type.time == .periods ? "(x, tₓ, n)" : "(x, tₓ, T)"
        lines.append("  summed over \(count: fit.customers) customers (\(count: rows) distinct \(history) rows, each counted once with its weight).")
        lines.append("  Maximum: ln L = \(fit.logLikelihood, decimals: 2) at \(parameters).")
        var iterations: Prose = "\(fit.iterations)"
        if scope.snapshot.knowsSpend {
            let gg = try scope.models.gammaGamma(scope.snapshot, standardErrors: true).1
            lines += [
                "",
                "Gamma-Gamma, per repeat customer with x purchases of mean value m̄ > 0:",
                "  ln L = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m̄ + px ln x − (px+q) ln(x·m̄ + γ)",
                "  summed over \(count: gg.customers) customers.",
                "  Maximum: ln L = \(gg.logLikelihood, decimals: 2) at p = \(n(gg.values[0])), q = \(n(gg.values[1])), γ = \(n(gg.values[2])).",
            ]
            iterations = "\(fit.iterations) and \(gg.iterations)"
        }
        lines += [
            "",
            "How: BFGS on the parameters' logarithms (so they stay positive)" + (covariates.isEmpty ? "" : ", the coefficients as they are,")
                + " with analytic gradients and a line",
            "search, stopped when the gradient vanishes (\(iterations) iterations). Standard errors are the",
            "square roots of the diagonal of the inverse Hessian of −ln L at the maximum.",
        ]
        return lines.joined(separator: "\n")
    }
}
