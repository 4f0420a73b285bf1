/// The customers of one snapshot as the language sees them: field names resolved to
/// columns, named segments and conditions resolved to rows.
struct CustomerScope {
    let snapshot: Snapshot
    let segments: [String: SegmentDefinition]
    let models: ModelStore
    let analytics: AnalyticsStore
    let settings: Settings
    /// The other loaded snapshots: a customer not found here may be in one of them.
    var others: [Snapshot] = []

    var count: Int { snapshot.customers.count }

    var fieldNames: [String] {
        snapshot.customers.fields.map(\.name) + ModelStore.fields.map(\.name) + AnalyticsStore.fields.map(\.name)
    }

    /// A field by the name the user wrote (any case): the snapshot's own, else one the value
    /// chain or the models give (fitting them on first use); nil when there is none.
    func resolve(_ written: String) throws(Diagnostic) -> (Field, ColumnData)? {
        let name = written.lowercased()
        if let field = snapshot.customers.field(name), let column = snapshot.customers.column(name) { return (field, column) }
        if let field = AnalyticsField(rawValue: name) { return (field.field, try column(field)) }
        if let field = ModelField(rawValue: name) { return (field.field, .number(try numbers(field))) }
        return nil
    }

    /// A model field for every customer.
    func numbers(_ field: ModelField) throws(Diagnostic) -> [Double] {
        if field.isContract { return try models.contracts(snapshot, settings).values(field) }
        if let bound = field.bound { return try models.intervals(snapshot, settings).values(bound.of, bound.end) }
        return field.values(try models.fitted(snapshot, settings)) ?? []
    }

    /// A value-chain field for every customer.
    func column(_ field: AnalyticsField) throws(Diagnostic) -> ColumnData {
        switch field {
        case .portfolio: return .text(try portfolio().groups)
        case .creditScore: return .number(try analytics.credit(snapshot).map(\.score))
        case .creditGrade: return .text(TextColumn(try analytics.credit(snapshot).map { Credit.grade($0.score) }))
        case .rfm: return .text(analytics.rfm(snapshot, settings).code)
        case .rfmSegment: return .text(analytics.rfm(snapshot, settings).segment)
        case .rScore: return .number(analytics.rfm(snapshot, settings).r.map(RFM.number))
        case .fScore: return .number(analytics.rfm(snapshot, settings).f.map(RFM.number))
        case .mScore: return .number(analytics.rfm(snapshot, settings).m.map(RFM.number))
        }
    }

    /// Each customer's portfolio group, with the clv and the potential threshold behind it.
    func portfolio() throws(Diagnostic) -> (groups: TextColumn, clv: [Double], threshold: Double, source: String) {
        let profit = snapshot.customers.numbers(CustomerFields.profit)
        let clv = try models.fitted(snapshot, settings).clv
        let (threshold, source) = AnalyticsStore.potentialThreshold(clv, settings)
        let codes = Portfolio.classify(profit: profit, clv: clv, threshold: threshold)
        return (TextColumn(codes: codes, values: Portfolio.groups), clv, threshold, source)
    }

    /// The first text field that has `word` as a value, ignoring case.
    func fieldHolding(_ word: String) -> String? {
        let wanted = word.lowercased()
        let customers = snapshot.customers
        return customers.fields.first { field in
            guard field.name != CustomerFields.id.name, let text = customers.text(field) else { return false }
            return text.values.contains { $0.lowercased() == wanted }
        }?.name
    }

    func compiler(aggregates: Bool = false) -> ExpressionCompiler {
        ExpressionCompiler(
            resolve: { name throws(Diagnostic) in try resolve(name) }, fieldNames: fieldNames, fieldHolding: fieldHolding, allowsAggregates: aggregates)
    }

    /// The value of a row expression for every customer.
    func evaluate(_ expr: Expr) throws(Diagnostic) -> (TypedExpression, Vector) {
        let typed = try compiler().compile(expr)
        return (typed, VectorEvaluator(count: count).evaluate(typed.node))
    }

