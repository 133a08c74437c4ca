import PolicyCore

// Turns directives into a compiled rule set. Directives are handled in order; rule exclusions and
// updates by id or tag (`SecRuleRemoveById`, `SecRuleUpdateTargetById`, ...) are collected and
// applied once every rule is known, so they work whether they come before or after the rule, as
// they do in ModSecurity 3.

/// A rule as parsed, before exclusions and updates are applied and before it is compiled.
struct RuleDraft {
  var location: ConfigLocation
  var targets: [TargetSyntax]
  var op: OperatorSyntax
  var actions: [ActionSyntax]
  var isAction: Bool
  var children: [RuleDraft] = []
  var text: String

  var id: Int? {
    guard let value = actions.last(where: { $0.name.lowercased() == "id" })?.value else { return nil }
    return Int(value.trimmingASCIISpaces())
  }

  var phase: Int {
    guard let value = actions.last(where: { $0.name.lowercased() == "phase" })?.value else { return 2 }
    return RuleSetBuilder.phaseNumber(value) ?? 2
  }

  var tags: [String] { actions.filter { $0.name.lowercased() == "tag" }.compactMap(\.value) }
  var msg: String? { actions.last(where: { $0.name.lowercased() == "msg" })?.value }
  var hasChainAction: Bool { actions.contains { $0.name.lowercased() == "chain" } }
}

/// Engine settings from the configuration (the non-rule directives).
public struct WAFSettings: Sendable {
  public var engineMode: EngineMode = .on
  public var requestBodyAccess = false
  public var responseBodyAccess = false
  public var requestBodyLimit = 13_107_200
  public var requestBodyNoFilesLimit = 1_048_576
  public var requestBodyInMemoryLimit = 131_072
  public var requestBodyLimitReject = true
  public var requestBodyJSONDepthLimit = 10_000
  public var argumentsLimit = 1_000
  public var responseBodyLimit = 524_288
  public var responseBodyLimitReject = true
  public var responseBodyMimeTypes: [String] = ["text/plain", "text/html"]
  public var argumentSeparator: UInt8 = UInt8(ascii: "&")
  public var pcreMatchLimit: UInt32 = 1_000_000
  public var pcreMatchLimitRecursion: UInt32 = 10_000
  public var unicodeMap: UnicodeMap?
  public var uploadFileLimit = 100
  public var componentSignatures: [String] = []
  public var auditEngine = "Off"

  public init() {}
}

struct RuleSetBuilder {
  var settings = WAFSettings()
  var entries: [[BuilderEntry]] = Array(repeating: [], count: 6)
  var defaultActions: [Int: [ActionSyntax]] = [:]
  var pendingChain: [RuleDraft] = []
  var removeByID: [ClosedRange<Int>] = []
  var removeByTag: [String] = []
  var removeByMsg: [String] = []
  var updateTargetsByID: [(ids: [ClosedRange<Int>], targets: [TargetSyntax])] = []
  var updateTargetsByTag: [(tag: String, targets: [TargetSyntax])] = []
  var updateActionsByID: [(ids: [ClosedRange<Int>], actions: [ActionSyntax])] = []
  var seenIDs: Set<Int> = []
  var pmFileCache: [String: [[UInt8]]] = [:]
  var transformationChainIDs: [[Transformation]: Int] = [:]
  var tagTable: [String: Int] = [:]
  /// Dense numbering of the (transformation list, variable) pairs rules use.
  var cacheSlots: [Int: Int] = [:]

  enum BuilderEntry {
    case rule(RuleDraft)
    case marker(String)
  }

  static func phaseNumber(_ text: String) -> Int? {
    switch text.trimmingASCIISpaces().lowercased() {
    case "1", "request_headers": return 1
    case "2", "request": return 2
    case "3", "response_headers": return 3
    case "4", "response": return 4
    case "5", "logging": return 5
    default: return nil
    }
  }

  // MARK: Directives

