/// The distinct purchase histories by their packed key (frequency, recency days, age days),
/// each with its row and the customers (or weight) counted on it so far: open addressing
/// with linear probing, a multiplicative hash, one slot read per customer. Ten million
/// customers, in no order the table knows, find their row here in well under a second,
/// where a `Dictionary` (SipHash, and the row's values read again to check) took four. A
/// table of megabytes is on huge pages (`Array(hugePages:repeating:)`).
struct HistoryKeyTable {
    private struct Slot {
        /// UInt64.max: empty (no packed key reaches it, frequency < 2²⁴).
        var key: UInt64
        var weight: Double
        var row: Int32
    }

    private var slots: [Slot]
    private var mask: Int
    private var shift: UInt64
    private(set) var count = 0

    init(expected: Int) {
        var size = 1 << 10
        while size < expected * 2 { size <<= 1 }
        slots = [Slot](hugePages: size, repeating: Slot(key: .max, weight: 0, row: 0))
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// Counts `weight` on `key`'s row; a new key gets row `next`. Returns the row.
    @inline(__always)
    mutating func count(_ key: UInt64, weight: Double, orEnter next: Int32) -> (row: Int32, entered: Bool) {
        let (first, mask) = (slot(key), mask)
        let found: (Int32, Bool)? = slots.withUnsafeMutableBufferPointer { slots in
            var s = first
            while true {
                let k = slots[s].key
                if k == key {
                    slots[s].weight += weight
                    return (slots[s].row, false)
                }
                if k == .max {
                    slots[s] = Slot(key: key, weight: weight, row: next)
                    return nil
                }
                s = (s + 1) & mask
            }
        }
        if let found { return found }
        count += 1
        if count * 2 > slots.count { grow() }
        return (next, true)
    }

    /// Each entered row's weight, into `weights` at its row.
    func weights(into weights: inout [Double]) {
        for slot in slots where slot.key != .max { weights[Int(slot.row)] = slot.weight }
    }

    private mutating func grow() {
        let old = slots
        let size = slots.count * 2
        slots = [Slot](hugePages: size, repeating: Slot(key: .max, weight: 0, row: 0))
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
        for entry in old where entry.key != .max {
            var s = slot(entry.key)
            while slots[s].key != .max { s = (s + 1) & mask }
            slots[s] = entry
        }
    }
}
