import Foundation
import Testing
@testable import CRMQ

/// Every statement is declared once (`StatementCatalog.all`); these walk the list, so that a
/// statement added there is parsed, printed, helped and completed like the others or fails here.
@Suite struct StatementCatalogTests {
    static let statements = StatementCatalog.all.map { ($0.word, $0.topic) }

    /// Each line of a statement's help example, one statement each.
    static func examples(_ type: any Statement.Type) -> [String] {
        type.help.example.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test(arguments: StatementCatalog.all.map { $0.topic })
    func the_help_example_parses_prints_back_and_parses_to_the_same_text(_ topic: String) throws {
        let type = try #require(StatementCatalog.all.first { $0.topic == topic })
        for example in Self.examples(type) {
            var parser = Parser(example)
            let statement = try #require(try parser.next(), "\(example)")
            #expect(try parser.next() == nil, "\(example) is more than one statement")
            var again = Parser(statement.text)
            #expect(try again.next()?.text == statement.text, "\(example) printed as \(statement.text)")
        }
        // The example is of this statement (the others may set the stage).
        var parser = Parser(Self.examples(type).last!)
        let last = try #require(try parser.next())
        #expect(Swift.type(of: last.statement) == type || topic == "help" || topic == "dot", "\(topic)'s example is a \(Swift.type(of: last.statement))")
    }

    @Test(arguments: StatementCatalog.all.map { $0.topic })
    func help_answers_with_the_syntax_and_the_overview_lists_it(_ topic: String) throws {
        let type = try #require(StatementCatalog.all.first { $0.topic == topic })
        let (out, err, _) = run("help \(topic)")
        #expect(err.isEmpty, "\(err)")
        #expect(out.hasPrefix(type.help.syntax), "help \(topic):\n\(out)")
        #expect(out.contains("example: \(type.help.example)"))
        let overview = run("help").out
        #expect(overview.contains("\n  \(topic) ") && overview.contains(type.help.brief), "\(topic) missing from:\n\(overview)")
    }

    @Test(arguments: StatementCatalog.commands)
    func tab_offers_the_command_where_a_statement_starts(_ word: String) {
        let candidates = Completer(session: Session()).complete(String(word.prefix(2)), cursor: 2).candidates
        #expect(candidates.contains(word), "\(word.prefix(2)) offered \(candidates)")
    }

    @Test func tab_offers_every_dot_command() {
        let candidates = Completer(session: Session()).complete(".", cursor: 1).candidates
        #expect(candidates == DotCommandStatement.names.map { "." + $0 }.sorted())
    }

    @Test func one_word_starts_one_statement() {
        let words = StatementCatalog.all.map { $0.word }
        #expect(Set(words).count == words.count, "\(words)")
    }

    @Test func plot_takes_exactly_the_statements_that_draw_a_chart() throws {
        for declared in StatementCatalog.all where declared.word != "." && declared.word != "plot" {
            var parser = Parser("plot \(Self.examples(declared).last!) to \"x.svg\"")
            let draws = declared.drawsChart, word = declared.word
            do {
                _ = try parser.next()
                #expect(draws, "plot took \(word), which draws no chart")
            } catch {
                #expect(!draws, "plot refused \(word): \(error.message)")
                #expect(error.message == "`\(word)` draws no chart", "\(error.message)")
                #expect(error.hint?.contains(StatementCatalog.charting.joined(separator: ", ")) == true)
            }
        }
    }

    /// `plot` reads the statement it draws up to `to`: each with its optional words.
    @Test(arguments: [
        "plot validate to \"v.svg\"",
        "plot validate holdout 1998-06-30 to \"v.svg\"",
        "plot pareto to \"p.svg\"",
        "plot pareto by revenue where region = 'West' to \"p.svg\"",
        "plot compare q1 q2 by region to \"m.svg\"",
        "plot valuestar for segment \"retail\" to \"s.svg\"",
        "plot rfm in vip to \"r.svg\"",
    ])
    func plot_reads_the_statement_up_to_to(_ text: String) throws {
        var parser = Parser(text)
        let parsed = try #require(try parser.next())
        #expect(parsed.text == text)
    }

    /// A statement that fails inside `plot` leaves nothing behind for the next one.
    @Test func after_a_failed_plot_to_is_an_ordinary_word_again() throws {
        var parser = Parser("plot pareto by nothing to \"p.svg\"\ncustomers where to > 1")
        #expect(throws: Diagnostic.self) { try parser.next() }
        #expect(try parser.next()?.text == "customers where to > 1")
    }
}

extension CommandLineTests {
    /// Every example in `help` runs on the bundled data as written, in a folder of its own
    /// (so that the files `plot` and `save` write land there).
    @Test(arguments: StatementCatalog.all.map { $0.topic })
    func the_help_example_runs_on_the_bundled_data(_ topic: String) throws {
        let type = try #require(StatementCatalog.all.first { $0.topic == topic })
        let folder = NSTemporaryDirectory() + "crmq-example-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createSymbolicLink(atPath: folder + "/examples", withDestinationPath: repositoryRoot + "/examples")
        // The last-result statements need a result first; everything else starts from acme.
        let before = ["save", "dot"].contains(topic) ? ["-c", "customers limit 3"] : []
        let r = try crmq(["examples/acme"] + before + ["-c", type.help.example], in: folder)
        #expect(r.status == 0, "\(topic): \(type.help.example)\n\(r.err)")
        #expect(!r.out.isEmpty || topic == "dot", "\(topic) printed nothing")
    }
}
