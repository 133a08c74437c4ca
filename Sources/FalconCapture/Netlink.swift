// The netlink funnel: the only Swift file that opens sockets, calls the CLinuxShim wrappers, or
// touches the kernel's netlink, connector, proc-event and audit definitions. `AuditControl` and
// `ProcConnector` hold the protocol logic and reach the kernel only through what is declared here:
// `NetlinkSocket`, `NetlinkMessage`, and the encoders and decoders at the end of the file.

internal import CLinuxShim
internal import Glibc

/// A kernel netlink protocol FalconCapture speaks.
enum NetlinkFamily: Sendable {
  /// `NETLINK_ROUTE`: links, addresses and routes; open to unprivileged processes.
  case route
  /// `NETLINK_AUDIT`: the kernel audit subsystem.
  case audit
  /// `NETLINK_CONNECTOR`: kernel connectors, among them the process-events connector.
  case connector

  /// The protocol number passed to `socket(AF_NETLINK, ...)`.
  var number: Int32 {
    switch self {
    case .route: return NETLINK_ROUTE
    case .audit: return NETLINK_AUDIT
    case .connector: return NETLINK_CONNECTOR
    }
  }
}

/// One message received from a netlink socket, with its header fields and payload copied out.
struct NetlinkMessage: Sendable {
  /// What a message means at the netlink level, before any protocol-specific decoding.
  enum Kind: Sendable, Equatable {
    /// A protocol message; decode the payload by `type`.
    case data
    /// An `NLMSG_ERROR` reporting failure with this (positive) `errno` value.
    case error(Int32)
    /// An `NLMSG_ERROR` with error 0: the kernel's acknowledgement of a request.
    case acknowledgement
    /// `NLMSG_DONE`, the end of a multipart reply (and the type connector messages use).
    case done
    /// `NLMSG_NOOP` or `NLMSG_OVERRUN`, which carry nothing to act on.
    case control
  }

  /// The `NLM_F_REQUEST` flag, which every message sent to the kernel for action must carry.
  static let requestFlag = UInt16(NLM_F_REQUEST)
  /// The `NLMSG_DONE` message type.
  static let doneType = UInt16(NLMSG_DONE)

  /// The `nlmsg_type` field.
  let type: UInt16
  /// The `nlmsg_flags` field.
  let flags: UInt16
  /// The `nlmsg_seq` field, which replies copy from the request.
  let sequence: UInt32
  /// The `nlmsg_pid` field: the port the message concerns (0 for the kernel).
  let portID: UInt32
  /// The bytes after the header, without trailing alignment padding.
  let payload: [UInt8]

  /// The netlink-level meaning of the message.
  var kind: Kind {
    switch Int32(type) {
    case NLMSG_ERROR:
      // struct nlmsgerr starts with the negated errno; a short one is treated as a generic error.
      guard payload.count >= 4 else { return .error(EPROTO) }
      let code = payload.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
      return code == 0 ? .acknowledgement : .error(code < 0 ? -code : code)
    case NLMSG_DONE: return .done
    case NLMSG_NOOP, NLMSG_OVERRUN: return .control
    default: return .data
    }
  }
}

/// An `AF_NETLINK` raw socket that sends requests to the kernel and receives its messages.
///
/// The socket is created close-on-exec and closed when the instance is deallocated. Received
/// datagrams land in one reusable buffer and are split into ``NetlinkMessage`` values with the
/// kernel's `NLMSG_OK`/`NLMSG_NEXT` rules. Only messages sent by the kernel (port 0) are returned,
/// so another process cannot inject events. Not thread-safe: use each instance from one thread.
final class NetlinkSocket {
  /// The largest datagram the receive buffer holds; kernel netlink datagrams stay far below it.
  static let receiveCapacity = 65_536