  mutating func apply(_ directive: ConfigDirective) throws(WAFConfigError) {
    let location = directive.location
    let args = directive.arguments
    func one() throws(WAFConfigError) -> String {
      guard args.count == 1 else {
        throw WAFConfigError("\(directive.name) takes one argument, got \(args.count)", at: location)
      }
      return args[0]
    }
    func onOff() throws(WAFConfigError) -> Bool {
      let value = try one().lowercased()
      switch value {
      case "on": return true
      case "off": return false
      default: throw WAFConfigError("\(directive.name) takes On or Off, got \(args[0])", at: location)
      }
    }
    func integer() throws(WAFConfigError) -> Int {
      guard let value = Int(try one()), value >= 0 else {
        throw WAFConfigError("\(directive.name) takes a non-negative integer, got \(args.first ?? "")", at: location)
      }
      return value
    }
    if !pendingChain.isEmpty, directive.name.lowercased() != "secrule" {
      throw WAFConfigError("a chained rule must be followed by a SecRule, found \(directive.name)", at: location)
    }

    switch directive.name.lowercased() {
    case "secrule":
      guard args.count == 2 || args.count == 3 else {
        throw WAFConfigError("SecRule takes VARIABLES OPERATOR [ACTIONS], got \(args.count) arguments", at: location)
      }
      let targets = try RuleSyntax.parseTargets(args[0], at: location)
      let op = RuleSyntax.parseOperator(args[1])
      let actions = args.count == 3 ? try RuleSyntax.parseActions(args[2], at: location) : []
      try addRule(RuleDraft(location: location, targets: targets, op: op, actions: actions, isAction: false, text: "SecRule " + args.joined(separator: " ")))
    case "secaction":
      let actions = try RuleSyntax.parseActions(try one(), at: location)
      try addRule(
        RuleDraft(
          location: location, targets: [], op: OperatorSyntax(name: "unconditionalMatch", argument: "", negated: false),
          actions: actions, isAction: true, text: "SecAction " + args.joined(separator: " ")))
    case "secmarker":
      let name = try one()
      for phase in 1...5 { entries[phase].append(.marker(name)) }
    case "secdefaultaction":
      let actions = try RuleSyntax.parseActions(try one(), at: location)
      guard let phaseAction = actions.last(where: { $0.name.lowercased() == "phase" }), let phase = Self.phaseNumber(phaseAction.value ?? "") else {
        throw WAFConfigError("SecDefaultAction must name a phase", at: location)
      }
      for action in actions {
        let name = action.name.lowercased()
        if ["id", "msg", "logdata", "chain", "skip", "skipafter", "capture", "multimatch"].contains(name) {
          throw WAFConfigError("action \(action.name) is not allowed in SecDefaultAction", at: location)
        }
        _ = try validateAction(action, at: location)
      }
      defaultActions[phase] = actions
    case "secruleengine":
      guard let mode = EngineMode.allCasesCaseInsensitive(try one()) else {
        throw WAFConfigError("SecRuleEngine takes On, Off or DetectionOnly, got \(args[0])", at: location)
      }
      settings.engineMode = mode
    case "secrequestbodyaccess": settings.requestBodyAccess = try onOff()
    case "secresponsebodyaccess": settings.responseBodyAccess = try onOff()
    case "secrequestbodylimit": settings.requestBodyLimit = try integer()
    case "secrequestbodynofileslimit": settings.requestBodyNoFilesLimit = try integer()
    case "secrequestbodyinmemorylimit": settings.requestBodyInMemoryLimit = try integer()
    case "secrequestbodyjsondepthlimit": settings.requestBodyJSONDepthLimit = try integer()
    case "secargumentslimit": settings.argumentsLimit = try integer()
    case "secresponsebodylimit": settings.responseBodyLimit = try integer()
    case "secuploadfilelimit": settings.uploadFileLimit = try integer()
    case "secrequestbodylimitaction", "secresponsebodylimitaction":
      let value = try one().lowercased()
      guard value == "reject" || value == "processpartial" else {
        throw WAFConfigError("\(directive.name) takes Reject or ProcessPartial, got \(args[0])", at: location)
      }
      if directive.name.lowercased() == "secrequestbodylimitaction" {
        settings.requestBodyLimitReject = value == "reject"
      } else {
        settings.responseBodyLimitReject = value == "reject"
      }
    case "secresponsebodymimetype":
      guard !args.isEmpty else { throw WAFConfigError("SecResponseBodyMimeType needs at least one type", at: location) }
      settings.responseBodyMimeTypes = args.flatMap { $0.split(separator: " ").map { String($0).lowercased() } }
    case "secresponsebodymimetypesclear":
      settings.responseBodyMimeTypes = []
    case "secpcrematchlimit":
      settings.pcreMatchLimit = UInt32(clamping: try integer())
    case "secpcrematchlimitrecursion":
      settings.pcreMatchLimitRecursion = UInt32(clamping: try integer())
    case "secargumentseparator":
      let value = try one()
      guard value.utf8.count == 1, let byte = value.utf8.first else {
        throw WAFConfigError("SecArgumentSeparator takes one character, got \(value)", at: location)
      }
      settings.argumentSeparator = byte
    case "seccookieformat":
      let value = try one()
      guard value == "0" || value == "1" else {
        throw WAFConfigError("SecCookieFormat takes 0 or 1, got \(value)", at: location)
      }
    case "secunicodemapfile":
      guard args.count == 2, let codePage = Int(args[1]) else {
        throw WAFConfigError("SecUnicodeMapFile takes a file and a code page", at: location)
      }
      let path = ConfigReader.resolve(args[0], relativeTo: location.file)
      let source: SourceFile
      do {
        source = try SourceFile.read(path: path)
      } catch {
        throw WAFConfigError("SecUnicodeMapFile: cannot read \(path): \(error.message)", at: location)
      }
      do {
        settings.unicodeMap = try UnicodeMap(contents: source.bytes, codePage: codePage)
      } catch {
        throw WAFConfigError("SecUnicodeMapFile \(path): \(error)", at: location)
      }
    case "seccomponentsignature":
      settings.componentSignatures.append(try one())
    case "secauditengine":
      let value = try one()
      guard ["on", "off", "relevantonly"].contains(value.lowercased()) else {
        throw WAFConfigError("SecAuditEngine takes On, Off or RelevantOnly, got \(value)", at: location)
      }
      settings.auditEngine = value
    case "secstatusengine", "sectmpdir", "secdatadir", "secuploaddir", "secauditlog", "secauditlog2",
      "secauditlogparts", "secauditlogrelevantstatus", "secauditlogtype", "secauditlogstoragedir",
      "secauditlogformat", "secauditlogdirmode", "secauditlogfilemode", "secdebuglog", "secdebugloglevel",
      "secuploadkeepfiles", "secuploadfilemode", "seccollectiontimeout", "secserversignature", "secwebappid",
      "secsensorid", "secxmlexternalentity", "secrequestbodyinmemorylimitaction", "secconnengine":
      // Logging, storage and identification settings: they shape ModSecurity's audit and debug
      // logs and temporary files, which this engine does not write (matches are returned to the
      // caller instead); accepted so stock configurations load, and their arguments checked for
      // presence.
      guard !args.isEmpty else { throw WAFConfigError("\(directive.name) needs an argument", at: location) }
    case "secgeolookupdb":
      throw WAFConfigError("SecGeoLookupDb: GeoIP databases are not supported; without one @geoLookup never matches, as in ModSecurity without a database", at: location)
    case "secruleremovebyid":
      guard !args.isEmpty else { throw WAFConfigError("SecRuleRemoveById needs ids", at: location) }
      removeByID += try Self.parseIDRanges(args.joined(separator: " "), at: location)
    case "secruleremovebytag":
      removeByTag.append(try one())
    case "secruleremovebymsg":
      removeByMsg.append(try one())
    case "secruleupdatetargetbyid":
      guard args.count == 2 || args.count == 3 else {
        throw WAFConfigError("SecRuleUpdateTargetById takes an id and targets", at: location)
      }
      if args.count == 3 {
        throw WAFConfigError("SecRuleUpdateTargetById with a replacement target is not supported", at: location)
      }
      updateTargetsByID.append((try Self.parseIDRanges(args[0], at: location), try RuleSyntax.parseTargets(args[1], at: location)))
    case "secruleupdatetargetbytag":
      guard args.count == 2 else {
        throw WAFConfigError("SecRuleUpdateTargetByTag takes a tag and targets", at: location)
      }
      updateTargetsByTag.append((args[0], try RuleSyntax.parseTargets(args[1], at: location)))
    case "secruleupdateactionbyid":
      guard args.count == 2 else {
        throw WAFConfigError("SecRuleUpdateActionById takes an id and actions", at: location)
      }
      let actions = try RuleSyntax.parseActions(args[1], at: location)
      for action in actions { _ = try validateAction(action, at: location) }
      updateActionsByID.append((try Self.parseIDRanges(args[0], at: location), actions))
    default:
      throw WAFConfigError("unknown or unsupported directive \(directive.name)", at: location)
    }
  }

