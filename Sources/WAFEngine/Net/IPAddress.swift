#if canImport(Glibc)
  internal import Glibc
#endif

/// An IPv4 or IPv6 address, stored as a 128-bit value plus its family.
///
/// IPv4 addresses keep their 32 bits in the low end of `value`. IPv4-mapped IPv6 addresses
/// (`::ffff:192.0.2.1`) are normalised to IPv4 when parsed or created, so a client that reaches a
/// dual-stack socket as `::ffff:192.0.2.1` matches the IPv4 lists and rules written for
/// `192.0.2.1`, as ModSecurity and AWS WAF users expect.
///
/// Parsing uses the C library's `inet_pton`, which is strict: IPv4 is exactly four decimal parts
/// (no `10.1`, no octal `010`), IPv6 is RFC 4291 text without a zone (`%eth0`) or brackets.
///
///     IPAddress("192.0.2.1")          // v4
///     IPAddress("2001:db8::1")        // v6
///     IPAddress("::ffff:192.0.2.1")   // v4 192.0.2.1
public struct IPAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The address family.
  public enum Family: UInt8, Sendable, Hashable {
    /// IPv4: 32 bits.
    case v4 = 4
    /// IPv6: 128 bits.
    case v6 = 6

    /// The number of bits in an address of this family (32 or 128).
    public var bitWidth: Int { self == .v4 ? 32 : 128 }
  }

  /// The address bits. IPv4 uses the low 32 bits; the others are zero.
  public let value: UInt128
  /// The family.
  public let family: Family

  /// Creates an IPv4 address from its 32 bits in host order (`0xC0000201` is `192.0.2.1`).
  public init(v4 bits: UInt32) {
    value = UInt128(bits)
    family = .v4
  }

  /// Creates an IPv6 address from its 128 bits; an IPv4-mapped address becomes IPv4.
  public init(v6 bits: UInt128) {
    if bits >> 32 == 0xFFFF {
      value = bits & 0xFFFF_FFFF
      family = .v4
    } else {
      value = bits
      family = .v6
    }
  }

  /// Creates an address from raw parts, without normalisation.
  init(rawValue: UInt128, family: Family) {
    self.value = rawValue
    self.family = family
  }

  /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text; `nil` when the text is neither.
  public init?(_ text: some StringProtocol) {
    guard let parsed = IPAddress.parse(String(text)) else { return nil }
    self = parsed
  }

  /// The number of bits in this address's family (32 or 128).
  public var bitWidth: Int { family.bitWidth }

  /// The IPv4 bits; meaningful only when `family == .v4`.
  public var v4Bits: UInt32 { UInt32(truncatingIfNeeded: value) }

  /// The canonical text form (`inet_ntop`): `192.0.2.1`, `2001:db8::1`.
  public var description: String {
    var buffer = [CChar](repeating: 0, count: 64)
    var bytes = family == .v4 ? Array(IPAddress.bytes(of: value).suffix(4)) : IPAddress.bytes(of: value)
    let ok = buffer.withUnsafeMutableBufferPointer { out in
      bytes.withUnsafeMutableBytes { raw in
        inet_ntop(family == .v4 ? AF_INET : AF_INET6, raw.baseAddress, out.baseAddress, socklen_t(out.count))
          != nil
      }
    }
    guard ok, let end = buffer.firstIndex(of: 0) else { return "?" }
    return String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// IPv4 sorts before IPv6; within a family, numerically.
  public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
    if lhs.family != rhs.family { return lhs.family == .v4 }
    return lhs.value < rhs.value
  }

  // MARK: - Parsing

  /// Parses text with `inet_pton`, trying IPv4 first when the text has no colon.
  static func parse(_ text: String) -> IPAddress? {
    if text.utf8.contains(UInt8(ascii: ":")) {
      var bytes = [UInt8](repeating: 0, count: 16)
      let ok = bytes.withUnsafeMutableBytes { raw in
        text.withCString { inet_pton(AF_INET6, $0, raw.baseAddress) }
      }
      guard ok == 1 else { return nil }
      var bits: UInt128 = 0
      for byte in bytes { bits = bits << 8 | UInt128(byte) }
      return IPAddress(v6: bits)
    }
    var raw = in_addr()
    let ok = text.withCString { inet_pton(AF_INET, $0, &raw) }
    guard ok == 1 else { return nil }
    return IPAddress(v4: UInt32(bigEndian: raw.s_addr))
  }

  /// The 16 bytes of a 128-bit value, most significant first (network order).
  static func bytes(of bits: UInt128) -> [UInt8] {
    (0..<16).map { UInt8(truncatingIfNeeded: bits >> (8 * (15 - $0))) }
  }
}
