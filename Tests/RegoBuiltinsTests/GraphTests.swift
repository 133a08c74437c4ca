import PolicyCore
import RegoBuiltins
import Testing

private func call(_ name: String, _ arguments: Value...) throws(BuiltinError) -> Value {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
}

private func set(_ elements: Value...) -> Value { .set(ValueSet(elements)) }

@Suite("Graph builtins")
struct GraphTests {
  private let components: Value = [
    "a": set("b", "c"), "b": set("d"), "c": set("d"), "d": set(), "e": set("f"), "f": set("e"), "x": set("x"),
  ]

  @Test("graph.reachable")
  func reachable() throws {
    #expect(try call("graph.reachable", ["a": set("b"), "b": set("c"), "c": set("a")], set("a")) == set("a", "b", "c"))
    #expect(try call("graph.reachable", components, set("b", "e")) == set("b", "d", "e", "f"))
    #expect(try call("graph.reachable", ["a": ["b"], "b": ["c"], "c": ["a"]], ["a"]) == set("a", "b", "c"))
    // Nodes that are not keys are not reported; edges of other kinds list no neighbours.
    #expect(try call("graph.reachable", ["a": ["b"]], ["a", "z"]) == set("a"))
    #expect(try call("graph.reachable", ["a": .null], ["a"]) == set("a"))
    #expect(try call("graph.reachable", [:], set()) == set())
  }

  @Test("graph.reachable operand errors")
  func reachableErrors() {
    #expect(throws: BuiltinError(.type, "operand 1 must be object but got number")) {
      try call("graph.reachable", 1, [1])
    }
    #expect(throws: BuiltinError(.type, "operand 2 must be {array, set} but got string")) {
      try call("graph.reachable", ["a": []], "a")
    }
  }

  @Test("graph.reachable_paths")
  func reachablePaths() throws {
    #expect(try call("graph.reachable_paths", [:], set("a")) == set())
    #expect(
      try call("graph.reachable_paths", ["a": set("b"), "b": set("c"), "c": set("a")], set("a"))
        == set(["a", "b", "c"]))
    #expect(try call("graph.reachable_paths", components, set("b", "e")) == set(["b", "d"], ["e", "f"]))
    #expect(try call("graph.reachable_paths", ["a": ["b"], "b": ["c"], "c": ["a"]], ["a"]) == set(["a", "b", "c"]))
    #expect(try call("graph.reachable_paths", ["a": .null], ["a"]) == set(["a"]))
    #expect(
      try call("graph.reachable_paths", ["a": ["b", "c"], "b": ["c"], "c": []], set("a"))
        == set(["a", "b", "c"], ["a", "c"]))
    #expect(
      try call("graph.reachable_paths", ["a": ["b"], "b": ["nonexistent"]], set("a", "b")) == set(["a", "b"], ["b"]))
  }

  @Test("graph.reachable_paths on issue 1022's graphs")
  func reachablePathsIssue1022() throws {
    let arrays: Value = [
      "one": ["two", "five"], "two": ["four"], "three": [""], "four": ["three"], "five": ["seven", "six"],
      "six": ["nine"], "seven": ["eight"], "eight": [""], "nine": [""],
    ]
    let expected = set(
      ["one", "five", "seven", "eight"], ["one", "five", "six", "nine"], ["one", "two", "four", "three"])
    #expect(try call("graph.reachable_paths", arrays, set("one")) == expected)
    let sets: Value = [
      "one": set("two", "five"), "two": set("four"), "three": set(""), "four": set("three"),
      "five": set("seven", "six"), "six": set("nine"), "seven": set("eight"), "eight": set(""), "nine": set(""),
    ]
    #expect(try call("graph.reachable_paths", sets, set("one")) == expected)
    let crossing: Value = [
      "one": ["two", "five"], "two": ["four"], "three": [""], "four": ["three"], "five": ["seven", "six"],
      "six": ["nine", "seven"], "seven": ["eight"], "eight": ["three"], "nine": [""],
    ]
    #expect(
      try call("graph.reachable_paths", crossing, set("one"))
        == set(
          ["one", "five", "seven", "eight", "three"], ["one", "five", "six", "nine"],
          ["one", "five", "six", "seven", "eight", "three"], ["one", "two", "four", "three"]))
  }

  @Test("graph.reachable_paths handles long chains and refuses path explosions")
  func reachablePathsLimits() throws {
    var chain: [(Value, Value)] = []
    for index in 0..<3_000 { chain.append((.int(index), [.int(index + 1)])) }
    let graph = Value.object(ValueObject(chain.map { ValueObject.Entry(key: $0.0, value: $0.1) }))
    let paths = try call("graph.reachable_paths", graph, [0])
    #expect(paths.setValue?.first?.arrayValue?.count == 3_000)
    #expect(throws: BuiltinError(.builtin, "more than 100 paths to explore")) {
      try BuiltinRegistry.standard["graph.reachable_paths"]!.implementation(
        BuiltinArguments([graph, [0]]), BuiltinContext(now: 0, limits: Limits(maxEvaluationSteps: 100)))
    }
  }

  @Test("graph.reachable_paths operand errors")
  func reachablePathsErrors() {
    #expect(throws: BuiltinError(.type, "operand 1 must be object but got number")) {
      try call("graph.reachable_paths", 1, [1])
    }
    #expect(throws: BuiltinError(.type, "operand 2 must be {array, set} but got string")) {
      try call("graph.reachable_paths", ["a": []], "a")
    }
  }
}
