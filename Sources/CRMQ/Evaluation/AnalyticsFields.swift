/// The value-chain fields (PRODUCT.md §5) computed on first use: RFM scores and segments
/// (kept per snapshot) and the portfolio group (from profit and clv, so it follows the
/// settings that move clv).
final class AnalyticsStore {
    static let fields = [
        Field("portfolio", .text, "invest, nurture, re-engineer or sack: profit > 0 now, clv at or above the threshold (median clv unless set)"),
        Field("rfm", .text, "the three RFM scores as digits, like 545"),
        Field("rfm_segment", .text, "the first RFM segment the scores fall in (Champions, Loyal Customers, … Lost), else Others"),
        Field("r_score", .number, unit: .score, "recency score 1–5 by the 20/40/60/80% quantiles of −days_since"),
        Field("f_score", .number, unit: .score, "frequency score 1–5 by the quantiles of orders"),
        Field("m_score", .number, unit: .score, "monetary score 1–5 by the quantiles of revenue"),
        Field("credit_score", .number, unit: .score, "0–100 from payments: on-time share, mean days late, unpaid share, 6-month trend"),
        Field("credit_grade", .text, "A (score ≥ 85), B (≥ 70), C (≥ 50) or D; none without invoices"),
    ]

    private var rfm: [ObjectIdentifier: RFM.Result] = [:]
    private var credit: [ObjectIdentifier: [Credit.Facts]] = [:]

    /// Each customer's payment facts; an error when the snapshot has no payments.csv.
    func credit(_ snapshot: Snapshot) throws(Diagnostic) -> [Credit.Facts] {
        if let cached = credit[ObjectIdentifier(snapshot)] { return cached }
        guard let payments = snapshot.payments else {
            throw Diagnostic("credit needs payments, and \(snapshot.name) has no payments.csv (customer_id, due, paid, amount)")
        }
        let facts = Credit.facts(payments, customers: snapshot.customers.count, asOf: snapshot.info.asOf)
        credit[ObjectIdentifier(snapshot)] = facts
        return facts
    }

    func rfm(_ snapshot: Snapshot) -> RFM.Result {
        if let cached = rfm[ObjectIdentifier(snapshot)] { return cached }
        let c = snapshot.customers
        let result = RFM.score(
            daysSince: ModelStore.column(c, "days_since"), orders: ModelStore.column(c, "orders"),
            revenue: ModelStore.column(c, "revenue"))
        rfm[ObjectIdentifier(snapshot)] = result
        return result
    }

    func keep(only snapshots: [Snapshot]) {
        let live = Set(snapshots.map(ObjectIdentifier.init))
        rfm = rfm.filter { live.contains($0.key) }
        credit = credit.filter { live.contains($0.key) }
    }

    /// The clv at or above which a customer has potential, and where it comes from.
    static func potentialThreshold(_ clv: [Double], _ settings: Settings) -> (value: Double, source: String) {
        if let set = settings.potentialThreshold { return (set, "set") }
        return (Statistics.median(clv.filter { !$0.isNaN }), "the median clv")
    }
}
