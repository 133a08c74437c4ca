import PolicyCore
import RegoBuiltins
import Testing

private func call(_ name: String, _ arguments: Value...) throws(BuiltinError) -> Value {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
}

private func number(_ literal: String) -> Value { .number(Number(literal: literal)!) }

@Suite("Bits builtins")
struct BitsTests {
  @Test("and, or, xor, negate on machine integers")
  func small() throws {
    #expect(try call("bits.and", 7, 9) == 1)
    #expect(try call("bits.and", 50, 0) == 0)
    #expect(try call("bits.or", 5, 3) == 7)
    #expect(try call("bits.xor", 42, 3) == 41)
    #expect(try call("bits.xor", 10, -20) == -26)
    #expect(try call("bits.xor", -10, -20) == 26)
    #expect(try call("bits.negate", 42) == -43)
    #expect(try call("bits.negate", -1) == 0)
  }

  @Test("shifts")
  func shifts() throws {
    #expect(try call("bits.lsh", 1, 3) == 8)
    #expect(try call("bits.lsh", 10, 20) == 10_485_760)
    #expect(try call("bits.lsh", 2_147_483_647, 1) == 4_294_967_294)
    #expect(try call("bits.lsh", 9_223_372_036_854_775_807, 1).numberValue?.text == "18446744073709551614")
    #expect(try call("bits.lsh", -3, 64).numberValue?.text == "-55340232221128654848")
    #expect(try call("bits.lsh", 0, 100_000) == 0)
    #expect(try call("bits.rsh", 8, 3) == 1)
    #expect(try call("bits.rsh", 10, 20) == 0)
    #expect(try call("bits.rsh", 100, 3) == 12)
    #expect(try call("bits.rsh", -1, 5) == -1)
    #expect(try call("bits.rsh", -9, 1) == -5)
    #expect(try call("bits.rsh", -9, 200) == -1)
    #expect(try call("bits.rsh", number("18446744073709551614"), 1) == 9_223_372_036_854_775_807)
    #expect(try call("bits.rsh", number("-18446744073709551617"), 64) == -2)
  }

  @Test("big integers behave as infinite two's complement")
  func bigIntegers() throws {
    let big = number("18446744073709551616")  // 2^64
    #expect(try call("bits.or", big, 1).numberValue?.text == "18446744073709551617")
    #expect(try call("bits.and", big, -1).numberValue?.text == "18446744073709551616")
    #expect(try call("bits.and", number("18446744073709551615"), -256).numberValue?.text == "18446744073709551360")
    #expect(try call("bits.xor", big, -1).numberValue?.text == "-18446744073709551617")
    #expect(try call("bits.negate", big).numberValue?.text == "-18446744073709551617")
    #expect(try call("bits.and", number("-18446744073709551616"), number("-18446744073709551617")).numberValue?.text
      == "-36893488147419103232")
    #expect(try call("bits.or", number("-18446744073709551616"), 5).numberValue?.text == "-18446744073709551611")
  }

  @Test("operand errors")
  func errors() {
    #expect(throws: BuiltinError(.type, "operand 1 must be integer number but got floating-point number")) {
      try call("bits.and", number("7.2"), 42)
    }
    #expect(throws: BuiltinError(.type, "operand 1 must be integer number but got floating-point number")) {
      try call("bits.lsh", number("7.2"), 42)
    }
    #expect(throws: BuiltinError(.type, "operand 1 must be integer number but got floating-point number")) {
      try call("bits.xor", number("7.2"), 42)
    }
    #expect(throws: BuiltinError(.type, "operand 2 must be integer but got string")) {
      try call("bits.xor", 7, "hi")
    }
    #expect(throws: BuiltinError(.type, "operand 2 must be an unsigned integer number but got a negative integer")) {
      try call("bits.rsh", 7, -1)
    }
    #expect(throws: BuiltinError(.type, "operand 2 must be an unsigned integer number but got a negative integer")) {
      try call("bits.lsh", 7, -1)
    }
    #expect(throws: BuiltinError(.builtin, "number too large")) { try call("bits.lsh", 1, 1_000_000) }
  }
}
