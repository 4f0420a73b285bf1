/// Customer ids to row positions, keyed by the ids' UTF-8 bytes.
///
/// Open addressing with linear probing over one byte arena: a transaction row finds its
/// customer from the bytes of its `customer_id` field without making a `String`, which is
/// what lets millions of rows load in a second or two.
struct CustomerIndex: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var slots: [Int32]
    private let mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { starts.count - 1 }

    @inline(__always)
    private static func hash(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(b.count)
        var i = 0
        let n = b.count
        if let base = UnsafeRawPointer(b.baseAddress) {
            while i + 8 <= n {
                let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                h = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 32
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(b[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
        }
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    @inline(__always)
    private func equals(_ row: Int32, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = starts[Int(row)]
        let e = starts[Int(row) + 1]
        guard e - s == b.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            var i = 0
            while i < b.count {
                if a[s + i] != b[i] { return false }
                i += 1
            }
            return true
        }
    }

    /// The row of the id, or nil when no customer has it.
    @inline(__always)
    func find(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        var slot = Self.hash(b) & mask
        while true {
            let row = slots[slot]
            if row < 0 { return nil }
            if equals(row, b) { return row }
            slot = (slot + 1) & mask
        }
    }

    func find(_ id: String) -> Int32? {
        var bytes = Array(id.utf8)
        return bytes.withUnsafeMutableBufferPointer { find(UnsafeBufferPointer($0)) }
    }

    /// Adds the id as the next row; returns the earlier row instead when the id is taken.
    mutating func insert(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        var slot = Self.hash(b) & mask
        while true {
            let row = slots[slot]
            if row < 0 { break }
            if equals(row, b) { return row }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(count)
        arena.append(contentsOf: b)
        starts.append(arena.count)
        return nil
    }

    mutating func insert(_ id: String) -> Int32? {
        var bytes = Array(id.utf8)
        return bytes.withUnsafeMutableBufferPointer { insert(UnsafeBufferPointer($0)) }
    }
}
