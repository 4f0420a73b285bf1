#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a snapshot file's columns must be.
struct ColumnSpec {
    enum Kind {
        case text, number, date, bool
        /// A customer id, resolved to the customer's row.
        case customer
    }

    var name: String
    var kind: Kind
    var required: Bool = false
    /// Whether a row may leave the field empty (a null).
    var emptyAllowed: Bool = true
    /// Why a negative number is refused here, when it is (a quantity); nil lets any sign in.
    var negativeRefused: String? = nil
    /// The earliest date the column takes, and why; nil takes any.
    var notBefore: (day: Int32, why: String)? = nil
    /// Text whose values repeat row after row (a purchase's customer, its product): its
    /// distinct values are not made room for at the start, as an id column's are.
    var repeats = false
}

/// Columns of one type, as the pieces of the file were parsed: a large reader walks the
/// pieces (no copy), a small one takes each column whole.
struct PiecedColumns<T> {
    var pieces: [String: [[T]]] = [:]

    /// The column whole, copied together from the pieces on every use: take it once.
    subscript(name: String) -> [T]? {
        guard let parts = pieces[name] else { return nil }
        return parts.count == 1 ? parts[0] : Array(concatenating: parts)
    }
}

/// A file as columns: the declared ones typed, the others as text for the caller to infer.
struct ReadTable {
    var rowCount: Int
    var numbers = PiecedColumns<Double>()
    var dates = PiecedColumns<Int32>()
    var texts: [String: TextColumn] = [:]
    /// Each text column's distinct strings by their bytes: a text's code is its code here.
    var interned: [String: InternedStrings] = [:]
    var bools: [String: [UInt8]] = [:]
    /// The rows of the customer column, piece by piece.
    var customerPieces: [[Int32]] = []
    /// Columns the schema does not name, in file order, as raw text.
    var extras: [(name: String, values: [String?])] = []
    /// The physical line each row begins on, when asked for.
    var lines = RowLines()
    /// The header names as written, normalised, in file order.
    var header: [String]

    /// The customer column whole. It is copied together from the pieces on every call: take it
    /// once, not inside a loop over the rows.
    func joinedCustomers() -> [Int32] { customerPieces.count == 1 ? customerPieces[0] : Array(concatenating: customerPieces) }
}

/// Reads a snapshot CSV file into typed columns.
///
/// The file is read whole, split at row boundaries into one piece per core when it has no
/// quoted fields (a quoted field may hold a newline, so then it is read in one piece), and
/// each piece is parsed on its own thread. The first error in file order wins, with its
/// file, line and column.
struct TableReader {
    var path: String
    var displayName: String
    var specs: [ColumnSpec]
    var keepLines = false
    /// Whether columns the specs do not name are kept as text (a customers file's attributes)
    /// or passed over (the hundred other columns of a shop's export).
    var keepsExtras = true
    var customerIndex: InternedStrings?
    var customerFile = "customers.csv"
    /// The file's bytes when they are in memory already (a database's table), not on disk.
    var bytes: FileBytes?
    /// The file's bytes when they arrive in blocks (a database's COPY), parsed as they come.
    var blocks: BlockStream?
    /// About how many rows the blocks hold, when the source says (a database's planner).
    var expectedRows: Int?
    /// How the file writes fields, numbers and dates; crmq's own layout unless sniffed or told.
    var dialect = Dialect.standard
    /// The spec each of the file's columns is read as, by its normalised name, where the
    /// names differ (`id` read as `customer_id`).
    var rename: [String: String] = [:]
    /// Told how far the first piece has got (0…1), now and then.
    var progress: (@Sendable (Double) -> Void)?
    var interrupted: InterruptCheck = ctrlCPressed

