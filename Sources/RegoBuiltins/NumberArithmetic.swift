public import PolicyCore

// Exact arithmetic on `Number`, as OPA does it.
//
// OPA (v1/topdown/arithmetic.go, aggregates.go) computes in Go's math/big: integers exactly
// (big.Int), everything else in big.Float with a 64-bit mantissa (the precision
// `big.Float.SetString` gives a decimal literal), rounding to nearest-even after every operation,
// and prints results with `Text('g', -1)`, or `Text('f', -1)` when the result is integral: the
// shortest decimal that reads back to the same 64-bit value. So `1 / 3` is
// `0.33333333333333333334`, `0.1 + 0.2` is `0.3`, and `9223372036854775807 + 1` is
// `9223372036854775808`.
//
// This file rebuilds that from scratch: `ExactMagnitude` (unsigned big integer in 32-bit limbs),
// `ExactInteger` (signed), `RoundedBinaryFloat` (a binary float with a mantissa of at most 64
// bits and an unbounded exponent, rounding as big.Float does), and `ShortestDecimal` (Go's
// shortest-digits conversion). `RegoArithmetic` is the public entry point the interpreter and the
// arithmetic builtins call; every operation has an `Int` fast path with overflow checks.

// MARK: - Public API

/// Rego's number operations (`+ - * / %`, `abs`, `round`, `ceil`, `floor`) with OPA's results.
///
/// Integers (including integral literals such as `2.0` or `1e3`) are combined exactly, whatever
/// their size. Other operands go through a binary float with a 64-bit mantissa, as Go's
/// `big.Float` does, and print as OPA prints them. Errors carry OPA's messages without the
/// builtin-name prefix (the interpreter adds it): `divide by zero`, `modulo by zero`,
/// `modulo on floating-point number`.
public enum RegoArithmetic {
  /// `x + y`.
  public static func add(_ x: Number, _ y: Number) throws(BuiltinError) -> Number {
    if case let (a?, b?) = (x.intValue, y.intValue) {
      let (sum, overflow) = a.addingReportingOverflow(b)
      if !overflow { return Number(sum) }
      return try (ExactInteger(a) + ExactInteger(b)).number()
    }
    if let a = try ExactInteger(exactly: x), let b = try ExactInteger(exactly: y) {
      return try (a + b).number()
    }
    let result = try RoundedBinaryFloat.add(
      RoundedBinaryFloat(x), RoundedBinaryFloat(y), precision: RoundedBinaryFloat.defaultPrecision)
    return try result.number()
  }

  /// `x - y` (numbers only; set difference is the `minus` builtin's business).
  public static func subtract(_ x: Number, _ y: Number) throws(BuiltinError) -> Number {
    if case let (a?, b?) = (x.intValue, y.intValue) {
      let (difference, overflow) = a.subtractingReportingOverflow(b)
      if !overflow { return Number(difference) }
      return try (ExactInteger(a) - ExactInteger(b)).number()
    }
    if let a = try ExactInteger(exactly: x), let b = try ExactInteger(exactly: y) {
      return try (a - b).number()
    }
    let result = try RoundedBinaryFloat.add(
      RoundedBinaryFloat(x), RoundedBinaryFloat(y).negated, precision: RoundedBinaryFloat.defaultPrecision)
    return try result.number()
  }

  /// `x * y`.
  public static func multiply(_ x: Number, _ y: Number) throws(BuiltinError) -> Number {
    if case let (a?, b?) = (x.intValue, y.intValue) {
      let (product, overflow) = a.multipliedReportingOverflow(by: b)
      if !overflow { return Number(product) }
      return try (ExactInteger(a) * ExactInteger(b)).number()
    }
    if let a = try ExactInteger(exactly: x), let b = try ExactInteger(exactly: y) {
      return try (a * b).number()
    }
    let result = try RoundedBinaryFloat.multiply(
      RoundedBinaryFloat(x), RoundedBinaryFloat(y), precision: RoundedBinaryFloat.defaultPrecision)
    return try result.number()
  }

  /// `x / y`: exact when both are machine integers and `y` divides `x`, otherwise the 64-bit
  /// binary float quotient (OPA has no exact big-integer division: `10 / 4` is `2.5`).
  ///
  /// - Throws: `divide by zero` when `y` is zero in any spelling (`0`, `0.0`, `0e5`).
  public static func divide(_ x: Number, _ y: Number) throws(BuiltinError) -> Number {
    if case let (a?, b?) = (x.intValue, y.intValue) {
      if b == 0 { throw .failure("divide by zero") }
      if a == 0 { return Number(0) }
      let (remainder, overflow) = a.remainderReportingOverflow(dividingBy: b)
      if !overflow, remainder == 0 { return Number(a / b) }
    }
    let divisor = try RoundedBinaryFloat(y)
    if divisor.isZero { throw .failure("divide by zero") }
    let result = try RoundedBinaryFloat.divide(
      RoundedBinaryFloat(x), divisor, precision: RoundedBinaryFloat.defaultPrecision)
    return try result.number()
  }

  /// `x % y`: the truncated remainder (sign of `x`), integers only, as Go's `%` and `big.Int.Rem`.
  ///
  /// - Throws: `modulo by zero`, or `modulo on floating-point number` when either operand is not
  ///   integral (checked first, so `1.5 % 0` reports the floating-point operand).
  public static func remainder(_ x: Number, _ y: Number) throws(BuiltinError) -> Number {
    if case let (a?, b?) = (x.intValue, y.intValue) {
      if b == 0 { throw .failure("modulo by zero") }
      let (remainder, overflow) = a.remainderReportingOverflow(dividingBy: b)
      return Number(overflow ? 0 : remainder)
    }
    guard let a = try ExactInteger(exactly: x), let b = try ExactInteger(exactly: y) else {
      throw .failure("modulo on floating-point number")
    }
    if b.isZero { throw .failure("modulo by zero") }
    return try ExactInteger.truncatingRemainder(a, b).number()
  }

