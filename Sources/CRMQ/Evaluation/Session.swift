import Foundation

/// Everything a crmq session holds: the loaded snapshots, the one in use, named segments,
/// settings and the last result. `execute` runs one parsed statement against it.
///
///     let session = Session()
///     var parser = Parser("load \"examples/acme\"; count where revenue > 10k")
///     while let statement = try parser.next() { print(try session.execute(statement)) }
///
/// A statement that fails throws a `Diagnostic` and changes nothing: a load that fails
/// leaves every loaded snapshot as it was.
public final class Session {
    public private(set) var snapshots: [String: Snapshot] = [:]
    /// Snapshot names in the order they were loaded.
    public private(set) var snapshotOrder: [String] = []
    public private(set) var currentName: String?
    public private(set) var segments: [String: SegmentDefinition] = [:]
    public private(set) var settings = Settings()
    public internal(set) var lastResult: StatementResult?
    /// The text of the statement that gave the last result.
    public internal(set) var lastStatement: String?
    let models = ModelStore()
    let analytics = AnalyticsStore()
    /// Asked by long work (a load, a fit) whether to stop: Ctrl-C unless a test says otherwise.
    public var interrupted: InterruptCheck = ctrlCPressed {
        didSet { models.interrupted = interrupted }
    }
    /// Told what a long statement is doing and how far it has got (0…1), from any thread.
    public var progress: (@Sendable (String, Double) -> Void)?

    public init() {}

    public var current: Snapshot? { currentName.flatMap { snapshots[$0] } }

    /// Loads a snapshot — a folder, or one export file as it is — and makes it current; what
    /// the command line's SNAPSHOT does.
    public func load(directory: String, name: String? = nil, asOf: Int32? = nil) throws(DataError) -> Snapshot {
        let name = name ?? Self.defaultName(for: directory)
        // crmq's own snapshot file, reopened without parsing it: each column read when first used.
        if SnapshotFileFormat.isSnapshotFile(directory) { return keep(try SnapshotFileReader(path: directory, name: name, asOf: asOf).load()) }
        if Self.isFile(directory) || FileBytes.isPartFolder(directory) { return try load(ExportFileLoader(path: directory, name: name, asOf: asOf)) }
        // A snapshot.json that describes the tables: files as exports are read, or a database.
        if let recipe = try SnapshotRecipe.read(folder: directory) {
            switch try RecipeLoader(recipe: recipe, name: name, asOf: asOf).loader() {
            case .file(let loader): return try load(loader)
            case .database(let loader): return try load(loader)
            }
        }
        // transactions.csv without customers.csv: the customers are those who bought.
        if let loader = try SnapshotLoader.transactionsAlone(directory, name: name, asOf: asOf) { return try load(loader) }
        var loader = SnapshotLoader(directory: directory, name: name, asOf: asOf)
        loader.progress = progress
        loader.interrupted = interrupted
        return keep(try loader.load())
    }

    /// Loads one export file as its loader describes it, and makes it current.
    public func load(_ file: ExportFileLoader) throws(DataError) -> Snapshot {
        var loader = file
        loader.progress = progress
        loader.interrupted = interrupted
        return keep(try loader.load())
    }

    /// Loads a snapshot from a database, and makes it current.
    public func load(_ database: DatabaseLoader) throws(DataError) -> Snapshot {
        var loader = database
        loader.interrupted = interrupted
        return keep(try loader.load())
    }

    /// Whether a path is a file (an export) rather than a folder (a snapshot in crmq's layout).
    public static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// A snapshot loaded: kept under its name (replacing one of that name) and made current.
    private func keep(_ loaded: Snapshot) -> Snapshot {
        let snapshot = rated(loaded)
        let name = snapshot.name
        if snapshots[name] == nil { snapshotOrder.append(name) }
        snapshots[name] = snapshot
        models.keep(only: Array(snapshots.values))
        analytics.keep(only: Array(snapshots.values))
        currentName = name
        return snapshot
    }

    /// `examples/acme/` is known as `acme`, `exports/orders.csv` as `orders`.
    static func defaultName(for directory: String) -> String {
        var last = directory.split(separator: "/").last.map(String.init) ?? "snapshot"
        for ending in [".csv", ".txt", ".tsv", SnapshotFileFormat.ending] where last.lowercased().hasSuffix(ending) && last.count > ending.count {
            last.removeLast(ending.count)
        }
        let name = TableReader.normalise(last)
        return name.isEmpty ? "snapshot" : name
    }

    /// The snapshot in use as the language sees it; an error at `range` when none is loaded.
    func scope(_ range: SourceRange) throws(Diagnostic) -> CustomerScope {
        guard let snapshot = current else {
            throw Diagnostic("no snapshot is loaded", at: range, hint: "load one first: load \"examples/acme\"")
        }
        return scope(of: snapshot)
    }

    func scope(of snapshot: Snapshot) -> CustomerScope {
        CustomerScope(snapshot: snapshot, segments: segments, models: models, analytics: analytics, settings: settings, others: others(than: snapshot))
    }

