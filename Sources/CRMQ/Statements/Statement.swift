/// A statement of the language, declared once: the words that start it, how it reads the
/// rest of its words, how it prints back, its help, what Tab offers inside it, whether it
/// draws a chart, and how it runs. The parser (`Parser.next`), `help`, the completer,
/// `plot` and the session are all driven by `StatementCatalog.all`, as
/// swift-argument-parser derives parsing, help and completion from one configuration.
///
/// A statement sits above both the language (it reads tokens through `Parser`) and the
/// evaluation (it runs against a `Session`); neither of those knows any statement.
///
///     struct SnapshotsStatement: Statement {
///         static let word = "snapshots"
///         static let help = StatementHelp(syntax: "snapshots", summary: "List the loaded snapshots.", example: "snapshots")
///         static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self { Self() }
///         var description: String { "snapshots" }
///         func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult { … }
///     }
protocol Statement: Sendable, CustomStringConvertible {
    /// The word that starts it (case-insensitive), or `.` for the dot-commands.
    static var word: String { get }
    static var help: StatementHelp { get }
    /// Whether its result has a chart that `plot … to FILE` can write.
    static var drawsChart: Bool { get }
    /// Whether it answers on a histogram (a summary whose rows stand for many customers
    /// each): the fits and the model fields do; what counts or ranks customers does not.
    static var answersOnHistogram: Bool { get }
    /// Reads the words after `word`, up to the end of the statement.
    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self
    /// What Tab offers after the words typed so far.
    static func complete(_ typed: TypedWords) -> CompletionHint
    /// The statement's answer; a statement that fails throws and changes nothing.
    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult
}

extension Statement {
    static var drawsChart: Bool { false }
    static var answersOnHistogram: Bool { false }
    static func complete(_ typed: TypedWords) -> CompletionHint { .nothing }
}

/// A statement's entry in `help`: its syntax, what it does (the first sentence is the
/// overview's line), and an example that runs on the bundled data.
struct StatementHelp: Sendable {
    var topic: String?
    var syntax: String
    var summary: String
    var example: String

    init(topic: String? = nil, syntax: String, summary: String, example: String) {
        self.topic = topic
        self.syntax = syntax
        self.summary = summary
        self.example = example
    }

    /// The summary's first sentence, for the overview.
    var brief: String {
        guard let end = summary.range(of: ". ") else { return summary.hasSuffix(".") ? String(summary.dropLast()) : summary }
        return String(summary[..<end.lowerBound])
    }
}

/// A statement with the range of source text it was parsed from.
public struct ParsedStatement: Sendable {
    let statement: any Statement
    public let range: SourceRange
    /// The statement as it was written.
    public let source: String

    /// The statement printed back as source text.
    public var text: String { statement.description }
}

extension Session {
    /// Runs one parsed statement; a result with tables becomes the last result (`save`, `.last`).
    ///
    ///     let session = Session()
    ///     var parser = Parser("load \"examples/acme\"; count where revenue > 10k")
    ///     while let statement = try parser.next() { print(try session.execute(statement)) }
    public func execute(_ parsed: ParsedStatement) throws(Diagnostic) -> StatementResult {
        // A reopened file's damage, found in a column the statement read, outweighs its answer.
        let result: StatementResult
        do {
            result = try answer(parsed)
        } catch {
            try closeDamaged(at: parsed.range)
            throw error
        }
        try closeDamaged(at: parsed.range)
        if !result.tables.isEmpty {
            lastResult = result
            lastStatement = parsed.source
        }
        return result
    }

    private func answer(_ parsed: ParsedStatement) throws(Diagnostic) -> StatementResult {
        if let histogram = current, histogram.isHistogram, !type(of: parsed.statement).answersOnHistogram {
            let rows = histogram.customers.count, customers = histogram.customers.numbers(CustomerFields.weight).reduce(0, +)
            throw Diagnostic(
                "\(histogram.name) is a histogram: \(rows) rows standing for \(NumberText.plain(customers)) customers, "
                    + "so \(type(of: parsed.statement).word) has no row per customer to answer on; fit, clv, customers and describe answer on it",
                at: parsed.range, hint: "a weighted summary of up to \(SummaryLoader.mostCustomers) customers loads a row per customer")
        }
        return try parsed.statement.run(in: self, at: parsed.range)
    }
}
