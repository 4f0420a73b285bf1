import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `.last` at a terminal: the whole last result through $PAGER (default `less -SRX`: long
/// lines scroll sideways, colour passes through, the screen stays afterwards).
enum Pager {
    static func show(_ text: String, fallback: (String) -> Void) {
        let command = getenv("PAGER").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "less -SRX"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let input = Pipe()
        process.standardInput = input
        do {
            try process.run()
        } catch {
            fallback(text)
            return
        }
        input.fileHandleForWriting.write(Data(text.utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        // 127: the shell found no such pager.
        if process.terminationStatus == 127 { fallback(text) }
    }
}
