/// An aggregate of `segment by … show`.
enum Aggregate: String, CaseIterable {
    case count, sum, avg, min, max, median, share
}

/// A type-checked expression, its fields resolved to columns, ready to evaluate.
indirect enum Compiled {
    case value(Vector)
    case arithmetic(BinaryOperator, Compiled, Compiled)
    /// date ± days
    case shiftDate(BinaryOperator, Compiled, Compiled)
    /// date − date, in days
    case daysBetween(Compiled, Compiled)
    case negate(Compiled)
    case compare(BinaryOperator, Compiled, Compiled)
    case logic(BinaryOperator, Compiled, Compiled)
    case not(Compiled)
    case member(Compiled, [Vector], negated: Bool)
    case like(Compiled, pattern: String, negated: Bool)
    case isNull(Compiled, negated: Bool)
    /// Only in a grouped expression: one value per group.
    case aggregate(Aggregate, Compiled?)
}

/// A compiled expression with its type and the unit of its numbers.
struct TypedExpression {
    var node: Compiled
    /// nil only for the literal `null`, which fits any type.
    var type: ValueType?
    var unit: NumberUnit = .plain
}

/// Checks an expression's types before anything is evaluated, so that comparing a date
/// with a string is an error at the token, never a wrong answer, and resolves its fields.
struct ExpressionCompiler {
    /// A field's definition and column by its name.
    var resolve: (String) throws(Diagnostic) -> (Field, ColumnData)?
    /// Every field name, for suggestions.
    var fieldNames: [String]
    /// The text field that has this word as a value, if any: `region = West` means 'West'.
    var fieldHolding: (String) -> String? = { _ in nil }
    var allowsAggregates = false
    /// What a name stands for here (`field`; a load's `where` names a file's `column`), and
    /// where to find the list when no name is close.
    var nameKind = "field"
    var namesHint = "`help fields` lists the fields"

    func compile(_ expr: Expr) throws(Diagnostic) -> TypedExpression {
        try compile(expr, insideAggregate: false)
    }

    /// A condition: an expression that must be true or false.
    func condition(_ expr: Expr) throws(Diagnostic) -> Compiled {
        let typed = try compile(expr)
        guard typed.type == .bool else {
            throw Diagnostic(
                "a condition must be true or false, but this is a \(Self.name(typed.type))", at: expr.range,
                hint: typed.type == .number ? "compare it, for example `\(expr) > 0`" : nil)
        }
        return typed.node
    }

    static func name(_ type: ValueType?) -> String {
        switch type {
        case .number: "number"
        case .text: "text"
        case .date: "date"
        case .bool: "true/false value"
        case nil: "null"
        }
    }

