import Glibc
public import PolicyCore

// Rule evaluation, following ModSecurity 3's order: for every target value (minus exclusions),
// run the transformations, then the operator; on each match record MATCHED_VAR(S) and run the
// rule's setvar actions; when some value matched, evaluate the chained rule; when the whole chain
// matched, run the remaining actions (ctl, flow, disruptive) and record the match.

extension WAFTransaction {
  /// One value a target produced. Values from the request's keyed collections carry only their
  /// index (the key is looked up when needed), so producing a candidate costs one retain.
  struct Candidate {
    var variable: VariableName
    var value: [UInt8]
    /// Index into the request collection `variable` reads, or -1.
    var entry: Int32
    /// The key of values that are not stored in a request collection (TX, XML, RULE).
    var ownKey: [UInt8]?
    /// Whether the transformed value may be cached under (variable, entry, chain).
    var cacheable: Bool

    init(variable: VariableName, value: [UInt8], entry: Int32 = -1, ownKey: [UInt8]? = nil, cacheable: Bool = false) {
      self.variable = variable
      self.value = value
      self.entry = entry
      self.ownKey = ownKey
      self.cacheable = cacheable
    }
  }

  /// The stored entry a request-collection candidate came from.
  func storedEntry(_ variable: VariableName, _ index: Int) -> KeyedValue? {
    func at(_ entries: [KeyedValue], _ i: Int) -> KeyedValue? { i >= 0 && i < entries.count ? entries[i] : nil }
    switch variable {
    case .args, .argsNames: return index < argsGet.count ? at(argsGet, index) : at(argsPost, index - argsGet.count)
    case .argsGet, .argsGetNames: return at(argsGet, index)
    case .argsPost, .argsPostNames: return at(argsPost, index)
    case .requestHeaders, .requestHeadersNames: return at(requestHeaders, index)
    case .requestCookies, .requestCookiesNames: return at(requestCookies, index)
    case .responseHeaders, .responseHeadersNames: return at(responseHeaders, index)
    case .files: return at(files, index)
    case .filesNames: return at(filesNames, index)
    case .filesSizes: return at(filesSizes, index)
    case .multipartPartHeaders: return at(multipartPartHeaders, index)
    case .multipartFilename: return at(multipartFilename, index)
    case .multipartName: return at(multipartName, index)
    case .matchedVars, .matchedVarsNames: return at(matchedVars, index)
    default: return nil
    }
  }

  /// The candidate's key (as sent) and its lowercased form; nil for single values.
  func key(of candidate: borrowing Candidate) -> (key: [UInt8], lowered: [UInt8])? {
    if let own = candidate.ownKey { return (own, asciiLowercased(own)) }
    guard candidate.entry >= 0, let entry = storedEntry(candidate.variable, Int(candidate.entry)) else { return nil }
    return (entry.key, entry.loweredKey)
  }

  /// Evaluates `rule` (and its chain); returns whether the chain matched.
  func evaluate(_ rule: Rule, starter: Rule) -> Bool {
    var anyMatch = false
    // One candidate buffer per transaction, taken for the loop and handed back before the
    // chained rule runs (which takes it in turn).
    var candidates: [Candidate] = []
    swap(&candidates, &candidateBuffer)
    let exclusions = exclusions(for: rule, starter: starter)
    var plainRegex: PCRE2Regex?
    if case .rx(let regex) = rule.op.kind, !rule.multiMatch { plainRegex = regex }
    for target in rule.targets {
      // Every value of a request collection: the list this phase built already, if any.
      let list: [Candidate]
      if let shared = sharedCandidates(for: target) {
        list = shared
      } else {
        candidates.removeAll(keepingCapacity: true)
        collect(target, for: rule, into: &candidates)
        list = candidates
      }
      let cacheSlot = target.cacheSlot
      let matched = list.withUnsafeBufferPointer {
        evaluate(rule, starter: starter, on: $0, cacheSlot: cacheSlot, exclusions: exclusions, plainRegex: plainRegex)
      }
      if matched { anyMatch = true }
    }
    candidates.removeAll(keepingCapacity: true)
    swap(&candidates, &candidateBuffer)
    // SecAction and rules with no targets match unconditionally.
    if rule.targets.isEmpty {
      if case .unconditionalMatch = rule.op.kind {
        anyMatch = true
        for setvar in rule.setvars { execute(setvar) }
      }
    }
    guard anyMatch else { return false }
    if let chain = rule.chain {
      guard evaluate(chain, starter: starter) else { return false }
    }
    afterFullMatch(rule, starter: starter)
    return true
  }


