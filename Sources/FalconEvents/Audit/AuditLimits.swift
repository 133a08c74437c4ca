public import PolicyCore

/// The bounds the audit decoder enforces on untrusted input (a log file or a netlink feed).
///
/// Every limit turns hostile input into a diagnostic and a dropped or truncated record, never a
/// crash, a hang or unbounded memory. The defaults sit far above what the kernel and auditd
/// produce: the kernel caps one record at `MAX_AUDIT_MESSAGE_LENGTH` (8,970 bytes) and splits a
/// long argv into EXECVE records of at most 7,500 bytes.
public struct AuditLimits: Sendable, Hashable {
  /// Longest record (log line or netlink payload) decoded, in bytes; longer ones are skipped
  /// with `limit_audit_record_length`. Default 64 KiB (seven times the kernel's maximum, room
  /// for ENRICHED interpretations and `node=` prefixes).
  public var maxRecordBytes: Int
  /// Most records one event may gather; later records of the event are dropped with
  /// `limit_audit_event_size`. Default 1,024 (a 2 MiB argv needs about 300 EXECVE records).
  public var maxRecordsPerEvent: Int
  /// Most record bytes one event may gather, same code. Default 8 MiB (the kernel's argv limit,
  /// `ARG_MAX`-bound at 2 MiB of strings, hex-encodes to at most twice that).
  public var maxEventBytes: Int
  /// Most argv entries decoded from EXECVE records (`argc` and `aN` indexes); beyond it
  /// arguments are dropped with `limit_audit_arguments`. Default 131,072 (`MAX_ARG_STRINGS` is
  /// larger in principle, but 2 MiB of argv holds at most ~1 million empty strings, and real
  /// command lines stay far below this).
  public var maxArguments: Int
  /// How many events may be open at once while their records arrive interleaved; the oldest is
  /// completed when one more opens. Default 16.
  public var maxOpenEvents: Int
  /// An open event is completed once a record `eventTimeoutSeconds` newer arrives (auparse
  /// uses 2 seconds). Default 2.
  public var eventTimeoutSeconds: UInt64
  /// Most diagnostics kept; later ones are only counted. Default 1,000.
  public var maxIssues: Int

  /// The defaults.
  public static let `default` = AuditLimits()

  /// Creates limits; each defaults to the documented value, and each is at least 1.
  public init(
    maxRecordBytes: Int = 64 << 10, maxRecordsPerEvent: Int = 1_024, maxEventBytes: Int = 8 << 20,
    maxArguments: Int = 131_072, maxOpenEvents: Int = 16, eventTimeoutSeconds: UInt64 = 2,
    maxIssues: Int = 1_000
  ) {
    self.maxRecordBytes = max(1, maxRecordBytes)
    self.maxRecordsPerEvent = max(1, maxRecordsPerEvent)
    self.maxEventBytes = max(1, maxEventBytes)
    self.maxArguments = max(1, maxArguments)
    self.maxOpenEvents = max(1, maxOpenEvents)
    self.eventTimeoutSeconds = eventTimeoutSeconds
    self.maxIssues = max(1, maxIssues)
  }
}

extension Diagnostic.Code {
  /// An audit record could not be parsed (no `type=`, no `msg=audit(...)` stamp); it is skipped.
  public static let auditMalformedRecord = Self("audit_malformed_record")
  /// EXECVE fields disagree with each other (`aN_len` against the chunks, `argc` against the
  /// arguments present); the arguments are kept as found.
  public static let auditArgumentMismatch = Self("audit_argument_mismatch")
  /// A record was longer than `AuditLimits.maxRecordBytes`.
  public static let limitAuditRecordLength = Self("limit_audit_record_length")
  /// An event gathered more than `AuditLimits.maxRecordsPerEvent` records or
  /// `AuditLimits.maxEventBytes` bytes.
  public static let limitAuditEventSize = Self("limit_audit_event_size")
  /// An EXECVE record named more than `AuditLimits.maxArguments` arguments.
  public static let limitAuditArguments = Self("limit_audit_arguments")
}
