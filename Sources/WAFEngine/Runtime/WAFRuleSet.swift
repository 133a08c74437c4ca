import PolicyCore
internal import Synchronization

/// A loaded SecLang configuration: settings and the rules of each phase. Immutable and Sendable;
/// create one per configuration and any number of transactions from it, on any threads.
public final class WAFRuleSet: Sendable {
  /// Engine settings from the configuration's directives.
  public let settings: WAFSettings
  let phases: [[PhaseEntry]]
  /// Tag text to the id rules carry in `tagIDs`.
  let tagTable: [String: Int]
  /// Number of (transformation list, variable) pairs rules use: the transformation cache's size.
  let transformationCacheSlotCount: Int
  /// Number of rules (chain starters) per phase 1...5.
  public var ruleCounts: [Int] { phases.map { $0.reduce(0) { if case .rule = $1 { return $0 + 1 } else { return $0 } } } }
  /// Total number of rules (chain starters; chained rules count with their starter).
  public var ruleCount: Int { ruleCounts.reduce(0, +) }

  /// `phases` as the phase loop reads them: plain steps (see ``PhaseStep``).
  let steps: [[PhaseStep]]
  /// Working memory finished transactions hand back for the next ones.
  let bufferPool = TransactionBufferPool()
  /// Every rule's targets as ``TargetStep``s, rule after rule in evaluation order (a chained
  /// rule's right after its starter's); `Rule.targetStepStart` indexes it. Owned here.
  /// Never written after `init`, so sharing it across threads is safe.
  nonisolated(unsafe) let targetSteps: UnsafeBufferPointer<TargetStep>
  /// `@pm` rules of one phase that read the same single-value variable through the same
  /// transformations (CRS checks RESPONSE_BODY against seven `@pmFromFile` lists) scan it
  /// together: the first of them to run finds every member's first phrase in one pass, and the
  /// others take their answers from the transaction's ``PhraseScanMemo`` (see `PhraseScanSet`).
  let phraseScanSets: [PhraseScanSet]

  init(settings: WAFSettings, phases: [[PhaseEntry]], tagTable: [String: Int], transformationCacheSlotCount: Int) {
    var laidOut: [TargetStep] = []
    for phase in phases {
      for case .rule(let starter) in phase {
        var next: Rule? = starter
        while let rule = next {
          rule.targetStepStart = Int32(laidOut.count)
          for reference in rule.targetReferences {
            let target = reference.takeUnretainedValue()
            laidOut.append(
              TargetStep(
                target: reference, sharedIndex: target.sharedWithinPhase ? Int32(target.variableIndex) : -1,
                cacheSlot: Int32(target.cacheSlot)))
          }
          next = rule.chain
        }
      }
    }
    let memory = UnsafeMutableBufferPointer<TargetStep>.allocate(capacity: max(laidOut.count, 1))
    _ = memory.initialize(from: laidOut)
    targetSteps = UnsafeBufferPointer(rebasing: memory[0..<laidOut.count])
    self.transformationCacheSlotCount = transformationCacheSlotCount
    phraseScanSets = Self.groupPhraseRules(phases)
    self.settings = settings
    self.phases = phases
    self.tagTable = tagTable
    // Markers numbered by name; a skipAfter naming no marker gets a number no marker has, so it
    // skips the rest of the phase (as in ModSecurity).
    var markerIDs: [String: Int32] = [:]
    for phase in phases {
      for case .marker(let name) in phase where markerIDs[name] == nil { markerIDs[name] = Int32(markerIDs.count) }
    }
    let missing = Int32(markerIDs.count)
    steps = phases.map { phase in
      phase.map { entry in
        switch entry {
        case .marker(let name):
          return PhaseStep(rule: nil, marker: markerIDs[name] ?? missing, skipAfter: -1)
        case .rule(let rule):
          let skipAfter = rule.skipAfter.map { markerIDs[$0] ?? missing } ?? -1
          return PhaseStep(rule: Unmanaged.passUnretained(rule), marker: -1, skipAfter: skipAfter)
        }
      }
    }
  }

  deinit {
    targetSteps.deallocate()
  }

