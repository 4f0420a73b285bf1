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
        // The engine: store, language, evaluation, rendering. Knows nothing of terminals.
        .target(name: "CRMQ"),
        // The command line and the terminal on top of the engine.
        .executableTarget(
            name: "crmq",
            dependencies: [
                "CRMQ",
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
