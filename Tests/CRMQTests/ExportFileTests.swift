import Foundation
import Testing
@testable import CRMQ

/// A user's own export, loaded as it is: real files no one here wrote (CLVTools' apparel
/// data) and the bundled acme transactions rewritten in every dialect the sniffer reads.
@Suite struct ExportFileTests {
    static let apparel = repositoryRoot + "/examples/apparel/apparel_trans.csv"

    /// The fits `lifetimes` gives on the same file (Tests/lifetimes/apparel_reference.py).
    static func reference(_ period: String) throws -> [String: [String: Double]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/examples/apparel/reference.json"))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let block = json[period] as! [String: Any]
        return ["bgnbd", "paretonbd", "gammagamma"].reduce(into: [:]) { $0[$1] = block[$1] as? [String: Double] }
    }

    /// One fit's parameters, by name, from `fit MODEL` as CSV.
    static func parameters(_ statement: String, _ session: Session) -> [String: Double] {
        let out = run(statement, session: session, mode: .csv).out
        var values: [String: Double] = [:]
        for line in out.split(separator: "\n") {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            if cells.count == 3, let v = Double(cells[1]) { values[String(cells[0])] = v }
        }
        return values
    }

    @Test(arguments: [("whole", ""), ("calibration", " as of 2006-12-31")])
    func the_apparel_file_loads_as_it_is_and_fits_as_lifetimes_does(_ period: String, _ asOf: String) throws {
        let session = Session()
        let loaded = run("load \"\(Self.apparel)\"\(asOf)", session: session)
        #expect(loaded.out.contains("loaded apparel_trans: 600 customers") && loaded.out.contains("customer_id ← Id, date ← Date, amount ← Price"),
                "\(loaded.out)\(loaded.err)")
        let reference = try Self.reference(period)
        for (model, names) in [("bgnbd", ["r", "alpha", "a", "b"]), ("paretonbd", ["r", "alpha", "s", "beta"])] {
            let ours = Self.parameters("fit \(model)", session)
            for name in names {
                let theirs = reference[model]![name]!
                #expect(abs(ours[name]! / theirs - 1) < 2e-3, "\(period) \(model) \(name): crmq \(ours[name]!), lifetimes \(theirs)")
            }
        }
        let gg = Self.parameters("fit", session)
        for (ours, theirs) in [("p", "p"), ("q", "q"), ("gamma", "v")] {
            let value = reference["gammagamma"]![theirs]!
            #expect(abs(gg[ours]! / value - 1) < 2e-3, "\(period) Gamma-Gamma \(ours): crmq \(gg[ours]!), lifetimes \(value)")
        }
    }

    /// Every derived field of every customer, in customer order, as CSV.
    static let fields = "id, orders, revenue, margin, frequency, recency, age, monetary, first_purchase, last_purchase, days_since"

    static func figures(_ load: String) -> (String, String) {
        let session = Session()
        let loaded = run(load, session: session)
        return (run("customers show \(fields)", session: session, mode: .csv).out, loaded.out + loaded.err)
    }

    /// acme's transactions.csv rewritten: a delimiter, a way to write numbers and dates, line ends, a BOM.
    static func rewrite(_ delimiter: String, number: (String) -> String, date: (String) -> String, crlf: Bool = false, bom: Bool = false, header: Bool = true) throws -> String {
        let plain = try String(contentsOfFile: repositoryRoot + "/examples/acme/transactions.csv", encoding: .utf8)
        var lines: [String] = []
        for (i, line) in plain.split(separator: "\n").enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if i == 0 {
                if header { lines.append(cells.joined(separator: delimiter)) }
                continue
            }
            let product = delimiter == " " ? cells[5].replacingOccurrences(of: " ", with: "_") : cells[5]
            lines.append([cells[0], date(cells[1]), number(cells[2]), number(cells[3]), cells[4], product].joined(separator: delimiter))
        }
        return (bom ? "\u{FEFF}" : "") + lines.joined(separator: crlf ? "\r\n" : "\n") + (crlf ? "\r\n" : "\n")
    }

    /// `1234.5` as a European writes it: `1.234,50`.
    static func european(_ text: String) -> String {
        let value = Double(text)!
        let whole = Int(value.magnitude), cents = Int((value.magnitude * 100).rounded()) % 100
        var grouped = String(whole)
        var at = grouped.count - 3
        while at > 0 { grouped.insert(".", at: grouped.index(grouped.startIndex, offsetBy: at)); at -= 3 }
        return (value < 0 ? "-" : "") + grouped + "," + (cents < 10 ? "0" : "") + String(cents)
    }

    static func parts(_ iso: String) -> (String, String, String) {
        let p = iso.split(separator: "-").map(String.init)
        return (p[0], p[1], p[2])
    }

    @Test func acme_in_every_dialect_gives_every_customer_the_same_fields() throws {
        let (expected, plainLoad) = Self.figures("load \"\(repositoryRoot)/examples/acme/transactions.csv\"")
        #expect(expected.split(separator: "\n").count == 61, "\(plainLoad)")  // 60 customers bought, and the header
        let f = Fixture([:])
        let variants: [(String, String, String)] = [
            ("european.csv", try Self.rewrite(";", number: Self.european, date: { let (y, m, d) = Self.parts($0); return "\(d).\(m).\(y)" }, bom: true),
             "delimiter ';', decimal ',', thousands '.', date 'DD.MM.YYYY'"),
            ("us.tsv", try Self.rewrite("\t", number: { $0 }, date: { let (y, m, d) = Self.parts($0); return "\(m)/\(d)/\(y)" }, crlf: true),
             "delimiter '\\t', date 'MM/DD/YYYY'"),
            ("uk.csv", try Self.rewrite("|", number: { $0 }, date: { let (y, m, d) = Self.parts($0); return "\(d)/\(m)/\(y)" }),
             "delimiter '|', date 'DD.MM.YYYY'"),
            ("compact.txt", try Self.rewrite(" ", number: { $0 }, date: { $0.replacingOccurrences(of: "-", with: "") }, crlf: true),
             "delimiter 'spaces', date 'YYYYMMDD'"),
            ("stamped.csv", try Self.rewrite(",", number: { $0 }, date: { $0 + "T09:30:00+02:00" }), "its own column names"),
        ]
        for (name, text, sniffed) in variants {
            f.write(name, text)
            let (figures, message) = Self.figures("load \"\(f.directory)/\(name)\"")
            #expect(message.contains(sniffed), "\(name): \(message)")
            #expect(figures == expected, "\(name): \(message)")
        }
        // Without a header the columns are column1, column2, …: named by `columns`.
        f.write("bare.csv", try Self.rewrite(",", number: { $0 }, date: { $0 }, header: false))
        let (bare, message) = Self.figures(
            "load \"\(f.directory)/bare.csv\" columns (customer_id = column1, date = column2, amount = column3, margin = column4) format (header false)")
        #expect(bare == expected, "\(message)")
    }

    @Test func what_cannot_be_read_is_an_error_that_says_what_to_write_and_changes_nothing() {
        let f = Fixture([
            "slashes.csv": "customer,date,amount\nA,01/02/2024,10\nB,03/04/2024,20\n",
            "two.csv": "customer_id,order_date,created_at,total\nA,2024-01-01,2024-01-01,10\n",
            "noamount.csv": "customer_id,date,qty\nA,2024-01-01,1\n",
            "late.csv": "customer_id,date,amount\nA,13/01/2024,10\nB,2024-01-02,20\n",
        ])
        let session = Session()
        _ = run("load \"\(repositoryRoot)/examples/acme\"", session: session)
        let cases: [(String, String)] = [
            ("load \"\(f.directory)/slashes.csv\"",
             "cannot tell whether \"01/02/2024\" is day/month/year or month/day/year"),
            ("load \"\(f.directory)/two.csv\"", "which column is date? the header has `order_date` and `created_at`; say which: load … columns (date = order_date)"),
            ("load \"\(f.directory)/noamount.csv\"", "no column for amount"),
            ("load \"\(f.directory)/noamount.csv\" columns (amount = price)", "maps amount to `price`, and the header has no such column"),
            ("load \"\(f.directory)/noamount.csv\" columns (amout = qty)", "columns (…) names `amout`, which crmq does not read here"),
            ("load \"\(f.directory)/late.csv\"", "late.csv:3:2: column date: expected a date as DD.MM.YYYY, found \"2024-01-02\""),
            ("load \"\(f.directory)/slashes.csv\" format (delimiter 'x')", "the delimiter is"),
            ("load \"\(f.directory)/slashes.csv\" format (dates 'DD/MM/YYYY')", "unknown format setting `dates`"),
        ]
        for (statement, message) in cases {
            let result = run(statement, session: session)
            #expect(result.outcome == .failed && result.err.contains(message), "\(statement)\n\(result.err)")
        }
        // Told the order, the same file loads; the session kept acme in use until then.
        #expect(run("count", session: session).out.contains("61"))
        let told = run("load \"\(f.directory)/slashes.csv\" format (date 'DD/MM/YYYY')\ncustomers show id, first_purchase", session: session, mode: .csv)
        #expect(told.out.hasSuffix("id,first_purchase\nA,2024-02-01\nB,2024-04-03\n"), "\(told.out)\(told.err)")
    }
}
