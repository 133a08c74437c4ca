public import PolicyCore

/// One compiled target of a rule: a variable, optionally narrowed to a key or a key pattern, or
/// counted (`&ARGS`).
final class RuleTarget: Sendable {
  enum Selector: Sendable {
    case all
    /// Lowercased key (collection keys compare case-insensitively).
    case key(KeySelector)
    /// `/pattern/`; `literalPrefix` is set (lowercased) when the pattern is `^` and literal
    /// characters only, which the key test answers by comparing bytes instead of matching.
    case regex(PCRE2Regex, source: String, literalPrefix: [UInt8]?)

    /// The lowercased literal of a key pattern `^literal` (letters, digits and punctuation that
    /// is not a regex metacharacter), or nil. Key patterns compile caseless without UTF or
    /// multiline, so such a pattern matches exactly the keys that start with the literal in
    /// ASCII case-insensitive comparison.
    static func literalPrefix(of pattern: String) -> [UInt8]? {
      let bytes = Array(pattern.utf8)
      guard bytes.first == UInt8(ascii: "^") else { return nil }
      var literal: [UInt8] = []
      for byte in bytes.dropFirst() {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): literal.append(byte)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): literal.append(byte + 0x20)
        case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "@"),
          UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "!"), UInt8(ascii: "&"), UInt8(ascii: "~"), UInt8(ascii: "%"):
          literal.append(byte)
        default: return nil
        }
      }
      return literal
    }

    /// Whether the key (`key` as sent, `loweredKey` ASCII-lowercased) is selected by a
    /// `/pattern/` selector.
    @inline(__always)
    static func regexSelects(_ regex: PCRE2Regex, literalPrefix: [UInt8]?, key: [UInt8], loweredKey: [UInt8], scratch: PCRE2Regex.Scratch) -> Bool {
      if let literalPrefix { return loweredKey.starts(with: literalPrefix) }
      return key.withUnsafeBufferPointer { regex.match($0, scratch: scratch) == .match }
    }
  }
  let variable: VariableName
  /// `variable.cacheIndex`, computed once.
  let variableIndex: Int
  /// Slot of (this rule's transformation list, this variable) in a transaction's
  /// transformation cache; slots are numbered densely over the pairs rules actually use.
  let cacheSlot: Int
  let selector: Selector
  let isCount: Bool
  /// How the target is written (`ARGS:foo`), for messages.
  let text: String

  init(variable: VariableName, variableIndex: Int, cacheSlot: Int = 0, selector: Selector, isCount: Bool, text: String) {
    self.variable = variable
    self.variableIndex = variableIndex
    self.cacheSlot = cacheSlot
    self.selector = selector
    self.isCount = isCount
    self.text = text
  }
}

/// An exclusion (`!ARGS:foo`, `!REQUEST_COOKIES:/^_ga/`) removing values from a rule's targets.
struct RuleExclusion: Sendable {
  var variable: VariableName
  var selector: RuleTarget.Selector

  func excludes(_ variable: VariableName, loweredKey: [UInt8], key: [UInt8], scratch: PCRE2Regex.Scratch) -> Bool {
    guard variable == self.variable else { return false }
    switch selector {
    case .all: return true
    case .key(let key): return key.lowered == loweredKey
    case .regex(let regex, _, let prefix):
      return RuleTarget.Selector.regexSelects(regex, literalPrefix: prefix, key: key, loweredKey: loweredKey, scratch: scratch)
    }
  }
}

enum Disruptive: Sendable, Equatable {
  case pass
  case deny
  case drop
  case block
  case allow(AllowScope)
  case redirect(Macro)

  enum AllowScope: Sendable, Equatable { case all, phase, request }

  var isBlockingAction: Bool {
    switch self {
    case .deny, .drop, .redirect: return true
    default: return false
    }
  }
}

enum SetVarOperation: Sendable {
  case set(Macro)
  case add(Macro)
  case subtract(Macro)
  case delete
}

struct SetVarAction: Sendable {
  var collection: VariableName
  /// Lowercased key, possibly with macros (`tx.%{rule.id}-foo`).
  var key: Macro
  var operation: SetVarOperation
  /// The key when it has no macros (nearly always), ready for the collection's dictionary.
  let constantKey: String?
  /// `constantKey`'s bytes, so a new TX entry needs no conversion.
  let constantKeyBytes: [UInt8]?