  /// `-x`.
  public static func negate(_ x: Number) throws(BuiltinError) -> Number {
    try subtract(Number(0), x)
  }

  /// `abs(x)`.
  public static func absolute(_ x: Number) throws(BuiltinError) -> Number {
    if let value = x.intValue, value != Int.min { return Number(Swift.abs(value)) }
    if let value = try ExactInteger(exactly: x) { return try value.magnitudeValue.number() }
    var float = try RoundedBinaryFloat(x)
    float.negative = false
    return try float.number()
  }

  /// `round(x)`: to the nearest integer, halves away from zero.
  ///
  /// Like OPA, adds or subtracts one half in 64-bit binary float arithmetic and truncates.
  public static func round(_ x: Number) throws(BuiltinError) -> Number {
    if let integer = try integral(x) { return integer }
    let value = try RoundedBinaryFloat(x)
    let shifted = RoundedBinaryFloat.add(
      value, value.negative ? RoundedBinaryFloat.half.negated : RoundedBinaryFloat.half,
      precision: RoundedBinaryFloat.defaultPrecision)
    return try shifted.truncated().number()
  }

  /// `ceil(x)`: the least integer not below `x`, computed as OPA computes it.
  ///
  /// OPA truncates toward zero and adds one unless the truncation is negative or exact; a
  /// truncated zero is never negative, so OPA (v1.20) answers `ceil(-0.5) == 1`. We keep that
  /// answer for compatibility.
  public static func ceil(_ x: Number) throws(BuiltinError) -> Number {
    if let integer = try integral(x) { return integer }
    let value = try RoundedBinaryFloat(x)
    let truncated = value.truncated()
    if truncated.isNegative || value.isIntegral { return try truncated.number() }
    return try (truncated + ExactInteger(1)).number()
  }

  /// `floor(x)`: the greatest integer not above `x`, computed as OPA computes it.
  ///
  /// OPA truncates toward zero and subtracts one only when the truncation is negative and
  /// inexact, so (v1.20) `floor(-0.5) == 0`. We keep that answer for compatibility.
  public static func floor(_ x: Number) throws(BuiltinError) -> Number {
    if let integer = try integral(x) { return integer }
    let value = try RoundedBinaryFloat(x)
    let truncated = value.truncated()
    if !truncated.isNegative || value.isIntegral { return try truncated.number() }
    return try (truncated - ExactInteger(1)).number()
  }

  /// Sums numbers as OPA's `sum` does: exactly when all are integers, otherwise in 64-bit binary
  /// float arithmetic, rounding after each addition.
  static func sum(_ numbers: [Number]) throws(BuiltinError) -> Number {
    var small = 0
    var index = 0
    while index < numbers.count, let value = numbers[index].intValue {
      let (next, overflow) = small.addingReportingOverflow(value)
      if overflow { break }
      small = next
      index += 1
    }
    if index == numbers.count { return Number(small) }
    if let integers = try exactIntegers(numbers) {
      var total = ExactInteger(0)
      for integer in integers { total = try (total + integer).checked() }
      return try total.number()
    }
    var total = RoundedBinaryFloat.zero
    for number in numbers {
      total = RoundedBinaryFloat.add(
        total, try RoundedBinaryFloat(number), precision: RoundedBinaryFloat.defaultPrecision)
    }
    return try total.number()
  }

  /// Multiplies numbers as OPA's `product` does: exactly when all are integers, otherwise in
  /// binary float arithmetic whose accumulator (`big.NewFloat(1)`) has a 53-bit mantissa.
  static func product(_ numbers: [Number]) throws(BuiltinError) -> Number {
    if let integers = try exactIntegers(numbers) {
      var total = ExactInteger(1)
      for integer in integers { total = try (total * integer).checked() }
      return try total.number()
    }
    var total = RoundedBinaryFloat.one
    for number in numbers {
      total = RoundedBinaryFloat.multiply(total, try RoundedBinaryFloat(number), precision: 53)
    }
    return try total.number()
  }

  /// An integral number as a plain integer (`2.0` becomes `2`); nil when not integral.
  private static func integral(_ x: Number) throws(BuiltinError) -> Number? {
    if let small = x.intValue { return Number(small) }
    return try ExactInteger(exactly: x)?.number()
  }

  private static func exactIntegers(_ numbers: [Number]) throws(BuiltinError) -> [ExactInteger]? {
    var integers: [ExactInteger] = []
    integers.reserveCapacity(numbers.count)
    for number in numbers {
      guard let integer = try ExactInteger(exactly: number) else { return nil }
      integers.append(integer)
    }
    return integers
  }
}

/// The largest magnitude exact or float arithmetic will produce, in bits (about 21,000 decimal
/// digits). Go would grow without bound; a policy has no use for larger numbers, and each
/// operation on them costs quadratic time, so larger results are an error instead.
private let maximumBits = 70_000

private func tooLarge() -> BuiltinError { .failure("number too large") }

// MARK: - Unsigned magnitudes

/// An unsigned integer of any size: little-endian 32-bit limbs, no zero limb at the top.
struct ExactMagnitude: Sendable, Hashable {
  private(set) var limbs: [UInt32]

  init() { limbs = [] }

  init(_ value: UInt64) {
    limbs = []
    if value != 0 {
      limbs.append(UInt32(truncatingIfNeeded: value))
      let high = UInt32(truncatingIfNeeded: value >> 32)
      if high != 0 { limbs.append(high) }
    }
  }

  init(limbs: [UInt32]) {
    self.limbs = limbs
    normalize()
  }

  private mutating func normalize() {
    while let last = limbs.last, last == 0 { limbs.removeLast() }
  }

  var isZero: Bool { limbs.isEmpty }

