/// The value-chain fields (PRODUCT.md §5) computed on first use: RFM scores and segments
/// (kept per snapshot) and the portfolio group (from profit and clv, so it follows the
/// settings that move clv).
final class AnalyticsStore {
    static let fields = AnalyticsField.allCases.map(\.field)

    private var rfm: [ObjectIdentifier: (cuts: RFM.Cuts, result: RFM.Result)] = [:]
    private var credit: [ObjectIdentifier: [Credit.Facts]] = [:]

    /// Each customer's payment facts; an error when the snapshot has no payments.csv.
    func credit(_ snapshot: Snapshot) throws(Diagnostic) -> [Credit.Facts] {
        if let cached = credit[ObjectIdentifier(snapshot)] { return cached }
        let facts: [Credit.Facts]
        if let payments = snapshot.payments {
            facts = Credit.facts(payments, customers: snapshot.customers.count, asOf: snapshot.info.asOf)
        } else if let given = Credit.facts(given: snapshot.customers) {
            facts = given
        } else {
            throw Diagnostic("credit needs payments, and \(snapshot.name) has no payments.csv (customer_id, due, paid, amount)")
        }
        credit[ObjectIdentifier(snapshot)] = facts
        return facts
    }

    /// The scores by the cuts in force: those set, else the quantiles (one setting kept per snapshot).
    func rfm(_ snapshot: Snapshot, _ settings: Settings) -> RFM.Result {
        if let cached = rfm[ObjectIdentifier(snapshot)], cached.cuts == settings.rfmCuts { return cached.result }
        let c = snapshot.customers
        let result = RFM.score(
            daysSince: c.numbers(CustomerFields.daysSince), orders: c.numbers(CustomerFields.orders),
            revenue: c.numbers(CustomerFields.revenue), cuts: settings.rfmCuts)
        rfm[ObjectIdentifier(snapshot)] = (settings.rfmCuts, result)
        return result
    }

    func keep(only snapshots: [Snapshot]) {
        let live = Set(snapshots.map(ObjectIdentifier.init))
        rfm = rfm.filter { live.contains($0.key) }
        credit = credit.filter { live.contains($0.key) }
    }

    /// The clv above which a customer has potential, and where it comes from.
    static func potentialThreshold(_ clv: [Double], _ settings: Settings) -> (value: Double, source: String) {
        if let set = settings.potentialThreshold { return (set, "set") }
        return (Statistics.median(clv.filter { !$0.isNaN }), "the median clv")
    }
}
