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

private func set(_ elements: Value...) -> Value { .set(ValueSet(elements)) }

private func object(_ entries: (Value, Value)...) -> Value {
  .object(ValueObject(entries.map { ValueObject.Entry(key: $0.0, value: $0.1) }))
}

private func number(_ literal: String) -> Value { .number(Number(literal: literal)!) }

@Suite("json builtins")
struct JSONBuiltinsTests {
  @Test("json.marshal writes compact canonical JSON with sets as arrays")
  func marshal() throws {
    #expect(try call("json.marshal", [["foo": set(1, 2, 3)]]) == "[{\"foo\":[1,2,3]}]")
    #expect(try call("json.marshal", [1_234_567_890, 2_000_000, 1_000_000_000]) == "[1234567890,2000000,1000000000]")
    #expect(try call("json.marshal", ["b": 1, "a": [true, .null, "x"]]) == "{\"a\":[true,null,\"x\"],\"b\":1}")
    #expect(try call("json.marshal", number("1.50")) == "1.50")
    // Go escapes HTML-significant characters.
    #expect(try call("json.marshal", "<a&b>") == "\"\\u003ca\\u0026b\\u003e\"")
    // Non-string keys become their JSON text, sorted among the string keys.
    #expect(try call("json.marshal", object((1, "a"), ("0", "b"))) == "{\"0\":\"b\",\"1\":\"a\"}")
    #expect(try call("json.marshal", object((set(2, 1), "s"))) == "{\"[1,2]\":\"s\"}")
  }

