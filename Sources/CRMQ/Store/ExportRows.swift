/// An export's rows as the transaction reader arranges them: the load's rules applied (rows
/// left out, fields computed), a return's quantity made what went back, and the customers
/// numbered in order of first appearance among the rows kept.
struct ExportRows {
    var raw: TransactionReader.Raw
    /// The customers' ids: `values` in row order of the customer table.
    var ids: TextColumn
    var index: InternedStrings
    /// Rows `where` left out.
    var filtered = 0
    /// The file's line of each row kept, when the reader kept them.
    private var lines: RowLines
    /// The rows of the file `where` kept; nil when it kept them all.
    private var keptRows: [Int]?

    init(_ read: consuming ReadTable, plan: ExportPlan, rules: RowRules?, file: String) throws(DataError) {
        lines = read.lines
        ids = read.texts["customer_id"]!
        index = read.interned["customer_id"]!
        let day = read.dates.pieces["date"]!
        // The text column is merged whole; the other columns stay in their pieces: cut the
        // customer codes the same way, as slices of the one column.
        var customer: [ArraySlice<Int32>] = []
        var at = 0
        for piece in day {
            customer.append(ids.codes[at..<(at + piece.count)])
            at += piece.count
        }
        raw = TransactionReader.Raw(
            customer: customer, day: day, amount: read.numbers.pieces["amount"] ?? [],
            margin: read.numbers.pieces["margin"], quantity: read.numbers.pieces["quantity"], product: read.texts["product"])
        if let rules { try apply(rules, read, plan, file) }
        if let currency = read.texts["currency"] { try checkOneCurrency(currency, file: file) }
        try checkQuantities(file: file, column: plan.mapping.column(for: "quantity").map { plan.written[plan.header.firstIndex(of: $0)!] })
    }

    /// The rules over the whole columns: computed fields filled in (a row where one is not a
    /// number is an error at its line), then the rows the condition does not keep left out.
    private mutating func apply(_ rules: RowRules, _ read: ReadTable, _ plan: ExportPlan, _ file: String) throws(DataError) {
        var columns: [String: ColumnData] = [:]
        for column in rules.columns {
            let name = plan.readAs(column)
            if let v = read.numbers[name] {
                columns[column] = .number(v)
            } else if let v = read.dates[name] {
                columns[column] = .date(v)
            } else if let v = read.texts[name] {
                columns[column] = .text(v)
            }
        }
        let (keep, values) = rules.apply(columns, read.rowCount)
        // The rules were checked against the header's types before the read; a column that
        // read as another type after all cannot be evaluated, and nothing is guessed then.
        if let condition = rules.condition, keep == nil {
            throw DataError(file: file, message: "where \(condition) could not be applied: a column in it did not read as its first lines did")
        }
        if let missing = rules.computed.first(where: { values[$0.field] == nil }) {
            throw DataError(file: file, message: "\(missing.field) = \(missing.written) could not be computed: a column in it did not read as its first lines did")
        }
        raw.customer = [ids.codes[...]]
        raw.day = [Array(concatenating: raw.day)]
        raw.amount = [Array(concatenating: raw.amount)]
        raw.margin = raw.margin.map { [Array(concatenating: $0)] }
        raw.quantity = raw.quantity.map { [Array(concatenating: $0)] }
        for (field, written) in rules.computed {
            let v = values[field]!
            if let i = v.indices.first(where: { (keep?[$0] ?? 1) == 1 && !v[$0].isFinite }) {
                throw DataError(
                    file: file, line: read.lines.isEmpty ? nil : read.lines[i],
                    message: "\(field) = \(written) is not a number on this row: a column in it is empty or not a number")
            }
            switch field {
            case "amount": raw.amount = [v]
            case "margin": raw.margin = [v]
            default: raw.quantity = [v]
            }
        }
        guard let keep else { return }
        let kept = keep.indices.filter { keep[$0] == 1 }
        filtered = keep.count - kept.count
        guard filtered > 0 else { return }
        keptRows = kept
        func pick<T>(_ column: [T]) -> [T] { kept.map { column[$0] } }
        raw.day = [pick(raw.day[0])]
        raw.amount = [pick(raw.amount[0])]
        raw.margin = raw.margin.map { [pick($0[0])] }
        raw.quantity = raw.quantity.map { [pick($0[0])] }
        raw.product = raw.product.map { TextColumn(codes: pick($0.codes), values: $0.values) }
        lines = lines.isEmpty ? lines : lines.picking(kept)
        // The customers are those of the rows kept, numbered anew in order of appearance.
        var code = [Int32](repeating: -1, count: ids.values.count)
        var keptIds: [String] = []
        var index = InternedStrings()
        let codes: [Int32] = kept.map { row in
            let old = Int(ids.codes[row])
            if code[old] < 0 {
                code[old] = Int32(keptIds.count)
                keptIds.append(ids.values[old])
                _ = index.intern(ids.values[old])
            }
            return code[old]
        }
        raw.customer = [codes[...]]
        ids = TextColumn(codes: codes, values: keptIds)
        self.index = index
    }

    /// The rows' customers as rows of a customers table (`customersTable`, as messages name it): each id looked up among its ids; one
    /// that is not there is an error at the first line it is on.
    mutating func join(_ customers: InternedStrings, file: String, column: (number: Int, name: String)?, customersTable: String) throws(DataError) {
        var row = [Int32](repeating: -1, count: ids.values.count)
        for (code, id) in ids.values.enumerated() {
            guard let found = customers.find(id) else {
                let first = ids.codes.firstIndex(of: Int32(code)).flatMap { $0 < lines.count ? lines[$0] : nil }
                throw DataError(
                    file: file, line: first, column: column?.number, columnName: column?.name,
                    message: "unknown customer id \"\(id)\": no such id in \(customersTable)")
            }
            row[code] = found
        }
        raw.customer = raw.customer.map { piece in piece.map { row[Int($0)] }[...] }
        index = customers
    }

    /// Amounts in one currency only: sums of euros and dollars mean nothing. A `currency`
    /// column with more than one value among the rows kept is an error listing them.
    private func checkOneCurrency(_ currency: TextColumn, file: String) throws(DataError) {
        var seen = Set<Int32>()
        for row in keptRows ?? Array(currency.codes.indices) where currency.codes[row] >= 0 { seen.insert(currency.codes[row]) }
        guard seen.count > 1 else { return }
        let names = seen.sorted().map { currency.values[Int($0)] }
        throw DataError(
            file: file, columnName: "currency",
            message: "amounts in \(names.count) currencies (\(names.prefix(10).joined(separator: ", "))\(names.count > 10 ? ", …" : "")), "
                + "and crmq adds amounts of one; keep one: load … where currency = '\(names[0])'")
    }

    /// Exports write a return's quantity with a minus sign; crmq keeps what went back (0 or
    /// more). A negative quantity on a purchase is an error at its line.
    private mutating func checkQuantities(file: String, column: String?) throws(DataError) {
        guard var quantity = raw.quantity else { return }
        for k in quantity.indices {
            for i in quantity[k].indices where quantity[k][i] < 0 {
                guard raw.amount[k][i] < 0 else {
                    let row = quantity.prefix(k).reduce(0) { $0 + $1.count } + i
                    throw DataError(
                        file: file, line: row < lines.count ? lines[row] : nil, columnName: column,
                        message: "a negative quantity (\(NumberText.plain(quantity[k][i]))) on a purchase: a return is a row whose amount is negative too")
                }
                quantity[k][i] = -quantity[k][i]
            }
        }
        raw.quantity = quantity
    }
}