  /// Number of significant bits (0 for zero).
  var bitWidth: Int {
    guard let last = limbs.last else { return 0 }
    return limbs.count * 32 - last.leadingZeroBitCount
  }

  /// The value when it fits 64 bits.
  var uint64Value: UInt64? {
    switch limbs.count {
    case 0: return 0
    case 1: return UInt64(limbs[0])
    case 2: return UInt64(limbs[0]) | UInt64(limbs[1]) << 32
    default: return nil
    }
  }

  /// Bit `index` (0 = least significant).
  func bit(_ index: Int) -> Bool {
    let limb = index >> 5
    guard index >= 0, limb < limbs.count else { return false }
    return limbs[limb] >> UInt32(index & 31) & 1 == 1
  }

  /// True when any bit below `index` is set.
  func hasBits(below index: Int) -> Bool {
    if index <= 0 { return false }
    let whole = Swift.min(index >> 5, limbs.count)
    for position in 0..<whole where limbs[position] != 0 { return true }
    let partial = index & 31
    if partial != 0, whole < limbs.count {
      return limbs[whole] & ((1 << UInt32(partial)) - 1) != 0
    }
    return false
  }

  static func compare(_ lhs: ExactMagnitude, _ rhs: ExactMagnitude) -> Int {
    if lhs.limbs.count != rhs.limbs.count { return lhs.limbs.count < rhs.limbs.count ? -1 : 1 }
    var index = lhs.limbs.count - 1
    while index >= 0 {
      if lhs.limbs[index] != rhs.limbs[index] { return lhs.limbs[index] < rhs.limbs[index] ? -1 : 1 }
      index -= 1
    }
    return 0
  }

  static func + (lhs: ExactMagnitude, rhs: ExactMagnitude) -> ExactMagnitude {
    let (long, short) = lhs.limbs.count >= rhs.limbs.count ? (lhs.limbs, rhs.limbs) : (rhs.limbs, lhs.limbs)
    var result: [UInt32] = []
    result.reserveCapacity(long.count + 1)
    var carry: UInt64 = 0
    for index in 0..<long.count {
      let sum = UInt64(long[index]) + (index < short.count ? UInt64(short[index]) : 0) + carry
      result.append(UInt32(truncatingIfNeeded: sum))
      carry = sum >> 32
    }
    if carry != 0 { result.append(UInt32(carry)) }
    return ExactMagnitude(limbs: result)
  }

  /// `lhs - rhs`; requires `lhs >= rhs`.
  static func - (lhs: ExactMagnitude, rhs: ExactMagnitude) -> ExactMagnitude {
    var result: [UInt32] = []
    result.reserveCapacity(lhs.limbs.count)
    var borrow: Int64 = 0
    for index in 0..<lhs.limbs.count {
      let difference =
        Int64(lhs.limbs[index]) - (index < rhs.limbs.count ? Int64(rhs.limbs[index]) : 0) - borrow
      result.append(UInt32(truncatingIfNeeded: difference))
      borrow = difference < 0 ? 1 : 0
    }
    return ExactMagnitude(limbs: result)
  }

  static func * (lhs: ExactMagnitude, rhs: ExactMagnitude) -> ExactMagnitude {
    if lhs.isZero || rhs.isZero { return ExactMagnitude() }
    var result = [UInt32](repeating: 0, count: lhs.limbs.count + rhs.limbs.count)
    for i in 0..<lhs.limbs.count {
      let left = UInt64(lhs.limbs[i])
      if left == 0 { continue }
      var carry: UInt64 = 0
      for j in 0..<rhs.limbs.count {
        // left * right + result + carry < 2^64: (2^32-1)^2 + 2(2^32-1) = 2^64 - 1.
        let total = left * UInt64(rhs.limbs[j]) + UInt64(result[i + j]) + carry
        result[i + j] = UInt32(truncatingIfNeeded: total)
        carry = total >> 32
      }
      result[i + rhs.limbs.count] = UInt32(truncatingIfNeeded: carry)
    }
    return ExactMagnitude(limbs: result)
  }

  /// `self * factor + addend`.
  func multiplied(by factor: UInt32, adding addend: UInt32 = 0) -> ExactMagnitude {
    var result: [UInt32] = []
    result.reserveCapacity(limbs.count + 1)
    var carry = UInt64(addend)
    for limb in limbs {
      let total = UInt64(limb) * UInt64(factor) + carry
      result.append(UInt32(truncatingIfNeeded: total))
      carry = total >> 32
    }
    if carry != 0 { result.append(UInt32(carry)) }
    return ExactMagnitude(limbs: result)
  }

  /// Quotient and remainder by a nonzero single limb.
  func divided(by divisor: UInt32) -> (quotient: ExactMagnitude, remainder: UInt32) {
    var quotient = [UInt32](repeating: 0, count: limbs.count)
    var remainder: UInt64 = 0
    var index = limbs.count - 1
    while index >= 0 {
      let current = remainder << 32 | UInt64(limbs[index])
      quotient[index] = UInt32(truncatingIfNeeded: current / UInt64(divisor))
      remainder = current % UInt64(divisor)
      index -= 1
    }
    return (ExactMagnitude(limbs: quotient), UInt32(truncatingIfNeeded: remainder))
  }

