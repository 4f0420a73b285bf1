import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opens crmq's own snapshot file (`SnapshotFileFormat`) by mapping it: the header, the
/// directory and every section's checksum and bounds are checked at once — a truncated,
/// damaged or future-version file is an error naming it — and each column is copied out of
/// the mapping when a statement first needs it.
struct SnapshotFileReader {
    var path: String
    /// `load "q4.crmqdb" as NAME`; else the name it was saved under.
    var name: String?
    /// `load … as of DATE`: a saved snapshot is of its own day, so only that day is taken.
    var asOf: Int32?

    func load() throws(DataError) -> Snapshot {
        let file = try MappedFile(path: path)
        let directory = try readDirectory(file)
        let sections = try check(directory, in: file)
        try checkHistories(directory, Columns(file: file, sections: sections))
        if let asOf, asOf != directory.info.asOf {
            throw DataError(
                file: path, message: "is a snapshot as of \(CalendarDay.format(directory.info.asOf)); "
                    + "as of \(CalendarDay.format(asOf)) needs the snapshot it was saved from loaded as of that day")
        }
        return try build(directory, Columns(file: file, sections: sections))
    }

    // MARK: the header and the directory

    private func damaged(_ what: String) -> DataError {
        DataError(file: path, message: "is not a whole crmq snapshot file (\(what)); save it again from the snapshot it came from")
    }

