internal import PolicyCore

/// Turns a web ACL file into a `WebACL`: checks every key and value against the format in
/// docs/waf-acl.md, compiles statements, loads referenced files and creates the rate stores.
///
/// Every error is a `waf_acl_error` pointing at the offending node (an unknown key points at the
/// key, a bad value at the value), with the rule name as a note.
struct WebACLLoader {
  let file: SourceFile
  let options: WebACL.Options
  /// The directory relative references are resolved against.
  let directory: String
  private var reputationStores: [ReputationStore] = []
  private var rateStores: [String: any RateStore] = [:]
  private var redis: RedisRateStore.Configuration?
  private var aclName = ""

  init(file: SourceFile, options: WebACL.Options) {
    self.file = file
    self.options = options
    if let slash = file.name.lastIndex(of: "/") {
      directory = String(file.name[..<slash])
    } else {
      directory = "."
    }
  }

  // MARK: - Top level

  mutating func load() throws(Diagnostic) -> WebACL {
    let root = try ACLYAMLReader.document(of: file)
    let top = try mapping(
      root, "the web ACL", allowed: ["name", "description", "default_action", "redis", "rules"],
      required: ["default_action", "rules"])
    aclName = try top["name"].map { node throws(Diagnostic) in try string(node, "name") } ?? defaultName()
    _ = try top["description"].map { node throws(Diagnostic) in try string(node, "description") }
    let defaultAction = try action(top["default_action"] ?? root, key: "default_action")
    switch defaultAction {
    case .allow, .block: break
    default:
      throw error(top["default_action"] ?? root, "default_action must be allow or block, not \(defaultAction.name)")
    }
    if let node = top["redis"] { redis = try redisConfiguration(node) }
    let rulesNode = top["rules"] ?? root
    guard case .sequence(let items) = rulesNode.kind else { throw error(rulesNode, "rules must be a list, not \(rulesNode.kindName)") }
    var rules: [(rule: WebACL.Rule, order: Int, node: ACLNode)] = []
    for (order, item) in items.enumerated() {
      let rule = try self.rule(item, order: order)
      if let other = rules.first(where: { $0.rule.name == rule.name }) {
        let (line, _) = file.location(of: other.node.offset)
        throw error(item, "duplicate rule name '\(rule.name)' (first at line \(line))")
      }
      if let other = rules.first(where: { $0.rule.priority == rule.priority }) {
        throw error(item, "rules '\(other.rule.name)' and '\(rule.name)' have the same priority \(rule.priority)")
      }
      rules.append((rule, order, item))
    }
    rules.sort { $0.rule.priority != $1.rule.priority ? $0.rule.priority < $1.rule.priority : $0.order < $1.order }
    return WebACL(
      name: aclName, defaultAction: defaultAction, rules: rules.map(\.rule), reputationStores: reputationStores,
      rateStores: rateStores, clock: options.clock)
  }

  private func defaultName() -> String {
    let base = file.name.split(separator: "/").last.map(String.init) ?? file.name
    if let dot = base.lastIndex(of: "."), dot != base.startIndex { return String(base[..<dot]) }
    return base
  }

  private mutating func rule(_ node: ACLNode, order: Int) throws(Diagnostic) -> WebACL.Rule {
    let fields = try mapping(
      node, "a rule", allowed: ["name", "priority", "description", "statement", "action", "labels"],
      required: ["name", "statement", "action"])
    let name = try string(fields["name"] ?? node, "name")
    guard !name.isEmpty else { throw error(fields["name"] ?? node, "a rule name must not be empty") }
    do throws(Diagnostic) {
      let priority = try fields["priority"].map { node throws(Diagnostic) in try integer(node, "priority", 0...Int(Int32.max)) } ?? order
      _ = try fields["description"].map { node throws(Diagnostic) in try string(node, "description") }
      let labels = try fields["labels"].map { node throws(Diagnostic) in try stringList(node, "labels") } ?? []
      for (index, label) in labels.enumerated() where label.isEmpty || label.hasSuffix(":") || label.contains(" ") {
        let labelNode = fields["labels"].flatMap { node -> ACLNode? in
          if case .sequence(let items) = node.kind, index < items.count { return items[index] }
          return node
        }
        throw error(labelNode ?? node, "label '\(label)' must be non-empty, contain no spaces and not end with ':'")
      }
      let action = try action(fields["action"] ?? node, key: "action")
      let statement = try self.statement(fields["statement"] ?? node, rule: name, topLevel: true)
      return WebACL.Rule(name: name, priority: priority, statement: statement, action: action, labels: labels)
    } catch {
      throw error.noting("in rule '\(name)'")
    }
  }

