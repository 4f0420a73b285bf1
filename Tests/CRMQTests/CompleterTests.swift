import Foundation
import Testing
@testable import CRMQ

@Suite struct CompleterTests {
    let session: Session = {
        let session = Session()
        _ = run("load \"\(repositoryRoot)/examples/acme\" as acme; segment where profit < 0 as losers", session: session)
        return session
    }()

    func complete(_ text: String) -> [String] {
        Completer(session: session).complete(text, cursor: text.utf8.count).candidates
    }

    @Test func commands_where_a_statement_starts() {
        #expect(complete("cu") == ["customers"])
        #expect(complete("se") == ["segment", "segments", "set", "settings"])
        #expect(complete(".m") == [".maxrows", ".mode"])
        #expect(complete("count; pro") == ["profile"])
    }

    @Test func the_value_chain_commands_and_their_words() {
        #expect(complete("plan ") == ["acquisition", "development", "retention"])
        #expect(complete("plan retention f") == ["for"])
        #expect(complete("plan acquisition for segment lo") == ["losers"])
        #expect(complete("whatif ") == ["cost_to_serve", "discount", "retention"])
        #expect(complete("explain po") == ["portfolio"])
        #expect(complete("explain credit for DEL") == ["\"Delta Builders\"", "DELTA"])  // by id and by name
        #expect(complete("compare acme acme by rfm_s") == ["rfm_segment"])
        #expect(complete("customers where credit_g") == ["credit_grade"])  // analytics fields are fields too
        #expect(complete("valuestar for ") == ["segment"])
    }

    @Test func fields_after_where_show_and_order_by() {
        #expect(complete("customers where rev") == ["revenue"])
        #expect(complete("customers where revenue > 1 and pro") == ["profit"])
        #expect(complete("customers order by last_") == ["last_purchase"])
        #expect(complete("segment by reg") == ["region"])
        #expect(complete("customers where emp") == ["employees"])  // a column of this snapshot's own
        #expect(complete("segment by region show med") == ["median"])
    }

    @Test func clause_words_after_a_value() {
        #expect(complete("customers where revenue > 10 or") == ["or", "order"])
        #expect(complete("customers li") == ["limit"])
        #expect(complete("customers order b") == ["by"])
    }

    @Test func snapshots_and_segments_by_name() {
        #expect(complete("use ac") == ["acme"])
        #expect(complete("customers in lo") == ["losers"])
    }

    @Test func customers_by_id_and_name_quoted_when_they_have_spaces() {
        #expect(complete("profile AC") == ["\"Acme Corp\"", "ACME"])
        #expect(complete("profile 用") == ["用友建材"])
        #expect(complete("profile \"Acme C") == ["Acme Corp\""])
        let completion = Completer(session: session).complete("profile \"Acme C", cursor: 15)
        #expect(completion.start == 9)  // just after the opening quote
    }

    @Test func file_paths_after_load_read_and_save_to() {
        _ = FileManager.default.changeCurrentDirectoryPath(repositoryRoot)
        #expect(complete("load \"examples/ac") == ["examples/acme/"])
        // A snapshot is a folder or a data file: no script or golden text, though a CSV is data.
        #expect(complete("load \"examples/first-") == ["examples/first-look.out.csv\""])
        #expect(complete("load \"examples/a") == ["examples/acme/", "examples/apparel/"])
        #expect(complete("load \"examples/apparel/") == ["examples/apparel/apparel_static_cov.csv\"", "examples/apparel/apparel_trans.csv\"", "examples/apparel/reference.json\""].filter { !$0.hasSuffix(".json\"") })
        #expect(complete(".read examples/first-") == ["examples/first-look.crmq", "examples/first-look.out", "examples/first-look.out.csv", "examples/first-look.out.json", "examples/first-look.out.md"])
        #expect(complete("save to \"README.m") == ["README.md\""])
    }

    @Test func settings_and_dot_command_arguments() {
        #expect(complete("set hor") == ["horizon"])
        #expect(complete("set model = b") == ["bgbb", "bgnbd"])
        #expect(complete("set model = pa") == ["paretonbd"])
        #expect(complete(".mode js") == ["json"])
        #expect(complete("help seg") == ["segment", "segments"])
    }
}
