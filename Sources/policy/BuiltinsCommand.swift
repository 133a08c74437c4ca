import ArgumentParser
import PolicyCore
import RegoBuiltins

/// `policy builtins`: the Rego builtin reference (docs/rego-builtins.md is its output).
struct BuiltinsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "builtins", abstract: "Print the Rego builtin reference in Markdown.")

  func run() throws {
    StandardStreams.writeOutput(BuiltinRegistry.standard.markdownReference())
  }
}