  // MARK: - Actions

  /// `allow`, `count`, `captcha`, `challenge`, `block`, or `{block: {status, body, headers}}`.
  private func action(_ node: ACLNode, key: String) throws(Diagnostic) -> ACLAction {
    let names = ["allow", "block", "count", "captcha", "challenge"]
    if let name = node.scalar {
      switch name {
      case "allow": return .allow
      case "block": return .block(nil)
      case "count": return .count
      case "captcha": return .captcha
      case "challenge": return .challenge
      default: throw error(node, "unknown action '\(name)'; expected one of: " + names.joined(separator: ", "))
      }
    }
    guard case .mapping(let pairs) = node.kind, pairs.count == 1, let name = pairs[0].key.scalar else {
      throw error(node, "\(key) must be one of \(names.joined(separator: ", ")) or a mapping {block: {status, body, headers}}")
    }
    let value = pairs[0].value
    switch name {
    case "block":
      if value.isNull { return .block(nil) }
      let fields = try mapping(value, "a block action", allowed: ["status", "body", "headers"], required: [])
      let status = try fields["status"].map { node throws(Diagnostic) in try integer(node, "status", 200...599) } ?? 403
      let body = try fields["body"].map { node throws(Diagnostic) in try string(node, "body") }
      var headers: [HTTPHeader] = []
      if let headersNode = fields["headers"] {
        guard case .mapping(let entries) = headersNode.kind else {
          throw error(headersNode, "headers must be a mapping of header name to value")
        }
        for entry in entries {
          headers.append(HTTPHeader(try string(entry.key, "header name"), try string(entry.value, "header value")))
        }
      }
      return .block(ACLCustomResponse(status: status, body: body, headers: headers))
    case "allow", "count", "captcha", "challenge":
      guard value.isNull else { throw error(value, "action \(name) takes no settings") }
      return try action(pairs[0].key, key: key)
    default:
      throw error(pairs[0].key, "unknown action '\(name)'; expected one of: " + names.joined(separator: ", "))
    }
  }

  // MARK: - Statements

  static let statementNames = [
    "and", "byte_match", "ip_reputation", "ip_set", "label_match", "managed", "not", "or", "rate_based",
    "regex_match", "size_constraint",
  ]

