/// Small statistics over plain arrays.
enum Statistics {
    /// The middle value; the mean of the two middle values for an even count (numpy's rule).
    /// Found by selection, not by sorting: linear time for a million values.
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        var v = values
        let mid = v.count / 2
        let upper = select(&v, mid)
        guard v.count % 2 == 0 else { return upper }
        // After selection every value left of `mid` is at most `upper`: the largest of them is the lower middle.
        let lower = v[0..<mid].max()!
        return (lower + upper) / 2
    }

    /// Rearranges `v` so that `v[k]` is the value a sort would put there, smaller or equal
    /// values before it and greater or equal after (Hoare's quickselect, median-of-three
    /// pivots). With `start`, v[..<start] must already hold the least values: only the rest moves.
    static func select(_ v: inout [Double], _ k: Int, from start: Int = 0) -> Double {
        var low = start
        var high = v.count - 1
        v.withUnsafeMutableBufferPointer { v in
            while high > low {
                let mid = low + (high - low) / 2
                if v[mid] < v[low] { v.swapAt(mid, low) }
                if v[high] < v[low] { v.swapAt(high, low) }
                if v[high] < v[mid] { v.swapAt(high, mid) }
                let pivot = v[mid]
                var i = low
                var j = high
                while i <= j {
                    while v[i] < pivot { i += 1 }
                    while v[j] > pivot { j -= 1 }
                    if i <= j {
                        v.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                if k <= j { high = j } else if k >= i { low = i } else { break }
            }
        }
        return v[k]
    }

    /// The least of v[start...].
    static func minimum(_ v: [Double], from start: Int) -> Double {
        v.withUnsafeBufferPointer { v in
            var least = v[start]
            for i in (start + 1)..<v.count where v[i] < least { least = v[i] }
            return least
        }
    }
}