    /// Field names as the language sees them: lower case, spaces and punctuation as `_`.
    static func normalise(_ header: String) -> String {
        let trimmed = header.trimming(" \t")
        var out = ""
        for scalar in trimmed.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" {
                out.unicodeScalars.append(scalar)
            } else {
                out.append("_")
            }
        }
        return out
    }

    func read() throws(DataError) -> ReadTable {
        if let blocks { return try read(blocks) }
        let bytes: FileBytes
        if let given = self.bytes { bytes = given } else { bytes = try FileBytes.read(path: path, displayName: displayName) }
        return try bytes.withUnsafeBufferPointer { buffer throws(DataError) in
            try parse(buffer)
        }
    }

    /// The header of a file's first bytes, checked and planned: where each column goes, and
    /// where the rows begin.
    private func plan(_ buffer: UnsafeBufferPointer<UInt8>) throws(DataError) -> (plan: ColumnPlan, header: [String], bodyStart: Int, bodyLine: Int) {
        var start = 0
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
        var scanner = CSVScanner(bytes: buffer, from: start, delimiter: dialect.delimiter)
        var record = CSVFields()
        let hasHeader: Bool
        do { hasHeader = try scanner.next(&record) } catch { throw dataError(error, line: 0) }
        let fields = record.array
        guard hasHeader else {
            throw DataError(file: displayName, line: 1, message: "the file is empty; a header row is required")
        }
        var header: [String] = []
        var shown: [String] = []
        var seen = Set<String>()  // a set, not the list: a header of 100,000 columns is no square
        if !dialect.header {
            // No header: the columns are column1, column2, …, and the first line is data.
            shown = (1...fields.count).map { "column\($0)" }
            scanner = CSVScanner(bytes: buffer, from: start, delimiter: dialect.delimiter)
        }
        for (i, field) in fields.enumerated() {
            let written: String
            if dialect.header {
                guard let name = scanner.string(of: field) else {
                    throw DataError(file: displayName, line: 1, column: i + 1, message: "the header is not valid UTF-8")
                }
                written = name.trimming(" \t").isEmpty ? "column\(i + 1)" : name  // a blank header gets a name
                shown.append(written)
            } else {
                written = shown[i]
            }
            let own = Self.normalise(written)
            let normalised = rename[own] ?? own
            if !seen.insert(normalised).inserted {
                throw DataError(file: displayName, line: 1, column: i + 1, message: "column `\(normalised)` appears twice in the header")
            }
            header.append(normalised)
        }
        let missing = specs.filter { $0.required && !seen.contains($0.name) }.map(\.name)
        if !missing.isEmpty {
            let list = missing.map { "`\($0)`" }.joined(separator: ", ")
            throw DataError(
                file: displayName, line: 1,
                message: "missing required column\(missing.count > 1 ? "s" : "") \(list) (the header has: \(header.joined(separator: ", ")))")
        }
        var plan = ColumnPlan(header: header, specs: specs, keepsExtras: keepsExtras)
        plan.shown = shown.map(Self.normalise)
        return (plan, header, scanner.position, scanner.line)
    }

    /// Rows arriving in blocks, each parsed while the next one is received. Each block's
    /// numbers, dates and customers are a piece of their own, sized from the block (a stream's
    /// length is unknown: one growing column would be copied at every doubling, and those
    /// fresh pages cost more than the parse); text goes on in one builder from block to block,
    /// so that it is interned once rather than merged.
    private func read(_ blocks: BlockStream) throws(DataError) -> ReadTable {
        var planned: (plan: ColumnPlan, header: [String])?
        var pieces: [Piece] = []
        var texts: [TextColumnBuilder]?
        var line = 1
        try blocks.consume { block throws(DataError) in
            try block.withUnsafeBufferPointer { buffer throws(DataError) in
                var from = 0
                if planned == nil {
                    let head = try plan(buffer)
                    planned = (head.plan, head.header)
                    (from, line) = (head.bodyStart, head.bodyLine)
                }
                var piece = PieceParser(
                    reader: self, plan: planned!.plan,
                    scanner: CSVScanner(bytes: buffer, from: from, line: line, delimiter: dialect.delimiter),
                    expectedRows: Self.estimateRows(buffer, from..<buffer.count))
                // Moved in, not shared: a builder still held here would be copied whole
                // at the block's first row.
                if let carried = texts.take() {
                    piece.piece.texts = carried
                } else if let expectedRows {
                    // Made room for once: a column of every row's codes that doubles its way up
                    // is copied each time, onto fresh pages.
                    for k in piece.piece.texts.indices { piece.piece.texts[k].reserveRows(expectedRows) }
                }
                try piece.run()
                line = piece.scanner.line
                texts = piece.piece.texts
                piece.piece.texts = Array(repeating: TextColumnBuilder(), count: planned!.plan.textNames.count)
                pieces.append(piece.piece)
            }
        }
        guard let planned, !pieces.isEmpty else { throw DataError(file: displayName, line: 1, message: "no rows and no header came") }
        pieces[0].texts = texts!
        return merge(consume pieces, plan: planned.plan, header: planned.header)
    }

    /// The header, then every row, in pieces parsed on all cores.
    private func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(DataError) -> ReadTable {
        let (plan, header, bodyStart, bodyLine) = try plan(buffer)
        let pieces = Self.split(buffer, from: bodyStart, into: quotesAbsent(buffer, from: bodyStart) ? 2 : 1)

        let results = parallelMap(pieces.count) { k -> Result<Piece, DataError> in
            let range = pieces[k]
            // Lines of later pieces are counted from 1 and put right only if an error needs them.
            var piece = PieceParser(
                reader: self, plan: plan,
                scanner: CSVScanner(
                    bytes: buffer, from: range.lowerBound, to: range.upperBound, line: k == 0 ? bodyLine : 1, delimiter: dialect.delimiter),
                expectedRows: Self.estimateRows(buffer, range))
            if k == 0 { piece.reportsProgress = progress }
            do throws(DataError) {
                try piece.run()
                piece.piece.endLine = piece.scanner.line
                return .success(piece.piece)
            } catch {
                return .failure(error)
            }
        }
        var parsed: [Piece] = []
        // Consumed, so that `parsed` holds the only reference to each piece's columns.
        for result in consume results {
            // A later piece counts its lines from 1: the line it starts on is the one the
            // piece before it ended on.
            let moved = parsed.last.map { $0.endLine - 1 } ?? 0
            switch result {
            case .success(var piece):
                piece.lines.move(by: moved)
                piece.endLine += moved
                parsed.append(piece)
            case .failure(var error):
                if let line = error.line { error.line = line + moved }
                throw error
            }
        }
        return merge(consume parsed, plan: plan, header: header)
    }

    private func quotesAbsent(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        guard buffer.count > start else { return true }
        return memchr(buffer.baseAddress! + start, 0x22, buffer.count - start) == nil
    }

    /// Splits at newlines into at most `count` pieces of about equal size.
    static func split(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, into count: Int) -> [Range<Int>] {
        let length = buffer.count - start
        guard count > 1, length > 1 << 20 else { return [start..<buffer.count] }
        var pieces: [Range<Int>] = []
        var lower = start
        for k in 1..<count {
            var cut = start + length * k / count
            while cut < buffer.count, buffer[cut] != 0x0A { cut += 1 }
            cut = min(cut + 1, buffer.count)
            pieces.append(lower..<cut)
            lower = cut
        }
        pieces.append(lower..<buffer.count)
        return pieces
    }

    /// Rows in a piece, guessed from the newlines in its first 64 KiB, so that columns are
    /// allocated once instead of growing by doubling (each doubling touches fresh pages).
    static func estimateRows(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        let sample = min(range.count, 1 << 16)
        guard sample > 0 else { return 0 }
        var lines = 0
        for i in range.lowerBound..<(range.lowerBound + sample) where buffer[i] == 0x0A { lines += 1 }
        return Int(Double(range.count) / Double(sample) * Double(max(lines, 1)) * 1.05) + 16
    }

    func dataError(_ error: CSVSyntaxError, line: Int) -> DataError {
        DataError(file: displayName, line: error.line + line, column: error.field, message: error.message)
    }

    /// One table of the pieces: numbers, dates and customers stay in their pieces; text
    /// columns are merged by their bytes, so that equal texts share a code.
    private func merge(_ pieces: consuming [Piece], plan: ColumnPlan, header: [String]) -> ReadTable {
        var table = ReadTable(rowCount: pieces.reduce(0) { $0 + $1.rowCount }, header: header)
        for (k, name) in plan.numberNames.enumerated() { table.numbers.pieces[name] = pieces.map { $0.numbers[k] } }
        for (k, name) in plan.dateNames.enumerated() { table.dates.pieces[name] = pieces.map { $0.dates[k] } }
        if plan.slots.contains(where: { if case .customer = $0 { true } else { false } }) {
            table.customerPieces = pieces.map(\.customers)
        }
        for (k, name) in plan.boolNames.enumerated() { table.bools[name] = Array(concatenating: pieces.map { $0.bools[k] }) }
        // Each text column is merged on its own core, into the first piece's builder moved
        // out of the piece: held nowhere else, its table takes the other pieces' strings in
        // place, where a shared one would first be copied whole (onto plain pages).
        let firsts = UnsafeMutableBufferPointer<TextColumnBuilder>.allocate(capacity: plan.textNames.count)
        defer { firsts.deallocate() }
        if pieces.isEmpty {
            firsts.initialize(repeating: TextColumnBuilder())
        } else {
            _ = firsts.initialize(fromContentsOf: pieces[0].texts)
            pieces[0].texts = []
        }
        let merged = parallelMap(plan.textNames.count) { k -> TextColumnBuilder in
            var builder = (firsts.baseAddress! + k).move()
            for j in pieces.indices.dropFirst() where !pieces[j].texts[k].column.codes.isEmpty {
                builder.append(contentsOf: pieces[j].texts[k])
            }
            return builder
        }
        for (k, name) in plan.textNames.enumerated() {
            table.texts[name] = merged[k].column
            table.interned[name] = merged[k].interned
        }
        table.extras = plan.extraNames.enumerated().map { k, name in (name, Array(concatenating: pieces.map { $0.extras[k] })) }
        for piece in pieces { table.lines.append(contentsOf: piece.lines) }
        return table
    }
}

