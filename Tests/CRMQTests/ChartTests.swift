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
    ]

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
