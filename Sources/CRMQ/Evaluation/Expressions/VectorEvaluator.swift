/// Evaluates a compiled expression a column at a time: each operator runs one tight loop over
/// plain arrays, which is what lets a filter over a million customers take a millisecond or
/// two. Nulls propagate as in SQL: arithmetic and comparisons with a null give null, `and`
/// and `or` follow three-valued logic, and only true rows pass a filter.
struct VectorEvaluator {
    /// Rows in the table (or groups, when `grouping` is set), or in `rows` when set.
    var count: Int
    var grouping: Grouping?
    /// Evaluate over these rows of the table only: a chunk small enough that every
    /// intermediate column stays in cache.
    var rows: Range<Int>?

    init(count: Int, grouping: Grouping? = nil) {
        self.count = count
        self.grouping = grouping
    }

    init(rows: Range<Int>) {
        self.count = rows.count
        self.rows = rows
    }

    func evaluate(_ node: Compiled) -> Vector {
        switch node {
        case .value(let v): return rows.map { v.slice($0) } ?? v
        case .arithmetic(let op, let l, let r):
            return withOperand(l) { a in withOperand(r) { b in Self.arithmetic(op, a, b, count) } }
        case .shiftDate(let op, let date, let days): return Self.shift(op, evaluate(date), evaluate(days), count)
        case .daysBetween(let l, let r): return Self.daysBetween(evaluate(l), evaluate(r), count)
        case .negate(let e): return withOperand(e) { Self.arithmetic(.multiply, $0, .other(.number(-1)), count) }
        case .compare(let op, let l, let r):
            return withOperand(l) { a in withOperand(r) { b in Self.compare(op, a, b, count) } }
        case .logic(let op, let l, let r): return Self.logic(op, evaluate(l).truth(count), evaluate(r).truth(count))
        case .not(let e): return .bools(Self.map(evaluate(e).truth(count), through: [1, 0, 2]))
        case .member(let e, let values, let negated): return Self.member(evaluate(e), values, negated, count)
        case .like(let e, let pattern, let negated): return Self.like(evaluate(e), pattern, negated, count)
        case .isNull(let e, let negated): return Self.isNull(evaluate(e), negated, count)
        case .aggregate(let aggregate, let argument):
            guard let grouping else { fatalError("the compiler lets aggregates in only where groups are") }
            return grouping.aggregate(aggregate, argument)
        }
    }

    // MARK: numbers

    /// An operand of arithmetic or a comparison: numbers in memory, or any other value.
    private enum Operand {
        case numbers(UnsafeBufferPointer<Double>)
        case other(Vector)

        var vector: Vector {
            switch self {
            case .numbers(let x): .numbers(Array(x))
            case .other(let v): v
            }
        }
    }

    /// Hands `body` the node's value over this evaluation's rows. A number column's rows are
    /// read where they lie: a chunk of a filter is not copied out of the column first.
    private func withOperand<R>(_ node: Compiled, _ body: (Operand) -> R) -> R {
        if case .value(.numbers(let column)) = node {
            return column.withUnsafeBufferPointer { all in body(.numbers(UnsafeBufferPointer(rebasing: all[rows ?? 0..<all.count]))) }
        }
        let v = evaluate(node)
        if case .numbers(let x) = v { return x.withUnsafeBufferPointer { body(.numbers($0)) } }
        return body(.other(v))
    }

    private static func numbers(_ v: Vector, _ count: Int) -> [Double]? {
        if case .numbers(let x) = v { return x }
        return nil
    }

    private static func scalar(_ v: Vector) -> Double {
        if case .number(let x) = v { return x }
        return .nan
    }

