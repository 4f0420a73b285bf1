import CPrefetch
#if canImport(Glibc)
import Glibc
#endif

/// Distinct strings keyed by their UTF-8 bytes: each gets a code, in order of first sight.
///
/// Open addressing with linear probing over one byte arena, hashed eight bytes at a time.
/// A transaction row finds its customer, and a text column its code, from the bytes of a
/// CSV field without making a `String` — what lets millions of rows load in a second or two.
/// The customer index is one of these: a customer's row is the code of its id.
struct InternedStrings: Sendable {
    /// A slot: the key's first eight bytes, and its hash tag, length and code. A key of at
    /// most eight bytes is matched from the slot alone — one cache miss per look-up, which is
    /// what a million customer ids looked up in date order need; longer keys check the
    /// rest in the arena.
    private struct Slot {
        var prefix: UInt64
        /// tag (24 high hash bits) | length, 255 for 255 and more (8 bits) | code + 1 (32 bits); 0 is empty.
        var meta: UInt64
    }

    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var slots: [Slot]
    private var mask: Int

    init(capacity: Int = 8) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(prefix: 0, meta: 0), count: size)
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
            h ^= tail
        }
        // The last step folds the full 128-bit product, so that every bit of the key moves
        // the low bits the slot is taken from: `h * K` alone leaves them to the key's low
        // bits, and ids like `C1`…`C999999` then pile up (1.8 probes a key instead of 0.45).
        let product = h.multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        return product.high ^ product.low
    }

    /// The first eight bytes of a key, zero-padded.
    @inline(__always)
    private static func prefix(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = UnsafeRawPointer(b.baseAddress) else { return 0 }
        if b.count >= 8 { return base.loadUnaligned(as: UInt64.self) }
        var v: UInt64 = 0
        for i in 0..<b.count { v |= UInt64(b[i]) << (8 * UInt64(i)) }
        return v
    }

    /// What a key's slot holds above its code: its tag and length.
    @inline(__always)
    private static func key(_ h: UInt64, _ count: Int) -> UInt64 {
        (h >> 40) << 40 | UInt64(min(count, 255)) << 32
    }

    @inline(__always)
    private func matches(_ slot: Slot, _ key: UInt64, _ prefix: UInt64, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard slot.meta & ~0xFFFF_FFFF == key, slot.prefix == prefix else { return false }
        if b.count <= 8 { return true }  // the length and every byte matched
        let s = starts[Int(slot.meta & 0xFFFF_FFFF) - 1]
        guard starts[Int(slot.meta & 0xFFFF_FFFF)] - s == b.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            var i = 8
            while i < b.count {
                if a[s + i] != b[i] { return false }
                i += 1
            }
            return true
        }
    }

    /// The code of these bytes, or nil when they were never interned.
    @inline(__always)
    func find(_ b: UnsafeBufferPointer<UInt8>) -> Int32? { find(b, hash: Self.hash(b)) }

    /// The same, with the bytes' hash already taken.
    @inline(__always)
    private func find(_ b: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int32? {
        let key = Self.key(h, b.count)
        let prefix = Self.prefix(b)
        var slot = Int(truncatingIfNeeded: h) & mask
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let entry = slots[slot]
                if entry.meta == 0 { return nil }
                if matches(entry, key, prefix, b) { return Int32(entry.meta & 0xFFFF_FFFF) - 1 }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Prefetches the slot a key hashes to: done for a batch of keys before they are
    /// interned, it lets their cache misses overlap.
    @inline(__always)
    func prefetch(_ b: UnsafeBufferPointer<UInt8>) {
        slots.withUnsafeBufferPointer { crmq_prefetch($0.baseAddress! + (Int(truncatingIfNeeded: Self.hash(b)) & mask)) }
    }

    /// Looks up a batch of keys, all at `base` + their ranges, appending their codes to
    /// `codes`; returns the position of the first key not found, or nil. Every key's first
    /// slot is prefetched before any is read, so that their cache misses overlap.
    func find(batch ranges: [(start: Int, end: Int, line: Int32)], in base: UnsafePointer<UInt8>, into codes: inout [Int32]) -> Int? {
        var hashes = [UInt64](repeating: 0, count: ranges.count)
        slots.withUnsafeBufferPointer { slots in
            for (j, r) in ranges.enumerated() {
                hashes[j] = Self.hash(UnsafeBufferPointer(start: base + r.start, count: r.end - r.start))
                crmq_prefetch(slots.baseAddress! + (Int(truncatingIfNeeded: hashes[j]) & mask))
            }
        }
        for (j, r) in ranges.enumerated() {
            let b = UnsafeBufferPointer(start: base + r.start, count: r.end - r.start)
            let h = hashes[j]
            let entry = slots[Int(truncatingIfNeeded: h) & mask]
            if entry.meta != 0, matches(entry, Self.key(h, b.count), Self.prefix(b), b) {
                codes.append(Int32(entry.meta & 0xFFFF_FFFF) - 1)
            } else if let code = find(b, hash: h) {
                codes.append(code)
            } else {
                return j
            }
        }
        return nil
    }

    func find(_ text: String) -> Int32? {
        var text = text
        return text.withUTF8 { find($0) }
    }

    /// The code of these bytes, interning them first when they are new.
    @inline(__always)
    mutating func intern(_ b: UnsafeBufferPointer<UInt8>) -> (code: Int32, isNew: Bool) { intern(b, hash: Self.hash(b)) }

    /// The same, with the bytes' hash already taken.
    @inline(__always)
    private mutating func intern(_ b: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> (code: Int32, isNew: Bool) {
        let key = Self.key(h, b.count)
        let prefix = Self.prefix(b)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = slots[slot]
            if entry.meta == 0 { break }
            if matches(entry, key, prefix, b) { return (Int32(entry.meta & 0xFFFF_FFFF) - 1, false) }
            slot = (slot + 1) & mask
        }
        let code = count
        slots[slot] = Slot(prefix: prefix, meta: key | UInt64(code + 1))
        arena.append(contentsOf: b)
        starts.append(arena.count)
        if count * 2 > slots.count { grow(to: slots.count * 2) }
        return (Int32(code), true)
    }

    mutating func intern(_ text: String) -> (code: Int32, isNew: Bool) {
        var text = text
        return text.withUTF8 { intern($0) }
    }

    /// Makes room for `capacity` strings in all.
    mutating func reserve(_ capacity: Int) {
        if capacity * 2 > slots.count { grow(to: capacity * 2) }
        starts.reserveCapacity(capacity + 1)
    }

    /// Interns every string of `other`, in its order; the codes they get here.
    mutating func intern(contentsOf other: InternedStrings) -> [Int32] {
        // A table held elsewhere too would be copied at the first write below, onto plain
        // pages (every later look-up then misses the TLB): callers merge into one of their own.
        if (count + other.count) * 2 > slots.count { grow(to: max(slots.count * 2, (count + other.count) * 2)) }
        arena.reserveCapacity(arena.count + other.arena.count)
        var codes: [Int32] = []
        codes.reserveCapacity(other.count)
        var hashes = [UInt64](repeating: 0, count: Self.batch)
        other.arena.withUnsafeBufferPointer { a in
            // In batches whose slots are prefetched first, as `find(batch:)` does: the other
            // table's strings land at random slots of this one, a cache miss each.
            for first in stride(from: 0, to: other.count, by: Self.batch) {
                let batch = first..<min(first + Self.batch, other.count)
                hash(batch, of: a, starts: other.starts, into: &hashes)
                for code in batch {
                    let b = UnsafeBufferPointer(rebasing: a[other.starts[code]..<other.starts[code + 1]])
                    codes.append(intern(b, hash: hashes[code - first]).code)
                }
            }
        }
        return codes
    }

    /// How many strings `intern(contentsOf:)` and `grow` prefetch at a time.
    private static let batch = 64

    /// The hashes of the strings `batch` of an arena (`starts` as a table's), each one's
    /// slot here prefetched: the strings land at random slots, a cache miss each, and a
    /// batch's misses overlap.
    @inline(__always)
    private func hash(_ batch: Range<Int>, of arena: UnsafeBufferPointer<UInt8>, starts: [Int], into hashes: inout [UInt64]) {
        let first = batch.lowerBound
        for code in batch { hashes[code - first] = Self.hash(UnsafeBufferPointer(rebasing: arena[starts[code]..<starts[code + 1]])) }
        slots.withUnsafeBufferPointer { slots in
            for code in batch { crmq_prefetch(slots.baseAddress! + (Int(truncatingIfNeeded: hashes[code - first]) & mask)) }
        }
    }

    /// How many slots past the one it hashes to a key sits, on average: about 0.3–0.45 at
    /// this table's load when the hash spreads keys as a random one would (what tests hold).
    var meanProbeDistance: Double {
        guard count > 0 else { return 0 }
        var total = 0
        arena.withUnsafeBufferPointer { a in
            for code in 0..<count {
                let b = UnsafeBufferPointer(rebasing: a[starts[code]..<starts[code + 1]])
                var slot = Int(truncatingIfNeeded: Self.hash(b)) & mask
                while Int(slots[slot].meta & 0xFFFF_FFFF) != code + 1 {
                    slot = (slot + 1) & mask
                    total += 1
                }
            }
        }
        return Double(total) / Double(count)
    }

    /// A bigger table. The slot comes from hash bits the slot does not keep, so each key is
    /// hashed again from the arena — in code order, so that the arena is read straight
    /// through, and in prefetched batches (a million keys placed one cache miss after another
    /// took a third of a second); with a capacity given up front this is rare.
    private mutating func grow(to size: Int) {
        var newSize = slots.count
        while newSize < size { newSize <<= 1 }
        slots = [Slot](hugePages: newSize, repeating: Slot(prefix: 0, meta: 0))
        mask = newSize - 1
        var hashes = [UInt64](repeating: 0, count: Self.batch)
        arena.withUnsafeBufferPointer { a in
            for first in stride(from: 0, to: count, by: Self.batch) {
                let batch = first..<min(first + Self.batch, count)
                hash(batch, of: a, starts: starts, into: &hashes)
                slots.withUnsafeMutableBufferPointer { slots in
                    for code in batch {
                        let b = UnsafeBufferPointer(rebasing: a[starts[code]..<starts[code + 1]])
                        let h = hashes[code - first]
                        var slot = Int(truncatingIfNeeded: h) & mask
                        while slots[slot].meta != 0 { slot = (slot + 1) & mask }
                        slots[slot] = Slot(prefix: Self.prefix(b), meta: Self.key(h, b.count) | UInt64(code + 1))
                    }
                }
            }
        }
    }
}
