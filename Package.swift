// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Chronicle",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Chronicle", targets: ["Chronicle"]),
        .library(name: "ChronicleTesting", targets: ["ChronicleTesting"]),
        .executable(name: "chronicle", targets: ["ChronicleCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The runtime: event store protocol, flat-file and in-memory stores.
        .target(name: "Chronicle"),
        // What users and backends test with: the store conformance suite and test clocks.
        .target(name: "ChronicleTesting", dependencies: ["Chronicle"]),
        // The `chronicle` command-line tool.
        .executableTarget(
            name: "ChronicleCLI",
            dependencies: [
                "Chronicle",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "ChronicleTests",
            dependencies: ["Chronicle", "ChronicleTesting", "ChronicleCLI"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
