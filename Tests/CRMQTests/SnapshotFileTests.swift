import Foundation
import Testing
@testable import CRMQ

/// crmq's own snapshot file: saved whole, reopened equal, and any damage to it an error
/// naming it — never a crash or a wrong answer.
@Suite struct SnapshotFileTests {
    /// Every column of every table, as plain values, so that two snapshots compare whole.
    static func contents(_ s: Snapshot) -> [String] {
        var out = ["\(s.name) \(s.directory) \(s.info) \(s.setAside.sorted { $0.key < $1.key })"]
        out += s.sources.map { "\($0.table) \($0.file) \($0.dialect) \($0.mapping) \($0.rows) \(String(describing: $0.condition)) \($0.filtered) \(String(describing: $0.timeUnit)) \($0.isDatabase)" }
        for field in s.customers.fields { out.append("\(field) \(describe(s.customers.column(field.name)!))") }
        let t = s.transactions
        out.append("\(t.customer) \(t.day) \(bits(t.amount)) \(bits(t.margin)) \(t.fileMargin.map(bits) ?? []) \(String(describing: t.marginRate))")
        out.append("\(t.quantity.map(bits) ?? []) \(String(describing: t.product)) \(t.start) \(t.later.customer) \(t.later.day)")
        if let a = s.activities { out.append("\(a.customer) \(a.day) \(a.activity) \(bits(a.quantity)) \(bits(a.unitCost))") }
        if let p = s.payments { out.append("\(p.customer) \(p.due) \(p.paid) \(bits(p.amount))") }
        if let i = s.interactions { out.append("\(i.customer) \(i.day) \(i.channel) \(i.kind) \(i.note)") }
        if let v = s.valueStar { out.append("\(v.segment) \(v.dimension) \(bits(v.importance)) \(bits(v.score)) \(bits(v.competitorScore))") }
        out.append("ids found: \((0..<s.customers.count).allSatisfy { s.customers.ids[$0].map(s.row(ofId:)) == $0 })")
        return out
    }

    /// Doubles by their bits: NaN equals NaN, and -0 is not 0.
    static func bits(_ v: [Double]) -> [UInt64] { v.map(\.bitPattern) }

    static func describe(_ column: ColumnData) -> String {
        switch column {
        case .number(let v): "\(bits(v))"
        case .date(let v): "\(v)"
        case .bool(let v): "\(v)"
        case .text(let t): "\(t.codes) \(t.values)"
        }
    }

    static func saved(_ statements: String, to path: String) throws -> Snapshot {
        let session = Session()
        let result = run(statements + "\nsave snapshot to \"\(path)\"", session: session)
        #expect(result.outcome == .completed && result.out.contains("saved "), "\(result.out)\(result.err)")
        return try #require(session.current)
    }

    @Test func a_saved_snapshot_reopens_equal_in_every_column_of_every_table() throws {
        let f = Fixture([:])
        for (statements, file) in [
            ("load \"\(repositoryRoot)/examples/acme\" as of 2024-06-30", "acme.crmqdb"),  // every table, rows set aside
            ("load \"\(repositoryRoot)/examples/apparel/apparel_trans.csv\"", "apparel.crmqdb"),  // an export: sources, no margins
            ("load \"\(repositoryRoot)/examples/cdnow-sample\"\nset margin_rate = 30%", "cdnow.crmqdb"),  // margins at a rate
        ] {
            let path = f.directory + "/" + file
            let original = try Self.saved(statements, to: path)
            let reopened = try SnapshotFileReader(path: path, name: original.name).load()
            #expect(Self.contents(reopened) == Self.contents(original), "\(file)")
            #expect(reopened.transactionFacts.count == original.transactions.count)
            #expect(reopened.marginKnown == original.marginKnown)
        }
        // Answers, too: from the file as from the folder.
        let path = f.directory + "/acme.crmqdb"
        for statement in ["portfolio", "credit", "plan retention for ACME", "validate", "describe"] {
            let folder = run("load \"\(repositoryRoot)/examples/acme\" as of 2024-06-30\n\(statement)", mode: .csv).out
            let file = run("load \"\(path)\" as acme\n\(statement)", mode: .csv).out
            #expect(folder.split(separator: "\n").dropFirst(2) == file.split(separator: "\n").dropFirst(2), "\(statement)")
        }
    }

