import Glibc
import PolicyCore

// Rule evaluation, following ModSecurity 3's order: for every target value (minus exclusions),
// run the transformations, then the operator; on each match record MATCHED_VAR(S) and run the
// rule's setvar actions; when some value matched, evaluate the chained rule; when the whole chain
// matched, run the remaining actions (ctl, flow, disruptive) and record the match.

extension WAFTransaction {
  /// One value a target produced, with its key for keyed collections. Every field is a plain
  /// value (the bytes live in the transaction's arena or in the rule), so candidate lists are
  /// copied, shared and emptied without reference counting.
  struct Candidate {
    var variable: VariableName
    /// Whether the transformed value may be cached under (variable, entry, chain).
    var cacheable: Bool
    /// Whether the value has a key (`key` and `loweredKey` are meaningful).
    var hasKey: Bool
    /// Index into the request collection `variable` reads, or -1.
    var entry: Int32
    var value: ByteSpan
    var key: ByteSpan
    var loweredKey: ByteSpan

    init(variable: VariableName, value: ByteSpan, entry: Int32 = -1, cacheable: Bool = false) {
      self.variable = variable
      self.cacheable = cacheable
      self.hasKey = false
      self.entry = entry
      self.value = value
      self.key = .empty
      self.loweredKey = .empty
    }

    init(variable: VariableName, value: ByteSpan, key: ByteSpan, loweredKey: ByteSpan, entry: Int32 = -1, cacheable: Bool = false) {
      self.variable = variable
      self.cacheable = cacheable
      self.hasKey = true
      self.entry = entry
      self.value = value
      self.key = key
      self.loweredKey = loweredKey
    }
  }

  /// A keyed entry in the arena: the key as sent, lowercased, and the value.
  struct EntrySpans {
    var key: ByteSpan
    var loweredKey: ByteSpan
    var value: ByteSpan
  }

  /// A list built in the arena during phase `generation`.
  struct CandidateList {
    var base: UnsafePointer<Candidate>?
    var count = 0
    var generation: UInt32 = 0
  }

  /// The request's keyed collections.
  enum KeyedSource {
    case argsGet, argsPost, requestHeaders, requestCookies, responseHeaders, files, filesNames, filesSizes
    case multipartPartHeaders, multipartFilename, multipartName
  }

  /// The stored entries of a request collection.
  func stored(_ source: KeyedSource) -> StoredEntries {
    switch source {
    case .argsGet: return argsGet
    case .argsPost: return argsPost
    case .requestHeaders: return requestHeaders
    case .requestCookies: return requestCookies
    case .responseHeaders: return responseHeaders
    case .files: return files
    case .filesNames: return filesNames
    case .filesSizes: return filesSizes
    case .multipartPartHeaders: return multipartPartHeaders
    case .multipartFilename: return multipartFilename
    case .multipartName: return multipartName
    }
  }

  /// The entries of a request collection, where they lie in the arena.
  func entries(_ source: KeyedSource) -> UnsafeBufferPointer<EntrySpans> { stored(source).buffer }

  /// Evaluates `rule` (and its chain); returns whether the chain matched.
  func evaluate(_ rule: Rule, starter: Rule) -> Bool {
    var anyMatch: Bool
    if !targetsRemoved(from: starter) {
      anyMatch = rule.exclusions.withUnsafeBufferPointer {
        evaluateTargets(rule, starter: starter, exclusions: $0, removals: UnsafeBufferPointer(start: nil, count: 0))
      }
    } else {
      // The removals that name the starter, gathered in a reused buffer (handed back before the
      // chained rule runs, which may gather its own).
      var removals: [RuleExclusion] = []
      swap(&removals, &removalBuffer)
      if !removals.isEmpty { removals.removeAll(keepingCapacity: true) }
      appendRemovals(naming: starter, to: &removals)
      anyMatch = rule.exclusions.withUnsafeBufferPointer { own in
        removals.withUnsafeBufferPointer { evaluateTargets(rule, starter: starter, exclusions: own, removals: $0) }
      }
      swap(&removals, &removalBuffer)
    }
    // SecAction and rules with no targets match unconditionally.
    if rule.targetCount == 0 {
      if case .unconditionalMatch = rule.op.kind {
        anyMatch = true
        executeSetvars(rule)
      }
    }
    guard anyMatch else { return false }
    if let chain = rule.chain {
      guard evaluate(chain, starter: starter) else { return false }
    }
    afterFullMatch(rule, starter: starter)
    return true
  }

  /// Runs the operator over every value of every target (minus exclusions); returns whether
  /// any matched.
  private func evaluateTargets(
    _ rule: Rule, starter: Rule, exclusions: UnsafeBufferPointer<RuleExclusion>, removals: UnsafeBufferPointer<RuleExclusion>
  ) -> Bool {
    var anyMatch = false
    // One candidate buffer per transaction, taken for the loop and handed back before the
    // chained rule runs (which takes it in turn).
    var candidates: [Candidate] = []
    swap(&candidates, &candidateBuffer)
    let count = rule.targetCount
    let start = Int(rule.targetStepStart)
    // The rule set lays every rule's targets out in evaluation order (`WAFRuleSet.init` does so
    // for every rule it holds); without the layout a target is simply collected, not shared.
    let steps =
      start >= 0 && start + count <= ruleSet.targetSteps.count
      ? UnsafeBufferPointer(rebasing: ruleSet.targetSteps[start..<(start + count)])
      : UnsafeBufferPointer(start: nil, count: 0)
    for index in 0..<count {
      let step = steps.isEmpty ? nil : steps[index]
      let reference = step?.target ?? rule.targetReferences[index]
      // Every value of a request collection: the list this phase built already, if any.
      if let step, step.sharedIndex >= 0, let shared = sharedCandidates(at: Int(step.sharedIndex), for: reference) {
        if evaluate(rule, starter: starter, on: shared, cacheSlot: Int(step.cacheSlot), exclusions: exclusions, removals: removals) {
          anyMatch = true
        }
        continue
      }
      let matched = reference._withUnsafeGuaranteedRef { target in
        if !candidates.isEmpty { candidates.removeAll(keepingCapacity: true) }
        collect(target, into: &candidates)
        return candidates.withUnsafeBufferPointer {
          evaluate(rule, starter: starter, on: $0, cacheSlot: target.cacheSlot, exclusions: exclusions, removals: removals)
        }
      }
      if matched { anyMatch = true }
    }
    swap(&candidates, &candidateBuffer)
    return anyMatch
  }

