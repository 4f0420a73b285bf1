/// Prints an expression back as source text that parses to the same tree: column headers
/// for computed expressions, `explain`, and round-trip tests. Each statement prints its
/// own words (`Statements/`), with `SourceText` for quoting.
extension Expr: CustomStringConvertible {
    public var description: String { print(precedence: 0) }

    private static func precedence(_ op: BinaryOperator) -> Int {
        switch op {
        case .or: 1
        case .and: 2
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: 4
        case .add, .subtract: 5
        case .multiply, .divide: 6
        }
    }

    private func print(precedence outer: Int) -> String {
        let (text, own): (String, Int)
        switch kind {
        case .number(let v, let percent):
            (text, own) = (percent ? NumberText.plain(v * 100) + "%" : NumberText.plain(v), 9)
        case .string(let s): (text, own) = ("'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'", 9)
        case .date(let d): (text, own) = (CalendarDay.format(d), 9)
        case .bool(let b): (text, own) = (b ? "true" : "false", 9)
        case .null: (text, own) = ("null", 9)
        case .field(let name): (text, own) = (name, 9)
        case .negate(let e): (text, own) = ("-" + e.print(precedence: 7), 7)
        case .not(let e): (text, own) = ("not " + e.print(precedence: 3), 3)
        case .binary(let op, let l, let r):
            let p = Self.precedence(op)
            // Left-associative: the right side needs parentheses at equal precedence.
            (text, own) = ("\(l.print(precedence: p)) \(op.rawValue) \(r.print(precedence: p + 1))", p)
        case .inList(let e, let items, let negated):
            (text, own) = ("\(e.print(precedence: 5))\(negated ? " not" : "") in (\(items.map { $0.print(precedence: 0) }.joined(separator: ", ")))", 4)
        case .between(let e, let low, let high, let negated):
            (text, own) = ("\(e.print(precedence: 5))\(negated ? " not" : "") between \(low.print(precedence: 5)) and \(high.print(precedence: 5))", 4)
        case .like(let e, let pattern, let negated):
            (text, own) = ("\(e.print(precedence: 5))\(negated ? " not" : "") like \(pattern.print(precedence: 5))", 4)
        case .isNull(let e, let negated):
            (text, own) = ("\(e.print(precedence: 5)) is \(negated ? "not " : "")null", 4)
        case .call(let name, let args):
            (text, own) = (args.isEmpty && name == "count" ? "count" : "\(name)(\(args.map { $0.print(precedence: 0) }.joined(separator: ", ")))", 9)
        }
        return own < outer ? "(\(text))" : text
    }
}

/// How statements print the pieces they share.
enum SourceText {
    /// `"text"`, its quotes doubled.
    static func quoted(_ s: String) -> String {
        "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// ` in S where …`, or nothing.
    static func filter(_ f: CustomerFilter) -> String {
        (f.segment.map { " in \($0.text)" } ?? "") + (f.condition.map { " where \($0)" } ?? "")
    }

    /// ` show a, b as c`, or nothing.
    static func show(_ items: [ShowItem]) -> String {
        items.isEmpty ? "" : " show " + items.map { "\($0.expr)" + ($0.alias.map { " as \($0.text)" } ?? "") }.joined(separator: ", ")
    }

    /// `8%`: a fraction written as a percentage.
    static func percent(_ v: Double) -> String { NumberText.plain(v * 100) + "%" }
}
