/// Customers as the buy-till-you-die models see them: repeat purchases x, recency tₓ and
/// age T in weeks, one row per distinct (x, tₓ, T) with how many customers share it, so
/// that a fit costs in distinct rows, not customers.
struct PurchaseHistories: Sendable {
    var x: [Double] = []
    var tx: [Double] = []
    var T: [Double] = []
    var weight: [Double] = []
    /// Each customer's row, or -1 for a customer without purchases (the models cannot value them).
    var rowOfCustomer: [Int32]
    var customers: Int { rowOfCustomer.count }
    var modelled: Int { Int(weight.reduce(0, +)) }

    /// From the store's columns: frequency, and recency and age in weeks (whole days / 7).
    init(frequency: [Double], recency: [Double], age: [Double]) {
        rowOfCustomer = [Int32](repeating: -1, count: frequency.count)
        var rowOfKey: [UInt64: Int32] = [:]
        for c in frequency.indices where !frequency[c].isNaN {
            let days = (tx: (recency[c] * 7).rounded(), T: (age[c] * 7).rounded())
            let key = UInt64(frequency[c]) << 40 | UInt64(days.tx) << 20 | UInt64(days.T)
            if let row = rowOfKey[key], x[Int(row)] == frequency[c], tx[Int(row)] == recency[c], T[Int(row)] == age[c] {
                weight[Int(row)] += 1
                rowOfCustomer[c] = row
                continue
            }
            let row = Int32(x.count)
            rowOfKey[key] = row
            x.append(frequency[c])
            tx.append(recency[c])
            T.append(age[c])
            weight.append(1)
            rowOfCustomer[c] = row
        }
    }

    /// The distinct values of a column and, per row, the index of its value.
    static func distinct(_ values: [Double]) -> (values: [Double], index: [Int32]) {
        var position: [Double: Int32] = [:]
        var distinct: [Double] = []
        let index = values.map { v -> Int32 in
            if let i = position[v] { return i }
            let i = Int32(distinct.count)
            position[v] = i
            distinct.append(v)
            return i
        }
        return (distinct, index)
    }
}