    @Test func a_snapshot_file_opens_by_its_name_or_its_first_bytes_and_keeps_its_day() throws {
        let f = Fixture([:])
        _ = try Self.saved("load \"\(repositoryRoot)/examples/acme\"", to: f.directory + "/q4.crmqdb")
        let loaded = run("load \"\(f.directory)/q4.crmqdb\"")
        #expect(loaded.out.contains("loaded q4: 61 customers, 742 transactions, as of 2024-12-31"), "\(loaded.out)\(loaded.err)")
        // Under another name it is still one, by its first bytes.
        try FileManager.default.copyItem(atPath: f.directory + "/q4.crmqdb", toPath: f.directory + "/q4.bin")
        #expect(run("load \"\(f.directory)/q4.bin\"").out.contains("loaded q4_bin: 61 customers"))
        for (statement, message) in [
            ("load \"\(f.directory)/q4.crmqdb\" as of 2024-06-30", "is a snapshot as of 2024-12-31; as of 2024-06-30 needs the snapshot it was saved from"),
            ("load \"\(f.directory)/q4.crmqdb\" where revenue > 3", "where on a load filters an export's rows"),
            ("load \"\(f.directory)/none.crmqdb\"", "none.crmqdb: cannot open: No such file"),
        ] {
            let result = run(statement)
            #expect(result.outcome == .failed && result.err.contains(message), "\(statement)\n\(result.err)")
        }
    }

    @Test func the_command_line_opens_a_snapshot_file() throws {
        let f = Fixture([:])
        _ = try Self.saved("load \"\(repositoryRoot)/examples/acme\"", to: f.directory + "/q4.crmqdb")
        let r = try CommandLineTests().crmq([f.directory + "/q4.crmqdb", "--format", "csv", "-c", "count where orders > 20"])
        // As from the folder: 8 customers have more than 20 transaction rows.
        #expect(r.status == 0 && r.out == "customers\n8\n", "\(r.out)\(r.err)")
    }

