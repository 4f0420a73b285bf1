/// Covariates from the customers' own columns — those of customers.csv and those a load
/// derives (frequency, revenue, …), never a model's or the value chain's, which would depend
/// on the fit they feed.
extension CovariateDesign {
    /// A number as it is, true/false as 1/0, a text of two values as 1 for the later of the
    /// two in sort order (named `field=value`). A chosen customer without a value is an error
    /// that names one and says how to leave them out.
    init(_ covariates: [Name], of customers: CustomerTable, rows: [Int32]) throws(Diagnostic) {
        let n = customers.count
        var names: [String] = [], values: [[Double]] = []
        for covariate in covariates {
            let key = covariate.text.lowercased()
            guard let data = customers.column(key) else {
                throw Diagnostic(
                    "unknown field `\(covariate.text)`: a covariate is a column of the customers", at: covariate.range,
                    hint: Suggestion.hint(for: covariate.text, in: customers.fields.map(\.name)))
            }
            var column = [Double](repeating: .nan, count: n)
            var name = key
            switch data {
            case .number(let v): for r in rows { column[Int(r)] = v[Int(r)] }
            case .bool(let v): for r in rows where v[Int(r)] <= 1 { column[Int(r)] = Double(v[Int(r)]) }
            case .text(let t):
                let used = Set(rows.compactMap { t[Int($0)] }).sorted()
                guard used.count == 2 else {
                    throw Diagnostic("\(key) has \(used.count) values among these customers; a covariate is a number, true/false, or a text of two values",
                                     at: covariate.range)
                }
                name = "\(key)=\(used[1])"
                for r in rows { if let value = t[Int(r)] { column[Int(r)] = value == used[1] ? 1 : 0 } }
            case .date:
                throw Diagnostic("\(key) is a date; a covariate is a number, true/false, or a text of two values", at: covariate.range)
            }
            let missing = rows.filter { !column[Int($0)].isFinite }
            if let first = missing.first {
                throw Diagnostic("\(key) has no value for \(missing.count) customer\(missing.count == 1 ? "" : "s") (the first: \(customers.ids[Int(first)] ?? "?"))",
                                 at: covariate.range, hint: "leave them out: fit … with \(covariate.text) where \(key) is not null")
            }
            names.append(name)
            values.append(column)
        }
        var chosen = [Bool](repeating: false, count: n)
        for r in rows { chosen[Int(r)] = true }
        func only(_ field: Field) -> [Double] {
            let all = customers.numbers(field)
            return all.indices.map { chosen[$0] ? all[$0] : .nan }
        }
        self.init(
            names: names, values: values, frequency: only(CustomerFields.frequency), recency: only(CustomerFields.recency),
            age: only(CustomerFields.age), weight: customers.optionalNumbers(CustomerFields.weight))
    }
}
