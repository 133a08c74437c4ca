import PolicyCore

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
  /// `selector` for the rule loop; its bytes live in `keyOwner`.
  let keyTest: KeyTest
  private let keyOwner: OwnedBytes?
  /// Whether every value of the variable can be collected once per phase and shared by the
  /// phase's rules (see ``VariableName/isStableWithinPhase``): an all-values target that is not
  /// a count.
  let sharedWithinPhase: Bool

  init(variable: VariableName, variableIndex: Int, cacheSlot: Int = 0, selector: Selector, isCount: Bool, text: String) {
    self.variable = variable
    self.variableIndex = variableIndex
    self.cacheSlot = cacheSlot
    self.selector = selector
    self.isCount = isCount
    self.text = text
    (keyTest, keyOwner) = KeyTest.compile(selector)
    if case .all = selector, !isCount {
      sharedWithinPhase = variable.isStableWithinPhase
    } else {
      sharedWithinPhase = false
    }
  }
}

/// What the rule loop needs of a target before it touches the target itself: whether the
/// phase's shared list answers it, and its cache slot. A rule set keeps these for all its rules in
/// one array in evaluation order (see ``WAFRuleSet/targetSteps``), so walking the rules walks the
/// array front to back instead of visiting one heap object per target (a cache miss each, for
/// the 700 rules of a PL4 request).
struct TargetStep: @unchecked Sendable {
  let target: Unmanaged<RuleTarget>
  /// `variableIndex` when `sharedWithinPhase`, else -1.
  let sharedIndex: Int32
  let cacheSlot: Int32
}

/// An exclusion (`!ARGS:foo`, `!REQUEST_COOKIES:/^_ga/`) removing values from a rule's targets;
/// also what `ctl:ruleRemoveTargetById/ByTag` removes.
struct RuleExclusion: Sendable {
  let variable: VariableName
  let selector: RuleTarget.Selector
  /// `selector` for the rule loop; its bytes live in `keyOwner`.
  let keyTest: KeyTest
  private let keyOwner: OwnedBytes?

  init(variable: VariableName, selector: RuleTarget.Selector) {
    self.variable = variable
    self.selector = selector
    (keyTest, keyOwner) = KeyTest.compile(selector)
  }
}

/// A selector (all keys, `:key`, `:/pattern/`) in the form the rule loop reads: plain values, so
/// testing a key costs no reference counting. The bytes and the regex belong to the rule (or the
/// exclusion) that made it, which outlives every transaction using it.
struct KeyTest: @unchecked Sendable {
  enum Kind: UInt8 { case all, key, prefix, regex }
  let kind: Kind
  /// The lowercased key (`.key`) or literal prefix (`.prefix`).
  let bytes: ByteSpan
  let regex: Unmanaged<PCRE2Regex>?
  /// `WritableCollection.hash(bytes)` (TX lookups by key).
  let hash: Int

  static let all = KeyTest(kind: .all, bytes: .empty, regex: nil, hash: 0)

  /// The test for `selector`, and the storage its bytes live in (keep it with the selector).
  static func compile(_ selector: RuleTarget.Selector) -> (KeyTest, OwnedBytes?) {
    switch selector {
    case .all:
      return (.all, nil)
    case .key(let key):
      let owner = OwnedBytes(key.lowered)
      return (KeyTest(kind: .key, bytes: owner.span, regex: nil, hash: WritableCollection.hash(owner.span.buffer)), owner)
    case .regex(let regex, _, let prefix):
      if let prefix {
        let owner = OwnedBytes(prefix)
        return (KeyTest(kind: .prefix, bytes: owner.span, regex: nil, hash: 0), owner)
      }
      return (KeyTest(kind: .regex, bytes: .empty, regex: Unmanaged.passUnretained(regex), hash: 0), nil)
    }
  }

