internal import PolicyCore

// Numeric operators and functions, after OPA's v1/topdown/arithmetic.go and numbers.go. The
// arithmetic itself lives in NumberArithmetic.swift (`RegoArithmetic`), which the interpreter
// also calls.

extension BuiltinRegistry {
  /// Adds the arithmetic family. Keep entries sorted.
  mutating func registerArithmetic() {
    add("abs", arity: 1, category: "arithmetic", ArithmeticBuiltins.abs)
    add("ceil", arity: 1, category: "arithmetic", ArithmeticBuiltins.ceil)
    add("div", arity: 2, category: "arithmetic", ArithmeticBuiltins.divide)
    add("floor", arity: 1, category: "arithmetic", ArithmeticBuiltins.floor)
    add("minus", arity: 2, category: "arithmetic", ArithmeticBuiltins.minus)
    add("mul", arity: 2, category: "arithmetic", ArithmeticBuiltins.multiply)
    add("numbers.range", arity: 2, category: "arithmetic", ArithmeticBuiltins.range)
    add("numbers.range_step", arity: 3, category: "arithmetic", ArithmeticBuiltins.rangeStep)
    add("plus", arity: 2, category: "arithmetic", ArithmeticBuiltins.plus)
    add("rem", arity: 2, category: "arithmetic", ArithmeticBuiltins.remainder)
    add("round", arity: 1, category: "arithmetic", ArithmeticBuiltins.round)
  }
}

private enum ArithmeticBuiltins {
  /// `plus(x, y)`, the `x + y` operator.
  static func plus(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    .number(try RegoArithmetic.add(arguments.number(0), arguments.number(1)))
  }

  /// `minus(x, y)`, the `x - y` operator: the difference of two numbers, or the elements of set
  /// `x` not in set `y`.
  ///
  /// Mismatches report as OPA does: `{1} - 1` says operand 2 must be a set, `1 - {1}` that it
  /// must be a number.
  static func minus(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    switch (arguments[0], arguments[1]) {
    case (.number(let x), .number(let y)):
      return .number(try RegoArithmetic.subtract(x, y))
    case (.set(let x), .set(let y)):
      return .set(x.subtracting(y))
    case (.number, _), (.set, _):
      if case .number = arguments[1] { throw .operand(1, mustBe: "set", got: arguments[1]) }
      throw .operand(1, mustBe: "number", got: arguments[1])
    default:
      throw BuiltinError(.type, "operand 1 must be one of {number, set} but got \(arguments[0].typeName)")
    }
  }

  /// `mul(x, y)`, the `x * y` operator.
  static func multiply(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    .number(try RegoArithmetic.multiply(arguments.number(0), arguments.number(1)))
  }

  /// `div(x, y)`, the `x / y` operator: `1 / 3 == 0.33333333333333333334` (OPA's 64-bit
  /// binary float quotient), `6 / 3 == 2`; `divide by zero` when `y` is zero.
  static func divide(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    .number(try RegoArithmetic.divide(arguments.number(0), arguments.number(1)))
  }

  /// `rem(x, y)`, the `x % y` operator: the remainder with the sign of `x`, for integers only
  /// (`modulo on floating-point number`, `modulo by zero`).
  static func remainder(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    .number(try RegoArithmetic.remainder(arguments.number(0), arguments.number(1)))
  }

  /// `abs(x)`: the absolute value.
  static func abs(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    .number(try RegoArithmetic.absolute(arguments.number(0)))
  }

  /// `round(x)`: the nearest integer, halves away from zero (`round(-2.5) == -3`).
  static func round(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    .number(try RegoArithmetic.round(arguments.number(0)))
  }

  /// `ceil(x)`: rounds up, with OPA's answers (including its `ceil(-0.5) == 1`).
  static func ceil(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    .number(try RegoArithmetic.ceil(arguments.number(0)))
  }

  /// `floor(x)`: rounds down, with OPA's answers (including its `floor(-0.5) == 0`).
  static func floor(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    .number(try RegoArithmetic.floor(arguments.number(0)))
  }

  /// `numbers.range(a, b)`: the integers from `a` to `b` inclusive, ascending or descending
  /// (`numbers.range(2, -1) == [2, 1, 0, -1]`). Both must be integers, of any size.
  static func range(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    let start = try integerOperand(arguments, 0)
    let end = try integerOperand(arguments, 1)
    return try generate(from: start, to: end, step: ExactInteger(1), context: context)
  }

  /// `numbers.range_step(a, b, step)`: every `step`-th integer from `a` towards `b`, including
  /// `b` only when it is reached exactly (`numbers.range_step(2, 5, 2) == [2, 4]`). `step` must
  /// be a positive integer.
  static func rangeStep(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    let start = try integerOperand(arguments, 0)
    let end = try integerOperand(arguments, 1)
    let step = try integerOperand(arguments, 2)
    if step.isNegative || step.isZero {
      // OPA's message carries the name, and the interpreter prefixes it again, as OPA does.
      throw .failure("numbers.range_step: step must be a positive integer")
    }
    return try generate(from: start, to: end, step: step, context: context)
  }

  /// An integer operand as OPA's `builtins.BigIntOperand` checks it.
  private static func integerOperand(_ arguments: BuiltinArguments, _ index: Int) throws(BuiltinError) -> ExactInteger {
    guard case .number(let number) = arguments[index] else {
      throw .operand(index, mustBe: "integer", got: arguments[index])
    }
    guard let integer = try ExactInteger(exactly: number) else {
      throw BuiltinError(.type, "operand \(index + 1) must be integer number but got floating-point number")
    }
    return integer
  }

  /// The arithmetic progression from `start` towards `end`, refusing results longer than the
  /// evaluation step limit (OPA would allocate until memory runs out).
  private static func generate(
    from start: ExactInteger, to end: ExactInteger, step: ExactInteger, context: BuiltinContext
  ) throws(BuiltinError) -> Value {
    let distance = (end - start).magnitude
    let count = ExactMagnitude.divide(distance, step.magnitude).quotient
    let limit = Swift.max(context.limits.maxEvaluationSteps, 1)
    guard let steps = count.uint64Value, steps < UInt64(limit) else {
      throw .failure("range has more than \(limit) elements")
    }
    let descending = ExactInteger.compare(start, end) > 0
    if let first = start.intValue, let stride = step.intValue, end.intValue != nil {
      // Every element lies between start and end, so none of this overflows.
      var elements: [Value] = []
      elements.reserveCapacity(Int(steps) + 1)
      var current = first
      for index in 0...Int(steps) {
        elements.append(.int(current))
        if index < Int(steps) { current = descending ? current - stride : current + stride }
      }
      return .array(elements)
    }
    let delta = descending ? step.negated : step
    var elements: [Value] = []
    elements.reserveCapacity(Int(steps) + 1)
    var current = start
    for _ in 0...Int(steps) {
      elements.append(.number(try current.number()))
      current = current + delta
    }
    return .array(elements)
  }
}
