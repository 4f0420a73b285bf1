/// The value of an expression over all customers at once: a column, or one value for all.
/// Nulls are as in `ColumnData`: NaN, `CalendarDay.null`, text code -1 (or nil), bool 2.
enum Vector {
    case numbers([Double])
    case dates([Int32])
    case texts(TextColumn)
    case bools([UInt8])
    case number(Double)
    case date(Int32)
    case text(String?)
    case bool(UInt8)

    init(_ column: ColumnData) {
        switch column {
        case .number(let v): self = .numbers(v)
        case .date(let v): self = .dates(v)
        case .text(let v): self = .texts(v)
        case .bool(let v): self = .bools(v)
        }
    }

    /// The vector as a column of `count` rows.
    func column(_ count: Int) -> ColumnData {
        switch self {
        case .numbers(let v): .number(v)
        case .dates(let v): .date(v)
        case .texts(let v): .text(v)
        case .bools(let v): .bool(v)
        case .number(let x): .number([Double](repeating: x, count: count))
        case .date(let x): .date([Int32](repeating: x, count: count))
        case .text(let x): .text(TextColumn(codes: [Int32](repeating: x == nil ? -1 : 0, count: count), values: x.map { [$0] } ?? []))
        case .bool(let x): .bool([UInt8](repeating: x, count: count))
        }
    }

    /// The given rows of a column; a single value stays as it is.
    func slice(_ rows: Range<Int>) -> Vector {
        switch self {
        case .numbers(let v): .numbers(Array(v[rows]))
        case .dates(let v): .dates(Array(v[rows]))
        case .texts(let v): .texts(TextColumn(codes: Array(v.codes[rows]), values: v.values))
        case .bools(let v): .bools(Array(v[rows]))
        default: self
        }
    }

    /// Truth per row, 0 false, 1 true, 2 null.
    func truth(_ count: Int) -> [UInt8] {
        switch self {
        case .bools(let v): v
        case .bool(let x): [UInt8](repeating: x, count: count)
        default: [UInt8](repeating: 2, count: count)
        }
    }
}