  @Test("json.marshal_with_options indents like Go's MarshalIndent")
  func marshalWithOptions() throws {
    let value: Value = ["a": [1, 2], "b": [:], "c": []]
    #expect(try call("json.marshal_with_options", value, [:]) == "{\"a\":[1,2],\"b\":{},\"c\":[]}")
    #expect(try call("json.marshal_with_options", value, ["pretty": false, "indent": "  "]) == "{\"a\":[1,2],\"b\":{},\"c\":[]}")
    #expect(
      try call("json.marshal_with_options", value, ["pretty": true])
        == "{\n\t\"a\": [\n\t\t1,\n\t\t2\n\t],\n\t\"b\": {},\n\t\"c\": []\n}")
    #expect(try call("json.marshal_with_options", ["a": 1], ["indent": "  "]) == "{\n  \"a\": 1\n}")
    #expect(
      try call("json.marshal_with_options", ["a": [1]], ["prefix": "--", "indent": "  "])
        == "--{\n--  \"a\": [\n--    1\n--  ]\n--}")
    #expect(try call("json.marshal_with_options", 1, ["pretty": true]) == "1")
    #expect(
      failure("json.marshal_with_options", 1, ["foo": 1])
        == BuiltinError(.type, "operand 2 object contained unknown key foo"))
    #expect(
      failure("json.marshal_with_options", 1, ["pretty": 1]) == BuiltinError(.type, "operand 2 key pretty failed cast to bool"))
    #expect(
      failure("json.marshal_with_options", 1, ["indent": 1])
        == BuiltinError(.type, "operand 2 key indent failed cast to string: operand 0 must be string but got number"))
    #expect(failure("json.marshal_with_options", 1, "x") == BuiltinError(.type, "operand 2 must be object but got string"))
  }

  @Test("json.unmarshal parses exactly and fails on bad JSON")
  func unmarshal() throws {
    #expect(try call("json.unmarshal", "{\"a\": [1, 2.50, \"x\"]}") == ["a": [1, number("2.50"), "x"]])
    #expect(try call("json.unmarshal", "12345678901234567890123") == number("12345678901234567890123"))
    #expect(try call("json.unmarshal", "null") == .null)
    let error = failure("json.unmarshal", "{")
    #expect(error?.kind == .builtin)
    #expect(failure("json.unmarshal", 1) == BuiltinError(.type, "operand 1 must be string but got number"))
  }

  @Test("json.is_valid is false for bad JSON and non-strings")
  func isValid() throws {
    #expect(try call("json.is_valid", "plainstring") == false)
    #expect(try call("json.is_valid", "{") == false)
    #expect(try call("json.is_valid", "{\"json\": \"ok\"}") == true)
    #expect(try call("json.is_valid", 1) == false)
  }

  @Test("json.filter keeps selected paths")
  func filter() throws {
    let doc: Value = ["a": ["b": ["c": 7, "d": 8]], "e": 9]
    #expect(try call("json.filter", doc, set("a/b/c")) == ["a": ["b": ["c": 7]]])
    #expect(try call("json.filter", doc, set("a/b/c", "e")) == ["a": ["b": ["c": 7]], "e": 9])
    #expect(try call("json.filter", doc, ["a/b/c", "e"]) == ["a": ["b": ["c": 7]], "e": 9])
    #expect(try call("json.filter", ["a": ["b": ["c": 7, "d": 8], "e": 9]], set("a/b/c", "a/e")) == ["a": ["b": ["c": 7], "e": 9]])
    #expect(try call("json.filter", ["a": ["b": 7]], set("a", "a/b")) == ["a": ["b": 7]])
    #expect(try call("json.filter", [:], set("a/b")) == [:])
    #expect(try call("json.filter", ["a": [["1": ["b", "c", "d"]], ["x": "y"]]], set("a/0/1/2")) == ["a": [["1": ["d"]]]])
    #expect(try call("json.filter", doc, [["a", "b", "d"]]) == ["a": ["b": ["d": 8]]])
    #expect(try call("json.filter", ["a/b": 1, "c": 2], ["/a~1b"]) == ["a/b": 1])
    #expect(try call("json.filter", ["a": set("x", "y")], ["a/x"]) == ["a": set("x")])
  }

  @Test("json.remove drops selected paths")
  func remove() throws {
    let doc: Value = ["a": ["b": ["c": 7, "d": 8]], "e": 9]
    #expect(try call("json.remove", doc, set("a/b/c")) == ["a": ["b": ["d": 8]], "e": 9])
    #expect(try call("json.remove", doc, ["a/b/c", "e"]) == ["a": ["b": ["d": 8]]])
    #expect(try call("json.remove", ["a": ["b": 7], "c": 1], set("a", "a/b")) == ["c": 1])
    #expect(try call("json.remove", [:], set("a/b")) == [:])
    #expect(try call("json.remove", ["a": ["b": 7], "c": 1], set("a/b", "c")) == ["a": [:]])
    #expect(try call("json.remove", ["a": [["b": 7, "c": 8], ["d": 9]]], set("a/0/b", "a/1")) == ["a": [["c": 8]]])
    #expect(try call("json.remove", doc, set(["a", "b", "c"], ["e"])) == ["a": ["b": ["d": 8]]])
    #expect(
      try call("json.remove", ["a": ["b": ["c": 7, "d": 8, "x": 0]], "e": 9], set("a/b/d", ["a", "b", "c"]))
        == ["a": ["b": ["x": 0]], "e": 9])
    let original: Value = ["a": ["b": 2, "c": 3]]
    #expect(try call("json.remove", original, set("a")) == [:])
    #expect(try call("json.remove", original, set("a/b")) == ["a": ["c": 3]])
    #expect(try call("json.remove", original, set("a/c")) == ["a": ["b": 2]])
  }

  @Test("json.remove reports operand types as OPA does")
  func removeErrors() {
    for (value, name) in [("s", "string"), (1, "number"), (true, "boolean"), ([1], "array")] as [(Value, String)] {
      #expect(
        failure("json.remove", value, set("a/b/c")) == BuiltinError(.type, "operand 1 must be object but got \(name)"))
    }
    let doc: Value = ["a": ["b": ["c": 123]]]
    for (value, name) in [("s", "string"), (1, "number"), (["a": 1], "object")] as [(Value, String)] {
      #expect(failure("json.remove", doc, value) == BuiltinError(.type, "operand 2 must be one of {set, array} but got \(name)"))
    }
    let elementError = "operand 2 must be one of {set, array} containing string paths or array of path segments but got"
    #expect(failure("json.remove", doc, set(1)) == BuiltinError(.type, "\(elementError) number"))
    #expect(failure("json.remove", doc, set(["a": 1])) == BuiltinError(.type, "\(elementError) object"))
    #expect(failure("json.remove", doc, [["a": 1]]) == BuiltinError(.type, "\(elementError) object"))
  }

  @Test("json.patch applies RFC 6902 operations")
  func patch() throws {
    #expect(try call("json.patch", ["a": [1]], [["op": "add", "path": "/a/-", "value": 2]]) == ["a": [1, 2]])
    #expect(try call("json.patch", ["a": [1, 3]], [["op": "add", "path": "/a/1", "value": 2]]) == ["a": [1, 2, 3]])
    #expect(try call("json.patch", ["a": 1], [["op": "add", "path": "/b", "value": 2]]) == ["a": 1, "b": 2])
    #expect(try call("json.patch", ["a": 1], [["op": "remove", "path": "/a"]]) == [:])
    #expect(try call("json.patch", ["a": [1, 2, 3]], [["op": "remove", "path": "/a/0"]]) == ["a": [2, 3]])
    #expect(try call("json.patch", ["a": 1], [["op": "replace", "path": "/a", "value": 5]]) == ["a": 5])
    #expect(try call("json.patch", ["a": 1], [["op": "copy", "from": "/a", "path": "/b"]]) == ["a": 1, "b": 1])
    #expect(try call("json.patch", ["a": 1], [["op": "move", "from": "/a", "path": "/b"]]) == ["b": 1])
    #expect(try call("json.patch", ["a": 1], [["op": "test", "path": "/a", "value": 1]]) == ["a": 1])
    #expect(try call("json.patch", ["a": 1], [["op": "add", "path": "", "value": [1]]]) == [1])
    #expect(try call("json.patch", ["a": ["b": 1]], [["op": "add", "path": ["a", "c"], "value": 2]]) == ["a": ["b": 1, "c": 2]])
    #expect(try call("json.patch", "x", []) == "x")
  }

  @Test("json.patch is undefined when an operation fails")
  func patchFailures() throws {
    #expect(try call("json.patch", ["a": 1], [["op": "test", "path": "/a", "value": 2]]) == .undefined)
    #expect(try call("json.patch", ["a": 1], [["op": "remove", "path": "/b"]]) == .undefined)
    #expect(try call("json.patch", ["a": 1], [["op": "add", "path": "/b/c", "value": 1]]) == .undefined)
    #expect(try call("json.patch", ["a": [1]], [["op": "add", "path": "/a/5", "value": 1]]) == .undefined)
    #expect(try call("json.patch", ["a": [1]], [["op": "add", "path": "/a/01", "value": 1]]) == .undefined)
    #expect(try call("json.patch", ["a": [1]], [["op": "remove", "path": "/a/-"]]) == .undefined)
    #expect(try call("json.patch", ["a": 1], [["op": "frobnicate", "path": "/a"]]) == .undefined)
    #expect(try call("json.patch", ["a": 1], [["op": "add", "path": "/b"]]) == .undefined)
    #expect(try call("json.patch", ["a": 1], [1]) == .undefined)
    #expect(failure("json.patch", ["a": 1], "x") == BuiltinError(.type, "operand 2 must be array but got string"))
  }

  @Test("json.patch patches sets by element")
  func patchSets() throws {
    let doc: Value = ["foo": set("a", "b", "c")]
    #expect(try call("json.patch", doc, [["op": "remove", "path": "foo/b"]]) == ["foo": set("a", "c")])
    #expect(try call("json.patch", doc, [["op": "add", "path": "foo/d", "value": "d"]]) == ["foo": set("a", "b", "c", "d")])
    #expect(try call("json.patch", doc, [["op": "add", "path": "foo/d", "value": "e"]]) == .undefined)
    let two: Value = ["foo": set("a", "b"), "bar": set("c", "d")]
    #expect(
      try call("json.patch", two, [["op": "move", "from": "foo/a", "path": "bar/a"]])
        == ["foo": set("b"), "bar": set("a", "c", "d")])
    #expect(try call("json.patch", set([1]), [["op": "add", "path": [[1], 1], "value": 2]]) == set([1, 2]))
  }
}