  /// The candidate loop of ``evaluate(_:starter:)`` over one target's values, as a method so
  /// that its parameters are borrowed (a closure would reload and retain its captures around
  /// every call it makes). Returns whether any value matched.
  private func evaluate(
    _ rule: Rule, starter: Rule, on candidates: UnsafeBufferPointer<Candidate>, cacheSlot: Int, exclusions: UnsafeBufferPointer<RuleExclusion>,
    removals: UnsafeBufferPointer<RuleExclusion>
  ) -> Bool {
    var anyMatch = false
    let negated = rule.negated
    let capture = rule.capture
    let hasTransformations = rule.hasTransformations
    for index in candidates.indices {
      let candidate = candidates[index]
      if !exclusions.isEmpty, isExcluded(candidate, by: exclusions) { continue }
      if !removals.isEmpty, isExcluded(candidate, by: removals) { continue }
      if let regex = rule.plainRegex {
        let value = hasTransformations ? transformed(candidate, rule: rule, cacheSlot: cacheSlot) : candidate.value
        let matched = regex._withUnsafeGuaranteedRef { regexMatches($0, value.buffer, capture: capture) }
        if matched != negated {
          recordMatch(rule, candidate: candidate, value: value)
          anyMatch = true
        }
      } else if rule.multiMatch {
        if evaluateMultiMatch(rule, candidate) { anyMatch = true }
      } else {
        let value = hasTransformations ? transformed(candidate, rule: rule, cacheSlot: cacheSlot) : candidate.value
        if runOperator(rule, on: value.buffer) {
          recordMatch(rule, candidate: candidate, value: value)
          anyMatch = true
        }
      }
    }
    return anyMatch
  }

  /// Every value of a variable that does not change within a phase (request collections and
  /// single values, see ``VariableName/isStableWithinPhase``), built once per phase in the arena
  /// and shared by every rule of the phase that reads it; `index` is the variable's
  /// `cacheIndex` (from the target's ``TargetStep``). The target is read only when the list is
  /// built.
  @inline(__always)
  func sharedCandidates(at index: Int, for reference: Unmanaged<RuleTarget>) -> UnsafeBufferPointer<Candidate>? {
    guard index >= 0, index < phaseCandidates.count else { return nil }
    let list = phaseCandidates[index]
    if list.generation == phaseGeneration { return UnsafeBufferPointer(start: list.base, count: list.count) }
    return reference._withUnsafeGuaranteedRef { buildSharedCandidates(at: index, for: $0) }
  }

  private func buildSharedCandidates(at index: Int, for target: RuleTarget) -> UnsafeBufferPointer<Candidate> {
    var values: [Candidate] = []
    swap(&values, &sharedBuffer)
    if !values.isEmpty { values.removeAll(keepingCapacity: true) }
    collectValues(target.variable, test: .all, into: &values)
    let stored = arena.store(values)
    swap(&values, &sharedBuffer)
    phaseCandidates[index] = CandidateList(base: stored.baseAddress, count: stored.count, generation: phaseGeneration)
    return stored
  }

  func transformed(_ candidate: Candidate, rule: Rule, cacheSlot: Int) -> ByteSpan {
    if candidate.cacheable, cacheSlot < ruleSet.transformationCacheSlotCount, candidate.entry >= 0 {
      let key = UInt64(UInt32(cacheSlot)) << 32 | UInt64(UInt32(bitPattern: candidate.entry))
      if let hit = transformationCache.value(for: key) { return hit }
      let value = applyTransformations(rule, to: candidate, remembering: true)
      transformationCache.insert(value, for: key)
      return value
    }
    return applyTransformations(rule, to: candidate, remembering: false)
  }

  /// The candidate's value through the rule's transformations: the value itself when none
  /// changed it, else a copy in the arena. With `remembering` (stored values), a transformation
  /// already seen to leave this value unchanged is skipped and what a call shows is kept
  /// (``TransformationIdentities``). Transformations read the value where it lies and write into
  /// the transaction's two reused buffers in turn, so a chain allocates nothing once they grew.
  func applyTransformations(_ rule: Rule, to candidate: Candidate, remembering: Bool) -> ByteSpan {
    let memoKey = Self.identityKey(candidate)
    var (identities, learned) = knownIdentities(candidate, memoKey: memoKey, remembering: remembering)
    // `buffers[current]` holds the value once a transformation changed it.
    let buffers = transformBuffers
    var current = 0
    var changed = false
    for t in rule.transformations {
      if changed {
        let did = Self.reading(buffers + current) { t.transform($0, into: &buffers[1 - current], context: transformationContext) }
        if did { current = 1 - current }
        continue
      }
      if identities.leavesUnchanged(t) { continue }
      changed = t.transform(candidate.value.buffer, into: &buffers[current], context: transformationContext)
      if identities.record(t, unchanged: !changed) { learned = true }
    }
    if remembering, learned { transformationIdentities.insert(identities, for: memoKey) }
    return changed ? Self.reading(buffers + current) { arena.store($0) } : candidate.value
  }