  static func parseIDRanges(_ text: String, at location: ConfigLocation) throws(WAFConfigError) -> [ClosedRange<Int>] {
    var ranges: [ClosedRange<Int>] = []
    for piece in text.split(whereSeparator: { $0 == " " || $0 == "," }) {
      let parts = piece.split(separator: "-", maxSplits: 1)
      if parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a <= b {
        ranges.append(a...b)
      } else if parts.count == 1, let a = Int(parts[0]) {
        ranges.append(a...a)
      } else {
        throw WAFConfigError("bad rule id or range: \(piece)", at: location)
      }
    }
    return ranges
  }

  private mutating func addRule(_ draft: RuleDraft) throws(WAFConfigError) {
    for action in draft.actions { _ = try validateAction(action, at: draft.location) }
    if pendingChain.isEmpty {
      guard let id = draft.id else {
        throw WAFConfigError("rule has no id action", at: draft.location)
      }
      if seenIDs.contains(id) {
        throw WAFConfigError("another rule has id \(id)", at: draft.location)
      }
      seenIDs.insert(id)
    } else {
      for action in draft.actions {
        let name = action.name.lowercased()
        if ["id", "phase", "skipafter", "skip"].contains(name) && name != "skip" {
          if name == "phase" || name == "id" {
            throw WAFConfigError("action \(action.name) is not allowed in a chained rule", at: draft.location)
          }
        }
      }
    }
    if draft.hasChainAction {
      pendingChain.append(draft)
      return
    }
    // Close the chain: children nest into their parents from the innermost outwards.
    var current = draft
    while let parent = pendingChain.popLast() {
      var p = parent
      p.children = [current]
      current = p
    }
    let phase = current.phase
    entries[phase].append(.rule(current))
  }

