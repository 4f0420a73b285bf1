#if canImport(Glibc)
import Glibc
#endif

/// crmq's own snapshot file (`save snapshot to "q4.crmqdb"`): the loaded snapshot's columns
/// as they lie in memory, so that reopening it reads them instead of parsing CSV.
///
///     header    64 bytes: magic "CRMQDB\r\n", version (UInt32), 4 zero bytes, then the
///               directory's offset, length and checksum and the file's length (UInt64
///               each, little-endian), and the checksum of the 48 bytes before it
///     sections  one after another, each at a multiple of 64 bytes: a column's values as
///               they are in memory (Float64, Int32 or UInt8, little-endian), or a text
///               column's codes, the offsets of its values and their UTF-8 bytes
///     directory JSON at the end: the snapshot's description (name, as_of, fields, tables'
///               row counts, where its tables came from) and every section's name, offset,
///               length and checksum
///
/// A section's checksum is checked when its column is first read, so that a flipped byte is
/// an error naming the file and never a wrong answer; a cut file is refused when opened. The
/// file is written beside its name and renamed over it.
enum SnapshotFileFormat {
    static let magic: [UInt8] = Array("CRMQDB\r\n".utf8)
    static let version: UInt32 = 1
    static let headerSize = 64
    static let alignment = 64
    static let ending = ".crmqdb"

    /// Whether a path names such a file: by its ending, or by its first bytes.
    static func isSnapshotFile(_ path: String) -> Bool {
        path.lowercased().hasSuffix(ending) || startsAsOne(path)
    }

    /// Whether a path is a regular file whose first bytes are a snapshot file's magic.
    static func startsAsOne(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: magic.count)
        return bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, magic.count, 0) } == magic.count && bytes == magic
    }
}

/// A section's checksum: the checksum of its blocks' checksums (1 MiB blocks, the last
/// shorter), so that a file's blocks are checked on every core at once and then put together.
enum SectionChecksum {
    static let block = 1 << 20

    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var blocks: [UInt64] = []
        var at = 0
        while at < bytes.count {
            let count = min(block, bytes.count - at)
            blocks.append(Checksum.of(UnsafeRawBufferPointer(rebasing: bytes[at..<(at + count)])))
            at += count
        }
        return combined(blocks)
    }

    static func combined(_ blocks: [UInt64]) -> UInt64 {
        blocks.map(\.littleEndian).withUnsafeBytes { Checksum.of($0) }
    }
}

/// A 64-bit checksum of bytes: four lanes of multiply-and-rotate over 32-byte stripes, then
/// the tail, then mixed with the length. Fast enough to check every byte of a column as it is
/// read (several GB/s); not a cryptographic hash: it finds damage, not tampering.
enum Checksum {
    private static let k1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let k2: UInt64 = 0xC2B2_AE3D_27D4_EB4F

    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var state = State()
        state.add(bytes)
        return state.value
    }

    static func of(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { of($0) } }

    /// A checksum fed in pieces: the same value as of the pieces joined (pieces of any size).
    struct State {
        private var lanes: (UInt64, UInt64, UInt64, UInt64) = (1, 2, 3, 4)
        private var pending: [UInt8] = []
        private var length: UInt64 = 0

        mutating func add(_ bytes: UnsafeRawBufferPointer) {
            length &+= UInt64(bytes.count)
            var at = 0
            if !pending.isEmpty {
                let take = min(32 - pending.count, bytes.count)
                pending.append(contentsOf: bytes[0..<take])
                at = take
                guard pending.count == 32 else { return }
                pending.withUnsafeBytes { stripe($0, 0) }
                pending.removeAll(keepingCapacity: true)
            }
            while at + 32 <= bytes.count {
                stripe(bytes, at)
                at += 32
            }
            pending.append(contentsOf: bytes[at...])
        }

        @inline(__always)
        private mutating func stripe(_ bytes: UnsafeRawBufferPointer, _ at: Int) {
            func round(_ lane: UInt64, _ word: UInt64) -> UInt64 {
                let mixed = lane &+ word &* Checksum.k2
                return ((mixed << 31) | (mixed >> 33)) &* Checksum.k1
            }
            lanes.0 = round(lanes.0, bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
            lanes.1 = round(lanes.1, bytes.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self))
            lanes.2 = round(lanes.2, bytes.loadUnaligned(fromByteOffset: at + 16, as: UInt64.self))
            lanes.3 = round(lanes.3, bytes.loadUnaligned(fromByteOffset: at + 24, as: UInt64.self))
        }

        var value: UInt64 {
            var h = lanes.0 ^ (lanes.1 &* 31) ^ (lanes.2 &* 131) ^ (lanes.3 &* 1031) ^ length
            for byte in pending { h = (h ^ UInt64(byte)) &* Checksum.k1 }
            h ^= h >> 33
            h = h &* Checksum.k2
            h ^= h >> 29
            return h
        }
    }
}

/// The directory at a snapshot file's end: what the snapshot is, and where each section lies.
struct SnapshotFileDirectory: Codable {
    struct Info: Codable {
        var title: String?
        var asOf: Int32
        var currency: String?
        var description: String?
        var discountRate: Double?
        var marginRate: Double?
        var fixedCosts: Double?
    }

    struct FieldEntry: Codable {
        var name: String
        var type: String
        var unit: String
        var definition: String
    }

    struct Source: Codable {
        var table: String
        var file: String
        var delimiter: String
        var decimal: UInt8
        var thousands: UInt8?
        var dates: String
        var header: Bool
        var mapping: String
        var rows: Int
        var condition: String?
        var filtered: Int
        var timeUnit: String?
        var isDatabase: Bool
    }

    struct Transactions: Codable {
        var count: Int
        var marginRate: Double?
        var hasFileMargin: Bool
        var hasQuantity: Bool
        var hasProduct: Bool
        var later: Int
    }

    struct Section: Codable {
        var name: String
        var offset: Int
        var length: Int
        var checksum: UInt64
    }

    var name: String
    var directory: String
    var info: Info
    var setAside: [String: Int]
    var sources: [Source]
    var customers: Int
    var fields: [FieldEntry]
    var transactions: Transactions
    /// Rows of the other tables; nil when the snapshot has no such table.
    var activities: Int?
    var payments: Int?
    var interactions: Int?
    var valueStar: Int?
    var sections: [Section]
}

extension NumberUnit {
    /// As a snapshot file writes it.
    var written: String {
        switch self {
        case .count: "count"
        case .money: "money"
        case .weeks: "weeks"
        case .days: "days"
        case .ratio: "ratio"
        case .score: "score"
        case .estimate: "estimate"
        case .plain: "plain"
        }
    }

    static let all: [NumberUnit] = [.count, .money, .weeks, .days, .ratio, .score, .estimate, .plain]
}
