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

    public init(_ kind: Kind, _ range: SourceRange, operatorRange: SourceRange? = nil) {
        self.kind = kind
        self.range = range
        self.operatorRange = operatorRange
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
}

public enum DotCommand: Sendable, Equatable {
    case mode(String)
    case timer(Bool)
    case read(String)
    case maxRows(Int)
    /// The whole last result, uncut, in a pager.
    case last
    case quit
}

/// Who a plan is for: one customer, or the customers of a segment (a named one, else a
/// value of the `segment` column).
public enum PlanTarget: Sendable, Equatable {
    case customer(Name)
    case segment(Name)
}

/// The change a `whatif` makes: `retention +5%` (points), `discount 12%`, `cost_to_serve -10%`.
public struct WhatIfChange: Sendable, Equatable {
    public var lever: Name
    public var value: Double
    /// Written with a sign: a change from today's value rather than a new value.
    public var relative: Bool
    public var range: SourceRange
}

/// A statement of the language.
public indirect enum Statement: Sendable, Equatable {
    case load(path: String, alias: Name?, asOf: Int32?)
    case use(Name)
    case snapshots
    case segments
    case customers(CustomerQuery)
    case count(CustomerFilter)
    case segmentWhere(Expr, name: Name?)
    case segmentBy(key: Expr, filter: CustomerFilter, show: [ShowItem])
    case profile(Name)
    /// `fit [bgnbd|gammagamma] [in S] [where …]`
    case fit(model: Name?, filter: CustomerFilter)
    /// `portfolio [in S] [where …]`: the four CPA groups.
    case portfolio(CustomerFilter)
    /// `pareto [by profit|revenue|clv] [in S] [where …]`: the whale curve.
    case pareto(by: Name?, filter: CustomerFilter)
    /// `ssc [in S] [where …]`: the strategically significant customers and the evidence.
    case ssc(CustomerFilter)
    /// `rfm [in S] [where …]`: the RFM segments and the R×F grid.
    case rfm(CustomerFilter)
    /// `credit [for X] | [in S] [where …]`: credit grades, or one customer's credit.
    case credit(customer: Name?, filter: CustomerFilter)
    /// `valuestar [for segment S]`: the value star of each segment, or one.
    case valueStar(segment: Name?)
    /// `plan retention|acquisition|development for X | for segment S`
    case plan(kind: Name, target: PlanTarget)
    /// `compare A B [by FIELD] [show retained|lost|new]`
    case compare(Name, Name, by: Expr?, list: Name?)
    /// `whatif retention +5% | discount 12% | cost_to_serve -10% [in S] [where …]`
    case whatIf(WhatIfChange, filter: CustomerFilter)
    /// `plot STATEMENT to "FILE.svg"`: the statement's chart, written as SVG.
    case plot(Statement, path: String, range: SourceRange)
    /// `explain TOPIC [for CUSTOMER]`: how a figure is computed, with this data's numbers.
    case explain(topic: Name, customer: Name?)
    /// `validate [bgnbd|paretonbd] [holdout DATE]`
    case validate(model: Name?, holdoutEnd: Int32?)
    /// `clv for X [horizon N months] [discount R%]`
    case clv(customer: Name, model: Name?, horizonMonths: Double?, discount: Double?)
    case set(Name, SettingValue, valueRange: SourceRange)
    case settings
    case save(path: String)
    case help(String?)
    case dot(DotCommand)
}

/// A statement with the range of source text it was parsed from.
public struct ParsedStatement: Sendable, Equatable {
    public var statement: Statement
    public var range: SourceRange
}