    /// The rows the filter lets through, in table order.
    func rows(_ filter: CustomerFilter) throws(Diagnostic) -> [Int32] {
        var truth: [UInt8]?
        if let segment = filter.segment {
            guard let definition = segments[segment.text.lowercased()] else {
                throw Diagnostic(
                    "no segment named `\(segment.text)`", at: segment.range,
                    hint: Suggestion.hint(for: segment.text, in: Array(segments.keys))
                        ?? "make one with: segment where … as \(segment.text)")
            }
            truth = try mask(definition.condition)
        }
        if let condition = filter.condition {
            let more = try mask(condition)
            truth = truth.map { a in VectorEvaluator.map(a, more) } ?? more
        }
        guard let truth else { return (0..<Int32(count)).map { $0 } }
        var rows: [Int32] = []
        rows.reserveCapacity(count / 4)
        truth.withUnsafeBufferPointer { t in
            for i in 0..<t.count where t[i] == 1 { rows.append(Int32(i)) }
        }
        return rows
    }

    /// Rows per chunk when a condition is evaluated: 8K rows of doubles are 64 KiB, so the
    /// columns an expression makes on the way stay in cache and their memory is reused.
    static let chunk = 8_192

    private func mask(_ condition: Expr) throws(Diagnostic) -> [UInt8] {
        var truth = [UInt8](repeating: 0, count: count)
        try truth.withUnsafeMutableBufferPointer { out throws(Diagnostic) in
            try forEachChunk(condition) { rows, part in
                part.withUnsafeBufferPointer { part in
                    _ = UnsafeMutableBufferPointer(rebasing: out[rows]).initialize(from: part)
                }
            }
        }
        return truth
    }

    /// The condition's truth (0 false, 1 true, 2 null) chunk by chunk, in table order.
    private func forEachChunk(_ condition: Expr, _ body: (Range<Int>, [UInt8]) -> Void) throws(Diagnostic) {
        let node = try compiler().condition(condition)
        for start in stride(from: 0, to: count, by: Self.chunk) {
            let rows = start..<min(start + Self.chunk, count)
            body(rows, VectorEvaluator(rows: rows).evaluate(node).truth(rows.count))
        }
    }

    /// How many customers the filter lets through, without listing them.
    func count(_ filter: CustomerFilter) throws(Diagnostic) -> Int {
        if filter.segment == nil, let condition = filter.condition {
            // Counted chunk by chunk: no mask of a million rows to allocate.
            var n = 0
            try forEachChunk(condition) { _, part in
                part.withUnsafeBufferPointer { t in
                    for i in 0..<t.count { n &+= Int(t[i] & 1 & ~(t[i] >> 1)) }
                }
            }
            return n
        }
        return try rows(filter).count
    }

    /// The customer a user named, by id, else by name (ignoring case); an unknown or
    /// ambiguous name is an error that lists the closest candidates.
    func customer(_ name: Name) throws(Diagnostic) -> Int {
        let matches = Self.rows(snapshot, named: name.text)
        let ids = snapshot.customers.ids
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            let list = matches.prefix(5).map { "\(ids[$0] ?? "") (\(snapshot.customers.label($0)))" }.joined(separator: ", ")
            throw Diagnostic("`\(name.text)` names \(matches.count) customers", at: name.range, hint: "name one by id: \(list)")
        }
        if let elsewhere = others.first(where: { !Self.rows($0, named: name.text).isEmpty }) {
            throw Diagnostic(
                "no customer with id or name `\(name.text)` in \(snapshot.name)", at: name.range,
                hint: "\(name.text) is in \(elsewhere.name): use \(elsewhere.name)")
        }
        var candidates = ids.values
        if let names = snapshot.customers.text(CustomerFields.name) { candidates += names.values }
        let close = Suggestion.closest(to: name.text, in: candidates, limit: 5)
        throw Diagnostic(
            "no customer with id or name `\(name.text)`", at: name.range,
            hint: close.isEmpty ? nil : "did you mean " + close.map { "`\($0)`" }.joined(separator: ", ") + "?")
    }

    /// Whether a snapshot has a customer with this id, or this name (ignoring case).
    /// The rows a text names: the customer with that id, else those whose name it is (any case).
    private static func rows(_ snapshot: Snapshot, named text: String) -> [Int] {
        if let row = snapshot.row(ofId: text) { return [row] }
        guard let names = snapshot.customers.text(CustomerFields.name) else { return [] }
        let wanted = text.lowercased()
        let codes = Set(names.values.indices.filter { names.values[$0].lowercased() == wanted }.map(Int32.init))
        guard !codes.isEmpty else { return [] }
        return names.codes.indices.filter { codes.contains(names.codes[$0]) }
    }
}
