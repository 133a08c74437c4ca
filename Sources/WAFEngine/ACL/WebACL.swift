public import PolicyCore

#if canImport(Glibc)
  internal import Glibc
#endif

/// A web ACL: rules in priority order, each a statement with an action and labels, and a default
/// action for requests no terminating rule decides, as AWS WAF defines it. The file format is in
/// docs/waf-acl.md.
///
///     let acl = try WebACL.load(path: "rules/waf/arctiq-acl.yaml")
///     let result = acl.evaluate(request)        // rate rules count at request.timestamp or now
///     if let status = result.blockStatus { ... }
///
/// **Evaluation.** Rules run by ascending priority. A rule whose statement matches adds its
/// labels (visible to `label_match` in later rules) and is recorded; with `count` evaluation
/// continues, with any other action it stops and that action is the verdict. When no rule
/// terminates, the default action (`allow` or `block`) applies.
///
/// A loaded web ACL is shared by every request thread: rules are immutable, rate stores and
/// reputation lists synchronise themselves.
public final class WebACL: Sendable {
  /// How a web ACL is loaded.
  public struct Options: Sendable {
    /// Seconds since the Unix epoch, for requests without a timestamp (inject one in tests).
    public var clock: @Sendable () -> Double
    /// Called with each Redis failure and each failed list reload (a logger, a metric).
    public var onFailure: (@Sendable (String) -> Void)?
    /// Cap on keys per in-memory rate store (see `InMemoryRateStore`).
    public var maxRateKeys: Int
    /// Input limits for the files the web ACL reads.
    public var limits: Limits

    /// Creates options; the clock defaults to the real-time clock.
    public init(
      clock: (@Sendable () -> Double)? = nil, onFailure: (@Sendable (String) -> Void)? = nil,
      maxRateKeys: Int = 100_000, limits: Limits = .default
    ) {
      self.clock = clock ?? { aclWallClock() }
      self.onFailure = onFailure
      self.maxRateKeys = maxRateKeys
      self.limits = limits
    }
  }

  /// One rule of the web ACL.
  struct Rule: Sendable {
    var name: String
    var priority: Int
    var statement: ACLStatement
    var action: ACLAction
    var labels: [String]
  }

  /// The web ACL's name (`name:` in the file; the file name when absent).
  public let name: String
  /// The action for requests no terminating rule matched.
  public let defaultAction: ACLAction
  let rules: [Rule]
  let reputationStores: [ReputationStore]
  let rateStores: [String: any RateStore]
  let clock: @Sendable () -> Double

  init(
    name: String, defaultAction: ACLAction, rules: [Rule], reputationStores: [ReputationStore],
    rateStores: [String: any RateStore], clock: @escaping @Sendable () -> Double
  ) {
    self.name = name
    self.defaultAction = defaultAction
    self.rules = rules
    self.reputationStores = reputationStores
    self.rateStores = rateStores
    self.clock = clock
  }

  /// Loads a web ACL file (YAML or JSON). Relative file references inside it (IP lists, the CRS
  /// configuration) are resolved against the file's directory.
  /// - Throws: `waf_acl_error` at file:line:col for YAML syntax, unknown keys and bad values, or the
  ///   error of a referenced file (`waf_ip_list_error`, `io_error`).
  public static func load(path: String, options: Options = Options()) throws(Diagnostic) -> WebACL {
    let file = try SourceFile.read(path: path, limits: options.limits)
    return try load(file, options: options)
  }

  /// Loads a web ACL from source text already read.
  public static func load(_ file: SourceFile, options: Options = Options()) throws(Diagnostic) -> WebACL {
    var loader = WebACLLoader(file: file, options: options)
    return try loader.load()
  }

  /// The rule names in evaluation order.
  public var ruleNames: [String] { rules.map(\.name) }

  /// Evaluates one request. Rate rules count it at `request.timestamp`, or now when it has none.
  public func evaluate(_ request: HTTPRequest) -> WebACLResult {
    evaluate(request, at: request.timestamp ?? clock())
  }

  /// Evaluates one request with rate rules counting at `time` (seconds since the epoch).
  public func evaluate(_ request: HTTPRequest, at time: Double) -> WebACLResult {
    var state = ACLEvaluationState(request: request, time: time)
    var matched: [ACLRuleMatch] = []
    for rule in rules {
      state.ruleName = rule.name
      state.lists = []
      state.managed = nil
      guard rule.statement.matches(&state) else { continue }
      for label in rule.labels { state.addLabel(label) }
      matched.append(
        ACLRuleMatch(
          rule: rule.name, priority: rule.priority, action: rule.action, labels: rule.labels, lists: state.lists,
          managed: state.managed))
      if rule.action.isTerminating {
        return WebACLResult(
          action: rule.action, terminatingRule: rule.name, matchedRules: matched, labels: state.labels,
          rateCounts: state.rateCounts)
      }
    }
    return WebACLResult(
      action: defaultAction, terminatingRule: nil, matchedRules: matched, labels: state.labels,
      rateCounts: state.rateCounts)
  }

  /// Re-reads the IP lists whose files changed; a bad file keeps its old entries (the error is
  /// returned and passed to `onFailure`).
  @discardableResult
  public func reloadListsIfChanged() -> [Diagnostic] {
    reputationStores.flatMap { $0.reloadIfChanged().failures }
  }

  /// The rate store of a rate-based rule, for statistics (`InMemoryRateStore.statistics`,
  /// `RedisRateStore.statistics`).
  public func rateStore(rule: String) -> (any RateStore)? {
    rateStores[rule]
  }
}

/// Seconds since the Unix epoch from `CLOCK_REALTIME`.
func aclWallClock() -> Double {
  var now = timespec()
  clock_gettime(CLOCK_REALTIME, &now)
  return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
