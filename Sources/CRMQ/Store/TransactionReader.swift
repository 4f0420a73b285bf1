/// Reads transactions.csv and arranges its rows by customer and date.
struct TransactionReader {
    var path: String
    var index: InternedStrings
    var marginRate: Double?

    /// The file's columns, in the pieces they were parsed in. A piece's customers may be a
    /// stretch of one column of every row's (an export's text column, merged whole): a slice
    /// of it, not a copy, indexed from its start index where the other columns start at 0.
    struct Raw {
        var customer: [ArraySlice<Int32>]
        var day: [[Int32]]
        var amount: [[Double]]
        var margin: [[Double]]?
        var quantity: [[Double]]?
        var product: TextColumn?

        var latestDay: Int32? { day.compactMap { $0.max() }.max() }
    }

    static let specs: [ColumnSpec] = [
        ColumnSpec(name: "customer_id", kind: .customer, required: true),
        ColumnSpec(name: "date", kind: .date, required: true, emptyAllowed: false),
        ColumnSpec(name: "amount", kind: .number, required: true, emptyAllowed: false),
        ColumnSpec(name: "margin", kind: .number),
        ColumnSpec(name: "quantity", kind: .number, negativeRefused: "a return is a row with a negative amount; its quantity is what went back, 0 or more"),
        ColumnSpec(name: "product", kind: .text, repeats: true),
    ]

    /// The rows a reader of transactions (`specs`, the customers' index) gives, as they were parsed.
    static func read(_ reader: TableReader) throws(DataError) -> Raw {
        let read = try reader.read()
        return Raw(
            customer: read.customerPieces.map { $0[...] }, day: read.dates.pieces["date"]!, amount: read.numbers.pieces["amount"]!,
            margin: read.numbers.pieces["margin"], quantity: read.numbers.pieces["quantity"], product: read.texts["product"])
    }

