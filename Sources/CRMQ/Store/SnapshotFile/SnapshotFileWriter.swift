import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a loaded snapshot as crmq's own file (`SnapshotFileFormat`): to a new file beside
/// the name, synced, then renamed over it, so that a crash or a full disk mid-write leaves
/// whatever was there before whole.
struct SnapshotFileWriter {
    let snapshot: Snapshot

    /// Writes the file; the bytes written.
    @discardableResult
    func write(to path: String) throws(DataError) -> Int {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DataError(file: path, message: "cannot write: \(String(cString: strerror(errno)))") }
        var out = Output(fd: fd)
        do throws(DataError) {
            try out.write([UInt8](repeating: 0, count: SnapshotFileFormat.headerSize))
            var directory = describe()
            directory.sections = try writeSections(&out)
            let json: [UInt8]
            do { json = Array(try JSONEncoder().encode(directory)) } catch { throw DataError(file: path, message: "cannot describe the snapshot: \(error)") }
            let at = out.offset
            try out.write(json)
            try out.write(header(directoryAt: at, length: json.count, checksum: Checksum.of(json), fileLength: out.offset + 0), at: 0)
            // A reopened file's columns were checked as they were read, just now.
            if let damage = snapshot.damage { throw DataError(file: path, message: "was not written: \(damage.description)") }
            guard fsync(fd) == 0 else { throw out.failure("cannot sync") }
            close(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw DataError(file: path, message: error.message)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw DataError(file: path, message: "cannot put the written file in place: \(reason)")
        }
        // The rename itself survives a crash once the folder is synced.
        let folder = Glibc.open((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
        return out.offset
    }

    /// The 64 bytes at the file's start.
    private func header(directoryAt offset: Int, length: Int, checksum: UInt64, fileLength: Int) -> [UInt8] {
        var bytes = SnapshotFileFormat.magic
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        append(SnapshotFileFormat.version)
        append(UInt32(0))
        append(UInt64(offset))
        append(UInt64(length))
        append(checksum)
        append(UInt64(fileLength))
        append(Checksum.of(bytes))
        bytes += [UInt8](repeating: 0, count: SnapshotFileFormat.headerSize - bytes.count)
        return bytes
    }

    /// What the snapshot is, without its sections yet.
    private func describe() -> SnapshotFileDirectory {
        let s = snapshot, info = s.info, t = s.transactions
        return SnapshotFileDirectory(
            name: s.name, directory: s.directory,
            info: .init(
                title: info.title, asOf: info.asOf, currency: info.currency, description: info.description,
                discountRate: info.discountRate, marginRate: info.marginRate, fixedCosts: info.fixedCosts),
            setAside: s.setAside,
            sources: s.sources.map {
                .init(
                    table: $0.table, file: $0.file, delimiter: $0.dialect.delimiter.rawValue, decimal: $0.dialect.decimal,
                    thousands: $0.dialect.thousands, dates: $0.dialect.dates.rawValue, header: $0.dialect.header, mapping: $0.mapping,
                    rows: $0.rows, condition: $0.condition, filtered: $0.filtered, timeUnit: $0.timeUnit?.rawValue, isDatabase: $0.isDatabase)
            },
            customers: s.customers.count,
            fields: s.customers.fields.map { .init(name: $0.name, type: $0.type.rawValue, unit: $0.unit.written, definition: $0.definition) },
            transactions: .init(
                count: t.count, marginRate: t.marginRate, hasFileMargin: t.fileMargin != nil, hasQuantity: t.quantity != nil,
                hasProduct: t.product != nil, later: t.later.count),
            activities: s.activities?.customer.count, payments: s.payments?.customer.count,
            interactions: s.interactions?.customer.count, valueStar: s.valueStar?.segment.codes.count, sections: [])
    }

    /// Every column, in the order the reader expects none of: each is found by its name.
    private func writeSections(_ out: inout Output) throws(DataError) -> [SnapshotFileDirectory.Section] {
        var sections: [SnapshotFileDirectory.Section] = []
        func put<T>(_ name: String, _ values: [T]) throws(DataError) {
            try out.align()
            let offset = out.offset
            var failure: DataError?
            let checksum = values.withUnsafeBytes { bytes -> UInt64 in
                do throws(DataError) { try out.write(bytes) } catch { failure = error }
                return SectionChecksum.of(bytes)
            }
            if let failure { throw failure }
            sections.append(.init(name: name, offset: offset, length: out.offset - offset, checksum: checksum))
        }
        func put(_ name: String, _ column: ColumnData) throws(DataError) {
            switch column {
            case .number(let v): try put(name, v)
            case .date(let v): try put(name, v)
            case .bool(let v): try put(name, v)
            case .text(let t): try put(name, t)
            }
        }
        func put(_ name: String, _ text: TextColumn) throws(DataError) {
            try put(name + "/codes", text.codes)
            var offsets: [Int64] = [0]
            var bytes: [UInt8] = []
            offsets.reserveCapacity(text.values.count + 1)
            for value in text.values {
                bytes.append(contentsOf: value.utf8)
                offsets.append(Int64(bytes.count))
            }
            try put(name + "/offsets", offsets)
            try put(name + "/bytes", bytes)
        }
        let s = snapshot
        for field in s.customers.fields {
            try put("customers/" + field.name, s.customers.column(field.name)!)
        }
        let t = s.transactions
        try put("transactions/customer", t.customer)
        try put("transactions/day", t.day)
        try put("transactions/amount", t.amount)
        if let m = t.fileMargin { try put("transactions/margin", m) }
        if let q = t.quantity { try put("transactions/quantity", q) }
        if let p = t.product { try put("transactions/product", p) }
        try put("transactions/start", t.start)
        try put("transactions/later/customer", t.later.customer)
        try put("transactions/later/day", t.later.day)
        if let a = s.activities {
            try put("activities/customer", a.customer)
            try put("activities/day", a.day)
            try put("activities/activity", a.activity)
            try put("activities/quantity", a.quantity)
            try put("activities/unit_cost", a.unitCost)
        }
        if let p = s.payments {
            try put("payments/customer", p.customer)
            try put("payments/due", p.due)
            try put("payments/paid", p.paid)
            try put("payments/amount", p.amount)
        }
        if let i = s.interactions {
            try put("interactions/customer", i.customer)
            try put("interactions/day", i.day)
            try put("interactions/channel", i.channel)
            try put("interactions/kind", i.kind)
            try put("interactions/note", i.note)
        }
        if let v = s.valueStar {
            try put("valuestar/segment", v.segment)
            try put("valuestar/dimension", v.dimension.map { Int32($0) })
            try put("valuestar/importance", v.importance)
            try put("valuestar/score", v.score)
            try put("valuestar/competitor_score", v.competitorScore)
        }
        return sections
    }

    /// Bytes written one after another to a file descriptor, every error named.
    private struct Output {
        let fd: Int32
        var offset = 0

        mutating func write(_ bytes: [UInt8]) throws(DataError) {
            var failure: DataError?
            bytes.withUnsafeBytes { raw in
                do throws(DataError) { try write(raw) } catch { failure = error }
            }
            if let failure { throw failure }
        }

        mutating func write(_ bytes: UnsafeRawBufferPointer) throws(DataError) {
            var done = 0
            while done < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + done, min(bytes.count - done, 1 << 30))
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { throw failure("cannot write") }
                done += n
            }
            offset += bytes.count
        }

        mutating func write(_ bytes: [UInt8], at position: Int) throws(DataError) {
            let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, off_t(position)) }
            guard written == bytes.count else { throw failure("cannot write") }
        }

        /// Zeros up to the next section's start.
        mutating func align() throws(DataError) {
            let pad = (SnapshotFileFormat.alignment - offset % SnapshotFileFormat.alignment) % SnapshotFileFormat.alignment
            if pad > 0 { try write([UInt8](repeating: 0, count: pad)) }
        }

        func failure(_ what: String) -> DataError {
            DataError(file: "", message: "\(what): \(String(cString: strerror(errno)))")
        }
    }
}
