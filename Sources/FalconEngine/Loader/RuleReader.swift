internal import PolicyCore

/// Stage 1 of loading: reads the YAML items of one rules file and hands each to the collector,
/// as Falco's `rule_loader::reader` does. Structural problems are `LOAD_ERR_YAML_VALIDATE` with
/// Falco's wording; reading stops at the first error.
struct RuleReader {
  let file: SourceFile
  let limits: Limits

  /// The context of the whole file.
  var fileContext: LoadContext { LoadContext(span: SourceSpan(file: file, start: 0)) }

  /// Reads every document and item into `collector`. Returns false after the first error, which
  /// is added to `result`.
  func read(into collector: inout RuleCollector, result: inout LoadResult) -> Bool {
    let documents: [YAMLNode]
    do {
      documents = try YAMLReader.documents(of: file, limits: limits)
    } catch {
      let code: LoadErrorCode = error.code == .limitNestingDepth || error.code == .limitInputSize ? .yamlValidate : .yamlParse
      result.add(error: code, error.message, LoadContext(span: error.span))
      return false
    }
    for document in documents where !document.isNull {
      do throws(LoadFailure) {
        guard document.isSequence || document.isMapping else {
          throw LoadFailure(.yamlValidate, "Rules content is not yaml", fileContext)
        }
        guard document.isSequence else {
          throw LoadFailure(.yamlValidate, "Rules content is not yaml array of objects", fileContext)
        }
        for item in document.elements where !item.isNull {
          try readItem(item, into: &collector, result: &result)
        }
      } catch {
        result.add(error)
        return false
      }
    }
    return true
  }

  // MARK: - Items

  private static let ruleKeys: Set<String> = [
    "rule", "condition", "output", "desc", "priority", "source", "enabled", "tags", "exceptions", "append", "override",
    "warn_evttypes", "skip-if-unknown-filter", "capture", "capture_duration",
  ]
  private static let macroKeys: Set<String> = ["macro", "condition", "append", "override"]
  private static let listKeys: Set<String> = ["list", "items", "append", "override"]

  private func fail(_ message: String, _ context: LoadContext) -> LoadFailure {
    LoadFailure(.yamlValidate, message, context)
  }

  private func readItem(_ item: YAMLNode, into collector: inout RuleCollector, result: inout LoadResult) throws(LoadFailure) {
    let itemContext = fileContext.at(item, in: file)
    guard item.isMapping else {
      throw fail("Unexpected element type. Each element should be a yaml associative array.", itemContext)
    }
    if let version = item["required_engine_version"] {
      try readEngineVersion(item, version, into: &collector)
    } else if let plugins = item["required_plugin_versions"] {
      try readPluginVersions(plugins, into: &collector)
    } else if item["list"] != nil {
      warnUnknownKeys(item, known: Self.listKeys, kind: "list", result: &result)
      try readList(item, into: &collector, result: &result)
    } else if item["macro"] != nil {
      warnUnknownKeys(item, known: Self.macroKeys, kind: "macro", result: &result)
      try readMacro(item, into: &collector, result: &result)
    } else if item["rule"] != nil {
      warnUnknownKeys(item, known: Self.ruleKeys, kind: "rule", result: &result)
      try readRule(item, into: &collector, result: &result)
    } else {
      result.add(warning: .unknownItem, "Unknown top level item", itemContext)
    }
  }

  /// Falco ignores keys it does not know but reports each (`LOAD_UNKNOWN_KEY`).
  private func warnUnknownKeys(_ item: YAMLNode, known: Set<String>, kind: String, result: inout LoadResult) {
    let name = item[kind]?.scalar ?? ""
    for (key, node) in item.keys where !known.contains(key) {
      result.add(warning: .unknownKey, "Unknown key '\(key)'. The key will be ignored.",
                 fileContext.at(node, in: file, note: "in \(kind) '\(name)'"))
    }
  }

  private func readEngineVersion(_ item: YAMLNode, _ node: YAMLNode, into collector: inout RuleCollector) throws(LoadFailure) {
    let context = fileContext.at(item, in: file, note: "in required_engine_version")
    let text = try decodeString(item, "required_engine_version", context)
    let version: SemanticVersion
    if let number = Self.decodeUnsigned(text, max: UInt64(UInt32.max)) {
      // A bare number N means engine version 0.N.0 (Falco's implicit engine versions).
      version = SemanticVersion(0, Int(number), 0)
    } else if let parsed = SemanticVersion(text) {
      version = parsed
    } else {
      throw fail("Unable to parse engine version '\(text)' as a semver string. Expected \"x.y.z\" semver format.", context)
    }
    try collector.defineEngineVersion(version, context: context)
  }

