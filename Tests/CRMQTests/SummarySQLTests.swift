import Foundation
import Testing
@testable import CRMQ

/// `summary sql for …` (the script itself is run in DuckDB and PostgreSQL by
/// Tests/engines/test_summary_sql.py) and the summary it makes, loaded back.
@Suite struct SummarySQLTests {
    @Test func the_script_is_in_each_engines_dialect() {
        let duck = run("summary sql for duckdb as of 2024-06-30").out
        #expect(duck.contains("CREATE OR REPLACE TABLE crmq_summary AS") && duck.contains("(a.as_of - 364)") && duck.contains("\"customer_id\""))
        let spark = run("summary sql for spark").out
        #expect(spark.contains("CREATE OR REPLACE TEMPORARY VIEW crmq_summary AS") && spark.contains("DATE_SUB(a.as_of, 364)"))
        #expect(spark.contains("`customer_id`") && spark.contains("DATEDIFF(t.last_day, t.first_day)"))
        #expect(spark.contains("(SELECT MAX(day) FROM crmq_rows)"))  // as_of from the data without `as of`
        let pg = run("summary sql for postgres columns (customer_id = client, amount = qty * price / 100, margin = null) where status != 'void'").out
        #expect(pg.contains("DROP TABLE IF EXISTS crmq_summary;") && pg.contains("DOUBLE PRECISION"))
        // A field an expression of columns, a quotient never cut to whole numbers, where as SQL.
        #expect(pg.contains("CAST((\"qty\" * \"price\") AS DOUBLE PRECISION) / 100") && pg.contains("WHERE (\"status\" <> 'void')"), "\(pg)")
        #expect(pg.contains("CAST(NULL AS DOUBLE PRECISION) AS margin"))  // margin = null: unknown throughout
        // A script is printed as it is, also where results are CSV, and is a string in JSON.
        #expect(run("summary sql for duckdb", mode: .csv).out.hasPrefix("-- crmq summary for DuckDB"))
        #expect(run("summary sql for duckdb", mode: .json).out.contains("\"scripts\":[\"-- crmq summary for DuckDB"))
    }

    @Test func a_wrong_summary_statement_is_an_error_at_its_word() {
        for (statement, message) in [
            ("summary sql for oracle", "unknown engine `oracle`"),
            ("summary sql for duckdb columns (revenue = total)", "a summary maps customer_id, date, amount and margin"),
            ("summary sql for duckdb columns (amount = null)", "amount must come from a column; only margin and wallet may be null"),
            ("summary sql for duckdb tables (activities = acts)", "activities need their unit costs"),
            ("summary sql for duckdb where sum(amount) > 3", "sum(…) sums over customers"),
            ("summary sql for duckdb tables (transactions = a, transactions = b)", "transactions is named twice"),
        ] {
            let result = run(statement)
            #expect(result.outcome == .failed && result.err.contains(message), "\(statement)\n\(result.err)")
        }
    }

    /// Written as the engines write crmq_summary: the customers' columns, as_of, the fields.
    static let header = "id,region,as_of,orders,revenue,margin,first_purchase,last_purchase,frequency,recency,age,monetary,"
        + "days_since,aov,cost_to_serve,profit,share_of_wallet,revenue_52_weeks"

    @Test func a_summary_made_where_the_data_lives_loads_with_its_fields_as_they_are() throws {
        // A: 3 purchase days (2 repeats), first 2024-01-05, last 2024-05-20 (136 days = 19.43 weeks).
        let f = Fixture(["s.csv": Self.header + "\n"
            + "A,West,2024-06-30,4,210.25,54,2024-01-05,2024-05-20,2,19.428571428571427,25.142857142857142,40.125,41,52.5625,105,-51,0.21025,210.25\n"
            + "B,East,2024-06-30,0,0,0,,,,,,,,,0,0,,0\n"])
        let session = Session()
        let loaded = run("load \"\(f.directory)/s.csv\"", session: session)
        #expect(loaded.out.contains("loaded s: 2 customers, a summary made where the data lives"), "\(loaded.out)\(loaded.err)")
        let s = try #require(session.current)
        #expect(s.number("revenue", "A") == 210.25 && s.number("profit", "A") == -51 && s.number("frequency", "A") == 2)
        #expect(s.date("last_purchase", "A") == "2024-05-20" && s.info.asOf == CalendarDay.parse("2024-06-30"))
        #expect(s.number("frequency", "B").isNaN && s.date("first_purchase", "B") == nil)
        #expect(s.marginKnown)
        // Without payment facts there is no credit to score.
        #expect(run("credit", session: session).err.contains("credit needs payments"))
    }

    @Test func a_summary_that_cannot_be_is_refused_at_its_line() {
        let good = "A,West,2024-06-30,4,210.25,54,2024-01-05,2024-05-20,2,19.4,25.1,40.1,41,52.5,105,-51,0.2,210.25"
        for (rows, statement, message) in [
            ([good, "B,East,2024-07-01,0,0,0,,,,,,,,,0,0,,0"], "", "s.csv:3:3: column as_of: as_of 2024-07-01 differs from the first row's 2024-06-30"),
            ([good], " as of 2024-05-31", "is a summary as of 2024-06-30; as of 2024-05-31 needs a summary made as of that day"),
            ([good.replacingOccurrences(of: ",2,19.4,", with: ",2.5,19.4,")], "", "s.csv:2:9: column frequency: expected a whole number of repeat purchases, found 2.5"),
            ([good.replacingOccurrences(of: ",2,19.4,", with: ",2,30,")], "", "s.csv:2:10: column recency: recency 30 is not between 0 and the age 25.1"),
        ] {
            let f = Fixture(["s.csv": Self.header + "\n" + rows.joined(separator: "\n") + "\n"])
            let result = run("load \"\(f.directory)/s.csv\"\(statement)")
            #expect(result.outcome == .failed && result.err.contains(message), "\(result.err)")
        }
    }
}
