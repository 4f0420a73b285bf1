import Testing
@testable import CRMQ

@Suite struct ParserTests {
    func parse(_ text: String) throws -> any Statement {
        var parser = Parser(text)
        return try #require(try parser.next()).statement
    }

    func error(_ text: String) -> Diagnostic? {
        var parser = Parser(text)
        do {
            _ = try parser.next()
            return nil
        } catch {
            return error
        }
    }

    static let forms = [
        "load \"examples/acme\" as q3 as of 2024-06-30",
        "load \"orders.csv\" columns (customer_id = Id, amount = Quantity * UnitPrice) format (delimiter ';', date 'DD.MM.YYYY') where status != 'refunded'",
        "load \"summary.csv\" format (time_unit 'days')",
        "load postgres \"postgresql://crm@localhost/shop\" as shop as of 2024-12-31 tables (transactions = 'crm.orders', customers = 'select * from crm.clients') columns (customer_id = client_no)",
        "load sqlite \"crm.db\" tables (transactions = sales)",
        "describe transactions where region = 'West'",
        "set margin_rate = 30%",
        "set fixed_costs = 120000",
        "use q3",
        "snapshots",
        "segments",
        "customers",
        "customers in vip where revenue > 10000 and not (segment = 'retail') order by profit desc, id limit 5 show id, revenue / orders as aov2",
        "count where name like 'Acme%' or region in ('North', 'South')",
        "count where last_purchase between 2024-01-01 and 2024-06-30 and margin is not null",
        "segment where revenue > 10000 as vip",
        "segment by region where days_since < 90 show count, sum(revenue), share(profit) as p",
        "profile \"Acme Corp\"",
        "set discount = 8%",
        "set horizon = 24 months",
        "set model = paretonbd",
        "fit bgnbd in vip where revenue > 0",
        "fit",
        "clv for ACME horizon 24 months discount 8%",
        "clv for \"Acme Corp\"",
        "settings",
        "credit",
        "credit for ACME",
        "credit in vip where revenue > 0",
        "valuestar",
        "valuestar for segment retail",
        "plan retention for ACME",
        "plan acquisition for segment vip",
        "plan development for \"Acme Corp\"",
        "compare q1 q2",
        "compare q1 q2 by region show lost",
        "whatif retention +5%",
        "whatif discount 12%",
        "whatif cost_to_serve -10% where region = 'West'",
        "valuemap for segment retail",
        "scorecard where region = 'North'",
        "assets in vip",
        "report where region = 'North' to \"north.html\"",
        "fit paretonbd with gender, channel where gender is not null",
        "set covariates = gender, channel",
        "set covariates = none",
        "forecast new customer with gender = 1, channel = 'online' weeks 26",
        "forecast for 3000 opportunities 5",
        "help concept value chain",
        "plot pareto by revenue to \"whale.svg\"",
        "plot rfm where orders > 1 to \"rfm.svg\"",
        "explain portfolio for ACME",
        "save to \"out.csv\"",
        "help segment",
        ".mode csv",
        ".timer on",
        ".maxrows 10",
        ".quit",
    ]

    @Test(arguments: forms)
    func every_form_parses_and_prints_back_to_the_same_tree(_ text: String) throws {
        let statement = try parse(text)
        #expect(try parse(statement.description).description == statement.description)
    }

    @Test func operators_bind_as_in_sql() throws {
        guard let filter = try parse("count where a = 1 or b = 2 and not c > 3 + 4 * 5") as? CountStatement else { Issue.record(); return }
        #expect(filter.filter.condition?.description == "a = 1 or b = 2 and not c > 3 + 4 * 5")
        guard case .binary(.or, _, let right) = filter.filter.condition?.kind, case .binary(.and, _, let not) = right.kind,
              case .not(let comparison) = not.kind, case .binary(.greater, _, let sum) = comparison.kind,
              case .binary(.add, _, let product) = sum.kind, case .binary(.multiply, _, _) = product.kind
        else { Issue.record("wrong tree"); return }
    }

    @Test func an_unknown_command_points_at_it_and_suggests_the_closest() throws {
        let e = try #require(error("custmers where revenue > 1"))
        #expect(e.message == "unknown command `custmers`")
        #expect(e.range == SourceRange(0, 8))
        #expect(e.hint == "did you mean `customers`?")
    }

    @Test func a_missing_value_points_at_the_end() throws {
        let e = try #require(error("count where revenue >"))
        #expect(e.message == "expected a value or a field, found the end of the statement")
        #expect(e.range?.start == 21)
    }

    @Test func an_unclosed_parenthesis_is_reported_at_the_end() throws {
        let e = try #require(error("count where (revenue > 1"))
        #expect(e.message.hasPrefix("expected `)`"))
    }

    @Test func a_name_with_spaces_needs_quotes() throws {
        let e = try #require(error("profile Acme Corp"))
        #expect(e.range == SourceRange(13, 17))
        #expect(e.hint?.contains("profile \"Acme Corp\"") == true)
    }

