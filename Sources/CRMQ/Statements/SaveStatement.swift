import Foundation

/// `save to "FILE"`: the last result written to a file; `save snapshot [NAME] to "FILE"`:
/// a loaded snapshot written as crmq's own file, which `load "FILE"` reopens at once.
struct SaveStatement: Statement {
    var path: String
    /// `save snapshot [NAME]`: the snapshot to write (the one in use when no name is given).
    var snapshot: (name: Name?, range: SourceRange)?

    static let word = "save"
    static let answersOnHistogram = true
    static let help = StatementHelp(
        syntax: "save to \"FILE\"\nsave snapshot [NAME] to \"FILE.crmqdb\"",
        summary: "Write the last result to a file. A name ending in .json writes JSON, .md Markdown, anything else CSV. "
            + "save snapshot writes the snapshot in use (or the one named) — its customers, transactions and every other "
            + "table, the derived fields, as_of and where its tables came from — as crmq's own file, which load and the "
            + "command line reopen without parsing anything; the file is written whole under another name and then put in "
            + "place, and only a crmq snapshot file is ever replaced.",
        example: "save snapshot to \"q4.crmqdb\"")

    static func parse(_ parser: inout Parser) throws(Diagnostic) -> Self {
        var snapshot: (name: Name?, range: SourceRange)?
        if let word = parser.accept("snapshot") {
            snapshot = (parser.token.isWord("to") ? nil : try parser.name("a snapshot's name, or to and a file"), word.range)
        }
        try parser.expect("to")
        return Self(path: try parser.path("a file name in quotes, like \"out.csv\""), snapshot: snapshot)
    }

    static func complete(_ typed: TypedWords) -> CompletionHint {
        if typed.isEmpty { return .words(["to", "snapshot"]) }
        if typed.lastWord == "to" { return .paths(endings: nil) }
        if typed.words.first == "snapshot" { return .words(["to"]) }
        return .nothing
    }

    var description: String {
        "save " + (snapshot.map { "snapshot " + ($0.name.map { $0.text + " " } ?? "") } ?? "") + "to \(SourceText.quoted(path))"
    }

    func run(in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        if let snapshot { return try saveSnapshot(snapshot.name, in: session, at: range) }
        guard session.lastResult != nil else {
            throw Diagnostic("there is no result to save yet", at: range, hint: "run a query first, then: save to \"out.csv\"")
        }
        return StatementResult(effect: .save(path))
    }

    private func saveSnapshot(_ name: Name?, in session: Session, at range: SourceRange) throws(Diagnostic) -> StatementResult {
        let chosen: Snapshot
        if let name {
            guard let named = session.snapshots[name.text.lowercased()] else {
                throw Diagnostic("no snapshot is loaded as \(name.text)", at: name.range, hint: Suggestion.hint(for: name.text, in: Array(session.snapshots.keys)))
            }
            chosen = named
        } else {
            chosen = try session.scope(range).snapshot
        }
        try Self.checkTarget(path, sparing: Array(session.snapshots.values), at: range)
        let started = Date()
        let bytes: Int
        do {
            bytes = try SnapshotFileWriter(snapshot: chosen).write(to: path)
        } catch {
            throw Diagnostic("cannot save the snapshot: \(error)", at: range)
        }
        let seconds = Date().timeIntervalSince(started)
        return .message("saved \(chosen.name) to \(path): \(count: chosen.customers.count, "customer"), "
            + "\(count: chosen.transactionFacts.count, "transaction"), \(Self.size(bytes)) in \(NumberText.plain((seconds * 100).rounded() / 100)) s")
    }

    /// 3.4 MB, 812 KB: a file's size as people read it.
    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(NumberText.plain((Double(bytes) / Double(1 << 20) * 10).rounded() / 10)) MB" : "\(max(1, (bytes + 512) >> 10)) KB"
    }

    /// Where a snapshot may be written: a new file, or a crmq snapshot file to replace;
    /// never a directory, a read-only file, a file of a loaded snapshot or another file.
    static func checkTarget(_ path: String, sparing snapshots: [Snapshot], at range: SourceRange) throws(Diagnostic) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        if isDirectory.boolValue {
            throw Diagnostic("\(path) is a directory", at: range, hint: "name a file in it: save snapshot to \"\(path)/snapshot.crmqdb\"")
        }
        if let owner = Snapshot.owner(of: path, among: snapshots) {
            throw Diagnostic("\(path) is a file of the loaded snapshot \(owner.name): crmq never writes over the data it reads", at: range)
        }
        guard SnapshotFileFormat.startsAsOne(path) else {
            throw Diagnostic("\(path) exists and is not a crmq snapshot file: crmq replaces only its own snapshot files", at: range, hint: "choose another name, like \"\((path as NSString).deletingPathExtension).crmqdb\"")
        }
        guard FileManager.default.isWritableFile(atPath: path) else { throw Diagnostic("\(path) is read-only: nothing was written", at: range) }
    }
}
