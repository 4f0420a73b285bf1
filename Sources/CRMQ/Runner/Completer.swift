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
        let context = Context(before)
        let quoted = openQuote != nil
        var candidates: [String]
        switch context.kind {
        case .paths: candidates = paths(partial, closingQuote: quoted ? String(UnicodeScalar(bytes[openQuote!])) : nil)
        case .customers: candidates = customers(partial, quoted: quoted)
        case .words(let words): candidates = Self.matching(expand(words), partial)
        }
        return Completion(start: wordStart, candidates: candidates)
    }

    static func matching(_ words: [String], _ partial: String) -> [String] {
        let lower = partial.lowercased()
        var seen = Set<String>()
        return words.filter { $0.lowercased().hasPrefix(lower) && seen.insert($0).inserted }.sorted()
    }

    // MARK: what may come here

    private struct Context {
        enum Kind {
            case words([String])
            case customers
            case paths
        }

        var kind: Kind = .words([])

        init(_ before: String) {
            kind = .words([])
            let tokens = Lexer.tokens(before).filter { $0.kind != .separator && $0.kind != .end }
            guard let first = tokens.first else {
                kind = .words(Parser.commands + ["profile", "segments", "snapshots"] + Parser.dotCommands.map { "." + $0 })
                return
            }
            if case .dotCommand(let name, let argument) = first.kind {
                switch name {
                case "mode" where !argument.contains(" "): kind = .words(OutputMode.allCases.map(\.rawValue))
                case "timer" where argument.isEmpty: kind = .words(["on", "off"])
                case "read": kind = .paths
                default: kind = .words([])
                }
                return
            }
            guard case .word(let command) = first.kind else { return }
            let words = tokens.compactMap { if case .word(let w) = $0.kind { w.lowercased() } else { nil } }
            let last = tokens.last!
            let lastWord: String? = if case .word(let w) = last.kind { w.lowercased() } else { nil }
            switch command.lowercased() {
            case "load":
                kind = tokens.count == 1 ? .paths : .words(lastWord == "as" ? ["of"] : ["as"])
            case "save":
                kind = tokens.count == 1 ? .words(["to"]) : lastWord == "to" && tokens.count == 2 ? .paths : .words([])
            case "use":
                kind = .words(Marker.snapshots)
            case "compare":
                kind = .words(tokens.count <= 2 ? Marker.snapshots : lastWord == "by" ? Marker.fields : lastWord == "show" ? Comparison.kinds : ["by", "show"])
            case "plan":
                kind = tokens.count == 1 ? .words(Plans.kinds) : lastWord == "for" ? .customers : lastWord == "segment" ? .words(Marker.segments)
                    : tokens.count == 2 ? .words(["for"]) : .words([])
            case "explain":
                kind = tokens.count == 1 ? .words(Explanation.topics) : lastWord == "for" ? .customers : .words(tokens.count == 2 ? ["for"] : [])
            case "whatif":
                kind = tokens.count == 1 ? .words(WhatIf.levers) : Self.clause(after: last, lastWord: lastWord, command: "count", words: words, count: tokens.count)
            case "valuestar":
                kind = .words(tokens.count == 1 ? ["for"] : lastWord == "for" ? ["segment"] : [])
            case "plot":
                kind = .words(tokens.count == 1 ? ["pareto", "rfm", "portfolio", "valuestar", "compare"] : ["to"])
            case "profile":
                kind = tokens.count == 1 ? .customers : .words([])
            case "set":
                kind = tokens.count == 1 ? .words(Settings.names) : .words(Self.settingValues(words.dropFirst().first ?? ""))
            case "help":
                kind = .words(Help.entries.map(\.topic) + ["fields", "expressions"])
            case "segment" where tokens.count == 1:
                kind = .words(["where", "by"])
            case "customers", "count", "segment":
                kind = Self.clause(after: last, lastWord: lastWord, command: command.lowercased(), words: words, count: tokens.count)
            default:
                kind = lastWord == "for" ? .customers : .words([])
            }
        }

        static func settingValues(_ setting: String) -> [String] {
            switch setting {
            case "model": Settings.models
            case "potential_threshold": ["median"]
            default: []
            }
        }

        /// Inside a customers, count or segment statement.
        static func clause(after last: Token, lastWord: String?, command: String, words: [String], count: Int) -> Kind {
            if lastWord == "in" { return .words(Marker.segments) }
            if lastWord == "order" { return .words(["by"]) }
            if lastWord == "for" { return .customers }
            let fieldNext: Bool
            switch last.kind {
            case .symbol(let s): fieldNext = s != ")"
            case .word(let w):
                fieldNext = ["where", "and", "or", "not", "by", "show", "between"].contains(w.lowercased())
                if count == 1 {
                    return .words(command == "customers" ? ["in", "where", "order", "limit", "show"] : ["in", "where"])
                }
            default: fieldNext = false
            }
            if fieldNext {
                let aggregates = command == "segment" && words.contains("show") ? Aggregate.allCases.map(\.rawValue) : []
                return .words(Marker.fields + aggregates + ["not"])
            }
            return .words(["and", "or", "order", "limit", "show", "where", "as", "in", "like", "between", "is", "not", "null", "asc", "desc"])
        }
    }

    /// Placeholders the context names; `resolve` fills them from the session.
    private enum Marker {
        static let snapshots = ["\u{0}snapshots"]
        static let segments = ["\u{0}segments"]
        static let fields = ["\u{0}fields"]
    }

    // MARK: candidates from the data

    private func expand(_ words: [String]) -> [String] {
        words.flatMap { word -> [String] in
            switch word {
            case Marker.snapshots[0]: session.snapshotOrder
            case Marker.segments[0]: session.segments.keys.sorted()
            case Marker.fields[0]:
                (session.current?.customers.fields.map(\.name) ?? (CustomerFields.attributes + CustomerFields.derived).map(\.name))
                    + ModelStore.fields.map(\.name) + AnalyticsStore.fields.map(\.name)
            default: [word]
            }
        }
    }

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
        if case .text(let names) = snapshot.customers.column("name") {
            for name in names.values where out.count < Self.customerLimit { offer(name) }
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }.sorted()
    }

    private func paths(_ partial: String, closingQuote: String?) -> [String] {
        let slash = partial.lastIndex(of: "/")
        let directoryPart = slash.map { String(partial[...$0]) } ?? ""
        let base = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
        var directory = directoryPart.isEmpty ? "." : directoryPart
        if directory.hasPrefix("~"), let home = ProcessInfo.processInfo.environment["HOME"] {
            directory = home + directory.dropFirst()
        }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return entries.filter { $0.hasPrefix(base) && (base.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().map { entry in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: directory + "/" + entry, isDirectory: &isDirectory)
            return directoryPart + entry + (isDirectory.boolValue ? "/" : closingQuote ?? "")
        }
    }
}
