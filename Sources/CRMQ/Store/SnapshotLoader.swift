import Foundation

/// Where one of a snapshot's files comes from when it is not the folder's own.
enum FileOrigin {
    /// Another file, perhaps written otherwise (a snapshot.json's `tables`).
    case file(FileLayout)
    /// A database's table, in memory, what errors call it, and its columns that a query
    /// renamed to crmq's fields (`id ← client_no`), as `describe` shows them.
    case bytes(FileBytes, name: String, renamed: [String] = [])
    /// A database's table arriving in blocks, and what errors call it.
    case stream(BlockStream, name: String)

    var name: String {
        switch self {
        case .file(let layout): layout.path
        case .bytes(_, let name, _), .stream(_, let name): name
        }
    }

    var dialect: Dialect {
        if case .file(let layout) = self { layout.dialect } else { .standard }
    }

    /// `customer_id ← client`, each renamed column, as `describe` shows them.
    var renamed: [String] {
        switch self {
        case .file(let layout): layout.renamed
        case .bytes(_, _, let renamed): renamed
        case .stream: []
        }
    }

    var isDatabase: Bool {
        if case .file = self { false } else { true }
    }

    /// What messages call it: a file by its name (`clients.csv`), a database's table whole.
    var shown: String { isDatabase ? name : ExportFileLoader.fileName(name) }
}

/// Loads a snapshot directory (PRODUCT.md §2) into columns and derives the fields that need
/// no model (§3). Nothing it builds is visible until every file has loaded, so a failed
/// load leaves nothing half-made behind.
public struct SnapshotLoader {
    public var directory: String
    public var name: String
    /// View the snapshot as it was on this day: later rows are set aside.
    public var asOf: Int32?
    /// Told what is being read and how far it has got (0…1), now and then, from any thread.
    public var progress: (@Sendable (String, Double) -> Void)?
    public var interrupted: InterruptCheck = ctrlCPressed

    /// Invoices from 1900 on: a customer's days late are summed in 32 bits (48 bytes of facts a
    /// customer), which real invoices since then cannot fill.
    static let earliestInvoice = (day: CalendarDay.parse("1900-01-01")!, why: "days late are counted from 1900 on")

    /// Every file a snapshot folder may hold (reference §1).
    public static let fileNames = [
        "snapshot.json", "customers.csv", "transactions.csv", "activities.csv", "activity_rates.csv",
        "payments.csv", "interactions.csv", "valuestar.csv",
    ]

    public init(directory: String, name: String, asOf: Int32? = nil) {
        self.directory = directory
        self.name = name
        self.asOf = asOf
    }

    /// Where a file comes from when it is not the folder's own file of that name, by that
    /// name (`transactions.csv`): another file (a snapshot.json's `tables`), or a database's
    /// table in memory or arriving in blocks.
    var origins: [String: FileOrigin] = [:]
    /// Whether the snapshot has no folder (a database's): its files are its origins only.
    var folderless = false
    /// What snapshot.json would say, when the snapshot has none of its own (a database's).
    var info: SnapshotInfo?

    func path(_ file: String) -> String {
        if let origin = origins[file] { return origin.name }
        if folderless { return file }
        return directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }

    private func exists(_ file: String) -> Bool {
        origins[file] != nil || !folderless && FileManager.default.fileExists(atPath: path(file))
    }

    /// A reader of one of the snapshot's files, wherever it comes from.
    private func reader(_ file: String, specs: [ColumnSpec], keepLines: Bool = false, customerIndex: InternedStrings? = nil) -> TableReader {
        var reader = TableReader(path: path(file), displayName: path(file), specs: specs, keepLines: keepLines, customerIndex: customerIndex)
        switch origins[file] {
        case .file(let layout): (reader.dialect, reader.rename) = (layout.dialect, layout.rename)
        case .bytes(let bytes, _, _): reader.bytes = bytes
        case .stream(let stream, _): reader.blocks = stream
        case nil: break
        }
        return reader
    }

