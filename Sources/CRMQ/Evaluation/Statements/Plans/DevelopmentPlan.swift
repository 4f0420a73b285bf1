/// The development plan: the share-of-wallet gap (wallet − revenue of the last 52 weeks)
/// times the margin ratio is the development potential, a year's margin still to win. The
/// target closes a quarter of the gap in a year; what that quarter earns is the most worth
/// spending on it.
extension Plans {
    static let developmentTargetShare = 0.25

    struct Development {
        var wallet: Double
        var revenue52: Double
        var marginRatio: Double
        var gap: Double { max(0, wallet - revenue52) }
        var potential: Double { gap * marginRatio }
        var share: Double { wallet > 0 ? revenue52 / wallet : .nan }
        var targetShare: Double { wallet > 0 ? (revenue52 + gap * Plans.developmentTargetShare) / wallet : .nan }
        var cap: Double { potential * Plans.developmentTargetShare }
    }

    func developments() throws(Diagnostic) -> [Development?] {
        guard let wallet = scope.snapshot.customers.optionalNumbers(CustomerFields.wallet) else {
            throw Diagnostic("a development plan needs each customer's wallet (a wallet column in customers.csv), and \(scope.snapshot.name) has none")
        }
        let revenueToDate = scope.snapshot.customers.numbers(CustomerFields.revenue), margin = scope.snapshot.customers.numbers(CustomerFields.margin)
        let known = scope.snapshot.marginKnown
        return (0..<scope.count).map { c -> Development? in
            guard !wallet[c].isNaN else { return nil }
            let ratio = known && revenueToDate[c] > 0 && margin[c].isFinite ? margin[c] / revenueToDate[c] : 1
            return Development(wallet: wallet[c], revenue52: revenue(of: c, daysBefore: 364, to: 0), marginRatio: ratio)
        }
    }

    func development(customer c: Int) throws(Diagnostic) -> StatementResult {
        let customers = scope.snapshot.customers
        let label = "\(customers.label(c)) (\(customers.ids[c] ?? ""))"
        guard let d = try developments()[c] else { throw Diagnostic("\(label) has no wallet, so its share of wallet is unknown") }
        let (groups, _, _, _) = try scope.portfolio()
        let group = groups[c] ?? "no group"
        let missing = productsToOffer(c)
        var actions: [Prose] = []
        if d.gap <= 0 {
            actions.append("it already buys its whole wallet from us: defend it (see `plan retention for \(customers.ids[c] ?? "")`)")
        } else {
            if !missing.isEmpty { actions.append("cross-sell \(missing.joined(separator: ", "))") }
            actions.append("raise its share of wallet from \(percent(d.share)) to \(percent(d.targetShare)) in 12 months")
            if group == "re-engineer" || group == "sack" {
                actions.append("but it is \(group): grow it only where the extra sales cost little to serve")
            }
        }
        let text = Self.lines([
            ("who", "\(label), \(group)"),
            ("why", "wallet \(money(d.wallet)) a year, of which it spent \(money(d.revenue52)) with us in the last 52 weeks (\(percent(d.share)))\n"
                + "gap \(money(d.gap)) × margin ratio \(percent(d.marginRatio)) = development potential \(money(d.potential)) a year"),
            ("what to do", actions.joined(separator: "; ")),
            ("spend at most", "\(money(d.cap)) a year: the margin of the quarter of the gap the target closes"),
            ("success", d.gap > 0
                ? "share_of_wallet at \(percent(d.targetShare)) or more a year from now: revenue of \(money(d.revenue52 + d.gap * Self.developmentTargetShare)) in the 52 weeks"
                : "share_of_wallet stays at \(percent(d.share))"),
        ])
        let record = ResultTable(title: "development plan for \(label)", columns: [
            ResultColumn("wallet", unit: .money, .number([d.wallet])),
            ResultColumn("revenue_52_weeks", unit: .money, .number([d.revenue52])),
            ResultColumn("share_of_wallet", unit: .ratio, .number([d.share])),
            ResultColumn("gap", unit: .money, .number([d.gap])),
            ResultColumn("margin_ratio", unit: .ratio, .number([d.marginRatio])),
            ResultColumn("development_potential", unit: .money, .number([d.potential])),
            ResultColumn("target_share_of_wallet", unit: .ratio, .number([d.targetShare])),
            ResultColumn("spend_cap", unit: .money, .number([d.cap])),
        ], isRecord: true)
        return StatementResult([.message(text), .table(record)])
    }