  private mutating func statement(_ node: ACLNode, rule: String, topLevel: Bool) throws(Diagnostic) -> ACLStatement {
    guard case .mapping(let pairs) = node.kind, pairs.count == 1, let kind = pairs[0].key.scalar else {
      throw error(
        node, "a statement is a mapping with exactly one key: " + Self.statementNames.joined(separator: ", "))
    }
    let keyNode = pairs[0].key
    let body = pairs[0].value
    switch kind {
    case "and", "or":
      guard case .sequence(let items) = body.kind, items.count >= 2 else {
        throw error(body, "\(kind) takes a list of at least two statements")
      }
      var statements: [ACLStatement] = []
      for item in items { statements.append(try statement(item, rule: rule, topLevel: false)) }
      return kind == "and" ? .and(statements) : .or(statements)
    case "not":
      return .not(try statement(body, rule: rule, topLevel: false))
    case "ip_set":
      return .ipSet(try ipSet(body))
    case "ip_reputation":
      return .ipReputation(try ipReputation(body))
    case "rate_based":
      guard topLevel else { throw error(keyNode, "rate_based must be a rule's statement, not nested in and/or/not") }
      return .rateBased(try rateBased(body, rule: rule))
    case "managed":
      guard topLevel else { throw error(keyNode, "managed must be a rule's statement, not nested in and/or/not") }
      return .managedCRS(try managed(body))
    case "byte_match":
      let fields = try mapping(
        body, "byte_match", allowed: ["field", "match", "value", "transformations"], required: ["field", "value"])
      let constraint = try enumValue(
        fields["match"], "match", default: PositionalConstraint.contains, cases: PositionalConstraint.allCases.map(\.rawValue))
      return .byteMatch(
        ByteMatchStatement(
          part: try requestPart(fields["field"] ?? body), constraint: constraint,
          search: Array(try string(fields["value"] ?? body, "value").utf8),
          transformations: try transformations(fields["transformations"])))
    case "regex_match":
      let fields = try mapping(
        body, "regex_match", allowed: ["field", "pattern", "transformations"], required: ["field", "pattern"])
      let patternNode = fields["pattern"] ?? body
      let regex: PCRE2Regex
      do {
        regex = try PCRE2Regex(try string(patternNode, "pattern"), options: [], limits: options.limits)
      } catch {
        throw self.error(patternNode, "pattern does not compile: \(error.message)")
      }
      return .regexMatch(
        RegexMatchStatement(
          part: try requestPart(fields["field"] ?? body), regex: regex,
          transformations: try transformations(fields["transformations"])))
    case "size_constraint":
      let fields = try mapping(
        body, "size_constraint", allowed: ["field", "comparison", "size", "transformations"],
        required: ["field", "comparison", "size"])
      let comparison = try enumValue(
        fields["comparison"], "comparison", default: SizeConstraintStatement.Comparison.eq,
        cases: SizeConstraintStatement.Comparison.allCases.map(\.rawValue))
      return .sizeConstraint(
        SizeConstraintStatement(
          part: try requestPart(fields["field"] ?? body), comparison: comparison,
          size: try integer(fields["size"] ?? body, "size", 0...Int(Int32.max)),
          transformations: try transformations(fields["transformations"])))
    case "label_match":
      let fields = try mapping(body, "label_match", allowed: ["scope", "key"], required: ["key"])
      let scope = try enumValue(fields["scope"], "scope", default: LabelMatchStatement.Scope.label, cases: ["label", "namespace"])
      let keyValueNode = fields["key"] ?? body
      let key = try string(keyValueNode, "key")
      if scope == .namespace, !key.hasSuffix(":") { throw error(keyValueNode, "a label namespace must end with ':'") }
      if key.isEmpty { throw error(keyValueNode, "key must not be empty") }
      return .labelMatch(LabelMatchStatement(scope: scope, key: key))
    default:
      throw error(keyNode, "unknown statement '\(kind)'; expected one of: " + Self.statementNames.joined(separator: ", "))
    }
  }

  /// `ip_set: {addresses: [...], file: path, forwarded_ip: {...}}`.
  private func ipSet(_ node: ACLNode) throws(Diagnostic) -> IPSetStatement {
    let fields = try mapping(node, "ip_set", allowed: ["addresses", "file", "forwarded_ip"], required: [])
    guard fields["addresses"] != nil || fields["file"] != nil else {
      throw error(node, "ip_set needs addresses, a file, or both")
    }
    var trie = IPPrefixTrie()
    var count: Int32 = 0
    if let addressesNode = fields["addresses"] {
      guard case .sequence(let items) = addressesNode.kind else { throw error(addressesNode, "addresses must be a list of CIDRs") }
      for item in items {
        let text = try string(item, "address")
        do {
          trie.insert(try IPPrefix(parsing: text), value: count)
        } catch {
          throw self.error(item, "'\(text)' is not an IP address or CIDR prefix: \(error.message)")
        }
        count += 1
      }
    }
    if let fileNode = fields["file"] {
      let list = try loadList(fileNode)
      for entry in list.entries {
        trie.insert(entry.prefix, value: count)
        count += 1
      }
    }
    trie.optimize()
    return IPSetStatement(trie: trie, source: try addressSource(fields["forwarded_ip"], allowAny: true))
  }

  private func loadList(_ node: ACLNode) throws(Diagnostic) -> ReputationList {
    let path = resolve(try string(node, "file"))
    do {
      return try ReputationList.load(path: path, limits: options.limits)
    } catch {
      if error.span != nil { throw error.noting("referenced at \(location(node))") }
      throw self.error(node, error.message)
    }
  }

