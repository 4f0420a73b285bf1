/// Words for a person with the figures in them kept as numbers: a result's titles, notes,
/// messages, explanations and plans. The statement says what a figure is (`\(clv, .money)`,
/// `\(count: customers)`); Rendering alone turns it into digits, so a note reads the same as
/// the table above it and a program can still find the value.
///
///     let note: Prose = "the threshold is \(threshold, .money) over \(count: 60) customers"
public struct Prose: Sendable, Equatable, ExpressibleByStringInterpolation {
    /// One run of words or one figure.
    public enum Piece: Sendable, Equatable {
        case text(String)
        /// A figure shown as its unit shows it in a table (money with two decimals, a ratio as
        /// a percentage, an estimate to four significant digits).
        case number(Double, NumberUnit)
        /// A figure with every digit (a constant a student retypes: 4.348 weeks a month).
        case exact(Double)
        /// A figure rounded to so many decimals and grouped (a log-likelihood: -9,582.14).
        case fixed(Double, decimals: Int)
    }

    public private(set) var pieces: [Piece]

    public init(_ text: String) { pieces = text.isEmpty ? [] : [.text(text)] }
    public init(stringLiteral value: String) { self.init(value) }
    public init(stringInterpolation: StringInterpolation) { pieces = stringInterpolation.pieces }
    public init(pieces: [Piece]) { self.pieces = pieces }

    public struct StringInterpolation: StringInterpolationProtocol {
        var pieces: [Piece] = []

        public init(literalCapacity: Int, interpolationCount: Int) { pieces.reserveCapacity(interpolationCount * 2 + 1) }

        public mutating func appendLiteral(_ literal: String) { appendText(literal) }
        /// Words: names, ids, statement text, ISO dates.
        public mutating func appendInterpolation(_ text: String) { appendText(text) }
        public mutating func appendInterpolation(_ text: Substring) { appendText(String(text)) }
        /// A small whole number as it is (`12 months`, `3 iterations`).
        public mutating func appendInterpolation<Whole: BinaryInteger>(_ value: Whole) { appendText(String(value)) }
        public mutating func appendInterpolation(_ value: Double, _ unit: NumberUnit) { pieces.append(.number(value, unit)) }
        /// A count, grouped as a table shows one: `12,345`.
        public mutating func appendInterpolation(count value: Int) { pieces.append(.number(Double(value), .count)) }
        /// A count with its noun, plural unless one: `1 customer`, `12,345 customers`.
        public mutating func appendInterpolation(count value: Int, _ noun: String) {
            pieces.append(.number(Double(value), .count))
            appendText(" " + noun + (value == 1 ? "" : "s"))
        }
        public mutating func appendInterpolation(exact value: Double) { pieces.append(.exact(value)) }
        public mutating func appendInterpolation(_ value: Double, decimals: Int) { pieces.append(.fixed(value, decimals: decimals)) }
        public mutating func appendInterpolation(_ prose: Prose) { for piece in prose.pieces { append(piece) } }

        mutating func appendText(_ text: String) { append(.text(text)) }

        mutating func append(_ piece: Piece) {
            if case .text(let next) = piece {
                guard !next.isEmpty else { return }
                if case .text(let previous)? = pieces.last {
                    pieces[pieces.count - 1] = .text(previous + next)
                    return
                }
            }
            pieces.append(piece)
        }
    }

    public var isEmpty: Bool { pieces.isEmpty }

    /// The same prose with each run of words changed (the figures left as they are).
    public func mapText(_ change: (String) -> String) -> Prose {
        Prose(pieces: pieces.map { if case .text(let t) = $0 { .text(change(t)) } else { $0 } })
    }

    public static func + (lhs: Prose, rhs: Prose) -> Prose { "\(lhs)\(rhs)" }
    public static func += (lhs: inout Prose, rhs: Prose) { lhs = lhs + rhs }
}

extension Sequence where Element == Prose {
    public func joined(separator: String = "") -> Prose {
        var out = Prose.StringInterpolation(literalCapacity: 0, interpolationCount: 0)
        for (i, prose) in enumerated() {
            if i > 0 { out.appendText(separator) }
            out.appendInterpolation(prose)
        }
        return Prose(stringInterpolation: out)
    }
}
