import Foundation

/// Where a runner writes: answers to `output`, errors and chatter to `errors`.
public protocol OutputSink: AnyObject {
    func output(_ text: String)
    func errors(_ text: String)
}

/// Runs source text statement by statement against a session and prints the answers in the
/// chosen mode: the loop every front end shares (`-c`, `-f`, piped stdin, `.read`, the prompt).
public final class StatementRunner {
    public enum Outcome: Equatable {
        case completed
        /// A statement failed and the runner stopped there.
        case failed
        case quit
    }

    public let session: Session
    public var mode: OutputMode
    public var layout: TableLayout
    public var timer = false
    /// Whether to stop at the first failed statement (scripts) or go on (the prompt).
    public var stopOnError: Bool
    /// Shows a long text page by page (`.last` at a terminal); without one it is printed.
    public var pager: ((String) -> Void)?
    /// Reports how long each statement took, when `.timer on`.
    public var clock: () -> Double = { Date().timeIntervalSince1970 }
    private let sink: OutputSink
    private var printedBefore = false
    private var readDepth = 0

    public init(session: Session, sink: OutputSink, mode: OutputMode = .table, layout: TableLayout = TableLayout(), stopOnError: Bool) {
        self.session = session
        self.sink = sink
        self.mode = mode
        self.layout = layout
        self.stopOnError = stopOnError
    }

    /// The next answer starts without a blank line before it, as at the prompt, where each
    /// answer follows its own statement.
    public func forgetEarlierOutput() { printedBefore = false }

    /// Runs every statement of `source`; `fileName` names it in error messages.
    @discardableResult
    public func run(_ source: String, fileName: String? = nil) -> Outcome {
        var parser = Parser(source)
        var failed = false
        while true {
            let statement: ParsedStatement
            do {
                guard let next = try parser.next() else { break }
                statement = next
            } catch {
                report(error, source: source, fileName: fileName)
                failed = true
                if stopOnError { return .failed }
                continue
            }
            switch execute(statement, source: source, fileName: fileName) {
            case .completed: break
            case .quit: return .quit
            case .failed:
                failed = true
                if stopOnError { return .failed }
            }
        }
        return failed ? .failed : .completed
    }

    private func execute(_ statement: ParsedStatement, source: String, fileName: String?) -> Outcome {
        let started = clock()
        let result: StatementResult
        do {
            result = try session.execute(statement)
        } catch {
            report(error, source: source, fileName: fileName)
            return .failed
        }
        let elapsed = clock() - started
        print(result)
        if timer { sink.errors("Run Time: \(String(format: "%.4f", elapsed)) s\n") }
        guard let effect = result.effect else { return .completed }
        do {
            return try apply(effect, of: result, at: statement.range)
        } catch {
            report(error, source: source, fileName: fileName)
            return .failed
        }
    }

    private func apply(_ effect: Effect, of result: StatementResult, at range: SourceRange) throws(Diagnostic) -> Outcome {
        switch effect {
        case .quit: return .quit
        case .mode(let chosen): mode = chosen
        case .timer(let on): timer = on
        case .maxRows(let n): layout.maxRows = n
        case .showLast:
            guard let last = session.lastResult else { break }
            var whole = layout
            whole.maxRows = 0
            whole.width = nil
            let text = last.tables.map { TableRenderer(layout: whole).render($0) }.joined(separator: "\n")
            if let pager { pager(text) } else { emit(text) }
        case .save(let path): try save(to: path, at: range)
        case .plot(let path):
            guard let chart = result.charts.first else { break }
            do {
                try ChartSVG.render(chart).write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw Diagnostic("cannot write \(path): \(error.localizedDescription)", at: range)
            }
            message("plotted \(chart.title) to \(path)")
        case .read(let path):
            guard readDepth < 16 else { throw Diagnostic(".read is nested too deeply (a script that reads itself?)", at: range) }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw Diagnostic("cannot read \(path): no such file, or not UTF-8 text", at: range)
            }
            readDepth += 1
            defer { readDepth -= 1 }
            switch run(text, fileName: path) {
            case .completed: break
            case .quit: return .quit
            case .failed: if stopOnError { return .failed }
            }
        }
        return .completed
    }

    /// Writes the last result by the file's extension: .json, .md, else CSV.
    private func save(to path: String, at range: SourceRange) throws(Diagnostic) {
        guard let last = session.lastResult else { throw Diagnostic("there is no result to save yet", at: range) }
        let lower = path.lowercased()
        let format: OutputMode = lower.hasSuffix(".json") ? .json : lower.hasSuffix(".md") ? .markdown : .csv
        let text = last.tables.map { render($0, format) }.joined(separator: "\n")
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw Diagnostic("cannot write \(path): \(error.localizedDescription)", at: range)
        }
        let rows = last.tables.reduce(0) { $0 + $1.rowCount }
        message("saved \(NumberText.counted(rows, "row")) to \(path)")
    }

    private func render(_ table: ResultTable, _ format: OutputMode) -> String {
        switch format {
        case .table: TableRenderer(layout: layout).render(table)
        case .csv: CSVRenderer.render(table)
        case .json: JSONRenderer.render(table)
        case .markdown: MarkdownRenderer.render(table)
        }
    }

    private func message(_ text: String) {
        switch mode {
        case .table, .markdown: emit(text + "\n")
        case .csv, .json: sink.errors(text + "\n")
        }
    }

    /// Prints a result; in table and Markdown mode a blank line sets it apart from the last.
    private func print(_ result: StatementResult) {
        for block in result.blocks {
            switch block {
            case .message(let text): message(text)
            case .table(let table):
                if mode == .table, let drawing = table.drawing {
                    emit(ChartText(color: layout.color).render(drawing) + table.notes.map { $0 + "\n" }.joined())
                } else {
                    emit(render(table, mode))
                }
            case .chart(let chart):
                if case .plot = result.effect { continue }  // it goes to a file
                switch mode {
                case .table: emit(ChartText(color: layout.color).render(chart))
                case .markdown: emit("```\n" + ChartText(color: false).render(chart) + "```\n")
                case .csv, .json: break  // the numbers are in the tables
                }
            }
        }
    }

    private func emit(_ text: String) {
        if printedBefore, mode == .table || mode == .markdown || mode == .csv { sink.output("\n") }
        sink.output(text)
        printedBefore = true
    }

    private func report(_ error: Diagnostic, source: String, fileName: String?) {
        sink.errors(DiagnosticRenderer(source: source, fileName: fileName, color: layout.color).render(error))
    }
}
