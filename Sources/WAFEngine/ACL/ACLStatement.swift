internal import PolicyCore

/// A compiled rule statement. `rateBased` and `managedCRS` only appear at the top of a rule (as in
/// AWS WAF, where neither nests inside `and`/`or`/`not`); the loader enforces it.
indirect enum ACLStatement: Sendable {
  case ipSet(IPSetStatement)
  case ipReputation(ReputationStatement)
  case rateBased(RateBasedStatement)
  case managedCRS(ManagedCRSStatement)
  case byteMatch(ByteMatchStatement)
  case regexMatch(RegexMatchStatement)
  case sizeConstraint(SizeConstraintStatement)
  case labelMatch(LabelMatchStatement)
  case and([ACLStatement])
  case or([ACLStatement])
  case not(ACLStatement)

  /// Whether the statement matches. `state` carries the labels added so far and collects what
  /// the statement observed (rate counts, reputation lists, CRS scores) for the result.
  func matches(_ state: inout ACLEvaluationState) -> Bool {
    switch self {
    case .ipSet(let statement): return statement.matches(state.request)
    case .ipReputation(let statement): return statement.matches(&state)
    case .rateBased(let statement): return statement.matches(&state)
    case .managedCRS(let statement): return statement.matches(&state)
    case .byteMatch(let statement): return statement.matches(state.request)
    case .regexMatch(let statement): return statement.matches(state.request)
    case .sizeConstraint(let statement): return statement.matches(state.request)
    case .labelMatch(let statement): return statement.matches(state.labels)
    case .and(let statements):
      for statement in statements where !statement.matches(&state) { return false }
      return true
    case .or(let statements):
      for statement in statements where statement.matches(&state) { return true }
      return false
    case .not(let statement):
      return !statement.matches(&state)
    }
  }
}

/// The mutable state of one request's walk through the rules.
struct ACLEvaluationState {
  let request: HTTPRequest
  /// Seconds since the epoch that rate rules count at.
  let time: Double
  /// The rule being evaluated (rate stores and results name it).
  var ruleName = ""
  var labels: [String] = []
  var labelSet: Set<String> = []
  var rateCounts: [ACLRateCount] = []
  /// Observations of the current rule's statement, moved into its match record.
  var lists: [String] = []
  var managed: ACLManagedResult?

  init(request: HTTPRequest, time: Double) {
    self.request = request
    self.time = time
  }

  mutating func addLabel(_ label: String) {
    if labelSet.insert(label).inserted { labels.append(label) }
  }
}

/// The address a statement tests: the TCP peer, or addresses from a forwarded header.
enum ACLAddressSource: Sendable, Hashable {
  case peer
  case forwarded(ForwardedIPConfig)

  /// The addresses, or nil when the fallback decides (absent header, invalid entry, or a peer
  /// address that does not parse).
  func addresses(of request: HTTPRequest) -> [IPAddress]? {
    switch self {
    case .peer: return IPAddress(request.clientAddress).map { [$0] }
    case .forwarded(let config): return config.addresses(in: request)
    }
  }

  var fallbackMatches: Bool {
    if case .forwarded(let config) = self { return config.fallback == .match }
    return false
  }
}

/// `ip_set`: the client address is in one of the listed prefixes.
struct IPSetStatement: Sendable {
  let trie: IPPrefixTrie
  let source: ACLAddressSource

  func matches(_ request: HTTPRequest) -> Bool {
    guard let addresses = source.addresses(of: request) else { return source.fallbackMatches }
    return addresses.contains { trie.contains($0) }
  }
}

/// `ip_reputation`: the client address is on one of the reputation lists.
struct ReputationStatement: Sendable {
  let store: ReputationStore
  let source: ACLAddressSource

  func matches(_ state: inout ACLEvaluationState) -> Bool {
    guard let addresses = source.addresses(of: state.request) else { return source.fallbackMatches }
    let snapshot = store.snapshot
    var found: [String] = []
    for address in addresses where snapshot.contains(address) {
      for list in snapshot.matchingLists(address) where !found.contains(list) { found.append(list) }
    }
    state.lists = found
    return !found.isEmpty
  }
}

/// One component of a custom rate aggregation key.
enum RateKeyComponent: Sendable, Hashable {
  case header(String, [Transformation])
  case cookie(String, [Transformation])
  case queryArgument(String, [Transformation])
  case uriPath([Transformation])
  case httpMethod
  case labelNamespace(String)
  case ip
  case forwardedIP(ForwardedIPConfig)

  /// The component's text, or nil when the request lacks it (the request is then not counted).
  func value(in state: ACLEvaluationState) -> String? {
    let request = state.request
    func first(_ part: ACLRequestPart, _ transformations: [Transformation]) -> String? {
      part.values(of: request).first.map {
        String(decoding: ACLTransformations.apply(transformations, to: $0), as: UTF8.self)
      }
    }
    switch self {
    case .header(let name, let transformations): return first(.header(name), transformations).map { "header:\(asciiLowercased(name))=\($0)" }
    case .cookie(let name, let transformations): return first(.cookie(name), transformations).map { "cookie:\(name)=\($0)" }
    case .queryArgument(let name, let transformations):
      return first(.queryArgument(name), transformations).map { "query_argument:\(name)=\($0)" }
    case .uriPath(let transformations): return first(.uriPath, transformations).map { "uri_path=\($0)" }
    case .httpMethod: return "http_method=\(request.method)"
    case .labelNamespace(let namespace):
      let names = state.labels.filter { $0.hasPrefix(namespace) && $0.count > namespace.count }.sorted()
      return names.isEmpty ? nil : "label_namespace:\(namespace)=" + names.joined(separator: ",")
    case .ip: return IPAddress(request.clientAddress).map { "ip=\($0)" }
    case .forwardedIP(let config): return config.addresses(in: request)?.first.map { "forwarded_ip=\($0)" }
    }
  }
}

