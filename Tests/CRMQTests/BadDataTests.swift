import Foundation
import Testing
@testable import CRMQ

/// Every kind of bad input names the file, the line and the column, and says what was expected.
@Suite struct BadDataTests {
    static let customers = "id,name\nA,Anna\nB,Bert\n"

    func error(_ transactions: String, customers: String = customers, extra: [String: String] = [:]) -> DataError? {
        var files = ["customers.csv": customers, "transactions.csv": transactions]
        files.merge(extra) { $1 }
        return Fixture(files).loadError()
    }

    @Test func an_unknown_customer_id_in_transactions() throws {
        let e = try #require(error("customer_id,date,amount\nA,2024-01-01,5\nZ,2024-01-02,5\n"))
        #expect(e.file.hasSuffix("transactions.csv"))
        #expect((e.line, e.column, e.columnName) == (3, 1, "customer_id"))
        #expect(e.message.contains("unknown customer id \"Z\""))
    }

    @Test func a_bad_number() throws {
        let e = try #require(error("customer_id,date,amount\nA,2024-01-01,\"12,5\"\n"))
        #expect((e.line, e.column, e.columnName) == (2, 3, "amount"))
        #expect(e.message == "expected a number (like 1234.50), found \"12,5\"")
    }

    @Test func a_bad_date() throws {
        let e = try #require(error("date,customer_id,amount\n2024-13-01,A,5\n"))
        #expect((e.line, e.column, e.columnName) == (2, 1, "date"))
        #expect(e.message.contains("YYYY-MM-DD"))
    }

    @Test func a_duplicate_id_names_both_lines() throws {
        let e = try #require(error("customer_id,date,amount\n", customers: "id\nA\nB\nA\n"))
        #expect(e.file.hasSuffix("customers.csv"))
        #expect((e.line, e.column) == (4, 1))
        #expect(e.message.contains("first on line 2"))
    }

    @Test func a_missing_required_column() throws {
        let e = try #require(error("customer_id,date\nA,2024-01-01\n"))
        #expect(e.line == 1)
        #expect(e.message.contains("`amount`"))
    }

    @Test func a_missing_file() throws {
        let e = try #require(Fixture(["customers.csv": "id\nA\n"]).loadError())
        #expect(e.file.hasSuffix("transactions.csv"))
    }

    /// A FIFO where a file should be once made a script wait for a writer forever; a device
    /// (/dev/zero) read as empty. Neither is a snapshot file: the error says so at once.
    @Test func a_pipe_or_a_device_in_the_place_of_a_file() throws {
        let f = Fixture(["customers.csv": "id\nA\n"])
        #expect(mkfifo(f.directory + "/transactions.csv", 0o600) == 0)
        let e = try #require(f.loadError())
        #expect(e.file.hasSuffix("transactions.csv") && e.message.hasPrefix("not a regular file"), "\(e)")
        let g = Fixture(["customers.csv": "id\nA\n"])
        try FileManager.default.createSymbolicLink(atPath: g.directory + "/transactions.csv", withDestinationPath: "/dev/zero")
        #expect(try #require(g.loadError()).message.hasPrefix("not a regular file"))
    }

