import Foundation
import Testing
@testable import CRMQ

/// A summary instead of transactions — frequency, recency and T a customer, as `lifetimes`
/// and CLVTools write it — loaded as a snapshot the models fit on.
@Suite struct SummaryFileTests {
    @Test func a_summary_is_a_snapshot_of_its_customers_figures() throws {
        let f = Fixture(["rfm.csv": "customer,frequency,recency,T,monetary_value\nA,2,10,20,15.5\nB,0,0,20,0\nC,1,3,5,8\n"])
        let session = Session()
        let loaded = run("load \"\(f.directory)/rfm.csv\" as of 2024-06-30", session: session)
        #expect(loaded.out.contains("loaded rfm: 3 customers, a summary with no transactions (recency and T in weeks)"), "\(loaded.out)\(loaded.err)")
        #expect(loaded.out.contains("id ← customer, age ← T, monetary ← monetary_value"), "\(loaded.out)")
        let s = try #require(session.current)
        #expect(s.number("frequency", "A") == 2 && s.number("recency", "A") == 10 && s.number("age", "A") == 20)
        #expect(s.number("monetary", "A") == 15.5)
        #expect(s.number("orders", "A") == 3)  // purchase days: the first and two repeats
        #expect(s.number("days_since", "A") == 70)  // (T − recency) weeks = 10 × 7 days
        // First purchase T = 20 weeks = 140 days before 30 Jun 2024: 30 Jun → 29 Feb is 122 days,
        // 18 more is 11 Feb; the last is recency = 70 days later: 11 Feb + 18 = 29 Feb, + 31 + 21 = 21 Apr.
        #expect(s.date("first_purchase", "A") == "2024-02-11")
        #expect(s.date("last_purchase", "A") == "2024-04-21")
        #expect(s.number("revenue", "A").isNaN)  // a summary does not say what was spent in all
        // Without `as of` the summary has no calendar: no dates, and it says so.
        let undated = run("load \"\(f.directory)/rfm.csv\"", session: session)
        #expect(undated.out.contains("as of no date"))
        #expect(session.current!.date("first_purchase", "A") == nil)
    }