  /// Groups the `@pm` rules that can scan together (see ``phraseScanSets``) and tells each member
  /// its set and lane. A rule qualifies with one target, not a count, on a variable holding one
  /// value that stays the same for the phase (a collection's several values, or a value rules
  /// change such as MATCHED_VAR, would make the members take turns evicting each other's memo),
  /// and without multiMatch (which scans every intermediate value). Members share the target's
  /// cache slot: the same variable through the same transformations.
  private static func groupPhraseRules(_ phases: [[PhaseEntry]]) -> [PhraseScanSet] {
    var sets: [PhraseScanSet] = []
    for phase in phases {
      var groups: [Int: [Rule]] = [:]
      var order: [Int] = []
      for case .rule(let starter) in phase {
        var next: Rule? = starter
        while let rule = next {
          next = rule.chain
          guard case .pm = rule.op.kind, !rule.multiMatch, rule.targets.count == 1 else { continue }
          let target = rule.targets[0]
          guard !target.isCount, !target.variable.isCollection, target.variable.isStableWithinPhase else { continue }
          if groups[target.cacheSlot] == nil { order.append(target.cacheSlot) }
          groups[target.cacheSlot, default: []].append(rule)
        }
      }
      for slot in order {
        guard let members = groups[slot], members.count > 1 else { continue }
        var automata: [AhoCorasick] = []
        for rule in members {
          guard case .pm(let matcher) = rule.op.kind else { continue }
          rule.phraseScanSet = Int32(sets.count)
          rule.phraseScanLane = Int32(automata.count)
          automata.append(matcher.automaton)
        }
        sets.append(PhraseScanSet(automata))
      }
    }
    return sets
  }

  /// Loads a configuration file and everything it includes.
  /// - Throws: `WAFConfigError` with file:line for unknown directives, bad rules and unreadable files.
  public static func load(path: String) throws(WAFConfigError) -> WAFRuleSet {
    var reader = ConfigReader()
    try reader.read(path: path)
    return try build(reader.directives)
  }

  /// Loads configuration text; `name` labels errors and anchors relative `Include`s.
  public static func load(text: String, name: String = "<config>") throws(WAFConfigError) -> WAFRuleSet {
    var reader = ConfigReader()
    try reader.read(text: Array(text.utf8), name: name)
    return try build(reader.directives)
  }

  static func build(_ directives: [ConfigDirective]) throws(WAFConfigError) -> WAFRuleSet {
    var builder = RuleSetBuilder()
    for directive in directives {
      try builder.apply(directive)
    }
    let (phases, settings, tags) = try builder.finish()
    return WAFRuleSet(settings: settings, phases: phases, tagTable: tags, transformationCacheSlotCount: builder.cacheSlots.count)
  }

  /// Every rule id (chain starters), in phase and file order.
  public var ruleIDs: [Int] {
    phases.flatMap { $0.compactMap { if case .rule(let r) = $0 { return r.id } else { return nil } } }
  }

  /// Runs one request (and optionally its response) through all phases.
  public func evaluate(_ request: HTTPRequest, response: HTTPResponse? = nil) -> WAFResult {
    let transaction = WAFTransaction(ruleSet: self, request: request)
    transaction.processRequest()
    if let response, transaction.intervention == nil {
      transaction.processResponse(response)
    }
    transaction.processLogging()
    return transaction.result
  }
}

/// A transaction's reusable working memory: its arena's chunks, its transformation tables and
/// its scratch lists. Allocating and clearing these cost several percent of a benign request, so
/// a finished transaction empties them (keeping their capacity) and returns them to its rule
/// set's ``TransactionBufferPool``.
struct TransactionBuffers: @unchecked Sendable {
  var arena = ByteArena()
  var transformationCache = TransformationCache(initialCapacity: 1024, filler: .empty)
  var transformationIdentities = IntegerKeyedTable(initialCapacity: 256, filler: TransformationIdentities())
  var candidates: [WAFTransaction.Candidate] = []
  var shared: [WAFTransaction.Candidate] = []
  var expansion: [UInt8] = []
  var phraseScans: [PhraseScanMemo] = []
  var matchedVars: [WAFTransaction.EntrySpans] = []
  var transformBuffers: ([UInt8], [UInt8]) = ([], [])

