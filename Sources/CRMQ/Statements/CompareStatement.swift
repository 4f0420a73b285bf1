/// `compare A B [by FIELD] [show retained|lost|new]`: two snapshots of the same customers.
struct CompareStatement: Statement {
    var first: Name
    var second: Name
    var by: Expr?
    var list: Spelled<ComparisonList>?

    static let word = "compare"
    static let drawsChart = true
    static let help = StatementHelp(
        syntax: "compare A B [by FIELD] [show retained|lost|new]",
        summary: "Two loaded snapshots compared. The retention rate (customers active in the earlier one's last 52 weeks "
            + "who are active in the later one's), retained, lost and new customers with their revenue and clv, and the "
            + "migration matrix of a segmentation (portfolio unless `by`).",
        example: "load \"examples/acme\" as h1 as of 2024-06-30; load \"examples/acme\" as h2; compare h1 h2 by portfolio")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        var statement = Self(first: try parser.name("the earlier snapshot's name"), second: try parser.name("the later snapshot's name"))
        if parser.accept("by") != nil { statement.by = try parser.expression() }
        if parser.accept("show") != nil { statement.list = try parser.choice("list") }
        return statement
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        if typed.count <= 1 { return .snapshots }
        switch typed.lastWord {
        case "by": return .fields(plus: [])
        case "show": return .choices(ComparisonList.self)
        default: return .words(["by", "show"])
        }
    }

    var description: String {
        "compare \(first.text) \(second.text)" + (by.map { " by \($0)" } ?? "") + (list.map { " show \($0.value.rawValue)" } ?? "")
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let hint = "load both first: load \"examples/acme\" as q1 as of 2023-12-31"
        var pair = [try session.snapshot(named: first, hint: hint), try session.snapshot(named: second, hint: hint)]
        guard pair[0] !== pair[1] else { throw Diagnostic("compare needs two different snapshots", at: second.range) }
        if pair[0].info.asOf > pair[1].info.asOf { pair.swapAt(0, 1) }
        return try Comparison(earlier: session.scope(of: pair[0]), later: session.scope(of: pair[1])).result(by: by, list: list?.value)
    }
}
