import Testing
@testable import CRMQ

@Suite struct CSVScannerTests {
    func records(_ text: String, delimiter: Delimiter = .comma) throws -> [[String]] {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            var scanner = CSVScanner(bytes: buffer, delimiter: delimiter)
            var fields = CSVFields()
            var out: [[String]] = []
            while try scanner.next(&fields) { out.append(fields.array.map { scanner.string(of: $0)! }) }
            return out
        }
    }

    @Test func quoted_fields_hold_commas_quotes_and_newlines() throws {
        #expect(try records("a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"\n") == [["a", "b,c", "say \"hi\"", "two\nlines"]])
    }

    /// The field buffer starts with room for 16 and doubles: a record of 100 fields after
    /// one of 3 and before one of 2 keeps every field, and the short ones after it no stale one.
    @Test func a_record_wider_than_the_buffer_grows_it_and_keeps_every_field() throws {
        let wide = (1...100).map { "f\($0)" }
        let text = "a,b,c\n" + wide.joined(separator: ",") + "\nx,y\n"
        #expect(try records(text) == [["a", "b", "c"], wide, ["x", "y"]])
    }

    @Test func crlf_line_ends_and_a_missing_final_newline() throws {
        #expect(try records("a,b\r\nc,d") == [["a", "b"], ["c", "d"]])
    }

    @Test func empty_fields_and_blank_lines() throws {
        #expect(try records("a,,\n\n,b,\n") == [["a", "", ""], ["", "b", ""]])
    }

    /// With runs of spaces for a delimiter, a line of spaces is blank: five million of them
    /// are skipped as one, not one call deeper each (which overflowed the stack).
    @Test func millions_of_lines_of_spaces_are_blank_lines() throws {
        let text = "  a  b\r\n" + String(repeating: "   \r\n", count: 5_000_000) + "  c  d\r\n"
        #expect(try records(text, delimiter: .spaces) == [["a", "b"], ["c", "d"]])
    }

    @Test func text_after_a_closing_quote_is_an_error() {
        #expect(throws: CSVSyntaxError.self) { try records("\"a\"b,c\n") }
    }

    @Test func numbers_parse_exactly() {
        #expect(DecimalParser.parse("12.34") == 12.34)
        #expect(DecimalParser.parse("-0.1") == -0.1)
        #expect(DecimalParser.parse(" 1e3 ") == 1000)
        #expect(DecimalParser.parse("123456789012345678901234") == 123456789012345678901234.0)
        #expect(DecimalParser.parse("0.30000000000000004") == 0.30000000000000004)
        #expect(DecimalParser.parse("1,5") == nil)
        #expect(DecimalParser.parse("nan") == nil)
        #expect(DecimalParser.parse("") == nil)
        #expect(DecimalParser.parse("1e") == nil)
    }

    /// Bare fields end at the first delimiter, CR or LF whether it falls inside an eight-byte
    /// word or in the bytes after the last whole word: every field length from 0 to 20, next
    /// to bytes that differ from a delimiter in one bit (`-` and `.` beside `,`, `\u{0B}` and
    /// `\u{0C}` beside LF and CR) and UTF-8 bytes of 0x80 and more, against a plain split.
    @Test func bare_fields_end_where_a_plain_split_ends_them() throws {
        let pieces = ["-", ".", "\u{0B}", "\u{0C}", "é", "€", "a", "0", " "]
        var generator = SystemRandomNumberGenerator()
        for delimiter in [Delimiter.comma, .semicolon, .tab, .pipe] {
            let separator = Character(UnicodeScalar(delimiter.byte))
            for length in 0...20 {
                for _ in 0..<20 {
                    let fields = (0..<3).map { _ in (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined() }
                    let line = fields.joined(separator: String(separator))
                    let end = ["\n", "\r\n"].randomElement(using: &generator)!
                    let text = line + end + "x" + String(separator) + "y"
                    #expect(try records(text, delimiter: delimiter) == [fields, ["x", "y"]], "\(text.debugDescription)")
                }
            }
        }
    }

    /// Short plain numbers take a path of their own; it must give the correctly rounded
    /// double — Swift's own `Double(String)` — for every one, and refuse what is no number.
    @Test func short_plain_numbers_read_as_the_correctly_rounded_double() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100_000 {
            let length = Int.random(in: 1...15, using: &generator)
            var text = String((0..<length).map { _ in "0123456789".randomElement(using: &generator)! })
            if Bool.random(using: &generator) {
                let at = text.index(text.startIndex, offsetBy: Int.random(in: 0..<length, using: &generator))
                text.replaceSubrange(at...at, with: ".")
            }
            let expected = text == "." ? nil : Double(text)
            #expect(DecimalParser.parse(text) == expected, "\(text)")
        }
        #expect(DecimalParser.parse("5.") == 5)
        #expect(DecimalParser.parse(".5") == 0.5)
        #expect(DecimalParser.parse("0.05") == 0.05)
        #expect(DecimalParser.parse("999999999999999") == 999_999_999_999_999)
        #expect(DecimalParser.parse("9999999999999999") == 1e16)  // 16 digits, the general path: 10^16 − 1 rounds to 10^16
        #expect(DecimalParser.parse(".") == nil)
        #expect(DecimalParser.parse("1.2.3") == nil)
        #expect(DecimalParser.parse("12a") == nil)
    }

    /// A European file's numbers: a plain one (digits and a decimal comma) by the short path,
    /// one with thousands marks by the general one, and a point that is no thousands mark refused.
    @Test func decimal_comma_numbers_read_by_either_path_alike() {
        var european = Dialect()
        european.decimal = 0x2C
        european.thousands = 0x2E
        func number(_ text: String, _ dialect: Dialect) -> Double? {
            Array(text.utf8).withUnsafeBufferPointer { dialect.number($0) }
        }
        #expect(number("12,5", european) == 12.5)
        #expect(number("1.234,56", european) == 1234.56)
        #expect(number("-1.234,56", european) == -1234.56)
        #expect(number("0,07", european) == 0.07)
        var commaOnly = european
        commaOnly.thousands = nil
        #expect(number("1.5", commaOnly) == nil)
        #expect(number("1,5,0", commaOnly) == nil)
        for _ in 0..<10_000 {
            let cents = Int.random(in: 0..<10_000_000)
            let text = "\(cents / 100),\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
            #expect(number(text, european) == Double("\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"), "\(text)")
        }
    }

    @Test func dates_round_trip_through_day_numbers() {
        for text in ["1970-01-01", "1997-09-30", "2000-02-29", "2024-12-31", "1899-03-01"] {
            #expect(CalendarDay.parse(text).map(CalendarDay.format) == text)
        }
        #expect(CalendarDay.parse("1970-01-02") == 1)
        #expect(CalendarDay.parse("2023-02-29") == nil)
        #expect(CalendarDay.parse("2024-06-30T12:00:00Z") == CalendarDay.parse("2024-06-30"))
    }
}