  /// The bytes of one of the transformation buffers, read in place (through the mutable
  /// accessor: reading the array itself would retain it).
  @inline(__always)
  static func reading<R>(_ buffer: UnsafeMutablePointer<[UInt8]>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    buffer.pointee.withUnsafeMutableBufferPointer { body(UnsafeBufferPointer($0)) }
  }

  /// A multiMatch rule on one value: the operator runs on the value and again after every
  /// transformation that changed it. Transformations known to leave the stored value unchanged
  /// are skipped, as in ``applyTransformations(_:to:remembering:)``.
  private func evaluateMultiMatch(_ rule: Rule, _ candidate: Candidate) -> Bool {
    var anyMatch = false
    if runOperator(rule, on: candidate.value.buffer) {
      recordMatch(rule, candidate: candidate, value: candidate.value)
      anyMatch = true
    }
    let remembering = candidate.cacheable && candidate.entry >= 0
    let memoKey = Self.identityKey(candidate)
    var (identities, learned) = knownIdentities(candidate, memoKey: memoKey, remembering: remembering)
    let buffers = transformBuffers
    var current = 0
    var changed = false
    for t in rule.transformations {
      if changed {
        let did = Self.reading(buffers + current) { t.transform($0, into: &buffers[1 - current], context: transformationContext) }
        guard did, !Self.reading(buffers, { a in Self.reading(buffers + 1) { bytesEqual(a, $0) } }) else { continue }
        current = 1 - current
      } else {
        if identities.leavesUnchanged(t) { continue }
        let did = t.transform(candidate.value.buffer, into: &buffers[current], context: transformationContext)
        if identities.record(t, unchanged: !did) { learned = true }
        guard did, !Self.reading(buffers + current, { bytesEqual($0, candidate.value.buffer) }) else { continue }
        changed = true
      }
      // The operator reads the value in place (it transforms nothing); a match keeps a copy.
      if Self.reading(buffers + current, { runOperator(rule, on: $0) }) {
        recordMatch(rule, candidate: candidate, value: Self.reading(buffers + current) { arena.store($0) })
        anyMatch = true
      }
    }
    if remembering, learned { transformationIdentities.insert(identities, for: memoKey) }
    return anyMatch
  }

  /// What is known of which transformations leave the candidate's value unchanged: for a stored
  /// value (`remembering`), what earlier calls recorded, or at first what its bytes tell
  /// (`learned` is then true, so the caller records it); nothing for other values.
  func knownIdentities(_ candidate: Candidate, memoKey: UInt64, remembering: Bool) -> (TransformationIdentities, learned: Bool) {
    guard remembering else { return (TransformationIdentities(), false) }
    if let known = transformationIdentities.value(for: memoKey) { return (known, false) }
    return (TransformationIdentities(presumingFrom: candidate.value.buffer), true)
  }

  /// A stored value's key in `transformationIdentities`: (variable, entry).
  static func identityKey(_ candidate: Candidate) -> UInt64 {
    UInt64(candidate.variable.cacheIndex) << 32 | UInt64(UInt32(bitPattern: candidate.entry))
  }

  func recordMatch(_ rule: Rule, candidate: Candidate, value: ByteSpan) {
    let variableName = candidate.variable.nameBytes
    let count = variableName.count + (candidate.hasKey ? 1 + candidate.key.count : 0)
    let memory = arena.allocate(UInt8.self, count: count)
    if let base = variableName.base { memory.initialize(from: base, count: variableName.count) }
    if candidate.hasKey {
      memory[variableName.count] = UInt8(ascii: ":")
      if let key = candidate.key.base { (memory + variableName.count + 1).initialize(from: key, count: candidate.key.count) }
    }
    let name = ByteSpan(base: UnsafePointer(memory), count: count)
    matchedVar = value
    matchedVarName = name
    matchedVars.append(EntrySpans(key: name, loweredKey: arena.storeLowercased(name.buffer), value: value))
    executeSetvars(rule)
  }

