/// Control characters in data (ESC, a window title's OSC, a bell, a newline inside a name)
/// shown as escapes, so that text printed for a person can neither steer the terminal nor
/// break a table's lines: ESC as `\x1b`, a newline as `\n`, a tab as `\t`. JSON escapes them
/// itself, and CSV written to a file or a pipe keeps the data's bytes.
public enum ControlCharacters {
    /// The text with every control character escaped.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let hex = String(scalar.value, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" : "") + hex
            }
        }
        return out
    }

    /// Each line escaped, the line breaks kept: for prose of several lines (a plan, a help page).
    public static func escapedLines(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) && $0 != "\n" }) else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { escaped(String($0)) }.joined(separator: "\n")
    }

    /// C0 controls, DEL and the C1 controls (which some terminals also obey).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