  /// The candidate loop of ``evaluate(_:starter:)`` over one target's values, as a method so
  /// that its parameters are borrowed (a closure would reload and retain its captures around
  /// every call it makes). Returns whether any value matched.
  private func evaluate(
    _ rule: Rule, starter: Rule, on candidates: UnsafeBufferPointer<Candidate>, cacheSlot: Int, exclusions: [RuleExclusion],
    plainRegex: PCRE2Regex?
  ) -> Bool {
    var anyMatch = false
    let negated = rule.op.negated
    let capture = rule.capture
    let hasTransformations = !rule.transformations.isEmpty
    for index in candidates.indices {
      if !exclusions.isEmpty, isExcluded(candidates[index], by: exclusions) { continue }
      if let regex = plainRegex {
        let value = hasTransformations ? transformed(candidates[index], rule: rule, cacheSlot: cacheSlot) : candidates[index].value
        let matched = value.withUnsafeBufferPointer { regexMatches(regex, $0, capture: capture) }
        if matched != negated {
          recordMatch(rule, starter: starter, candidate: candidates[index], value: value)
          anyMatch = true
        }
      } else if rule.multiMatch {
        let candidate = candidates[index]
        var value = candidate.value
        var tried = false
        if runOperator(rule, on: value) {
          recordMatch(rule, starter: starter, candidate: candidate, value: value)
          anyMatch = true
        }
        for t in rule.transformations {
          let next = t.apply(value, context: transformationContext)
          if next == value, tried { continue }
          tried = true
          if next == value { continue }
          value = next
          if runOperator(rule, on: value) {
            recordMatch(rule, starter: starter, candidate: candidate, value: value)
            anyMatch = true
          }
        }
      } else {
        let value = hasTransformations ? transformed(candidates[index], rule: rule, cacheSlot: cacheSlot) : candidates[index].value
        if runOperator(rule, on: value) {
          recordMatch(rule, starter: starter, candidate: candidates[index], value: value)
          anyMatch = true
        }
      }
    }
    return anyMatch
  }

  /// The candidates of a whole request collection (`ARGS`, `REQUEST_HEADERS_NAMES`, ...: an
  /// all-values target that is not a count), built once per phase and shared by every rule of
  /// the phase that reads it. These collections do not change within a phase (request bodies
  /// are parsed between phases 1 and 2, response headers before phase 3; `MATCHED_VARS`, which
  /// does change, is not one of them). Nil for every other target.
  func sharedCandidates(for target: RuleTarget) -> [Candidate]? {
    guard !target.isCount, case .all = target.selector else { return nil }
    switch target.variable {
    case .args, .argsGet, .argsPost, .argsNames, .argsGetNames, .argsPostNames, .requestHeaders, .requestHeadersNames,
      .requestCookies, .requestCookiesNames, .responseHeaders, .responseHeadersNames, .files, .filesNames, .filesSizes,
      .multipartPartHeaders, .multipartFilename, .multipartName:
      break
    default:
      return nil
    }
    let index = target.variableIndex
    guard index >= 0, index < phaseCandidates.count else { return nil }
    if let list = phaseCandidates[index] { return list }
    var list: [Candidate] = []
    collectValues(target.variable, selector: .all, into: &list)
    phaseCandidates[index] = list
    return list
  }

