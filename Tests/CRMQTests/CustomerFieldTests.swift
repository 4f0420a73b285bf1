import Foundation
import Testing
@testable import CRMQ

/// The per-customer fields of PRODUCT.md §3, each on data small enough to do by hand.
@Suite struct CustomerFieldTests {
    static let fixture = Fixture([
        "snapshot.json": #"{"name": "hand", "as_of": "2024-03-31", "margin_rate": 0.25}"#,
        "customers.csv": "id,name,wallet\nA,Anna,1000\nB,Bert,\nC,Cleo,500\n",
        // A buys twice on 1 Jan (one purchase day), then on 15 Jan and 29 Jan; B once; C never.
        // The April row is after as_of and is set aside.
        "transactions.csv": """
            customer_id,date,amount,margin
            A,2024-01-01,10,4
            A,2024-01-01,30,
            A,2024-01-15,50,20
            A,2024-01-29,70,
            B,2024-03-01,100,40
            A,2024-04-02,999,1
            """,
        "activities.csv": "customer_id,date,activity,quantity\nA,2024-01-02,delivery,2\nA,2024-02-01,call,\nB,2024-05-01,call,1\n",
        "activity_rates.csv": "activity,unit_cost\ndelivery,7.5\ncall,3\n",
    ])

    let snapshot: Snapshot

    init() throws { snapshot = try Self.fixture.load() }

    @Test func orders_count_transaction_rows_up_to_as_of() {
        #expect(snapshot.number("orders", "A") == 4)  // the April row is later than as_of
        #expect(snapshot.number("orders", "C") == 0)
        #expect(snapshot.setAside["transactions.csv"] == 1)
    }

    @Test func frequency_counts_repeat_purchase_days_only() {
        // Purchase days: 1 Jan (two rows), 15 Jan, 29 Jan → 3 days → 2 repeat purchases.
        #expect(snapshot.number("frequency", "A") == 2)
        #expect(snapshot.number("frequency", "B") == 0)
        #expect(snapshot.number("frequency", "C").isNaN)
    }

    @Test func recency_and_age_are_weeks_from_the_first_purchase_day() {
        // recency: 29 Jan − 1 Jan = 28 days = 4 weeks; age: 31 Mar − 1 Jan = 90 days = 90/7 weeks.
        #expect(snapshot.number("recency", "A") == 4)
        #expect(snapshot.number("age", "A") == 90.0 / 7)
        #expect(snapshot.number("recency", "B") == 0)
        #expect(snapshot.number("age", "B") == 30.0 / 7)  // 1 Mar → 31 Mar
    }

    @Test func monetary_is_the_mean_of_the_repeat_days_and_zero_without_repeats() {
        // Repeat days: 15 Jan (50) and 29 Jan (70); the first day (10 + 30) does not count.
        #expect(snapshot.number("monetary", "A") == 60)
        #expect(snapshot.number("monetary", "B") == 0)
    }

    @Test func revenue_margin_and_average_order_value() {
        #expect(snapshot.number("revenue", "A") == 160)  // 10 + 30 + 50 + 70
        // Margins: 4 + (30 × 0.25 = 7.5, the row has none) + 20 + (70 × 0.25 = 17.5) = 49.
        #expect(snapshot.number("margin", "A") == 49)
        #expect(snapshot.number("aov", "A") == 40)  // 160 / 4
        #expect(snapshot.number("aov", "C").isNaN)
    }

