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