    /// Keeps the rows up to `asOf`, ordered by customer, then date, then file order; the
    /// table fills in margins from the margin rate where the file has none.
    ///
    /// A counting sort by customer, done as a two-pass radix partition so that no pass
    /// writes at random over the whole table (a file in date order would otherwise cost a
    /// cache miss per row and column): first each parsed piece streams its rows into ~1,000
    /// buckets of neighbouring customers, each bucket a stretch of the arranged columns; then
    /// each bucket counts its customers' rows, places them in a buffer of its core's, sorts
    /// each customer's run by date where it is not already and copies them back — all within
    /// a region small enough to stay in cache. Both passes run on all cores; no pass goes over
    /// every row one at a time, the arranged columns are not filled before they are written,
    /// and no table of every row stands between the passes (fresh memory costs a page fault
    /// and a page cleared every 4 KiB: a second table cost 0.2 s of kernel time on 1M customers).
    ///
    /// Long, and kept whole: the counts, both partition passes and the date sort share the run
    /// starts and the buckets, each a tight loop over raw buffers (profiled: this is the load).
    func arrange(_ raw: inout Raw, customers: Int, asOf: Int32, setAside: inout [String: Int]) -> TransactionTable {
        var shift = 0
        while (customers - 1) >> shift >= 1024 { shift += 1 }
        let buckets = customers == 0 ? 0 : ((customers - 1) >> shift) + 1
        // Rows each piece keeps for each bucket of neighbouring customers.
        let pieceCounts: [[Int]] = parallelMap(raw.customer.count) { k in
            var counts = [Int](repeating: 0, count: buckets)
            let customer = raw.customer[k], day = raw.day[k]
            let first = customer.startIndex
            for i in day.indices where day[i] <= asOf { counts[Int(customer[first + i]) >> shift] += 1 }
            return counts
        }
        // Where each bucket's rows start, and where each piece writes into each bucket: the
        // bucket's region, after earlier pieces.
        var bucketStart = [Int](repeating: 0, count: buckets + 1)
        var offsets = [[Int]](repeating: [Int](repeating: 0, count: buckets), count: raw.customer.count)
        for b in 0..<buckets {
            var at = bucketStart[b]
            for k in raw.customer.indices {
                offsets[k][b] = at
                at += pieceCounts[k][b]
            }
            bucketStart[b + 1] = at
        }
        let kept = bucketStart[buckets]
        let total = raw.customer.reduce(0) { $0 + $1.count }
        setAside["transactions.csv"] = total - kept
        var later = (customer: [Int32](), day: [Int32]())
        if total > kept {
            // The holdout's purchases: a later return is no purchase to predict.
            for (customer, (day, amount)) in zip(raw.customer, zip(raw.day, raw.amount)) {
                for i in day.indices where day[i] > asOf && amount[i] >= 0 {
                    later.customer.append(customer[customer.startIndex + i])
                    later.day.append(day[i])
                }
            }
        }
        var pieceStart = [0]
        for customer in raw.customer { pieceStart.append(pieceStart.last! + customer.count) }

        let hasQuantity = raw.quantity != nil, product = raw.product, hasMargin = raw.margin != nil
        var start = [Int32](repeating: 0, count: customers + 1)
        start[customers] = Int32(kept)
        var destination = Columns(count: kept, quantity: hasQuantity, product: product != nil)
        // The rows of the largest bucket: pass 2 places a bucket's rows in a buffer this big
        // and copies them back, so that the two passes need no table between them.
        let largest = (0..<buckets).reduce(0) { max($0, bucketStart[$1 + 1] - bucketStart[$1]) }
        start.withUnsafeMutableBufferPointer { start in
            destination.fill { out in
                // Pass 1: each piece streams its rows into the buckets, in file order.
                _ = parallelMap(raw.customer.count) { k -> Bool in
                    var at = offsets[k]
                    let customer = raw.customer[k], day = raw.day[k], amount = raw.amount[k]
                    let margin = raw.margin?[k], quantity = raw.quantity?[k]
                    let first = customer.startIndex
                    for i in day.indices where day[i] <= asOf {
                        let b = Int(customer[first + i]) >> shift
                        let to = at[b]
                        at[b] = to + 1
                        out.customer[to] = customer[first + i]
                        out.day[to] = day[i]
                        out.amount[to] = amount[i]
                        out.margin[to] = margin?[i] ?? .nan
                        if let quantity { out.quantity[to] = quantity[i] }
                        if let product { out.product[to] = product.codes[pieceStart[k] + i] }
                    }
                    return true
                }
                raw = Raw(customer: [], day: [], amount: [])  // the parsed pieces are no longer needed
                // Pass 2: each bucket counts its customers' rows (in cache: its rows lie
                // together), so where each customer's run starts, then places its rows by
                // customer in the lane's buffer, sorts each run by date there and copies the
                // bucket back; buckets are shared out among the cores, each writing its own.
                let lanes = 2
                _ = parallelMap(lanes) { lane -> Bool in
                    let placed = RowBuffers.allocate(count: largest, quantity: hasQuantity, product: product != nil)
                    defer { placed.deallocate() }
                    var cursor = [Int32](repeating: 0, count: 1 << shift)
                    var b = lane
                    while b < buckets {
                        let first = b << shift, last = min((b + 1) << shift, customers)
                        let from = bucketStart[b], to = bucketStart[b + 1]
                        for c in first..<last { cursor[c - first] = 0 }
                        for r in from..<to { cursor[Int(out.customer[r]) - first] += 1 }
                        var at: Int32 = 0
                        for c in first..<last {
                            let n = cursor[c - first]
                            start[c] = Int32(from) + at
                            cursor[c - first] = at
                            at += n
                        }
                        for r in from..<to {
                            let c = Int(out.customer[r]) - first
                            let place = Int(cursor[c])
                            cursor[c] += 1
                            placed.copy(row: r, of: out, to: place)
                        }
                        for c in first..<last {
                            let end = c + 1 < last ? Int(start[c + 1]) : to
                            placed.sortByDay((Int(start[c]) - from)..<(end - from))
                        }
                        out.copy(rows: 0..<(to - from), of: placed, to: from)
                        b += lanes
                    }
                    return true
                }
            }
        }
        return TransactionTable(
            customer: destination.customer, day: destination.day, amount: destination.amount,
            fileMargin: hasMargin ? destination.margin : nil, marginRate: marginRate,
            quantity: hasQuantity ? destination.quantity : nil,
            product: product.map { TextColumn(codes: destination.product, values: $0.values) },
            start: start, later: LaterTransactions(customer: later.customer, day: later.day))
    }

