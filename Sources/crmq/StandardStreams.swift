import CRMQ

#if canImport(Glibc)
import Glibc
#endif

/// Answers to stdout, errors to stderr, written at once (a pipe sees each answer as it comes).
final class StandardStreams: OutputSink {
    /// A progress line to wipe before anything else is written.
    var progress: ProgressLine?

    func output(_ text: String) {
        progress?.end()
        Self.write(text, to: STDOUT_FILENO)
    }

    func errors(_ text: String) {
        progress?.end()
        Self.write(text, to: STDERR_FILENO)
    }

    static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { bytes in
            var done = 0
            while done < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { return }  // a closed pipe: nothing more can be said
                done += n
            }
        }
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
