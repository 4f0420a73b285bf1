/// RFC 4180 CSV with a header row; numbers with every digit, dates ISO, nulls empty.
public enum CSVRenderer {
    public static func render(_ table: ResultTable) -> String {
        var out = table.columns.map { quote($0.name) }.joined(separator: ",") + "\n"
        for row in 0..<table.rowCount {
            out += table.columns.map { quote(ValueText.exact($0.data, row) ?? "") }.joined(separator: ",") + "\n"
        }
        return out
    }

    static func quote(_ field: String) -> String {
        let needs = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" } || field.hasPrefix(" ") || field.hasSuffix(" ")
        guard needs else { return field }
        return "\"" + field.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
