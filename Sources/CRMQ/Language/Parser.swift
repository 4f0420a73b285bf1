/// Reads tokens into the pieces statements are made of: names, paths, customers, filters,
/// `show` lists and expressions. Which statements there are, and how each reads its words,
/// is the statements' own business (`Statements/`, one file each); `next()` there asks each
/// its turn.
///
/// Grammar of expressions (lowest precedence first):
///
///     expression := or
///     or         := and ("or" and)*
///     and        := not ("and" not)*
///     not        := "not" not | predicate
///     predicate  := additive [comparison additive | "is" ["not"] "null"
///                   | ["not"] "in" "(" additive ("," additive)* ")"
///                   | ["not"] "between" additive "and" additive | ["not"] "like" additive]
///     additive   := multiplicative (("+" | "-") multiplicative)*
///     multiplicative := unary (("*" | "/") unary)*
///     unary      := ("-" | "+") unary | primary
///     primary    := number | string | date | true | false | null | "(" expression ")"
///                   | word "(" [expression ("," expression)*] ")" | word
public struct Parser {
    let tokens: [Token]
    let source: String
    private(set) var index = 0
    /// Words that end the statement being read where they stand: `to` inside `plot`.
    var terminators: Set<String> = []

    /// How deep an expression may nest, in levels of its tree (parentheses, `not`, a chain of
    /// `and` or `+`): far past what a person writes, and well inside what the recursion of
    /// parsing, checking and evaluating can take on a thread's stack.
    static let maximumDepth = 200
    /// How many nested parentheses, `not`s and signs the parser is inside now.
    private var nesting = 0

    /// Words that end an expression: they start the next clause.
    static let clauseWords: Set<String> = [
        "where", "order", "limit", "show", "as", "by", "and", "or", "not", "in", "between", "like", "is", "asc", "desc",
    ]

    public init(_ source: String) {
        self.source = source
        self.tokens = Lexer.tokens(source)
    }

    // MARK: Tokens

    var token: Token { tokens[index] }

    /// The token after the current one (the last token, `.end`, at the end).
    var following: Token { tokens[min(index + 1, tokens.count - 1)] }

    /// The token before the current one, for the end of a range.
    var previous: Token { tokens[max(0, index - 1)] }

    mutating func advance() -> Token {
        let current = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return current
    }

    var atStatementEnd: Bool {
        token.kind == .separator || token.kind == .end || token.key.map(terminators.contains) == true
    }

    mutating func accept(_ keyword: String) -> Token? {
        token.isWord(keyword) ? advance() : nil
    }

    mutating func acceptSymbol(_ symbol: String) -> Token? {
        token.isSymbol(symbol) ? advance() : nil
    }

    func expected(_ what: String, hint: String? = nil) -> Diagnostic {
        if case .invalid(let message) = token.kind { return Diagnostic(message, at: token.range) }
        return Diagnostic("expected \(what), found \(token.shown)", at: token.range, hint: hint)
    }

    @discardableResult
    mutating func expect(_ keyword: String) throws(Diagnostic) -> Token {
        guard let t = accept(keyword) else { throw expected("`\(keyword)`") }
        return t
    }

    mutating func expectSymbol(_ symbol: String) throws(Diagnostic) {
        guard acceptSymbol(symbol) != nil else { throw expected("`\(symbol)`") }
    }

    /// Skips what is left of the statement and the separator after it.
    mutating func skipStatement() {
        while !atStatementEnd { _ = advance() }
        _ = advance()
    }

    /// The source text of a range.
    func text(_ range: SourceRange) -> String {
        String(decoding: source.utf8.dropFirst(range.start).prefix(range.end - range.start), as: UTF8.self)
    }

    // MARK: Clauses

    /// A name the user gives (a snapshot, a segment, a setting), as written.
    mutating func name(_ what: String) throws(Diagnostic) -> Name {
        guard case .word(let w, let key) = token.kind, !Self.clauseWords.contains(key), !terminators.contains(key) else {
            throw expected(what)
        }
        let t = advance()
        return Name(w, t.range)
    }

    /// One of a closed set of words (a model, a plan, a lever), matched without regard to
    /// case; a misspelt one is an error at the word that names the choices.
    mutating func choice<Choice: CaseIterable & RawRepresentable>(_ what: String) throws(Diagnostic) -> Spelled<Choice>
    where Choice.RawValue == String {
        try choice(what, among: Array(Choice.allCases))
    }

    /// One of `allowed`, the words of a closed set a statement takes.
    mutating func choice<Choice: RawRepresentable>(_ what: String, among allowed: [Choice]) throws(Diagnostic) -> Spelled<Choice>
    where Choice.RawValue == String {
        let words = allowed.map(\.rawValue)
        let list = Self.list(words)
        guard case .word(let w, let key) = token.kind, !terminators.contains(key) else { throw expected("\(what): \(list)") }
        guard let value = allowed.first(where: { $0.rawValue == key }) else {
            throw Diagnostic("unknown \(what) `\(w)`", at: token.range, hint: Suggestion.hint(for: w, in: words) ?? "the choices are \(list)")
        }
        return Spelled(value, advance().range)
    }

    /// `a, b or c`.
    static func list(_ words: [String]) -> String {
        words.count < 2 ? words.joined() : words.dropLast().joined(separator: ", ") + " or " + words.last!
    }

    /// A file name: quoted, or a bare word.
    mutating func path(_ what: String) throws(Diagnostic) -> String {
        switch token.kind {
        case .string(let s): _ = advance(); return s
        case .word(let w, let key) where !terminators.contains(key): _ = advance(); return w
        default: throw expected(what)
        }
    }

