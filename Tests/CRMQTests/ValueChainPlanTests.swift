import Foundation
import Testing
@testable import CRMQ

/// Credit, the value star, plans, snapshot comparison and what-if (PRODUCT.md §5), each
/// rule on data small enough to check by hand.
@Suite struct ValueChainPlanTests {
    private func day(_ text: String) -> Int32 { CalendarDay.parse(text)! }

    @Test func credit_score_by_hand() {
        // As of 2024-12-31. Customer 0: four invoices of 100 —
        //   due 03-01 paid 03-01 (0 days late), due 05-01 paid 05-11 (10), due 08-01 paid 08-31 (30),
        //   due 12-01 unpaid (30 days late on as_of).
        //   on_time = 1/4 = 0.25; days_late = (0 + 10 + 30 + 30) / 4 = 17.5;
        //   punctuality = 1 − 17.5/60 = 0.708333; unpaid_share = 100/400 = 0.25
        //   base = 100 × (0.4 × 0.25 + 0.3 × 0.708333 + 0.3 × 0.75) = 10 + 21.25 + 22.5 = 53.75
        //   trend: paid invoices due after as_of − 182 days (2024-07-02): 08-01 (30);
        //   due in the 182 days before that: 03-01 (0), 05-01 (10), mean 5 → trend 25 days,
        //   25 / 2 = 12.5 points off (under the 15 limit) → score 41.25, grade D.
        // Customer 1: one invoice due on as_of, unpaid: not late yet (on time), but all unpaid:
        //   base = 100 × (0.4 × 1 + 0.3 × 1 + 0.3 × 0) = 70, no trend → 70, grade B.
        // Customer 2: no invoice, no score.
        let payments = PaymentTable(
            customer: [0, 0, 0, 0, 1],
            due: ["2024-03-01", "2024-05-01", "2024-08-01", "2024-12-01", "2024-12-31"].map(day),
            paid: [day("2024-03-01"), day("2024-05-11"), day("2024-08-31"), CalendarDay.null, CalendarDay.null],
            amount: [100, 100, 100, 100, 50])
        let facts = Credit.facts(payments, customers: 3, asOf: day("2024-12-31"))
        #expect(facts[0].onTimeShare == 0.25 && facts[0].meanDaysLate == 17.5 && facts[0].unpaidShare == 0.25)
        #expect(abs(facts[0].base - 53.75) < 1e-9)
        #expect(facts[0].trend == 25 && facts[0].trendWord == "worsening")
        #expect(abs(facts[0].score - 41.25) < 1e-9 && Credit.grade(facts[0].score) == "D")
        #expect(facts[1].score == 70 && Credit.grade(facts[1].score) == "B")
        #expect(facts[2].score.isNaN && Credit.grade(facts[2].score) == nil)
        // Grade edges: A from 85, B from 70, C from 50.
        #expect([85, 84.99, 70, 69.99, 50, 49.99, 0].map { Credit.grade($0)! } == ["A", "B", "B", "C", "C", "D", "D"])
    }

    @Test func a_trend_moves_the_score_at_most_fifteen_points_down_and_five_up() {
        var f = Credit.Facts()
        f.recent = (1, 100)   // 100 days late now
        f.before = (1, 0)     // on time before: +100 days → 50 points, capped at 15
        #expect(f.trendPoints == 15)
        f.recent = (1, 0)
        f.before = (1, 100)   // 100 days better → −50, capped at −5
        #expect(f.trendPoints == -5)
    }

    @Test func days_late_past_what_a_sum_can_hold_stay_very_late() {
        // 40,000 open invoices due 100,000 days before as_of: 4 × 10⁹ days late in all, past
        // Int32's 2,147,483,647. The sum holds at that bound instead of wrapping to negative.
        let n = 40_000
        let payments = PaymentTable(
            customer: [Int32](repeating: 0, count: n), due: [Int32](repeating: 0, count: n),
            paid: [Int32](repeating: CalendarDay.null, count: n), amount: [Double](repeating: 1, count: n))
        let f = Credit.facts(payments, customers: 1, asOf: 100_000)[0]
        #expect(f.daysLateSum == Int32.max)
        #expect(f.meanDaysLate > 50_000)  // 2,147,483,647 / 40,000 ≈ 53,687
        #expect(f.score == 0 && Credit.grade(f.score) == "D")  // nothing on time, nothing paid
    }