  /// The socket's file descriptor.
  let descriptor: Int32
  /// The protocol the socket speaks.
  let family: NetlinkFamily
  /// The port ID the kernel assigned at ``bind(groups:)``, or 0 before binding.
  private(set) var portID: UInt32 = 0
  /// How many times the kernel reported dropping messages because the receive buffer was full.
  private(set) var overruns = 0
  /// Reusable storage for received datagrams, aligned for `struct nlmsghdr`.
  private let buffer: UnsafeMutableRawBufferPointer
  /// The sequence number the next ``send(type:flags:payload:)`` uses.
  private var nextSequence: UInt32

  /// Opens a netlink socket for `family`.
  ///
  /// Throws with `EPROTONOSUPPORT` when the kernel lacks the protocol (or hides it from this
  /// network namespace).
  init(family: NetlinkFamily) throws {
    let type = Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    let descriptor = socket(AF_NETLINK, type, family.number)
    guard descriptor >= 0 else { throw CaptureError.fromErrno("socket(AF_NETLINK)") }
    self.descriptor = descriptor
    self.family = family
    buffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: Self.receiveCapacity, alignment: MemoryLayout<nlmsghdr>.alignment)
    // Start sequences from the clock so replies to an earlier socket are not mistaken for ours.
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    nextSequence = UInt32(truncatingIfNeeded: now.tv_nsec ^ now.tv_sec)
  }

  deinit {
    close(descriptor)
    buffer.deallocate()
  }

  /// Binds the socket, joining the multicast `groups` bitmask, and records the assigned port ID.
  ///
  /// The kernel picks a unique port ID (usually the process ID for the first socket).
  func bind(groups: UInt32 = 0) throws {
    var address = sockaddr_nl()
    address.nl_family = sa_family_t(AF_NETLINK)
    address.nl_pid = 0
    address.nl_groups = groups
    let length = socklen_t(MemoryLayout<sockaddr_nl>.size)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(descriptor, $0, length) }
    }
    guard bound == 0 else { throw CaptureError.fromErrno("bind(AF_NETLINK)") }
    var assigned = sockaddr_nl()
    var assignedLength = length
    let named = withUnsafeMutablePointer(to: &assigned) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        getsockname(descriptor, $0, &assignedLength)
      }
    }
    guard named == 0 else { throw CaptureError.fromErrno("getsockname") }
    portID = assigned.nl_pid
  }

  /// Asks for a receive buffer of `bytes` and returns the size the kernel granted.
  ///
  /// Tries `SO_RCVBUFFORCE` first, which may exceed `net.core.rmem_max` but needs
  /// `CAP_NET_ADMIN`, then falls back to `SO_RCVBUF`. The kernel doubles the request for its
  /// bookkeeping, and the doubled value read back with `getsockopt` is what this returns.
  @discardableResult
  func setReceiveBufferSize(_ bytes: Int) throws -> Int {
    var requested = Int32(clamping: bytes)
    let size = socklen_t(MemoryLayout<Int32>.size)
    if setsockopt(descriptor, SOL_SOCKET, SO_RCVBUFFORCE, &requested, size) != 0 {
      guard setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &requested, size) == 0 else {
        throw CaptureError.fromErrno("setsockopt(SO_RCVBUF)")
      }
    }
    var granted: Int32 = 0
    var grantedSize = size
    guard getsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &granted, &grantedSize) == 0 else {
      throw CaptureError.fromErrno("getsockopt(SO_RCVBUF)")
    }
    return Int(granted)
  }

  /// Sends one message to the kernel and returns the sequence number it carried.
  @discardableResult
  func send(type: UInt16, flags: UInt16, payload: [UInt8]) throws -> UInt32 {
    let sequence = nextSequence
    nextSequence &+= 1
    let total = Int(rampart_nlmsg_space(UInt32(payload.count)))
    var header = nlmsghdr()
    header.nlmsg_len = rampart_nlmsg_length(UInt32(payload.count))
    header.nlmsg_type = type
    header.nlmsg_flags = flags
    header.nlmsg_seq = sequence
    header.nlmsg_pid = portID
    var message = [UInt8](repeating: 0, count: total)
    withUnsafeBytes(of: &header) { headerBytes in
      message.replaceSubrange(0..<headerBytes.count, with: headerBytes)
    }
    let payloadStart = Int(rampart_nlmsg_hdrlen())
    message.replaceSubrange(payloadStart..<(payloadStart + payload.count), with: payload)

    var kernel = sockaddr_nl()
    kernel.nl_family = sa_family_t(AF_NETLINK)
    let length = socklen_t(MemoryLayout<sockaddr_nl>.size)
    while true {
      let sent = message.withUnsafeBytes { bytes in
        withUnsafePointer(to: &kernel) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            sendto(descriptor, bytes.baseAddress, bytes.count, 0, $0, length)
          }
        }
      }
      if sent == total { return sequence }
      if sent >= 0 {
        throw CaptureError.malformedReply(
          operation: "sendto(AF_NETLINK)", reason: "sent \(sent) of \(total) bytes")
      }
      if Glibc.errno != EINTR { throw CaptureError.fromErrno("sendto(AF_NETLINK)") }
    }
  }

  /// Waits up to `timeout` for one datagram from the kernel and returns the messages in it.
  ///
  /// Returns an empty array when the time runs out, when the datagram came from a process
  /// rather than the kernel, or when the kernel reports an overrun (`ENOBUFS`: messages were
  /// dropped because the receive buffer was full), which is counted in ``overruns``.
  func receive(timeout: Duration) throws -> [NetlinkMessage] {
    guard try waitReadable(timeout: timeout) else { return [] }
    var sender = sockaddr_nl()
    var senderLength = socklen_t(MemoryLayout<sockaddr_nl>.size)
    var received = 0
    while true {
      // MSG_TRUNC makes recvfrom return the real datagram length, so truncation is detectable.
      received = withUnsafeMutablePointer(to: &sender) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          recvfrom(
            descriptor, buffer.baseAddress, buffer.count,
            Int32(MSG_DONTWAIT | MSG_TRUNC), $0, &senderLength)
        }
      }
      if received >= 0 { break }
      switch Glibc.errno {
      case EINTR: continue
      case EAGAIN: return []
      case ENOBUFS:
        overruns += 1
        return []
      default: throw CaptureError.fromErrno("recvfrom(AF_NETLINK)")
      }
    }
    guard received <= buffer.count else {
      throw CaptureError.malformedReply(
        operation: "recvfrom(AF_NETLINK)",
        reason: "datagram of \(received) bytes exceeds the \(buffer.count)-byte buffer")
    }
    guard sender.nl_pid == 0 else { return [] }
    return splitMessages(count: received)
  }

  /// Polls the socket for input; returns false if `timeout` passes first.
  private func waitReadable(timeout: Duration) throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
      let remaining = clock.now.duration(to: deadline)
      let milliseconds = max(0, Self.milliseconds(rounding: remaining))
      var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
      let ready = poll(&request, 1, milliseconds)
      if ready > 0 { return true }
      if ready == 0 { return false }
      if Glibc.errno != EINTR { throw CaptureError.fromErrno("poll") }
    }
  }

  /// Splits the first `count` bytes of the buffer into messages with the NLMSG_* walking rules.
  private func splitMessages(count: Int) -> [NetlinkMessage] {
    guard let base = buffer.baseAddress else { return [] }
    var messages: [NetlinkMessage] = []
    var header = base.assumingMemoryBound(to: nlmsghdr.self)
    var remaining = UInt32(count)
    let headerLength = Int(rampart_nlmsg_hdrlen())
    // The audit quirk: the kernel sends each audit record (types from AUDIT_FIRST_USER_MSG up,
    // and LOGIN) alone in its datagram with an nlmsg_len that leaves out the 16-byte header, so
    // the NLMSG_* walk would cut the text short. Such a datagram is one message whose payload is
    // everything after the header.
    if family == .audit, count >= headerLength {
      let fields = header.pointee
      if fields.nlmsg_type >= UInt16(AUDIT_FIRST_USER_MSG) || fields.nlmsg_type == UInt16(AUDIT_LOGIN) {
        let payloadStart = UnsafeRawPointer(header) + headerLength
        return [
          NetlinkMessage(
            type: fields.nlmsg_type, flags: fields.nlmsg_flags, sequence: fields.nlmsg_seq,
            portID: fields.nlmsg_pid,
            payload: Array(UnsafeRawBufferPointer(start: payloadStart, count: count - headerLength)))
        ]
      }
    }
    while rampart_nlmsg_ok(header, remaining) != 0 {
      let fields = header.pointee
      let payloadLength = Int(fields.nlmsg_len) - headerLength
      let payloadStart = UnsafeRawPointer(header) + headerLength
      messages.append(
        NetlinkMessage(
          type: fields.nlmsg_type, flags: fields.nlmsg_flags, sequence: fields.nlmsg_seq,
          portID: fields.nlmsg_pid,
          payload: Array(UnsafeRawBufferPointer(start: payloadStart, count: payloadLength))))
      header = rampart_nlmsg_next(header, &remaining)
    }
    return messages
  }

  /// Converts a duration to whole milliseconds for `poll`, rounding up and capping at `Int32.max`.
  private static func milliseconds(rounding duration: Duration) -> Int32 {
    let (seconds, attoseconds) = duration.components
    if seconds < 0 { return 0 }
    if seconds >= Int64(Int32.max / 1000) { return Int32.max }
    let partial = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    return Int32(seconds * 1000 + partial)
  }
}

