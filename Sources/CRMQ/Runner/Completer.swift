import Foundation

/// What Tab offers: the candidates for the word being typed, and where that word starts.
public struct Completion: Equatable, Sendable {
    /// Byte offset in the text where the replaced word begins.
    public var start: Int
    public var candidates: [String]
}

/// Tab completion that knows the language and the data: commands where a statement starts,
/// fields after `where`, `show`, `order by` and `by`, snapshot and segment names after `use`
/// and `in`, customer ids and names after `profile` and `for`, file paths after `load`,
/// `.read` and `save to`, and the clause words that may come next.
public struct Completer {
    public let session: Session
    /// Characters that end a word, for the editor too (libedit's word break characters).
    public static let wordBreaks = " \t\n\"'(),;=<>!+*"
    /// At most this many customers are offered at once.
    static let customerLimit = 500

    public init(session: Session) {
        self.session = session
    }

    /// The completion at `cursor` (a byte offset) of `text`, which may hold earlier lines of
    /// the statement being typed.
    public func complete(_ text: String, cursor: Int) -> Completion {
        let bytes = Array(text.utf8.prefix(cursor))
        // The statement being typed starts after the last `;` or ended line outside quotes.
        var statementStart = 0
        var openQuote: Int?
        for (i, c) in bytes.enumerated() {
            if let q = openQuote {
                if c == bytes[q] { openQuote = nil }
            } else if c == 0x22 || c == 0x27 {
                openQuote = i
            } else if c == 0x3B {
                statementStart = i + 1
            }
        }
        let wordStart: Int
        if let q = openQuote {
            wordStart = q + 1
        } else {
            var i = bytes.count
            while i > statementStart, !Self.wordBreaks.utf8.contains(bytes[i - 1]) { i -= 1 }
            wordStart = i
        }
        let partial = String(decoding: bytes[wordStart...], as: UTF8.self)
        let before = String(decoding: bytes[statementStart..<(openQuote ?? wordStart)], as: UTF8.self)
        let quoted = openQuote != nil
        let candidates: [String]
        switch Self.hint(before) {
        case .nothing: candidates = []
        case .words(let words): candidates = Self.matching(words, partial)
        case .fields(let plus): candidates = Self.matching(fieldNames + plus, partial)
        case .snapshots: candidates = Self.matching(session.snapshotOrder, partial)
        case .segments: candidates = Self.matching(session.segments.keys.sorted(), partial)
        case .customers: candidates = customers(partial, quoted: quoted)
        case .paths(let endings):
            candidates = paths(partial, closingQuote: quoted ? String(UnicodeScalar(bytes[openQuote!])) : nil, endings: endings)
        }
        return Completion(start: wordStart, candidates: candidates)
    }

    static func matching(_ words: [String], _ partial: String) -> [String] {
        let lower = partial.lowercased()
        var seen = Set<String>()
        return words.filter { $0.lowercased().hasPrefix(lower) && seen.insert($0).inserted }.sorted()
    }

    /// What may come after `before`, the statement typed so far: its command's own answer
    /// (`Statement.complete`), else the commands.
    static func hint(_ before: String) -> CompletionHint {
        let tokens = Lexer.tokens(before).filter { $0.kind != .separator && $0.kind != .end }
        guard let first = tokens.first else {
            return .words(StatementCatalog.commands + DotCommandStatement.names.map { "." + $0 })
        }
        if case .dotCommand(let name, let argument) = first.kind { return DotCommandStatement.complete(name, argument) }
        guard let key = first.key, let type = StatementCatalog.statement(startingWith: key) else {
            return tokens.last?.key == "for" ? .customers : .nothing
        }
        return type.complete(TypedWords(tokens: Array(tokens.dropFirst())))
    }

    private var fieldNames: [String] { session.fieldCatalog.map(\.name) }

    // MARK: candidates from the data

    private func customers(_ partial: String, quoted: Bool) -> [String] {
        guard let snapshot = session.current else { return [] }
        let lower = partial.lowercased()
        var out: [String] = []
        func offer(_ text: String) {
            guard text.lowercased().hasPrefix(lower) else { return }
            let plain = text.unicodeScalars.allSatisfy { !Self.wordBreaks.unicodeScalars.contains($0) }
            if quoted {
                out.append(text + "\"")
            } else {
                out.append(plain ? text : "\"" + text + "\"")
            }
        }
        for id in snapshot.customers.ids.values {
            offer(id)
            if out.count >= Self.customerLimit { break }
        }
        if let names = snapshot.customers.text(CustomerFields.name) {
            for name in names.values where out.count < Self.customerLimit { offer(name) }
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }.sorted()
    }

    private func paths(_ partial: String, closingQuote: String?, endings: [String]?) -> [String] {
        let slash = partial.lastIndex(of: "/")
        let directoryPart = slash.map { String(partial[...$0]) } ?? ""
        let base = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
        var directory = directoryPart.isEmpty ? "." : directoryPart
        if directory.hasPrefix("~"), let home = ProcessInfo.processInfo.environment["HOME"] {
            directory = home + directory.dropFirst()
        }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return entries.filter { $0.hasPrefix(base) && (base.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().compactMap { entry in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: directory + "/" + entry, isDirectory: &isDirectory)
            if let endings, !isDirectory.boolValue, !endings.contains(where: { entry.lowercased().hasSuffix($0) }) { return nil }
            return directoryPart + entry + (isDirectory.boolValue ? "/" : closingQuote ?? "")
        }
    }
}
