import Testing
@testable import CRMQ

@Suite struct LexerTests {
    func kinds(_ text: String) -> [Token.Kind] { Lexer.tokens(text).map(\.kind) }

    @Test func numbers_take_k_m_and_percent_suffixes() {
        #expect(kinds("10k 2.5m 5% 1_000") == [
            .number(10_000, percent: false), .number(2_500_000, percent: false), .number(0.05, percent: true),
            .number(1000, percent: false), .separator, .end,
        ])
    }

    @Test func a_date_is_one_token() {
        #expect(kinds("2024-06-30") == [.date(CalendarDay.from(year: 2024, month: 6, day: 30)), .separator, .end])
        guard case .invalid = kinds("2024-02-30")[0] else { Issue.record("30 February lexed as a date"); return }
    }

    @Test func a_newline_ends_a_statement_but_not_inside_parentheses_or_after_an_operator() {
        let separators = { (text: String) in self.kinds(text).filter { $0 == .separator }.count }
        #expect(separators("count\ncount") == 2)
        #expect(separators("count where (revenue\n> 10)") == 1)
        #expect(separators("count where revenue >\n10") == 1)
        #expect(separators("count where a = 1 and\nb = 2") == 1)
        #expect(separators("count; count") == 2)
        #expect(separators("customers\n  where revenue > 1 -- big\n  -- and recent\n  order by id\n  show id\ncount") == 2)
        #expect(separators("customers\nshowcase") == 2)
    }

    @Test func comments_run_to_the_end_of_the_line() {
        #expect(kinds("count -- how many?\n") == [.word("count", key: "count"), .separator, .end])
    }

    @Test func a_dot_command_takes_the_rest_of_its_line() {
        #expect(kinds(".read my file.crmq\ncount") == [
            .dotCommand("read", argument: "my file.crmq"), .separator, .word("count", key: "count"), .separator, .end,
        ])
    }

    @Test func words_may_be_in_any_script() {
        #expect(kinds("profile 用友建材") == [.word("profile", key: "profile"), .word("用友建材", key: "用友建材"), .separator, .end])
    }

    @Test func an_unterminated_string_is_an_invalid_token_where_it_starts() {
        let tokens = Lexer.tokens("count where name = 'Acme")
        guard case .invalid(let message) = tokens[4].kind else { Issue.record("no invalid token"); return }
        #expect(message.contains("unterminated"))
        #expect(tokens[4].range.start == 19)
    }

    @Test func open_statements_are_recognised_for_the_prompt() {
        #expect(Lexer.isOpen("count where (revenue > 10"))
        #expect(Lexer.isOpen("count where revenue >"))
        #expect(Lexer.isOpen("count where a = 1 and"))
        #expect(!Lexer.isOpen("count where revenue > 10"))
        #expect(!Lexer.isOpen("count where revenue >;"))
        #expect(!Lexer.isOpen(""))
    }
}
