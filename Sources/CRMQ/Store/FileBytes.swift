import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A whole file's bytes, mapped into memory rather than copied: the pages come straight
/// from the page cache, with nothing to zero or copy first. Or bytes a database sent, held
/// in memory, read by the same reader.
final class FileBytes: @unchecked Sendable {
    private let base: UnsafeMutableRawPointer?
    let count: Int
    /// Whether `base` is a mapping (unmapped at the end) or memory of its own (freed).
    private let mapped: Bool

    private init(base: UnsafeMutableRawPointer?, count: Int, mapped: Bool = true) {
        self.base = base
        self.count = count
        self.mapped = mapped
    }

    /// Bytes in memory, copied once into memory of the reader's own.
    convenience init(_ bytes: [UInt8]) {
        let base = bytes.isEmpty ? nil : malloc(bytes.count)
        if let base { bytes.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) } }
        self.init(base: base, count: bytes.count, mapped: false)
    }

    /// Memory from `malloc` that a database's rows were written into, taken over: given back
    /// to `pool` when read, else freed.
    convenience init(adopting base: UnsafeMutableRawPointer, count: Int, pool: BlockPool? = nil) {
        self.init(base: base, count: count, mapped: false)
        self.pool = pool
    }

    /// Where an adopted block goes back to, to be written again.
    private var pool: BlockPool?

    deinit {
        guard let base else { return }
        if mapped {
            munmap(base, count)
        } else if let pool {
            pool.giveBack(base)
        } else {
            free(base)
        }
    }

    static func read(path: String, displayName: String) throws(DataError) -> FileBytes {
        // Without blocking: a FIFO in the place of a file would otherwise wait for a writer forever.
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else {
            throw DataError(file: displayName, message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw DataError(file: displayName, message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR:
            if let parts = Self.parts(of: path) { return try joined(parts, displayName: displayName) }
            throw DataError(file: displayName, message: "a directory, not a file")
        default: throw DataError(file: displayName, message: "not a regular file (a pipe, a socket or a device): a snapshot's files are read from disk")
        }
        let size = Int(info.st_size)
        // A size of 0 may still hold text: files the kernel makes up (/proc) say 0 and are
        // read to their end; these are small, and a cap keeps a strange one from filling memory.
        guard size > 0 else { return try readToEnd(fd, path: path, displayName: displayName) }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw DataError(file: displayName, message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        madvise(mapped, size, MADV_WILLNEED)
        return FileBytes(base: mapped, count: size)
    }

    /// Reads what a file that says it is empty holds, up to 64 MiB.
    private static func readToEnd(_ fd: Int32, path: String, displayName: String) throws(DataError) -> FileBytes {
        let limit = 64 << 20
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count <= limit {
            let got = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if got == 0 { break }
            if got < 0 {
                if errno == EINTR { continue }
                // A file opened without blocking that has nothing yet (never a regular file on disk).
                if errno == EAGAIN { break }
                throw DataError(file: displayName, message: "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            bytes.append(contentsOf: chunk[0..<got])
        }
        guard bytes.count <= limit else { throw DataError(file: displayName, message: "says it is empty, yet holds more than 64 MiB") }
        return bytes.isEmpty ? FileBytes(base: nil, count: 0) : FileBytes(bytes)
    }

    /// The part files of a folder Spark (or Hadoop) wrote a table into — `part-00000-….csv`,
    /// in name order — or nil when it holds none.
    static func parts(of folder: String) -> [String]? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        let parts = names.filter { $0.hasPrefix("part-") && !$0.hasSuffix(".crc") }.sorted()
        return parts.isEmpty ? nil : parts.map { (folder.hasSuffix("/") ? folder : folder + "/") + $0 }
    }

    /// Whether a path is a folder of part files: one table, not a snapshot folder.
    static func isPartFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return false }
        return parts(of: path) != nil && !FileManager.default.fileExists(atPath: (path.hasSuffix("/") ? path : path + "/") + "customers.csv")
    }

    /// The parts one after another as one file: the first part's header, and each later
    /// part's header checked to be the same and left out. Empty parts (Spark writes them)
    /// add nothing.
    private static func joined(_ parts: [String], displayName: String) throws(DataError) -> FileBytes {
        var bytes: [UInt8] = []
        var header: ArraySlice<UInt8>?
        for part in parts {
            let file = try read(path: part, displayName: part)
            try file.withUnsafeBufferPointer { buffer throws(DataError) in
                guard buffer.count > 0 else { return }
                var end = 0
                while end < buffer.count, buffer[end] != 0x0A { end += 1 }
                let first = ArraySlice(buffer[0..<min(end + 1, buffer.count)])
                if let header {
                    guard header == first else {
                        throw DataError(file: part, line: 1, message: "its header differs from the first part's: the parts of one table share one")
                    }
                    bytes.append(contentsOf: buffer[min(end + 1, buffer.count)...])
                } else {
                    header = first
                    bytes.append(contentsOf: buffer)
                }
                if bytes.last != 0x0A { bytes.append(0x0A) }
            }
        }
        guard !bytes.isEmpty else { throw DataError(file: displayName, message: "its part files are all empty") }
        return FileBytes(bytes)
    }

    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws(DataError) -> R) throws(DataError) -> R {
        guard let base else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count))
    }
}

/// Blocks of one size, written, read and written again: fresh memory costs a page fault
/// every 4 KiB, and a stream of eight-megabyte blocks would pay that for every row.
final class BlockPool: @unchecked Sendable {
    let size: Int
    private var free: [UnsafeMutableRawPointer] = []
    private let lock = NSLock()

    init(size: Int) { self.size = size }

    deinit { for block in free { Glibc.free(block) } }

    func take() -> UnsafeMutableRawPointer {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast() ?? malloc(size)!
    }

    func giveBack(_ block: UnsafeMutableRawPointer) {
        lock.lock()
        free.append(block)
        lock.unlock()
    }

    /// Room for at least `count` bytes: one of the pool's blocks when that is enough, else
    /// memory of its own of that size (a row longer than a block), which is freed, not kept.
    func take(atLeast count: Int) -> (start: UnsafeMutableRawPointer, capacity: Int) {
        count <= size ? (take(), size) : (malloc(count)!, count)
    }

    /// The first `count` bytes of memory `take(atLeast:)` gave, to be read: back to the pool
    /// once read, or freed.
    func handOver(_ start: UnsafeMutableRawPointer, capacity: Int, count: Int) -> FileBytes {
        FileBytes(adopting: start, count: count, pool: capacity == size ? self : nil)
    }

    /// Memory `take(atLeast:)` gave that is not handed over: back to the pool, or freed.
    func giveBack(_ start: UnsafeMutableRawPointer, capacity: Int) {
        if capacity == size { giveBack(start) } else { Glibc.free(start) }
    }
}
