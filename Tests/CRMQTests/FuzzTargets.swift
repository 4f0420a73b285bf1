import Foundation
#if !FUZZING
@testable import CRMQ
#endif

/// What the coverage-guided fuzzers (scripts/fuzz) feed arbitrary bytes to, one function a
/// target. The same functions replay every input a fuzzer ever crashed on
/// (Tests/fuzz/regressions/TARGET/), as ordinary tests, so that a crash found once stays fixed.
enum FuzzTargets {
    static let names = ["parser", "csv", "export", "snapshot-json", "statements", "snapshot-file"]

    static func run(_ target: String, _ bytes: [UInt8]) {
        switch target {
        case "parser": parser(bytes)
        case "csv": csv(bytes)
        case "export": export(bytes)
        case "snapshot-json": snapshotJSON(bytes)
        case "statements": statements(bytes)
        case "snapshot-file": snapshotFile(bytes)
        default: break
        }
    }

    /// Statements and errors, to the end: each printed statement parses again to itself.
    static func parser(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        var parser = Parser(text)
        for _ in 0...(bytes.count + 1) {
            do {
                guard let statement = try parser.next() else { return }
                var again = Parser(statement.text)
                let reparsed = try? again.next()
                if let reparsed, reparsed.text != statement.text { fatalError("\(statement.text) printed back as \(reparsed.text)") }
            } catch {
                _ = DiagnosticRenderer(source: text).render(error)
            }
        }
        fatalError("the parser did not reach the end of \(bytes.count) bytes")
    }

    /// The bytes as customers.csv beside a fixed transactions.csv: a snapshot or a DataError.
    static func csv(_ bytes: [UInt8]) {
        load(["customers.csv": bytes, "transactions.csv": Array("customer_id,date,amount\n".utf8)])
        load(["customers.csv": Array("id\nA\nB\n".utf8), "transactions.csv": bytes])
    }

    /// The bytes as one export file: sniffed, its columns recognised, loaded or refused.
    static func export(_ bytes: [UInt8]) {
        let path = NSTemporaryDirectory() + "crmq-fuzz-export-\(getpid()).csv"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { unlink(path) }
        let session = Session()
        session.interrupted = { false }
        if (try? session.load(directory: path)) != nil {
            StatementRunner(session: session, sink: FuzzCapture(), stopOnError: false).run("customers; describe; fit")
        }
    }

    /// The bytes as snapshot.json beside two small CSV files.
    static func snapshotJSON(_ bytes: [UInt8]) {
        load(["snapshot.json": bytes, "customers.csv": Array("id\nA\n".utf8), "transactions.csv": Array("customer_id,date,amount\nA,2024-01-01,5\n".utf8)])
    }

    /// The bytes as crmq's own snapshot file, and again with every checksum made right (so
    /// that what lies past them — bounds, counts, codes, runs — is reached): reopened and
    /// every table read, or refused.
    static func snapshotFile(_ bytes: [UInt8]) {
        open(bytes)
        if let fixed = withChecksumsMadeRight(bytes) { open(fixed) }
    }

    private static func open(_ bytes: [UInt8]) {
        let path = NSTemporaryDirectory() + "crmq-fuzz-\(getpid()).crmqdb"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { unlink(path) }
        let session = Session()
        session.interrupted = { false }
        guard (try? session.load(directory: path)) != nil else { return }
        StatementRunner(session: session, sink: FuzzCapture(), stopOnError: false).run(
            "customers show *; describe; describe transactions; describe activities; describe activity_rates; describe payments; "
                + "describe interactions; credit; portfolio; assets; scorecard; valuestar; valuemap; compare \(session.current!.name) \(session.current!.name)")
    }

    /// The file with its sections', directory's and header's checksums computed anew; nil
    /// when there is no directory to read.
    private static func withChecksumsMadeRight(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= SnapshotFileFormat.headerSize else { return nil }
        let (offset, length) = bytes.withUnsafeBytes { (Int(clamping: $0.loadUnaligned(fromByteOffset: 16, as: UInt64.self)), Int(clamping: $0.loadUnaligned(fromByteOffset: 24, as: UInt64.self))) }
        guard offset >= SnapshotFileFormat.headerSize, length >= 0, offset <= bytes.count - length,
              var directory = try? JSONDecoder().decode(SnapshotFileDirectory.self, from: Data(bytes[offset..<(offset + length)])) else { return nil }
        for k in directory.sections.indices {
            let s = directory.sections[k]
            guard s.offset >= 0, s.length >= 0, s.offset <= offset - s.length else { continue }
            directory.sections[k].checksum = Array(bytes[s.offset..<(s.offset + s.length)]).withUnsafeBytes { SectionChecksum.of($0) }
        }
        guard let json = try? JSONEncoder().encode(directory) else { return nil }
        var out = Array(bytes[0..<offset]) + Array(json)
        func put(_ value: UInt64, at: Int) { withUnsafeBytes(of: value.littleEndian) { for (i, b) in $0.enumerated() { out[at + i] = b } } }
        put(UInt64(json.count), at: 24)
        put(Checksum.of(Array(json)), at: 32)
        put(UInt64(out.count), at: 40)
        put(Checksum.of(Array(out[0..<48])), at: 48)
        return out
    }

    private static func load(_ files: [String: [UInt8]]) {
        let directory = NSTemporaryDirectory() + "crmq-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in SnapshotLoader.fileNames { unlink(directory + "/" + name) }
        for (name, bytes) in files { _ = FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(bytes)) }
        let session = Session()
        session.interrupted = { false }
        if let snapshot = try? session.load(directory: directory) {
            let capture = FuzzCapture()
            StatementRunner(session: session, sink: capture, stopOnError: false).run("customers; segment by region; describe")
            _ = snapshot
        }
    }

    /// The bytes as a script against the small acme snapshot, table mode and JSON; statements
    /// that touch files (load, save, plot, .read) are left out, so a fuzzer writes nowhere.
    static func statements(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let lowered = text.lowercased()
        guard !["load", "save", "plot", ".read", ".last"].contains(where: lowered.contains) else { return }
        for mode in [OutputMode.table, .json] {
            let capture = FuzzCapture()
            StatementRunner(session: acme, sink: capture, mode: mode, layout: TableLayout(width: 80), stopOnError: false).run(text)
            if mode == .json, capture.out.range(of: #"[:,\[]-?(nan|inf)\b"#, options: .regularExpression) != nil {
                fatalError("a NaN or an infinity printed as a JSON value: \(text)")
            }
        }
    }

    /// acme, loaded once for the statements target.
    nonisolated(unsafe) static let acme: Session = {
        let session = Session()
        session.interrupted = { false }
        #if FUZZING
        let root = ProcessInfo.processInfo.environment["CRMQ_ROOT"] ?? FileManager.default.currentDirectoryPath
        #else
        let root = repositoryRoot
        #endif
        _ = try? session.load(directory: root + "/examples/acme")
        return session
    }()
}

/// Collects what a fuzzed run prints.
final class FuzzCapture: OutputSink {
    var out = ""
    func output(_ text: String) { out += text }
    func errors(_ text: String) { out += text }
}

#if FUZZING
/// libFuzzer's entry: the target named by CRMQ_FUZZ_TARGET.
nonisolated(unsafe) private let fuzzTarget = ProcessInfo.processInfo.environment["CRMQ_FUZZ_TARGET"] ?? "parser"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTargets.run(fuzzTarget, data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
#endif
