/// One field of a CSV record: where its bytes are, and whether it was quoted (a quoted
/// field may hold doubled quotes that `CSVScanner.bytes(of:)` undoes).
struct CSVField {
    var start: Int
    var end: Int
    var quoted: Bool
    var hasDoubledQuotes: Bool
}

/// The fields of one record, in memory the next record reuses. Not an array: an array
/// checks on every append that it is not shared and has room, and clears itself through a
/// general range replacement — together 4% of a 7.7M-row load's time, for bookkeeping that
/// a buffer owned by one reader never needs.
struct CSVFields: ~Copyable {
    private var storage: UnsafeMutablePointer<CSVField>
    private var capacity = 16
    private(set) var count = 0

    init() { storage = .allocate(capacity: capacity) }

    deinit { storage.deallocate() }

    subscript(i: Int) -> CSVField {
        precondition(i >= 0 && i < count, "field \(i) of a record of \(count)")
        return storage[i]
    }

    /// The fields as an array, for the few records (a header, a sample) read as text.
    var array: [CSVField] { Array(UnsafeBufferPointer(start: storage, count: count)) }

    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func append(_ field: CSVField) {
        if count == capacity {
            // A record wider than any before it: twice the room, the fields so far moved over.
            let bigger = UnsafeMutablePointer<CSVField>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: storage, count: count)
            storage.deallocate()
            storage = bigger
            capacity *= 2
        }
        (storage + count).initialize(to: field)
        count += 1
    }
}

/// What went wrong in the CSV syntax itself, before any value was read.
struct CSVSyntaxError: Error {
    var line: Int
    var field: Int
    var message: String
}

/// An RFC 4180 record scanner over bytes in memory: quoted fields with embedded delimiters,
/// doubled quotes and newlines, CRLF or LF line ends. It hands out byte ranges, never
/// strings, so that reading millions of rows makes no allocation per field. The delimiter
/// is a comma unless told (`;`, tab, `|`), or runs of spaces, where spaces at the start and
/// end of a line separate nothing.
struct CSVScanner {
    let base: UnsafePointer<UInt8>
    let end: Int
    let delimiter: UInt8
    let spaceRuns: Bool
    private(set) var position: Int
    /// The physical line number (1-based) at `position`.
    private(set) var line: Int
    /// The line on which the record last returned by `next` began.
    private(set) var recordLine = 0

    init(bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0, to end: Int? = nil, line: Int = 1, delimiter: Delimiter = .comma) {
        self.base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        self.delimiter = delimiter.byte
        self.spaceRuns = delimiter == .spaces
        self.position = start
        self.end = end ?? bytes.count
        self.line = line
    }

    /// Reads the next record into `fields`; returns false at the end of input.
    /// Empty lines are skipped (a trailing newline at the end of a file is common).
    mutating func next(_ fields: inout CSVFields) throws(CSVSyntaxError) -> Bool {
        fields.removeAll()
        // Blank lines, and with runs of spaces for a delimiter lines of spaces too: a loop,
        // not a call a line, so that a million of them are no deeper than one.
        while position < end {
            let c = base[position]
            if c == 0x0A {
                line += 1
            } else if c != 0x0D, !(spaceRuns && c == 0x20) {
                break
            }
            position += 1
        }
        guard position < end else { return false }
        recordLine = line
        var p = position
        let delimiter = self.delimiter
        while true {
            if p < end, base[p] == 0x22 {
                let (field, after) = try scanQuoted(from: p, fieldNumber: fields.count + 1)
                fields.append(field)
                p = after
            } else {
                let start = p
                p = fieldEnd(from: p)
                fields.append(CSVField(start: start, end: p, quoted: false, hasDoubledQuotes: false))
            }
            if p >= end { break }
            let c = base[p]
            if c == delimiter {
                p += 1
                if spaceRuns {
                    while p < end, base[p] == 0x20 { p += 1 }
                    // Spaces before the line's end end the record; they start no field.
                    if p >= end { break }
                    if base[p] == 0x0A || base[p] == 0x0D {
                        endLine(&p)
                        break
                    }
                }
                continue
            }
            endLine(&p)
            break
        }
        position = p
        return true
    }

    /// Where a bare field starting at `p` ends: at the first delimiter, CR or LF, or the end.
    /// Eight bytes at a time while eight remain — a byte equal to one of the three is a zero
    /// byte of the word xor'ed with it repeated, and the lowest zero byte's flag is exact.
    @inline(__always)
    private func fieldEnd(from start: Int) -> Int {
        var p = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let delimiters = UInt64(delimiter) &* ones
        while p &+ 8 <= end {
            let word = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
            let hits = Self.zeroBytes(word ^ delimiters) | Self.zeroBytes(word ^ (0x0A &* ones)) | Self.zeroBytes(word ^ (0x0D &* ones))
            if hits != 0 { return p &+ hits.trailingZeroBitCount >> 3 }
            p &+= 8
        }
        while p < end {
            let c = base[p]
            if c == delimiter || c == 0x0A || c == 0x0D { break }
            p += 1
        }
        return p
    }

    /// The high bit of each byte of `x` that is zero (and maybe of bytes above the first
    /// such: the borrow runs on, so only the lowest flag is to be trusted).
    @inline(__always)
    private static func zeroBytes(_ x: UInt64) -> UInt64 {
        (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    /// Past the CR, LF or CRLF at `p`.
    @inline(__always)
    private mutating func endLine(_ p: inout Int) {
        if base[p] == 0x0D {
            p += 1
            if p < end, base[p] == 0x0A { p += 1 }
        } else {
            p += 1
        }
        line += 1
    }

    private mutating func scanQuoted(from open: Int, fieldNumber: Int) throws(CSVSyntaxError) -> (CSVField, Int) {
        let startLine = line
        var p = open + 1
        var doubled = false
        while p < end {
            let c = base[p]
            if c == 0x22 {
                if p + 1 < end, base[p + 1] == 0x22 {
                    doubled = true
                    p += 2
                    continue
                }
                let field = CSVField(start: open + 1, end: p, quoted: true, hasDoubledQuotes: doubled)
                p += 1
                if p < end, base[p] != delimiter, base[p] != 0x0A, base[p] != 0x0D {
                    throw CSVSyntaxError(
                        line: line, field: fieldNumber,
                        message: "a quoted field must end at its closing quote; found more text after it")
                }
                return (field, p)
            }
            if c == 0x0A { line += 1 }
            p += 1
        }
        throw CSVSyntaxError(
            line: startLine, field: fieldNumber,
            message: "a quoted field opened here is never closed (a missing \" ?)")
    }

    /// The field's bytes with doubled quotes undone, handed to `body` without copying
    /// when there is nothing to undo.
    @inline(__always)
    func withBytes<R>(of field: CSVField, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let raw = UnsafeBufferPointer(start: base + field.start, count: field.end - field.start)
        guard field.hasDoubledQuotes else { return try body(raw) }
        var copy: [UInt8] = []
        copy.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            copy.append(raw[i])
            i += raw[i] == 0x22 ? 2 : 1
        }
        return try copy.withUnsafeBufferPointer(body)
    }

    /// The field as text, or nil when its bytes are not valid UTF-8.
    func string(of field: CSVField) -> String? {
        withBytes(of: field) { String(utf8: $0) }
    }
}
