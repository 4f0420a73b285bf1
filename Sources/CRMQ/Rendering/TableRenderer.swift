/// Tables for people: columns aligned in terminal columns, numbers right-aligned, rounded
/// and grouped by their unit, the title above and notes below.
///
///      id     name         orders     revenue
///      ─────  ───────────  ──────  ──────────
///      C001   Acme Corp        12   45,210.00
public struct TableRenderer {
    public var layout: TableLayout

    public init(layout: TableLayout = TableLayout()) {
        self.layout = layout
    }

    private static let gap = "  "

    /// Widths from the values, columns cut or left off to fit the window, middle rows elided,
    /// then the lines: each step reads the one before, so they stay together.
    public func render(_ table: ResultTable) -> String {
        if table.isRecord, table.rowCount == 1 { return render(table.fieldValueLines) }
        var out = ""
        if let title = table.title { out += style(ControlCharacters.escaped(ProseText.display(title)), "1") + "\n" }
        let rowCount = table.rowCount
        // Which rows to show: all, or the first and last halves with the middle left out.
        var shown = Array(0..<rowCount)
        var elided = 0
        if layout.maxRows > 0, rowCount > layout.maxRows {
            let head = (layout.maxRows + 1) / 2
            let tail = layout.maxRows - head
            elided = rowCount - head - tail
            shown = Array(0..<head) + Array((rowCount - tail)..<rowCount)
        }
        var columns = table.columns
        var hidden: [String] = []
        var cells: [[String]] = columns.map { column in
            shown.map { ControlCharacters.escaped(ValueText.display(column.data, $0, unit: column.unit)) }
        }
        let names = columns.map { ControlCharacters.escaped($0.name) }
        var widths = columns.indices.map { c in
            max(DisplayWidth.of(names[c]), cells[c].map { DisplayWidth.of($0) }.max() ?? 0)
        }
        let fitting = fit(&widths, columns)
        if fitting < columns.count {
            hidden = columns[fitting...].map(\.name)
            columns = Array(columns.prefix(fitting))
            cells = Array(cells.prefix(fitting))
            widths = Array(widths.prefix(fitting))
        }
        for c in columns.indices {
            for r in cells[c].indices where DisplayWidth.of(cells[c][r]) > widths[c] {
                cells[c][r] = DisplayWidth.truncate(cells[c][r], to: widths[c])
            }
        }
        let rightAligned = columns.map { $0.data.type == .number }
        func line(_ values: [String], header: Bool = false) -> String {
            var parts: [String] = []
            for (c, value) in values.enumerated() {
                let text = DisplayWidth.of(value) > widths[c] ? DisplayWidth.truncate(value, to: widths[c]) : value
                let pad = String(repeating: " ", count: max(0, widths[c] - DisplayWidth.of(text)))
                var cell = rightAligned[c] ? pad + text : text + (c == values.count - 1 ? "" : pad)
                if header { cell = style(cell, "1") } else if rightAligned[c], text.hasPrefix("-") { cell = style(cell, "31") }
                parts.append(cell)
            }
            return parts.joined(separator: Self.gap)
        }
        out += line(Array(names.prefix(columns.count)), header: true) + "\n"
        out += style(widths.map { String(repeating: "─", count: $0) }.joined(separator: Self.gap), "2") + "\n"
        for (i, _) in shown.enumerated() {
            if elided > 0, i == (layout.maxRows + 1) / 2 {
                out += style("… \(NumberText.grouped(elided)) more rows (\(NumberText.grouped(rowCount)) in all; .maxrows 0 shows all) …", "2") + "\n"
            }
            out += line(cells.map { $0[i] }) + "\n"
        }
        if rowCount == 0 { out += style("(no rows)", "2") + "\n" }
        out += notes(table.notes)
        if !hidden.isEmpty {
            out += style("… \(NumberText.counted(hidden.count, "more column")) off the screen: \(hidden.joined(separator: ", ")) (.last shows all)", "2") + "\n"
        }
        return out
    }

    /// A table's notes as a person reads them under it: escaped, wrapped to the window, dimmed.
    public func notes(_ notes: [Prose]) -> String {
        notes.map { style(TextWrap.wrap(ControlCharacters.escapedLines(ProseText.display($0)), width: layout.width), "2") + "\n" }.joined()
    }

    /// Fits the table to the terminal: first the widest text columns give up width (down to
    /// twelve columns, or their header; numbers and dates keep theirs, a cut number is a wrong
    /// number), then the columns that still do not fit are left off. Returns how many to show.
    private func fit(_ widths: inout [Int], _ columns: [ResultColumn]) -> Int {
        guard let width = layout.width else { return columns.count }
        func total(_ n: Int) -> Int { widths.prefix(n).reduce(0, +) + Self.gap.count * max(0, n - 1) }
        let narrowest = columns.map { max(12, DisplayWidth.of($0.name)) }
        while total(widths.count) > width {
            guard let widest = widths.indices.filter({ columns[$0].data.type == .text && widths[$0] > narrowest[$0] })
                .max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
        }
        var shown = widths.count
        while shown > 1, total(shown) > width { shown -= 1 }
        return shown
    }

    private func style(_ text: String, _ code: String) -> String {
        layout.color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
