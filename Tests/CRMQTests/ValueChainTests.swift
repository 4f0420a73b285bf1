import Foundation
import Testing
@testable import CRMQ

/// The rules of PRODUCT.md §5 on data small enough to do by hand.
@Suite struct ValueChainTests {
    @Test func rfm_scores_count_the_quintile_cuts_below_the_value() {
        // −days_since of five customers: −50, −40, −30, −20, −10. The 20/40/60/80% cuts with
        // linear interpolation sit at positions 0.8, 1.6, 2.4, 3.2: −42, −34, −26, −18.
        let (scores, cuts) = RFM.scores([-10, -20, -30, -40, -50])
        #expect(cuts == [-42, -34, -26, -18])
        #expect(scores == [5, 4, 3, 2, 1])  // −10 is above all four cuts: 1 + 4
    }

    @Test func equal_values_share_the_lower_score() {
        // Cuts of [1, 1, 1, 1, 9]: positions 0.8, 1.6, 2.4, 3.2 give 1, 1, 1, 1 + 0.2 × 8 = 2.6.
        // A 1 is above none of them: score 1, the lowest value's; 9 is above all four: 5.
        let (scores, cuts) = RFM.scores([1, 1, 1, 1, 9, .nan])
        #expect(zip(cuts, [1, 1, 1, 2.6]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(Array(scores.prefix(5)) == [1, 1, 1, 1, 5])
        #expect(scores[5] == 0)  // no value, no score
        // A value at a cut takes the lower score: with cuts 1, 2, 4, 8, orders 2 is above one (F2).
        #expect(RFM.scores([1, 2, 3, 8, 9], given: [1, 2, 4, 8]).scores == [1, 2, 3, 4, 5])
    }

    @Test func set_rfm_cuts_replaces_the_quantiles_per_score() {
        // days_since of A…E as of 2024-12-31: 0, 30, 31, 200, 400 (bought 2024-12-31, 12-01, 11-30,
        // 06-14, 2023-11-27). With recency cuts 30, 90, 180, 365 days: 0 is under all four (R5),
        // 30 under three (a value at a cut takes the lower score: R4), 31 under three (R4),
        // 200 under one (R2), 400 under none (R1).
        let f = Fixture([
            "snapshot.json": #"{"as_of": "2024-12-31"}"#,
            "customers.csv": "id\nA\nB\nC\nD\nE\n",
            "transactions.csv": """
                customer_id,date,amount
                A,2024-12-31,10
                B,2024-12-01,10
                C,2024-11-30,10
                D,2024-06-14,10
                E,2023-11-27,10
                """,
        ])
        let session = Session()
        _ = run("load \"\(f.directory)\"", session: session)
        #expect(run("customers show days_since", session: session, mode: .csv).out == "days_since\n0\n30\n31\n200\n400\n")
        _ = run("set rfm_cuts recency = 30, 90, 180, 365", session: session)
        #expect(run("customers show r_score", session: session, mode: .csv).out == "r_score\n5\n4\n4\n2\n1\n")
        let cuts = run("rfm", session: session, mode: .csv).out
        // Shown in score order: cut k divides score k from k + 1, so recency's days run down.
        #expect(cuts.contains("recency,days_since,365,180,90,30,set\n"), "\(cuts)")
        _ = run("set rfm_cuts recency = quantiles", session: session)
        // Quantiles of −days_since (−400, −200, −31, −30, 0): −240, −80.2, −30.6, −6; 0 is above
        // all four (5), −30 above three (4), −31 above two (3), −200 above one (2), −400 none (1).
        #expect(run("customers show r_score", session: session, mode: .csv).out == "r_score\n5\n4\n3\n2\n1\n")
        #expect(run("set rfm_cuts frequency = 1, 2, 4", session: session).err.contains("four cuts, not 3"))
        #expect(run("set rfm_cuts frequency = 4, 2, 1, 8", session: session).err.contains("the cuts go up"))
        #expect(run("set rfm_cuts often = 1, 2, 3, 4", session: session).err.contains("unknown RFM score `often`"))
    }

