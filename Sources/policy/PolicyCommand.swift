import ArgumentParser
import PolicyCore
#if canImport(Glibc)
  import Glibc
#endif

/// `policy`: the Rego and WAF command-line tool. Argument parsing and printing only; the engines
/// live in the libraries.
@main
struct PolicyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy",
    abstract: "Evaluate policies and inspect documents with Rampart's engines.",
    subcommands: [EvalCommand.self, TestCommand.self, BuiltinsCommand.self, JSONCommand.self, BenchCommand.self, WAFCommand.self])
}

/// Options every subcommand that reads input shares.
struct LimitOptions: ParsableArguments {
  @Option(help: "Deepest nesting accepted in documents.")
  var maxDepth: Int = Limits.default.maxNestingDepth

  @Option(help: "Largest input file accepted, in bytes.")
  var maxInputBytes: Int = Limits.default.maxInputBytes

  @Option(help: "Most evaluation steps one query may take.")
  var maxSteps: Int = Limits.default.maxEvaluationSteps

  var limits: Limits {
    var limits = Limits.default
    limits.maxNestingDepth = maxDepth
    limits.maxInputBytes = maxInputBytes
    limits.maxEvaluationSteps = maxSteps
    return limits
  }
}