  /// What a pooled set may keep: anything a transaction grew past these (a huge body expanded
  /// into a message, thousands of arguments) is dropped rather than held for the next one.
  static let keptBytes = 64 << 10
  static let keptCandidates = 4096
  static let keptTableSlots = 16384

  /// Empties everything for the next transaction, keeping capacity up to the limits above.
  mutating func reset() {
    arena.reset()
    if transformationCache.capacity > Self.keptTableSlots {
      transformationCache = TransformationCache(initialCapacity: 1024, filler: .empty)
    } else {
      transformationCache.removeAll()
    }
    if transformationIdentities.capacity > Self.keptTableSlots {
      transformationIdentities = IntegerKeyedTable(initialCapacity: 256, filler: TransformationIdentities())
    } else {
      transformationIdentities.removeAll()
    }
    if candidates.capacity > Self.keptCandidates { candidates = [] } else { candidates.removeAll(keepingCapacity: true) }
    if shared.capacity > Self.keptCandidates { shared = [] } else { shared.removeAll(keepingCapacity: true) }
    if expansion.capacity > Self.keptBytes { expansion = [] } else { expansion.removeAll(keepingCapacity: true) }
    for index in phraseScans.indices { phraseScans[index].reset() }
    if matchedVars.capacity > Self.keptCandidates { matchedVars = [] } else { matchedVars.removeAll(keepingCapacity: true) }
    if transformBuffers.0.capacity > Self.keptBytes { transformBuffers.0 = [] }
    if transformBuffers.1.capacity > Self.keptBytes { transformBuffers.1 = [] }
  }

  /// Frees the arena's memory (the rest goes with the value).
  mutating func release() {
    arena.releaseAll()
  }
}

/// A transaction's last scan by one ``PhraseScanSet``: the input and each member's answer. The
/// input is kept as a copy and compared byte for byte, so an answer is only ever reused for the
/// same bytes, however the rules reached them.
struct PhraseScanMemo {
  private var input: [UInt8] = []
  private var results: [Int32] = []
  private var filled = false

  /// The phrase index `lane`'s automaton finds first in `bytes` (-1 for none), scanning with the
  /// whole set unless the memo holds `bytes` already.
  mutating func phraseIndex(lane: Int, in bytes: UnsafeBufferPointer<UInt8>, set: PhraseScanSet) -> Int {
    if !holds(bytes) {
      input.removeAll(keepingCapacity: true)
      input.append(contentsOf: bytes)
      if results.count != set.automata.count { results = [Int32](repeating: -1, count: set.automata.count) }
      results.withUnsafeMutableBufferPointer { set.firstPhraseIndexes(in: bytes, into: $0) }
      filled = true
    }
    return lane < results.count ? Int(results[lane]) : -1
  }

  private func holds(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard filled, input.count == bytes.count else { return false }
    return input.withUnsafeBufferPointer { bytesEqual($0, bytes) }
  }

  /// Forgets the scan, keeping at most ``TransactionBuffers/keptBytes`` of input capacity.
  mutating func reset() {
    filled = false
    if input.capacity > TransactionBuffers.keptBytes { input = [] } else { input.removeAll(keepingCapacity: true) }
  }
}

/// Finished transactions' ``TransactionBuffers``, shared by the threads using one rule set. Keeps
/// at most ``capacity`` sets, each at most about 1.5 MB (8 arena chunks of 32 KB, tables of up
/// to 16K slots, buffers of up to 64 KB each and lists of up to 4K entries, as
/// ``TransactionBuffers/reset()`` caps them); a transaction takes one when it starts.
final class TransactionBufferPool: Sendable {
  static let capacity = 16
  private let free = Mutex<[TransactionBuffers]>([])
  /// About what recent transactions' TX held (bytes, entries) and how many matches they recorded:
  /// a new transaction reserves that much up front instead of growing into it. Each hint follows
  /// the largest recent value and decays by an eighth per transaction (one unusual request does
  /// not size all later ones), and is capped at ``hintCap``.
  private let txBytes = Atomic<Int>(0)
  private let txEntries = Atomic<Int>(0)
  private let matchCount = Atomic<Int>(0)

