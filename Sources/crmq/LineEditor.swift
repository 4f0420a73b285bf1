import CEditLine
import CInterrupt
import CRMQ
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// libedit's readline: line editing, Ctrl-R reverse search, Tab completion from `Completer`,
/// and history kept in ~/.crmq_history, written after every statement so that a crash
/// loses nothing. Read and written only through libedit, which has its own file format and
/// escapes newlines, so that a statement over several lines comes back whole.
final class LineEditor {
    enum Input {
        case line(String)
        /// Ctrl-C: the line was abandoned.
        case interrupted
        /// Ctrl-D on an empty line.
        case end
    }

    /// The C completion callback has no context pointer: it finds the completer here.
    nonisolated(unsafe) static var completer: Completer?
    /// Earlier lines of the statement being typed, for completion on a continuation line.
    nonisolated(unsafe) static var pending = ""
    static let historyLimit: Int32 = 2000

    let historyPath: String?
    private var lastEntry: String?

    init(session: Session, historyPath: String?) {
        // Without a UTF-8 locale libedit edits byte by byte and a Chinese name breaks the line.
        setlocale(LC_CTYPE, "")
        Self.completer = Completer(session: session)
        self.historyPath = historyPath
        crmq_set_readline_name("crmq")
        crmq_set_catch_signals(0)  // Ctrl-C is ours: a flag, and the line abandoned
        crmq_set_word_break_characters(strdup(Completer.wordBreaks))
        crmq_set_completer(completeCallback)
        crmq_disable_default_completion()
        using_history()
        stifle_history(Self.historyLimit)
        if let historyPath, FileManager.default.fileExists(atPath: historyPath) {
            read_history(historyPath)
            if let entry = history_get(crmq_history_base() + crmq_history_length() - 1), let line = entry.pointee.line {
                lastEntry = String(cString: line)
            }
        }
    }

    func read(prompt: String) -> Input {
        _ = crmq_take_interrupt()
        guard let line = readline(prompt) else {
            return crmq_take_interrupt() != 0 ? .interrupted : .end
        }
        defer { free(line) }
        if crmq_take_interrupt() != 0 { return .interrupted }
        return .line(String(cString: line))
    }

    /// Adds a whole statement to the history (not when it repeats the last one) and writes
    /// the file at once. Its later lines are indented by `indent` columns, so that, recalled,
    /// they stand under the first line's text as they did after the continuation prompt
    /// (libedit draws a recalled line break at column 0).
    func remember(_ statement: String, indent: Int) {
        // A connection string's password is kept out of the history file.
        let statement = Secrets.redacted(statement)
        let lines = (statement.hasSuffix("\n") ? String(statement.dropLast()) : statement).split(separator: "\n", omittingEmptySubsequences: false)
        let margin = String(repeating: " ", count: indent)
        let entry = ([String(lines[0])] + lines.dropFirst().map { margin + $0.drop { $0 == " " || $0 == "\t" } }).joined(separator: "\n")
        guard !entry.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, entry != lastEntry else { return }
        add_history(entry)
        lastEntry = entry
        if let historyPath {
            write_history(historyPath)
            history_truncate_file(historyPath, Self.historyLimit)
        }
    }
}

/// libedit asks for the matches of the word from `start` to `end` of its line buffer.
/// The completer may see the word start elsewhere (a quoted name with spaces starts at its
/// quote); each candidate is cut or extended to replace exactly libedit's word.
private let completeCallback: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { _, start, end in
    guard let completer = LineEditor.completer, let buffer = crmq_line_buffer() else { return nil }
    let line = Array(String(cString: buffer).utf8)
    let pending = LineEditor.pending
    let offset = pending.utf8.count
    let completion = completer.complete(pending + String(decoding: line, as: UTF8.self), cursor: offset + Int(end))
    let ours = completion.start - offset
    let theirs = Int(start)
    guard ours >= 0 else { return nil }
    var candidates: [[UInt8]] = completion.candidates.compactMap { candidate in
        let bytes = Array(candidate.utf8)
        if theirs >= ours {
            return bytes.count >= theirs - ours ? Array(bytes.dropFirst(theirs - ours)) : nil
        }
        return Array(line[theirs..<ours]) + bytes
    }
    guard !candidates.isEmpty else { return nil }
    // A directory or a closed quote wants no space after it.
    let last = candidates.count == 1 ? candidates[0].last : nil
    crmq_set_append_character(last == UInt8(ascii: "/") || last == UInt8(ascii: "\"") ? 0 : 32)
    // matches[0] is what replaces the word; libedit reads matches[2] to see whether there
    // is one match, so a single one is given twice: [match, match, NULL].
    if candidates.count == 1 {
        candidates.append(candidates[0])
    } else {
        var common = candidates[0]
        for c in candidates.dropFirst() {
            var n = 0
            while n < common.count, n < c.count, common[n] == c[n] { n += 1 }
            common = Array(common.prefix(n))
        }
        // Do not cut a UTF-8 character in two.
        while !common.isEmpty, String(validating: common, as: UTF8.self) == nil { common.removeLast() }
        candidates.insert(common, at: 0)
    }
    // libedit frees the array and each string with free(): they come from malloc.
    let size = MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (candidates.count + 1)
    let matches = malloc(size)!.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: candidates.count + 1)
    for (i, bytes) in candidates.enumerated() {
        let copy = malloc(bytes.count + 1)!.bindMemory(to: CChar.self, capacity: bytes.count + 1)
        for (j, b) in bytes.enumerated() { copy[j] = CChar(bitPattern: b) }
        copy[bytes.count] = 0
        matches[i] = copy
    }
    matches[candidates.count] = nil
    return matches
}