  /// Checks an action's name and value at load time (so a typo is a load error with file:line).
  /// Actions that take a value, and actions that take none (built once, not per action read).
  static let actionsNeedingValue: Set<String> = [
    "id", "phase", "msg", "logdata", "tag", "severity", "ver", "rev", "maturity", "accuracy", "t", "setvar",
    "ctl", "skip", "skipafter", "status", "redirect", "initcol", "expirevar", "xmlns", "setenv",
    "sanitisearg", "sanitiserequestheader", "sanitiseresponseheader", "sanitizearg",
    "sanitizerequestheader", "sanitizeresponseheader",
  ]
  static let actionsWithoutValue: Set<String> = [
    "chain", "capture", "multimatch", "pass", "block", "deny", "drop", "nolog", "log", "auditlog",
    "noauditlog", "sanitisematched", "sanitizematched",
  ]

  func validateAction(_ action: ActionSyntax, at location: ConfigLocation) throws(WAFConfigError) -> Bool {
    let name = action.name.lowercased()
    let needsValue = Self.actionsNeedingValue
    let noValue = Self.actionsWithoutValue
    if name == "allow" { return true }
    if needsValue.contains(name) {
      guard let value = action.value else {
        throw WAFConfigError("action \(action.name) needs a value", at: location)
      }
      switch name {
      case "phase":
        if Self.phaseNumber(value) == nil { throw WAFConfigError("bad phase: \(value)", at: location) }
      case "t":
        if value.lowercased() != "none", Transformation(name: value) == nil {
          throw WAFConfigError("unknown transformation t:\(value)", at: location)
        }
      case "severity":
        if Self.severityNumber(value) == nil { throw WAFConfigError("bad severity: \(value)", at: location) }
      case "status":
        if Int(value) == nil { throw WAFConfigError("bad status: \(value)", at: location) }
      case "id":
        if Int(value.trimmingASCIISpaces()) == nil { throw WAFConfigError("bad rule id: \(value)", at: location) }
      case "ctl":
        _ = try parseCtl(value, at: location)
      case "setvar":
        _ = try parseSetVar(value, at: location)
      default: break
      }
      return true
    }
    if noValue.contains(name) { return true }
    throw WAFConfigError("unknown or unsupported action \(action.name)", at: location)
  }

  static func severityNumber(_ text: String) -> Int? {
    switch text.trimmingASCIISpaces().uppercased() {
    case "0", "EMERGENCY": return 0
    case "1", "ALERT": return 1
    case "2", "CRITICAL": return 2
    case "3", "ERROR": return 3
    case "4", "WARNING": return 4
    case "5", "NOTICE": return 5
    case "6", "INFO": return 6
    case "7", "DEBUG": return 7
    default: return nil
    }
  }

  func parseSetVar(_ text: String, at location: ConfigLocation) throws(WAFConfigError) -> SetVarAction {
    var body = Substring(text.trimmingASCIISpaces())
    var delete = false
    if body.first == "!" {
      delete = true
      body = body.dropFirst()
    }
    let equals = body.firstIndex(of: "=")
    let name = equals.map { body[..<$0] } ?? body
    guard let dot = name.firstIndex(of: ".") else {
      throw WAFConfigError("setvar needs collection.name, got \(text)", at: location)
    }
    guard let collection = VariableName(name: String(name[..<dot])), collection.isWritable else {
      throw WAFConfigError("setvar cannot write collection \(name[..<dot])", at: location)
    }
    let key = try Macro(asciiLowercased(String(name[name.index(after: dot)...])), at: location)
    if delete { return SetVarAction(collection: collection, key: key, operation: .delete) }
    guard let equals else {
      return SetVarAction(collection: collection, key: key, operation: .set(try Macro("1", at: location)))
    }
    let value = body[body.index(after: equals)...]
    if value.first == "+" {
      return SetVarAction(collection: collection, key: key, operation: .add(try Macro(String(value.dropFirst()), at: location)))
    }
    if value.first == "-" {
      return SetVarAction(collection: collection, key: key, operation: .subtract(try Macro(String(value.dropFirst()), at: location)))
    }
    return SetVarAction(collection: collection, key: key, operation: .set(try Macro(String(value), at: location)))
  }