    @Test func the_first_segment_that_fits_wins() {
        func segment(_ r: Int, _ f: Int, _ m: Int) -> String {
            RFM.segments.first { $0.r.contains(r) && $0.f.contains(f) && $0.m.contains(m) }?.name ?? "Others"
        }
        #expect(segment(5, 5, 5) == "Champions")
        #expect(segment(5, 3, 3) == "Loyal Customers")       // not Champions (F 3), Loyal first
        #expect(segment(5, 1, 1) == "Potential Loyalist")    // before New Customers in the list
        #expect(segment(3, 2, 2) == "Potential Loyalist")    // before Need Attention
        #expect(segment(2, 2, 2) == "Need Attention")
        #expect(segment(1, 5, 5) == "At Risk")               // before Can't Lose Them
        #expect(segment(1, 1, 1) == "Lost")
        #expect(segment(2, 1, 4) == "Others")
    }

    @Test func portfolio_groups_by_profit_now_and_clv_potential() {
        // profit > 0 is "now"; clv > 100 is "potential" (PRODUCT.md §5: strictly above, so a
        // customer exactly at the threshold, like a mass of one-time buyers at the median, is not).
        let groups = Portfolio.classify(profit: [10, 10, -5, -5, 0, .nan, 10], clv: [150, 50, 101, 100, 500, 10, 100], threshold: 100).map(Portfolio.name)
        #expect(groups == ["invest", "nurture", "re-engineer", "sack", "re-engineer", nil, "nurture"])  // a profit of 0 is not profitable
    }

    @Test func the_acme_story_shows_in_the_portfolio() {
        let session = Session()
        let out = run("load \"\(repositoryRoot)/examples/acme\"\ncustomers where id = 'ACME' show portfolio, rfm_segment", session: session, mode: .csv).out
        #expect(out.hasPrefix("message\n\"loaded acme: 61 customers"))  // the load says so on stdout too
        #expect(out.hasSuffix("\nportfolio,rfm_segment\nre-engineer,Champions\n"))  // the biggest customer: unprofitable, a "champion" by volume
        #expect(run("set potential_threshold = 1m\ncount where portfolio = 'invest'", session: session, mode: .csv).out.hasSuffix("customers\n0\n"))
    }

    /// acme as of 1990: nobody has bought, so profit adds up to 0. The sums stand; shares of 0
    /// are not numbers, so there is no curve, and plot says why (this crashed on NaN once).
    @Test func the_whale_curve_of_a_total_of_zero() {
        let session = Session()
        _ = run("load \"\(repositoryRoot)/examples/acme\" as of 1990-01-01", session: session)
        let result = run("pareto", session: session)
        #expect(result.outcome == .completed, "\(result.err)")
        #expect(result.out.contains("the profit of these customers adds up to 0, so it has no shares and no curve"))
        let path = NSTemporaryDirectory() + "crmq-zero-\(UUID().uuidString).svg"
        let plot = run("plot pareto by revenue to \"\(path)\"", session: session)
        #expect(plot.outcome == .failed && plot.err.contains("the revenue of these customers adds up to 0"), "\(plot.err)")
        #expect(!FileManager.default.fileExists(atPath: path))
        // A curve with a point that is not a number still draws, at 0.
        let chart = Chart(title: "t", kind: .curve(points: [0.5, .nan, .infinity, 1], xLabel: "x"))
        #expect(!ChartSVG.render(chart).contains("nan") && !ChartText(color: false).render(chart).isEmpty)
    }

    @Test func the_whale_curve_by_hand() {
        // Ranked: 50, 30, 10, −5, −20; total 65. The cumulative curve peaks at 50 + 30 + 10 = 90
        // after three customers (90/65 = 138.5%); the two below zero destroy −25.
        let curve = WhaleCurve([10, -20, 50, -5, 30, .nan])
        #expect(curve.total == 65)
        #expect(curve.peak.value == 90 && curve.peak.customers == 3)
        #expect(curve.destroyed == -25)
        #expect(curve.top(0.2) == 1 && curve.cumulative(curve.top(0.2)) == 50)  // ⌈0.2 × 5⌉ = 1
        #expect(curve.top(0.5) == 3)                                               // ⌈2.5⌉ = 3
        #expect(curve.top(0.01) == 1)                                              // at least one
    }

