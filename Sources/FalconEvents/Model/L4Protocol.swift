/// The transport protocol of a socket (`fd.l4proto`).
public enum L4Protocol: UInt8, Sendable, Hashable {
  /// Not a socket.
  case notApplicable
  /// A socket whose protocol is not known (an audit `connect` does not say).
  case unknown
  case tcp, udp, icmp, raw

  /// `tcp`, `udp`, `icmp`, `raw`, `<unknown>`, or `<NA>` for non-sockets.
  public var name: String {
    switch self {
    case .notApplicable: return "<NA>"
    case .unknown: return "<unknown>"
    case .tcp: return "tcp"
    case .udp: return "udp"
    case .icmp: return "icmp"
    case .raw: return "raw"
    }
  }
}