  init(collection: VariableName, key: Macro, operation: SetVarOperation) {
    self.collection = collection
    self.key = key
    self.operation = operation
    self.constantKey = key.constantValue.map { String(decoding: $0, as: UTF8.self) }
    self.constantKeyBytes = key.constantValue
  }
}

enum CtlAction: Sendable {
  case ruleEngine(EngineMode)
  case ruleRemoveById([ClosedRange<Int>])
  case ruleRemoveByTag(String)
  case ruleRemoveTargetById([ClosedRange<Int>], RemovedTarget)
  case ruleRemoveTargetByTag(String, RemovedTarget)
  case requestBodyProcessor(BodyProcessorKind)
  case requestBodyAccess(Bool)
  case forceRequestBodyVariable(Bool)
  case auditEngine(String)
  case auditLogParts(String)
  case responseBodyAccess(Bool)
  case debugLogLevel(Int)
}

/// A target removed by `ctl:ruleRemoveTarget*` or `SecRuleUpdateTargetBy*` exclusions.
struct RemovedTarget: Sendable {
  var variable: VariableName
  var selector: RuleTarget.Selector
}

/// How SecLang sets the engine: `SecRuleEngine` and `ctl:ruleEngine`.
public enum EngineMode: String, Sendable {
  case on = "On"
  case off = "Off"
  case detectionOnly = "DetectionOnly"
}

public enum BodyProcessorKind: String, Sendable {
  case urlencoded = "URLENCODED"
  case multipart = "MULTIPART"
  case json = "JSON"
  case xml = "XML"
}

/// A compiled rule (SecRule or SecAction), with its chained rules.
final class Rule: Sendable {
  let id: Int
  let phase: Int
  let location: ConfigLocation
  let targets: [RuleTarget]
  let exclusions: [RuleExclusion]
  let op: RuleOperator
  let transformations: [Transformation]
  let multiMatch: Bool
  let capture: Bool
  let chain: Rule?
  let isChainChild: Bool
  let setvars: [SetVarAction]
  let ctls: [CtlAction]
  let msg: Macro?
  let logdata: Macro?
  let tags: [String]
  /// The tags as ids into the rule set's tag table (ctl removals by tag compare ids).
  let tagIDs: [Int]
  let severity: Int?
  let version: String?
  let revision: String?
  let maturity: Int?
  let accuracy: Int?
  let disruptive: Disruptive?
  let status: Int?
  let log: Bool
  let auditLog: Bool
  let skip: Int
  let skipAfter: String?
  /// The source text, for logs and `policy waf` listings.
  let text: String

  init(
    id: Int, phase: Int, location: ConfigLocation, targets: [RuleTarget], exclusions: [RuleExclusion],
    op: RuleOperator, transformations: [Transformation], multiMatch: Bool, capture: Bool, chain: Rule?,
    isChainChild: Bool, setvars: [SetVarAction], ctls: [CtlAction], msg: Macro?, logdata: Macro?,
    tags: [String], tagIDs: [Int], severity: Int?, version: String?, revision: String?, maturity: Int?, accuracy: Int?,
    disruptive: Disruptive?, status: Int?, log: Bool, auditLog: Bool, skip: Int, skipAfter: String?,
    text: String
  ) {
    self.id = id
    self.phase = phase
    self.location = location
    self.targets = targets
    self.exclusions = exclusions
    self.op = op
    self.transformations = transformations
    self.multiMatch = multiMatch
    self.capture = capture
    self.chain = chain
    self.isChainChild = isChainChild
    self.setvars = setvars
    self.ctls = ctls
    self.msg = msg
    self.logdata = logdata
    self.tags = tags
    self.tagIDs = tagIDs
    self.severity = severity
    self.version = version
    self.revision = revision
    self.maturity = maturity
    self.accuracy = accuracy
    self.disruptive = disruptive
    self.status = status
    self.log = log
    self.auditLog = auditLog
    self.skip = skip
    self.skipAfter = skipAfter
    self.text = text
  }
}

/// An entry in a phase's rule list: a rule or a `SecMarker` (skipAfter's target).
enum PhaseEntry: Sendable {
  case rule(Rule)
  case marker(String)
}

/// A literal collection key (`ARGS:foo`), prepared for case-insensitive comparison.
struct KeySelector: Sendable {
  let original: String
  let bytes: [UInt8]
  let lowered: [UInt8]
  let loweredString: String

  init(_ key: String) {
    original = key
    bytes = Array(key.utf8)
    lowered = asciiLowercased(bytes)
    loweredString = String(decoding: lowered, as: UTF8.self)
  }
}
