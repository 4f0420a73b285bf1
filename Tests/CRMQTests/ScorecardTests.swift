import Foundation
import Testing
@testable import CRMQ

/// The QCi scorecard's measures on three customers, each figure worked by hand.
@Suite struct ScorecardTests {
    // As of 2024-12-31 the last 52 weeks are 2024-01-02 … 2024-12-31 and the year before
    // 2023-01-03 … 2024-01-01.
    static let fixture = [
        "snapshot.json": #"{"as_of": "2024-12-31"}"#,
        "customers.csv": """
            id,acquired_on,acquisition_cost,wallet,satisfaction
            A,2023-01-01,50,1000,8
            B,,,500,4
            C,2024-10-01,100,600,
            """,
        "transactions.csv": """
            customer_id,date,amount,margin
            A,2023-03-01,100,40
            A,2024-06-01,200,80
            B,2023-05-01,50,10
            C,2024-11-01,300,60
            """,
        "payments.csv": """
            customer_id,due,paid,amount
            A,2024-06-10,2024-06-20,200
            C,2024-11-10,,300
            """,
    ]

    func line(_ csv: String, _ measure: String) -> String? {
        csv.split(separator: "\n").map(String.init).first { $0.contains(",\(measure),") }
    }

    @Test func each_measure_is_the_hand_computed_figure() {
        let f = Fixture(Self.fixture)
        let session = Session()
        _ = run("load \"\(f.directory)\"", session: session)
        let csv = run("scorecard", session: session, mode: .csv).out
        // Retention: A and B bought the year before, only A again: 1 of 2. B's 50 of revenue is lost.
        #expect(line(csv, "customers of the year before who bought again in the last 52 weeks")?.contains(",50.0%,no benchmark,1 customer of 2;") == true, "\(csv)")
        #expect(line(csv, "revenue of the year before from customers since lost")?.contains(",50.00,destroys value,1 customer who") == true, "\(csv)")
        // Recovery: A went 458 days (2023-03-01 → 2024-06-01) without a purchase and came back;
        // B has not bought for 610 days. 1 won back of 2 lapsed.
        #expect(line(csv, "lapsed customers won back")?.contains(",50.0%,no benchmark,1 customer bought again") == true, "\(csv)")
        // Share of wallet: revenue of the last 52 weeks 200 + 0 + 300 = 500 of wallets 2,100: 23.8%; 1,600 elsewhere.
        #expect(line(csv, "share of wallet (last 52 weeks)")?.contains(",23.8%,no benchmark,\"1,600.00 a year") == true, "\(csv)")
        // Invoices: A paid 10 days late, C's 300 unpaid: 0 of 2 on time, and 300 lost.
        #expect(line(csv, "invoices paid on time")?.contains(",0.0%,destroys value,300.00 of invoices due is unpaid") == true, "\(csv)")
        // Satisfaction: A 8, B 4, C blank: a mean of 6 over 2.
        #expect(line(csv, "mean satisfaction (0–10)")?.contains(",6.000,no benchmark,2 customers scored;") == true, "\(csv)")
        // Records: 4 attributes (acquired_on, acquisition_cost, wallet, satisfaction) × 3 = 12 fields, 3 blank: 75%.
        #expect(line(csv, "customer record fields filled")?.contains(",75.0%,no benchmark,4 attributes") == true, "\(csv)")
        // No activities: the cost to serve cannot be measured; nothing on people ever can.
        #expect(line(csv, "cost to serve per unit of revenue")?.contains(",not measured,no activities with unit costs") == true, "\(csv)")
        #expect(csv.contains("people and organisation,—,,not measured,"))
    }

    @Test func a_summary_says_what_it_cannot_follow() throws {
        let f = Fixture(["summary.csv": "id,frequency,recency,T\nA,2,30,40\nB,0,0,40\nC,1,10,40\n"])
        let csv = run("load \"\(f.directory)/summary.csv\"; scorecard", mode: .csv).out
        for area in ["retention", "development", "recovery"] {
            #expect(csv.contains("\(area),—,,not measured,"), "\(area): \(csv)")
        }
    }
}