    /// A case for each kind of expression the language has: as long as that list.
    private func compile(_ expr: Expr, insideAggregate: Bool) throws(Diagnostic) -> TypedExpression {
        switch expr.kind {
        case .number(let v, _): return TypedExpression(node: .value(.number(v)), type: .number)
        case .string(let s): return TypedExpression(node: .value(.text(s)), type: .text)
        case .date(let d): return TypedExpression(node: .value(.date(d)), type: .date)
        case .bool(let b): return TypedExpression(node: .value(.bool(b ? 1 : 0)), type: .bool)
        case .null: return TypedExpression(node: .value(.number(.nan)), type: nil)
        case .field(let name):
            if allowsAggregates, !insideAggregate {
                throw Diagnostic(
                    "`\(name)` has a value per customer; here it needs an aggregate", at: expr.range,
                    hint: "for example sum(\(name)), avg(\(name)) or median(\(name))")
            }
            guard let (field, column) = try resolve(name) else {
                let quoted = "'" + name.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
                let hint = fieldHolding(name).map { "\(quoted) is a value of \($0): quote it, \($0) = \(quoted)" }
                throw Diagnostic(
                    "unknown \(nameKind) `\(name)`", at: expr.range,
                    hint: hint ?? Suggestion.hint(for: name, in: fieldNames) ?? namesHint)
            }
            return TypedExpression(node: .value(Vector(column)), type: field.type, unit: field.unit)
        case .negate(let operand):
            let typed = try compile(operand, insideAggregate: insideAggregate)
            try require(typed, .number, operand, "`-` needs a number")
            return TypedExpression(node: .negate(typed.node), type: .number, unit: typed.unit)
        case .not(let operand):
            let typed = try compile(operand, insideAggregate: insideAggregate)
            try require(typed, .bool, operand, "`not` needs a condition")
            return TypedExpression(node: .not(typed.node), type: .bool)
        case .binary(let op, let l, let r):
            return try binary(op, l, r, expr, insideAggregate)
        case .inList(let e, let items, let negated):
            let left = try compile(e, insideAggregate: insideAggregate)
            var values: [Vector] = []
            for item in items {
                let typed = try compile(item, insideAggregate: insideAggregate)
                guard case .value(let v) = typed.node, !v.isColumn else {
                    throw Diagnostic("a list after `in` holds plain values", at: item.range)
                }
                try compatible(left.type, typed.type, at: item.range, "the list's values must be of one type with the left side")
                values.append(v)
            }
            return TypedExpression(node: .member(left.node, values, negated: negated), type: .bool)
        case .between(let e, let low, let high, let negated):
            let value = try compile(e, insideAggregate: insideAggregate)
            let lower = try compile(low, insideAggregate: insideAggregate)
            let upper = try compile(high, insideAggregate: insideAggregate)
            for bound in [(lower, low), (upper, high)] {
                try compatible(value.type, bound.0.type, at: bound.1.range, "`between` needs bounds of the same type as the value")
            }
            try orderable(value.type, at: expr.operatorRange ?? expr.range)
            let inside = Compiled.logic(
                .and, .compare(.greaterOrEqual, value.node, lower.node), .compare(.lessOrEqual, value.node, upper.node))
            return TypedExpression(node: negated ? .not(inside) : inside, type: .bool)
        case .like(let e, let pattern, let negated):
            let value = try compile(e, insideAggregate: insideAggregate)
            try require(value, .text, e, "`like` compares text")
            guard case .string(let p) = pattern.kind else {
                throw Diagnostic("`like` takes a pattern in quotes, like 'Acme%'", at: pattern.range)
            }
            return TypedExpression(node: .like(value.node, pattern: p, negated: negated), type: .bool)
        case .isNull(let e, let negated):
            let value = try compile(e, insideAggregate: insideAggregate)
            return TypedExpression(node: .isNull(value.node, negated: negated), type: .bool)
        case .call(let name, let arguments):
            return try call(name, arguments, expr, insideAggregate)
        }
    }

    private func call(_ name: String, _ arguments: [Expr], _ expr: Expr, _ insideAggregate: Bool) throws(Diagnostic) -> TypedExpression {
        guard let aggregate = Aggregate(rawValue: name) else {
            throw Diagnostic(
                "unknown function `\(name)`", at: expr.range,
                hint: Suggestion.hint(for: name, in: Aggregate.allCases.map(\.rawValue))
                    ?? "the aggregates are count, sum, avg, min, max, median and share")
        }
        guard allowsAggregates else {
            throw Diagnostic(
                "`\(name)` is an aggregate: it belongs in `segment by … show`", at: expr.range,
                hint: "for example: segment by region show count, \(name == "count" ? "sum(revenue)" : "\(name)(revenue)")")
        }
        if insideAggregate { throw Diagnostic("an aggregate cannot hold another aggregate", at: expr.range) }
        if aggregate == .count {
            guard arguments.count <= 1 else { throw Diagnostic("`count` takes at most one field", at: expr.range) }
            let argument = try arguments.first.map { a throws(Diagnostic) in try compile(a, insideAggregate: true) }
            return TypedExpression(node: .aggregate(.count, argument?.node), type: .number, unit: .count)
        }
        guard arguments.count == 1 else {
            throw Diagnostic("`\(name)` takes one field, like \(name)(revenue)", at: expr.range)
        }
        let argument = try compile(arguments[0], insideAggregate: true)
        switch aggregate {
        case .min, .max:
            try orderable(argument.type, at: arguments[0].range)
            return TypedExpression(node: .aggregate(aggregate, argument.node), type: argument.type, unit: argument.unit)
        case .share:
            try require(argument, .number, arguments[0], "`share` needs a number")
            return TypedExpression(node: .aggregate(aggregate, argument.node), type: .number, unit: .ratio)
        default:
            try require(argument, .number, arguments[0], "`\(name)` needs a number")
            return TypedExpression(node: .aggregate(aggregate, argument.node), type: .number, unit: argument.unit)
        }
    }