    /// snapshot.json's numbers: 0 and 1 are numbers (not true and false), and each is held to
    /// the range `set` holds it to.
    @Test func snapshot_json_numbers_are_checked_as_set_checks_them() throws {
        let rows = ["customers.csv": "id\nA\n", "transactions.csv": "customer_id,date,amount\nA,2024-01-01,5\n"]
        for (json, ok) in [(#"{"discount_rate": 0}"#, true), (#"{"margin_rate": 1}"#, true), (#"{"discount_rate": 0.1}"#, true),
                           (#"{"discount_rate": -1}"#, false), (#"{"discount_rate": 5}"#, false), (#"{"discount_rate": 1}"#, false),
                           (#"{"margin_rate": 1.5}"#, false), (#"{"fixed_costs": -3}"#, false), (#"{"discount_rate": true}"#, false)] {
            var files = rows
            files["snapshot.json"] = json
            let error = Fixture(files).loadError()
            #expect((error == nil) == ok, "\(json): \(error.map { "\($0)" } ?? "loaded")")
        }
        var files = rows
        files["snapshot.json"] = #"{"discount_rate": 5}"#
        #expect(try #require(Fixture(files).loadError()).message.contains("a discount rate is from 0% to under 100%"))
    }

    /// RFC 4180: spaces inside quotes are the value's; around a bare field they are layout.
    @Test func a_quoted_fields_spaces_are_kept() throws {
        let s = try Fixture(["customers.csv": "id,name,note\nA,\" lead space\",\"  kept \"\nB,  plain  , bare \n",
                             "transactions.csv": "customer_id,date,amount\nA,2024-01-01,5\n"]).load()
        guard case .text(let names) = s.customers.column("name"), case .text(let notes) = s.customers.column("note") else { Issue.record(); return }
        #expect(names[0] == " lead space" && names[1] == "plain")
        #expect(notes[0] == "  kept " && notes[1] == "bare")
    }

    /// Each amount fits a Double, their sum need not: an error naming the customer, not an
    /// infinite revenue that shows as null yet passes `revenue > 1e307`.
    @Test func sums_past_the_largest_number_are_an_error() throws {
        let e = try #require(Fixture(["customers.csv": "id\nA\nB\n",
                                      "transactions.csv": "customer_id,date,amount\nA,2024-01-01,1e308\nA,2024-01-02,1e308\nB,2024-01-01,5\n"]).loadError())
        #expect(e.file.hasSuffix("transactions.csv") && e.message == "the amounts of customer A add up past the largest number crmq holds (about 1.8e308)", "\(e)")
    }

    /// A negative quantity turned every share_of_units null, silently: refused, at its place.
    @Test func a_negative_quantity_is_refused_where_it_stands() throws {
        let e = try #require(error("customer_id,date,amount,quantity\nA,2024-01-01,5,2\nA,2024-01-02,-5,-1\n"))
        #expect(e.line == 3 && e.column == 4 && e.columnName == "quantity", "\(e)")
        #expect(e.message.hasPrefix("expected 0 or more, found \"-1\": a return is a row with a negative amount"))
    }