// MARK: - Kernel structure encoders and decoders

/// Copies the start of `bytes` over a zero-initialised value of a C structure.
///
/// Shorter input leaves the remaining fields zero, which is how newer fields read when an older
/// kernel sends a smaller structure; longer input (from a newer kernel) is cut to size.
private func decodeStructure<Value>(_ empty: Value, from bytes: ArraySlice<UInt8>) -> Value {
  var value = empty
  withUnsafeMutableBytes(of: &value) { destination in
    bytes.withUnsafeBytes { source in
      let count = min(destination.count, source.count)
      destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[0..<count]))
    }
  }
  return value
}

extension AuditStatus {
  /// The `AUDIT_GET` message type, which asks for the status and labels the reply.
  static let requestType = UInt16(AUDIT_GET)

  /// Decodes the `struct audit_status` payload of an `AUDIT_GET` reply.
  init(netlinkPayload payload: [UInt8]) throws {
    // The eight fields decoded here have been in the structure since the first audit kernels.
    let required = MemoryLayout<UInt32>.size * 8
    guard payload.count >= required else {
      throw CaptureError.malformedReply(
        operation: "AUDIT_GET",
        reason: "status payload of \(payload.count) bytes, expected at least \(required)")
    }
    let status = decodeStructure(audit_status(), from: payload[...])
    self.init(
      enabled: status.enabled, failure: status.failure, pid: status.pid,
      rateLimit: status.rate_limit, backlogLimit: status.backlog_limit, lost: status.lost,
      backlog: status.backlog)
  }
}