    /// Flipping any one byte of the file, or cutting it anywhere, is an error that names it —
    /// when the file is opened or when the column is first read — or, where the byte is padding
    /// between sections, changes nothing; never a crash or another answer.
    @Test func a_damaged_or_cut_file_is_an_error_never_a_wrong_answer() throws {
        let f = Fixture([:])
        let path = f.directory + "/acme.crmqdb"
        let original = try Self.saved("load \"\(repositoryRoot)/examples/acme\"", to: path)
        let expected = Self.contents(try SnapshotFileReader(path: path, name: original.name).load())
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        func attempt(_ changed: [UInt8]) -> (loaded: Bool, error: String?) {
            f.writeBytes("damaged.crmqdb", changed)
            do {
                // Refused when opened, or found when a column is read (here: every column).
                let s = try SnapshotFileReader(path: f.directory + "/damaged.crmqdb", name: original.name).load()
                for field in s.customers.fields { _ = s.customers.column(field.name) }
                _ = (s.transactions, s.activities, s.payments, s.interactions, s.valueStar, s.index)
                if let damage = s.damage { throw damage }
                return (Self.contents(s) == expected, nil)
            } catch {
                return (false, "\(error)")
            }
        }
        var refused = 0, unchanged = 0
        for at in stride(from: 0, to: bytes.count, by: 37) {
            var changed = bytes
            changed[at] ^= 0x10
            let outcome = attempt(changed)
            if let error = outcome.error {
                #expect(error.contains("damaged.crmqdb") && (error.contains("is not a whole crmq snapshot file") || error.contains("is not a crmq snapshot file")
                    || error.contains("newer crmq")), "byte \(at): \(error)")
                refused += 1
            } else {
                #expect(outcome.loaded, "byte \(at) flipped gave another snapshot")
                unchanged += 1
            }
        }
        #expect(refused > 0 && refused > unchanged * 10, "\(refused) refused, \(unchanged) in padding")
        // Cut at every section's start and end, and in the header and the directory.
        let directory = try JSONDecoder().decode(SnapshotFileDirectory.self, from: Data(bytes[Int(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 16, as: UInt64.self) })...]))
        let cuts = [0, 7, 8, 63, 64] + directory.sections.flatMap { [$0.offset, $0.offset + $0.length / 2, $0.offset + $0.length] } + [bytes.count - 1]
        for cut in Set(cuts) where cut < bytes.count {
            let outcome = attempt(Array(bytes[0..<cut]))
            #expect(outcome.error?.contains("damaged.crmqdb") == true, "cut at \(cut): \(String(describing: outcome.error))")
        }
        // A file from a newer crmq says so.
        var newer = bytes
        newer[8] = 2
        let header = Checksum.of(Array(newer[0..<48]))
        withUnsafeBytes(of: header.littleEndian) { for (k, b) in $0.enumerated() { newer[48 + k] = b } }
        #expect(attempt(newer).error?.contains("was written by a newer crmq (file version 2; this crmq reads up to 1)") == true)
    }

    /// A reopen reads only the columns a statement needs, so damage elsewhere is found when a
    /// statement first reads it: that statement's answer is withheld, the snapshot closed, and
    /// no copy of it saved.
    @Test func damage_found_by_a_statement_withholds_its_answer_and_closes_the_snapshot() throws {
        let f = Fixture([:])
        let path = f.directory + "/acme.crmqdb"
        _ = try Self.saved("load \"\(repositoryRoot)/examples/acme\"", to: path)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let directoryAt = Int(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 16, as: UInt64.self) })
        let directory = try JSONDecoder().decode(SnapshotFileDirectory.self, from: Data(bytes[directoryAt...]))
        let revenue = try #require(directory.sections.first { $0.name == "customers/revenue" })
        bytes[revenue.offset + 3] ^= 0x01  // customer 1's revenue a little other than it was
        f.writeBytes("damaged.crmqdb", bytes)
        let damaged = f.directory + "/damaged.crmqdb"
        let r = Capture()
        _ = StatementRunner(session: Session(), sink: r, stopOnError: false).run("""
            load "\(damaged)" as q4
            count where orders > 20
            count where revenue > 1000
            count
            load "\(damaged)" as q4
            save snapshot to "\(f.directory)/copy.crmqdb"
            """)
        // The load and a question on other columns answer: 8 customers have more than 20 rows, as from the folder.
        #expect(r.out.contains("loaded q4: 61 customers") && r.out.contains("8"), "\(r.out)")
        let closed = "damaged.crmqdb: is not a whole crmq snapshot file (section customers/revenue's checksum does not match)"
            + ": the answer is withheld and q4 is closed"
        #expect(r.err.contains(closed + " (line 3)") && r.err.contains("no snapshot is loaded (line 4)"), "\(r.err)")
        // Saving reads every column: the copy is refused before it is put in place.
        #expect(r.err.contains(closed + " (line 6)"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: f.directory + "/copy.crmqdb"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.directory).allSatisfy { !$0.contains(".tmp-") })
    }

    @Test func saving_replaces_only_a_snapshot_file_and_never_half_writes() throws {
        let f = Fixture(["notes.txt": "keep me\n"])
        let session = Session()
        _ = run("load \"\(repositoryRoot)/examples/acme\"", session: session)
        let target = f.directory + "/q4.crmqdb"
        #expect(run("save snapshot to \"\(target)\"", session: session).outcome == .completed)
        #expect(run("save snapshot acme to \"\(target)\"", session: session).out.contains("saved acme to"))  // replaces its own kind
        for (path, message) in [
            (f.directory + "/notes.txt", "exists and is not a crmq snapshot file"),
            ("\(repositoryRoot)/examples/acme/transactions.csv", "is a file of the loaded snapshot acme"),
            (f.directory, "is a directory"),
            (f.directory + "/missing/q4.crmqdb", "cannot save the snapshot"),
        ] {
            let result = run("save snapshot to \"\(path)\"", session: session)
            #expect(result.outcome == .failed && result.err.contains(message), "\(path)\n\(result.err)")
        }
        #expect(try String(contentsOfFile: f.directory + "/notes.txt", encoding: .utf8) == "keep me\n")
        #expect(run("save snapshot nosuch to \"\(target)\"", session: session).err.contains("no snapshot is loaded as nosuch"))
        // Only the snapshot file is left: no temporary file beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.directory).sorted() == ["notes.txt", "q4.crmqdb"])
    }
}
