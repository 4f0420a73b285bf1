/// `plan retention|acquisition|development for CUSTOMER | for segment S` (PRODUCT.md §5):
/// each plan says who, why (this data's numbers), what to do, the most it is worth spending
/// and how success is measured. The three plans are in the files beside this one.
struct Plans {
    let scope: CustomerScope

    func result(kind: Spelled<PlanKind>, target: PlanTarget) throws(Diagnostic) -> StatementResult {
        switch (kind.value, target) {
        case (.retention, .customer(let name)): return try retention(customer: scope.customer(name))
        case (.retention, .segment(let name)): return try retention(segment: try members(name))
        case (.development, .customer(let name)): return try development(customer: scope.customer(name))
        case (.development, .segment(let name)): return try development(segment: try members(name))
        case (.acquisition, .segment(let name)): return try acquisition(segment: try members(name))
        case (.acquisition, .customer(let name)):
            throw Diagnostic(
                "an acquisition plan is for a segment: it values the customers like those already in it", at: name.range,
                hint: "plan acquisition for segment \(name.text)")
        }
    }

    /// The customers of a segment: a named one (`segment where … as S`), else those whose
    /// `segment` column is S.
    struct Members {
        var name: String
        var rows: [Int]
        /// How the segment was found, for the plan's text.
        var definition: String
    }

    func members(_ name: Name) throws(Diagnostic) -> Members {
        let key = name.text.lowercased()
        if let defined = scope.segments[key] {
            let rows = try scope.rows(CustomerFilter(segment: name)).map(Int.init)
            return Members(name: key, rows: rows, definition: "segment \(key): \(defined.condition)")
        }
        if let column = scope.snapshot.customers.text(CustomerFields.segment),
           let code = column.values.firstIndex(where: { $0.lowercased() == key }) {
            let rows = column.codes.indices.filter { column.codes[$0] == Int32(code) }
            return Members(name: column.values[code], rows: rows, definition: "segment = '\(column.values[code])'")
        }
        var known = scope.segments.keys.sorted()
        if let column = scope.snapshot.customers.text(CustomerFields.segment) { known += column.values.sorted() }
        throw Diagnostic(
            "no segment named `\(name.text)`: neither a saved segment nor a value of the segment column", at: name.range,
            hint: Suggestion.hint(for: name.text, in: known) ?? (known.isEmpty ? "make one: segment where clv > 10k as vip" : "segments: " + known.joined(separator: ", ")))
    }

    // MARK: Figures the plans share

    func money(_ v: Double) -> Prose { "\(v, .money)" }
    func percent(_ v: Double) -> Prose { "\(v, .ratio)" }

    /// Revenue of a customer in the days (from, to] before as_of.
    func revenue(of c: Int, daysBefore from: Int32, to: Int32) -> Double {
        let t = scope.snapshot.transactions
        let asOf = scope.snapshot.info.asOf
        return t.sum(t.amount, of: c, after: CalendarDay.shift(asOf, by: -from), through: CalendarDay.shift(asOf, by: -to))
    }

    /// One statement of a plan, the way a person reads it: "why: …".
    static func lines(_ parts: [(String, Prose)]) -> Prose {
        let width = parts.map { $0.0.count }.max() ?? 0
        let indent = "\n" + String(repeating: " ", count: width + 2)
        return parts.map { label, text -> Prose in
            let pad = String(repeating: " ", count: width - label.count)
            return "\(label):\(pad) \(text.mapText { $0.replacingAll("\n", with: indent) })"
        }.joined(separator: "\n")
    }
}
