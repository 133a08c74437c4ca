// swift-tools-version: 6.1
//
// Rampart: three security engines (Rego, Falcon, WAF) over one shared core, and two thin CLIs.
// Targets are grouped by role; inside each engine a later stage may import an earlier one, never the
// reverse. See docs/architecture.md for what each module owns and may import.

import PackageDescription

let swiftSettings: [SwiftSetting] = [
  .swiftLanguageMode(.v6),
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "Rampart",
  products: [
    // MARK: Libraries users link
    // One product per engine plus the shared core, so a service that only needs the WAF does not
    // link libseccomp, and one that only evaluates Rego links neither libcap nor the netlink code.
    .library(name: "PolicyCore", targets: ["PolicyCore"]),
    .library(name: "RegoEngine", targets: ["RegoEngine"]),
    .library(name: "FalconEvents", targets: ["FalconEvents"]),
    .library(name: "FalconEngine", targets: ["FalconEngine"]),
    .library(name: "FalconCapture", targets: ["FalconCapture"]),
    .library(name: "WAFEngine", targets: ["WAFEngine"]),

    // MARK: Command-line tools
    .executable(name: "policy", targets: ["policy"]),
    .executable(name: "falcon", targets: ["falcon"]),
    .executable(name: "conformance", targets: ["conformance"]),
    .executable(name: "fuzz-json", targets: ["fuzz-json"]),
    .executable(name: "fuzz-rego", targets: ["fuzz-rego"]),
    .executable(name: "fuzz-seclang", targets: ["fuzz-seclang"]),
    .executable(name: "fuzz-waf-body", targets: ["fuzz-waf-body"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    // MARK: C libraries from Debian -dev packages (module maps and shim headers only, no C code)
    .systemLibrary(
      name: "CPCRE2", pkgConfig: "libpcre2-8",
      providers: [.apt(["libpcre2-dev"])]),
    .systemLibrary(
      name: "CSeccomp", pkgConfig: "libseccomp",
      providers: [.apt(["libseccomp-dev"])]),
    .systemLibrary(
      name: "CCap", pkgConfig: "libcap",
      providers: [.apt(["libcap-dev"])]),
    .systemLibrary(name: "CLinuxShim"),
    .systemLibrary(
      name: "CLibXML2", pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"])]),
    .systemLibrary(
      name: "CHiredis", pkgConfig: "hiredis",
      providers: [.apt(["libhiredis-dev"])]),

    // MARK: Shared core
    .target(
      name: "PolicyCore",
      dependencies: ["CPCRE2"],
      swiftSettings: swiftSettings),

    // MARK: Rego
    // Builtins depend on values only, never on the interpreter, so they form their own module.
    .target(
      name: "RegoBuiltins",
      dependencies: [
        "PolicyCore",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
        .product(name: "Yams", package: "Yams"),
      ],
      swiftSettings: swiftSettings),
    .target(
      name: "RegoEngine",
      dependencies: ["PolicyCore", "RegoBuiltins"],
      // The interpreter's mutually recursive continuation-passing functions send SIL's closure
      // specializer into an unbounded chain of specializations (24 GB and counting in a release
      // build), so that one pass is disabled for this module.
      swiftSettings: swiftSettings + [.unsafeFlags(["-Xllvm", "-sil-disable-pass=closure-specialize", "-enforce-exclusivity=unchecked"])]),

    // MARK: Falcon
    // The event model, the process table and the audit record decoder: pure Swift, shared by the
    // rule engine (which matches recorded and live events alike) and the live capture side.
    .target(
      name: "FalconEvents",
      dependencies: ["PolicyCore"],
      swiftSettings: swiftSettings),
    // Falco's rule language: condition syntax, rule loading, field table, compiled matching.
    .target(
      name: "FalconEngine",
      dependencies: ["PolicyCore", "FalconEvents", .product(name: "Yams", package: "Yams")],
      swiftSettings: swiftSettings),

    // MARK: Live Linux event sources and process hardening (Falcon's capture side)
    .target(
      name: "FalconCapture",
      dependencies: ["PolicyCore", "FalconEvents", "CSeccomp", "CCap", "CLinuxShim"],
      swiftSettings: swiftSettings),

    // MARK: WAF
    // SecLang (ModSecurity's rule language) running the OWASP CRS, and the web ACL around it: IP
    // reputation lists, rate-based rules (in memory or shared on Redis), ordered rules and actions.
    .target(
      name: "WAFEngine",
      dependencies: ["PolicyCore", "CPCRE2", "CLibXML2", "CHiredis", .product(name: "Yams", package: "Yams")],
      swiftSettings: swiftSettings),

    // MARK: Conformance suites (read ../shared/conformance; used by `conformance` and the ratchet test)
    .target(
      name: "ConformanceSuites",
      dependencies: ["PolicyCore", "RegoEngine", "FalconEngine", "FalconEvents", "WAFEngine"],
      swiftSettings: swiftSettings),

    // MARK: Benchmarks (library code the `bench` subcommands drive; not a product)
    .target(
      name: "Benchmarking",
      dependencies: ["PolicyCore"],
      swiftSettings: swiftSettings),

    // MARK: Executables (argument parsing and printing only; no engine logic)
    .executableTarget(
      name: "policy",
      dependencies: [
        "PolicyCore", "RegoEngine", "RegoBuiltins", "WAFEngine", "Benchmarking",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings),
    .executableTarget(
      name: "falcon",
      dependencies: [
        "PolicyCore", "FalconEvents", "FalconEngine", "FalconCapture",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings),

    // MARK: Developer tools
    .executableTarget(
      name: "conformance",
      dependencies: [
        "PolicyCore", "ConformanceSuites", "WAFEngine",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings),
    // libFuzzer target for the JSON parser: see docs/fuzzing.md. Built normally it is a small
    // replay tool (runs the fuzz entry point over files), so the plain build checks it compiles.
    .executableTarget(
      name: "fuzz-json",
      dependencies: ["PolicyCore"],
      swiftSettings: swiftSettings + [.unsafeFlags(["-parse-as-library"])]),

    // libFuzzer target for the Rego parser and compiler (docs/fuzzing.md).
    .executableTarget(
      name: "fuzz-rego",
      dependencies: ["PolicyCore", "RegoEngine"],
      swiftSettings: swiftSettings + [.unsafeFlags(["-parse-as-library"])]),

    // libFuzzer target for the SecLang loader: WAFRuleSet.load(text:) on any bytes (docs/fuzzing.md).
    .executableTarget(
      name: "fuzz-seclang",
      dependencies: ["PolicyCore", "WAFEngine"],
      swiftSettings: swiftSettings + [.unsafeFlags(["-parse-as-library"])]),

    // libFuzzer target for the WAF request body processors and a whole transaction (docs/fuzzing.md).
    .executableTarget(
      name: "fuzz-waf-body",
      dependencies: ["PolicyCore", "WAFEngine"],
      swiftSettings: swiftSettings + [.unsafeFlags(["-parse-as-library"])]),

    // MARK: Tests
    .testTarget(
      name: "PolicyCoreTests",
      dependencies: ["PolicyCore"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "RegoBuiltinsTests",
      dependencies: ["RegoBuiltins", "PolicyCore"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "RegoEngineTests",
      dependencies: ["RegoEngine", "RegoBuiltins", "PolicyCore"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "FalconEventsTests",
      dependencies: ["FalconEvents", "PolicyCore"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "FalconEngineTests",
      dependencies: ["FalconEngine", "FalconEvents", "PolicyCore"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "FalconCaptureTests",
      dependencies: ["FalconCapture", "FalconEvents", "PolicyCore"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "WAFEngineTests",
      dependencies: ["WAFEngine", "PolicyCore", "CLibXML2", "CHiredis"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "ConformanceTests",
      dependencies: ["ConformanceSuites", "PolicyCore"],
      exclude: ["Ratchet"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "CLITests",
      dependencies: ["PolicyCore"],
      swiftSettings: swiftSettings),
  ]
)
