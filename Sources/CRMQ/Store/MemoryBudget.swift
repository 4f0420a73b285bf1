#if canImport(Glibc)
import Glibc
#endif

/// What a load may ask of memory, checked before it starts: Swift stops the program when an
/// allocation fails, so a load that cannot fit under the process's address-space limit
/// (`ulimit -v`) is refused up front, saying how much it needs, and the session goes on.
///
/// The need is an estimate from the input's size, measured on the benchmark's million
/// customers: a folder load's address space peaks near 2.4 × its files (the files are mapped,
/// then the columns are built), an export's near 4.2 × (its customers' ids kept as text).
enum MemoryBudget {
    /// Address space per input byte, at the peak of a load.
    enum Kind: Double {
        case folder = 2.4
        case export = 4.2
    }

    /// Room for the threads' stacks and the allocator's arenas, beyond the data.
    static let headroom = 96 << 20

    static func check(inputBytes: Int, kind: Kind, file: String) throws(DataError) {
        var limit = rlimit()
        // No limit is the largest value the type holds (RLIM_INFINITY, which Swift cannot import).
        guard getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(Int.max) else { return }
        let need = Int(Double(inputBytes) * kind.rawValue) + headroom
        let free = Int(limit.rlim_cur) - addressSpaceInUse()
        guard need > free else { return }
        throw DataError(
            file: file,
            message: "needs about \(need >> 20) MB of memory to load, and this process may take \(max(0, free) >> 20) MB more "
                + "(its limit, ulimit -v, is \(Int(limit.rlim_cur) >> 20) MB); raise the limit, or load a part of the data")
    }

    /// The process's address space now (`/proc/self/statm`'s first field).
    private static func addressSpaceInUse() -> Int {
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 63) }
        guard count > 0 else { return 0 }
        let pages = Int(String(decoding: buffer[0..<count].prefix { $0 != 0x20 }, as: UTF8.self)) ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The bytes of the files among these that exist.
    static func size(of paths: [String]) -> Int {
        paths.reduce(0) { total, path in
            var info = stat()
            return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? total + Int(info.st_size) : total
        }
    }
}
