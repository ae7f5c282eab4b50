// swift-tools-version:6.0
import PackageDescription

/// Benchmarks live in their own package so the main build never compiles them; build them in
/// release mode only:
///
///     swift run -c release --package-path Benchmarks ParseBench [path/to/qtt]
///     swift run -c release --package-path Benchmarks sluice-bench BIDS.json [--queries q0,q1,q2,q5,agg]
///     swift run -c release --package-path Benchmarks log-bench [--dir DIR] [--mib N]
///
/// They depend on the main package by path, through its `SluiceSQL`, `SluiceEngine` and `SluiceLog`
/// products.
let package = Package(
    name: "SluiceBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Sluice", path: "..")],
    targets: [
        .executableTarget(
            name: "ParseBench", dependencies: [.product(name: "SluiceSQL", package: "Sluice")], path: "ParseBench"),
        .executableTarget(
            name: "sluice-bench", dependencies: [.product(name: "SluiceEngine", package: "Sluice")], path: "SluiceBench"),
        .executableTarget(
            name: "log-bench", dependencies: [.product(name: "SluiceLog", package: "Sluice")], path: "LogBench"),
        // Nexmark generator + queries/*.sql (read at run time from the source tree, so not resources).
        .executableTarget(
            name: "nexmark-bench",
            dependencies: [.product(name: "SluiceEngine", package: "Sluice"), .product(name: "SluiceLog", package: "Sluice")],
            path: "NexmarkBench", exclude: ["queries"]),
        // Spawns the release `sluice` binary and times its start-up; links nothing of Sluice.
        .executableTarget(name: "startup-bench", path: "StartupBench"),
    ],
    swiftLanguageModes: [.v6]
)