  func afterFullMatch(_ rule: Rule, starter: Rule) {
    for ctl in rule.ctls { execute(ctl) }
    guard !rule.isChainChild else { return }
    if let severity = rule.severity, severity < highestSeverity { highestSeverity = severity }
    // Message and data are expanded into the reused buffer, then all four texts copied into the
    // current text block (no String until someone reads them).
    var expanded = takeExpansionBuffer()
    if let msg = rule.msg { appendExpansion(of: msg, to: &expanded) }
    let messageLength = expanded.count
    if let logdata = rule.logdata { appendExpansion(of: logdata, to: &expanded) }
    let dataLength = expanded.count - messageLength
    let total = expanded.count + matchedVarName.count + matchedVar.count
    // Blocks start small and double up to MatchTextBlock.size, so a transaction with few matches
    // (or a caller keeping one match) holds little; a text larger than that gets its own block.
    let block: MatchTextBlock
    if let current = matchTexts, current.capacity - current.used >= total {
      block = current
    } else {
      let grown = min(2 * (matchTexts?.capacity ?? MatchTextBlock.initialSize / 2), MatchTextBlock.size)
      block = MatchTextBlock(capacity: max(total, grown))
      matchTexts = block
    }
    let start = block.used
    expanded.withUnsafeBufferPointer { block.append($0) }
    block.append(matchedVarName.buffer)
    block.append(matchedVar.buffer)
    expansionBuffer = expanded
    matches.append(
      WAFMatch(rule: rule, texts: block, start: start, lengths: (messageLength, dataLength, matchedVarName.count, matchedVar.count),
        logged: rule.log && messageLength > 0))
    guard case .on = engineMode, let disruptive = rule.disruptive else { return }
    switch disruptive {
    case .deny, .drop:
      intervention = WAFIntervention(status: rule.status ?? 403, ruleID: rule.id, redirect: nil, action: disruptive == .deny ? "deny" : "drop")
    case .redirect(let target):
      intervention = WAFIntervention(
        status: rule.status.flatMap { (301...308).contains($0) ? $0 : nil } ?? 302, ruleID: rule.id,
        redirect: String(decoding: expand(target), as: UTF8.self), action: "redirect")
    case .pass, .block, .allow:
      break
    }
  }

  // MARK: Values

  func collect(_ target: RuleTarget, into out: inout [Candidate]) {
    let variable = target.variable
    // Most CRS rules list `XML:/*`; without an XML body it has no values, and answering that
    // before reading the target's path saves copying it (and retaining its strings) per rule.
    if variable == .xml, xmlDocument == nil {
      if target.isCount { out.append(Candidate(variable: variable, value: arena.storeDecimal(0))) }
      return
    }
    var xpath: String?
    if variable == .xml, case .key(let key) = target.selector { xpath = key.original }
    if target.isCount {
      var counting: [Candidate] = []
      collectValues(variable, test: target.keyTest, xpath: xpath, into: &counting)
      out.append(Candidate(variable: variable, value: arena.storeDecimal(counting.count)))
      return
    }
    collectValues(variable, test: target.keyTest, xpath: xpath, into: &out)
  }

  /// The values of `variable` whose keys pass `test`; `xpath` is the XPath of an `XML:` target
  /// (all elements' text when nil).
  func collectValues(_ variable: VariableName, test: KeyTest, xpath: String? = nil, into out: inout [Candidate]) {
    func keyed(_ source: KeyedSource, asNames: Bool, offset: Int = 0) {
      let list = entries(source)
      for i in list.indices where test.selects(key: list[i].key, loweredKey: list[i].loweredKey, scratch: scratchReference) {
        out.append(
          Candidate(
            variable: variable, value: asNames ? list[i].key : list[i].value, key: list[i].key, loweredKey: list[i].loweredKey,
            entry: Int32(i + offset), cacheable: true))
      }
    }
    /// A keyed value that is not in the arena yet (ENV, RULE).
    func own(key: [UInt8], lowered: [UInt8]? = nil, value: [UInt8]) {
      let keySpan = arena.store(key)
      let loweredSpan = lowered.map { arena.store($0) } ?? keySpan
      guard test.selects(key: keySpan, loweredKey: loweredSpan, scratch: scratchReference) else { return }
      out.append(Candidate(variable: variable, value: arena.store(value), key: keySpan, loweredKey: loweredSpan))
    }
    if let (first, second, asNames) = variable.keyedSources {
      keyed(first, asNames: asNames)
      if let second { keyed(second, asNames: asNames, offset: stored(first).count) }
      return
    }
    switch variable {
    case .filesTmpNames: break
    case .matchedVars, .matchedVarsNames:
      // Changes as rules match: read in place, never cached.
      let asNames = variable == .matchedVarsNames
      for i in matchedVars.indices {
        let entry = matchedVars[i]
        guard test.selects(key: entry.key, loweredKey: entry.loweredKey, scratch: scratchReference) else { continue }
        out.append(
          Candidate(variable: variable, value: asNames ? entry.key : entry.value, key: entry.key, loweredKey: entry.loweredKey, entry: Int32(i)))
      }
    case .tx, .ip, .global, .session, .user, .resource:
      let index = variable.writableIndex
      if case .key = test.kind {
        // TX keys are stored lowercased: the selector's bytes are the key.
        let found = writable[index].withValue(forKey: test.bytes.buffer, hash: test.hash) { arena.store($0) }
        if let value = found {
          out.append(Candidate(variable: variable, value: value, key: test.bytes, loweredKey: test.bytes))
        }
      } else {
        writable[index].forEachEntry { key, value in
          // Tested in place; only selected entries are copied.
          let inPlace = ByteSpan(base: key.baseAddress, count: key.count)
          guard test.selects(key: inPlace, loweredKey: inPlace, scratch: scratchReference) else { return }
          let stored = arena.store(key)
          out.append(Candidate(variable: variable, value: arena.store(value), key: stored, loweredKey: stored))
        }
      }
    case .env:
      env.forEach { key, value in
        let k = Array(key.utf8)
        own(key: k, lowered: asciiLowercased(k), value: value)
      }
    case .rule:
      guard let rule = currentRule else { return }
      let fields: [(String, String)] = [
        ("id", String(rule.id)), ("phase", String(rule.phase)), ("severity", rule.severity.map(String.init) ?? ""),
        ("ver", rule.version ?? ""), ("rev", rule.revision ?? ""),
      ]
      for (k, v) in fields { own(key: Array(k.utf8), value: Array(v.utf8)) }
    case .xml:
      guard let document = xmlDocument else { return }
      let path = xpath ?? "/*"
      // The document does not change once parsed: each path is evaluated once per transaction.
      let values: [Candidate]
      if let known = xmlValues[path] {
        values = known
      } else {
        let key = arena.store(Array(path.utf8))
        values = document.values(xpath: path).map { Candidate(variable: variable, value: arena.store($0), key: key, loweredKey: key) }
        xmlValues[path] = values
      }
      out.append(contentsOf: values)
    case .matchedVar:
      out.append(Candidate(variable: variable, value: matchedVar))
    case .matchedVarName:
      out.append(Candidate(variable: variable, value: matchedVarName))
    case .highestSeverity:
      out.append(Candidate(variable: variable, value: arena.storeDecimal(highestSeverity)))
    case .reqbodyProcessor:
      // Known from the headers (or a ctl) already in phase 1, as in ModSecurity 3.
      if let processor = bodyProcessor {
        out.append(Candidate(variable: variable, value: arena.store(Array(processor.rawValue.utf8))))
      }
    case .fullRequest:
      out.append(Candidate(variable: variable, value: arena.store(fullRequest())))
    case .fullRequestLength:
      out.append(Candidate(variable: variable, value: arena.storeDecimal(fullRequest().count)))
    default:
      if let value = scalars[variable] {
        out.append(Candidate(variable: variable, value: value, entry: 0, cacheable: variable.isRequestConstant))
      }
    }
  }

