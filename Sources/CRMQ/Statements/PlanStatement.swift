/// `plan retention|acquisition|development for X | for segment S`: a computed plan.
struct PlanStatement: Statement {
    var kind: Spelled<PlanKind>
    var target: PlanTarget

    static let word = "plan"
    static let help = StatementHelp(
        syntax: "plan retention|development for ID|NAME | plan retention|acquisition|development for segment S",
        summary: "A plan computed from the data. Who, why (this data's numbers), what to do, the most it is worth "
            + "spending and how success is measured: retention from the value at risk, acquisition from the clv of "
            + "a segment's customers, development from the share-of-wallet gap.",
        example: "plan retention for ACME")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        let kind: Spelled<PlanKind> = try parser.choice("plan")
        try parser.expect("for")
        if parser.accept("segment") != nil { return Self(kind: kind, target: .segment(try parser.customerName())) }
        return Self(kind: kind, target: .customer(try parser.customerName()))
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        if typed.isEmpty { return .choices(PlanKind.self) }
        switch typed.lastWord {
        case "for": return .customers
        case "segment": return .segments
        default: return typed.count == 1 ? .words(["for"]) : .nothing
        }
    }

    var description: String {
        switch target {
        case .customer(let name): "plan \(kind.value.rawValue) for \(SourceText.quoted(name.text))"
        case .segment(let name): "plan \(kind.value.rawValue) for segment \(SourceText.quoted(name.text))"
        }
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try Plans(scope: try session.scope(range)).result(kind: kind, target: target)
    }
}