    @Test func a_negative_amount_is_a_return_and_a_zero_amount_a_purchase() throws {
        let f = Fixture([
            "customers.csv": "id\nA\nB\nC\n",
            // A buys 100 on 1 Jan, returns 30 on 5 Jan and 20 on 12 Feb, buys 50 on 1 Feb; B only
            // returns; C's one row is a purchase of 0 (CDNOW has 80 of those); a later return of A's
            // is set aside but is no holdout purchase.
            "transactions.csv": """
                customer_id,date,amount,margin,quantity
                A,2024-01-01,100,40,2
                A,2024-01-05,-30,-12,1
                A,2024-02-01,50,20,1
                A,2024-02-12,-20,-8,1
                B,2024-01-03,-20,-8,1
                C,2024-01-02,0,0,1
                A,2024-03-01,-5,-2,1
                """,
        ])
        let s = try f.load(asOf: "2024-02-15")
        #expect(s.number("revenue", "A") == 100)  // 100 − 30 + 50 − 20
        #expect(s.number("margin", "A") == 40)  // 40 − 12 + 20 − 8
        #expect(s.number("orders", "A") == 2)  // the two purchases; the returns are not orders
        #expect(s.number("frequency", "A") == 1)  // purchase days 1 Jan and 1 Feb
        #expect(s.number("recency", "A") == 31.0 / 7)  // 1 Jan → 1 Feb, not to the 12 Feb return
        #expect(s.date("last_purchase", "A") == "2024-02-01")
        #expect(s.number("days_since", "A") == 14)  // 1 Feb → 15 Feb
        #expect(s.number("monetary", "A") == 50)  // the repeat day's 50; returns are not spend per purchase
        #expect(s.number("aov", "A") == 50)  // revenue 100 / 2 orders
        #expect(s.number("revenue", "B") == -20)
        #expect(s.number("orders", "B") == 0)
        #expect(s.number("frequency", "B").isNaN && s.date("first_purchase", "B") == nil && s.number("aov", "B").isNaN)
        #expect(s.number("orders", "C") == 1 && s.number("frequency", "C") == 0 && s.number("revenue", "C") == 0)
        #expect(s.setAside["transactions.csv"] == 1 && s.transactions.later.count == 0)
    }

    @Test func set_margin_rate_fills_the_margins_the_data_does_not_give() throws {
        let session = Session()
        _ = try session.load(directory: Self.fixture.directory, name: "hand")
        // snapshot.json's 25%: A's margins are 4 + 30 × 0.25 + 20 + 70 × 0.25 = 49.
        #expect(session.current!.number("margin", "A") == 49)
        // At 50% the gaps are 15 and 35: 4 + 15 + 20 + 35 = 74; the file's own margins stay.
        _ = run("set margin_rate = 50%", session: session)
        #expect(session.current!.number("margin", "A") == 74)
        #expect(session.current!.number("profit", "A") == 74 - 18)  // cost to serve 2 × 7.5 + 3 = 18
        #expect(run("settings", session: session).out.contains("margin_rate          50%"))
        // `none` goes back to snapshot.json's rate.
        _ = run("set margin_rate = none", session: session)
        #expect(session.current!.number("margin", "A") == 49)

        // An export without margins has none until a rate is set; a later load gets the rate too.
        let f = Fixture(["orders.csv": "customer,date,amount\nA,2024-01-01,100\nA,2024-02-01,-20\nB,2024-01-05,50\n"])
        let loaded = run("load \"\(f.directory)/orders.csv\"\ncustomers show id, margin", session: session, mode: .csv)
        #expect(loaded.out.contains("id,margin\nA,\nB,\n"), "\(loaded.out)")
        _ = run("set margin_rate = 30%\nload \"\(f.directory)/orders.csv\" as again", session: session)
        #expect(session.current!.name == "again")
        #expect(abs(session.current!.number("margin", "A") - 24) < 1e-9)  // 30% of 100 − 20
        #expect(session.current!.number("margin", "B") == 15)
        #expect(run("set margin_rate = 2", session: session).err.contains("write the rate as a percentage"))
        #expect(run("set fixed_costs = 120000\nsettings", session: session, mode: .csv).out.contains("fixed_costs,120000,set,"))
    }

