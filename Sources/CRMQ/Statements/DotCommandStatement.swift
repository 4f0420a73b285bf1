/// The commands of the shell itself: `.mode`, `.timer`, `.read`, `.maxrows`, `.last`, `.quit`
/// (`.exit`) and `.help`. The lexer hands each over with the rest of its line.
struct DotCommandStatement: Statement {
    enum Command: Sendable, Equatable {
        case mode(OutputMode)
        case timer(Bool)
        case read(String)
        case maxRows(Int)
        /// The whole last result, uncut, in a pager.
        case last
        case quit
    }

    var command: Command

    static let word = "."
    static let answersOnHistogram = true
    static let names = ["mode", "timer", "read", "maxrows", "last", "quit", "exit", "help"]
    static let help = StatementHelp(
        topic: "dot",
        syntax: ".mode table|csv|json|markdown   .timer on|off   .read FILE   .maxrows N   .last   .quit",
        summary: "Commands of the shell itself. The output format, timing each statement, running a script file, "
            + "how many rows a table shows on a terminal (0: all), the whole last result in a pager, leaving.",
        example: ".mode markdown")

    /// Reads the dot-command token (`.help` is read as `help`, by `Parser.statement`).
    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        guard case .dotCommand(let name, let argument) = parser.token.kind else { throw parser.expected("a dot-command such as .mode") }
        return Self(command: try command(name, argument, parser.advance().range))
    }

    /// What Tab offers in a dot-command's argument.
    static func complete(_ name: String, _ argument: String) -> CompletionHint {
        switch name {
        case "mode" where !argument.contains(" "): .choices(OutputMode.self)
        case "timer" where argument.isEmpty: .words(["on", "off"])
        case "read": .paths(endings: nil)
        default: .nothing
        }
    }

    private static func command(_ name: String, _ argument: String, _ range: SourceRange) throws(Diagnostic) -> Command {
        let argumentRange = SourceRange(range.start + name.utf8.count + 2, range.end)
        switch name {
        case "mode":
            guard let mode = OutputMode(rawValue: argument.lowercased()) else {
                throw Diagnostic(
                    argument.isEmpty ? "`.mode` needs a mode" : "unknown mode `\(argument)`", at: argument.isEmpty ? range : argumentRange,
                    hint: "the modes are " + Parser.list(OutputMode.allCases.map(\.rawValue)))
            }
            return .mode(mode)
        case "timer":
            switch argument.lowercased() {
            case "on": return .timer(true)
            case "off": return .timer(false)
            default: throw Diagnostic("`.timer` takes on or off", at: range)
            }
        case "read":
            var path = argument
            if path.count >= 2, let q = path.first, q == "\"" || q == "'", path.last == q {
                path = String(path.dropFirst().dropLast())
            }
            guard !path.isEmpty else { throw Diagnostic("`.read` needs a file name", at: range) }
            return .read(path)
        case "maxrows":
            guard let n = Int(argument), n >= 0 else {
                throw Diagnostic("`.maxrows` takes a number of rows (0 for no limit)", at: range)
            }
            return .maxRows(n)
        case "last": return .last
        case "quit", "exit": return .quit
        default:
            throw Diagnostic(
                "unknown dot-command `.\(name)`", at: range,
                hint: Suggestion.hint(for: "." + name, in: names.map { "." + $0 })
                    ?? "the dot-commands are .mode, .timer, .read, .maxrows, .last and .quit")
        }
    }

    var description: String {
        switch command {
        case .mode(let m): ".mode \(m.rawValue)"
        case .timer(let on): ".timer \(on ? "on" : "off")"
        case .read(let path): ".read \(path)"
        case .maxRows(let n): ".maxrows \(n)"
        case .last: ".last"
        case .quit: ".quit"
        }
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        switch command {
        case .mode(let mode): return StatementResult(effect: .mode(mode))
        case .timer(let on): return StatementResult(effect: .timer(on))
        case .read(let path): return StatementResult(effect: .read(path))
        case .maxRows(let n): return StatementResult(effect: .maxRows(n))
        case .last:
            guard session.lastResult != nil else { throw Diagnostic("there is no result yet", at: range) }
            return StatementResult(effect: .showLast)
        case .quit: return StatementResult(effect: .quit)
        }
    }
}
