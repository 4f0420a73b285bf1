/// Long lines of prose (help, explanations, plans, notes) broken at spaces to fit a terminal,
/// each continuation indented under where its line's text begins: after the indentation,
/// after a bullet (`· `, `! `, `- `) or a step's number (`4. `), after a label and its padding (`why:      …`), or after
/// a first column (`  customers  List customers …`).
///
///     TextWrap.wrap("why:   one two three", width: 14)   // "why:   one two\n       three"
public enum TextWrap {
    public static func wrap(_ text: String, width: Int?) -> String {
        guard let width, width >= 20 else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { wrap(line: String($0), width: width) }.joined(separator: "\n")
    }

    static func wrap(line: String, width: Int) -> String {
        guard DisplayWidth.of(line) > width else { return line }
        let scalars = Array(line.unicodeScalars)
        let head = headLength(scalars)
        let prefix = String(String.UnicodeScalarView(scalars[..<head]))
        // At most half the width as a hanging indent, so that each line keeps room for text.
        let column = min(DisplayWidth.of(prefix), width / 2)
        let indent = String(repeating: " ", count: column)
        let words = String(String.UnicodeScalarView(scalars[head...])).split(separator: " ")
        var lines: [String] = []
        var current = prefix, used = DisplayWidth.of(prefix), empty = true
        for word in words {
            let w = DisplayWidth.of(word)
            if !empty, used + 1 + w > width {
                lines.append(current)
                (current, used, empty) = (indent, column, true)
            }
            if !empty {
                current += " "
                used += 1
            }
            current += word
            used += w
            empty = false
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }

    /// How many scalars of the line stand before its text: the indentation, a bullet and its
    /// space, or a label (words ending in `:` within the first 20 columns, `what to do:`) and
    /// the spaces after it.
    static func headLength(_ scalars: [Unicode.Scalar]) -> Int {
        var i = 0
        while i < scalars.count, scalars[i] == " " { i += 1 }
        if i + 1 < scalars.count, ["·", "!", "-", "*", "•"].contains(scalars[i]), scalars[i + 1] == " " { return i + 2 }
        // A numbered step: `12. `.
        var d = i
        while d < scalars.count, d < i + 3, ("0"..."9").contains(scalars[d]) { d += 1 }
        if d > i, d + 1 < scalars.count, scalars[d] == ".", scalars[d + 1] == " " { return d + 2 }
        var j = i
        while j + 1 < scalars.count, j < i + 20 {
            if scalars[j] == ":", scalars[j + 1] == " " {
                var k = j + 1
                while k < scalars.count, scalars[k] == " " { k += 1 }
                return k
            }
            j += 1
        }
        // A column: a first word, then two spaces or more (`  customers  List customers: …`).
        j = i
        while j < scalars.count, j < i + 30, scalars[j] != " " { j += 1 }
        if j > i, j + 1 < scalars.count, scalars[j] == " ", scalars[j + 1] == " " {
            var k = j
            while k < scalars.count, scalars[k] == " " { k += 1 }
            return k
        }
        return i
    }
}
