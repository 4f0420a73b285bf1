#if canImport(Glibc)
import Glibc
#endif

/// What a load may ask of memory, checked before it starts: Swift stops the program when an
/// allocation fails, so a load that cannot fit under the process's limits — its address space
/// (`ulimit -v`) and its data (`ulimit -d`, which since Linux 4.7 counts private anonymous
/// mappings, where the columns live) — is refused up front, saying how much it needs, and
/// the session goes on.
///
/// The need is an estimate from the input's size, measured on the benchmark's million
/// customers: a folder load's address space peaks near 2.4 × its files (the files are mapped,
/// then the columns are built), an export's near 4.2 × (its customers' ids kept as text), and
/// a saved snapshot file's 1.2 × once every column is read (466 MB for the 388 MB file; its
/// columns are read when first used, so the room is asked for when it is opened, and no
/// later read can run out).
enum MemoryBudget {
    /// Address space per input byte, at the peak of a load.
    enum Kind: Double {
        case folder = 2.4
        case export = 4.2
        case snapshotFile = 1.25
    }

    /// Room for the threads' stacks and the allocator's arenas, beyond the data.
    static let headroom = 96 << 20

    /// A limit the kernel holds the process to, and how much of it is in use.
    private struct Limit {
        var resource: Int32
        var command: String
        /// `/proc/self/status`'s line for what the limit counts.
        var status: String
    }

    private static let limits = [
        Limit(resource: Int32(RLIMIT_AS.rawValue), command: "ulimit -v", status: "VmSize:"),
        Limit(resource: Int32(RLIMIT_DATA.rawValue), command: "ulimit -d", status: "VmData:"),
    ]

    static func check(inputBytes: Int, kind: Kind, file: String) throws(DataError) {
        let need = Int(Double(inputBytes) * kind.rawValue) + headroom
        guard let short = shortfall(need) else { return }
        throw DataError(file: file, message: "needs about \(need >> 20) MB of memory to load, and \(short); raise the limit, or load a part of the data")
    }

    /// A limit that leaves too little: what is free under it, the limit and the command that
    /// sets it, said as the errors say it.
    struct Shortfall: CustomStringConvertible {
        var free: Int
        var limit: Int
        var command: String

        /// `this process may take 253 MB more (its limit, ulimit -v, is 341 MB)`
        var description: String { "this process may take \(free >> 20) MB more (its limit, \(command), is \(limit >> 20) MB)" }
    }

    /// A limit that leaves less than `need` bytes to take; nil when every limit leaves room
    /// (or none is set).
    static func shortfall(_ need: Int) -> Shortfall? {
        for limit in limits {
            var set = rlimit()
            // No limit is the largest value the type holds (RLIM_INFINITY, which Swift cannot import).
            guard getrlimit(limit.resource, &set) == 0, set.rlim_cur < rlim_t(Int.max) else { continue }
            let free = Int(set.rlim_cur) - inUse(limit.status)
            if need > free { return Shortfall(free: max(0, free), limit: Int(set.rlim_cur), command: limit.command) }
        }
        return nil
    }

    /// Bytes of a `/proc/self/status` line (`VmSize:    123456 kB`); 0 when it cannot be read.
    private static func inUse(_ field: String) -> Int {
        let fd = open("/proc/self/status", O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4095) }
        guard count > 0 else { return 0 }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field) }) else { return 0 }
        let kib = line.dropFirst(field.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) } ?? 0
        return kib * 1024
    }

    /// The bytes of the files among these that exist.
    static func size(of paths: [String]) -> Int {
        paths.reduce(0) { total, path in
            var info = stat()
            return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? total + Int(info.st_size) : total
        }
    }
}
