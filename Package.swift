// swift-tools-version: 6.2
import PackageDescription

/// Span-returning readers need the experimental Lifetimes feature; DESIGN.md keeps it to the wire target.
let lifetimes: [SwiftSetting] = [.enableExperimentalFeature("Lifetimes")]

/// The packet path runs per packet: in release builds its run-time exclusivity checks (a TLS
/// lookup and an access-set insert on every class-property access) cost about a tenth of the time.
/// Debug builds, and so `swift test`, keep them on, which is where a violation would show.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Converge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "converge", targets: ["converge"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "ConvergeWire", swiftSettings: lifetimes),
        .target(name: "ConvergeModel"),
        .target(name: "ConvergeCapture", dependencies: ["ConvergeWire", "ConvergeModel", "CZlib"], swiftSettings: hotPath),
        .target(
            name: "ConvergeProtocols",
            dependencies: [
                "ConvergeWire", "ConvergeModel", "ConvergeCapture", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: hotPath),
        .target(
            name: "ConvergeEngine", dependencies: ["ConvergeWire", "ConvergeModel", "ConvergeCapture", "ConvergeProtocols"],
            swiftSettings: hotPath),
        // The inventory and detection consume the packet path's events as they come: hot path too.
        .target(name: "ConvergeInventory", dependencies: ["ConvergeModel"], swiftSettings: hotPath),
        .target(
            name: "ConvergeDetection",
            dependencies: ["ConvergeModel", "ConvergeInventory", .product(name: "Yams", package: "Yams")],
            swiftSettings: hotPath),
        .target(
            name: "ConvergePolicy",
            dependencies: ["ConvergeModel", "ConvergeInventory", "ConvergeDetection", .product(name: "Yams", package: "Yams")]),
        .target(
            name: "ConvergeStore",
            dependencies: [
                "ConvergeInventory", "ConvergeEngine", "ConvergeModel", "ConvergeDetection",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "ConvergeConsole",
            dependencies: [
                "ConvergeStore", "ConvergeInventory", "ConvergeModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]),
        .executableTarget(
            name: "converge",
            dependencies: [
                "ConvergeEngine", "ConvergeCapture", "ConvergeModel", "ConvergeInventory", "ConvergeStore",
                "ConvergeDetection",
                "ConvergePolicy",
                "ConvergeConsole",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "ConvergeTestSupport", path: "Tests/ConvergeTestSupport"),
        .testTarget(name: "ConvergeWireTests", dependencies: ["ConvergeWire"]),
        .testTarget(
            name: "ConvergeCaptureTests", dependencies: ["ConvergeCapture", "ConvergeWire", "ConvergeModel", "ConvergeTestSupport"]),
        .testTarget(
            name: "ConvergeProtocolsTests",
            dependencies: ["ConvergeProtocols", "ConvergeWire", "ConvergeModel", "ConvergeCapture", "ConvergeTestSupport"]),
        .testTarget(
            name: "ConvergeEngineTests",
            dependencies: ["ConvergeEngine", "ConvergeProtocols", "ConvergeCapture", "ConvergeModel", "ConvergeTestSupport"]),
        .testTarget(
            name: "ConvergeInventoryTests",
            dependencies: ["ConvergeInventory", "ConvergeEngine", "ConvergeModel", "ConvergeTestSupport"]),
        .testTarget(
            name: "ConvergeStoreTests",
            dependencies: ["ConvergeStore", "ConvergeInventory", "ConvergeEngine", "ConvergeModel", "ConvergeTestSupport"]),
        .testTarget(
            name: "ConvergeDetectionTests",
            dependencies: ["ConvergeDetection", "ConvergeInventory", "ConvergeEngine", "ConvergeModel", "ConvergeTestSupport"]),
        .testTarget(
            name: "ConvergePolicyTests",
            dependencies: ["ConvergePolicy", "ConvergeInventory", "ConvergeEngine", "ConvergeModel", "ConvergeTestSupport"]),
        .testTarget(
            name: "ConvergeConsoleTests",
            dependencies: [
                "ConvergeConsole", "ConvergeStore", "ConvergeInventory", "ConvergeModel",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
        .testTarget(name: "ConvergeCLITests", dependencies: ["converge", "ConvergeEngine", "ConvergeModel"]),
    ]
)
