// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "crmq",
    products: [
        .executable(name: "crmq", targets: ["crmq"]),
        .library(name: "CRMQ", targets: ["CRMQ"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Ctrl-C as a flag that long work polls (one C definition: a signal handler may only set a flag).
        .target(name: "CInterrupt"),
        // A cache line asked for ahead of its use (Swift has no prefetch): the customer index's look-ups.
        .target(name: "CPrefetch"),
        // The engine: store, language, evaluation, rendering. Knows nothing of terminals.
        .target(name: "CRMQ", dependencies: ["CInterrupt", "CPrefetch", "CSQLite", "CLibPQ"]),
        // SQLite and PostgreSQL's client library: the databases `load sqlite` and `load postgres` read.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // libedit, the line editor of the interactive shell (history, search, completion).
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // The command line and the terminal on top of the engine.
        .executableTarget(
            name: "crmq",
            dependencies: [
                "CRMQ",
                "CEditLine",
                "CInterrupt",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Seeded synthetic snapshots for the benchmark and the model checks.
        .executableTarget(
            name: "crmq-synth",
            dependencies: [
                "CRMQ",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CRMQTests", dependencies: ["CRMQ"]),
    ],
    swiftLanguageModes: [.v6]
)