extension ProcConnector {
  /// The connector multicast group process events are sent to (`CN_IDX_PROC`), as a bind mask.
  static let multicastGroups = UInt32(1) << (UInt32(CN_IDX_PROC) - 1)

  /// Builds the `cn_msg` payload that starts (`listen`) or stops process-event delivery.
  ///
  /// The connector expects it in a netlink message of type `NLMSG_DONE` whose payload is a
  /// `struct cn_msg` addressed to `CN_IDX_PROC`/`CN_VAL_PROC`, followed by the 4-byte operation.
  static func controlPayload(listen: Bool, sequence: UInt32) -> [UInt8] {
    var operation = UInt32(
      listen ? PROC_CN_MCAST_LISTEN.rawValue : PROC_CN_MCAST_IGNORE.rawValue)
    var message = cn_msg()
    message.id.idx = UInt32(CN_IDX_PROC)
    message.id.val = UInt32(CN_VAL_PROC)
    message.seq = sequence
    message.ack = 0
    message.len = UInt16(MemoryLayout<UInt32>.size)
    var payload = withUnsafeBytes(of: &message) { Array($0) }
    withUnsafeBytes(of: &operation) { payload.append(contentsOf: $0) }
    return payload
  }
}

extension ProcConnector.Frame {
  /// Decodes the `cn_msg` + `struct proc_event` payload of a connector netlink message.
  init(connectorPayload payload: [UInt8]) {
    let headerSize = MemoryLayout<cn_msg>.size
    // proc_event's header: what (4 bytes), cpu (4), timestamp_ns (8).
    let eventHeaderSize = 16
    guard payload.count >= headerSize + eventHeaderSize else {
      self = .unrelated
      return
    }
    let message = decodeStructure(cn_msg(), from: payload[0..<headerSize])
    guard message.id.idx == UInt32(CN_IDX_PROC), message.id.val == UInt32(CN_VAL_PROC),
      Int(message.len) >= eventHeaderSize
    else {
      self = .unrelated
      return
    }
    let dataEnd = min(payload.count, headerSize + Int(message.len))
    let event = decodeStructure(proc_event(), from: payload[headerSize..<dataEnd])
    let data = event.event_data
    switch event.what {
    case PROC_EVENT_NONE:
      self = .acknowledgement(
        sequence: message.seq, acknowledgement: message.ack, error: Int32(bitPattern: data.ack.err))
    case PROC_EVENT_FORK:
      self = .event(
        .fork(
          parentPID: data.fork.parent_pid, parentTGID: data.fork.parent_tgid,
          childPID: data.fork.child_pid, childTGID: data.fork.child_tgid))
    case PROC_EVENT_EXEC:
      self = .event(.exec(pid: data.exec.process_pid, tgid: data.exec.process_tgid))
    case PROC_EVENT_UID:
      self = .event(
        .uid(
          pid: data.id.process_pid, tgid: data.id.process_tgid, real: data.id.r.ruid,
          effective: data.id.e.euid))
    case PROC_EVENT_GID:
      self = .event(
        .gid(
          pid: data.id.process_pid, tgid: data.id.process_tgid, real: data.id.r.rgid,
          effective: data.id.e.egid))
    case PROC_EVENT_SID:
      self = .event(.sid(pid: data.sid.process_pid, tgid: data.sid.process_tgid))
    case PROC_EVENT_PTRACE:
      self = .event(
        .ptrace(
          pid: data.ptrace.process_pid, tgid: data.ptrace.process_tgid,
          tracerPID: data.ptrace.tracer_pid, tracerTGID: data.ptrace.tracer_tgid))
    case PROC_EVENT_COMM:
      let name = withUnsafeBytes(of: data.comm.comm) { bytes in
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
      }
      self = .event(.comm(pid: data.comm.process_pid, tgid: data.comm.process_tgid, name: name))
    case PROC_EVENT_COREDUMP:
      self = .event(.coredump(pid: data.coredump.process_pid, tgid: data.coredump.process_tgid))
    case PROC_EVENT_EXIT:
      self = .event(
        .exit(
          pid: data.exit.process_pid, tgid: data.exit.process_tgid,
          status: data.exit.exit_code, exitSignal: data.exit.exit_signal))
    default:
      self = .event(.other(what: event.what.rawValue))
    }
  }
}

