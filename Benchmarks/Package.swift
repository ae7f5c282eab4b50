// swift-tools-version:6.0
import PackageDescription

/// Benchmarks live in their own package so the main build never compiles them; build them in
/// release mode only:
///
///     swift run -c release --package-path Benchmarks ParseBench [path/to/qtt]
///
/// `SluiceSQL` here is a symlink to `../Sources/SluiceSQL`: the main package exports no library
/// product for the front end, and the front end imports nothing, so compiling its sources
/// directly keeps this package independent of the rest of the engine's build.
let package = Package(
    name: "SluiceBenchmarks",
    platforms: [.macOS(.v15)],
    targets: [
        .target(name: "SluiceSQL", path: "SluiceSQL", exclude: ["README.md"]),
        .executableTarget(name: "ParseBench", dependencies: ["SluiceSQL"], path: "ParseBench"),
    ],
    swiftLanguageModes: [.v6]
)
