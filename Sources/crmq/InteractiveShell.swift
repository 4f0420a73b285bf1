import CInterrupt
import CRMQ
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The prompt: reads statements with libedit (a statement left open continues on a
/// `...>` line and becomes one history entry) and runs each. No error ends the session;
/// Ctrl-C abandons the line or stops the running statement, Ctrl-D on an empty line quits.
struct InteractiveShell {
    let runner: StatementRunner
    let streams: StandardStreams
    var runInitFile: Bool

    static func banner(_ snapshot: Snapshot) -> String {
        "crmq — \(snapshot.name): \(NumberText.grouped(snapshot.customers.count)) customers, "
            + "\(NumberText.grouped(snapshot.transactions.count)) transactions, as of \(CalendarDay.format(snapshot.info.asOf)). "
            + "Type help.\n"
    }

    private var prompt: String { (runner.session.currentName ?? "crmq") + "> " }

    private var continuation: String { String(repeating: " ", count: max(0, prompt.count - 5)) + "...> " }

    private var home: String? { getenv("HOME").map { String(cString: $0) } }

    func run() {
        crmq_install_interrupt_handler()
        let progress = ProgressLine()
        if Terminal.stderrIsTerminal {
            runner.session.progress = { what, fraction in progress.report(what, fraction) }
            streams.progress = progress
        }
        if runner.session.current == nil { streams.output("crmq — no snapshot loaded: load \"examples/acme\". Type help.\n") }
        if runInitFile, let home, let text = try? String(contentsOfFile: home + "/.crmqrc", encoding: .utf8) {
            runner.run(text, fileName: "~/.crmqrc")
        }
        runner.pager = { text in Pager.show(text) { streams.output($0) } }
        let editor = LineEditor(session: runner.session, historyPath: home.map { $0 + "/.crmq_history" })
        var pending = ""
        while true {
            LineEditor.pending = pending
            switch editor.read(prompt: pending.isEmpty ? prompt : continuation) {
            case .end:
                if pending.isEmpty {
                    streams.output("\n")
                    return
                }
                pending = ""  // Ctrl-D inside a statement drops it, as psql does
                streams.output("\n")
            case .interrupted:
                pending = ""
                streams.output("^C\n")
            case .line(let line):
                pending += line + "\n"
                if Lexer.isOpen(pending) { continue }
                let statement = pending
                pending = ""
                editor.remember(statement, indent: prompt.count)
                runner.layout.width = Terminal.width
                runner.forgetEarlierOutput()
                progress.begin()
                let outcome = runner.run(statement)
                progress.end()
                _ = crmq_take_interrupt()  // a statement that saw it has said so
                if outcome == .quit { return }
            }
        }
    }
}
