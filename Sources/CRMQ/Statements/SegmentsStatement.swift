/// `segments`: the named segments, their conditions and their size in the snapshot in use.
struct SegmentsStatement: Statement {
    static let word = "segments"
    static let help = StatementHelp(
        syntax: "segments", summary: "List the named segments, their conditions and their size in the snapshot in use.", example: "segments")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self { Self() }
    var description: String { "segments" }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let names = session.segments.keys.sorted()
        let scope = try? session.scope(range)
        // A segment made on another snapshot may name a field this one lacks: its size is unknown.
        let counts = names.map { name in
            scope.flatMap { try? $0.count(CustomerFilter(segment: Name(name, range))) }.map(Double.init) ?? .nan
        }
        return StatementResult([.table(ResultTable(columns: [
            ResultColumn("segment", .text(TextColumn(names))),
            ResultColumn("customers", unit: .count, .number(counts)),
            ResultColumn("condition", .text(TextColumn(names.map { "\(session.segments[$0]!.condition)" }))),
        ], notes: names.isEmpty ? ["no segments yet: segment where revenue > 10k as big"] : []))])
    }
}
