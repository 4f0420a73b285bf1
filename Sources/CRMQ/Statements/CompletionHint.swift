/// What Tab may offer at a place in a statement. A statement names the kind; the completer
/// fills it from the session (the fields of the snapshot in use, its customers, the
/// loaded snapshots, the named segments, the files on disk).
enum CompletionHint: Equatable {
    case nothing
    case words([String])
    /// The fields, and these words besides (`not`, the aggregates).
    case fields(plus: [String])
    case customers
    case snapshots
    case segments
    /// File paths: folders, and the files whose names end in one of `endings` (any file when nil).
    case paths(endings: [String]?)

    /// What `load` reads: a snapshot folder, or an export of data.
    static let dataFileEndings = [".csv", ".tsv", ".txt"]

    /// The words of a closed set.
    static func choices<Choice: CaseIterable & RawRepresentable>(_: Choice.Type) -> CompletionHint where Choice.RawValue == String {
        .words(Choice.allCases.map(\.rawValue))
    }

    /// Inside the clauses of a statement that takes `in`, `where` and the like: the clause
    /// words it takes right after the command, segments after `in`, fields after `where`
    /// and operators, then what may follow a value.
    static func clauses(_ typed: TypedWords, first: [String], aggregates: Bool = false) -> CompletionHint {
        let lastWord = typed.lastWord
        if lastWord == "in" { return .segments }
        if lastWord == "order" { return .words(["by"]) }
        if lastWord == "for" { return .customers }
        guard let last = typed.tokens.last else { return .words(first) }
        let fieldNext: Bool
        switch last.kind {
        case .symbol(let s): fieldNext = s != ")"
        case .word(_, let key): fieldNext = ["where", "and", "or", "not", "by", "show", "between"].contains(key)
        default: fieldNext = false
        }
        if fieldNext {
            let functions = aggregates && typed.words.contains("show") ? Aggregate.allCases.map(\.rawValue) : []
            return .fields(plus: functions + ["not"])
        }
        return .words(["and", "or", "order", "limit", "show", "where", "as", "in", "like", "between", "is", "not", "null", "asc", "desc"])
    }
}

/// The tokens of a statement typed so far, after its command word, for completion.
struct TypedWords {
    var tokens: [Token]

    /// The words' folded forms, in order.
    var words: [String] { tokens.compactMap(\.key) }
    var lastWord: String? { tokens.last?.key }
    var isEmpty: Bool { tokens.isEmpty }
    var count: Int { tokens.count }
}
