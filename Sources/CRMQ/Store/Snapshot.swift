#if canImport(Glibc)
import Glibc
#endif

/// What `snapshot.json` says about a snapshot, and the date it is viewed at.
public struct SnapshotInfo: Sendable, Equatable {
    public var title: String?
    public var asOf: Int32
    public var currency: String?
    public var description: String?
    public var discountRate: Double?
    public var marginRate: Double?
    public var fixedCosts: Double?
}

/// The customers of a snapshot as columns, one row per customer, in file order.
public struct CustomerTable: Sendable {
    public let count: Int
    public private(set) var fields: [Field] = []
    private var columns: [String: ColumnData] = [:]
    /// The columns of a snapshot file not read yet: each is read when first asked for.
    private var unread: DeferredColumns?
    /// The customers' ids, unique.
    public var ids: TextColumn {
        guard case .text(let ids) = data("id") else { fatalError("a customer table always has ids") }
        return ids
    }

    init(count: Int) {
        self.count = count
    }

    /// A snapshot file's customers: every field known, each column read on first use.
    init(count: Int, fields: [Field], unread: DeferredColumns) {
        self.count = count
        self.fields = fields
        self.unread = unread
    }

    public func column(_ name: String) -> ColumnData? { data(name) }

    private func data(_ name: String) -> ColumnData? { columns[name] ?? unread?.column(name) }

    public func field(_ name: String) -> Field? { fields.first { $0.name == name } }

    /// A derived figure (`CustomerFields.derived`), which every load computes.
    func numbers(_ field: Field) -> [Double] {
        guard case .number(let values) = data(field.name) else {
            preconditionFailure("\(field.name) is not a number every snapshot has")  // a derived figure is always there
        }
        return values
    }

    /// An optional number column of customers.csv (`wallet`, `satisfaction`), nil when the file has none.
    func optionalNumbers(_ field: Field) -> [Double]? {
        if case .number(let values) = data(field.name) { values } else { nil }
    }

    /// An optional text column of customers.csv (`name`, `segment`, `region`), nil when the file has none.
    func text(_ field: Field) -> TextColumn? {
        if case .text(let values) = data(field.name) { values } else { nil }
    }

    /// An optional date column of customers.csv (`acquired_on`), nil when the file has none.
    func dates(_ field: Field) -> [Int32]? {
        if case .date(let values) = data(field.name) { values } else { nil }
    }

    mutating func add(_ field: Field, _ column: ColumnData) {
        precondition(column.count == count && column.type == field.type)
        if let at = fields.firstIndex(where: { $0.name == field.name }) { fields[at] = field } else { fields.append(field) }
        columns[field.name] = column
    }

    /// The display name of a customer: its name when the snapshot has names, else its id.
    public func label(_ row: Int) -> String {
        if let names = text(CustomerFields.name), let name = names[row] { return name }
        return ids[row] ?? ""
    }
}

/// Transactions up to `as_of`, ordered by customer and then by date (file order within a
/// day), so that each customer's purchases are one contiguous run: rows
/// `start[c] ..< start[c + 1]` belong to customer `c`.
public struct TransactionTable: Sendable {
    public let customer: [Int32]
    public let day: [Int32]
    public let amount: [Double]
    /// Gross margin per row: the file's `margin`, else `amount × margin_rate`; NaN when unknown.
    public let margin: [Double]
    /// The file's margin column, arranged as the rows are (NaN where a row has none); nil
    /// without one. Kept so that another margin rate can fill the gaps anew.
    let fileMargin: [Double]?
    /// The rate that filled the margins the file does not give, if any.
    public let marginRate: Double?
    public let quantity: [Double]?
    public let product: TextColumn?
    public let start: [Int32]
    /// The purchases dated after as_of (returns left out).
    public let later: LaterTransactions

    init(
        customer: [Int32], day: [Int32], amount: [Double], fileMargin: [Double]?, marginRate: Double?, quantity: [Double]?,
        product: TextColumn?, start: [Int32], later: LaterTransactions
    ) {
        self.customer = customer
        self.day = day
        self.amount = amount
        self.fileMargin = fileMargin
        self.marginRate = marginRate
        self.quantity = quantity
        self.product = product
        self.start = start
        self.later = later
        // Without a rate the margins are the file's as they are (one array, not a copy).
        if let marginRate {
            margin = fileMargin.map { given in zip(given, amount).map { $0.isNaN ? $1 * marginRate : $0 } }
                ?? amount.map { $0 * marginRate }
        } else {
            margin = fileMargin ?? [Double](repeating: .nan, count: amount.count)
        }
    }

    /// Whether margins come from the data (a margin column or a margin rate) at all.
    public var marginKnown: Bool { fileMargin != nil || marginRate != nil }

    /// The same rows with the margins the file does not give filled at another rate (none: nil).
    func rated(_ rate: Double?) -> TransactionTable {
        TransactionTable(
            customer: customer, day: day, amount: amount, fileMargin: fileMargin, marginRate: rate, quantity: quantity,
            product: product, start: start, later: later)
    }

