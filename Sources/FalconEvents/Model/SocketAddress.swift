/// A socket address as a system call passed it (`connect`, `bind`, `sendto`) or returned it
/// (`accept`), decoded from a raw `struct sockaddr`.
///
/// This is what Falco's `PT_SOCKADDR` parameters carry (`evt.arg.addr` of `connect` and `bind`).
public enum SocketAddress: Sendable, Hashable, CustomStringConvertible {
  /// An IPv4 (`AF_INET`) or IPv6 (`AF_INET6`) address and port.
  case inet(SocketEndpoint)
  /// A Unix-domain socket (`AF_UNIX`): a file-system path, or an abstract name shown with a
  /// leading `@` in place of the kernel's leading NUL byte (as `ss` and libsinsp show it).
  case unix(path: String)
  /// A netlink socket (`AF_NETLINK`): the port ID (usually a process ID, 0 for the kernel) and
  /// the multicast group mask.
  case netlink(portID: UInt32, groups: UInt32)
  /// Any other family (including `AF_UNSPEC`, which `connect` uses to dissolve a UDP
  /// association), with the bytes after the family field.
  case other(family: UInt16, bytes: [UInt8])

  /// The address family number (`AF_INET` 2, `AF_INET6` 10, `AF_UNIX` 1, `AF_NETLINK` 16).
  public var family: UInt16 {
    switch self {
    case .inet(let endpoint): return endpoint.address.family == .ipv4 ? 2 : 10
    case .unix: return 1
    case .netlink: return 16
    case .other(let family, _): return family
    }
  }

  /// The endpoint of an `inet` address, nil for other families.
  public var endpoint: SocketEndpoint? {
    if case .inet(let endpoint) = self { return endpoint }
    return nil
  }

  /// `127.0.0.1:80`, `/run/dbus/system_bus_socket`, `netlink:0`, or `family 0`.
  public var description: String {
    switch self {
    case .inet(let endpoint): return endpoint.description
    case .unix(let path): return path
    case .netlink(let portID, _): return "netlink:\(portID)"
    case .other(let family, _): return "family \(family)"
    }
  }
}

/// Both ends of a connection, as Falco's `PT_SOCKTUPLE` parameters carry them
/// (`evt.arg.tuple` of `connect` and `accept`).
///
/// A side is nil when the source did not report it: an audit `SOCKADDR` record has only the
/// address the call passed or received, never the socket's own local address.
public struct SocketTuple: Sendable, Hashable, CustomStringConvertible {
  /// The connecting (client) side.
  public var source: SocketAddress?
  /// The accepting (server) side.
  public var destination: SocketAddress?

  /// Creates a tuple.
  public init(source: SocketAddress?, destination: SocketAddress?) {
    self.source = source
    self.destination = destination
  }

  /// `source->destination`, an unknown side printed empty (libsinsp's `sip:sport->dip:dport`).
  public var description: String {
    "\(source?.description ?? "")->\(destination?.description ?? "")"
  }
}

/// An IP address with a port: one side of a connection.
public struct SocketEndpoint: Sendable, Hashable, CustomStringConvertible {
  /// The address.
  public var address: IPAddress
  /// The port in host order.
  public var port: UInt16

  /// Creates an endpoint.
  public init(address: IPAddress, port: UInt16) {
    self.address = address
    self.port = port
  }

  /// `127.0.0.1:80`, or `::1:80` for IPv6 (libsinsp's fd-name form, without brackets).
  public var description: String { "\(address):\(port)" }
}
