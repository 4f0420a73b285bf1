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

    func csv(_ query: String) throws(DataError) -> [UInt8] {
        var bytes: [UInt8] = []
        try copy(query) { block in
            // Nothing in the body throws: the buffer is there whole.
            _ = try? block.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
            return true
        }
        return bytes
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

    /// The query's rows as CSV with a header, in blocks of whole rows, handed over as they
    /// come off the connection; the copy stops early when the reader wants no more.
    func stream(_ query: String) -> BlockStream {
        BlockStream { [self] deliver throws(DataError) in try copy(query, deliver) }
    }

    /// Runs `COPY (query) TO STDOUT` and hands `deliver` its rows in blocks of whole rows.
    ///
    /// Each row is copied once, from libpq's buffer straight into the block
    /// (`PQgetlineAsync`): `PQgetCopyData` would allocate every row, copy it and free it —
    /// a sixth of the receiving thread's samples over 7.7M rows. The server sends one message
    /// a row, and a call returns at most one; a call that fills the space it was offered may
    /// have returned part of a row, so a block is cut after the last row known whole.
    private func copy(_ query: String, _ deliver: (FileBytes) -> Bool) throws(DataError) {
        guard let started = PQexec(connection, "COPY (\(query)) TO STDOUT WITH (FORMAT csv, HEADER true)") else {
            throw DataError(file: label, message: Self.message(connection))
        }
        let status = PQresultStatus(started)
        PQclear(started)
        guard status == PGRES_COPY_OUT else { throw DataError(file: label, message: Self.message(connection)) }
        let pool = BlockPool(size: BlockStream.blockBytes)
        var block = Block(pool.take(atLeast: pool.size))
        var wanted = true
        while true {
            let offered = block.capacity - block.used
            let count = Int(PQgetlineAsync(connection, block.end, Int32(clamping: offered)))
            if count < 0 { break }  // the copy is done (or failed: its result says)
            if count == 0 {
                try awaitInput()
                continue
            }
            block.used += count
            if count < offered {
                block.whole = block.used
                continue
            }
            // The block is full, its last row perhaps in part: the rows known whole go; the
            // rest starts the next block, with room for as much again (one of its own when
            // the rest is more than half a block: a row longer than a block).
            let rest = block.used - block.whole
            let next = Block(pool.take(atLeast: rest * 2))
            memcpy(next.start, block.start + block.whole, rest)
            if wanted, block.whole > 0 {
                wanted = deliver(pool.handOver(block.start, capacity: block.capacity, count: block.whole))
                // The reader has stopped (Ctrl-C, or an error in the rows): the server is
                // asked to stop too, and what it sent meanwhile is read into a block and dropped.
                if !wanted { cancel() }
            } else {
                pool.giveBack(block.start, capacity: block.capacity)
            }
            block = next
            block.used = wanted ? rest : 0
        }
        if wanted, block.used > 0 {
            _ = deliver(pool.handOver(block.start, capacity: block.capacity, count: block.used))
        } else {
            pool.giveBack(block.start, capacity: block.capacity)
        }
        // The copy's own outcome comes after its data.
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            guard PQresultStatus(result) == PGRES_COMMAND_OK else { throw DataError(file: label, message: Self.message(connection)) }
        }
    }

    /// Asks the server to stop the statement running on this connection: a copy stopped
    /// this way ends at once, with an error the stopped reader no longer waits for, instead
    /// of sending the rest of the table to be dropped.
    private func cancel() {
        guard let request = PQgetCancel(connection) else { return }
        defer { PQfreeCancel(request) }
        var message = [CChar](repeating: 0, count: 256)
        _ = PQcancel(request, &message, Int32(message.count))
    }

    /// Waits for the server to send more, and takes what it sent into libpq's buffer.
    ///
    /// Rows are taken faster than a server writes them, so a wait that woke at the first
    /// bytes would wake for every 8 KiB the server sends — 33,000 times over 250 MB, each a
    /// switch of threads on a 2-core machine the server shares. Where less than
    /// `gatherBytes` has come, the wait goes on `gatherMicroseconds` for more, as the socket
    /// option `SO_RCVLOWAT` has a TCP wait do: the server writes on meanwhile (its socket
    /// holds ~200 KiB), the waits fall to about 7,000, and the load takes 0.4 s less CPU.
    private func awaitInput() throws(DataError) {
        var socket = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
        while poll(&socket, 1, -1) < 0, errno == EINTR {}
        var queued: Int32 = 0
        if ioctl(socket.fd, UInt(FIONREAD), &queued) == 0, queued < Self.gatherBytes { usleep(Self.gatherMicroseconds) }
        guard PQconsumeInput(connection) == 1 else { throw DataError(file: label, message: Self.message(connection)) }
    }

    /// What a wait for rows gathers before it wakes, at most: 64 KiB, or half a millisecond.
    private static let gatherBytes: Int32 = 64 << 10
    private static let gatherMicroseconds: UInt32 = 500

    /// The memory rows are copied into, as the pool gave it: one of its blocks, or one of its
    /// own size for a row longer than a block.
    private struct Block {
        let start: UnsafeMutableRawPointer
        let capacity: Int
        /// Bytes written, and the bytes of them that end at a row's end.
        var used = 0
        var whole = 0

        init(_ memory: (start: UnsafeMutableRawPointer, capacity: Int)) {
            (start, capacity) = memory
        }

        var end: UnsafeMutablePointer<CChar> { (start + used).assumingMemoryBound(to: CChar.self) }
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
