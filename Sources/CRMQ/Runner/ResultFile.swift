import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where `save to` and `plot … to` write, as sqlite3's `.output` does: through the path to
/// what it names, so that a link stays a link, a file keeps its mode and its other names, and
/// a device (/dev/null) gets the bytes; a new file is made whole under a temporary name and
/// renamed into place, so that a failed write leaves nothing half-written. Never over a file
/// of a loaded snapshot, a read-only file or a directory.
public enum ResultFile {
    static func write(_ text: String, to path: String, sparing snapshots: [Snapshot]) throws(Diagnostic) {
        guard !path.isEmpty else { throw Diagnostic("a file name is needed") }
        var info = stat()
        guard stat(path, &info) == 0 else {
            var link = stat()
            if lstat(path, &link) == 0 { throw Diagnostic("\(path) is a link to nothing: name the file itself") }
            return try create(text, at: path)
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            throw Diagnostic("\(path) is a directory", hint: "name a file in it: save to \"\(path)/out.csv\"")
        case S_IFREG:
            if let owner = Snapshot.owner(of: path, among: snapshots) {
                throw Diagnostic("\(path) is a file of the loaded snapshot \(owner.name): crmq never writes over the data it reads")
            }
            guard info.st_mode & 0o222 != 0 else { throw Diagnostic("\(path) is read-only: nothing was written") }
            try overwrite(text, at: path)
        default:
            try overwrite(text, at: path)  // a device or a pipe takes the bytes as they are
        }
    }

    /// Writes into what already is at `path`: its inode, mode and links stay.
    private static func overwrite(_ text: String, at path: String) throws(Diagnostic) {
        let fd = open(path, O_WRONLY | O_TRUNC | O_NONBLOCK)
        guard fd >= 0 else { throw failure(path) }
        try writeAll(text, fd, path, closing: true)
    }

    /// A new file: written under a temporary name beside it, then renamed into place.
    private static func create(_ text: String, at path: String) throws(Diagnostic) {
        let folder = (path as NSString).deletingLastPathComponent
        var template = Array(((folder.isEmpty ? "." : folder) + "/.crmq-write-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure(path) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do throws(Diagnostic) {
            // mkstemp makes it 0600: a new file gets the mode any other would, 0666 less the umask.
            let mask = umask(0)
            umask(mask)
            fchmod(fd, 0o666 & ~mask)
            try writeAll(text, fd, path, closing: true)
            guard rename(temporary, path) == 0 else { throw failure(path) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    private static func writeAll(_ text: String, _ fd: Int32, _ path: String, closing: Bool) throws(Diagnostic) {
        let failed = write(text, to: fd)
        let closed = close(fd) == 0 ? nil : errno
        if let code = failed ?? closed { throw Diagnostic("cannot write \(path): \(String(cString: strerror(code)))") }
    }

    /// Writes all of `text` to a file descriptor, again after an interrupted call; the errno of
    /// a failure, nil when every byte went out. The shell writes its answers with it too.
    public static func write(_ text: String, to fd: Int32) -> Int32? {
        var text = text
        return text.withUTF8 { bytes -> Int32? in
            var done = 0
            while done < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { return n < 0 ? errno : EIO }
                done += n
            }
            return nil
        }
    }

    private static func failure(_ path: String) -> Diagnostic {
        Diagnostic("cannot write \(path): \(String(cString: strerror(errno)))")
    }
}
