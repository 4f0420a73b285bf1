import Foundation
import Testing
@testable import CRMQ

/// Transactions arrive in any order and in pieces; the store must hold each customer's rows
/// together, by date, in file order within a day.
@Suite struct ArrangeTests {
    @Test func rows_are_grouped_by_customer_and_sorted_by_date_keeping_file_order_within_a_day() throws {
        let f = Fixture([
            "customers.csv": "id\nA\n\"B\"\"2\"\nC\n",
            "transactions.csv": """
                customer_id,date,amount,product
                A,2024-03-01,3,gamma
                "B""2",2024-01-05,10,alpha
                A,2024-01-01,1,alpha
                A,2024-03-01,4,delta
                C,2024-02-01,7,beta
                A,2024-02-01,2,beta
                """,
        ])
        let s = try f.load()
        let t = s.transactions
        let a = t.rows(of: 0)
        #expect(a.map { t.amount[$0] } == [1, 2, 3, 4])  // by date; 3 before 4 as in the file
        #expect(a.map { t.product![$0] } == ["alpha", "beta", "gamma", "delta"])
        #expect(t.rows(of: 1).map { t.amount[$0] } == [10])  // the id B"2 written with a doubled quote
        #expect(t.rows(of: 2).map { t.product![$0] } == ["beta"])
        #expect(t.start == [0, 4, 5, 6])
    }

    /// Big enough to be read in two pieces on two cores: the line of an error in the second
    /// piece is still the line in the file.
    @Test func an_error_deep_in_a_large_file_names_its_line() throws {
        var text = "customer_id,date,amount\n"
        for i in 0..<80_000 { text += "\(i % 2 == 0 ? "A" : "B"),2024-01-\(String(format: "%02d", i % 28 + 1)),\(i % 100).5\n" }
        text += "Z,2024-01-01,1\n"  // line 80,002
        let f = Fixture(["customers.csv": "id\nA\nB\n", "transactions.csv": text])
        let e = try #require(f.loadError())
        #expect(e.line == 80_002)
        #expect(e.message.contains("unknown customer id \"Z\""))
    }

    @Test func a_large_file_read_in_pieces_sums_like_a_small_one() throws {
        var text = "customer_id,date,amount\n"
        var expected = [0.0, 0.0]
        for i in 0..<80_000 {
            let amount = Double(i % 100) + 0.5
            expected[i % 2] += amount
            text += "\(i % 2 == 0 ? "A" : "B"),2024-01-\(String(format: "%02d", i % 28 + 1)),\(amount)\n"
        }
        let s = try Fixture(["customers.csv": "id\nA\nB\n", "transactions.csv": text]).load()
        #expect(s.number("revenue", "A") == expected[0])
        #expect(s.number("revenue", "B") == expected[1])
        #expect(s.number("orders", "A") == 40_000)
        // A's rows are the even i, so its days are 1 + {0, 2, …, 26}: 14 days, 13 repeat days.
        #expect(s.number("frequency", "A") == 13)
    }

    @Test func the_synthetic_generator_writes_the_same_bytes_for_the_same_seed() throws {
        let one = Fixture([:]), two = Fixture([:])
        try SyntheticSnapshot(customers: 500, seed: 9).write(to: one.directory)
        try SyntheticSnapshot(customers: 500, seed: 9).write(to: two.directory)
        let a = try String(contentsOfFile: one.directory + "/transactions.csv", encoding: .utf8)
        let b = try String(contentsOfFile: two.directory + "/transactions.csv", encoding: .utf8)
        #expect(a == b)
        #expect(try SnapshotLoader(directory: one.directory, name: "s").load().customers.count == 500)
    }
}