  private func readPluginVersions(_ node: YAMLNode, into collector: inout RuleCollector) throws(LoadFailure) {
    let context = fileContext.at(node, in: file, note: "in required_plugin_versions")
    guard node.isSequence else { throw fail("Value of required_plugin_versions must be a sequence", context) }
    for plugin in node.elements {
      let entryContext = context.at(plugin, in: file)
      guard plugin.isMapping else { throw fail("Plugin version must be a mapping", entryContext) }
      let name = try decodeString(plugin, "name", entryContext)
      let pluginContext = context.at(plugin, in: file, note: "in plugin '\(name)'")
      var alternatives = [PluginRequirement(name: name, version: try decodeString(plugin, "version", pluginContext))]
      if let others = plugin["alternatives"] {
        guard others.isSequence else { throw fail("Value of plugin version alternatives must be a sequence", pluginContext) }
        for alternative in others.elements {
          let alternativeContext = pluginContext.at(alternative, in: file)
          guard alternative.isMapping else { throw fail("Plugin version alternative must be a mapping", alternativeContext) }
          let alternativeName = try decodeString(alternative, "name", alternativeContext)
          let version = try decodeString(alternative, "version", alternativeContext.noting("in alternative '\(alternativeName)'"))
          alternatives.append(PluginRequirement(name: alternativeName, version: version))
        }
      }
      try collector.definePluginRequirement(alternatives, context: pluginContext)
    }
  }

  private func readList(_ item: YAMLNode, into collector: inout RuleCollector, result: inout LoadResult) throws(LoadFailure) {
    let name = try decodeString(item, "list", fileContext.at(item, in: file, note: "in list"))
    let context = fileContext.at(item, in: file, note: "in list '\(name)'")
    if !Self.isBareString(name) {
      result.add(warning: .invalidListName, "List has an invalid name. List names should match a regular expression: ([^()\"'[:space:]=,]+)", context)
    }
    var list = ListInfo(context: context)
    list.name = name
    list.items = try decodeSequence(item, "items", context, required: true) ?? []
    var append = try decodeBool(item, "append", context) ?? false
    if append { result.add(warning: .deprecatedItem, Self.appendDeprecated, context) }
    let (overrideAppend, overrideReplace) = try decodeOverrides(item, appendable: ["items"], replaceable: ["items"], context)
    if append && !(overrideAppend.isEmpty && overrideReplace.isEmpty) { throw fail(Self.overrideWithAppend, context) }
    append = append || overrideAppend.contains("items")
    if append { try collector.append(list) } else { collector.define(list) }
  }

  private func readMacro(_ item: YAMLNode, into collector: inout RuleCollector, result: inout LoadResult) throws(LoadFailure) {
    let name = try decodeString(item, "macro", fileContext.at(item, in: file, note: "in macro"))
    let context = fileContext.at(item, in: file, note: "in macro '\(name)'")
    if !Self.isIdentifier(name) {
      result.add(warning: .invalidMacroName, "Macro has an invalid name. Macro names should match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)", context)
    }
    var macro = MacroInfo(context: context)
    macro.name = name
    macro.condition = try decodeString(item, "condition", context)
    macro.conditionSource = conditionSource(item["condition"], text: macro.condition, context: context.noting("in condition"))
    var append = try decodeBool(item, "append", context) ?? false
    if append { result.add(warning: .deprecatedItem, Self.appendDeprecated, context) }
    let (overrideAppend, overrideReplace) = try decodeOverrides(item, appendable: ["condition"], replaceable: ["condition"], context)
    if append && !(overrideAppend.isEmpty && overrideReplace.isEmpty) { throw fail(Self.overrideWithAppend, context) }
    append = append || overrideAppend.contains("condition")
    if append { try collector.append(macro) } else { collector.define(macro) }
  }

