internal import Glibc

/// Queries the kernel audit subsystem over `NETLINK_AUDIT`.
public enum AuditControl {
  /// Asks the kernel for the audit status with `AUDIT_GET` and waits up to `timeout` for it.
  ///
  /// Needs `CAP_AUDIT_CONTROL` in the initial user namespace. Throws
  /// ``CaptureError/system(operation:errno:)`` with `EPERM` without that capability,
  /// `ECONNREFUSED` from a non-initial user or PID namespace (most containers),
  /// `EPROTONOSUPPORT` when the kernel lacks audit support, and `ETIMEDOUT` if no reply arrives.
  public static func status(timeout: Duration = .seconds(2)) throws -> AuditStatus {
    let socket = try NetlinkSocket(family: .audit)
    try socket.bind()
    let sequence = try socket.send(
      type: AuditStatus.requestType, flags: NetlinkMessage.requestFlag, payload: [])
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while clock.now < deadline {
      // The kernel may send the status from a helper thread, so it can arrive after other
      // messages; keep reading until a reply to this request shows up or time runs out.
      for message in try socket.receive(timeout: clock.now.duration(to: deadline))
      where message.sequence == sequence {
        if case .error(let code) = message.kind {
          throw CaptureError.system(operation: "AUDIT_GET", errno: code)
        }
        if message.type == AuditStatus.requestType {
          return try AuditStatus(netlinkPayload: message.payload)
        }
      }
    }
    throw CaptureError.system(operation: "AUDIT_GET", errno: ETIMEDOUT)
  }
}
