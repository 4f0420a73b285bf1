import CRMQ

#if canImport(Glibc)
import Glibc
#endif

/// Answers to stdout, errors to stderr, written at once (a pipe sees each answer as it comes).
final class StandardStreams: OutputSink {
    /// A progress line to wipe before anything else is written.
    var progress: ProgressLine?
    /// Why writing the answers failed (a full disk, a closed pipe), once it has: the script
    /// then ends with exit 1 rather than claim a success the reader never saw.
    private(set) var outputFailure: Int32?

    func output(_ text: String) {
        progress?.end()
        guard outputFailure == nil else { return }
        outputFailure = Self.write(text, to: STDOUT_FILENO)
    }

    func errors(_ text: String) {
        progress?.end()
        _ = Self.write(text, to: STDERR_FILENO)
    }

    /// Writes all of `text`; the errno of a failure, nil when every byte went out.
    @discardableResult
    static func write(_ text: String, to fd: Int32) -> Int32? { ResultFile.write(text, to: fd) }

    /// Exit 1 with the reason if the answers could not all be written (not for a closed
    /// pipe, which the reader closed on purpose: `crmq … | head`).
    func exitIfOutputFailed() {
        guard let failure = outputFailure else { return }
        if failure != EPIPE { errors("error: cannot write the answers to stdout: \(String(cString: strerror(failure)))\n") }
        exit(1)
    }
}

enum Terminal {
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
    static var color: Bool {
        stdoutIsTerminal && getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true
    }

    static var width: Int? {
        var size = winsize()
        guard stdoutIsTerminal, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