  /// Quotient and remainder (Knuth's algorithm D); `divisor` must be nonzero.
  static func divide(_ dividend: ExactMagnitude, _ divisor: ExactMagnitude) -> (
    quotient: ExactMagnitude, remainder: ExactMagnitude
  ) {
    if compare(dividend, divisor) < 0 { return (ExactMagnitude(), dividend) }
    if divisor.limbs.count == 1 {
      let (quotient, remainder) = dividend.divided(by: divisor.limbs[0])
      return (quotient, ExactMagnitude(UInt64(remainder)))
    }
    let n = divisor.limbs.count
    let m = dividend.limbs.count - n
    // Normalise so the divisor's top limb has its high bit set.
    let shift = divisor.limbs[n - 1].leadingZeroBitCount
    let v = divisor.shiftedLeft(shift).limbs
    var u = dividend.shiftedLeft(shift).limbs
    while u.count < dividend.limbs.count + 1 { u.append(0) }
    var quotient = [UInt32](repeating: 0, count: m + 1)
    let base: UInt64 = 1 << 32
    let vTop = UInt64(v[n - 1])
    let vNext = UInt64(v[n - 2])
    var j = m
    while j >= 0 {
      let numerator = UInt64(u[j + n]) << 32 | UInt64(u[j + n - 1])
      var estimate = numerator / vTop
      var rest = numerator % vTop
      while estimate >= base || estimate * vNext > (rest << 32 | UInt64(u[j + n - 2])) {
        estimate -= 1
        rest += vTop
        if rest >= base { break }
      }
      // Multiply and subtract.
      var borrow: Int64 = 0
      var carry: UInt64 = 0
      for i in 0..<n {
        let product = estimate * UInt64(v[i]) + carry
        carry = product >> 32
        let difference = Int64(u[i + j]) - borrow - Int64(product & 0xFFFF_FFFF)
        u[i + j] = UInt32(truncatingIfNeeded: difference)
        borrow = difference < 0 ? 1 : 0
      }
      let top = Int64(u[j + n]) - borrow - Int64(carry)
      u[j + n] = UInt32(truncatingIfNeeded: top)
      if top < 0 {
        // The estimate was one too large: add the divisor back.
        estimate -= 1
        var addCarry: UInt64 = 0
        for i in 0..<n {
          let sum = UInt64(u[i + j]) + UInt64(v[i]) + addCarry
          u[i + j] = UInt32(truncatingIfNeeded: sum)
          addCarry = sum >> 32
        }
        u[j + n] = UInt32(truncatingIfNeeded: UInt64(u[j + n]) + addCarry)
      }
      quotient[j] = UInt32(truncatingIfNeeded: estimate)
      j -= 1
    }
    let remainder = ExactMagnitude(limbs: Array(u[0..<n])).shiftedRight(shift).value
    return (ExactMagnitude(limbs: quotient), remainder)
  }

  func shiftedLeft(_ bits: Int) -> ExactMagnitude {
    if bits < 0 { return shiftedRight(-bits).value }
    if isZero || bits == 0 { return self }
    let whole = bits >> 5
    let partial = UInt32(bits & 31)
    var result = [UInt32](repeating: 0, count: whole)
    result.reserveCapacity(whole + limbs.count + 1)
    if partial == 0 {
      result.append(contentsOf: limbs)
    } else {
      var carry: UInt32 = 0
      for limb in limbs {
        result.append(limb << partial | carry)
        carry = limb >> (32 - partial)
      }
      if carry != 0 { result.append(carry) }
    }
    return ExactMagnitude(limbs: result)
  }

  /// `self >> bits`, and whether any set bit was shifted out.
  func shiftedRight(_ bits: Int) -> (value: ExactMagnitude, lostBits: Bool) {
    if bits == 0 { return (self, false) }
    let whole = bits >> 5
    if whole >= limbs.count { return (ExactMagnitude(), !isZero) }
    let partial = UInt32(bits & 31)
    var result: [UInt32] = []
    result.reserveCapacity(limbs.count - whole)
    for index in whole..<limbs.count {
      if partial == 0 {
        result.append(limbs[index])
      } else {
        let high = index + 1 < limbs.count ? limbs[index + 1] << (32 - partial) : 0
        result.append(limbs[index] >> partial | high)
      }
    }
    return (ExactMagnitude(limbs: result), hasBits(below: bits))
  }

  /// `base ** exponent` by repeated squaring.
  static func power(_ base: UInt32, _ exponent: Int) -> ExactMagnitude {
    var result = ExactMagnitude(1)
    var square = ExactMagnitude(UInt64(base))
    var remaining = exponent
    while remaining > 0 {
      if remaining & 1 == 1 { result = result * square }
      remaining >>= 1
      if remaining > 0 { square = square * square }
    }
    return result
  }

  /// Builds a value from ASCII decimal digits.
  init<Digits: Collection>(decimalDigits digits: Digits) where Digits.Element == UInt8 {
    var value = ExactMagnitude()
    var chunk: UInt32 = 0
    var chunkLength = 0
    for digit in digits {
      chunk = chunk * 10 + UInt32(digit &- UInt8(ascii: "0"))
      chunkLength += 1
      if chunkLength == 9 {
        value = value.multiplied(by: 1_000_000_000, adding: chunk)
        chunk = 0
        chunkLength = 0
      }
    }
    if chunkLength > 0 {
      var scale: UInt32 = 1
      for _ in 0..<chunkLength { scale *= 10 }
      value = value.multiplied(by: scale, adding: chunk)
    }
    self = value
  }

  /// The decimal digits, most significant first ("0" for zero).
  var decimalString: String {
    if isZero { return "0" }
    var chunks: [UInt32] = []
    var rest = self
    while !rest.isZero {
      let (quotient, remainder) = rest.divided(by: 1_000_000_000)
      chunks.append(remainder)
      rest = quotient
    }
    var text = String(chunks[chunks.count - 1])
    var index = chunks.count - 2
    while index >= 0 {
      let part = String(chunks[index])
      text += String(repeating: "0", count: 9 - part.count) + part
      index -= 1
    }
    return text
  }
}

// MARK: - Signed integers

/// A signed integer of any size (sign and magnitude; zero is never negative).
struct ExactInteger: Sendable, Hashable {
  private(set) var isNegative: Bool
  private(set) var magnitude: ExactMagnitude

  init(negative: Bool, magnitude: ExactMagnitude) {
    self.isNegative = negative && !magnitude.isZero
    self.magnitude = magnitude
  }