    @Test func the_radix_sort_orders_as_a_sort_does() {
        // Negatives, zeros of both signs, ties, infinities, tiny and huge values, in a random order.
        var generator = SystemRandomNumberGenerator()
        var values = (0..<5000).map { _ in Double.random(in: -1e6...1e6, using: &generator) }
        values += [0, -0.0, 0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .infinity, -.infinity, 1e308, -1e308] + [Double](repeating: 42, count: 100)
        values.shuffle()
        #expect(RadixSort.descending(values) == values.sorted(by: >))
        #expect(RadixSort.descending([3, -1, .nan, 2]) == [3, 2, -1])  // NaN is left out
        // The order: largest first, equal figures (0 and −0 too) by index, long and short lists.
        for n in [10, 5000] {
            let choices: [Double] = [0, -0.0, 1, 2.5, -3]
            let tied = (0..<n).map { _ in choices[Int.random(in: 0..<5, using: &generator)] }
            let expected = (0..<Int32(n)).sorted { (i: Int32, j: Int32) -> Bool in
                let (a, b) = (tied[Int(i)], tied[Int(j)])
                return a > b || (a == b && i < j)
            }
            #expect(RadixSort.descendingOrder(tied) == expected)
        }
    }

    @Test func strategic_ranks_equal_those_of_a_full_sort() {
        // Ranks come from a selection for the top 20% and a count for the others of some kind;
        // a full stable sort of everyone (largest first, ties by index) must give the same.
        var generator = SystemRandomNumberGenerator()
        for n in [11, 100, 3001] {  // equal volumes: 1/11 is under the 10% of a cost magnet
            let clv = (0..<n).map { _ in Double(Int.random(in: -5...40, using: &generator)) }  // many ties
            let benchmark = (0..<n).map { _ in UInt8(Int.random(in: 0..<10, using: &generator) == 0 ? 1 : 0) }
            let e = StrategicCustomers.find(
                clv: clv, benchmark: benchmark, referrals: nil, inspiration: nil, ideas: nil,
                volume: [Double](repeating: 1, count: n), volumeIsUnits: true)
            let order = RadixSort.descendingOrder(clv)
            var rank = [Int32](repeating: 0, count: n)
            for (k, c) in order.enumerated() { rank[Int(c)] = Int32(k + 1) }
            let top = Int((0.2 * Double(n)).rounded(.up))
            let expected = order.filter { rank[Int($0)] <= top && clv[Int($0)] > 0 || benchmark[Int($0)] == 1 }
            #expect(e.ranked == expected)
            #expect(e.clvRank == expected.map { rank[Int($0)] })
        }
    }

    @Test func quintile_cuts_by_selection_equal_those_of_a_sort() {
        var generator = SystemRandomNumberGenerator()
        for n in [1, 2, 3, 7, 100, 1001] {
            var values = (0..<n).map { _ in Double(Int.random(in: 0...20, using: &generator)) }  // many ties
            values.append(.nan)
            let sorted = values.filter { !$0.isNaN }.sorted()
            #expect(RFM.cuts(values) == [0.2, 0.4, 0.6, 0.8].map { RFM.quantile(sorted, $0) })
        }
    }

    @Test func strategically_significant_customers_by_hand() {
        // Ten customers: the top 20% by clv are the first two; customer 2 is marked a benchmark,
        // 3 has three referrals; 4 has an idea, 5 is marked an inspiration; of 100 units,
        // customer 9 has 50 and customer 8 has exactly 10 (10% counts).
        let e = StrategicCustomers.find(
            clv: [100, 90, 80, 70, 60, 0, 50, 40, 30, 20],
            benchmark: [0, 0, 1, 0, 0, 0, 0, 0, 0, 0], referrals: [0, 0, 0, 3, 2, 0, 0, 0, 0, 0],
            inspiration: [0, 0, 0, 0, 0, 1, 0, 0, 0, 0], ideas: [0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
            volume: [5, 5, 5, 5, 5, 5, 5, 5, 10, 50], volumeIsUnits: true)
        #expect(e.kinds(of: 0) == ["high lifetime value"] && e.kinds(of: 1) == ["high lifetime value"])
        #expect(e.kinds(of: 2) == ["benchmark"] && e.kinds(of: 3) == ["benchmark"])
        #expect(e.kinds(of: 4) == ["inspiration"] && e.kinds(of: 5) == ["inspiration"])
        #expect(e.kinds(of: 8) == ["cost magnet"] && e.kinds(of: 9) == ["cost magnet"])
        #expect(e.kinds(of: 6).isEmpty && e.kinds(of: 7).isEmpty)
        // Ranked from the highest clv: 0, 1, 2, 3, 4 (ranks 1–5; 6 and 7 at 50 and 40 are of no
        // kind), 8 and 9 (30 and 20: ranks 8 and 9), and 5 last (clv 0: rank 10).
        #expect(e.ranked == [0, 1, 2, 3, 4, 8, 9, 5] && e.clvRank == [1, 2, 3, 4, 5, 8, 9, 10])
    }
}

/// Gale's customer value map on acme's retail star, by hand.
@Suite struct CustomerValueMapTests {
    // Retail in examples/acme/valuestar.csv: importance, ours, theirs.
    static let retail = CustomerValueMap(dimensions: [
        .init(name: "people", importance: 2, ours: 4, theirs: 5),
        .init(name: "process", importance: 5, ours: 5, theirs: 9),
        .init(name: "product", importance: 1, ours: 8, theirs: 4),
        .init(name: "price", importance: 4, ours: 9, theirs: 8),
        .init(name: "service", importance: 4, ours: 5, theirs: 9),
        .init(name: "location", importance: 4, ours: 7, theirs: 4),
        .init(name: "servicescape", importance: 5, ours: 9, theirs: 8),
        .init(name: "communication", importance: 4, ours: 8, theirs: 4),
    ])

