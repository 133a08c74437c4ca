internal import PolicyCore

// Bitwise operations on integers of any size, after OPA's v1/topdown/bits.go (Go's big.Int,
// whose negative numbers behave as infinite two's complement).

extension BuiltinRegistry {
  /// Adds the bits family. Keep entries sorted.
  mutating func registerBits() {
    add("bits.and", arity: 2, category: "bits", BitBuiltins.and)
    add("bits.lsh", arity: 2, category: "bits", BitBuiltins.shiftLeft)
    add("bits.negate", arity: 1, category: "bits", BitBuiltins.negate)
    add("bits.or", arity: 2, category: "bits", BitBuiltins.or)
    add("bits.rsh", arity: 2, category: "bits", BitBuiltins.shiftRight)
    add("bits.xor", arity: 2, category: "bits", BitBuiltins.xor)
  }
}

private enum BitBuiltins {
  /// `bits.and(x, y)`: the bitwise AND of two integers (`bits.and(7, 9) == 1`).
  static func and(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    try combine(arguments, small: { $0 & $1 }, limb: { $0 & $1 })
  }

  /// `bits.or(x, y)`: the bitwise OR of two integers.
  static func or(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    try combine(arguments, small: { $0 | $1 }, limb: { $0 | $1 })
  }

  /// `bits.xor(x, y)`: the bitwise exclusive OR of two integers (`bits.xor(42, 3) == 41`).
  static func xor(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    try combine(arguments, small: { $0 ^ $1 }, limb: { $0 ^ $1 })
  }

  /// `bits.negate(x)`: the bitwise complement, `-x - 1` (`bits.negate(42) == -43`).
  static func negate(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    let x = try integer(arguments, 0)
    if let small = x.intValue { return .int(~small) }
    return .number(try (x.negated - ExactInteger(1)).number())
  }

  /// `bits.lsh(x, s)`: `x` shifted left by `s` bits, without overflow
  /// (`bits.lsh(9223372036854775807, 1) == 18446744073709551614`). `s` must not be negative.
  static func shiftLeft(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    let x = try integer(arguments, 0)
    let shift = try shiftCount(arguments)
    if x.isZero { return .int(0) }
    guard let count = shift.intValue, count <= 70_000 else { throw .failure("number too large") }
    if let small = x.intValue, count < 63 {
      let shifted = small << count
      if shifted >> count == small { return .int(shifted) }
    }
    let result = ExactInteger(negative: x.isNegative, magnitude: x.magnitude.shiftedLeft(count))
    return .number(try result.number())
  }

  /// `bits.rsh(x, s)`: `x` shifted right by `s` bits, rounding toward negative infinity as an
  /// arithmetic shift does (`bits.rsh(-1, 5) == -1`). `s` must not be negative.
  static func shiftRight(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    let x = try integer(arguments, 0)
    let shift = try shiftCount(arguments)
    guard let count = shift.intValue else { return .int(x.isNegative ? -1 : 0) }
    if let small = x.intValue { return .int(count >= 64 ? (small < 0 ? -1 : 0) : small >> count) }
    let (shifted, lost) = x.magnitude.shiftedRight(count)
    if x.isNegative {
      // -ceil(|x| / 2^s): floor division for negative numbers.
      let magnitude = lost ? shifted + ExactMagnitude(1) : shifted
      return .number(try ExactInteger(negative: true, magnitude: magnitude).number())
    }
    return .number(try ExactInteger(negative: false, magnitude: shifted).number())
  }

  /// An integer operand as OPA's `builtins.BigIntOperand` checks it.
  private static func integer(_ arguments: BuiltinArguments, _ index: Int) throws(BuiltinError) -> ExactInteger {
    guard case .number(let number) = arguments[index] else {
      throw .operand(index, mustBe: "integer", got: arguments[index])
    }
    guard let value = try ExactInteger(exactly: number) else {
      throw BuiltinError(.type, "operand \(index + 1) must be integer number but got floating-point number")
    }
    return value
  }

  private static func shiftCount(_ arguments: BuiltinArguments) throws(BuiltinError) -> ExactInteger {
    let shift = try integer(arguments, 1)
    if shift.isNegative {
      throw BuiltinError(.type, "operand 2 must be an unsigned integer number but got a negative integer")
    }
    return shift
  }

  /// Applies a bitwise operation, on `Int` when both fit and on two's complement limbs otherwise.
  private static func combine(
    _ arguments: BuiltinArguments, small: (Int, Int) -> Int, limb: (UInt32, UInt32) -> UInt32
  ) throws(BuiltinError) -> Value {
    let x = try integer(arguments, 0)
    let y = try integer(arguments, 1)
    if let a = x.intValue, let b = y.intValue { return .int(small(a, b)) }
    let width = Swift.max(x.magnitude.limbs.count, y.magnitude.limbs.count) + 1
    let left = twosComplement(x, limbs: width)
    let right = twosComplement(y, limbs: width)
    var result: [UInt32] = []
    result.reserveCapacity(width)
    for index in 0..<width { result.append(limb(left[index], right[index])) }
    return .number(try fromTwosComplement(result).number())
  }

  /// `value` in `count` limbs of two's complement (little-endian); `count` must exceed the
  /// magnitude's limb count so the top limb holds the sign.
  private static func twosComplement(_ value: ExactInteger, limbs count: Int) -> [UInt32] {
    var limbs = value.magnitude.limbs
    if value.isNegative {
      // -m = ~(m - 1).
      limbs = (value.magnitude - ExactMagnitude(1)).limbs
      while limbs.count < count { limbs.append(0) }
      return limbs.map { ~$0 }
    }
    while limbs.count < count { limbs.append(0) }
    return limbs
  }

  private static func fromTwosComplement(_ limbs: [UInt32]) -> ExactInteger {
    guard let top = limbs.last, top & 0x8000_0000 != 0 else {
      return ExactInteger(negative: false, magnitude: ExactMagnitude(limbs: limbs))
    }
    // Negative: the magnitude is ~limbs + 1.
    let complement = ExactMagnitude(limbs: limbs.map { ~$0 })
    return ExactInteger(negative: true, magnitude: complement + ExactMagnitude(1))
  }
}
