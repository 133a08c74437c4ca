import ArgumentParser
import PolicyCore
import WAFEngine

#if canImport(Glibc)
  import Glibc
#endif

/// `policy waf`: run requests through a SecLang configuration (the OWASP CRS and the like) or a
/// web ACL (rules by priority around it: IP reputation, rate limits, CRS).
struct WAFCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "waf",
    abstract: "Check requests against a web ACL or a SecLang configuration such as the OWASP CRS.",
    subcommands: [WAFCheckCommand.self, WAFReplayCommand.self, WAFBenchCommand.self])
}

struct WAFConfigOptions: ParsableArguments {
  @Option(help: "SecLang configuration file (Include-s the CRS setup and rules).")
  var config: String = "rules/waf/crs-debian.conf"

  @Option(help: "Web ACL file (YAML or JSON); replaces --config.")
  var acl: String?

  /// The web ACL, when `--acl` was given.
  func loadACL() throws -> WebACL? {
    guard let acl else { return nil }
    do {
      return try WebACL.load(path: acl, options: WebACL.Options(onFailure: { printError("policy waf: \($0)") }))
    } catch {
      printError("policy waf: \(error.rendered())")
      throw ExitCode(2)
    }
  }

  func load() throws -> WAFRuleSet {
    do {
      return try WAFRuleSet.load(path: config)
    } catch {
      printError("policy waf: \(error)")
      throw ExitCode(2)
    }
  }
}

func printError(_ text: String) {
  StandardStreams.writeError(text + "\n")
}

/// `policy waf check --config FILE request.json`: one request's verdict, scores and matched rules.
struct WAFCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Run one request (JSON: method, uri, headers, body) and print the verdict.")

  @OptionGroup var options: WAFConfigOptions

  @Argument(help: "Request file (JSON).")
  var request: String

  @Flag(help: "Print ModSecurity-style log lines of the matched rules.")
  var log = false

  @Flag(help: "Also list rules that matched without logging (nolog), such as CRS's setup rules.")
  var all = false

  func run() throws {
    let acl = try options.loadACL()
    let ruleSet = acl == nil ? try options.load() : nil
    let value: Value
    do {
      value = try JSON.parse(try SourceFile.read(path: request))
    } catch {
      printError("policy waf check: \(error.rendered())")
      throw ExitCode(2)
    }
    let parsed: HTTPRequest
    let response: HTTPResponse?
    do {
      parsed = try HTTPRequest(json: value)
      if case .object = value["response"] { response = try HTTPResponse(json: value["response"]) } else { response = nil }
    } catch {
      printError("policy waf check: \(request): \(error.message)")
      throw ExitCode(2)
    }
    if let acl {
      printACLResult(acl.evaluate(parsed), all: all)
      return
    }
    guard let ruleSet else { return }
    let result = ruleSet.evaluate(parsed, response: response)
    if let intervention = result.intervention {
      print("verdict: blocked (status \(intervention.status), rule \(intervention.ruleID), \(intervention.action))")
    } else {
      print("verdict: passed")
    }
    if let score = result.inboundAnomalyScore { print("inbound anomaly score: \(score)") }
    if let out = result.transactionVariables["blocking_outbound_anomaly_score"] { print("outbound anomaly score: \(out)") }
    for match in result.matches where match.logged || all {
      print("matched \(match.ruleID) [phase \(match.phase)] \(match.message)\(match.data.isEmpty ? "" : " [data: \(match.data)]")")
    }
    if log { for line in result.logLines { print(line) } }
  }
}

