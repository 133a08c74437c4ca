internal import Glibc
public import PolicyCore

/// Decodes Linux audit records into ``Event``s: auditd logs (RAW or ENRICHED) and the kernel's
/// audit netlink feed go through the same record parser, assembler and converter.
///
/// ```swift
/// var decoder = AuditDecoder(syscallName: AuditSyscallNames().naming)  // FalconCapture
/// let log = try SourceFile.read(path: "/var/log/audit/audit.log")
/// decoder.decode(log: log) { event in print(event.type, event.thread.exePath) }
/// for issue in decoder.issues { print(issue) }   // raw.log:17:1: audit_malformed_record: ...
/// ```
///
/// A live reader calls ``decode(netlinkType:payload:emit:)`` once per netlink message and
/// ``finish(emit:)`` when it stops. Bad input never stops decoding: a malformed or oversized
/// record is skipped and reported in ``issues`` (with `file:line:column` for a log), and limits
/// from ``AuditLimits`` bound every buffer.
public struct AuditDecoder: Sendable {
  /// The bounds in force.
  public let limits: AuditLimits
  private var assembler: AuditEventAssembler
  private let converter: AuditEventConverter
  /// Problems found so far, at most `limits.maxIssues` of them.
  public private(set) var issues: [Diagnostic] = []
  /// Problems found so far, including those not kept.
  public private(set) var issueCount = 0
  /// Records parsed so far.
  public private(set) var recordCount = 0
  /// Events delivered so far.
  public private(set) var eventCount = 0
  /// The log being decoded, for diagnostic positions.
  private var currentFile: SourceFile?
  /// Streaming input: the start of a line whose end has not arrived yet.
  private var pendingLine: [UInt8] = []
  /// Streaming input: lines completed so far (for diagnostics).
  private var streamLineNumber = 0
  /// Streaming input: the current line is over the length limit and is being skipped.
  private var skippingLine = false

  /// Creates a decoder.
  /// - Parameters:
  ///   - limits: bounds on record length, event size, argv and open events.
  ///   - syscallName: names system-call numbers per architecture; FalconCapture's
  ///     `AuditSyscallNames` answers from libseccomp's tables.
  public init(limits: AuditLimits = .default, syscallName: @escaping AuditSyscallNaming) {
    self.limits = limits
    assembler = AuditEventAssembler(limits: limits)
    converter = AuditEventConverter(limits: limits, syscallName: syscallName)
  }

  // MARK: - Logs

  /// Decodes a whole auditd log and completes every event at its end.
  public mutating func decode(log file: SourceFile, emit: (Event) -> Void) {
    currentFile = file
    forEachLine(of: file.bytes) { decoder, line, offset in
      decoder.addLogLine(line, sourceOffset: offset)
      while let audit = decoder.nextEvent() { emit(decoder.convert(audit)) }
    }
    flushAssembler()
    while let audit = nextEvent() { emit(convert(audit)) }
    currentFile = nil
  }

  /// Decodes a whole auditd log into assembled record groups, without turning them into events
  /// (for tools that read record fields such as `LOGIN`'s `old-auid`).
  public mutating func decodeEvents(log file: SourceFile, emit: (AuditEvent) -> Void) {
    currentFile = file
    forEachLine(of: file.bytes) { decoder, line, offset in
      decoder.addLogLine(line, sourceOffset: offset)
      while let audit = decoder.nextEvent() { emit(audit) }
    }
    flushAssembler()
    while let audit = nextEvent() { emit(audit) }
    currentFile = nil
  }

  /// Decodes one log line (without its newline) from a streaming reader. Events complete as
  /// later records arrive; call ``finish(emit:)`` at the end of the input.
  /// - Parameters:
  ///   - line: the line's bytes.
  ///   - lineNumber: its 1-based line number, used in diagnostics.
  public mutating func decode(
    logLine line: ArraySlice<UInt8>, lineNumber: Int, emit: (Event) -> Void
  ) {
    addLogLine(line, sourceOffset: 0, lineNumber: lineNumber)
    while let audit = nextEvent() { emit(convert(audit)) }
  }

