import PolicyCore
import RegoEngine
import Testing

/// Rules indexed by an input equality give the same answers as trying every rule.
@Suite("Rego rule index")
struct RuleIndexTests {
  static let module = """
    package idx
    import rego.v1
    kinds contains "pod" if input.kind.kind == "Pod"
    kinds contains "pod-again" if { input.kind.kind = "Pod"; input.ok }
    kinds contains "deployment" if input.kind.kind == "Deployment"
    kinds contains "service" if "Service" == input.kind.kind
    kinds contains "any" if input.kind
    kinds contains "both" if { input.kind.kind == "Pod"; input.kind.kind == "Service" }
    kinds contains "flag" if input.kind.kind == true
    label := "pod" if input.kind.kind == "Pod"
    label := "job" if input.kind.kind == "Job"
    label := "cron" if input.kind.kind == "CronJob"
    label := "other" if { input.kind.kind != "Pod"; input.kind.kind != "Job"; input.kind.kind != "CronJob" }
    choice := "a" if input.kind.kind == "A"
    choice := "b" if input.kind.kind == "B"
    choice := "c" if input.kind.kind == "C"
    choice := "fallback" if { input.kind.kind == "Secret" } else := "else-value"
    """

  @Test("partial sets and complete rules under different inputs, with input replaced by `with`")
  func answers() throws {
    let pod: Value = ["kind": ["kind": "Pod"], "ok": true]
    #expect(try evaluate([Self.module], "x := data.idx.kinds", input: pod) == [["x": .set(ValueSet(["pod", "pod-again", "any"]))]])
    #expect(try evaluate([Self.module], "x := data.idx.kinds", input: ["kind": ["kind": "Service"]]) == [["x": .set(ValueSet(["service", "any"]))]])
    #expect(try evaluate([Self.module], "x := data.idx.kinds", input: ["kind": ["kind": true]]) == [["x": .set(ValueSet(["flag", "any"]))]])
    #expect(try evaluate([Self.module], "x := data.idx.kinds", input: ["other": 1]) == [["x": .set(ValueSet([]))]])
    #expect(try evaluate([Self.module], "x := data.idx.kinds with input as {\"kind\": {\"kind\": \"Deployment\"}}", input: pod) == [["x": .set(ValueSet(["deployment", "any"]))]])
    #expect(try evaluate([Self.module], "x := data.idx.label", input: ["kind": ["kind": "Job"]]) == [["x": "job"]])
    #expect(try evaluate([Self.module], "x := data.idx.label", input: ["kind": ["kind": "Deployment"]]) == [["x": "other"]])
    // The `else` of a rule whose test fails is never skipped by the index.
    #expect(try evaluate([Self.module], "x := data.idx.choice", input: ["kind": ["kind": "Z"]]) == [["x": "else-value"]])
    let conflict = #expect(throws: Diagnostic.self) {
      try evaluate([Self.module], "x := data.idx.choice", input: ["kind": ["kind": "A"]])
    }
    #expect(conflict?.code == .evalConflictError)
  }
}