// MARK: - Audit rules, status changes and record delivery

/// Message types and constants of the audit netlink protocol used by `AuditFeed`.
enum AuditProtocol {
  static let setType = UInt16(AUDIT_SET)
  static let addRuleType = UInt16(AUDIT_ADD_RULE)
  static let deleteRuleType = UInt16(AUDIT_DEL_RULE)
  static let listRulesType = UInt16(AUDIT_LIST_RULES)
  /// `NLM_F_REQUEST | NLM_F_ACK`: a request whose success the kernel confirms.
  static let requestWithAcknowledgement = UInt16(NLM_F_REQUEST | NLM_F_ACK)
  /// `NLM_F_REQUEST | NLM_F_DUMP` for listing rules.
  static let dumpRequest = UInt16(NLM_F_REQUEST) | UInt16(NLM_F_ROOT | NLM_F_MATCH)
  /// The read-only multicast group (`AUDIT_NLGRP_READLOG`) as a bind mask; needs CAP_AUDIT_READ.
  static let readLogGroups = UInt32(1) << (UInt32(AUDIT_NLGRP_READLOG.rawValue) - 1)
  /// Record types at or above this are audit records (below are control messages).
  static let firstRecordType = UInt16(AUDIT_FIRST_USER_MSG)

  /// A `struct audit_status` asking to change `enabled` and/or the daemon `pid`.
  static func statusChange(enabled: UInt32?, daemonPID: UInt32?) -> [UInt8] {
    var status = audit_status()
    if let enabled {
      status.mask |= UInt32(AUDIT_STATUS_ENABLED)
      status.enabled = enabled
    }
    if let daemonPID {
      status.mask |= UInt32(AUDIT_STATUS_PID)
      status.pid = daemonPID
    }
    return withUnsafeBytes(of: &status) { Array($0) }
  }
}