  func fullRequest() -> [UInt8] {
    var out = scalars[.requestLine]?.array ?? []
    out.append(contentsOf: [0x0D, 0x0A])
    for h in request.headers {
      out.append(contentsOf: Array("\(h.name): \(h.value)\r\n".utf8))
    }
    out.append(contentsOf: [0x0D, 0x0A])
    out.append(contentsOf: request.body)
    return out
  }

  /// Whether a `ctl:ruleRemoveTarget*` of this transaction names the chain starter.
  func targetsRemoved(from starter: Rule) -> Bool {
    if removedTargetsByID.isEmpty, removedTargetsByTag.isEmpty { return false }
    // Plain lists: this runs for every rule once a removal exists (CRS sets one per request).
    let id = starter.id
    if id >= removedTargetIDLow, id <= removedTargetIDHigh {
      for range in removedTargetRanges where range.contains(id) { return true }
    }
    if starter.tagMask & removedTargetTagMask != 0 {
      for tag in removedTargetTags where starter.tagIDs.contains(tag) { return true }
    }
    return false
  }

  /// Appends the `ctl:ruleRemoveTarget*` removals of this transaction that name the chain
  /// starter (by id or tag); they apply beside the rule's own `!TARGET` exclusions.
  func appendRemovals(naming starter: Rule, to result: inout [RuleExclusion]) {
    for (ranges, target) in removedTargetsByID where ranges.contains(where: { $0.contains(starter.id) }) {
      result.append(target)
    }
    for (tag, target) in removedTargetsByTag where starter.tagIDs.contains(tag) {
      result.append(target)
    }
  }

  func isExcluded(_ candidate: Candidate, by exclusions: UnsafeBufferPointer<RuleExclusion>) -> Bool {
    // Read in place: copying an exclusion out would retain its selector.
    for index in exclusions.indices where exclusions[index].variable == candidate.variable {
      let test = exclusions[index].keyTest
      if case .all = test.kind { return true }
      guard candidate.hasKey else { continue }
      if test.selects(key: candidate.key, loweredKey: candidate.loweredKey, scratch: scratchReference) { return true }
    }
    return false
  }

  // MARK: Operators

  func runOperator(_ rule: Rule, on value: UnsafeBufferPointer<UInt8>) -> Bool {
    operatorMatches(rule, value) != rule.negated
  }

  func operatorMatches(_ rule: Rule, _ input: UnsafeBufferPointer<UInt8>) -> Bool {
    // Comparisons with a constant first: they need nothing from `kind`, whose payload would be
    // retained to switch on (TX checks such as `@lt 2` run on most rules).
    if let rhs = rule.op.constantInteger, let comparison = rule.op.numericComparison {
      return compare(comparison, secLangInteger(input), rhs)
    }
    if let parameter = rule.op.constantParameter, let comparison = rule.op.stringComparison {
      return compare(comparison, input, parameter.buffer)
    }
    if let matcher = rule.phraseMatcher {
      return matcher._withUnsafeGuaranteedRef { phrasesMatch(rule, $0, input) }
    }
    switch rule.op.kind {
    case .rx(let regex):
      return regexMatches(regex, input, capture: rule.capture)
    case .rxMacro(let macro):
      let pattern = String(decoding: expand(macro), as: UTF8.self)
      guard let regex = try? PCRE2Regex(pattern, options: [.dotAll, .multiline], limits: Limits(regexMatchLimit: settings.pcreMatchLimit)) else {
        return false
      }
      return regexMatches(regex, input, capture: rule.capture)
    case .pm(let matcher):
      return phrasesMatch(rule, matcher, input)
    case .numeric(let comparison, let macro):
      return compare(comparison, secLangInteger(input), withExpansion(macro) { secLangInteger($0) })
    case .string(let comparison, let macro):
      return withExpansion(macro) { compare(comparison, input, $0) }
    case .validateByteRange(let ranges):
      return ranges.firstInvalid(in: input) != nil
    case .validateURLEncoding:
      return EncodingValidation.validateUrlEncoding(input).isInvalid
    case .validateUTF8Encoding:
      return EncodingValidation.validateUtf8Encoding(input).isInvalid
    case .detectSQLi:
      guard let fingerprint = SQLInjection.detect(input) else { return false }
      if rule.capture { Array(fingerprint.utf8).withUnsafeBufferPointer { setCapture(0, $0) } }
      return true
    case .detectXSS:
      return XSSInjection.detect(input)
    case .ipMatch(let set):
      return set.contains(String(decoding: input, as: UTF8.self))
    case .geoLookupWithoutDatabase:
      return false
    case .rbl(let zone):
      return RBLLookup.listed(String(decoding: input, as: UTF8.self), zone: zone)
    case .unconditionalMatch:
      return true
    case .noMatch:
      return false
    }
  }