  func parseCtl(_ text: String, at location: ConfigLocation) throws(WAFConfigError) -> CtlAction {
    guard let equals = text.firstIndex(of: "=") else {
      throw WAFConfigError("ctl needs name=value, got \(text)", at: location)
    }
    let name = text[..<equals].lowercased()
    let value = String(text[text.index(after: equals)...]).trimmingASCIISpaces()
    func onOff() throws(WAFConfigError) -> Bool {
      switch value.lowercased() {
      case "on": return true
      case "off": return false
      default: throw WAFConfigError("ctl:\(name) takes On or Off, got \(value)", at: location)
      }
    }
    func target(_ spec: Substring) throws(WAFConfigError) -> RuleExclusion {
      let parsed = try RuleSyntax.parseTargets(String(spec), at: location)
      guard parsed.count == 1 else { throw WAFConfigError("ctl target must be one variable: \(spec)", at: location) }
      let compiled = try compileTarget(parsed[0], at: location)
      return RuleExclusion(variable: compiled.variable, selector: compiled.selector)
    }
    switch name {
    case "ruleengine":
      guard let mode = EngineMode.allCasesCaseInsensitive(value) else {
        throw WAFConfigError("ctl:ruleEngine takes On, Off or DetectionOnly, got \(value)", at: location)
      }
      return .ruleEngine(mode)
    case "ruleremovebyid":
      return .ruleRemoveById(try Self.parseIDRanges(value, at: location))
    case "ruleremovebytag":
      return .ruleRemoveByTag(value)
    case "ruleremovetargetbyid", "ruleremovetargetbytag":
      guard let semicolon = value.firstIndex(of: ";") else {
        throw WAFConfigError("ctl:\(name) takes ID;TARGET, got \(value)", at: location)
      }
      let removed = try target(value[value.index(after: semicolon)...])
      if name == "ruleremovetargetbyid" {
        return .ruleRemoveTargetById(try Self.parseIDRanges(String(value[..<semicolon]), at: location), removed)
      }
      return .ruleRemoveTargetByTag(String(value[..<semicolon]), removed)
    case "requestbodyprocessor":
      guard let kind = BodyProcessorKind(rawValue: value.uppercased()) else {
        throw WAFConfigError("ctl:requestBodyProcessor takes URLENCODED, MULTIPART, JSON or XML, got \(value)", at: location)
      }
      return .requestBodyProcessor(kind)
    case "requestbodyaccess": return .requestBodyAccess(try onOff())
    case "responsebodyaccess": return .responseBodyAccess(try onOff())
    case "forcerequestbodyvariable": return .forceRequestBodyVariable(try onOff())
    case "auditengine": return .auditEngine(value)
    case "auditlogparts": return .auditLogParts(value)
    case "debugloglevel":
      guard let level = Int(value) else { throw WAFConfigError("ctl:debugLogLevel takes a number", at: location) }
      return .debugLogLevel(level)
    default:
      throw WAFConfigError("unknown or unsupported ctl:\(text[..<equals])", at: location)
    }
  }

  // MARK: Targets

  func compileTarget(_ syntax: TargetSyntax, at location: ConfigLocation) throws(WAFConfigError) -> RuleTarget {
    guard let variable = VariableName(name: syntax.collection) else {
      throw WAFConfigError("unknown variable \(syntax.collection)", at: location)
    }
    var selector = RuleTarget.Selector.all
    var text = variable.rawValue
    switch syntax.key {
    case .none: break
    case .name(let key):
      if !variable.isCollection {
        throw WAFConfigError("variable \(variable.rawValue) has no keys (\(variable.rawValue):\(key))", at: location)
      }
      selector = .key(KeySelector(key))
      text += ":" + key
    case .regex(let pattern):
      if !variable.isCollection {
        throw WAFConfigError("variable \(variable.rawValue) has no keys", at: location)
      }
      do {
        let regex = try PCRE2Regex(pattern, options: [.caseless, .dotAll], limits: Limits(regexMatchLimit: settings.pcreMatchLimit))
        selector = .regex(regex, source: pattern, literalPrefix: RuleTarget.Selector.literalPrefix(of: pattern))
      } catch {
        throw WAFConfigError("bad key pattern /\(pattern)/: \(error.message)", at: location)
      }
      text += ":/" + pattern + "/"
    }
    if syntax.isCount { text = "&" + text }
    return RuleTarget(variable: variable, variableIndex: Int(variable.cacheIndex), selector: selector, isCount: syntax.isCount, text: text)
  }

  // MARK: Finishing

