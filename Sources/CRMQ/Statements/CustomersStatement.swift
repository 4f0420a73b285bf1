/// `customers [in S] [where …] [order by …] [limit N] [show …]`: a list of customers.
struct CustomersStatement: Statement {
    var query = CustomerQuery()

    static let word = "customers"
    static let answersOnHistogram = true
    static let help = StatementHelp(
        syntax: "customers [in SEGMENT] [where EXPR] [order by EXPR [asc|desc], …] [limit N] [show EXPR [as NAME], …]",
        summary: "List customers: those of a named segment and/or meeting a condition, sorted, cut, with the columns you ask for.",
        example: "customers where revenue > 10k order by profit desc limit 5 show id, name, revenue, profit")

    static let clauses = ["in", "where", "order", "limit", "show"]

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        var query = CustomerQuery()
        var seen = Set<String>()
        while !parser.atStatementEnd {
            guard let clause = parser.token.key, clauses.contains(clause), !seen.contains(clause) else {
                throw parser.expected(seen.isEmpty ? "`where`, `order by`, `limit` or `show`" : "another clause or the end of the statement")
            }
            _ = parser.advance()
            seen.insert(clause)
            switch clause {
            case "in": query.filter.segment = try parser.name("a segment name")
            case "where": query.filter.condition = try parser.expression()
            case "order":
                try parser.expect("by")
                repeat {
                    let expr = try parser.expression()
                    var descending = false
                    if parser.accept("desc") != nil { descending = true } else { _ = parser.accept("asc") }
                    query.order.append(OrderItem(expr: expr, descending: descending))
                } while parser.acceptSymbol(",") != nil
            case "limit":
                guard case .number(let n, false) = parser.token.kind, n >= 0, n == n.rounded(), n < 1e12 else {
                    if case .number = parser.token.kind {
                        throw Diagnostic("a limit is a whole number of rows from 0 to 999,999,999,999", at: parser.token.range)
                    }
                    throw parser.expected("a whole number of rows")
                }
                _ = parser.advance()
                query.limit = Int(n)
            default:
                query.show = try parser.showList()
            }
        }
        return Self(query: query)
    }

    static func complete(_ typed: TypedWords) -> CompletionHint { .clauses(typed, first: clauses) }

    var description: String {
        var s = "customers" + SourceText.filter(query.filter)
        if !query.order.isEmpty { s += " order by " + query.order.map { "\($0.expr)\($0.descending ? " desc" : "")" }.joined(separator: ", ") }
        if let limit = query.limit { s += " limit \(limit)" }
        return s + SourceText.show(query.show)
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        StatementResult([.table(try CustomerList(scope: try session.scope(range), query: query).table())])
    }
}