  func transformed(_ candidate: borrowing Candidate, rule: Rule, cacheSlot: Int) -> [UInt8] {
    if rule.transformations.isEmpty { return candidate.value }
    if candidate.cacheable, cacheSlot < ruleSet.transformationCacheSlotCount, candidate.entry >= 0 {
      let key = UInt64(UInt32(cacheSlot)) << 32 | UInt64(UInt32(bitPattern: candidate.entry))
      if let hit = transformationCache.value(for: key) { return hit }
      var value = candidate.value
      for t in rule.transformations { value = t.apply(value, context: transformationContext) }
      transformationCache.insert(value, for: key)
      return value
    }
    var value = candidate.value
    for t in rule.transformations { value = t.apply(value, context: transformationContext) }
    return value
  }

  func recordMatch(_ rule: Rule, starter: Rule, candidate: borrowing Candidate, value: [UInt8]) {
    var name = Array(candidate.variable.rawValue.utf8)
    if let key = key(of: candidate)?.key {
      name.append(UInt8(ascii: ":"))
      name.append(contentsOf: key)
    }
    matchedVar = value
    matchedVarName = name
    matchedVars.append(KeyedValue(key: name, value: value))
    for setvar in rule.setvars { execute(setvar) }
  }

  func afterFullMatch(_ rule: Rule, starter: Rule) {
    for ctl in rule.ctls { execute(ctl) }
    guard !rule.isChainChild else { return }
    if let severity = rule.severity, severity < highestSeverity { highestSeverity = severity }
    let message = rule.msg.map { String(decoding: expand($0), as: UTF8.self) } ?? ""
    let data = rule.logdata.map { String(decoding: expand($0), as: UTF8.self) } ?? ""
    let logged = rule.log && !message.isEmpty
    matches.append(
      WAFMatch(
        ruleID: rule.id, phase: rule.phase, message: message, data: data, severity: rule.severity, tags: rule.tags,
        version: rule.version, file: rule.location.file, line: rule.location.line,
        matchedVariable: String(decoding: matchedVarName, as: UTF8.self),
        matchedValue: String(decoding: matchedVar, as: UTF8.self),
        operatorName: rule.op.name, operatorArgument: rule.op.argument, logged: logged))
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

  func collect(_ target: RuleTarget, for rule: Rule, into out: inout [Candidate]) {
    let variable = target.variable
    if target.isCount {
      var count = 0
      var counting: [Candidate] = []
      collectValues(variable, selector: target.selector, into: &counting)
      count = counting.count
      out.append(Candidate(variable: variable, value: Array(String(count).utf8)))
      return
    }
    collectValues(variable, selector: target.selector, into: &out)
  }

  func collectValues(_ variable: VariableName, selector: RuleTarget.Selector, into out: inout [Candidate]) {
    func keyed(_ entries: [KeyedValue], asNames: Bool = false, offset: Int = 0, cache: Bool = true) {
      if case .all = selector {
        for i in entries.indices {
          out.append(Candidate(variable: variable, value: asNames ? entries[i].key : entries[i].value, entry: Int32(i + offset), cacheable: cache))
        }
        return
      }
      for i in entries.indices where selects(selector, loweredKey: entries[i].loweredKey, key: entries[i].key) {
        out.append(Candidate(variable: variable, value: asNames ? entries[i].key : entries[i].value, entry: Int32(i + offset), cacheable: cache))
      }
    }
    switch variable {
    case .args:
      keyed(argsGet)
      keyed(argsPost, offset: argsGet.count)
    case .argsGet: keyed(argsGet)
    case .argsPost: keyed(argsPost)
    case .argsNames:
      keyed(argsGet, asNames: true)
      keyed(argsPost, asNames: true, offset: argsGet.count)
    case .argsGetNames: keyed(argsGet, asNames: true)
    case .argsPostNames: keyed(argsPost, asNames: true)
    case .requestHeaders: keyed(requestHeaders)
    case .requestHeadersNames: keyed(requestHeaders, asNames: true)
    case .requestCookies: keyed(requestCookies)
    case .requestCookiesNames: keyed(requestCookies, asNames: true)
    case .responseHeaders: keyed(responseHeaders)
    case .responseHeadersNames: keyed(responseHeaders, asNames: true)
    case .files: keyed(files)
    case .filesNames: keyed(filesNames)
    case .filesSizes: keyed(filesSizes)
    case .filesTmpNames: break
    case .multipartPartHeaders: keyed(multipartPartHeaders)
    case .multipartFilename: keyed(multipartFilename)
    case .multipartName: keyed(multipartName)
    case .matchedVars: keyed(matchedVars, cache: false)
    case .matchedVarsNames: keyed(matchedVars, asNames: true, cache: false)
    case .tx, .ip, .global, .session, .user, .resource:
      let collection = writable[variable.writableIndex]
      switch selector {
      case .key(let key):
        if let v = collection[key.loweredString] {
          out.append(Candidate(variable: variable, value: v, ownKey: key.bytes))
        }
      default:
        for e in collection.entries where selects(selector, e) {
          out.append(Candidate(variable: variable, value: e.value, ownKey: e.key))
        }
      }
    case .env:
      env.forEach { key, value in
        let k = Array(key.utf8)
        if selects(selector, KeyedValue(key: k, value: value)) {
          out.append(Candidate(variable: variable, value: value, ownKey: k))
        }
      }
    case .rule:
      guard let rule = currentRule else { return }
      let fields: [(String, String)] = [
        ("id", String(rule.id)), ("phase", String(rule.phase)), ("severity", rule.severity.map(String.init) ?? ""),
        ("ver", rule.version ?? ""), ("rev", rule.revision ?? ""),
      ]
      for (k, v) in fields {
        let entry = KeyedValue(key: Array(k.utf8), value: Array(v.utf8))
        if selects(selector, entry) { out.append(Candidate(variable: variable, value: entry.value, ownKey: entry.key)) }
      }
    case .xml:
      guard let document = xmlDocument else { return }
      let path: String
      switch selector {
      case .key(let key): path = key.original
      default: path = "/*"
      }
      for value in document.values(xpath: path) {
        out.append(Candidate(variable: variable, value: value, ownKey: Array(path.utf8)))
      }
    case .matchedVar:
      out.append(Candidate(variable: variable, value: matchedVar))
    case .matchedVarName:
      out.append(Candidate(variable: variable, value: matchedVarName))
    case .highestSeverity:
      out.append(Candidate(variable: variable, value: Array(String(highestSeverity).utf8)))
    case .reqbodyProcessor:
      // Known from the headers (or a ctl) already in phase 1, as in ModSecurity 3.
      if let processor = bodyProcessor {
        out.append(Candidate(variable: variable, value: Array(processor.rawValue.utf8)))
      }
    case .fullRequest:
      out.append(Candidate(variable: variable, value: fullRequest()))
    case .fullRequestLength:
      out.append(Candidate(variable: variable, value: Array(String(fullRequest().count).utf8)))
    default:
      if let value = scalars[variable] {
        out.append(Candidate(variable: variable, value: value, entry: 0, cacheable: variable.isRequestConstant))
      }
    }
  }

  func fullRequest() -> [UInt8] {
    var out = scalars[.requestLine] ?? []
    out.append(contentsOf: [0x0D, 0x0A])
    for h in request.headers {
      out.append(contentsOf: Array("\(h.name): \(h.value)\r\n".utf8))
    }
    out.append(contentsOf: [0x0D, 0x0A])
    out.append(contentsOf: request.body)
    return out
  }

  @inline(__always)
  func selects(_ selector: RuleTarget.Selector, _ entry: KeyedValue) -> Bool {
    selects(selector, loweredKey: entry.loweredKey, key: entry.key)
  }

  @inline(__always)
  func selects(_ selector: RuleTarget.Selector, loweredKey: [UInt8], key: [UInt8]) -> Bool {
    switch selector {
    case .all: return true
    case .key(let k): return loweredKey == k.lowered
    case .regex(let regex, _, let prefix):
      guard let scratch else { return false }
      return RuleTarget.Selector.regexSelects(regex, literalPrefix: prefix, key: key, loweredKey: loweredKey, scratch: scratch)
    }
  }

  /// Exclusions that apply to `rule` in this transaction: the rule's own `!TARGET`s plus the
  /// `ctl:ruleRemoveTarget*` removals that name its chain starter (by id or tag).
  func exclusions(for rule: Rule, starter: Rule) -> [RuleExclusion] {
    if removedTargetsByID.isEmpty, removedTargetsByTag.isEmpty { return rule.exclusions }
    var result = rule.exclusions
    for (ranges, target) in removedTargetsByID where ranges.contains(where: { $0.contains(starter.id) }) {
      result.append(RuleExclusion(variable: target.variable, selector: target.selector))
    }
    for (tag, target) in removedTargetsByTag where starter.tagIDs.contains(tag) {
      result.append(RuleExclusion(variable: target.variable, selector: target.selector))
    }
    return result
  }

  func isExcluded(_ candidate: borrowing Candidate, by exclusions: [RuleExclusion]) -> Bool {
    // Walked in place: copying each exclusion out of the array would retain its selector.
    exclusions.withUnsafeBufferPointer { exclusions in
      for index in exclusions.indices where exclusions[index].variable == candidate.variable {
        if case .all = exclusions[index].selector { return true }
        guard let scratch, let (key, lowered) = key(of: candidate) else { continue }
        if exclusions[index].excludes(candidate.variable, loweredKey: lowered, key: key, scratch: scratch) { return true }
      }
      return false
    }
  }

  // MARK: Operators

  func runOperator(_ rule: Rule, on value: [UInt8]) -> Bool {
    let matched = value.withUnsafeBufferPointer { operatorMatches(rule, $0) }
    return matched != rule.op.negated
  }

  func operatorMatches(_ rule: Rule, _ input: UnsafeBufferPointer<UInt8>) -> Bool {
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
      guard let hit = matcher.automaton.firstMatch(in: input) else { return false }
      if rule.capture {
        let phrase = hit.patternIndex < matcher.phrases.count ? matcher.phrases[hit.patternIndex] : []
        setTX("0", phrase)
      }
      return true
    case .numeric(let comparison, let macro):
      let lhs = secLangInteger(input)
      let rhs = secLangInteger(macro.constantValue ?? expand(macro))
      switch comparison {
      case .eq: return lhs == rhs
      case .ge: return lhs >= rhs
      case .gt: return lhs > rhs
      case .le: return lhs <= rhs
      case .lt: return lhs < rhs
      }
    case .string(let comparison, let macro):
      let parameter = macro.constantValue ?? expand(macro)
      switch comparison {
      case .streq:
        return input.count == parameter.count && input.elementsEqual(parameter)
      case .contains, .strmatch:
        return firstOccurrence(of: parameter, in: input) != nil
      case .beginsWith:
        return input.count >= parameter.count && input.prefix(parameter.count).elementsEqual(parameter)
      case .endsWith:
        return input.count >= parameter.count && input.suffix(parameter.count).elementsEqual(parameter)
      case .within:
        if input.isEmpty { return true }
        return parameter.withUnsafeBufferPointer { firstOccurrence(of: input, in: $0) != nil }
      case .containsWord:
        return containsWord(input, parameter)
      }
    case .validateByteRange(let ranges):
      return ranges.firstInvalid(in: input) != nil
    case .validateURLEncoding:
      return EncodingValidation.validateUrlEncoding(input).isInvalid
    case .validateUTF8Encoding:
      return EncodingValidation.validateUtf8Encoding(input).isInvalid
    case .detectSQLi:
      guard let fingerprint = SQLInjection.detect(input) else { return false }
      if rule.capture { setTX("0", Array(fingerprint.utf8)) }
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

  func regexMatches(_ regex: PCRE2Regex, _ input: UnsafeBufferPointer<UInt8>, capture: Bool) -> Bool {
    // The scratch is lent unretained: the transaction owns it for its whole life.
    guard let scratchReference else { return false }
    let outcome = scratchReference._withUnsafeGuaranteedRef { regex.match(input, scratch: $0, matchLimit: pcreMatchLimit) }
    switch outcome {
    case .match:
      if capture {
        for group in 0..<min(10, regex.captureCount + 1) {
          if let range = scratchReference._withUnsafeGuaranteedRef({ $0.group(group) }) {
            setTX(String(group), Array(input[range]))
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

  func containsWord(_ input: UnsafeBufferPointer<UInt8>, _ word: [UInt8]) -> Bool {
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

  func execute(_ setvar: SetVarAction) {
    let key = setvar.constantKey ?? String(decoding: expand(setvar.key), as: UTF8.self)
    let index = setvar.collection.writableIndex
    switch setvar.operation {
    case .delete:
      writable[index].remove(key)
    case .set(let macro):
      writable[index].set(key, macro.constantValue ?? expand(macro), keyBytes: setvar.constantKeyBytes)
    case .add(let macro), .subtract(let macro):
      let current = writable[index][key].map { secLangInteger($0) } ?? 0
      let delta = secLangInteger(macro.constantValue ?? expand(macro))
      let isAdd: Bool
      if case .add = setvar.operation { isAdd = true } else { isAdd = false }
      let (result, overflow) = isAdd ? current.addingReportingOverflow(delta) : current.subtractingReportingOverflow(delta)
      writable[index].set(key, Array(String(overflow ? current : result).utf8), keyBytes: setvar.constantKeyBytes)
    }
  }

  func execute(_ ctl: CtlAction) {
    switch ctl {
    case .ruleEngine(let mode): engineMode = mode
    case .ruleRemoveById(let ranges): removedRuleIDs += ranges
    case .ruleRemoveByTag(let tag): removedTags.append(ruleSet.tagTable[tag] ?? -1)
    case .ruleRemoveTargetById(let ranges, let target): removedTargetsByID.append((ranges, target))
    case .ruleRemoveTargetByTag(let tag, let target): removedTargetsByTag.append((ruleSet.tagTable[tag] ?? -1, target))
    case .requestBodyProcessor(let kind): bodyProcessor = kind
    case .requestBodyAccess(let on): requestBodyAccess = on
    case .responseBodyAccess(let on): responseBodyAccess = on
    case .forceRequestBodyVariable(let on): forceRequestBodyVariable = on
    case .auditEngine, .auditLogParts, .debugLogLevel: break
    }
  }

  // MARK: Macros

  func expand(_ macro: Macro) -> [UInt8] {
    // A lone reference (`%{tx.restricted_headers_basic}`) is the stored value itself: no copy.
    if macro.parts.count == 1, case .reference(let reference) = macro.parts[0] { return resolve(reference) }
    var out: [UInt8] = []
    for part in macro.parts {
      switch part {
      case .literal(let bytes): out.append(contentsOf: bytes)
      case .reference(let reference): out.append(contentsOf: resolve(reference))
      }
    }
    return out
  }

  func resolve(_ reference: MacroReference) -> [UInt8] {
    let variable = reference.variable
    if variable.isWritable {
      guard let key = reference.key else { return [] }
      return writable[variable.writableIndex][key] ?? []
    }
    switch variable {
    case .matchedVar: return matchedVar
    case .matchedVarName: return matchedVarName
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
          collectValues(variable, selector: .key(KeySelector(key)), into: &values)
        } else {
          collectValues(variable, selector: .all, into: &values)
        }
        return values.first?.value ?? []
      }
      return scalars[variable] ?? []
    }
  }
}

extension VariableName {
  /// Index into the transformation cache key.
  var cacheIndex: UInt16 { VariableName.cacheIndices[self] ?? 0 }

  static let cacheIndexCount = allCases.count

  private static let cacheIndices: [VariableName: UInt16] = {
    var table: [VariableName: UInt16] = [:]
    for (i, v) in allCases.enumerated() { table[v] = UInt16(i) }
    return table
  }()

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
