// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Miter",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "MiterAIG", targets: ["AIG"]),
        .library(name: "MiterAIGFormats", targets: ["AIGFormats"]),
        .library(name: "MiterSimulation", targets: ["Simulation"]),
        .library(name: "MiterEquivalence", targets: ["Equivalence"]),
        .library(name: "MiterDecoder", targets: ["Decoder"]),
        .executable(name: "miter", targets: ["miter"]),
        .executable(name: "MiterBench", targets: ["MiterBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "AIG"),
        .target(name: "AIGFormats", dependencies: ["AIG"]),
        .target(name: "Simulation", dependencies: ["AIG"]),
        .systemLibrary(name: "CZ3", pkgConfig: "z3", providers: [.apt(["libz3-dev"])]),
        // Debian's libcadical-dev ships a static library and no pkg-config file.
        .systemLibrary(name: "CCaDiCaL", providers: [.apt(["libcadical-dev"])]),
        // CaDiCaL's C++ API with DRAT proof tracing, behind a plain C header.
        .target(name: "CaDiCaLProof", linkerSettings: [.linkedLibrary("cadical"), .linkedLibrary("stdc++")]),
        .target(name: "Equivalence", dependencies: ["AIG", "Simulation", "CZ3", "CCaDiCaL", "CaDiCaLProof"]),
        .target(name: "Decoder", dependencies: ["AIG", "Simulation"]),
        .executableTarget(name: "miter", dependencies: [
            "AIG", "AIGFormats", "Simulation", "Equivalence", "Decoder",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "MiterBench", dependencies: ["AIG", "AIGFormats", "Simulation", "Equivalence", "Decoder"]),
        // Reader fuzzing: the checks every fuzzed input must pass, and the
        // libFuzzer entry point (Scripts/fuzz.sh) / corpus replayer.
        .target(name: "ReaderFuzzing", dependencies: ["AIG", "AIGFormats"]),
        .executableTarget(name: "MiterFuzz", dependencies: ["ReaderFuzzing"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "AIGTests", dependencies: ["AIG"]),
        .testTarget(name: "AIGFormatsTests", dependencies: ["AIG", "AIGFormats", "ReaderFuzzing", "TestSupport"]),
        .testTarget(name: "SimulationTests", dependencies: ["AIG", "AIGFormats", "Simulation", "TestSupport"]),
        .testTarget(name: "EquivalenceTests", dependencies: ["AIG", "AIGFormats", "Simulation", "Equivalence", "CZ3", "CCaDiCaL", "TestSupport"]),
        .testTarget(name: "DecoderTests", dependencies: ["AIG", "AIGFormats", "Simulation", "Decoder", "Equivalence", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["AIG", "AIGFormats", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
