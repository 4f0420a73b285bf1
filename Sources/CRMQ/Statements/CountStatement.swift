/// `count [in S] [where …]`: how many customers.
struct CountStatement: Statement {
    var filter = CustomerFilter()

    static let word = "count"
    static let help = StatementHelp(
        syntax: "count [in SEGMENT] [where EXPR]", summary: "How many customers meet the condition.", example: "count where days_since > 180")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self { Self(filter: try parser.filter()) }
    static func complete(_ typed: TypedWords) -> CompletionHint { .clauses(typed, first: ["in", "where"]) }
    var description: String { "count" + SourceText.filter(filter) }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let n = try session.scope(range).count(filter)
        return StatementResult([.table(ResultTable(columns: [ResultColumn("customers", unit: .count, .number([Double(n)]))]))])
    }
}