  init(_ value: Int) {
    self.init(negative: value < 0, magnitude: ExactMagnitude(UInt64(value.magnitude)))
  }

  /// The integer a number denotes, or nil when it is not integral.
  ///
  /// - Throws: `number too large` for integers beyond `maximumBits` (e.g. `1e100000`).
  init?(exactly number: Number) throws(BuiltinError) {
    if let small = number.intValue {
      self.init(small)
      return
    }
    guard let decimal = ExactDecimal(number.text) else { return nil }
    if decimal.digits.isEmpty {
      self.init(0)
      return
    }
    guard decimal.exponent >= 0 else { return nil }
    // digits * 10^exponent has about 3.33 bits per decimal digit.
    if (decimal.digits.count + decimal.exponent) * 10 / 3 > maximumBits + 10 { throw tooLarge() }
    var magnitude = ExactMagnitude(decimalDigits: decimal.digits)
    if decimal.exponent > 0 { magnitude = magnitude * ExactMagnitude.power(10, decimal.exponent) }
    self.init(negative: decimal.negative, magnitude: magnitude)
  }

  var isZero: Bool { magnitude.isZero }

  var magnitudeValue: ExactInteger { ExactInteger(negative: false, magnitude: magnitude) }

  var negated: ExactInteger { ExactInteger(negative: !isNegative, magnitude: magnitude) }

  /// The value when it fits `Int`.
  var intValue: Int? {
    guard let bits = magnitude.uint64Value else { return nil }
    if isNegative {
      if bits <= UInt64(Int.max) { return -Int(bits) }
      return bits == UInt64(Int.max) + 1 ? Int.min : nil
    }
    return bits <= UInt64(Int.max) ? Int(bits) : nil
  }

  /// The value as decimal text.
  var decimalString: String { (isNegative ? "-" : "") + magnitude.decimalString }

  /// Throws when the value has grown past `maximumBits`.
  func checked() throws(BuiltinError) -> ExactInteger {
    if magnitude.bitWidth > maximumBits { throw tooLarge() }
    return self
  }

  /// The value as a `Number`.
  func number() throws(BuiltinError) -> Number {
    if let small = intValue { return Number(small) }
    _ = try checked()
    return Number(literal: decimalString) ?? Number(0)
  }

  static func + (lhs: ExactInteger, rhs: ExactInteger) -> ExactInteger {
    if lhs.isNegative == rhs.isNegative {
      return ExactInteger(negative: lhs.isNegative, magnitude: lhs.magnitude + rhs.magnitude)
    }
    let order = ExactMagnitude.compare(lhs.magnitude, rhs.magnitude)
    if order == 0 { return ExactInteger(0) }
    if order > 0 { return ExactInteger(negative: lhs.isNegative, magnitude: lhs.magnitude - rhs.magnitude) }
    return ExactInteger(negative: rhs.isNegative, magnitude: rhs.magnitude - lhs.magnitude)
  }

  static func - (lhs: ExactInteger, rhs: ExactInteger) -> ExactInteger { lhs + rhs.negated }

  static func * (lhs: ExactInteger, rhs: ExactInteger) -> ExactInteger {
    ExactInteger(negative: lhs.isNegative != rhs.isNegative, magnitude: lhs.magnitude * rhs.magnitude)
  }

  /// The remainder of truncated division (sign of the dividend); `rhs` must be nonzero.
  static func truncatingRemainder(_ lhs: ExactInteger, _ rhs: ExactInteger) -> ExactInteger {
    ExactInteger(negative: lhs.isNegative, magnitude: ExactMagnitude.divide(lhs.magnitude, rhs.magnitude).remainder)
  }

  static func compare(_ lhs: ExactInteger, _ rhs: ExactInteger) -> Int {
    if lhs.isNegative != rhs.isNegative { return lhs.isNegative ? -1 : 1 }
    let order = ExactMagnitude.compare(lhs.magnitude, rhs.magnitude)
    return lhs.isNegative ? -order : order
  }
}

// MARK: - Decimal text

/// A number's text split into sign, significant digits and exponent:
/// `(-1)^negative × digits × 10^exponent`, without leading or trailing zero digits (zero has
/// no digits).
struct ExactDecimal: Sendable {
  var negative: Bool
  var digits: [UInt8]
  var exponent: Int

  /// Parses `[-]digits[.digits][(e|E)[+|-]digits]`, the JSON number grammar (leading zeros
  /// tolerated). Returns nil for anything else, including `NaN` and `+Inf`.
  init?(_ text: String) {
    let bytes = Array(text.utf8)
    var index = 0
    negative = false
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
      negative = true
      index += 1
    }
    var digits: [UInt8] = []
    var exponent = 0
    var sawDigit = false
    while index < bytes.count, isDecimalDigit(bytes[index]) {
      digits.append(bytes[index])
      sawDigit = true
      index += 1
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      while index < bytes.count, isDecimalDigit(bytes[index]) {
        digits.append(bytes[index])
        exponent -= 1
        sawDigit = true
        index += 1
      }
    }
    guard sawDigit else { return nil }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      var exponentNegative = false
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
        exponentNegative = bytes[index] == UInt8(ascii: "-")
        index += 1
      }
      guard index < bytes.count, isDecimalDigit(bytes[index]) else { return nil }
      var value = 0
      while index < bytes.count, isDecimalDigit(bytes[index]) {
        // Saturate: anything this large is rejected as too large anyway.
        value = Swift.min(value * 10 + Int(bytes[index] - UInt8(ascii: "0")), 1 << 40)
        index += 1
      }
      exponent += exponentNegative ? -value : value
    }
    guard index == bytes.count else { return nil }
    var first = 0
    while first < digits.count, digits[first] == UInt8(ascii: "0") { first += 1 }
    var last = digits.count
    while last > first, digits[last - 1] == UInt8(ascii: "0") {
      last -= 1
      exponent += 1
    }
    self.digits = Array(digits[first..<last])
    if self.digits.isEmpty { exponent = 0 }
    self.exponent = exponent
  }
}

