// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Standby",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "standby", targets: ["standby"]),
        .library(name: "StandbyCore", targets: ["StandbyCore"]),
        .library(name: "StandbyLua", targets: ["StandbyLua"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        // `swift package generate-documentation --target StandbyCore` (the catalog in StandbyCore.docc).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        // Prometheus text exposition of a scheduled run's metrics (Sources/StandbyCore/Metrics).
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // System libraries, found by pkg-config.
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),

        // The only C we write: the Lua trampoline, message handler, allocator and hook.
        .target(name: "CLuaShim", dependencies: ["CLua"]),

        // Models, engines and connectors. No Lua in here.
        .target(name: "StandbyCore", dependencies: ["Yams", "COpenSSL", "CCurl", "CArchive",
                                                  .product(name: "Prometheus", package: "swift-prometheus")], exclude: ["RecoveryPoint/FORMAT.md"],
                plugins: ["VersionStampPlugin"]),

        // Writes the git commit into StandbyCore before each build (`standby --version`).
        .plugin(name: "VersionStampPlugin", capability: .buildTool(), path: "Sources/VersionStampPlugin"),

        // The Lua host: runtime, sandbox, and the `standby` Lua module.
        .target(name: "StandbyLua", dependencies: ["StandbyCore", "CLua", "CLuaShim"]),

        .executableTarget(name: "standby", dependencies: [
            "StandbyCore", "StandbyLua",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .executableTarget(name: "standby-bench", dependencies: ["StandbyCore"], path: "Sources/standby-bench"),

        // libFuzzer targets (scripts/fuzz.sh builds them with -sanitize=fuzzer); a plain build
        // runs corpus files once.
        .executableTarget(name: "standby-fuzz", dependencies: ["StandbyCore"], path: "Sources/standby-fuzz"),

        // Test support shared by the test targets: the local servers (moto, wire-format test servers).
        .target(name: "StandbyTestSupport", dependencies: ["StandbyCore"], path: "Tests/StandbyTestSupport"),

        .testTarget(name: "StandbyCoreTests", dependencies: ["StandbyCore", "StandbyTestSupport"]),
        .testTarget(name: "StandbyLuaTests", dependencies: ["StandbyLua", "StandbyCore", "StandbyTestSupport"]),
        .testTarget(name: "StandbyCLITests", dependencies: ["standby", "StandbyCore", "StandbyTestSupport"],
                    exclude: ["Battery"]),
    ]
)
