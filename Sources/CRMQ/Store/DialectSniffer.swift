/// Finds a file's dialect from its first lines, as DuckDB's CSV sniffer does: the delimiter
/// that splits every sampled line into the same number of fields (more than one), whether
/// the first line is a header, the decimal mark and thousands separator the numbers use, and
/// — for a date column — the order its dates are written in. What the sample cannot decide
/// is an error that says so, never a silent guess.
enum DialectSniffer {
    /// The first lines of a file, about 64 KiB cut at a line end.
    static func sample(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> UnsafeBufferPointer<UInt8> {
        var end = min(buffer.count, start + (1 << 16))
        if end < buffer.count {
            while end > start, buffer[end - 1] != 0x0A { end -= 1 }
            if end == start { end = min(buffer.count, start + (1 << 16)) }  // one very long line
        }
        return UnsafeBufferPointer(rebasing: buffer[start..<end])
    }

    /// A file's first lines (a part folder's first part's): its dialect (sniffed, then what `format` says over it), the
    /// header's names as written (`columnN` for a blank one, or for every one without a
    /// header) and the sampled rows after it.
    static func head(of path: String, format: FormatOverrides) throws(DataError) -> (dialect: Dialect, written: [String], rows: [[String]]) {
        // Of a folder of part files, the first part with rows: joining them all is the read's work.
        let first = FileBytes.parts(of: path)?.first { MemoryBudget.size(of: [$0]) > 0 } ?? path
        let bytes = try FileBytes.read(path: first, displayName: path)
        return try bytes.withUnsafeBufferPointer { buffer throws(DataError) in
            let start = buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0
            let sample = Self.sample(buffer, from: start)
            var dialect = sniff(sample)
            format.apply(to: &dialect)
            guard let records = records(sample, dialect.delimiter), let first = records.first else {
                throw DataError(file: path, line: 1, message: "the file is empty; a header row is required")
            }
            let written = dialect.header
                ? first.enumerated().map { $1.trimming(" \t").isEmpty ? "column\($0 + 1)" : $1 }
                : (1...first.count).map { "column\($0)" }
            return (dialect, written, Array(records.dropFirst(dialect.header ? 1 : 0)))
        }
    }

    /// The sample's records as text, split by `delimiter`; at most `limit` of them.
    static func records(_ sample: UnsafeBufferPointer<UInt8>, _ delimiter: Delimiter, limit: Int = 200) -> [[String]]? {
        var scanner = CSVScanner(bytes: sample, delimiter: delimiter)
        var fields = CSVFields()
        var out: [[String]] = []
        while out.count < limit {
            guard let more = try? scanner.next(&fields) else { return out.isEmpty ? nil : out }
            guard more else { break }
            out.append(fields.array.map { scanner.string(of: $0) ?? "" })
        }
        return out
    }

    /// The delimiter, header and number marks of the sample; dates stay ISO until a date
    /// column is known (`dateOrder`).
    static func sniff(_ sample: UnsafeBufferPointer<UInt8>) -> Dialect {
        var dialect = Dialect()
        // The candidate whose records all have the same width, the widest such; runs of
        // spaces only when no character does (text fields hold spaces too); else the one
        // whose first line is widest.
        var best: (delimiter: Delimiter, consistent: Bool, width: Int)?
        for candidate in Delimiter.allCases {
            guard let rows = records(sample, candidate), let first = rows.first, first.count > 1 else { continue }
            let consistent = rows.allSatisfy { $0.count == first.count }
            if candidate == .spaces, best?.consistent == true { continue }
            if best == nil || (consistent && !best!.consistent) || (consistent == best!.consistent && first.count > best!.width) {
                best = (candidate, consistent, first.count)
            }
        }
        if let best { dialect.delimiter = best.delimiter }
        guard let rows = records(sample, dialect.delimiter), let first = rows.first else { return dialect }
        // A header names columns: a first line all of whose fields read as numbers or dates is data.
        dialect.header = !first.allSatisfy { looksLikeValue($0) } || rows.count == 1
        let body = dialect.header ? Array(rows.dropFirst()) : rows
        (dialect.decimal, dialect.thousands) = numberMarks(body.flatMap { $0 }, delimiter: dialect.delimiter)
        return dialect
    }

    private static func looksLikeValue(_ field: String) -> Bool {
        let t = field.trimming(" ")
        guard !t.isEmpty else { return false }
        return t.utf8.allSatisfy { ($0 &- 0x30) < 10 || $0 == 0x2E || $0 == 0x2C || $0 == 0x2D || $0 == 0x2F || $0 == 0x3A || $0 == 0x20 || $0 == 0x54 }
            && t.utf8.contains { ($0 &- 0x30) < 10 }
    }

    /// A decimal comma when numbers are written `1.234,56` or `12,5` (which a comma-delimited
    /// file cannot hold unquoted); thousands separators when numbers group by threes.
    static func numberMarks(_ fields: [String], delimiter: Delimiter) -> (decimal: UInt8, thousands: UInt8?) {
        var commaDecimal = 0, pointDecimal = 0, pointGroups = 0, commaGroups = 0
        for field in fields {
            let t = field.trimming(" ")
            let bytes = Array(t.utf8)
            guard !bytes.isEmpty, bytes.allSatisfy({ ($0 &- 0x30) < 10 || $0 == 0x2E || $0 == 0x2C || $0 == 0x2D }),
                  bytes.contains(where: { ($0 &- 0x30) < 10 }) else { continue }
            let commas = bytes.filter { $0 == 0x2C }.count, points = bytes.filter { $0 == 0x2E }.count
            let lastComma = bytes.lastIndex(of: 0x2C), lastPoint = bytes.lastIndex(of: 0x2E)
            if let c = lastComma, lastPoint.map({ $0 < c }) ?? true, commas == 1, bytes.count - c - 1 != 3 || points > 0 {
                commaDecimal += 1  // 12,5 or 1.234,56
                if points > 0 { pointGroups += 1 }
            } else if let p = lastPoint, lastComma.map({ $0 < p }) ?? true, points == 1 {
                pointDecimal += 1  // 12.5 or 1,234.56
                if commas > 0 { commaGroups += 1 }
            } else if points > 1, commas == 0 {
                pointGroups += 1  // 1.234.567
            } else if commas > 1, points == 0 {
                commaGroups += 1  // 1,234,567
            }
        }
        if commaDecimal > pointDecimal { return (0x2C, pointGroups > 0 ? 0x2E : nil) }
        return (0x2E, commaGroups > 0 && delimiter != .comma ? 0x2C : nil)
    }

    /// What a column's sample values read as in this dialect: numbers when every one is a
    /// number, dates when every one is a date as the dialect writes them, else text. A
    /// column empty in the sample is text.
    static func valueType(_ values: [String], _ dialect: Dialect) -> ValueType {
        let present = values.map { $0.trimming(" ") }.filter { !$0.isEmpty }
        guard !present.isEmpty else { return .text }
        func all(_ reads: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
            present.allSatisfy { value in
                var value = value
                return value.withUTF8 { reads($0) }
            }
        }
        if all({ dialect.number($0) != nil }) { return .number }
        if all({ dialect.date($0) != nil }) { return .date }
        return .text
    }

    /// How a date column's values are written, from its values in the sample. Day-first and
    /// month-first are told apart by a part above 12; a column where no value shows which is
    /// an error naming the file and column, never a guess.
    static func dateOrder(_ values: [String], file: String, column: String) throws(DataError) -> DateOrder {
        let present = values.map { $0.trimming(" ") }.filter { !$0.isEmpty }
        guard let first = present.first else { return .iso }
        let head = first.utf8.prefix(10)
        if head.count == 10, Array(head)[4] == 0x2D { return .iso }
        if first.utf8.count == 8, first.utf8.allSatisfy({ ($0 &- 0x30) < 10 }) { return .compact }
        var dayFirst = false, monthFirst = false
        for value in present {
            let parts = value.split(whereSeparator: { $0 == "." || $0 == "/" || $0 == "-" || $0 == " " || $0 == "T" }).prefix(3)
            guard parts.count == 3, let a = Int(parts[0]), let b = Int(parts[1]) else { continue }
            if a > 12 { dayFirst = true }
            if b > 12 { monthFirst = true }
        }
        switch (dayFirst, monthFirst) {
        case (true, false): return .dayMonthYear
        case (false, true): return .monthDayYear
        case (true, true):
            throw DataError(file: file, columnName: column, message: "its dates put the day first in some rows and the month first in others")
        case (false, false):
            // Dots are written day first the world over (31.12.2024); slashes are not.
            if first.contains(".") { return .dayMonthYear }
            throw DataError(
                file: file, columnName: column,
                message: "cannot tell whether \"\(first)\" is day/month/year or month/day/year: no date in the first lines has a part above 12; "
                    + "say which: load … format (date 'DD/MM/YYYY') or format (date 'MM/DD/YYYY')")
        }
    }
}
