internal import PolicyCore

// The units family, after OPA's v1/topdown/parse_units.go and parse_bytes.go.
//
// `units.parse` computes exactly (OPA uses big.Rat) and prints integers plainly and everything
// else with ten decimals, as big.Rat's FloatString(10) does: `units.parse("1.1Ki")` is
// `1126.4000000000`. The milli unit is the float64 0.001, not the decimal, because OPA sets it
// with `Rat.SetFloat64(0.001)`, so `units.parse("1000m")` is `1.0000000000`.
//
// `units.parse_bytes` computes with a 64-bit-mantissa binary float, as OPA's big.Float does,
// and truncates toward zero; `UnitsBigFloat` reproduces big.Float's parsing and rounding.
//
// Error messages: OPA's own messages already start with the builtin name
// (`units.parse: no amount provided`) and its handleBuiltinErr prefixes the name again, so the
// full OPA text is `units.parse: units.parse: no amount provided`. The interpreter adds one
// prefix, so the messages here keep OPA's inner one and the result matches OPA's text exactly.

extension BuiltinRegistry {
  /// Adds the units family. Keep entries sorted by name.
  mutating func registerUnits() {
    /// `units.parse(x)`: the number a resource quantity stands for, with decimal (`k`, `M`,
    /// `G`, ..., and `m` for milli) or binary (`Ki`, `Mi`, ...) suffixes.
    ///
    ///     units.parse("10K")   # 10000
    ///     units.parse("1.1Ki") # 1126.4
    add("units.parse", arity: 1, category: "units") { args, _ throws(BuiltinError) in
      try parseUnits(try args.string(0))
    }

    /// `units.parse_bytes(x)`: the number of bytes a size with a unit (`kb`, `MiB`, `g`, ...)
    /// stands for, truncated to an integer. Units are case-insensitive.
    ///
    ///     units.parse_bytes("1KiB")  # 1024
    add("units.parse_bytes", arity: 1, category: "units") { args, _ throws(BuiltinError) in
      try parseBytes(try args.string(0))
    }
  }
}

// MARK: - units.parse

private func unitsError(_ message: String) -> BuiltinError {
  .failure("units.parse: \(message)")
}

private func parseUnits(_ raw: String) throws(BuiltinError) -> Value {
  let text = raw.replacingAll("\"", with: "")
  if text.utf8.contains(UInt8(ascii: " ")) { throw unitsError("spaces not allowed in resource strings") }
  guard let parts = extractNumberAndUnit(text) else { throw unitsError("exponent too large") }
  let (number, unit) = parts
  if number.isEmpty { throw unitsError("no amount provided") }
  // Only the letters after the first are lowered, so `m` (milli) and `M` (mega) stay apart.
  var canonical = unit
  if unit.unicodeScalars.count > 1, let first = unit.unicodeScalars.first {
    canonical = String(first) + String(unit.unicodeScalars.dropFirst()).lowercased()
  }
  enum Multiplier {
    case integer(UInt64)
    case milli
  }
  let multiplier: Multiplier
  switch canonical {
  case "m": multiplier = .milli
  case "": multiplier = .integer(1)
  case "k", "K": multiplier = .integer(1000)
  case "ki", "Ki": multiplier = .integer(1 << 10)
  case "M": multiplier = .integer(1_000_000)
  case "mi", "Mi": multiplier = .integer(1 << 20)
  case "g", "G": multiplier = .integer(1_000_000_000)
  case "gi", "Gi": multiplier = .integer(1 << 30)
  case "t", "T": multiplier = .integer(1_000_000_000_000)
  case "ti", "Ti": multiplier = .integer(1 << 40)
  case "p", "P": multiplier = .integer(1_000_000_000_000_000)
  case "pi", "Pi": multiplier = .integer(1 << 50)
  case "e", "E": multiplier = .integer(1_000_000_000_000_000_000)
  case "ei", "Ei": multiplier = .integer(1 << 60)
  default: throw unitsError("unit \(canonical) not recognized")
  }
  // big.Rat.SetString rejects decimal exponents beyond 1e6.
  guard let decimal = UnitsDecimal(parsing: number), abs(decimal.exponent10) <= 1_000_000 else {
    throw unitsError("could not parse amount to a number")
  }
  // Decimal arithmetic throughout: the amount may be long, and converting it to binary and back
  // would take quadratic time.
  var factor: [UInt8]
  var exponent10 = decimal.exponent10
  switch multiplier {
  case .integer(let value):
    factor = Array(String(value).utf8)
  case .milli:
    // The exact value of the float64 nearest 0.001: mantissa × 2^e = mantissa × 5^-e × 10^e.
    let milli = 0.001
    let mantissa = UInt64(1) << 52 | milli.significandBitPattern
    let binaryExponent = Int(milli.exponent) - 52
    factor = Array((ExactMagnitude(mantissa) * ExactMagnitude.power(5, -binaryExponent)).string(radix: 10).utf8)
    exponent10 += binaryExponent
  }
  let product = decimalProduct(decimal.digits, factor)
  return .number(ratText(negative: decimal.negative, digits: product, exponent10: exponent10))
}