  /// `@pm`: whether a phrase occurs in `input`, with the phrase as TX.0 under `capture`. A rule
  /// that scans with others (see ``WAFRuleSet/phraseScanSets``) takes its answer from the set's
  /// memo, filled by whichever member ran first on these bytes.
  private func phrasesMatch(_ rule: Rule, _ matcher: PhraseMatcher, _ input: UnsafeBufferPointer<UInt8>) -> Bool {
    let found: Int
    let index = Int(rule.phraseScanSet)
    if index >= 0 {
      let setCount = ruleSet.phraseScanSets.count
      guard index < setCount else { return false }
      if phraseScans.count < setCount {
        phraseScans.append(contentsOf: repeatElement(PhraseScanMemo(), count: setCount - phraseScans.count))
      }
      found = phraseScans[index].phraseIndex(lane: Int(rule.phraseScanLane), in: input, set: ruleSet.phraseScanSets[index])
    } else {
      found = matcher.automaton.firstPatternIndex(in: input)
    }
    guard found >= 0 else { return false }
    if rule.capture {
      let phrase = found < matcher.phrases.count ? matcher.phrases[found] : []
      phrase.withUnsafeBufferPointer { setCapture(0, $0) }
    }
    return true
  }

  func regexMatches(_ regex: PCRE2Regex, _ input: UnsafeBufferPointer<UInt8>, capture: Bool) -> Bool {
    // The scratch is lent unretained: the transaction owns it for its whole life.
    guard let scratchReference else { return false }
    let outcome = scratchReference._withUnsafeGuaranteedRef { regex.match(input, scratch: $0, matchLimit: pcreMatchLimit) }
    switch outcome {
    case .match:
      if capture {
        for group in 0..<min(10, regex.captureCount + 1) {
          if let range = scratchReference._withUnsafeGuaranteedRef({ $0.group(group) }) {
            setCapture(group, UnsafeBufferPointer(rebasing: input[range]))
          }
        }
      }
      return true
    case .noMatch:
      return false
    case .limitExceeded:
      setTX("msc_pcre_limits_exceeded", Array("1".utf8))
      return false
    case .failed:
      return false
    }
  }

  func compare(_ comparison: RuleOperator.NumericComparison, _ lhs: Int, _ rhs: Int) -> Bool {
    switch comparison {
    case .eq: return lhs == rhs
    case .ge: return lhs >= rhs
    case .gt: return lhs > rhs
    case .le: return lhs <= rhs
    case .lt: return lhs < rhs
    }
  }

  func compare(_ comparison: RuleOperator.StringComparison, _ input: UnsafeBufferPointer<UInt8>, _ parameter: UnsafeBufferPointer<UInt8>) -> Bool {
    switch comparison {
    case .streq:
      return bytesEqual(input, parameter)
    case .contains, .strmatch:
      return firstOccurrence(of: parameter, in: input) != nil
    case .beginsWith:
      return input.count >= parameter.count && bytesEqual(UnsafeBufferPointer(rebasing: input.prefix(parameter.count)), parameter)
    case .endsWith:
      return input.count >= parameter.count && bytesEqual(UnsafeBufferPointer(rebasing: input.suffix(parameter.count)), parameter)
    case .within:
      if input.isEmpty { return true }
      return firstOccurrence(of: input, in: parameter) != nil
    case .containsWord:
      return containsWord(input, parameter)
    }
  }

  func containsWord(_ input: UnsafeBufferPointer<UInt8>, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
    if word.isEmpty { return true }
    var start = 0
    while let pos = firstOccurrence(of: word, in: input, from: start) {
      let before = pos == 0 || !isWordByte(input[pos - 1])
      let end = pos + word.count
      let after = end >= input.count || !isWordByte(input[end])
      if before && after { return true }
      start = pos + 1
    }
    return false
  }

  @inline(__always)
  func isWordByte(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
  }

  // MARK: Actions

  func setTX(_ key: String, _ value: [UInt8]) {
    writable[VariableName.tx.writableIndex].set(key, value)
  }

  /// TX.0-TX.9 (`capture`), keys and hashes prepared once.
  func setCapture(_ group: Int, _ value: UnsafeBufferPointer<UInt8>) {
    let key = Self.captureKeys[group]
    key.bytes.withUnsafeBufferPointer { writable[VariableName.tx.writableIndex].set(keyBytes: $0, hash: key.hash, value) }
  }

  static let captureKeys: [(bytes: [UInt8], hash: Int)] = (0...9).map { group in
    let bytes = Array(String(group).utf8)
    return (bytes, bytes.withUnsafeBufferPointer { WritableCollection.hash($0) })
  }

  /// The reused buffer for expansions (setvar keys and values, match messages), empty and taken
  /// out of the transaction: the caller puts it back (`expansionBuffer = buffer`) when done.
  func takeExpansionBuffer() -> [UInt8] {
    var buffer: [UInt8] = []
    swap(&buffer, &expansionBuffer)
    if !buffer.isEmpty { buffer.removeAll(keepingCapacity: true) }
    return buffer
  }

