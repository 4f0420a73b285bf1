#if canImport(Glibc)
import Glibc
#endif

/// Writes a snapshot of made-up customers whose buying follows the BG/NBD and Gamma-Gamma
/// stories with known parameters, from a seed, so that the same call writes the same bytes:
/// data for benchmarks, and for checking that a fit recovers what generated it.
///
/// Each customer makes a first purchase on a day in the first `acquisitionWeeks`; while
/// alive buys at rate λ ~ Gamma(r, α) a week (exponential gaps, in whole days); after each
/// repeat purchase drops out with probability p ~ Beta(a, b) (Fader, Hardie & Lee 2005).
/// Spend per purchase is Gamma(shape p_gg, rate ν) with ν ~ Gamma(q, γ) (Fader, Hardie &
/// Lee 2005, "RFM and CLV"), so its mean is p_gg / ν.
public struct SyntheticSnapshot {
    public struct Parameters: Sendable {
        public var r = 0.9, alpha = 6.0, a = 0.8, b = 5.0
        public var p = 6.0, q = 4.0, gamma = 15.0
        public init() {}
    }

    public var customers: Int
    public var seed: UInt64
    public var parameters = Parameters()
    /// First day of the data and how long it runs.
    public var start: Int32 = CalendarDay.from(year: 2023, month: 1, day: 1)
    public var weeks = 104
    public var acquisitionWeeks = 12
    /// Also write activities.csv, activity_rates.csv and payments.csv (the value chain's
    /// costs to serve and credit). They come from a second random stream, so customers.csv
    /// and transactions.csv are the same bytes with or without them.
    public var servingAndPaying = false

    public init(customers: Int, seed: UInt64) {
        self.customers = customers
        self.seed = seed
    }

    public var asOf: Int32 { start + Int32(weeks * 7) - 1 }

    /// Writes customers.csv, transactions.csv (in date order, as exports usually are) and
    /// snapshot.json into `directory`, and with `servingAndPaying` the activity and payment
    /// files.
    public func write(to directory: String) throws(DataError) {
        var random = SeededRandom(seed: seed)
        let segments = ["retail", "wholesale", "online", "public"]
        let regions = ["North", "South", "East", "West", "Central"]
        var customerFile = OutputFile(path: directory + "/customers.csv")
        customerFile.append("id,name,segment,region\n")
        var rows = Purchases()
        var invoiced = [Bool](repeating: false, count: customers)  // wholesale and public
        let end = asOf
        let p = parameters
        for c in 0..<customers {
            let segment = random.below(segments.count)
            invoiced[c] = segment == 1 || segment == 3
            customerFile.append("C\(c + 1),Customer \(c + 1),\(segments[segment]),\(regions[random.below(regions.count)])\n")
            if customerFile.bytes.count > 1 << 20 { try customerFile.flush() }
            let lambda = random.gamma(shape: p.r, rate: p.alpha)
            let dropout = random.beta(p.a, p.b)
            let nu = random.gamma(shape: p.q, rate: p.gamma)
            var day = start + Int32(random.below(acquisitionWeeks * 7))
            var repeats = 0
            while day <= end {
                let amount = max(0.01, random.gamma(shape: p.p, rate: nu))
                rows.append(customer: Int32(c), day: day, amount: amount, margin: amount * (0.2 + 0.2 * random.uniform()),
                            quantity: UInt8(1 + random.below(5)))
                if repeats > 0, random.uniform() < dropout { break }
                repeats += 1
                guard lambda > 0 else { break }
                // Gaps in days, at least one: purchases on one day are one purchase.
                let gap = random.exponential(rate: lambda) * 7
                guard gap < Double(end - day) + 1 else { break }
                day += Int32(max(1, gap.rounded(.up)))
            }
        }
        try customerFile.close()
        var transactionFile = OutputFile(path: directory + "/transactions.csv")
        transactionFile.append("customer_id,date,amount,margin,quantity\n")
        let order = rows.inDateOrder()
        for i in order {
            transactionFile.append("C\(rows.customer[i] + 1),")
            transactionFile.appendDate(rows.day[i])
            transactionFile.append(",")
            transactionFile.appendCents(rows.amount[i])
            transactionFile.append(",")
            transactionFile.appendCents(rows.margin[i])
            transactionFile.append(",\(rows.quantity[i])\n")
            if transactionFile.bytes.count > 1 << 22 { try transactionFile.flush() }
        }
        try transactionFile.close()
        if servingAndPaying { try writeServingAndPaying(rows, order, invoiced: invoiced, to: directory) }
        var info = OutputFile(path: directory + "/snapshot.json")
        info.append("{\"name\": \"synthetic\", \"as_of\": \"\(CalendarDay.format(end))\", \"currency\": \"EUR\", ")
        info.append("\"description\": \"\(customers) made-up customers (BG/NBD r=\(p.r) alpha=\(p.alpha) a=\(p.a) b=\(p.b); ")
        info.append("Gamma-Gamma p=\(p.p) q=\(p.q) gamma=\(p.gamma)), seed \(seed)\"}\n")
        try info.close()
    }

