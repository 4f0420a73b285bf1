import Foundation
import Testing
@testable import CRMQ

/// The class scripts in examples/ and the lessons in examples/lessons/ run as a user runs them, and print exactly what their
/// golden files beside them hold. After a deliberate change of output, regenerate with
/// `CRMQ_UPDATE_GOLDEN=1 swift test --filter GoldenScriptTests` and read the diff.
@Suite struct GoldenScriptTests {
    static let scripts: [String] = {
        func scripts(in folder: String) -> [String] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/examples/" + folder)) ?? []
            return names.filter { $0.hasSuffix(".crmq") }.sorted().map { folder + $0 }
        }
        return scripts(in: "") + scripts(in: "lessons/")
    }()

    init() {
        // The scripts load "examples/…", as they do when run from the repository's root.
        _ = FileManager.default.changeCurrentDirectoryPath(repositoryRoot)
    }

    func check(_ script: String, mode: OutputMode, golden: String) throws {
        let path = "examples/" + script
        let source = try String(contentsOfFile: path, encoding: .utf8)
        let capture = Capture()
        let runner = StatementRunner(session: Session(), sink: capture, mode: mode, stopOnError: true)
        let outcome = runner.run(source, fileName: path)
        #expect(outcome == .completed, "\(script) failed: \(capture.err)")
        let goldenPath = "examples/" + golden
        if ProcessInfo.processInfo.environment["CRMQ_UPDATE_GOLDEN"] == "1" {
            try capture.out.write(toFile: goldenPath, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: goldenPath, encoding: .utf8)
        if capture.out != expected {
            let ours = capture.out.split(separator: "\n", omittingEmptySubsequences: false)
            let theirs = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(ours.count, theirs.count)
            Issue.record("""
                \(script) in \(mode) mode differs from \(golden) at line \(first + 1):
                  got:      \(first < ours.count ? String(ours[first]) : "(end)")
                  expected: \(first < theirs.count ? String(theirs[first]) : "(end)")
                """)
        }
    }

    @Test(arguments: scripts)
    func each_example_script_prints_its_golden_table_output(_ script: String) throws {
        try check(script, mode: .table, golden: script.replacingOccurrences(of: ".crmq", with: ".out"))
    }

    @Test(arguments: [(OutputMode.csv, "csv"), (.json, "json"), (.markdown, "md")])
    func the_first_look_prints_its_golden_output_in_every_format(_ mode: OutputMode, _ suffix: String) throws {
        try check("first-look.crmq", mode: mode, golden: "first-look.out.\(suffix)")
    }

    @Test func the_same_script_prints_the_same_bytes_every_run() throws {
        let source = try String(contentsOfFile: "examples/volume-is-not-value.crmq", encoding: .utf8)
        let outputs = (0..<2).map { _ in
            let capture = Capture()
            StatementRunner(session: Session(), sink: capture, mode: .json, stopOnError: true).run(source)
            return capture.out
        }
        #expect(outputs[0] == outputs[1])
    }
}
