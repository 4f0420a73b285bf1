/// RFC 4180 CSV with a header row; numbers with every digit, dates ISO, nulls empty. A
/// statement's tables follow one another with a blank line between; a table's notes come
/// after it as a one-column table headed `note`, and the statement's messages as one headed
/// `message`, so that every figure a person sees is in the file too.
public enum CSVRenderer {
    public static func render(_ result: StatementResult) -> String {
        var parts: [String] = []
        for block in result.blocks {
            switch block {
            case .table(let table):
                parts.append(render(table))
                if !table.notes.isEmpty { parts.append(lines("note", table.notes.map(ProseText.display))) }
            case .message(let text): parts.append(lines("message", [ProseText.display(text)]))
            case .chart, .report: break  // a chart's numbers are in the tables; a report goes to its file
            case .script(let text): parts.append(text)  // a script is not a table: as it is
            }
        }
        return parts.joined(separator: "\n")
    }

    public static func render(_ table: ResultTable) -> String {
        var out = table.columns.map { quote($0.name) }.joined(separator: ",") + "\n"
        for row in 0..<table.rowCount {
            out += table.columns.map { quote(ValueText.exact($0.data, row) ?? "") }.joined(separator: ",") + "\n"
        }
        return out
    }

    private static func lines(_ header: String, _ values: [String]) -> String {
        header + "\n" + values.map { quote($0) + "\n" }.joined()
    }

    static func quote(_ field: String) -> String {
        let needs = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" } || field.hasPrefix(" ") || field.hasSuffix(" ")
        guard needs else { return field }
        return "\"" + field.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
