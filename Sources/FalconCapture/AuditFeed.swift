internal import Glibc

/// One audit record as the kernel delivers it over netlink: the record type (1300 `SYSCALL`,
/// 1309 `EXECVE`, ...) and its text, `audit(SECONDS.MILLIS:SERIAL): key=value ...`.
public struct AuditNetlinkRecord: Sendable {
  public var type: UInt16
  public var text: [UInt8]
}

/// A live feed of kernel audit records for a set of rules Falcon installs, and the undo of
/// everything it changed.
///
/// Opening a feed records the audit state (enabled flag, registered daemon), enables auditing if
/// it was off, adds the rules, and starts receiving:
/// - `.daemon`: registers this process as the audit daemon (`AUDIT_SET` pid); records arrive by
///   unicast. Only possible when no daemon is registered. The kernel unregisters a daemon whose
///   socket closes, so a crash cannot leave the kernel waiting for a dead reader.
/// - `.multicast`: joins the read-only `AUDIT_NLGRP_READLOG` group (CAP_AUDIT_READ) and reads
///   alongside whatever daemon owns the feed, leaving its rules and registration alone.
/// - `.automatic`: daemon when none is registered, multicast otherwise.
///
/// `close()` (also run on deinit) deletes exactly the rules it added, unregisters, and restores
/// the enabled flag. Call it from the signal-handling path of a CLI so Ctrl-C leaves no rule behind.
public final class AuditFeed {
  public enum Mode: String, Sendable {
    case automatic
    case daemon
    case multicast
  }

  /// The mode in effect after `automatic` was resolved.
  public let mode: Mode
  /// The status before anything was changed.
  public let statusBefore: AuditStatus
  /// The rules this feed added (and will delete).
  public private(set) var installedRules: [AuditRule] = []
  /// Times the kernel reported dropped records on our socket (`ENOBUFS`).
  public var overruns: Int { reader.overruns }

  private let control: NetlinkSocket
  private let reader: NetlinkSocket
  private var registered = false
  private var enabledByUs = false
  private var closed = false

  /// Opens the feed and installs `rules`.
  /// - Parameter receiveBuffer: bytes requested for the socket's receive buffer
  ///   (`SO_RCVBUFFORCE` when permitted).
  /// - Throws: `CaptureError` (EPERM without CAP_AUDIT_CONTROL/CAP_AUDIT_READ, EEXIST when a rule
  ///   is already present, ...). Whatever was changed before the failure is undone.
  public init(rules: [AuditRule], mode requested: Mode = .automatic, receiveBuffer: Int = 16 << 20) throws {
    let status = try AuditControl.status()
    statusBefore = status
    if status.enabled == 2 {
      throw CaptureError.invalidArgument(
        operation: "AuditFeed", reason: "the audit configuration is locked (enabled=2) until reboot")
    }
    let resolved: Mode
    switch requested {
    case .automatic: resolved = status.pid == 0 ? .daemon : .multicast
    case .daemon:
      guard status.pid == 0 || status.pid == UInt32(getpid()) else {
        throw CaptureError.invalidArgument(
          operation: "AuditFeed", reason: "audit daemon pid \(status.pid) owns the feed; use multicast")
      }
      resolved = .daemon
    case .multicast: resolved = .multicast
    }
    mode = resolved
    control = try NetlinkSocket(family: .audit)
    try control.bind()
    if resolved == .multicast {
      reader = try NetlinkSocket(family: .audit)
      try reader.bind(groups: AuditProtocol.readLogGroups)
    } else {
      reader = control
    }
    _ = try? reader.setReceiveBufferSize(receiveBuffer)
    do {
      for rule in rules {
        try request(AuditProtocol.addRuleType, try rule.encoded(), "AUDIT_ADD_RULE")
        installedRules.append(rule)
      }
      if resolved == .daemon {
        try request(
          AuditProtocol.setType, AuditProtocol.statusChange(enabled: nil, daemonPID: UInt32(getpid())),
          "AUDIT_SET pid")
        registered = true
      }
      if status.enabled == 0 {
        try request(AuditProtocol.setType, AuditProtocol.statusChange(enabled: 1, daemonPID: nil), "AUDIT_SET enabled")
        enabledByUs = true
      }
    } catch {
      close()
      throw error
    }
  }