    @Test func a_weight_makes_a_row_stand_for_that_many_customers_in_the_unit_told() throws {
        // lifetimes' donations.csv layout: no id, T named periods, a weight a row.
        let f = Fixture(["donations.csv": "frequency,recency,periods,weights\n0,0,6,3\n1,1,6,2\n"])
        let session = Session()
        let loaded = run("load \"\(f.directory)/donations.csv\" format (time_unit 'days')", session: session)
        #expect(loaded.out.contains("loaded donations: 5 customers") && loaded.out.contains("recency and T in days, turned into weeks"),
                "\(loaded.out)\(loaded.err)")
        let table = run("customers show id, frequency, recency, age", session: session, mode: .csv).out
        // Customers 1–3 are the first row, 4–5 the second; 1 day is 1/7 week, 6 days 6/7.
        #expect(table == "id,frequency,recency,age\n1,0,0,\(6.0 / 7)\n2,0,0,\(6.0 / 7)\n3,0,0,\(6.0 / 7)\n4,1,\(1.0 / 7),\(6.0 / 7)\n5,1,\(1.0 / 7),\(6.0 / 7)\n",
                "\(table)")
    }

    @Test func the_summary_of_a_snapshot_fits_as_the_snapshot_does() throws {
        // The CDNOW sample's figures written out by crmq, then loaded back as a summary: the
        // same customers, so the same BG/NBD, Pareto/NBD and Gamma-Gamma fits.
        let folder = Session()
        _ = run("load \"\(repositoryRoot)/examples/cdnow-sample\"", session: folder)
        let summary = run("customers show id, frequency, recency, age as T, monetary as monetary_value", session: folder, mode: .csv).out
        let f = Fixture(["summary.csv": Self.firstTable(summary)])
        let session = Session()
        let loaded = run("load \"\(f.directory)/summary.csv\"", session: session)
        #expect(loaded.out.contains("2,357 customers, a summary"), "\(loaded.out)\(loaded.err)")
        for statement in ["fit bgnbd", "fit paretonbd", "fit gammagamma"] {
            let theirs = ExportFileTests.parameters(statement, folder), ours = ExportFileTests.parameters(statement, session)
            #expect(!ours.isEmpty && ours.count == theirs.count, "\(statement): \(ours)")
            for (name, value) in theirs {
                #expect(abs(ours[name]! / value - 1) < 1e-6, "\(statement) \(name): summary \(ours[name]!), snapshot \(value)")
            }
        }
    }

    /// The first table of a statement's CSV, without the notes after it.
    static func firstTable(_ csv: String) -> String {
        csv.range(of: "\n\n").map { String(csv[..<$0.lowerBound]) + "\n" } ?? csv
    }

    @Test func a_summary_without_spend_fits_the_purchase_model_and_says_why_clv_is_unknown() {
        let folder = Session()
        _ = run("load \"\(repositoryRoot)/examples/cdnow-sample\"", session: folder)
        let f = Fixture(["rfm.csv": Self.firstTable(run("customers show id, frequency, recency, age as T", session: folder, mode: .csv).out)])
        let session = Session()
        _ = run("load \"\(f.directory)/rfm.csv\"", session: session)
        let fit = run("fit", session: session)
        #expect(fit.out.contains("Gamma-Gamma is not fitted: rfm has no spend"), "\(fit.out)\(fit.err)")
        let clv = run("customers limit 1 show id, p_alive, clv", session: session, mode: .csv)
        // Customer 4: p_alive as the snapshot gives it, clv null (an empty CSV field).
        let alive = run("customers limit 1 show id, p_alive", session: folder, mode: .csv).out.split(separator: "\n")[1]
        #expect(clv.outcome == .completed && clv.out.contains("\(alive),\n"), "\(clv.out)\(clv.err)")
        let why = run("clv for 4", session: session).out
        #expect(why.contains("clv of 4 (4) is unknown: no spend is known (a summary without a monetary column)"), "\(why)")
    }

    @Test func a_summary_that_cannot_be_is_an_error_at_its_line_and_column() {
        let f = Fixture([
            "late.csv": "id,frequency,recency,T\nA,1,5,10\nB,2,12,10\n",
            "zero.csv": "id,frequency,recency,T\nA,0,3,10\n",
            "half.csv": "id,frequency,recency,T\nA,1.5,3,10\n",
            "minus.csv": "id,frequency,recency,T\nA,-1,3,10\n",
            "twice.csv": "id,frequency,recency,T\nA,1,3,10\nA,1,3,10\n",
            "fraction.csv": "frequency,recency,T,weights\n0,0,10,9\n1,2,10,2.5\n",
            "ancient.csv": "id,frequency,recency,T\nA,1,3,1e12\n",
        ])
        let session = Session()
        _ = run("load \"\(repositoryRoot)/examples/acme\"", session: session)
        let cases: [(String, String)] = [
            ("late.csv", "late.csv:3:3: column recency: recency 12 is more than T 10"),
            ("zero.csv", "zero.csv:2:3: column recency: a customer without repeat purchases has recency 0, found 3"),
            ("half.csv", "half.csv:2:2: column frequency: expected a whole number of repeat purchases, found 1.5"),
            ("minus.csv", "minus.csv:2:2: column frequency: expected 0 or more, found \"-1\": repeat purchases cannot be negative"),
            ("twice.csv", "twice.csv:3:1: column id: duplicate customer id \"A\""),
            ("ancient.csv", "ancient.csv:2:4: column T: T of 1000000000000 weeks is more than 10,000 years"),
            ("fraction.csv", "fraction.csv:3:4: column weights: expected a whole number of customers, found 2.5"),
        ]
        for (file, message) in cases {
            let result = run("load \"\(f.directory)/\(file)\"", session: session)
            #expect(result.outcome == .failed && result.err.contains(message), "\(file)\n\(result.err)")
        }
        #expect(session.current?.name == "acme")
    }

    @Test func a_customers_column_named_like_a_derived_field_is_an_error_naming_both() {
        let f = Fixture([
            "customers.csv": "id,frequency\nA,3\n",
            "transactions.csv": "customer_id,date,amount\nA,2024-01-01,10\n",
        ])
        let error = f.loadError()
        #expect(error?.description.contains("customers.csv:1:2: column frequency: a column named like the field crmq derives") == true,
                "\(String(describing: error))")
    }

    /// crmq_histogram — (frequency, recency, age, count) — standing for more customers than
    /// crmq holds a row each: its rows stay as they are and the fits count each by its weight.
    /// The CDNOW sample's histogram with every count times 5,000 stands for 11,785,000
    /// customers; a maximum-likelihood fit on every customer repeated 5,000 times is the fit
    /// on the customers once (the log-likelihood is 5,000 times theirs), so the parameters
    /// must be those of the sample itself.
    @Test func a_histogram_of_millions_fits_as_its_customers_do() throws {
        let folder = Session()
        _ = run("load \"\(repositoryRoot)/examples/cdnow-sample\"", session: folder)
        let s = try #require(folder.current)
        let f = s.customers.numbers(CustomerFields.frequency), r = s.customers.numbers(CustomerFields.recency), a = s.customers.numbers(CustomerFields.age)
        var counts: [String: Int] = [:]
        for c in 0..<s.customers.count where !f[c].isNaN { counts["\(f[c]),\(r[c]),\(a[c])", default: 0] += 1 }
        let rows = counts.keys.sorted().map { "\($0),\(counts[$0]! * 5000)" }
        let fixture = Fixture(["crmq_histogram.csv": "frequency,recency,age,count\n" + rows.joined(separator: "\n") + "\n"])
        let session = Session()
        let loaded = run("load \"\(fixture.directory)/crmq_histogram.csv\"", session: session)
        #expect(loaded.out.contains("1,218 rows standing for 11,785,000 customers, a histogram"), "\(loaded.out)\(loaded.err)")
        for statement in ["fit bgnbd", "fit paretonbd", "fit mbgnbd"] {
            let theirs = ExportFileTests.parameters(statement, folder), ours = ExportFileTests.parameters(statement, session)
            #expect(!ours.isEmpty && ours.count == theirs.count, "\(statement): \(ours)")
            for (name, value) in theirs {
                #expect(abs(ours[name]! / value - 1) < 1e-5, "\(statement) \(name): histogram \(ours[name]!), customers \(value)")
            }
        }
        // A row's model fields are each of its customers'; counting customers needs a row each.
        #expect(run("customers show frequency, weight, p_alive limit 2", session: session).outcome == .completed)
        let refused = run("count where frequency > 2", session: session)
        #expect(refused.outcome == .failed && refused.err.contains("crmq_histogram is a histogram: \(rows.count) rows standing for 11785000 customers, so count has no row per customer"),
                "\(refused.err)")
    }
}