    private func readDirectory(_ file: MappedFile) throws(DataError) -> SnapshotFileDirectory {
        let size = SnapshotFileFormat.headerSize
        guard file.count >= size else { throw damaged("it is \(file.count) bytes, shorter than its header") }
        let header = UnsafeRawBufferPointer(start: file.base, count: size)
        guard Array(header[0..<8]) == SnapshotFileFormat.magic else { throw DataError(file: path, message: "is not a crmq snapshot file (it does not start as one)") }
        func word(_ at: Int) -> UInt64 { UInt64(littleEndian: header.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        let version = UInt32(littleEndian: header.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        guard word(48) == Checksum.of(UnsafeRawBufferPointer(rebasing: header[0..<48])) else { throw damaged("its header's checksum does not match") }
        guard version <= SnapshotFileFormat.version else {
            throw DataError(file: path, message: "was written by a newer crmq (file version \(version); this crmq reads up to \(SnapshotFileFormat.version))")
        }
        let (offset, length, checksum, total) = (word(16), word(24), word(32), word(40))
        guard total == UInt64(file.count) else { throw damaged("it is \(file.count) bytes and was written as \(total)") }
        guard offset >= UInt64(size), length <= total, offset <= total - length else { throw damaged("its directory lies outside it") }
        let json = UnsafeRawBufferPointer(start: file.base + Int(offset), count: Int(length))
        guard Checksum.of(json) == checksum else { throw damaged("its directory's checksum does not match") }
        do {
            return try JSONDecoder().decode(SnapshotFileDirectory.self, from: Data(json))
        } catch {
            throw damaged("its directory cannot be read")
        }
    }

    // MARK: the sections

    /// One section's place, and what its values may be.
    private struct Expected {
        enum Values {
            case any
            /// Int32 values in lo..<hi.
            case within(Int32, Int32)
            /// Int32 values from 0, never falling, ending at `last` (the transactions' runs).
            case runs(last: Int32)
            /// UInt8 values 0, 1 or 2 (false, true, null).
            case bools
            /// Int32 days from `from` through 9999-12-31, or null: what a file's dates can be.
            case days(from: Int32)
            /// Float64 values that are numbers or null (NaN), never infinite.
            case finite
        }
        var name: String
        var size: Int
        var count: Int
        var values: Values = .any
    }

    /// Every section the directory promises, each where it says, of the length its count
    /// asks, its checksum matching and its values possible; the sections by name.
    private func check(_ d: SnapshotFileDirectory, in file: MappedFile) throws(DataError) -> [String: SnapshotFileDirectory.Section] {
        var byName: [String: SnapshotFileDirectory.Section] = [:]
        for s in d.sections {
            guard s.offset >= SnapshotFileFormat.headerSize, s.length >= 0, s.offset % SnapshotFileFormat.alignment == 0,
                  s.offset <= file.count - s.length, byName.updateValue(s, forKey: s.name) == nil else {
                throw damaged("section \(s.name) lies outside it")
            }
        }
        let n = d.customers, t = d.transactions.count
        guard n >= 0, t >= 0, d.transactions.later >= 0 else { throw damaged("its counts are negative") }
        var expected: [Expected] = []
        // Text columns first: their offsets say how many values their codes may point at.
        func text(_ name: String, _ count: Int) throws(DataError) {
            guard let offsets = byName[name + "/offsets"], let bytes = byName[name + "/bytes"],
                  offsets.length % 8 == 0, offsets.length >= 8 else { throw damaged("section \(name) is missing") }
            let values = offsets.length / 8 - 1
            let o = UnsafeRawBufferPointer(start: file.base + offsets.offset, count: offsets.length)
            var previous: Int64 = 0
            for i in 0...values {
                let at = Int64(littleEndian: o.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))
                guard at >= previous || i == 0, i > 0 || at == 0 else { throw damaged("section \(name) is out of order") }
                previous = at
            }
            guard previous == Int64(bytes.length) else { throw damaged("section \(name) does not add up") }
            expected.append(Expected(name: name + "/codes", size: 4, count: count, values: .within(-1, Int32(clamping: values))))
            expected.append(Expected(name: name + "/offsets", size: 8, count: values + 1))
            expected.append(Expected(name: name + "/bytes", size: 1, count: bytes.length))
        }
        func column(_ name: String, _ type: String, _ count: Int) throws(DataError) {
            switch type {
            case "number": expected.append(Expected(name: name, size: 8, count: count, values: .finite))
            case "date": expected.append(Expected(name: name, size: 4, count: count, values: .days(from: Self.firstDay)))
            case "bool": expected.append(Expected(name: name, size: 1, count: count, values: .bools))
            case "text": try text(name, count)
            default: throw damaged("field \(name) is of an unknown type")
            }
        }
        let customer = Expected.Values.within(0, Int32(clamping: n))
        guard d.fields.contains(where: { $0.name == "id" && $0.type == "text" }) else { throw damaged("it has no customer ids") }
        // Every load derives these, and statements count on them being there.
        for field in CustomerFields.derived where !d.fields.contains(where: { $0.name == field.name && $0.type == field.type.rawValue }) {
            throw damaged("it has no \(field.name) of its customers")
        }
        for field in d.fields { try column("customers/" + field.name, field.type, n) }
        let day = Expected.Values.days(from: Self.firstDay), finite = Expected.Values.finite
        expected += [
            Expected(name: "transactions/customer", size: 4, count: t, values: customer),
            Expected(name: "transactions/day", size: 4, count: t, values: day),
            Expected(name: "transactions/amount", size: 8, count: t, values: finite),
            Expected(name: "transactions/start", size: 4, count: n + 1, values: .runs(last: Int32(clamping: t))),
            Expected(name: "transactions/later/customer", size: 4, count: d.transactions.later, values: customer),
            Expected(name: "transactions/later/day", size: 4, count: d.transactions.later, values: day),
        ]
        if d.transactions.hasFileMargin { expected.append(Expected(name: "transactions/margin", size: 8, count: t, values: finite)) }
        if d.transactions.hasQuantity { expected.append(Expected(name: "transactions/quantity", size: 8, count: t, values: finite)) }
        if d.transactions.hasProduct { try text("transactions/product", t) }
        if let a = d.activities {
            expected += [
                Expected(name: "activities/customer", size: 4, count: a, values: customer), Expected(name: "activities/day", size: 4, count: a, values: day),
                Expected(name: "activities/quantity", size: 8, count: a, values: finite), Expected(name: "activities/unit_cost", size: 8, count: a, values: finite),
            ]
            try text("activities/activity", a)
        }
        if let p = d.payments {
            expected += [
                // Invoices from 1900 on, as a load takes them: their days late are summed in 32 bits.
                Expected(name: "payments/customer", size: 4, count: p, values: customer),
                Expected(name: "payments/due", size: 4, count: p, values: .days(from: SnapshotLoader.earliestInvoice.day)),
                Expected(name: "payments/paid", size: 4, count: p, values: .days(from: SnapshotLoader.earliestInvoice.day)),
                Expected(name: "payments/amount", size: 8, count: p, values: finite),
            ]
        }
        if let i = d.interactions {
            expected += [Expected(name: "interactions/customer", size: 4, count: i, values: customer), Expected(name: "interactions/day", size: 4, count: i, values: day)]
            for name in ["channel", "kind", "note"] { try text("interactions/" + name, i) }
        }
        if let v = d.valueStar {
            try text("valuestar/segment", v)
            expected += [
                Expected(name: "valuestar/dimension", size: 4, count: v, values: .within(0, Int32(ValueStarTable.dimensions.count))),
                Expected(name: "valuestar/importance", size: 8, count: v, values: finite), Expected(name: "valuestar/score", size: 8, count: v, values: finite),
                Expected(name: "valuestar/competitor_score", size: 8, count: v, values: finite),
            ]
        }
        for e in expected {
            guard let s = byName[e.name] else { throw damaged("section \(e.name) is missing") }
            guard e.count >= 0, s.length == e.count * e.size else { throw damaged("section \(e.name) is \(s.length) bytes, not \(e.count * e.size)") }
        }
        // Every byte read once, on all cores, block by block (each given back once read, so
        // that the memory a reopen keeps is the columns it uses): checksums, and what the
        // values may be — each test in the cache the checksum just read the block into.
        let blocks = expected.indices.flatMap { k in
            stride(from: 0, to: max(1, byName[expected[k].name]!.length), by: SectionChecksum.block).map { (section: k, at: $0) }
        }
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let byWorker = parallelMap(workers) { w -> [(block: Int, checksum: UInt64, possible: Bool)] in
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: SectionChecksum.block, alignment: 64)
            defer { buffer.deallocate() }
            return stride(from: w, to: blocks.count, by: workers).map { b in
                let e = expected[blocks[b].section], s = byName[e.name]!
                let count = min(SectionChecksum.block, s.length - blocks[b].at)
                guard file.read(s.offset + blocks[b].at, count, into: buffer) else { return (b, 0, false) }
                let bytes = UnsafeRawBufferPointer(start: buffer, count: count)
                if case .runs = e.values { return (b, Checksum.of(bytes), true) }  // checked whole, below
                return (b, Checksum.of(bytes), Self.possible(bytes, e.values))
            }
        }
        var checked = [(checksum: UInt64, possible: Bool)](repeating: (0, false), count: blocks.count)
        for part in byWorker { for r in part { checked[r.block] = (r.checksum, r.possible) } }
        var failures: [String?] = []
        var b = 0
        for (k, e) in expected.enumerated() {
            let s = byName[e.name]!
            var sums: [UInt64] = [], possible = true
            while b < blocks.count, blocks[b].section == k {
                if s.length > 0 { sums.append(checked[b].checksum) }
                possible = possible && checked[b].possible
                b += 1
            }
            if case .runs = e.values {
                possible = Self.possible(UnsafeRawBufferPointer(start: file.base + s.offset, count: s.length), e.values)
                file.release(s.offset, s.length)
            }
            failures.append(SectionChecksum.combined(sums) != s.checksum ? "section \(e.name)'s checksum does not match"
                : possible ? nil : "section \(e.name) holds values that cannot be")
        }
        if let failure = failures.compactMap({ $0 }).first { throw damaged(failure) }
        return byName
    }


    /// The days a file's dates can be: from 0001-01-01 through 9999-12-31.
    private static let firstDay = CalendarDay.from(year: 1, month: 1, day: 1)
    private static let lastDay = CalendarDay.from(year: 9999, month: 12, day: 31)

    /// Whether every value is one that can be. Each test runs over the whole piece without
    /// stopping early, folding into one flag, so that it is a vector loop.
    private static func possible(_ bytes: UnsafeRawBufferPointer, _ values: Expected.Values) -> Bool {
        switch values {
        case .any: return true
        case .bools:
            var high: UInt8 = 0
            for b in bytes { high |= b > 2 ? 1 : 0 }
            return high == 0
        case .within(let lo, let hi):
            return !outside(bytes.bindMemory(to: Int32.self), lo, hi, null: nil)
        case .days(let from):
            return !outside(bytes.bindMemory(to: Int32.self), from, lastDay &+ 1, null: CalendarDay.null)
        case .finite:
            // Infinite: every exponent bit set, no mantissa bit (a NaN, a null, has some).
            var infinite: UInt64 = 0
            for bits in bytes.bindMemory(to: UInt64.self) { infinite |= bits & 0x7FFF_FFFF_FFFF_FFFF == 0x7FF0_0000_0000_0000 ? 1 : 0 }
            return infinite == 0
        case .runs(let last):
            let v = bytes.bindMemory(to: Int32.self)
            guard v.first == 0, v.last == last else { return false }
            for i in 1..<max(1, v.count) where v[i] < v[i - 1] { return false }
            return true
        }
    }

    /// Whether a value lies outside lo..<hi (`null` aside, when given).
    private static func outside(_ v: UnsafeBufferPointer<Int32>, _ lo: Int32, _ hi: Int32, null: Int32?) -> Bool {
        let span = UInt32(bitPattern: hi &- lo)
        var out: UInt32 = 0
        if let null {
            for x in v { out |= (UInt32(bitPattern: x &- lo) >= span && x != null) ? 1 : 0 }
        } else {
            for x in v { out |= UInt32(bitPattern: x &- lo) >= span ? 1 : 0 }
        }
        return out != 0
    }

    /// The purchase histories the models count on, as a load derives them: a whole number of
    /// repeat purchases, recency between 0 and the age, an age of at most 10,000 years.
    private func checkHistories(_ d: SnapshotFileDirectory, _ columns: Columns) throws(DataError) {
        let types = Dictionary(d.fields.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        guard ["frequency", "recency", "age"].allSatisfy({ types[$0] == "number" }) else { throw damaged("it has no purchase histories") }
        let frequency: [Double] = columns.values("customers/frequency"), recency: [Double] = columns.values("customers/recency")
        let age: [Double] = columns.values("customers/age")
        for c in frequency.indices where !frequency[c].isNaN {
            guard frequency[c] >= 0, frequency[c] == frequency[c].rounded(), recency[c] >= 0, recency[c] <= age[c] * (1 + 1e-9),
                  age[c] <= SummaryLoader.longestWeeks else {
                throw damaged("customer row \(c + 1) has a purchase history that cannot be")
            }
        }
    }

    // MARK: the snapshot

    /// The snapshot: its customers' columns and its other tables read on first use.
    private func build(_ d: SnapshotFileDirectory, _ columns: Columns) throws(DataError) -> Snapshot {
        var fields: [Field] = []
        for f in d.fields {
            guard let type = ValueType(rawValue: f.type), let unit = NumberUnit.all.first(where: { $0.written == f.unit }) else {
                throw damaged("field \(f.name) is of an unknown type")
            }
            fields.append(Field(f.name, type, unit: unit, f.definition))
        }
        let types = Dictionary(fields.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        let customers = CustomerTable(
            count: d.customers, fields: fields,
            unread: DeferredColumns(names: Set(types.keys)) { name in columns.column("customers/" + name, types[name]!) })
        let t = d.transactions
        let transactions = Deferred<TransactionTable>(making: {
            TransactionTable(
                customer: columns.values("transactions/customer"), day: columns.values("transactions/day"),
                amount: columns.values("transactions/amount"),
                fileMargin: t.hasFileMargin ? columns.values("transactions/margin") : nil, marginRate: t.marginRate,
                quantity: t.hasQuantity ? columns.values("transactions/quantity") : nil,
                product: t.hasProduct ? columns.text("transactions/product") : nil, start: columns.values("transactions/start"),
                later: LaterTransactions(customer: columns.values("transactions/later/customer"), day: columns.values("transactions/later/day")))
        })
        let hasActivities = d.activities != nil, hasPayments = d.payments != nil
        let hasInteractions = d.interactions != nil, hasValueStar = d.valueStar != nil
        let parts = Snapshot.Parts(
            transactions: transactions,
            activities: Deferred(making: {
                hasActivities ? ActivityTable(
                    customer: columns.values("activities/customer"), day: columns.values("activities/day"),
                    activity: columns.text("activities/activity"), quantity: columns.values("activities/quantity"),
                    unitCost: columns.values("activities/unit_cost")) : nil
            }),
            payments: Deferred(making: {
                hasPayments ? PaymentTable(
                    customer: columns.values("payments/customer"), due: columns.values("payments/due"),
                    paid: columns.values("payments/paid"), amount: columns.values("payments/amount")) : nil
            }),
            interactions: Deferred(making: {
                hasInteractions ? InteractionTable(
                    customer: columns.values("interactions/customer"), day: columns.values("interactions/day"),
                    channel: columns.text("interactions/channel"), kind: columns.text("interactions/kind"),
                    note: columns.text("interactions/note")) : nil
            }),
            valueStar: Deferred(making: {
                hasValueStar ? ValueStarTable(
                    segment: columns.text("valuestar/segment"), dimension: (columns.values("valuestar/dimension") as [Int32]).map(Int.init),
                    importance: columns.values("valuestar/importance"), score: columns.values("valuestar/score"),
                    competitorScore: columns.values("valuestar/competitor_score")) : nil
            }),
            // The ids were unique when saved: each id's code is its row.
            index: Deferred(making: {
                guard case .text(let ids) = columns.column("customers/id", .text) else { return InternedStrings() }
                var index = InternedStrings(capacity: ids.values.count)
                for id in ids.values { _ = index.intern(id) }
                return index
            }))
        let sources = try d.sources.map { (s) throws(DataError) -> TableSource in
            guard let delimiter = Delimiter(rawValue: s.delimiter), let dates = DateOrder(rawValue: s.dates) else { throw damaged("a source's dialect cannot be read") }
            var dialect = Dialect()
            (dialect.delimiter, dialect.decimal, dialect.thousands, dialect.dates, dialect.header) = (delimiter, s.decimal, s.thousands, dates, s.header)
            return TableSource(
                table: s.table, file: s.file, dialect: dialect, mapping: s.mapping, rows: s.rows, condition: s.condition,
                filtered: s.filtered, timeUnit: s.timeUnit.flatMap(TimeUnit.init), isDatabase: s.isDatabase)
        }
        let i = d.info
        return Snapshot(
            name: name ?? d.name, directory: d.directory,
            info: SnapshotInfo(
                title: i.title, asOf: i.asOf, currency: i.currency, description: i.description, discountRate: i.discountRate,
                marginRate: i.marginRate, fixedCosts: i.fixedCosts),
            customers: customers, parts: parts,
            transactionFacts: .init(count: t.count, marginRate: t.marginRate, marginKnown: t.hasFileMargin || t.marginRate != nil),
            setAside: d.setAside, sources: sources)
    }

    /// The sections of a checked file, copied out as columns.
    private struct Columns: @unchecked Sendable {
        let file: MappedFile
        let sections: [String: SnapshotFileDirectory.Section]

        func values<T>(_ name: String) -> [T] {
            let s = sections[name]!
            let count = s.length / MemoryLayout<T>.stride
            defer { file.release(s.offset, s.length) }
            return [T](unsafeUninitializedCapacity: count) { buffer, made in
                if count > 0 { memcpy(buffer.baseAddress!, file.base + s.offset, s.length) }
                made = count
            }
        }

        func text(_ name: String) -> TextColumn {
            let offsets: [Int64] = values(name + "/offsets"), bytes: [UInt8] = values(name + "/bytes")
            let strings = bytes.withUnsafeBufferPointer { b in
                (0..<max(0, offsets.count - 1)).map { k in
                    String(decoding: UnsafeBufferPointer(rebasing: b[Int(offsets[k])..<Int(offsets[k + 1])]), as: UTF8.self)
                }
            }
            return TextColumn(codes: values(name + "/codes"), values: strings)
        }

        func column(_ name: String, _ type: ValueType) -> ColumnData {
            switch type {
            case .number: .number(values(name))
            case .date: .date(values(name))
            case .bool: .bool(values(name))
            case .text: .text(text(name))
            }
        }
    }
}

/// A file mapped read-only, unmapped when the last column that may need it is gone.
final class MappedFile: @unchecked Sendable {
    let base: UnsafeRawPointer
    let count: Int
    /// The file, open: checking reads it through here, into a buffer, rather than fault its
    /// pages into the mapping, which only the columns used are copied from.
    private let fd: Int32

    init(path: String) throws(DataError) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DataError(file: path, message: "cannot open: \(String(cString: strerror(errno)))") }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw DataError(file: path, message: "is not a file")
        }
        count = Int(info.st_size)
        guard count > 0 else {
            base = UnsafeRawPointer(bitPattern: 1)!
            return
        }
        guard let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            close(fd)
            throw DataError(file: path, message: "cannot map: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(mapped)
    }

    /// Reads `count` bytes at `offset` into `buffer`; false when the file gives fewer.
    func read(_ offset: Int, _ count: Int, into buffer: UnsafeMutableRawPointer) -> Bool {
        var done = 0
        while done < count {
            let n = pread(fd, buffer + done, count - done, off_t(offset + done))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    /// Lets the kernel take back the pages of a range once read: the file stays where it is,
    /// and the process's memory is what it keeps, not the file's size.
    func release(_ offset: Int, _ length: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (offset / page) * page
        let end = offset + length
        guard count > 0, end > start else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    deinit {
        if count > 0 { munmap(UnsafeMutableRawPointer(mutating: base), count) }
        close(fd)
    }
}
