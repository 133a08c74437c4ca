/// Stage 2 of loading: merges the items read from rules files, as Falco's
/// `rule_loader::collector` does: definitions replace earlier ones in place, appends extend them,
/// `override` replaces selected keys. Problems are `LOAD_ERR_VALIDATE`.
///
/// The collector lives across files, so a later file can append to an earlier one.
struct RuleCollector: Sendable {
  let fields: any FieldTable
  /// Event sources rules may use; rules with another source are skipped with a warning.
  let sources: Set<String>
  let engineVersion: SemanticVersion

  private(set) var lists: [ListInfo] = []
  private(set) var macros: [MacroInfo] = []
  private(set) var rules: [RuleInfo] = []
  private var listPositions: [String: Int] = [:]
  private var macroPositions: [String: Int] = [:]
  private var rulePositions: [String: Int] = [:]
  private(set) var requiredEngineVersion: SemanticVersion?
  private(set) var requiredPluginVersions: [[PluginRequirement]] = []
  /// Counts definitions and appends, giving each its index or visibility.
  private var nextIndex = 0

  init(fields: any FieldTable, sources: Set<String>, engineVersion: SemanticVersion) {
    self.fields = fields
    self.sources = sources
    self.engineVersion = engineVersion
  }

  func list(named name: String) -> ListInfo? { listPositions[name].map { lists[$0] } }
  func macro(named name: String) -> MacroInfo? { macroPositions[name].map { macros[$0] } }

  private func fail(_ message: String, _ context: LoadContext) -> LoadFailure {
    LoadFailure(.validate, message, context)
  }

  private mutating func takeIndex() -> Int {
    defer { nextIndex += 1 }
    return nextIndex
  }

  // MARK: - Requirements

  mutating func defineEngineVersion(_ version: SemanticVersion, context: LoadContext) throws(LoadFailure) {
    if !engineVersion.isCompatible(with: version) {
      throw fail("Rules require engine version \(version), but engine version is \(engineVersion)", context)
    }
    if requiredEngineVersion.map({ $0 < version }) ?? true { requiredEngineVersion = version }
  }

  mutating func definePluginRequirement(_ alternatives: [PluginRequirement], context: LoadContext) throws(LoadFailure) {
    var names: Set<String> = []
    for requirement in alternatives {
      if SemanticVersion(requirement.version) == nil {
        throw fail("Invalid required version '\(requirement.version)' for plugin '\(requirement.name)'", context)
      }
      if !names.insert(requirement.name).inserted {
        throw fail("Defined multiple alternative version requirements for plugin '\(requirement.name)'", context)
      }
    }
    requiredPluginVersions.append(alternatives)
  }

  // MARK: - Lists and macros

  mutating func define(_ list: ListInfo) {
    var list = list
    let id = takeIndex()
    if let position = listPositions[list.name] {
      list.index = lists[position].index
      list.visibility = id
      lists[position] = list
    } else {
      list.index = id
      list.visibility = id
      listPositions[list.name] = lists.count
      lists.append(list)
    }
  }

  mutating func append(_ list: ListInfo) throws(LoadFailure) {
    guard let position = listPositions[list.name] else {
      throw fail("List uses 'append' or 'override.items: append' but no list by that name already exists", list.context)
    }
    lists[position].items += list.items
    lists[position].visibility = takeIndex()
  }

  mutating func define(_ macro: MacroInfo) {
    var macro = macro
    let id = takeIndex()
    if let position = macroPositions[macro.name] {
      macro.index = macros[position].index
      macro.visibility = id
      macros[position] = macro
    } else {
      macro.index = id
      macro.visibility = id
      macroPositions[macro.name] = macros.count
      macros.append(macro)
    }
  }

  mutating func append(_ macro: MacroInfo) throws(LoadFailure) {
    guard let position = macroPositions[macro.name] else {
      throw fail("Macro uses 'append' or 'override.condition: append' but no macro by that name already exists", macro.context)
    }
    macros[position].condition += " " + macro.condition
    macros[position].visibility = takeIndex()
  }

  // MARK: - Rules

