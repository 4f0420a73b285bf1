import Foundation
import Testing
@testable import CRMQ

/// A snapshot directory written for one test, removed when the fixture is.
final class Fixture: Sendable {
    let directory: String

    init(_ files: [String: String]) {
        directory = NSTemporaryDirectory() + "crmq-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, text) in files { write(name, text) }
    }

    func write(_ name: String, _ text: String) {
        try! text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
    }

    func writeBytes(_ name: String, _ bytes: [UInt8]) {
        _ = FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(bytes))
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func load(asOf: String? = nil) throws -> Snapshot {
        try SnapshotLoader(directory: directory, name: "test", asOf: asOf.flatMap { CalendarDay.parse($0) }).load()
    }

    func loadError(asOf: String? = nil) -> DataError? {
        do {
            _ = try load(asOf: asOf)
            return nil
        } catch let error as DataError {
            return error
        } catch {
            return nil
        }
    }
}

/// The repository's root, for tests that read examples/.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

extension Snapshot {
    func number(_ field: String, _ id: String) -> Double {
        guard case .number(let v) = customers.column(field), let row = row(ofId: id) else { return .nan }
        return v[row]
    }

    func date(_ field: String, _ id: String) -> String? {
        guard case .date(let v) = customers.column(field), let row = row(ofId: id), v[row] != CalendarDay.null else { return nil }
        return CalendarDay.format(v[row])
    }
}

/// Runs statements in a session and collects what they print.
final class Capture: OutputSink {
    var out = ""
    var err = ""
    func output(_ text: String) { out += text }
    func errors(_ text: String) { err += text }
}

func run(_ source: String, session: Session = Session(), mode: OutputMode = .table) -> (out: String, err: String, outcome: StatementRunner.Outcome) {
    let capture = Capture()
    let runner = StatementRunner(session: session, sink: capture, mode: mode, stopOnError: true)
    let outcome = runner.run(source)
    return (capture.out, capture.err, outcome)
}

/// The rows of the first table of a statement's JSON document, as the array they are
/// printed as (`[`, a row a line, `]`): what most tests compare.
func firstRows(_ document: String) -> String {
    guard let start = document.range(of: "\"rows\":[")?.upperBound,
          let end = document.range(of: "],\"notes\":", range: start..<document.endIndex)?.lowerBound
    else { return document }
    return "[" + document[start..<end] + "]\n"
}

/// Each statement's JSON document in what a run printed, parsed.
func documents(_ out: String) throws -> [[String: Any]] {
    var texts: [String] = []
    for line in out.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("{\"statement\":") { texts.append("") }
        if !texts.isEmpty { texts[texts.count - 1] += line + "\n" }
    }
    return try texts.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
}

/// The rows of the first table any statement printed, parsed.
func firstTableRows(_ out: String) throws -> [[String: Any]] {
    for document in try documents(out) {
        if let table = (document["tables"] as? [[String: Any]])?.first { return table["rows"] as! [[String: Any]] }
    }
    return []
}

/// The analytic gradient `f` gives at `p` against central differences, each parameter moved
/// by ±`step` of itself: every derivative within `tolerance` of the numeric one (relative,
/// absolute below 1). `names` label the parameters in a failure.
func expectGradientMatchesCentralDifferences(
    _ f: ([Double]) -> (value: Double, gradient: [Double]), at p: [Double], step: Double = 1e-6, tolerance: Double,
    names: [String], _ context: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    let gradient = f(p).gradient
    for k in p.indices {
        var up = p, down = p
        up[k] *= 1 + step
        down[k] *= 1 - step
        let numeric = (f(up).value - f(down).value) / (up[k] - down[k])
        #expect(abs(gradient[k] - numeric) < tolerance * max(1, abs(numeric)),
                "\(context) ∂/∂\(names[k]) at \(p): \(gradient[k]) against \(numeric)", sourceLocation: sourceLocation)
    }
}
