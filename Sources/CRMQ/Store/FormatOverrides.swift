/// What `format (…)` says of a file's dialect; nil leaves the sniffer's finding.
public struct FormatOverrides: Sendable, Equatable {
    public var delimiter: Delimiter?
    public var decimal: UInt8?
    public var thousands: UInt8??
    public var dates: DateOrder?
    public var header: Bool?
    /// A summary's unit of recency and T (weeks unless told).
    public var timeUnit: TimeUnit?

    public init() {}

    /// crmq's own dialect, as a database's rows are written for the reader: nothing to sniff.
    static let crmq: FormatOverrides = {
        var format = FormatOverrides()
        (format.delimiter, format.decimal, format.thousands, format.dates, format.header) = (.comma, 0x2E, .some(nil), .iso, true)
        return format
    }()

    /// The settings `format (…)` takes.
    public static let keys = ["delimiter", "decimal", "thousands", "date", "header", "time_unit"]

    /// A setting that cannot be: at its key (unknown) or at its value.
    public struct Refusal: Error {
        public var atKey: Bool
        public var message: String
        public var hint: String?
    }

    /// One setting as written (`delimiter ';'`), checked; what `format (…)` and a
    /// snapshot.json's `"format"` both go through.
    public mutating func set(_ key: String, _ value: String) throws(Refusal) {
        let v = value
        switch key.lowercased() {
        case "delimiter":
            let byName: [String: Delimiter] = [",": .comma, ";": .semicolon, "\t": .tab, "\\t": .tab, "tab": .tab, "|": .pipe, "spaces": .spaces, " ": .spaces]
            guard let d = byName[v.lowercased()] else { throw Refusal(atKey: false, message: "the delimiter is ',', ';', '\\t' (or tab), '|' or spaces, not '\(v)'") }
            delimiter = d
        case "decimal":
            guard v == "." || v == "," else { throw Refusal(atKey: false, message: "the decimal mark is '.' or ',', not '\(v)'") }
            decimal = v.utf8.first
        case "thousands":
            guard ["", ".", ",", " ", "'"].contains(v) else { throw Refusal(atKey: false, message: "the thousands separator is '.', ',', ' ', \"'\" or '' for none") }
            thousands = .some(v.utf8.first)
        case "date":
            guard let order = DateOrder.allCases.first(where: { $0.rawValue == v.uppercased() }) ?? (v.uppercased() == "DD/MM/YYYY" ? .dayMonthYear : nil) else {
                throw Refusal(atKey: false, message: "the date formats are " + (DateOrder.allCases.map(\.rawValue) + ["DD/MM/YYYY"]).joined(separator: ", "))
            }
            dates = order
        case "header":
            guard let b = ["true": true, "false": false][v.lowercased()] else { throw Refusal(atKey: false, message: "header is true or false") }
            header = b
        case "time_unit":
            guard let unit = TimeUnit(rawValue: v.lowercased()) else {
                throw Refusal(atKey: false, message: "a summary's time unit is " + TimeUnit.allCases.map(\.rawValue).joined(separator: ", "))
            }
            timeUnit = unit
        default:
            throw Refusal(
                atKey: true, message: "unknown format setting `\(key)`",
                hint: Suggestion.hint(for: key, in: Self.keys) ?? "the settings are " + Self.keys.joined(separator: ", "))
        }
    }

    func apply(to dialect: inout Dialect) {
        if let delimiter { dialect.delimiter = delimiter }
        if let decimal { dialect.decimal = decimal }
        if let thousands { dialect.thousands = thousands }
        if let dates { dialect.dates = dates }
        if let header { dialect.header = header }
    }
}
