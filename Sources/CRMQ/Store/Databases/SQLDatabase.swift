/// A database crmq reads tables from: the column names of a query, and its rows as CSV,
/// which the reader every file goes through reads. Errors name the database as `label`
/// does, never with a password.
protocol SQLDatabase: AnyObject, Sendable {
    /// `postgres crm@localhost/shop`, `sqlite crm.db`.
    var label: String { get }
    /// The columns a query gives, as the database names them.
    func columns(of query: String) throws(DataError) -> [String]
    /// The query's rows as CSV with a header.
    func csv(_ query: String) throws(DataError) -> [UInt8]
    /// The same rows in blocks, parsed as they arrive.
    func stream(_ query: String) -> BlockStream
    /// About how many rows the query gives and how many bytes of CSV they make, before any
    /// is read: what a load is checked against the memory limit with, and what its columns
    /// are made room for. Nil when the database cannot tell.
    func estimate(of query: String) -> (rows: Int, bytes: Int)?
}

/// The kinds of database `load` reads.
public enum DatabaseKind: String, Sendable, CaseIterable {
    case postgres, sqlite
}

extension SQLDatabase {
    /// `"Customer ID"` as SQL writes a name: in double quotes, a quote doubled.
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Rows enough to tell each column's type, as a file's first lines tell it.
    static var sampleRows: Int { 200 }

    /// The columns a query gives and its first rows as text: what a file's first lines say.
    func head(of query: String) throws(DataError) -> (columns: [String], rows: [[String]]) {
        let columns = try self.columns(of: query)
        let first = try csv("SELECT * FROM (\(query)) AS crmq_source LIMIT \(Self.sampleRows)")
        let records = first.withUnsafeBufferPointer { DialectSniffer.records($0, Dialect.standard.delimiter, limit: Self.sampleRows + 1) }
        return (columns, Array((records ?? []).dropFirst()))
    }
}

/// What a `tables (…)` entry names: a table (`crm.orders`) or a query (`select …`).
public enum TableReference: Sendable, Equatable {
    case table(String)
    case query(String)
    /// crmq's summary query (`summary sql`) over the tables it names, run in the database.
    case summary(query: String, of: [String])

    /// A text is a query when it starts like one (`select`, `with`, `values`, `(`), else a table's name.
    public init(_ text: String) {
        let head = text.drop { $0 == " " || $0 == "\n" || $0 == "\t" }.prefix(7).lowercased()
        self = head.hasPrefix("select") || head.hasPrefix("with") || head.hasPrefix("values") || head.hasPrefix("(") ? .query(text) : .table(text)
    }

    /// The rows as a query: `select * from crm.orders`, or the query itself.
    var select: String {
        switch self {
        case .table(let name): "SELECT * FROM \(name)"
        case .query(let text), .summary(let text, _): text
        }
    }

    /// As messages and `describe` show it.
    var shown: String {
        switch self {
        case .table(let name): return name
        case .query(let text):
            // On one line, however the query was written.
            let line = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            return line.count > 60 ? "(" + line.prefix(57) + "…)" : "(\(line))"
        case .summary(_, let tables): return "summary of " + tables.joined(separator: ", ")
        }
    }
}
