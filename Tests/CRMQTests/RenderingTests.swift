import Testing
@testable import CRMQ

@Suite struct RenderingTests {
    let table = ResultTable(columns: [
        ResultColumn("name", .text(TextColumn(["用友建材", "Müller, \"GmbH\"", "Acme"]))),
        ResultColumn("revenue", unit: .money, .number([1234567.891, -5, .nan])),
        ResultColumn("share", unit: .ratio, .number([0.1234, 1, 0])),
        ResultColumn("since", .date([CalendarDay.parse("2024-06-30")!, CalendarDay.null, 0])),
    ])

    @Test func wide_characters_take_two_columns_and_stay_aligned() {
        let lines = TableRenderer().render(table).split(separator: "\n").map(String.init)
        // name is 14 columns wide (Müller, "GmbH"), 用友建材 takes 8 of them; revenue 12 (1,234,567.89);
        // two spaces between columns; numbers right-aligned; the last column is not padded.
        #expect(lines[0] == "name" + String(repeating: " ", count: 10 + 2 + 5) + "revenue   share  since")
        #expect(lines[2] == "用友建材" + String(repeating: " ", count: 6 + 2) + "1,234,567.89   12.3%  2024-06-30")
        #expect(lines[3] == "Müller, \"GmbH\"" + String(repeating: " ", count: 2 + 7) + "-5.00  100.0%  null")
        #expect(DisplayWidth.of("用友") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)  // e + combining acute
    }

