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

    /// A shop's orders export: a hundred columns in real life, a few here; refunded and
    /// cancelled orders left out by `where` before anything is derived.
    static let shop = """
        order_id,customer_id,created_timestamp,total_price,financial_status,cancelled_timestamp,note
        1001,C1,2024-01-03T10:00:00+01:00,120.50,paid,,first
        1002,C2,2024-01-05T11:00:00+01:00,80.00,refunded,,
        1003,C1,2024-02-03T09:00:00+01:00,60.00,paid,2024-02-04T09:00:00+01:00,cancelled
        1004,C3,2024-02-10T09:00:00+01:00,40.00,paid,,
        1005,C1,2024-03-01T09:00:00+01:00,55.25,paid,,

        """

    /// UCI's Online Retail layout: no amount column, returns as negative quantities.
    static let retail = """
        InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
        536365,85123A,WHITE HANGING HEART,6,12/01/2010 08:26,2.55,17850,United Kingdom
        536366,22633,HAND WARMER,6,12/01/2010 08:28,1.85,17850,United Kingdom
        C536379,D,Discount,-1,12/01/2010 09:41,27.50,14527,United Kingdom
        536380,22961,JAM MAKING SET,24,12/13/2010 09:41,1.45,14527,United Kingdom
        536381,22139,RETROSPOT TEA SET,2,12/14/2010 09:45,4.25,12583,France

        """

    @Test func where_leaves_rows_out_before_anything_is_derived() {
        let f = Fixture(["shop.csv": Self.shop])
        let session = Session()
        let loaded = run("load \"\(f.directory)/shop.csv\" where financial_status != 'refunded' and cancelled_timestamp is null", session: session)
        #expect(loaded.out.contains("loaded shop: 2 customers, 3 transactions, as of 2024-03-01"), "\(loaded.out)\(loaded.err)")
        #expect(loaded.out.contains("date ← created_timestamp, amount ← total_price"))
        #expect(loaded.out.contains("left out 2 rows of 5"))
        // C1 keeps 1001 and 1005: 120.50 + 55.25 = 175.75 over 2 orders, 3 Jan → 1 Mar (58 days);
        // C2's only order was refunded, so C2 is no customer of this snapshot; C3 keeps its 40.
        let table = run("customers show id, orders, revenue, recency", session: session, mode: .csv).out
        #expect(table == "id,orders,revenue,recency\nC1,2,175.75,\(58.0 / 7)\nC3,1,40,0\n", "\(table)")
        // describe says where the rows came from: 5 read, 2 left out by where, none set aside.
        let described = run("describe", session: session, mode: .csv).out
        #expect(described.contains("transactions,shop.csv,5,2,0,\"delimiter ',', date 'YYYY-MM-DD'\",\"date ← created_timestamp, amount ← total_price; "
            + "where financial_status != 'refunded' and cancelled_timestamp is null\""), "\(described)")
        let columns = run("describe transactions", session: session, mode: .csv).out
        #expect(columns.contains("amount,number,3,0,3,40,120.5,\(215.75 / 3),"), "\(columns)")  // 120.50, 40 and 55.25
    }

    @Test func a_field_may_be_an_expression_and_a_negative_quantity_a_return() {
        let f = Fixture(["retail.csv": Self.retail])
        let session = Session()
        let loaded = run("load \"\(f.directory)/retail.csv\" columns (amount = Quantity * UnitPrice)", session: session)
        #expect(loaded.out.contains("customer_id ← CustomerID, date ← InvoiceDate, quantity ← Quantity, amount ← Quantity * UnitPrice"),
                "\(loaded.out)\(loaded.err)")
        #expect(loaded.out.contains("date 'MM/DD/YYYY'"))  // 12/13/2010 and 12/14/2010 put the month first
        // 17850: 6 × 2.55 + 6 × 1.85 = 26.40 on one day; 14527: a return of −1 × 27.50, then
        // 24 × 1.45 = 34.80, so revenue 7.30 over 1 order; 12583: 2 × 4.25 = 8.50.
        let table = run("customers show id, orders, frequency", session: session, mode: .csv).out
        #expect(table == "id,orders,frequency\n17850,2,0\n14527,1,0\n12583,1,0\n", "\(table)")
        let snapshot = session.current!
        for (id, revenue) in [("17850", 26.40), ("14527", 7.30), ("12583", 8.50)] {
            #expect(abs(snapshot.number("revenue", id) - revenue) < 1e-9, "\(id): \(snapshot.number("revenue", id))")
        }
        let ssc = run("load \"\(f.directory)/retail.csv\" columns (amount = Quantity * UnitPrice) where country = 'France'", session: session)
        #expect(ssc.out.contains("loaded retail: 1 customer, 1 transaction") && ssc.out.contains("left out 4 rows of 5"), "\(ssc.out)\(ssc.err)")
    }

    /// A file over 1 MiB is parsed in two pieces, the second counting its lines from 1: a
    /// negative quantity on a purchase near its end was reported at line 29,990 of a file
    /// where it stands on line 59,994. Here: the header is line 1, two blank lines come after
    /// the 101st row, and row 59,991 (index 59,990) is the bad one: 1 + 59,991 + 2 = 59,994.
    @Test func a_row_in_a_later_piece_is_named_at_its_own_line() {
        var text = "customer_id,date,amount,quantity\n"
        for i in 0..<60_000 {
            text += "c\(i % 500),2024-01-\(10 + i % 18),10.50,\(i == 59_990 ? -1 : 1)\n"
            if i == 100 { text += "\n\n" }
        }
        #expect(text.utf8.count > 1 << 20, "small enough to be read in one piece")
        let f = Fixture(["orders.csv": text])
        let loaded = run("load \"\(f.directory)/orders.csv\"")
        #expect(loaded.err.contains("orders.csv:59994: column quantity: a negative quantity (-1) on a purchase"), "\(loaded.err)")
    }

    @Test func rules_that_cannot_hold_are_errors_at_their_token_and_change_nothing() {
        let f = Fixture([
            "retail.csv": Self.retail,
            "holes.csv": "CustomerID,InvoiceDate,Quantity,UnitPrice\nA,2024-01-01,2,3\nA,2024-01-02,,3\n",
            "minus.csv": "customer,date,amount,quantity\nA,2024-01-01,10,1\nA,2024-01-02,10,-1\n",
            "currencies.csv": "customer_id,date,amount,currency\nA,2024-01-01,10,EUR\nB,2024-01-02,20,USD\nA,2024-01-03,5,EUR\n",
        ])
        let session = Session()
        _ = run("load \"\(repositoryRoot)/examples/acme\"", session: session)
        let retail = "load \"\(f.directory)/retail.csv\""
        let cases: [(String, String)] = [
            ("\(retail) columns (amount = Quantity * UnitPrice) where countr = 'France'", "unknown column `countr`"),
            ("\(retail) columns (amount = Quantity * UnitPrice) where countr = 'France'", "did you mean `country`?"),
            ("\(retail) columns (amount = Quantity * Price)", "retail.csv has: InvoiceNo, StockCode, Description, Quantity"),
            ("\(retail) columns (amount = Quantity * UnitPrice) where Country > 3", "cannot compare a text with a number"),
            ("\(retail) columns (amount = Country = 'France')", "amount must be a number, and this is a true/false value"),
            ("\(retail) columns (amount = Quantity * UnitPrice) where Quantity", "a condition must be true or false"),
            ("\(retail) columns (date = InvoiceDate + 1)", "only amount, margin, quantity can be expressions"),
            ("load \"\(f.directory)/holes.csv\" columns (amount = Quantity * UnitPrice)",
             "holes.csv:3: amount = Quantity * UnitPrice is not a number on this row"),
            ("load \"\(f.directory)/minus.csv\"", "minus.csv:3: column quantity: a negative quantity (-1) on a purchase"),
            ("load \"\(repositoryRoot)/examples/acme\" where amount > 3", "where on a load filters a single file's rows"),
            ("load \"\(f.directory)/currencies.csv\"", "currencies.csv: column currency: amounts in 2 currencies (EUR, USD), and crmq adds amounts of one; keep one: load … where currency = 'EUR'"),
        ]
        for (statement, message) in cases {
            let result = run(statement, session: session)
            #expect(result.outcome == .failed && result.err.contains(message), "\(statement)\n\(result.err)")
        }
        #expect(run("count", session: session).out.contains("61"))
        #expect(session.current?.name == "acme")
        // A where that keeps one currency lets the file in.
        let euros = run("load \"\(f.directory)/currencies.csv\" where currency = 'EUR'\ncustomers show id, revenue", session: session, mode: .csv)
        #expect(euros.out.hasSuffix("id,revenue\nA,15\n"), "\(euros.out)\(euros.err)")
    }

    /// Rows that arrive in blocks (a database's COPY) read as the same rows in one file do,
    /// an error in a later block at its line in the whole.
    @Test func rows_arriving_in_blocks_read_as_one_file_does() throws {
        let text = "customer_id,date,amount\n" + (0..<3000).map { "C\($0 % 97),2024-01-\(10 + $0 % 19),\($0).5" }.joined(separator: "\n") + "\n"
        let bytes = Array(text.utf8)
        // Cut at row ends into blocks of about 10 KB.
        var blocks: [[UInt8]] = []
        var from = 0
        while from < bytes.count {
            var to = min(bytes.count, from + 10_000)
            while to < bytes.count, bytes[to - 1] != 0x0A { to += 1 }
            blocks.append(Array(bytes[from..<to]))
            from = to
        }
        #expect(blocks.count > 4)
        let specs = ExportFileLoader.specs.filter { ["customer_id", "date", "amount"].contains($0.name) }
        func streamed(_ parts: [[UInt8]]) -> TableReader {
            var reader = TableReader(path: "rows", displayName: "rows", specs: specs)
            reader.blocks = BlockStream { deliver in for part in parts where !deliver(FileBytes(part)) { break } }
            return reader
        }
        var whole = TableReader(path: "rows", displayName: "rows", specs: specs)
        whole.bytes = FileBytes(bytes)
        let a = try streamed(blocks).read(), b = try whole.read()
        #expect(a.rowCount == 3000 && a.rowCount == b.rowCount)
        #expect(a.numbers["amount"] == b.numbers["amount"] && a.dates["date"] == b.dates["date"])
        #expect(a.texts["customer_id"] == b.texts["customer_id"])
        // Row 2,500 is line 2,502 of the whole (after the header), in the last blocks.
        var broken = bytes
        let line = text.split(separator: "\n", omittingEmptySubsequences: false)[2501]
        let at = text.utf8.distance(from: text.startIndex, to: text.range(of: "\n" + line + "\n")!.lowerBound) + 1
        broken[at + line.utf8.count - 1] = UInt8(ascii: "x")  // its amount, 2500.5, becomes 2500.x
        var cut: [[UInt8]] = []
        from = 0
        for part in blocks {
            cut.append(Array(broken[from..<(from + part.count)]))
            from += part.count
        }
        #expect(throws: DataError.self) { try streamed(cut).read() }
        do {
            _ = try streamed(cut).read()
        } catch {
            #expect(error.line == 2502 && error.columnName == "amount", "\(error)")
        }
    }

    /// Text fields wait in batches before they are interned (so that their cache misses
    /// overlap); an error in a waiting row still comes before one in a later row or column.
    @Test func a_text_error_in_a_waiting_row_comes_before_a_later_error() throws {
        let specs = ExportFileLoader.specs.filter { ["customer_id", "date", "amount"].contains($0.name) }
        func error(_ bytes: [UInt8]) -> DataError? {
            var reader = TableReader(path: "rows", displayName: "rows", specs: specs)
            reader.bytes = FileBytes(bytes)
            do {
                _ = try reader.read()
                return nil
            } catch {
                return error
            }
        }
        let header = Array("customer_id,date,amount\n".utf8)
        let good = Array("A,2024-01-02,1.5\n".utf8)
        // Line 3's customer is not UTF-8 (0xFF); line 5's amount is no number.
        let notText = header + good + Array("B".utf8) + [0xFF] + Array(",2024-01-02,2\n".utf8) + good + Array("C,2024-01-03,x\n".utf8)
        #expect(error(notText)?.line == 3 && error(notText)?.column == 1, "\(String(describing: error(notText)))")
        // In one row: the customer (column 1) before the amount (column 3).
        let sameRow = header + good + Array("B".utf8) + [0xFF] + Array(",2024-01-02,x\n".utf8)
        #expect(error(sameRow)?.line == 3 && error(sameRow)?.column == 1, "\(String(describing: error(sameRow)))")
        // A good file of the same rows reads whole.
        var reader = TableReader(path: "rows", displayName: "rows", specs: specs)
        reader.bytes = FileBytes(header + good + good)
        #expect(try reader.read().texts["customer_id"]?.codes == [0, 0])
    }
}
