/// How one of a snapshot's files is written when it is not crmq's own: where it is, its
/// dialect, and the file's columns that are crmq's fields under other names.
struct FileLayout: Sendable {
    var path: String
    var dialect = Dialect.standard
    /// The file's column (normalised) → crmq's field.
    var rename: [String: String] = [:]

    /// `customer_id ← client`, each renamed column as `describe` shows it, in column order.
    var renamed: [String] { rename.sorted { $0.key < $1.key }.map { "\($0.value) ← \($0.key)" } }

    /// A customers file as it is: its dialect sniffed (or told), and its id column named by
    /// `columns (id = …)`, else found by the names ids go by. Its other columns are attributes.
    static func customers(path: String, format: FormatOverrides, columns: [(field: String, column: String)]) throws(DataError) -> FileLayout {
        let (dialect, written, _) = try DialectSniffer.head(of: path, format: format)
        let header = written.map(TableReader.normalise)
        let id = try ColumnMapping.resolve(header: header, written: written, given: columns, roles: [ColumnMapping.customerIdRole], file: path)
        return FileLayout(path: path, dialect: dialect, rename: id.renames)
    }

    /// Another table's file (payments, interactions, activities, their rates): its dialect
    /// sniffed (or told), and `columns` naming the file's column for each crmq field whose
    /// name it does not use.
    static func table(path: String, format: FormatOverrides, columns: [(field: String, column: String)]) throws(DataError) -> FileLayout {
        let (dialect, written, _) = try DialectSniffer.head(of: path, format: format)
        let header = written.map(TableReader.normalise)
        var rename: [String: String] = [:]
        for (field, column) in columns {
            let c = TableReader.normalise(column)
            guard header.contains(c) else {
                throw DataError(
                    file: path, line: 1, message: "columns maps \(field) to `\(column)`, and the header has no such column; it has " + written.joined(separator: ", "))
            }
            rename[c] = TableReader.normalise(field)
        }
        return FileLayout(path: path, dialect: dialect, rename: rename)
    }
}
