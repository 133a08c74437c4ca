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
    /// The condition compiled for any event type.
    let test: FilterCompiler.Compiled
  }

  /// A rule in one event type's bucket, with its condition specialised for that type.
  struct Entry: Sendable {
    let rule: Int
    let test: ContextTest
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

  private let byType: [String: Bucket]
  private let otherBucket: Bucket
  /// The buckets by number (the last for types no rule names), and the number of each named
  /// type, compared as bytes: a matcher finds a bucket without hashing a `String` or
  /// retaining the bucket.
  private let bucketRefs: [Unmanaged<Bucket>]
  private let typeNumbers: NameTable
  let slotCount: Int
  let memoCount: Int

  /// Compiles the enabled rules of `ruleset`.
  public init(ruleset: CompiledRuleset, fields: FalconFieldTable, options: Options = Options()) {
    let compiler = FilterCompiler(fields: fields)
    compiler.shareRepeatedConditions(ruleset.rules.filter(\.enabled).map(\.condition))
    var namesType: [Bool] = []
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
            message: "rule '\(rule.name)' is disabled: its condition uses fields the event sources (\(options.sources.names)) cannot supply (\(missing.joined(separator: ", ")))",
            span: rule.span))
        continue
      }
      do {
        let test = try compiler.compileTest(rule.condition, knownType: nil)
        compiled.append(
          CompiledRule(rule: rule, output: OutputFormat(rule.output, fields: fields), eventTypes: EventTypeSet.of(rule.condition), test: test))
        namesType.append(rule.condition.allNodes.contains { if case .field("evt.type", nil) = $0.kind { return true } else { return false } })
      } catch {
        disabled.append((rule.name, .compileError(error.message)))
        warnings.append(LoadMessage(code: "LOAD_COMPILE_CONDITION", message: "rule '\(rule.name)' is disabled: \(error.message)", span: rule.span))
      }
    }
    // The index: every type some rule names gets its bucket, with each rule's condition
    // specialised for the type (its `evt.type` tests folded); other types share one bucket.
    func entry(_ index: Int, _ compiled: FilterCompiler.Compiled) -> Entry? {
      switch compiled {
      case .constant(false): return nil
      case .constant(true): return Entry(rule: index, test: { _, _ in true })
      case .test(let test): return Entry(rule: index, test: test)
      }
    }
    var named = Set<String>()
    for rule in compiled {
      switch rule.eventTypes {
      case .only(let types), .allExcept(let types): named.formUnion(types)
      }
    }
    var byType: [String: Bucket] = [:]
    for type in named {
      var members: [(index: Int, test: FilterCompiler.Compiled, knownType: String?)] = []
      for index in compiled.indices where compiled[index].eventTypes.contains(type) {
        let knownType = namesType[index] ? type : nil
        let specialised = knownType == nil ? compiled[index].test : ((try? compiler.compileTest(compiled[index].rule.condition, knownType: type)) ?? compiled[index].test)
        members.append((index, specialised, knownType))
      }
      byType[type] = Bucket(members: members, rules: compiled, compiler: compiler, entry: entry)
    }
    let others = compiled.indices.compactMap { index -> (index: Int, test: FilterCompiler.Compiled, knownType: String?)? in
      guard case .allExcept = compiled[index].eventTypes else { return nil }
      return (index, compiled[index].test, nil)
    }
    let otherBucket = Bucket(members: others, rules: compiled, compiler: compiler, entry: entry)
    self.otherBucket = otherBucket
    self.byType = byType
    let typeNames = byType.keys.sorted()
    self.typeNumbers = NameTable(typeNames.enumerated().map { ($0.element, $0.offset) })
    self.bucketRefs = typeNames.compactMap { byType[$0].map(Unmanaged.passUnretained) } + [Unmanaged.passUnretained(otherBucket)]
    self.rules = compiled
    self.disabled = disabled
    self.warnings = warnings
    self.fields = fields
    self.slotCount = compiler.slots.count
    self.memoCount = compiler.slots.memoCount
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
  public func candidates(for type: String) -> [Int] { bucket(for: type).entries.map(\.rule) }

  /// The bucket of rules to try on events of type `name`.
  @inline(__always)
  func bucket(for name: String) -> Bucket { byType[name] ?? otherBucket }

  /// The bucket for events of type `name`, unretained (``byType`` and ``otherBucket`` keep
  /// every bucket alive as long as the engine).
  func bucketReference(for name: String) -> Unmanaged<Bucket> {
    let number = typeNumbers.value(of: name) ?? bucketRefs.count - 1
    return bucketRefs.withUnsafeBufferPointer { $0[number] }
  }

  /// Calls `each` for every rule `event` satisfies, in rule order.
  ///
  /// Each call sets up a fresh field cache; to match a stream, a ``RuleMatcher`` reuses one.
  public func match(_ event: Event, _ each: (RuleMatch) -> Void) {
    run(EvaluationContext(slotCount: slotCount, memoCount: memoCount), event, each)
  }

  /// A matcher that reuses its field cache across events (one per thread).
  public func makeMatcher() -> RuleMatcher { RuleMatcher(engine: self) }

  func run(_ context: EvaluationContext, _ event: Event, _ each: (RuleMatch) -> Void) {
    run(bucket(for: event.type.name), context, event, each)
  }

  func run(_ bucket: Bucket, _ context: EvaluationContext, _ event: Event, _ each: (RuleMatch) -> Void) {
    for entry in bucket.specialisation(for: event).entries where entry.test(context, event) {
      each(RuleMatch(compiled: rules[entry.rule], event: event))
    }
  }

  /// Per rule: how many of `events` it was tried on and the time its condition took, most
  /// expensive first (a diagnostic for `falcon bench --profile`). Fields are cached per event
  /// as in matching, so the rule tried first pays for extracting shared fields.
  public func profile(_ events: [Event]) -> [(rule: String, tried: Int, nanoseconds: Int64)] {
    var tried = [Int](repeating: 0, count: rules.count)
    var spent = [Int64](repeating: 0, count: rules.count)
    let context = EvaluationContext(slotCount: slotCount, memoCount: memoCount)
    let clock = ContinuousClock()
    for event in events {
      context.reset()
      for entry in bucket(for: event.type.name).specialisation(for: event).entries {
        let start = clock.now
        _ = entry.test(context, event)
        let elapsed = clock.now - start
        tried[entry.rule] += 1
        spent[entry.rule] += elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
      }
    }
    return rules.indices.map { (rules[$0].rule.name, tried[$0], spent[$0]) }.sorted { $0.nanoseconds > $1.nanoseconds }
  }

  /// Counts the rules of one bucket that match an event.
  struct Counter: Sendable {
    let count: @Sendable (EvaluationContext, Event) -> Int
    init(_ count: @escaping @Sendable (EvaluationContext, Event) -> Int) { self.count = count }
  }

  /// A bucket's rules specialised for a class of process names: the entries to try, and a
  /// closure counting how many match (the benchmark's path).
  struct Specialisation: Sendable {
    let entries: [Entry]
    let counter: Counter

    init(_ entries: [Entry]) {
      self.entries = entries
      self.counter = Counter(FilterCompiler.countOf(entries.map { TestBox(run: $0.test) }[...]))
    }
  }

  /// The rules of one event type, dispatched on `proc.name` when they test it.
  ///
  /// Names are grouped into classes: two names are in one class when every `proc.name` check
  /// of the bucket (`=`, `!=`, `in` against constants) lists both or neither. Each class gets
  /// the rules compiled with those checks folded to constants, so a rule that needs
  /// `proc.name in (shred, mkfs, mke2fs)` is not tried at all on an event of `bash`, and the
  /// checks that remain test no names. An event with no name uses the unspecialised rules
  /// (every comparison with a missing field is false, which folding would not preserve).
  final class Bucket: Sendable {
    /// The rules as compiled without a known name.
    let unspecialised: Specialisation
    /// Name to class number.
    let names: NameTable
    /// The specialisations by class; the last is for names no check lists.
    let classes: [Specialisation]

    /// Counts the rules that match an event: picks the class and runs its counter, as one
    /// closure whose captures are borrowed while it runs (reading a class's counter out of
    /// ``classes`` per event would retain it).
    let counter: @Sendable (EvaluationContext, Event) -> Int

    var entries: [Entry] { unspecialised.entries }

    init(
      members: [(index: Int, test: FilterCompiler.Compiled, knownType: String?)], rules: [CompiledRule], compiler: FilterCompiler,
      entry: (Int, FilterCompiler.Compiled) -> Entry?
    ) {
      unspecialised = Specialisation(members.compactMap { entry($0.index, $0.test) })
      // Which checks list each name: names with the same checks form a class.
      var checksOfName: [String: [Int]] = [:]
      var order: [String] = []
      var ownerOfCheck: [Int] = []
      var testsName = [Bool](repeating: false, count: members.count)
      for (position, member) in members.enumerated() {
        for node in rules[member.index].rule.condition.allNodes {
          guard let constants = FilterCompiler.nameCheckConstants(node) else { continue }
          testsName[position] = true
          for name in Set(constants) where !name.isEmpty {
            if checksOfName[name] == nil { order.append(name) }
            checksOfName[name, default: []].append(ownerOfCheck.count)
          }
          ownerOfCheck.append(position)
        }
      }
      guard !order.isEmpty else {
        names = NameTable([])
        classes = []
        counter = unspecialised.counter.count
        return
      }
      var classOfChecks: [[Int]: Int] = [:]
      var representatives: [String] = []
      var listedChecks: [[Int]] = []
      var table: [(name: String, value: Int)] = []
      for name in order {
        let checks = checksOfName[name] ?? []
        let number: Int
        if let known = classOfChecks[checks] {
          number = known
        } else {
          number = representatives.count
          classOfChecks[checks] = number
          representatives.append(name)
          listedChecks.append(checks)
        }
        table.append((name, number))
      }
      // A name no check lists, for the default class.
      var unlisted = "\u{0}"
      while checksOfName[unlisted] != nil { unlisted += "\u{0}" }
      names = NameTable(table)
      // Every rule folded for a name no check lists; a class differs from that only in the
      // rules whose checks list its names, so only those are compiled again per class.
      func fold(_ position: Int, _ name: String) -> FilterCompiler.Compiled {
        let member = members[position]
        guard testsName[position] else { return member.test }
        return (try? compiler.compileTest(rules[member.index].rule.condition, knownType: member.knownType, knownName: name)) ?? member.test
      }
      let unlistedTests = members.indices.map { fold($0, unlisted) }
      var classes: [Specialisation] = []
      for (number, name) in representatives.enumerated() {
        var tests = unlistedTests
        for position in Set(listedChecks[number].map { ownerOfCheck[$0] }) { tests[position] = fold(position, name) }
        classes.append(Specialisation(members.indices.compactMap { entry(members[$0].index, tests[$0]) }))
      }
      classes.append(Specialisation(members.indices.compactMap { entry(members[$0].index, unlistedTests[$0]) }))
      self.classes = classes
      let nameTable = names
      let plain = unspecialised.counter.count
      let byClass = Bucket.dispatch(classes.map(\.counter)[...])
      let unlistedClass = classes.count - 1
      counter = { context, event in
        let number = event.thread.withName { name -> Int in
          if name.isEmpty { return -1 }
          return nameTable.value(of: name) ?? unlistedClass
        }
        return number < 0 ? plain(context, event) : byClass(context, event, number)
      }
    }

    /// A closure running counter `number` of `counters`, as a tree of closures (see
    /// ``FilterCompiler/allOf(_:)``: captures are borrowed, array elements would be copied).
    static func dispatch(_ counters: ArraySlice<Counter>) -> @Sendable (EvaluationContext, Event, Int) -> Int {
      let base = counters.startIndex
      switch counters.count {
      case 0: return { _, _, _ in 0 }
      case 1:
        let a = counters[base].count
        return { context, event, _ in a(context, event) }
      case 2:
        let (a, b) = (counters[base].count, counters[base + 1].count)
        return { context, event, number in number == base ? a(context, event) : b(context, event) }
      default:
        let middle = base + counters.count / 2
        let low = dispatch(counters[base..<middle])
        let high = dispatch(counters[middle...])
        return { context, event, number in number < middle ? low(context, event, number) : high(context, event, number) }
      }
    }

    /// The specialisation for `event`'s process name.
    @inline(__always)
    func specialisation(for event: Event) -> Specialisation {
      guard let last = classes.last else { return unspecialised }
      let name = event.thread.name
      if name.isEmpty { return unspecialised }
      if let number = names.value(of: name) { return classes[number] }
      return last
    }

  }
}

