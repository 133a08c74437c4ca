extension CapabilitySet {
  /// Decodes the three capability sets from the text of a `/proc/PID/status` file.
  ///
  /// Reads the `CapInh:`, `CapPrm:` and `CapEff:` lines (the bounding and ambient lines are
  /// ignored) and returns `nil` unless all three are present and well formed. This needs no system
  /// call beyond reading the file, so it suits enriching events for processes that may already be
  /// gone by the time `cap_get_pid` could ask.
  public init?(procStatus text: String) {
    var inheritable: Set<Int32>?
    var permitted: Set<Int32>?
    var effective: Set<Int32>?
    for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let key = line[..<colon]
      let value = String(line[line.index(after: colon)...])
      switch key {
      case "CapInh": inheritable = Self.decodeHexMask(value)
      case "CapPrm": permitted = Self.decodeHexMask(value)
      case "CapEff": effective = Self.decodeHexMask(value)
      default: continue
      }
    }
    guard let inheritable, let permitted, let effective else { return nil }
    self.init(effective: effective, permitted: permitted, inheritable: inheritable)
  }

  /// Decodes a capability mask written in hex, as in `CapEff:\t000001ffffffffff`.
  ///
  /// Surrounding whitespace is ignored and an optional `0x` prefix is accepted; bit *n* set
  /// means capability *n* is present. Returns `nil` for anything that is not 1 to 16 hex digits.
  public static func decodeHexMask(_ text: String) -> Set<Int32>? {
    var digits = Substring(text)
    while let first = digits.first, first.isWhitespace { digits.removeFirst() }
    while let last = digits.last, last.isWhitespace { digits.removeLast() }
    if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
    // Check the digits first: UInt64(_:radix:) would also accept a leading sign.
    guard (1...16).contains(digits.count), digits.allSatisfy(\.isHexDigit),
      let mask = UInt64(digits, radix: 16)
    else {
      return nil
    }
    var result: Set<Int32> = []
    for bit in 0..<64 where mask & (UInt64(1) << UInt64(bit)) != 0 {
      result.insert(Int32(bit))
    }
    return result
  }

  /// Encodes capabilities as the 16-digit lower-case hex mask `/proc/PID/status` uses.
  ///
  /// Numbers outside `0..<64` cannot appear in such a mask and are left out.
  public static func hexMask(_ capabilities: Set<Int32>) -> String {
    var mask: UInt64 = 0
    for capability in capabilities where (0..<64).contains(capability) {
      mask |= UInt64(1) << UInt64(capability)
    }
    let digits = String(mask, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
