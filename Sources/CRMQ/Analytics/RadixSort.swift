/// Ordering a million figures in linear time: a least-significant-digit radix sort on the
/// bits of doubles (four passes of 16 bits). Each double becomes an unsigned key that orders
/// as the number does; the sort is stable, so equal figures keep their index order.
enum RadixSort {
    /// The indices of `values` from the largest value to the smallest; NaN is not allowed.
    static func descendingOrder(_ values: [Double]) -> [Int32] {
        let n = values.count
        guard n > 64 else { return (0..<Int32(n)).sorted { values[Int($0)] > values[Int($1)] || (values[Int($0)] == values[Int($1)] && $0 < $1) } }
        var keys = values.map { v -> UInt64 in
            let bits = (v == 0 ? 0.0 : v).bitPattern  // −0 sorts with 0
            return ~(bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63))  // complemented: largest first
        }
        var order = (0..<Int32(n)).map { $0 }
        var spareKeys = [UInt64](repeating: 0, count: n), spareOrder = [Int32](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 1 << 16)
        for shift in stride(from: UInt64(0), to: 64, by: 16) {
            for i in counts.indices { counts[i] = 0 }
            keys.withUnsafeBufferPointer { k in
                for key in k { counts[Int((key >> shift) & 0xFFFF)] += 1 }
            }
            if counts[Int((keys[0] >> shift) & 0xFFFF)] == n { continue }  // one digit throughout: nothing moves
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
                                let digit = Int((k[i] >> shift) & 0xFFFF)
                                outKeys[counts[digit]] = k[i]
                                outOrder[counts[digit]] = o[i]
                                counts[digit] += 1
                            }
                        }
                    }
                }
            }
            swap(&keys, &spareKeys)
            swap(&order, &spareOrder)
        }
        return order
    }
}
