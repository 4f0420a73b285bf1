import Testing
@testable import CRMQ

/// Charts at their edges: a curve that never passes 100%, all zeros, values below zero,
/// empty grids and missing values draw without trapping, at the prompt and as SVG.
@Suite struct ChartTests {
    static let charts: [Chart] = [
        Chart(title: "peaks exactly at 100%", kind: .curve(points: [0.5, 0.8, 1.0], xLabel: "x")),
        Chart(title: "all zero", kind: .curve(points: [0, 0, 0], xLabel: "x")),
        Chart(title: "below zero", kind: .curve(points: [-0.5, 0.2, 1.4, 1.0], xLabel: "x")),
        Chart(title: "no points", kind: .curve(points: [], xLabel: "x")),
        Chart(title: "bars with a gap", kind: .bars(labels: ["a", "用友"], series: ["ours", "theirs"], values: [[1, .nan], [0, 10]], maximum: 10)),
        Chart(title: "empty grid", kind: .heatMap(rowTitle: "r", rows: ["1"], columnTitle: "c", columns: ["1", "2"], values: [[0, 0]], cells: [["0", "0"]])),
        Chart(title: "one point", kind: .scatter(points: [ChartPoint("us", x: 1, y: 1)], line: [], xLabel: "x", yLabel: "y")),
        Chart(title: "points unknown", kind: .scatter(points: [ChartPoint("us", x: .nan, y: .infinity)], line: [ChartPoint("", x: 0, y: .nan), ChartPoint("", x: 1, y: 1)], xLabel: "x", yLabel: "y")),
        Chart(title: "an upright line", kind: .scatter(points: [ChartPoint("a", x: 0.9, y: 1.2), ChartPoint("b", x: 1, y: 1)], line: [ChartPoint("", x: 1, y: 0), ChartPoint("", x: 1, y: 2)], xLabel: "x", yLabel: "y")),
    ]

    @Test func control_characters_in_a_label_are_escaped_in_svg() {
        let svg = ChartSVG.render(Chart(title: "segment \u{1B}[2J", kind: .bars(labels: ["a\u{07}"], series: ["ours"], values: [[1]], maximum: 1)))
        #expect(!svg.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(svg)")
        #expect(svg.contains("segment \\x1b[2J") && svg.contains("a\\x07"))
    }

    @Test func the_scatter_puts_each_point_and_the_line_in_its_cells() {
        // Points (1, 1) and (2, 2): the frame spans 1 − 1/6 … 2 + 1/6 rounded out to twentieths,
        // 0.8 … 2.2 on both axes; the line y = x runs corner to corner through both.
        let text = ChartText(color: false).render(Chart(title: "t", kind: .scatter(
            points: [ChartPoint("low", x: 1, y: 1), ChartPoint("high", x: 2, y: 2)],
            line: [ChartPoint("", x: 0, y: 0), ChartPoint("", x: 3, y: 3)], xLabel: "x", yLabel: "y")))
        let rows = text.split(separator: "\n").map(String.init).filter { $0.contains("┤") }
        #expect(rows.count == 14)
        #expect(rows.first!.hasPrefix("2.2 ┤") && rows.first!.hasSuffix("·"), "\(text)")  // the top right corner
        #expect(rows.last!.hasPrefix("0.8 ┤·"), "\(text)")  // the bottom left corner
        #expect(text.contains("  A low: 1 across, 1 up\n  B high: 2 across, 2 up\n"))
        // (1, 1) is 0.2 / 1.4 of the way: column 47 × 0.143 ≈ 7, row 13 × (1 − 0.143) ≈ 11.
        let a = rows[11].firstIndex(of: "A").map { rows[11].distance(from: rows[11].firstIndex(of: "┤")!, to: $0) - 1 }
        #expect(a == 7, "\(text)")
    }

    @Test(arguments: charts)
    func draws_at_the_prompt_and_as_svg(_ chart: Chart) {
        for color in [false, true] {
            let text = ChartText(color: color).render(chart)
            #expect(text.hasPrefix(ProseText.display(chart.title) + "\n") && text.hasSuffix("\n"))
        }
        let svg = ChartSVG.render(chart)
        #expect(svg.contains("<svg") && svg.hasSuffix("</svg>\n") && !svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func the_curve_marks_its_top_and_the_hundred_percent_line() {
        // Points 0.5, 1.5: the scale runs from 0 to 150%; 100% is the sixth of eight rows
        // (⌈1/1.5 × 8⌉ = 6), and a point at 150% fills its column to the top.
        let lines = ChartText(color: false).render(Chart(title: "t", kind: .curve(points: [0.5, 1.5], xLabel: "x"))).split(separator: "\n")
        #expect(lines[1].hasPrefix("150% ┤") && lines[1].hasSuffix("█"))
        #expect(lines[3].hasPrefix("100% ┤"))
        #expect(lines[8].hasPrefix("  0% ┤██"))
    }

    @Test func without_colour_the_heat_map_shades_by_quarters_of_the_largest() {
        // 1, 2, 3, 4 of a largest 4: 25% (░), 50% (▒), 75% (▓), 100% (█); 0 is a dot.
        let text = ChartText(color: false).render(Chart(title: "t", kind: .heatMap(
            rowTitle: "r", rows: ["a"], columnTitle: "c", columns: ["0", "1", "2", "3", "4"], values: [[0, 1, 2, 3, 4]],
            cells: [["0", "1", "2", "3", "4"]])))
        #expect(text.split(separator: "\n")[2] == "a      · 0  ░ 1  ▒ 2  ▓ 3  █ 4")
    }
}