    @Test func quality_price_and_the_value_advantage() {
        let map = Self.retail
        // Quality, price left out: Σ w·ours = 2·4 + 5·5 + 1·8 + 4·5 + 4·7 + 5·9 + 4·8 = 166;
        // Σ w·theirs = 2·5 + 5·9 + 1·4 + 4·9 + 4·4 + 5·8 + 4·4 = 167. Q = 166 / 167.
        #expect(abs(map.relativeQuality - 166.0 / 167) < 1e-15)
        // Price rated 9 by our customers against the competitor's 8: P = 8 / 9.
        #expect(abs(map.relativePrice - 8.0 / 9) < 1e-15)
        // Importance: 25 of 29 on quality, 4 on price.
        #expect(abs(map.qualityWeight - 25.0 / 29) < 1e-15 && abs(map.priceWeight - 4.0 / 29) < 1e-15)
        // V = 25/29 × (166/167 − 1) − 4/29 × (8/9 − 1) = −0.0051621 + 0.0153257 = 0.0101636.
        let v = 25.0 / 29 * (166.0 / 167 - 1) - 4.0 / 29 * (8.0 / 9 - 1)
        #expect(abs(map.valueAdvantage - v) < 1e-15 && abs(v - 0.0101636) < 1e-7)
        // The fair-value line at our quality: 1 + 25/4 × (166/167 − 1) = 0.962575.
        #expect(abs(map.fairPrice - (1 + 25.0 / 4 * (166.0 / 167 - 1))) < 1e-15)
        #expect(ValueMapReport.position(map.valueAdvantage) == "better value")
    }

    @Test func one_point_more_moves_quality_by_its_importance_and_price_by_the_ratio() {
        let map = Self.retail
        // Process (importance 5): Q gains 5 / 167, V gains 25/29 × 5/167 = 0.025810.
        #expect(abs(map.valuePerPoint(1) - 25.0 / 29 * 5 / 167) < 1e-12)
        // Price 9 → 10: P falls from 8/9 to 8/10, V gains 4/29 × (8/9 − 8/10) = 0.012261.
        #expect(abs(map.valuePerPoint(3) - 4.0 / 29 * (8.0 / 9 - 0.8)) < 1e-12)
        #expect(ValueMapReport.bestLever(map) == 1)  // process and servicescape tie at 5; the first wins
    }

    @Test func without_importance_on_price_the_line_stands_upright() {
        let map = CustomerValueMap(dimensions: [
            .init(name: "product", importance: 3, ours: 6, theirs: 5),
            .init(name: "price", importance: 0, ours: 5, theirs: 5),
        ])
        #expect(map.fairPrice.isNaN)
        #expect(abs(map.valueAdvantage - 0.2) < 1e-15)  // 1 × (6/5 − 1) − 0 × (5/5 − 1)
        #expect(map.fairValueLine(across: 0.5...1.5).allSatisfy { $0.q == 1 })
    }

    @Test func the_statement_refuses_a_segment_without_a_price_row() {
        let f = Fixture([
            "customers.csv": "id,segment\nA,retail\n",
            "transactions.csv": "customer_id,date,amount\nA,2024-01-01,10\n",
            "valuestar.csv": "segment,dimension,importance,score,competitor_score\nretail,product,3,6,5\n",
        ])
        let session = Session()
        _ = run("load \"\(f.directory)\"", session: session)
        #expect(run("valuemap for segment retail", session: session).err.contains("needs a price row for retail"))
        let all = run("valuemap", session: session, mode: .csv).out
        #expect(all.contains("retail,1,10,1.2,,,,unknown,\n"), "\(all)")  // no price: no price, no line, no advantage
    }
}
