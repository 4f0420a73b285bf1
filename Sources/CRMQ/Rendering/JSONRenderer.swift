/// One JSON document per statement: the statement's text, its tables (title, columns with
/// their types, rows as objects keyed by column name, notes) and its messages (the
/// sentences, explanations and plans a person reads at the prompt). Numbers unrounded,
/// dates as ISO strings, nulls as null; a row a line, so that a diff reads like the table.
///
///     {"statement":"count where revenue > 10k","tables":[
///     {"title":null,"columns":[{"name":"customers","type":"number"}],"rows":[
///     {"customers":12}
///     ],"notes":[]}
///     ],"messages":[]}
public enum JSONRenderer {
    public static func render(_ result: StatementResult, statement: String) -> String {
        let tables = result.tables.map(render)
        let messages = result.messages.map { string(ProseText.display($0)) }.joined(separator: ",")
        // A script (`summary sql`) is a string of its own, there only when the statement wrote one.
        let scripts = result.scripts.isEmpty ? "" : ",\"scripts\":[" + result.scripts.map(string).joined(separator: ",") + "]"
        return "{\"statement\":\(string(Secrets.redacted(statement))),\"tables\":[" + (tables.isEmpty ? "" : "\n" + tables.joined(separator: ",\n") + "\n")
            + "],\"messages\":[\(messages)]\(scripts)}\n"
    }

    /// One table as an object.
    static func render(_ table: ResultTable) -> String {
        let columns = table.columns.map { "{\"name\":\(string($0.name)),\"type\":\"\($0.data.type.rawValue)\"}" }.joined(separator: ",")
        let notes = table.notes.map { string(ProseText.display($0)) }.joined(separator: ",")
        let rows = rows(table)
        return "{\"title\":\(table.title.map { string(ProseText.display($0)) } ?? "null"),\"columns\":[\(columns)],\"rows\":["
            + (rows.isEmpty ? "" : "\n" + rows.joined(separator: ",\n") + "\n") + "],\"notes\":[\(notes)]}"
    }

    /// Each row as an object keyed by column name.
    static func rows(_ table: ResultTable) -> [String] {
        let keys = table.columns.map { string($0.name) }
        return (0..<table.rowCount).map { row in
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
            return "{" + fields.joined(separator: ",") + "}"
        }
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
                if scalar.value < 0x20 || scalar.value == 0x7F {
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
