/// Ordering a million figures in linear time: a least-significant-digit radix sort on the
/// bits of doubles. Each double becomes an unsigned key that orders as the number does; five
/// passes of 13 bits move the key and its index, every pass's counts taken in one read of
/// the keys, and a pass whose digit is the same throughout is skipped. The sort is stable, so
/// equal figures keep their index order.
///
/// Measured on a million profits (cents with floating-point noise): about 28 ms, against 60
/// for sorting floats first and putting float ties in exact order (faster on random figures,
/// slower on money, whose runs of near-equal figures are long).
enum RadixSort {
    private static let digitBits: UInt64 = 13
    private static let digits = 1 << 13
    private static let passes = 5  // 5 × 13 ≥ 64

    /// The indices of `values` from the largest value to the smallest; NaN is not allowed.
    static func descendingOrder(_ values: [Double]) -> [Int32] {
        let n = values.count
        guard n > 64 else {
            return (0..<Int32(n)).sorted { i, j in
                let (a, b) = (values[Int(i)], values[Int(j)])
                return a > b || (a == b && i < j)
            }
        }
        var keys = values.map(descendingKey)
        var order = (0..<Int32(n)).map { $0 }
        sort(&keys, carrying: &order)
        return order
    }

    /// The values that are not NaN, largest first.
    static func descending<C: Collection<Double>>(_ values: C) -> [Double] {
        var keys = values.compactMap { $0.isNaN ? nil : descendingKey($0) }
        var none: [Int32] = []
        sort(&keys, carrying: &none)
        return keys.map(value)
    }

    /// A key that is smaller for a larger figure: the bits made to order as unsigned numbers,
    /// complemented.
    private static func descendingKey(_ v: Double) -> UInt64 {
        let bits = (v == 0 ? 0.0 : v).bitPattern  // −0 sorts with 0
        return ~(bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63))
    }

    private static func value(_ key: UInt64) -> Double {
        let bits = ~key
        return Double(bitPattern: bits & (1 << 63) != 0 ? bits & ~(1 << 63) : ~bits)
    }

    /// Sorts the keys ascending, moving `order` (when not empty) along with them.
    private static func sort(_ keys: inout [UInt64], carrying order: inout [Int32]) {
        let n = keys.count
        guard n > 0 else { return }
        let carries = !order.isEmpty
        var counts = [Int](repeating: 0, count: passes * digits)
        counts.withUnsafeMutableBufferPointer { counts in
            keys.withUnsafeBufferPointer { keys in
                for key in keys {
                    for pass in 0..<passes {
                        counts[pass * digits + Int((key >> (UInt64(pass) * digitBits)) & UInt64(digits - 1))] += 1
                    }
                }
            }
        }
        var spareKeys = [UInt64](repeating: 0, count: n), spareOrder = [Int32](repeating: 0, count: carries ? n : 0)
        for pass in 0..<passes {
            let shift = UInt64(pass) * digitBits
            let moved = counts.withUnsafeMutableBufferPointer { all -> Bool in
                let counts = UnsafeMutableBufferPointer(rebasing: all[pass * digits ..< (pass + 1) * digits])
                if counts[Int((keys[0] >> shift) & UInt64(digits - 1))] == n { return false }  // one digit throughout
                var position = 0
                for i in counts.indices {
                    let c = counts[i]
                    counts[i] = position
                    position += c
                }
                keys.withUnsafeBufferPointer { k in
                    order.withUnsafeBufferPointer { o in
                        spareKeys.withUnsafeMutableBufferPointer { outKeys in
                            spareOrder.withUnsafeMutableBufferPointer { outOrder in
                                for i in 0..<n {
                                    let digit = Int((k[i] >> shift) & UInt64(digits - 1))
                                    let at = counts[digit]
                                    outKeys[at] = k[i]
                                    if carries { outOrder[at] = o[i] }
                                    counts[digit] = at + 1
                                }
                            }
                        }
                    }
                }
                return true
            }
            if moved {
                swap(&keys, &spareKeys)
                if carries { swap(&order, &spareOrder) }
            }
        }
    }
}
