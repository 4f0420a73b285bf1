/// `ssc [in S] [where …]`: the strategically significant customers and the evidence.
struct SSCStatement: Statement {
    var filter = CustomerFilter()

    static let word = "ssc"
    static let help = StatementHelp(
        syntax: "ssc [in SEGMENT] [where EXPR]",
        summary: "The strategically significant customers. High lifetime value (\(StrategicCustomers.topText)), benchmarks "
            + "(benchmark true or \(StrategicCustomers.referralsText)), inspirations (inspiration true or \(StrategicCustomers.ideasText)) "
            + "and cost magnets (\(StrategicCustomers.magnetText) of all "
            + "units, else revenue), each with the evidence and, given fixed_costs, the fixed cost they absorb.",
        example: "ssc")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self { Self(filter: try parser.filter()) }
    static func complete(_ typed: TypedWords) -> CompletionHint { .clauses(typed, first: ["in", "where"]) }
    var description: String { "ssc" + SourceText.filter(filter) }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try ValueChainStatements(scope: try session.scope(range)).ssc(filter)
    }
}
