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
