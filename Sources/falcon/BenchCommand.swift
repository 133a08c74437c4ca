import ArgumentParser
import FalconCapture
import FalconEngine
import FalconEvents
import PolicyCore

/// `falcon bench`: (a) rule matching throughput on one core over a recorded event stream, and
/// (b) audit decoding throughput next to auparse's published figures.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Measure rule matching and audit decoding throughput.")

  @Option(help: "A rules file or directory (repeatable). Default: the three stock rules files of ../shared.")
  var rules: [String] = []

  @Option(help: "An audit log whose events are replayed (repeatable). Default: the shared raw and enriched logs.")
  var audit: [String] = []

  @Option(help: "How many events to push through the rules.")
  var events: Int = 1_000_000

  @Flag(help: "Also print the ten rules whose conditions took longest.")
  var profile = false

  @Option(help: "Decoding passes over the logs.")
  var decodeIterations: Int = 20

  /// auparse's throughput on these machines as documented for the audit decoder.
  static let auparseEventsPerSecond = 53_000.0
  static let auparseMegabytesPerSecond = 55.0

  func run() throws {
    let rulePaths = rules.isEmpty ? (RulesLoading.stockRules() ?? []) : rules
    let logPaths = audit.isEmpty ? RulesLoading.sharedAuditLogs() : audit
    guard !rulePaths.isEmpty, !logPaths.isEmpty else {
      StandardStreams.writeError("invalid_argument: no rules or audit logs (give --rules and --audit, or run below a folder with shared/)")
      throw ExitCode(2)
    }
    let loaded = try RulesLoading.load(paths: rulePaths, options: .init(sources: [.audit]))
    for message in loaded.result.errors { StandardStreams.writeError(message.description) }
    guard let engine = loaded.engine else { throw ExitCode(1) }

    // The recorded stream: every decoded event, enriched by the process table, in log order.
    var files: [SourceFile] = []
    for path in logPaths {
      do {
        files.append(try SourceFile.read(path: path))
      } catch {
        StandardStreams.writeError(error.rendered())
        throw ExitCode(2)
      }
    }
    var recorded: [Event] = []
    var decoder = AuditDecoder(syscallName: AuditSyscallNames().naming)
    var table = ProcessTable()
    for file in files {
      decoder.decode(log: file) { event in
        var event = event
        table.apply(&event)
        recorded.append(event)
      }
    }
    guard !recorded.isEmpty else {
      StandardStreams.writeError("no events decoded")
      throw ExitCode(1)
    }
    var stream: [Event] = []
    stream.reserveCapacity(events)
    while stream.count < events { stream.append(recorded[stream.count % recorded.count]) }

    // Warm up, then time one pass on this thread.
    let matcher = engine.makeMatcher()
    var matches = 0
    for event in stream.prefix(recorded.count) { matches &+= matcher.countMatches(event) }
    matches = 0
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      // Each event is lent to the matcher in place, as a decoder hands over the event it just
      // made: `for event in stream` would copy (retain and release) every event first.
      stream.withUnsafeBufferPointer { buffer in
        for index in buffer.indices { matches &+= matcher.countMatches(buffer[index]) }
      }
    }
    let seconds = Self.seconds(elapsed)
    let rate = Double(stream.count) / max(seconds, 1e-9)
    var report = "matching: \(stream.count) events (\(recorded.count) recorded, repeated) through \(engine.rules.count) rules "
    report += "(\(engine.disabled.count) not run) from \(rulePaths.count) files: \(Self.format(rate)) events/s on one core, "
    report += "\(matches) matches, \(String(format1: seconds)) s\n"

    if profile {
      let costs = engine.profile(Array(stream.prefix(100_000)))
      let tried = costs.reduce(0) { $0 + $1.tried }
      let total = costs.reduce(Int64(0)) { $0 + $1.nanoseconds }
      report += "  \(tried) rule tries over 100000 events, \(total / 1_000_000) ms measured in conditions\n"
      for entry in costs.prefix(10) {
        report += "  \(entry.nanoseconds / 1_000_000) ms over \(entry.tried) events: \(entry.rule)\n"
      }
    }
    let decode = AuditDecodeBenchmark.run(files: files, iterations: decodeIterations, syscallName: AuditSyscallNames().naming)
    report += "decoding: \(decode.events) events, \(decode.bytes) bytes over \(decodeIterations) passes: \(Self.format(decode.eventsPerSecond)) events/s, "
    report += "\(String(format1: decode.megabytesPerSecond)) MB/s\n"
    report += "auparse reference (documented, no harness in ../shared/anchors): \(Self.format(Self.auparseEventsPerSecond)) events/s, "
    report += "\(String(format1: Self.auparseMegabytesPerSecond)) MB/s; ratio \(String(format1: decode.eventsPerSecond / Self.auparseEventsPerSecond))x events/s, "
    report += "\(String(format1: decode.megabytesPerSecond / Self.auparseMegabytesPerSecond))x MB/s\n"
    StandardStreams.writeOutput(report)
  }

  static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }

  static func format(_ value: Double) -> String {
    let rounded = Int(value.rounded())
    var digits = Array(String(rounded))
    var index = digits.count - 3
    while index > 0 {
      digits.insert(",", at: index)
      index -= 3
    }
    return String(digits)
  }
}

extension String {
  /// A number with one decimal.
  init(format1 value: Double) {
    let tenths = Int((value * 10).rounded())
    self = "\(tenths / 10).\(abs(tenths % 10))"
  }
}
