public import PolicyCore

/// A rule's priority, Falco's syslog-like levels from most to least severe.
public enum RulePriority: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
  /// `EMERGENCY` ... `DEBUG`, most severe first (so `<` means "more severe").
  case emergency, alert, critical, error, warning, notice, informational, debug

  /// Falco's spelling: `Emergency`, ..., `Informational`, `Debug`.
  public var name: String {
    switch self {
    case .emergency: return "Emergency"
    case .alert: return "Alert"
    case .critical: return "Critical"
    case .error: return "Error"
    case .warning: return "Warning"
    case .notice: return "Notice"
    case .informational: return "Informational"
    case .debug: return "Debug"
    }
  }

  /// Reads a priority as Falco does: case-insensitive names, and `info` for `Informational`.
  public init?(parsing text: String) {
    let lowered = text.lowercased()
    if lowered == "info" {
      self = .informational
      return
    }
    guard let match = RulePriority.allCases.first(where: { $0.name.lowercased() == lowered }) else { return nil }
    self = match
  }

  public static func < (lhs: RulePriority, rhs: RulePriority) -> Bool { lhs.rawValue < rhs.rawValue }

  public var description: String { name }
}

/// A compiled Falco rule: its condition with macros and lists resolved and exceptions added.
public struct FalcoRule: Sendable {
  /// The rule's name.
  public var name: String
  /// `desc`, with appends.
  public var description: String
  /// The event source (`syscall` unless given).
  public var source: String
  /// `priority`.
  public var priority: RulePriority
  /// Tags, sorted (Falco keeps them in a set).
  public var tags: [String]
  /// Whether the rule is enabled at the end of loading.
  public var enabled: Bool
  /// The output format, with appends, `%container.info` removed.
  public var output: String
  /// The condition as written in the rules files, with appends (Falco's `info.condition`).
  public var conditionText: String
  /// The compiled condition tree.
  public var condition: ConditionExpression
  /// The fields used by the rule's exceptions, sorted.
  public var exceptionFields: [String]
  /// `warn_evttypes`: whether a too-broad condition is reported.
  public var warnEventTypes: Bool
  /// `skip-if-unknown-filter`: an unknown field skips the rule instead of failing the load.
  public var skipIfUnknownFilter: Bool
  /// `capture`: whether an alert should start a capture.
  public var capture: Bool
  /// `capture_duration`, in milliseconds (0 when unset).
  public var captureDuration: UInt64
  /// Where the rule was defined.
  public var span: SourceSpan?

  /// The canonical string of the compiled condition (Falco's `condition_compiled`):
  /// `(evt.type = open and proc.name in (ash, bash))`.
  public var compiledCondition: String { condition.canonicalString }
}

/// A macro after its own macros were resolved.
public struct FalcoMacro: Sendable {
  /// The macro's name.
  public var name: String
  /// Its condition with list names and earlier macros resolved.
  public var condition: ConditionExpression
  /// True when a rule or macro refers to it.
  public var used: Bool
}

/// A list after one level of references to earlier lists was expanded.
public struct FalcoList: Sendable {
  /// The list's name.
  public var name: String
  /// Its items, with references to earlier lists expanded once.
  public var items: [String]
  /// True when a condition or another list refers to it.
  public var used: Bool
}

/// One acceptable plugin for a requirement (`name` at `version` or newer, same major).
public struct PluginRequirement: Sendable, Hashable {
  /// The plugin's name.
  public var name: String
  /// The lowest acceptable version, `x.y.z`.
  public var version: String
}

/// Everything compiled from the rules files loaded so far.
public struct CompiledRuleset: Sendable {
  /// Rules in definition order (rules whose source is unknown are left out, as Falco skips them).
  public var rules: [FalcoRule]
  /// Macros in definition order.
  public var macros: [FalcoMacro]
  /// Lists in definition order.
  public var lists: [FalcoList]
  /// The highest `required_engine_version` seen, if any.
  public var requiredEngineVersion: SemanticVersion?
  /// Each entry is a requirement: one of its alternatives must be loaded.
  public var requiredPluginVersions: [[PluginRequirement]]

  /// The rule with this name.
  public func rule(named name: String) -> FalcoRule? { rules.first { $0.name == name } }

  /// The requirements that `loaded` plugins (name to version) do not satisfy, as Falco's
  /// `check_plugin_requirements` reports them. Empty when all are met.
  public func unmetPluginRequirements(loaded: [String: String]) -> [String] {
    var problems: [String] = []
    for alternatives in requiredPluginVersions {
      let satisfied = alternatives.contains { requirement in
        guard let have = loaded[requirement.name].flatMap(SemanticVersion.init), let want = SemanticVersion(requirement.version) else { return false }
        return have.isCompatible(with: want)
      }
      if !satisfied, let first = alternatives.first {
        let names = alternatives.map { "\($0.name) (\($0.version))" }.joined(separator: ", ")
        problems.append(alternatives.count > 1 ? "none of the plugin alternatives is loaded in a compatible version: \(names)" : "plugin '\(first.name)' version '\(first.version)' is required")
      }
    }
    return problems
  }
}
