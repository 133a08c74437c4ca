import FalconCapture
import FalconEngine
import FalconEvents
import PolicyCore

/// The rules side of `falcon watch`: loads rules for the live sources, tells the audit source
/// which system calls they need, and renders alerts.
struct WatchMatcher {
  struct LoadFailure: Error { var text: String }

  let engine: RuleEngine
  let matcher: RuleMatcher
  let hostname: String
  /// The system calls the enabled rules can match (nil: some rule matches every event type).
  let auditSyscalls: Set<String>?

  init(paths: [String], sources: FieldSources) throws {
    let loaded: RulesLoading.Loaded
    do {
      loaded = try RulesLoading.load(paths: paths, options: .init(sources: sources))
    } catch {
      throw LoadFailure(text: "falcon: cannot read the rules: \(error)")
    }
    guard let engine = loaded.engine else {
      throw LoadFailure(text: loaded.result.errors.map(\.description).joined(separator: "\n"))
    }
    for warning in loaded.result.warnings + engine.warnings {
      StandardStreams.writeError(warning.description)
    }
    for (name, reason) in engine.disabled {
      StandardStreams.writeError("falcon: rule '\(name)' disabled: \(reason)")
    }
    self.engine = engine
    matcher = engine.makeMatcher()
    hostname = loaded.fields.hostname
    var types: Set<String> = []
    var everything = false
    for rule in engine.rules {
      switch rule.eventTypes {
      case .only(let names): types.formUnion(names)
      case .allExcept: everything = true
      }
    }
    auditSyscalls = everything ? nil : AuditSource.syscalls(forEventTypes: types)
  }

  func match(_ event: Event, json: Bool) -> [String] {
    var lines: [String] = []
    matcher.match(event) { match in
      lines.append(json ? match.jsonLine(hostname: hostname) : match.textLine())
    }
    return lines
  }
}