/// `rate_based`: more than `limit` requests per window for the request's aggregation key.
struct RateBasedStatement: Sendable {
  enum Aggregation: Sendable {
    /// The TCP peer address.
    case ip
    /// An address from a forwarded header; the fallback `match` counts the request under the peer
    /// address instead, `no_match` leaves it uncounted.
    case forwardedIP(ForwardedIPConfig)
    /// A combination of request parts.
    case custom([RateKeyComponent])
  }

  let limit: Int
  let aggregation: Aggregation
  let scopeDown: ACLStatement?
  let store: any RateStore

  func key(in state: ACLEvaluationState) -> String? {
    switch aggregation {
    case .ip:
      return IPAddress(state.request.clientAddress)?.description
    case .forwardedIP(let config):
      if let address = config.addresses(in: state.request)?.first { return address.description }
      guard config.fallback == .match else { return nil }
      return IPAddress(state.request.clientAddress)?.description
    case .custom(let components):
      var parts: [String] = []
      for component in components {
        guard let value = component.value(in: state) else { return nil }
        parts.append(value)
      }
      return parts.joined(separator: " | ")
    }
  }

  func matches(_ state: inout ACLEvaluationState) -> Bool {
    if let scopeDown, !scopeDown.matches(&state) { return false }
    guard let key = key(in: state) else { return false }
    let decision = store.record(key: RateKey(key), at: state.time)
    state.rateCounts.append(
      ACLRateCount(
        rule: state.ruleName, key: key, count: decision.count, limit: limit, limited: decision.limited,
        degraded: decision.degraded))
    return decision.limited
  }
}

/// How `byte_match` compares a value with its search string.
enum PositionalConstraint: String, Sendable, Hashable, CaseIterable {
  case exactly
  case startsWith = "starts_with"
  case endsWith = "ends_with"
  case contains
  /// The search string appears bounded by non-word characters (not `[A-Za-z0-9_]`) or the ends.
  case containsWord = "contains_word"
}

/// `byte_match`: a request part, transformed, compared with a string.
struct ByteMatchStatement: Sendable {
  let part: ACLRequestPart
  let constraint: PositionalConstraint
  let search: [UInt8]
  let transformations: [Transformation]

  func matches(_ request: HTTPRequest) -> Bool {
    part.values(of: request).contains { value in
      Self.compare(ACLTransformations.apply(transformations, to: value), search, constraint)
    }
  }

  static func compare(_ value: [UInt8], _ search: [UInt8], _ constraint: PositionalConstraint) -> Bool {
    switch constraint {
    case .exactly: return value == search
    case .startsWith: return value.starts(with: search)
    case .endsWith: return value.count >= search.count && value.suffix(search.count).elementsEqual(search)
    case .contains: return search.isEmpty || firstIndex(of: search, in: value, from: 0) != nil
    case .containsWord:
      var from = 0
      while let found = firstIndex(of: search, in: value, from: from) {
        let end = found + search.count
        let before = found == 0 || !isWordByte(value[found - 1])
        let after = end == value.count || !isWordByte(value[end])
        if before && after { return true }
        from = found + 1
      }
      return false
    }
  }

  static func isWordByte(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
  }

  static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
    let first = needle[0]
    var index = start
    while index <= haystack.count - needle.count {
      if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
      index += 1
    }
    return nil
  }
}

/// `regex_match`: a request part, transformed, matched by a PCRE2 pattern.
struct RegexMatchStatement: Sendable {
  let part: ACLRequestPart
  let regex: PCRE2Regex
  let transformations: [Transformation]

  func matches(_ request: HTTPRequest) -> Bool {
    part.values(of: request).contains { value in
      let input = ACLTransformations.apply(transformations, to: value)
      // A match-limit error (catastrophic backtracking) counts as no match.
      let found = input.withUnsafeBufferPointer { buffer in (try? regex.firstMatch(in: buffer)) ?? nil }
      return found != nil
    }
  }
}

/// `size_constraint`: the byte length of a request part, after transformations, compared with a
/// size.
struct SizeConstraintStatement: Sendable {
  enum Comparison: String, Sendable, Hashable, CaseIterable {
    case eq, ne, lt, le, gt, ge
  }

  let part: ACLRequestPart
  let comparison: Comparison
  let size: Int
  let transformations: [Transformation]

  func matches(_ request: HTTPRequest) -> Bool {
    part.values(of: request).contains { value in
      let length = ACLTransformations.apply(transformations, to: value).count
      switch comparison {
      case .eq: return length == size
      case .ne: return length != size
      case .lt: return length < size
      case .le: return length <= size
      case .gt: return length > size
      case .ge: return length >= size
      }
    }
  }
}

/// `label_match`: a label added by an earlier rule, by exact name or by namespace (a prefix
/// ending in `:`).
struct LabelMatchStatement: Sendable {
  enum Scope: String, Sendable, Hashable {
    case label
    case namespace
  }

  let scope: Scope
  let key: String

  func matches(_ labels: [String]) -> Bool {
    switch scope {
    case .label: return labels.contains(key)
    case .namespace: return labels.contains { $0.hasPrefix(key) }
    }
  }
}