/// The text big.Rat prints for `±digits × 10^exponent10`: the integer when it is one
/// (`Num().String()`), otherwise `FloatString(10)` (ten decimals, halves rounded away from zero).
private func ratText(negative: Bool, digits: String, exponent10: Int) -> Number {
  let bytes = Array(digits.utf8)
  let zero = UInt8(ascii: "0")
  if bytes == [zero] { return Number(0) }
  let sign = negative ? "-" : ""
  if exponent10 >= 0 {
    return makeNumber(sign + digits + String(repeating: "0", count: exponent10))
  }
  let fractionLength = -exponent10
  // Integral when the last `fractionLength` digits are zeros.
  if fractionLength < bytes.count, bytes.suffix(fractionLength).allSatisfy({ $0 == zero }) {
    return makeNumber(sign + String(decoding: bytes.dropLast(fractionLength), as: UTF8.self))
  }
  var integer: [UInt8] = fractionLength < bytes.count ? Array(bytes.dropLast(fractionLength)) : [zero]
  // Fraction digit j (0-based) of the exact value.
  let leadingZeros = max(fractionLength - bytes.count, 0)
  let fractionStart = max(bytes.count - fractionLength, 0)
  func fractionDigit(_ j: Int) -> UInt8 {
    if j < leadingZeros { return zero }
    let index = fractionStart + j - leadingZeros
    return index < bytes.count ? bytes[index] : zero
  }
  var fraction = (0..<10).map(fractionDigit)
  if fractionLength > 10, fractionDigit(10) >= UInt8(ascii: "5") {
    // Round up, carrying into the integer part.
    var index = 9
    var carry = true
    while carry, index >= 0 {
      if fraction[index] == UInt8(ascii: "9") {
        fraction[index] = zero
        index -= 1
      } else {
        fraction[index] += 1
        carry = false
      }
    }
    if carry {
      var position = integer.count - 1
      while carry, position >= 0 {
        if integer[position] == UInt8(ascii: "9") {
          integer[position] = zero
          position -= 1
        } else {
          integer[position] += 1
          carry = false
        }
      }
      if carry { integer.insert(UInt8(ascii: "1"), at: 0) }
    }
  }
  return makeNumber(sign + String(decoding: integer, as: UTF8.self) + "." + String(decoding: fraction, as: UTF8.self))
}

/// The product of two ASCII decimal digit strings, in base 10^9 limbs ("0" for zero).
private func decimalProduct(_ lhs: [UInt8], _ rhs: [UInt8]) -> String {
  func limbs(_ digits: [UInt8]) -> [UInt64] {
    var result: [UInt64] = []
    var end = digits.count
    while end > 0 {
      let start = max(end - 9, 0)
      var limb: UInt64 = 0
      for digit in digits[start..<end] { limb = limb * 10 + UInt64(digit &- UInt8(ascii: "0")) }
      result.append(limb)
      end = start
    }
    return result
  }
  let base: UInt64 = 1_000_000_000
  let left = limbs(lhs)
  let right = limbs(rhs)
  var product = [UInt64](repeating: 0, count: left.count + right.count + 1)
  for (i, a) in left.enumerated() where a != 0 {
    var carry: UInt64 = 0
    for (j, b) in right.enumerated() {
      let sum = product[i + j] + a * b + carry
      product[i + j] = sum % base
      carry = sum / base
    }
    var position = i + right.count
    while carry != 0 {
      let sum = product[position] + carry
      product[position] = sum % base
      carry = sum / base
      position += 1
    }
  }
  while let last = product.last, last == 0 { product.removeLast() }
  guard let top = product.last else { return "0" }
  var text = String(top)
  for limb in product.dropLast().reversed() {
    let part = String(limb)
    text += String(repeating: "0", count: 9 - part.count) + part
  }
  return text
}

