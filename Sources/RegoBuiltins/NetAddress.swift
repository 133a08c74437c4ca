// IP addresses and networks with the semantics of Go's `net` package, which OPA's `net.cidr_*`
// builtins use directly: `net.ParseIP` (through `netip.ParseAddr`: no leading zeros in IPv4
// fields, no zones), `net.ParseCIDR`, `IPNet.Contains`, and `IP.String`/`IPNet.String`.
//
// Go keeps an address as 4 or 16 bytes and treats an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`)
// as IPv4 wherever it calls `To4`; these helpers keep the same representation so edge cases
// (mapped addresses, classful masks from `DefaultMask`) come out as OPA's do.

/// A Go `net.IP`: 4 or 16 bytes.
typealias NetIPBytes = [UInt8]

/// A Go `net.IPNet`: an address and a mask (each 4 or 16 bytes, not necessarily the same length).
struct NetIPNetwork: Sendable, Hashable {
  var ip: NetIPBytes
  var mask: [UInt8]
}

enum NetAddress {
  static let v4InV6Prefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]

  // MARK: Parsing

  /// Go's `net.ParseIP`: 16 bytes (IPv4 as IPv4-mapped), or nil.
  static func parseIP(_ text: String) -> NetIPBytes? {
    guard let parsed = parseAddress(text), !parsed.hasZone else { return nil }
    return parsed.bytes
  }

  /// Go's `net.ParseCIDR`: the address (16 bytes) and its network, or nil when invalid
  /// (callers report `invalid CIDR address: TEXT`).
  static func parseCIDR(_ text: String) -> (ip: NetIPBytes, network: NetIPNetwork)? {
    let bytes = Array(text.utf8)
    guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else { return nil }
    let addressText = String(decoding: bytes[..<slash], as: UTF8.self)
    guard let parsed = parseAddress(addressText), !parsed.hasZone else { return nil }
    let lengthBytes = bytes[(slash + 1)...]
    var length = 0
    var digits = 0
    for byte in lengthBytes {
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
      length = length * 10 + Int(byte - UInt8(ascii: "0"))
      digits += 1
      if length >= 0xFF_FFFF { return nil }
    }
    let bits = parsed.isIPv4 ? 32 : 128
    guard digits > 0, length <= bits else { return nil }
    let mask = cidrMask(ones: length, bits: bits)
    guard let network = applyMask(parsed.bytes, mask) else { return nil }
    return (parsed.bytes, NetIPNetwork(ip: network, mask: mask))
  }

  /// Go's `netip.ParseAddr`: the address as 16 bytes, whether it is a plain IPv4 address, and
  /// whether it carried a `%zone`.
  static func parseAddress(_ text: String) -> (bytes: NetIPBytes, isIPv4: Bool, hasZone: Bool)? {
    let bytes = Array(text.utf8)
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "."):
        guard let fields = parseIPv4Fields(bytes[...]) else { return nil }
        return (v4InV6Prefix + fields, true, false)
      case UInt8(ascii: ":"):
        guard let (address, zone) = parseIPv6(bytes) else { return nil }
        return (address, false, zone)
      case UInt8(ascii: "%"):
        return nil
      default:
        continue
      }
    }
    return nil
  }

  private static func parseIPv4Fields(_ text: ArraySlice<UInt8>) -> [UInt8]? {
    var fields: [UInt8] = []
    var value = 0
    var digits = 0
    var previous: UInt8 = 0
    var index = text.startIndex
    while index < text.endIndex {
      let byte = text[index]
      if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
        if digits == 1 && value == 0 { return nil }  // leading zero
        value = value * 10 + Int(byte - UInt8(ascii: "0"))
        digits += 1
        if value > 255 { return nil }
      } else if byte == UInt8(ascii: ".") {
        if index == text.startIndex || index == text.endIndex - 1 || previous == UInt8(ascii: ".") { return nil }
        if fields.count == 3 { return nil }
        fields.append(UInt8(value))
        value = 0
        digits = 0
      } else {
        return nil
      }
      previous = byte
      index += 1
    }
    guard fields.count == 3 else { return nil }
    fields.append(UInt8(value))
    return fields
  }

  private static func parseIPv6(_ input: [UInt8]) -> (NetIPBytes, Bool)? {
    var text = input[...]
    var hasZone = false
    if let percent = input.firstIndex(of: UInt8(ascii: "%")) {
      guard percent + 1 < input.count else { return nil }  // empty zone
      text = input[..<percent]
      hasZone = true
    }
    var address = [UInt8](repeating: 0, count: 16)
    var ellipsis = -1
    if text.count >= 2, text[text.startIndex] == UInt8(ascii: ":"), text[text.startIndex + 1] == UInt8(ascii: ":") {
      ellipsis = 0
      text = text.dropFirst(2)
      if text.isEmpty { return (address, hasZone) }
    }
    var filled = 0
    while filled < 16 {
      var digits = 0
      var accumulator: UInt32 = 0
      var index = text.startIndex
      while index < text.endIndex, let digit = hexValue(text[index]) {
        accumulator = accumulator << 4 + UInt32(digit)
        if digits >= 4 || accumulator > 0xFFFF { return nil }
        digits += 1
        index += 1
      }
      if digits == 0 { return nil }
      if index < text.endIndex, text[index] == UInt8(ascii: ".") {
        // Trailing IPv4 in the last 32 bits.
        if ellipsis < 0 && filled != 12 { return nil }
        if filled + 4 > 16 { return nil }
        guard let fields = parseIPv4Fields(text) else { return nil }
        address.replaceSubrange(filled..<(filled + 4), with: fields)
        text = text[text.endIndex...]
        filled += 4
        break
      }
      address[filled] = UInt8(accumulator >> 8)
      address[filled + 1] = UInt8(accumulator & 0xff)
      filled += 2
      text = text[index...]
      if text.isEmpty { break }
      guard text.first == UInt8(ascii: ":"), text.count > 1 else { return nil }
      text = text.dropFirst()
      if text.first == UInt8(ascii: ":") {
        if ellipsis >= 0 { return nil }
        ellipsis = filled
        text = text.dropFirst()
        if text.isEmpty { break }
      }
    }
    if !text.isEmpty { return nil }
    if filled < 16 {
      if ellipsis < 0 { return nil }
      let shift = 16 - filled
      var index = filled - 1
      while index >= ellipsis {
        address[index + shift] = address[index]
        index -= 1
      }
      for index in ellipsis..<(ellipsis + shift) { address[index] = 0 }
    } else if ellipsis >= 0 {
      return nil  // "::" must stand for at least one group
    }
    return (address, hasZone)
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
  }

  // MARK: Go's IP and mask operations

  /// Go's `IP.To4`: the 4-byte form of an IPv4 or IPv4-mapped address.
  static func to4(_ ip: NetIPBytes) -> NetIPBytes? {
    if ip.count == 4 { return ip }
    if ip.count == 16, Array(ip[0..<12]) == v4InV6Prefix { return Array(ip[12...]) }
    return nil
  }

  /// Go's `CIDRMask(ones, bits)`.
  static func cidrMask(ones: Int, bits: Int) -> [UInt8] {
    var mask = [UInt8](repeating: 0, count: bits / 8)
    var remaining = ones
    for index in 0..<mask.count {
      if remaining >= 8 {
        mask[index] = 0xff
        remaining -= 8
      } else {
        mask[index] = UInt8(truncatingIfNeeded: ~(0xff >> remaining))
        remaining = 0
      }
    }
    return mask
  }

  /// Go's `IP.Mask`; nil when the lengths cannot be reconciled.
  static func applyMask(_ ip: NetIPBytes, _ mask: [UInt8]) -> NetIPBytes? {
    var ip = ip
    var mask = mask
    if mask.count == 16, ip.count == 4, mask[0..<12].allSatisfy({ $0 == 0xff }) { mask = Array(mask[12...]) }
    if mask.count == 4, ip.count == 16, Array(ip[0..<12]) == v4InV6Prefix { ip = Array(ip[12...]) }
    guard ip.count == mask.count else { return nil }
    return zip(ip, mask).map { $0 & $1 }
  }

  /// Go's `networkNumberAndMask`: the network's address and mask at a common length.
  static func networkAndMask(_ network: NetIPNetwork) -> (NetIPBytes, [UInt8])? {
    var ip: NetIPBytes
    if let four = to4(network.ip) {
      ip = four
    } else {
      ip = network.ip
      guard ip.count == 16 else { return nil }
    }
    var mask = network.mask
    switch mask.count {
    case 4:
      guard ip.count == 4 else { return nil }
    case 16:
      if ip.count == 4 { mask = Array(mask[12...]) }
    default:
      return nil
    }
    return (ip, mask)
  }

  /// Go's `IPNet.Contains`.
  static func contains(_ network: NetIPNetwork, _ ip: NetIPBytes) -> Bool {
    guard let (address, mask) = networkAndMask(network) else { return false }
    let candidate = to4(ip) ?? ip
    guard candidate.count == address.count else { return false }
    for index in 0..<candidate.count where address[index] & mask[index] != candidate[index] & mask[index] {
      return false
    }
    return true
  }

  /// The prefix length of a contiguous mask, or nil (Go's `simpleMaskLength`).
  static func prefixLength(_ mask: [UInt8]) -> Int? {
    var ones = 0
    var seenZero = false
    for byte in mask {
      for bit in (0..<8).reversed() {
        if byte >> bit & 1 == 1 {
          if seenZero { return nil }
          ones += 1
        } else {
          seenZero = true
        }
      }
    }
    return ones
  }

  // MARK: Text

  /// Go's `IP.String`: dotted IPv4 (also for IPv4-mapped), RFC 5952 IPv6.
  static func string(_ ip: NetIPBytes) -> String {
    if ip.isEmpty { return "<nil>" }
    if let four = to4(ip) { return four.map { String($0) }.joined(separator: ".") }
    guard ip.count == 16 else { return "?" + ip.map { hex2($0) }.joined() }
    var groups: [Int] = []
    for index in stride(from: 0, to: 16, by: 2) { groups.append(Int(ip[index]) << 8 | Int(ip[index + 1])) }
    // The first longest run of two or more zero groups becomes "::".
    var zeroStart = -1
    var zeroLength = 0
    var index = 0
    while index < 8 {
      var end = index
      while end < 8, groups[end] == 0 { end += 1 }
      if end - index >= 2, end - index > zeroLength {
        zeroStart = index
        zeroLength = end - index
      }
      index += 1
    }
    var out = ""
    index = 0
    while index < 8 {
      if index == zeroStart {
        out += "::"
        index += zeroLength
        continue
      }
      if !out.isEmpty, !out.hasSuffix(":") { out += ":" }
      out += String(groups[index], radix: 16)
      index += 1
    }
    return out
  }

  /// Go's `IPNet.String`: `address/prefix`, or `address/hexmask` for a non-contiguous mask.
  static func string(_ network: NetIPNetwork) -> String {
    guard let (address, mask) = networkAndMask(network) else { return "<nil>" }
    if let length = prefixLength(mask) { return string(address) + "/" + String(length) }
    return string(address) + "/" + mask.map { hex2($0) }.joined()
  }

  private static func hex2(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0f)])
  }

  // MARK: 128-bit arithmetic for ranges

  static func integer(_ bytes: [UInt8]) -> UInt128 {
    bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
  }

  static func bytes(_ value: UInt128, count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt128(count - 1 - $0))) }
  }
}
