/// What a web ACL rule (or the default action) does with a request, as AWS WAF names it.
///
/// `allow`, `block`, `captcha` and `challenge` are **terminating**: evaluation stops at the first
/// rule whose statement matches with one of them. `count` is not: the match and its labels are
/// recorded and evaluation continues with the next rule. `captcha` and `challenge` are verdicts
/// for the caller to act on (serve the puzzle or the silent challenge); this layer has no token
/// to check, so it always reports them when the rule matches.
public enum ACLAction: Sendable, Hashable, CustomStringConvertible {
  case allow
  /// Block with the default response (403, empty body) or a custom one.
  case block(ACLCustomResponse?)
  case count
  case captcha
  case challenge

  /// Whether evaluation stops at a rule with this action.
  public var isTerminating: Bool {
    if case .count = self { return false }
    return true
  }

  /// `allow`, `block`, `count`, `captcha` or `challenge`.
  public var name: String {
    switch self {
    case .allow: return "allow"
    case .block: return "block"
    case .count: return "count"
    case .captcha: return "captcha"
    case .challenge: return "challenge"
    }
  }

  /// The status a blocked request gets: the custom one or 403.
  public var blockStatus: Int? {
    if case .block(let response) = self { return response?.status ?? 403 }
    return nil
  }

  public var description: String {
    if case .block(let response?) = self { return "block (\(response.status))" }
    return name
  }
}

/// The response a `block` action sends instead of the default 403.
public struct ACLCustomResponse: Sendable, Hashable {
  /// HTTP status, 200...599.
  public var status: Int
  /// Response body, if any.
  public var body: String?
  /// Extra response headers (`Retry-After`, ...), in file order.
  public var headers: [HTTPHeader]

  /// Creates a response.
  public init(status: Int, body: String? = nil, headers: [HTTPHeader] = []) {
    self.status = status
    self.body = body
    self.headers = headers
  }
}

/// What one rate-based rule counted for a request.
public struct ACLRateCount: Sendable, Hashable, CustomStringConvertible {
  /// The rule's name.
  public var rule: String
  /// The aggregation key (`198.51.100.7`, or `header:x-api-key=abc | uri_path=/x` for custom keys).
  public var key: String
  /// Requests in the window for the key, this one included.
  public var count: Int
  /// The rule's limit.
  public var limit: Int
  /// Whether the count is over the limit (the rule matched).
  public var limited: Bool
  /// Set when a Redis store could not answer and its failure mode decided.
  public var degraded: RateFailureMode?

  public var description: String {
    "\(rule): \(key) \(count)/\(limit)" + (limited ? " limited" : "") + (degraded.map { " (\($0.rawValue))" } ?? "")
  }
}

/// What the managed CRS statement found in a request.
public struct ACLManagedResult: Sendable, Hashable {
  /// Inbound anomaly score CRS computed.
  public var anomalyScore: Int
  /// The threshold it was compared with.
  public var threshold: Int
  /// The CRS rules that logged a match, in evaluation order (each once).
  public var ruleIDs: [Int]
  /// The engine's own intervention (with `SecRuleEngine On`), if any.
  public var interventionStatus: Int?
}

/// One rule whose statement matched the request.
public struct ACLRuleMatch: Sendable, Hashable {
  /// The rule's name.
  public var rule: String
  /// The rule's priority.
  public var priority: Int
  /// The rule's action (applied when terminating, recorded when `count`).
  public var action: ACLAction
  /// Labels the rule added.
  public var labels: [String]
  /// For `ip_reputation`: the lists that contain the address (each once).
  public var lists: [String]
  /// For `managed: crs`: score and rules.
  public var managed: ACLManagedResult?
}

/// The verdict of a web ACL on one request.
public struct WebACLResult: Sendable, Hashable {
  /// The action taken: the terminating rule's or the default action.
  public var action: ACLAction
  /// The rule that decided, or nil when the default action did.
  public var terminatingRule: String?
  /// Every rule that matched, in evaluation order (`count` rules and the terminating one).
  public var matchedRules: [ACLRuleMatch]
  /// Labels on the request at the end, in the order they were added (each once).
  public var labels: [String]
  /// What each rate-based rule that saw the request counted (in scope and with a key).
  public var rateCounts: [ACLRateCount]

  /// The status to answer with when blocked.
  public var blockStatus: Int? { action.blockStatus }
}