    /// The arranged columns being filled in.
    private struct Columns {
        var customer: [Int32]
        var day: [Int32]
        var amount: [Double]
        var margin: [Double]
        var quantity: [Double]
        var product: [Int32]

        /// Left as the kernel gives them, not filled first: pass 2 writes every row of every
        /// column there is (each kept row goes to exactly one place), and nothing reads before.
        init(count: Int, quantity: Bool, product: Bool) {
            customer = Self.unfilled(count)
            day = Self.unfilled(count)
            amount = Self.unfilled(count)
            margin = Self.unfilled(count)
            self.quantity = quantity ? Self.unfilled(count) : []
            self.product = product ? Self.unfilled(count) : []
        }

        private static func unfilled<T: BitwiseCopyable>(_ count: Int) -> [T] {
            [T](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        }

        mutating func fill(_ body: (RowBuffers) -> Void) {
            customer.withUnsafeMutableBufferPointer { customer in
                day.withUnsafeMutableBufferPointer { day in
                    amount.withUnsafeMutableBufferPointer { amount in
                        margin.withUnsafeMutableBufferPointer { margin in
                            quantity.withUnsafeMutableBufferPointer { quantity in
                                product.withUnsafeMutableBufferPointer { product in
                                    body(RowBuffers(customer: customer, day: day, amount: amount, margin: margin, quantity: quantity, product: product))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The transaction columns as buffers that threads may write at disjoint rows: the arranged
/// columns, and a bucket's rows being placed.
private struct RowBuffers {
    var customer: UnsafeMutableBufferPointer<Int32>
    var day: UnsafeMutableBufferPointer<Int32>
    var amount: UnsafeMutableBufferPointer<Double>
    var margin: UnsafeMutableBufferPointer<Double>
    /// Empty when the file has no such column.
    var quantity: UnsafeMutableBufferPointer<Double>
    var product: UnsafeMutableBufferPointer<Int32>

    static func allocate(count: Int, quantity: Bool, product: Bool) -> RowBuffers {
        RowBuffers(
            customer: .allocate(capacity: count), day: .allocate(capacity: count), amount: .allocate(capacity: count),
            margin: .allocate(capacity: count), quantity: .allocate(capacity: quantity ? count : 0),
            product: .allocate(capacity: product ? count : 0))
    }

    func deallocate() {
        customer.deallocate()
        day.deallocate()
        amount.deallocate()
        margin.deallocate()
        quantity.deallocate()
        product.deallocate()
    }

    @inline(__always)
    func copy(row r: Int, of source: RowBuffers, to at: Int) {
        customer[at] = source.customer[r]
        day[at] = source.day[r]
        amount[at] = source.amount[r]
        margin[at] = source.margin[r]
        if !quantity.isEmpty { quantity[at] = source.quantity[r] }
        if !product.isEmpty { product[at] = source.product[r] }
    }

    /// Copies `rows` of `source` here, from `at` on.
    func copy(rows: Range<Int>, of source: RowBuffers, to at: Int) {
        func copy<T>(_ to: UnsafeMutableBufferPointer<T>, _ from: UnsafeMutableBufferPointer<T>) {
            guard !to.isEmpty else { return }
            (to.baseAddress! + at).update(from: from.baseAddress! + rows.lowerBound, count: rows.count)
        }
        copy(customer, source.customer)
        copy(day, source.day)
        copy(amount, source.amount)
        copy(margin, source.margin)
        copy(quantity, source.quantity)
        copy(product, source.product)
    }

    /// Sorts one customer's run by date, keeping file order within a day.
    func sortByDay(_ run: Range<Int>) {
        var i = run.lowerBound + 1
        while i < run.upperBound, day[i - 1] <= day[i] { i += 1 }
        if i >= run.upperBound { return }
        let order = run.sorted { (day[$0], $0) < (day[$1], $1) }
        func permute<T>(_ column: UnsafeMutableBufferPointer<T>) {
            guard column.count > 0 else { return }
            let values = order.map { column[$0] }
            for (k, value) in values.enumerated() { column[run.lowerBound + k] = value }
        }
        permute(customer)
        permute(day)
        permute(amount)
        permute(margin)
        permute(quantity)
        permute(product)
    }
}
