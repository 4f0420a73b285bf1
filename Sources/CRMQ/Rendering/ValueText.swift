#if canImport(Glibc)
import Glibc
#endif

/// Values as text, two ways: `display` rounds and groups for people (tables, Markdown);
/// `exact` keeps every digit for programs (CSV, JSON).
public enum ValueText {
    public static let null = "null"

    public static func display(_ data: ColumnData, _ row: Int, unit: NumberUnit) -> String {
        switch data {
        case .number(let v): return display(v[row], unit: unit)
        case .date(let v): return v[row] == CalendarDay.null ? null : CalendarDay.format(v[row])
        case .text(let t): return t[row] ?? null
        case .bool(let b): return b[row] > 1 ? null : b[row] == 1 ? "true" : "false"
        }
    }

    public static func display(_ value: Double, unit: NumberUnit) -> String {
        guard value.isFinite else { return null }
        let integral = value == value.rounded()
        switch unit {
        case .count, .days: return NumberText.grouped(value, decimals: integral ? 0 : 1)
        case .money: return NumberText.grouped(value, decimals: 2)
        case .weeks: return NumberText.grouped(value, decimals: 1)
        case .ratio: return NumberText.grouped(value * 100, decimals: 1) + "%"
        case .score: return NumberText.grouped(value, decimals: integral ? 0 : 1)
        case .estimate:
            // Four significant digits: 0.2426, 4.414, 15.44, 1,234.
            let magnitude = value == 0 ? 0 : Int(floor(log10(abs(value))))
            return NumberText.grouped(value, decimals: max(0, 3 - magnitude))
        case .plain:
            if integral { return NumberText.grouped(value, decimals: 0) }
            if abs(value) >= 1 { return NumberText.grouped(value, decimals: 2) }
            var text = NumberText.grouped(value, decimals: 4)
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }  // 0.00001 rounds to 0, not "0."
            return text == "-0" ? "0" : text
        }
    }

    /// Every digit, no grouping; nil for a null (CSV leaves it empty, JSON writes null).
    public static func exact(_ data: ColumnData, _ row: Int) -> String? {
        switch data {
        case .number(let v): return v[row].isFinite ? NumberText.plain(v[row]) : nil
        case .date(let v): return v[row] == CalendarDay.null ? nil : CalendarDay.format(v[row])
        case .text(let t): return t[row]
        case .bool(let b): return b[row] > 1 ? nil : b[row] == 1 ? "true" : "false"
        }
    }
}

extension ResultTable {
    /// The record turned on its side: a row per column, holding its name and its value as
    /// a person reads it.
    var fieldValueLines: ResultTable {
        ResultTable(title: title, columns: [
            ResultColumn("field", .text(TextColumn(columns.map(\.name)))),
            ResultColumn("value", .text(TextColumn(columns.map { ValueText.display($0.data, 0, unit: $0.unit) }))),
        ], notes: notes)
    }
}
