import ArgumentParser
import PolicyCore
import RegoEngine

/// `policy test`: run `test_` rules like `opa test`.
struct TestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "test",
    abstract: "Run the test_ rules of policies (like opa test) and report pass/fail/error counts.")

  @Argument(help: "Policy and data files or directories.")
  var paths: [String]

  @Flag(name: .shortAndLong, help: "Print every test, not only failures.")
  var verbose = false

  @Option(name: .customLong("run"), help: "Run only tests whose path matches this regular expression.")
  var runFilter: String?

  @Flag(help: "Parse modules as Rego v0.")
  var v0Compatible = false

  func run() throws {
    var passed = 0
    var failed = 0
    var errored = 0
    do throws(Diagnostic) {
      let loaded = try RegoLoader.load(paths: paths, version: v0Compatible ? .v0 : .v1)
      let policy = try RegoPolicy(modules: loaded.modules, data: loaded.data)
      let filter = try runFilter.map { (pattern) throws(Diagnostic) in try PCRE2Regex(pattern) }
      for path in policy.rulePaths(namePrefix: "test_") {
        if let filter, try !filter.matches(path) { continue }
        let outcome: String
        do throws(Diagnostic) {
          let results = try policy.prepare(path).evaluate()
          if let value = results.first?.expressions.first, value != .bool(false) {
            passed += 1
            outcome = "PASS"
          } else {
            failed += 1
            outcome = "FAIL"
          }
        } catch {
          errored += 1
          outcome = "ERROR: \(error.rendered())"
        }
        if verbose || !outcome.hasPrefix("PASS") { StandardStreams.writeOutput("\(path): \(outcome)\n") }
      }
    } catch {
      throw policy.fail(error)
    }
    let total = passed + failed + errored
    StandardStreams.writeOutput(String(repeating: "-", count: 80) + "\n")
    if failed == 0 && errored == 0 {
      StandardStreams.writeOutput("PASS: \(passed)/\(total)\n")
    } else {
      if passed > 0 { StandardStreams.writeOutput("PASS: \(passed)/\(total)\n") }
      if failed > 0 { StandardStreams.writeOutput("FAIL: \(failed)/\(total)\n") }
      if errored > 0 { StandardStreams.writeOutput("ERROR: \(errored)/\(total)\n") }
      throw ExitCode(2)
    }
  }
}