    @Test func value_star_weighted_gaps_by_hand() {
        // people: importance 2, 7 against 5 → 2 × 2 = 4; price: 4, 4 against 6 → 4 × −2 = −8;
        // service: 1, 8 against 8 → 0. Weighted scores: ours (14 + 16 + 8) / 7 = 38/7,
        // the competitor's (10 + 24 + 8) / 7 = 6. Ranked by weighted gap: people, service, price.
        let star = ValueStarReport.Star(segment: "s", dimensions: [("people", 2, 7, 5), ("price", 4, 4, 6), ("service", 1, 8, 8)])
        #expect((0..<3).map(star.weightedGap) == [4, -8, 0])
        #expect(abs(star.weightedScores.ours - 38.0 / 7) < 1e-12 && star.weightedScores.theirs == 6)
        #expect(star.ranked == [0, 2, 1])
    }

    @Test func development_potential_by_hand() {
        // Wallet 1,000, 400 with us: gap 600 × margin ratio 25% = 150 a year of potential.
        // Target: close a quarter of the gap, (400 + 150) / 1,000 = 55%; worth 150 / 4 = 37.5.
        let d = Plans.Development(wallet: 1000, revenue52: 400, marginRatio: 0.25)
        #expect(d.gap == 600 && d.potential == 150 && d.share == 0.4)
        #expect(d.targetShare == 0.55 && d.cap == 37.5)
        #expect(Plans.Development(wallet: 300, revenue52: 400, marginRatio: 0.25).potential == 0)  // no gap when it buys more
    }

    @Test func retention_caps_never_exceed_the_value_at_risk_and_follow_the_group() throws {
        let session = Session()
        _ = try session.load(directory: repositoryRoot + "/examples/acme")
        let scope = CustomerScope(
            snapshot: session.current!, segments: [:], models: session.models, analytics: session.analytics, settings: session.settings)
        let cases = try Plans(scope: scope).retentionCases().cases.compactMap { $0 }
        #expect(cases.count == 61)
        #expect(cases.allSatisfy { $0.cap <= $0.valueAtRisk && $0.valueAtRisk >= 0 })
        #expect(cases.filter { $0.group == "sack" }.allSatisfy { $0.cap == 0 })
        // value at risk = clv × (1 − p_alive); an invest customer may spend half of it.
        let invest = cases.first { $0.group == "invest" }!
        #expect(abs(invest.valueAtRisk - invest.clv * (1 - invest.pAlive)) < 1e-9 && abs(invest.cap - invest.valueAtRisk / 2) < 1e-9)
        // The same plan for an invest and a re-engineer customer differs, and says why.
        let delta = run("load \"\(repositoryRoot)/examples/acme\"\nplan retention for DELTA").out
        let acme = run("load \"\(repositoryRoot)/examples/acme\"\nplan retention for ACME").out
        #expect(delta.contains("invest") && delta.contains("personal contact") && delta.contains("worth up to half the value at risk"))
        #expect(acme.contains("re-engineer") && acme.contains("cheaper channel") && acme.contains("a quarter of the value at risk"))
    }

    @Test func the_acquisition_cap_is_the_segments_mean_clv() throws {
        let session = Session()
        let plan = run("load \"\(repositoryRoot)/examples/acme\"\nplan acquisition for segment retail", session: session, mode: .json).out
        let clvs = run("customers where segment = 'retail' show clv", session: session, mode: .json).out
        let rows = try firstTableRows(clvs)
        let mean = rows.map { $0["clv"] as! Double }.reduce(0, +) / Double(rows.count)
        let record = try firstTableRows(plan)[0]
        #expect(rows.count == 15)
        #expect(abs(record["most_worth_paying"] as! Double - mean) < 1e-6)
    }

    @Test func more_retention_is_a_lower_effective_discount() {
        // Each month's purchases × (r'/r)^(m/12) at monthly rate d equals discounting at
        // d' = (1 + d) / (r'/r)^(1/12) − 1: (r'/r)^(m/12) / (1 + d)^m = 1 / (1 + d')^m.
        let months = [3.0, 2.5, 2.0, 1.8, 1.5, 1.2, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3]
        let (d, r, r2) = (0.008, 0.6, 0.65)
        let direct = months.indices.reduce(0.0) { $0 + months[$1] * pow(r2 / r, Double($1 + 1) / 12) / pow(1 + d, Double($1 + 1)) }
        let effective = LifetimeValue(horizonMonths: months.count, monthlyRate: (1 + d) / pow(r2 / r, 1.0 / 12) - 1).discounted(months)
        #expect(abs(direct - effective) < 1e-12)
    }