  /// `ip_reputation: {lists: [path | {file, name, format}], forwarded_ip: {...}}`.
  private mutating func ipReputation(_ node: ACLNode) throws(Diagnostic) -> ReputationStatement {
    let fields = try mapping(node, "ip_reputation", allowed: ["lists", "forwarded_ip"], required: ["lists"])
    let listsNode = fields["lists"] ?? node
    let items: [ACLNode]
    switch listsNode.kind {
    case .sequence(let list) where !list.isEmpty: items = list
    case .scalar: items = [listsNode]
    default: throw error(listsNode, "lists must be a file or a non-empty list of files")
    }
    var sources: [ReputationStore.Source] = []
    for item in items {
      if item.scalar != nil {
        sources.append(ReputationStore.Source(path: resolve(try string(item, "list"))))
        continue
      }
      let entry = try mapping(item, "a list", allowed: ["file", "name", "format"], required: ["file"])
      let format = try enumValue(
        entry["format"], "format", default: ReputationList.Format.automatic,
        cases: ["automatic", "lines", "json", "jsonLines"])
      sources.append(
        ReputationStore.Source(
          path: resolve(try string(entry["file"] ?? item, "file")),
          name: try entry["name"].map { node throws(Diagnostic) in try string(node, "name") }, format: format))
    }
    let onFailure = options.onFailure
    let store: ReputationStore
    do {
      store = try ReputationStore(sources: sources, limits: options.limits) { diagnostic in onFailure?("\(diagnostic)") }
    } catch {
      if error.span != nil { throw error.noting("referenced at \(location(listsNode))") }
      throw self.error(listsNode, error.message)
    }
    reputationStores.append(store)
    return ReputationStatement(store: store, source: try addressSource(fields["forwarded_ip"], allowAny: true))
  }

  /// `forwarded_ip: {header, position, fallback}`, or the peer address when absent.
  private func addressSource(_ node: ACLNode?, allowAny: Bool) throws(Diagnostic) -> ACLAddressSource {
    guard let node else { return .peer }
    return .forwarded(try forwardedIP(node, allowAny: allowAny))
  }

  private func forwardedIP(_ node: ACLNode, allowAny: Bool) throws(Diagnostic) -> ForwardedIPConfig {
    let fields = try mapping(node, "forwarded_ip", allowed: ["header", "position", "fallback"], required: ["fallback"])
    let header = try fields["header"].map { node throws(Diagnostic) in try string(node, "header") } ?? "X-Forwarded-For"
    let positions = allowAny ? ["first", "last", "any"] : ["first", "last"]
    let position = try enumValue(fields["position"], "position", default: ForwardedIPConfig.Position.first, cases: positions)
    let fallback = try enumValue(fields["fallback"], "fallback", default: ForwardedIPConfig.Fallback.noMatch, cases: ["match", "no_match"])
    return ForwardedIPConfig(header: header, position: position, fallback: fallback)
  }

  /// `rate_based: {limit, window, aggregate, forwarded_ip, custom_keys, scope_down, buckets}`.
  private mutating func rateBased(_ node: ACLNode, rule: String) throws(Diagnostic) -> RateBasedStatement {
    let fields = try mapping(
      node, "rate_based",
      allowed: ["limit", "window", "aggregate", "forwarded_ip", "custom_keys", "scope_down", "buckets"],
      required: ["limit"])
    let limit = try integer(fields["limit"] ?? node, "limit", 1...2_000_000_000)
    var window = 300
    if let windowNode = fields["window"] {
      window = try integer(windowNode, "window", 1...86_400)
      guard RateWindow.standardWindows.contains(window) else {
        throw error(windowNode, "window must be one of 60, 120, 300, 600 (seconds), not \(window)")
      }
    }
    let buckets = try fields["buckets"].map { node throws(Diagnostic) in try integer(node, "buckets", 1...window) } ?? 10
    let aggregateNode = fields["aggregate"]
    let aggregate = try enumValue(aggregateNode, "aggregate", default: "ip", cases: ["ip", "forwarded_ip", "custom_keys"])
    let aggregation: RateBasedStatement.Aggregation
    switch aggregate {
    case "forwarded_ip":
      guard let forwarded = fields["forwarded_ip"] else {
        throw error(aggregateNode ?? node, "aggregate: forwarded_ip needs a forwarded_ip configuration")
      }
      aggregation = .forwardedIP(try forwardedIP(forwarded, allowAny: false))
    case "custom_keys":
      guard let keysNode = fields["custom_keys"] else {
        throw error(aggregateNode ?? node, "aggregate: custom_keys needs a custom_keys list")
      }
      aggregation = .custom(try customKeys(keysNode))
    default:
      aggregation = .ip
    }
    if aggregate != "forwarded_ip", let forwarded = fields["forwarded_ip"] {
      throw error(
        forwarded, "forwarded_ip is only used with aggregate: forwarded_ip (a custom key has its own: - forwarded_ip: {...})")
    }
    if aggregate != "custom_keys", let keys = fields["custom_keys"] {
      throw error(keys, "custom_keys is only used with aggregate: custom_keys")
    }
    let scopeDown = try fields["scope_down"].map { node throws(Diagnostic) in try statement(node, rule: rule, topLevel: false) }
    let rateWindow = RateWindow(limit: limit, windowSeconds: window, buckets: buckets)
    let store: any RateStore
    if let redis {
      var configuration = redis
      configuration.keyPrefix += "\(aclName):\(rule):"
      let onFailure = options.onFailure
      store = RedisRateStore(window: rateWindow, configuration: configuration, clock: options.clock) { message in
        onFailure?("redis: \(message)")
      }
    } else {
      store = InMemoryRateStore(window: rateWindow, maxKeys: options.maxRateKeys, clock: options.clock)
    }
    rateStores[rule] = store
    return RateBasedStatement(limit: limit, aggregation: aggregation, scopeDown: scopeDown, store: store)
  }

