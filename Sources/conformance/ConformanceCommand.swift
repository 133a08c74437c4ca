import ArgumentParser
import ConformanceSuites
import WAFEngine
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
        conformance                          every suite, checked against its ratchet
        conformance opa ../shared/conformance/rego/opa-v1
        conformance gatekeeper ../shared/conformance/rego/gatekeeper --bench 1
        conformance crs CORPUS.jsonl --config FILE [--bench PASSES]
      Exit status 1 when a listed case fails (a regression) or an unlisted case passes (run with
      --update-ratchet and commit the list), 0 otherwise. With --bench N (gatekeeper), prints
      case<TAB>median_us per case and the median over cases.
      """)

  @Argument(help: "Suite to run (default: all).")
  var suite: String?

  @Argument(help: "The suite's data folder (default: its place under the shared folder).")
  var directory: String?

  @Option(help: "The shared folder (default: $RAMPART_SHARED, else ../shared next to the package).")
  var shared: String?

  @Option(help: "Folder of ratchet files (default: Tests/ConformanceTests/Ratchet).")
  var ratchetDirectory: String?

  @Flag(help: "Rewrite the ratchet files from this run's passing cases.")
  var updateRatchet = false

  @Option(help: "Time instead of checking (use a release build): for crs with --config, the number of whole passes to time; for gatekeeper, any positive number times every case.")
  var bench: Int?

  @Option(help: "With --bench: time only the cases whose path contains this text.")
  var filter: String?

  @Option(help: "With --bench: minimum milliseconds of timed evaluations per case.")
  var benchMilliseconds: Double = 100

  @Flag(name: .shortAndLong, help: "List every failing case with its reason.")
  var verbose = false

  @Option(help: "crs: the SecLang configuration to load (with a CORPUS.jsonl in place of DIR).")
  var config: String?


  @Option(help: "crs with --config: write per-stage logged rule ids as TSV to this file.")
  var idsOut: String?

  func run() throws {
    let packageRoot = FileManager.default.currentDirectoryPath
    let root = shared.map { "\($0)/conformance" } ?? ConformanceLocations.conformanceRoot(packageRoot: packageRoot)
    let ratchets = ratchetDirectory ?? ConformanceLocations.ratchetDirectory(packageRoot: packageRoot)
    var selected: [any ConformanceSuite] = ConformanceSuites.all
    if let suite {
      guard let found = ConformanceSuites.named(suite) else {
        throw ValidationError("unknown suite '\(suite)'; known: \(ConformanceSuites.all.map(\.name).joined(separator: ", "))")
      }
      selected = [found]
    }
    if let config, selected.count == 1, selected.first?.name == "crs" {
      try runCRSCorpus(corpus: directory ?? "\(root)/waf/crs-regression.jsonl", config: config)
      return
    }
    if bench != nil {
      guard let only = selected.first, selected.count == 1, only.name == "gatekeeper" else {
        throw ValidationError("--bench times the gatekeeper suite (conformance gatekeeper [DIR] --bench 1) or a crs corpus (conformance crs CORPUS --config FILE --bench PASSES)")
      }
      let folder = directory ?? "\(root)/\(only.subpath)"
      let rows = try GatekeeperBenchmark.run(directory: folder, filter: filter, minimumMilliseconds: benchMilliseconds)
      print("case\tmedian_us")
      for row in rows { print("\(row.id)\t\(String(format: "%.2f", row.medianMicroseconds))") }
      let medians = rows.map(\.medianMicroseconds).sorted()
      let colds = rows.map(\.coldMicroseconds).sorted()
      if !medians.isEmpty {
        print("# median over \(rows.count) cases: \(String(format: "%.2f", medians[medians.count / 2])) us (cold start median \(String(format: "%.1f", colds[colds.count / 2])) us)")
      }
      return
    }
    var totalPassed = 0
    var totalFailed = 0
    var ratchetBroken = false
    for each in selected {
      let folder = directory ?? "\(root)/\(each.subpath)"
      guard ConformanceLocations.exists(folder.isEmpty ? root : folder) else {
        print("SKIPPED suite \(each.name): reference data not found at \(folder) (set --shared or RAMPART_SHARED)")
        continue
      }
      let results = try each.run(directory: folder.hasSuffix("/") ? String(folder.dropLast()) : folder)
      let passed = results.filter(\.passed).count
      let failed = results.count - passed
      totalPassed += passed
      totalFailed += failed
      let percent = results.isEmpty ? 0 : Double(passed) * 100 / Double(results.count)
      print("suite \(each.name): \(passed) passed, \(failed) failed (\(String(format: "%.1f", percent))%)")
      let failures = results.filter { !$0.passed }
      for failure in verbose ? failures : Array(failures.prefix(10)) {
        print("  FAIL \(failure.id): \(failure.detail)")
      }
      if !verbose && failures.count > 10 { print("  ... \(failures.count - 10) more (use -v)") }
      if updateRatchet {
        try Ratchet.write(directory: ratchets, suite: each.name, results: results)
        print("  ratchet updated: \(passed) cases listed")
        continue
      }
      let ratchet = try Ratchet.load(directory: ratchets, suite: each.name)
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

  /// `conformance crs CORPUS.jsonl --config FILE [--passes N]`: judges every stage of a corpus
  /// (or times whole passes), ending with `N passed, M failed`.
  func runCRSCorpus(corpus: String, config: String) throws {
    let suite = CRSSuite()
    if let passes = bench {
      let ruleSet = try WAFRuleSet.load(path: config)
      let stages = try CRSSuite.readStages(path: corpus)
      let judged = CRSSuite.benchStages(stages).count
      let measured = CRSSuite.benchTimes(stages: stages, ruleSet: ruleSet, passes: passes)
      let times = measured.map(\.wall).sorted()
      let cpu = measured.map(\.cpu).sorted()
      let median = times[times.count / 2]
      print("requests: \(judged) per pass, passes: \(times.count)")
      print(String(format: "requests/s: %.1f", Double(judged) / median))
      print(String(format: "us/request: %.1f", median * 1e6 / Double(max(judged, 1))))
      print(String(format: "fastest pass: %.1f requests/s", Double(judged) / (times.first ?? median)))
      print(String(format: "cpu: %.1f us/request (median pass, thread CPU time)", cpu[cpu.count / 2] * 1e6 / Double(max(judged, 1))))
      return
    }
    let stages = try CRSSuite.readStages(path: corpus)
    if !stages.contains(where: \.judged) {
      let ruleSet = try WAFRuleSet.load(path: config)
      let counted = CRSSuite.countFlagged(stages: stages, ruleSet: ruleSet)
      print("requests: \(counted.total), flagged by CRS (inbound anomaly score at the threshold, rule 949110): \(counted.flagged)")
      let top = counted.perRule.filter { $0.key != 949110 && $0.key != 980170 }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
      for (id, count) in top.prefix(verbose ? 1000 : 15) { print("  \(id)\t\(count)") }
      return
    }
    let outcome = try suite.runCorpus(corpus: corpus, config: config)
    let passed = outcome.results.filter(\.passed).count
    let failed = outcome.results.count - passed
    let percent = outcome.results.isEmpty ? 0 : Double(passed) * 100 / Double(outcome.results.count)
    print(String(format: "rule set loaded in %.3f s", outcome.loadSeconds))
    print("stages: \(outcome.results.count) judged, \(outcome.skipped) skipped (status-only checks, modsec_pass null)")
    let failures = outcome.results.filter { !$0.passed }
    for failure in verbose ? failures : Array(failures.prefix(20)) {
      print("  FAIL \(failure.id): \(failure.detail)")
    }
    if !verbose && failures.count > 20 { print("  ... \(failures.count - 20) more (use -v)") }
    print(String(format: "judged stages passing: %.2f%%", percent))
    print("\(passed) passed, \(failed) failed")
  }
}
