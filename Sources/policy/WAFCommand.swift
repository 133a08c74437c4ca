import ArgumentParser
import PolicyCore
import WAFEngine

#if canImport(Glibc)
  import Glibc
#endif

/// `policy waf`: run requests through a SecLang configuration (the OWASP CRS and the like).
struct WAFCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "waf",
    abstract: "Check requests against a SecLang configuration such as the OWASP CRS.",
    subcommands: [WAFCheckCommand.self, WAFReplayCommand.self])
}

struct WAFConfigOptions: ParsableArguments {
  @Option(help: "SecLang configuration file (Include-s the CRS setup and rules).")
  var config: String = "rules/waf/crs.conf"

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
    let ruleSet = try options.load()
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

  func run() throws {
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

func printError(_ text: String, newline: Bool) {
  StandardStreams.writeError(newline ? text + "\n" : text)
}
