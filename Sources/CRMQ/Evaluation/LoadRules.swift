/// A load's `where` and its fields that are expressions (`amount = Quantity * UnitPrice`),
/// checked against a file's columns before a row is read, then made into the rules the
/// store applies to the rows it reads. Column names are written as fields are (`Unit Price`
/// is `unit_price`, in any case), and a mapped field stands for its column (`amount` for `Price`).
enum LoadRules {
    /// The fields a load may compute: numbers of a row. The customer and the date name columns.
    static let computable = ["amount", "margin", "quantity"]

    /// A load's `columns (…)` parted: a field whose source is a column's name (`Id`,
    /// `'Customer ID'`) is a pair for the column mapping; any other source is an expression.
    static func split(_ columns: [(field: Name, source: Expr)]) -> (named: [(field: String, column: String)], computed: [(field: Name, source: Expr)]) {
        var named: [(field: String, column: String)] = []
        var computed: [(field: Name, source: Expr)] = []
        for (field, source) in columns {
            switch source.kind {
            case .field(let column), .string(let column): named.append((field.text, column))
            default: computed.append((field, source))
            }
        }
        return (named, computed)
    }

    /// The fields named by expressions, checked to be ones a load may compute, as the store names them.
    static func fields(_ computed: [(field: Name, source: Expr)]) throws(Diagnostic) -> Set<String> {
        for (field, _) in computed where !computable.contains(TableReader.normalise(field.text)) {
            throw Diagnostic(
                "only \(computable.joined(separator: ", ")) can be expressions of a table's columns; \(field.text) names a column", at: field.range)
        }
        return Set(computed.map { TableReader.normalise($0.field.text) })
    }

    /// `shown` is what the hint calls the rows' source: a file's name, `the table`.
    static func compile(condition: Expr?, computed: [(field: Name, source: Expr)], plan: ExportPlan, shown: String) throws(Diagnostic) -> RowRules? {
        guard condition != nil || !computed.isEmpty else { return nil }
        // Checked on empty columns of the types the sample shows: an unknown column, a type
        // error or a condition that is not true or false is an error at its token.
        let empty = ExpressionCompiler(
            resolve: { name in plan.type(of: TableReader.normalise(name)).map { (Field(name, $0, ""), emptyColumn($0)) } },
            fieldNames: plan.header, nameKind: "column", namesHint: "\(shown) has: \(plan.written.joined(separator: ", "))")
        if let condition { _ = try empty.condition(condition) }
        for (field, source) in computed {
            let typed = try empty.compile(source)
            guard typed.type == .number else {
                throw Diagnostic("\(field.text) must be a number, and this is a \(ExpressionCompiler.name(typed.type))", at: source.range)
            }
        }
        let columns = Set(([condition].compactMap { $0 } + computed.map(\.source)).flatMap(\.fieldNames)).map(TableReader.normalise).sorted()
        let fields = computed.map { (TableReader.normalise($0.field.text), $0.source) }
        return RowRules(
            columns: columns, computed: fields.map { ($0.0, "\($0.1)") }, condition: condition.map { "\($0)" },
            apply: { data, rows in
                let compiler = ExpressionCompiler(
                    resolve: { name in data[TableReader.normalise(name)].map { (Field(name, $0.type, ""), $0) } }, fieldNames: [])
                let evaluator = VectorEvaluator(count: rows)
                // Compiled above on columns of the same types, so these cannot fail.
                let keep = condition.flatMap { try? compiler.condition($0) }.map { evaluator.evaluate($0).truth(rows) }
                var values: [String: [Double]] = [:]
                for (field, source) in fields {
                    guard let node = try? compiler.compile(source).node, case .number(let v) = evaluator.evaluate(node).column(rows) else { continue }
                    values[field] = v
                }
                return (keep, values)
            })
    }

    private static func emptyColumn(_ type: ValueType) -> ColumnData {
        switch type {
        case .number: .number([])
        case .date: .date([])
        case .text: .text(TextColumn(codes: [], values: []))
        case .bool: .bool([])
        }
    }
}
