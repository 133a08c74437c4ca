#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif
internal import PolicyCore

/// Byte-level string operators with libsinsp's semantics (ASCII case folding, fnmatch globs,
/// whole-string regular expressions).
enum StringMatching {
  /// Whether `haystack` contains `needle` as bytes.
  static func contains(_ haystack: String, _ needle: String) -> Bool {
    if needle.isEmpty { return true }
    var haystack = haystack
    var needle = needle
    return haystack.withUTF8 { hay in
      needle.withUTF8 { pin in
        guard hay.count >= pin.count, let hayBase = hay.baseAddress, let pinBase = pin.baseAddress else { return false }
        return search(hayBase, hay.count, pinBase, pin.count)
      }
    }
  }

  /// Finds `needle` in `haystack` with memchr on the first byte and memcmp on the rest.
  static func search(_ haystack: UnsafePointer<UInt8>, _ count: Int, _ needle: UnsafePointer<UInt8>, _ needleCount: Int) -> Bool {
    let first = Int32(needle[0])
    var offset = 0
    let last = count - needleCount
    while offset <= last {
      guard let found = memchr(haystack + offset, first, last - offset + 1) else { return false }
      let position = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - haystack
      if memcmp(haystack + position, needle, needleCount) == 0 { return true }
      offset = position + 1
    }
    return false
  }

  /// Whether `haystack` contains `needle` (already lower case), comparing the haystack's bytes
  /// ASCII case-insensitively, as `icontains` does.
  static func searchFolded(_ haystack: UnsafePointer<UInt8>, _ count: Int, _ needle: UnsafePointer<UInt8>, _ needleCount: Int) -> Bool {
    if needleCount == 0 { return true }
    guard count >= needleCount else { return false }
    var offset = 0
    while offset <= count - needleCount {
      var index = 0
      while index < needleCount {
        var byte = haystack[offset + index]
        if byte >= 0x41 && byte <= 0x5a { byte += 0x20 }
        if byte != needle[index] { break }
        index += 1
      }
      if index == needleCount { return true }
      offset += 1
    }
    return false
  }

  /// Whether `value` starts with `prefix`, bytewise.
  static func hasPrefix(_ value: String, _ prefix: String) -> Bool {
    value.utf8.starts(with: prefix.utf8)
  }

  /// Whether `value` ends with `suffix`, bytewise.
  static func hasSuffix(_ value: String, _ suffix: String) -> Bool {
    let valueBytes = value.utf8
    let suffixBytes = suffix.utf8
    guard valueBytes.count >= suffixBytes.count else { return false }
    return valueBytes.suffix(suffixBytes.count).elementsEqual(suffixBytes)
  }

  /// ASCII lower case (libsinsp folds bytes, not Unicode).
  static func lowercased(_ value: String) -> String {
    var bytes = Array(value.utf8)
    var changed = false
    for index in bytes.indices where bytes[index] >= 0x41 && bytes[index] <= 0x5a {
      bytes[index] += 0x20
      changed = true
    }
    return changed ? String(decoding: bytes, as: UTF8.self) : value
  }

  /// ASCII upper case.
  static func uppercased(_ value: String) -> String {
    var bytes = Array(value.utf8)
    var changed = false
    for index in bytes.indices where bytes[index] >= 0x61 && bytes[index] <= 0x7a {
      bytes[index] -= 0x20
      changed = true
    }
    return changed ? String(decoding: bytes, as: UTF8.self) : value
  }

  /// `fnmatch(3)` with no flags, or case-insensitive.
  static func glob(_ pattern: String, _ value: String, caseInsensitive: Bool) -> Bool {
    fnmatch(pattern, value, caseInsensitive ? (1 << 4) : 0) == 0
  }

  /// libsinsp's `pmatch`: the value is at or below the pattern path, component by component,
  /// each pattern component a glob (`/opt/*/subdir` covers `/opt/dir/subdir/file`).
  static func pathPrefix(_ pattern: [Substring], _ value: String) -> Bool {
    let parts = value.split(separator: "/", omittingEmptySubsequences: true)
    guard parts.count >= pattern.count else { return false }
    for (component, part) in zip(pattern, parts) {
      if component == part { continue }
      if !glob(String(component), String(part), caseInsensitive: false) { return false }
    }
    return true
  }

  /// Splits a pmatch pattern into components.
  static func pathComponents(_ pattern: String) -> [Substring] {
    pattern.split(separator: "/", omittingEmptySubsequences: true)
  }

