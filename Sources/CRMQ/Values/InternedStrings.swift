/// Distinct strings keyed by their UTF-8 bytes: each gets a code, in order of first sight.
///
/// Open addressing with linear probing over one byte arena, hashed eight bytes at a time.
/// A transaction row finds its customer, and a text column its code, from the bytes of a
/// CSV field without making a `String` — what lets millions of rows load in a second or two.
/// The customer index is one of these: a customer's row is the code of its id.
struct InternedStrings: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    /// Per slot: the upper 32 bits of the hash (the tag, which also picks the slot) and the
    /// code, or `empty`. The tag spares most byte comparisons and lets the table grow without
    /// hashing any string again.
    private var slots: [UInt64]
    private var mask: Int
    private static let empty = UInt64.max

    init(capacity: Int = 8) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Self.empty, count: size)
        mask = size - 1
        starts.reserveCapacity(capacity + 1)
    }

    var count: Int { starts.count - 1 }

    @inline(__always)
    private static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
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
        return h ^ (h >> 29)
    }

    @inline(__always)
    private func equals(_ code: Int, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = starts[code]
        guard starts[code + 1] - s == b.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            var i = 0
            while i < b.count {
                if a[s + i] != b[i] { return false }
                i += 1
            }
            return true
        }
    }

    /// The code of these bytes, or nil when they were never interned.
    @inline(__always)
    func find(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        let h = Self.hash(b)
        let tag = h >> 32
        var slot = Int(tag) & mask
        while true {
            let entry = slots[slot]
            if entry == Self.empty { return nil }
            if entry >> 32 == tag, equals(Int(entry & 0xFFFF_FFFF), b) { return Int32(entry & 0xFFFF_FFFF) }
            slot = (slot + 1) & mask
        }
    }

    func find(_ text: String) -> Int32? {
        var text = text
        return text.withUTF8 { find($0) }
    }

    /// The code of these bytes, interning them first when they are new.
    @inline(__always)
    mutating func intern(_ b: UnsafeBufferPointer<UInt8>) -> (code: Int32, isNew: Bool) {
        let h = Self.hash(b)
        let tag = h >> 32
        var slot = Int(tag) & mask
        while true {
            let entry = slots[slot]
            if entry == Self.empty { break }
            if entry >> 32 == tag, equals(Int(entry & 0xFFFF_FFFF), b) { return (Int32(entry & 0xFFFF_FFFF), false) }
            slot = (slot + 1) & mask
        }
        let code = count
        slots[slot] = tag << 32 | UInt64(code)
        arena.append(contentsOf: b)
        starts.append(arena.count)
        if count * 2 > slots.count { grow(to: slots.count * 2) }
        return (Int32(code), true)
    }

    mutating func intern(_ text: String) -> (code: Int32, isNew: Bool) {
        var text = text
        return text.withUTF8 { intern($0) }
    }

    /// Interns every string of `other`, in its order; the codes they get here.
    mutating func intern(contentsOf other: InternedStrings) -> [Int32] {
        if (count + other.count) * 2 > slots.count { grow(to: max(slots.count * 2, (count + other.count) * 2)) }
        arena.reserveCapacity(arena.count + other.arena.count)
        return other.arena.withUnsafeBufferPointer { a in
            (0..<other.count).map { code in
                intern(UnsafeBufferPointer(rebasing: a[other.starts[code]..<other.starts[code + 1]])).code
            }
        }
    }

    private mutating func grow(to size: Int) {
        var newSize = slots.count
        while newSize < size { newSize <<= 1 }
        let old = slots
        slots = Array(repeating: Self.empty, count: newSize)
        mask = newSize - 1
        for entry in old where entry != Self.empty {
            var slot = Int(entry >> 32) & mask
            while slots[slot] != Self.empty { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }
}
