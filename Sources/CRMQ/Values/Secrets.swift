/// Passwords out of what crmq shows and keeps: a connection string may hold one
/// (`postgresql://ann:secret@db/crm`, `password=secret`), and no error, history line,
/// echoed statement or snapshot list may.
public enum Secrets {
    /// The text with every password in it replaced by `***`.
    public static func redacted(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let ranges = passwords(in: bytes)
        guard !ranges.isEmpty else { return text }
        var out: [UInt8] = []
        var at = 0
        for range in ranges {
            out += bytes[at..<range.lowerBound] + Array("***".utf8)
            at = range.upperBound
        }
        return String(decoding: out + bytes[at...], as: UTF8.self)
    }

    /// The text with each byte of a password made `*`: the same length, so that a caret
    /// under a later token still points at it.
    public static func masked(_ text: String) -> String {
        var bytes = Array(text.utf8)
        let ranges = passwords(in: bytes)
        guard !ranges.isEmpty else { return text }
        for range in ranges { for i in range { bytes[i] = 0x2A } }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Where the passwords are: `user:PASSWORD@` after a URI's `://`, and `password=VALUE`
    /// (or `password='VALUE'`), each up to a space, a quote or (in a URI) the path's `/`.
    static func passwords(in bytes: [UInt8]) -> [Range<Int>] {
        func isEnd(_ c: UInt8) -> Bool { c == 0x20 || c == 0x22 || c == 0x27 || c == 0x0A || c == 0x09 }
        var ranges: [Range<Int>] = []
        var i = 0
        let key = Array("password=".utf8)
        while i < bytes.count {
            if i + 2 < bytes.count, bytes[i] == 0x3A, bytes[i + 1] == 0x2F, bytes[i + 2] == 0x2F {
                let start = i + 3
                var end = start
                while end < bytes.count, !isEnd(bytes[end]), bytes[end] != 0x2F { end += 1 }
                if let at = bytes[start..<end].lastIndex(of: 0x40), let colon = bytes[start..<at].firstIndex(of: 0x3A), colon + 1 < at {
                    ranges.append((colon + 1)..<at)
                }
                i = end
            } else if i + key.count <= bytes.count, zip(bytes[i..<(i + key.count)], key).allSatisfy({ ($0 | 0x20) == $1 || $0 == $1 }) {
                var start = i + key.count
                var end = start
                if start < bytes.count, bytes[start] == 0x27 {
                    // password='a b' (libpq's quoting): up to the closing quote; \' is a quote inside.
                    start += 1
                    end = start
                    while end < bytes.count, bytes[end] != 0x27 { end += bytes[end] == 0x5C ? 2 : 1 }
                    end = min(end, bytes.count)
                } else {
                    while end < bytes.count, !isEnd(bytes[end]) { end += 1 }
                }
                if end > start { ranges.append(start..<end) }
                i = end
            } else {
                i += 1
            }
        }
        return ranges
    }
}
