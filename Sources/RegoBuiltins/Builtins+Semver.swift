internal import PolicyCore

// The `semver` family. OPA reference: topdown/semver.go and internal/semver: SemVer 2.0.0 with
// an optional leading "v", decimal int64 components, and pre-release precedence per spec item 11.

extension BuiltinRegistry {
  /// Adds the semver family. Keep entries sorted.
  mutating func registerSemver() {
    /// `semver.compare(a, b)`: -1, 0 or 1 by SemVer precedence (build metadata is ignored).
    ///
    ///     semver.compare("1.0.0-alpha", "1.0.0")   # -1
    add("semver.compare", arity: 2, category: "semver") { arguments, _ throws(BuiltinError) in
      let first = try arguments.string(0)
      let second = try arguments.string(1)
      guard let a = SemanticVersion(first) else {
        throw .failure("operand 1: string \(goQuote(first)) is not a valid SemVer")
      }
      guard let b = SemanticVersion(second) else {
        throw .failure("operand 2: string \(goQuote(second)) is not a valid SemVer")
      }
      return .int(a.compare(b))
    }
    /// `semver.is_valid(version)`: whether the operand is a valid SemVer string; never an error.
    add("semver.is_valid", arity: 1, category: "semver") { arguments, _ throws(BuiltinError) in
      guard case .string(let text) = arguments[0] else { return .bool(false) }
      return .bool(SemanticVersion(text) != nil)
    }
  }
}

/// A parsed semantic version.
private struct SemanticVersion {
  var major: Int64
  var minor: Int64
  var patch: Int64
  var preRelease: [UInt8]

  init?(_ text: String) {
    var rest = Array(text.utf8)[...]
    if rest.first == UInt8(ascii: "v") { rest = rest.dropFirst() }
    // Metadata after the first "+", pre-release after the first "-" of what remains.
    if let plus = rest.firstIndex(of: UInt8(ascii: "+")) {
      let metadata = rest[(plus + 1)...]
      if !metadata.isEmpty && !SemanticVersion.validIdentifiers(metadata) { return nil }
      rest = rest[..<plus]
    }
    var preRelease: ArraySlice<UInt8> = []
    if let dash = rest.firstIndex(of: UInt8(ascii: "-")) {
      preRelease = rest[(dash + 1)...]
      if !preRelease.isEmpty && !SemanticVersion.validIdentifiers(preRelease) { return nil }
      rest = rest[..<dash]
    }
    let parts = rest.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    guard parts.count == 3,
      let major = SemanticVersion.integer(parts[0]),
      let minor = SemanticVersion.integer(parts[1]),
      let patch = SemanticVersion.integer(parts[2])
    else { return nil }
    self.major = major
    self.minor = minor
    self.patch = patch
    self.preRelease = Array(preRelease)
  }

  /// Go's `strconv.ParseInt(s, 10, 64)`: optional sign, decimal digits, no overflow.
  private static func integer(_ text: ArraySlice<UInt8>) -> Int64? {
    var digits = text
    var negative = false
    if let sign = digits.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
      negative = sign == UInt8(ascii: "-")
      digits = digits.dropFirst()
    }
    guard !digits.isEmpty else { return nil }
    var magnitude: UInt64 = 0
    for digit in digits {
      guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
      let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
      guard !overflow else { return nil }
      magnitude = product + UInt64(digit - UInt8(ascii: "0"))
      if magnitude > UInt64(Int64.max) + (negative ? 1 : 0) { return nil }
    }
    return negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
  }

  /// `^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$`
  private static func validIdentifiers(_ text: ArraySlice<UInt8>) -> Bool {
    for identifier in text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
      guard !identifier.isEmpty else { return false }
      for byte in identifier {
        let isAlphanumeric =
          (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
          || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
          || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
        guard isAlphanumeric || byte == UInt8(ascii: "-") else { return false }
      }
    }
    return true
  }

  func compare(_ other: SemanticVersion) -> Int {
    if major != other.major { return major > other.major ? 1 : -1 }
    if minor != other.minor { return minor > other.minor ? 1 : -1 }
    if patch != other.patch { return patch > other.patch ? 1 : -1 }
    if preRelease == other.preRelease { return 0 }
    // A version without a pre-release ranks above one with.
    if preRelease.isEmpty { return 1 }
    if other.preRelease.isEmpty { return -1 }
    let ours = preRelease.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    let theirs = other.preRelease.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    for index in 0..<min(ours.count, theirs.count) {
      let a = ours[index]
      let b = theirs[index]
      let aNumeric = a.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
      let bNumeric = b.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
      // Numeric identifiers rank below alphanumeric ones.
      if aNumeric && !bNumeric { return -1 }
      if !aNumeric && bNumeric { return 1 }
      if aNumeric {
        let x = SemanticVersion.clampedInteger(a)
        let y = SemanticVersion.clampedInteger(b)
        if x != y { return x > y ? 1 : -1 }
      } else if !a.elementsEqual(b) {
        return a.lexicographicallyPrecedes(b) ? -1 : 1
      }
    }
    // More identifiers rank higher when all shared ones are equal.
    if ours.count != theirs.count { return ours.count > theirs.count ? 1 : -1 }
    return 0
  }

  /// Go's `strconv.Atoi` of a numeric identifier, which saturates on overflow.
  private static func clampedInteger(_ digits: ArraySlice<UInt8>) -> Int64 {
    var value: Int64 = 0
    for digit in digits {
      let (product, overflow) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflowSum) = product.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
      if overflow || overflowSum { return Int64.max }
      value = sum
    }
    return value
  }
}

/// Go's `strconv.Quote`, which OPA uses to print string terms in messages.
private func goQuote(_ text: String) -> String {
  var out = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\u{07}": out += "\\a"
    case "\u{08}": out += "\\b"
    case "\u{0C}": out += "\\f"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    case "\u{0B}": out += "\\v"
    default:
      if isGoPrintable(scalar) {
        out.unicodeScalars.append(scalar)
      } else if scalar.value < 0x80 {
        out += "\\x" + hexDigits(scalar.value, width: 2)
      } else if scalar.value < 0x10000 {
        out += "\\u" + hexDigits(scalar.value, width: 4)
      } else {
        out += "\\U" + hexDigits(scalar.value, width: 8)
      }
    }
  }
  return out + "\""
}

private func isGoPrintable(_ scalar: Unicode.Scalar) -> Bool {
  if scalar == " " { return true }
  switch scalar.properties.generalCategory {
  case .control, .format, .surrogate, .privateUse, .unassigned, .spaceSeparator, .lineSeparator,
    .paragraphSeparator:
    return false
  default:
    return true
  }
}

private func hexDigits(_ value: UInt32, width: Int) -> String {
  let text = String(value, radix: 16)
  return String(repeating: "0", count: max(0, width - text.count)) + text
}
