// swift-tools-version: 6.1
import PackageDescription

// Chronicle runs on Linux only. The flat-file store relies on Linux semantics: Glibc's file
// calls, `fdatasync` as a durable flush (on Darwin, durability needs `F_FULLFSYNC`, which is not
// implemented), `flock` on a directory. No Apple platform is declared, because none is supported.
let package = Package(
    name: "Chronicle",
    products: [
        .library(name: "Chronicle", targets: ["Chronicle"]),
        .library(name: "ChronicleTesting", targets: ["ChronicleTesting"]),
        .library(name: "ChronicleCodegen", targets: ["ChronicleCodegen"]),
        .library(name: "ChroniclePostgres", targets: ["ChroniclePostgres"]),
        .executable(name: "chronicle", targets: ["ChronicleCLI"]),
        .executable(name: "bank", targets: ["BankCLI"]),
        .plugin(name: "ChroniclePlugin", targets: ["ChroniclePlugin"]),
        .plugin(name: "ChronicleLockPlugin", targets: ["ChronicleLockPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // The runtime: event store protocol, flat-file and in-memory stores.
        .target(
            name: "Chronicle",
            dependencies: [
                "CChronicleCRC",
                // Logs, metrics and traces through the Swift server ecosystem's interfaces: silent
                // (no-op) unless the application gives a logger or bootstraps a backend.
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // The PostgreSQL backend, a target of its own so that only who uses it builds postgres-nio.
        .target(
            name: "ChroniclePostgres",
            dependencies: [
                "Chronicle",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // CRC-32C with the CPU's instructions where it has them (the runtime falls back to tables).
        .target(name: "CChronicleCRC"),
        // What users and backends test with: the store conformance suite and test clocks.
        .target(name: "ChronicleTesting", dependencies: ["Chronicle"]),
        // The Mustache templates of the generated code, embedded into the tool.
        .target(
            name: "ChronicleTemplates",
            path: "Templates",
            resources: [
                .embedInCode("schema-file.mustache"),
                .embedInCode("module-file.mustache"),
                .embedInCode("type.mustache"),
                .embedInCode("aggregate.mustache"),
                .embedInCode("event.mustache"),
                .embedInCode("command.mustache"),
                .embedInCode("module-command.mustache"),
                .embedInCode("view.mustache"),
            ]
        ),
        // libyaml, the system's (Debian: libyaml-dev), whose event API the schema reader uses.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // The generator: YAML schemas -> checked model -> Swift, with diagnostics.
        .target(
            name: "ChronicleCodegen",
            dependencies: [
                "ChronicleTemplates",
                "CYAML",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // What the `chronicle` and `bank` tools share: unbuffered output, tables, progress bars,
        // dates, the parent watch, opening a store from a folder or a URL, and the one
        // subcommand both have (`audit`).
        .target(
            name: "ChronicleTerminal",
            dependencies: ["Chronicle", "ChroniclePostgres", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The subcommands of the `chronicle` tool.
        .target(
            name: "ChronicleCommands",
            dependencies: [
                "Chronicle",
                "ChronicleCodegen",
                "ChroniclePostgres",
                "ChronicleTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The `chronicle` command-line tool.
        .executableTarget(name: "ChronicleCLI", dependencies: ["ChronicleCommands", "ChronicleTerminal", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // The build plugin's tool: `generate` alone, on the generator alone, so that a package
        // using the plugin compiles neither the runtime nor the other subcommands for its host.
        .executableTarget(name: "ChroniclePluginTool", dependencies: ["ChronicleCodegen"]),
        // The build-tool plugin: generates Swift from the *.chronicle.yaml files of a target.
        .plugin(
            name: "ChroniclePlugin",
            capability: .buildTool(),
            dependencies: ["ChroniclePluginTool"]
        ),
        // `swift package chronicle-lock`: writes each schema's lock file (what existing logs
        // depend on), which the build plugin then checks the schema against.
        .plugin(
            name: "ChronicleLockPlugin",
            capability: .command(
                intent: .custom(verb: "chronicle-lock", description: "Write the lock file beside each Chronicle schema"),
                permissions: [.writeToPackageDirectory(reason: "The lock files are written beside the schemas, to be committed with them")]
            ),
            dependencies: ["ChroniclePluginTool"]
        ),
        // The example domain: the bank, defined in YAML, with its business rules in Swift.
        .target(
            name: "Bank",
            dependencies: ["Chronicle"],
            path: "Schemas/Bank",
            plugins: ["ChroniclePlugin"]
        ),
        // The bank application of the README: `swift run bank demo`.
        .executableTarget(
            name: "BankCLI",
            dependencies: ["Bank", "Chronicle", "ChroniclePostgres", "ChronicleTerminal", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The benchmark suite: `swift run -c release ChronicleBenchmarks`.
        // `ChronicleBenchmarks workload` is the synthetic writer process the tests run and kill.
        .executableTarget(
            name: "ChronicleBenchmarks",
            dependencies: [
                "Chronicle", "ChroniclePostgres", "ChronicleCodegen", "ChronicleTerminal", "Bank",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A second domain, a loyalty scheme, on which the revert laws are checked besides the bank.
        .target(name: "Loyalty", dependencies: ["Chronicle"], path: "Tests/Loyalty", plugins: ["ChroniclePlugin"]),
        // Helpers the test targets share: temporary folders, child processes, seeded randomness.
        .target(name: "TestSupport", dependencies: ["Chronicle", .product(name: "Logging", package: "swift-log")], path: "Tests/TestSupport"),
        .testTarget(
            name: "ChronicleTests",
            dependencies: ["Chronicle", "ChronicleTesting", "ChronicleCLI", "ChronicleBenchmarks", "TestSupport"]
        ),
        .testTarget(
            name: "ApplicationTests",
            dependencies: [
                "Bank", "Loyalty", "Chronicle", "ChronicleTesting", "ChronicleCLI", "BankCLI", "ChronicleBenchmarks", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "ChroniclePostgresTests",
            dependencies: [
                "ChroniclePostgres", "Chronicle", "ChronicleTesting", "ChronicleBenchmarks", "ChronicleCLI", "BankCLI", "TestSupport", "Bank", "Loyalty",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "ChronicleCodegenTests",
            dependencies: ["ChronicleCodegen", "Chronicle", "ChroniclePostgres", "ChronicleTesting", "Bank", "TestSupport"],
            exclude: ["References", "Corpus"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