/// `policy waf replay --config FILE requests.jsonl`: a corpus, with per-rule counts.
struct WAFReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Run a corpus (JSON lines) and print blocked/passed counts and per-rule matches.")

  @OptionGroup var options: WAFConfigOptions

  @Argument(help: "Requests, one JSON object per line.")
  var requests: String

  @Option(help: "Inbound anomaly score at which a request counts as flagged (default: the CRS threshold).")
  var threshold: Int?

  @Flag(help: "With --acl: print each request's verdict as a JSON line (line, action, status, rule).")
  var verdicts = false

  @Option(help: "With --acl: expected verdicts (JSON lines with line, action, rule); mismatches fail the run.")
  var expected: String?

  func run() throws {
    if let acl = try options.loadACL() {
      try replay(acl)
      return
    }
    let ruleSet = try options.load()
    let file: SourceFile
    do {
      file = try SourceFile.read(path: requests, limits: Limits(maxInputBytes: 1 << 30))
    } catch {
      printError("policy waf replay: \(error.rendered())")
      throw ExitCode(2)
    }
    let lines = file.bytes.split(separator: 0x0A, omittingEmptySubsequences: true)
    let interactive = isatty(STDERR_FILENO) != 0
    var blocked = 0, flagged = 0, passed = 0
    var perRule: [Int: Int] = [:]
    var flaggedExamples: [String] = []
    for (index, line) in lines.enumerated() {
      let request: HTTPRequest
      do {
        let value = try JSON.parse(SourceFile(name: "\(requests):\(index + 1)", bytes: Array(line)))
        request = try HTTPRequest(json: value)
      } catch {
        printError("policy waf replay: \(requests):\(index + 1): \(error.message)")
        throw ExitCode(2)
      }
      let result = ruleSet.evaluate(request)
      for id in Set(result.loggedRuleIDs) { perRule[id, default: 0] += 1 }
      let limit = threshold ?? Int(result.transactionVariables["inbound_anomaly_score_threshold"] ?? "") ?? 5
      let score = result.inboundAnomalyScore ?? 0
      if result.intervention != nil {
        blocked += 1
      } else if score >= limit {
        flagged += 1
        if flaggedExamples.count < 10 { flaggedExamples.append("\(request.method) \(request.uri.prefix(100)) (score \(score))") }
      } else {
        passed += 1
      }
      if interactive, index % 100 == 0 || index + 1 == lines.count {
        printError("\u{1B}[2K\r\(index + 1)/\(lines.count) requests", newline: false)
      }
    }
    if interactive { printError("") }
    print("requests: \(lines.count), blocked: \(blocked), flagged (score at or over threshold): \(flagged), passed: \(passed)")
    print("per rule (requests that logged a match):")
    for (id, count) in perRule.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
      print("  \(id)\t\(count)")
    }
    if !flaggedExamples.isEmpty {
      print("false-positive candidates (flagged but not blocked; first \(flaggedExamples.count)):")
      for example in flaggedExamples { print("  \(example)") }
    }
  }
}

extension WAFReplayCommand {
  /// Replays the corpus through a web ACL. Rate rules count each request at its `timestamp`
  /// (requests without one count at the previous request's time, or now for the first).
  func replay(_ acl: WebACL) throws {
    let file = try readCorpus(requests)
    let expectations = try expected.map { try readExpected($0) } ?? [:]
    let lines = file.bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    let interactive = isatty(STDERR_FILENO) != 0
    var byAction: [String: Int] = [:]
    var terminating: [String: Int] = [:]
    var matched: [String: Int] = [:]
    var mismatches: [String] = []
    var total = 0
    var lastTime: Double?
    for (index, line) in lines.enumerated() where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
      let number = index + 1
      var request: HTTPRequest
      do {
        let value = try JSON.parse(SourceFile(name: "\(requests):\(number)", bytes: Array(line)))
        request = try HTTPRequest(json: value)
      } catch {
        printError("policy waf replay: \(requests):\(number): \(error.message)")
        throw ExitCode(2)
      }
      total += 1
      let time = request.timestamp ?? lastTime
      lastTime = time
      let result = time.map { acl.evaluate(request, at: $0) } ?? acl.evaluate(request)
      byAction[result.action.name, default: 0] += 1
      terminating[result.terminatingRule ?? "(default action)", default: 0] += 1
      for match in result.matchedRules { matched[match.rule, default: 0] += 1 }
      if verdicts {
        print(verdictLine(number, result))
      }
      if let want = expectations[number] {
        let gotRule = result.terminatingRule ?? ""
        if want.action != result.action.name || want.rule != gotRule {
          mismatches.append(
            "line \(number): expected \(want.action) by \(want.rule.isEmpty ? "default" : want.rule), got \(result.action.name) by \(gotRule.isEmpty ? "default" : gotRule)"
              + (result.rateCounts.first.map { " (\($0))" } ?? ""))
        }
      }
      if interactive, total % 100 == 0 {
        printError("\u{1B}[2K\r\(number)/\(lines.count) requests", newline: false)
      }
    }
    if interactive { printError("") }
    print("requests: \(total), " + byAction.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
    print("per rule (matched / terminating):")
    for name in acl.ruleNames {
      print("  \(name)\t\(matched[name, default: 0])\t\(terminating[name, default: 0])")
    }
    print("  (default action: \(acl.defaultAction.name))\t-\t\(terminating["(default action)", default: 0])")
    if expected != nil {
      let missing = expectations.keys.filter { $0 > lines.count }.count
      print("expected verdicts: \(expectations.count - mismatches.count - missing) match, \(mismatches.count + missing) differ")
      for mismatch in mismatches.prefix(20) { print("  \(mismatch)") }
      if !mismatches.isEmpty || missing > 0 { throw ExitCode(1) }
    }
  }

