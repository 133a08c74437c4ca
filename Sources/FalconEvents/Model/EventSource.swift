/// Where an event came from (which Falcon source produced it).
public enum EventSource: UInt8, Sendable, Hashable, CaseIterable {
  /// The Linux audit subsystem: a live netlink feed or a replayed auditd log.
  case audit
  /// The kernel's process-events connector (fork, exec, exit, uid changes).
  case procConnector
  /// A scan of `/proc` that found an already running process.
  case procScan
  /// Built by hand or read from a test corpus.
  case synthetic
}
