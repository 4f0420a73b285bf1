/// What separates a file's fields.
public enum Delimiter: String, Sendable, Equatable, CaseIterable {
    case comma, semicolon, tab, pipe
    /// One or more spaces, as fixed-width exports align their columns (CDNOW's master file).
    case spaces

    var byte: UInt8 {
        switch self {
        case .comma: 0x2C
        case .semicolon: 0x3B
        case .tab: 0x09
        case .pipe: 0x7C
        case .spaces: 0x20
        }
    }

    /// As `format (delimiter ';')` writes it.
    var written: String {
        switch self {
        case .comma: ","
        case .semicolon: ";"
        case .tab: "\\t"
        case .pipe: "|"
        case .spaces: "spaces"
        }
    }
}

/// How a file writes its dates.
public enum DateOrder: String, Sendable, Equatable, CaseIterable {
    /// 2024-12-31, optionally with a time after it (which is ignored: the day as written counts).
    case iso = "YYYY-MM-DD"
    /// 31.12.2024, 31/12/2024 or 31-12-2024.
    case dayMonthYear = "DD.MM.YYYY"
    /// 12/31/2024.
    case monthDayYear = "MM/DD/YYYY"
    /// 20241231.
    case compact = "YYYYMMDD"
}

/// How a file writes its fields, numbers and dates: what `DialectSniffer` finds in it, or
/// what `format (…)` says. The standard dialect is crmq's own layout, read by the fast paths.
public struct Dialect: Sendable, Equatable {
    public var delimiter: Delimiter = .comma
    /// The decimal mark: `.` or `,`.
    public var decimal: UInt8 = 0x2E
    /// A thousands separator to skip inside numbers (`.` in 1.234,56), if any.
    public var thousands: UInt8?
    public var dates: DateOrder = .iso
    /// Whether the first line names the columns; without it they are column1, column2, ….
    public var header = true

    public init() {}

    public static let standard = Dialect()

    /// `delimiter ';', decimal ',', thousands '.', date 'DD.MM.YYYY'`, as `describe` shows it.
    var summary: String {
        var parts = ["delimiter '\(delimiter.written)'"]
        if decimal != 0x2E { parts.append("decimal '\(Character(Unicode.Scalar(decimal)))'") }
        if let thousands { parts.append("thousands '\(Character(Unicode.Scalar(thousands)))'") }
        parts.append("date '\(dates.rawValue)'")
        if !header { parts.append("header false") }
        return parts.joined(separator: ", ")
    }

    /// A number as this dialect writes it: thousands separators dropped and the decimal mark
    /// made a point, then read as usual. Only a non-standard dialect comes here.
    func number(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        guard decimal != 0x2E || thousands != nil else { return DecimalParser.parse(b) }
        // Most fields: digits and the decimal mark, nothing to drop or change first.
        if let value = DecimalParser.plain(b, point: decimal) { return value }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: b.count) { out -> Double? in
            var n = 0
            var sawDecimal = false
            for c in b {
                if c == thousands, !sawDecimal { continue }
                if c == decimal {
                    sawDecimal = true
                    out[n] = 0x2E
                } else if c == 0x2E, decimal != 0x2E {
                    return nil  // a point in a decimal-comma file that is not its thousands mark
                } else {
                    out[n] = c
                }
                n += 1
            }
            return DecimalParser.parse(UnsafeBufferPointer(rebasing: out[0..<n]))
        }
    }

    /// A date as this dialect writes it.
    func date(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        switch dates {
        case .iso: return CalendarDay.parse(b)
        case .compact:
            guard b.count == 8 else { return nil }
            return Self.civil(b, year: 0, month: 4, day: 6)
        case .dayMonthYear, .monthDayYear:
            // One- or two-digit day and month, a four-digit year, any of . / - between.
            var parts = (0, 0)  // the first two numbers (no array: this runs for every row)
            var count = 0
            var value = 0, digits = 0
            for c in b {
                if c &- 0x30 < 10 {
                    value = value * 10 + Int(c &- 0x30)
                    digits += 1
                    guard digits <= 4 else { return nil }
                } else if c == 0x2E || c == 0x2F || c == 0x2D, digits > 0, count < 2 {
                    if count == 0 { parts.0 = value } else { parts.1 = value }
                    count += 1
                    value = 0
                    digits = 0
                } else if c == 0x20 || c == 0x54, count == 2, digits == 4 {
                    break  // a time follows the date
                } else {
                    return nil
                }
            }
            guard digits == 4, count == 2 else { return nil }
            let year = value
            let (day, month) = dates == .dayMonthYear ? parts : (parts.1, parts.0)
            guard month >= 1, month <= 12, day >= 1, day <= CalendarDay.daysInMonth(year: year, month: month) else { return nil }
            return CalendarDay.from(year: year, month: month, day: day)
        }
    }

    /// YYYYMMDD read from fixed offsets.
    private static func civil(_ b: UnsafeBufferPointer<UInt8>, year: Int, month: Int, day: Int) -> Int32? {
        func digits(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for i in from..<(from + count) {
                let c = b[i] &- 0x30
                guard c < 10 else { return nil }
                v = v * 10 + Int(c)
            }
            return v
        }
        guard let y = digits(year, 4), let m = digits(month, 2), let d = digits(day, 2),
              m >= 1, m <= 12, d >= 1, d <= CalendarDay.daysInMonth(year: y, month: m) else { return nil }
        return CalendarDay.from(year: y, month: m, day: d)
    }
}
