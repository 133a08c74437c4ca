import ArgumentParser
import FalconCapture
import FalconEngine
import FalconEvents
import PolicyCore

/// `falcon replay --audit FILE`: decodes an auditd log, tracks processes, and prints the
/// alerts of the given rules (or, without rules, one trace line per event).
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay", abstract: "Run Falco rules over a recorded audit log (RAW or ENRICHED).")

  @Option(help: "An auditd log to replay (repeatable; read in order).")
  var audit: [String]

  @Option(help: "A rules file or directory (repeatable, loaded in order). Without rules, events are traced.")
  var rules: [String] = []

  @Flag(help: "Print alerts as Falco's JSON (one object per line).")
  var json = false

  @Flag(help: "Print events decoded, alerts and throughput to standard error.")
  var stats = false

  @Option(help: "Skip rules less severe than this priority (emergency ... debug).")
  var minPriority: String = "debug"

  @Option(help: "Disable rules with this tag (repeatable).")
  var disableTag: [String] = []

  func run() throws {
    guard let minimum = RulePriority(parsing: minPriority) else {
      StandardStreams.writeError("invalid_argument: unknown priority '\(minPriority)'")
      throw ExitCode(2)
    }
    var engine: RuleEngine?
    var fields = FalconFieldTable(users: UserDirectory.read(), hostname: RulesLoading.hostname())
    if !rules.isEmpty {
      let loaded = try RulesLoading.load(
        paths: rules, options: .init(minimumPriority: minimum, disabledTags: Set(disableTag), sources: [.audit]))
      for message in loaded.result.errors { StandardStreams.writeError(message.description) }
      guard let built = loaded.engine else { throw ExitCode(1) }
      for message in built.warnings { StandardStreams.writeError(message.description) }
      engine = built
      fields = loaded.fields
    }
    let trace = OutputFormat("%evt.num %evt.time %proc.name (%proc.pid) %evt.dir %evt.type %evt.args", fields: fields)
    let hostname = fields.hostname
    let matcher = engine?.makeMatcher()
    var decoder = AuditDecoder(syscallName: AuditSyscallNames().naming)
    var table = ProcessTable()
    var decoded = 0
    var alerts = 0
    var bytes = 0
    var output: [UInt8] = []
    output.reserveCapacity(1 << 16)
    let clock = ContinuousClock()
    var matchTime = Duration.zero
    let start = clock.now
    for path in audit {
      let file: SourceFile
      do {
        file = try SourceFile.read(path: path)
      } catch {
        StandardStreams.writeError(error.rendered())
        throw ExitCode(2)
      }
      bytes += file.bytes.count
      decoder.decode(log: file) { event in
        var event = event
        decoded += 1
        table.apply(&event)
        if let matcher {
          let before = clock.now
          matcher.match(event) { match in
            alerts += 1
            output += Array((json ? match.jsonLine(hostname: hostname) : match.textLine()).utf8)
            output.append(0x0a)
          }
          matchTime += clock.now - before
        } else {
          output += Array(trace.render(event).utf8)
          output.append(0x0a)
        }
        if output.count > 1 << 16 {
          StandardStreams.writeOutput(output)
          output.removeAll(keepingCapacity: true)
        }
      }
    }
    StandardStreams.writeOutput(output)
    let total = clock.now - start
    for issue in decoder.issues.prefix(20) { StandardStreams.writeError(issue.rendered()) }
    if stats {
      let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
      let matchSeconds = Double(matchTime.components.seconds) + Double(matchTime.components.attoseconds) / 1e18
      StandardStreams.writeError(
        "events decoded: \(decoded), alerts: \(alerts), decode issues: \(decoder.issueCount), bytes: \(bytes), "
          + "total: \(Int(Double(decoded) / max(seconds, 1e-9))) events/s"
          + (matcher == nil ? "" : ", matched: \(Int(Double(decoded) / max(matchSeconds, 1e-9))) events/s"))
    }
  }
}
