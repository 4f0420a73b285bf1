/// Credit rating from payments (PRODUCT.md §5): each customer's payment facts and trend,
/// turned into a score 0–100 and a grade.
///
/// Over the invoices due up to as_of:
///
///     on_time        = invoices paid by their due date (an unpaid one due on as_of is not late yet) / invoices
///     days_late      = mean of max(0, (paid, or as_of if unpaid) − due)
///     unpaid_share   = unpaid amount / invoiced amount
///     punctuality    = max(0, 1 − days_late / 60)          -- two months late on average scores 0
///     base           = 100 × (0.4 × on_time + 0.3 × punctuality + 0.3 × (1 − unpaid_share))
///     trend          = mean days late of the paid invoices due in the 26 weeks to as_of
///                      − that of the 26 weeks before (positive: paying later); open
///                      invoices are left out of it, their lateness is not known yet
///     score          = clamp(base − clamp(trend / 2, −5, 15), 0, 100)
///
/// Grades: A ≥ 85, B ≥ 70, C ≥ 50, else D. A customer with no invoice has no score.
enum Credit {
    static let weights = (onTime: 0.4, punctuality: 0.3, paid: 0.3)
    static let daysLateForZero = 60.0
    static let trendWindowDays: Int32 = 182
    static let trendPointsPerDay = 0.5
    static let trendLimits = (better: -5.0, worse: 15.0)
    static let grades: [(grade: String, from: Double)] = [("A", 85), ("B", 70), ("C", 50), ("D", 0)]

    /// The grades as a rule reads: "A ≥ 85, B ≥ 70, C ≥ 50, else D".
    static var gradeRule: String {
        grades.dropLast().map { "\($0.grade) ≥ \(NumberText.plain($0.from))" }.joined(separator: ", ") + ", else " + grades.last!.grade
    }

    /// The weeks of each of the two windows the trend compares.
    static var trendWindowWeeks: Int { Int(trendWindowDays) / 7 }

    /// One customer's payment facts: counts and whole days as Int32, so that a million
    /// customers' facts are 48 MB, not 88.
    struct Facts {
        var invoices: Int32 = 0
        var onTime: Int32 = 0
        var daysLateSum: Int32 = 0
        var unpaidInvoices: Int32 = 0
        var recent: (invoices: Int32, daysLate: Int32) = (0, 0)
        var before: (invoices: Int32, daysLate: Int32) = (0, 0)
        var invoiced = 0.0
        var unpaid = 0.0

        var onTimeShare: Double { invoices > 0 ? Double(onTime) / Double(invoices) : .nan }
        var meanDaysLate: Double { invoices > 0 ? Double(daysLateSum) / Double(invoices) : .nan }
        var unpaidShare: Double { invoiced > 0 ? unpaid / invoiced : 0 }
        var recentDaysLate: Double { recent.invoices > 0 ? Double(recent.daysLate) / Double(recent.invoices) : .nan }
        var beforeDaysLate: Double { before.invoices > 0 ? Double(before.daysLate) / Double(before.invoices) : .nan }
        /// Days later (positive) or earlier the customer pays now than six months before;
        /// 0 when either half-year has no invoice.
        var trend: Double {
            let (now, then) = (recentDaysLate, beforeDaysLate)
            return now.isNaN || then.isNaN ? 0 : now - then
        }

        var punctuality: Double { max(0, 1 - meanDaysLate / Credit.daysLateForZero) }
        var base: Double {
            100 * (weights.onTime * onTimeShare + weights.punctuality * punctuality + weights.paid * (1 - unpaidShare))
        }
        var trendPoints: Double { min(trendLimits.worse, max(trendLimits.better, trend * trendPointsPerDay)) }
        var score: Double { invoices > 0 ? min(100, max(0, base - trendPoints)) : .nan }
        var trendWord: String {
            if recent.invoices == 0 || before.invoices == 0 { return "not enough paid invoices" }
            if trend > 2 { return "worsening" }
            if trend < -2 { return "improving" }
            return "steady"
        }
    }