    public var count: Int { customer.count }

    public func rows(of customer: Int) -> Range<Int> { Int(start[customer])..<Int(start[customer + 1]) }

    /// The sum of `values` (a per-row column: amount, margin) over the customer's rows dated
    /// after `from` and up to `through`.
    func sum(_ values: [Double], of customer: Int, after from: Int32, through: Int32) -> Double {
        rows(of: customer).reduce(0) { day[$1] > from && day[$1] <= through ? $0 + values[$1] : $0 }
    }

    /// Whether the customer bought after `from` and up to `through` (a return is no purchase).
    func bought(_ customer: Int, after from: Int32, through: Int32) -> Bool {
        rows(of: customer).contains { day[$0] > from && day[$0] <= through && amount[$0] >= 0 }
    }
}

/// The purchases dated after `as_of`, set aside: the holdout that `validate` compares the
/// models' predictions with. In file order; returns are left out.
public struct LaterTransactions: Sendable {
    public let customer: [Int32]
    public let day: [Int32]

    public var count: Int { customer.count }
}

/// Activity-based costing rows: what each customer made the company do, at what cost.
public struct ActivityTable: Sendable {
    public let customer: [Int32]
    public let day: [Int32]
    public let activity: TextColumn
    public let quantity: [Double]
    public let unitCost: [Double]
}

/// Invoices and when they were paid (`CalendarDay.null` when unpaid as of the snapshot).
public struct PaymentTable: Sendable {
    public let customer: [Int32]
    public let due: [Int32]
    public let paid: [Int32]
    public let amount: [Double]
}

/// Contacts with customers: complaints, inquiries, visits, campaigns.
public struct InteractionTable: Sendable {
    public let customer: [Int32]
    public let day: [Int32]
    public let channel: TextColumn
    public let kind: TextColumn
    public let note: TextColumn
}

/// Buttle's value star: per segment, how much each source of value matters and how we and
/// our competitor score on it.
public struct ValueStarTable: Sendable {
    public static let dimensions = [
        "people", "process", "product", "price", "service", "location", "servicescape", "communication",
    ]
    public let segment: TextColumn
    public let dimension: [Int]
    public let importance: [Double]
    public let score: [Double]
    public let competitorScore: [Double]
}

/// A loaded snapshot: immutable once loaded, shared by every statement that reads it.
public final class Snapshot: Sendable {
    public let name: String
    public let directory: String
    public let info: SnapshotInfo
    public let customers: CustomerTable
    /// The other tables, and the id index, as given or made on first use from a snapshot
    /// file: a reopened snapshot reads what a statement needs, not all of it.
    let parts: Parts
    /// What is known of the transactions without reading them: their rows and margin rate.
    public let transactionFacts: TransactionFacts
    /// Rows dated after `as_of`, per file: set aside, not lost (the models' holdout).
    public let setAside: [String: Int]
    /// Where each table came from when it was not crmq's own layout: file, dialect, mapping.
    public let sources: [TableSource]
    /// A reopened snapshot file's sections, checked as they are first read; nil for a load.
    let fileSections: SnapshotFileSections?

    /// Damage found in the snapshot file so far: the answer that read it must not be shown.
    var damage: DataError? { fileSections?.damage }

    public var transactions: TransactionTable { parts.transactions.get }
    public var activities: ActivityTable? { parts.activities.get }
    public var payments: PaymentTable? { parts.payments.get }
    public var interactions: InteractionTable? { parts.interactions.get }
    public var valueStar: ValueStarTable? { parts.valueStar.get }
    var index: InternedStrings { parts.index.get }

    /// A snapshot's tables beyond the customers, each held or deferred.
    struct Parts: Sendable {
        var transactions: Deferred<TransactionTable>
        var activities: Deferred<ActivityTable?>
        var payments: Deferred<PaymentTable?>
        var interactions: Deferred<InteractionTable?>
        var valueStar: Deferred<ValueStarTable?>
        var index: Deferred<InternedStrings>
    }

    /// The rows of the transactions and the rate that filled their margins, known up front.
    public struct TransactionFacts: Sendable {
        public var count: Int
        public var marginRate: Double?
        public var marginKnown: Bool

        init(count: Int, marginRate: Double?, marginKnown: Bool) {
            (self.count, self.marginRate, self.marginKnown) = (count, marginRate, marginKnown)
        }

        init(of transactions: TransactionTable) {
            self.init(count: transactions.count, marginRate: transactions.marginRate, marginKnown: transactions.marginKnown)
        }
    }

    convenience init(
        name: String, directory: String, info: SnapshotInfo, customers: CustomerTable,
        transactions: TransactionTable, activities: ActivityTable?, payments: PaymentTable?,
        interactions: InteractionTable?, valueStar: ValueStarTable?, setAside: [String: Int], index: InternedStrings,
        sources: [TableSource] = []
    ) {
        self.init(
            name: name, directory: directory, info: info, customers: customers,
            parts: Parts(
                transactions: Deferred(transactions), activities: Deferred(activities), payments: Deferred(payments),
                interactions: Deferred(interactions), valueStar: Deferred(valueStar), index: Deferred(index)),
            transactionFacts: TransactionFacts(of: transactions),
            setAside: setAside, sources: sources)
    }