  private static let appendableRuleKeys: [String] = ["condition", "output", "desc", "tags", "exceptions"]
  private static let replaceableRuleKeys: [String] = [
    "condition", "output", "desc", "priority", "tags", "exceptions", "enabled", "warn_evttypes", "skip-if-unknown-filter",
    "capture", "capture_duration",
  ]

  private func readRule(_ item: YAMLNode, into collector: inout RuleCollector, result: inout LoadResult) throws(LoadFailure) {
    let name = try decodeString(item, "rule", fileContext.at(item, in: file, note: "in rule"))
    let context = fileContext.at(item, in: file, note: "in rule '\(name)'")
    let appendFlag = try decodeBool(item, "append", context) ?? false
    if appendFlag { result.add(warning: .deprecatedItem, Self.appendDeprecated, context) }
    let (overrideAppend, overrideReplace) = try decodeOverrides(
      item, appendable: Set(Self.appendableRuleKeys), replaceable: Set(Self.replaceableRuleKeys), context)
    let hasOverrides = !overrideAppend.isEmpty || !overrideReplace.isEmpty
    if appendFlag && hasOverrides { throw fail(Self.overrideWithAppend, context) }

    if hasOverrides {
      var expected = Set((Self.appendableRuleKeys + Self.replaceableRuleKeys).filter { item[$0] != nil })
      func wants(_ key: String, _ overrides: Set<String>, _ kind: String) throws(LoadFailure) -> Bool {
        guard overrides.contains(key) else { return false }
        if !expected.contains(key) {
          throw fail("An \(kind) override for '\(key)' was specified but '\(key)' is not defined", context)
        }
        expected.remove(key)
        return true
      }
      if !overrideAppend.isEmpty {
        var update = try ruleUpdate(item, name: name, context: context)
        if try wants("condition", overrideAppend, "append") { try readUpdateCondition(item, into: &update, context) }
        if try wants("exceptions", overrideAppend, "append") { update.exceptions = try readExceptions(item, context, append: true, result: &result) }
        if try wants("output", overrideAppend, "append") { update.output = try decodeString(item, "output", context) }
        if try wants("desc", overrideAppend, "append") { update.description = try decodeString(item, "desc", context) }
        if try wants("tags", overrideAppend, "append") { update.tags = Set(try decodeSequence(item, "tags", context, required: false) ?? []) }
        try collector.append(update, result: &result)
      }
      if !overrideReplace.isEmpty {
        var update = try ruleUpdate(item, name: name, context: context)
        if try wants("condition", overrideReplace, "replace") { try readUpdateCondition(item, into: &update, context) }
        if try wants("exceptions", overrideReplace, "replace") { update.exceptions = try readExceptions(item, context, append: false, result: &result) }
        if try wants("output", overrideReplace, "replace") { update.output = try decodeString(item, "output", context) }
        if try wants("desc", overrideReplace, "replace") { update.description = try decodeString(item, "desc", context) }
        if try wants("tags", overrideReplace, "replace") { update.tags = Set(try decodeSequence(item, "tags", context, required: false) ?? []) }
        if try wants("priority", overrideReplace, "replace") { update.priority = try decodePriority(item, context) }
        if try wants("enabled", overrideReplace, "replace") { update.enabled = try decodeBool(item, "enabled", context) }
        if try wants("warn_evttypes", overrideReplace, "replace") { update.warnEventTypes = try decodeBool(item, "warn_evttypes", context) }
        if try wants("skip-if-unknown-filter", overrideReplace, "replace") {
          update.skipIfUnknownFilter = try decodeBool(item, "skip-if-unknown-filter", context)
        }
        if try wants("capture", overrideReplace, "replace") { update.capture = try decodeBool(item, "capture", context) }
        if try wants("capture_duration", overrideReplace, "replace") {
          update.captureDuration = try decodeUnsigned(item, "capture_duration", context)
        }
        try collector.replace(update)
      }
      // Falco reports the first leftover key in sorted order.
      if let key = expected.sorted().first, let node = item[key] {
        throw fail("Unexpected key '\(key)': no corresponding entry under 'override' is defined.", context.at(node, in: file))
      }
    } else if appendFlag {
      var update = try ruleUpdate(item, name: name, context: context)
      if item["condition"] != nil { try readUpdateCondition(item, into: &update, context) }
      if item["exceptions"] != nil { update.exceptions = try readExceptions(item, context, append: true, result: &result) }
      try collector.append(update, result: &result)
    } else {
      var rule = RuleInfo(context: context, outputContext: context)
      rule.name = name
      if item["condition"] == nil && item["output"] == nil && item["desc"] == nil && item["priority"] == nil {
        // A rule with none of these only changes `enabled` of an earlier rule (deprecated).
        rule.enabled = try decodeRequiredBool(item, "enabled", context)
        result.add(warning: .deprecatedItem, Self.enabledDeprecated, context)
        try collector.enable(rule)
        return
      }
      rule.condition = try decodeString(item, "condition", context)
      rule.conditionSource = conditionSource(item["condition"], text: rule.condition, context: context.noting("in condition"))
      rule.output = try decodeString(item, "output", context)
      if let node = item["output"] { rule.outputContext = context.at(node, in: file, note: "in output") }
      rule.description = try decodeString(item, "desc", context)
      rule.priority = try decodePriority(item, context)
      rule.output = Self.trimmed(rule.output)
      rule.source = try decodeOptionalString(item, "source", context) ?? "syscall"
      rule.enabled = try decodeBool(item, "enabled", context) ?? true
      rule.warnEventTypes = try decodeBool(item, "warn_evttypes", context) ?? true
      rule.skipIfUnknownFilter = try decodeBool(item, "skip-if-unknown-filter", context) ?? false
      rule.capture = try decodeBool(item, "capture", context) ?? false
      rule.captureDuration = try decodeUnsigned(item, "capture_duration", context) ?? 0
      rule.tags = Set(try decodeSequence(item, "tags", context, required: false) ?? [])
      rule.exceptions = try readExceptions(item, context, append: false, result: &result) ?? []
      try collector.define(rule, result: &result)
    }
  }

