/// Reads transactions.csv and arranges its rows by customer and date.
struct TransactionReader {
    var path: String
    var index: InternedStrings
    var marginRate: Double?

    struct Raw {
        var customer: [Int32]
        var day: [Int32]
        var amount: [Double]
        var margin: [Double]?
        var quantity: [Double]?
        var product: TextColumn?
    }

    static let specs: [ColumnSpec] = [
        ColumnSpec(name: "customer_id", kind: .customer, required: true),
        ColumnSpec(name: "date", kind: .date, required: true, emptyAllowed: false),
        ColumnSpec(name: "amount", kind: .number, required: true, emptyAllowed: false),
        ColumnSpec(name: "margin", kind: .number),
        ColumnSpec(name: "quantity", kind: .number),
        ColumnSpec(name: "product", kind: .text),
    ]

    func read() throws(DataError) -> Raw {
        var read = try TableReader(path: path, displayName: path, specs: Self.specs, customerIndex: index).read()
        let raw = Raw(
            customer: read.customers, day: read.dates["date"]!, amount: read.numbers["amount"]!,
            margin: read.numbers["margin"], quantity: read.numbers["quantity"], product: read.texts["product"])
        read = ReadTable(rowCount: 0, header: [])  // let the parsed copies go before arranging
        return raw
    }

    /// Keeps the rows up to `asOf`, ordered by customer, then date, then file order
    /// (a counting sort by customer, then each customer's run sorted by date if it is not
    /// already), and fills in margins from the margin rate where the file has none.
    func arrange(_ raw: Raw, customers: Int, asOf: Int32, setAside: inout [String: Int]) -> TransactionTable {
        let n = raw.customer.count
        var start = [Int32](repeating: 0, count: customers + 1)
        var kept = 0
        raw.customer.withUnsafeBufferPointer { customer in
            raw.day.withUnsafeBufferPointer { day in
                for i in 0..<n where day[i] <= asOf {
                    start[Int(customer[i]) + 1] += 1
                    kept += 1
                }
            }
        }
        setAside["transactions.csv"] = n - kept
        for c in 0..<customers { start[c + 1] += start[c] }
        var order = [Int32](repeating: 0, count: kept)
        var cursor = start
        raw.customer.withUnsafeBufferPointer { customer in
            raw.day.withUnsafeBufferPointer { day in
                order.withUnsafeMutableBufferPointer { order in
                    for i in 0..<n where day[i] <= asOf {
                        let c = Int(customer[i])
                        order[Int(cursor[c])] = Int32(i)
                        cursor[c] += 1
                    }
                    for c in 0..<customers {
                        let run = Int(start[c])..<Int(start[c + 1])
                        var sorted = true
                        var i = run.lowerBound + 1
                        while i < run.upperBound {
                            if day[Int(order[i - 1])] > day[Int(order[i])] { sorted = false; break }
                            i += 1
                        }
                        if !sorted {
                            order[run].sort { (day[Int($0)], $0) < (day[Int($1)], $1) }
                        }
                    }
                }
            }
        }
        func gather<T>(_ column: [T]) -> [T] {
            column.withUnsafeBufferPointer { source in order.map { source[Int($0)] } }
        }
        let amount = gather(raw.amount)
        var margin: [Double]
        if let fileMargin = raw.margin {
            margin = gather(fileMargin)
            for i in margin.indices where margin[i].isNaN {
                margin[i] = marginRate.map { amount[i] * $0 } ?? .nan
            }
        } else if let rate = marginRate {
            margin = amount.map { $0 * rate }
        } else {
            margin = [Double](repeating: .nan, count: kept)
        }
        return TransactionTable(
            customer: gather(raw.customer), day: gather(raw.day), amount: amount, margin: margin,
            quantity: raw.quantity.map(gather),
            product: raw.product.map { TextColumn(codes: gather($0.codes), values: $0.values) },
            start: start, marginKnown: raw.margin != nil || marginRate != nil)
    }
}
