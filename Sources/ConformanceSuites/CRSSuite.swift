internal import Glibc
public import PolicyCore
public import WAFEngine

/// The OWASP CRS v4 regression suite (`shared/conformance/waf/crs-regression.jsonl`): every test
/// stage as a request (and the backend's response) run through the CRS with the configuration
/// the regression README asks for. A stage passes when every `expect_ids` rule logged, no
/// `no_expect_ids` rule logged, `match_regex` matches a log line and `no_match_regex` none.
/// Stages whose `modsec_pass` is null check only a web server's status; they are skipped and
/// counted apart.
public struct CRSSuite: ConformanceSuite {
  public init() {}
  public var name: String { "crs" }
  public var summary: String { "OWASP CRS v4 regression stages through SecLang (waf)" }
  public var subpath: String { "waf" }

  public func run(directory: String) throws -> [CaseResult] {
    let outcome = try runCorpus(
      corpus: "\(directory)/crs-regression.jsonl",
      config: "\(directory)/modsecurity-conf/v4-readme-detectiononly.conf")
    return outcome.results
  }

  /// The outcome of a corpus run: judged stages, and the number skipped (status-only checks).
  public struct Outcome: Sendable {
    public var results: [CaseResult]
    public var skipped: Int
    public var loadSeconds: Double
  }

  /// A stage ready to run: its request, response and expectations.
  public struct Stage: Sendable {
    public var id: String
    public var request: HTTPRequest
    public var response: HTTPResponse?
    public var expectIDs: [Int]
    public var noExpectIDs: [Int]
    public var matchRegex: String?
    public var noMatchRegex: String?
    public var judged: Bool
  }

  public func runCorpus(corpus: String, config: String) throws -> Outcome {
    let start = monotonicSeconds()
    let ruleSet = try WAFRuleSet.load(path: config)
    let loadSeconds = monotonicSeconds() - start
    let stages = try Self.readStages(path: corpus)
    var results: [CaseResult] = []
    var skipped = 0
    for stage in stages {
      guard stage.judged else {
        skipped += 1
        continue
      }
      let result = ruleSet.evaluate(stage.request, response: stage.response)
      results.append(judge(stage, result))
    }
    return Outcome(results: results, skipped: skipped, loadSeconds: loadSeconds)
  }

  func judge(_ stage: Stage, _ result: WAFResult) -> CaseResult {
    let logged = Set(result.loggedRuleIDs)
    var problems: [String] = []
    let missing = stage.expectIDs.filter { !logged.contains($0) }
    if !missing.isEmpty { problems.append("expected \(missing) to match") }
    let unwanted = stage.noExpectIDs.filter { logged.contains($0) }
    if !unwanted.isEmpty { problems.append("expected \(unwanted) not to match") }
    if let pattern = stage.matchRegex {
      if let regex = try? PCRE2Regex(pattern) {
        if !result.logLines.contains(where: { (try? regex.matches($0)) == true }) {
          problems.append("no log line matches /\(pattern)/")
        }
      } else {
        problems.append("bad match_regex /\(pattern)/")
      }
    }
    if let pattern = stage.noMatchRegex {
      if let regex = try? PCRE2Regex(pattern) {
        if result.logLines.contains(where: { (try? regex.matches($0)) == true }) {
          problems.append("a log line matches /\(pattern)/")
        }
      } else {
        problems.append("bad no_match_regex /\(pattern)/")
      }
    }
    if problems.isEmpty { return CaseResult(id: stage.id, passed: true) }
    return CaseResult(
      id: stage.id, passed: false,
      detail: problems.joined(separator: "; ") + "; logged \(logged.sorted())")
  }

