/// An exact JSON/Rego number.
///
/// OPA keeps numbers as the text they were written in and does arithmetic in arbitrary precision,
/// so `12345678901234567890` and `0.1` survive a round trip unchanged. `Number` does the same:
/// integers that fit in `Int` are stored as `Int` (the fast path for counts, ports and uids), any
/// other literal is kept exactly as written, and results of floating-point arithmetic are `Double`.
/// Equality, ordering and hashing are by numeric value across all three forms, so `1 == 1.0`.
public struct Number: Sendable {
  @usableFromInline
  enum Storage: Sendable {
    case int(Int)
    /// A valid JSON number literal that is not a plain `Int` (fraction, exponent, or too large).
    case literal(String)
    case double(Double)
  }

  @usableFromInline
  let storage: Storage

  @usableFromInline
  init(storage: Storage) { self.storage = storage }

  /// Creates an integer number.
  @inlinable
  public init(_ value: Int) { storage = .int(value) }

  /// Creates a number from a double. Integral values that fit in `Int` are stored as integers.
  public init(_ value: Double) {
    if value.rounded(.towardZero) == value, abs(value) < 9.2e18 {
      storage = .int(Int(value))
    } else {
      storage = .double(value)
    }
  }

  /// Creates a number from a JSON number literal, keeping it exactly. Returns nil when the text is
  /// not a valid JSON number (RFC 8259 section 6).
  public init?(literal text: String) {
    guard let parts = DecimalParts(literal: Array(text.utf8)) else { return nil }
    if let small = parts.exactInt, !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
      storage = .int(small)
    } else {
      storage = .literal(text)
    }
  }

  /// Creates a number from a literal the caller has already validated against the JSON grammar.
  @usableFromInline
  init(validatedLiteral text: String) { storage = .literal(text) }

  /// The value as an `Int` when it is integral and fits (`2.0` and `2e0` count as integral).
  public var intValue: Int? {
    switch storage {
    case .int(let value): return value
    case .literal(let text): return DecimalParts(literal: Array(text.utf8))?.exactInt
    case .double(let value):
      guard value.rounded(.towardZero) == value, abs(value) < 9.2e18 else { return nil }
      return Int(value)
    }
  }

  /// The nearest `Double` (may round large or long literals).
  public var doubleValue: Double {
    switch storage {
    case .int(let value): return Double(value)
    case .literal(let text): return Double(text) ?? .nan
    case .double(let value): return value
    }
  }

  /// True when the value has no fractional part.
  public var isIntegral: Bool {
    switch storage {
    case .int: return true
    case .literal(let text):
      guard let parts = DecimalParts(literal: Array(text.utf8)) else { return false }
      return parts.exponent >= 0
    case .double(let value): return value.isFinite && value.rounded(.towardZero) == value
    }
  }

  /// The text OPA prints for this number: integers in decimal, literals as written, doubles in
  /// the shortest form that reads back to the same double (integral doubles without a fraction).
  public var text: String {
    switch storage {
    case .int(let value): return String(value)
    case .literal(let text): return text
    case .double(let value): return Number.format(value)
    }
  }

  static func format(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
    if value.rounded(.towardZero) == value, abs(value) < 1e21 {
      // Integral: print without exponent or fraction, as Go's big.Float text does.
      if abs(value) < 9.2e18 { return String(Int(value)) }
      return String(format: value)
    }
    return "\(value)"
  }

  /// The exact decimal value: sign, significant digits and exponent.
  var decimalParts: DecimalParts {
    switch storage {
    case .int(let value): return DecimalParts(value)
    case .literal(let text):
      return DecimalParts(literal: Array(text.utf8)) ?? DecimalParts(0)
    case .double(let value):
      return DecimalParts(literal: Array("\(value)".utf8)) ?? DecimalParts(0)
    }
  }
}

private func String(format value: Double) -> String {
  // Integral doubles beyond Int: expand Swift's exponent form into plain digits.
  guard let parts = DecimalParts(literal: Array("\(value)".utf8)) else { return "\(value)" }
  var text = parts.negative ? "-" : ""
  text += String(decoding: parts.digits, as: UTF8.self)
  text += String(repeating: "0", count: max(parts.exponent, 0))
  return text
}

// MARK: - Exact comparison

/// A decimal number as `(-1)^negative × digits × 10^exponent`, with no leading or trailing zero
/// digits (zero has no digits). Two numbers are equal exactly when their parts are equal.
@usableFromInline
struct DecimalParts: Hashable, Sendable {
  var negative: Bool
  var digits: [UInt8]  // ASCII digits, most significant first
  var exponent: Int

  init(_ value: Int) {
    negative = value < 0
    var magnitude = value.magnitude
    var exponent = 0
    var reversed: [UInt8] = []
    if magnitude != 0 {
      while magnitude % 10 == 0 {
        magnitude /= 10
        exponent += 1
      }
      while magnitude != 0 {
        reversed.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
        magnitude /= 10
      }
    } else {
      negative = false
    }
    digits = reversed.reversed()
    self.exponent = exponent
  }

