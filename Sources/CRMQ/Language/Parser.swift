/// Parses source text into statements, one at a time, so that a script runs each statement
/// before the next is parsed and an error names the first statement that is wrong.
///
///     var parser = Parser("count where revenue > 10k; customers limit 5")
///     while let statement = try parser.next() { … }
///
/// After an error the parser has skipped to the end of the bad statement: calling `next`
/// again carries on with the one after it, as the interactive shell does.
public struct Parser {
    private let tokens: [Token]
    private let source: String
    private var index = 0

    /// Words that start a statement, for `help` and for suggestions.
    public static let commands = [
        "load", "use", "snapshots", "segments", "customers", "count", "segment", "profile", "fit", "clv", "validate", "explain", "portfolio", "rfm", "pareto", "ssc", "credit", "valuestar", "plan", "compare", "whatif", "plot",
        "set", "settings", "save", "help",
    ]
    public static let dotCommands = ["mode", "timer", "read", "maxrows", "last", "quit", "exit", "help"]
    /// Words that end an expression: they start the next clause.
    static let clauseWords: Set<String> = [
        "where", "order", "limit", "show", "as", "by", "and", "or", "not", "in", "between", "like", "is", "asc", "desc",
    ]

    public init(_ source: String) {
        self.source = source
        self.tokens = Lexer.tokens(source)
    }

    // MARK: Tokens

    private var token: Token { tokens[index] }

    private mutating func advance() -> Token {
        let current = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return current
    }

    private var atStatementEnd: Bool { token.kind == .separator || token.kind == .end }

    private mutating func accept(_ keyword: String) -> Token? {
        token.isWord(keyword) ? advance() : nil
    }

    private mutating func acceptSymbol(_ symbol: String) -> Token? {
        token.isSymbol(symbol) ? advance() : nil
    }

    private func expected(_ what: String, hint: String? = nil) -> Diagnostic {
        if case .invalid(let message) = token.kind { return Diagnostic(message, at: token.range) }
        return Diagnostic("expected \(what), found \(token.shown)", at: token.range, hint: hint)
    }

    @discardableResult
    private mutating func expect(_ keyword: String) throws(Diagnostic) -> Token {
        guard let t = accept(keyword) else { throw expected("`\(keyword)`") }
        return t
    }

    private mutating func expectSymbol(_ symbol: String) throws(Diagnostic) {
        guard acceptSymbol(symbol) != nil else { throw expected("`\(symbol)`") }
    }

    private mutating func name(_ what: String) throws(Diagnostic) -> Name {
        guard case .word(let w) = token.kind, !Self.clauseWords.contains(w.lowercased()) else { throw expected(what) }
        let t = advance()
        return Name(w, t.range)
    }

    private func text(_ range: SourceRange) -> String {
        String(decoding: Array(source.utf8)[range.start..<range.end], as: UTF8.self)
    }

    // MARK: Statements

    /// The next statement, or nil when the source has no more.
    public mutating func next() throws(Diagnostic) -> ParsedStatement? {
        while token.kind == .separator { _ = advance() }
        if token.kind == .end { return nil }
        let start = token.range.start
        do throws(Diagnostic) {
            let statement = try statement()
            guard atStatementEnd else {
                throw expected("the end of the statement", hint: trailingHint(statement))
            }
            let end = tokens[max(0, index - 1)].range.end
            _ = advance()
            return ParsedStatement(statement: statement, range: SourceRange(start, max(start, end)))
        } catch {
            while !atStatementEnd { _ = advance() }
            _ = advance()
            throw error
        }
    }

    private func trailingHint(_ statement: Statement) -> String? {
        if case .profile = statement, case .word = token.kind {
            return "quote a name that has spaces: profile \"Acme Corp\""
        }
        return nil
    }

