import Dispatch

/// A value handed across threads by a caller who guarantees each thread touches its own part.
private struct Unchecked<T>: @unchecked Sendable {
    let value: T
}

/// Runs `body(k)` for every k in 0..<count on all cores and returns the results in order.
/// Each call gets its own k and writes only its own slot, so no locks are needed.
func parallelMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    slots.initialize(repeating: nil)
    defer {
        _ = slots.deinitialize()
        slots.deallocate()
    }
    withoutActuallyEscaping(body) { body in
        let work = Unchecked(value: (body, slots))
        DispatchQueue.concurrentPerform(iterations: count) { k in
            work.value.1[k] = work.value.0(k)
        }
    }
    return slots.map { $0! }
}

/// `body` over ranges of 0..<count, one per core, the results joined in order.
func parallelChunks<T>(_ count: Int, _ body: (Range<Int>) -> [T]) -> [T] {
    let pieces = count < 2048 ? 1 : 8
    let parts = parallelMap(pieces) { k in body((count * k / pieces)..<(count * (k + 1) / pieces)) }
    return Array(parts.joined())
}

/// Sums of `body` over 0..<count: split in two halves on both cores when there are at least
/// `serialBelow` rows, the halves' sums added in a fixed order (the same answer every run);
/// one piece below that, where a thread costs more than it saves.
func parallelSums(_ count: Int, serialBelow: Int, _ body: (Range<Int>) -> [Double]) -> [Double] {
    let pieces = count < serialBelow ? 1 : 2
    let parts = parallelMap(pieces) { k in body((count * k / pieces)..<(count * (k + 1) / pieces)) }
    return parts.dropFirst().reduce(parts[0]) { zip($0, $1).map(+) }
}