/// Matches a stream of events against a ``RuleEngine`` on one thread, reusing one field cache
/// (no allocation per event). Not for sharing between threads: make one per thread.
public final class RuleMatcher {
  /// The engine matched against.
  public let engine: RuleEngine
  private let context: EvaluationContext
  /// The bucket of the last event's type: consecutive events often share it, and comparing
  /// two short names is cheaper than hashing one.
  private var lastType = ""
  // The engine keeps every bucket alive as long as this matcher (which holds the engine).
  private var lastBucket: Unmanaged<RuleEngine.Bucket>

  init(engine: RuleEngine) {
    self.engine = engine
    self.context = EvaluationContext(slotCount: engine.slotCount, memoCount: engine.memoCount)
    self.lastBucket = engine.bucketReference(for: lastType)
  }

  /// Calls `each` for every rule `event` satisfies, in rule order.
  public func match(_ event: Event, _ each: (RuleMatch) -> Void) {
    context.reset()
    engine.run(context, event, each)
  }

  /// How many rules `event` satisfies (no match values are built).
  public func countMatches(_ event: Event) -> Int {
    context.reset()
    let name = event.type.name
    if name != lastType {
      lastType = name
      lastBucket = engine.bucketReference(for: name)
    }
    return lastBucket._withUnsafeGuaranteedRef { $0.counter(context, event) }
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