    /// 6,000 invoices due in 1024 summed their days late past 32 bits (357,913.9 days shown
    /// where 364,878 is right): invoices before 1900 are refused at their line and column.
    @Test func an_invoice_before_1900_is_refused() throws {
        let e = try #require(error("customer_id,date,amount\nA,2024-01-01,5\n",
                                   extra: ["payments.csv": "customer_id,due,paid,amount\nA,2024-01-01,2024-01-02,5\nA,1024-01-01,,5\n"]))
        #expect(e.file.hasSuffix("payments.csv") && e.line == 3 && e.columnName == "due", "\(e)")
        #expect(e.message == "expected a date from 1900-01-01 on, found \"1024-01-01\": days late are counted from 1900 on")
    }

    /// A customers.csv over 1 MiB is read in two pieces; a duplicate in the second is named at
    /// its line in the file: the header is line 1, 60,000 ids fill lines 2…60,001, and the
    /// duplicate of the sixth comes next, on line 60,002.
    @Test func a_duplicate_id_in_a_later_piece_is_named_at_its_line() throws {
        let ids = (0..<60_000).map { "customer-number-\($0)\n" }.joined()
        let e = try #require(error("customer_id,date,amount\n", customers: "id\n" + ids + "customer-number-5\n"))
        #expect(e.line == 60_002 && e.columnName == "id" && e.message.hasPrefix("duplicate customer id"), "\(e)")
    }

    /// Müller with ü as one code point and as u + U+0308 is one id written two ways: two
    /// customers that `id = 'Müller'` matched both. The second is a duplicate.
    @Test func ids_equal_as_text_are_duplicates() throws {
        let e = try #require(error("customer_id,date,amount\n", customers: "id\nM\u{00FC}ller\nMu\u{0308}ller\n"))
        #expect(e.line == 3 && e.columnName == "id" && e.message.hasPrefix("duplicate customer id"), "\(e)")
        #expect(try Fixture(["customers.csv": "id\nM\u{00FC}ller\nMueller\n", "transactions.csv": "customer_id,date,amount\nMueller,2024-01-01,5\n"]).load().customers.count == 2)
    }

    /// A header of 20,000 columns loads (100,000 took 55 s when each name was checked against
    /// the list of those before it; 1.3 s now, in release, describe included), and a name
    /// that appears twice is still found, at its column.
    @Test func a_very_wide_header_loads_and_a_repeated_name_is_found() throws {
        let names = (0..<20_000).map { "c\($0)" }
        let wide = try Fixture(["customers.csv": "id," + names.joined(separator: ",") + "\nA," + names.map { _ in "1" }.joined(separator: ",") + "\n",
                                "transactions.csv": "customer_id,date,amount\nA,2024-01-01,5\n"]).load()
        #expect(wide.customers.field("c19999")?.type == .number)
        let e = try #require(error("customer_id,date,amount,date\nA,2024-01-01,5,2024-01-01\n"))
        #expect(e.column == 4 && e.message == "column `date` appears twice in the header", "\(e)")
    }

    @Test func a_ragged_row() throws {
        let e = try #require(error("customer_id,date,amount\nA,2024-01-01\n"))
        #expect(e.line == 2)
        #expect(e.message == "expected 3 fields as in the header, found 2")
    }

    @Test func invalid_utf8() throws {
        let f = Fixture(["transactions.csv": "customer_id,date,amount\n"])
        f.writeBytes("customers.csv", Array("id,name\nA,".utf8) + [0xC3, 0x28] + [0x0A])
        let e = try #require(f.loadError())
        #expect((e.line, e.column, e.columnName) == (2, 2, "name"))
        #expect(e.message.contains("UTF-8"))
    }

    @Test func an_unterminated_quote_points_where_it_opens() throws {
        let e = try #require(error("customer_id,date,amount\nA,2024-01-01,5\n\"A,2024-01-02,5\nA,2024-01-03,5\n"))
        #expect((e.line, e.column) == (3, 1))
    }

    @Test func an_activity_without_a_rate() throws {
        let e = try #require(error(
            "customer_id,date,amount\nA,2024-01-01,5\n",
            extra: ["activities.csv": "customer_id,date,activity\nA,2024-01-01,visit\nA,2024-01-01,teleport\n",
                    "activity_rates.csv": "activity,unit_cost\nvisit,10\n"]))
        #expect((e.line, e.column, e.columnName) == (3, 3, "activity"))
        #expect(e.message.contains("no rate for activity \"teleport\""))
    }

    @Test func a_satisfaction_outside_0_to_10() throws {
        let e = try #require(error("customer_id,date,amount\n", customers: "id,satisfaction\nA,7\nB,11\n"))
        #expect((e.line, e.columnName) == (3, "satisfaction"))
    }

    @Test func a_failed_load_leaves_the_session_as_it_was() throws {
        let good = Fixture(["customers.csv": Self.customers, "transactions.csv": "customer_id,date,amount\nA,2024-01-01,5\n"])
        let bad = Fixture(["customers.csv": Self.customers, "transactions.csv": "customer_id,date,amount\nQ,2024-01-01,5\n"])
        let session = Session()
        let first = run("load \"\(good.directory)\" as good", session: session)
        #expect(first.outcome == .completed)
        let failed = run("load \"\(bad.directory)\" as good", session: session)
        #expect(failed.outcome == .failed)
        #expect(failed.err.contains("transactions.csv:2:1"))
        #expect(session.currentName == "good")
        #expect(session.current?.customers.count == 2)
        #expect(run("count", session: session).out.contains("2"))
    }

    /// Random bytes in a CSV file: a load either succeeds or fails with a `DataError`, never crashes.
    @Test func random_csv_bytes_never_crash_the_reader() {
        var generator = SplitMix(seed: 7)
        let pieces: [[UInt8]] = [Array("A".utf8), Array("B".utf8), Array(",".utf8), Array("\"".utf8), Array("\n".utf8),
                                 Array("\r\n".utf8), Array("2024-01-01".utf8), Array("12.5".utf8), Array("-".utf8),
                                 [0xFF], [0xE7, 0x94, 0xA8], Array(" ".utf8), Array("\"\"".utf8)]
        for _ in 0..<300 {
            var bytes = Array("customer_id,date,amount\n".utf8)
            for _ in 0..<generator.next(below: 40) { bytes += pieces[generator.next(below: pieces.count)] }
            let f = Fixture(["customers.csv": "id\nA\nB\n"])
            f.writeBytes("transactions.csv", bytes)
            do { _ = try f.load() } catch {}
        }
    }
}
