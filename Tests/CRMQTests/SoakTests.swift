import Foundation
import Testing
@testable import CRMQ

/// Random statements from the grammar, thousands of them, against acme and the CDNOW sample:
/// whatever they are, crmq answers or says why, prints no NaN or infinity as a value, and the
/// session it leaves counts its customers as before.
@Suite struct SoakTests {
    struct Grammar {
        var generator: SplitMix
        let numbers = ["revenue", "margin", "profit", "orders", "frequency", "recency", "age", "monetary", "days_since",
                       "aov", "cost_to_serve", "share_of_wallet", "clv", "p_alive", "expected_purchases", "r_score", "credit_score"]
        let texts = ["segment", "region", "name", "portfolio", "rfm_segment", "credit_grade", "id"]
        let values = ["0", "1", "10k", "-5", "2.5m", "50%", "1e12", "0.001", "null", "'retail'", "'West'", "2024-06-30"]
        let ids: [String]

        mutating func pick<T>(_ items: [T]) -> T { items[generator.next(below: items.count)] }

        mutating func expression(_ depth: Int = 0) -> String {
            switch generator.next(below: depth > 2 ? 4 : 8) {
            case 0: return "\(pick(numbers)) \(pick(["=", "!=", "<", "<=", ">", ">="])) \(pick(values))"
            case 1: return "\(pick(texts)) \(pick(["=", "!=", "like"])) '\(pick(["retail", "West", "A%", "%e%", "invest", ""]))'"
            case 2: return "\(pick(numbers)) between \(pick(values)) and \(pick(values))"
            case 3: return "\(pick(numbers + texts)) is \(pick(["", "not "]))null"
            case 4: return "(\(expression(depth + 1))) \(pick(["and", "or"])) \(expression(depth + 1))"
            case 5: return "not \(expression(depth + 1))"
            case 6: return "\(pick(numbers)) \(pick(["+", "-", "*", "/"])) \(pick(numbers)) > \(pick(values))"
            default: return "\(pick(texts)) in ('retail', 'public', \(pick(values)))"
            }
        }

        mutating func statement() -> String {
            let id = pick(ids)
            switch generator.next(below: 22) {
            case 0, 1: return "count where \(expression())"
            case 2, 3: return "customers where \(expression()) order by \(pick(numbers)) \(pick(["asc", "desc"])) limit \(generator.next(below: 20)) show id, \(pick(numbers)), \(pick(texts))"
            case 4: return "segment by \(pick(texts)) where \(expression()) show count, sum(\(pick(numbers))), median(\(pick(numbers))), share(\(pick(numbers)))"
            case 5: return "segment where \(expression()) as s\(generator.next(below: 5))"
            case 6: return "customers in s\(generator.next(below: 5)) limit 3"
            case 7: return "\(pick(["portfolio", "rfm", "ssc", "describe", "credit", "assets", "scorecard"])) where \(expression())"
            case 8: return "pareto by \(pick(["profit", "revenue", "clv"])) where \(expression())"
            case 9: return "clv for \(id) horizon \(1 + generator.next(below: 60)) months discount \(generator.next(below: 30))%"
            case 10: return "explain \(pick(ExplainTopic.allCases.map(\.rawValue))) for \(id)"
            case 11: return "plan \(pick(PlanKind.allCases.map(\.rawValue))) for \(pick([id, "segment retail", "segment s1"]))"
            case 12: return "whatif \(pick(["retention", "discount", "cost_to_serve"])) \(pick(["+", "-", ""]))\(generator.next(below: 40))%"
            case 13: return "set \(pick(["discount = 8%", "horizon = 24 months", "model = bgnbd", "model = simple", "potential_threshold = 500", "potential_threshold = median"]))"
            case 14: return "profile \(id)"
            case 15: return "credit for \(id)"
            case 16: return "\(pick(["valuestar", "valuemap"])) for segment \(pick(["retail", "public", "nowhere"]))"
            case 17: return "segments"
            case 18: return "settings"
            case 19: return "help \(pick(StatementCatalog.all.map { $0.topic }))"
            case 20: return "customers where \(expression()) show \(pick(numbers)) / (\(pick(numbers)) - \(pick(numbers))) as ratio"
            default: return "count where " + String(repeating: "(", count: generator.next(below: 300)) + "revenue > 0"
            }
        }
    }

    /// acme, the CDNOW sample, and the CDNOW sample's summary (frequency, recency, T,
    /// monetary_value a customer, no transactions) loaded from a file.
    @Test(arguments: [("acme", 5_000), ("cdnow-sample", 5_000), ("cdnow-sample-summary", 2_000)])
    func thousands_of_random_statements_crash_nothing_print_no_nan_and_change_no_data(_ snapshot: String, _ count: Int) throws {
        let session = Session()
        session.interrupted = { false }
        let summary = Fixture([:])
        var path = repositoryRoot + "/examples/" + snapshot
        if snapshot.hasSuffix("-summary") {
            _ = run("load \"\(repositoryRoot)/examples/cdnow-sample\"", session: session)
            let figures = run("customers show id, frequency, recency, age as T, monetary as monetary_value", session: session, mode: .csv).out
            summary.write("summary.csv", SummaryFileTests.firstTable(figures))
            path = summary.directory + "/summary.csv"
        }
        let loaded = try session.load(directory: path, name: snapshot)
        let before = try session.scope(SourceRange(0, 0)).count(CustomerFilter())
        var grammar = Grammar(generator: SplitMix(seed: 2026), ids: Array(loaded.customers.ids.values.prefix(20)) + ["nobody"])
        var answered = 0
        for k in 0..<count {
            let statement = grammar.statement()
            let capture = Capture()
            let mode: OutputMode = k % 2 == 0 ? .json : .table
            StatementRunner(session: session, sink: capture, mode: mode, layout: TableLayout(width: 100), stopOnError: true).run(statement)
            if capture.err.isEmpty { answered += 1 }
            if mode == .json {
                #expect(capture.out.range(of: #"[:,\[]-?(nan|inf)\b"#, options: .regularExpression) == nil, "\(statement)")
            }
        }
        #expect(try session.scope(SourceRange(0, 0)).count(CustomerFilter()) == before)
        #expect(session.current === loaded)
        if ProcessInfo.processInfo.environment["CRMQ_SOAK_REPORT"] != nil { print("soak \(snapshot): \(answered) of \(count) answered") }
        // A summary has no revenue, margins or names: fewer statements have an answer there.
        #expect(answered > count / (snapshot.hasSuffix("-summary") ? 10 : 3), "only \(answered) of \(count) statements were answered: the grammar is off")
    }
}
