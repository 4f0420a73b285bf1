import Foundation
import Testing
@testable import CRMQ

/// Statements run against a small snapshot whose answers can be counted by hand.
@Suite struct EvaluationTests {
    static let fixture = Fixture([
        "snapshot.json": #"{"as_of": "2024-06-30"}"#,
        "customers.csv": """
            id,name,segment,region,satisfaction
            A,Anna,retail,North,8
            B,Bert,retail,South,
            C,Cleo,public,North,3
            D,"Dee, Ltd",,South,9
            E,用友建材,public,North,6
            """,
        "transactions.csv": """
            customer_id,date,amount,margin
            A,2024-01-01,100,30
            A,2024-02-01,300,90
            B,2024-03-01,50,
            C,2024-06-01,1000,100
            E,2024-06-30,20,5
            """,
    ])

    func session() -> Session {
        let session = Session()
        _ = run("load \"\(Self.fixture.directory)\" as t", session: session)
        return session
    }

    func json(_ statement: String) -> String { firstRows(run(statement, session: session(), mode: .json).out) }
    func failure(_ statement: String) -> String {
        let result = run(statement, session: session())
        #expect(result.outcome == .failed)
        return result.err
    }

    // Revenue: A 400, B 50, C 1000, D 0 (no purchases), E 20.
    @Test func count_and_filters() {
        #expect(json("count") == "[\n{\"customers\":5}\n]\n")
        #expect(json("count where revenue > 60") == "[\n{\"customers\":2}\n]\n")                    // A, C
        #expect(json("count where region = 'North' and revenue >= 20") == "[\n{\"customers\":3}\n]\n")  // A, C, E
        #expect(json("count where name like '%e%'") == "[\n{\"customers\":3}\n]\n")                 // Bert, Cleo, Dee
        #expect(json("count where segment in ('retail', 'public')") == "[\n{\"customers\":4}\n]\n") // all but D
        #expect(json("count where revenue between 50 and 400") == "[\n{\"customers\":2}\n]\n")      // A, B
        #expect(json("count where last_purchase >= 2024-06-01") == "[\n{\"customers\":2}\n]\n")     // C, E
    }

    // Margin: A 30 + 90 = 120, B unknown (an empty margin and no margin_rate), C 100, D 0, E 5.
    @Test func nulls_never_pass_a_filter_either_way() {
        #expect(json("count where margin > 10") == "[\n{\"customers\":2}\n]\n")        // A, C
        #expect(json("count where not (margin > 10)") == "[\n{\"customers\":2}\n]\n")  // D, E; B stays unknown
        #expect(json("count where margin is null") == "[\n{\"customers\":1}\n]\n")     // B
        #expect(json("count where satisfaction is null") == "[\n{\"customers\":1}\n]\n")
        #expect(json("count where satisfaction > 5 or satisfaction <= 5") == "[\n{\"customers\":4}\n]\n")
    }

    @Test func three_valued_logic() {
        // satisfaction: A 8, B null, C 3, D 9, E 6. `not (satisfaction > 5)` is true for C only; B stays unknown.
        #expect(json("count where not (satisfaction > 5)") == "[\n{\"customers\":1}\n]\n")
        // null or true is true: B passes `satisfaction > 5 or region = 'South'`.
        #expect(json("count where satisfaction > 5 or region = 'South'") == "[\n{\"customers\":4}\n]\n")  // A, B, D, E
    }