  /// Decodes the next piece of a log read in chunks of any size (a file read 64 KiB at a time,
  /// a pipe). Lines may span chunks; memory stays bounded by the chunk size and
  /// `limits.maxRecordBytes`, whatever the log's size. Diagnostics name the line number. Call
  /// ``finishLog(emit:)`` after the last chunk.
  public mutating func decode<Bytes: Collection>(logChunk chunk: Bytes, emit: (Event) -> Void)
  where Bytes.Element == UInt8 {
    // One copy per chunk, shared by the records that lie inside it.
    let bytes = Array(chunk)
    var start = 0
    while start < bytes.count {
      guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
        appendPending(bytes[start...])
        return
      }
      streamLineNumber += 1
      if skippingLine || !pendingLine.isEmpty {
        appendPending(bytes[start..<newline])
        if !skippingLine {
          addLogLine(pendingLine[...], sourceOffset: 0, lineNumber: streamLineNumber)
        }
        pendingLine.removeAll(keepingCapacity: true)
        skippingLine = false
      } else if newline > start {
        addLogLine(bytes[start..<newline], sourceOffset: 0, lineNumber: streamLineNumber)
      }
      while let audit = nextEvent() { emit(convert(audit)) }
      start = newline + 1
    }
  }

  /// Ends a chunked log: decodes a last line without a newline and completes every open event.
  public mutating func finishLog(emit: (Event) -> Void) {
    if !pendingLine.isEmpty, !skippingLine {
      streamLineNumber += 1
      addLogLine(pendingLine[...], sourceOffset: 0, lineNumber: streamLineNumber)
    }
    pendingLine.removeAll()
    skippingLine = false
    finish(emit: emit)
  }

  /// Keeps the unfinished start of a line, or, once it passes the length limit, reports it and
  /// drops it (and the rest of the line as it arrives).
  private mutating func appendPending(_ piece: ArraySlice<UInt8>) {
    if skippingLine { return }
    if pendingLine.count + piece.count > limits.maxRecordBytes {
      report(
        .limitAuditRecordLength,
        "line \(streamLineNumber + 1): record is more than the limit of \(limits.maxRecordBytes) bytes",
        at: nil)
      pendingLine.removeAll(keepingCapacity: true)
      skippingLine = true
      return
    }
    pendingLine.append(contentsOf: piece)
  }

  // MARK: - Netlink

  /// Decodes one message of the audit netlink feed: `netlinkType` is the message type from
  /// its header (1300 for `SYSCALL`), `payload` its text (`audit(...): fields`). The kernel's
  /// `EOE` message completes an event at once.
  public mutating func decode(
    netlinkType: UInt16, payload: ArraySlice<UInt8>, emit: (Event) -> Void
  ) {
    guard payload.count <= limits.maxRecordBytes else {
      report(
        .limitAuditRecordLength,
        "netlink audit message of type \(netlinkType) is \(payload.count) bytes, more than the limit of \(limits.maxRecordBytes)",
        at: nil)
      return
    }
    let record: AuditRecord
    do {
      record = try AuditRecord(netlinkType: netlinkType, payload: payload)
    } catch {
      report(
        .auditMalformedRecord, "netlink audit message of type \(netlinkType): \(error.message)",
        at: nil)
      return
    }
    add(record)
    while let audit = nextEvent() { emit(convert(audit)) }
  }

  /// Completes every open event (end of input, or a live reader stopping).
  public mutating func finish(emit: (Event) -> Void) {
    flushAssembler()
    while let audit = nextEvent() { emit(convert(audit)) }
  }

  // MARK: - Internals

  /// Calls `body` with each non-empty line of `bytes` (without its newline) and its offset.
  private mutating func forEachLine(
    of bytes: [UInt8], _ body: (inout AuditDecoder, ArraySlice<UInt8>, Int) -> Void
  ) {
    let count = bytes.count
    var start = 0
    while start < count {
      let end =
        bytes.withUnsafeBufferPointer { buffer -> Int? in
          guard let base = buffer.baseAddress,
            let hit = memchr(base + start, Int32(UInt8(ascii: "\n")), count - start)
          else { return nil }
          return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        } ?? count
      if end > start { body(&self, bytes[start..<end], start) }
      start = end + 1
    }
  }

  /// Parses one log line and adds it; completed events are then taken with `nextEvent()`.
  private mutating func addLogLine(
    _ line: ArraySlice<UInt8>, sourceOffset: Int, lineNumber: Int? = nil
  ) {
    if line.count == 1, line.first == UInt8(ascii: "\r") { return }
    guard line.count <= limits.maxRecordBytes else {
      report(
        .limitAuditRecordLength,
        "\(linePrefix(lineNumber))record is \(line.count) bytes, more than the limit of \(limits.maxRecordBytes)",
        at: sourceOffset)
      return
    }
    do {
      add(try AuditRecord(logLine: line, sourceOffset: sourceOffset))
    } catch {
      report(
        .auditMalformedRecord, "\(linePrefix(lineNumber))\(error.message)",
        at: sourceOffset + error.offset)
    }
  }

  private mutating func add(_ record: consuming AuditRecord) {
    recordCount += 1
    assembler.add(record)
  }

  private mutating func flushAssembler() {
    assembler.completeAll()
  }

  /// The next completed event, counted and checked for dropped records.
  private mutating func nextEvent() -> AuditEvent? {
    guard let audit = assembler.nextCompletedEvent() else { return nil }
    noteDelivered(audit)
    return audit
  }

  private func linePrefix(_ lineNumber: Int?) -> String {
    lineNumber.map { "line \($0): " } ?? ""
  }

  private mutating func noteDelivered(_ audit: AuditEvent) {
    if audit.droppedRecords > 0 {
      report(
        .limitAuditEventSize,
        "audit event \(audit.stamp) exceeded the event size limit (\(limits.maxRecordsPerEvent) records, \(limits.maxEventBytes) bytes); \(audit.droppedRecords) records dropped",
        at: audit.records.first.map { $0.sourceOffset })
    }
    eventCount += 1
  }

  private mutating func convert(_ audit: AuditEvent) -> Event {
    var problems: [(Diagnostic.Code, String, Int)] = []
    let event = converter.convert(audit) { code, message, record in
      problems.append((code, "audit event \(audit.stamp): \(message)", record.sourceOffset))
    }
    for (code, message, offset) in problems { report(code, message, at: offset) }
    return event
  }

  private mutating func report(_ code: Diagnostic.Code, _ message: String, at offset: Int?) {
    issueCount += 1
    guard issues.count < limits.maxIssues else { return }
    var span: SourceSpan?
    if let file = currentFile, let offset { span = SourceSpan(file: file, start: offset) }
    issues.append(Diagnostic(code, message, span: span))
  }
}
