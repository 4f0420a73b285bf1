/// `segment where EXPR [as NAME]` sums up the customers meeting a condition (and names
/// them); `segment by EXPR [in S] [where …] [show …]` makes a row per value of a field.
struct SegmentStatement: Statement {
    enum Form: Sendable {
        case matching(Expr, name: Name?)
        case grouped(by: Expr, filter: CustomerFilter, show: [ShowItem])
    }

    var form: Form

    static let word = "segment"
    static let help = StatementHelp(
        syntax: "segment where EXPR [as NAME]\nsegment by EXPR [in SEGMENT] [where EXPR] [show AGGREGATE [as NAME], …]",
        summary: "Sum up a group of customers, or every value of a field. `segment where` gives the customers meeting a "
            + "condition (customers, revenue, margin, profit and their shares of the whole) and, with `as`, names the segment "
            + "for later (`customers in NAME`). `segment by` makes one row per value of a field; `show` picks the aggregates: "
            + "count, sum(f), avg(f), min(f), max(f), median(f), share(f).",
        example: "segment by region show count, sum(revenue), share(profit), median(aov)")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        if parser.accept("where") != nil {
            let condition = try parser.expression()
            let name = parser.accept("as") != nil ? try parser.name("a name for the segment") : nil
            return Self(form: .matching(condition, name: name))
        }
        guard parser.accept("by") != nil else { throw parser.expected("`where` or `by` after `segment`") }
        let key = try parser.expression()
        var filter = CustomerFilter()
        var show: [ShowItem] = []
        while !parser.atStatementEnd {
            if parser.accept("in") != nil, filter.segment == nil {
                filter.segment = try parser.name("a segment name")
            } else if parser.accept("where") != nil, filter.condition == nil {
                filter.condition = try parser.expression()
            } else if parser.accept("show") != nil, show.isEmpty {
                show = try parser.showList()
            } else {
                throw parser.expected("`in`, `where` or `show`")
            }
        }
        return Self(form: .grouped(by: key, filter: filter, show: show))
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        typed.isEmpty ? .words(["where", "by"]) : .clauses(typed, first: [], aggregates: true)
    }

    var description: String {
        switch form {
        case .matching(let e, let name): "segment where \(e)" + (name.map { " as \($0.text)" } ?? "")
        case .grouped(let key, let f, let items): "segment by \(key)" + SourceText.filter(f) + SourceText.show(items)
        }
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let summary = SegmentSummary(scope: try session.scope(range))
        switch form {
        case .grouped(let key, let filter, let show):
            return StatementResult([.table(try summary.group(by: key, filter: filter, show: show))])
        case .matching(let condition, let name):
            var result = StatementResult([.table(try summary.summarise(condition: condition, name: name?.text))])
            if let name {
                let key = name.text.lowercased()
                session.define(SegmentDefinition(name: key, condition: condition))
                result.blocks.append(.message("segment \(key) saved: use it as `customers in \(key)`"))
            }
            return result
        }
    }
}