  func executeSetvars(_ rule: Rule) {
    for setvar in rule.setvars { execute(setvar) }
  }

  func execute(_ setvar: SetVarAction) {
    let index = setvar.collection.writableIndex
    if let keyBytes = setvar.constantKeyBytes {
      // The common form: a constant key, its hash computed at load.
      switch setvar.operation {
      case .delete:
        writable[index].remove(String(decoding: keyBytes, as: UTF8.self))
      case .set(let macro):
        if let value = setvar.constantValue {
          writable[index].set(keyBytes: keyBytes, hash: setvar.constantKeyHash, value)
        } else {
          var value = takeExpansionBuffer()
          appendExpansion(of: macro, to: &value)
          keyBytes.withUnsafeBufferPointer { key in
            value.withUnsafeBufferPointer { writable[index].set(keyBytes: key, hash: setvar.constantKeyHash, $0) }
          }
          expansionBuffer = value
        }
      case .add(let macro):
        let added = setvar.constantInteger ?? withExpansion(macro) { secLangInteger($0) }
        writable[index].add(keyBytes: keyBytes, hash: setvar.constantKeyHash, added, subtracting: nil)
      case .subtract(let macro):
        let subtracted = setvar.constantInteger ?? withExpansion(macro) { secLangInteger($0) }
        writable[index].add(keyBytes: keyBytes, hash: setvar.constantKeyHash, nil, subtracting: subtracted)
      }
      return
    }
    // Collection keys are case-insensitive and stored lowercased; a macro may expand to capitals.
    // Key and value are built in the reused buffer: key first, the value after it.
    var buffer = takeExpansionBuffer()
    defer { expansionBuffer = buffer }
    appendExpansion(of: setvar.key, to: &buffer)
    let keyCount = buffer.count
    for i in 0..<keyCount { buffer[i] = ByteClass.lower(buffer[i]) }
    let hash = buffer.withUnsafeBufferPointer { WritableCollection.hash(UnsafeBufferPointer(rebasing: $0[0..<keyCount])) }
    switch setvar.operation {
    case .delete:
      writable[index].remove(String(decoding: buffer, as: UTF8.self))
    case .set(let macro):
      appendExpansion(of: macro, to: &buffer)
      buffer.withUnsafeBufferPointer {
        writable[index].set(keyBytes: UnsafeBufferPointer(rebasing: $0[0..<keyCount]), hash: hash, UnsafeBufferPointer(rebasing: $0[keyCount...]))
      }
    case .add(let macro):
      let added = withExpansion(macro) { secLangInteger($0) }
      buffer.withUnsafeBufferPointer { writable[index].add(keyBytes: $0, hash: hash, added, subtracting: nil) }
    case .subtract(let macro):
      let subtracted = withExpansion(macro) { secLangInteger($0) }
      buffer.withUnsafeBufferPointer { writable[index].add(keyBytes: $0, hash: hash, nil, subtracting: subtracted) }
    }
  }

  func execute(_ ctl: CtlAction) {
    switch ctl {
    case .ruleEngine(let mode): engineMode = mode
    case .ruleRemoveById(let ranges): removedRuleIDs += ranges
    case .ruleRemoveByTag(let tag): removedTags.append(ruleSet.tagTable[tag] ?? -1)
    case .ruleRemoveTargetById(let ranges, let target):
      removedTargetsByID.append((ranges, target))
      removedTargetRanges += ranges
      for range in ranges {
        removedTargetIDLow = min(removedTargetIDLow, range.lowerBound)
        removedTargetIDHigh = max(removedTargetIDHigh, range.upperBound)
      }
    case .ruleRemoveTargetByTag(let tag, let target):
      let tagID = ruleSet.tagTable[tag] ?? -1
      removedTargetsByTag.append((tagID, target))
      removedTargetTags.append(tagID)
      removedTargetTagMask |= Rule.tagBit(tagID)
    case .requestBodyProcessor(let kind): bodyProcessor = kind
    case .requestBodyAccess(let on): requestBodyAccess = on
    case .responseBodyAccess(let on): responseBodyAccess = on
    case .forceRequestBodyVariable(let on): forceRequestBodyVariable = on
    case .auditEngine, .auditLogParts, .debugLogLevel: break
    }
  }

  // MARK: Macros

  func expand(_ macro: Macro) -> [UInt8] {
    var out: [UInt8] = []
    appendExpansion(of: macro, to: &out)
    return out
  }

  /// Appends the macro's expansion to `out`.
  func appendExpansion(of macro: Macro, to out: inout [UInt8]) {
    macro.parts.withUnsafeBufferPointer { parts in
      for i in parts.indices {
        switch parts[i] {
        case .literal(let bytes): out.append(contentsOf: bytes)
        case .reference(let reference):
          if reference.variable.isWritable {
            _ = withStoredValue(reference) { out.append(contentsOf: $0) }
          } else {
            out.append(contentsOf: resolve(reference))
          }
        }
      }
    }
  }

  /// The macro's expansion handed to `body`: in place when it is a lone reference to a stored
  /// variable (`%{tx.restricted_headers_basic}`, read by a rule per value), else built first.
  /// `body` must not write variables.
  func withExpansion<R>(_ macro: Macro, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if macro.parts.count == 1, case .reference(let reference) = macro.parts[0] {
      if reference.variable.isWritable {
        return withStoredValue(reference, body) ?? body(UnsafeBufferPointer(start: nil, count: 0))
      }
      if reference.variable == .matchedVar { return body(matchedVar.buffer) }
    }
    return expand(macro).withUnsafeBufferPointer(body)
  }

