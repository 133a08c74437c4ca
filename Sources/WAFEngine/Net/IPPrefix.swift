/// A CIDR prefix: a network address and a prefix length (`10.0.0.0/8`, `2001:db8::/32`).
///
/// A bare address is a host prefix (`/32` for IPv4, `/128` for IPv6). **Host bits are accepted and
/// masked**: `192.168.1.5/24` is `192.168.1.0/24`. That is what `ipset` and FireHOL's `iprange`
/// do with the lists people download, and rejecting such a line would throw away a whole list
/// for a cosmetic slip. An IPv4-mapped IPv6 prefix of length 96 or more (`::ffff:10.0.0.0/104`)
/// becomes the IPv4 prefix it covers (`10.0.0.0/8`).
public struct IPPrefix: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The network address, host bits cleared.
  public let address: IPAddress
  /// The prefix length: 0...32 for IPv4, 0...128 for IPv6.
  public let length: Int

  /// Creates a prefix, clearing the host bits of `address`. `length` is clamped to the family.
  public init(address: IPAddress, length: Int) {
    let clamped = min(max(length, 0), address.bitWidth)
    let mask = IPPrefix.mask(length: clamped, bitWidth: address.bitWidth)
    self.address = address.family == .v4
      ? IPAddress(v4: UInt32(truncatingIfNeeded: address.value & mask))
      : IPAddress(v6: address.value & mask)
    self.length = clamped
  }

  /// The host prefix of one address (`/32` or `/128`).
  public init(host address: IPAddress) {
    self.address = address
    self.length = address.bitWidth
  }

  /// Parses `address/length` or a bare address.
  /// - Throws: `IPFormatError` saying what is wrong (not an address, length out of range).
  public init(parsing text: some StringProtocol) throws(IPFormatError) {
    let text = String(text)
    guard let slash = text.utf8.firstIndex(of: UInt8(ascii: "/")) else {
      guard let address = IPAddress.parse(text) else {
        throw IPFormatError("'\(text)' is not an IPv4 or IPv6 address")
      }
      self.init(host: address)
      return
    }
    let addressText = String(text[..<slash])
    let lengthText = text.utf8[text.utf8.index(after: slash)...]
    guard !lengthText.isEmpty, lengthText.count <= 3, lengthText.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
      throw IPFormatError("'\(text)' has no valid prefix length after '/'")
    }
    let length = lengthText.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    if addressText.utf8.contains(UInt8(ascii: ":")) {
      // Parse as IPv6 first so the length is checked against 128 before IPv4-mapped normalisation.
      guard let address = IPAddress.parse(addressText) else {
        throw IPFormatError("'\(addressText)' is not an IPv6 address")
      }
      guard length <= 128 else { throw IPFormatError("prefix length \(length) is more than 128 in '\(text)'") }
      if address.family == .v4 {
        // IPv4-mapped: /96 and longer map onto the IPv4 space; shorter prefixes stay IPv6.
        if length >= 96 {
          self.init(address: address, length: length - 96)
        } else {
          self.init(address: IPAddress(v6Raw: address.value | (0xFFFF << 32)), length: length)
        }
        return
      }
      self.init(address: address, length: length)
    } else {
      guard let address = IPAddress.parse(addressText) else {
        throw IPFormatError("'\(addressText)' is not an IPv4 address")
      }
      guard length <= 32 else { throw IPFormatError("prefix length \(length) is more than 32 in '\(text)'") }
      self.init(address: address, length: length)
    }
  }

  /// Whether `address` is inside this prefix (same family, same leading `length` bits).
  public func contains(_ address: IPAddress) -> Bool {
    guard address.family == self.address.family else { return false }
    let mask = IPPrefix.mask(length: length, bitWidth: address.bitWidth)
    return address.value & mask == self.address.value
  }

  /// `address/length` in canonical form.
  public var description: String { "\(address)/\(length)" }

  /// Orders by address, then by length (shorter first).
  public static func < (lhs: IPPrefix, rhs: IPPrefix) -> Bool {
    if lhs.address != rhs.address { return lhs.address < rhs.address }
    return lhs.length < rhs.length
  }

  /// The network mask of a prefix length, in the low `bitWidth` bits of a 128-bit value.
  static func mask(length: Int, bitWidth: Int) -> UInt128 {
    if length == 0 { return 0 }
    let ones: UInt128 = bitWidth == 128 ? ~0 : (UInt128(1) << bitWidth) - 1
    return ones & ~(ones >> length)
  }
}

/// Why a piece of text is not an IP address or CIDR prefix.
public struct IPFormatError: Error, Sendable, Hashable, CustomStringConvertible {
  /// A one-line message that quotes the text.
  public var message: String

  /// Creates an error with a message.
  public init(_ message: String) { self.message = message }

  public var description: String { message }
}

extension IPAddress {
  /// An IPv6 address without IPv4-mapped normalisation (for mapped prefixes shorter than /96).
  init(v6Raw bits: UInt128) {
    self.init(rawValue: bits, family: .v6)
  }
}
