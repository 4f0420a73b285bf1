/// `valuemap [for segment S]`: Gale's customer value map, each segment's or one drawn.
struct ValueMapStatement: Statement {
    var segment: Name?

    static let word = "valuemap"
    static let drawsChart = true
    static let help = StatementHelp(
        syntax: "valuemap [for segment S]",
        summary: "The customer value map (Gale): relative perceived quality against relative price, from the value star, "
            + "and which side of the fair-value line each segment sits; for one segment, the map and what one point more on each dimension is worth.",
        example: "valuemap for segment retail")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self { Self(segment: try ValueStarStatement.segment(&parser)) }
    static func complete(_ typed: TypedWords) -> CompletionHint { ValueStarStatement.completeSegment(typed) }

    var description: String { "valuemap" + (segment.map { " for segment \(SourceText.quoted($0.text))" } ?? "") }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try ValueMapReport(scope: try session.scope(range)).result(segment: segment)
    }
}