    public func load() throws(DataError) -> Snapshot {
        var isDirectory: ObjCBool = false
        guard folderless || FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw DataError(file: directory, message: "no such snapshot directory")
        }
        guard folderless || isDirectory.boolValue else {
            throw DataError(file: directory, message: "a snapshot is a directory holding customers.csv and transactions.csv")
        }
        for required in ["customers.csv", "transactions.csv"] where !exists(required) {
            throw DataError(file: path(required), message: "missing: a folder's snapshot needs transactions.csv (and customers.csv for who the customers are)")
        }
        if !folderless {
            try MemoryBudget.check(inputBytes: MemoryBudget.size(of: Self.fileNames.map(path)), kind: .folder, file: directory)
        }
        var info = try readInfo()
        let (customerTable, index, _) = try readCustomers()
        try checkInterrupt()
        var rows = reader("transactions.csv", specs: TransactionReader.specs, customerIndex: index)
        rows.progress = progress.map { report in { @Sendable fraction in report("transactions.csv", fraction) } }
        rows.interrupted = interrupted
        var raw = try TransactionReader.read(rows)
        if let asOf {
            info.asOf = asOf
        } else if info.asOf == CalendarDay.null {
            guard let latest = raw.latestDay else {
                throw DataError(
                    file: path("transactions.csv"),
                    message: "has no rows, so as_of cannot be its latest date: give as_of in snapshot.json, or load … as of DATE")
            }
            info.asOf = latest
        }
        var setAside: [String: Int] = [:]
        try checkInterrupt()
        progress?("arranging transactions", 1)
        let transactions = TransactionReader(path: path("transactions.csv"), index: index, marginRate: info.marginRate)
            .arrange(&raw, customers: customerTable.count, asOf: info.asOf, setAside: &setAside)
        let activities = try readActivities(index: index, asOf: info.asOf, setAside: &setAside)
        let payments = try readPayments(index: index, asOf: info.asOf, setAside: &setAside)
        let interactions = try readInteractions(index: index, asOf: info.asOf, setAside: &setAside)
        let valueStar = try readValueStar()
        var customers = customerTable
        CustomerFigures(transactions: transactions, activities: activities, asOf: info.asOf)
            .derive(into: &customers)
        try Self.checkSumsAreFinite(customers, folder: self)
        return Snapshot(
            name: name, directory: directory, info: info, customers: customers, transactions: transactions,
            activities: activities, payments: payments, interactions: interactions, valueStar: valueStar,
            setAside: setAside, index: index)
    }

    /// A folder with transactions.csv and no customers.csv, read as that one file is: its
    /// customers are those who appear in it, and snapshot.json (if any) holds as for any
    /// folder. Nil when the folder has customers.csv or no transactions.csv. The other tables
    /// name customers, so they need customers.csv.
    public static func transactionsAlone(_ directory: String, name: String, asOf: Int32?) throws(DataError) -> ExportFileLoader? {
        let folder = SnapshotLoader(directory: directory, name: name, asOf: asOf)
        guard !folder.exists("customers.csv"), folder.exists("transactions.csv") else { return nil }
        for file in ["activities.csv", "payments.csv", "interactions.csv"] where folder.exists(file) {
            throw DataError(file: folder.path("customers.csv"), message: "missing: \(file) names customers, and customers.csv says who they are")
        }
        var loader = ExportFileLoader(path: folder.path("transactions.csv"), name: name, asOf: asOf)
        loader.info = try folder.readInfo()
        return loader
    }

    /// Ctrl-C between the steps of a load.
    private func checkInterrupt() throws(DataError) {
        if interrupted() { throw DataError.interrupted(directory) }
    }

    // MARK: snapshot.json

    private func readInfo() throws(DataError) -> SnapshotInfo {
        if let info { return info }
        guard exists("snapshot.json") else { return SnapshotInfo(asOf: CalendarDay.null) }
        let file = path("snapshot.json")
        return try Self.info(try Self.json(file), file: file)
    }

    /// snapshot.json's object.
    static func json(_ file: String) throws(DataError) -> [String: Any] {
        let object: Any
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw DataError(file: file, message: "not valid JSON: \(error.localizedDescription)")
        }
        guard let json = object as? [String: Any] else {
            throw DataError(file: file, message: "expected a JSON object with name, as_of, currency, description")
        }
        return json
    }

    /// What snapshot.json says of the snapshot: its name, as_of, currency and the models'
    /// defaults, each checked as `set` checks it.
    static func info(_ json: [String: Any], file: String) throws(DataError) -> SnapshotInfo {
        var info = SnapshotInfo(asOf: CalendarDay.null)
        func text(_ key: String) throws(DataError) -> String? {
            guard let value = json[key], !(value is NSNull) else { return nil }
            guard let string = value as? String else {
                throw DataError(file: file, columnName: key, message: "expected a string")
            }
            return string
        }
        func number(_ key: String) throws(DataError) -> Double? {
            guard let value = json[key], !(value is NSNull) else { return nil }
            // true and false are NSNumbers too (of type "c"); 0 and 1 are numbers.
            guard let number = value as? NSNumber, String(cString: number.objCType) != "c", number.doubleValue.isFinite else {
                throw DataError(file: file, columnName: key, message: "expected a number (a rate as 0.10 for 10%)")
            }
            return number.doubleValue
        }
        info.title = try text("name")
        info.currency = try text("currency")
        info.description = try text("description")
        if let asOf = try text("as_of") {
            guard let day = CalendarDay.parse(asOf) else {
                throw DataError(file: file, columnName: "as_of", message: "expected a date as YYYY-MM-DD, found \"\(asOf)\"")
            }
            info.asOf = day
        }
        info.discountRate = try number("discount_rate")
        info.marginRate = try number("margin_rate")
        info.fixedCosts = try number("fixed_costs")
        if let rate = info.discountRate, !Assumptions.discountRate.contains(rate) {
            throw DataError(file: file, columnName: "discount_rate", message: "\(Assumptions.discountRateText), as a fraction (0.10 for 10%), not \(NumberText.plain(rate))")
        }
        if let rate = info.marginRate, !Assumptions.marginRate.contains(rate) {
            throw DataError(file: file, columnName: "margin_rate", message: "\(Assumptions.marginRateText), not \(NumberText.plain(rate))")
        }
        if let costs = info.fixedCosts, costs < 0 {
            throw DataError(file: file, columnName: "fixed_costs", message: "fixed costs are an amount of money, 0 or more, not \(NumberText.plain(costs))")
        }
        return info
    }

    /// Each amount is a number, but sums of them can pass the largest one a Double holds: a
    /// load error naming the customer, never an infinity that shows as null and still compares.
    /// Sums past the largest double, named by the file their rows came from (`file` for a
    /// single export, else the folder's own files).
    static func checkSumsAreFinite(_ customers: CustomerTable, file: String? = nil, folder: SnapshotLoader? = nil) throws(DataError) {
        let sums = [(CustomerFields.revenue, "transactions.csv", "amounts"), (CustomerFields.margin, "transactions.csv", "margins"),
                    (CustomerFields.costToServe, "activities.csv", "activity costs (quantity × unit_cost)")]
        for (field, name, what) in sums {
            guard let c = customers.numbers(field).firstIndex(where: \.isInfinite) else { continue }
            throw DataError(file: file ?? folder?.path(name) ?? name, message: "the \(what) of customer \(customers.ids[c] ?? "") add up past the largest number crmq holds (about 1.8e308)")
        }
    }

    // MARK: customers.csv

    static let customerSpecs: [ColumnSpec] = [
        ColumnSpec(name: "id", kind: .text, required: true, emptyAllowed: false),
        ColumnSpec(name: "name", kind: .text),
        ColumnSpec(name: "segment", kind: .text),
        ColumnSpec(name: "region", kind: .text),
        ColumnSpec(name: "acquired_on", kind: .date),
        ColumnSpec(name: "acquisition_cost", kind: .number),
        ColumnSpec(name: "wallet", kind: .number),
        ColumnSpec(name: "satisfaction", kind: .number),
        ColumnSpec(name: "referrals", kind: .number),
        ColumnSpec(name: "ideas", kind: .number),
        ColumnSpec(name: "benchmark", kind: .bool),
        ColumnSpec(name: "inspiration", kind: .bool),
    ]

    /// The customers, their attributes and any other columns of theirs; the columns `more`
    /// names (a summary's fields) are read as they say and left in the read table for the caller.
    func readCustomers(with more: [ColumnSpec] = []) throws(DataError) -> (CustomerTable, InternedStrings, ReadTable) {
        let file = path("customers.csv")
        var reader = self.reader("customers.csv", specs: Self.customerSpecs + more, keepLines: true)
        reader.progress = progress.map { report in { @Sendable fraction in report("customers.csv", fraction) } }
        reader.interrupted = interrupted
        let read = try reader.read()
        let ids = read.texts["id"]!
        // Codes are given in order of first appearance, so with unique ids a customer's
        // code is its row, and the id column's table is the customer index.
        for row in 0..<read.rowCount where Int(ids.codes[row]) != row {
            let first = read.lines[Int(ids.codes[row])]
            throw DataError(
                file: file, line: read.lines[row], column: read.header.firstIndex(of: "id")! + 1, columnName: "id",
                message: "duplicate customer id \"\(ids.values[Int(ids.codes[row])])\" (first on line \(first)); ids must be unique")
        }
        // Ids that differ in bytes but not as text (Müller with ü as one scalar or as u and
        // a combining diaeresis) are the same id, so the same duplicate: compared in NFC.
        // (The ids are unique by now, so a value's code is its row.)
        var normalised: [String: Int] = [:]
        for (row, id) in ids.values.enumerated() where id.utf8.contains(where: { $0 >= 0x80 }) {
            let key = id.precomposedStringWithCanonicalMapping
            if let first = normalised[key] {
                throw DataError(
                    file: file, line: read.lines[row], column: read.header.firstIndex(of: "id")! + 1, columnName: "id",
                    message: "duplicate customer id \"\(id)\" (first on line \(read.lines[first]), written with other Unicode code points); ids must be unique")
            }
            normalised[key] = row
        }
        let index = read.interned["id"]!
        if let satisfaction = read.numbers["satisfaction"],
           let bad = satisfaction.firstIndex(where: { !$0.isNaN && ($0 < 0 || $0 > 10) }) {
            throw DataError(
                file: file, line: read.lines[bad], column: read.header.firstIndex(of: "satisfaction")! + 1,
                columnName: "satisfaction", message: "expected a score from 0 to 10, found \(satisfaction[bad])")
        }
        var table = CustomerTable(count: read.rowCount)
        let extras = Dictionary(read.extras.map { ($0.name, $0.values) }, uniquingKeysWith: { first, _ in first })
        for name in read.header {
            if let field = CustomerFields.attribute(name) {
                switch field.type {
                case .text: table.add(field, .text(read.texts[name]!))
                case .number: table.add(field, .number(read.numbers[name]!))
                case .date: table.add(field, .date(read.dates[name]!))
                case .bool: table.add(field, .bool(read.bools[name]!))
                }
            } else if let values = extras[name] {
                if let derived = CustomerFields.derived.first(where: { $0.name == name }) {
                    throw DataError(
                        file: file, line: 1, column: read.header.firstIndex(of: name)! + 1, columnName: name,
                        message: "a column named like the field crmq derives from the transactions, \(name) (\(derived.definition)); "
                            + "rename the column, or load a summary file on its own (frequency, recency, T a row)")
                }
                let (type, data) = ExtraColumn.infer(values)
                table.add(Field(name, type, "a column of \(origins["customers.csv"]?.shown ?? "customers.csv")"), data)
            }
        }
        return (table, index, read)
    }

    // MARK: activities, payments, interactions, value star

    func readActivities(index: InternedStrings, asOf: Int32, setAside: inout [String: Int]) throws(DataError) -> ActivityTable? {
        guard exists("activities.csv") else { return nil }
        guard exists("activity_rates.csv") else {
            throw DataError(file: path("activity_rates.csv"), message: "missing: activities.csv needs the unit cost of each activity")
        }
        let ratesFile = path("activity_rates.csv")
        let rates = try reader(
            "activity_rates.csv",
            specs: [
                ColumnSpec(name: "activity", kind: .text, required: true, emptyAllowed: false),
                ColumnSpec(name: "unit_cost", kind: .number, required: true, emptyAllowed: false),
            ], keepLines: true
        ).read()
        var unitCost: [String: Double] = [:]
        let rateNames = rates.texts["activity"]!
        for row in 0..<rates.rowCount {
            let name = rateNames[row]!
            if unitCost[name] != nil {
                throw DataError(
                    file: ratesFile, line: rates.lines[row], column: rates.header.firstIndex(of: "activity")! + 1,
                    columnName: "activity", message: "activity \"\(name)\" has a second rate")
            }
            unitCost[name] = rates.numbers["unit_cost"]![row]
        }
        let file = path("activities.csv")
        let read = try reader(
            "activities.csv",
            specs: [
                ColumnSpec(name: "customer_id", kind: .customer, required: true),
                ColumnSpec(name: "date", kind: .date, required: true, emptyAllowed: false),
                ColumnSpec(name: "activity", kind: .text, required: true, emptyAllowed: false),
                ColumnSpec(name: "quantity", kind: .number, negativeRefused: "an activity happens a number of times, 0 or more"),
            ], keepLines: true, customerIndex: index
        ).read()
        let activity = read.texts["activity"]!
        var costOfCode: [Double] = []
        for (code, name) in activity.values.enumerated() {
            guard let cost = unitCost[name] else {
                let row = activity.codes.firstIndex(of: Int32(code))!
                let known = unitCost.keys.sorted().joined(separator: ", ")
                throw DataError(
                    file: file, line: read.lines[row], column: read.header.firstIndex(of: "activity")! + 1,
                    columnName: "activity", message: "no rate for activity \"\(name)\" in activity_rates.csv (it has: \(known))")
            }
            costOfCode.append(cost)
        }
        let days = read.dates["date"]!, customers = read.joinedCustomers()
        let keep = days.indices.filter { days[$0] <= asOf }
        setAside["activities.csv"] = read.rowCount - keep.count
        let quantity = read.numbers["quantity"] ?? []
        return ActivityTable(
            customer: keep.map { customers[$0] },
            day: keep.map { days[$0] },
            activity: TextColumn(codes: keep.map { activity.codes[$0] }, values: activity.values),
            quantity: keep.map { quantity.isEmpty || quantity[$0].isNaN ? 1 : quantity[$0] },
            unitCost: keep.map { costOfCode[Int(activity.codes[$0])] })
    }

    func readPayments(index: InternedStrings, asOf: Int32, setAside: inout [String: Int]) throws(DataError) -> PaymentTable? {
        guard exists("payments.csv") else { return nil }
        let read = try reader(
            "payments.csv",
            specs: [
                ColumnSpec(name: "customer_id", kind: .customer, required: true),
                ColumnSpec(name: "due", kind: .date, required: true, emptyAllowed: false, notBefore: Self.earliestInvoice),
                ColumnSpec(name: "paid", kind: .date, required: true, notBefore: Self.earliestInvoice),
                ColumnSpec(name: "amount", kind: .number, required: true, emptyAllowed: false),
            ], customerIndex: index
        ).read()
        let due = read.dates["due"]!, customers = read.joinedCustomers()
        let keep = due.indices.filter { due[$0] <= asOf }
        setAside["payments.csv"] = read.rowCount - keep.count
        let paid = read.dates["paid"]!
        let amount = read.numbers["amount"]!
        return PaymentTable(
            customer: keep.map { customers[$0] },
            due: keep.map { due[$0] },
            // Paid after as_of means still unpaid on the day the snapshot is viewed at.
            paid: keep.map { paid[$0] <= asOf ? paid[$0] : CalendarDay.null },
            amount: keep.map { amount[$0] })
    }

    func readInteractions(index: InternedStrings, asOf: Int32, setAside: inout [String: Int]) throws(DataError) -> InteractionTable? {
        guard exists("interactions.csv") else { return nil }
        let read = try reader(
            "interactions.csv",
            specs: [
                ColumnSpec(name: "customer_id", kind: .customer, required: true),
                ColumnSpec(name: "date", kind: .date, required: true, emptyAllowed: false),
                ColumnSpec(name: "channel", kind: .text, required: true),
                ColumnSpec(name: "kind", kind: .text, required: true),
                ColumnSpec(name: "note", kind: .text),
            ], customerIndex: index
        ).read()
        let days = read.dates["date"]!, customers = read.joinedCustomers()
        let keep = days.indices.filter { days[$0] <= asOf }
        setAside["interactions.csv"] = read.rowCount - keep.count
        func text(_ name: String) -> TextColumn {
            guard let column = read.texts[name] else { return TextColumn(codes: keep.map { _ in -1 }, values: []) }
            return TextColumn(codes: keep.map { column.codes[$0] }, values: column.values)
        }
        return InteractionTable(
            customer: keep.map { customers[$0] }, day: keep.map { days[$0] },
            channel: text("channel"), kind: text("kind"), note: text("note"))
    }

    private func readValueStar() throws(DataError) -> ValueStarTable? {
        guard exists("valuestar.csv") else { return nil }
        let file = path("valuestar.csv")
        let read = try reader(
            "valuestar.csv",
            specs: [
                ColumnSpec(name: "segment", kind: .text, required: true, emptyAllowed: false),
                ColumnSpec(name: "dimension", kind: .text, required: true, emptyAllowed: false),
                ColumnSpec(name: "importance", kind: .number, required: true, emptyAllowed: false),
                ColumnSpec(name: "score", kind: .number, required: true, emptyAllowed: false),
                ColumnSpec(name: "competitor_score", kind: .number, required: true, emptyAllowed: false),
            ], keepLines: true
        ).read()
        let names = read.texts["dimension"]!
        var dimension: [Int] = []
        for row in 0..<read.rowCount {
            let given = names[row]!.lowercased()
            let known = given == "product/brand" || given == "brand" ? "product" : given
            guard let k = ValueStarTable.dimensions.firstIndex(of: known) else {
                throw DataError(
                    file: file, line: read.lines[row], column: read.header.firstIndex(of: "dimension")! + 1,
                    columnName: "dimension",
                    message: "\"\(names[row]!)\" is not one of the value star's eight: \(ValueStarTable.dimensions.joined(separator: ", "))")
            }
            dimension.append(k)
        }
        return ValueStarTable(
            segment: read.texts["segment"]!, dimension: dimension, importance: read.numbers["importance"]!,
            score: read.numbers["score"]!, competitorScore: read.numbers["competitor_score"]!)
    }
}

/// Infers the type of a customers.csv column the product does not define.
enum ExtraColumn {
    static func infer(_ values: [String?]) -> (ValueType, ColumnData) {
        let present = values.compactMap { $0 }
        if !present.isEmpty {
            let numbers = values.map { $0.map { DecimalParser.parse($0) } }
            if numbers.allSatisfy({ $0 == nil || $0! != nil }) {
                return (.number, .number(numbers.map { ($0 ?? nil) ?? .nan }))
            }
            let dates = values.map { $0.map { CalendarDay.parse($0) } }
            if dates.allSatisfy({ $0 == nil || $0! != nil }) {
                return (.date, .date(dates.map { ($0 ?? nil) ?? CalendarDay.null }))
            }
            let lowered = present.map { $0.lowercased() }
            if lowered.allSatisfy({ $0 == "true" || $0 == "false" }) {
                return (.bool, .bool(values.map { $0 == nil ? 2 : $0!.lowercased() == "true" ? 1 : 0 }))
            }
        }
        return (.text, .text(TextColumn(values)))
    }
}
