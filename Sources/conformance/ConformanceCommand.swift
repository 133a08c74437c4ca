import ArgumentParser
import ConformanceSuites
import Foundation
import PolicyCore

/// `conformance`: runs the reference suites in ../shared/conformance and checks each against its
/// ratchet. A developer tool, not part of the user CLIs. The last line of output is always
/// `N passed, M failed`.
@main
struct ConformanceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "conformance",
    abstract: "Run the reference conformance suites and check them against the ratchet.",
    discussion: """
      Suites: \(ConformanceSuites.all.map { "\($0.name) (\($0.summary))" }.joined(separator: "; ")).
      Exit status 1 when a listed case fails (a regression) or an unlisted case passes (run with
      --update-ratchet and commit the list), 0 otherwise.
      """)

  @Option(help: "The shared folder (default: $RAMPART_SHARED, else ../shared next to the package).")
  var shared: String?

  @Option(name: .customLong("suite"), help: "Run only these suites (repeatable).")
  var suites: [String] = []

  @Option(help: "Folder of ratchet files (default: Tests/ConformanceTests/Ratchet).")
  var ratchetDirectory: String?

  @Flag(help: "Rewrite the ratchet files from this run's passing cases.")
  var updateRatchet = false

  @Flag(name: .shortAndLong, help: "List every failing case with its reason.")
  var verbose = false

  func run() throws {
    let packageRoot = FileManager.default.currentDirectoryPath
    let root = shared.map { "\($0)/conformance" } ?? ConformanceLocations.conformanceRoot(packageRoot: packageRoot)
    let ratchets = ratchetDirectory ?? ConformanceLocations.ratchetDirectory(packageRoot: packageRoot)
    guard ConformanceLocations.exists(root) else {
      print("SKIPPED: reference data not found at \(root) (set --shared or RAMPART_SHARED)")
      print("0 passed, 0 failed")
      return
    }
    var selected: [any ConformanceSuite] = []
    for name in suites {
      guard let suite = ConformanceSuites.named(name) else {
        throw ValidationError("unknown suite '\(name)'; known: \(ConformanceSuites.all.map(\.name).joined(separator: ", "))")
      }
      selected.append(suite)
    }
    if selected.isEmpty { selected = ConformanceSuites.all }

    var totalPassed = 0
    var totalFailed = 0
    var ratchetBroken = false
    for suite in selected {
      let results = try suite.run(conformanceRoot: root)
      let passed = results.filter(\.passed).count
      let failed = results.count - passed
      totalPassed += passed
      totalFailed += failed
      print("suite \(suite.name): \(passed) passed, \(failed) failed")
      let failures = results.filter { !$0.passed }
      for failure in verbose ? failures : Array(failures.prefix(10)) {
        print("  FAIL \(failure.id): \(failure.detail)")
      }
      if !verbose && failures.count > 10 { print("  ... \(failures.count - 10) more (use -v)") }
      if updateRatchet {
        try Ratchet.write(directory: ratchets, suite: suite.name, results: results)
        print("  ratchet updated: \(passed) cases listed")
        continue
      }
      let ratchet = try Ratchet.load(directory: ratchets, suite: suite.name)
      let regressions = ratchet.regressions(in: results)
      let unlisted = ratchet.unlistedPasses(in: results)
      for id in regressions { print("  REGRESSION \(id)") }
      if !unlisted.isEmpty {
        print("  \(unlisted.count) passing case(s) not in the ratchet yet: run with --update-ratchet and commit")
      }
      if !regressions.isEmpty || !unlisted.isEmpty { ratchetBroken = true }
    }
    print("\(totalPassed) passed, \(totalFailed) failed")
    if ratchetBroken { throw ExitCode(1) }
  }
}
