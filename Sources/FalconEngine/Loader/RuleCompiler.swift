internal import PolicyCore

/// Stage 3 of loading: compiles what the collector holds, as Falco's `rule_loader::compiler`
/// does.
///
/// 1. Lists: items naming an earlier list are replaced by its items (one level).
/// 2. Macros: each condition has its list names replaced as text, is parsed, then has its macro
///    references resolved against the macros defined before it.
/// 3. Rules: the condition gets its exceptions appended (`(C) and not ...`), list names replaced,
///    is parsed, macros resolved against every macro, then checked (fields, event types,
///    warnings). The output is checked for unknown and deprecated fields.
/// 4. Macros and lists nothing refers to are reported.
///
/// The first error stops compilation, as in Falco.
struct RuleCompiler {
  let fields: any FieldTable
  /// Parser depth limit for conditions (Falco sets 1000 for rules).
  let conditionMaxDepth: Int

  func compile(_ collector: RuleCollector, result: inout LoadResult) -> CompiledRuleset? {
    do {
      return try compileAll(collector, result: &result)
    } catch {
      result.add(error)
      return nil
    }
  }

  private func compileAll(_ collector: RuleCollector, result: inout LoadResult) throws(LoadFailure) -> CompiledRuleset {
    // 1. Lists.
    var lists: [FalcoList] = []
    var listUsed: [String: Bool] = [:]
    for list in collector.lists {
      var items: [String] = []
      for item in list.items {
        if let reference = collector.list(named: item), reference.index < list.visibility {
          listUsed[reference.name] = true
          items += reference.items
        } else {
          items.append(item)
        }
      }
      lists.append(FalcoList(name: list.name, items: items, used: false))
    }

    // 2. Macros: parse all, then resolve each against the macros it can see.
    var entries: [String: MacroResolver.Entry] = [:]
    for macro in collector.macros {
      let tree = try parse(macro.condition, source: macro.conditionSource, lists: lists, listUsed: &listUsed)
      entries[macro.name] = MacroResolver.Entry(tree: tree, resolved: false)
    }
    var resolver = MacroResolver(entries: entries)
    for macro in collector.macros {
      guard let entry = resolver.entries[macro.name] else { continue }
      let resolved: ConditionExpression
      do {
        resolved = try resolver.resolve(entry.tree) { name in (collector.macro(named: name)?.index ?? Int.max) < macro.visibility }
      } catch {
        throw LoadFailure(.validate, error.message, macro.context.noting("in condition at \(error.position)"))
      }
      try checkDepth(resolved, macro.conditionSource.context)
      resolver.entries[macro.name] = MacroResolver.Entry(tree: resolved, resolved: true)
    }

    // 3. Rules.
    var rules: [FalcoRule] = []
    for rule in collector.rules where !rule.unknownSource {
      if let compiled = try compile(rule, lists: lists, listUsed: &listUsed, resolver: &resolver, result: &result) {
        rules.append(compiled)
      }
    }

    // 4. Unused macros and lists.
    for macro in collector.macros where !resolver.used.contains(macro.name) {
      result.add(warning: .unusedMacro, "Macro not referred to by any other rule/macro", macro.context)
    }
    for list in collector.lists where listUsed[list.name] != true {
      result.add(warning: .unusedList, "List not referred to by any other rule/macro", list.context)
    }
    let macros = collector.macros.compactMap { macro in
      resolver.entries[macro.name].map { FalcoMacro(name: macro.name, condition: $0.tree, used: resolver.used.contains(macro.name)) }
    }
    for index in lists.indices { lists[index].used = listUsed[lists[index].name] == true }
    return CompiledRuleset(
      rules: rules, macros: macros, lists: lists, requiredEngineVersion: collector.requiredEngineVersion,
      requiredPluginVersions: collector.requiredPluginVersions)
  }

  /// Substitutes list names into `condition` and parses it.
  private func parse(_ condition: String, source: ConditionSource, lists: [FalcoList], listUsed: inout [String: Bool]) throws(LoadFailure) -> ConditionExpression {
    var text = Array(condition.utf8)
    for list in lists where ListExpansion.substitute(list.name, items: list.items, in: &text) {
      listUsed[list.name] = true
    }
    let expanded = String(decoding: text, as: UTF8.self)
    var parser = ConditionParser(expanded, maxDepth: conditionMaxDepth)
    do {
      return try parser.parse()
    } catch {
      throw LoadFailure(.compileCondition, error.message, source.context(at: error.position, parsedVerbatim: expanded == condition, text: expanded))
    }
  }

  private func checkDepth(_ tree: ConditionExpression, _ context: LoadContext) throws(LoadFailure) {
    if ConditionChecks.depth(of: tree) > ConditionChecks.maxResolvedDepth {
      throw LoadFailure(.compileCondition, "condition nests deeper than \(ConditionChecks.maxResolvedDepth) levels after macro expansion", context)
    }
  }

