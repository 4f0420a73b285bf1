import Foundation
import Testing
@testable import CRMQ

/// docs/reference.md carries the statements and fields as the code declares them: its
/// generated sections are remade from `StatementCatalog` and the field lists, and must match.
/// After a deliberate change, `CRMQ_UPDATE_GOLDEN=1 swift test --filter ReferenceTests`.
@Suite struct ReferenceTests {
    static let path = repositoryRoot + "/docs/reference.md"

    /// Every statement: its syntax, what it does, an example.
    static var statements: String {
        StatementCatalog.all.map { type in
            let help = type.help
            let title = type.word == "." ? "dot-commands" : "`\(type.word)`"
            return "### \(title)\n\n```\n\(help.syntax)\n```\n\n\(help.summary)\n\nExample: `\(help.example)`\n"
        }.joined(separator: "\n")
    }

    /// Every field, in the groups a user meets them.
    static var fields: String {
        let groups: [(String, [Field])] = [
            ("From customers.csv", CustomerFields.attributes),
            ("Derived when a snapshot loads", CustomerFields.derived),
            ("From the models, on first use", ModelField.allCases.map(\.field)),
            ("From the value chain, on first use", AnalyticsField.allCases.map(\.field)),
        ]
        return groups.map { title, fields in
            "**\(title)**\n\n| field | type | meaning |\n|---|---|---|\n"
                + fields.map { "| `\($0.name)` | \($0.type.rawValue) | \($0.definition.replacingOccurrences(of: "|", with: "\\|")) |\n" }.joined()
        }.joined(separator: "\n")
    }

    /// The text with the section between `<!-- NAME: generated -->` and `<!-- /NAME -->` replaced.
    static func replacing(_ name: String, with body: String, in text: String) throws -> String {
        let open = "<!-- \(name): generated -->\n", close = "<!-- /\(name) -->"
        let start = try #require(text.range(of: open), "docs/reference.md has no \(open)")
        let end = try #require(text.range(of: close, range: start.upperBound..<text.endIndex))
        return String(text[..<start.upperBound]) + body + String(text[end.lowerBound...])
    }

    @Test func the_reference_lists_every_statement_and_field_as_the_code_declares_them() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        let made = try Self.replacing("statements", with: Self.statements, in: try Self.replacing("fields", with: Self.fields, in: text))
        if ProcessInfo.processInfo.environment["CRMQ_UPDATE_GOLDEN"] == "1" {
            try made.write(toFile: Self.path, atomically: true, encoding: .utf8)
            return
        }
        #expect(made == text, "docs/reference.md is out of step with the code: regenerate it with CRMQ_UPDATE_GOLDEN=1 swift test --filter ReferenceTests")
    }

    /// The README sends a newcomer to the reference, not to a file outside the repository.
    @Test func the_readme_links_the_projects_own_reference() throws {
        let readme = try String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8)
        #expect(readme.contains("docs/reference.md"))
        #expect(!readme.contains("../shared"))
    }
}
