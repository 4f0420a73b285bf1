/// `explain TOPIC [for X]`: how a figure is computed, with this data's numbers.
struct ExplainStatement: Statement {
    var topic: Spelled<ExplainTopic>
    var customer: Name?

    static let word = "explain"
    static let answersOnHistogram = true
    static let help = StatementHelp(
        syntax: "explain clv|p_alive for ID|NAME | explain fit | explain portfolio|ssc|rfm|credit|pareto|plan|whatif|valuestar|compare [for ID|NAME]",
        summary: "How a figure is computed. The formula in words and symbols, then this data's numbers put in step by "
            + "step, so that it can be redone by hand.",
        example: "explain clv for ACME")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        let topic: Spelled<ExplainTopic> = try parser.choice("topic")
        return Self(topic: topic, customer: parser.accept("for") != nil ? try parser.customerName() : nil)
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        typed.isEmpty ? .choices(ExplainTopic.self) : typed.lastWord == "for" ? .customers : .words(typed.count == 1 ? ["for"] : [])
    }

    var description: String { "explain \(topic.value.rawValue)" + (customer.map { " for \(SourceText.quoted($0.text))" } ?? "") }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try Explanation(scope: try session.scope(range)).result(topic: topic, customer: customer)
    }
}
