/// `help [TOPIC]`: every statement's syntax, what it does and an example, from the
/// statements' own declarations; the fields and what they mean; how expressions are written.
struct HelpStatement: Statement {
    var topic: String?
    var range: SourceRange?

    static let word = "help"
    static let answersOnHistogram = true
    static let help = StatementHelp(
        syntax: "help [TOPIC]", summary: "This help. Topics: any command, fields, expressions, dot.", example: "help segment")

    /// The topics beside the statements.
    static let otherTopics = ["fields", "expressions"]

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        guard !parser.atStatementEnd else { return Self() }
        let start = parser.token.range
        var words: [String] = []
        while !parser.atStatementEnd { words.append(parser.text(parser.advance().range)) }
        return Self(topic: words.joined(separator: " "), range: start.to(parser.previous.range))
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        typed.isEmpty ? .words(StatementCatalog.all.map { $0.topic } + otherTopics) : .nothing
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

    static var overview: String {
        let entries = StatementCatalog.all.map { ($0.topic, $0.help.brief) }
        let width = entries.map(\.0.count).max() ?? 0
        var lines = ["crmq asks a snapshot of customers and transactions questions about customer value.", ""]
        for (topic, brief) in entries {
            lines.append("  " + topic + String(repeating: " ", count: width - topic.count + 2) + brief)
        }
        lines += ["", "help TOPIC for more, help fields for the fields, help expressions for how to write conditions."]
        return lines.joined(separator: "\n")
    }
}

extension Statement {
    /// The word `help` files the statement under: its command word, `dot` for the dot-commands.
    static var topic: String { help.topic ?? word }
}
