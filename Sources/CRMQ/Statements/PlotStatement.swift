/// `plot STATEMENT to "FILE.svg"`: the chart of a statement that draws one, written as SVG.
struct PlotStatement: Statement {
    var inner: any Statement
    var innerRange: SourceRange
    var path: String

    static let word = "plot"
    static let help = StatementHelp(
        syntax: "plot STATEMENT to \"FILE.svg\"",
        summary: "Write a statement's chart to a file as SVG. The statements with a chart: "
            + "\(StatementCatalog.charting.joined(separator: ", ")).",
        example: "plot pareto by revenue to \"whale.svg\"")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        let start = parser.token.range
        let charts = StatementCatalog.charting
        guard let key = parser.token.key, let type = StatementCatalog.statement(startingWith: key), type.drawsChart else {
            let hint = "the statements with a chart: " + charts.joined(separator: ", ")
            if let key = parser.token.key, StatementCatalog.statement(startingWith: key) != nil {
                throw Diagnostic("`\(key)` draws no chart", at: parser.token.range, hint: hint)
            }
            throw parser.expected("a statement with a chart", hint: hint)
        }
        // `to` ends the statement drawn: `plot segment by region to "r.svg"`.
        let outer = parser.terminators
        parser.terminators.insert("to")
        let inner = try parser.statement()
        parser.terminators = outer
        let range = start.to(parser.previous.range)
        try parser.expect("to")
        return Self(inner: inner, innerRange: range, path: try parser.path("a file name in quotes, like \"chart.svg\""))
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        if typed.isEmpty { return .words(StatementCatalog.charting) }
        if typed.lastWord == "to" { return .paths(endings: nil) }
        let inner = TypedWords(tokens: Array(typed.tokens.dropFirst()))
        guard let key = typed.tokens.first?.key, let type = StatementCatalog.statement(startingWith: key) else { return .nothing }
        switch type.complete(inner) {
        case .words(let words): return .words(words + ["to"])
        case .nothing: return .words(["to"])
        case let hint: return hint
        }
    }

    var description: String { "plot \(inner) to \(SourceText.quoted(path))" }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let result = try inner.run(in: session, at: innerRange)
        guard let chart = result.charts.first else {
            // Why not, as the statement's own notes say (a total of 0), else the one case that
            // needs more words: valuestar draws one segment's bars.
            throw Diagnostic(
                "this statement draws no chart here", at: innerRange,
                hint: result.tables.flatMap(\.notes).last.map(ProseText.display) ?? "valuestar draws one for one segment: valuestar for segment S")
        }
        return StatementResult([.chart(chart)], effect: .plot(path))
    }
}