private func makeNumber(_ text: String) -> Number {
  Number(literal: text) ?? Number(0)
}

// MARK: - units.parse_bytes

private func bytesError(_ message: String) -> BuiltinError {
  .failure("units.parse_bytes: \(message)")
}

private func parseBytes(_ raw: String) throws(BuiltinError) -> Value {
  let text = goLowercasedASCIIAware(raw).replacingAll("\"", with: "")
  if text.utf8.contains(UInt8(ascii: " ")) { throw bytesError("spaces not allowed in resource strings") }
  guard let parts = extractNumberAndUnit(text) else { throw bytesError("exponent too large") }
  let (number, unit) = parts
  if number.isEmpty { throw bytesError("no byte amount provided") }
  let multiplier: UInt64
  switch unit {
  case "": multiplier = 1
  case "kb", "k": multiplier = 1000
  case "kib", "ki": multiplier = 1 << 10
  case "mb", "m": multiplier = 1_000_000
  case "mib", "mi": multiplier = 1 << 20
  case "gb", "g": multiplier = 1_000_000_000
  case "gib", "gi": multiplier = 1 << 30
  case "tb", "t": multiplier = 1_000_000_000_000
  case "tib", "ti": multiplier = 1 << 40
  case "pb", "p": multiplier = 1_000_000_000_000_000
  case "pib", "pi": multiplier = 1 << 50
  case "eb", "e": multiplier = 1_000_000_000_000_000_000
  case "eib", "ei": multiplier = 1 << 60
  default: throw bytesError("byte unit \(unit) not recognized")
  }
  guard let amount = UnitsBigFloat(parsing: number, precision: 64) else {
    throw bytesError("could not parse byte amount to a number")
  }
  let total = amount.multiplied(by: UnitsBigFloat(integer: multiplier, precision: 64))
  guard let integer = total.truncatedIntegerIfReasonable() else {
    throw bytesError("byte amount too large")
  }
  let (negative, magnitude) = integer
  let digits = magnitude.string(radix: 10)
  return .number(makeNumber((negative && !magnitude.isZero ? "-" : "") + digits))
}

/// Go's `strings.ToLower` for the unit string (the number part is ASCII anyway).
private func goLowercasedASCIIAware(_ text: String) -> String {
  var view = String.UnicodeScalarView()
  for scalar in text.unicodeScalars {
    if scalar.value >= 0x41 && scalar.value <= 0x5A {
      view.append(Unicode.Scalar(UInt8(scalar.value + 0x20)))
    } else if scalar.value < 0x80 {
      view.append(scalar)
    } else {
      let mapped = scalar.properties.lowercaseMapping.unicodeScalars
      if mapped.count == 1, let first = mapped.first { view.append(first) } else { view.append(scalar) }
    }
  }
  return String(view)
}

/// OPA's `extractNumAndUnit`: the number is the leading run of digits, `.`, `+`, `-` and
/// exponents (`e`/`E` followed by a digit or sign); the rest is the unit. Nil when an exponent
/// has more than six digits.
private func extractNumberAndUnit(_ text: String) -> (number: String, unit: String)? {
  let bytes = Array(text.utf8)
  func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
  var boundary = -1
  var index = 0
  while index < bytes.count {
    let byte = bytes[index]
    let isExponent = byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    let isSign = byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    if !(isDigit(byte) || byte == UInt8(ascii: ".")) && !isExponent && !isSign {
      boundary = index
      break
    }
    if isExponent {
      let next = index + 1 < bytes.count ? bytes[index + 1] : 0
      if index == bytes.count - 1 || (!isDigit(next) && next != UInt8(ascii: "+") && next != UInt8(ascii: "-")) {
        boundary = index
        break
      }
      if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") { index += 1 }
      var end = index + 1
      while end < bytes.count, isDigit(bytes[end]) { end += 1 }
      if end - (index + 1) > 6 { return nil }
    }
    index += 1
  }
  if boundary == -1 { return (text, "") }
  if boundary == 0 { return ("", text) }
  return (String(decoding: bytes[..<boundary], as: UTF8.self), String(decoding: bytes[boundary...], as: UTF8.self))
}

