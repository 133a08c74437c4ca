/// A live subscription to the kernel's process-events connector: fork, exec, exit and more.
///
/// Creating an instance opens a `NETLINK_CONNECTOR` socket, joins the `CN_IDX_PROC` multicast
/// group and sends `PROC_CN_MCAST_LISTEN`; deallocating it sends `PROC_CN_MCAST_IGNORE` and closes
/// the socket. Events for every process on the host arrive in order per CPU. Kernels before 6.6
/// require `CAP_NET_ADMIN` in the initial user namespace to subscribe (newer ones also admit
/// unprivileged listeners): a refusal arrives as an error from ``nextEvents(timeout:)``. From a
/// non-initial user or PID namespace (most containers) the kernel ignores the request without
/// reply, so no events ever arrive and ``isAcknowledged`` stays false. Not thread-safe: read from
/// one thread.
public final class ProcConnector {
  /// One decoded connector message.
  enum Frame: Sendable, Equatable {
    /// A process event.
    case event(ProcEvent)
    /// The kernel's reply to a listen or ignore request, with its `errno` (0 for success).
    case acknowledgement(sequence: UInt32, acknowledgement: UInt32, error: Int32)
    /// A message for another connector, or too short to decode.
    case unrelated
  }

  /// The `NETLINK_CONNECTOR` socket joined to the process-events group.
  private let socket: NetlinkSocket
  /// The connector sequence number of our `PROC_CN_MCAST_LISTEN`, to recognise its reply.
  private let listenSequence: UInt32
  /// The receive-buffer size the kernel granted, in bytes (the kernel doubles the request).
  public let receiveBufferSize: Int
  /// Whether the kernel has confirmed the subscription.
  public private(set) var isAcknowledged = false

  /// How many times events were lost because the receive buffer overflowed.
  public var overruns: Int { socket.overruns }

  /// Subscribes to process events, asking for a receive buffer of `receiveBufferSize` bytes.
  ///
  /// A large buffer absorbs bursts (each event takes about 1 KiB of buffer accounting); asking
  /// beyond `net.core.rmem_max` works only with `CAP_NET_ADMIN`. Throws with
  /// `EPROTONOSUPPORT` when the kernel has no connector support.
  public init(receiveBufferSize: Int = 4 << 20) throws {
    socket = try NetlinkSocket(family: .connector)
    try socket.bind(groups: Self.multicastGroups)
    self.receiveBufferSize = try socket.setReceiveBufferSize(receiveBufferSize)
    let sequence = UInt32.random(in: 1...UInt32.max)
    listenSequence = sequence
    try socket.send(
      type: NetlinkMessage.doneType, flags: 0,
      payload: Self.controlPayload(listen: true, sequence: sequence))
  }

  deinit {
    // Best effort: the kernel also forgets a listener whose socket closes (Linux 6.6 and later).
    _ = try? socket.send(
      type: NetlinkMessage.doneType, flags: 0,
      payload: Self.controlPayload(listen: false, sequence: listenSequence &+ 1))
  }

  /// Waits up to `timeout` for process events and returns those that arrived, oldest first.
  ///
  /// Returns as soon as one datagram with events has been read, or an empty array when the time
  /// runs out. Throws ``CaptureError/system(operation:errno:)`` naming
  /// `PROC_CN_MCAST_LISTEN` if the kernel refused the subscription (usually `EPERM`).
  public func nextEvents(timeout: Duration) throws -> [ProcEvent] {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    repeat {
      var events: [ProcEvent] = []
      for message in try socket.receive(timeout: clock.now.duration(to: deadline)) {
        guard message.kind == .done || message.kind == .data else { continue }
        switch Frame(connectorPayload: message.payload) {
        case .event(let event):
          events.append(event)
        case .acknowledgement(let sequence, let acknowledgement, let error)
        where sequence == listenSequence && acknowledgement == 1:
          guard error == 0 else {
            throw CaptureError.system(operation: "PROC_CN_MCAST_LISTEN", errno: error)
          }
          isAcknowledged = true
        case .acknowledgement, .unrelated:
          continue
        }
      }
      if !events.isEmpty { return events }
    } while clock.now < deadline
    return []
  }
}
