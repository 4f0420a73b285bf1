/// Calendar days as plain integers: days since 1970-01-01 in the proleptic Gregorian calendar.
///
/// Columns of dates are `[Int32]`; `CalendarDay.null` marks a missing date. The conversions
/// are Howard Hinnant's `days_from_civil` / `civil_from_days`, exact for every year 0...9999.
public enum CalendarDay {
    public static let null: Int32 = .min

    public static func from(year: Int, month: Int, day: Int) -> Int32 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int32(era * 146_097 + doe - 719_468)
    }

    public static func components(_ days: Int32) -> (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses `YYYY-MM-DD`, optionally followed by a time (`T…` or ` …`), which is ignored:
    /// the models count days, not hours.
    public static func parse(_ text: some StringProtocol) -> Int32? {
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBufferPointer { parse(UnsafeBufferPointer($0)) }
    }

    @inline(__always)
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard b.count >= 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
        if b.count > 10, b[10] != 0x54, b[10] != 0x20 { return nil }
        @inline(__always) func digit(_ i: Int) -> Int? {
            let c = b[i] &- 0x30
            return c < 10 ? Int(c) : nil
        }
        guard let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3),
              let m0 = digit(5), let m1 = digit(6), let d0 = digit(8), let d1 = digit(9)
        else { return nil }
        let year = y0 * 1000 + y1 * 100 + y2 * 10 + y3
        let month = m0 * 10 + m1
        let day = d0 * 10 + d1
        guard month >= 1, month <= 12, day >= 1, day <= daysInMonth(year: year, month: month) else {
            return nil
        }
        return from(year: year, month: month, day: day)
    }

    /// `days` before `day` (after, when negative); null stays null: a summary loaded without
    /// `as of` has no calendar to count in, and null minus a year must not overflow.
    public static func shift(_ day: Int32, by days: Int32) -> Int32 {
        day == null ? null : day &+ days
    }

    /// `2024-06-30`; `no date` for null (a summary loaded without `as of` has no calendar).
    public static func format(_ days: Int32) -> String {
        guard days != null else { return "no date" }
        let (y, m, d) = components(days)
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }
}
