/// A JSON array of objects keyed by column name, one object a line; numbers unrounded,
/// dates as ISO strings, nulls as null.
public enum JSONRenderer {
    public static func render(_ table: ResultTable) -> String {
        guard table.rowCount > 0 else { return "[]\n" }
        let keys = table.columns.map { string($0.name) }
        var lines: [String] = []
        for row in 0..<table.rowCount {
            var fields: [String] = []
            for (c, column) in table.columns.enumerated() {
                let value: String
                if let text = ValueText.exact(column.data, row) {
                    switch column.data {
                    case .number, .bool: value = text
                    default: value = string(text)
                    }
                } else {
                    value = "null"
                }
                fields.append("\(keys[c]):\(value)")
            }
            lines.append("{" + fields.joined(separator: ",") + "}")
        }
        return "[\n" + lines.joined(separator: ",\n") + "\n]\n"
    }

    static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
