/// Prints the AST back as source text that parses to the same tree: column headers for
/// computed expressions, `explain`, and round-trip tests.
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

extension Statement: CustomStringConvertible {
    public var description: String {
        func quoted(_ s: String) -> String { "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\"" }
        func filter(_ f: CustomerFilter) -> String {
            (f.segment.map { " in \($0.text)" } ?? "") + (f.condition.map { " where \($0)" } ?? "")
        }
        func show(_ items: [ShowItem]) -> String {
            items.isEmpty ? "" : " show " + items.map { "\($0.expr)" + ($0.alias.map { " as \($0.text)" } ?? "") }.joined(separator: ", ")
        }
        switch self {
        case .load(let path, let alias, let asOf):
            return "load \(quoted(path))" + (alias.map { " as \($0.text)" } ?? "") + (asOf.map { " as of \(CalendarDay.format($0))" } ?? "")
        case .use(let name): return "use \(name.text)"
        case .snapshots: return "snapshots"
        case .segments: return "segments"
        case .customers(let q):
            var s = "customers" + filter(q.filter)
            if !q.order.isEmpty { s += " order by " + q.order.map { "\($0.expr)\($0.descending ? " desc" : "")" }.joined(separator: ", ") }
            if let limit = q.limit { s += " limit \(limit)" }
            return s + show(q.show)
        case .count(let f): return "count" + filter(f)
        case .segmentWhere(let e, let name): return "segment where \(e)" + (name.map { " as \($0.text)" } ?? "")
        case .segmentBy(let key, let f, let items): return "segment by \(key)" + filter(f) + show(items)
        case .profile(let name): return "profile \(quoted(name.text))"
        case .fit(let model, let f): return "fit" + (model.map { " \($0.text)" } ?? "") + filter(f)
        case .portfolio(let f): return "portfolio" + filter(f)
        case .rfm(let f): return "rfm" + filter(f)
        case .ssc(let f): return "ssc" + filter(f)
        case .pareto(let by, let f): return "pareto" + (by.map { " by \($0.text)" } ?? "") + filter(f)
        case .credit(let customer, let f):
            return "credit" + (customer.map { " for \(quoted($0.text))" } ?? filter(f))
        case .valueStar(let segment): return "valuestar" + (segment.map { " for segment \(quoted($0.text))" } ?? "")
        case .plan(let kind, let target):
            switch target {
            case .customer(let name): return "plan \(kind.text) for \(quoted(name.text))"
            case .segment(let name): return "plan \(kind.text) for segment \(quoted(name.text))"
            }
        case .compare(let a, let b, let by, let list):
            return "compare \(a.text) \(b.text)" + (by.map { " by \($0)" } ?? "") + (list.map { " show \($0.text)" } ?? "")
        case .whatIf(let change, let f):
            let percent = NumberText.plain(abs(change.value) * 100) + "%"
            return "whatif \(change.lever.text) " + (change.relative ? (change.value < 0 ? "-" : "+") : "") + percent + filter(f)
        case .plot(let inner, let path, _): return "plot \(inner) to \(quoted(path))"
        case .explain(let topic, let customer):
            return "explain \(topic.text)" + (customer.map { " for \(quoted($0.text))" } ?? "")
        case .validate(let model, let end):
            return "validate" + (model.map { " \($0.text)" } ?? "") + (end.map { " holdout \(CalendarDay.format($0))" } ?? "")
        case .clv(let customer, let model, let horizon, let discount):
            return "clv for \(quoted(customer.text))" + (model.map { " model \($0.text)" } ?? "") + (horizon.map { " horizon \(NumberText.plain($0)) months" } ?? "")
                + (discount.map { " discount \(NumberText.plain($0 * 100))%" } ?? "")
        case .set(let name, let value, _):
            switch value {
            case .number(let v, let percent, let unit):
                return "set \(name.text) = " + (percent ? NumberText.plain(v * 100) + "%" : NumberText.plain(v)) + (unit.map { " \($0)" } ?? "")
            case .word(let w): return "set \(name.text) = \(w)"
            }
        case .settings: return "settings"
        case .save(let path): return "save to \(quoted(path))"
        case .help(let topic): return "help" + (topic.map { " \($0)" } ?? "")
        case .dot(let command):
            switch command {
            case .mode(let m): return ".mode \(m)"
            case .timer(let on): return ".timer \(on ? "on" : "off")"
            case .read(let path): return ".read \(path)"
            case .maxRows(let n): return ".maxrows \(n)"
            case .last: return ".last"
            case .quit: return ".quit"
            }
        }
    }
}