  /// A rule update with the name and, when given, the source (an update may not change it).
  private func ruleUpdate(_ item: YAMLNode, name: String, context: LoadContext) throws(LoadFailure) -> RuleUpdate {
    var update = RuleUpdate(context: context)
    update.name = name
    if let source = item["source"]?.scalar, !source.isEmpty { update.source = source }
    return update
  }

  private func readUpdateCondition(_ item: YAMLNode, into update: inout RuleUpdate, _ context: LoadContext) throws(LoadFailure) {
    let condition = try decodeString(item, "condition", context)
    update.condition = condition
    update.conditionSource = conditionSource(item["condition"], text: condition, context: context.noting("in condition"))
  }

  /// Where a condition's text sits in the file, when it sits there verbatim.
  private func conditionSource(_ node: YAMLNode?, text: String, context: LoadContext) -> ConditionSource {
    guard let node else { return ConditionSource(context: context, base: nil, verbatimLength: 0) }
    let nodeContext = LoadContext(span: SourceSpan(file: file, start: node.offset), notes: context.notes)
    let bytes = Array(text.utf8)
    for start in [node.offset, node.offset + 1] where start + bytes.count <= file.bytes.count {
      if file.bytes[start..<start + bytes.count].elementsEqual(bytes) {
        return ConditionSource(context: nodeContext, base: start, verbatimLength: bytes.count)
      }
    }
    return ConditionSource(context: nodeContext, base: nil, verbatimLength: 0)
  }

  // MARK: - Exceptions

  private func readExceptions(_ item: YAMLNode, _ parent: LoadContext, append: Bool, result: inout LoadResult) throws(LoadFailure) -> [ExceptionInfo]? {
    guard let node = item["exceptions"], !node.isNull else { return nil }
    let context = parent.at(node, in: file, note: "in exceptions")
    guard node.isSequence else { throw fail("Rule exceptions must be a sequence", context) }
    var exceptions: [ExceptionInfo] = []
    for element in node.elements {
      let elementContext = context.at(element, in: file)
      guard element.isMapping else { throw fail("Rule exception must be a mapping", elementContext) }
      let name = try decodeString(element, "name", elementContext)
      var exception = ExceptionInfo(context: parent.at(element, in: file, note: "in exception '\(name)'"))
      exception.name = name
      if exceptions.contains(where: { $0.name == name }) {
        result.add(warning: .exceptionNameNotUnique, "Multiple definitions of exception '\(name)' in the same rule", exception.context)
      }
      // `fields` may be left out when appending values to an existing exception.
      exception.fields = try decodeEntry(element["fields"], key: "fields", exception.context, optional: append) ?? ExceptionEntry()
      exception.comps = try decodeEntry(element["comps"], key: "comps", exception.context, optional: true) ?? ExceptionEntry()
      if let values = element["values"] {
        let valuesContext = exception.context.at(values, in: file, note: "in values")
        guard values.isSequence else { throw fail("Rule exception values must be a sequence", valuesContext) }
        for value in values.elements {
          if let entry = try decodeEntry(value, key: nil, valuesContext.at(value, in: file), optional: false) {
            exception.values.append(entry)
          }
        }
      } else if append {
        result.add(warning: .appendNoValues, "Overriding/appending exception with no values", exception.context)
      }
      exceptions.append(exception)
    }
    return exceptions
  }

