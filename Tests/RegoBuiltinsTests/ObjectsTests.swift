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

@Suite("object builtins")
struct ObjectsTests {
  @Test("object.get looks up single keys, including non-string ones, with a default")
  func getKey() throws {
    #expect(try call("object.get", ["a": "b"], "c", "c") == "c")
    #expect(try call("object.get", ["a": "b"], "a", "c") == "b")
    #expect(try call("object.get", object((1, 2)), 1, 3) == 2)
    #expect(try call("object.get", object((1, 2)), 2, 3) == 3)
    #expect(try call("object.get", object((1, 2)), 1.0, 3) == 2)
  }

  @Test("object.get follows array paths through objects, arrays and sets")
  func getPath() throws {
    #expect(try call("object.get", ["a": 1], [], 2) == ["a": 1])
    #expect(try call("object.get", ["a": 1], ["a"], 2) == 1)
    #expect(try call("object.get", ["a": ["b": 1]], ["a", "b"], 2) == 1)
    #expect(try call("object.get", ["a": ["b": ["c": 1]]], ["a", "b", "c"], 2) == 1)
    #expect(try call("object.get", ["a": 1], ["b"], 2) == 2)
    #expect(try call("object.get", ["a": ["b": 1]], ["b", "a"], 2) == 2)
    #expect(try call("object.get", ["a": ["b": ["c": 1]]], ["a", "b", "a"], 2) == 2)
    let nested = object((1, ["b": object(([1, 2, 3], 1))]))
    #expect(try call("object.get", nested, [1, "b", [1, 2, 3]], 2) == 1)
    #expect(try call("object.get", ["a": ["b": [1, 2, 3]]], ["a", "b", "a"], 2) == 2)
    #expect(try call("object.get", ["a": ["b": [["c": 1]]]], ["a", "b", 0, "c"], 2) == 1)
    #expect(try call("object.get", ["a": ["b": [["c": 1]]]], ["a", "b", 1, "c"], 2) == 2)
    #expect(try call("object.get", ["a": set("x", "y")], ["a", "x"], 2) == "x")
    #expect(try call("object.get", ["a": set("x", "y")], ["a", "z"], 2) == 2)
    #expect(failure("object.get", "str", ["a"], 2) == BuiltinError(.type, "operand 1 must be object but got string"))
  }

  @Test("object.keys returns the set of keys")
  func keys() throws {
    #expect(try call("object.keys", ["a": 1, "b": 2]) == set("a", "b"))
    #expect(try call("object.keys", object((1, 1), (2, 2))) == set(1, 2))
    #expect(try call("object.keys", object((["a": 1], 1), (["b": 2], 2))) == set(["a": 1], ["b": 2]))
    #expect(try call("object.keys", object((set("a"), 1), (set("b"), 2))) == set(set("a"), set("b")))
    #expect(try call("object.keys", object((["a"], 1), (["b"], 2))) == set(["a"], ["b"]))
    #expect(try call("object.keys", [:]) == set())
    #expect(failure("object.keys", "x") == BuiltinError(.type, "operand 1 must be object but got string"))
  }

  @Test("object.remove drops keys given as a set, array or object")
  func remove() throws {
    #expect(try call("object.remove", ["a": 1, "b": ["c": 3]], set("a")) == ["b": ["c": 3]])
    #expect(try call("object.remove", ["a": 1, "b": ["c": 3], "d": 4], set("b", "d")) == ["a": 1])
    #expect(try call("object.remove", ["a": 1, "b": ["c": 3], "d": 4], ["b": 1, "d": ""]) == ["a": 1])
    #expect(try call("object.remove", ["a": ["b": ["c": 2]], "x": 123], ["a": ["b": ["foo": "bar"]]]) == ["x": 123])
    #expect(try call("object.remove", ["a": 1, "b": ["c": 3]], []) == ["a": 1, "b": ["c": 3]])
    #expect(try call("object.remove", ["a": 1, "b": ["c": 3]], [:]) == ["a": 1, "b": ["c": 3]])
    #expect(try call("object.remove", ["a": 1, "b": ["c": 3]], set("z")) == ["a": 1, "b": ["c": 3]])
    #expect(try call("object.remove", object(("a", 1), ([[7]], 2)), set([[7]])) == ["a": 1])
    #expect(try call("object.remove", ["a": 1, "b": 2], ["a"]) == ["b": 2])
  }