  deinit { close() }

  /// Waits up to `timeout` for records; returns those of one datagram batch (possibly none).
  public func receive(timeout: Duration) throws -> [AuditNetlinkRecord] {
    var records: [AuditNetlinkRecord] = []
    for message in try reader.receive(timeout: timeout) where message.kind == .data {
      guard message.type >= AuditProtocol.firstRecordType || message.type == 1006 else { continue }  // 1006: LOGIN
      // The kernel's text may carry a trailing NUL.
      var text = message.payload
      while let last = text.last, last == 0 { text.removeLast() }
      records.append(AuditNetlinkRecord(type: message.type, text: text))
    }
    return records
  }

  /// Deletes the installed rules, unregisters and restores the enabled flag. Idempotent; errors
  /// are collected and returned (an undo that fails is reported, never silently dropped).
  @discardableResult
  public func close() -> [CaptureError] {
    if closed { return [] }
    closed = true
    var problems: [CaptureError] = []
    func attempt(_ body: () throws -> Void) {
      do { try body() } catch let error as CaptureError { problems.append(error) } catch {
        problems.append(.invalidArgument(operation: "AuditFeed.close", reason: "\(error)"))
      }
    }
    if enabledByUs {
      attempt {
        try request(AuditProtocol.setType, AuditProtocol.statusChange(enabled: 0, daemonPID: nil), "AUDIT_SET enabled")
      }
    }
    if registered {
      attempt { try request(AuditProtocol.setType, AuditProtocol.statusChange(enabled: nil, daemonPID: 0), "AUDIT_SET pid") }
    }
    for rule in installedRules.reversed() {
      attempt { try request(AuditProtocol.deleteRuleType, try rule.encoded(), "AUDIT_DEL_RULE") }
    }
    installedRules = []
    return problems
  }

  /// Sends a request with NLM_F_ACK and waits for its acknowledgement or error. Records that
  /// arrive meanwhile on the control socket (daemon mode) are not lost: the kernel queues them.
  private func request(_ type: UInt16, _ payload: [UInt8], _ operation: String) throws {
    let sequence = try control.send(type: type, flags: AuditProtocol.requestWithAcknowledgement, payload: payload)
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: .seconds(2))
    while clock.now < deadline {
      for message in try control.receive(timeout: clock.now.duration(to: deadline)) where message.sequence == sequence {
        switch message.kind {
        case .acknowledgement: return
        case .error(let code): throw CaptureError.system(operation: operation, errno: code)
        default: continue
        }
      }
    }
    throw CaptureError.system(operation: operation, errno: ETIMEDOUT)
  }
}

extension AuditControl {
  /// The kernel's audit rules as raw `struct audit_rule_data` payloads (`AUDIT_LIST_RULES`), in
  /// kernel order: enough to tell whether the rule set changed.
  public static func ruleListing(timeout: Duration = .seconds(2)) throws -> [[UInt8]] {
    let socket = try NetlinkSocket(family: .audit)
    try socket.bind()
    let sequence = try socket.send(type: AuditProtocol.listRulesType, flags: AuditProtocol.dumpRequest, payload: [])
    var rules: [[UInt8]] = []
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while clock.now < deadline {
      for message in try socket.receive(timeout: clock.now.duration(to: deadline)) where message.sequence == sequence {
        switch message.kind {
        case .done: return rules
        case .error(let code): throw CaptureError.system(operation: "AUDIT_LIST_RULES", errno: code)
        case .data where message.type == AuditProtocol.listRulesType: rules.append(message.payload)
        default: continue
        }
      }
    }
    throw CaptureError.system(operation: "AUDIT_LIST_RULES", errno: ETIMEDOUT)
  }
}
