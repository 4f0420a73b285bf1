/// Shows a `Diagnostic` the way compilers do: where, what, the source line with a caret
/// under the offending token, and the suggestion.
///
///     monthly.crmq:3:17: error: unknown field `revnue`
///       customers where revnue > 10
///                       ^~~~~~
///       did you mean `revenue`?
public struct DiagnosticRenderer {
    /// The whole text the diagnostic's range points into.
    public var source: String
    /// The file it came from; nil at the prompt.
    public var fileName: String?
    public var color: Bool

    public init(source: String, fileName: String? = nil, color: Bool = false) {
        self.source = source
        self.fileName = fileName
        self.color = color
    }

    /// Columns of the source line shown before the caret and after it; a longer line (a
    /// pasted megabyte) is shown as the window around the token, with … where it is cut.
    static let before = 60, after = 100

    public func render(_ diagnostic: Diagnostic) -> String {
        let error = color ? "\u{1B}[1;31merror\u{1B}[0m" : "error"
        // Data may hold control characters (a name with ESC in it): they are shown, not obeyed.
        let message = Self.shortened(ControlCharacters.escapedLines(diagnostic.message))
        guard let range = diagnostic.range else {
            return (fileName.map { "\($0): " } ?? "") + "\(error): \(message)\n" + hint(diagnostic)
        }
        // A password in a connection string is never echoed; masked byte for byte, so the caret stays put.
        let bytes = Array(Secrets.masked(source).utf8)
        let start = min(range.start, bytes.count)
        var lineStart = start
        while lineStart > 0, bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        var lineEnd = start
        while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
        let lineNumber = bytes[0..<lineStart].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        let rawPrefix = String(decoding: bytes[lineStart..<start], as: UTF8.self)
        let end = min(max(range.end, start + 1), lineEnd)
        let rawMarked = end > start ? String(decoding: bytes[start..<end], as: UTF8.self) : " "
        let rawRest = String(decoding: bytes[end..<max(end, lineEnd)], as: UTF8.self)
        let column = DisplayWidth.of(rawPrefix) + 1
        var out = ""
        if let fileName {
            out += "\(fileName):\(lineNumber):\(column): \(error): \(message)\n"
        } else {
            let multiline = bytes.dropLast().contains(0x0A)  // a final newline ends the statement
            out += "\(error): \(message)\(multiline ? " (line \(lineNumber))" : "")\n"
        }
        func shown(_ text: String) -> String { ControlCharacters.escaped(text.replacingAll("\t", with: " ")) }
        var (prefix, marked, rest) = (shown(rawPrefix), shown(rawMarked), shown(rawRest))
        if DisplayWidth.of(prefix) > Self.before { prefix = "…" + Self.tail(prefix, Self.before - 1) }
        if DisplayWidth.of(marked) > Self.after { (marked, rest) = (DisplayWidth.truncate(marked, to: Self.after), "") }
        if DisplayWidth.of(marked) + DisplayWidth.of(rest) > Self.after {
            rest = DisplayWidth.truncate(rest, to: max(1, Self.after - DisplayWidth.of(marked)))
        }
        out += "  " + prefix + marked + rest + "\n"
        let underline = "^" + String(repeating: "~", count: max(0, DisplayWidth.of(marked) - 1))
        let caret = String(repeating: " ", count: DisplayWidth.of(prefix)) + underline
        out += "  " + (color ? "\u{1B}[1;32m\(caret)\u{1B}[0m" : caret) + "\n"
        return out + hint(diagnostic)
    }

    /// A message with each quoted word (`revnue`) cut to 60 columns: an unknown word may be
    /// a pasted megabyte.
    static func shortened(_ message: String) -> String {
        guard message.utf8.count > 120 else { return message }
        return message.split(separator: "`", omittingEmptySubsequences: false).enumerated().map { k, part in
            k % 2 == 1 ? DisplayWidth.truncate(String(part), to: 60) : String(part)
        }.joined(separator: "`")
    }

    /// The last `width` columns of the text.
    private static func tail(_ text: String, _ width: Int) -> String {
        var out: [Character] = []
        var used = 0
        for c in text.reversed() {
            used += DisplayWidth.of(c)
            if used > width { break }
            out.append(c)
        }
        return String(out.reversed())
    }

    private func hint(_ diagnostic: Diagnostic) -> String {
        diagnostic.hint.map { "  \(ControlCharacters.escapedLines($0))\n" } ?? ""
    }
}
