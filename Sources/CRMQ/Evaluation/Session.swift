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
    public private(set) var lastResult: StatementResult?
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

    /// Loads a snapshot and makes it current; used by the command line's SNAPSHOT_DIR.
    public func load(directory: String, name: String? = nil, asOf: Int32? = nil) throws(DataError) -> Snapshot {
        let name = name ?? Self.defaultName(for: directory)
        var loader = SnapshotLoader(directory: directory, name: name, asOf: asOf)
        loader.progress = progress
        loader.interrupted = interrupted
        let snapshot = try loader.load()
        if snapshots[name] == nil { snapshotOrder.append(name) }
        snapshots[name] = snapshot
        models.keep(only: Array(snapshots.values))
        analytics.keep(only: Array(snapshots.values))
        currentName = name
        return snapshot
    }

    /// `examples/acme/` is known as `acme`.
    static func defaultName(for directory: String) -> String {
        let last = directory.split(separator: "/").last.map(String.init) ?? "snapshot"
        let name = TableReader.normalise(last)
        return name.isEmpty ? "snapshot" : name
    }

    public func execute(_ parsed: ParsedStatement) throws(Diagnostic) -> StatementResult {
        let result = try run(parsed)
        if !result.tables.isEmpty { lastResult = result }
        return result
    }

    private func scope(_ range: SourceRange) throws(Diagnostic) -> CustomerScope {
        guard let snapshot = current else {
            throw Diagnostic("no snapshot is loaded", at: range, hint: "load one first: load \"examples/acme\"")
        }
        return CustomerScope(snapshot: snapshot, segments: segments, models: models, analytics: analytics, settings: settings)
    }

    private func run(_ parsed: ParsedStatement) throws(Diagnostic) -> StatementResult {
        let range = parsed.range
        switch parsed.statement {
        case .load(let path, let alias, let asOf):
            let snapshot: Snapshot
            do {
                snapshot = try load(directory: path, name: alias?.text.lowercased(), asOf: asOf)
            } catch {
                if error.isInterruption {
                    throw Diagnostic("interrupted: the load of \(path) was stopped, and nothing changed", at: range)
                }
                throw Diagnostic("cannot load the snapshot: \(error)", at: range)
            }
            return .message(Self.loadedMessage(snapshot))
        case .use(let name):
            guard snapshots[name.text.lowercased()] != nil else {
                throw Diagnostic(
                    "no snapshot named `\(name.text)` is loaded", at: name.range,
                    hint: Suggestion.hint(for: name.text, in: snapshotOrder) ?? "`snapshots` lists the loaded ones")
            }
            currentName = name.text.lowercased()
            return .message("using \(currentName!)")
        case .snapshots:
            return StatementResult([.table(snapshotList())])
        case .segments:
            return StatementResult([.table(try segmentList(range))])
        case .customers(let query):
            return StatementResult([.table(try CustomerList(scope: try scope(range), query: query).table())])
        case .count(let filter):
            let n = try scope(range).count(filter)
            return StatementResult([.table(ResultTable(columns: [ResultColumn("customers", unit: .count, .number([Double(n)]))]))])
        case .segmentWhere(let condition, let name):
            let scope = try scope(range)
            let summary = try SegmentSummary(scope: scope).summarise(condition: condition, name: name?.text)
            var result = StatementResult([.table(summary)])
            if let name {
                segments[name.text.lowercased()] = SegmentDefinition(name: name.text.lowercased(), condition: condition)
                result.blocks.append(.message("segment \(name.text.lowercased()) saved: use it as `customers in \(name.text.lowercased())`"))
            }
            return result
        case .segmentBy(let key, let filter, let show):
            return StatementResult([.table(try SegmentSummary(scope: try scope(range)).group(by: key, filter: filter, show: show))])
        case .profile(let name):
            return try CustomerProfile(scope: try scope(range), customer: name).result()
        case .fit(let model, let filter):
            return try ModelStatements(scope: try scope(range)).fit(model: model, filter: filter)
        case .portfolio(let filter):
            return try ValueChainStatements(scope: try scope(range)).portfolio(filter)
        case .pareto(let by, let filter):
            return try ValueChainStatements(scope: try scope(range)).pareto(by: by, filter)
        case .ssc(let filter):
            return try ValueChainStatements(scope: try scope(range)).ssc(filter)
        case .rfm(let filter):
            return try ValueChainStatements(scope: try scope(range)).rfm(filter)
        case .credit(let customer, let filter):
            return try CreditReport(scope: try scope(range)).result(for: customer, filter)
        case .valueStar(let segment):
            return try ValueStarReport(scope: try scope(range)).result(segment: segment)
        case .plan(let kind, let target):
            return try Plans(scope: try scope(range)).result(kind: kind, target: target)
        case .compare(let first, let second, let by, let list):
            var pair: [Snapshot] = []
            for name in [first, second] {
                guard let snapshot = snapshots[name.text.lowercased()] else {
                    throw Diagnostic(
                        "no snapshot named `\(name.text)` is loaded", at: name.range,
                        hint: Suggestion.hint(for: name.text, in: snapshotOrder) ?? "load both first: load \"examples/acme\" as q1 as of 2023-12-31")
                }
                pair.append(snapshot)
            }
            guard pair[0] !== pair[1] else { throw Diagnostic("compare needs two different snapshots", at: second.range) }
            if pair[0].info.asOf > pair[1].info.asOf { pair.swapAt(0, 1) }
            let scopes = pair.map { CustomerScope(snapshot: $0, segments: segments, models: models, analytics: analytics, settings: settings) }
            return try Comparison(earlier: scopes[0], later: scopes[1]).result(by: by, list: list)
        case .whatIf(let change, let filter):
            return try WhatIf(scope: try scope(range)).result(change, filter)
        case .plot(let inner, let path, let innerRange):
            if case .plot = inner { throw Diagnostic("plot takes a statement with a chart", at: innerRange) }
            let result = try run(ParsedStatement(statement: inner, range: innerRange))
            guard let chart = result.charts.first else {
                throw Diagnostic(
                    "this statement draws no chart", at: innerRange,
                    hint: "charts: pareto, rfm, portfolio, valuestar for segment S, compare A B, validate")
            }
            return StatementResult([.chart(chart)], effect: .plot(path))
        case .explain(let topic, let customer):
            return try Explanation(scope: try scope(range)).result(topic: topic, customer: customer)
        case .validate(let model, let end):
            return try Validation(scope: try scope(range)).result(model: model, holdoutEnd: end)
        case .clv(let customer, let model, let horizon, let discount):
            return try ModelStatements(scope: try scope(range)).clv(customer, model: model, horizonMonths: horizon, discount: discount)
        case .set(let name, let value, let valueRange):
            try settings.set(name, value, at: valueRange)
            return .message("\(name.text.lowercased()) set")
        case .settings:
            return StatementResult([.table(settings.table(for: current))])
        case .save(let path):
            guard lastResult != nil else {
                throw Diagnostic("there is no result to save yet", at: range, hint: "run a query first, then: save to \"out.csv\"")
            }
            return StatementResult(effect: .save(path))
        case .help(let topic):
            let fields = (current?.customers.fields ?? (CustomerFields.attributes + CustomerFields.derived)) + ModelStore.fields
                + AnalyticsStore.fields
            return try Help.result(topic, fields: fields, at: range)
        case .dot(let command):
            switch command {
            case .mode(let mode): return StatementResult(effect: .mode(mode))
            case .timer(let on): return StatementResult(effect: .timer(on))
            case .read(let path): return StatementResult(effect: .read(path))
            case .maxRows(let n): return StatementResult(effect: .maxRows(n))
            case .last:
                guard lastResult != nil else { throw Diagnostic("there is no result yet", at: range) }
                return StatementResult(effect: .showLast)
            case .quit: return StatementResult(effect: .quit)
            }
        }
    }

    static func loadedMessage(_ snapshot: Snapshot) -> String {
        var text = "loaded \(snapshot.name): \(NumberText.grouped(snapshot.customers.count)) customers, "
            + "\(NumberText.grouped(snapshot.transactions.count)) transactions, as of \(CalendarDay.format(snapshot.info.asOf))"
        let later = snapshot.setAside.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !later.isEmpty {
            text += " (set aside as later: " + later.map { "\(NumberText.grouped($0.value)) rows of \($0.key)" }.joined(separator: ", ") + ")"
        }
        return text
    }

    private func snapshotList() -> ResultTable {
        let list = snapshotOrder.compactMap { snapshots[$0] }
        return ResultTable(columns: [
            ResultColumn("name", .text(TextColumn(list.map { $0.name == currentName ? "\($0.name) *" : $0.name }))),
            ResultColumn("customers", unit: .count, .number(list.map { Double($0.customers.count) })),
            ResultColumn("transactions", unit: .count, .number(list.map { Double($0.transactions.count) })),
            ResultColumn("as_of", .date(list.map { $0.info.asOf })),
            ResultColumn("directory", .text(TextColumn(list.map(\.directory)))),
        ], notes: list.isEmpty ? ["no snapshot loaded yet: load \"examples/acme\""] : ["* the snapshot in use"])
    }

    private func segmentList(_ range: SourceRange) throws(Diagnostic) -> ResultTable {
        let names = segments.keys.sorted()
        var counts: [Double] = []
        if let snapshot = current {
            let scope = CustomerScope(snapshot: snapshot, segments: segments, models: models, analytics: analytics, settings: settings)
            for name in names {
                // A segment made on another snapshot may name a field this one lacks.
                counts.append((try? scope.count(CustomerFilter(segment: Name(name, range)))).map(Double.init) ?? .nan)
            }
        } else {
            counts = names.map { _ in .nan }
        }
        return ResultTable(columns: [
            ResultColumn("segment", .text(TextColumn(names))),
            ResultColumn("customers", unit: .count, .number(counts)),
            ResultColumn("condition", .text(TextColumn(names.map { "\(segments[$0]!.condition)" }))),
        ], notes: names.isEmpty ? ["no segments yet: segment where revenue > 10k as big"] : [])
    }
}