  mutating func finish() throws(WAFConfigError) -> (phases: [[PhaseEntry]], settings: WAFSettings, tags: [String: Int]) {
    if let open = pendingChain.first {
      throw WAFConfigError("rule \(open.id.map(String.init) ?? "?") is chained but no rule follows", at: open.location)
    }
    var phases: [[PhaseEntry]] = Array(repeating: [], count: 6)
    var regexCache: [String: PCRE2Regex] = [:]
    for phase in 1...5 {
      for entry in entries[phase] {
        switch entry {
        case .marker(let name):
          phases[phase].append(.marker(name))
        case .rule(var draft):
          guard let id = draft.id else { continue }
          if removeByID.contains(where: { $0.contains(id) }) { continue }
          if draft.tags.contains(where: { removeByTag.contains($0) }) { continue }
          if let msg = draft.msg, removeByMsg.contains(msg) { continue }
          for update in updateTargetsByID where update.ids.contains(where: { $0.contains(id) }) {
            draft.targets += update.targets
          }
          for update in updateTargetsByTag where draft.tags.contains(update.tag) {
            draft.targets += update.targets
          }
          for update in updateActionsByID where update.ids.contains(where: { $0.contains(id) }) {
            draft.actions = Self.merge(draft.actions, with: update.actions)
          }
          let rule = try compile(draft, phase: phase, isChainChild: false, regexCache: &regexCache)
          phases[phase].append(.rule(rule))
        }
      }
    }
    return (phases, settings, tagTable)
  }

  /// SecRuleUpdateActionById: single-valued actions replace, disruptive actions replace each
  /// other, repeatable ones (tag, setvar, t, ctl) are appended.
  static func merge(_ actions: [ActionSyntax], with updates: [ActionSyntax]) -> [ActionSyntax] {
    let disruptive: Set<String> = ["pass", "deny", "drop", "block", "allow", "redirect"]
    let repeatable: Set<String> = ["tag", "setvar", "t", "ctl", "initcol", "expirevar"]
    var result = actions
    for update in updates {
      let name = update.name.lowercased()
      if disruptive.contains(name) {
        result.removeAll { disruptive.contains($0.name.lowercased()) }
      } else if name == "log" || name == "nolog" {
        result.removeAll { $0.name.lowercased() == "log" || $0.name.lowercased() == "nolog" }
      } else if name == "auditlog" || name == "noauditlog" {
        result.removeAll { $0.name.lowercased() == "auditlog" || $0.name.lowercased() == "noauditlog" }
      } else if !repeatable.contains(name) {
        result.removeAll { $0.name.lowercased() == name }
      }
      result.append(update)
    }
    return result
  }

