// swift-tools-version:6.0
import PackageDescription

/// Sluice: a continuous SQL engine. Targets are layered; imports point only up this list
/// (see docs/ARCHITECTURE.md). No package dependencies: toolchain only.
/// The record path's modules (the log among them) drop the run-time exclusivity checks in release
/// builds: every access to an operator's or a partition's stored state otherwise calls into the
/// runtime (about a tenth of a grouped query's instructions). Debug builds, which the tests run,
/// keep them.
let recordPathSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        .library(name: "SluiceEngine", targets: ["SluiceEngine", "SluiceLog", "SluiceTypes"]),
        .library(name: "SluiceSQL", targets: ["SluiceSQL"]),
        .library(name: "SluiceLog", targets: ["SluiceLog"]),
    ],
    targets: [
        .target(name: "SluiceSQL", exclude: ["README.md"]),
        .target(name: "SluiceTypes", swiftSettings: recordPathSettings),
        // The C targets: the CPU's CRC-32C instruction, which Swift cannot call for one function
        // only, and Linux's `fallocate` and `sync_file_range`, which Swift's Glibc module leaves out.
        .target(name: "CSluiceCRC32C"),
        .target(name: "CSluiceFileSystem"),
        .target(
            name: "SluiceLog", dependencies: ["CSluiceCRC32C", "CSluiceFileSystem"], swiftSettings: recordPathSettings),
        .target(name: "SluiceFunctions", dependencies: ["SluiceTypes"], swiftSettings: recordPathSettings),
        .target(name: "SluicePlanner", dependencies: ["SluiceSQL", "SluiceTypes", "SluiceFunctions"]),
        .target(
            name: "SluiceRuntime", dependencies: ["SluiceTypes", "SluiceFunctions", "SluiceLog", "SluicePlanner"],
            swiftSettings: recordPathSettings),
        .target(
            name: "SluiceEngine",
            dependencies: ["SluiceSQL", "SluiceTypes", "SluiceFunctions", "SluiceLog", "SluicePlanner", "SluiceRuntime"]
        ),
        .target(name: "SluiceShell", dependencies: ["SluiceEngine", "SluiceTypes", "SluiceLog", "SluiceSQL"]),
        .target(name: "SluiceTestRunner", dependencies: ["SluiceEngine", "SluiceTypes", "SluiceLog", "SluiceSQL"]),
        .executableTarget(
            name: "sluice",
            dependencies: ["SluiceEngine", "SluiceShell", "SluiceTestRunner", "SluiceSQL", "SluiceLog", "SluiceTypes"]
        ),
        // Appends until killed; the log crash tests spawn it (Tests/SluiceLogTests/LogCrashTests.swift).
        .executableTarget(name: "log-crash-child", dependencies: ["SluiceLog"], path: "Sources/LogCrashChild"),
        .testTarget(name: "SluiceSQLTests", dependencies: ["SluiceSQL"]),
        .testTarget(name: "SluiceTypesTests", dependencies: ["SluiceTypes"]),
        .testTarget(name: "SluiceLogTests", dependencies: ["SluiceLog"]),
        .testTarget(name: "SluiceFunctionsTests", dependencies: ["SluiceFunctions", "SluiceTypes"]),
        .testTarget(
            name: "SluicePlannerTests", dependencies: ["SluicePlanner", "SluiceSQL", "SluiceTypes", "SluiceFunctions"]),
        .testTarget(
            name: "SluiceRuntimeTests",
            dependencies: ["SluiceRuntime", "SluicePlanner", "SluiceSQL", "SluiceTypes", "SluiceLog", "SluiceFunctions"]),
        .testTarget(name: "SluiceEngineTests", dependencies: ["SluiceEngine", "SluiceLog", "SluiceTypes"]),
        .testTarget(name: "SluiceTestRunnerTests", dependencies: ["SluiceTestRunner", "SluiceEngine"]),
        .testTarget(name: "SluiceShellTests", dependencies: ["SluiceShell"]),
        .testTarget(name: "EndToEndTests", dependencies: []),
    ],
    swiftLanguageModes: [.v6]
)
