import ArgumentParser
import CRMQ

#if canImport(Glibc)
import Glibc
#endif

/// `crmq [SNAPSHOT_DIR] [-c STATEMENT]… [-f SCRIPT]… [--format …] [--as-of DATE]`
/// (PRODUCT.md §7): scripts with -c, -f or a piped stdin, the interactive shell otherwise.
struct CRMQCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crmq",
        abstract: "A query shell for customer value.",
        discussion: """
            With -c or -f, or when stdin is not a terminal, crmq runs the statements in order, prints no prompt,
            and exits 1 after the first failed statement, 0 when all succeed, 2 for bad usage.
            Otherwise it starts the interactive shell. Type `help` there.
            """)

    @Argument(help: "A snapshot to load first: a folder (customers.csv, transactions.csv, …) or one file of transactions as exported.")
    var snapshot: String?

    @Option(name: .customShort("c"), help: "Run a statement (repeatable).")
    var statements: [String] = []

    @Option(name: .customShort("f"), help: "Run a script file (repeatable).")
    var scripts: [String] = []

    @Option(help: "Output format.")
    var format: OutputMode = .table

    @Option(name: .customLong("as-of"), help: "View the snapshot as of this date (YYYY-MM-DD).")
    var asOf: String?

    @Flag(name: .customLong("no-init"), help: "Do not run ~/.crmqrc at start.")
    var noInit = false

    func validate() throws {
        if let asOf, CalendarDay.parse(asOf) == nil {
            throw ValidationError("--as-of needs a date as YYYY-MM-DD, not \(asOf)")
        }
    }

    /// The -c and -f arguments in the order they were given.
    func inputs(_ arguments: [String]) -> [ScriptInput] {
        var inputs: [ScriptInput] = []
        var c = statements.makeIterator()
        var f = scripts.makeIterator()
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "-c" || a.hasPrefix("-c") && a.count > 2 && !a.hasPrefix("--") { if let s = c.next() { inputs.append(.statement(s)) } }
            if a == "-f" || a.hasPrefix("-f") && a.count > 2 && !a.hasPrefix("--") { if let s = f.next() { inputs.append(.file(s)) } }
            i += 1
        }
        // Anything the scan missed (an unusual spelling) still runs, after the rest.
        while let s = c.next() { inputs.append(.statement(s)) }
        while let s = f.next() { inputs.append(.file(s)) }
        return inputs
    }
}

/// `--format table|csv|json|markdown`: the accepted values, the help and the completion come from the enum.
extension OutputMode: ExpressibleByArgument {}

enum ScriptInput {
    case statement(String)
    case file(String)
}
