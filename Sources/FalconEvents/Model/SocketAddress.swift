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
