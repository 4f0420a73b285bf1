/// A `Report` as Markdown, for a wiki or a repository: the same sections, tables as
/// GitHub-flavoured tables, and each chart an SVG file beside it, linked by name.
public enum MarkdownReport {
    /// The page, and the charts to write beside it: `chartName(k)` names the k-th (from 1).
    public static func render(_ report: Report, chartName: (Int) -> String) -> (page: String, charts: [(name: String, svg: String)]) {
        var out = "# \(MarkdownRenderer.escape(report.title))\n\n"
        for fact in report.facts { out += "\(MarkdownRenderer.escape(ProseText.display(fact)))  \n" }
        var charts: [(name: String, svg: String)] = []
        func chart(_ chart: Chart) {
            let name = chartName(charts.count + 1)
            charts.append((name, ChartSVG.render(chart)))
            out += "![\(MarkdownRenderer.escape(ProseText.display(chart.title)))](\(name))\n\n"
        }
        for section in report.sections {
            out += "\n## \(MarkdownRenderer.escape(section.title))\n\n"
            out += MarkdownRenderer.escape(HTMLReport.paragraph(section.sentence)) + "\n\n"
            for block in section.blocks {
                switch block {
                case .table(let table):
                    if let drawing = table.drawing { chart(drawing) }
                    out += MarkdownRenderer.render(table) + "\n"
                case .chart(let c): chart(c)
                case .message(let text): out += ControlCharacters.escapedLines(ProseText.display(text)).split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "  \n") + "\n\n"
                case .script(let text): out += "```sql\n" + text + "```\n\n"
                case .report: break
                }
            }
        }
        if !report.omitted.isEmpty {
            out += "\n## Not in this report\n\n"
            for reason in report.omitted { out += "- \(MarkdownRenderer.escape(ProseText.display(reason)))\n" }
        }
        return (out, charts)
    }
}