@inline(__always)
private func isDecimalDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

// MARK: - Binary floats with Go big.Float rounding

/// A binary floating-point value `(-1)^negative × mantissa × 2^exponent` whose mantissa has
/// exactly `precision` significant bits (at most 64), rounded to nearest-even as `big.Float`
/// rounds. The exponent is unbounded (within `maximumBits`), so there is no overflow or
/// subnormal range, as in Go.
struct RoundedBinaryFloat: Sendable {
  /// The precision `big.Float.SetString` gives a decimal literal.
  static let defaultPrecision = 64

  var negative: Bool
  /// Zero, or a value with its top bit at `precision - 1`.
  var mantissa: UInt64
  var exponent: Int
  var precision: Int

  static let zero = RoundedBinaryFloat(negative: false, mantissa: 0, exponent: 0, precision: 64)
  /// 0.5 as `big.NewFloat(0.5)` makes it (53-bit precision).
  static let half = RoundedBinaryFloat(negative: false, mantissa: 1 << 52, exponent: -53, precision: 53)
  /// 1 as `big.NewFloat(1)` makes it (53-bit precision).
  static let one = RoundedBinaryFloat(negative: false, mantissa: 1 << 52, exponent: -52, precision: 53)

  var isZero: Bool { mantissa == 0 }

  var negated: RoundedBinaryFloat {
    var copy = self
    copy.negative.toggle()
    return copy
  }

  /// The number rounded to 64 bits, as `big.Float.SetString` reads OPA's number text.
  init(_ number: Number, precision: Int = RoundedBinaryFloat.defaultPrecision) throws(BuiltinError) {
    if let small = number.intValue {
      self = RoundedBinaryFloat.rounded(
        negative: small < 0, magnitude: ExactMagnitude(UInt64(small.magnitude)), exponent: 0, sticky: false,
        precision: precision)
      return
    }
    guard let decimal = ExactDecimal(number.text) else { throw .failure("illegal value") }
    if decimal.digits.isEmpty {
      self = RoundedBinaryFloat(negative: decimal.negative, mantissa: 0, exponent: 0, precision: precision)
      return
    }
    // The decimal exponent of the leading digit bounds the size (10^x ~ 2^(3.33x)).
    let leading = decimal.digits.count + decimal.exponent
    if Swift.abs(leading) * 10 / 3 > maximumBits || decimal.digits.count * 10 / 3 > maximumBits {
      throw tooLarge()
    }
    let digits = ExactMagnitude(decimalDigits: decimal.digits)
    if decimal.exponent >= 0 {
      self = RoundedBinaryFloat.rounded(
        negative: decimal.negative, magnitude: digits * ExactMagnitude.power(10, decimal.exponent),
        exponent: 0, sticky: false, precision: precision)
    } else {
      // digits / 10^k = digits / 5^k × 2^-k: divide by 5^k with enough quotient bits to round.
      let scale = -decimal.exponent
      let divisor = ExactMagnitude.power(5, scale)
      let shift = Swift.max(0, precision + 3 + divisor.bitWidth - digits.bitWidth)
      let (quotient, remainder) = ExactMagnitude.divide(digits.shiftedLeft(shift), divisor)
      self = RoundedBinaryFloat.rounded(
        negative: decimal.negative, magnitude: quotient, exponent: -shift - scale, sticky: !remainder.isZero,
        precision: precision)
    }
  }

  private init(negative: Bool, mantissa: UInt64, exponent: Int, precision: Int) {
    self.negative = negative
    self.mantissa = mantissa
    self.exponent = exponent
    self.precision = precision
  }

  /// Rounds `(-1)^negative × (magnitude + ε) × 2^exponent` to `precision` bits, nearest-even,
  /// where `sticky` says whether ε (a fraction below the last bit of `magnitude`) is nonzero.
  /// Callers pass at least `precision + 2` bits whenever `sticky` is set.
  static func rounded(
    negative: Bool, magnitude: ExactMagnitude, exponent: Int, sticky: Bool, precision: Int
  ) -> RoundedBinaryFloat {
    if magnitude.isZero {
      return RoundedBinaryFloat(negative: negative, mantissa: 0, exponent: 0, precision: precision)
    }
    let width = magnitude.bitWidth
    if width <= precision {
      let shift = precision - width
      let value = magnitude.uint64Value ?? 0
      return RoundedBinaryFloat(
        negative: negative, mantissa: value << UInt64(shift), exponent: exponent - shift, precision: precision)
    }
    let drop = width - precision
    var mantissa = magnitude.shiftedRight(drop).value.uint64Value ?? 0
    var newExponent = exponent + drop
    let halfBit = magnitude.bit(drop - 1)
    let rest = sticky || magnitude.hasBits(below: drop - 1)
    if halfBit && (rest || mantissa & 1 == 1) {
      let (incremented, overflow) = mantissa.addingReportingOverflow(1)
      if overflow || (precision < 64 && incremented == UInt64(1) << UInt64(precision)) {
        mantissa = UInt64(1) << UInt64(precision - 1)
        newExponent += 1
      } else {
        mantissa = incremented
      }
    }
    return RoundedBinaryFloat(negative: negative, mantissa: mantissa, exponent: newExponent, precision: precision)
  }

