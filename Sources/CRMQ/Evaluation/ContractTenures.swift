/// Each customer's contract as sBG counts it, from customers.csv's `contract_start` and
/// `contract_end` (empty while the contract runs) and the snapshot's as_of, in whole periods:
/// a contract that ended paid for every period it began (at least one); one still running at
/// as_of has renewed once for each period completed.
struct ContractTenures {
    /// Periods paid for (ended), or renewals made so far (running); -1 without a contract.
    var periods: [Int]
    var ended: [Bool]

    static let startField = "contract_start"
    static let endField = "contract_end"

    init(_ snapshot: Snapshot, period: ContractPeriod) throws(Diagnostic) {
        let customers = snapshot.customers
        guard let start = customers.dates(Field(Self.startField, .date, "")) else {
            throw Diagnostic("sBG reads contracts from customers.csv's contract_start and contract_end (empty while the contract runs), "
                + "and \(snapshot.name) has no \(customers.field(Self.startField) == nil ? "contract_start column" : "contract_start of dates")")
        }
        let end = customers.dates(Field(Self.endField, .date, ""))
        let asOf = snapshot.info.asOf
        guard asOf != CalendarDay.null else { throw Diagnostic("sBG counts running contracts up to as_of, and \(snapshot.name) has no as_of: load it as of a date") }
        periods = [Int](repeating: -1, count: customers.count)
        ended = [Bool](repeating: false, count: customers.count)
        for c in 0..<customers.count where start[c] != CalendarDay.null && start[c] <= asOf {
            let stop = end?[c] ?? CalendarDay.null
            if stop != CalendarDay.null, stop <= asOf {
                let lasted = Double(max(0, stop - start[c])) / period.days
                periods[c] = max(1, Int((lasted - 1e-9).rounded(.up)))
                ended[c] = true
            } else {
                periods[c] = Int((Double(asOf - start[c]) / period.days + 1e-9).rounded(.down))
            }
        }
    }

    /// The contracts sBG fits on: every customer who has one.
    var tenures: ShiftedBetaGeometric.Tenures {
        let known = periods.indices.filter { periods[$0] >= 0 }
        return ShiftedBetaGeometric.Tenures(periods: known.map { periods[$0] }, churned: known.map { ended[$0] })
    }

    /// Renewal by renewal: the contracts that came to renewal t and how many renewed, as seen.
    func observed() -> [(atRisk: Int, renewed: Int)] {
        let longest = periods.max() ?? 0
        var rows = [(atRisk: Int, renewed: Int)](repeating: (0, 0), count: max(0, longest))
        for c in periods.indices where periods[c] >= 1 {
            // Came to renewal t for t ≤ periods; renewed at each before the one it left at.
            for t in 1...periods[c] {
                rows[t - 1].atRisk += 1
                if !ended[c] || t < periods[c] { rows[t - 1].renewed += 1 }
            }
        }
        return rows
    }
}