    init(
        name: String, directory: String, info: SnapshotInfo, customers: CustomerTable, parts: Parts,
        transactionFacts: TransactionFacts, setAside: [String: Int], sources: [TableSource], fileSections: SnapshotFileSections? = nil
    ) {
        self.sources = sources
        self.fileSections = fileSections
        self.name = name
        self.directory = directory
        self.info = info
        self.customers = customers
        self.parts = parts
        self.transactionFacts = transactionFacts
        self.setAside = setAside
    }

    /// Whether the snapshot is a summary (frequency, recency, T a customer), with no transactions.
    public var isSummary: Bool { sources.first?.timeUnit != nil }
    /// A summary of discrete opportunities (`periods`): BG/BB's data, not the other models'.
    public var countsPeriods: Bool { sources.first?.timeUnit == .periods }

    /// Whether it is a histogram: a summary whose rows each stand for many customers.
    public var isHistogram: Bool { isSummary && customers.field(CustomerFields.weight.name) != nil }

    /// Whether margins are known: the transactions have them (a margin column or a margin
    /// rate), or a summary gives a customer's margin.
    public var marginKnown: Bool {
        isSummary ? customers.numbers(CustomerFields.margin).contains { !$0.isNaN } : transactionFacts.marginKnown
    }

    /// Whether any customer's spend is known: a summary without a monetary column knows none,
    /// and Gamma-Gamma has nothing to fit.
    public var knowsSpend: Bool { customers.numbers(CustomerFields.monetary).contains { !$0.isNaN } }

    /// Every file the snapshot was read from, which no result may overwrite.
    public var files: [String] {
        sources.isEmpty ? SnapshotLoader.fileNames.map { (directory.hasSuffix("/") ? directory : directory + "/") + $0 } : sources.map(\.file)
    }

    /// The loaded snapshot one of whose files `path` is, links followed: what `save` and
    /// `plot … to` never write over.
    static func owner(of path: String, among snapshots: [Snapshot]) -> Snapshot? {
        func resolved(_ path: String) -> String? {
            guard let real = realpath(path, nil) else { return nil }
            defer { free(real) }
            return String(cString: real)
        }
        guard let target = resolved(path) else { return nil }
        return snapshots.first { $0.files.contains { resolved($0) == target } }
    }

    /// The snapshot with the margins its transactions do not give filled at `rate` (none when
    /// nil) and every derived figure worked out anew: what `set margin_rate` does. A summary
    /// has no transactions to rate.
    func rated(_ rate: Double?) -> Snapshot {
        guard !isSummary, rate != transactionFacts.marginRate else { return self }
        let transactions = transactions.rated(rate)
        var customers = customers
        CustomerFigures(transactions: transactions, activities: activities, asOf: info.asOf).derive(into: &customers)
        return with(customers: customers, transactions: transactions)
    }

    /// The same snapshot with where its tables came from said.
    func described(by sources: [TableSource]) -> Snapshot { with(sources: sources) }

    /// The same snapshot with some of its parts replaced (the others still deferred if they were).
    private func with(customers: CustomerTable? = nil, transactions: TransactionTable? = nil, sources: [TableSource]? = nil) -> Snapshot {
        var parts = parts
        var facts = transactionFacts
        if let transactions {
            parts.transactions = Deferred(transactions)
            facts = TransactionFacts(of: transactions)
        }
        return Snapshot(
            name: name, directory: directory, info: info, customers: customers ?? self.customers, parts: parts,
            transactionFacts: facts, setAside: setAside, sources: sources ?? self.sources, fileSections: fileSections)
    }

    /// The row of the customer with this id.
    public func row(ofId id: String) -> Int? { index.find(id).map(Int.init) }
}

/// How one table of a snapshot was read from a user's file: what `describe` and the load
/// message show.
public struct TableSource: Sendable {
    public var table: String
    /// The file's path, or the database and table (`postgres crm@localhost/shop crm.orders`).
    public var file: String
    public var dialect: Dialect
    /// `customer_id ← Id, date ← Date, amount ← Price`; empty when every name was crmq's own.
    public var mapping: String
    /// Rows read from the file.
    public var rows: Int
    /// `where …` as written, when the load had one, and the rows it left out.
    public var condition: String? = nil
    public var filtered = 0
    /// The unit of a summary's recency and T; nil for transactions.
    public var timeUnit: TimeUnit? = nil

    /// Whether the rows came from a database rather than a file.
    public var isDatabase = false

    /// What messages call it: a file by its name (`orders.csv`), a database's table whole.
    public var shown: String { isDatabase ? file : ExportFileLoader.fileName(file) }
}
