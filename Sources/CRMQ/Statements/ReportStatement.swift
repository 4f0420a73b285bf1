/// `report [in S] [where …] to "FILE.html"`: a page to hand a manager or a class.
struct ReportStatement: Statement {
    var filter = CustomerFilter()
    var path: String

    static let word = "report"
    static let help = StatementHelp(
        syntax: "report [in SEGMENT] [where EXPR] to \"FILE.html\"|\"FILE.md\"",
        summary: "Write a report to look at: the book at a glance, the whale curve, the portfolio and RFM grids, the lifetime value "
            + "distribution, the model against a holdout, the customers most worth a retention call, the credit watch list, the value "
            + "star and value map, each with a sentence of what it shows. One self-contained HTML page (no script, nothing fetched), "
            + "or Markdown with its charts as SVG files beside it. What the data cannot show is listed, not invented.",
        example: "report where region = 'North' to \"north.html\"")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        let outer = parser.terminators
        parser.terminators.insert("to")
        let filter = try parser.filter()
        parser.terminators = outer
        try parser.expect("to")
        return Self(filter: filter, path: try parser.path("a file name in quotes, like \"report.html\""))
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        if typed.lastWord == "to" { return .paths(endings: [".html", ".md"]) }
        return .clauses(typed, first: ["in", "where", "to"])
    }

    var description: String { "report" + SourceText.filter(filter) + " to \(SourceText.quoted(path))" }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let lower = path.lowercased()
        guard lower.hasSuffix(".html") || lower.hasSuffix(".htm") || lower.hasSuffix(".md") else {
            throw Diagnostic("a report is written as .html or .md, not \(path)", at: range, hint: "report to \"report.html\"")
        }
        let report = try ReportBuilder(scope: try session.scope(range), filter: filter, statement: description).report()
        return StatementResult([.report(report)], effect: .report(path))
    }
}