  static let customKeyNames = ["cookie", "forwarded_ip", "header", "http_method", "ip", "label_namespace", "query_argument", "uri_path"]

  /// A list of one-key mappings: `header: {name, transformations}`, `cookie`, `query_argument`,
  /// `uri_path: {transformations}`, `http_method: {}`, `label_namespace: {namespace}`, `ip: {}`,
  /// `forwarded_ip: {header, position, fallback}`.
  private func customKeys(_ node: ACLNode) throws(Diagnostic) -> [RateKeyComponent] {
    guard case .sequence(let items) = node.kind, !items.isEmpty, items.count <= 5 else {
      throw error(node, "custom_keys must be a list of one to five keys")
    }
    var components: [RateKeyComponent] = []
    for item in items {
      let kind: String
      let body: ACLNode
      if let name = item.scalar {
        kind = name
        body = ACLNode(kind: .null, offset: item.offset)
      } else if case .mapping(let pairs) = item.kind, pairs.count == 1, let name = pairs[0].key.scalar {
        kind = name
        body = pairs[0].value
      } else {
        throw error(item, "a custom key is one of: " + Self.customKeyNames.joined(separator: ", "))
      }
      let empty = ACLNode(kind: .mapping([]), offset: body.offset)
      let settings = body.isNull ? empty : body
      switch kind {
      case "header", "cookie", "query_argument":
        let fields = try mapping(settings, kind, allowed: ["name", "transformations"], required: ["name"])
        let name = try string(fields["name"] ?? settings, "name")
        let transformations = try transformations(fields["transformations"])
        components.append(
          kind == "header"
            ? .header(name, transformations) : kind == "cookie" ? .cookie(name, transformations) : .queryArgument(name, transformations))
      case "uri_path":
        let fields = try mapping(settings, kind, allowed: ["transformations"], required: [])
        components.append(.uriPath(try transformations(fields["transformations"])))
      case "http_method":
        _ = try mapping(settings, kind, allowed: [], required: [])
        components.append(.httpMethod)
      case "ip":
        _ = try mapping(settings, kind, allowed: [], required: [])
        components.append(.ip)
      case "label_namespace":
        let fields = try mapping(settings, kind, allowed: ["namespace"], required: ["namespace"])
        let namespaceNode = fields["namespace"] ?? settings
        let namespace = try string(namespaceNode, "namespace")
        guard namespace.hasSuffix(":") else { throw error(namespaceNode, "a label namespace must end with ':'") }
        components.append(.labelNamespace(namespace))
      case "forwarded_ip":
        components.append(.forwardedIP(try forwardedIP(settings, allowAny: false)))
      default:
        throw error(item, "unknown custom key '\(kind)'; expected one of: " + Self.customKeyNames.joined(separator: ", "))
      }
    }
    return components
  }

