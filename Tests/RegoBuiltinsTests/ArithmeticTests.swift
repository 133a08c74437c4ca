import PolicyCore
import RegoBuiltins
import Testing

private func call(_ name: String, _ arguments: Value...) throws(BuiltinError) -> Value {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
}

private func number(_ literal: String) -> Value { .number(Number(literal: literal)!) }

/// The text OPA would print for the result.
private func text(_ name: String, _ arguments: Value...) throws(BuiltinError) -> String? {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
    .numberValue?.text
}

private func set(_ elements: Value...) -> Value { .set(ValueSet(elements)) }

@Suite("Arithmetic builtins")
struct ArithmeticTests {
  @Test("integer operators")
  func integers() throws {
    #expect(try call("plus", 1, 2) == 3)
    #expect(try call("minus", 0, 1) == -1)
    #expect(try call("mul", 3, 4) == 12)
    #expect(try call("div", 6, 3) == 2)
    #expect(try call("rem", 7, 3) == 1)
    #expect(try call("rem", -7, 3) == -1)
    #expect(try call("rem", 7, -3) == 1)
    #expect(try call("plus", 49_649_733_057, 1) == 49_649_733_058)
  }

  @Test("integers beyond Int64 stay exact")
  func bigIntegers() throws {
    #expect(try text("plus", .int(Int.max), 1) == "9223372036854775808")
    #expect(try text("minus", .int(Int.min), 1) == "-9223372036854775809")
    #expect(try text("mul", .int(Int.max), 3) == "27670116110564327421")
    #expect(try text("mul", number("18446744073709551615"), number("18446744073709551615"))
      == "340282366920938463426481119284349108225")
    #expect(try text("plus", number("28857836529306024611913"), number("-28857836529306024611912")) == "1")
    #expect(try text("rem", number("100000000000000000000000"), 7) == "5")
    #expect(try text("rem", 10, number("18446744073709551616")) == "10")
    #expect(try text("minus", number("1e20"), 1) == "99999999999999999999")
    #expect(try call("plus", .int(Int.max), number("-1")) == .int(Int.max - 1))
  }

  @Test("big integer golden values", arguments: [
    (
      "rem", "929044837319258198610569809182847783848555576", "9815234154794725083583605",
      "8835064525118768844878781"
    ),
    (
      "mul", "929044837319258198610569809182847783848555576", "9815234154794725083583605",
      "9118792618591692108938444318165671656293806713805907974459649084931480"
    ),
    (
      "minus", "929044837319258198610569809182847783848555576", "9815234154794725083583605",
      "929044837319258198600754575028053058764971971"
    ),
    (
      "rem", "-99700834110245889439786524064349365273710808", "8211393821999735190194137",
      "-2689592946437675737009095"
    ),
    (
      "rem", "771692400790765432007074948017461215354142381", "-3495762816418560984922159",
      "502715829625188030702629"
    ),
    (
      "plus", "-318617591584245590097479240995744366017156271", "7672915552049220441740495",
      "-318617591584245590089806325443695145575415776"
    ),
  ])
  func bigIntegerGolden(name: String, x: String, y: String, expected: String) throws {
    #expect(try text(name, number(x), number(y)) == expected)
  }

  @Test("64-bit float golden values", arguments: [
    ("div", "22", "7", "3.1428571428571428572"),
    ("div", "1", "3e10", "3.3333333333333333333e-11"),
    ("div", "-5", "3", "-1.6666666666666666666"),
    ("div", "12345678901234567890123", "7", "1763668414462081127200"),
    ("mul", "0.1", "0.1", "0.010000000000000000001"),
    ("mul", "1.0000000000000000001", "1.0000000000000000001", "1.0000000000000000002"),
    ("minus", "0.3", "0.1", "0.20000000000000000002"),
    ("plus", "1e20", "0.5", "100000000000000000000"),
    ("plus", "123456.789", "0.001", "123456.79"),
    ("mul", "-2.5", "0", "0"),
  ])
  func floatGolden(name: String, x: String, y: String, expected: String) throws {
    #expect(try text(name, number(x), number(y)) == expected)
  }

  @Test("division prints OPA's 64-bit binary float quotient")
  func division() throws {
    #expect(try text("div", 1, 3) == "0.33333333333333333334")
    #expect(try text("div", 2, 3) == "0.6666666666666666667")
    #expect(try text("div", 1, 7) == "0.14285714285714285714")
    #expect(try text("div", 10, 4) == "2.5")
    #expect(try text("div", 1, 10) == "0.1")
    #expect(try text("div", 1, 100_000) == "1e-05")
    #expect(try text("div", 0, 5) == "0")
    #expect(try text("div", 3, number("0.5")) == "6")
    // A big integer quotient keeps only the digits the 64-bit value needs.
    #expect(try text("div", number("1180591620717411303424"), 2) == "590295810358705651700")
  }

  @Test("division by zero in any spelling")
  func divideByZero() {
    for zero in [Value.int(0), number("0.0"), number("0e5"), number("-0")] {
      #expect(throws: BuiltinError(.builtin, "divide by zero")) { try call("div", 1, zero) }
    }
  }

  @Test("decimal arithmetic prints as OPA prints it")
  func decimals() throws {
    #expect(try text("plus", number("0.1"), number("0.2")) == "0.3")
    #expect(try text("mul", number("3.14"), 2) == "6.28")
    #expect(try text("minus", number("100.1"), number("0.1")) == "100")
    #expect(try text("mul", number("1.5"), 2) == "3")
    #expect(try text("plus", number("1234567.5"), 0) == "1.2345675e+06")
    #expect(try text("mul", number("0.0001"), 1) == "0.0001")
    #expect(try text("mul", number("0.00001"), 1) == "1e-05")
    #expect(try text("mul", number("1e30"), number("1.5")) == "1500000000000000000000000000000")
    #expect(try text("plus", number("2e-7"), number("0.5")) == "0.5000002")
    #expect(try text("mul", number("1e-400"), number("1.5")) == "1.5e-400")
    #expect(try text("plus", number("2.0"), 1) == "3")
  }

  @Test("remainder errors")
  func remainderErrors() {
    #expect(throws: BuiltinError(.builtin, "modulo on floating-point number")) { try call("rem", number("1.1"), 1) }
    #expect(throws: BuiltinError(.builtin, "modulo on floating-point number")) { try call("rem", number("1.5"), 0) }
    #expect(throws: BuiltinError(.builtin, "modulo by zero")) { try call("rem", 5, 0) }
    #expect(throws: BuiltinError(.builtin, "modulo by zero")) { try call("rem", number("1e30"), number("0.0")) }
    #expect(throws: BuiltinError(.type, "operand 2 must be number but got string")) { try call("rem", 5, "a") }
  }

  @Test("operand type errors")
  func typeErrors() {
    #expect(throws: BuiltinError(.type, "operand 1 must be number but got string")) { try call("plus", "1", 2) }
    #expect(throws: BuiltinError(.type, "operand 2 must be number but got null")) { try call("mul", 1, .null) }
    #expect(throws: BuiltinError(.type, "operand 1 must be number but got array")) { try call("abs", [1]) }
  }

  @Test("minus on sets, and its mismatch errors")
  func minusSets() throws {
    #expect(try call("minus", set(1, 2, "c"), set("c", 1)) == set(2))
    #expect(try call("minus", set(1), set()) == set(1))
    #expect(throws: BuiltinError(.type, "operand 2 must be set but got number")) { try call("minus", set(1), 1) }
    #expect(throws: BuiltinError(.type, "operand 2 must be number but got set")) { try call("minus", 1, set(1)) }
    #expect(throws: BuiltinError(.type, "operand 2 must be number but got string")) { try call("minus", set(1), "a") }
    #expect(throws: BuiltinError(.type, "operand 1 must be one of {number, set} but got string")) {
      try call("minus", "a", 1)
    }
  }

  @Test("abs, round, ceil, floor")
  func unary() throws {
    #expect(try call("abs", -4) == 4)
    #expect(try call("abs", -5) != 4)
    #expect(try text("abs", number("-1.1")) == "1.1")
    #expect(try text("abs", .int(Int.min)) == "9223372036854775808")
    #expect(try text("abs", number("-28857836529306024611913")) == "28857836529306024611913")
    #expect(try call("round", 0) == 0)
    #expect(try call("round", number("0.5")) == 1)
    #expect(try call("round", number("0.6666")) == 1)
    #expect(try call("round", number("0.49")) == 0)
    #expect(try call("round", number("2.5")) == 3)
    #expect(try call("round", number("-2.5")) == -3)
    #expect(try call("round", number("-0.4")) == 0)
    #expect(try text("round", number("2.0")) == "2")
    #expect(try call("ceil", number("1.2")) == 2)
    #expect(try call("ceil", number("-1.2")) == -1)
    #expect(try call("ceil", 7) == 7)
    #expect(try call("floor", number("1.8")) == 1)
    #expect(try call("floor", number("-1.2")) == -2)
    #expect(try call("floor", number("-3")) == -3)
  }

  @Test("ceil and floor keep OPA's answers between -1 and 0")
  func ceilFloorQuirk() throws {
    // OPA truncates toward zero and a truncated zero has no sign, so it rounds these the wrong
    // way; we match OPA.
    #expect(try call("ceil", number("-0.5")) == 1)
    #expect(try call("floor", number("-0.5")) == 0)
  }

  @Test("the public arithmetic API used by the interpreter")
  func publicAPI() throws {
    #expect(try RegoArithmetic.add(Number(2), Number(3)) == Number(5))
    #expect(try RegoArithmetic.subtract(Number(2), Number(3)) == Number(-1))
    #expect(try RegoArithmetic.multiply(Number(Int.max), Number(2)).text == "18446744073709551614")
    #expect(try RegoArithmetic.divide(Number(1), Number(4)).text == "0.25")
    #expect(try RegoArithmetic.remainder(Number(9), Number(4)) == Number(1))
    #expect(try RegoArithmetic.negate(Number(Int.min)).text == "9223372036854775808")
    #expect(try RegoArithmetic.negate(Number(literal: "1.5")!).text == "-1.5")
    #expect(throws: BuiltinError(.builtin, "divide by zero")) { try RegoArithmetic.divide(Number(1), Number(0)) }
  }

  @Test("absurdly large numbers are refused rather than computed")
  func tooLarge() {
    #expect(throws: BuiltinError(.builtin, "number too large")) { try call("plus", number("1e100000"), 1) }
    #expect(throws: BuiltinError(.builtin, "number too large")) { try call("mul", number("1.5e100000"), 2) }
  }

  @Test("numbers.range in both directions")
  func range() throws {
    #expect(try call("numbers.range", 0, 0) == [0])
    #expect(try call("numbers.range", -2, 3) == [-2, -1, 0, 1, 2, 3])
    #expect(try call("numbers.range", 2, -1) == [2, 1, 0, -1])
    #expect(try call("numbers.range", 0, 1) == [0, 1])
    #expect(
      try call("numbers.range", 49_649_733_057, 49_649_733_060)
        == [49_649_733_057, 49_649_733_058, 49_649_733_059, 49_649_733_060])
    let big = try call("numbers.range", number("9223372036854775806"), number("9223372036854775808"))
    #expect(big.arrayValue?.compactMap { $0.numberValue?.text }
      == ["9223372036854775806", "9223372036854775807", "9223372036854775808"])
  }

  @Test("numbers.range operand errors")
  func rangeErrors() {
    #expect(throws: BuiltinError(.type, "operand 2 must be integer number but got floating-point number")) {
      try call("numbers.range", 3, number("3.14"))
    }
    #expect(throws: BuiltinError(.type, "operand 1 must be integer but got string")) {
      try call("numbers.range", "1", 3)
    }
    #expect(throws: BuiltinError(.builtin, "range has more than 10 elements")) {
      try BuiltinRegistry.standard["numbers.range"]!.implementation(
        BuiltinArguments([1, 100]), BuiltinContext(now: 0, limits: Limits(maxEvaluationSteps: 10)))
    }
  }

  @Test("numbers.range_step")
  func rangeStep() throws {
    #expect(try call("numbers.range_step", 0, 10, 2) == [0, 2, 4, 6, 8, 10])
    #expect(try call("numbers.range_step", 0, -10, 2) == [0, -2, -4, -6, -8, -10])
    #expect(try call("numbers.range_step", 10, 3, 2) == [10, 8, 6, 4])
    #expect(try call("numbers.range_step", 1024, 4096, 1024) == [1024, 2048, 3072, 4096])
    #expect(try call("numbers.range_step", 2, 2, 2) == [2])
    #expect(try call("numbers.range_step", 2, 5, 2) == [2, 4])
    #expect(try call("numbers.range_step", 0, 10, number("99999999999999999999")) == [0])
    #expect(throws: BuiltinError(.builtin, "numbers.range_step: step must be a positive integer")) {
      try call("numbers.range_step", 0, 10, -2)
    }
    #expect(throws: BuiltinError(.builtin, "numbers.range_step: step must be a positive integer")) {
      try call("numbers.range_step", 0, 10, 0)
    }
    #expect(throws: BuiltinError(.type, "operand 3 must be integer number but got floating-point number")) {
      try call("numbers.range_step", 0, 10, number("0.5"))
    }
  }
}
