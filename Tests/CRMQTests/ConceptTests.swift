import Foundation
import Testing
@testable import CRMQ

/// `help concepts` and each concept's statements, run on the data the concept names: an
/// example in the help that stops working fails here.
@Suite struct ConceptTests {
    init() { _ = FileManager.default.changeCurrentDirectoryPath(repositoryRoot) }

    @Test(arguments: Concept.allCases)
    func every_statement_a_concept_shows_runs_on_its_data(_ concept: Concept) {
        let session = Session()
        let loaded = run("load \"\(concept.data)\"", session: session)
        #expect(loaded.err.isEmpty, "\(loaded.err)")
        for statement in concept.statements {
            let answer = run(statement, session: session)
            #expect(answer.err.isEmpty && answer.outcome == .completed, "\(concept.name): `\(statement)` said \(answer.err)")
            #expect(!answer.out.isEmpty, "\(concept.name): `\(statement)` printed nothing")
        }
    }

    @Test(arguments: Concept.allCases)
    func every_concept_has_its_lesson_with_golden_output(_ concept: Concept) {
        #expect(FileManager.default.fileExists(atPath: concept.lesson), "\(concept.lesson)")
        #expect(FileManager.default.fileExists(atPath: concept.lesson.replacingOccurrences(of: ".crmq", with: ".out")))
    }

    @Test func help_lists_the_concepts_and_explains_one_by_any_spelling() {
        let list = run("help concepts").out
        for concept in Concept.allCases { #expect(list.contains(concept.name) && list.contains(concept.title)) }
        let one = run("help concept Whale Curve")
        #expect(one.err.isEmpty)
        #expect(one.out.hasPrefix("The 80/20 rule and the whale curve — "))
        #expect(one.out.contains("\n  pareto by revenue\n") && one.out.contains("Lesson: examples/lessons/09-whale-curve.crmq"))
        let typo = run("help concept whale-curv")
        #expect(typo.err.contains("no concept `whale-curv`") && typo.err.contains("did you mean `whale-curve`?"), "\(typo.err)")
    }

    @Test func tab_after_help_concept_offers_the_names() {
        let offered = Completer(session: Session()).complete("help concept ", cursor: 13).candidates
        #expect(Set(offered) == Set(Concept.allCases.map(\.name)), "\(offered)")
    }
}
