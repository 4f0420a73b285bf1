import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opens crmq's own snapshot file (`SnapshotFileFormat`) without parsing anything: the header, the
/// directory and every section's place are checked at once — a truncated or future-version
/// file is an error naming it — and each column is read, and its checksum and values checked,
/// when a statement first needs it (`SnapshotFileSections`).
struct SnapshotFileReader {
    var path: String
    /// `load "q4.crmqdb" as NAME`; else the name it was saved under.
    var name: String?
    /// `load … as of DATE`: a saved snapshot is of its own day, so only that day is taken.
    var asOf: Int32?

    func load() throws(DataError) -> Snapshot {
        let file = try OpenFile(path: path)
        try MemoryBudget.check(inputBytes: file.count, kind: .snapshotFile, file: path)
        let directory = try readDirectory(file)
        let sections = try place(directory, in: file)
        if let asOf, asOf != directory.info.asOf {
            throw DataError(
                file: path, message: "is a snapshot as of \(CalendarDay.format(directory.info.asOf)); "
                    + "as of \(CalendarDay.format(asOf)) needs the snapshot it was saved from loaded as of that day")
        }
        return try build(directory, sections)
    }

    // MARK: the header and the directory

    private func damaged(_ what: String) -> DataError {
        DataError(file: path, message: "is not a whole crmq snapshot file (\(what)); save it again from the snapshot it came from")
    }