  public static func readStages(path: String) throws -> [Stage] {
    let file = try SourceFile.read(path: path, limits: Limits(maxInputBytes: 512 << 20))
    var stages: [Stage] = []
    var seen: [String: Int] = [:]
    for line in file.bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
      let value = try JSON.parse(SourceFile(name: path, bytes: Array(line)))
      var id = value["id"].stringValue ?? "stage-\(stages.count)"
      if case .number(let n) = value["stage"], let s = n.intValue, s != 1 { id += "/stage-\(s)" }
      seen[id, default: 0] += 1
      if let n = seen[id], n > 1 { id += "#\(n)" }
      stages.append(Stage(
        id: id, request: try request(from: value), response: try response(from: value["response"]),
        expectIDs: ints(value["expect_ids"]), noExpectIDs: ints(value["no_expect_ids"]),
        matchRegex: value["match_regex"].stringValue, noMatchRegex: value["no_match_regex"].stringValue,
        judged: { if case .bool = value["modsec_pass"] { return true } else { return false } }()))
    }
    return stages
  }

  static func ints(_ value: Value) -> [Int] {
    guard case .array(let items) = value else { return [] }
    return items.compactMap { if case .number(let n) = $0 { return n.intValue } else { return nil } }
  }

  /// The stage's request in WAFEngine's JSON request form, seen from the address the suite's
  /// README names (172.18.0.1; CRS exempts localhost) to the test backend.
  public static func request(from value: Value) throws(Diagnostic) -> HTTPRequest {
    var request = try HTTPRequest(json: value)
    request.clientAddress = "172.18.0.1"
    request.clientPort = 40000
    request.serverAddress = "172.18.0.2"
    request.serverPort = 8080
    return request
  }

  static func response(from value: Value) throws(Diagnostic) -> HTTPResponse? {
    guard case .object = value else { return nil }
    return try HTTPResponse(json: value)
  }

  /// Times whole passes over the judged stages in-process (after one warm-up pass); returns the
  /// seconds of each pass.
  public static func bench(stages: [Stage], ruleSet: WAFRuleSet, passes: Int) -> [Double] {
    benchTimes(stages: stages, ruleSet: ruleSet, passes: passes).map(\.wall)
  }

  /// Wall-clock and thread CPU seconds of each timed pass (after one warm-up pass). CPU time is
  /// the steadier figure on a loaded machine; wall time is what requests/s means.
  public static func benchTimes(stages: [Stage], ruleSet: WAFRuleSet, passes: Int) -> [(wall: Double, cpu: Double)] {
    let judged = benchStages(stages)
    for stage in judged { _ = ruleSet.evaluate(stage.request, response: stage.response) }
    var times: [(wall: Double, cpu: Double)] = []
    for _ in 0..<max(1, passes) {
      let start = monotonicSeconds()
      let cpuStart = threadCPUSeconds()
      for stage in judged { _ = ruleSet.evaluate(stage.request, response: stage.response) }
      times.append((monotonicSeconds() - start, threadCPUSeconds() - cpuStart))
    }
    return times
  }
}

extension CRSSuite {
  /// The stages a benchmark times: the judged ones, or all of them for a corpus without
  /// expectations (benign traffic).
  public static func benchStages(_ stages: [Stage]) -> [Stage] {
    let judged = stages.filter(\.judged)
    return judged.isEmpty ? stages : judged
  }

  /// Runs a corpus without expectations (benign traffic) and counts the requests CRS flags: the
  /// ones whose inbound anomaly score reached the blocking threshold (rule 949110 logged).
  public static func countFlagged(stages: [Stage], ruleSet: WAFRuleSet) -> (flagged: Int, total: Int, perRule: [Int: Int]) {
    var flagged = 0
    var perRule: [Int: Int] = [:]
    for stage in stages {
      let result = ruleSet.evaluate(stage.request, response: stage.response)
      let ids = Set(result.loggedRuleIDs)
      if ids.contains(949110) || result.intervention != nil { flagged += 1 }
      for id in ids { perRule[id, default: 0] += 1 }
    }
    return (flagged, stages.count, perRule)
  }
}

func threadCPUSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
