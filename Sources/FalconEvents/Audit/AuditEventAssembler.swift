/// Groups audit records into events by their stamp (time and serial), for a log and a live feed
/// alike.
///
/// Records of one event share `msg=audit(TIME:SERIAL)`. An event is complete when:
/// - an `EOE` record with its stamp arrives (the live feed; auditd does not log `EOE`);
/// - its `PROCTITLE` arrives: the kernel emits it last in every system-call event, so logs need
///   not wait for the next serial;
/// - it is a user-space message (types 1100-1299 and 2100-2999), always a single record;
/// - a record more than `eventTimeoutSeconds` newer arrives (auparse waits 2 seconds the same way);
/// - more than `maxOpenEvents` events are open (the oldest is completed);
/// - ``flush(_:)`` is called at the end of the input.
///
/// Unlike auparse, a kernel record below type 1300 does not end its event: the `LOGIN` record
/// of a write to `/proc/self/loginuid` shares its serial with that `SYSCALL`, and they are
/// delivered as one event (so a log's event count is its number of distinct serials).
///
/// Several events can be open at once, so records of interleaved events (two CPUs logging at
/// the same time) still land in the right event. Events are delivered in the order their first
/// record arrived, which keeps a process's exec ahead of what the new program does next.
public struct AuditEventAssembler: Sendable {
  private struct OpenEvent: Sendable {
    var event: AuditEvent
    var complete: Bool
  }

  /// The bounds on open events and event size.
  public let limits: AuditLimits
  private var open: [OpenEvent] = []

  /// Creates an assembler.
  public init(limits: AuditLimits = .default) {
    self.limits = limits
    open.reserveCapacity(limits.maxOpenEvents + 1)
  }

  /// How many events are waiting for more records.
  public var openEventCount: Int { open.count }

  /// Adds one record; calls `emit` for every event this completes, oldest first.
  public mutating func add(_ record: consuming AuditRecord, emit: (AuditEvent) -> Void) {
    add(record)
    while let event = nextCompletedEvent() { emit(event) }
  }

  /// Adds one record; completed events are then taken with ``nextCompletedEvent()``.
  public mutating func add(_ record: consuming AuditRecord) {
    let stamp = record.stamp
    let type = record.type
    if let index = open.lastIndex(where: { $0.event.stamp == stamp }) {
      if type == .eoe {
        open[index].complete = true
      } else {
        append(record, toOpen: index)
        if type == .proctitle { open[index].complete = true }
      }
    } else if type != .eoe {
      open.append(OpenEvent(event: AuditEvent(first: record), complete: type.isUserSpaceMessage))
    }

    // Age is measured against this record's time, as auparse does: a log that jumps back in
    // time (files concatenated out of order) completes nothing early.
    if stamp.seconds > limits.eventTimeoutSeconds {
      let cutoff = stamp.seconds - limits.eventTimeoutSeconds
      for index in open.indices where open[index].event.stamp.seconds < cutoff {
        open[index].complete = true
      }
    }
    if open.count > limits.maxOpenEvents {
      for index in 0..<(open.count - limits.maxOpenEvents) { open[index].complete = true }
    }
  }

  /// The oldest open event if it is complete (removing it), else nil. Events come out in the
  /// order their first record arrived.
  public mutating func nextCompletedEvent() -> AuditEvent? {
    guard let first = open.first, first.complete else { return nil }
    return open.removeFirst().event
  }

  /// Completes every open event (end of input), delivering them oldest first.
  public mutating func flush(_ emit: (AuditEvent) -> Void) {
    completeAll()
    while let event = nextCompletedEvent() { emit(event) }
  }

  /// Marks every open event complete; take them with ``nextCompletedEvent()``.
  public mutating func completeAll() {
    for index in open.indices { open[index].complete = true }
  }

  private mutating func append(_ record: consuming AuditRecord, toOpen index: Int) {
    let size = record.text.count
    if open[index].event.records.count >= limits.maxRecordsPerEvent
      || open[index].event.byteCount + size > limits.maxEventBytes
    {
      open[index].event.droppedRecords += 1
      return
    }
    open[index].event.records.append(record)
    open[index].event.byteCount += size
  }
}