  @Test("object.remove reports operand types as OPA does")
  func removeErrors() {
    #expect(failure("object.remove", [1], set("a")) == BuiltinError(.type, "operand 1 must be object but got array"))
    #expect(failure("object.remove", true, set("a")) == BuiltinError(.type, "operand 1 must be object but got boolean"))
    #expect(failure("object.remove", "s", set("a")) == BuiltinError(.type, "operand 1 must be object but got string"))
    #expect(failure("object.remove", .null, set("a")) == BuiltinError(.type, "operand 1 must be object but got null"))
    for (value, name) in [("s", "string"), (true, "boolean"), (1, "number"), (.null, "null")] as [(Value, String)] {
      #expect(
        failure("object.remove", ["a": 1], value)
          == BuiltinError(.type, "operand 2 must be one of {object, set, array} but got \(name)"))
    }
  }

  @Test("object.filter keeps keys given as a set, array or object")
  func filter() throws {
    #expect(try call("object.filter", ["a": ["b": ["c": 7, "d": 8]], "e": 9], set("a")) == ["a": ["b": ["c": 7, "d": 8]]])
    #expect(try call("object.filter", ["a": 1, "b": 2, "c": 3, "e": 9], set("a", "e")) == ["a": 1, "e": 9])
    #expect(try call("object.filter", ["a": 1, "b": 2, "c": 3, "e": 9], ["a": "foo", "e": ""]) == ["a": 1, "e": 9])
    #expect(try call("object.filter", ["a": 7], []) == [:])
    #expect(try call("object.filter", [:], set("a")) == [:])
    #expect(try call("object.filter", object(("a", 1), ([[7]], 2)), set([[7]])) == object(([[7]], 2)))
    #expect(failure("object.filter", [1], set("a")) == BuiltinError(.type, "operand 1 must be object but got array"))
    #expect(
      failure("object.filter", ["a": 1], "s")
        == BuiltinError(.type, "operand 2 must be one of {object, set, array} but got string"))
  }

  @Test("object.union merges recursively with the right side winning")
  func union() throws {
    #expect(try call("object.union", [:], [:]) == [:])
    #expect(try call("object.union", [:], ["a": 1]) == ["a": 1])
    #expect(try call("object.union", ["a": 1], [:]) == ["a": 1])
    #expect(try call("object.union", ["a": ["b": ["c": 1]]], ["b": 2]) == ["a": ["b": ["c": 1]], "b": 2])
    #expect(try call("object.union", ["b": 2], ["a": ["b": ["c": 1]]]) == ["a": ["b": ["c": 1]], "b": 2])
    #expect(try call("object.union", ["a": 1], ["a": 2]) == ["a": 2])
    #expect(try call("object.union", ["a": 1], ["a": ["b": ["c": 1]], "d": 7]) == ["a": ["b": ["c": 1]], "d": 7])
    #expect(
      try call("object.union", ["a": ["b": ["c": 1]], "e": 1], ["a": ["b": "foo", "b1": "bar"], "d": 7, "e": 17])
        == ["a": ["b": "foo", "b1": "bar"], "d": 7, "e": 17])
    #expect(try call("object.union", ["a": ["x": 1]], ["a": ["y": 2]]) == ["a": ["x": 1, "y": 2]])
    #expect(failure("object.union", ["a": 1], [1]) == BuiltinError(.type, "operand 2 must be object but got array"))
  }

  @Test("object.union_n folds object.union over an array")
  func unionN() throws {
    #expect(try call("object.union_n", [[:]]) == [:])
    #expect(try call("object.union_n", []) == [:])
    #expect(try call("object.union_n", [["foo": "bar"]]) == ["foo": "bar"])
    #expect(try call("object.union_n", [["foo": "bar"], ["x": "y"]]) == ["foo": "bar", "x": "y"])
    #expect(try call("object.union_n", [["foo": "bar"], ["foo": "baz"]]) == ["foo": "baz"])
    #expect(
      try call("object.union_n", [["a": 1, "b": 2, "c": 3], ["foo": "baz", "a": "a", "b": 2, "d": 4], ["a": "final A!", "e": 5.0]])
        == ["a": "final A!", "b": 2, "c": 3, "d": 4, "e": 5, "foo": "baz"])
    #expect(try call("object.union_n", [["a": ["b": 2]], ["a": 4], ["a": ["c": 3]]]) == ["a": ["c": 3]])
    #expect(try call("object.union_n", [["a": ["b": 2]], ["a": ["c": 3]]]) == ["a": ["b": 2, "c": 3]])
    #expect(
      failure("object.union_n", [["foo": 1], ["bar": 2], "baz"])
        == BuiltinError(.type, "operand 1 must be array of objects but got array containing string"))
    #expect(failure("object.union_n", ["a": 1]) == BuiltinError(.type, "operand 1 must be array but got object"))
  }

  @Test("object.subset on objects recurses into objects, sets and arrays")
  func subsetObjects() throws {
    let a: Value = ["a": 5, "b": 7, "c": 15]
    #expect(try call("object.subset", a, ["a": 5]) == true)
    #expect(try call("object.subset", ["a": 5], a) == false)
    #expect(try call("object.subset", a, ["a": 5, "b": 10]) == false)
    let nested: Value = [
      "a": 5, "b": 7, "c": 15,
      "nested": ["x": 10, "y": 15, "z": 20, "set1": set(1, 2, 3, 4), "arr1": [6, 7, 8, 9]],
    ]
    #expect(try call("object.subset", nested, ["a": 5, "nested": ["x": 10, "y": 15]]) == true)
    let sub: Value = ["a": 5, "nested": ["x": 10, "y": 15, "set1": set(4, 1), "arr1": [6, 7]]]
    #expect(try call("object.subset", nested, sub) == true)
    #expect(try call("object.subset", sub, nested) == false)
    #expect(try call("object.subset", ["a": [1, 2, 3]], ["a": [1, 3]]) == false)
  }

  @Test("object.subset on sets, arrays and array-with-set")
  func subsetCollections() throws {
    #expect(try call("object.subset", set(1, 2, 3), set(3, 2)) == true)
    #expect(try call("object.subset", set(3, 2), set(1, 2, 3)) == false)
    #expect(try call("object.subset", set(1, 2, 3, set("a", "b", "c")), set(3, 2, set("a", "b", "c"))) == true)
    #expect(try call("object.subset", set(1, 2, 3, set("a", "b", "c")), set(3, 2, set("a", "b"))) == false)
    let a: Value = [1, 2, 3, 4, 5, 6]
    #expect(try call("object.subset", a, [3, 4, 5]) == true)
    #expect(try call("object.subset", [3, 4, 5], a) == false)
    #expect(try call("object.subset", a, [1, 2, 3]) == true)
    #expect(try call("object.subset", a, [4, 5, 6]) == true)
    #expect(try call("object.subset", a, a) == true)
    #expect(try call("object.subset", a, [4, 5, 6, 8]) == false)
    #expect(try call("object.subset", a, [8, 9, 10]) == false)
    #expect(try call("object.subset", a, [1, 3]) == false)
    #expect(try call("object.subset", [1, 1, 2], [1, 2]) == true)
    #expect(try call("object.subset", a, set(4, 3, 2)) == true)
    #expect(try call("object.subset", a, set(9, 8, 7)) == false)
    #expect(
      failure("object.subset", set(4, 3, 2), a)
        == BuiltinError(.type, "both arguments object.subset must be of the same type or array and set"))
    #expect(failure("object.subset", 1, 1) != nil)
  }
}
