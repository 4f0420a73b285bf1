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
            if let model = scope.settings.model, model != .bgnbd {
                throw Diagnostic(
                    "explain \(word) walks through BG/NBD; the model in use is \(model.rawValue)", at: topic.range,
                    hint: "set model = bgnbd, then explain \(word)")
            }
            guard let customer else {
                throw Diagnostic("explain \(word) needs a customer", at: topic.range, hint: "explain \(word) for ACME")
            }
            return .message(try customerFigure(word, customer))
        case .fit:
            return .message(try fit())
        case .portfolio, .ssc, .rfm, .credit, .pareto, .plan, .whatif, .valuestar, .compare:
            return .message(try ValueChainExplanation(scope: scope).text(topic.value, customer: customer))
        }
    }

    /// Four significant digits, as the estimates are shown.
    private func n(_ v: Double) -> String { ValueText.display(v, unit: .estimate) }
    private func money(_ v: Double) -> String { ValueText.display(v, unit: .money) }
    private func count(_ v: Double) -> String { ValueText.display(v, unit: .count) }

    /// The derivation's eight steps in order, each with this customer's numbers put in.
    private func customerFigure(_ topic: String, _ name: Name) throws(Diagnostic) -> String {
        let row = try scope.customer(name)
        let customers = scope.snapshot.customers
        let label = "\(customers.label(row)) (\(customers.ids[row] ?? ""))"
        let fitted = try scope.models.fitted(scope.snapshot, scope.settings)
        let (bg, bgFit) = try scope.models.bgnbd(scope.snapshot)
        let x = customers.numbers(CustomerFields.frequency)[row]
        let tx = customers.numbers(CustomerFields.recency)[row]
        let T = customers.numbers(CustomerFields.age)[row]
        if x.isNaN {
            return "\(topic) of \(label): the models start from a first purchase, and \(label) made none up to as_of "
                + "(\(CalendarDay.format(scope.snapshot.info.asOf))). Its clv is 0 and it has no p_alive."
        }
        var lines: [String] = []
        lines.append("\(topic) of \(label)")
        lines.append("")
        lines.append("1. The transaction model is BG/NBD (Fader, Hardie & Lee 2005). While alive a customer buys at a")
        lines.append("   rate λ ~ Gamma(r, α) a week; after each repeat purchase they drop out with probability p ~ Beta(a, b).")
        lines.append("   Fitted on \(NumberText.grouped(bgFit.customers)) customers: r = \(n(bg.r)), α = \(n(bg.alpha)), a = \(n(bg.a)), b = \(n(bg.b)).")
        lines.append("2. This customer, as of \(CalendarDay.format(scope.snapshot.info.asOf)), in weeks (7 days):")
        lines.append("   x = \(count(x)) repeat purchase days, tₓ = \(n(tx)) (first to last purchase), T = \(n(T)) (first purchase to as_of).")
        let alive = fitted.pAlive[row]
        if x == 0 {
            lines.append("3. P(alive) = 1 when x = 0: BG/NBD lets a customer drop out only right after a repeat purchase.")
        } else {
            let odds = bg.a / (bg.b + x - 1)
            let ratio = pow((bg.alpha + T) / (bg.alpha + tx), bg.r + x)
            lines.append("3. P(alive) = 1 / (1 + a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x))")
            lines.append("            = 1 / (1 + \(n(bg.a))/(\(n(bg.b))+\(count(x))−1) · ((\(n(bg.alpha))+\(n(T)))/(\(n(bg.alpha))+\(n(tx))))^(\(n(bg.r))+\(count(x))))")
            lines.append("            = 1 / (1 + \(n(odds)) × \(n(ratio))) = \(n(alive))")
        }
        if topic == "p_alive" { return lines.joined(separator: "\n") }
        if let reason = fitted.unvalued[row] {
            lines.append("4. clv = 0: \(reason).")
            return lines.joined(separator: "\n")
        }
        let value = fitted.value
        let months = bg.monthlyPurchases(value, x: x, tx: tx, T: T)
        let gg = try scope.models.gammaGamma(scope.snapshot).0
        let monetary = customers.numbers(CustomerFields.monetary)[row]
        let spend = fitted.expectedSpend[row]
        let ratio = fitted.marginRatio[row]
        let shown = months.prefix(3).map { n($0) }.joined(separator: ", ") + (months.count > 3 ? ", …" : "")
        lines.append("4. Expected purchases by week t from now: E(t) = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x)")
        lines.append("   · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive). A month is \(NumberText.plain(LifetimeValue.weeksPerMonth)) weeks; month m gets")
        lines.append("   E(\(NumberText.plain(LifetimeValue.weeksPerMonth))·m) − E(\(NumberText.plain(LifetimeValue.weeksPerMonth))·(m−1)): \(shown) (\(n(months.reduce(0, +))) over \(value.horizonMonths) months).")
        lines.append("5. Expected spend per purchase (Gamma-Gamma: p = \(n(gg.p)), q = \(n(gg.q)), γ = \(n(gg.gamma))), from x and the mean")
        lines.append("   repeat spend m̄ = \(money(x > 0 ? monetary : 0)): (γp + p·x·m̄) / (p·x + q − 1)")
        lines.append("   = (\(n(gg.gamma))×\(n(gg.p)) + \(n(gg.p))×\(count(x))×\(money(x > 0 ? monetary : 0))) / (\(n(gg.p))×\(count(x)) + \(n(gg.q)) − 1) = \(money(spend))")
        if scope.snapshot.transactions.marginKnown {
            let margin = customers.numbers(CustomerFields.margin)[row], revenue = customers.numbers(CustomerFields.revenue)[row]
            lines.append("6. Margin ratio = margin / revenue = \(money(margin)) / \(money(revenue)) = \(ValueText.display(ratio, unit: .ratio)).")
        } else {
            lines.append("6. Margin ratio = 1: the transactions carry no margin and snapshot.json no margin_rate, so clv values revenue.")
        }
        let annual = pow(1 + value.monthlyRate, 12) - 1
        lines.append("7. Discount \(ValueText.display(annual, unit: .ratio)) a year → d = (1 + \(n(annual)))^(1/12) − 1 = \(n(value.monthlyRate)) a month.")
        lines.append("8. clv = Σ_{m=1…\(value.horizonMonths)} purchases_m × \(money(spend)) × \(ValueText.display(ratio, unit: .ratio)) / (1 + \(n(value.monthlyRate)))^m = \(money(fitted.clv[row]))")
        lines.append("")
        lines.append("clv is the value from as_of on (what is already bought is not in it), in the snapshot's money.")
        lines.append("clv for \(customers.ids[row] ?? "") shows the months one by one.")
        return lines.joined(separator: "\n")
    }

    private func fit() throws(Diagnostic) -> String {
        let bg = try scope.models.bgnbd(scope.snapshot, standardErrors: true).1
        let gg = try scope.models.gammaGamma(scope.snapshot, standardErrors: true).1
        let rows = scope.models.histories(scope.snapshot).x.count
        return """
            fit: maximum likelihood, the parameters that make the data most probable.

            BG/NBD, per customer with x repeat purchase days, recency tₓ and age T (weeks):
              ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
                     + ln[ (α+T)^−(r+x) + [x>0] · a/(b+x−1) · (α+tₓ)^−(r+x) ]
              summed over \(NumberText.grouped(bg.customers)) customers (\(NumberText.grouped(rows)) distinct (x, tₓ, T) rows, each counted once with its weight).
              Maximum: ln L = \(NumberText.grouped(bg.logLikelihood, decimals: 2)) at r = \(n(bg.values[0])), α = \(n(bg.values[1])), a = \(n(bg.values[2])), b = \(n(bg.values[3])).

            Gamma-Gamma, per repeat customer with x purchases of mean value m̄ > 0:
              ln L = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m̄ + px ln x − (px+q) ln(x·m̄ + γ)
              summed over \(NumberText.grouped(gg.customers)) customers.
              Maximum: ln L = \(NumberText.grouped(gg.logLikelihood, decimals: 2)) at p = \(n(gg.values[0])), q = \(n(gg.values[1])), γ = \(n(gg.values[2])).

            How: BFGS on the parameters' logarithms (so they stay positive) with analytic gradients and a line
            search, stopped when the gradient vanishes (\(bg.iterations) and \(gg.iterations) iterations). Standard errors are the
            square roots of the diagonal of the inverse Hessian of −ln L at the maximum.
            """
    }
}