    private mutating func statement() throws(Diagnostic) -> Statement {
        if case .dotCommand(let name, let argument) = token.kind {
            let t = advance()
            return try dotCommand(name, argument, t.range)
        }
        guard case .word(let word) = token.kind else { throw expected("a command such as `customers` or `help`") }
        let keyword = token
        switch word.lowercased() {
        case "load": _ = advance(); return try load()
        case "use": _ = advance(); return .use(try name("a snapshot name"))
        case "snapshots": _ = advance(); return .snapshots
        case "segments": _ = advance(); return .segments
        case "customers": _ = advance(); return .customers(try customerQuery())
        case "count": _ = advance(); return .count(try filter())
        case "segment": _ = advance(); return try segment()
        case "profile": _ = advance(); return .profile(try customerName())
        case "fit":
            _ = advance()
            var model: Name?
            if case .word(let w) = token.kind, !["in", "where"].contains(w.lowercased()) { model = try name("a model: bgnbd or gammagamma") }
            return .fit(model: model, filter: try filter())
        case "portfolio": _ = advance(); return .portfolio(try filter())
        case "rfm": _ = advance(); return .rfm(try filter())
        case "ssc": _ = advance(); return .ssc(try filter())
        case "pareto":
            _ = advance()
            let by = accept("by") != nil ? try name("profit, revenue or clv") : nil
            return .pareto(by: by, filter: try filter())
        case "credit":
            _ = advance()
            if accept("for") != nil { return .credit(customer: try customerName(), filter: CustomerFilter()) }
            return .credit(customer: nil, filter: try filter())
        case "valuestar":
            _ = advance()
            guard accept("for") != nil else { return .valueStar(segment: nil) }
            _ = accept("segment")
            return .valueStar(segment: try customerName())
        case "plan":
            _ = advance()
            let kind = try name("retention, acquisition or development")
            try expect("for")
            if accept("segment") != nil { return .plan(kind: kind, target: .segment(try customerName())) }
            return .plan(kind: kind, target: .customer(try customerName()))
        case "compare":
            _ = advance()
            let first = try name("the earlier snapshot's name")
            let second = try name("the later snapshot's name")
            let by = accept("by") != nil ? try expression() : nil
            let list = accept("show") != nil ? try name("retained, lost or new") : nil
            return .compare(first, second, by: by, list: list)
        case "whatif":
            _ = advance()
            return try whatIf()
        case "plot":
            _ = advance()
            let start = token.range
            if token.isWord("plot") { throw expected("a statement with a chart, like pareto or rfm") }
            let inner = try statement()
            let range = start.to(tokens[max(0, index - 1)].range)
            try expect("to")
            return .plot(inner, path: try path("a file name in quotes, like \"chart.svg\""), range: range)
        case "explain":
            _ = advance()
            let topic = try name("what to explain: clv, p_alive, fit, portfolio, rfm, credit, pareto, ssc, plan, whatif, valuestar or compare")
            let customer = accept("for") != nil ? try customerName() : nil
            return .explain(topic: topic, customer: customer)
        case "validate":
            _ = advance()
            var model: Name?
            if case .word(let w) = token.kind, w.lowercased() != "holdout" { model = try name("a model: bgnbd or paretonbd") }
            var end: Int32?
            if accept("holdout") != nil {
                guard case .date(let day) = token.kind else { throw expected("the last day of the holdout, like 1998-06-30") }
                _ = advance()
                end = day
            }
            return .validate(model: model, holdoutEnd: end)
        case "clv":
            _ = advance()
            try expect("for")
            return try clv()
        case "set": _ = advance(); return try set()
        case "settings": _ = advance(); return .settings
        case "save":
            _ = advance()
            try expect("to")
            return .save(path: try path("a file name in quotes, like \"out.csv\""))
        case "help":
            _ = advance()
            var words: [String] = []
            while !atStatementEnd { words.append(text(advance().range)) }
            return .help(words.isEmpty ? nil : words.joined(separator: " "))
        default:
            throw Diagnostic(
                "unknown command `\(word)`", at: keyword.range,
                hint: Suggestion.hint(for: word, in: Self.commands) ?? "`help` lists the commands")
        }
    }

    private mutating func path(_ what: String) throws(Diagnostic) -> String {
        switch token.kind {
        case .string(let s): _ = advance(); return s
        case .word(let w): _ = advance(); return w
        default: throw expected(what)
        }
    }

    private mutating func load() throws(Diagnostic) -> Statement {
        let path = try path("a snapshot directory in quotes, like \"examples/acme\"")
        var alias: Name?
        var asOf: Int32?
        while accept("as") != nil {
            if accept("of") != nil {
                guard case .date(let day) = token.kind else { throw expected("a date like 2024-06-30") }
                _ = advance()
                asOf = day
            } else {
                alias = try name("a name for the snapshot, or `of` and a date")
            }
        }
        return .load(path: path, alias: alias, asOf: asOf)
    }