    @Test func after_an_error_the_next_statement_parses() throws {
        var parser = Parser("count where > 1; count where revenue > 1")
        #expect(throws: Diagnostic.self) { try parser.next() }
        #expect(try #require(try parser.next()).statement is CountStatement)
        #expect(try parser.next() == nil)
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// neighbours, each one edit; counted by hand.
    @Test func edit_distance_by_hand() {
        #expect(Suggestion.distance("mdoe", "mode") == 1)        // one swap
        #expect(Suggestion.distance("revnue", "revenue") == 1)   // one insertion
        #expect(Suggestion.distance("kitten", "sitting") == 3)   // k→s, e→i, +g
        #expect(Suggestion.distance("", "abc") == 3)
        #expect(Suggestion.distance("Müller", "muller") == 1)    // case folded, ü ≠ u
        #expect(Suggestion.distance("用友", "用友建材") == 2)
        #expect(Suggestion.distance("ca", "abc") == 3)           // OSA: a swap cannot be edited again
    }

    /// A pasted megabyte is no word anyone misspelt: no suggestion, and no quadratic work.
    @Test func a_huge_unknown_word_gets_no_suggestion() {
        let huge = String(repeating: "x", count: 1_000_000)
        #expect(Suggestion.closest(to: huge, in: ["revenue", String(repeating: "x", count: 999_999)]) == [])
        #expect(Suggestion.closest(to: "revnue", in: ["revenue", "recency", String(repeating: "r", count: 10_000)]) == ["revenue"])
    }

    @Test func an_unknown_dot_command_suggests_the_closest() throws {
        let e = try #require(error(".mdoe csv"))
        #expect(e.hint == "did you mean `.mode`?")
    }

    /// Any bytes at all: the parser answers with statements or diagnostics, never a crash or a hang.
    @Test func random_input_never_crashes_the_parser() {
        var generator = SplitMix(seed: 42)
        let alphabet = Array("customers where order by limit show segment count and or not in like between is null ( ) , ; ' \" . - + * / = < > ! 0123456789 k m % 2024-06-30 \n\t 用 ü é".unicodeScalars)
        for _ in 0..<5000 {
            var text = ""
            for _ in 0..<generator.next(below: 60) { text.unicodeScalars.append(alphabet[generator.next(below: alphabet.count)]) }
            #expect(Self.reachesTheEnd(text), "the parser did not reach the end of \(text.debugDescription)")
        }
    }
}

extension ParserTests {
    /// Parses statement after statement, errors and all: true when the end is reached in
    /// fewer steps than the text has bytes (each step consumes at least one token).
    static func reachesTheEnd(_ text: String) -> Bool {
        var parser = Parser(text)
        for _ in 0...(text.utf8.count + 1) {
            do {
                if try parser.next() == nil { return true }
            } catch {}
        }
        return false
    }

    /// Arbitrary bytes, decoded as a terminal or a file would hand them over.
    @Test func arbitrary_bytes_never_crash_the_parser() {
        var generator = SplitMix(seed: 99)
        for _ in 0..<3000 {
            let bytes = (0..<generator.next(below: 80)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(Self.reachesTheEnd(text), "the parser did not reach the end of \(text.debugDescription)")
        }
    }
}

/// A small seeded generator, so that random tests repeat exactly.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func next(below n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// No password of a connection string is shown: not in errors, echoed statements, JSON or history.
@Suite struct SecretsTests {
    @Test func passwords_in_connection_strings_are_redacted_and_masked() {
        let uri = #"load postgres "postgresql://ann:s3cret@db.example:5432/shop?sslmode=require" tables (transactions = orders)"#
        #expect(Secrets.redacted(uri) == #"load postgres "postgresql://ann:***@db.example:5432/shop?sslmode=require" tables (transactions = orders)"#)
        // Masked byte for byte, so that a caret under `orders` still points at it.
        let masked = Secrets.masked(uri)
        #expect(masked.utf8.count == uri.utf8.count && !masked.contains("s3cret") && masked.contains("ann:******@db"))
        #expect(Secrets.redacted("host=/tmp dbname=shop user=ann password=s3cret") == "host=/tmp dbname=shop user=ann password=***")
        #expect(Secrets.redacted(#"host=x PASSWORD='a \'b' user=ann"#) == "host=x PASSWORD='***' user=ann")  // libpq's quoting
        // Nothing that looks like a password is left alone.
        #expect(Secrets.redacted("postgresql://ann@db/shop") == "postgresql://ann@db/shop")
        #expect(Secrets.redacted("count where revenue > 10k") == "count where revenue > 10k")
    }

    @Test func an_error_in_a_load_with_a_password_echoes_no_password() {
        let result = run(#"load postgres "postgresql://ann:s3cret@/shop?host=/nonexistent" tables (transactions = orders)"#, mode: .json)
        #expect(result.outcome == .failed && result.err.contains("ann:******@") && !result.err.contains("s3cret"), "\(result.err)")
    }
}
