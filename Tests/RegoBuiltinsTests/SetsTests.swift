import PolicyCore
import RegoBuiltins
import Testing

private func call(_ name: String, _ arguments: Value...) throws(BuiltinError) -> Value {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
}

private func set(_ elements: Value...) -> Value { .set(ValueSet(elements)) }

@Suite("Set builtins")
struct SetsTests {
  @Test("& and |")
  func binary() throws {
    #expect(try call("and", set(3, 2, 3), set(3, 4, 3)) == set(3))
    #expect(try call("and", set(1), set(2)) == set())
    #expect(try call("or", set(3, 2, 3), set(3, 4, 3)) == set(2, 3, 4))
    #expect(throws: BuiltinError(.type, "operand 1 must be set but got array")) { try call("and", [1], set(1)) }
    #expect(throws: BuiltinError(.type, "operand 2 must be set but got number")) { try call("or", set(1), 1) }
  }

  @Test("intersection of a set of sets")
  func intersection() throws {
    #expect(try call("intersection", set()) == set())
    #expect(try call("intersection", set(set(), set(1, 2))) == set())
    #expect(try call("intersection", set(set(1, 2, 3), set(2))) == set(2))
    #expect(try call("intersection", set(set(1, 2, 3), set(2, 3, 4), set(4, 5, 6))) == set())
    #expect(try call("intersection", set(set(1, 2, 3), set(2, 3, 4))) == set(2, 3))
    #expect(throws: BuiltinError(.type, "operand 1 must be set but got number")) {
      try call("intersection", set(set(1), 1))
    }
    #expect(throws: BuiltinError(.type, "operand 1 must be set but got array")) { try call("intersection", [set(1)]) }
  }

  @Test("union of a set of sets")
  func union() throws {
    #expect(try call("union", set()) == set())
    #expect(try call("union", set(set(), set(1, 2))) == set(1, 2))
    #expect(try call("union", set(set(1, 2, 3), set(2))) == set(1, 2, 3))
    #expect(try call("union", set(set(1, 2, 3), set(2, 3, 4), set(4, 5, 6))) == set(1, 2, 3, 4, 5, 6))
    #expect(
      try call("union", set(set("a", "b", "c", "d"), set("b", "c", "d"), set("c", "d"), set("d")))
        == set("a", "b", "c", "d"))
    #expect(throws: BuiltinError(.type, "operand 1 must be set but got string")) { try call("union", set("a")) }
  }
}
