import FalconEngine
import PolicyCore
import Testing

@Suite("Load errors and warnings point at file:line:col")
struct LoadDiagnosticsTests {
  @Test("a condition syntax error points into the condition when it is written on one line")
  func conditionPosition() {
    let result = loadRules(rule("evt.type = open and (proc.name = cat"))
    let error = result.errors.first
    #expect(error?.code == "LOAD_ERR_COMPILE_CONDITION")
    #expect(error?.message == "expected a ')' token")
    #expect(error?.description == "rules.yaml:3:50: falcon_load_error: LOAD_ERR_COMPILE_CONDITION: expected a ')' token")
  }

  @Test("in a folded condition the error points at the value and notes the position inside it")
  func foldedCondition() {
    let yaml = """
      - rule: r
        desc: d
        condition: >
          evt.type = open and
          proc.name ===
        output: o
        priority: INFO
      """
    let error = loadRules(yaml).errors.first
    #expect(error?.span?.line == 3)
    #expect(error?.notes.last?.hasPrefix("in condition at index") == true)
  }

  @Test("structural errors carry Falco's wording and the item's context")
  func structure() {
    let error = loadRules("- rule: r\n  desc: d\n  output: o\n  priority: INFO\n").errors.first
    #expect(error?.code == "LOAD_ERR_YAML_VALIDATE")
    #expect(error?.message == "Item has no mapping for key 'condition'")
    #expect(error?.notes == ["in rule 'r'"])
    #expect(loadRules("- just a string").errors.first?.message == "Unexpected element type. Each element should be a yaml associative array.")
    #expect(loadRules("key: value").errors.first?.message == "Rules content is not yaml array of objects")
    #expect(loadRules(rule("evt.type = open", extra: "  priority2: x\n  enabled: maybe")).errors.first?.message == "Can't decode YAML scalar value")
  }

  @Test("YAML syntax errors are LOAD_ERR_YAML_PARSE with libyaml's position")
  func yamlSyntax() {
    let error = loadRules("- rule: r\n  desc: [unclosed\n").errors.first
    #expect(error?.code == "LOAD_ERR_YAML_PARSE")
    #expect(error?.span != nil)
  }

  @Test("hostile input: deep YAML, deep conditions and alias bombs fail with a diagnostic")
  func hostile() {
    let deepYAML = String(repeating: "[", count: 100_000)
    #expect(loadRules(deepYAML).errors.first?.diagnostic.message.contains("nesting") == true)
    let deepCondition = rule(String(repeating: "(", count: 100_000) + "a")
    #expect(loadRules(deepCondition).errors.first?.message == "exceeded max depth limit of 1000")
    var bomb = "- a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in 1...9 { bomb += "- a\(level): &a\(level) [*a\(level == 1 ? "" : String(level - 1)), *a\(level == 1 ? "" : String(level - 1)), *a\(level == 1 ? "" : String(level - 1)), *a\(level == 1 ? "" : String(level - 1)), *a\(level == 1 ? "" : String(level - 1)), *a\(level == 1 ? "" : String(level - 1)), *a\(level == 1 ? "" : String(level - 1)), *a\(level == 1 ? "" : String(level - 1)), *a\(level == 1 ? "" : String(level - 1)), *a\(level == 1 ? "" : String(level - 1))]\n" }
    #expect(loadRules(bomb).errors.first?.message == "YAML aliases expand to too many nodes")
    #expect(loadRules("\u{0}\u{1}\u{FF}").successful == false)
    let compactSequences = String(repeating: "- ", count: 10_000) + "x"
    #expect(loadRules(compactSequences).errors.first?.message == "YAML nesting deeper than the limit of 200 levels")
    let indented = (0..<300).map { String(repeating: "  ", count: $0) + "k\($0):" }.joined(separator: "\n") + " v"
    #expect(loadRules(indented).errors.first?.message == "YAML nesting deeper than the limit of 200 levels")
  }
}
