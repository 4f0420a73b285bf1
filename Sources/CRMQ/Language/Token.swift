/// A span of a statement's source text, as UTF-8 byte offsets.
public struct SourceRange: Sendable, Equatable, Hashable {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = end
    }

    /// The smallest range holding both.
    public func to(_ other: SourceRange) -> SourceRange { SourceRange(min(start, other.start), max(end, other.end)) }
}

/// A token of the crmq language with the place it came from.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A keyword or a name: as written, and folded to lower case once, here, for
        /// keywords and field names, which are matched case-insensitively.
        case word(String, key: String)
        /// A number with its suffix applied: `10k` is 10000, `5%` is 0.05.
        case number(Double, percent: Bool)
        case string(String)
        case date(Int32)
        /// Operators and punctuation: + - * / = != < <= > >= ( ) ,
        case symbol(String)
        /// The end of a statement: a newline outside parentheses, or `;`.
        case separator
        /// A dot-command (`.mode csv`) with the rest of its line.
        case dotCommand(String, argument: String)
        /// Text that is no token, with what is wrong with it.
        case invalid(String)
        case end
    }

    public var kind: Kind
    public var range: SourceRange

    func isWord(_ keyword: String) -> Bool { key == keyword }

    /// A word's folded form, nil for other tokens.
    var key: String? {
        if case .word(_, let key) = kind { return key }
        return nil
    }

    func isSymbol(_ symbol: String) -> Bool {
        if case .symbol(let s) = kind { return s == symbol }
        return false
    }

    /// How the token reads in an error message.
    var shown: String {
        switch kind {
        case .word(let w, _): "`\(w)`"
        case .number, .date: "a number"
        case .string: "a string"
        case .symbol(let s): "`\(s)`"
        case .separator: "the end of the statement"
        case .dotCommand(let name, _): "`.\(name)`"
        case .invalid(let message): message
        case .end: "the end of the input"
        }
    }
}
