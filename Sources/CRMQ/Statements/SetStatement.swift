/// `set NAME = VALUE`: an assumption of the models and analytics.
struct SetStatement: Statement {
    var setting: Name
    var value: SettingValue
    var valueRange: SourceRange

    static let word = "set"
    static let help = StatementHelp(
        syntax: "set discount = RATE | horizon = N months | model = \(ModelName.lifetimeValue.map(\.rawValue).joined(separator: "|")) "
            + "| potential_threshold = AMOUNT|median",
        summary: "Change an assumption of the models and analytics. `settings` shows them all and where each comes from.",
        example: "set discount = 8%")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        let setting = try parser.name("a setting such as `discount` or `horizon` (`settings` lists them)")
        _ = parser.acceptSymbol("=")
        let start = parser.token.range
        switch parser.token.kind {
        case .number(let value, let percent):
            _ = parser.advance()
            var unit: String?
            if let key = parser.token.key {
                _ = parser.advance()
                unit = key
            }
            return Self(setting: setting, value: .number(value, percent: percent, unit: unit), valueRange: start.to(parser.previous.range))
        case .word(let w, _):
            _ = parser.advance()
            return Self(setting: setting, value: .word(w), valueRange: start)
        case .string(let s):
            _ = parser.advance()
            return Self(setting: setting, value: .word(s), valueRange: start)
        default:
            throw parser.expected("a value, like 10% or 24 months")
        }
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        if typed.isEmpty { return .words(Settings.names) }
        switch typed.words.first {
        case "model": return .words(ModelName.lifetimeValue.map(\.rawValue))
        case "potential_threshold": return .words(["median"])
        default: return .nothing
        }
    }

    var description: String {
        switch value {
        case .number(let v, let percent, let unit):
            "set \(setting.text) = " + (percent ? SourceText.percent(v) : NumberText.plain(v)) + (unit.map { " \($0)" } ?? "")
        case .word(let w): "set \(setting.text) = \(w)"
        }
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        try session.change(setting, value, at: valueRange)
        return .message("\(setting.text.lowercased()) set")
    }
}