    /// The costs to serve and the invoices. Every customer has an account (one
    /// `account_management` a year they buy in); a purchase needs a `delivery` one time in
    /// four and a `support_call` at the customer's own rate (Beta(1, 4): a fifth on average).
    /// With margins of 20–40% on purchases of about 22, customers who buy once or call often
    /// cost more than they bring. Wholesale and public customers are invoiced, due 30 days
    /// after each purchase; each pays late with its own probability (Beta(1, 3)) by an
    /// exponential number of days (its own mean, 2 to 32), and invoices not paid by `as_of`
    /// are open.
    private func writeServingAndPaying(_ rows: Purchases, _ order: [Int], invoiced: [Bool], to directory: String) throws(DataError) {
        var random = SeededRandom(seed: seed ^ 0x5EED_C057)
        let end = asOf
        var callRate = [Double](repeating: 0, count: customers)
        var lateness = [Double](repeating: 0, count: customers), meanDaysLate = [Double](repeating: 0, count: customers)
        for c in 0..<customers {
            callRate[c] = random.beta(1, 4)
            lateness[c] = random.beta(1, 3)
            meanDaysLate[c] = 2 + 30 * random.uniform()
        }
        var rates = OutputFile(path: directory + "/activity_rates.csv")
        rates.append("activity,unit_cost\naccount_management,5.00\ndelivery,8.00\nsupport_call,6.00\n")
        try rates.close()
        var activities = OutputFile(path: directory + "/activities.csv")
        activities.append("customer_id,date,activity,quantity\n")
        var payments = OutputFile(path: directory + "/payments.csv")
        payments.append("customer_id,due,paid,amount\n")
        var accountYear = [Int16](repeating: 0, count: customers)
        for i in order {
            let c = Int(rows.customer[i]), day = rows.day[i], id = "C\(c + 1),"
            let year = Int16(CalendarDay.components(day).0 - 2000)
            if accountYear[c] != year {
                accountYear[c] = year
                activities.append(id)
                activities.appendDate(day)
                activities.append(",account_management,1\n")
            }
            if random.uniform() < 0.25 {
                activities.append(id)
                activities.appendDate(day)
                activities.append(",delivery,1\n")
            }
            if random.uniform() < callRate[c] {
                activities.append(id)
                activities.appendDate(day)
                activities.append(",support_call,\(1 + random.below(3))\n")
            }
            if invoiced[c] {
                let due = day + 30
                let late = random.uniform() < lateness[c] ? Int32(random.exponential(rate: 1 / meanDaysLate[c]).rounded(.up)) : -Int32(random.below(5))
                payments.append(id)
                payments.appendDate(due)
                payments.append(",")
                if due + late <= end { payments.appendDate(due + late) }
                payments.append(",")
                payments.appendCents(rows.amount[i])
                payments.append("\n")
            }
            if activities.bytes.count > 1 << 22 { try activities.flush() }
            if payments.bytes.count > 1 << 22 { try payments.flush() }
        }
        try activities.close()
        try payments.close()
    }

