import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The sections of an opened snapshot file, each read and checked when a statement first
/// needs it: its checksum, and that every value is one that can be. A reopen that answers
/// `count where revenue > 1000` reads one column of a 388 MB file, not all of it.
///
/// A section found damaged reads as nulls — so that no statement can trip on it — and is
/// remembered: the session then withholds the statement's answer and closes the snapshot
/// (`damage`), and `save snapshot` refuses to put a copy of it in place.
final class SnapshotFileSections: @unchecked Sendable {
    let path: String
    private let file: OpenFile
    private let placed: [String: SnapshotFileDirectory.Section]
    private let rules: [String: SectionRule]
    private let lock = NSLock()
    private var found: String?

    init(path: String, file: OpenFile, placed: [String: SnapshotFileDirectory.Section], rules: [SectionRule]) {
        self.path = path
        self.file = file
        self.placed = placed
        self.rules = Dictionary(rules.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The first damage found in a section read so far, as the error that names the file.
    var damage: DataError? {
        lock.lock()
        defer { lock.unlock() }
        return found.map { DataError(file: path, message: "is not a whole crmq snapshot file (\($0))") }
    }

    /// Remembers damage found (the first is the one told).
    func record(_ what: String) {
        lock.lock()
        defer { lock.unlock() }
        if found == nil { found = what }
    }

    /// A section's values, read straight into the column and checked block by block on all
    /// cores while each block is in the cache; damaged, the values of no row.
    func values<T>(_ name: String) -> [T] {
        let s = placed[name]!, rule = rules[name]!
        let count = s.length / MemoryLayout<T>.stride
        var failure: String?
        let column = [T](unsafeUninitializedCapacity: count) { buffer, made in
            made = count
            guard count > 0, let base = buffer.baseAddress else {
                failure = SectionChecksum.combined([]) == s.checksum ? nil : "section \(name)'s checksum does not match"
                return
            }
            let bytes = UnsafeMutableRawPointer(base)
            failure = read(s, rule, into: bytes)
            if failure != nil { rule.values.fillWithNulls(bytes, s.length) }
        }
        if let failure { record(failure) }
        return column
    }

    /// A text column: its codes, the offsets of its values and their bytes.
    func text(_ name: String) -> TextColumn {
        // Safe as read, damaged or not: the codes within the values (else all null), the
        // offsets rising to the bytes' end (else all 0, every value empty).
        let codes: [Int32] = values(name + "/codes"), offsets: [Int64] = values(name + "/offsets"), bytes: [UInt8] = values(name + "/bytes")
        let strings = bytes.withUnsafeBufferPointer { b in
            (0..<max(0, offsets.count - 1)).map { k in
                String(decoding: UnsafeBufferPointer(rebasing: b[Int(offsets[k])..<Int(offsets[k + 1])]), as: UTF8.self)
            }
        }
        return TextColumn(codes: codes, values: strings)
    }

    func column(_ name: String, _ type: ValueType) -> ColumnData {
        switch type {
        case .number: .number(values(name))
        case .date: .date(values(name))
        case .bool: .bool(values(name))
        case .text: .text(text(name))
        }
    }

    /// Reads a section into `bytes` and checks it; what is wrong with it, or nil.
    private func read(_ s: SnapshotFileDirectory.Section, _ rule: SectionRule, into bytes: UnsafeMutableRawPointer) -> String? {
        let blocks = Array(stride(from: 0, to: s.length, by: SectionChecksum.block))
        let checked = parallelMap(blocks.count) { b -> (checksum: UInt64, possible: Bool)? in
            let at = blocks[b], count = min(SectionChecksum.block, s.length - at)
            guard file.read(s.offset + at, count, into: bytes + at) else { return nil }
            let block = UnsafeRawBufferPointer(start: bytes + at, count: count)
            return (Checksum.of(block), rule.values.possible(inBlock: block))
        }
        guard checked.allSatisfy({ $0 != nil }) else { return "section \(s.name) cannot be read whole" }
        let sums = checked.map { $0!.checksum }, possible = checked.allSatisfy { $0!.possible }
        guard SectionChecksum.combined(sums) == s.checksum else { return "section \(s.name)'s checksum does not match" }
        guard possible, rule.values.possible(whole: UnsafeRawBufferPointer(start: bytes, count: s.length)) else {
            return "section \(s.name) holds values that cannot be"
        }
        return nil
    }
}

/// One section's name, its values' size and count, and what those values may be.
struct SectionRule {
    enum Values {
        case any
        /// Int32 values in lo..<hi.
        case within(Int32, Int32)
        /// Int32 values from 0, never falling, ending at `last` (the transactions' runs).
        case runs(last: Int32)
        /// Int64 offsets from 0, never falling, ending at `end` (a text column's values' bytes).
        case offsets(end: Int64)
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

    /// The days a file's dates can be: from 0001-01-01 through 9999-12-31.
    static let firstDay = CalendarDay.from(year: 1, month: 1, day: 1)
    static let lastDay = CalendarDay.from(year: 9999, month: 12, day: 31)
}

extension SectionRule.Values {
    /// Whether every value of a block is one that can be. Each test runs over the whole block
    /// without stopping early, folding into one flag, so that it is a vector loop.
    func possible(inBlock bytes: UnsafeRawBufferPointer) -> Bool {
        switch self {
        case .any, .runs, .offsets: return true  // checked whole
        case .bools:
            var high: UInt8 = 0
            for b in bytes { high |= b > 2 ? 1 : 0 }
            return high == 0
        case .within(let lo, let hi):
            return !Self.outside(bytes.bindMemory(to: Int32.self), lo, hi, null: nil)
        case .days(let from):
            return !Self.outside(bytes.bindMemory(to: Int32.self), from, SectionRule.lastDay &+ 1, null: CalendarDay.null)
        case .finite:
            // Infinite: every exponent bit set, no mantissa bit (a NaN, a null, has some).
            var infinite: UInt64 = 0
            for bits in bytes.bindMemory(to: UInt64.self) { infinite |= bits & 0x7FFF_FFFF_FFFF_FFFF == 0x7FF0_0000_0000_0000 ? 1 : 0 }
            return infinite == 0
        }
    }

    /// What only the whole section can show: runs and offsets that start at 0, never fall and
    /// end where they must.
    func possible(whole bytes: UnsafeRawBufferPointer) -> Bool {
        switch self {
        case .runs(let last): return Self.rising(bytes.bindMemory(to: Int32.self), to: last)
        case .offsets(let end): return Self.rising(bytes.bindMemory(to: Int64.self), to: end)
        default: return true
        }
    }

    /// Values no row can trip on, written over a damaged section: nulls, no rows, the first
    /// customer (a table with rows has customers: checked when the file is opened).
    func fillWithNulls(_ bytes: UnsafeMutableRawPointer, _ length: Int) {
        switch self {
        case .any, .offsets: memset(bytes, 0, length)
        case .within(let lo, _): bytes.initializeMemory(as: Int32.self, repeating: lo, count: length / 4)
        case .runs(let last):
            let v = bytes.initializeMemory(as: Int32.self, repeating: 0, count: length / 4)
            if length >= 4 { v[length / 4 - 1] = last }
        case .bools: memset(bytes, 2, length)
        case .days: bytes.initializeMemory(as: Int32.self, repeating: CalendarDay.null, count: length / 4)
        case .finite: bytes.initializeMemory(as: Double.self, repeating: .nan, count: length / 8)
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

    private static func rising<T: FixedWidthInteger>(_ v: UnsafeBufferPointer<T>, to last: T) -> Bool {
        guard v.first == 0, v.last == last else { return false }
        for i in 1..<max(1, v.count) where v[i] < v[i - 1] { return false }
        return true
    }
}