  /// Parses a JSON number literal; nil when it is not valid JSON number syntax.
  init?(literal bytes: [UInt8]) {
    var index = 0
    let count = bytes.count
    var negative = false
    if index < count, bytes[index] == UInt8(ascii: "-") {
      negative = true
      index += 1
    }
    var digits: [UInt8] = []
    var exponent = 0
    // Integer part: 0 | [1-9][0-9]*
    guard index < count, isDigit(bytes[index]) else { return nil }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
      if index < count, isDigit(bytes[index]) { return nil }
    } else {
      while index < count, isDigit(bytes[index]) {
        digits.append(bytes[index])
        index += 1
      }
    }
    if index < count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard index < count, isDigit(bytes[index]) else { return nil }
      while index < count, isDigit(bytes[index]) {
        digits.append(bytes[index])
        exponent -= 1
        index += 1
      }
    }
    if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      var exponentNegative = false
      if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
        exponentNegative = bytes[index] == UInt8(ascii: "-")
        index += 1
      }
      guard index < count, isDigit(bytes[index]) else { return nil }
      var value = 0
      while index < count, isDigit(bytes[index]) {
        // Saturate: exponents this large only matter for ordering, which saturation preserves.
        value = min(value * 10 + Int(bytes[index] - UInt8(ascii: "0")), 1 << 40)
        index += 1
      }
      exponent += exponentNegative ? -value : value
    }
    guard index == count else { return nil }
    // Normalise: strip leading zeros (from fractions like 0.05) and trailing zeros.
    var first = 0
    while first < digits.count, digits[first] == UInt8(ascii: "0") { first += 1 }
    var last = digits.count
    while last > first, digits[last - 1] == UInt8(ascii: "0") {
      last -= 1
      exponent += 1
    }
    self.digits = Array(digits[first..<last])
    if self.digits.isEmpty {
      negative = false
      exponent = 0
    }
    self.negative = negative
    self.exponent = exponent
  }

  var isZero: Bool { digits.isEmpty }

  /// The value as an `Int`, when integral and in range.
  var exactInt: Int? {
    if isZero { return 0 }
    guard exponent >= 0, digits.count + exponent <= 19 else { return nil }
    var magnitude: UInt64 = 0
    for digit in digits {
      magnitude = magnitude * 10 + UInt64(digit - UInt8(ascii: "0"))
    }
    for _ in 0..<exponent {
      let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
      if overflow { return nil }
      magnitude = product
    }
    if negative {
      if magnitude <= UInt64(Int.max) { return -Int(magnitude) }
      if magnitude == UInt64(Int.max) + 1 { return Int.min }
      return nil
    }
    return magnitude <= UInt64(Int.max) ? Int(magnitude) : nil
  }

  /// Three-way comparison by value.
  static func compare(_ lhs: DecimalParts, _ rhs: DecimalParts) -> Int {
    if lhs.negative != rhs.negative { return lhs.negative ? -1 : 1 }
    let magnitude = compareMagnitude(lhs, rhs)
    return lhs.negative ? -magnitude : magnitude
  }

  private static func compareMagnitude(_ lhs: DecimalParts, _ rhs: DecimalParts) -> Int {
    if lhs.isZero || rhs.isZero {
      if lhs.isZero && rhs.isZero { return 0 }
      return lhs.isZero ? -1 : 1
    }
    // The position of the most significant digit decides first.
    let lhsTop = lhs.digits.count + lhs.exponent
    let rhsTop = rhs.digits.count + rhs.exponent
    if lhsTop != rhsTop { return lhsTop < rhsTop ? -1 : 1 }
    let length = max(lhs.digits.count, rhs.digits.count)
    for index in 0..<length {
      let left = index < lhs.digits.count ? lhs.digits[index] : UInt8(ascii: "0")
      let right = index < rhs.digits.count ? rhs.digits[index] : UInt8(ascii: "0")
      if left != right { return left < right ? -1 : 1 }
    }
    return 0
  }
}

@inline(__always)
private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

// MARK: - Equality, ordering, hashing by value

extension Number: Hashable, Comparable {
  /// Three-way comparison by numeric value.
  @inlinable
  public static func compare(_ lhs: Number, _ rhs: Number) -> Int {
    if case .int(let left) = lhs.storage, case .int(let right) = rhs.storage {
      return left < right ? -1 : (left == right ? 0 : 1)
    }
    return slowCompare(lhs, rhs)
  }

  @usableFromInline
  static func slowCompare(_ lhs: Number, _ rhs: Number) -> Int {
    if case .double(let left) = lhs.storage, case .double(let right) = rhs.storage {
      return left < right ? -1 : (left == right ? 0 : 1)
    }
    return DecimalParts.compare(lhs.decimalParts, rhs.decimalParts)
  }

  @inlinable
  public static func == (lhs: Number, rhs: Number) -> Bool { compare(lhs, rhs) == 0 }

  @inlinable
  public static func < (lhs: Number, rhs: Number) -> Bool { compare(lhs, rhs) < 0 }

  public func hash(into hasher: inout Hasher) {
    // Hash a canonical form so that equal values hash alike whatever their storage.
    if case .int(let value) = storage {
      hashCanonicalInt(value, into: &hasher)
      return
    }
    let parts = decimalParts
    if let small = parts.exactInt {
      hashCanonicalInt(small, into: &hasher)
    } else {
      hasher.combine(parts)
    }
  }

  private func hashCanonicalInt(_ value: Int, into hasher: inout Hasher) {
    hasher.combine(UInt8(1))
    hasher.combine(value)
  }
}

extension Number: CustomStringConvertible, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
  public var description: String { text }
  public init(integerLiteral value: Int) { self.init(value) }
  public init(floatLiteral value: Double) { self.init(value) }
}