/// Where each header column goes: a typed slot for declared columns, a raw slot for the
/// rest. Slots are plain integers so that reading a field copies nothing that needs counting.
struct ColumnPlan {
    enum Slot {
        case number(Int)
        case date(Int)
        case text(Int)
        case bool(Int)
        case customer
        case extra(Int)
        /// A column no one asked for, passed over.
        case skip
    }

    var slots: [Slot] = []
    /// The spec of each header column (nil for extra columns), for messages.
    var specs: [ColumnSpec?] = []
    var header: [String]
    /// The file's own name of each column, for messages.
    var shown: [String]
    var emptyAllowed: [Bool] = []
    var negativeRefused: [String?] = []
    var notBefore: [(day: Int32, why: String)?] = []
    var numberNames: [String] = []
    var dateNames: [String] = []
    var textNames: [String] = []
    var boolNames: [String] = []
    var extraNames: [String] = []
    /// Whether each text column's values repeat (`ColumnSpec.repeats`), by text slot.
    var textRepeats: [Bool] = []

    init(header: [String], specs: [ColumnSpec], keepsExtras: Bool = true) {
        self.header = header
        self.shown = header
        for name in header {
            let spec = specs.first { $0.name == name }
            self.specs.append(spec)
            emptyAllowed.append(spec?.emptyAllowed ?? true)
            negativeRefused.append(spec?.negativeRefused)
            notBefore.append(spec?.notBefore)
            switch spec?.kind {
            case nil where !keepsExtras: slots.append(.skip)
            case nil: slots.append(.extra(extraNames.count)); extraNames.append(name)
            case .number: slots.append(.number(numberNames.count)); numberNames.append(name)
            case .date: slots.append(.date(dateNames.count)); dateNames.append(name)
            case .text: slots.append(.text(textNames.count)); textNames.append(name); textRepeats.append(spec?.repeats ?? false)
            case .bool: slots.append(.bool(boolNames.count)); boolNames.append(name)
            case .customer: slots.append(.customer)
            }
        }
    }
}