  /// Whether the key (`key` as sent, `loweredKey` ASCII-lowercased) is selected. Key patterns
  /// match the key as sent (they compile caseless).
  @inline(__always)
  func selects(key: ByteSpan, loweredKey: ByteSpan, scratch: Unmanaged<PCRE2Regex.Scratch>?) -> Bool {
    switch kind {
    case .all: return true
    case .key: return loweredKey.elementsEqual(bytes)
    case .prefix: return loweredKey.hasPrefix(bytes)
    case .regex:
      guard let regex, let scratch else { return false }
      return regex._withUnsafeGuaranteedRef { regex in
        scratch._withUnsafeGuaranteedRef { regex.match(key.buffer, scratch: $0) == .match }
      }
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

/// A `setvar`. A class: the rule loop runs thousands per request, and reading one through a
/// reference copies none of its macros.
final class SetVarAction: Sendable {
  let collection: VariableName
  /// Lowercased key, possibly with macros (`tx.%{rule.id}-foo`).
  let key: Macro
  let operation: SetVarOperation
  /// The key when it has no macros (nearly always): a new TX entry needs no conversion.
  let constantKeyBytes: [UInt8]?
  /// The value of `set` without macros, and the number `add`/`subtract` read from it.
  let constantValue: [UInt8]?
  let constantInteger: Int?
  /// The collection's hash of `constantKeyBytes`, computed once.
  let constantKeyHash: Int

  init(collection: VariableName, key: Macro, operation: SetVarOperation) {
    self.collection = collection
    self.key = key
    self.operation = operation
    self.constantKeyBytes = key.constantValue
    switch operation {
    case .set(let macro), .add(let macro), .subtract(let macro):
      constantValue = macro.constantValue
    case .delete:
      constantValue = nil
    }
    constantInteger = constantValue.map { secLangInteger($0) }
    constantKeyHash = (key.constantValue ?? []).withUnsafeBufferPointer { WritableCollection.hash($0) }
  }
}

enum CtlAction: Sendable {
  case ruleEngine(EngineMode)
  case ruleRemoveById([ClosedRange<Int>])
  case ruleRemoveByTag(String)
  case ruleRemoveTargetById([ClosedRange<Int>], RuleExclusion)
  case ruleRemoveTargetByTag(String, RuleExclusion)
  case requestBodyProcessor(BodyProcessorKind)
  case requestBodyAccess(Bool)
  case forceRequestBodyVariable(Bool)
  case auditEngine(String)
  case auditLogParts(String)
  case responseBodyAccess(Bool)
  case debugLogLevel(Int)
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
  /// `tagBit` of every tag id: a quick test for "may carry tag t".
  let tagMask: UInt64
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
  /// `!transformations.isEmpty`, read per value without touching the array.
  let hasTransformations: Bool
  /// `targets` as unretained references (the array keeps them alive), so the loop reads a
  /// target without reference counting.
  let targetReferences: [Unmanaged<RuleTarget>]
  /// Where this rule's targets start in its rule set's ``WAFRuleSet/targetSteps`` (-1 until the
  /// rule set lays them out). Written once, while the rule set is built and before it is shared.
  nonisolated(unsafe) var targetStepStart: Int32 = -1
  /// For an `@pm` rule that scans together with others (see ``WAFRuleSet/phraseScanSets``): its
  /// set's index, else -1, and its automaton's index in the set. Written like `targetStepStart`.
  nonisolated(unsafe) var phraseScanSet: Int32 = -1
  nonisolated(unsafe) var phraseScanLane: Int32 = 0
  /// `targets.count` and `op.negated`, kept in the rule so the loop reads neither the target
  /// array nor the operator object for them.
  let targetCount: Int
  let negated: Bool
  /// The regular expression of an `@rx` rule without multiMatch (the common case, which the
  /// loop matches directly); it lives in `op`.
  let plainRegex: Unmanaged<PCRE2Regex>?
  /// The phrase matcher of an `@pm`/`@pmFromFile` rule, which ``WAFTransaction`` uses without
  /// switching over (and so copying) the operator's kind; it lives in `op`.
  let phraseMatcher: Unmanaged<PhraseMatcher>?

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
    self.tagMask = tagIDs.reduce(0) { $0 | Rule.tagBit($1) }
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
    self.hasTransformations = !transformations.isEmpty
    self.targetReferences = targets.map { Unmanaged.passUnretained($0) }
    self.targetCount = targets.count
    self.negated = op.negated
    if case .rx(let regex) = op.kind, !multiMatch {
      plainRegex = Unmanaged.passUnretained(regex)
    } else {
      plainRegex = nil
    }
    if case .pm(let matcher) = op.kind {
      phraseMatcher = Unmanaged.passUnretained(matcher)
    } else {
      phraseMatcher = nil
    }
  }
}

extension Rule {
  /// A tag id's bit in `tagMask` (ids share bits modulo 64).
  static func tagBit(_ tagID: Int) -> UInt64 { 1 << UInt64(UInt(bitPattern: tagID) % 64) }
}

/// An entry in a phase's rule list: a rule or a `SecMarker` (skipAfter's target).
enum PhaseEntry: Sendable {
  case rule(Rule)
  case marker(String)
}

/// A literal collection key (`ARGS:foo`), prepared for case-insensitive comparison.
struct KeySelector: Sendable {
  let original: String
  let lowered: [UInt8]

  init(_ key: String) {
    original = key
    lowered = asciiLowercased(Array(key.utf8))
  }
}