    private mutating func segment() throws(Diagnostic) -> Statement {
        if accept("where") != nil {
            let condition = try expression()
            let name = accept("as") != nil ? try self.name("a name for the segment") : nil
            return .segmentWhere(condition, name: name)
        }
        if accept("by") != nil {
            let key = try expression()
            var filter = CustomerFilter()
            var show: [ShowItem] = []
            while !atStatementEnd {
                if accept("in") != nil, filter.segment == nil {
                    filter.segment = try name("a segment name")
                } else if accept("where") != nil, filter.condition == nil {
                    filter.condition = try expression()
                } else if accept("show") != nil, show.isEmpty {
                    show = try showList()
                } else {
                    throw expected("`where` or `show`")
                }
            }
            return .segmentBy(key: key, filter: filter, show: show)
        }
        throw expected("`where` or `by` after `segment`")
    }

    private mutating func filter() throws(Diagnostic) -> CustomerFilter {
        var filter = CustomerFilter()
        if accept("in") != nil { filter.segment = try name("a segment name") }
        if accept("where") != nil { filter.condition = try expression() }
        return filter
    }

    private mutating func customerQuery() throws(Diagnostic) -> CustomerQuery {
        var query = CustomerQuery()
        var seen = Set<String>()
        while !atStatementEnd {
            guard case .word(let w) = token.kind, ["in", "where", "order", "limit", "show"].contains(w.lowercased()),
                  !seen.contains(w.lowercased())
            else {
                throw expected(seen.isEmpty ? "`where`, `order by`, `limit` or `show`" : "another clause or the end of the statement")
            }
            let clause = advance()
            seen.insert(w.lowercased())
            switch w.lowercased() {
            case "in": query.filter.segment = try name("a segment name")
            case "where": query.filter.condition = try expression()
            case "order":
                try expect("by")
                repeat {
                    let expr = try expression()
                    var descending = false
                    if accept("desc") != nil { descending = true } else { _ = accept("asc") }
                    query.order.append(OrderItem(expr: expr, descending: descending))
                } while acceptSymbol(",") != nil
            case "limit":
                guard case .number(let n, false) = token.kind, n >= 0, n == n.rounded(), n < 1e12 else {
                    throw expected("a whole number of rows")
                }
                _ = advance()
                query.limit = Int(n)
            default:
                _ = clause
                query.show = try showList()
            }
        }
        return query
    }

    private mutating func showList() throws(Diagnostic) -> [ShowItem] {
        var items: [ShowItem] = []
        repeat {
            let expr = try expression()
            let alias = accept("as") != nil ? try name("a column name") : nil
            items.append(ShowItem(expr: expr, alias: alias))
        } while acceptSymbol(",") != nil
        return items
    }

    private mutating func customerName() throws(Diagnostic) -> Name {
        switch token.kind {
        case .word, .string, .number:
            let t = advance()
            if case .string(let s) = t.kind { return Name(s, t.range) }
            return Name(text(t.range), t.range)
        default:
            throw expected("a customer id or name")
        }
    }

    private mutating func clv() throws(Diagnostic) -> Statement {
        let customer = try customerName()
        var horizon: Double?
        var discount: Double?
        var model: Name?
        while !atStatementEnd {
            if accept("model") != nil {
                model = try name("a model: bgnbd or simple")
            } else if accept("horizon") != nil {
                guard case .number(let n, false) = token.kind, n >= 1, n <= 1200, n == n.rounded() else {
                    throw expected("a whole number of months, like 24 months")
                }
                _ = advance()
                if accept("years") != nil || accept("year") != nil { horizon = n * 12 } else {
                    if accept("months") == nil { _ = accept("month") }
                    horizon = n
                }
            } else if accept("discount") != nil {
                guard case .number(let v, let percent) = token.kind, percent || v < 1, v >= 0, v < 1 else {
                    throw expected("a yearly rate, like 8%")
                }
                _ = advance()
                discount = v
            } else {
                throw expected("`model`, `horizon`, `discount` or the end of the statement")
            }
        }
        return .clv(customer: customer, model: model, horizonMonths: horizon, discount: discount)
    }

