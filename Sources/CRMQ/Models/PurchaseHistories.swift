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

    /// From the store's columns: frequency, and recency and age in weeks (whole days / 7);
    /// each customer counting once, or as many as a histogram's row stands for.
    init(frequency: [Double], recency: [Double], age: [Double], weight given: [Double]? = nil) {
        let n = frequency.count
        rowOfCustomer = [Int32](repeating: -1, count: n)
        // A history in whole days (every one a load derives: days / 7) packs into a key that
        // is the history itself; any other is matched on its exact values, never a crash.
        func packed(_ c: Int) -> UInt64? {
            let f = frequency[c], r = recency[c], a = age[c]
            let days = (tx: (r * 7).rounded(), T: (a * 7).rounded())
            guard f >= 0, f < 16_777_216, f == f.rounded(), days.tx >= 0, days.tx < 1_048_576, days.T >= 0, days.T < 1_048_576,
                  days.tx / 7 == r, days.T / 7 == a else { return nil }
            return UInt64(f) << 40 | UInt64(days.tx) << 20 | UInt64(days.T)
        }
        var table = HistoryKeyTable(expected: min(n, 1 << 16))
        var other: [[UInt64]: Int32] = [:]
        for c in 0..<n where !frequency[c].isNaN {
            let w = given?[c] ?? 1
            let next = Int32(x.count)
            let row: Int32, entered: Bool
            if let key = packed(c) {
                (row, entered) = table.count(key, weight: w, orEnter: next)
                if entered { weight.append(0) }  // the table's count, below
            } else {
                let key = [frequency[c].bitPattern, recency[c].bitPattern, age[c].bitPattern]
                if let known = other[key] {
                    (row, entered) = (known, false)
                    weight[Int(row)] += w
                } else {
                    other[key] = next
                    (row, entered) = (next, true)
                    weight.append(w)
                }
            }
            if entered {
                x.append(frequency[c])
                tx.append(recency[c])
                T.append(age[c])
            }
            rowOfCustomer[c] = row
        }
        table.weights(into: &weight)
    }

    /// Every k-th customer: the data a fit on many distinct rows first settles on, so that the
    /// whole data needs only a few of its costly passes from there. A row standing for k or
    /// more customers is kept as it is; the others by systematic sampling of their customers —
    /// each time their running count passes another k (the first at k/2, after `counted` of
    /// them in the tables before this one), the row it passes in is kept, standing for k.
    /// (Every k-th row with k times its weight put a zero-buyer row of thousands in or out by
    /// chance: Pareto/NBD on 1M started 900–1,500 nats from its optimum, now about 170.) For a fit
    /// only: no customer keeps a row.
    func thinned(every k: Int, after counted: Double = 0) -> PurchaseHistories {
        let step = Double(k)
        var kept: [Int] = [], weights: [Double] = []
        var running = counted
        for i in x.indices {
            if weight[i] >= step {
                kept.append(i)
                weights.append(weight[i])
                continue
            }
            let before = running
            running += weight[i]
            if ((running - step / 2) / step).rounded(.down) > ((before - step / 2) / step).rounded(.down) {
                kept.append(i)
                weights.append(step)
            }
        }
        var sample = self
        sample.x = kept.map { x[$0] }
        sample.tx = kept.map { tx[$0] }
        sample.T = kept.map { T[$0] }
        sample.weight = weights
        sample.rowOfCustomer = [Int32](repeating: -1, count: rowOfCustomer.count)
        return sample
    }

    /// The customers of rows standing for fewer than k: those `thinned(every: k)` samples.
    func sampledCustomers(every k: Int) -> Double {
        weight.reduce(0) { $1 < Double(k) ? $0 + $1 : $0 }
    }

    /// Distinct rows beyond which a fit starts on a thinned sample, and the customers that
    /// sample keeps (with every row standing for many, which it keeps too).
    static let warmStartRows = 40_000
    static let warmSampleCustomers = 20_000

    /// The k of `thinned(every:)` for a warm start: nil where the rows are few enough to fit at once.
    var warmStartEvery: Int? {
        x.count > Self.warmStartRows ? max(2, modelled / Self.warmSampleCustomers) : nil
    }

    /// A buy-till-you-die fit needs buyers, and repeat buyers to say anything about dropout
    /// — unless a penalty holds what the data cannot say near 1.
    func requireEnough(for model: String, penalty: Double) throws(ModelError) {
        let repeaters = zip(x, weight).reduce(0.0) { $0 + ($1.0 > 0 ? $1.1 : 0) }
        guard modelled >= 10 else {
            throw ModelError(message: "\(model) needs at least 10 customers with a purchase; this data has \(modelled)")
        }
        guard repeaters >= 3 || penalty > 0 else {
            throw ModelError(message: "\(model) needs customers who bought again to say anything about dropping out: "
                + "of \(modelled) customers \(Int(repeaters)) did. set penalty = 0.01 holds what the data cannot pin down near 1 "
                + "(L2 on the parameters' logs)")
        }
    }

    /// Where the BG/NBD family's fits start: lifetimes' start, and one scaled to the data's
    /// time span (its customers' mean age).
    var betaGeometricStarts: [[Double]] {
        let meanT = zip(T, weight).reduce(0.0) { $0 + $1.0 * $1.1 } / Double(max(modelled, 1))
        return [[1, 1, 1, 1], [0.5, max(1, meanT / 4), 0.8, 2.5]]
    }

    /// The distinct values of a column and, per row, the index of its value. Counts and weeks
    /// of whole days (what the store gives) are looked up in an array by their seventh parts.
    static func distinct(_ values: [Double]) -> (values: [Double], index: [Int32]) {
        let largest = values.max() ?? 0
        if largest < 10_000_000, values.allSatisfy({ $0 >= 0 && abs(($0 * 7).rounded() - $0 * 7) < 1e-6 }) {
            var slot = [Int32](repeating: -1, count: Int((largest * 7).rounded()) + 1)
            var distinct: [Double] = []
            let index = values.map { v -> Int32 in
                let k = Int((v * 7).rounded())
                if slot[k] < 0 {
                    slot[k] = Int32(distinct.count)
                    distinct.append(v)
                }
                return slot[k]
            }
            return (distinct, index)
        }
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
