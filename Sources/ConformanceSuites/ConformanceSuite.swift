/// The outcome of one conformance case.
public struct CaseResult: Sendable, Hashable {
  /// A stable identifier, such as `rego/opa-v1/aggregates/test-count.json`; ratchet files list these.
  public var id: String
  /// True when the engine's answer matched the reference.
  public var passed: Bool
  /// Why it failed (empty when it passed).
  public var detail: String

  public init(id: String, passed: Bool, detail: String = "") {
    self.id = id
    self.passed = passed
    self.detail = detail
  }
}

/// A reference suite read from `../shared/conformance`.
///
/// Suites never copy reference data into the repository: they read it where it lies, and a
/// missing data set is reported by the caller as a visible skip.
public protocol ConformanceSuite: Sendable {
  /// The suite's name; its ratchet file is `<name>.txt`.
  var name: String { get }
  /// What the suite checks, in one line.
  var summary: String { get }
  /// Where the suite's data lies under `shared/conformance` (`rego/opa-v1`).
  var subpath: String { get }
  /// Other names the suite answers to on the command line (`opa` for `opa-v1`).
  var aliases: [String] { get }
  /// Runs every case in the suite's data folder.
  func run(directory: String) throws -> [CaseResult]
}

extension ConformanceSuite {
  public var aliases: [String] { [] }

  /// Runs every case under `conformanceRoot` (the `shared/conformance` folder).
  public func run(conformanceRoot: String) throws -> [CaseResult] {
    try run(directory: subpath.isEmpty ? conformanceRoot : "\(conformanceRoot)/\(subpath)")
  }
}

/// Every suite the `conformance` tool and the ratchet test know. Later engines add theirs here.
public enum ConformanceSuites {
  public static let all: [any ConformanceSuite] = [
    JSONDocumentsSuite(), OPASuite(), GatekeeperSuite(), FalcoParserSuite(), FalcoLoaderSuite(),
    FalcoCompilerSuite(), CRSSuite(),
  ]

  /// Finds a suite by name.
  public static func named(_ name: String) -> (any ConformanceSuite)? {
    all.first { $0.name == name || $0.aliases.contains(name) }
  }
}
