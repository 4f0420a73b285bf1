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
        let status = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil)
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

    /// Every row, each value as its text: integers and reals as SQLite prints them, text as
    /// it is, a null as an empty field. A blob is an error: no field of crmq's is one.
    func csv(_ query: String) throws(DataError) -> [UInt8] {
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
        }
        return out.bytes
    }

    /// Rows of a file in this process: the file's size stands for them.
    func estimate(of query: String) -> (rows: Int, bytes: Int)? { nil }

    func stream(_ query: String) -> BlockStream {
        BlockStream { [self] deliver throws(DataError) in _ = deliver(FileBytes(try csv(query))) }
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
