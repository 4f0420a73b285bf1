/// Writes a `Chart` as a standalone SVG document (`plot … to FILE.svg`): the same chart as
/// at the prompt, with axes and labels, that opens in any browser.
public enum ChartSVG {
    static let width = 720.0

    public static func render(_ chart: Chart) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + element(chart, namespace: true) + "\n"
    }

    /// The `<svg>` element alone, for a page to hold inline: there it needs no namespace, and
    /// `id` keeps its clip path apart from another chart's on the same page.
    public static func element(_ chart: Chart, namespace: Bool = false, id: String = "chart") -> String {
        let (body, height): (String, Double)
        switch chart.kind {
        case .curve(let points, let xLabel): (body, height) = curve(points, xLabel)
        case .bars(let labels, let series, let values, let maximum): (body, height) = bars(labels, series, values, maximum)
        case .heatMap(let rowTitle, let rows, let columnTitle, let columns, let values, let cells):
            (body, height) = heatMap(rowTitle, rows, columnTitle, columns, values, cells.map { $0.map(ProseText.display) })
        case .lines(let series, let values, let xLabel): (body, height) = lines(series, values, xLabel)
        case .scatter(let points, let line, let xLabel, let yLabel): (body, height) = scatter(points, line, xLabel, yLabel, id: id)
        }
        let xmlns = namespace ? " xmlns=\"http://www.w3.org/2000/svg\"" : ""
        let title = escape(ProseText.display(chart.title))
        return """
            <svg\(xmlns) width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" font-family="sans-serif" font-size="13" role="img" aria-label="\(title)">
            <rect x="0" y="0" width="\(n(width))" height="\(n(height))" fill="#ffffff"/>
            <text x="16" y="24" font-size="\(titleSize(ProseText.display(chart.title)))" font-weight="bold">\(title)</text>
            \(body)</svg>
            """
    }

    /// Small enough for the title to fit the width (a character is about 0.6 of the size).
    static func titleSize(_ title: String) -> Int { max(9, min(15, Int((width - 32) / (0.62 * Double(max(1, title.count)))))) }

    static func n(_ v: Double) -> String { NumberText.plain((v * 10).rounded() / 10) }

    /// Text for SVG: XML's specials, and control characters (which XML does not allow) shown
    /// as escapes, as everywhere a person reads data — `HTMLReport`'s escape.
    static func escape(_ text: String) -> String { HTMLReport.escape(text) }

    private static func text(_ x: Double, _ y: Double, _ s: String, anchor: String = "start", size: Int? = nil, fill: String = "#333") -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\"\(size.map { " font-size=\"\($0)\"" } ?? "")>\(escape(s))</text>\n"
    }

    /// A polyline a series over x = 1 … n, on a scale from 0 to the largest value, with a legend.
    private static func lines(_ series: [String], _ values: [[Double]], _ xLabel: String) -> (String, Double) {
        let (left, top, plotWidth, plotHeight) = (70.0, 44.0, width - 100, 280.0)
        let high = max(1, values.compactMap { $0.max() }.max() ?? 1)
        let count = values.map(\.count).max() ?? 0
        func x(_ i: Int) -> Double { left + plotWidth * Double(i) / Double(max(1, count)) }
        func y(_ v: Double) -> Double { top + plotHeight * (1 - v / high) }
        var out = "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(plotWidth))\" height=\"\(n(plotHeight))\" fill=\"#f7f7f7\" stroke=\"#ccc\"/>\n"
        for v in [0, high / 2, high] {
            out += "<line x1=\"\(n(left))\" y1=\"\(n(y(v)))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(y(v)))\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>\n"
            out += text(left - 8, y(v) + 4, NumberText.grouped(v, decimals: 0), anchor: "end")
        }
        let colours = ["#1f77b4", "#ff7f0e", "#2ca02c"]
        for (k, name) in series.enumerated() {
            let colour = colours[k % colours.count]
            let path = ([(x(0), y(0))] + values[k].indices.map { (x($0 + 1), y(values[k][$0])) }).map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
            out += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.5\"/>\n"
            let legendY = top + 18 + Double(k) * 18
            out += "<line x1=\"\(n(left + 12))\" y1=\"\(n(legendY - 4))\" x2=\"\(n(left + 36))\" y2=\"\(n(legendY - 4))\" stroke=\"\(colour)\" stroke-width=\"2.5\"/>\n"
            out += text(left + 42, legendY, name + " " + NumberText.grouped(values[k].last ?? 0, decimals: 0))
        }
        out += text(left, top + plotHeight + 18, "0") + text(left + plotWidth, top + plotHeight + 18, String(count), anchor: "end")
        out += text(left + plotWidth / 2, top + plotHeight + 36, xLabel, anchor: "middle")
        return (out, top + plotHeight + 56)
    }

    private static func curve(_ points: [Double], _ xLabel: String) -> (String, Double) {
        let points = points.map { $0.isFinite ? $0 : 0 }  // a share of nothing: drawn at 0, never `nan` in the file
        let (left, top, plotWidth, plotHeight) = (70.0, 44.0, width - 100, 280.0)
        let low = min(0, points.min() ?? 0), high = max(1, points.max() ?? 1)
        func x(_ i: Int) -> Double { left + plotWidth * Double(i) / Double(max(1, points.count)) }
        func y(_ v: Double) -> Double { top + plotHeight * (1 - (v - low) / (high - low)) }
        var out = "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(plotWidth))\" height=\"\(n(plotHeight))\" fill=\"#f7f7f7\" stroke=\"#ccc\"/>\n"
        for v in Set([low, 0, 1, high]).sorted() {
            out += "<line x1=\"\(n(left))\" y1=\"\(n(y(v)))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(y(v)))\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>\n"
            out += text(left - 8, y(v) + 4, NumberText.plain((v * 100).rounded()) + "%", anchor: "end")
        }
        let path = ([(x(0), y(0))] + points.indices.map { (x($0 + 1), y(points[$0])) }).map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        out += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2.5\"/>\n"
        if let peak = points.indices.max(by: { points[$0] < points[$1] }) {
            out += "<circle cx=\"\(n(x(peak + 1)))\" cy=\"\(n(y(points[peak])))\" r=\"4\" fill=\"#d62728\"/>\n"
            out += text(x(peak + 1), y(points[peak]) - 8, "peak " + NumberText.plain((points[peak] * 1000).rounded() / 10) + "%", anchor: "middle", fill: "#d62728")
        }
        out += text(left, top + plotHeight + 18, "0%") + text(left + plotWidth, top + plotHeight + 18, "100%", anchor: "end")
        out += text(left + plotWidth / 2, top + plotHeight + 36, xLabel, anchor: "middle")
        return (out, top + plotHeight + 56)
    }

    private static func bars(_ labels: [String], _ series: [String], _ values: [[Double]], _ maximum: Double) -> (String, Double) {
        let (left, top, barWidth, rowHeight) = (250.0, 56.0, width - 330, 14.0)
        let colours = ["#2ca02c", "#999999"]
        var out = ""
        for (s, name) in series.enumerated() {
            out += "<rect x=\"\(n(left + Double(s) * 120))\" y=\"34\" width=\"12\" height=\"12\" fill=\"\(colours[s % 2])\"/>\n"
            out += text(left + Double(s) * 120 + 18, 45, name)
        }
        var y = top
        for (k, label) in labels.enumerated() {
            out += text(left - 10, y + rowHeight * Double(series.count) / 2 + 4, label, anchor: "end")
            for s in series.indices {
                let v = values[k][s]
                let w = v.isNaN || maximum <= 0 ? 0 : barWidth * max(0, v) / maximum
                out += "<rect x=\"\(n(left))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(rowHeight - 2))\" fill=\"\(colours[s % 2])\"/>\n"
                out += text(left + w + 6, y + rowHeight - 3, v.isNaN ? "—" : NumberText.plain(v), size: 11)
                y += rowHeight
            }
            y += 10
        }
        return (out, y + 10)
    }

    private static func heatMap(_ rowTitle: String, _ rows: [String], _ columnTitle: String, _ columns: [String], _ values: [[Double]], _ cells: [[String]]) -> (String, Double) {
        let (left, top) = (170.0, 70.0)
        let longest = Double(cells.flatMap { $0 }.map(\.count).max() ?? 4)
        let cellWidth = min(max(60, longest * 7.4 + 16), (width - left - 20) / Double(max(1, columns.count))), cellHeight = 34.0
        let maximum = values.flatMap { $0 }.filter { !$0.isNaN }.max() ?? 0
        var out = text(left, 50, "\(columnTitle) →", fill: "#666") + text(16, 50, "\(rowTitle) ↓", fill: "#666")
        for (c, name) in columns.enumerated() { out += text(left + cellWidth * (Double(c) + 0.5), top - 6, name, anchor: "middle", size: 11) }
        for (r, name) in rows.enumerated() {
            let y = top + cellHeight * Double(r)
            out += text(left - 8, y + cellHeight / 2 + 4, name, anchor: "end")
            for c in columns.indices {
                let v = values[r][c]
                let strength = maximum > 0 && !v.isNaN ? max(0, v) / maximum : 0
                let fill = "rgb(\(Int(247 - 216 * strength)),\(Int(251 - 132 * strength)),\(Int(255 - 75 * strength)))"
                out += "<rect x=\"\(n(left + cellWidth * Double(c)))\" y=\"\(n(y))\" width=\"\(n(cellWidth - 2))\" height=\"\(n(cellHeight - 2))\" fill=\"\(fill)\"/>\n"
                out += text(left + cellWidth * (Double(c) + 0.5), y + cellHeight / 2 + 4, cells[r][c], anchor: "middle", fill: strength > 0.5 ? "#fff" : "#222")
            }
        }
        return (out, top + cellHeight * Double(rows.count) + 20)
    }

    /// Points in a frame with a dashed reference line clipped to it; each point a dot with its label.
    private static func scatter(_ points: [ChartPoint], _ line: [ChartPoint], _ xLabel: String, _ yLabel: String, id: String) -> (String, Double) {
        let (left, top, plotWidth, plotHeight) = (80.0, 50.0, width - 120, 320.0)
        let frame = ScatterFrame(points)
        func x(_ v: Double) -> Double { left + plotWidth * frame.fractionX(v) }
        func y(_ v: Double) -> Double { top + plotHeight * (1 - frame.fractionY(v)) }
        var out = "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(plotWidth))\" height=\"\(n(plotHeight))\" fill=\"#f7f7f7\" stroke=\"#ccc\"/>\n"
        for (v, anchorY) in [(frame.yRange.lowerBound, y(frame.yRange.lowerBound)), (frame.yRange.upperBound, y(frame.yRange.upperBound))] {
            out += text(left - 8, anchorY + 4, NumberText.plain(v), anchor: "end")
        }
        for v in [1.0] where frame.xRange.contains(v) && frame.yRange.contains(v) {  // parity with the competitor
            out += "<line x1=\"\(n(x(v)))\" y1=\"\(n(top))\" x2=\"\(n(x(v)))\" y2=\"\(n(top + plotHeight))\" stroke=\"#ddd\"/>\n"
            out += "<line x1=\"\(n(left))\" y1=\"\(n(y(v)))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(y(v)))\" stroke=\"#ddd\"/>\n"
            out += text(x(v), top + plotHeight + 18, "1", anchor: "middle") + text(left - 8, y(v) + 4, "1", anchor: "end")
        }
        out += text(left, top + plotHeight + 18, NumberText.plain(frame.xRange.lowerBound))
        out += text(left + plotWidth, top + plotHeight + 18, NumberText.plain(frame.xRange.upperBound), anchor: "end")
        out += text(left + plotWidth / 2, top + plotHeight + 36, xLabel + " →", anchor: "middle")
        out += "<text x=\"20\" y=\"\(n(top + plotHeight / 2))\" text-anchor=\"middle\" fill=\"#333\" transform=\"rotate(-90 20 \(n(top + plotHeight / 2)))\">\(escape(yLabel + " →"))</text>\n"
        if line.count == 2, line.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) {
            out += "<clipPath id=\"\(id)-frame\"><rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(plotWidth))\" height=\"\(n(plotHeight))\"/></clipPath>\n"
            out += "<line x1=\"\(n(x(line[0].x)))\" y1=\"\(n(y(line[0].y)))\" x2=\"\(n(x(line[1].x)))\" y2=\"\(n(y(line[1].y)))\" stroke=\"#888\" stroke-width=\"2\" stroke-dasharray=\"6 4\" clip-path=\"url(#\(id)-frame)\"/>\n"
            out += "<line x1=\"\(n(left + 12))\" y1=\"\(n(top + 16))\" x2=\"\(n(left + 40))\" y2=\"\(n(top + 16))\" stroke=\"#888\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n"
            out += text(left + 46, top + 20, line[1].label, size: 11, fill: "#555")
        }
        let colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"]
        for (k, point) in points.enumerated() where point.x.isFinite && point.y.isFinite {
            let colour = colours[k % colours.count]
            out += "<circle cx=\"\(n(x(point.x)))\" cy=\"\(n(y(point.y)))\" r=\"7\" fill=\"\(colour)\"/>\n"
            out += text(x(point.x) + 11, y(point.y) - 9, point.label, fill: colour)
        }
        return (out, top + plotHeight + 56)
    }
}