  /// `managed: {group: crs, config, paranoia_level, detection_paranoia_level,
  /// inbound_anomaly_threshold, outbound_anomaly_threshold}`.
  private func managed(_ node: ACLNode) throws(Diagnostic) -> ManagedCRSStatement {
    let fields = try mapping(
      node, "managed",
      allowed: [
        "group", "config", "paranoia_level", "detection_paranoia_level", "inbound_anomaly_threshold",
        "outbound_anomaly_threshold",
      ], required: ["group", "config"])
    _ = try enumValue(fields["group"], "group", default: "crs", cases: ["crs"])
    var overrides = ManagedCRSStatement.Overrides()
    overrides.paranoiaLevel = try fields["paranoia_level"].map { node throws(Diagnostic) in try integer(node, "paranoia_level", 1...4) }
    overrides.detectionParanoiaLevel = try fields["detection_paranoia_level"].map { node throws(Diagnostic) in
      try integer(node, "detection_paranoia_level", 1...4)
    }
    if let blocking = overrides.paranoiaLevel, let detection = overrides.detectionParanoiaLevel, detection < blocking,
      let detectionNode = fields["detection_paranoia_level"]
    {
      throw error(detectionNode, "detection_paranoia_level (\(detection)) must not be below paranoia_level (\(blocking))")
    }
    overrides.inboundAnomalyThreshold = try fields["inbound_anomaly_threshold"].map { node throws(Diagnostic) in
      try integer(node, "inbound_anomaly_threshold", 1...10_000)
    }
    overrides.outboundAnomalyThreshold = try fields["outbound_anomaly_threshold"].map { node throws(Diagnostic) in
      try integer(node, "outbound_anomaly_threshold", 1...10_000)
    }
    let configNode = fields["config"] ?? node
    let path = resolve(try string(configNode, "config"))
    do {
      return ManagedCRSStatement(ruleSet: try ManagedCRSStatement.load(path: path, overrides: overrides))
    } catch {
      throw self.error(configNode, "CRS configuration \(path): \(error)")
    }
  }

  // MARK: - Request parts and transformations

  static let partNames = ["body", "method", "query_string", "uri", "uri_path", "{header: NAME}", "{query_argument: NAME}", "{cookie: NAME}"]

  private func requestPart(_ node: ACLNode) throws(Diagnostic) -> ACLRequestPart {
    if let name = node.scalar {
      switch name {
      case "uri_path": return .uriPath
      case "uri": return .uri
      case "query_string": return .queryString
      case "method": return .method
      case "body": return .body
      default: break
      }
    } else if case .mapping(let pairs) = node.kind, pairs.count == 1, let kind = pairs[0].key.scalar {
      let value = try string(pairs[0].value, kind)
      guard !value.isEmpty else { throw error(pairs[0].value, "\(kind) needs a name") }
      switch kind {
      case "header": return .header(value)
      case "query_argument": return .queryArgument(value)
      case "cookie": return .cookie(value)
      default: break
      }
    }
    throw error(node, "field must be one of: " + Self.partNames.joined(separator: ", "))
  }

  private func transformations(_ node: ACLNode?) throws(Diagnostic) -> [Transformation] {
    guard let node else { return [] }
    var result: [Transformation] = []
    let items: [ACLNode]
    switch node.kind {
    case .sequence(let list): items = list
    case .scalar: items = [node]
    default: throw error(node, "transformations must be a list of names")
    }
    for item in items {
      let name = try string(item, "transformation")
      guard let transformation = ACLTransformations.named(name) else {
        throw error(item, "unknown transformation '\(name)' (use AWS names such as URL_DECODE or SecLang names such as urlDecodeUni)")
      }
      if transformation != .none { result.append(transformation) }
    }
    return result
  }

  // MARK: - Redis

  /// `redis: {address: host:port, timeout_ms, failure_mode, key_prefix, password}`.
  private func redisConfiguration(_ node: ACLNode) throws(Diagnostic) -> RedisRateStore.Configuration {
    let fields = try mapping(
      node, "redis", allowed: ["address", "timeout_ms", "connect_timeout_ms", "failure_mode", "key_prefix", "password"],
      required: ["address"])
    let addressNode = fields["address"] ?? node
    let address = try string(addressNode, "address")
    var host = address
    var port = 6379
    if let colon = address.lastIndex(of: ":"), !address.hasSuffix("]") || address.hasPrefix("[") {
      let portText = address[address.index(after: colon)...]
      let hostText = address[..<colon]
      if address.hasPrefix("["), hostText.hasSuffix("]") {
        host = String(hostText.dropFirst().dropLast())
      } else if !hostText.contains(":") {
        host = String(hostText)
      } else {
        host = address  // a bare IPv6 address
      }
      if host != address {
        guard let value = Int(portText), (1...65535).contains(value) else { throw error(addressNode, "bad port in '\(address)'") }
        port = value
      }
    }
    let timeout = try fields["timeout_ms"].map { node throws(Diagnostic) in try integer(node, "timeout_ms", 1...60_000) } ?? 50
    let connect = try fields["connect_timeout_ms"].map { node throws(Diagnostic) in try integer(node, "connect_timeout_ms", 1...60_000) } ?? max(timeout, 100)
    let mode = try enumValue(fields["failure_mode"], "failure_mode", default: "local_fallback", cases: ["local_fallback", "fail_open", "fail_closed"])
    let failureMode: RateFailureMode = mode == "fail_open" ? .failOpen : mode == "fail_closed" ? .failClosed : .localFallback
    return RedisRateStore.Configuration(
      host: host, port: port, password: try fields["password"].map { node throws(Diagnostic) in try string(node, "password") },
      connectTimeout: Double(connect) / 1000, commandTimeout: Double(timeout) / 1000,
      keyPrefix: try fields["key_prefix"].map { node throws(Diagnostic) in try string(node, "key_prefix") } ?? "rampart:rate:",
      failureMode: failureMode)
  }

