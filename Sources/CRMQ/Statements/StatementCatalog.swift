/// Every statement of the language, in the order `help` lists them. A new statement is a
/// new file beside this one and a line here.
enum StatementCatalog {
    static let all: [any Statement.Type] = [
        LoadStatement.self,
        UseStatement.self,
        SnapshotsStatement.self,
        DescribeStatement.self,
        CustomersStatement.self,
        CountStatement.self,
        SegmentStatement.self,
        SegmentsStatement.self,
        ProfileStatement.self,
        FitStatement.self,
        CLVStatement.self,
        ValidateStatement.self,
        ModelsStatement.self,
        ForecastStatement.self,
        PortfolioStatement.self,
        AssetsStatement.self,
        RFMStatement.self,
        ParetoStatement.self,
        SSCStatement.self,
        CreditStatement.self,
        ValueStarStatement.self,
        ValueMapStatement.self,
        ScorecardStatement.self,
        PlanStatement.self,
        CompareStatement.self,
        WhatIfStatement.self,
        ExplainStatement.self,
        PlotStatement.self,
        ReportStatement.self,
        SetStatement.self,
        SettingsStatement.self,
        SaveStatement.self,
        SummaryStatement.self,
        HelpStatement.self,
        DotCommandStatement.self,
    ]

    /// The statement a word starts (`.` for a dot-command).
    static func statement(startingWith word: String) -> (any Statement.Type)? {
        all.first { $0.word == word }
    }

    /// The words that start a statement, for suggestions and completion.
    static var commands: [String] { all.map { $0.word }.filter { $0 != "." } }

    /// The statements whose result has a chart.
    static var charting: [String] { all.filter { $0.drawsChart }.map { $0.word } }
}

extension Parser {
    /// The next statement, or nil when the source has no more.
    ///
    ///     var parser = Parser("count where revenue > 10k; customers limit 5")
    ///     while let statement = try parser.next() { … }
    ///
    /// After an error the parser has skipped to the end of the bad statement: calling `next`
    /// again carries on with the one after it, as the interactive shell does.
    public mutating func next() throws(Diagnostic) -> ParsedStatement? {
        while token.kind == .separator { _ = advance() }
        if token.kind == .end { return nil }
        let start = token.range.start
        do throws(Diagnostic) {
            let statement = try statement()
            guard atStatementEnd else {
                throw expected("the end of the statement", hint: trailingHint(statement))
            }
            let end = previous.range.end
            _ = advance()
            let range = SourceRange(start, max(start, end))
            return ParsedStatement(statement: statement, range: range, source: text(range))
        } catch {
            terminators = []  // skip to the real end, past a `to` that `plot` made a terminator
            skipStatement()
            throw error
        }
    }

    private func trailingHint(_ statement: any Statement) -> String? {
        if statement is ProfileStatement, case .word = token.kind {
            return "quote a name that has spaces: profile \"Acme Corp\""
        }
        return nil
    }

    /// One statement, its command word first; `plot` reads the statement it draws this way.
    mutating func statement() throws(Diagnostic) -> any Statement {
        if case .dotCommand(let name, let argument) = token.kind {
            if name == "help" { return HelpStatement(topic: argument.isEmpty ? nil : argument, range: advance().range) }
            return try DotCommandStatement.parse(&self)
        }
        guard case .word(let word, let key) = token.kind else { throw expected("a command such as `customers` or `help`") }
        guard let type = StatementCatalog.statement(startingWith: key) else {
            throw Diagnostic(
                "unknown command `\(word)`", at: token.range,
                hint: Suggestion.hint(for: word, in: StatementCatalog.commands) ?? "`help` lists the commands")
        }
        _ = advance()
        return try type.parse(&self)
    }
}
