/// `help [TOPIC]`: every statement's syntax, what it does and an example, from the
/// statements' own declarations; the fields and what they mean; how expressions are written.
struct HelpStatement: Statement {
    var topic: String?
    var range: SourceRange?

    static let word = "help"
    static let answersOnHistogram = true
    static let help = StatementHelp(
        syntax: "help [TOPIC]", summary: "This help. Topics: any command, fields, expressions, dot, concepts (the ideas of customer management, each with its statements and lesson).",
        example: "help concept value-chain")

    /// The topics beside the statements.
    static let otherTopics = ["fields", "expressions", "concepts", "concept"]

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        guard !parser.atStatementEnd else { return Self() }
        let start = parser.token.range
        while !parser.atStatementEnd { _ = parser.advance() }
        let range = start.to(parser.previous.range)
        // As written, so that `help concept whale-curve` keeps its dash; runs of spaces are one.
        let topic = parser.text(range).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return Self(topic: topic, range: range)
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        if typed.isEmpty { return .words(StatementCatalog.all.map { $0.topic } + otherTopics) }
        return typed.words == ["concept"] ? .words(Concept.allCases.map(\.name)) : .nothing
    }

    var description: String { "help" + (topic.map { " \($0)" } ?? "") }

    static let expressions = """
        Values     10000  10k  2.5m  5%  'text' or "text"  2024-06-30  true  false  null
        Arithmetic + - * /   (date + 30 is 30 days later; date - date is days)
        Compare    = != < <= > >=
        Logic      and  or  not
        Tests      x in (a, b)   x between a and b   name like 'Acme%' (% any text, _ one letter)   x is [not] null
        Aggregates count  sum(f)  avg(f)  min(f)  max(f)  median(f)  share(f)   (in segment by … show)
        A statement ends at a newline or `;`. It goes on over lines inside parentheses, after an operator,
        and when the next line starts with where, order, limit, show, and or or.
        `--` starts a comment. Keywords and field names are case-insensitive; text values are quoted: region = 'West'.
        """

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        guard let topic = topic?.lowercased() else { return .message(Prose(Self.overview)) }
        switch topic {
        case "fields", "field":
            let fields = session.fieldCatalog
            return StatementResult([.table(ResultTable(title: "fields", columns: [
                ResultColumn("field", .text(TextColumn(fields.map(\.name)))),
                ResultColumn("type", .text(TextColumn(fields.map(\.type.rawValue)))),
                ResultColumn("meaning", .text(TextColumn(fields.map(\.definition)))),
            ]))])
        case "expressions", "expression", "expr": return .message(Prose(Self.expressions))
        case "concepts", "concept": return Self.concepts
        case _ where topic.hasPrefix("concept "):
            let name = String(topic.dropFirst("concept ".count))
            guard let concept = Concept.named(name) else {
                throw Diagnostic(
                    "no concept `\(name)`", at: self.range ?? range,
                    hint: Suggestion.hint(for: name, in: Concept.allCases.map(\.name)) ?? "`help concepts` lists them")
            }
            return .message(Prose(concept.explanation))
        default:
            let word = topic.hasPrefix(".") ? "dot" : String(topic.split(separator: " ").first ?? "")
            guard let type = StatementCatalog.all.first(where: { $0.topic == word }) else {
                throw Diagnostic(
                    "no help on `\(topic)`", at: self.range ?? range,
                    hint: Suggestion.hint(for: word, in: StatementCatalog.all.map { $0.topic } + Self.otherTopics) ?? "`help` lists the topics")
            }
            return .message("\(type.help.syntax)\n\n\(type.help.summary)\n\nexample: \(type.help.example)")
        }
    }

    /// `help concepts`: each concept's name, title and source.
    static var concepts: StatementResult {
        let all = Concept.allCases
        return StatementResult([.table(ResultTable(title: "concepts", columns: [
            ResultColumn("concept", .text(TextColumn(all.map(\.name)))),
            ResultColumn("idea", .text(TextColumn(all.map(\.title)))),
            ResultColumn("source", .text(TextColumn(all.map(\.source)))),
        ], notes: ["help concept NAME explains one, with the statements that show it and its lesson"]))])
    }

    static var overview: String {
        let entries = StatementCatalog.all.map { ($0.topic, $0.help.brief) }
        let width = entries.map(\.0.count).max() ?? 0
        var lines = ["crmq asks a snapshot of customers and transactions questions about customer value.", ""]
        for (topic, brief) in entries {
            lines.append("  " + topic + String(repeating: " ", count: width - topic.count + 2) + brief)
        }
        lines += ["", "help TOPIC for more, help fields for the fields, help expressions for how to write conditions,",
                  "help concepts for the ideas of customer management and the statements that show them."]
        return lines.joined(separator: "\n")
    }
}

extension Statement {
    /// The word `help` files the statement under: its command word, `dot` for the dot-commands.
    static var topic: String { help.topic ?? word }
}