  private static let containerInfo = "%container.info"

  private func compile(
    _ rule: RuleInfo, lists: [FalcoList], listUsed: inout [String: Bool], resolver: inout MacroResolver, result: inout LoadResult
  ) throws(LoadFailure) -> FalcoRule? {
    var condition = rule.condition
    var exceptionFields: Set<String> = []
    if !rule.exceptions.isEmpty {
      (condition, exceptionFields) = try ExceptionConditions.condition(rule.condition, exceptions: rule.exceptions)
    }

    var output = rule.output
    if output.contains(Self.containerInfo) {
      result.add(warning: .deprecatedItem,
                 "%container.info is deprecated and no more useful, and will be dropped by Falco 1.0.0. The container plugin will automatically add required fields to the output message.",
                 rule.context)
      output = Self.removing(Self.containerInfo, from: output)
    }
    if let unknown = unknownOutputField(output) {
      let message = "invalid formatting token \(unknown)"
      if rule.skipIfUnknownFilter {
        result.add(warning: .unknownFilter, message, rule.outputContext)
        return nil
      }
      throw LoadFailure(.compileOutput, message, rule.outputContext)
    }
    for field in ConditionChecks.deprecatedFields where output.contains(field) {
      result.add(warning: .deprecatedItem, "usage of deprecated field '\(field)' has been detected in the rule output", rule.outputContext)
    }

    let parsed = try parse(condition, source: rule.conditionSource, lists: lists, listUsed: &listUsed)
    let tree: ConditionExpression
    do {
      tree = try resolver.resolve(parsed) { _ in true }
    } catch {
      throw LoadFailure(.validate, error.message, rule.context.noting("in condition at \(error.position)"))
    }
    try checkDepth(tree, rule.conditionSource.context)

    let conditionContext = rule.conditionSource.context
    for finding in ConditionChecks.unsafeNAChecks(in: tree) {
      result.add(warning: .unsafeNACheck, finding.message, conditionContext)
    }
    for (field, _) in ConditionChecks.deprecatedFields(in: tree) {
      result.add(warning: .deprecatedItem, "usage of deprecated field '\(field)' has been detected in the rule condition", conditionContext)
    }
    if let unknown = ConditionChecks.unknownFilter(in: tree, fields: fields) {
      if rule.skipIfUnknownFilter {
        result.add(warning: .unknownFilter, unknown.message, conditionContext)
        return nil
      }
      throw LoadFailure(.compileCondition, unknown.message, conditionContext.noting("in condition at \(unknown.position)"))
    }
    if let failure = FilterTypeCheck(fields: fields).check(tree) {
      throw LoadFailure(.compileCondition, failure.message, conditionContext.noting("in condition at \(failure.position)"))
    }
    for finding in ConditionChecks.misusedConstants(in: tree, fields: fields) {
      result.add(warning: .compileCondition, finding.message, conditionContext)
    }
    if rule.source == "syscall", rule.warnEventTypes {
      let count = ConditionChecks.eventTypes(of: tree).codeCount(fields.eventCodeCounts)
      if count.map({ $0 > 100 }) ?? true {
        result.add(warning: .noEventType, "Rule matches too many evt.type values. This has a significant performance penalty.", rule.context)
      }
    }

    return FalcoRule(
      name: rule.name, description: rule.description, source: rule.source, priority: rule.priority, tags: rule.tags.sorted(),
      enabled: rule.enabled, output: output, conditionText: rule.condition, condition: tree, exceptionFields: exceptionFields.sorted(),
      warnEventTypes: rule.warnEventTypes, skipIfUnknownFilter: rule.skipIfUnknownFilter, capture: rule.capture,
      captureDuration: rule.captureDuration, span: rule.context.span)
  }

  /// The first `%field` of an output format that the field table does not know.
  private func unknownOutputField(_ output: String) -> String? {
    let bytes = Array(output.utf8)
    var index = 0
    while index < bytes.count {
      defer { index += 1 }
      guard bytes[index] == UInt8(ascii: "%") else { continue }
      var end = index + 1
      while end < bytes.count, ConditionLexer.isWordCharacter(bytes[end]) || bytes[end] == UInt8(ascii: ".") { end += 1 }
      let name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
      guard name.contains("."), let first = name.utf8.first, ConditionLexer.isLetter(first) else { continue }
      let field = name.hasSuffix(".") ? String(name.dropLast()) : name
      if case .unknown = fields.lookup(field) { return "%" + field }
      index = end - 1
    }
    return nil
  }

  /// `text` with every occurrence of `target` removed.
  static func removing(_ target: String, from text: String) -> String {
    var bytes = Array(text.utf8)
    let needle = Array(target.utf8)
    var index = 0
    while index + needle.count <= bytes.count {
      if bytes[index..<index + needle.count].elementsEqual(needle) {
        bytes.removeSubrange(index..<index + needle.count)
      } else {
        index += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