    @inline(__always)
    private static func apply(_ op: BinaryOperator, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        default:
            let q = a / b
            return q.isFinite ? q : .nan  // x / 0 is null, never infinite
        }
    }

    private static func arithmetic(_ op: BinaryOperator, _ l: Operand, _ r: Operand, _ count: Int) -> Vector {
        switch (l, r) {
        case (.other(let a), .other(let b)): return .number(apply(op, scalar(a), scalar(b)))
        default:
            var x: UnsafeBufferPointer<Double>?, y: UnsafeBufferPointer<Double>?
            var a = Double.nan, b = Double.nan
            switch l {
            case .numbers(let v): x = v
            case .other(let v): a = scalar(v)
            }
            switch r {
            case .numbers(let v): y = v
            case .other(let v): b = scalar(v)
            }
            let n = x?.count ?? y!.count
            // One loop per operator and shape, so that the loop body is a single instruction.
            @inline(__always) func run(_ f: (Double, Double) -> Double) -> [Double] {
                [Double](unsafeUninitializedCapacity: n) { out, done in
                    if let x, let y {
                        for i in 0..<n { out[i] = f(x[i], y[i]) }
                    } else if let x {
                        for i in 0..<n { out[i] = f(x[i], b) }
                    } else if let y {
                        for i in 0..<n { out[i] = f(a, y[i]) }
                    }
                    done = n
                }
            }
            switch op {
            case .add: return .numbers(run { $0 + $1 })
            case .subtract: return .numbers(run { $0 - $1 })
            case .multiply: return .numbers(run { $0 * $1 })
            default:
                return .numbers(run { p, q in
                    let v = p / q
                    return v.isFinite ? v : .nan  // x / 0 is null, never infinite
                })
            }
        }
    }

    // MARK: dates

    private static func days(_ v: Vector, _ count: Int) -> [Int32] {
        switch v {
        case .dates(let d): d
        case .date(let d): [Int32](repeating: d, count: count)
        default: [Int32](repeating: CalendarDay.null, count: count)
        }
    }

    static func shift(_ op: BinaryOperator, _ date: Vector, _ amount: Vector, _ count: Int) -> Vector {
        let d = days(date, count)
        let n: [Double] = numbers(amount, count) ?? [Double](repeating: scalar(amount), count: count)
        return .dates((0..<count).map { i in
            guard d[i] != CalendarDay.null, n[i].isFinite, abs(n[i]) < 1e7 else { return CalendarDay.null }
            let delta = Int32(n[i].rounded(.down))
            return op == .add ? d[i] + delta : d[i] - delta
        })
    }

    static func daysBetween(_ l: Vector, _ r: Vector, _ count: Int) -> Vector {
        let a = days(l, count)
        let b = days(r, count)
        return .numbers((0..<count).map { a[$0] == CalendarDay.null || b[$0] == CalendarDay.null ? .nan : Double(a[$0] - b[$0]) })
    }

    // MARK: comparisons

    @inline(__always)
    private static func holds<T: Comparable>(_ op: BinaryOperator, _ a: T, _ b: T) -> Bool {
        switch op {
        case .equal: a == b
        case .notEqual: a != b
        case .less: a < b
        case .lessOrEqual: a <= b
        case .greater: a > b
        default: a >= b
        }
    }

    private static func flipped(_ op: BinaryOperator) -> BinaryOperator {
        switch op {
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        default: op
        }
    }

    /// 1 where the comparison holds, 0 where not, 2 where a side is null. One specialised
    /// loop per operator, so the hot loop has no branch but the null test.
    private static func compareColumn(_ x: UnsafeBufferPointer<Double>, _ op: BinaryOperator, _ c: Double) -> [UInt8] {
        if c.isNaN { return [UInt8](repeating: 2, count: x.count) }
        @inline(__always) func run(_ body: (Double) -> Bool) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: x.count) { out, done in
                for i in 0..<x.count {
                    let v = x[i]
                    out[i] = v.isNaN ? 2 : (body(v) ? 1 : 0)
                }
                done = x.count
            }
        }
        switch op {
        case .equal: return run { $0 == c }
        case .notEqual: return run { $0 != c }
        case .less: return run { $0 < c }
        case .lessOrEqual: return run { $0 <= c }
        case .greater: return run { $0 > c }
        default: return run { $0 >= c }
        }
    }

    private static func compare(_ op: BinaryOperator, _ l: Operand, _ r: Operand, _ count: Int) -> Vector {
        switch (l, r) {
        case (.numbers(let x), .other(.number(let c))): return .bools(compareColumn(x, op, c))
        case (.other(.number(let c)), .numbers(let x)): return .bools(compareColumn(x, flipped(op), c))
        case (.numbers(let x), .numbers(let y)):
            return .bools((0..<count).map { x[$0].isNaN || y[$0].isNaN ? 2 : holds(op, x[$0], y[$0]) ? 1 : 0 })
        default: return compare(op, l.vector, r.vector, count)
        }
    }

    private static func compare(_ op: BinaryOperator, _ l: Vector, _ r: Vector, _ count: Int) -> Vector {
        switch (l, r) {
        case (.number(let a), .number(let b)): return .bool(a.isNaN || b.isNaN ? 2 : holds(op, a, b) ? 1 : 0)
        case (.dates, _), (.date, _):
            if case .date(let a) = l, case .date(let b) = r {
                return .bool(a == CalendarDay.null || b == CalendarDay.null ? 2 : holds(op, a, b) ? 1 : 0)
            }
            let a = days(l, count)
            let b = days(r, count)
            return .bools((0..<count).map { a[$0] == CalendarDay.null || b[$0] == CalendarDay.null ? 2 : holds(op, a[$0], b[$0]) ? 1 : 0 })
        case (.texts(let column), .text(let c)): return .bools(textTable(column, { holds(op, $0, c) }, nullWhen: c == nil))
        case (.text(let c), .texts(let column)): return .bools(textTable(column, { holds(flipped(op), $0, c) }, nullWhen: c == nil))
        case (.texts(let a), .texts(let b)):
            return .bools((0..<count).map { i in
                guard let x = a[i], let y = b[i] else { return 2 }
                return holds(op, x, y) ? 1 : 0
            })
        case (.text(let a), .text(let b)):
            guard let a, let b else { return .bool(2) }
            return .bool(holds(op, a, b) ? 1 : 0)
        default:
            let a = l.truth(count)
            let b = r.truth(count)
            return .bools((0..<count).map { a[$0] > 1 || b[$0] > 1 ? 2 : holds(op, a[$0], b[$0]) ? 1 : 0 })
        }
    }

    private static func holds(_ op: BinaryOperator, _ a: String, _ b: String?) -> Bool {
        guard let b else { return false }
        return holds(op, a, b)
    }

    /// Decides once per distinct text, then maps the codes: a text filter over a million
    /// rows compares a handful of strings, not a million.
    private static func textTable(_ column: TextColumn, _ test: (String) -> Bool, nullWhen allNull: Bool) -> [UInt8] {
        if allNull { return [UInt8](repeating: 2, count: column.codes.count) }
        return decode(column.codes, column.values.map { test($0) ? UInt8(1) : 0 }, null: 2)
    }

    /// Per row, the answer for its text's code, or `null` for a null text.
    static func decode(_ codes: [Int32], _ answers: [UInt8], null: UInt8) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: codes.count) { out, done in
            codes.withUnsafeBufferPointer { c in
                answers.withUnsafeBufferPointer { t in
                    for i in 0..<c.count { out[i] = c[i] < 0 ? null : t[Int(c[i])] }
                }
            }
            done = codes.count
        }
    }

    // MARK: logic

    /// Three-valued `and` and `or` (0 false, 1 true, 2 null) as 3×3 tables: one load per row.
    private static let andTable: [UInt8] = [0, 0, 0, 0, 1, 2, 0, 2, 2]
    private static let orTable: [UInt8] = [0, 1, 2, 1, 1, 1, 2, 1, 2]

    static func logic(_ op: BinaryOperator, _ a: [UInt8], _ b: [UInt8]) -> Vector {
        let table = op == .and ? andTable : orTable
        return .bools([UInt8](unsafeUninitializedCapacity: a.count) { out, done in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    table.withUnsafeBufferPointer { t in
                        for i in 0..<a.count { out[i] = t[Int(a[i]) &* 3 &+ Int(b[i])] }
                    }
                }
            }
            done = a.count
        })
    }

    /// Rows true in both (nulls count as not true).
    static func map(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        guard case .bools(let both) = logic(.and, a, b) else { return a }
        return both
    }

    /// Each value replaced by `table[value]`.
    static func map(_ values: [UInt8], through table: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: values.count) { out, done in
            values.withUnsafeBufferPointer { v in
                table.withUnsafeBufferPointer { t in
                    for i in 0..<v.count { out[i] = t[Int(v[i])] }
                }
            }
            done = values.count
        }
    }

    // MARK: in, like, is null

    static func member(_ v: Vector, _ values: [Vector], _ negated: Bool, _ count: Int) -> Vector {
        let yes: UInt8 = negated ? 0 : 1
        let no: UInt8 = negated ? 1 : 0
        switch v {
        case .numbers, .number:
            let set = Set(values.compactMap { if case .number(let x) = $0, !x.isNaN { x } else { nil } })
            let x = numbers(v, count) ?? [Double](repeating: scalar(v), count: count)
            return .bools(x.map { $0.isNaN ? 2 : set.contains($0) ? yes : no })
        case .dates, .date:
            let set = Set(values.compactMap { if case .date(let d) = $0 { d } else { nil } })
            return .bools(days(v, count).map { $0 == CalendarDay.null ? 2 : set.contains($0) ? yes : no })
        case .texts(let column):
            let set = Set(values.compactMap { if case .text(let s?) = $0 { s } else { nil } })
            return .bools(decode(column.codes, column.values.map { set.contains($0) ? yes : no }, null: 2))
        case .text(let s):
            let set = Set(values.compactMap { if case .text(let s?) = $0 { s } else { nil } })
            return .bool(s.map { set.contains($0) ? yes : no } ?? 2)
        case .bools, .bool:
            let set = Set(values.compactMap { if case .bool(let b) = $0 { b } else { nil } })
            return .bools(v.truth(count).map { $0 > 1 ? 2 : set.contains($0) ? yes : no })
        }
    }

    static func like(_ v: Vector, _ pattern: String, _ negated: Bool, _ count: Int) -> Vector {
        let matcher = LikePattern(pattern)
        let yes: UInt8 = negated ? 0 : 1
        let no: UInt8 = negated ? 1 : 0
        switch v {
        case .texts(let column):
            return .bools(decode(column.codes, column.values.map { matcher.matches($0) ? yes : no }, null: 2))
        case .text(let s?): return .bool(matcher.matches(s) ? yes : no)
        default: return .bool(2)
        }
    }

    static func isNull(_ v: Vector, _ negated: Bool, _ count: Int) -> Vector {
        let yes: UInt8 = negated ? 0 : 1
        let no: UInt8 = negated ? 1 : 0
        switch v {
        case .numbers(let x): return .bools(x.map { $0.isNaN ? yes : no })
        case .dates(let d): return .bools(d.map { $0 == CalendarDay.null ? yes : no })
        case .texts(let t): return .bools(t.codes.map { $0 < 0 ? yes : no })
        case .bools(let b): return .bools(b.map { $0 > 1 ? yes : no })
        case .number(let x): return .bool(x.isNaN ? yes : no)
        case .date(let d): return .bool(d == CalendarDay.null ? yes : no)
        case .text(let s): return .bool(s == nil ? yes : no)
        case .bool(let b): return .bool(b > 1 ? yes : no)
        }
    }
}

/// SQL `like`: `%` any run of characters, `_` one character; case-sensitive, as in SQL.
struct LikePattern {
    private let pattern: [Character]

    init(_ pattern: String) { self.pattern = Array(pattern) }

    func matches(_ text: String) -> Bool {
        let t = Array(text)
        var p = 0, s = 0
        var star = -1, mark = 0
        while s < t.count {
            if p < pattern.count, pattern[p] == "_" || (pattern[p] != "%" && pattern[p] == t[s]) {
                p += 1
                s += 1
            } else if p < pattern.count, pattern[p] == "%" {
                star = p
                mark = s
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                s = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "%" { p += 1 }
        return p == pattern.count
    }
}
