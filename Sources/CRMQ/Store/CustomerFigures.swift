/// Derives the per-customer figures that need no model (PRODUCT.md §3) from the arranged
/// transactions and activities, in one pass over each customer's run of rows.
///
/// The definitions are those of `lifetimes`' `summary_data_from_transaction_data` with the
/// week as the unit: purchases on one day are one purchase; `frequency` counts the repeat
/// purchase days, `recency` and `age` are weeks from the first purchase day to the last
/// one and to `as_of`, `monetary` is the mean of the repeat days' amounts. A row with a
/// negative amount is a return: it lowers revenue and margin and is not a purchase (nor is
/// it one of `orders`); a zero amount is a purchase, as CDNOW's published summary counts it.
struct CustomerFigures {
    var transactions: TransactionTable
    var activities: ActivityTable?
    var asOf: Int32

    /// The 52 weeks to as_of, for share of wallet.
    static let walletWindowDays: Int32 = 364

    /// Every derived figure of every customer. Long, and kept whole: one pass over each
    /// customer's run of transactions computes them all, so that each row is read once.
    func derive(into table: inout CustomerTable) {
        let n = table.count
        var orders = [Double](repeating: 0, count: n)
        var revenue = [Double](repeating: 0, count: n)
        var margin = [Double](repeating: 0, count: n)
        var first = [Int32](repeating: CalendarDay.null, count: n)
        var last = [Int32](repeating: CalendarDay.null, count: n)
        var frequency = [Double](repeating: .nan, count: n)
        var recency = [Double](repeating: .nan, count: n)
        var age = [Double](repeating: .nan, count: n)
        var monetary = [Double](repeating: .nan, count: n)
        var daysSince = [Double](repeating: .nan, count: n)
        var aov = [Double](repeating: .nan, count: n)
        var yearRevenue = [Double](repeating: 0, count: n)
        let windowStart = asOf - Self.walletWindowDays
        transactions.day.withUnsafeBufferPointer { day in
            transactions.amount.withUnsafeBufferPointer { amount in
                transactions.margin.withUnsafeBufferPointer { rowMargin in
                    for c in 0..<n {
                        let s = Int(transactions.start[c])
                        let e = Int(transactions.start[c + 1])
                        guard e > s else { continue }
                        var sum = 0.0
                        var marginSum = 0.0
                        var recent = 0.0
                        var purchases = 0
                        var days = -1  // distinct purchase days − 1, once the first is seen
                        var repeatSum = 0.0
                        var dayTotal = 0.0
                        var currentDay = CalendarDay.null
                        var firstDay = CalendarDay.null
                        var lastDay = CalendarDay.null
                        for i in s..<e {
                            sum += amount[i]
                            marginSum += rowMargin[i]
                            if day[i] > windowStart { recent += amount[i] }
                            // A return gives money back: it counts in revenue and margin, and is no purchase.
                            guard amount[i] >= 0 else { continue }
                            if purchases == 0 { firstDay = day[i] }
                            purchases += 1
                            lastDay = day[i]
                            if day[i] != currentDay {
                                if days > 0 { repeatSum += dayTotal }
                                days += 1
                                currentDay = day[i]
                                dayTotal = 0
                            }
                            dayTotal += amount[i]
                        }
                        revenue[c] = sum
                        margin[c] = marginSum
                        yearRevenue[c] = recent
                        guard purchases > 0 else { continue }  // only returns: no purchase to count from
                        if days > 0 { repeatSum += dayTotal }
                        let repeatDays = days
                        orders[c] = Double(purchases)
                        first[c] = firstDay
                        last[c] = lastDay
                        frequency[c] = Double(repeatDays)
                        recency[c] = Double(lastDay - firstDay) / 7
                        age[c] = Double(asOf - firstDay) / 7
                        monetary[c] = repeatDays > 0 ? repeatSum / Double(repeatDays) : 0
                        daysSince[c] = Double(asOf - lastDay)
                        aov[c] = sum / Double(purchases)
                    }
                }
            }
        }
        if !transactions.marginKnown { margin = [Double](repeating: .nan, count: n) }
        var costToServe = [Double](repeating: 0, count: n)
        if let activities {
            for i in activities.customer.indices {
                costToServe[Int(activities.customer[i])] += activities.quantity[i] * activities.unitCost[i]
            }
        }
        let profit = (0..<n).map { margin[$0] - costToServe[$0] }
        var shareOfWallet = [Double](repeating: .nan, count: n)
        if let wallet = table.optionalNumbers(CustomerFields.wallet) {
            for c in 0..<n where wallet[c] > 0 { shareOfWallet[c] = yearRevenue[c] / wallet[c] }
        }
        let F = CustomerFields.self
        table.add(F.orders, .number(orders))
        table.add(F.revenue, .number(revenue))
        table.add(F.margin, .number(margin))
        table.add(F.firstPurchase, .date(first))
        table.add(F.lastPurchase, .date(last))
        table.add(F.frequency, .number(frequency))
        table.add(F.recency, .number(recency))
        table.add(F.age, .number(age))
        table.add(F.monetary, .number(monetary))
        table.add(F.daysSince, .number(daysSince))
        table.add(F.aov, .number(aov))
        table.add(F.costToServe, .number(costToServe))
        table.add(F.profit, .number(profit))
        table.add(F.shareOfWallet, .number(shareOfWallet))
    }
}