  /// A `fields`/`comps`/`values` entry: a non-empty string, or a list of entries.
  private func decodeEntry(_ node: YAMLNode?, key: String?, _ context: LoadContext, optional: Bool) throws(LoadFailure) -> ExceptionEntry? {
    guard let node else {
      if optional { return nil }
      throw fail("Item has no mapping for key '\(key ?? "")'", context)
    }
    let valueContext = context.at(node, in: file)
    if let text = node.scalar {
      if text.isEmpty { throw fail("Value must be non-empty", valueContext) }
      return ExceptionEntry(text)
    }
    if node.isSequence {
      var items: [ExceptionEntry] = []
      for element in node.elements {
        items.append(try decodeEntry(element, key: nil, valueContext.at(element, in: file), optional: false) ?? ExceptionEntry())
      }
      return ExceptionEntry(list: items)
    }
    // A null or a mapping is neither a string nor a list: an invalid entry, as in Falco.
    return ExceptionEntry()
  }

  // MARK: - Scalars, as yaml-cpp decodes them

  private func decodeString(_ item: YAMLNode, _ key: String, _ context: LoadContext) throws(LoadFailure) -> String {
    guard let value = try decodeOptionalString(item, key, context) else {
      throw fail("Item has no mapping for key '\(key)'", context)
    }
    return value
  }

  /// nil when the key is absent; a present key must hold a non-empty scalar.
  private func decodeOptionalString(_ item: YAMLNode, _ key: String, _ context: LoadContext) throws(LoadFailure) -> String? {
    guard let node = item[key] else { return nil }
    if node.isNull { throw fail("Mapping for key '\(key)' is empty", context) }
    let valueContext = context.at(node, in: file, note: "in value for key '\(key)'")
    guard let text = node.scalar else { throw fail("Value is not a scalar value", valueContext) }
    if text.isEmpty { throw fail("Value must be non-empty", valueContext) }
    return text
  }

  private func decodeBool(_ item: YAMLNode, _ key: String, _ context: LoadContext) throws(LoadFailure) -> Bool? {
    guard let text = try decodeOptionalString(item, key, context) else { return nil }
    guard let value = Self.decodeBool(text) else {
      throw fail("Can't decode YAML scalar value", context.at(item[key] ?? item, in: file, note: "in value for key '\(key)'"))
    }
    return value
  }

  private func decodeRequiredBool(_ item: YAMLNode, _ key: String, _ context: LoadContext) throws(LoadFailure) -> Bool {
    guard let value = try decodeBool(item, key, context) else { throw fail("Item has no mapping for key '\(key)'", context) }
    return value
  }

  private func decodeUnsigned(_ item: YAMLNode, _ key: String, _ context: LoadContext) throws(LoadFailure) -> UInt64? {
    guard let text = try decodeOptionalString(item, key, context) else { return nil }
    guard let value = Self.decodeUnsigned(text, max: UInt64.max) else {
      throw fail("Can't decode YAML scalar value", context.at(item[key] ?? item, in: file, note: "in value for key '\(key)'"))
    }
    return value
  }

  private func decodePriority(_ item: YAMLNode, _ context: LoadContext) throws(LoadFailure) -> RulePriority {
    let text = try decodeString(item, "priority", context)
    guard let priority = RulePriority(parsing: text) else {
      throw fail("Invalid priority", context.at(item["priority"] ?? item, in: file, note: "in priority"))
    }
    return priority
  }

