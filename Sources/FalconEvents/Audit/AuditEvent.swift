/// The records of one audit event, put back together by their shared stamp.
///
/// A system call typically produces `SYSCALL`, then auxiliary records (`EXECVE`, `BPRM_FCAPS`,
/// `SOCKADDR`), `CWD`, one `PATH` per file name, and `PROCTITLE`; a live feed adds `EOE`.
/// A user-space message (`USER_AUTH`) is an event of one record.
public struct AuditEvent: Sendable {
  /// The stamp every record carries.
  public var stamp: AuditStamp
  /// The records in arrival order (an `EOE` record is not kept).
  public var records: [AuditRecord]
  /// How many records of this event were dropped by ``AuditLimits`` (event size).
  public var droppedRecords: Int
  /// Total text bytes of `records`.
  var byteCount: Int

  /// Creates an event from its first record.
  init(first record: consuming AuditRecord) {
    stamp = record.stamp
    byteCount = record.text.count
    // Most system-call events have 3 to 8 records: one allocation instead of four regrowths.
    records = []
    records.reserveCapacity(8)
    records.append(record)
    droppedRecords = 0
  }

  /// Creates an event from records (for tests and tools); the stamp is the first record's.
  public init(records: [AuditRecord]) {
    stamp = records.first?.stamp ?? AuditStamp(seconds: 0, nanoseconds: 0, serial: 0)
    self.records = records
    droppedRecords = 0
    byteCount = records.reduce(0) { $0 + $1.text.count }
  }

  /// The first record of `type`, or nil.
  public func first(_ type: AuditRecordType) -> AuditRecord? {
    records.first { $0.type == type }
  }

  /// Every record of `type`, in order.
  public func all(_ type: AuditRecordType) -> [AuditRecord] {
    records.filter { $0.type == type }
  }
}
