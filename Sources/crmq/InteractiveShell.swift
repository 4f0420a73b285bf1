import CRMQ
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The prompt: reads statements line by line (a statement left open continues on the next
/// line) and runs each; no error ends the session.
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

    func run() {
        if runner.session.current == nil { streams.output("crmq — no snapshot loaded: load \"examples/acme\". Type help.\n") }
        if runInitFile, let home = getenv("HOME"), let text = try? String(contentsOfFile: String(cString: home) + "/.crmqrc", encoding: .utf8) {
            runner.run(text, fileName: "~/.crmqrc")
        }
        var pending = ""
        while true {
            streams.output(pending.isEmpty ? prompt : String(repeating: " ", count: max(0, prompt.count - 4)) + "...> ")
            guard let line = readLine(strippingNewline: false) else {
                streams.output("\n")
                return
            }
            pending += line
            if Lexer.isOpen(pending) { continue }
            let text = pending
            pending = ""
            if runner.run(text) == .quit { return }
        }
    }
}
