import Foundation
import Testing
@testable import CRMQ

/// The command line of PRODUCT.md §7, run as a script user runs it: the real binary.
@Suite struct CommandLineTests {
    static let binary = repositoryRoot + "/.build/debug/crmq"

    struct Run {
        var status: Int32
        var out: String
        var err: String
    }

    func crmq(_ arguments: [String], stdin: String? = nil, in directory: String = repositoryRoot) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, out: String(decoding: out, as: UTF8.self), err: String(decoding: err, as: UTF8.self))
    }

    @Test func statements_run_in_the_order_given_and_exit_0() throws {
        let script = NSTemporaryDirectory() + "crmq-cli-\(UUID().uuidString).crmq"
        try "count where orders > 20".write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let r = try crmq(["examples/acme", "--format", "csv", "-c", "count", "-f", script, "-c", "count where orders = 0"])
        #expect(r.status == 0)
        // 8 customers have more than 20 transaction rows, 1 (the prospect Zephyr) has none.
        #expect(r.out == "customers\n61\n\ncustomers\n8\n\ncustomers\n1\n")
        #expect(r.err.isEmpty)
    }

    @Test func a_failed_statement_stops_the_script_with_exit_1_and_the_error_on_stderr() throws {
        let r = try crmq(["examples/acme", "-c", "count", "-c", "count where revnue > 1", "-c", "count"])
        #expect(r.status == 1)
        #expect(r.out.components(separatedBy: "customers").count == 2)  // only the first count ran
        #expect(r.err.contains("error: unknown field `revnue`"))
        #expect(r.err.contains("did you mean `revenue`?"))
    }

    /// pareto answers with two tables of different columns: in CSV a blank line parts them.
    @Test func csv_parts_a_statements_tables_with_a_blank_line() throws {
        let r = try crmq(["examples/acme", "--format", "csv", "-c", "pareto"])
        #expect(r.status == 0)
        let tables = r.out.components(separatedBy: "\n\n")
        #expect(tables.count == 2, "\(r.out)")
        #expect(tables[0].hasPrefix("top,customers,profit,share_of_total\n"))
        #expect(tables[1].hasPrefix("total,peak,peak_share_of_total,"))
    }

    /// A full disk under stdout is exit 1 with the reason, never a silent exit 0 with the
    /// answer cut (`crmq … > /dev/full`).
    @Test func a_failed_write_to_stdout_is_exit_1_with_a_message() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["examples/cdnow", "-c", "customers"]
        process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
        let errors = Pipe()
        guard let full = FileHandle(forWritingAtPath: "/dev/full") else { Issue.record("no /dev/full here"); return }
        process.standardOutput = full
        process.standardError = errors
        try process.run()
        let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(err.contains("cannot write the answers to stdout: No space left on device"), "\(err)")
    }

    @Test func bad_usage_exits_2() throws {
        #expect(try crmq(["--format", "xml", "-c", "count"]).status == 2)
        #expect(try crmq(["--as-of", "yesterday", "-c", "count"]).status == 2)
        #expect(try crmq(["--no-such-flag"]).status == 2)
    }

    @Test func piped_stdin_runs_as_a_script_without_prompt_or_banner() throws {
        let r = try crmq(["examples/acme", "--format", "json"], stdin: "count\ncount where region = 'Asia'\n")
        #expect(r.status == 0)
        // One JSON document per statement, its text as written.
        let documents = r.out.split(separator: "\n{\"statement\"").count
        #expect(documents == 2, "\(r.out)")
        #expect(r.out.hasPrefix("{\"statement\":\"count\",\"tables\":[\n"))
        #expect(r.out.contains("{\"statement\":\"count where region = 'Asia'\",\"tables\":[\n"))
        #expect(r.out.contains("\n{\"customers\":61}\n") && r.out.contains("\n{\"customers\":2}\n"))
    }

    @Test func errors_in_piped_stdin_name_the_line() throws {
        let r = try crmq(["examples/acme"], stdin: "count\ncount where\n")
        #expect(r.status == 1)
        #expect(r.err.hasPrefix("<stdin>:2:12: error: expected a value or a field"))
    }

    @Test func as_of_views_the_snapshot_earlier() throws {
        let r = try crmq(["examples/cdnow-sample", "--as-of", "1997-09-30", "--format", "csv", "-c", "count where frequency > 0"])
        #expect(r.out == "customers\n946\n")  // the published number of repeat buyers
    }

    @Test func a_snapshot_that_fails_to_load_exits_1_naming_the_problem() throws {
        let r = try crmq(["examples/nowhere", "-c", "count"])
        #expect(r.status == 1)
        #expect(r.err.contains("examples/nowhere: no such snapshot directory"))
    }

    @Test func table_output_off_a_terminal_has_no_colour_and_is_never_cut() throws {
        let r = try crmq(["examples/cdnow-sample", "-c", "customers show id"])
        #expect(!r.out.contains("\u{1B}["))
        #expect(r.out.split(separator: "\n").count == 2357 + 2)
    }

    @Test func the_same_script_prints_the_same_bytes_every_run() throws {
        let arguments = ["examples/acme", "-f", "examples/volume-is-not-value.crmq"]
        #expect(try crmq(arguments).out == crmq(arguments).out)
    }
}