  /// Sizes to reserve for a new transaction's TX and match list.
  var hints: (txBytes: Int, txEntries: Int, matches: Int) {
    (txBytes.load(ordering: .relaxed), txEntries.load(ordering: .relaxed), matchCount.load(ordering: .relaxed))
  }

  /// Largest hints: 16 KB of TX, 512 TX entries, 512 matches (CRS needs about half of each).
  static let hintCap = (bytes: 16 << 10, entries: 512)

  func record(txBytes bytes: Int, txEntries entries: Int, matches: Int) {
    // Load and store need not be one atomic step: a lost update only makes a hint less exact.
    func follow(_ hint: borrowing Atomic<Int>, _ value: Int, cap: Int) {
      let old = hint.load(ordering: .relaxed)
      hint.store(min(max(value, old - old / 8), cap), ordering: .relaxed)
    }
    follow(txBytes, bytes, cap: Self.hintCap.bytes)
    follow(txEntries, entries, cap: Self.hintCap.entries)
    follow(matchCount, matches, cap: Self.hintCap.entries)
  }

  func take() -> TransactionBuffers {
    free.withLock { $0.popLast() } ?? TransactionBuffers()
  }

  func give(_ buffers: consuming TransactionBuffers) {
    var buffers = buffers
    buffers.reset()
    let kept: TransactionBuffers? = free.withLock { list in
      guard list.count < Self.capacity else { return buffers }
      list.append(buffers)
      return nil
    }
    if var dropped = kept { dropped.release() }
  }

  deinit {
    free.withLock { list in
      for i in list.indices { list[i].release() }
    }
  }
}

/// One entry of a phase as the phase loop reads it: a rule (unretained: `phases` keeps it) or a
/// marker, with `skipAfter` targets as marker numbers instead of names. Plain values, so walking
/// the phase costs no reference counting.
struct PhaseStep: @unchecked Sendable {
  let rule: Unmanaged<Rule>?
  /// The marker's number, or -1 for a rule.
  let marker: Int32
  /// The number of the rule's skipAfter marker, or -1.
  let skipAfter: Int32
}

/// What a rule match produced: the fields of ModSecurity's log record.
public struct WAFMatch: Sendable, Hashable {
  /// The rule that matched: what it says of itself (id, tags, file, operator, ...) is read from
  /// it rather than copied into every match (a benign request matches about 90 rules).
  let rule: Rule
  /// The message, data, variable and value bytes, in that order, in a block of the transaction's
  /// ``MatchTextBlock``s; decoded to `String` only when read.
  let texts: MatchTextBlock
  let start: Int
  let lengths: (message: Int, data: Int, variable: Int, value: Int)
  /// Whether the rule logs (`log`, the default) rather than `nolog`.
  public let logged: Bool

  public var message: String { text(0) }
  public var data: String { text(1) }
  /// The operator and the variable that matched, as ModSecurity's "Matched ..." prefix reports it.
  public var matchedVariable: String { text(2) }
  public var matchedValue: String { text(3) }

  private func text(_ field: Int) -> String {
    let (offset, count) =
      switch field {
      case 0: (start, lengths.message)
      case 1: (start + lengths.message, lengths.data)
      case 2: (start + lengths.message + lengths.data, lengths.variable)
      default: (start + lengths.message + lengths.data + lengths.variable, lengths.value)
      }
    return String(decoding: UnsafeBufferPointer(start: texts.base + offset, count: count), as: UTF8.self)
  }

  public var ruleID: Int { rule.id }
  public var phase: Int { rule.phase }
  public var severity: Int? { rule.severity }
  public var tags: [String] { rule.tags }
  public var version: String? { rule.version }
  public var file: String { rule.location.file }
  public var line: Int { rule.location.line }
  public var operatorName: String { rule.op.name }
  public var operatorArgument: String { rule.op.argument }

  public static func == (a: WAFMatch, b: WAFMatch) -> Bool {
    a.rule === b.rule && a.message == b.message && a.data == b.data && a.matchedVariable == b.matchedVariable
      && a.matchedValue == b.matchedValue && a.logged == b.logged
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(ObjectIdentifier(rule))
    hasher.combine(message)
    hasher.combine(data)
    hasher.combine(matchedVariable)
    hasher.combine(matchedValue)
    hasher.combine(logged)
  }