extension String {
  /// Every occurrence of `target` (non-overlapping, byte-wise) replaced.
  fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
    guard utf8.contains(where: { $0 == target.utf8.first }) else { return self }
    let bytes = Array(utf8)
    let needle = Array(target.utf8)
    var out: [UInt8] = []
    var index = 0
    while index < bytes.count {
      if index + needle.count <= bytes.count, Array(bytes[index..<index + needle.count]) == needle {
        out.append(contentsOf: replacement.utf8)
        index += needle.count
      } else {
        out.append(bytes[index])
        index += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}

// MARK: - Decimal parsing (Go's math/big scanners)

/// A decimal number as Go's big.Rat and big.Float scanners read it: optional sign, digits with
/// at most one `.` (at least one digit), optional `e`/`E` exponent with at least one digit.
struct UnitsDecimal: Sendable {
  var negative: Bool
  /// ASCII digits of the mantissa without the point (leading zeros kept).
  var digits: [UInt8]
  /// The value is `digits × 10^exponent10`.
  var exponent10: Int

  init?(parsing text: String) {
    let bytes = Array(text.utf8)
    var index = 0
    negative = false
    if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
      negative = bytes[index] == UInt8(ascii: "-")
      index += 1
    }
    digits = []
    var fractionDigits = 0
    var sawPoint = false
    while index < bytes.count {
      let byte = bytes[index]
      if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
        digits.append(byte)
        if sawPoint { fractionDigits += 1 }
      } else if byte == UInt8(ascii: "."), !sawPoint {
        sawPoint = true
      } else {
        break
      }
      index += 1
    }
    if digits.isEmpty { return nil }
    var exponent = 0
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      var exponentNegative = false
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
        exponentNegative = bytes[index] == UInt8(ascii: "-")
        index += 1
      }
      var sawDigit = false
      while index < bytes.count, bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9") {
        // Saturate: callers reject exponents this large anyway.
        exponent = min(exponent * 10 + Int(bytes[index] - UInt8(ascii: "0")), 1 << 40)
        sawDigit = true
        index += 1
      }
      if !sawDigit { return nil }
      if exponentNegative { exponent = -exponent }
    }
    if index != bytes.count { return nil }
    exponent10 = exponent - fractionDigits
  }
}

// MARK: - Arbitrary precision

/// A binary floating-point number with a mantissa of `precision` bits, rounded to nearest even
/// after every operation: Go's math/big.Float as OPA uses it (`SetString`, `Mul`, `Quo`, `Int`).
struct UnitsBigFloat: Sendable {
  var negative: Bool
  /// Zero, or at most `precision` bits.
  var mantissa: ExactMagnitude
  /// The value is `mantissa × 2^exponent`.
  var exponent: Int
  var precision: Int

  init(negative: Bool, mantissa: ExactMagnitude, exponent: Int, precision: Int, sticky: Bool = false) {
    self.negative = negative
    self.precision = precision
    var mantissa = mantissa
    var exponent = exponent
    let excess = mantissa.bitWidth - precision
    if excess > 0 {
      let half = mantissa.bit(excess - 1)
      let rest = sticky || mantissa.hasBits(below: excess - 1)
      mantissa = mantissa.shiftedRight(excess).value
      exponent += excess
      if half && (rest || mantissa.bit(0)) {
        mantissa = mantissa + ExactMagnitude(1)
        if mantissa.bitWidth > precision {
          mantissa = mantissa.shiftedRight(1).value
          exponent += 1
        }
      }
    }
    self.mantissa = mantissa
    self.exponent = mantissa.isZero ? 0 : exponent
  }

  init(integer value: UInt64, precision: Int) {
    self.init(negative: false, mantissa: ExactMagnitude(value), exponent: 0, precision: precision)
  }

