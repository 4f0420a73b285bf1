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

    public func render(_ diagnostic: Diagnostic) -> String {
        let error = color ? "\u{1B}[1;31merror\u{1B}[0m" : "error"
        guard let range = diagnostic.range else {
            return (fileName.map { "\($0): " } ?? "") + "\(error): \(diagnostic.message)\n" + hint(diagnostic)
        }
        let bytes = Array(source.utf8)
        let start = min(range.start, bytes.count)
        var lineStart = start
        while lineStart > 0, bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        var lineEnd = start
        while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
        let lineNumber = bytes[0..<lineStart].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        let line = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
        let prefix = String(decoding: bytes[lineStart..<start], as: UTF8.self)
        let end = min(max(range.end, start + 1), lineEnd)
        let marked = end > start ? String(decoding: bytes[start..<end], as: UTF8.self) : " "
        let column = DisplayWidth.of(prefix) + 1
        let underline = "^" + String(repeating: "~", count: max(0, DisplayWidth.of(marked) - 1))
        var out = ""
        if let fileName {
            out += "\(fileName):\(lineNumber):\(column): \(error): \(diagnostic.message)\n"
        } else {
            let multiline = bytes.dropLast().contains(0x0A)  // a final newline ends the statement
            out += "\(error): \(diagnostic.message)\(multiline ? " (line \(lineNumber))" : "")\n"
        }
        let expandedLine = line.replacingAll("\t", with: " ")
        out += "  " + expandedLine + "\n"
        let caret = String(repeating: " ", count: DisplayWidth.of(prefix.replacingAll("\t", with: " "))) + underline
        out += "  " + (color ? "\u{1B}[1;32m\(caret)\u{1B}[0m" : caret) + "\n"
        return out + hint(diagnostic)
    }

    private func hint(_ diagnostic: Diagnostic) -> String {
        diagnostic.hint.map { "  \($0)\n" } ?? ""
    }
}
