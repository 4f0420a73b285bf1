import Foundation
import Testing
@testable import CRMQ

/// A folder whose snapshot.json describes its tables: files written as exports write them,
/// read through the same loaders as `load "FILE"`, and a folder of Spark part files.
@Suite struct SnapshotRecipeTests {
    static let apparel = repositoryRoot + "/examples/apparel/"

    static func folder(_ json: String, files: [String: String] = [:]) throws -> Fixture {
        let f = Fixture(files.merging(["snapshot.json": json]) { a, _ in a })
        for name in ["apparel_trans.csv", "apparel_static_cov.csv"] {
            try FileManager.default.copyItem(atPath: apparel + name, toPath: f.directory + "/" + name)
        }
        return f
    }

    static let recipe = """
        {"margin_rate": 0.3,
         "tables": {"transactions": {"file": "apparel_trans.csv", "columns": {"customer_id": "Id", "date": "Date", "amount": "Price"}},
                    "customers": {"file": "apparel_static_cov.csv", "columns": {"id": "Id"}}}}
        """

    @Test func transactions_and_customers_files_load_as_described() throws {
        let f = try Self.folder(Self.recipe)
        let session = Session()
        let loaded = run("load \"\(f.directory)\"", session: session)
        #expect(loaded.outcome == .completed, "\(loaded.err)")
        // The same purchases as the file loaded on its own: the same fits.
        let plain = Session()
        _ = run("load \"\(Self.apparel)apparel_trans.csv\"", session: plain)
        #expect(ExportFileTests.parameters("fit bgnbd", session) == ExportFileTests.parameters("fit bgnbd", plain))
        // The customers file's columns are attributes; snapshot.json's margin rate applies.
        let bySex = run("segment by gender show count", session: session, mode: .csv).out
        #expect(bySex.hasPrefix("gender,customers\n0,304\n1,296\n"), "\(bySex)")
        let first = session.current!
        #expect(abs(first.number("margin", "1") - 0.3 * first.number("revenue", "1")) < 1e-9)
    }