/// The columns parsed from one piece of a file.
struct Piece {
    var rowCount = 0
    var numbers: [[Double]]
    var dates: [[Int32]]
    var texts: [TextColumnBuilder]
    var bools: [[UInt8]]
    var customers: [Int32] = []
    var extras: [[String?]]
    /// The line each row begins on. A piece parsed apart from those before it counts from 1
    /// until its lines are moved into the file's count.
    var lines = RowLines()
    /// The line the piece's scanner ended on: where the piece after it begins.
    var endLine = 0

    init(plan: ColumnPlan, expectedRows: Int = 0) {
        numbers = Array(repeating: [], count: plan.numberNames.count)
        dates = Array(repeating: [], count: plan.dateNames.count)
        texts = Array(repeating: TextColumnBuilder(), count: plan.textNames.count)
        bools = Array(repeating: [], count: plan.boolNames.count)
        extras = Array(repeating: [], count: plan.extraNames.count)
        for i in numbers.indices { numbers[i].reserveCapacity(expectedRows) }
        for i in dates.indices { dates[i].reserveCapacity(expectedRows) }
        for i in texts.indices { texts[i].expectedRows = plan.textRepeats[i] ? 0 : expectedRows }
        if plan.slots.contains(where: { if case .customer = $0 { true } else { false } }) { customers.reserveCapacity(expectedRows) }
    }
}