    private mutating func whatIf() throws(Diagnostic) -> Statement {
        let lever = try name("what to change: retention, discount or cost_to_serve")
        _ = acceptSymbol("=")
        let start = token.range
        var sign = 0.0
        if acceptSymbol("+") != nil { sign = 1 } else if acceptSymbol("-") != nil { sign = -1 }
        guard case .number(let v, let percent) = token.kind, percent else {
            throw expected("a percentage, like +5% or 12%")
        }
        let end = advance().range
        let change = WhatIfChange(lever: lever, value: sign == 0 ? v : sign * v, relative: sign != 0, range: start.to(end))
        return .whatIf(change, filter: try filter())
    }

    private mutating func set() throws(Diagnostic) -> Statement {
        let setting = try name("a setting such as `discount` or `horizon` (`settings` lists them)")
        _ = acceptSymbol("=")
        let start = token.range
        switch token.kind {
        case .number(let value, let percent):
            _ = advance()
            var unit: String?
            if case .word(let w) = token.kind {
                _ = advance()
                unit = w.lowercased()
            }
            return .set(setting, .number(value, percent: percent, unit: unit), valueRange: start.to(tokens[index - 1].range))
        case .word(let w):
            _ = advance()
            return .set(setting, .word(w), valueRange: start)
        case .string(let s):
            _ = advance()
            return .set(setting, .word(s), valueRange: start)
        default:
            throw expected("a value, like 10% or 24 months")
        }
    }

    private func dotCommand(_ name: String, _ argument: String, _ range: SourceRange) throws(Diagnostic) -> Statement {
        let argumentRange = SourceRange(range.start + name.utf8.count + 2, range.end)
        switch name {
        case "mode":
            let mode = argument.lowercased()
            guard ["table", "csv", "json", "markdown"].contains(mode) else {
                throw Diagnostic(
                    argument.isEmpty ? "`.mode` needs a mode" : "unknown mode `\(argument)`", at: argument.isEmpty ? range : argumentRange,
                    hint: "the modes are table, csv, json and markdown")
            }
            return .dot(.mode(mode))
        case "timer":
            switch argument.lowercased() {
            case "on": return .dot(.timer(true))
            case "off": return .dot(.timer(false))
            default: throw Diagnostic("`.timer` takes on or off", at: range)
            }
        case "read":
            var path = argument
            if path.count >= 2, let q = path.first, q == "\"" || q == "'", path.last == q {
                path = String(path.dropFirst().dropLast())
            }
            guard !path.isEmpty else { throw Diagnostic("`.read` needs a file name", at: range) }
            return .dot(.read(path))
        case "maxrows":
            guard let n = Int(argument), n >= 0 else {
                throw Diagnostic("`.maxrows` takes a number of rows (0 for no limit)", at: range)
            }
            return .dot(.maxRows(n))
        case "last": return .dot(.last)
        case "quit", "exit": return .dot(.quit)
        case "help": return .help(argument.isEmpty ? nil : argument)
        default:
            throw Diagnostic(
                "unknown dot-command `.\(name)`", at: range,
                hint: Suggestion.hint(for: "." + name, in: Self.dotCommands.map { "." + $0 })
                    ?? "the dot-commands are .mode, .timer, .read, .maxrows, .last and .quit")
        }
    }

    // MARK: Expressions

    public mutating func expression() throws(Diagnostic) -> Expr { try or() }

    private mutating func or() throws(Diagnostic) -> Expr {
        var left = try and()
        while let op = accept("or") {
            let right = try and()
            left = Expr(.binary(.or, left, right), left.range.to(right.range), operatorRange: op.range)
        }
        return left
    }

    private mutating func and() throws(Diagnostic) -> Expr {
        var left = try not()
        while let op = accept("and") {
            let right = try not()
            left = Expr(.binary(.and, left, right), left.range.to(right.range), operatorRange: op.range)
        }
        return left
    }

    private mutating func not() throws(Diagnostic) -> Expr {
        if let op = accept("not") {
            let operand = try not()
            return Expr(.not(operand), op.range.to(operand.range), operatorRange: op.range)
        }
        return try predicate()
    }

