import PolicyCore
import RegoBuiltins
import Testing

private func call(_ name: String, _ arguments: Value...) throws(BuiltinError) -> Value {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
}

private func number(_ literal: String) -> Value { .number(Number(literal: literal)!) }

@Suite("Comparison builtins")
struct ComparisonTests {
  @Test("numbers")
  func numbers() throws {
    #expect(try call("equal", 1, 1) == true)
    #expect(try call("gt", 1, 0) == true)
    #expect(try call("gt", 2, 2) == false)
    #expect(try call("gte", 1, 1) == true)
    #expect(try call("gte", 1, 2) == false)
    #expect(try call("lt", -1, 0) == true)
    #expect(try call("lte", -1, 0) == true)
    #expect(try call("lte", 1, 1) == true)
    #expect(try call("lt", 1, 1) == false)
    #expect(try call("neq", 1, 2) == true)
  }

  @Test("integers and decimals compare by value")
  func intAndFloat() throws {
    #expect(try call("equal", 1, number("1.0")) == true)
    #expect(try call("equal", [1], [number("1.0")]) == true)
    #expect(try call("equal", [1: 1], [1: number("1.0")]) == true)
    #expect(try call("equal", ["x": [1, 2, ["b": number("3.0")]]], ["x": [1, 2, ["b": 3]]]) == true)
    #expect(try call("neq", number("28857836529306024611913"), number("28857836529306024611912")) == true)
    #expect(try call("lt", number("28857836529306024611912"), number("28857836529306024611913")) == true)
    #expect(try call("lt", number("0.1"), number("1e-1")) == false)
  }

  @Test("different kinds compare in OPA's total order")
  func totalOrder() throws {
    #expect(try call("lt", .null, false) == true)
    #expect(try call("lt", true, 0) == true)
    #expect(try call("lt", 100, "1") == true)
    #expect(try call("lt", "z", []) == true)
    #expect(try call("lt", [1], [:]) == true)
    #expect(try call("lt", ["a": 1], .set(ValueSet())) == true)
    #expect(try call("gt", "b", "a") == true)
    #expect(try call("equal", "a", 1) == false)
    #expect(try call("neq", .set(ValueSet([1, 2])), .set(ValueSet([2, 1]))) == false)
  }
}