/// Parses the rows of one piece into a `Piece`.
private struct PieceParser {
    let reader: TableReader
    let plan: ColumnPlan
    var scanner: CSVScanner
    var piece: Piece
    private let customerIndex: InternedStrings
    private let dialect: Dialect
    private let standardNumbers: Bool
    /// Customer id fields waiting to be looked up: a batch looked up in a tight loop lets
    /// the processor wait for several cache misses at once instead of one per parsed row.
    private var pendingIds: [(start: Int, end: Int, line: Int32)] = []
    /// Text fields waiting to be added to their columns, for the same reason.
    private var pendingTexts: [(k: Int32, column: Int32, start: Int, end: Int, line: Int32)] = []
    /// Only the first piece reports progress, for all.
    var reportsProgress: (@Sendable (Double) -> Void)?
    private let start: Int
    private var customerColumn = 0
    private static let idBatch = 256
    /// The last date field's bytes and value: dates repeat row after row.
    private var lastDate: (UInt64, UInt16, Int32) = (0, 0, CalendarDay.null)

    init(reader: TableReader, plan: ColumnPlan, scanner: CSVScanner, expectedRows: Int) {
        self.reader = reader
        self.plan = plan
        self.scanner = scanner
        self.piece = Piece(plan: plan, expectedRows: expectedRows)
        self.customerIndex = reader.customerIndex ?? InternedStrings()
        self.dialect = reader.dialect
        self.standardNumbers = reader.dialect.decimal == 0x2E && reader.dialect.thousands == nil
        self.start = scanner.position
    }

    mutating func run() throws(DataError) {
        var fields = CSVFields()
        let width = plan.slots.count
        while true {
            let more: Bool
            do { more = try scanner.next(&fields) } catch { throw reader.dataError(error, line: 0) }
            guard more else { break }
            let line = scanner.recordLine
            if fields.count != width {
                throw DataError(
                    file: reader.displayName, line: line, column: min(fields.count, width) + (fields.count < width ? 0 : 1),
                    message: "expected \(width) fields as in the header, found \(fields.count)")
            }
            do throws(DataError) {
                for i in 0..<width {
                    try read(fields[i], into: plan.slots[i], line: line, column: i)
                }
            } catch {
                // An error in a row before this one, still waiting in a batch, comes first.
                try resolveIds()
                try appendTexts()
                throw error
            }
            if reader.keepLines { piece.lines.append(line) }
            piece.rowCount += 1
            if pendingIds.count >= Self.idBatch { try resolveIds() }
            if pendingTexts.count >= Self.idBatch { try appendTexts() }
            if piece.rowCount & 0xFFFF == 0 {
                // Ctrl-C stops a long read; nothing of it is kept.
                if reader.interrupted() { throw DataError.interrupted(reader.displayName) }
                if let progress = reportsProgress { progress(Double(scanner.position - start) / Double(max(1, scanner.end - start))) }
            }
        }
        try resolveIds()
        try appendTexts()
    }

