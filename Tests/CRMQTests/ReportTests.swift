import Foundation
import Testing
@testable import CRMQ

/// `report … to FILE`: what goes in, what is left out and why, and where it may be written.
/// Tests/report opens the page in a real browser.
@Suite struct ReportTests {
    init() { _ = FileManager.default.changeCurrentDirectoryPath(repositoryRoot) }

    func temporary(_ name: String) -> String {
        let directory = NSTemporaryDirectory() + "crmq-report-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory + "/" + name
    }

    @Test func the_page_holds_every_section_with_its_sentence_and_nothing_from_outside() throws {
        let path = temporary("acme.html")
        let answer = run("load \"examples/acme\"; report to \"\(path)\"")
        #expect(answer.err.isEmpty && answer.out.contains("wrote the report (8 sections) to \(path)"), "\(answer)")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        for title in ["The book at a glance", "The whale curve", "The portfolio", "Recency, frequency, monetary value", "Lifetime value",
                      "Customers most worth a retention call", "The credit watch list", "The value star and the value map"] {
            #expect(html.contains("<h2>\(title)</h2>\n<p class=\"lead\">"), "\(title)")
        }
        // acme: 61 customers, revenue 1,562,858.66, profit 207,223.82 = 13.3% of it (the `count`, `segment` answers).
        #expect(html.contains("61 customers bought 1,562,858.66 up to 2024-12-31"))
        #expect(html.contains("they leave 207,223.82 of profit, 13.3% of revenue"))
        // The whale curve's top 20% (13 customers) hold 225,115.70 of 207,223.82: 108.6%.
        #expect(html.contains("The top 20% of customers hold 108.6% of the profit"))
        #expect(html.contains("<li>the model against the holdout: no holdout"))  // left out, and why
        // A lead is one paragraph: a sentence of several lines is joined, never shown as "\n".
        #expect(html.contains("worth less than 3,149.10. 61 customers are worth") && html.contains("(1.5%). The top 10% of customers"), "\(html)")
        #expect(!html.contains("\\n"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 6)
        for outside in ["http:", "https:", "<script", "<link", "<img", "@import"] { #expect(!html.contains(outside), "\(outside)") }
    }

    @Test func a_filter_narrows_every_section_and_one_that_keeps_none_is_an_error() throws {
        let path = temporary("north.html")
        let answer = run("load \"examples/acme\"; report where region = 'North' to \"\(path)\"")
        #expect(answer.err.isEmpty, "\(answer.err)")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        let north = run("load \"examples/acme\"; count where region = 'North'", mode: .csv).out
        let customers = north.split(separator: "\n").last.map(String.init) ?? ""
        #expect(html.contains("\(customers) customers (where region = &#39;North&#39;)") || html.contains("\(customers) customers (where region = 'North')"), "\(customers)")
        let none = run("load \"examples/acme\"; report where revenue > 1e12 to \"\(temporary("none.html"))\"")
        #expect(none.err.contains("no customers to report on: the filter keeps none"))
    }

    @Test func markdown_writes_its_charts_beside_it() throws {
        let path = temporary("q4.md")
        let answer = run("load \"examples/acme\"; report to \"\(path)\"")
        #expect(answer.out.contains("6 charts beside it"), "\(answer)")
        let page = try String(contentsOfFile: path, encoding: .utf8)
        #expect(page.hasPrefix("# Customer value report: acme\n"))
        for k in 1...6 {
            #expect(page.contains("](q4-\(k).svg)"))
            #expect(FileManager.default.fileExists(atPath: path.replacingOccurrences(of: "q4.md", with: "q4-\(k).svg")))
        }
    }

    @Test func it_is_written_only_as_html_or_markdown_and_never_over_a_read_only_file() throws {
        #expect(run("load \"examples/acme\"; report to \"\(temporary("r.txt"))\"").err.contains("a report is written as .html or .md"))
        let kept = temporary("kept.html")
        try "the last quarter's report".write(toFile: kept, atomically: true, encoding: .utf8)
        chmod(kept, 0o444)
        #expect(run("load \"examples/acme\"; report to \"\(kept)\"").err.contains("is read-only: nothing was written"))
        #expect(try String(contentsOfFile: kept, encoding: .utf8) == "the last quarter's report")
    }
}
