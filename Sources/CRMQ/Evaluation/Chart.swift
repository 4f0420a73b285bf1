/// A small chart a statement answers with, beside its tables: drawn with Unicode blocks at
/// the prompt (`ChartText`) and as SVG by `plot … to FILE.svg` (`ChartSVG`). The numbers
/// are in the tables too, so csv and json output leave charts out.
public struct Chart: Sendable {
    public enum Kind: Sendable {
        /// A cumulative curve over the customers ranked (x from 0 to 100% of them), as
        /// shares of the total: the whale curve.
        case curve(points: [Double], xLabel: String)
        /// Horizontal bars: for each label, one value per series, on a scale from 0 to `maximum`.
        case bars(labels: [String], series: [String], values: [[Double]], maximum: Double)
        /// Curves over a common x axis from 1 to the points' count, one per series, from 0 up:
        /// predicted against actual, week by week.
        case lines(series: [String], values: [[Double]], xLabel: String)
        /// A grid of counts shaded by size; `cells` are the words and figures shown in it.
        case heatMap(rowTitle: String, rows: [String], columnTitle: String, columns: [String], values: [[Double]], cells: [[Prose]])
        /// Labelled points on two axes with a straight reference line through two points on
        /// it: the customer value map and its fair-value line.
        case scatter(points: [ChartPoint], line: [ChartPoint], xLabel: String, yLabel: String)
    }

    public var title: Prose
    public var kind: Kind

    public init(title: Prose, kind: Kind) {
        self.title = title
        self.kind = kind
    }
}

/// A point of a scatter chart, with the word it is labelled by.
public struct ChartPoint: Sendable {
    public var label: String
    public var x: Double
    public var y: Double

    public init(_ label: String, x: Double, y: Double) {
        self.label = label
        self.x = x
        self.y = y
    }
}