  /// `x + y` rounded to `precision` bits, with `big.Float.Add`'s signed zeros.
  static func add(_ x: RoundedBinaryFloat, _ y: RoundedBinaryFloat, precision: Int) -> RoundedBinaryFloat {
    if x.isZero && y.isZero {
      return RoundedBinaryFloat(negative: x.negative && y.negative, mantissa: 0, exponent: 0, precision: precision)
    }
    if y.isZero { return x.rounded(to: precision) }
    if x.isZero { return y.rounded(to: precision) }
    let (large, small) = x.exponent >= y.exponent ? (x, y) : (y, x)
    var smallMantissa = small.mantissa
    var smallExponent = small.exponent
    if large.exponent - small.exponent > 130 {
      // |small| < 2^(large.exponent - 66), a quarter unit in the last place of any result: only
      // its sign matters for rounding, so any value in that range gives the same answer.
      smallMantissa = 1
      smallExponent = large.exponent - 67
    }
    let largeMagnitude = ExactMagnitude(large.mantissa).shiftedLeft(large.exponent - smallExponent)
    let smallMagnitude = ExactMagnitude(smallMantissa)
    if large.negative == small.negative {
      return rounded(
        negative: large.negative, magnitude: largeMagnitude + smallMagnitude, exponent: smallExponent,
        sticky: false, precision: precision)
    }
    let order = ExactMagnitude.compare(largeMagnitude, smallMagnitude)
    if order == 0 { return RoundedBinaryFloat(negative: false, mantissa: 0, exponent: 0, precision: precision) }
    if order > 0 {
      return rounded(
        negative: large.negative, magnitude: largeMagnitude - smallMagnitude, exponent: smallExponent,
        sticky: false, precision: precision)
    }
    return rounded(
      negative: small.negative, magnitude: smallMagnitude - largeMagnitude, exponent: smallExponent,
      sticky: false, precision: precision)
  }

  /// `x * y` rounded to `precision` bits.
  static func multiply(_ x: RoundedBinaryFloat, _ y: RoundedBinaryFloat, precision: Int) -> RoundedBinaryFloat {
    let negative = x.negative != y.negative
    if x.isZero || y.isZero {
      return RoundedBinaryFloat(negative: negative, mantissa: 0, exponent: 0, precision: precision)
    }
    return rounded(
      negative: negative, magnitude: ExactMagnitude(x.mantissa) * ExactMagnitude(y.mantissa),
      exponent: x.exponent + y.exponent, sticky: false, precision: precision)
  }

  /// `x / y` rounded to `precision` bits; `y` must be nonzero.
  static func divide(_ x: RoundedBinaryFloat, _ y: RoundedBinaryFloat, precision: Int) -> RoundedBinaryFloat {
    let negative = x.negative != y.negative
    if x.isZero || y.isZero {
      return RoundedBinaryFloat(negative: negative, mantissa: 0, exponent: 0, precision: precision)
    }
    let shift = precision + 3 + 64
    let (quotient, remainder) = ExactMagnitude.divide(
      ExactMagnitude(x.mantissa).shiftedLeft(shift), ExactMagnitude(y.mantissa))
    return rounded(
      negative: negative, magnitude: quotient, exponent: x.exponent - shift - y.exponent,
      sticky: !remainder.isZero, precision: precision)
  }

  /// This value rounded to another precision.
  func rounded(to newPrecision: Int) -> RoundedBinaryFloat {
    if newPrecision == precision { return self }
    if isZero { return RoundedBinaryFloat(negative: negative, mantissa: 0, exponent: 0, precision: newPrecision) }
    return RoundedBinaryFloat.rounded(
      negative: negative, magnitude: ExactMagnitude(mantissa), exponent: exponent, sticky: false,
      precision: newPrecision)
  }

  /// True when the value has no fractional part.
  var isIntegral: Bool {
    if isZero || exponent >= 0 { return true }
    if -exponent >= 64 { return false }
    return mantissa & ((UInt64(1) << UInt64(-exponent)) - 1) == 0
  }

  /// The integer part, truncated toward zero (`big.Float.Int`).
  func truncated() -> ExactInteger {
    if isZero { return ExactInteger(0) }
    let magnitude = ExactMagnitude(mantissa)
    if exponent >= 0 { return ExactInteger(negative: negative, magnitude: magnitude.shiftedLeft(exponent)) }
    return ExactInteger(negative: negative, magnitude: magnitude.shiftedRight(-exponent).value)
  }

  /// OPA's text for this value (`builtins.FloatToNumber`): `Text('f', -1)` when integral,
  /// `Text('g', -1)` otherwise.
  var text: String {
    var decimal = ShortestDecimal(mantissa: ExactMagnitude(mantissa), exponent: exponent)
    decimal.shorten(mantissa: mantissa, exponent: exponent, precision: precision)
    let body = isIntegral ? decimal.fixedText() : decimal.generalText()
    return negative ? "-" + body : body
  }

  /// The value as a `Number` carrying OPA's text.
  func number() throws(BuiltinError) -> Number {
    if isZero { return Number(0) }
    if Swift.abs(exponent) > maximumBits { throw tooLarge() }
    // Below 2^(precision-1) every integer is exact and its shortest text is all its digits.
    if isIntegral, exponent < 0, let value = truncated().intValue { return Number(value) }
    let text = self.text
    return Number(literal: text) ?? Number(Double(text) ?? 0)
  }
}

// MARK: - Shortest decimal text

/// A decimal `0.d1d2d3… × 10^exponent` (no trailing zero digits; zero has no digits), with Go
/// math/big's shortest-representation rounding and `%f`/`%g` formatting.
struct ShortestDecimal: Sendable {
  /// ASCII digits.
  var digits: [UInt8]
  var exponent: Int

  /// The exact decimal value of `mantissa × 2^exponent`.
  init(mantissa: ExactMagnitude, exponent binaryExponent: Int) {
    if mantissa.isZero {
      digits = []
      exponent = 0
      return
    }
    let text: String
    var decimalExponent: Int
    if binaryExponent >= 0 {
      text = mantissa.shiftedLeft(binaryExponent).decimalString
      decimalExponent = text.utf8.count
    } else {
      // m × 2^-k = m × 5^k × 10^-k.
      let scale = -binaryExponent
      text = (mantissa * ExactMagnitude.power(5, scale)).decimalString
      decimalExponent = text.utf8.count - scale
    }
    var bytes = Array(text.utf8)
    while let last = bytes.last, last == UInt8(ascii: "0") { bytes.removeLast() }
    digits = bytes
    exponent = decimalExponent
  }