    static func grade(_ score: Double) -> String? { gradeIndex(score).map { grades[$0].grade } }

    /// The grade's place in `grades`, 0 for A.
    static func gradeIndex(_ score: Double) -> Int? {
        guard !score.isNaN else { return nil }
        return grades.firstIndex { score >= $0.from }!
    }

    /// Days an invoice is late on as_of: paid late, or still unpaid past its due date.
    static func daysLate(due: Int32, paid: Int32, asOf: Int32) -> Int32 {
        max(0, (paid == CalendarDay.null ? asOf : paid) - due)
    }

    /// A sum of days late, held at Int32.max rather than wrapping: a mean that large scores 0 anyway.
    @inline(__always) private static func adding(_ sum: Int32, _ late: Int32) -> Int32 {
        let (total, overflow) = sum.addingReportingOverflow(late)
        return overflow ? .max : total
    }

    /// The facts a summary made where the data lives gives (`summary sql … payments = …`),
    /// as customer fields; nil when it gives none. A customer without invoices has none.
    static func facts(given customers: CustomerTable) -> [Facts]? {
        let F = CustomerFields.self
        guard let invoices = customers.optionalNumbers(F.invoices) else { return nil }
        func column(_ field: Field) -> [Double] { customers.optionalNumbers(field) ?? [Double](repeating: .nan, count: customers.count) }
        let onTime = column(F.invoicesOnTime), daysLate = column(F.daysLate), unpaidInvoices = column(F.invoicesUnpaid)
        let invoiced = column(F.invoiced), unpaid = column(F.unpaid)
        let recent = (column(F.invoicesRecent), column(F.daysLateRecent)), before = (column(F.invoicesBefore), column(F.daysLateBefore))
        // A count as the facts hold it: none for a null, and held at Int32.max as the sums are.
        func count(_ v: Double) -> Int32 { v.isNaN ? 0 : Int32(min(max(v, 0), Double(Int32.max))) }
        return (0..<customers.count).map { c in
            var f = Facts()
            f.invoices = count(invoices[c])
            f.onTime = count(onTime[c])
            f.daysLateSum = count(daysLate[c])
            f.unpaidInvoices = count(unpaidInvoices[c])
            f.recent = (count(recent.0[c]), count(recent.1[c]))
            f.before = (count(before.0[c]), count(before.1[c]))
            f.invoiced = invoiced[c].isNaN ? 0 : invoiced[c]
            f.unpaid = unpaid[c].isNaN ? 0 : unpaid[c]
            return f
        }
    }

    static func facts(_ payments: PaymentTable, customers: Int, asOf: Int32) -> [Facts] {
        var facts = [Facts](repeating: Facts(), count: customers)
        facts.withUnsafeMutableBufferPointer { facts in
            for i in payments.customer.indices {
                let (due, paid, amount) = (payments.due[i], payments.paid[i], payments.amount[i])
                let late = daysLate(due: due, paid: paid, asOf: asOf)
                let c = Int(payments.customer[i])
                facts[c].invoices += 1
                facts[c].invoiced += amount
                facts[c].daysLateSum = adding(facts[c].daysLateSum, late)
                if paid == CalendarDay.null {
                    facts[c].unpaid += amount
                    facts[c].unpaidInvoices += 1
                    if due >= asOf { facts[c].onTime += 1 }
                } else if paid <= due {
                    facts[c].onTime += 1
                }
                if paid == CalendarDay.null {
                    continue
                } else if due > asOf - trendWindowDays {
                    facts[c].recent.invoices += 1
                    facts[c].recent.daysLate = adding(facts[c].recent.daysLate, late)
                } else if due > asOf - 2 * trendWindowDays {
                    facts[c].before.invoices += 1
                    facts[c].before.daysLate = adding(facts[c].before.daysLate, late)
                }
            }
        }
        return facts
    }
}