    /// Adds the waiting text fields to their columns, in row order, after prefetching the
    /// slot each one hashes to: a batch's cache misses overlap instead of following one
    /// another, as the customer ids' do.
    private mutating func appendTexts() throws(DataError) {
        guard !pendingTexts.isEmpty else { return }
        let base = scanner.base
        // The columns through a pointer: `piece.texts[k]` as an array element would copy the
        // builder (five retains and releases) for every field prefetched.
        let invalid = piece.texts.withUnsafeMutableBufferPointer { texts -> (line: Int32, column: Int32)? in
            for field in pendingTexts where field.end > field.start {
                texts[Int(field.k)].prefetch(UnsafeBufferPointer(start: base + field.start, count: field.end - field.start))
            }
            for field in pendingTexts {
                let k = Int(field.k)
                guard field.end > field.start else {
                    texts[k].appendNull()
                    continue
                }
                guard texts[k].append(bytes: UnsafeBufferPointer(start: base + field.start, count: field.end - field.start)) else {
                    return (field.line, field.column)
                }
            }
            return nil
        }
        pendingTexts.removeAll(keepingCapacity: true)
        if let invalid { throw error(Int(invalid.line), Int(invalid.column), "the text is not valid UTF-8") }
    }

    private mutating func resolveIds() throws(DataError) {
        var from = 0
        while from < pendingIds.count {
            let batch = from == 0 ? pendingIds : Array(pendingIds[from...])
            guard let missing = customerIndex.find(batch: batch, in: scanner.base, into: &piece.customers) else { break }
            // Not found as written: perhaps with spaces around it.
            let id = batch[missing]
            let bytes = UnsafeBufferPointer(start: scanner.base + id.start, count: id.end - id.start)
            guard let row = customerIndex.find(trimmed(bytes)) else {
                throw error(
                    Int(id.line), customerColumn,
                    "unknown customer id \"\(String(decoding: bytes, as: UTF8.self))\": no such id in \(reader.customerFile)")
            }
            piece.customers.append(row)
            from += missing + 1
        }
        pendingIds.removeAll(keepingCapacity: true)
    }

    private func error(_ line: Int, _ column: Int, _ message: String) -> DataError {
        DataError(file: reader.displayName, line: line, column: column + 1, columnName: plan.shown[column], message: message)
    }

    private func shown(_ field: CSVField) -> String {
        let text = scanner.string(of: field) ?? "(bytes that are not UTF-8)"
        return text.count > 40 ? "\"\(text.prefix(40))…\"" : "\"\(text)\""
    }