  /// The record in ModSecurity's error-log shape: `... [id "942100"] [msg "..."] [data "..."] ...`.
  public func logLine(hostname: String, uri: String, uniqueID: String) -> String {
    var s = "ModSecurity: Warning. Matched \"Operator `\(operatorDisplayName)' with parameter `\(limited(operatorArgument, 200))' against variable `\(matchedVariable)' (Value: `\(limited(matchedValue, 200))' )"
    s += " [file \"\(file)\"] [line \"\(line)\"] [id \"\(ruleID)\"] [rev \"\"] [msg \"\(message)\"] [data \"\(data)\"]"
    s += " [severity \"\(severity.map(String.init) ?? "0")\"] [ver \"\(version ?? "")\"] [maturity \"0\"] [accuracy \"0\"]"
    for tag in tags { s += " [tag \"\(tag)\"]" }
    s += " [hostname \"\(hostname)\"] [uri \"\(uri)\"] [unique_id \"\(uniqueID)\"] [ref \"\"]"
    return s
  }

  private var operatorDisplayName: String {
    guard let first = operatorName.first else { return operatorName }
    return first.uppercased() + operatorName.dropFirst()
  }

  private func limited(_ text: String, _ n: Int) -> String {
    text.count <= n ? text : String(text.prefix(n)) + "..."
  }
}

/// A fixed block of bytes holding the texts of a transaction's matches. A transaction appends to
/// its current block until it is full and then starts another; bytes once written never move or
/// change, so the matches sharing a block may be read from any thread while the transaction goes
/// on writing after them.
final class MatchTextBlock: @unchecked Sendable {
  /// The largest block a transaction allocates for ordinary texts, and its first block's size.
  static let size = 16 << 10
  static let initialSize = 2 << 10
  let base: UnsafeMutablePointer<UInt8>
  let capacity: Int
  /// Bytes written so far (only the owning transaction writes).
  var used = 0

  init(capacity: Int) {
    self.capacity = capacity
    base = UnsafeMutablePointer<UInt8>.allocate(capacity: max(capacity, 1))
  }

  deinit { base.deallocate() }

  func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress, bytes.count > 0 else { return }
    (base + used).initialize(from: source, count: bytes.count)
    used += bytes.count
  }
}

/// A disruptive decision: the status to answer with, or a redirect.
public struct WAFIntervention: Sendable, Hashable {
  public var status: Int
  public var ruleID: Int
  public var redirect: String?
  public var action: String
}

/// A transaction's outcome.
public struct WAFResult: Sendable {
  /// Set when a disruptive action ran (only with `SecRuleEngine On`).
  public var intervention: WAFIntervention?
  /// Every rule that fully matched, in evaluation order (logged and nolog ones).
  public var matches: [WAFMatch]
  let tx: WritableCollection
  let hostname: String
  let uri: String
  let uniqueID: String

  /// One `TX` variable at the end (keys are case-insensitive).
  public func transactionVariable(_ name: String) -> String? {
    tx[asciiLowercased(name)].map { String(decoding: $0, as: UTF8.self) }
  }

  /// `TX` variables at the end (anomaly scores and the like), keys lowercased.
  public var transactionVariables: [String: String] {
    var variables: [String: String] = [:]
    tx.forEach { key, value in variables[key] = String(decoding: value, as: UTF8.self) }
    return variables
  }

  /// ModSecurity-style log lines of the logged matches.
  public var logLines: [String] {
    matches.filter(\.logged).map { $0.logLine(hostname: hostname, uri: uri, uniqueID: uniqueID) }
  }

  /// Ids of the rules that logged a match (what ModSecurity's error log would name).
  public var loggedRuleIDs: [Int] { matches.filter(\.logged).map(\.ruleID) }

  /// The inbound anomaly score CRS computed, when it ran.
  public var inboundAnomalyScore: Int? {
    transactionVariable("blocking_inbound_anomaly_score").flatMap { Int($0) }
      ?? transactionVariable("anomaly_score").flatMap { Int($0) }
  }
}
