import PolicyCore
import RegoBuiltins
import Testing

private func call(_ name: String, _ arguments: Value...) throws(BuiltinError) -> Value {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
}

private func number(_ literal: String) -> Value { .number(Number(literal: literal)!) }

private func set(_ elements: Value...) -> Value { .set(ValueSet(elements)) }

@Suite("Aggregate builtins")
struct AggregatesTests {
  @Test("count counts elements, members and code points")
  func count() throws {
    #expect(try call("count", [1, 2, 3, 4]) == 4)
    #expect(try call("count", ["v1": "hello", "v2": "goodbye"]) == 2)
    #expect(try call("count", set(1, 2, 3, 4)) == 4)
    #expect(try call("count", "abcde") == 5)
    #expect(try call("count", "åäö") == 3)
    #expect(try call("count", "") == 0)
  }

  @Test("count rejects other kinds with OPA's type error")
  func countErrors() {
    #expect(throws: BuiltinError(.type, "operand 1 must be one of {array, object, set, string} but got null")) {
      try call("count", .null)
    }
    #expect(throws: BuiltinError(.type, "operand 1 must be one of {array, object, set, string} but got number")) {
      try call("count", 5)
    }
  }

  @Test("sum and product over arrays and sets")
  func sumAndProduct() throws {
    #expect(try call("sum", [1, 2, 3, 4]) == 10)
    #expect(try call("sum", set(1, 2, 3, 4)) == 10)
    #expect(try call("sum", []) == 0)
    #expect(try call("product", [1, 2, 3, 4]) == 24)
    #expect(try call("product", set(1, 2, 3, 4)) == 24)
    #expect(try call("product", []) == 1)
  }

  @Test("sum and product stay exact for big integers")
  func bigIntegerAggregates() throws {
    #expect(try call("sum", [.int(Int.max), 1]).numberValue?.text == "9223372036854775808")
    #expect(try call("sum", [number("28857836529306024611913"), 1]).numberValue?.text == "28857836529306024611914")
    #expect(try call("product", [.int(Int.max), .int(Int.max)]).numberValue?.text
      == "85070591730234615847396907784232501249")
  }

  @Test("sum and product of fractions use OPA's float arithmetic")
  func fractionalAggregates() throws {
    #expect(try call("sum", [number("0.1"), number("0.2")]).numberValue?.text == "0.3")
    #expect(try call("sum", [number("1.5"), 1]).numberValue?.text == "2.5")
    // product accumulates in a 53-bit big.Float (big.NewFloat(1)), like a double.
    #expect(try call("product", [number("0.1"), 3]).numberValue?.text == "0.30000000000000004")
    #expect(try call("product", [number("2.5"), 2]) == 5)
  }

  @Test("sum and product reject non-numbers")
  func sumErrors() {
    #expect(throws: BuiltinError(.type, "operand 1 must be array of numbers but got array containing string")) {
      try call("sum", [1, "a"])
    }
    #expect(throws: BuiltinError(.type, "operand 1 must be set of numbers but got set containing null")) {
      try call("product", set(1, .null))
    }
    #expect(throws: BuiltinError(.type, "operand 1 must be one of {set, array} but got string")) {
      try call("sum", "12")
    }
  }

  @Test("max and min follow the total order and are undefined when empty")
  func maxMin() throws {
    #expect(try call("max", set(1, 2, 3, 4)) == 4)
    #expect(try call("max", [1, 2, 3, 4]) == 4)
    #expect(try call("min", [1, 2, 3, 4]) == 1)
    #expect(try call("min", [3, 2, 1, 4, 6, -7, 10]) == -7)
    #expect(try call("min", set(1, 2, 3, 4)) == 1)
    #expect(try call("max", [1, "a", .null]) == "a")
    #expect(try call("min", [1, "a", .null]) == .null)
    #expect(try call("max", []) == .undefined)
    #expect(try call("min", .set(ValueSet())) == .undefined)
    #expect(throws: BuiltinError(.type, "operand 1 must be one of {set, array} but got object")) {
      try call("max", [:])
    }
  }

  @Test("sort returns a sorted array")
  func sort() throws {
    #expect(try call("sort", [4, 3, 2, 1]) == [1, 2, 3, 4])
    #expect(try call("sort", set("b", "a", 2)) == [2, "a", "b"])
    #expect(try call("sort", [[1], "x", .null, true]) == [.null, true, "x", [1]])
    #expect(throws: BuiltinError(.type, "operand 1 must be one of {set, array} but got number")) {
      try call("sort", 1)
    }
  }

  @Test("x in collection")
  func member() throws {
    #expect(try call("internal.member_2", 1, set(1)) == true)
    #expect(try call("internal.member_2", 1, [1]) == true)
    #expect(try call("internal.member_2", 1, ["foo": 1]) == true)
    #expect(try call("internal.member_2", 1, set(2)) == false)
    #expect(try call("internal.member_2", 1, [2]) == false)
    #expect(try call("internal.member_2", 1, ["foo": 2]) == false)
    #expect(try call("internal.member_2", 1, "foo") == false)
    #expect(try call("internal.member_2", "foo", 1) == false)
    #expect(try call("internal.member_2", set(1, 2), [set(1, 2)]) == true)
    #expect(try call("internal.member_2", ["foo": ["baz": 2000]], [["foo": ["baz": 2000]]]) == true)
    #expect(try call("internal.member_2", number("1.0"), [1]) == true)
  }

  @Test("key, value in collection")
  func memberWithKey() throws {
    #expect(try call("internal.member_3", "foo", 1, ["foo": 1]) == true)
    #expect(try call("internal.member_3", 1, "two", ["one", "two", "three"]) == true)
    #expect(try call("internal.member_3", 1, 2, [2]) == false)
    #expect(try call("internal.member_3", 0, 2, [2]) == true)
    #expect(try call("internal.member_3", "foo", 2, ["foo": 2]) == true)
    #expect(try call("internal.member_3", "foo", 2, ["bar": 2]) == false)
    #expect(try call("internal.member_3", 1, "foo", 1) == false)
    #expect(try call("internal.member_3", -1, "x", ["x"]) == false)
    #expect(try call("internal.member_3", 5, "x", ["x"]) == false)
    #expect(try call("internal.member_3", "a", "a", set("a")) == true)
    #expect(try call("internal.member_3", "a", "b", set("a")) == false)
    // OPA indexes arrays only with integers written as integers.
    #expect(try call("internal.member_3", number("0.0"), "x", ["x"]) == false)
  }
}
