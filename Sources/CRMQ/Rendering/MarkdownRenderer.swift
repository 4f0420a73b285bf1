/// A GitHub-flavoured Markdown table, numbers formatted for people and right-aligned.
public enum MarkdownRenderer {
    /// A whole result, for a file: its tables and its messages as paragraphs.
    public static func render(_ result: StatementResult) -> String {
        result.blocks.compactMap { block -> String? in
            switch block {
            case .table(let table): render(table)
            case .message(let text): ControlCharacters.escapedLines(ProseText.display(text)) + "\n"
            case .chart, .report: nil
            case .script(let text): "```sql\n" + text + "```\n"
            }
        }.joined(separator: "\n")
    }

    public static func render(_ table: ResultTable) -> String {
        if table.isRecord, table.rowCount == 1 { return render(table.fieldValueLines) }
        var out = ""
        if let title = table.title { out += "**\(escape(ProseText.display(title)))**\n\n" }
        out += "| " + table.columns.map { escape($0.name) }.joined(separator: " | ") + " |\n"
        out += "|" + table.columns.map { $0.data.type == .number ? " ---: " : " --- " }.joined(separator: "|") + "|\n"
        for row in 0..<table.rowCount {
            out += "| " + table.columns.map { escape(ValueText.display($0.data, row, unit: $0.unit)) }.joined(separator: " | ") + " |\n"
        }
        for note in table.notes { out += "\n_\(escape(ProseText.display(note)))_\n" }
        return out
    }

    static func escape(_ s: String) -> String {
        ControlCharacters.escaped(s.replacingAll("|", with: "\\|").replacingAll("\n", with: " "))
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
