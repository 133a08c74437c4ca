/// The kernel audit subsystem's state, as `AUDIT_GET` reports it in `struct audit_status`.
public struct AuditStatus: Sendable, Hashable {
  /// 0 when auditing is off, 1 when on, 2 when on and locked until reboot.
  public let enabled: UInt32
  /// What the kernel does when it cannot log: 0 silent, 1 printk, 2 panic.
  public let failure: UInt32
  /// The process ID of the registered audit daemon, or 0 if none.
  public let pid: UInt32
  /// The most messages per second the kernel emits, or 0 for no limit.
  public let rateLimit: UInt32
  /// The most messages the kernel queues for the daemon.
  public let backlogLimit: UInt32
  /// How many messages have been lost since boot.
  public let lost: UInt32
  /// How many messages are queued now.
  public let backlog: UInt32

  /// Creates a status from its field values.
  public init(
    enabled: UInt32, failure: UInt32, pid: UInt32, rateLimit: UInt32, backlogLimit: UInt32,
    lost: UInt32, backlog: UInt32
  ) {
    self.enabled = enabled
    self.failure = failure
    self.pid = pid
    self.rateLimit = rateLimit
    self.backlogLimit = backlogLimit
    self.lost = lost
    self.backlog = backlog
  }
}
