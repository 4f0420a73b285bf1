import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A status line on stderr for work that takes more than half a second (a big load, a fit),
/// redrawn at most ten times a second and wiped when the statement ends. Reports come from
/// worker threads, hence the lock.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var started = Date()
    private var lastDrawn = Date.distantPast
    private var shown = false

    func begin() {
        lock.withLock {
            started = Date()
            lastDrawn = .distantPast
            shown = false
        }
    }

    func report(_ what: String, _ fraction: Double) {
        lock.withLock {
            let now = Date()
            guard now.timeIntervalSince(started) > 0.5, now.timeIntervalSince(lastDrawn) > 0.1 else { return }
            lastDrawn = now
            shown = true
            let percent = Int((min(max(fraction, 0), 1) * 100).rounded())
            StandardStreams.write("\r\u{1B}[2K  \(what)  \(percent)%  (Ctrl-C stops)", to: STDERR_FILENO)
        }
    }

    /// Wipes the line if it is showing; later reports may draw it again.
    func end() {
        lock.withLock {
            if shown { StandardStreams.write("\r\u{1B}[2K", to: STDERR_FILENO) }
            shown = false
        }
    }
}