  mutating func compile(_ draft: RuleDraft, phase: Int, isChainChild: Bool, regexCache: inout [String: PCRE2Regex]) throws(WAFConfigError) -> Rule {
    let location = draft.location
    var targets: [RuleTarget] = []
    var exclusions: [RuleExclusion] = []
    var pendingTargets: [RuleTarget] = []
    for syntax in draft.targets {
      let target = try compileTarget(syntax, at: location)
      if syntax.isExclusion {
        exclusions.append(RuleExclusion(variable: target.variable, selector: target.selector))
      } else {
        pendingTargets.append(target)
      }
    }
    let op = try compileOperator(draft.op, at: location, regexCache: &regexCache)

    // Default actions (of this phase) apply to chain starters; the rule's own come after them.
    let defaults = isChainChild ? [] : (defaultActions[phase] ?? [])
    var transformationNames: [String] = []
    for action in defaults + draft.actions where action.name.lowercased() == "t" {
      transformationNames.append(action.value ?? "")
    }
    if let lastNone = transformationNames.lastIndex(where: { $0.lowercased() == "none" }) {
      transformationNames.removeFirst(lastNone + 1)
    }
    var transformations: [Transformation] = []
    for name in transformationNames {
      guard let t = Transformation(name: name) else {
        throw WAFConfigError("unknown transformation t:\(name)", at: location)
      }
      transformations.append(t)
    }
    let chainID: Int
    if let known = transformationChainIDs[transformations] {
      chainID = known
    } else {
      chainID = transformationChainIDs.count
      transformationChainIDs[transformations] = chainID
    }

    for target in pendingTargets {
      let pair = chainID &* VariableName.cacheIndexCount &+ target.variableIndex
      let slot: Int
      if let known = cacheSlots[pair] {
        slot = known
      } else {
        slot = cacheSlots.count
        cacheSlots[pair] = slot
      }
      targets.append(
        RuleTarget(
          variable: target.variable, variableIndex: target.variableIndex, cacheSlot: slot, selector: target.selector,
          isCount: target.isCount, text: target.text))
    }

    var multiMatch = false, capture = false
    var setvars: [SetVarAction] = []
    var ctls: [CtlAction] = []
    var msg: Macro?, logdata: Macro?
    var tags: [String] = []
    var severity: Int?, maturity: Int?, accuracy: Int?
    var version: String?, revision: String?
    var disruptive: Disruptive?
    var defaultDisruptive: Disruptive?
    var status: Int?
    var log = true, auditLog = true
    var skip = 0
    var skipAfter: String?
    var id = 0

    func disruptiveAction(_ action: ActionSyntax) throws(WAFConfigError) -> Disruptive? {
      switch action.name.lowercased() {
      case "pass": return .pass
      case "deny": return .deny
      case "drop": return .drop
      case "block": return .block
      case "allow":
        switch (action.value ?? "").lowercased() {
        case "": return .allow(.all)
        case "phase": return .allow(.phase)
        case "request": return .allow(.request)
        default: throw WAFConfigError("allow takes phase or request, got \(action.value ?? "")", at: location)
        }
      case "redirect": return .redirect(try Macro(action.value ?? "", at: location))
      default: return nil
      }
    }

    for action in defaults {
      let name = action.name.lowercased()
      if let d = try disruptiveAction(action) {
        defaultDisruptive = d
        continue
      }
      switch name {
      case "log": log = true
      case "nolog": log = false
      case "auditlog": auditLog = true
      case "noauditlog": auditLog = false
      case "status": status = Int(action.value ?? "")
      case "tag": tags.append(action.value ?? "")
      case "severity": severity = Self.severityNumber(action.value ?? "")
      case "setvar": setvars.append(try parseSetVar(action.value ?? "", at: location))
      default: break
      }
    }
    for action in draft.actions {
      let name = action.name.lowercased()
      let value = action.value ?? ""
      if let d = try disruptiveAction(action) {
        disruptive = d
        continue
      }
      switch name {
      case "id": id = Int(value.trimmingASCIISpaces()) ?? 0
      case "phase", "t", "chain": break
      case "msg": msg = try Macro(value, at: location)
      case "logdata": logdata = try Macro(value, at: location)
      case "tag": tags.append(value)
      case "severity": severity = Self.severityNumber(value)
      case "ver": version = value
      case "rev": revision = value
      case "maturity": maturity = Int(value)
      case "accuracy": accuracy = Int(value)
      case "capture": capture = true
      case "multimatch": multiMatch = true
      case "setvar": setvars.append(try parseSetVar(value, at: location))
      case "ctl": ctls.append(try parseCtl(value, at: location))
      case "skip":
        guard let n = Int(value), n >= 0 else { throw WAFConfigError("skip takes a count, got \(value)", at: location) }
        skip = n
      case "skipafter": skipAfter = value
      case "status": status = Int(value)
      case "log": log = true
      case "nolog": log = false
      case "auditlog": auditLog = true
      case "noauditlog": auditLog = false
      case "initcol", "expirevar", "xmlns", "setenv", "sanitisearg", "sanitiserequestheader",
        "sanitiseresponseheader", "sanitizearg", "sanitizerequestheader", "sanitizeresponseheader",
        "sanitisematched", "sanitizematched":
        // Persistent collections exist per transaction here (no shared store behind IP/GLOBAL),
        // and sanitising only masks audit-log output, which this engine does not write.
        break
      default:
        throw WAFConfigError("unknown or unsupported action \(action.name)", at: location)
      }
    }
    // `block` takes the phase's default disruptive action.
    if disruptive == .block {
      disruptive = defaultDisruptive ?? .pass
    } else if disruptive == nil, !isChainChild {
      disruptive = nil
    }

    var chain: Rule?
    if let child = draft.children.first {
      chain = try compile(child, phase: phase, isChainChild: true, regexCache: &regexCache)
    }
    return Rule(
      id: id, phase: phase, location: location, targets: targets, exclusions: exclusions, op: op,
      transformations: transformations, multiMatch: multiMatch, capture: capture, chain: chain,
      isChainChild: isChainChild, setvars: setvars, ctls: ctls, msg: msg, logdata: logdata, tags: tags,
      tagIDs: tags.map { tag in
        if let id = tagTable[tag] { return id }
        let id = tagTable.count
        tagTable[tag] = id
        return id
      },
      severity: severity, version: version, revision: revision, maturity: maturity, accuracy: accuracy,
      disruptive: disruptive, status: status, log: log, auditLog: auditLog, skip: skip, skipAfter: skipAfter,
      text: draft.text)
  }

  // MARK: Operators