    private mutating func predicate() throws(Diagnostic) -> Expr {
        let left = try additive()
        if case .symbol(let s) = token.kind, let op = BinaryOperator(rawValue: s), op.isComparison {
            let opToken = advance()
            let right = try additive()
            return Expr(.binary(op, left, right), left.range.to(right.range), operatorRange: opToken.range)
        }
        if let isToken = accept("is") {
            let negated = accept("not") != nil
            let null = try expect("null")
            return Expr(.isNull(left, negated: negated), left.range.to(null.range), operatorRange: isToken.range)
        }
        var negated = false
        var notToken: Token?
        if token.isWord("not"), tokens[index + 1].isWord("in") || tokens[index + 1].isWord("between") || tokens[index + 1].isWord("like") {
            notToken = advance()
            negated = true
        }
        if let op = accept("in") {
            try expectSymbol("(")
            var items: [Expr] = []
            repeat { items.append(try additive()) } while acceptSymbol(",") != nil
            let close = token
            try expectSymbol(")")
            return Expr(.inList(left, items, negated: negated), left.range.to(close.range), operatorRange: (notToken ?? op).range.to(op.range))
        }
        if let op = accept("between") {
            let low = try additive()
            try expect("and")
            let high = try additive()
            return Expr(.between(left, low, high, negated: negated), left.range.to(high.range), operatorRange: (notToken ?? op).range.to(op.range))
        }
        if let op = accept("like") {
            let pattern = try additive()
            return Expr(.like(left, pattern, negated: negated), left.range.to(pattern.range), operatorRange: (notToken ?? op).range.to(op.range))
        }
        return left
    }

    private mutating func additive() throws(Diagnostic) -> Expr {
        var left = try multiplicative()
        while case .symbol(let s) = token.kind, s == "+" || s == "-" {
            let op = advance()
            let right = try multiplicative()
            left = Expr(.binary(BinaryOperator(rawValue: s)!, left, right), left.range.to(right.range), operatorRange: op.range)
        }
        return left
    }

    private mutating func multiplicative() throws(Diagnostic) -> Expr {
        var left = try unary()
        while case .symbol(let s) = token.kind, s == "*" || s == "/" {
            let op = advance()
            let right = try unary()
            left = Expr(.binary(BinaryOperator(rawValue: s)!, left, right), left.range.to(right.range), operatorRange: op.range)
        }
        return left
    }

    private mutating func unary() throws(Diagnostic) -> Expr {
        if let minus = acceptSymbol("-") {
            let operand = try unary()
            if case .number(let v, let percent) = operand.kind {
                return Expr(.number(-v, percent: percent), minus.range.to(operand.range))
            }
            return Expr(.negate(operand), minus.range.to(operand.range), operatorRange: minus.range)
        }
        if acceptSymbol("+") != nil { return try unary() }
        return try primary()
    }

    private mutating func primary() throws(Diagnostic) -> Expr {
        let t = token
        switch t.kind {
        case .number(let v, let percent):
            _ = advance()
            return Expr(.number(v, percent: percent), t.range)
        case .string(let s):
            _ = advance()
            return Expr(.string(s), t.range)
        case .date(let d):
            _ = advance()
            return Expr(.date(d), t.range)
        case .symbol("("):
            _ = advance()
            var inner = try expression()
            let close = token
            try expectSymbol(")")
            inner.range = t.range.to(close.range)
            return inner
        case .word(let w):
            let lower = w.lowercased()
            switch lower {
            case "true", "false":
                _ = advance()
                return Expr(.bool(lower == "true"), t.range)
            case "null":
                _ = advance()
                return Expr(.null, t.range)
            default:
                break
            }
            if Self.clauseWords.contains(lower) { throw expected("a value or a field") }
            _ = advance()
            if acceptSymbol("(") != nil {
                var arguments: [Expr] = []
                if !token.isSymbol(")") {
                    repeat { arguments.append(try expression()) } while acceptSymbol(",") != nil
                }
                let close = token
                try expectSymbol(")")
                return Expr(.call(lower, arguments), t.range.to(close.range))
            }
            if lower == "count" { return Expr(.call("count", []), t.range) }
            return Expr(.field(lower), t.range)
        default:
            throw expected("a value or a field")
        }
    }
}