extension AuditRule {
  /// Encodes the rule as `struct audit_rule_data` (flags, action, field_count, mask[64],
  /// fields[64], values[64], fieldflags[64], buflen, buf) for `AUDIT_ADD_RULE`/`AUDIT_DEL_RULE`.
  func encoded() throws -> [UInt8] {
    try validate()
    let slots = Int(AUDIT_MAX_FIELDS)
    var mask = [UInt32](repeating: 0, count: Int(AUDIT_BITMASK_SIZE))
    for number in syscalls {
      let word = Int(number) / 32
      guard word < mask.count else { continue }
      mask[word] |= UInt32(1) << (UInt32(number) % 32)
    }
    var fields = [UInt32](repeating: 0, count: slots)
    var values = [UInt32](repeating: 0, count: slots)
    var operators = [UInt32](repeating: 0, count: slots)
    var count = 0
    func add(_ field: UInt32, _ comparison: Comparison, _ value: UInt32) {
      fields[count] = field
      operators[count] = comparison == .equal ? UInt32(AUDIT_EQUAL) : UInt32(AUDIT_NOT_EQUAL)
      values[count] = value
      count += 1
    }
    add(UInt32(AUDIT_ARCH), .equal, architecture)
    for filter in filters {
      let field: UInt32
      switch filter.field {
      case .pid: field = UInt32(AUDIT_PID)
      case .ppid: field = UInt32(AUDIT_PPID)
      case .loginUID: field = UInt32(AUDIT_LOGINUID)
      case .session: field = UInt32(AUDIT_SESSIONID)
      case .exit: field = UInt32(AUDIT_EXIT)
      case .success: field = UInt32(AUDIT_SUCCESS)
      }
      add(field, filter.comparison, filter.value)
    }
    let keyBytes = Array(key.utf8)
    add(UInt32(AUDIT_FILTERKEY), .equal, UInt32(keyBytes.count))
    var words: [UInt32] = [UInt32(AUDIT_FILTER_EXIT), UInt32(AUDIT_ALWAYS), UInt32(count)]
    words += mask
    words += fields
    words += values
    words += operators
    words.append(UInt32(keyBytes.count))
    var bytes = words.withUnsafeBytes { Array($0) }
    bytes += keyBytes
    return bytes
  }
}
