import Glibc

/// `@rbl zone`: a DNS block-list query. The client address is reversed (IPv4 `1.2.3.4` becomes
/// `4.3.2.1.zone`, IPv6 by nibbles) and the name resolved; the operator matches when it resolves,
/// as ModSecurity's does. Lookups go through the system resolver (getaddrinfo), so they take as
/// long as DNS does; a failure or an unparsable address is "no match", never an error.
enum RBLLookup {
  static func queryName(for address: String, zone: String) -> String? {
    guard let ip = IPAddress(address) else { return nil }
    var labels: [String] = []
    switch ip.family {
    case .v4:
      let v = ip.v4Bits
      labels = [v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF, v >> 24].map { String($0) }
    case .v6:
      var value = ip.value
      for _ in 0..<32 {
        labels.append(String(UInt8(truncatingIfNeeded: value & 0xF), radix: 16))
        value >>= 4
      }
    }
    return labels.joined(separator: ".") + "." + zone
  }

  static func listed(_ address: String, zone: String) -> Bool {
    guard let name = queryName(for: address, zone: zone) else { return false }
    var hints = addrinfo()
    hints.ai_family = AF_INET
    var result: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(name, nil, &hints, &result)
    if let result { freeaddrinfo(result) }
    return status == 0
  }
}