    private func binary(_ op: BinaryOperator, _ l: Expr, _ r: Expr, _ expr: Expr, _ insideAggregate: Bool) throws(Diagnostic) -> TypedExpression {
        let left = try compile(l, insideAggregate: insideAggregate)
        let right = try compile(r, insideAggregate: insideAggregate)
        let at = expr.operatorRange ?? expr.range
        switch op {
        case .and, .or:
            try require(left, .bool, l, "`\(op.rawValue)` joins conditions")
            try require(right, .bool, r, "`\(op.rawValue)` joins conditions")
            return TypedExpression(node: .logic(op, left.node, right.node), type: .bool)
        case .add, .subtract, .multiply, .divide:
            switch (left.type, right.type) {
            case (.number, .number), (nil, .number), (.number, nil), (nil, nil):
                let unit: NumberUnit
                switch op {
                case .add, .subtract: unit = left.unit == right.unit ? left.unit : (isConstant(r) ? left.unit : isConstant(l) ? right.unit : .plain)
                default: unit = isConstant(r) ? left.unit : isConstant(l) && op == .multiply ? right.unit : .plain
                }
                return TypedExpression(node: .arithmetic(op, left.node, right.node), type: .number, unit: unit)
            case (.date, .number) where op == .add || op == .subtract, (.number, .date) where op == .add:
                let (date, days) = left.type == .date ? (left.node, right.node) : (right.node, left.node)
                return TypedExpression(node: .shiftDate(op, date, days), type: .date)
            case (.date, .date) where op == .subtract:
                return TypedExpression(node: .daysBetween(left.node, right.node), type: .number, unit: .days)
            default:
                throw Diagnostic(
                    "cannot apply `\(op.rawValue)` to a \(Self.name(left.type)) and a \(Self.name(right.type))", at: at,
                    hint: left.type == .date || right.type == .date ? "dates take + and − a number of days, and date − date gives days" : nil)
            }
        default:
            if left.type == nil || right.type == nil {
                throw Diagnostic(
                    "a comparison with null is never true", at: at, hint: "write `is null` or `is not null`")
            }
            if left.type != right.type {
                var hint: String?
                if (left.type == .date && right.type == .text) || (left.type == .text && right.type == .date) {
                    hint = "write a date without quotes: 2024-06-30"
                } else if left.type == .number && right.type == .text || left.type == .text && right.type == .number {
                    hint = "numbers are written without quotes"
                }
                throw Diagnostic(
                    "cannot compare a \(Self.name(left.type)) with a \(Self.name(right.type))", at: at, hint: hint)
            }
            if op != .equal, op != .notEqual { try orderable(left.type, at: at) }
            return TypedExpression(node: .compare(op, left.node, right.node), type: .bool)
        }
    }

    private func isConstant(_ e: Expr) -> Bool {
        if case .number = e.kind { return true }
        return false
    }

    private func require(_ typed: TypedExpression, _ type: ValueType, _ expr: Expr, _ message: String) throws(Diagnostic) {
        guard typed.type == type || typed.type == nil else {
            throw Diagnostic("\(message); this is a \(Self.name(typed.type))", at: expr.range)
        }
    }

    private func compatible(_ a: ValueType?, _ b: ValueType?, at range: SourceRange, _ message: String) throws(Diagnostic) {
        guard a == b || a == nil || b == nil else {
            throw Diagnostic("\(message): a \(Self.name(a)) and a \(Self.name(b))", at: range,
                             hint: a == .date && b == .text ? "write a date without quotes: 2024-06-30" : nil)
        }
    }

    private func orderable(_ type: ValueType?, at range: SourceRange) throws(Diagnostic) {
        if type == .bool { throw Diagnostic("true/false values have no order; use = or !=", at: range) }
    }
}

extension Vector {
    var isColumn: Bool {
        switch self {
        case .numbers, .dates, .texts, .bools: true
        default: false
        }
    }
}
