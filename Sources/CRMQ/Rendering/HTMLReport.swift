/// A `Report` as one self-contained HTML page: inline CSS and inline SVG, no script, no font
/// and no address outside the file, so that it opens the same from a USB stick. Light on
/// screen, dark when the reader's system asks for it, black on white when printed; the
/// charts keep their own white card in every scheme. Numbers are formatted as the tables at
/// the prompt format them.
public enum HTMLReport {
    public static func render(_ report: Report) -> String {
        var body = "<header>\n<h1>\(escape(report.title))</h1>\n"
        for fact in report.facts { body += "<p class=\"fact\">\(escape(ProseText.display(fact)))</p>\n" }
        body += "</header>\n<nav><ol>\n"
        for (k, section) in report.sections.enumerated() {
            body += "<li><a href=\"#s\(k + 1)\">\(escape(section.title))</a></li>\n"
        }
        body += "</ol></nav>\n"
        var charts = 0
        for (k, section) in report.sections.enumerated() {
            body += "<section id=\"s\(k + 1)\">\n<h2>\(escape(section.title))</h2>\n"
            body += "<p class=\"lead\">\(escape(paragraph(section.sentence)))</p>\n"
            for block in section.blocks {
                switch block {
                case .table(let table):
                    if let drawing = table.drawing {
                        charts += 1
                        body += figure(drawing, id: "chart\(charts)")
                    }
                    body += self.table(table)
                case .chart(let chart):
                    charts += 1
                    body += figure(chart, id: "chart\(charts)")
                case .message(let text):
                    body += "<p class=\"message\">\(escape(ProseText.display(text), keepingLines: true))</p>\n"
                case .script(let text):
                    body += "<pre>\(escape(text, keepingLines: true))</pre>\n"
                case .report:
                    break
                }
            }
            body += "</section>\n"
        }
        if !report.omitted.isEmpty {
            body += "<section class=\"omitted\">\n<h2>Not in this report</h2>\n<ul>\n"
            for reason in report.omitted { body += "<li>\(escape(ProseText.display(reason)))</li>\n" }
            body += "</ul>\n</section>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="crmq">
            <title>\(escape(report.title))</title>
            <style>
            \(style)
            </style>
            </head>
            <body>
            <main>
            \(body)</main>
            </body>
            </html>

            """
    }

    static let style = """
        :root { color-scheme: light dark; --ink: #1d1d1f; --muted: #5c5c66; --paper: #ffffff; --rule: #d8d8de; --band: #f3f4f7; --accent: #1f5fa8; }
        @media (prefers-color-scheme: dark) { :root { --ink: #ececf1; --muted: #a9a9b6; --paper: #16171c; --rule: #3a3b44; --band: #22232a; --accent: #7fb2ff; } }
        @media print { :root { --ink: #000; --muted: #333; --paper: #fff; --rule: #999; --band: #eee; --accent: #000; } nav { display: none; } section { break-inside: avoid-page; } }
        body { margin: 0; background: var(--paper); color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 980px; margin: 0 auto; padding: 24px 20px 48px; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h2 { font-size: 19px; margin: 36px 0 6px; padding-top: 12px; border-top: 1px solid var(--rule); }
        .fact { margin: 0; color: var(--muted); }
        .lead { font-size: 16px; margin: 4px 0 14px; }
        .message { white-space: pre-wrap; color: var(--muted); font-size: 14px; }
        nav ol { columns: 2; margin: 16px 0 0; padding-left: 20px; }
        nav a { color: var(--accent); }
        figure { margin: 12px 0; }
        figure svg { max-width: 100%; height: auto; border: 1px solid var(--rule); border-radius: 6px; }
        table { border-collapse: collapse; margin: 10px 0 6px; font-size: 13.5px; font-variant-numeric: tabular-nums; }
        caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
        th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
        th { background: var(--band); font-weight: 600; }
        td.n, th.n { text-align: right; white-space: nowrap; }
        td.null { color: var(--muted); }
        .notes { color: var(--muted); font-size: 13px; margin: 2px 0 10px; }
        pre { white-space: pre-wrap; background: var(--band); padding: 8px; }
        .omitted { color: var(--muted); }
        """

    private static func figure(_ chart: Chart, id: String) -> String {
        "<figure>\n" + ChartSVG.element(chart, id: id) + "\n</figure>\n"
    }

    private static func table(_ table: ResultTable) -> String {
        let table = table.isRecord && table.rowCount == 1 ? table.fieldValueLines : table
        let limit = 50
        var out = "<table>\n"
        if let title = table.title { out += "<caption>\(escape(ProseText.display(title)))</caption>\n" }
        out += "<thead><tr>"
        for column in table.columns {
            out += "<th\(column.data.type == .number ? " class=\"n\"" : "")>\(escape(column.name))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for row in 0..<min(limit, table.rowCount) {
            out += "<tr>"
            for column in table.columns {
                let text = ValueText.display(column.data, row, unit: column.unit)
                let classes = (column.data.type == .number ? ["n"] : []) + (ValueText.exact(column.data, row) == nil ? ["null"] : [])
                out += "<td\(classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\"")>\(escape(text))</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        var notes = table.notes.map { escape(ProseText.display($0)) }
        if table.rowCount > limit { notes.append("the first \(limit) of \(table.rowCount) rows") }
        if !notes.isEmpty { out += "<p class=\"notes\">" + notes.joined(separator: "<br>") + "</p>\n" }
        return out
    }

    /// A section's sentence as one paragraph: its lines joined, each after the first begun
    /// with a capital, as the sentences they are.
    static func paragraph(_ sentence: Prose) -> String {
        ProseText.display(sentence).split(separator: "\n").enumerated().map { k, line in
            k == 0 ? String(line) : line.prefix(1).uppercased() + line.dropFirst()
        }.joined(separator: " ")
    }

    /// Text for an HTML or SVG element or attribute (`ChartSVG` writes its labels with it):
    /// &, <, > and " as entities, control characters shown as escapes (but for line breaks,
    /// when kept).
    static func escape(_ text: String, keepingLines: Bool = false) -> String {
        var out = ""
        for c in keepingLines ? ControlCharacters.escapedLines(text) : ControlCharacters.escaped(text) {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
