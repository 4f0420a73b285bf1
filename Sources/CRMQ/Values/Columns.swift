import CInterrupt

/// Whether the person asked to stop (Ctrl-C): long work asks this now and then. The shell's
/// flag by default; a test gives a session its own.
public typealias InterruptCheck = @Sendable () -> Bool

public let ctrlCPressed: InterruptCheck = { crmq_interrupt_pending() != 0 }

/// The types a field can have in the language.
public enum ValueType: String, Sendable, Equatable {
    case number, text, date, bool
}

/// How a number is meant, so that tables can round and label it the way a person expects.
public enum NumberUnit: Sendable, Equatable {
    case count      // whole numbers: orders, customers
    case money      // two decimals, grouped
    case weeks      // the models' time unit
    case days
    case ratio      // 0…1, shown as a percentage
    case score      // 0…10, 0…100
    case estimate   // a fitted value: four significant digits
    case plain      // as it comes
}

/// A column of text, dictionary-encoded: each row holds a code into `values`; -1 is null.
/// Grouping and equality run on the codes, so `segment by region` never compares strings.
public struct TextColumn: Sendable, Equatable {
    public var codes: [Int32]
    public var values: [String]

    public init(codes: [Int32], values: [String]) {
        self.codes = codes
        self.values = values
    }

    public subscript(row: Int) -> String? {
        let code = codes[row]
        return code < 0 ? nil : values[Int(code)]
    }

    /// A column whose rows are the given strings, each distinct value stored once.
    public init(_ rows: [String?]) {
        var builder = TextColumnBuilder()
        for row in rows { builder.append(row) }
        self = builder.column
    }
}

/// Builds a `TextColumn` row by row, storing each distinct value once.
struct TextColumnBuilder {
    private(set) var interned = InternedStrings()
    private(set) var column = TextColumn(codes: [], values: [])
    /// Rows the column is expected to get; once its first rows show it mostly unique (ids,
    /// names), room for them all is made at once instead of doubling twenty times.
    var expectedRows = 0

    mutating func append(_ value: String?) {
        guard let value else {
            column.codes.append(-1)
            return
        }
        let (code, isNew) = interned.intern(value)
        if isNew { column.values.append(value) }
        column.codes.append(code)
    }

    /// Appends the text these bytes hold; false, appending nothing, when they are not UTF-8.
    @inline(__always)
    mutating func append(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if column.codes.count == 1024, interned.count > 512, expectedRows > 4096 {
            interned.reserve(expectedRows)
            column.values.reserveCapacity(expectedRows)
        }
        let (code, isNew) = interned.intern(bytes)
        if isNew {
            // A load stops at invalid text, so what was interned needs no undoing.
            guard let value = String(utf8: bytes) else { return false }
            column.values.append(value)
        }
        column.codes.append(code)
        return true
    }

    mutating func appendNull() { column.codes.append(-1) }

    /// Makes room for this many rows' codes at once.
    mutating func reserveRows(_ rows: Int) { column.codes.reserveCapacity(rows) }

    /// Prefetches the slot these bytes hash to, so that appending them soon after finds it in
    /// cache. Mutating though it changes nothing: called on a builder in a buffer of them, a
    /// mutating method works on it in place, where a plain one is handed a copy — five
    /// retains and five releases a field, a fifth of the time a PostgreSQL load spent parsing.
    @inline(__always)
    mutating func prefetch(_ bytes: UnsafeBufferPointer<UInt8>) { interned.prefetch(bytes) }

    /// Appends another builder's rows, matching its strings by their bytes.
    mutating func append(contentsOf other: TextColumnBuilder) {
        let remap = interned.intern(contentsOf: other.interned)
        for (i, code) in remap.enumerated() where Int(code) == column.values.count { column.values.append(other.column.values[i]) }
        column.codes.reserveCapacity(column.codes.count + other.column.codes.count)
        for code in other.column.codes { column.codes.append(code < 0 ? -1 : remap[Int(code)]) }
    }
}

/// One column of plain values. Nulls: NaN for numbers, `CalendarDay.null` for dates,
/// code -1 for text, 2 for booleans (0 false, 1 true).
public enum ColumnData: Sendable, Equatable {
    case number([Double])
    case date([Int32])
    case text(TextColumn)
    case bool([UInt8])

    public var type: ValueType {
        switch self {
        case .number: .number
        case .date: .date
        case .text: .text
        case .bool: .bool
        }
    }

    public var count: Int {
        switch self {
        case .number(let v): v.count
        case .date(let v): v.count
        case .text(let v): v.codes.count
        case .bool(let v): v.count
        }
    }

    public func isNull(_ row: Int) -> Bool {
        switch self {
        case .number(let v): v[row].isNaN
        case .date(let v): v[row] == CalendarDay.null
        case .text(let v): v.codes[row] < 0
        case .bool(let v): v[row] > 1
        }
    }

    /// The rows at the given positions, in that order.
    public func gather(_ rows: [Int32]) -> ColumnData {
        switch self {
        case .number(let v): .number(rows.map { v[Int($0)] })
        case .date(let v): .date(rows.map { v[Int($0)] })
        case .text(let v): .text(TextColumn(codes: rows.map { v.codes[Int($0)] }, values: v.values))
        case .bool(let v): .bool(rows.map { v[Int($0)] })
        }
    }
}

/// A field of a table: its name in the language, its type, its unit and what it means.
public struct Field: Sendable, Equatable {
    public var name: String
    public var type: ValueType
    public var unit: NumberUnit
    public var definition: String

    public init(_ name: String, _ type: ValueType, unit: NumberUnit = .plain, _ definition: String) {
        self.name = name
        self.type = type
        self.unit = unit
        self.definition = definition
    }
}