    /// The loaded snapshots other than this one, for "ACME is in acme: use acme".
    private func others(than snapshot: Snapshot) -> [Snapshot] {
        snapshotOrder.compactMap { snapshots[$0] }.filter { $0 !== snapshot }
    }

    /// A loaded snapshot by the name the user wrote; an error with `hint` when there is none.
    func snapshot(named name: Name, hint: String) throws(Diagnostic) -> Snapshot {
        guard let snapshot = snapshots[name.text.lowercased()] else {
            throw Diagnostic(
                "no snapshot named `\(name.text)` is loaded", at: name.range,
                hint: Suggestion.hint(for: name.text, in: snapshotOrder) ?? hint)
        }
        return snapshot
    }

    /// A reopened snapshot file found damaged in a section a statement read: the statement's
    /// answer is withheld and the snapshot closed, so that no later answer reads it either.
    func closeDamaged(at range: SourceRange) throws(Diagnostic) {
        guard let (name, damage) = snapshotOrder.lazy.compactMap({ n in self.snapshots[n]?.damage.map { (n, $0) } }).first else { return }
        snapshots[name] = nil
        snapshotOrder.removeAll { $0 == name }
        if currentName == name { currentName = nil }
        models.keep(only: Array(snapshots.values))
        analytics.keep(only: Array(snapshots.values))
        throw Diagnostic(
            "\(damage.description): the answer is withheld and \(name) is closed", at: range,
            hint: "save it again from the snapshot it came from")
    }

    /// Makes a loaded snapshot the one in use.
    func use(_ name: String) {
        guard snapshots[name] != nil else { return }
        currentName = name
    }

    /// Names a segment for later statements (`customers in NAME`).
    func define(_ segment: SegmentDefinition) {
        segments[segment.name] = segment
    }

    /// `set NAME = VALUE`.
    func change(_ setting: Name, _ value: SettingValue, at range: SourceRange) throws(Diagnostic) {
        let rate = settings.marginRate
        try settings.set(setting, value, at: range)
        // Margins are part of the snapshot: another rate derives every loaded one's anew.
        if settings.marginRate != rate {
            for (name, snapshot) in snapshots { snapshots[name] = rated(snapshot) }
            models.keep(only: Array(snapshots.values))
            analytics.keep(only: Array(snapshots.values))
        }
        // Every fit follows the penalty in force (a change refits on the next question).
        models.penalty = settings.penalty ?? 0
    }

    /// A snapshot at the margin rate in force: the one set, else its own snapshot.json's.
    private func rated(_ snapshot: Snapshot) -> Snapshot { snapshot.rated(settings.marginRate ?? snapshot.info.marginRate) }

    /// Every field a statement can name in the snapshot in use: its own, then the models',
    /// then the value chain's.
    var fieldCatalog: [Field] {
        (current?.customers.fields ?? (CustomerFields.attributes + CustomerFields.derived)) + ModelStore.fields + AnalyticsStore.fields
    }

    static func loadedMessage(_ snapshot: Snapshot) -> Prose {
        var text: Prose = "loaded \(snapshot.name): \(count: snapshot.customers.count, "customer"), "
        if snapshot.isHistogram {
            let customers = snapshot.customers.numbers(CustomerFields.weight).reduce(0, +)
            text = "loaded \(snapshot.name): \(count: snapshot.customers.count, "row") standing for \(count: Int(customers), "customer"), "
                + "a histogram (recency and T in weeks; fit, clv, customers and describe answer on it), as of \(CalendarDay.format(snapshot.info.asOf))"
        } else if snapshot.isSummary, snapshot.customers.field(CustomerFields.revenue52Weeks.name) != nil {
            text += "a summary made where the data lives (every field as summary sql derives it), as of \(CalendarDay.format(snapshot.info.asOf))"
        } else if snapshot.countsPeriods {
            text += "a summary of discrete opportunities (x purchases in n periods, the last at tₓ: BG/BB's data), as of \(CalendarDay.format(snapshot.info.asOf))"
        } else if let unit = snapshot.sources.first?.timeUnit {
            text += "a summary with no transactions (recency and T in \(unit.rawValue)"
                + (unit == .weeks ? "" : ", turned into weeks") + "), as of \(CalendarDay.format(snapshot.info.asOf))"
        } else {
            text += "\(count: snapshot.transactionFacts.count, "transaction"), as of \(CalendarDay.format(snapshot.info.asOf))"
        }
        for source in snapshot.sources {
            let dialect = source.dialect == .standard ? "" : " (\(source.dialect.summary))"
            let mapping = source.mapping.isEmpty ? "its own column names" : source.mapping
            text += "; from \(source.shown): \(mapping)\(dialect)"
            if let condition = source.condition {
                text += "; where \(condition) left out \(count: source.filtered, "row") of \(count: source.rows)"
            }
        }
        let later = snapshot.setAside.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !later.isEmpty {
            text += " (set aside as later: \(later.map { "\(count: $0.value) rows of \($0.key)" as Prose }.joined(separator: ", ")))"
        }
        return text
    }
}
