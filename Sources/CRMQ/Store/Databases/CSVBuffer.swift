/// Rows a database hands over, written as CSV in crmq's own dialect (comma, ISO dates, a
/// header), so that the reader every file goes through reads them too.
struct CSVBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var rows = 0
    private var atLineStart = true

    /// One field's text; quoted when it holds a comma, a quote, a line break or edge spaces.
    mutating func field(_ text: UnsafeBufferPointer<UInt8>) {
        separate()
        let needsQuotes = text.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || text.first == 0x20 || text.last == 0x20
        guard needsQuotes else {
            bytes.append(contentsOf: text)
            return
        }
        bytes.append(0x22)
        for c in text {
            if c == 0x22 { bytes.append(0x22) }
            bytes.append(c)
        }
        bytes.append(0x22)
    }

    mutating func field(_ text: String) {
        var text = text
        text.withUTF8 { field($0) }
    }

    /// A null: an empty field.
    mutating func null() { separate() }

    /// Empty again, its memory kept for the next rows; rows go on being counted (for the
    /// line an error names).
    mutating func clear() { bytes.removeAll(keepingCapacity: true) }

    mutating func endRow() {
        bytes.append(0x0A)
        atLineStart = true
        rows += 1
    }

    private mutating func separate() {
        if !atLineStart { bytes.append(0x2C) }
        atLineStart = false
    }
}