    /// The field's bytes without surrounding spaces.
    @inline(__always)
    private func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var s = 0
        var e = b.count
        while s < e, b[s] == 0x20 { s += 1 }
        while e > s, b[e - 1] == 0x20 { e -= 1 }
        return s == 0 && e == b.count ? b : UnsafeBufferPointer(rebasing: b[s..<e])
    }

    private func isBlank(_ field: CSVField) -> Bool {
        var p = field.start
        while p < field.end {
            if scanner.base[p] != 0x20 { return false }
            p += 1
        }
        return true
    }

    @inline(__always)
    private mutating func date(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        if b.count == 10, let base = UnsafeRawPointer(b.baseAddress) {
            let head = base.loadUnaligned(as: UInt64.self)
            let tail = base.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
            if head == lastDate.0, tail == lastDate.1 { return lastDate.2 }
            guard let day = dialect.date(b) else { return nil }
            lastDate = (head, tail, day)
            return day
        }
        return dialect.date(b)
    }

    /// One field into its column, checked as that column's kind demands: a case a kind.
    private mutating func read(_ field: CSVField, into slot: ColumnPlan.Slot, line: Int, column: Int) throws(DataError) {
        switch slot {
        case .number(let k):
            if isBlank(field) {
                guard plan.emptyAllowed[column] else { throw error(line, column, "expected a number, found an empty field") }
                piece.numbers[k].append(.nan)
                return
            }
            guard let value = scanner.withBytes(of: field, { standardNumbers ? DecimalParser.parse($0) : dialect.number($0) }) else {
                throw error(line, column, "expected a number (like 1234.50), found \(shown(field))")
            }
            if value < 0, let why = plan.negativeRefused[column] {
                throw error(line, column, "expected 0 or more, found \(shown(field)): \(why)")
            }
            piece.numbers[k].append(value)
        case .date(let k):
            if isBlank(field) {
                guard plan.emptyAllowed[column] else { throw error(line, column, "expected a date, found an empty field") }
                piece.dates[k].append(CalendarDay.null)
                return
            }
            let bytes = UnsafeBufferPointer(start: scanner.base + field.start, count: field.end - field.start)
            let value: Int32?
            if field.quoted {
                value = scanner.withBytes(of: field) { dialect.dates == .iso ? CalendarDay.parse($0) : dialect.date(trimmed($0)) }
            } else {
                value = date(trimmed(bytes))
            }
            guard let value else {
                throw error(line, column, "expected a date as \(dialect.dates.rawValue), found \(shown(field))")
            }
            if let bound = plan.notBefore[column], value < bound.day {
                throw error(line, column, "expected a date from \(CalendarDay.format(bound.day)) on, found \(shown(field)): \(bound.why)")
            }
            piece.dates[k].append(value)
        case .text(let k):
            if !field.hasDoubledQuotes {
                // Spaces around a bare field are the file's layout; inside quotes, they are the value (RFC 4180).
                var (start, end) = (field.start, field.end)
                if !field.quoted {
                    while start < end, scanner.base[start] == 0x20 { start += 1 }
                    while end > start, scanner.base[end - 1] == 0x20 { end -= 1 }
                }
                if start == end, !plan.emptyAllowed[column] { throw error(line, column, "expected a value, found an empty field") }
                pendingTexts.append((Int32(k), Int32(column), start, end, Int32(truncatingIfNeeded: line)))
                return
            }
            // Rare: a text with a doubled quote is added now, after the ones before it.
            try appendTexts()
            let ok = scanner.withBytes(of: field) { raw -> Bool in
                // Spaces around a bare field are the file's layout; inside quotes, they are the value (RFC 4180).
                let bytes = field.quoted ? raw : trimmed(raw)
                if bytes.isEmpty {
                    piece.texts[k].appendNull()
                    return true
                }
                return piece.texts[k].append(bytes: bytes)
            }
            guard ok else { throw error(line, column, "the text is not valid UTF-8") }
            if !plan.emptyAllowed[column], piece.texts[k].column.codes.last == -1 {
                throw error(line, column, "expected a value, found an empty field")
            }
        case .bool(let k):
            if isBlank(field) {
                piece.bools[k].append(2)
                return
            }
            guard let text = scanner.string(of: field), let value = Self.bool(text) else {
                throw error(line, column, "expected true or false, found \(shown(field))")
            }
            piece.bools[k].append(value ? 1 : 0)
        case .customer:
            if isBlank(field) { throw error(line, column, "expected a customer id, found an empty field") }
            customerColumn = column
            if !field.hasDoubledQuotes {
                pendingIds.append((field.start, field.end, Int32(truncatingIfNeeded: line)))
                return
            }
            // Rare: an id with a doubled quote is looked up now, after the ones before it.
            try resolveIds()
            let row = scanner.withBytes(of: field) { customerIndex.find($0) ?? customerIndex.find(trimmed($0)) }
            guard let row else {
                throw error(line, column, "unknown customer id \(shown(field)): no such id in \(reader.customerFile)")
            }
            piece.customers.append(row)
        case .extra(let k):
            guard let text = scanner.string(of: field) else { throw error(line, column, "the text is not valid UTF-8") }
            let value = field.quoted ? text : text.trimming(" ")
            piece.extras[k].append(value.isEmpty ? nil : value)
        case .skip:
            break
        }
    }

    static func bool(_ text: String) -> Bool? {
        switch text.trimming(" ").lowercased() {
        case "true", "t", "yes", "y", "1": true
        case "false", "f", "no", "n", "0": false
        default: nil
        }
    }
}
