import CSQLite
import Foundation

/// A SQLite file, opened read-only: `load sqlite "crm.db" tables (…)`. SQLite runs in this
/// process, so there is no transfer to overlap: its rows come as one block.
final class SQLiteDatabase: SQLDatabase, @unchecked Sendable {
    private var db: OpaquePointer?
    let label: String

    init(path: String) throws(DataError) {
        label = "sqlite \(path)"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw DataError(file: label, message: "no such database file")
        }
        // No lock around every call (SQLite's default): one thread at a time uses the
        // connection, and the locks were a tenth of a 7.7M-row load's time.
        let status = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open it"
            sqlite3_close(db)
            throw DataError(file: label, message: message)
        }
    }

    deinit { sqlite3_close(db) }

    func columns(of query: String) throws(DataError) -> [String] {
        let statement = try prepare(query)
        defer { sqlite3_finalize(statement) }
        return (0..<sqlite3_column_count(statement)).map { String(cString: sqlite3_column_name(statement, $0)) }
    }

    /// Every row, each value as its text: integers as SQLite prints them, reals as the
    /// shortest text of the same double, text as it is, a null as an empty field. A blob is
    /// an error: no field of crmq's is one.
    func csv(_ query: String) throws(DataError) -> [UInt8] {
        var bytes: [UInt8] = []
        try rows(query, blockBytes: .max) { block in
            bytes = block
            return true
        }
        return bytes
    }

    /// Rows of a file in this process: the file's size stands for them.
    func estimate(of query: String) -> (rows: Int, bytes: Int)? { nil }

    /// The rows in blocks of about 8 MiB, each parsed while SQLite steps through the next:
    /// on two cores a 7.7M-row table loads in about the time SQLite takes to give its rows,
    /// not that and the parse after it; and the reader's stop (Ctrl-C) stops the stepping.
    /// A block is copied into one of a few that go round (a row longer than them gets its
    /// own), so that the blocks cost no fresh memory after the first few.
    func stream(_ query: String) -> BlockStream {
        BlockStream { [self] deliver throws(DataError) in
            // A block ends after the row that took it past `blockBytes`: room for a row more.
            let pool = BlockPool(size: BlockStream.blockBytes + (1 << 20))
            try rows(query, blockBytes: BlockStream.blockBytes) { bytes in
                let block = pool.take(atLeast: bytes.count)
                bytes.withUnsafeBytes { block.start.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
                return deliver(pool.handOver(block.start, capacity: block.capacity, count: bytes.count))
            }
        }
    }

    /// Runs the query and writes its rows as CSV with a header, handed to `take` in blocks of
    /// whole rows once a block has `blockBytes`, and the rest at the end; stops early when
    /// `take` wants no more. What `take` is handed is written over after it returns.
    private func rows(_ query: String, blockBytes: Int, _ take: ([UInt8]) -> Bool) throws(DataError) {
        let statement = try prepare(query)
        defer { sqlite3_finalize(statement) }
        let width = sqlite3_column_count(statement)
        var out = CSVBuffer()
        for k in 0..<width { out.field(String(cString: sqlite3_column_name(statement, k))) }
        out.endRow()
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw error("reading the rows") }
            for k in 0..<width {
                switch sqlite3_column_type(statement, k) {
                case SQLITE_NULL:
                    out.null()
                case SQLITE_FLOAT:
                    // Written as Swift writes a double, the shortest text that reads back as
                    // the same double; SQLite's own text rounds to 15 digits, through a
                    // printf that took a third of the load.
                    var text = sqlite3_column_double(statement, k).description
                    text.withUTF8 { out.field($0) }
                case SQLITE_BLOB:
                    throw DataError(
                        file: label, line: out.rows + 1, columnName: String(cString: sqlite3_column_name(statement, k)),
                        message: "a blob, where crmq reads a number, a date or a text")
                default:
                    let text = sqlite3_column_text(statement, k)
                    let count = Int(sqlite3_column_bytes(statement, k))
                    out.field(UnsafeBufferPointer(start: text, count: text == nil ? 0 : count))
                }
            }
            out.endRow()
            if out.bytes.count >= blockBytes {
                guard take(out.bytes) else { return }
                out.clear()
            }
        }
        if !out.bytes.isEmpty { _ = take(out.bytes) }
    }

    private func prepare(_ query: String) throws(DataError) -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, query, -1, &statement, nil) == SQLITE_OK else {
            sqlite3_finalize(statement)
            throw error("in \(query)")
        }
        return statement
    }

    private func error(_ doing: String) -> DataError {
        DataError(file: label, message: "\(String(cString: sqlite3_errmsg(db))) (\(doing))")
    }
}
