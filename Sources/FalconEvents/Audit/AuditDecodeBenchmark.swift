public import PolicyCore

/// Measures audit decoding throughput: log bytes in, ``Event``s out, on the calling thread.
///
/// Each iteration decodes every file from memory with a fresh ``AuditDecoder`` (record parsing,
/// event assembly and conversion to `Event`, including argv, paths and socket addresses);
/// reading the files happens once, before timing. The process table is not included. Run it
/// from a release build: `falcon bench audit FILE...` is the intended caller.
public enum AuditDecodeBenchmark {
  /// What one run measured.
  public struct Result: Sendable, Hashable, CustomStringConvertible {
    /// Events decoded over all iterations.
    public var events: Int
    /// Records parsed over all iterations.
    public var records: Int
    /// Log bytes decoded over all iterations.
    public var bytes: Int
    /// Wall-clock time of the timed iterations.
    public var seconds: Double
    /// Problems reported in one pass over the files (expected 0 for clean logs).
    public var issues: Int

    /// Events per second.
    public var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }
    /// Megabytes (10^6 bytes) per second.
    public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / seconds / 1e6 : 0 }

    /// `738000 events, 858217000 bytes in 2.50 s: 295200 events/s, 343.3 MB/s`.
    public var description: String {
      let rate = (eventsPerSecond * 10).rounded() / 10
      let throughput = (megabytesPerSecond * 10).rounded() / 10
      let time = (seconds * 1000).rounded() / 1000
      return "\(events) events, \(bytes) bytes in \(time) s: \(rate) events/s, \(throughput) MB/s"
    }
  }

  /// Reads the logs at `paths` and decodes them `iterations` times after one untimed warm-up.
  /// - Throws: `io_error` or `limit_input_size` when a file cannot be read.
  public static func run(
    paths: [String], iterations: Int = 20, limits: AuditLimits = .default,
    syscallName: @escaping AuditSyscallNaming
  ) throws(Diagnostic) -> Result {
    var files: [SourceFile] = []
    for path in paths { files.append(try SourceFile.read(path: path)) }
    return run(files: files, iterations: iterations, limits: limits, syscallName: syscallName)
  }

  /// Decodes `files` (already in memory) `iterations` times after one untimed warm-up.
  public static func run(
    files: [SourceFile], iterations: Int = 20, limits: AuditLimits = .default,
    syscallName: @escaping AuditSyscallNaming
  ) -> Result {
    let warmUp = pass(files, limits: limits, syscallName: syscallName)
    var events = 0
    var records = 0
    var checksum = 0
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      for _ in 0..<max(1, iterations) {
        let result = pass(files, limits: limits, syscallName: syscallName)
        events += result.events
        records += result.records
        checksum &+= result.checksum
      }
    }
    // The checksum keeps the optimizer from discarding decoded fields.
    if checksum == Int.min { print("checksum \(checksum)") }
    let bytes = files.reduce(0) { $0 + $1.bytes.count } * max(1, iterations)
    let (whole, fraction) = elapsed.components
    return Result(
      events: events, records: records, bytes: bytes,
      seconds: Double(whole) + Double(fraction) * 1e-18, issues: warmUp.issues)
  }

  private static func pass(
    _ files: [SourceFile], limits: AuditLimits, syscallName: @escaping AuditSyscallNaming
  ) -> (events: Int, records: Int, issues: Int, checksum: Int) {
    var events = 0
    var records = 0
    var issues = 0
    var checksum = 0
    for file in files {
      var decoder = AuditDecoder(limits: limits, syscallName: syscallName)
      decoder.decode(log: file) { event in
        events += 1
        checksum &+=
          Int(truncatingIfNeeded: event.number) &+ event.arguments.count
          &+ event.thread.args.count &+ event.thread.exePath.utf8.count
      }
      records += decoder.recordCount
      issues += decoder.issueCount
    }
    return (events, records, issues, checksum)
  }
}