/// A load that cannot fit under the process's address-space limit (`ulimit -v`) is refused
/// before it starts, with exit 1 and what it needs; Swift would otherwise stop the program
/// on the first allocation that fails.
@Suite struct MemoryLimitTests {
    /// The address space (VmSize) or data (VmData), in KiB, of crmq waiting for its first statement.
    static func startingSize(_ field: String = "VmSize:") throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 0.5)
        let status = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let line = status.split(separator: "\n").first { $0.hasPrefix(field) }!
        return Int(line.dropFirst(field.count).split(whereSeparator: \.isWhitespace)[0])!
    }

    static func underLimit(_ kib: Int, _ arguments: String, flag: String = "-v") throws -> (status: Int32, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "ulimit \(flag) \(kib); exec \(CommandLineTests.binary) \(arguments)"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: err, as: UTF8.self))
    }

    @Test func a_load_too_big_for_the_memory_limit_is_refused_and_a_fitting_one_is_not() throws {
        guard FileManager.default.fileExists(atPath: "/proc/self/statm") else { return }
        let f = Fixture([:])
        try SyntheticSnapshot(customers: 40_000, seed: 5).write(to: f.directory)
        let start = try Self.startingSize()
        // About 11 MB of files need about 2.4 × that and 96 MB of room: 60 MB more is too little.
        let tight = try Self.underLimit(start + 60 * 1024, "\(f.directory) -c count")
        #expect(tight.status == 1 && tight.err.contains("needs about") && tight.err.contains("ulimit -v"), "\(tight.status) \(tight.err.prefix(300))")
        let roomy = try Self.underLimit(start + 600 * 1024, "\(f.directory) -c count")
        #expect(roomy.status == 0, "\(roomy.err.prefix(300))")
    }

    /// A saved snapshot file reads its columns when first used, so the room for all of them is
    /// asked for when it is opened: no later read can run out.
    @Test func a_snapshot_file_too_big_for_the_memory_limit_is_refused_when_opened() throws {
        guard FileManager.default.fileExists(atPath: "/proc/self/status") else { return }
        let f = Fixture([:])
        try SyntheticSnapshot(customers: 40_000, seed: 5).write(to: f.directory)
        let file = f.directory + "/s.crmqdb"
        #expect(try Self.underLimit(1 << 30, "\(f.directory) -c 'save snapshot to \"\(file)\"'").status == 0)
        let start = try Self.startingSize()
        // About 6 MB of file need 1.25 × that and 96 MB of room: 60 MB more is too little.
        let tight = try Self.underLimit(start + 60 * 1024, "\(file) -c count")
        #expect(tight.status == 1 && tight.err.contains("s.crmqdb: needs about") && tight.err.contains("ulimit -v"), "\(tight.status) \(tight.err.prefix(300))")
        #expect(try Self.underLimit(start + 600 * 1024, "\(file) -c count").status == 0)
    }

    /// Work after the load — the models' fields and their intervals — is checked the same way:
    /// under any limit the statement answers or is refused with what it needs, never an abort
    /// (Swift's on a failed allocation, or libdispatch waiting forever for a thread it cannot
    /// make); and some limits let the load through and refuse the work.
    @Test func work_too_big_for_the_memory_limit_is_refused_never_an_abort() throws {
        guard FileManager.default.fileExists(atPath: "/proc/self/status") else { return }
        let f = Fixture([:])
        try SyntheticSnapshot(customers: 40_000, seed: 5).write(to: f.directory)
        let start = try Self.startingSize()
        var refusedWork = 0
        for extra in stride(from: 110, through: 210, by: 20) {
            let r = try Self.underLimit(start + extra * 1024, "\(f.directory) -c 'count where clv_low > 1'")
            #expect(r.status == 0 || (r.status == 1 && r.err.contains("needs about") && r.err.contains("ulimit -v")), "+\(extra) MB: \(r.status) \(r.err.prefix(300))")
            if r.err.contains("of every customer needs about") { refusedWork += 1 }
        }
        #expect(refusedWork > 0)
        let roomy = try Self.underLimit(start + 600 * 1024, "\(f.directory) -c 'count where clv_low > 1'")
        #expect(roomy.status == 0, "\(roomy.err.prefix(300))")
    }

    /// The data limit (`ulimit -d`) the same way: it counts the anonymous memory the columns live in.
    @Test func a_load_too_big_for_the_data_limit_is_refused_and_a_fitting_one_is_not() throws {
        guard FileManager.default.fileExists(atPath: "/proc/self/status") else { return }
        let f = Fixture([:])
        try SyntheticSnapshot(customers: 40_000, seed: 5).write(to: f.directory)
        let start = try Self.startingSize("VmData:")
        let tight = try Self.underLimit(start + 60 * 1024, "\(f.directory) -c count", flag: "-d")
        #expect(tight.status == 1 && tight.err.contains("needs about") && tight.err.contains("ulimit -d"), "\(tight.status) \(tight.err.prefix(300))")
        let roomy = try Self.underLimit(start + 600 * 1024, "\(f.directory) -c count", flag: "-d")
        #expect(roomy.status == 0, "\(roomy.err.prefix(300))")
    }
}
