import PolicyCore
import RegoBuiltins
import Testing

private func call(_ name: String, _ arguments: Value...) throws(BuiltinError) -> Value {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
}

private func failure(_ name: String, _ arguments: Value...) -> BuiltinError? {
  do {
    _ = try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
    return nil
  } catch {
    return error
  }
}

@Suite("array builtins")
struct ArraysTests {
  @Test("array.concat joins two arrays and type-checks both operands")
  func concat() throws {
    #expect(try call("array.concat", [1, 2], [3, 4]) == [1, 2, 3, 4])
    #expect(try call("array.concat", [], []) == [])
    let left = failure("array.concat", ["v1": "hello"], [3, 4])
    #expect(left == BuiltinError(.type, "operand 1 must be array but got object"))
    let right = failure("array.concat", [1, 2], ["v1": "hello"])
    #expect(right == BuiltinError(.type, "operand 2 must be array but got object"))
  }

  @Test("array.slice clamps its indices instead of failing")
  func slice() throws {
    #expect(try call("array.slice", [1, 2, 3, 4, 5], 1, 3) == [2, 3])
    #expect(try call("array.slice", [1, 2, 3], 0, 0) == [])
    #expect(try call("array.slice", [1, 2, 3, 4, 5], -4, -1) == [])
    #expect(try call("array.slice", [1, 2, 3, 4, 5], 4, 1) == [])
    #expect(try call("array.slice", [1, 2, 3], 1000, 2000) == [])
    #expect(try call("array.slice", [1, 2, 3], -10, 2) == [1, 2])
    #expect(try call("array.slice", [1, 2, 3], 1, 99) == [2, 3])
    #expect(failure("array.slice", [1], 0.5, 1) == BuiltinError(.type, "operand 2 must be integer number but got floating-point number"))
    #expect(failure("array.slice", [1], 0, "1") == BuiltinError(.type, "operand 3 must be number but got string"))
  }

  @Test("array.reverse reverses and rejects non-arrays")
  func reverse() throws {
    #expect(try call("array.reverse", [1, 2, 3]) == [3, 2, 1])
    #expect(try call("array.reverse", []) == [])
    #expect(failure("array.reverse", ["bar": "baz"]) == BuiltinError(.type, "operand 1 must be array but got object"))
  }

  @Test("array.flatten splices nested arrays one level deep")
  func flatten() throws {
    #expect(try call("array.flatten", []) == [])
    #expect(try call("array.flatten", [[1, 2], [3, 4], [5]]) == [1, 2, 3, 4, 5])
    #expect(try call("array.flatten", [1, 2, [3]]) == [1, 2, 3])
    #expect(try call("array.flatten", [[[1], [2, 3, []]], [[4, 5]]]) == [[1], [2, 3, []], [4, 5]])
    #expect(
      try call("array.flatten", [[1, 2], "string", [3, ["a": "b"]], 4.5, [6, [7, 8]]])
        == [1, 2, "string", 3, ["a": "b"], 4.5, 6, [7, 8]])
    #expect(failure("array.flatten", 42) == BuiltinError(.type, "operand 1 must be array but got number"))
  }
}
