/// `snapshots`: the loaded snapshots, the one in use marked.
struct SnapshotsStatement: Statement {
    static let word = "snapshots"
    static let answersOnHistogram = true
    static let help = StatementHelp(syntax: "snapshots", summary: "List the loaded snapshots; * marks the one in use.", example: "snapshots")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self { Self() }
    var description: String { "snapshots" }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let list = session.snapshotOrder.compactMap { session.snapshots[$0] }
        return StatementResult([.table(ResultTable(columns: [
            ResultColumn("name", .text(TextColumn(list.map { $0.name == session.currentName ? "\($0.name) *" : $0.name }))),
            ResultColumn("customers", unit: .count, .number(list.map { Double($0.customers.count) })),
            ResultColumn("transactions", unit: .count, .number(list.map { Double($0.transactions.count) })),
            ResultColumn("as_of", .date(list.map { $0.info.asOf })),
            ResultColumn("directory", .text(TextColumn(list.map(\.directory)))),
        ], notes: list.isEmpty ? ["no snapshot loaded yet: load \"examples/acme\""] : ["* the snapshot in use"]))])
    }
}