    @Test func ordering_limits_and_computed_columns() {
        #expect(json("customers where revenue > 0 order by revenue desc limit 2 show id, revenue / orders as per_order") ==
            "[\n{\"id\":\"C\",\"per_order\":1000},\n{\"id\":\"A\",\"per_order\":200}\n]\n")
        // Nulls sort last in both directions.
        #expect(json("customers order by satisfaction show id") ==
            "[\n{\"id\":\"C\"},\n{\"id\":\"E\"},\n{\"id\":\"A\"},\n{\"id\":\"D\"},\n{\"id\":\"B\"}\n]\n")
        #expect(json("customers order by satisfaction desc show id") ==
            "[\n{\"id\":\"D\"},\n{\"id\":\"A\"},\n{\"id\":\"E\"},\n{\"id\":\"C\"},\n{\"id\":\"B\"}\n]\n")
    }

    @Test func date_arithmetic() {
        #expect(json("customers where id = 'A' show last_purchase + 30 as next, 2024-06-30 - last_purchase as gap") ==
            "[\n{\"next\":\"2024-03-02\",\"gap\":150}\n]\n")  // 1 Feb + 30 days; 1 Feb → 30 Jun is 29+31+30+31+30-1 = 150
    }

    @Test func segment_by_groups_in_key_order_with_nulls_last() {
        #expect(json("segment by segment show count, sum(revenue) as r, avg(satisfaction) as s") == """
            [
            {"segment":"public","customers":2,"r":1020,"s":4.5},
            {"segment":"retail","customers":2,"r":450,"s":8},
            {"segment":null,"customers":1,"r":0,"s":9}
            ]

            """)
        // North: A 400 + C 1000 + E 20 = 1420 of 1470, median 400; South: B 50 + D 0, median (0 + 50) / 2.
        #expect(json("segment by region show share(revenue) as s, median(revenue) as m") == """
            [
            {"region":"North","s":\(1420.0 / 1470),"m":400},
            {"region":"South","s":\(50.0 / 1470),"m":25}
            ]

            """)
    }

    @Test func named_segments_are_kept_and_reused() {
        let session = session()
        let made = run("segment where revenue > 100 as big", session: session, mode: .json)
        #expect(made.out.contains("\"customers\":2"))
        #expect(firstRows(run("count in big where region = 'North'", session: session, mode: .json).out) == "[\n{\"customers\":2}\n]\n")
    }

    @Test func a_date_compared_with_a_string_is_an_error_at_the_operator() {
        let err = failure("count where last_purchase > '2024-01-01'")
        #expect(err.contains("cannot compare a date with a text"))
        #expect(err.contains("                           ^"))
        #expect(err.contains("write a date without quotes"))
    }

    @Test func an_unknown_field_suggests_the_closest() {
        #expect(failure("count where revnue > 10").contains("unknown field `revnue`"))
        #expect(failure("count where revnue > 10").contains("did you mean `revenue`?"))
    }

    /// `describe`, counted by hand on the five customers above.
    @Test func describe_counts_values_nulls_and_ranges_per_field() throws {
        let rows = try firstTableRows(run("describe", session: session(), mode: .json).out)
        func row(_ field: String) throws -> [String: Any] { try #require(rows.first { $0["field"] as? String == field }) }
        // revenue: A 400, B 50, C 1000, D 0, E 20 → mean 1470 / 5 = 294.
        let revenue = try row("revenue")
        #expect(revenue["values"] as? Double == 5 && revenue["nulls"] as? Double == 0 && revenue["distinct"] as? Double == 5)
        #expect(revenue["min"] as? Double == 0 && revenue["max"] as? Double == 1000 && revenue["mean"] as? Double == 294)
        // satisfaction: 8, (none), 3, 9, 6 → 4 values, mean 26 / 4 = 6.5.
        let satisfaction = try row("satisfaction")
        #expect(satisfaction["values"] as? Double == 4 && satisfaction["nulls"] as? Double == 1 && satisfaction["mean"] as? Double == 6.5)
        // segment: retail, retail, public, (none), public → a tie of two, the first in table order wins.
        let segment = try row("segment")
        #expect(segment["values"] as? Double == 4 && segment["distinct"] as? Double == 2 && segment["most_common"] as? String == "retail")
        #expect(try row("id")["most_common"] is NSNull)  // every id differs
        // last_purchase: A 2024-02-01, B 2024-03-01, C 2024-06-01, E 2024-06-30; D never bought.
        let last = try row("last_purchase")
        #expect(last["first"] as? String == "2024-02-01" && last["last"] as? String == "2024-06-30" && last["nulls"] as? Double == 1)
        // With a filter, only those customers: North is A, C, E.
        let north = try firstTableRows(run("describe where region = 'North'", session: session(), mode: .json).out)
        #expect(north.first { $0["field"] as? String == "revenue" }?["mean"] as? Double == 1420.0 / 3)
    }

    /// A segment no customer is in is a row of zeros in every format (it crashed once).
    @Test(arguments: OutputMode.allCases)
    func an_empty_segment_is_a_row_of_zeros(_ mode: OutputMode) throws {
        let result = run("segment where revenue > 1e12 as none", session: session(), mode: mode)
        #expect(result.outcome == .completed, "\(result.err)")
        if mode == .json {
            let row = try firstTableRows(result.out)[0]
            #expect(row["customers"] as? Double == 0 && row["revenue"] as? Double == 0 && row["customer_share"] as? Double == 0)
        }
    }

    /// Deep input is an error at the token that goes too deep, never a crash: parentheses,
    /// `not`, chains of `and` and `+`, nested calls. Just inside the bound, it evaluates
    /// (here on a test's thread, whose stack is smaller than the main thread's).
    @Test func deep_expressions_are_bounded_not_a_stack_overflow() throws {
        let depth = Parser.maximumDepth
        let inside = "count where " + String(repeating: "(", count: depth - 10) + "revenue > 60" + String(repeating: ")", count: depth - 10)
        #expect(json(inside) == "[\n{\"customers\":2}\n]\n")  // A 400, C 1000
        let chained = "count where revenue > " + Array(repeating: "1", count: depth / 2).joined(separator: " + ")
        #expect(json(chained) == "[\n{\"customers\":2}\n]\n")  // > 100: A and C
        for deep in [
            "count where " + String(repeating: "(", count: 5000) + "revenue > 1" + String(repeating: ")", count: 5000),
            "count where " + Array(repeating: "revenue > 1", count: 7000).joined(separator: " and "),
            "count where " + String(repeating: "not ", count: 9000) + "revenue > 1",
            "count where revenue > " + Array(repeating: "1", count: 10_000).joined(separator: " + "),
            "count where revenue > " + String(repeating: "sum(", count: 3000) + "1" + String(repeating: ")", count: 3000),
            "count where revenue > " + String(repeating: "- ", count: 9000) + "1",
        ] {
            let result = run(deep + "\ncount", session: session())
            #expect(result.outcome == .failed)
            #expect(result.err.contains("this expression nests more than \(depth) levels deep"), "\(result.err.prefix(300))")
        }
        // After the error the script's next statement still parses: the parser's depth is back at 0.
        var parser = Parser("count where " + String(repeating: "(", count: 300) + "1; count where (revenue > 1)")
        #expect(throws: Diagnostic.self) { try parser.next() }
        #expect(try parser.next()?.text == "count where revenue > 1")
    }

    /// A bare word that is a value, not a field: the error keeps its case and says to quote it.
    @Test func a_value_written_bare_is_told_to_be_quoted() {
        let error = failure("count where region = North")
        #expect(error.contains("unknown field `North`"), "\(error)")
        #expect(error.contains("'North' is a value of region: quote it, region = 'North'"), "\(error)")
        #expect(json("count where REGION = 'North' and Revenue > 0") == json("count where region = 'North' and revenue > 0"))
    }

    /// The errors a user meets at the edges: each says what the range is.
    @Test func edge_errors_say_what_is_allowed() {
        #expect(failure("customers limit 9223372036854775807").contains("a limit is a whole number of rows from 0 to 999,999,999,999"))
        #expect(failure("customers limit 2.5").contains("a limit is a whole number of rows"))
        #expect(failure("clv for A horizon 0 months").contains("a whole number of months from 1 to 1200"))  // as set horizon says
        // A byte order mark before a statement (a pasted or saved file) is no statement.
        #expect(json("\u{FEFF}count") == "[\n{\"customers\":5}\n]\n")
    }

    /// A customer of another loaded snapshot: the error says which one has it.
    @Test func a_customer_in_another_snapshot_names_that_snapshot() {
        let session = session()
        _ = run("load \"\(repositoryRoot)/examples/cdnow-sample\" as cdnow", session: session)
        let error = run("profile Anna", session: session).err
        #expect(error.contains("no customer with id or name `Anna` in cdnow"), "\(error)")
        #expect(error.contains("Anna is in t: use t"), "\(error)")
    }

    @Test func aggregates_belong_in_segment_by() {
        #expect(failure("customers show sum(revenue)").contains("belongs in `segment by"))
        #expect(failure("segment by region show revenue").contains("needs an aggregate"))
    }

    @Test func a_condition_must_be_true_or_false() {
        #expect(failure("count where revenue").contains("a condition must be true or false"))
    }

    @Test func customers_are_named_by_id_or_name_in_any_script() {
        let session = session()
        #expect(run("profile 用友建材", session: session).out.contains("用友建材 (E)"))
        #expect(run("profile \"dee, ltd\"", session: session).out.contains("Dee, Ltd (D)"))
        let unknown = run("profile Ana", session: session)
        #expect(unknown.err.contains("no customer with id or name `Ana`"))
        #expect(unknown.err.contains("`Anna`"))
    }

    @Test func settings_are_checked_and_shown_with_their_source() {
        let session = session()
        #expect(run("set discount = 8%", session: session).outcome == .completed)
        #expect(run("set horizon = 2 years", session: session).outcome == .completed)
        let table = run("settings", session: session, mode: .csv).out
        #expect(table.contains("discount,8% a year,set"))
        #expect(table.contains("horizon,24 months,set"))
        #expect(run("set discount = 12", session: session).err.contains("percentage"))
        #expect(run("set horizn = 3", session: session).err.contains("did you mean `horizon`?"))
    }

    @Test func statements_need_a_snapshot() {
        let result = run("count")
        #expect(result.err.contains("no snapshot is loaded"))
    }
}

/// `save to` and `.read`, the statements that touch files.
@Suite struct FileStatementTests {
    @Test func save_to_writes_the_last_result_in_the_format_its_name_asks() throws {
        let f = Fixture(["customers.csv": "id,name\nA,\"Ann, Ltd\"\nB,Bo\n", "transactions.csv": "customer_id,date,amount\nA,2024-01-01,5\n"])
        let session = Session()
        let out = f.directory + "/out"
        let result = run("""
            load "\(f.directory)"
            customers show id, name, revenue
            save to "\(out).csv"
            save to "\(out).json"
            save to "\(out).md"
            """, session: session)
        #expect(result.outcome == .completed, "\(result.err)")
        #expect(result.out.contains("saved 2 rows to \(out).csv"))
        #expect(try String(contentsOfFile: out + ".csv", encoding: .utf8) == "id,name,revenue\nA,\"Ann, Ltd\",5\nB,Bo,0\n")
        // The JSON file is the statement's whole document, as --format json prints it.
        #expect(try String(contentsOfFile: out + ".json", encoding: .utf8) == """
            {"statement":"customers show id, name, revenue","tables":[
            {"title":null,"columns":[{"name":"id","type":"text"},{"name":"name","type":"text"},{"name":"revenue","type":"number"}],"rows":[
            {"id":"A","name":"Ann, Ltd","revenue":5},
            {"id":"B","name":"Bo","revenue":0}
            ],"notes":[]}
            ],"messages":[]}

            """)
        #expect(try String(contentsOfFile: out + ".md", encoding: .utf8).hasPrefix("| id | name | revenue |\n"))
    }

    /// save and plot write through the path as sqlite3's .output does, and never over what
    /// they should not: a link stays a link, a 600 file stays 600, a read-only file, a
    /// directory and a file of a loaded snapshot are refused and keep their bytes.
    @Test func save_writes_through_links_and_modes_and_spares_what_it_must() throws {
        let f = Fixture(["customers.csv": "id\nA\n", "transactions.csv": "customer_id,date,amount\nA,2024-01-01,5\n"])
        let d = f.directory, fm = FileManager.default
        try "old".write(toFile: d + "/target.csv", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: d + "/link.csv", withDestinationPath: "target.csv")
        try "secret".write(toFile: d + "/private.csv", atomically: true, encoding: .utf8)
        chmod(d + "/private.csv", 0o600)
        try "keep".write(toFile: d + "/ro.csv", atomically: true, encoding: .utf8)
        chmod(d + "/ro.csv", 0o444)
        try fm.createDirectory(atPath: d + "/folder", withIntermediateDirectories: false)
        let session = Session()
        _ = run("load \"\(d)\" as t\ncustomers show id", session: session)
        for name in ["link.csv", "private.csv", "new.csv"] {
            #expect(run("save to \"\(d)/\(name)\"", session: session).outcome == .completed)
        }
        #expect(try fm.destinationOfSymbolicLink(atPath: d + "/link.csv") == "target.csv")  // still a link
        #expect(try String(contentsOfFile: d + "/target.csv", encoding: .utf8) == "id\nA\n")  // written through it
        #expect((try fm.attributesOfItem(atPath: d + "/private.csv")[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: d + "/new.csv", encoding: .utf8) == "id\nA\n")
        for (name, why) in [("ro.csv", "is read-only"), ("folder", "is a directory"), ("customers.csv", "is a file of the loaded snapshot t")] {
            let before = try? String(contentsOfFile: d + "/" + name, encoding: .utf8)
            let result = run("save to \"\(d)/\(name)\"", session: session)
            #expect(result.outcome == .failed && result.err.contains(why), "\(name): \(result.err)")
            #expect((try? String(contentsOfFile: d + "/" + name, encoding: .utf8)) == before, "\(name) changed")
        }
        // Through a link to a snapshot's file is the snapshot's file too.
        try fm.createSymbolicLink(atPath: d + "/alias.csv", withDestinationPath: d + "/transactions.csv")
        #expect(run("save to \"\(d)/alias.csv\"", session: session).err.contains("is a file of the loaded snapshot t"))
        #expect(run("plot pareto by revenue to \"\(d)/customers.csv\"", session: session).err.contains("loaded snapshot t"))
        #expect(!(try fm.contentsOfDirectory(atPath: d)).contains { $0.hasPrefix(".crmq-write-") })  // no temporary left
    }

    /// .read says which of the things that can be wrong with the file is.
    @Test func read_says_why_a_file_cannot_be_read() {
        #expect(run(".read \(NSTemporaryDirectory())").err.contains("it is a directory, not a script"))
        #expect(run(".read /no/such/script.crmq").err.contains("cannot read /no/such/script.crmq: no such file"))
        let f = Fixture([:])
        f.writeBytes("bad.crmq", [0x63, 0xFF, 0xFE])
        #expect(run(".read \(f.directory)/bad.crmq").err.contains("it is not UTF-8 text"))
    }

    /// A file the kernel makes up says its size is 0 and still holds text: it is read to its
    /// end, so the error is about what it holds, not that it is empty.
    @Test func a_file_that_says_it_is_empty_but_is_not_is_read() throws {
        guard let version = try? String(contentsOfFile: "/proc/version", encoding: .utf8), !version.isEmpty else { return }
        let result = run("load \"/proc/version\"")
        #expect(result.outcome == .failed && result.err.contains("Linux version") && !result.err.contains("empty"), "\(result.err)")
    }

    @Test func save_without_a_result_is_an_error() {
        #expect(run("save to \"x.csv\"").err.contains("there is no result to save yet"))
    }

    @Test func read_runs_a_script_and_names_it_in_errors() throws {
        let f = Fixture(["customers.csv": "id\nA\n", "transactions.csv": "customer_id,date,amount\nA,2024-01-01,5\n"])
        f.write("script.crmq", "load \"\(f.directory)\"\ncount\ncount where nope > 1\n")
        let result = run(".read \(f.directory)/script.crmq")
        #expect(result.out.contains("customers"))
        #expect(result.err.hasPrefix("\(f.directory)/script.crmq:3:13: error: unknown field `nope`"))
        #expect(result.outcome == .failed)
    }
}

/// A filter is evaluated 8,192 rows at a time, reading number columns in place: conditions
/// of every operand shape over 20,000 customers (two whole chunks and a part), counted
/// against the same arithmetic done row by row here.
@Suite struct ChunkedFilterTests {
    static let n = 20_000
    // Customer i: satisfaction i % 11 (none when i % 13 == 0), one purchase of i % 97 + 1.
    static func satisfaction(_ i: Int) -> Double? { i % 13 == 0 ? nil : Double(i % 11) }
    static func revenue(_ i: Int) -> Double { Double(i % 97 + 1) }

    static let fixture: Fixture = {
        var customers = "id,satisfaction\n", transactions = "customer_id,date,amount\n"
        for i in 0..<n {
            customers += "c\(i),\(satisfaction(i).map { String(Int($0)) } ?? "")\n"
            transactions += "c\(i),2024-01-01,\(Int(revenue(i)))\n"
        }
        return Fixture(["snapshot.json": #"{"as_of": "2024-06-30"}"#, "customers.csv": customers, "transactions.csv": transactions])
    }()

    func count(_ condition: String) -> String {
        let session = Session()
        _ = run("load \"\(Self.fixture.directory)\" as t", session: session)
        return run("count where \(condition)", session: session, mode: .csv).out
    }

    func expected(_ holds: (_ satisfaction: Double?, _ revenue: Double) -> Bool) -> String {
        "customers\n\((0..<Self.n).filter { holds(Self.satisfaction($0), Self.revenue($0)) }.count)\n"
    }

    @Test func every_operand_shape_matches_a_row_by_row_count() {
        // column × number vs column / number: two computed columns compared.
        #expect(count("satisfaction * 2 > revenue / 10") == expected { s, r in s.map { $0 * 2 > r / 10 } ?? false })
        // A number on the left: the comparison is flipped.
        #expect(count("50 < revenue") == expected { _, r in 50 < r })
        // Negation and a column compared with a number.
        #expect(count("-revenue <= -50") == expected { _, r in -r <= -50 })
        // number − column against a column with nulls.
        #expect(count("100 - revenue > satisfaction") == expected { s, r in s.map { 100 - r > $0 } ?? false })
        // Two conditions: `and` of two chunked masks.
        #expect(count("satisfaction >= 5 and revenue / satisfaction > 10") == expected { s, r in
            guard let s, s >= 5 else { return false }
            return r / s > 10
        })
    }
}