  /// A TX (IP, ...) reference's stored value, in place; nil when unset.
  func withStoredValue<R>(_ reference: MacroReference, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
    guard reference.key != nil else { return nil }
    return reference.keyBytes.withUnsafeBufferPointer {
      writable[reference.variable.writableIndex].withValue(forKey: $0, hash: reference.keyHash, body)
    }
  }

  func resolve(_ reference: MacroReference) -> [UInt8] {
    let variable = reference.variable
    if variable.isWritable {
      return withStoredValue(reference) { Array($0) } ?? []
    }
    switch variable {
    case .matchedVar: return matchedVar.array
    case .matchedVarName: return matchedVarName.array
    case .rule:
      guard let rule = currentRule else { return [] }
      switch reference.key ?? "" {
      case "id": return Array(String(rule.id).utf8)
      case "msg": return rule.msg.map { expand($0) } ?? []
      case "severity": return Array((rule.severity.map(String.init) ?? "").utf8)
      case "phase": return Array(String(rule.phase).utf8)
      case "ver": return Array((rule.version ?? "").utf8)
      case "rev": return Array((rule.revision ?? "").utf8)
      case "logdata": return rule.logdata.map { expand($0) } ?? []
      default: return []
      }
    case .highestSeverity: return Array(String(highestSeverity).utf8)
    case .reqbodyProcessor: return Array((bodyProcessor?.rawValue ?? "").utf8)
    default:
      if variable.isCollection {
        var values: [Candidate] = []
        if let key = reference.key {
          let lowered = Array(key.utf8).withUnsafeBufferPointer { arena.storeLowercased($0) }
          collectValues(variable, test: KeyTest(kind: .key, bytes: lowered, regex: nil, hash: WritableCollection.hash(lowered.buffer)), xpath: key, into: &values)
        } else {
          collectValues(variable, test: .all, into: &values)
        }
        return values.first?.value.array ?? []
      }
      return scalars[variable]?.array ?? []
    }
  }
}

extension VariableName {
  /// The case's position in declaration order (`allCases`): tables per variable are indexed by
  /// it (the transformation cache key, the per-phase lists, the single values). A case-only
  /// enum of fewer than 256 cases is stored as that position in one byte; the test suite checks
  /// this for every case.
  @inline(__always)
  var cacheIndex: UInt16 { UInt16(unsafeBitCast(self, to: UInt8.self)) }

  static let cacheIndexCount = allCases.count

  /// Single values that never change after phase 1 starts (safe to cache transformed).
  var isRequestConstant: Bool {
    switch self {
    case .requestFilename, .requestBasename, .requestURI, .requestURIRaw, .requestLine, .requestMethod,
      .requestProtocol, .queryString, .pathInfo, .remoteAddr:
      return true
    default:
      return false
    }
  }
}

extension VariableName {
  /// Whether the variable's values stay the same for a whole phase, so one list of them can
  /// serve every rule of the phase: the request's and response's collections and single values,
  /// which are filled between phases. Not the ones rules change (TX and the other writable
  /// collections, MATCHED_VAR(S), HIGHEST_SEVERITY, the body processor a ctl sets) or that are
  /// computed per use (RULE, ENV, XML, FULL_REQUEST).
  var isStableWithinPhase: Bool {
    switch self {
    case .tx, .ip, .global, .session, .user, .resource, .env, .rule, .xml, .matchedVar, .matchedVarName, .matchedVars,
      .matchedVarsNames, .highestSeverity, .reqbodyProcessor, .fullRequest, .fullRequestLength, .filesTmpNames, .geo:
      return false
    default:
      return true
    }
  }

  /// The request collections a keyed variable reads (ARGS: the query string's, then the body's)
  /// and whether it yields their keys rather than their values; nil for every other variable.
  var keyedSources: (first: WAFTransaction.KeyedSource, second: WAFTransaction.KeyedSource?, asNames: Bool)? {
    switch self {
    case .args: return (.argsGet, .argsPost, false)
    case .argsNames: return (.argsGet, .argsPost, true)
    case .argsGet: return (.argsGet, nil, false)
    case .argsGetNames: return (.argsGet, nil, true)
    case .argsPost: return (.argsPost, nil, false)
    case .argsPostNames: return (.argsPost, nil, true)
    case .requestHeaders: return (.requestHeaders, nil, false)
    case .requestHeadersNames: return (.requestHeaders, nil, true)
    case .requestCookies: return (.requestCookies, nil, false)
    case .requestCookiesNames: return (.requestCookies, nil, true)
    case .responseHeaders: return (.responseHeaders, nil, false)
    case .responseHeadersNames: return (.responseHeaders, nil, true)
    case .files: return (.files, nil, false)
    case .filesNames: return (.filesNames, nil, false)
    case .filesSizes: return (.filesSizes, nil, false)
    case .multipartPartHeaders: return (.multipartPartHeaders, nil, false)
    case .multipartFilename: return (.multipartFilename, nil, false)
    case .multipartName: return (.multipartName, nil, false)
    default: return nil
    }
  }

  /// The variable's name as bytes (MATCHED_VAR_NAME's prefix), kept for the process's life.
  var nameBytes: ByteSpan { VariableName.names[Int(cacheIndex)].span }

  private static let names: [OwnedBytes] = allCases.map { OwnedBytes(Array($0.rawValue.utf8)) }
}