  /// A sequence of scalars (`items`, `tags`); nil when absent and not required.
  private func decodeSequence(_ item: YAMLNode, _ key: String, _ context: LoadContext, required: Bool) throws(LoadFailure) -> [String]? {
    guard let node = item[key] else {
      if required { throw fail("Item has no mapping for key '\(key)'", context) }
      return nil
    }
    let valueContext = context.at(node, in: file, note: "in value for key '\(key)'")
    guard node.isSequence else { throw fail("Value is not a sequence", valueContext) }
    var values: [String] = []
    for element in node.elements {
      guard let text = element.scalar else { throw fail("sequence value is not scalar", valueContext.at(element, in: file)) }
      values.append(text)
    }
    return values
  }

  private func decodeOverrides(
    _ item: YAMLNode, appendable: Set<String>, replaceable: Set<String>, _ context: LoadContext
  ) throws(LoadFailure) -> (append: Set<String>, replace: Set<String>) {
    guard let node = item["override"] else { return ([], []) }
    var append: Set<String> = []
    var replace: Set<String> = []
    let overrideContext = context.noting("in override")
    for (keyNode, operationNode) in node.entries {
      let key = keyNode.scalar ?? ""
      let operation = operationNode.scalar ?? ""
      let keyContext = overrideContext.at(keyNode, in: file)
      switch operation {
      case "append":
        if !appendable.contains(key) { throw fail("Key '\(key)' cannot be appended to, use 'replace' instead", keyContext) }
        append.insert(key)
      case "replace":
        if !replaceable.contains(key) { throw fail("Key '\(key)' cannot be replaced", keyContext) }
        replace.insert(key)
      default:
        var allowed = ""
        if appendable.contains(key) { allowed += "append " }
        if replaceable.contains(key) { allowed += "replace " }
        throw fail("Invalid override operation for key '\(key)': '\(operation)'. Allowed values are: \(allowed)",
                   overrideContext.at(operationNode, in: file))
      }
    }
    return (append, replace)
  }

  // MARK: - Text helpers

  static let appendDeprecated = "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead."
  static let enabledDeprecated = "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace')."
  static let overrideWithAppend = "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead."

  /// yaml-cpp's booleans: y/n, yes/no, true/false, on/off, each lowercase, uppercase or
  /// capitalised.
  static func decodeBool(_ text: String) -> Bool? {
    let pairs: [(String, String)] = [("y", "n"), ("yes", "no"), ("true", "false"), ("on", "off")]
    for (yes, no) in pairs {
      for (word, value) in [(yes, true), (no, false)] {
        let capitalised = word.prefix(1).uppercased() + word.dropFirst()
        if text == word || text == word.uppercased() || text == capitalised { return value }
      }
    }
    return nil
  }

  /// An unsigned decimal number (an optional `+`, then digits) not above `max`.
  static func decodeUnsigned(_ text: String, max: UInt64) -> UInt64? {
    var digits = Substring(text)
    if digits.hasPrefix("+") { digits = digits.dropFirst() }
    guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
      let value = UInt64(digits), value <= max
    else { return nil }
    return value
  }

  /// Falco's `trim`: removes leading and trailing blanks (space, tab, CR, LF, FF, VT).
  static func trimmed(_ text: String) -> String {
    let bytes = Array(text.utf8)
    func blank(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
    guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) }) else { return "" }
    return String(decoding: bytes[first...last], as: UTF8.self)
  }

  /// libsinsp's bare string token, the whole name: `[^()"'[:space:]=,]+`.
  static func isBareString(_ name: String) -> Bool {
    !name.isEmpty
      && name.utf8.allSatisfy { byte in
        !ConditionLexer.isSpace(byte) && byte != UInt8(ascii: "(") && byte != UInt8(ascii: ")") && byte != UInt8(ascii: "\"")
          && byte != UInt8(ascii: "'") && byte != UInt8(ascii: "=") && byte != UInt8(ascii: ",")
      }
  }

  /// libsinsp's identifier token, the whole name: `[a-zA-Z]+[a-zA-Z0-9_]*`.
  static func isIdentifier(_ name: String) -> Bool {
    guard let first = name.utf8.first, ConditionLexer.isLetter(first) else { return false }
    return name.utf8.allSatisfy(ConditionLexer.isWordCharacter)
  }
}