  /// Digit `index`, or "0" past either end.
  func digit(_ index: Int) -> UInt8 {
    index >= 0 && index < digits.count ? digits[index] : UInt8(ascii: "0")
  }

  private mutating func trim() {
    while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
    if digits.isEmpty { exponent = 0 }
  }

  mutating func roundDown(_ count: Int) {
    if count < 0 || count >= digits.count { return }
    digits.removeLast(digits.count - count)
    trim()
  }

  mutating func roundUp(_ count: Int) {
    if count < 0 || count >= digits.count { return }
    var position = count
    while position > 0, digits[position - 1] >= UInt8(ascii: "9") { position -= 1 }
    if position == 0 {
      digits = [UInt8(ascii: "1")]
      exponent += 1
      return
    }
    digits[position - 1] += 1
    digits.removeLast(digits.count - position)
  }

  mutating func round(_ count: Int) {
    if count < 0 || count >= digits.count { return }
    let roundUp: Bool
    if digits[count] == UInt8(ascii: "5") && count + 1 == digits.count {
      // Exactly halfway: to even.
      roundUp = count > 0 && (digits[count - 1] - UInt8(ascii: "0")) & 1 == 1
    } else {
      roundUp = digits[count] >= UInt8(ascii: "5")
    }
    if roundUp { self.roundUp(count) } else { roundDown(count) }
  }

  /// Drops the digits not needed to tell this value (`mantissa × 2^exponent` at `precision`
  /// bits) from its neighbours, as Go's `big.Float` shortest mode does: every decimal within half
  /// a unit in the last place rounds back to the same value.
  mutating func shorten(mantissa: UInt64, exponent binaryExponent: Int, precision: Int) {
    if digits.isEmpty { return }
    // Twice the mantissa, so its last bit is half a unit in the last place.
    let doubled = ExactMagnitude(mantissa).shiftedLeft(1)
    let lower = ShortestDecimal(mantissa: doubled - ExactMagnitude(1), exponent: binaryExponent - 1)
    let upper = ShortestDecimal(mantissa: doubled + ExactMagnitude(1), exponent: binaryExponent - 1)
    // Ties round to even, so the bounds themselves read back to this value only when the
    // mantissa is even.
    let inclusive = mantissa & 1 == 0
    for index in 0..<digits.count {
      let current = digits[index]
      let low = lower.digit(index)
      let high = upper.digit(index)
      let canRoundDown = low != current || (inclusive && index + 1 == lower.digits.count)
      let canRoundUp = current != high && (inclusive || current + 1 < high || index + 1 < upper.digits.count)
      if canRoundDown && canRoundUp {
        round(index + 1)
        return
      } else if canRoundDown {
        roundDown(index + 1)
        return
      } else if canRoundUp {
        roundUp(index + 1)
        return
      }
    }
  }

  /// `%f` with the shortest digits: integer digits padded with zeros, then any fraction.
  func fixedText() -> String {
    var text: [UInt8] = []
    if exponent > 0 {
      let count = Swift.min(digits.count, exponent)
      text.append(contentsOf: digits[0..<count])
      if count < exponent { text.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: exponent - count)) }
    } else {
      text.append(UInt8(ascii: "0"))
    }
    let fraction = Swift.max(digits.count - exponent, 0)
    if fraction > 0 {
      text.append(UInt8(ascii: "."))
      for index in 0..<fraction { text.append(digit(exponent + index)) }
    }
    return String(decoding: text, as: UTF8.self)
  }

  /// `%g` with the shortest digits: exponent form when the decimal exponent is below -4 or at
  /// least 6 (Go's rule when precision is "shortest"), fixed form otherwise.
  func generalText() -> String {
    let decimalExponent = exponent - 1
    if decimalExponent < -4 || decimalExponent >= 6 {
      var text: [UInt8] = [digits.first ?? UInt8(ascii: "0")]
      if digits.count > 1 {
        text.append(UInt8(ascii: "."))
        text.append(contentsOf: digits[1...])
      }
      let shown = digits.isEmpty ? 0 : decimalExponent
      text.append(UInt8(ascii: "e"))
      text.append(shown < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
      let magnitude = String(Swift.abs(shown))
      if magnitude.count < 2 { text.append(UInt8(ascii: "0")) }
      text.append(contentsOf: magnitude.utf8)
      return String(decoding: text, as: UTF8.self)
    }
    return fixedText()
  }
}

extension ExactMagnitude {
  /// The digits in base 2, 8, 10 or 16 (lower case), "0" for zero.
  func string(radix: Int) -> String {
    if isZero { return "0" }
    let digitCharacters = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    switch radix {
    case 2, 8, 16:
      let bitsPerDigit = radix == 2 ? 1 : (radix == 8 ? 3 : 4)
      var position = 0
      let width = bitWidth
      while position < width {
        var digit = 0
        for offset in 0..<bitsPerDigit where bit(position + offset) { digit |= 1 << offset }
        out.append(digitCharacters[digit])
        position += bitsPerDigit
      }
      return String(decoding: out.reversed(), as: UTF8.self)
    default:
      var chunks: [UInt32] = []
      var rest = self
      while !rest.isZero {
        let (quotient, remainder) = rest.divided(by: 1_000_000_000)
        chunks.append(remainder)
        rest = quotient
      }
      var text = String(chunks[chunks.count - 1])
      var index = chunks.count - 2
      while index >= 0 {
        let part = String(chunks[index])
        text += String(repeating: "0", count: 9 - part.count) + part
        index -= 1
      }
      return text
    }
  }
}
