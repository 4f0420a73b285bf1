import Foundation
import Testing
@testable import CRMQ

/// Every input a fuzzer found a crash with (Tests/fuzz/regressions/TARGET/), run again
/// through the same target: fixed once, fixed for good.
@Suite struct FuzzRegressionTests {
    static let inputs: [(String, String)] = FuzzTargets.names.flatMap { target in
        let folder = repositoryRoot + "/Tests/fuzz/regressions/" + target
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return files.filter { !$0.hasPrefix(".") }.sorted().map { (target, folder + "/" + $0) }
    }

    @Test func every_fuzz_target_takes_the_seed_corpus_without_a_crash() throws {
        for target in FuzzTargets.names {
            FuzzTargets.run(target, Array("count where revenue > 10k; segment by region".utf8))
            FuzzTargets.run(target, Array("id,name\nA,\"x\"\n".utf8))
            FuzzTargets.run(target, Array(#"{"discount_rate": 0}"#.utf8))
        }
    }

    @Test(arguments: inputs.map { "\($0.0):\($0.1)" })
    func a_crash_found_by_fuzzing_stays_fixed(_ case: String) throws {
        let target = String(`case`.prefix { $0 != ":" }), path = String(`case`.drop { $0 != ":" }.dropFirst())
        FuzzTargets.run(target, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }
}
