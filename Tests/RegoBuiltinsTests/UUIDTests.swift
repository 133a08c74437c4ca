import PolicyCore
import RegoBuiltins
import Testing

private func call(_ name: String, _ arguments: [Value], _ context: BuiltinContext = BuiltinContext(now: 0))
  throws(BuiltinError) -> Value
{
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), context)
}

@Suite("uuid builtins")
struct UUIDTests {
  @Test("uuid.parse versions and variants (conformance uuid)")
  func parse() throws {
    let v4: Value = ["variant": "RFC4122", "version": 4]
    #expect(try call("uuid.parse", ["00000000-0000-4000-8000-000000000000"]) == v4)
    #expect(try call("uuid.parse", ["{00000000-0000-4000-8000-000000000000}"]) == v4)
    #expect(try call("uuid.parse", ["6bea8ef2d3d33cd184e09bab06a52ece"]) == ["variant": "RFC4122", "version": 3])
    #expect(try call("uuid.parse", ["38074da4-0b00-388d-9c3c-362de965547a"]) == ["variant": "RFC4122", "version": 3])
    let v2: Value = [
      "clocksequence": 12800, "domain": "Person", "id": 1000, "macvariables": "local:unicast",
      "nodeid": "32-50-96-b3-9f-47", "time": 1_693_566_990_121_469_600, "variant": "RFC4122", "version": 2,
    ]
    #expect(try call("uuid.parse", ["000003e8-48b9-21ee-b200-325096b39f47"]) == v2)
    #expect(try call("uuid.parse", ["urn:uuid:000003e8-48b9-21ee-b200-325096b39f47"]) == v2)
    #expect(try call("uuid.parse", ["URN:UUID:000003e8-48b9-21ee-b200-325096b39f47"]) == v2)
    // Timestamps past 2262 wrap as Go's int64 arithmetic does, without trapping.
    #expect(try call("uuid.parse", ["ffffffff-ffff-1fff-bfff-ffffffffffff"])["version"] == 1)
  }

  @Test("uuid.parse is undefined for non-UUIDs and a type error for non-strings")
  func parseInvalid() throws {
    for text in ["", "not-a-uuid", "00000000-0000-4000-8000-00000000000g", "00000000x0000-4000-8000-000000000000"] {
      #expect(try call("uuid.parse", [.string(text)]) == .undefined, "\(text)")
    }
    #expect(throws: BuiltinError(.type, "operand 1 must be string but got number")) {
      try call("uuid.parse", [123])
    }
  }

  @Test("uuid.rfc4122 is a v4 UUID, stable per key within one evaluation")
  func rfc4122() throws {
    let context = BuiltinContext(now: 0)
    let first = try call("uuid.rfc4122", ["a"], context)
    #expect(try call("uuid.rfc4122", ["a"], context) == first)
    #expect(try call("uuid.rfc4122", ["b"], context) != first)
    #expect(try call("uuid.rfc4122", ["a"], BuiltinContext(now: 0)) != first)
    guard case .string(let text) = first else {
      Issue.record("not a string")
      return
    }
    let parsed = try call("uuid.parse", [first])
    #expect(parsed == ["variant": "RFC4122", "version": 4])
    #expect(text.count == 36)
    #expect(text == text.lowercased())
  }
}
