/// Draws a `Chart` with Unicode blocks for the terminal: eighth blocks for curves and bars,
/// shaded cells for heat maps. With colour, bars and cells are coloured too; without it
/// (not a terminal, NO_COLOR) the shading characters carry the same information.
public struct ChartText {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    static let rising = Array("▁▂▃▄▅▆▇█")
    static let across = Array("▏▎▍▌▋▊▉█")
    static let shades = Array("░▒▓█")

    public func render(_ chart: Chart) -> String {
        var out = ProseText.display(chart.title) + "\n"
        switch chart.kind {
        case .curve(let points, let xLabel): out += curve(points, xLabel)
        case .bars(let labels, let series, let values, let maximum): out += bars(labels, series, values, maximum)
        case .heatMap(let rowTitle, let rows, let columnTitle, let columns, let values, let cells):
            out += heatMap(rowTitle, rows, columnTitle, columns, values, cells.map { $0.map(ProseText.display) })
        case .lines(let series, let values, let xLabel): out += lines(series, values, xLabel)
        case .scatter(let points, let line, let xLabel, let yLabel): out += scatter(points, line, xLabel, yLabel)
        }
        return out
    }

    private func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - DisplayWidth.of(text)))
        return right ? fill + text : text + fill
    }

    private func percent(_ v: Double) -> String { NumberText.plain((v * 100).rounded()) + "%" }

    /// A sparkline a series, all on one scale from 0 to the largest value, each with its last value.
    private func lines(_ series: [String], _ values: [[Double]], _ xLabel: String) -> String {
        let top = values.compactMap { $0.max() }.max() ?? 0
        let width = series.map { DisplayWidth.of($0) }.max() ?? 0
        let colours = ["36", "33"]
        var out = ""
        for (k, name) in series.enumerated() {
            let line = String(values[k].map { top > 0 ? Self.rising[max(0, min(7, Int($0 / top * 7.999)))] : Self.rising[0] })
            out += pad(name, width) + " " + paint(line, colours[k % colours.count]) + "  " + NumberText.grouped(values[k].last ?? 0, decimals: 0) + "\n"
        }
        return out + String(repeating: " ", count: width + 1) + xLabel + "\n"
    }

    /// Eight rows of columns, one column per point; the axis marks the top, 100% and 0.
    private func curve(_ points: [Double], _ xLabel: String) -> String {
        let points = points.map { $0.isFinite ? $0 : 0 }  // a share of nothing: drawn at 0, never a crash
        let height = 8
        let low = min(0, points.min() ?? 0), high = max(1, points.max() ?? 1)
        let levels = points.map { Int((($0 - low) / (high - low) * Double(height * 8)).rounded()) }
        let hundredRow = Int(((1 - low) / (high - low) * Double(height)).rounded(.up)) - 1
        // The top, 100% and 0 (which may share a row: the first said wins).
        var labels: [Int: String] = [:]
        for (row, text) in [(height - 1, percent(high)), (hundredRow, "100%"), (0, percent(low))] where labels[row] == nil {
            labels[row] = text
        }
        let labelWidth = labels.values.map(\.count).max() ?? 4
        var lines: [String] = []
        for row in stride(from: height - 1, through: 0, by: -1) {
            var line = ""
            for level in levels {
                let filled = level - row * 8
                line += filled >= 8 ? "█" : filled > 0 ? String(Self.rising[filled - 1]) : (row == hundredRow ? "┈" : " ")
            }
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(pad(labels[row] ?? "", labelWidth, right: true) + " ┤" + paint(line, "36"))
        }
        lines.append(String(repeating: " ", count: labelWidth) + " └" + String(repeating: "─", count: points.count))
        let axis = "0%" + String(repeating: " ", count: max(1, points.count - 6)) + "100%"
        lines.append(String(repeating: " ", count: labelWidth + 2) + axis)
        lines.append(String(repeating: " ", count: labelWidth + 2) + xLabel)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A bar per series under each label, scaled so that `maximum` fills 30 cells.
    private func bars(_ labels: [String], _ series: [String], _ values: [[Double]], _ maximum: Double) -> String {
        let width = 30
        let labelWidth = labels.map { DisplayWidth.of($0) }.max() ?? 0
        let seriesWidth = series.map { DisplayWidth.of($0) }.max() ?? 0
        let colours = ["32", "90"]
        var lines: [String] = []
        for (k, label) in labels.enumerated() {
            for (s, name) in series.enumerated() {
                let v = values[k][s]
                let eighths = v.isNaN || maximum <= 0 ? 0 : Int((max(0, v) / maximum * Double(width * 8)).rounded())
                var bar = String(repeating: "█", count: eighths / 8)
                if eighths % 8 > 0 { bar.append(Self.across[eighths % 8 - 1]) }
                let shown = s == 0 || color ? bar : String(repeating: "▒", count: bar.count)
                lines.append(
                    pad(s == 0 ? label : "", labelWidth) + "  " + pad(name, seriesWidth) + " "
                        + paint(pad(shown, width), colours[s % colours.count]) + " " + (v.isNaN ? "—" : NumberText.plain(v)))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The grid with each cell's text after a shade: ░ ▒ ▓ █ by quarters of the largest value.
    private func heatMap(_ rowTitle: String, _ rows: [String], _ columnTitle: String, _ columns: [String], _ values: [[Double]], _ cells: [[String]]) -> String {
        let top = values.flatMap { $0 }.filter { !$0.isNaN }.max() ?? 0
        let cellWidth = max(columns.map { DisplayWidth.of($0) }.max() ?? 0, cells.flatMap { $0 }.map { DisplayWidth.of($0) + 2 }.max() ?? 0)
        let rowWidth = max(DisplayWidth.of(rowTitle + " \\ " + columnTitle), rows.map { DisplayWidth.of($0) }.max() ?? 0)
        var lines = [pad(rowTitle + " \\ " + columnTitle, rowWidth) + columns.map { "  " + pad($0, cellWidth, right: true) }.joined()]
        let backgrounds = ["48;5;17", "48;5;19", "48;5;26", "48;5;33"]
        for (r, row) in rows.enumerated() {
            var line = pad(row, rowWidth)
            for c in columns.indices {
                let v = values[r][c]
                let level = v > 0 && top > 0 ? min(3, Int(v / top * 4 - 1e-9)) : -1
                let text = cells[r][c]
                if color {
                    let cell = pad(text, cellWidth, right: true)
                    line += "  " + (level >= 0 ? paint(cell, backgrounds[level] + ";97") : cell)
                } else {
                    line += "  " + pad((level >= 0 ? String(Self.shades[level]) : "·") + " " + text, cellWidth, right: true)
                }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A grid of 48 × 14 cells: the line dotted, each point a letter, the letters explained below.
    private func scatter(_ points: [ChartPoint], _ line: [ChartPoint], _ xLabel: String, _ yLabel: String) -> String {
        let (columns, rows) = (48, 14)
        let frame = ScatterFrame(points)
        var grid = Array(repeating: Array(repeating: " ", count: columns), count: rows)
        func cell(_ x: Double, _ y: Double) -> (Int, Int)? {
            guard x.isFinite, y.isFinite else { return nil }
            let c = Int((frame.fractionX(x) * Double(columns - 1)).rounded()), r = Int(((1 - frame.fractionY(y)) * Double(rows - 1)).rounded())
            return (0..<columns).contains(c) && (0..<rows).contains(r) ? (c, r) : nil
        }
        if line.count == 2 {
            // A dot where the line crosses each column and each row, so that steep and flat lines are both unbroken.
            let (a, b) = (line[0], line[1])
            let xs = (0..<columns).map { frame.xRange.lowerBound + Double($0) / Double(columns - 1) * (frame.xRange.upperBound - frame.xRange.lowerBound) }
            let ys = (0..<rows).map { frame.yRange.lowerBound + Double($0) / Double(rows - 1) * (frame.yRange.upperBound - frame.yRange.lowerBound) }
            let crossings = (b.x != a.x ? xs.map { ($0, a.y + ($0 - a.x) / (b.x - a.x) * (b.y - a.y)) } : [])
                + (b.y != a.y ? ys.map { (a.x + ($0 - a.y) / (b.y - a.y) * (b.x - a.x), $0) } : [])
            for (x, y) in crossings { if let (c, r) = cell(x, y) { grid[r][c] = "·" } }
        }
        let marks = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for (k, point) in points.enumerated() {
            if let (c, r) = cell(point.x, point.y) { grid[r][c] = paint(String(marks[k % marks.count]), "1;36") }
        }
        let high = NumberText.plain(frame.yRange.upperBound), low = NumberText.plain(frame.yRange.lowerBound)
        let labelWidth = max(high.count, low.count)
        var out = yLabel + " ↑\n"
        for (r, row) in grid.enumerated() {
            let label = r == 0 ? high : r == rows - 1 ? low : ""
            out += pad(label, labelWidth, right: true) + " ┤" + row.joined() + "\n"
        }
        out += String(repeating: " ", count: labelWidth) + " └" + String(repeating: "─", count: columns) + "\n"
        let left = NumberText.plain(frame.xRange.lowerBound), right = NumberText.plain(frame.xRange.upperBound)
        out += String(repeating: " ", count: labelWidth + 2) + left + String(repeating: " ", count: max(1, columns - left.count - right.count)) + right + "\n"
        out += String(repeating: " ", count: labelWidth + 2) + xLabel + " →\n"
        for (k, point) in points.enumerated() {
            out += "  \(marks[k % marks.count]) \(point.label): \(NumberText.plain((point.x * 1000).rounded() / 1000)) across, \(NumberText.plain((point.y * 1000).rounded() / 1000)) up\n"
        }
        if let label = line.last?.label { out += "  · " + (label.isEmpty ? "the reference line" : label) + "\n" }
        return out
    }
}

/// The ranges a scatter chart's axes cover: every finite point with room to spare on each
/// side (a sixth of the span, at least a tenth of the larger end), rounded out to twentieths.
/// A reference line is clipped to it, not fitted in.
struct ScatterFrame {
    let xRange: ClosedRange<Double>
    let yRange: ClosedRange<Double>

    init(_ points: [ChartPoint]) {
        func range(_ values: [Double]) -> ClosedRange<Double> {
            let finite = values.filter(\.isFinite)
            guard let low = finite.min(), let high = finite.max() else { return 0...1 }
            let spare = max((high - low) / 6, 0.1 * max(1, abs(high)))
            let lower = ((low - spare) * 20).rounded(.down) / 20, upper = ((high + spare) * 20).rounded(.up) / 20
            return lower...upper
        }
        xRange = range(points.map(\.x))
        yRange = range(points.map(\.y))
    }

    func fractionX(_ x: Double) -> Double { (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) }
    func fractionY(_ y: Double) -> Double { (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) }
}