    /// The generated purchases as columns, to be written in date order.
    private struct Purchases {
        var customer: [Int32] = []
        var day: [Int32] = []
        var amount: [Double] = []
        var margin: [Double] = []
        var quantity: [UInt8] = []

        mutating func append(customer c: Int32, day d: Int32, amount a: Double, margin m: Double, quantity q: UInt8) {
            customer.append(c)
            day.append(d)
            amount.append(a)
            margin.append(m)
            quantity.append(q)
        }

        /// Positions ordered by day, customers in order within a day (a counting sort).
        func inDateOrder() -> [Int] {
            guard let first = day.min(), let last = day.max() else { return [] }
            var start = [Int](repeating: 0, count: Int(last - first) + 2)
            for d in day { start[Int(d - first) + 1] += 1 }
            for k in 1..<start.count { start[k] += start[k - 1] }
            var order = [Int](repeating: 0, count: day.count)
            for (i, d) in day.enumerated() {
                order[start[Int(d - first)]] = i
                start[Int(d - first)] += 1
            }
            return order
        }
    }
}

/// A buffered file written with plain system calls.
struct OutputFile {
    let path: String
    var bytes: [UInt8] = []
    private var descriptor: Int32 = -1

    init(path: String) {
        self.path = path
        bytes.reserveCapacity(1 << 22)
    }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func appendDate(_ day: Int32) {
        let (y, m, d) = CalendarDay.components(day)
        appendDigits(y, 4)
        bytes.append(0x2D)
        appendDigits(m, 2)
        bytes.append(0x2D)
        appendDigits(d, 2)
    }

    /// A non-negative amount with two decimals.
    mutating func appendCents(_ value: Double) {
        let cents = Int((value * 100).rounded())
        append(String(cents / 100))
        bytes.append(0x2E)
        appendDigits(cents % 100, 2)
    }

    private mutating func appendDigits(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            bytes.append(UInt8(0x30 + v / divisor % 10))
            v %= divisor
            divisor /= 10
        }
    }

    mutating func flush() throws(DataError) {
        if descriptor < 0 {
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else { throw DataError(file: path, message: "cannot write: \(String(cString: strerror(errno)))") }
        }
        let failed = bytes.withUnsafeBytes { raw -> Bool in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(descriptor, raw.baseAddress! + done, raw.count - done)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { return true }
                done += n
            }
            return false
        }
        if failed { throw DataError(file: path, message: "cannot write: \(String(cString: strerror(errno)))") }
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func close() throws(DataError) {
        try flush()
        Glibc.close(descriptor)
        descriptor = -1
    }
}

/// xoshiro256** seeded through SplitMix64, with the distributions the generator draws from.
struct SeededRandom {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = s.3 << 45 | s.3 >> 19
        return result
    }

    /// Uniform on (0, 1): never exactly 0, so that logs are finite.
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992 }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func normal() -> Double {
        // Box–Muller; one of the pair is enough here.
        sqrt(-2 * log(uniform())) * cos(2 * Double.pi * uniform())
    }

    mutating func exponential(rate: Double) -> Double { -log(uniform()) / rate }

    /// Gamma(shape, rate) by Marsaglia & Tsang (2000); shape < 1 by boosting with U^(1/shape).
    mutating func gamma(shape: Double, rate: Double) -> Double {
        if shape < 1 { return gamma(shape: shape + 1, rate: rate) * pow(uniform(), 1 / shape) }
        let d = shape - 1.0 / 3
        let c = 1 / sqrt(9 * d)
        while true {
            var x: Double
            var v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = uniform()
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v / rate }
        }
    }

    mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(shape: a, rate: 1)
        let y = gamma(shape: b, rate: 1)
        return x / (x + y)
    }
}
