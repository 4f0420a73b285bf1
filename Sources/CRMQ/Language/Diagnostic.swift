/// An error in a statement: what is wrong, where in the source, and a suggestion when one
/// is close. How it is shown (line, caret, colour) is `DiagnosticRenderer`'s business.
public struct Diagnostic: Error, Sendable, Equatable {
    public var message: String
    public var range: SourceRange?
    public var hint: String?

    public init(_ message: String, at range: SourceRange? = nil, hint: String? = nil) {
        self.message = message
        self.range = range
        self.hint = hint
    }
}
