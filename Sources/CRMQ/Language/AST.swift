/// An expression of the language, with the source range it was parsed from.
public struct Expr: Sendable, Equatable {
    public indirect enum Kind: Sendable, Equatable {
        case number(Double, percent: Bool)
        case string(String)
        case date(Int32)
        case bool(Bool)
        case null
        case field(String)
        case negate(Expr)
        case not(Expr)
        case binary(BinaryOperator, Expr, Expr)
        case inList(Expr, [Expr], negated: Bool)
        case between(Expr, Expr, Expr, negated: Bool)
        case like(Expr, Expr, negated: Bool)
        case isNull(Expr, negated: Bool)
        /// An aggregate: `count`, `sum(f)`, `avg(f)`, `min(f)`, `max(f)`, `median(f)`, `share(f)`.
        case call(String, [Expr])
    }

    public var kind: Kind
    public var range: SourceRange
    /// Where the operator of a binary, `in`, `between`, `like` or `is` expression stands,
    /// so that a type error can point at it.
    public var operatorRange: SourceRange?
    /// Levels of the tree below and including this node: what evaluating it recurses
    /// through, which the parser bounds (`Parser.maximumDepth`).
    public let depth: Int

    public init(_ kind: Kind, _ range: SourceRange, operatorRange: SourceRange? = nil) {
        self.kind = kind
        self.range = range
        self.operatorRange = operatorRange
        self.depth = 1 + (kind.children.map(\.depth).max() ?? 0)
    }
}

extension Expr.Kind {
    /// The expressions directly inside this one.
    var children: [Expr] {
        switch self {
        case .number, .string, .date, .bool, .null, .field: []
        case .negate(let e), .not(let e), .isNull(let e, _): [e]
        case .binary(_, let l, let r), .like(let l, let r, _): [l, r]
        case .inList(let e, let items, _): [e] + items
        case .between(let e, let low, let high, _): [e, low, high]
        case .call(_, let arguments): arguments
        }
    }
}

extension Expr {
    /// Every field name the expression reads, as written.
    var fieldNames: [String] {
        if case .field(let name) = kind { return [name] }
        return kind.children.flatMap(\.fieldNames)
    }
}

public enum BinaryOperator: String, Sendable, Equatable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case and, or

    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: true
        default: false
        }
    }

    var isArithmetic: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide: true
        default: false
        }
    }
}

/// One word of a closed set (a model, a plan kind, a lever) and where it was written.
public struct Spelled<Value: Sendable>: Sendable {
    public var value: Value
    public var range: SourceRange

    public init(_ value: Value, _ range: SourceRange) {
        self.value = value
        self.range = range
    }
}

/// A name the user wrote (a snapshot, a segment, a setting), with its place.
public struct Name: Sendable, Equatable {
    public var text: String
    public var range: SourceRange

    public init(_ text: String, _ range: SourceRange) {
        self.text = text
        self.range = range
    }
}

/// Which customers a statement looks at: those of a named segment, those matching a condition.
public struct CustomerFilter: Sendable, Equatable {
    public var segment: Name?
    public var condition: Expr?

    public init(segment: Name? = nil, condition: Expr? = nil) {
        self.segment = segment
        self.condition = condition
    }
}

public struct OrderItem: Sendable, Equatable {
    public var expr: Expr
    public var descending: Bool
}

/// An expression to show as a column, with an optional column name.
public struct ShowItem: Sendable, Equatable {
    public var expr: Expr
    public var alias: Name?
}

public struct CustomerQuery: Sendable, Equatable {
    public var filter = CustomerFilter()
    public var order: [OrderItem] = []
    public var limit: Int?
    public var show: [ShowItem] = []
}

/// The value of a `set` statement: `10%`, `24 months`, `500`, `paretonbd`.
public enum SettingValue: Sendable, Equatable {
    case number(Double, percent: Bool, unit: String?)
    case word(String)
    /// `rfm_cuts LETTER = a, b, c, d`, or `= quantiles` (nil) to go back to the quantiles.
    case cuts(RFMLetter, [Double]?)
    /// `covariates = gender, channel`, or `= none` (empty).
    case names([String])
}

/// Who a plan is for: one customer, or the customers of a segment (a named one, else a
/// value of the `segment` column).
public enum PlanTarget: Sendable, Equatable {
    case customer(Name)
    case segment(Name)
}

/// The change a `whatif` makes: `retention +5%` (points), `discount 12%`, `cost_to_serve -10%`.
public struct WhatIfChange: Sendable {
    public var lever: Spelled<WhatIfLever>
    public var value: Double
    /// Written with a sign: a change from today's value rather than a new value.
    public var relative: Bool
    public var range: SourceRange
}