  func readCorpus(_ path: String) throws -> SourceFile {
    do {
      return try SourceFile.read(path: path, limits: Limits(maxInputBytes: 1 << 30))
    } catch {
      printError("policy waf replay: \(error.rendered())")
      throw ExitCode(2)
    }
  }

  /// `{"line": N, "action": "block", "rule": "name" | null}` per line.
  func readExpected(_ path: String) throws -> [Int: (action: String, rule: String)] {
    let file = try readCorpus(path)
    var result: [Int: (action: String, rule: String)] = [:]
    for (index, line) in file.bytes.split(separator: 0x0A).enumerated() {
      do throws(Diagnostic) {
        let value = try JSON.parse(SourceFile(name: "\(path):\(index + 1)", bytes: Array(line)))
        guard let number = { if case .number(let n) = value["line"] { return n.intValue } else { return nil } }(), let action = value["action"].stringValue else {
          throw Diagnostic(.invalidArgument, "each line needs line (integer) and action (string)")
        }
        result[number] = (action, value["rule"].stringValue ?? "")
      } catch {
        printError("policy waf replay: \(path):\(index + 1): \(error.message)")
        throw ExitCode(2)
      }
    }
    return result
  }
}

/// One request's verdict as a JSON line.
func verdictLine(_ line: Int, _ result: WebACLResult) -> String {
  var text = "{\"line\":\(line),\"action\":\(jsonString(result.action.name))"
  if let status = result.blockStatus { text += ",\"status\":\(status)" }
  text += ",\"rule\":" + (result.terminatingRule.map(jsonString) ?? "null")
  if !result.labels.isEmpty { text += ",\"labels\":[" + result.labels.map(jsonString).joined(separator: ",") + "]" }
  if let rate = result.rateCounts.last { text += ",\"rate\":{\"key\":\(jsonString(rate.key)),\"count\":\(rate.count)}" }
  return text + "}"
}

func jsonString(_ text: String) -> String {
  var out = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    default:
      if scalar.value < 0x20 {
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }
  return out + "\""
}

/// `policy waf check --acl`: the verdict, the rules that matched, labels and rate counts.
func printACLResult(_ result: WebACLResult, all: Bool) {
  var verdict = "verdict: \(result.action.name)"
  if let status = result.blockStatus { verdict += " (status \(status))" }
  verdict += result.terminatingRule.map { " by rule \($0)" } ?? " (default action)"
  print(verdict)
  if case .block(let response?) = result.action {
    for header in response.headers { print("response header: \(header.name): \(header.value)") }
    if let body = response.body { print("response body: \(jsonString(body))") }
  }
  for match in result.matchedRules {
    var line = "matched \(match.rule) [priority \(match.priority), \(match.action)]"
    if !match.lists.isEmpty { line += " lists: " + match.lists.joined(separator: ", ") }
    if let managed = match.managed {
      line += " anomaly score \(managed.anomalyScore)/\(managed.threshold), rules " + managed.ruleIDs.map(String.init).joined(separator: " ")
    }
    print(line)
  }
  if !result.labels.isEmpty { print("labels: " + result.labels.joined(separator: ", ")) }
  for rate in result.rateCounts { print("rate \(rate)") }
}

func printError(_ text: String, newline: Bool) {
  StandardStreams.writeError(newline ? text + "\n" : text)
}
