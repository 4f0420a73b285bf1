/// The simple retention CLV of Gupta & Lehmann (2003), for teaching and for contractual
/// settings: a margin m a year kept with probability r each year, discounted at i,
///
///     clv = m · r / (1 + i − r)
///
/// (the sum of m·rᵗ/(1+i)ᵗ over the years t = 1, 2, … : value from next year on).
public struct SimpleRetention: Sendable, Equatable {
    public var retention: Double
    public var discount: Double

    public func value(yearlyMargin m: Double) -> Double {
        m * retention / (1 + discount - retention)
    }

    /// The snapshot's retention rate: of the customers who bought in the year before last
    /// (52 to 104 weeks before as_of), the share who bought again in the last 52 weeks.
    static func retentionRate(_ transactions: TransactionTable, customers: Int, asOf: Int32) -> (rate: Double, base: Int, kept: Int)? {
        let yearStart = CalendarDay.shift(asOf, by: -364), previousStart = CalendarDay.shift(asOf, by: -728)
        var base = 0, kept = 0
        for c in 0..<customers where transactions.bought(c, after: previousStart, through: yearStart) {
            base += 1
            if transactions.bought(c, after: yearStart, through: asOf) { kept += 1 }
        }
        guard base > 0 else { return nil }
        return (Double(kept) / Double(base), base, kept)
    }

    /// Each customer's margin in the 52 weeks to as_of (revenue where margin is unknown).
    static func yearlyMargin(_ transactions: TransactionTable, customers: Int, asOf: Int32) -> [Double] {
        let values = transactions.marginKnown ? transactions.margin : transactions.amount
        return (0..<customers).map { transactions.sum(values, of: $0, after: CalendarDay.shift(asOf, by: -364), through: asOf) }
    }
}