    @Test func csv_quotes_what_needs_quoting_and_keeps_every_digit() {
        #expect(CSVRenderer.render(table) == #"""
            name,revenue,share,since
            用友建材,1234567.891,0.1234,2024-06-30
            "Müller, ""GmbH""",-5,1,
            Acme,,0,1970-01-01

            """#)
    }

    @Test func json_is_a_document_per_statement_with_rows_as_objects_and_nulls() {
        var titled = table
        titled.title = "three customers"
        titled.notes = ["one note"]
        let result = StatementResult([.table(titled), .message("said \"so\"\nover two lines")])
        #expect(JSONRenderer.render(result, statement: "customers") == #"""
            {"statement":"customers","tables":[
            {"title":"three customers","columns":[{"name":"name","type":"text"},{"name":"revenue","type":"number"},{"name":"share","type":"number"},{"name":"since","type":"date"}],"rows":[
            {"name":"用友建材","revenue":1234567.891,"share":0.1234,"since":"2024-06-30"},
            {"name":"Müller, \"GmbH\"","revenue":-5,"share":1,"since":null},
            {"name":"Acme","revenue":null,"share":0,"since":"1970-01-01"}
            ],"notes":["one note"]}
            ],"messages":["said \"so\"\nover two lines"]}

            """#)
        #expect(JSONRenderer.render(StatementResult([.table(ResultTable(columns: [ResultColumn("x", .number([]))]))]), statement: "x") == """
            {"statement":"x","tables":[
            {"title":null,"columns":[{"name":"x","type":"number"}],"rows":[],"notes":[]}
            ],"messages":[]}

            """)
    }

    @Test func csv_carries_notes_and_messages_as_tables_of_their_own() {
        var noted = table
        noted.notes = ["a note, with a comma"]
        #expect(CSVRenderer.render(StatementResult([.table(noted), .message("done")])) == CSVRenderer.render(table) + """

            note
            "a note, with a comma"

            message
            done

            """)
    }

    /// Control characters in data are shown, not obeyed: ESC, a window title's OSC and BEL,
    /// a newline inside a name. The table keeps its lines and its alignment.
    @Test func control_characters_in_data_are_shown_as_escapes() {
        let evil = ResultTable(title: "a\u{1B}[2J title", columns: [
            ResultColumn("name", .text(TextColumn(["Evil\u{1B}]0;pwned\u{07}Corp", "Two\nLines", "\u{9B}31m"]))),
            ResultColumn("n", unit: .count, .number([1, 2, 3])),
        ], notes: ["note \u{1B}[5m"])
        let table = TableRenderer().render(evil)
        #expect(!table.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
        #expect(table.contains("Evil\\x1b]0;pwned\\x07Corp") && table.contains("Two\\nLines") && table.contains("\\x9b31m"))
        #expect(table.split(separator: "\n").count == 1 + 2 + 3 + 1)  // title, header and rule, three rows, the note
        let rows = table.split(separator: "\n").dropFirst(3).prefix(3)
        #expect(Set(rows.map { DisplayWidth.of($0) }).count == 1)  // aligned: each row as wide
        #expect(!MarkdownRenderer.render(evil).unicodeScalars.contains { $0.value == 0x1B })
        // An error that quotes data: the message, the line and the hint are escaped too.
        let source = "profile \"A\u{1B}[2JB\""
        let shown = DiagnosticRenderer(source: source).render(Diagnostic("no customer `A\u{1B}[2JB`", at: SourceRange(8, source.utf8.count)))
        #expect(!shown.unicodeScalars.contains { $0.value == 0x1B } && shown.contains("A\\x1b[2JB"))
        // JSON escapes them itself; CSV keeps the data's bytes for a file.
        #expect(JSONRenderer.render(StatementResult([.table(evil)]), statement: "x").contains("\\u001b"))
        #expect(CSVRenderer.render(evil).contains("Evil\u{1B}]0;pwned\u{07}Corp"))
    }

    /// CSV keeps the data's bytes for a file or a pipe, and escapes them at a terminal.
    @Test func csv_escapes_control_characters_only_at_a_terminal() {
        let f = Fixture(["customers.csv": "id,name\nA,\"Evil\u{1B}[2J\"\n", "transactions.csv": "customer_id,date,amount\nA,2024-01-01,5\n"])
        let session = Session()
        _ = run("load \"\(f.directory)\"", session: session)
        for (width, expected) in [(nil, "A,Evil\u{1B}[2J\n"), (Optional(80), "A,Evil\\x1b[2J\n")] {
            let capture = Capture()
            StatementRunner(session: session, sink: capture, mode: .csv, layout: TableLayout(width: width), stopOnError: true).run("customers show id, name")
            #expect(capture.out.hasSuffix(expected), "\(capture.out.debugDescription)")
        }
    }

    /// A 10 MB line in an error shows the window around the token, not the whole line.
    @Test func an_error_in_a_huge_line_shows_the_window_around_the_token() {
        let line = String(repeating: "a", count: 1_000_000) + " bad " + String(repeating: "b", count: 1_000_000)
        let at = 1_000_001
        let shown = DiagnosticRenderer(source: line).render(Diagnostic("unknown `\(String(repeating: "z", count: 5000))`", at: SourceRange(at, at + 3)))
        let lines = shown.split(separator: "\n")
        #expect(lines.allSatisfy { DisplayWidth.of($0) < 200 }, "\(lines.map { DisplayWidth.of($0) })")
        #expect(lines[1].contains("…aaa") && lines[1].contains("a bad bbb") && lines[1].hasSuffix("…") && lines[2].hasSuffix("^~~"))
        // The caret stands under the token.
        #expect(lines[2].count - 3 == lines[1].distance(from: lines[1].startIndex, to: lines[1].range(of: "bad")!.lowerBound))
    }

    /// Prose fits the window: each continuation under where its line's text begins.
    @Test func prose_wraps_to_the_width_under_its_label_bullet_or_indent() {
        let plan = "why:           value at risk 32.53 = clv 51,069.43 × (1 − p_alive 99.9%)"
        #expect(TextWrap.wrap(plan, width: 40) == """
            why:           value at risk 32.53 = clv
                           51,069.43 × (1 − p_alive
                           99.9%)
            """)
        #expect(TextWrap.wrap("what to do:    move it to a cheaper channel and cut its cost", width: 40) == """
            what to do:    move it to a cheaper
                           channel and cut its cost
            """)
        #expect(TextWrap.wrap("  customers  List customers: those of a named segment", width: 40) == """
              customers  List customers: those of a
                         named segment
            """)
        #expect(TextWrap.wrap("6. Margin ratio = margin / revenue = 44,573.60 / 368,601.67", width: 40) == """
            6. Margin ratio = margin / revenue =
               44,573.60 / 368,601.67
            """)
        // "  · spend 93,487.25 in the" is 26 columns; " last" would make 31.
        #expect(TextWrap.wrap("  · spend 93,487.25 in the last 26 weeks against 80,741.38", width: 30) == """
              · spend 93,487.25 in the
                last 26 weeks against
                80,741.38
            """)
        // Wide characters count twice: 用友建材 is eight columns.
        #expect(TextWrap.wrap("用友建材 用友建材 用友建材 用友建材", width: 20) == "用友建材 用友建材\n用友建材 用友建材")
        let short = "fits already\n  and so does this"
        #expect(TextWrap.wrap(short, width: 20) == short)
        #expect(TextWrap.wrap(plan, width: nil) == plan)  // not on a terminal: as it is
        for width in 20...80 {
            for line in TextWrap.wrap(plan + " " + plan, width: width).split(separator: "\n") {
                #expect(DisplayWidth.of(line) <= width, "\(line) is wider than \(width)")
            }
        }
    }

    @Test func markdown_right_aligns_numbers() {
        let lines = MarkdownRenderer.render(table).split(separator: "\n")
        #expect(lines[1] == "| --- | ---: | ---: | --- |")
        #expect(lines[3] == "| Müller, \"GmbH\" | -5.00 | 100.0% | null |")
    }

    @Test func long_tables_on_a_terminal_elide_the_middle_rows() {
        let long = ResultTable(columns: [ResultColumn("n", unit: .count, .number((1...100).map(Double.init)))])
        let lines = TableRenderer(layout: TableLayout(maxRows: 4)).render(long).split(separator: "\n").map(String.init)
        #expect(lines.map { $0.trimmingCharacters(in: " ") } == ["n", "───", "1", "2", "… 96 more rows (100 in all; .maxrows 0 shows all) …", "99", "100"])
    }

    @Test func narrow_terminals_cut_text_columns_then_leave_columns_off() {
        // 14 + 12 + 6 + 10 columns and three gaps of 2 make 48; in 46 the name column gives up 2.
        let lines = TableRenderer(layout: TableLayout(width: 46)).render(table).split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 46 })
        #expect(lines[3].hasPrefix("Müller, \"Gm…"))  // 11 characters and … in 12 columns
        // In 30 the name column stops at 12 and the columns after revenue (12 + 2 + 12 = 26) are left off.
        let narrow = TableRenderer(layout: TableLayout(width: 30)).render(table).split(separator: "\n").map(String.init)
        #expect(narrow.dropLast().allSatisfy { DisplayWidth.of($0) <= 30 })
        #expect(narrow[2] == "用友建材      1,234,567.89")
        #expect(narrow.last == "… 2 more columns off the screen: share, since (.last shows all)")
    }

    @Test func numbers_are_grouped_and_rounded_half_away_from_zero() {
        #expect(NumberText.grouped(1234567.125, decimals: 2) == "1,234,567.13")
        #expect(NumberText.grouped(-0.004, decimals: 2) == "0.00")
        #expect(NumberText.grouped(-999.995, decimals: 2) == "-1,000.00")
        #expect(NumberText.plain(12) == "12")
        #expect(NumberText.plain(0.1) == "0.1")
        #expect(NumberText.counted(1, "customer") == "1 customer")
        #expect(NumberText.counted(0, "customer") == "0 customers")
        #expect(NumberText.counted(12345, "row") == "12,345 rows")
        // Plain figures keep four decimals and drop trailing zeros: a tiny one rounds to 0, never "0.".
        #expect(ValueText.display(0.00123, unit: .plain) == "0.0012")
        #expect(ValueText.display(7.6e-16, unit: .plain) == "0")
        #expect(ValueText.display(-1e-9, unit: .plain) == "0")
    }

    @Test func a_diagnostic_puts_a_caret_under_the_token() {
        let source = "count\ncount where 用友 > 1"
        let text = DiagnosticRenderer(source: source, fileName: "x.crmq").render(Diagnostic("unknown field `用友`", at: SourceRange(18, 24), hint: "h"))
        #expect(text == "x.crmq:2:13: error: unknown field `用友`\n  count where 用友 > 1\n              ^~~~\n  h\n")  // 用友 is four columns wide
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String { trimming(set) }
}
