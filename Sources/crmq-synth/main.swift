import ArgumentParser
import CRMQ
import Foundation

/// `crmq-synth DIR --customers N --seed S`: writes a made-up snapshot whose buying follows
/// BG/NBD and Gamma-Gamma with known parameters (see `SyntheticSnapshot`).
struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crmq-synth", abstract: "Write a seeded synthetic snapshot for benchmarks and model checks.")

    @Argument(help: "The directory to write (created if missing).")
    var directory: String

    @Option(help: "How many customers.")
    var customers = 1_000_000

    @Option(help: "The seed: the same seed writes the same files.")
    var seed: UInt64 = 1

    @Flag(help: "Also write activities.csv, activity_rates.csv and payments.csv (costs to serve and credit).")
    var servingAndPaying = false

    func run() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var snapshot = SyntheticSnapshot(customers: customers, seed: seed)
        snapshot.servingAndPaying = servingAndPaying
        try snapshot.write(to: directory)
    }
}

Synth.main()