    @Test func first_last_and_days_since() {
        #expect(snapshot.date("first_purchase", "A") == "2024-01-01")
        #expect(snapshot.date("last_purchase", "A") == "2024-01-29")
        #expect(snapshot.number("days_since", "A") == 62)  // 29 Jan → 31 Mar: 2 + 29 + 31
        #expect(snapshot.date("last_purchase", "C") == nil)
    }

    @Test func cost_to_serve_and_profit_by_activity_based_costing() {
        // A: 2 deliveries × 7.50 + 1 call (quantity defaults to 1) × 3 = 18; B's call is after as_of.
        #expect(snapshot.number("cost_to_serve", "A") == 18)
        #expect(snapshot.number("cost_to_serve", "B") == 0)
        #expect(snapshot.number("profit", "A") == 31)  // 49 − 18
        #expect(snapshot.setAside["activities.csv"] == 1)
    }

    @Test func share_of_wallet_is_the_last_52_weeks_revenue_over_the_wallet() {
        #expect(snapshot.number("share_of_wallet", "A") == 0.16)  // 160 / 1000
        #expect(snapshot.number("share_of_wallet", "B").isNaN)  // no wallet
        #expect(snapshot.number("share_of_wallet", "C") == 0)  // 0 / 500
    }

    @Test func as_of_views_the_snapshot_on_an_earlier_day() throws {
        let early = try Self.fixture.load(asOf: "2024-01-20")
        #expect(early.number("orders", "A") == 3)
        #expect(early.number("frequency", "A") == 1)
        #expect(early.number("days_since", "A") == 5)  // 15 Jan → 20 Jan
        #expect(early.setAside["transactions.csv"] == 3)
    }

    @Test func margin_is_unknown_without_a_margin_column_or_rate() throws {
        let f = Fixture([
            "customers.csv": "id\nX\n",
            "transactions.csv": "customer_id,date,amount\nX,2024-01-01,5\n",
        ])
        let s = try f.load()
        #expect(s.number("margin", "X").isNaN)
        #expect(s.number("profit", "X").isNaN)
        #expect(s.info.asOf == CalendarDay.parse("2024-01-01"))  // as_of defaults to the last transaction
    }

    @Test func extra_customer_columns_are_kept_with_an_inferred_type() throws {
        let f = Fixture([
            "customers.csv": "id,Employees,Founded,Listed,Account Manager\nX,12,1999-01-01,true,Ana\nY,,2001-05-05,false,\n",
            "transactions.csv": "customer_id,date,amount\nX,2024-01-01,5\n",
        ])
        let s = try f.load()
        #expect(s.customers.field("employees")?.type == .number)
        #expect(s.customers.field("founded")?.type == .date)
        #expect(s.customers.field("listed")?.type == .bool)
        #expect(s.customers.field("account_manager")?.type == .text)
        #expect(s.number("employees", "Y").isNaN)
    }

    /// The published CDNOW calibration summary (Fader, Hardie & Lee), as `reference.json` holds it.
    @Test func cdnow_summary_matches_the_published_one() throws {
        let directory = repositoryRoot + "/examples/cdnow-sample"
        let s = try SnapshotLoader(directory: directory, name: "cdnow", asOf: CalendarDay.parse("1997-09-30")).load()
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/reference.json"))
        let reference = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(s.customers.count == reference["customers"] as? Int)
        guard case .number(let frequency) = s.customers.column("frequency") else { Issue.record(); return }
        #expect(frequency.filter { $0 > 0 }.count == reference["repeaters"] as? Int)
        for customer in try #require(reference["customers_sample"] as? [[String: Any]]) {
            let id = try #require(customer["customer_id"] as? String)
            #expect(s.number("frequency", id) == customer["frequency"] as? Double, "\(id)")
            for (field, key) in [("recency", "recency_weeks"), ("age", "T_weeks"), ("monetary", "monetary")] {
                let expected = try #require(customer[key] as? Double)
                #expect(abs(s.number(field, id) - expected) < 1e-6, "\(field) of \(id)")
            }
        }
    }
}
