/// An IPv4 or IPv6 address, stored inline in 17 bytes (no heap allocation).
///
/// IPv4 addresses keep their four bytes in the low 32 bits of `low`, in network order when read
/// as a big-endian number (`127.0.0.1` is `0x7F00_0001`). IPv6 addresses keep bytes 0-7 in `high`
/// and 8-15 in `low`, also big-endian. `description` prints the usual text forms: dotted quad, and
/// RFC 5952's compressed IPv6 form (`::1`, `fe80::1`).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
  /// Which family the address belongs to.
  public enum Family: UInt8, Sendable, Hashable {
    /// IPv4 (`AF_INET`).
    case ipv4
    /// IPv6 (`AF_INET6`).
    case ipv6
  }

  /// The address family.
  public let family: Family
  /// Bytes 0-7 of an IPv6 address (big-endian); zero for IPv4.
  public let high: UInt64
  /// Bytes 8-15 of an IPv6 address, or the IPv4 address in the low 32 bits (big-endian).
  public let low: UInt64

  /// Creates an IPv4 address from its 32-bit value (`0x7F00_0001` is `127.0.0.1`).
  public init(ipv4 value: UInt32) {
    family = .ipv4
    high = 0
    low = UInt64(value)
  }

  /// Creates an IPv6 address from its two 64-bit halves (big-endian).
  public init(ipv6High high: UInt64, low: UInt64) {
    family = .ipv6
    self.high = high
    self.low = low
  }

  /// Creates an address from 4 (IPv4) or 16 (IPv6) bytes in network order; nil for other lengths.
  public init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
    switch bytes.count {
    case 4:
      var value: UInt32 = 0
      for byte in bytes { value = value << 8 | UInt32(byte) }
      self.init(ipv4: value)
    case 16:
      var first: UInt64 = 0
      var second: UInt64 = 0
      for (index, byte) in bytes.enumerated() {
        if index < 8 {
          first = first << 8 | UInt64(byte)
        } else {
          second = second << 8 | UInt64(byte)
        }
      }
      self.init(ipv6High: first, low: second)
    default:
      return nil
    }
  }

  /// The IPv4 value (meaningful only when `family == .ipv4`).
  public var ipv4Value: UInt32 { UInt32(truncatingIfNeeded: low) }

  /// Whether every bit is zero (`0.0.0.0` or `::`), the "unspecified" address.
  public var isUnspecified: Bool { high == 0 && low == 0 }

  /// Whether this is a loopback address (`127.0.0.0/8` or `::1`).
  public var isLoopback: Bool {
    switch family {
    case .ipv4: return ipv4Value >> 24 == 127
    case .ipv6: return high == 0 && low == 1
    }
  }

  public var description: String {
    switch family {
    case .ipv4:
      let value = ipv4Value
      return "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    case .ipv6:
      return ipv6Text()
    }
  }

  /// RFC 5952 text: lower-case hex groups without leading zeros, the longest run of two or more
  /// zero groups (the first one on a tie) replaced by `::`.
  private func ipv6Text() -> String {
    var groups: [UInt16] = []
    groups.reserveCapacity(8)
    for shift in stride(from: 48, through: 0, by: -16) {
      groups.append(UInt16(truncatingIfNeeded: high >> UInt64(shift)))
    }
    for shift in stride(from: 48, through: 0, by: -16) {
      groups.append(UInt16(truncatingIfNeeded: low >> UInt64(shift)))
    }
    var bestStart = -1
    var bestLength = 1
    var runStart = -1
    for index in 0...8 {
      if index < 8, groups[index] == 0 {
        if runStart < 0 { runStart = index }
      } else if runStart >= 0 {
        let length = index - runStart
        if length > bestLength {
          bestStart = runStart
          bestLength = length
        }
        runStart = -1
      }
    }
    var text = ""
    var index = 0
    while index < 8 {
      if index == bestStart {
        text += "::"
        index += bestLength
        continue
      }
      if !text.isEmpty, !text.hasSuffix(":") { text += ":" }
      text += String(groups[index], radix: 16)
      index += 1
    }
    return text
  }
}