    @Test func a_where_in_snapshot_json_leaves_rows_out_and_a_part_folder_is_one_table() throws {
        let f = try Self.folder(Self.recipe.replacingOccurrences(of: #""amount": "Price"}"#, with: #""amount": "Price"}, "where": "Price >= 50""#))
        let session = Session()
        let loaded = run("load \"\(f.directory)\"\ndescribe", session: session, mode: .csv)
        let kept = try String(contentsOfFile: Self.apparel + "apparel_trans.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().filter { Double($0.split(separator: ",")[2])! >= 50 }.count
        #expect(loaded.out.contains("left out \(3187 - kept) rows of 3,187") || loaded.out.contains("left out \(NumberText.grouped(3187 - kept)) rows of 3,187"),
                "\(loaded.out)\(loaded.err)")
        // Spark writes a table as part files, headers repeated, some empty.
        let lines = try String(contentsOfFile: Self.apparel + "apparel_trans.csv", encoding: .utf8).split(separator: "\n")
        let parts = Fixture([
            "part-00000-x.csv": lines[0..<1500].joined(separator: "\n") + "\n",
            "part-00001-x.csv": ([lines[0]] + lines[1500...]).joined(separator: "\n") + "\n",
            "part-00002-x.csv": "", "_SUCCESS": "",
        ])
        let whole = run("load \"\(parts.directory)\"\ncount", session: session)
        #expect(whole.out.contains("3,187 transactions") && whole.out.contains("600"), "\(whole.out)\(whole.err)")
        parts.write("part-00003-x.csv", "id,date,price\n1,2005-01-01,3\n")
        #expect(run("load \"\(parts.directory)\"", session: session).err.contains("its header differs from the first part's"))
    }

    @Test func a_recipe_that_cannot_be_is_an_error_naming_snapshot_json_and_its_key() throws {
        let cases: [(String, String)] = [
            (#"{"tables": {"transaction": {"file": "apparel_trans.csv"}}}"#, "column tables.transaction: no such table; the tables are customers, transactions"),
            (#"{"tables": {"transactions": {"file": "apparel_trans.csv", "colums": {}}}}"#, "column tables.transactions.colums: unknown key"),
            (#"{"tables": {"transactions": {"columns": {}}}}"#, "column tables.transactions.file: missing"),
            (#"{"tables": {"transactions": {"file": "apparel_trans.csv", "format": {"delimiter": "x"}}}}"#, "column tables.transactions.format.delimiter: the delimiter is"),
            (#"{"tables": {"transactions": {"file": "apparel_trans.csv", "where": "Price >"}}}"#, "column tables.transactions.where: expected"),
            (#"{"tables": {"transactions": {"file": "apparel_trans.csv", "where": "Prize > 3"}}}"#, "unknown column `Prize`"),
            (#"{"tables": {"customers": {"file": "apparel_static_cov.csv"}}}"#, "no transactions: every snapshot needs them"),
            (#"{"source": {"mysql": "x"}, "tables": {"transactions": {"table": "t"}}}"#, "column source: expected {\"postgres\""),
        ]
        let session = Session()
        _ = run("load \"\(repositoryRoot)/examples/acme\"", session: session)
        for (json, message) in cases {
            let f = try Self.folder(json)
            let result = run("load \"\(f.directory)\"", session: session)
            #expect(result.outcome == .failed && result.err.contains("snapshot.json") && result.err.contains(message), "\(json)\n\(result.err)")
        }
        // A transaction's customer that the customers file does not have, at its line.
        let f = try Self.folder(Self.recipe, files: [:])
        f.write("apparel_static_cov.csv", "Id,Gender,Channel\n1,0,0\n")
        let unknown = run("load \"\(f.directory)\"", session: session)
        #expect(unknown.err.contains("apparel_trans.csv:") && unknown.err.contains("unknown customer id \"2\": no such id in apparel_static_cov.csv"), "\(unknown.err)")
        #expect(session.current?.name == "acme")
    }

    @Test func a_folder_without_customers_csv_has_the_customers_who_bought() throws {
        let acme = repositoryRoot + "/examples/acme/"
        let f = Fixture([:])
        for name in ["transactions.csv", "snapshot.json"] { try FileManager.default.copyItem(atPath: acme + name, toPath: f.directory + "/" + name) }
        let session = Session()
        let loaded = run("load \"\(f.directory)\"\ncustomers where id = 'ACME' show id, orders, revenue, days_since", session: session, mode: .csv)
        // acme's 60 buyers (its 61st customer never bought); snapshot.json's as_of, 2024-12-31, holds.
        #expect(loaded.out.contains("60 customers") && loaded.out.contains("as of 2024-12-31"), "\(loaded.out)\(loaded.err)")
        let plain = run("load \"\(acme)\"\ncustomers where id = 'ACME' show id, orders, revenue, days_since", session: Session(), mode: .csv)
        #expect(SummaryFileTests.firstTable(String(loaded.out[loaded.out.range(of: "id,orders")!.lowerBound...]))
            == SummaryFileTests.firstTable(String(plain.out[plain.out.range(of: "id,orders")!.lowerBound...])))
        try FileManager.default.copyItem(atPath: acme + "payments.csv", toPath: f.directory + "/payments.csv")
        #expect(run("load \"\(f.directory)\"", session: session).err.contains("customers.csv: missing: payments.csv names customers"))
    }

    @Test func every_table_may_be_a_file_of_its_own_name_and_layout() throws {
        // acme's files under other names, its invoices' customer column renamed and written
        // with semicolons: every figure, costs to serve and credit included, as the folder's.
        let acme = repositoryRoot + "/examples/acme/"
        let f = Fixture([:])
        let copies = ["transactions.csv": "sales.csv", "customers.csv": "clients.csv", "activities.csv": "acts.csv",
                      "activity_rates.csv": "rates.csv", "interactions.csv": "contacts.csv"]
        for (from, to) in copies { try FileManager.default.copyItem(atPath: acme + from, toPath: f.directory + "/" + to) }
        let invoices = try String(contentsOfFile: acme + "payments.csv", encoding: .utf8)
        f.write("invoices.csv", invoices.replacingOccurrences(of: "customer_id", with: "client").replacingOccurrences(of: ",", with: ";"))
        f.write("snapshot.json", """
            {"as_of": "2024-12-31",
             "tables": {"transactions": {"file": "sales.csv"}, "customers": {"file": "clients.csv"},
                        "payments": {"file": "invoices.csv", "columns": {"customer_id": "client"}},
                        "activities": {"file": "acts.csv"}, "activity_rates": {"file": "rates.csv"},
                        "interactions": {"file": "contacts.csv"}}}
            """)
        let fields = "customers show id, orders, revenue, margin, cost_to_serve, profit, credit_score, credit_grade"
        let ours = run("load \"\(f.directory)\"\n\(fields)", session: Session(), mode: .csv).out
        let theirs = run("load \"\(acme)\"\n\(fields)", session: Session(), mode: .csv).out
        #expect(ours.contains("id,orders") && ours[ours.range(of: "id,orders")!.lowerBound...] == theirs[theirs.range(of: "id,orders")!.lowerBound...],
                "\(ours.prefix(600))")
        let described = run("load \"\(f.directory)\"\ndescribe", session: Session(), mode: .csv).out
        #expect(described.contains("payments,invoices.csv,485,0,27,\"delimiter ';', date 'YYYY-MM-DD'\",customer_id ← client"), "\(described)")
        // Activities come with their rates; a where is the transactions' only.
        f.write("snapshot.json", #"{"tables": {"transactions": {"file": "sales.csv"}, "activities": {"file": "acts.csv"}}}"#)
        #expect(run("load \"\(f.directory)\"").err.contains("activities and activity_rates come together"))
        f.write("snapshot.json", #"{"tables": {"transactions": {"file": "sales.csv"}, "interactions": {"file": "contacts.csv", "where": "kind = 'visit'"}}}"#)
        #expect(run("load \"\(f.directory)\"").err.contains("tables.interactions.where: where filters the transactions' rows only"))
    }
}
