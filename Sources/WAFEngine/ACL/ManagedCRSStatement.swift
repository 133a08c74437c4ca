/// `managed: crs`: the OWASP Core Rule Set, run by the SecLang engine from a configuration file,
/// with the paranoia level and anomaly thresholds overridden from the web ACL.
///
/// **Matching.** The statement matches when CRS would block the request: the engine intervened
/// (`SecRuleEngine On` and rule 949110 denied), or the inbound anomaly score reached the inbound
/// threshold (so a `DetectionOnly` configuration matches the same requests). The rule's action
/// decides what happens, so `action: count` runs CRS in observation mode.
///
/// **Overrides.** A setting given in the web ACL becomes a `SecAction` the rule set is built with,
/// placed immediately before the configuration's first rule whose id is 901000 or higher (CRS's
/// `REQUEST-901-INITIALIZATION`, after `crs-setup.conf` and its 900000-900999 actions), so the
/// override runs after the setup file's defaults and before CRS reads the variables:
///
///     SecAction "id:900080,phase:1,pass,nolog,t:none,setvar:tx.paranoia_level=2,setvar:tx.blocking_paranoia_level=2"
///
/// Both CRS 3 names (`tx.paranoia_level`, `tx.executing_paranoia_level`) and CRS 4 names
/// (`tx.blocking_paranoia_level`, `tx.detection_paranoia_level`) are set, so one web ACL works with
/// either. The ids 900080-900083 are reserved for these actions.
struct ManagedCRSStatement: Sendable {
  /// The settings a web ACL may override.
  struct Overrides: Sendable, Hashable {
    var paranoiaLevel: Int?
    var detectionParanoiaLevel: Int?
    var inboundAnomalyThreshold: Int?
    var outboundAnomalyThreshold: Int?

    /// The `SecAction` lines for the overrides that are set.
    var secActions: [String] {
      var lines: [String] = []
      func action(_ id: Int, _ setvars: [String]) {
        lines.append(
          "SecAction \"id:\(id),phase:1,pass,nolog,t:none," + setvars.map { "setvar:\($0)" }.joined(separator: ",") + "\"")
      }
      if let level = paranoiaLevel {
        action(900080, ["tx.paranoia_level=\(level)", "tx.blocking_paranoia_level=\(level)"])
      }
      if let level = detectionParanoiaLevel ?? paranoiaLevel {
        action(900081, ["tx.executing_paranoia_level=\(level)", "tx.detection_paranoia_level=\(level)"])
      }
      if let threshold = inboundAnomalyThreshold { action(900082, ["tx.inbound_anomaly_score_threshold=\(threshold)"]) }
      if let threshold = outboundAnomalyThreshold { action(900083, ["tx.outbound_anomaly_score_threshold=\(threshold)"]) }
      return lines
    }
  }

  let ruleSet: WAFRuleSet

  /// Loads `path` with `overrides` inserted before the CRS rules.
  static func load(path: String, overrides: Overrides) throws(WAFConfigError) -> WAFRuleSet {
    var reader = ConfigReader()
    try reader.read(path: path)
    var directives = reader.directives
    let actions = overrides.secActions
    if !actions.isEmpty {
      let extra = try ConfigReader.split(Array(actions.joined(separator: "\n").utf8), name: "<web ACL overrides>")
      let position = directives.firstIndex { directive in
        guard directive.name.lowercased() == "secrule" || directive.name.lowercased() == "secaction",
          let id = ruleID(directive)
        else { return false }
        return id >= 901000
      } ?? directives.count
      directives.insert(contentsOf: extra, at: position)
    }
    return try WAFRuleSet.build(directives)
  }

  /// The `id:` in a rule's actions (its last argument).
  static func ruleID(_ directive: ConfigDirective) -> Int? {
    guard let actions = directive.arguments.last else { return nil }
    let bytes = Array(actions.utf8)
    var index = 0
    while index + 3 <= bytes.count {
      let atStart = index == 0 || bytes[index - 1] == UInt8(ascii: ",") || bytes[index - 1] == UInt8(ascii: " ")
      if atStart, bytes[index] == UInt8(ascii: "i"), bytes[index + 1] == UInt8(ascii: "d"), bytes[index + 2] == UInt8(ascii: ":") {
        var cursor = index + 3
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "'") { cursor += 1 }
        var value = 0
        var digits = 0
        while cursor < bytes.count, bytes[cursor] >= 0x30, bytes[cursor] <= 0x39, digits < 10 {
          value = value * 10 + Int(bytes[cursor] - 0x30)
          cursor += 1
          digits += 1
        }
        return digits > 0 ? value : nil
      }
      index += 1
    }
    return nil
  }

  func matches(_ state: inout ACLEvaluationState) -> Bool {
    let result = ruleSet.evaluate(state.request)
    let threshold = result.transactionVariables["inbound_anomaly_score_threshold"].flatMap { Int($0) } ?? 5
    let score = result.inboundAnomalyScore ?? 0
    var ids: [Int] = []
    for id in result.loggedRuleIDs where !ids.contains(id) { ids.append(id) }
    state.managed = ACLManagedResult(
      anomalyScore: score, threshold: threshold, ruleIDs: ids, interventionStatus: result.intervention?.status)
    return result.intervention != nil || score >= threshold
  }
}
