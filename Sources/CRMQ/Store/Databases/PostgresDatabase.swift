import CLibPQ
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL server, through libpq: `load postgres "postgresql://user@host/db" tables (…)`.
/// Rows come as `COPY (query) TO STDOUT` in CSV, in blocks that the reader every file goes
/// through parses while the next ones arrive. One thread at a time uses the connection.
final class PostgresDatabase: SQLDatabase, @unchecked Sendable {
    private let connection: OpaquePointer
    let label: String

    /// Connects; a refusal (no server, a wrong password, no such database) is an error that
    /// says what the server said. The connection string is never shown: it may hold a password.
    init(_ conninfo: String) throws(DataError) {
        guard let connection = PQconnectdb(conninfo) else {
            throw DataError(file: "postgres \(Secrets.redacted(conninfo))", message: "out of memory opening a connection")
        }
        self.connection = connection
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.message(connection)
            PQfinish(connection)
            throw DataError(file: "postgres \(Secrets.redacted(conninfo))", message: "cannot connect: \(message)")
        }
        let host = String(cString: PQhost(connection))
        label = "postgres \(String(cString: PQuser(connection)))@\(host.hasPrefix("/") ? "localhost" : host)/\(String(cString: PQdb(connection)))"
        // Dates as crmq reads them, whatever the server's default.
        _ = try run("SET DateStyle = ISO, YMD")
    }

    deinit { PQfinish(connection) }

    func columns(of query: String) throws(DataError) -> [String] {
        let result = try run("SELECT * FROM (\(query)) AS crmq_source LIMIT 0")
        defer { PQclear(result) }
        return (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) }
    }

    func csv(_ query: String) throws(DataError) -> (bytes: [UInt8], rows: Int) {
        guard let started = PQexec(connection, "COPY (\(query)) TO STDOUT WITH (FORMAT csv, HEADER true)") else {
            throw DataError(file: label, message: Self.message(connection))
        }
        let status = PQresultStatus(started)
        PQclear(started)
        guard status == PGRES_COPY_OUT else { throw DataError(file: label, message: Self.message(connection)) }
        var bytes: [UInt8] = []
        var lines = 0
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let count = PQgetCopyData(connection, &buffer, 0)
            if count == -1 { break }  // the copy is done
            guard count > 0, let buffer else { throw DataError(file: label, message: Self.message(connection)) }
            buffer.withMemoryRebound(to: UInt8.self, capacity: Int(count)) { bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(count))) }
            PQfreemem(buffer)
            lines += 1  // COPY hands over one row at a time
        }
        // The copy's own outcome comes after its data.
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            guard PQresultStatus(result) == PGRES_COMMAND_OK else { throw DataError(file: label, message: Self.message(connection)) }
        }
        return (bytes, max(0, lines - 1))
    }

    /// The planner's estimate: rows × width of the query's top plan node (`EXPLAIN`).
    func estimate(of query: String) -> (rows: Int, bytes: Int)? {
        guard let result = try? run("EXPLAIN (FORMAT JSON) \(query)") else { return nil }
        defer { PQclear(result) }
        guard PQntuples(result) == 1, let text = PQgetvalue(result, 0, 0),
              let json = try? JSONSerialization.jsonObject(with: Data(String(cString: text).utf8)) as? [[String: Any]],
              let plan = json.first?["Plan"] as? [String: Any],
              let rows = plan["Plan Rows"] as? Double, let width = plan["Plan Width"] as? Double else { return nil }
        let limit = Double(Int.max / 2)
        return (Int(min(rows, limit)), Int(min(rows * (width + 1), limit)))
    }

    /// Rows a block holds, about: 8 MiB of CSV, cut at a row's end.
    static let blockBytes = 8 << 20

    /// The query's rows as CSV with a header, in blocks of whole rows, handed over as they
    /// come off the connection; the copy stops early when the reader wants no more.
    func stream(_ query: String) -> BlockStream {
        BlockStream { [self] deliver throws(DataError) in
            guard let started = PQexec(connection, "COPY (\(query)) TO STDOUT WITH (FORMAT csv, HEADER true)") else {
                throw DataError(file: label, message: Self.message(connection))
            }
            let status = PQresultStatus(started)
            PQclear(started)
            guard status == PGRES_COPY_OUT else { throw DataError(file: label, message: Self.message(connection)) }
            let pool = BlockPool(size: Self.blockBytes)
            var block = pool.take()
            var capacity = Self.blockBytes, used = 0
            var wanted = true
            while true {
                var row: UnsafeMutablePointer<CChar>?
                let count = Int(PQgetCopyData(connection, &row, 0))
                if count == -1 { break }  // the copy is done
                guard count > 0, let row else {
                    release(block, capacity, pool)
                    throw DataError(file: label, message: Self.message(connection))
                }
                if wanted, used + count > capacity, used > 0 {
                    wanted = deliver(FileBytes(adopting: block, count: used, pool: capacity == Self.blockBytes ? pool : nil))
                    (block, capacity, used) = (pool.take(), Self.blockBytes, 0)
                }
                if used + count > capacity {
                    // A row longer than a block: a block of its own size, not the pool's.
                    let bigger = malloc(used + count)!
                    memcpy(bigger, block, used)
                    release(block, capacity, pool)
                    (block, capacity) = (bigger, used + count)
                }
                // After the reader has stopped, the rest of the copy is read and dropped.
                if wanted {
                    memcpy(block + used, row, count)
                    used += count
                }
                PQfreemem(row)
            }
            if wanted, used > 0 {
                _ = deliver(FileBytes(adopting: block, count: used, pool: capacity == Self.blockBytes ? pool : nil))
            } else {
                release(block, capacity, pool)
            }
            // The copy's own outcome comes after its data.
            while let result = PQgetResult(connection) {
                defer { PQclear(result) }
                guard PQresultStatus(result) == PGRES_COMMAND_OK else { throw DataError(file: label, message: Self.message(connection)) }
            }
        }
    }

    /// A block back to its pool, or freed when it was one of its own size.
    private func release(_ block: UnsafeMutableRawPointer, _ capacity: Int, _ pool: BlockPool) {
        if capacity == Self.blockBytes { pool.giveBack(block) } else { free(block) }
    }

    private func run(_ sql: String) throws(DataError) -> OpaquePointer? {
        let result = PQexec(connection, sql)
        let status = result.map(PQresultStatus)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            PQclear(result)
            throw DataError(file: label, message: Self.message(connection))
        }
        return result
    }

    /// libpq's message, on one line.
    private static func message(_ connection: OpaquePointer) -> String {
        String(cString: PQerrorMessage(connection)).split(whereSeparator: \.isNewline).map { String($0).trimming(" ") }.joined(separator: "; ")
    }
}