    private func readDirectory(_ file: OpenFile) throws(DataError) -> SnapshotFileDirectory {
        let size = SnapshotFileFormat.headerSize
        guard file.count >= size else { throw damaged("it is \(file.count) bytes, shorter than its header") }
        guard let header = file.bytes(0, size) else { throw damaged("its header cannot be read") }
        guard Array(header[0..<8]) == SnapshotFileFormat.magic else { throw DataError(file: path, message: "is not a crmq snapshot file (it does not start as one)") }
        func word(_ at: Int) -> UInt64 { header.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt64.self)) } }
        let version = header.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) }
        guard word(48) == Checksum.of(Array(header[0..<48])) else { throw damaged("its header's checksum does not match") }
        guard version <= SnapshotFileFormat.version else {
            throw DataError(file: path, message: "was written by a newer crmq (file version \(version); this crmq reads up to \(SnapshotFileFormat.version))")
        }
        let (offset, length, checksum, total) = (word(16), word(24), word(32), word(40))
        guard total == UInt64(file.count) else { throw damaged("it is \(file.count) bytes and was written as \(total)") }
        guard offset >= UInt64(size), length <= total, offset <= total - length else { throw damaged("its directory lies outside it") }
        guard let json = file.bytes(Int(offset), Int(length)) else { throw damaged("its directory cannot be read") }
        guard Checksum.of(json) == checksum else { throw damaged("its directory's checksum does not match") }
        do {
            return try JSONDecoder().decode(SnapshotFileDirectory.self, from: Data(json))
        } catch {
            throw damaged("its directory cannot be read")
        }
    }

    // MARK: the sections

    /// Every section the directory promises, each where it says and of the length its count
    /// asks: what can be known without reading them. What a section holds is checked when it
    /// is first read (`SnapshotFileSections`).
    private func place(_ d: SnapshotFileDirectory, in file: OpenFile) throws(DataError) -> SnapshotFileSections {
        var byName: [String: SnapshotFileDirectory.Section] = [:]
        for s in d.sections {
            guard s.offset >= SnapshotFileFormat.headerSize, s.length >= 0, s.offset % SnapshotFileFormat.alignment == 0,
                  s.offset <= file.count - s.length, byName.updateValue(s, forKey: s.name) == nil else {
                throw damaged("section \(s.name) lies outside it")
            }
        }
        let n = d.customers, t = d.transactions.count
        guard n >= 0, t >= 0, d.transactions.later >= 0 else { throw damaged("its counts are negative") }
        let rows = [t, d.transactions.later, d.activities ?? 0, d.payments ?? 0, d.interactions ?? 0]
        // A damaged customer column reads as the first customer's: there must be one.
        guard n > 0 || rows.allSatisfy({ $0 == 0 }) else { throw damaged("it has rows of no customer") }
        var rules: [SectionRule] = []
        func text(_ name: String, _ count: Int) throws(DataError) {
            guard let offsets = byName[name + "/offsets"], let bytes = byName[name + "/bytes"],
                  offsets.length % 8 == 0, offsets.length >= 8 else { throw damaged("section \(name) is missing") }
            let values = offsets.length / 8 - 1
            rules.append(SectionRule(name: name + "/codes", size: 4, count: count, values: .within(-1, Int32(clamping: values))))
            rules.append(SectionRule(name: name + "/offsets", size: 8, count: values + 1, values: .offsets(end: Int64(bytes.length))))
            rules.append(SectionRule(name: name + "/bytes", size: 1, count: bytes.length))
        }
        func column(_ name: String, _ type: String, _ count: Int) throws(DataError) {
            switch type {
            case "number": rules.append(SectionRule(name: name, size: 8, count: count, values: .finite))
            case "date": rules.append(SectionRule(name: name, size: 4, count: count, values: .days(from: SectionRule.firstDay)))
            case "bool": rules.append(SectionRule(name: name, size: 1, count: count, values: .bools))
            case "text": try text(name, count)
            default: throw damaged("field \(name) is of an unknown type")
            }
        }
        let customer = SectionRule.Values.within(0, Int32(clamping: n))
        guard d.fields.contains(where: { $0.name == "id" && $0.type == "text" }) else { throw damaged("it has no customer ids") }
        // Every load derives these, and statements count on them being there.
        for field in CustomerFields.derived where !d.fields.contains(where: { $0.name == field.name && $0.type == field.type.rawValue }) {
            throw damaged("it has no \(field.name) of its customers")
        }
        let types = Dictionary(d.fields.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        guard Self.histories.allSatisfy({ types[$0] == "number" }) else { throw damaged("it has no purchase histories") }
        for field in d.fields { try column("customers/" + field.name, field.type, n) }
        let day = SectionRule.Values.days(from: SectionRule.firstDay), finite = SectionRule.Values.finite
        rules += [
            SectionRule(name: "transactions/customer", size: 4, count: t, values: customer),
            SectionRule(name: "transactions/day", size: 4, count: t, values: day),
            SectionRule(name: "transactions/amount", size: 8, count: t, values: finite),
            SectionRule(name: "transactions/start", size: 4, count: n + 1, values: .runs(last: Int32(clamping: t))),
            SectionRule(name: "transactions/later/customer", size: 4, count: d.transactions.later, values: customer),
            SectionRule(name: "transactions/later/day", size: 4, count: d.transactions.later, values: day),
        ]
        if d.transactions.hasFileMargin { rules.append(SectionRule(name: "transactions/margin", size: 8, count: t, values: finite)) }
        if d.transactions.hasQuantity { rules.append(SectionRule(name: "transactions/quantity", size: 8, count: t, values: finite)) }
        if d.transactions.hasProduct { try text("transactions/product", t) }
        if let a = d.activities {
            rules += [
                SectionRule(name: "activities/customer", size: 4, count: a, values: customer),
                SectionRule(name: "activities/day", size: 4, count: a, values: day),
                SectionRule(name: "activities/quantity", size: 8, count: a, values: finite),
                SectionRule(name: "activities/unit_cost", size: 8, count: a, values: finite),
            ]
            try text("activities/activity", a)
        }
        if let p = d.payments {
            // Invoices from 1900 on, as a load takes them: their days late are summed in 32 bits.
            let invoiceDay = SectionRule.Values.days(from: SnapshotLoader.earliestInvoice.day)
            rules += [
                SectionRule(name: "payments/customer", size: 4, count: p, values: customer),
                SectionRule(name: "payments/due", size: 4, count: p, values: invoiceDay),
                SectionRule(name: "payments/paid", size: 4, count: p, values: invoiceDay),
                SectionRule(name: "payments/amount", size: 8, count: p, values: finite),
            ]
        }
        if let i = d.interactions {
            rules += [
                SectionRule(name: "interactions/customer", size: 4, count: i, values: customer),
                SectionRule(name: "interactions/day", size: 4, count: i, values: day),
            ]
            for name in ["channel", "kind", "note"] { try text("interactions/" + name, i) }
        }
        if let v = d.valueStar {
            try text("valuestar/segment", v)
            rules += [
                SectionRule(name: "valuestar/dimension", size: 4, count: v, values: .within(0, Int32(ValueStarTable.dimensions.count))),
                SectionRule(name: "valuestar/importance", size: 8, count: v, values: finite),
                SectionRule(name: "valuestar/score", size: 8, count: v, values: finite),
                SectionRule(name: "valuestar/competitor_score", size: 8, count: v, values: finite),
            ]
        }
        for r in rules {
            guard let s = byName[r.name] else { throw damaged("section \(r.name) is missing") }
            guard r.count >= 0, s.length == r.count * r.size else { throw damaged("section \(r.name) is \(s.length) bytes, not \(r.count * r.size)") }
        }
        return SnapshotFileSections(path: path, file: file, placed: byName, rules: rules)
    }

    /// The columns of a purchase history, which the models count on together.
    private static let histories = ["frequency", "recency", "age"]

    /// The purchase histories' columns by name, read once, when they are ones a load can
    /// derive: a whole number of repeat purchases, recency between 0 and the age, an age of
    /// at most 10,000 years. A history that cannot be is damage (`sections.record`), and the
    /// three read as nulls.
    private static func checkedHistories(_ sections: SnapshotFileSections, customers: Int) -> [String: [Double]] {
        let frequency: [Double] = sections.values("customers/frequency"), recency: [Double] = sections.values("customers/recency")
        let age: [Double] = sections.values("customers/age")
        for c in frequency.indices where !frequency[c].isNaN {
            guard frequency[c] >= 0, frequency[c] == frequency[c].rounded(), recency[c] >= 0, recency[c] <= age[c] * (1 + 1e-9),
                  age[c] <= SummaryLoader.longestWeeks else {
                sections.record("customer row \(c + 1) has a purchase history that cannot be")
                let nulls = [Double](repeating: .nan, count: customers)
                return Dictionary(uniqueKeysWithValues: histories.map { ($0, nulls) })
            }
        }
        return ["frequency": frequency, "recency": recency, "age": age]
    }

    // MARK: the snapshot

    /// The snapshot: its customers' columns and its other tables read on first use.
    private func build(_ d: SnapshotFileDirectory, _ columns: SnapshotFileSections) throws(DataError) -> Snapshot {
        var fields: [Field] = []
        for f in d.fields {
            guard let type = ValueType(rawValue: f.type), let unit = NumberUnit.all.first(where: { $0.written == f.unit }) else {
                throw damaged("field \(f.name) is of an unknown type")
            }
            fields.append(Field(f.name, type, unit: unit, f.definition))
        }
        let types = Dictionary(fields.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        let histories = Deferred<[String: [Double]]>(making: { Self.checkedHistories(columns, customers: d.customers) })
        let customers = CustomerTable(
            count: d.customers, fields: fields,
            unread: DeferredColumns(names: Set(types.keys)) { name in
                if let history = Self.histories.contains(name) ? histories.get[name] : nil { return .number(history) }
                return columns.column("customers/" + name, types[name]!)
            })
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
            setAside: d.setAside, sources: sources, fileSections: columns)
    }
}

/// The snapshot file, open for reading: each column is read from it straight into its
/// array (`pread`), so that a reopen takes only the memory — and the address space, which
/// `ulimit -v` counts — of the columns it uses. Closed when the last column that may need it
/// is gone.
final class OpenFile: @unchecked Sendable {
    let count: Int
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

    /// `count` bytes at `offset`; nil when the file gives fewer.
    func bytes(_ offset: Int, _ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let whole = bytes.withUnsafeMutableBytes { count == 0 || read(offset, count, into: $0.baseAddress!) }
        return whole ? bytes : nil
    }

    deinit { close(fd) }
}