  /// A whole-string regular expression (libsinsp uses RE2's full match).
  static func fullMatchRegex(_ pattern: String) throws(Diagnostic) -> PCRE2Regex {
    try PCRE2Regex("(?:" + pattern + ")\\z", options: [.anchored])
  }

  /// Decodes standard base64 (with or without padding); nil when it is not base64.
  static func base64Decode(_ text: String) -> [UInt8]? {
    var output: [UInt8] = []
    var buffer: UInt32 = 0
    var bits = 0
    for byte in text.utf8 {
      let value: UInt8
      switch byte {
      case 0x41...0x5a: value = byte - 0x41
      case 0x61...0x7a: value = byte - 0x61 + 26
      case 0x30...0x39: value = byte - 0x30 + 52
      case 0x2b: value = 62
      case 0x2f: value = 63
      case 0x3d: continue
      default: return nil
      }
      buffer = (buffer << 6) | UInt32(value)
      bits += 6
      if bits >= 8 {
        bits -= 8
        output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
      }
    }
    return output
  }

  /// Reads hex text (`6100`) as bytes; nil when odd or not hex.
  static func hexBytes(_ text: String) -> [UInt8]? {
    let digits = Array(text.utf8)
    guard digits.count % 2 == 0 else { return nil }
    var bytes: [UInt8] = []
    var index = 0
    while index < digits.count {
      guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
      bytes.append(high << 4 | low)
      index += 2
    }
    return bytes
  }

  private static func hexValue(_ digit: UInt8) -> UInt8? {
    switch digit {
    case 0x30...0x39: return digit - 0x30
    case 0x61...0x66: return digit - 0x61 + 10
    case 0x41...0x46: return digit - 0x41 + 10
    default: return nil
    }
  }

  /// Whether `haystack` contains `needle`.
  static func bytesContain(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    if needle.isEmpty { return true }
    guard haystack.count >= needle.count else { return false }
    return haystack.withUnsafeBufferPointer { hay in
      needle.withUnsafeBufferPointer { pin in
        guard let hayBase = hay.baseAddress, let pinBase = pin.baseAddress else { return false }
        return search(hayBase, hay.count, pinBase, pin.count)
      }
    }
  }
}

/// Reading address and network constants.
enum NetworkParsing {
  /// An IPv4 or IPv6 address.
  static func address(_ text: String) -> IPAddressValue? {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 {
      let value = UInt32(bigEndian: v4.s_addr)
      return IPAddressValue(isV6: false, high: 0, low: UInt64(value))
    }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, text, &v6) == 1 {
      let bytes = withUnsafeBytes(of: v6) { Array($0) }
      var high: UInt64 = 0
      var low: UInt64 = 0
      for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
      for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
      return IPAddressValue(isV6: true, high: high, low: low)
    }
    return nil
  }

  /// `10.0.0.0/8`, `2001::/16`, or a plain address (a host network).
  static func network(_ text: String) -> IPNetworkValue? {
    let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    guard let first = parts.first, let base = address(String(first)) else { return nil }
    let maximum = base.isV6 ? 128 : 32
    var length = maximum
    if parts.count == 2 {
      guard let parsed = Int(parts[1]), parsed >= 0, parsed <= maximum else { return nil }
      length = parsed
    }
    return IPNetworkValue(base: base, prefixLength: length)
  }
}

/// An address as two 64-bit halves (IPv4 in the low 32 bits).
struct IPAddressValue: Hashable, Sendable {
  var isV6: Bool
  var high: UInt64
  var low: UInt64
}

/// An address with a prefix length.
struct IPNetworkValue: Hashable, Sendable {
  var base: IPAddressValue
  var prefixLength: Int

  func contains(_ address: IPAddressValue) -> Bool {
    guard address.isV6 == base.isV6 else { return false }
    if !base.isV6 {
      let mask: UInt64 = prefixLength == 0 ? 0 : (0xFFFF_FFFF << UInt64(32 - prefixLength)) & 0xFFFF_FFFF
      return address.low & mask == base.low & mask
    }
    let highBits = min(prefixLength, 64)
    let lowBits = max(prefixLength - 64, 0)
    let highMask: UInt64 = highBits == 0 ? 0 : ~0 << UInt64(64 - highBits)
    let lowMask: UInt64 = lowBits == 0 ? 0 : ~0 << UInt64(64 - lowBits)
    return address.high & highMask == base.high & highMask && address.low & lowMask == base.low & lowMask
  }
}