  /// Go's `new(big.Float).SetPrec(precision).SetString(text)` for decimal text.
  init?(parsing text: String, precision: Int) {
    guard let decimal = UnitsDecimal(parsing: text), abs(decimal.exponent10) <= 10_000_000 else { return nil }
    // Digits far beyond the precision only matter through whether any is non-zero, so a long
    // mantissa is cut to 1,000 digits plus a sticky 1: the rounded result is the same and the
    // conversion to binary stays cheap.
    var significant = ArraySlice(decimal.digits)
    while let first = significant.first, first == UInt8(ascii: "0") { significant = significant.dropFirst() }
    var exponent10 = decimal.exponent10
    if significant.count > 1001 {
      let kept = significant.prefix(1000)
      let sticky = significant.dropFirst(1000).contains { $0 != UInt8(ascii: "0") }
      exponent10 += significant.count - 1000 - (sticky ? 1 : 0)
      significant = sticky ? kept + [UInt8(ascii: "1")] : kept
    }
    let digits = ExactMagnitude(decimalDigits: significant)
    if exponent10 == 0 || digits.isZero {
      self.init(negative: decimal.negative, mantissa: digits, exponent: 0, precision: precision)
      return
    }
    // Go multiplies or divides the exact mantissa by 5^|e| computed with 64 extra bits, and
    // applies the 2^e part to the exponent.
    let power = UnitsBigFloat.powerOfFive(abs(exponent10), precision: precision + 64)
    if exponent10 > 0 {
      self.init(
        negative: decimal.negative, mantissa: digits * power.mantissa, exponent: power.exponent + exponent10,
        precision: precision)
    } else {
      let quotient = UnitsBigFloat.quotient(digits, power.mantissa, precision: precision)
      self.init(
        negative: decimal.negative, mantissa: quotient.mantissa,
        exponent: quotient.exponent - power.exponent + exponent10, precision: precision, sticky: quotient.sticky)
    }
  }

  /// Go's `Float.pow5`: exact up to 5^27, then square-and-multiply with rounding.
  static func powerOfFive(_ n: Int, precision: Int) -> UnitsBigFloat {
    if n <= 27 {
      return UnitsBigFloat(integer: power5(n), precision: precision)
    }
    var result = UnitsBigFloat(integer: power5(27), precision: precision)
    var factor = UnitsBigFloat(integer: 5, precision: precision + 64)
    var remaining = n - 27
    while remaining > 0 {
      if remaining & 1 == 1 { result = result.multiplied(by: factor) }
      factor = factor.multiplied(by: factor)
      remaining >>= 1
    }
    return result
  }

  private static func power5(_ n: Int) -> UInt64 {
    var value: UInt64 = 1
    for _ in 0..<n { value *= 5 }
    return value
  }

  /// `numerator / denominator` with at least `precision + 2` quotient bits: the quotient, its
  /// binary exponent and whether the division was inexact.
  private static func quotient(_ numerator: ExactMagnitude, _ denominator: ExactMagnitude, precision: Int)
    -> (mantissa: ExactMagnitude, exponent: Int, sticky: Bool)
  {
    let shift = denominator.bitWidth + precision + 2 - numerator.bitWidth
    var sticky = false
    let scaled: ExactMagnitude
    if shift >= 0 {
      scaled = numerator.shiftedLeft(shift)
    } else {
      sticky = numerator.hasBits(below: -shift)
      scaled = numerator.shiftedRight(-shift).value
    }
    let (quotient, remainder) = ExactMagnitude.divide(scaled, denominator)
    return (quotient, -shift, sticky || !remainder.isZero)
  }

  /// The product, rounded to this number's precision (`z.Mul(z, y)`).
  func multiplied(by other: UnitsBigFloat) -> UnitsBigFloat {
    UnitsBigFloat(
      negative: negative != other.negative, mantissa: mantissa * other.mantissa,
      exponent: exponent + other.exponent, precision: precision)
  }

  /// The value truncated toward zero (`Float.Int`).
  func truncatedInteger() -> (negative: Bool, magnitude: ExactMagnitude) {
    (negative, mantissa.shiftedLeft(exponent))
  }

  /// `truncatedInteger()`, or nil when the integer would have more than 2^17 bits (about 40,000
  /// decimal digits), which this implementation refuses to print.
  func truncatedIntegerIfReasonable() -> (negative: Bool, magnitude: ExactMagnitude)? {
    if mantissa.bitWidth + exponent > 1 << 17 { return nil }
    return truncatedInteger()
  }
}