    func development(segment: Members) throws(Diagnostic) -> StatementResult {
        let all = try developments()
        let customers = scope.snapshot.customers
        let rows = segment.rows.filter { all[$0] != nil }
        guard !rows.isEmpty else { throw Diagnostic("no customer of segment \(segment.name) has a wallet") }
        let ranked = rows.sorted { (all[$0]!.potential, customers.ids[$1] ?? "") > (all[$1]!.potential, customers.ids[$0] ?? "") }
        let top = Array(ranked.prefix(10))
        let potential = rows.reduce(0) { $0 + all[$1]!.potential }
        let wallet = rows.reduce(0) { $0 + all[$1]!.wallet }, revenue = rows.reduce(0) { $0 + all[$1]!.revenue52 }
        let list = ResultTable(title: "the customers with the most development potential", columns: [
            ResultColumn("id", .text(TextColumn(top.map { customers.ids[$0] }))),
            ResultColumn("name", .text(TextColumn(top.map { customers.label($0) }))),
            ResultColumn("share_of_wallet", unit: .ratio, .number(top.map { all[$0]!.share })),
            ResultColumn("gap", unit: .money, .number(top.map { all[$0]!.gap })),
            ResultColumn("development_potential", unit: .money, .number(top.map { all[$0]!.potential })),
            ResultColumn("spend_cap", unit: .money, .number(top.map { all[$0]!.cap })),
        ])
        let text = Self.lines([
            ("who", "\(count: rows.count, "customer") of \(segment.definition) with a wallet"),
            ("why", "together they spend \(money(wallet)) a year in the category, \(money(revenue)) with us (\(percent(wallet > 0 ? revenue / wallet : .nan)));\n"
                + "development potential \(money(potential)) of margin a year, the top ten \(money(top.reduce(0) { $0 + all[$1]!.potential }))"),
            ("what to do", "start with the top ten below: close a quarter of each gap in 12 months"),
            ("spend at most", "\(money(potential * Self.developmentTargetShare)) a year: the margin of a quarter of the gaps"),
            ("success", "the segment's share of wallet up from \(percent(wallet > 0 ? revenue / wallet : .nan)) to \(percent(wallet > 0 ? (revenue + rows.reduce(0) { $0 + all[$1]!.gap } * Self.developmentTargetShare) / wallet : .nan))"),
        ])
        return StatementResult([.message(text), .table(list)])
    }

    /// The products most customers of its segment buy and this customer does not: up to three.
    private func productsToOffer(_ c: Int) -> [String] {
        let t = scope.snapshot.transactions
        guard let product = t.product else { return [] }
        var peers = Array(0..<scope.count)
        if let segment = scope.snapshot.customers.text(CustomerFields.segment), segment.codes[c] >= 0 {
            peers = peers.filter { segment.codes[$0] == segment.codes[c] }
        }
        var buyers = [Int](repeating: 0, count: product.values.count)
        for p in peers {
            var seen = Set<Int32>()
            for i in t.rows(of: p) where product.codes[i] >= 0 { seen.insert(product.codes[i]) }
            for code in seen { buyers[Int(code)] += 1 }
        }
        let mine = Set(t.rows(of: c).map { product.codes[$0] })
        return buyers.indices.filter { buyers[$0] * 2 >= peers.count && !mine.contains(Int32($0)) }
            .sorted { (buyers[$0], product.values[$1]) > (buyers[$1], product.values[$0]) }
            .prefix(3).map { "\(product.values[$0]) (bought by \(buyers[$0]) of its \(peers.count) peers)" }
    }
}
