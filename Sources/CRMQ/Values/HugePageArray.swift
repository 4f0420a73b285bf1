#if canImport(Glibc)
import Glibc
#endif

extension Array {
    /// `count` copies of `value`, an array of megabytes asking the kernel for huge pages
    /// before its first write: a table looked up at random, one look-up a row, would miss the
    /// TLB on nearly every look-up with 4 KiB pages, which costs more than the cache miss
    /// itself (under a hypervisor, twice).
    init(hugePages count: Int, repeating value: Element) {
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            Self.adviseHugePages(buffer)
            buffer.initialize(repeating: value)
            initialized = count
        }
    }

    private static func adviseHugePages(_ buffer: UnsafeMutableBufferPointer<Element>) {
        let bytes = UnsafeMutableRawBufferPointer(buffer)
        let huge = 2 << 20
        guard bytes.count >= 2 * huge, let base = bytes.baseAddress else { return }
        let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: base) + bytes.count) & ~(huge - 1)
        if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, 14 /* MADV_HUGEPAGE */) }
    }
}