  // MARK: - Typed access with positions

  private func resolve(_ path: String) -> String {
    path.hasPrefix("/") ? path : directory + "/" + path
  }

  private func location(_ node: ACLNode) -> String {
    let (line, column) = file.location(of: node.offset)
    return "\(file.name):\(line):\(column)"
  }

  func error(_ node: ACLNode, _ message: String) -> Diagnostic {
    Diagnostic(.wafACLError, message, span: SourceSpan(file: file, start: node.offset))
  }

  /// The entries of a mapping by key; unknown keys, duplicate keys and missing required keys are
  /// errors.
  private func mapping(_ node: ACLNode, _ what: String, allowed: [String], required: [String]) throws(Diagnostic)
    -> [String: ACLNode]
  {
    let pairs: [(key: ACLNode, value: ACLNode)]
    switch node.kind {
    case .mapping(let entries): pairs = entries
    case .null where required.isEmpty: pairs = []
    default: throw error(node, "\(what) must be a mapping, not \(node.kindName)")
    }
    var result: [String: ACLNode] = [:]
    for pair in pairs {
      guard let key = pair.key.scalar else { throw error(pair.key, "keys of \(what) must be plain names") }
      guard allowed.contains(key) else {
        let expected = allowed.isEmpty ? "it takes no keys" : "expected one of: " + allowed.joined(separator: ", ")
        throw error(pair.key, "unknown key '\(key)' in \(what); \(expected)")
      }
      guard result[key] == nil else { throw error(pair.key, "duplicate key '\(key)' in \(what)") }
      result[key] = pair.value
    }
    for key in required where result[key] == nil {
      throw error(node, "\(what) needs '\(key)'")
    }
    return result
  }

  private func string(_ node: ACLNode, _ what: String) throws(Diagnostic) -> String {
    guard let text = node.scalar else { throw error(node, "\(what) must be a string, not \(node.kindName)") }
    return text
  }

  private func stringList(_ node: ACLNode, _ what: String) throws(Diagnostic) -> [String] {
    switch node.kind {
    case .scalar(let text): return [text]
    case .sequence(let items):
      var result: [String] = []
      for item in items { result.append(try string(item, what)) }
      return result
    default: throw error(node, "\(what) must be a list of strings")
    }
  }

  private func integer(_ node: ACLNode, _ what: String, _ range: ClosedRange<Int>) throws(Diagnostic) -> Int {
    guard let text = node.scalar, let value = Int(text) else {
      throw error(node, "\(what) must be an integer, not \(node.scalar.map { "'\($0)'" } ?? node.kindName)")
    }
    guard range.contains(value) else {
      throw error(node, "\(what) must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
    }
    return value
  }

  private func enumValue(_ node: ACLNode?, _ what: String, default value: String, cases: [String]) throws(Diagnostic) -> String {
    guard let node else { return value }
    let text = try string(node, what)
    guard cases.contains(text) else {
      throw error(node, "\(what) must be one of: " + cases.joined(separator: ", ") + "; not '\(text)'")
    }
    return text
  }

  private func enumValue<T: RawRepresentable>(_ node: ACLNode?, _ what: String, default value: T, cases: [String])
    throws(Diagnostic) -> T where T.RawValue == String
  {
    guard let node else { return value }
    let text = try enumValue(node, what, default: value.rawValue, cases: cases)
    guard let result = T(rawValue: text) else { throw error(node, "\(what) must be one of: " + cases.joined(separator: ", ")) }
    return result
  }
}