    @Test func whatif_retention_with_the_simple_model_by_hand() throws {
        // acme as of 2024-12-31: 44 of the 52 customers who bought in 2023 bought in 2024,
        // r = 0.846154; +5 points: r' = 0.896154; i = 10%. Every clv is m · r / (1 + i − r), so
        // the total moves by [r' / (1.1 − r')] / [r / (1.1 − r)] = 4.396226 / 3.333333 = 1.318868.
        let out = run("load \"\(repositoryRoot)/examples/acme\"\nset model = simple\nwhatif retention +5%", mode: .json).out
        let all = try firstTableRows(out).first { $0["group"] as? String == "all" }!
        let (r, r2) = (44.0 / 52, 44.0 / 52 + 0.05)
        let expected = (r2 / (1.1 - r2)) / (r / (1.1 - r))
        #expect(abs(all["clv_whatif"] as! Double / (all["clv"] as! Double) - expected) < 1e-9)
        #expect(all["profit_whatif"] as! Double == all["profit"] as! Double)  // retention changes the future, not profit to date
    }

    @Test func whatif_cost_to_serve_changes_profit_only_where_asked() throws {
        // Acme Corp: margin 44,573.60, cost to serve 120,305.00; −10% → 44,573.60 − 108,274.50 = −63,700.90,
        // so the total profit rises by 12,030.50 and nothing else moves.
        let out = run("load \"\(repositoryRoot)/examples/acme\"\nwhatif cost_to_serve -10% where id = 'ACME'", mode: .json).out
        let all = try firstTableRows(out).first { $0["group"] as? String == "all" }!
        #expect(abs((all["profit_whatif"] as! Double) - (all["profit"] as! Double) - 12_030.50) < 1e-6)
        #expect(all["clv_whatif"] as! Double == all["clv"] as! Double)
    }

    @Test func comparison_by_hand() throws {
        // Seen at 2023-12-31 and 2024-12-31. A bought in both years (retained); B only in 2023
        // (lost); C only in 2024 (new); D in 2022 and 2024 (new: not active in the 52 weeks to
        // 2023-12-31, won back). Active before: A, B → retention rate 1/2.
        let fixture = Fixture([
            "customers.csv": "id,region\nA,North\nB,North\nC,South\nD,South\n",
            "transactions.csv": "customer_id,date,amount\nA,2023-06-01,10\nA,2024-06-01,20\nB,2023-06-01,30\nC,2024-06-01,40\nD,2022-06-01,50\nD,2024-06-01,60\n",
        ])
        let session = Session()
        _ = run("load \"\(fixture.directory)\" as a as of 2023-12-31\nload \"\(fixture.directory)\" as b as of 2024-12-31", session: session)
        let out = run("compare a b by region", session: session, mode: .csv)
        #expect(out.out.hasPrefix("customers,count,revenue_52_weeks,clv\nretained,1,20,"))  // A's 2024 revenue
        #expect(out.out.contains("\nlost,1,30,"))   // B's 2023 revenue
        #expect(out.out.contains("\nnew,2,100,"))   // C 40 + D 60
        // The headline is in every mode: at the prompt, and as a note in CSV and JSON.
        let people = run("compare a b by region", session: session).out
        #expect(people.contains("retention rate 50.0%: 1 of the 2 customers") && people.contains("1 of the new had bought before"))
        #expect(out.out.contains("\nnote\nretention rate 50.0%: 1 of the 2 customers"), "\(out.out)")
        let notes = try documents(run("compare a b by region", session: session, mode: .json).out)[0]["tables"] as! [[String: Any]]
        #expect((notes[0]["notes"] as! [String]).contains { $0.hasPrefix("retention rate 50.0%") })
        // The migration by region: everyone stays in their region.
        #expect(out.out.contains("from \\ to,North,South\nNorth,2,0\nSouth,0,2\n"))
    }
}
