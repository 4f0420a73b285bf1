import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs `body(k)` for every k in 0..<count on all cores and returns the results in order.
/// Each call gets its own k and writes only its own slot, so no locks are needed.
///
/// The calling thread works too, beside one thread per other core, each taking the next k
/// until none is left. A thread that cannot be made — no address space left for its stack
/// under `ulimit -v` — is simply not made, and the work is done by the threads there are:
/// Dispatch's pool instead waits, forever, for the resources to come back.
func parallelMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    guard count > 1 else { return (0..<count).map(body) }
    let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    slots.initialize(repeating: nil)
    defer {
        _ = slots.deinitialize()
        slots.deallocate()
    }
    withoutActuallyEscaping(body) { body in
        let shared = SharedWork(count: count) { k in slots[k] = body(k) }
        var threads: [pthread_t] = []
        for _ in 1..<min(count, SharedWork.cores) {
            let context = Unmanaged.passRetained(shared).toOpaque()
            var thread = pthread_t()
            let made = pthread_create(&thread, nil, { context in
                Unmanaged<SharedWork>.fromOpaque(context!).takeRetainedValue().work()
                return nil
            }, context)
            guard made == 0 else {
                Unmanaged<SharedWork>.fromOpaque(context).release()
                break
            }
            threads.append(thread)
        }
        shared.work()
        for thread in threads { pthread_join(thread, nil) }
    }
    return slots.map { $0! }
}

/// The iterations of one `parallelMap`, taken one at a time by whichever thread is free.
private final class SharedWork: @unchecked Sendable {
    static let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    private let count: Int
    private let next = Atomic<Int>(0)
    private let run: (Int) -> Void

    init(count: Int, run: @escaping (Int) -> Void) {
        self.count = count
        self.run = run
    }

    func work() {
        while true {
            let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard k < count else { return }
            run(k)
        }
    }
}

/// `body` over ranges of 0..<count, one per core, the results joined in order.
func parallelChunks<T>(_ count: Int, _ body: (Range<Int>) -> [T]) -> [T] {
    let pieces = count < 2048 ? 1 : 8
    let parts = parallelMap(pieces) { k in body((count * k / pieces)..<(count * (k + 1) / pieces)) }
    return Array(concatenating: parts)
}

/// Sums of `body` over 0..<count: split in two halves on both cores when there are at least
/// `serialBelow` rows, the halves' sums added in a fixed order (the same answer every run);
/// one piece below that, where a thread costs more than it saves.
func parallelSums(_ count: Int, serialBelow: Int, _ body: (Range<Int>) -> [Double]) -> [Double] {
    let pieces = count < serialBelow ? 1 : 2
    let parts = parallelMap(pieces) { k in body((count * k / pieces)..<(count * (k + 1) / pieces)) }
    return parts.dropFirst().reduce(parts[0]) { zip($0, $1).map(+) }
}
