public import FalconEvents
internal import PolicyCore

/// Falco's rules compiled for matching: each enabled rule's condition as a predicate, bucketed
/// by the event types it can match (Falco's event-type index), so an event is tried only
/// against the rules that can fire on its type.
///
///     let fields = FalconFieldTable(users: .read())
///     let result = RuleLoader.load(files, options: RuleLoaderOptions(fields: fields))
///     guard let ruleset = result.ruleset else { ... }
///     let engine = RuleEngine(ruleset: ruleset, fields: fields)
///     for warning in engine.warnings { print(warning) }      // rules disabled, and why
///     var table = ProcessTable()
///     table.apply(&event)
///     engine.match(event) { match in print(match.textLine()) }
///
/// The engine is immutable and `Sendable`: several threads may call ``match(_:_:)`` at once.
public struct RuleEngine: Sendable {
  /// What to load and from which sources events come.
  public struct Options: Sendable {
    /// Rules less severe than this are not loaded (Falco's `priority` option).
    public var minimumPriority: RulePriority
    /// Rules disabled by name (Falco's `-D`/`rules.disable`), in addition to `enabled: false`.
    public var disabledRules: Set<String>
    /// Rules disabled when they have any of these tags (Falco's `-T`).
    public var disabledTags: Set<String>
    /// When non-empty, only rules with one of these tags are loaded (Falco's `-t`).
    public var enabledTags: Set<String>
    /// The sources events will come from: a rule whose condition needs a field none of them
    /// supplies is disabled.
    public var sources: FieldSources

    /// Creates options: every priority, nothing disabled, every source.
    public init(
      minimumPriority: RulePriority = .debug, disabledRules: Set<String> = [], disabledTags: Set<String> = [],
      enabledTags: Set<String> = [], sources: FieldSources = .all
    ) {
      self.minimumPriority = minimumPriority
      self.disabledRules = disabledRules
      self.disabledTags = disabledTags
      self.enabledTags = enabledTags
      self.sources = sources
    }
  }

  /// One rule as the engine runs it.
  public struct CompiledRule: Sendable {
    /// The rule as loaded.
    public let rule: FalcoRule
    /// Its compiled output format.
    public let output: OutputFormat
    /// The event types it can match.
    public let eventTypes: EventTypeSet
    let predicate: EventPredicate
  }

  /// Why a rule is not run.
  public enum DisabledReason: Sendable, Hashable {
    /// `enabled: false`, or disabled by name or tag.
    case disabled
    /// Less severe than ``Options/minimumPriority``.
    case priority
    /// Its source is not `syscall`.
    case source
    /// Its condition uses fields no configured source supplies (listed).
    case unavailableFields([String])
    /// The condition could not be compiled (message).
    case compileError(String)
  }

  /// The rules that run, in definition order.
  public let rules: [CompiledRule]
  /// Rules that do not run, by name, with the reason.
  public let disabled: [(name: String, reason: DisabledReason)]
  /// Warnings about rules disabled for unavailable fields or compile failures, with the rule's
  /// position, for printing next to the loader's warnings.
  public let warnings: [LoadMessage]
  /// The field table the rules were compiled against.
  public let fields: FalconFieldTable

  private let byType: [String: [Int]]
  private let otherTypes: [Int]

  /// Compiles the enabled rules of `ruleset`.
  public init(ruleset: CompiledRuleset, fields: FalconFieldTable, options: Options = Options()) {
    let compiler = FilterCompiler(fields: fields)
    var compiled: [CompiledRule] = []
    var disabled: [(name: String, reason: DisabledReason)] = []
    var warnings: [LoadMessage] = []
    for rule in ruleset.rules {
      if !rule.enabled || options.disabledRules.contains(rule.name) || !options.disabledTags.isDisjoint(with: rule.tags)
        || (!options.enabledTags.isEmpty && options.enabledTags.isDisjoint(with: rule.tags))
      {
        disabled.append((rule.name, .disabled))
        continue
      }
      if rule.priority > options.minimumPriority {
        disabled.append((rule.name, .priority))
        continue
      }
      if rule.source != "syscall" {
        disabled.append((rule.name, .source))
        continue
      }
      let missing = RuleEngine.unavailableFields(rule.condition, fields: fields, sources: options.sources)
      if !missing.isEmpty {
        disabled.append((rule.name, .unavailableFields(missing)))
        warnings.append(
          LoadMessage(
            code: "LOAD_UNAVAILABLE_FIELDS",
            message: "rule '\(rule.name)' is disabled: its condition uses fields no event source can supply (\(missing.joined(separator: ", ")))",
            span: rule.span))
        continue
      }
      do {
        let predicate = try compiler.compile(rule.condition)
        compiled.append(
          CompiledRule(rule: rule, output: OutputFormat(rule.output, fields: fields), eventTypes: EventTypeSet.of(rule.condition), predicate: predicate))
      } catch {
        disabled.append((rule.name, .compileError(error.message)))
        warnings.append(LoadMessage(code: "LOAD_COMPILE_CONDITION", message: "rule '\(rule.name)' is disabled: \(error.message)", span: rule.span))
      }
    }
    // The index: every type some rule names, plus the list for types no rule names.
    var named = Set<String>()
    for rule in compiled {
      switch rule.eventTypes {
      case .only(let types), .allExcept(let types): named.formUnion(types)
      }
    }
    var byType: [String: [Int]] = [:]
    for type in named {
      byType[type] = compiled.indices.filter { compiled[$0].eventTypes.contains(type) }
    }
    self.otherTypes = compiled.indices.filter {
      if case .allExcept = compiled[$0].eventTypes { return true }
      return false
    }
    self.byType = byType
    self.rules = compiled
    self.disabled = disabled
    self.warnings = warnings
    self.fields = fields
  }

  /// The fields of `condition` that no source in `sources` supplies, sorted.
  public static func unavailableFields(_ condition: ConditionExpression, fields: FalconFieldTable, sources: FieldSources) -> [String] {
    var missing = Set<String>()
    for node in condition.allNodes {
      guard case .field(let name, let argument) = node.kind, let (definition, _) = fields.resolve(name: name, argument: argument) else { continue }
      if definition.sources.isDisjoint(with: sources) { missing.insert(definition.name) }
    }
    return missing.sorted()
  }

  /// The indices of ``rules`` that can match events of `type`.
  public func candidates(for type: String) -> [Int] { byType[type] ?? otherTypes }

  /// Calls `each` for every rule `event` satisfies, in rule order.
  public func match(_ event: Event, _ each: (RuleMatch) -> Void) {
    for index in byType[event.type.name] ?? otherTypes {
      let rule = rules[index]
      if rule.predicate(event) { each(RuleMatch(compiled: rule, event: event)) }
    }
  }

  /// How many rules `event` satisfies (for benchmarks: no match values are built).
  public func countMatches(_ event: Event) -> Int {
    var count = 0
    for index in byType[event.type.name] ?? otherTypes where rules[index].predicate(event) { count += 1 }
    return count
  }
}

/// A rule that fired on an event.
public struct RuleMatch: Sendable {
  /// The rule and its compiled output.
  public let compiled: RuleEngine.CompiledRule
  /// The event.
  public let event: Event

  /// The rule's name.
  public var rule: String { compiled.rule.name }
  /// The rule's priority.
  public var priority: RulePriority { compiled.rule.priority }
  /// The rule's tags, sorted.
  public var tags: [String] { compiled.rule.tags }
  /// The rule's source (`syscall`).
  public var source: String { compiled.rule.source }
  /// The output text with fields substituted.
  public var output: String { compiled.output.render(event) }
}