  mutating func compileOperator(_ syntax: OperatorSyntax, at location: ConfigLocation, regexCache: inout [String: PCRE2Regex]) throws(WAFConfigError) -> RuleOperator {
    let name = syntax.name
    let argument = syntax.argument
    func macro() throws(WAFConfigError) -> Macro { try Macro(argument, at: location) }
    let kind: RuleOperator.Kind
    switch name.lowercased() {
    case "rx":
      let m = try macro()
      if m.isConstant {
        if let cached = regexCache[argument] {
          kind = .rx(cached)
        } else {
          do {
            let regex = try PCRE2Regex(
              argument, options: [.dotAll, .multiline],
              limits: Limits(regexMatchLimit: settings.pcreMatchLimit, regexDepthLimit: max(settings.pcreMatchLimitRecursion, 1)))
            regexCache[argument] = regex
            kind = .rx(regex)
          } catch {
            throw WAFConfigError("@rx: \(error.message)", at: location)
          }
        }
      } else {
        kind = .rxMacro(m)
      }
    case "pm":
      let phrases = AhoCorasick.phrases(fromArgument: argument)
      if phrases.isEmpty { throw WAFConfigError("@pm needs at least one phrase", at: location) }
      kind = .pm(PhraseMatcher(automaton: AhoCorasick(patterns: phrases), phrases: phrases))
    case "pmfromfile", "pmf":
      var phrases: [[UInt8]] = []
      for file in argument.split(separator: " ") {
        let path = ConfigReader.resolve(String(file), relativeTo: location.file)
        let source: SourceFile
        do {
          source = try SourceFile.read(path: path)
        } catch {
          throw WAFConfigError("@\(name): cannot read \(path): \(error.message)", at: location)
        }
        phrases += AhoCorasick.phrases(fromFile: source.bytes)
      }
      kind = .pm(PhraseMatcher(automaton: AhoCorasick(patterns: phrases), phrases: phrases))
    case "eq": kind = .numeric(.eq, try macro())
    case "ge": kind = .numeric(.ge, try macro())
    case "gt": kind = .numeric(.gt, try macro())
    case "le": kind = .numeric(.le, try macro())
    case "lt": kind = .numeric(.lt, try macro())
    case "streq": kind = .string(.streq, try macro())
    case "contains": kind = .string(.contains, try macro())
    case "containsword": kind = .string(.containsWord, try macro())
    case "beginswith": kind = .string(.beginsWith, try macro())
    case "endswith": kind = .string(.endsWith, try macro())
    case "within": kind = .string(.within, try macro())
    case "strmatch": kind = .string(.strmatch, try macro())
    case "validatebyterange":
      do {
        kind = .validateByteRange(try ByteRangeSet(parsing: argument))
      } catch {
        throw WAFConfigError("@validateByteRange: \(error)", at: location)
      }
    case "validateurlencoding": kind = .validateURLEncoding
    case "validateutf8encoding": kind = .validateUTF8Encoding
    case "detectsqli": kind = .detectSQLi
    case "detectxss": kind = .detectXSS
    case "ipmatch":
      do {
        kind = .ipMatch(try IPMatchSet(list: argument))
      } catch {
        throw WAFConfigError("@ipMatch: \(error)", at: location)
      }
    case "ipmatchfromfile", "ipmatchf":
      let path = ConfigReader.resolve(argument, relativeTo: location.file)
      let source: SourceFile
      do {
        source = try SourceFile.read(path: path)
      } catch {
        throw WAFConfigError("@ipMatchFromFile: cannot read \(path): \(error.message)", at: location)
      }
      let list = String(decoding: source.bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" })
        .map { $0.trimmingCharactersInSet() }.filter { !$0.isEmpty && !$0.hasPrefix("#") }.joined(separator: ",")
      do {
        kind = .ipMatch(try IPMatchSet(list: list))
      } catch {
        throw WAFConfigError("@ipMatchFromFile \(path): \(error)", at: location)
      }
    case "geolookup": kind = .geoLookupWithoutDatabase
    case "rbl":
      guard !argument.isEmpty else { throw WAFConfigError("@rbl needs a DNS zone", at: location) }
      kind = .rbl(argument.trimmingASCIISpaces())
    case "unconditionalmatch": kind = .unconditionalMatch
    case "nomatch": kind = .noMatch
    default:
      throw WAFConfigError("unknown or unsupported operator @\(name)", at: location)
    }
    return RuleOperator(kind: kind, negated: syntax.negated, name: name, argument: argument)
  }
}

extension EngineMode {
  static func allCasesCaseInsensitive(_ text: String) -> EngineMode? {
    switch text.lowercased() {
    case "on": return .on
    case "off": return .off
    case "detectiononly": return .detectionOnly
    default: return nil
    }
  }
}

extension Substring {
  func trimmingCharactersInSet() -> String { String(self).trimmingASCIISpaces() }
}