    /// A calendar date, like 2024-06-30.
    mutating func date(_ what: String) throws(Diagnostic) -> Int32 {
        guard case .date(let day) = token.kind else { throw expected(what) }
        _ = advance()
        return day
    }

    /// A customer by id or name: a word, a number (an id like 1042) or a quoted string.
    mutating func customerName() throws(Diagnostic) -> Name {
        switch token.kind {
        case .word(_, let key) where !terminators.contains(key):
            let t = advance()
            return Name(text(t.range), t.range)
        case .number:
            let t = advance()
            return Name(text(t.range), t.range)
        case .string(let s):
            return Name(s, advance().range)
        default:
            throw expected("a customer id or name")
        }
    }

    /// `[in SEGMENT] [where EXPR]`
    mutating func filter() throws(Diagnostic) -> CustomerFilter {
        var filter = CustomerFilter()
        if accept("in") != nil { filter.segment = try name("a segment name") }
        if accept("where") != nil { filter.condition = try expression() }
        return filter
    }

    /// `EXPR [as NAME], …`
    mutating func showList() throws(Diagnostic) -> [ShowItem] {
        var items: [ShowItem] = []
        repeat {
            let expr = try expression()
            let alias = accept("as") != nil ? try name("a column name") : nil
            items.append(ShowItem(expr: expr, alias: alias))
        } while acceptSymbol(",") != nil
        return items
    }

    // MARK: Expressions

    /// `expr`, unless it nests deeper than the bound: then an error at `token`.
    private func bounded(_ expr: Expr, at token: Token) throws(Diagnostic) -> Expr {
        guard expr.depth <= Self.maximumDepth else { throw tooDeep(token) }
        return expr
    }

    private func tooDeep(_ token: Token) -> Diagnostic {
        Diagnostic(
            "this expression nests more than \(Self.maximumDepth) levels deep", at: token.range,
            hint: "split it: name a part with segment where … as NAME, then use customers in NAME")
    }

    /// Goes one level deeper into parentheses, `not` or a sign, unless that is past the bound.
    /// The caller steps back up (`defer { nesting -= 1 }`) once it has descended.
    private mutating func descend(_ token: Token) throws(Diagnostic) {
        guard nesting < Self.maximumDepth else { throw tooDeep(token) }
        nesting += 1
    }

    mutating func expression() throws(Diagnostic) -> Expr { try or() }

    mutating func or() throws(Diagnostic) -> Expr {
        var left = try and()
        while let op = accept("or") {
            let right = try and()
            left = try bounded(Expr(.binary(.or, left, right), left.range.to(right.range), operatorRange: op.range), at: op)
        }
        return left
    }

    mutating func and() throws(Diagnostic) -> Expr {
        var left = try not()
        while let op = accept("and") {
            let right = try not()
            left = try bounded(Expr(.binary(.and, left, right), left.range.to(right.range), operatorRange: op.range), at: op)
        }
        return left
    }

    mutating func not() throws(Diagnostic) -> Expr {
        if let op = accept("not") {
            try descend(op)
            defer { nesting -= 1 }
            let operand = try not()
            return Expr(.not(operand), op.range.to(operand.range), operatorRange: op.range)
        }
        return try predicate()
    }

    mutating func predicate() throws(Diagnostic) -> Expr {
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
        if token.isWord("not"), following.isWord("in") || following.isWord("between") || following.isWord("like") {
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

    mutating func additive() throws(Diagnostic) -> Expr {
        var left = try multiplicative()
        while case .symbol(let s) = token.kind, s == "+" || s == "-" {
            let op = advance()
            let right = try multiplicative()
            left = try bounded(Expr(.binary(BinaryOperator(rawValue: s)!, left, right), left.range.to(right.range), operatorRange: op.range), at: op)
        }
        return left
    }

    mutating func multiplicative() throws(Diagnostic) -> Expr {
        var left = try unary()
        while case .symbol(let s) = token.kind, s == "*" || s == "/" {
            let op = advance()
            let right = try unary()
            left = try bounded(Expr(.binary(BinaryOperator(rawValue: s)!, left, right), left.range.to(right.range), operatorRange: op.range), at: op)
        }
        return left
    }

    mutating func unary() throws(Diagnostic) -> Expr {
        if let minus = acceptSymbol("-") {
            try descend(minus)
            defer { nesting -= 1 }
            let operand = try unary()
            if case .number(let v, let percent) = operand.kind {
                return Expr(.number(-v, percent: percent), minus.range.to(operand.range))
            }
            return Expr(.negate(operand), minus.range.to(operand.range), operatorRange: minus.range)
        }
        if let plus = acceptSymbol("+") {
            try descend(plus)
            defer { nesting -= 1 }
            return try unary()
        }
        return try primary()
    }

    mutating func primary() throws(Diagnostic) -> Expr {
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
            try descend(advance())
            defer { nesting -= 1 }
            var inner = try expression()
            let close = token
            try expectSymbol(")")
            inner.range = t.range.to(close.range)
            return inner
        case .word(let w, let lower):
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
            if Self.clauseWords.contains(lower) || terminators.contains(lower) { throw expected("a value or a field") }
            _ = advance()
            if let open = acceptSymbol("(") {
                try descend(open)
                defer { nesting -= 1 }
                var arguments: [Expr] = []
                if !token.isSymbol(")") {
                    repeat { arguments.append(try expression()) } while acceptSymbol(",") != nil
                }
                let close = token
                try expectSymbol(")")
                return Expr(.call(lower, arguments), t.range.to(close.range))
            }
            if lower == "count" { return Expr(.call("count", []), t.range) }
            return Expr(.field(w), t.range)
        default:
            throw expected("a value or a field")
        }
    }
}
