import PolicyCore
import RegoEngine
import Testing

/// Compiles modules and evaluates a query; returns the bindings of each result.
func evaluate(_ modules: [String], _ query: String, input: Value? = nil, version: RegoVersion = .v1) throws -> [[String: Value]] {
  let policy = try RegoPolicy(modules: modules.enumerated().map { RegoModule(name: "m\($0.offset).rego", text: $0.element, version: version) })
  return try policy.prepare(query).evaluate(input: input).map(\.bindings)
}

func compileError(_ text: String, version: RegoVersion = .v1) -> Diagnostic? {
  do {
    _ = try RegoPolicy(modules: [RegoModule(name: "bad.rego", text: text, version: version)])
    return nil
  } catch let error as Diagnostic {
    return error
  } catch {
    return nil
  }
}

@Suite("Rego language")
struct RegoLanguageTests {
  @Test("complete, partial set and partial object rules, functions, else and default")
  func ruleKinds() throws {
    let module = """
      package t
      import rego.v1
      default allow := false
      allow if input.user == "admin"
      names contains n if some n in ["a", "b"]
      lengths[n] := count(n) if some n in names
      f(x) := "big" if x > 10
      else := "small"
      """
    #expect(try evaluate([module], "x := data.t.allow", input: ["user": "admin"]) == [["x": true]])
    #expect(try evaluate([module], "x := data.t.allow", input: ["user": "bob"]) == [["x": false]])
    #expect(try evaluate([module], "x := data.t.names") == [["x": .set(ValueSet(["a", "b"]))]])
    #expect(try evaluate([module], "x := data.t.lengths") == [["x": ["a": 1, "b": 1]]])
    #expect(try evaluate([module], "x := data.t.f(11); y := data.t.f(1)") == [["x": "big", "y": "small"]])
  }

  @Test("iteration, comprehensions, every, not, with")
  func evaluation() throws {
    let module = """
      package t
      import rego.v1
      evens := [x | some x in input.xs; x % 2 == 0]
      all_positive if every x in input.xs { x > 0 }
      no_admin if not input.admin
      q := x if { x := data.t.evens with input.xs as [10, 11] }
      """
    let input: Value = ["xs": [1, 2, 3, 4]]
    #expect(try evaluate([module], "x := data.t.evens", input: input) == [["x": [2, 4]]])
    #expect(try evaluate([module], "data.t.all_positive", input: input) == [[:]])
    #expect(try evaluate([module], "data.t.no_admin", input: input) == [[:]])
    #expect(try evaluate([module], "x := data.t.q", input: input) == [["x": [10]]])
    #expect(try evaluate([module], "input.xs[i] == 3; x := i", input: input) == [["i": 2, "x": 2]])
  }

  @Test("Rego v0: partial-set heads, multi-body rules, bodiless functions, no if")
  func regoV0() throws {
    let module = """
      package k8s
      violation[{"msg": msg}] {
        c := input.containers[_]
        not accept(c.user, "RunAsAny")
        msg := sprintf("container %v runs as %v", [c.name, c.user])
      }
      accept(_, "RunAsAny")
      accept("root", _) { false }
      ok { input.a } { input.b }
      """
    let input: Value = ["containers": [["name": "a", "user": "root"]], "b": true]
    let rows = try evaluate([module], "data.k8s.violation[v]", input: input, version: .v0)
    #expect(rows == [])
    #expect(try evaluate([module], "data.k8s.ok", input: input, version: .v0) == [[:]])
    #expect(try evaluate([module], "x := data.k8s.violation", input: ["containers": [["name": "a", "user": "1"]]], version: .v0).count == 1)
  }

  @Test("a line starting with ( is not a call on the previous line")
  func newlineEndsExpression() throws {
    let module = """
      package t
      import rego.v1
      p := x if {
        x := count
        (1)
      }
      count := 5
      """
    #expect(try evaluate([module], "x := data.t.p") == [["x": 5]])
  }

  @Test("conflicts are eval_conflict_error")
  func conflicts() throws {
    let module = """
      package t
      import rego.v1
      p := 1
      p := 2 if true
      f(_) := 1
      f(_) := 2
      """
    #expect(throws: Diagnostic.self) { try evaluate([module], "x := data.t.p") }
    do {
      _ = try evaluate([module], "x := data.t.f(1)")
      Issue.record("expected a conflict")
    } catch let error as Diagnostic {
      #expect(error.code == .evalConflictError)
      #expect(error.message == "functions must not produce multiple outputs for same inputs")
    }
  }

