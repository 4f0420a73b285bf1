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
        // A byte order mark opens many files an editor saved, and some pasted text: not a statement.
        let source = source.hasPrefix("\u{FEFF}") ? String(source.dropFirst()) : source
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
        var result: StatementResult
        do {
            result = try session.execute(statement)
            // A file written is said in the result, so that every mode carries it.
            if let written = try write(result, at: statement.range) { result.blocks.append(.message(written)) }
        } catch {
            report(error, source: source, fileName: fileName)
            return .failed
        }
        let elapsed = clock() - started
        print(result, statement: statement.source)
        if timer { sink.errors("Run Time: \(String(format: "%.4f", elapsed)) s\n") }
        guard let effect = result.effect else { return .completed }
        do {
            return try apply(effect, at: statement.range)
        } catch {
            report(error, source: source, fileName: fileName)
            return .failed
        }
    }

    /// Writes the file a `save` or `plot` asks for; what was written, or nil for other statements.
    private func write(_ result: StatementResult, at range: SourceRange) throws(Diagnostic) -> Prose? {
        switch result.effect {
        case .save(let path):
            guard let last = session.lastResult else { return nil }  // save itself refused it
            let lower = path.lowercased()
            let format: OutputMode = lower.hasSuffix(".json") ? .json : lower.hasSuffix(".md") ? .markdown : .csv
            try write(render(last, statement: session.lastStatement ?? "", format), to: path, at: range)
            let rows = last.tables.reduce(0) { $0 + $1.rowCount }
            return "saved \(count: rows, "row") to \(path)"
        case .plot(let path):
            guard let chart = result.charts.first else { return nil }
            try write(ChartSVG.render(chart), to: path, at: range)
            return "plotted \(chart.title) to \(path)"
        case .report(let path):
            guard let report = result.blocks.lazy.compactMap({ if case .report(let r) = $0 { r } else { nil } }).first else { return nil }
            if path.lowercased().hasSuffix(".md") {
                // The charts beside the page, named after it: q4.md, q4-1.svg, q4-2.svg, …
                let stem = String(path.dropLast(3))
                let base = stem.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? stem
                let (page, charts) = MarkdownReport.render(report) { "\(base)-\($0).svg" }
                for chart in charts { try write(chart.svg, to: "\(stem)-\(chart.name.dropFirst(base.count + 1))", at: range) }
                try write(page, to: path, at: range)
                return "wrote the report (\(count: report.sections.count, "section"), \(count: charts.count, "chart") beside it) to \(path)"
            }
            try write(HTMLReport.render(report), to: path, at: range)
            return "wrote the report (\(count: report.sections.count, "section")) to \(path)"
        default:
            return nil
        }
    }

    private func write(_ text: String, to path: String, at range: SourceRange) throws(Diagnostic) {
        do throws(Diagnostic) {
            try ResultFile.write(text, to: path, sparing: Array(session.snapshots.values))
        } catch {
            var located = error
            located.range = range
            throw located
        }
    }

    private func apply(_ effect: Effect, at range: SourceRange) throws(Diagnostic) -> Outcome {
        switch effect {
        case .quit: return .quit
        case .mode(let chosen): mode = chosen
        case .timer(let on): timer = on
        case .maxRows(let n): layout.maxRows = n
        case .save, .plot, .report: break  // written before the result was printed
        case .showLast:
            guard let last = session.lastResult else { break }
            var whole = layout
            whole.maxRows = 0
            whole.width = nil
            let text = last.tables.map { TableRenderer(layout: whole).render($0) }.joined(separator: "\n")
            if let pager { pager(text) } else { emit(text) }
        case .read(let path):
            guard readDepth < 16 else { throw Diagnostic(".read is nested too deeply (a script that reads itself?)", at: range) }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw Diagnostic("cannot read \(path): no such file", at: range)
            }
            guard !isDirectory.boolValue else { throw Diagnostic("cannot read \(path): it is a directory, not a script", at: range) }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw Diagnostic("cannot read \(path): it is not UTF-8 text", at: range)
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

    /// A whole result for a file or a program: every table, note and message.
    private func render(_ result: StatementResult, statement: String, _ format: OutputMode) -> String {
        switch format {
        case .table: (result.tables.map { TableRenderer(layout: layout).render($0) } + result.scripts).joined(separator: "\n")
        case .csv: CSVRenderer.render(result)
        case .json: JSONRenderer.render(result, statement: statement)
        case .markdown: MarkdownRenderer.render(result)
        }
    }

    /// Prints a result: for people block by block, charts drawn; for programs the whole of it.
    private func print(_ result: StatementResult, statement: String) {
        guard !result.blocks.isEmpty else { return }
        switch mode {
        case .json: emit(render(result, statement: statement, mode))
        case .csv:
            // The data's bytes to a file or a pipe; at a terminal, its control characters escaped.
            let text = render(result, statement: statement, mode)
            emit(layout.width == nil ? text : ControlCharacters.escapedLines(text))
        case .table, .markdown:
            for block in result.blocks {
                switch block {
                case .message(let text):
                    let shown = ControlCharacters.escapedLines(ProseText.display(text))
                    emit((mode == .table ? TextWrap.wrap(shown, width: layout.width) : shown) + "\n")
                case .table(let table):
                    if mode == .table, let drawing = table.drawing {
                        emit(ChartText(color: layout.color).render(drawing) + TableRenderer(layout: layout).notes(table.notes))
                    } else {
                        emit(mode == .table ? TableRenderer(layout: layout).render(table) : MarkdownRenderer.render(table))
                    }
                case .script(let text):
                    // Verbatim, to be copied or redirected: never wrapped, never escaped.
                    emit(mode == .table ? text : "```sql\n" + text + "```\n")
                case .report: continue  // it went to a file
                case .chart(let chart):
                    if case .plot = result.effect { continue }  // it went to a file
                    emit(mode == .table ? ChartText(color: layout.color).render(chart) : "```\n" + ChartText(color: false).render(chart) + "```\n")
                }
            }
        }
    }

    private func emit(_ text: String) {
        if printedBefore, mode != .json { sink.output("\n") }
        sink.output(text)
        printedBefore = true
    }

    private func report(_ error: Diagnostic, source: String, fileName: String?) {
        sink.errors(DiagnosticRenderer(source: source, fileName: fileName, color: layout.color).render(error))
    }
}
