extension String {
    /// The text of these bytes, nil when they are not UTF-8. ASCII, most of what a file
    /// holds, is checked eight bytes at a time here; `String(validating:as:)` is generic
    /// over the encoding and looks its metadata up at run time on every call, which was a
    /// tenth of reading a file of a million distinct names.
    @inline(__always)
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else {
            self = ""
            return
        }
        var high: UInt64 = 0
        var i = 0
        while i + 8 <= bytes.count {
            high |= base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < bytes.count {
            high |= UInt64(bytes[i])
            i += 1
        }
        if high & 0x8080_8080_8080_8080 == 0 {
            self = String(decoding: bytes, as: UTF8.self)
        } else {
            guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
            self = text
        }
    }
}