  @Test("prepared queries evaluate concurrently with different inputs")
  func concurrency() async throws {
    let policy = try RegoPolicy(modules: [RegoModule(name: "m.rego", text: "package t\nimport rego.v1\ndouble := input.n * 2")])
    let query = try policy.prepare("x := data.t.double")
    let results = try await withThrowingTaskGroup(of: (Int, Value?).self) { group in
      for n in 0..<64 {
        group.addTask { (n, try query.evaluate(input: ["n": .int(n)]).first?.bindings["x"]) }
      }
      var collected: [Int: Value?] = [:]
      for try await (n, value) in group { collected[n] = value }
      return collected
    }
    for n in 0..<64 { #expect(results[n] == .int(2 * n)) }
  }

  @Test("an evaluation sees nothing of the one before: rule values, cached calls, with, errors")
  func evaluationsAreIndependent() throws {
    let policy = try RegoPolicy(modules: [
      RegoModule(
        name: "m.rego",
        text: """
          package t
          import rego.v1
          f(x) := y if y := sprintf("%v-%v", [x, input.tag])
          r := f(1)
          boom if 1 / input.zero > 0
          """)
    ])
    let query = try policy.prepare("x := data.t.r")
    // Sequential evaluations reuse interpreter storage; each result is its own input's.
    for tag in ["a", "b", "a", "c"] {
      #expect(try query.evaluate(input: ["tag": .string(tag)]).first?.bindings["x"] == .string("1-\(tag)"))
    }
    let mocked = try policy.prepare(#"x := data.t.r with input.tag as "m""#)
    #expect(try mocked.evaluate(input: ["tag": "z"]).first?.bindings["x"] == "1-m")
    #expect(try mocked.evaluate(input: ["tag": "y"]).first?.bindings["x"] == "1-m")
    #expect(try query.evaluate(input: ["tag": "after"]).first?.bindings["x"] == "1-after")
    // A strict evaluation that fails leaves nothing behind for the next one.
    let boom = try policy.prepare("data.t.boom")
    #expect(throws: Diagnostic.self) {
      try boom.evaluate(input: ["zero": 0], options: EvaluationOptions(strictBuiltinErrors: true))
    }
    #expect(try boom.evaluate(input: ["zero": 1]).count == 1)
  }
}

@Suite("Rego errors carry file:line:col and OPA's codes")
struct RegoErrorTests {
  @Test("parse errors")
  func parseErrors() {
    let error = compileError("package t\nimport rego.v1\np if {\n  x := [1, 2\n}\n")
    #expect(error?.code == .regoParseError)
    #expect(error?.description.hasPrefix("bad.rego:5:1: rego_parse_error:") == true, "\(String(describing: error))")
    let v1Body = compileError("package t\np { true }\n")
    #expect(v1Body?.code == .regoParseError)
    #expect(v1Body?.message.contains("`if` keyword is required") == true)
  }

  @Test("unsafe variables")
  func unsafe() {
    let error = compileError("package t\nimport rego.v1\np if {\n  x > 1\n}\n")
    #expect(error?.code == .regoUnsafeVarError)
    #expect(error?.description == "bad.rego:4:3: rego_unsafe_var_error: var x is unsafe")
    let head = compileError("package t\nimport rego.v1\np := y if { true }\n")
    #expect(head?.code == .regoUnsafeVarError)
  }

  @Test("unknown functions are type errors")
  func unknownFunction() {
    let error = compileError("package t\nimport rego.v1\np if nope(1)\n")
    #expect(error?.code == .regoTypeError)
    #expect(error?.message == "undefined function nope")
  }

  @Test("recursion is an error, not a crash")
  func recursion() throws {
    let module = "package t\nimport rego.v1\np if q\nq if p\nf(x) := f(x)\n"
    #expect(throws: Diagnostic.self) { try evaluate([module], "data.t.p") }
    #expect(throws: Diagnostic.self) { try evaluate([module], "data.t.f(1)") }
  }
}

@Suite("Rego limits")
struct RegoLimitTests {
  @Test("deeply nested policy source hits limit_nesting_depth")
  func nesting() {
    let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
    let error = compileError("package t\nimport rego.v1\np := \(deep)\n")
    #expect(error?.code == .limitNestingDepth)
  }

  @Test("runaway evaluation hits limit_evaluation_steps")
  func steps() throws {
    let module = "package t\nimport rego.v1\np := count([1 | some x in numbers.range(1, 2000); some y in numbers.range(1, 2000)])\n"
    let policy = try RegoPolicy(
      modules: [RegoModule(name: "m.rego", text: module)], limits: Limits(maxEvaluationSteps: 100_000))
    do {
      _ = try policy.prepare("x := data.t.p").evaluate()
      Issue.record("expected the step limit")
    } catch let error as Diagnostic {
      #expect(error.code == .limitEvaluationSteps)
    }
  }

  @Test("huge inputs are refused by size before parsing")
  func inputSize() {
    let big = String(repeating: "#", count: 2000)
    #expect(throws: Diagnostic.self) {
      _ = try RegoPolicy(modules: [RegoModule(name: "m.rego", text: "package t\n" + big)], limits: Limits(maxInputBytes: 1000))
    }
  }
}
