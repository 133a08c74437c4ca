import ArgumentParser
import FalconEngine
import PolicyCore

/// `falcon list rules|fields`: what the rules files define and which fields Falcon knows.
struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the rules of rules files, or Falcon's fields.")

  @Argument(help: "What to list: rules or fields.")
  var what: String

  @Option(name: .customLong("rules"), help: "A rules file or directory (repeatable; for `list rules`).")
  var rules: [String] = []

  @Flag(help: "For `list fields`: print the Markdown reference (docs/falcon-fields.md).")
  var markdown = false

  func run() throws {
    switch what {
    case "fields":
      let table = FalconFieldTable()
      if markdown {
        StandardStreams.writeOutput(table.markdownReference())
        return
      }
      var text = ""
      for field in table.definitions {
        text += "\(field.name)\t\(field.type)\t\(field.sources.names)\t\(field.description)\n"
      }
      StandardStreams.writeOutput(text)
    case "rules":
      guard !rules.isEmpty else {
        StandardStreams.writeError("invalid_argument: give rules files with --rules")
        throw ExitCode(2)
      }
      let loaded = try RulesLoading.load(paths: rules)
      for message in loaded.result.errors { StandardStreams.writeError(message.description) }
      guard let ruleset = loaded.result.ruleset, let engine = loaded.engine else { throw ExitCode(1) }
      var reasons: [String: RuleEngine.DisabledReason] = [:]
      for (name, reason) in engine.disabled { reasons[name] = reason }
      var text = ""
      for rule in ruleset.rules {
        let state: String
        switch reasons[rule.name] {
        case nil: state = "enabled"
        case .disabled?: state = "disabled"
        case .priority?: state = "below priority threshold"
        case .source?: state = "other source"
        case .unavailableFields(let names)?: state = "disabled: needs " + names.joined(separator: ", ")
        case .compileError(let message)?: state = "disabled: " + message
        }
        text += "\(rule.name)\t\(rule.priority.name)\t\(rule.source)\t\(state)\n"
      }
      StandardStreams.writeOutput(text)
    default:
      StandardStreams.writeError("invalid_argument: list rules or list fields")
      throw ExitCode(2)
    }
  }
}
