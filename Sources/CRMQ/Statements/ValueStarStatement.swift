/// `valuestar [for segment S]`: the value star of each segment, or one with its chart.
struct ValueStarStatement: Statement {
    var segment: Name?

    static let word = "valuestar"
    static let drawsChart = true
    static let help = StatementHelp(
        syntax: "valuestar [for segment S]",
        summary: "The value star: for each segment, each of the eight sources of value weighted by its importance "
            + "against the competitor. Strengths and weaknesses ranked; for one segment, bars of ours against theirs.",
        example: "valuestar for segment retail")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self { Self(segment: try segment(&parser)) }
    static func complete(_ typed: TypedWords) -> CompletionHint { completeSegment(typed) }

    /// `[for [segment] S]`, as valuestar and valuemap read it.
    static func segment(_ parser: inout Parser) throws(Diagnostic) -> Name? {
        guard parser.accept("for") != nil else { return nil }
        _ = parser.accept("segment")
        return try parser.customerName()
    }

    static func completeSegment(_ typed: TypedWords) -> CompletionHint {
        .words(typed.isEmpty ? ["for"] : typed.lastWord == "for" ? ["segment"] : [])
    }

    var description: String { "valuestar" + (segment.map { " for segment \(SourceText.quoted($0.text))" } ?? "") }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try ValueStarReport(scope: try session.scope(range)).result(segment: segment)
    }
}