  mutating func define(_ rule: RuleInfo, result: inout LoadResult) throws(LoadFailure) {
    var rule = rule
    if let position = rulePositions[rule.name], rules[position].source != rule.source {
      throw fail("Rule has been re-defined with a different source", rule.context)
    }
    if !sources.contains(rule.source) {
      rule.unknownSource = true
      result.add(warning: .unknownSource, "Unknown source \(rule.source), skipping", rule.context)
    }
    for index in rule.exceptions.indices {
      if !rule.exceptions[index].fields.isValid {
        throw fail("Rule exception item must have fields property with a list of fields", rule.exceptions[index].context)
      }
      try ExceptionConditions.validate(&rule.exceptions[index], fields: rule.unknownSource ? nil : fields)
    }
    let id = takeIndex()
    if let position = rulePositions[rule.name] {
      rule.index = rules[position].index
      rule.visibility = id
      rules[position] = rule
    } else {
      rule.index = id
      rule.visibility = id
      rulePositions[rule.name] = rules.count
      rules.append(rule)
    }
  }

  /// The earlier definition an update applies to, checking it exists and keeps its source.
  private func target(of update: RuleUpdate, missing: String) throws(LoadFailure) -> Int {
    guard let position = rulePositions[update.name] else { throw fail(missing, update.context) }
    if let source = update.source, source != rules[position].source {
      throw fail("Rule has been re-defined with a different source", update.context)
    }
    return position
  }

  mutating func append(_ update: RuleUpdate, result: inout LoadResult) throws(LoadFailure) {
    let position = try target(of: update, missing: "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists")
    if !update.hasAnyValue { throw fail("Appended rule must have exceptions or condition property", update.context) }
    let fieldTable: (any FieldTable)? = rules[position].unknownSource ? nil : fields
    var rule = rules[position]
    if let condition = update.condition, !condition.isEmpty { rule.condition += " " + condition }
    if let output = update.output, !output.isEmpty { rule.output += " " + output }
    if let description = update.description, !description.isEmpty { rule.description += " " + description }
    if let tags = update.tags { rule.tags.formUnion(tags) }
    for exception in update.exceptions ?? [] {
      if let existing = rule.exceptions.firstIndex(where: { $0.name == exception.name }) {
        if exception.fields.isValid {
          throw fail("Can not append exception fields to existing exception, only values", exception.context)
        }
        if exception.comps.isValid {
          throw fail("Can not append exception comps to existing exception, only values", exception.context)
        }
        rule.exceptions[existing].values += exception.values
      } else {
        if !exception.fields.isValid {
          throw fail("Rule exception must have fields property with a list of fields", exception.context)
        }
        if exception.values.isEmpty {
          throw fail("Rule exception must have values property with a list of values", exception.context)
        }
        var exception = exception
        try ExceptionConditions.validate(&exception, fields: fieldTable)
        rule.exceptions.append(exception)
      }
    }
    rule.visibility = takeIndex()
    rules[position] = rule
  }

  mutating func replace(_ update: RuleUpdate) throws(LoadFailure) {
    let position = try target(of: update, missing: "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists")
    if !update.hasAnyValue { throw fail("The rule must have at least one field that can be replaced", update.context) }
    var rule = rules[position]
    if let condition = update.condition {
      rule.condition = condition
      if let source = update.conditionSource { rule.conditionSource = source }
    }
    if let output = update.output { rule.output = output }
    if let description = update.description { rule.description = description }
    if let tags = update.tags { rule.tags = tags }
    if var exceptions = update.exceptions {
      for index in exceptions.indices {
        try ExceptionConditions.validate(&exceptions[index], fields: rule.unknownSource ? nil : fields)
      }
      rule.exceptions = exceptions
    }
    if let priority = update.priority { rule.priority = priority }
    if let enabled = update.enabled { rule.enabled = enabled }
    if let warn = update.warnEventTypes { rule.warnEventTypes = warn }
    if let skip = update.skipIfUnknownFilter { rule.skipIfUnknownFilter = skip }
    if let capture = update.capture { rule.capture = capture }
    if let duration = update.captureDuration { rule.captureDuration = duration }
    rule.visibility = takeIndex()
    rules[position] = rule
  }

  mutating func enable(_ rule: RuleInfo) throws(LoadFailure) {
    guard let position = rulePositions[rule.name] else {
      throw fail("Rule has 'enabled' key but no rule by that name already exists", rule.context)
    }
    rules[position].enabled = rule.enabled
  }
}
