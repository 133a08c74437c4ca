import FalconEngine
import Testing

@Suite("Rule loader: definitions, appends and overrides")
struct RuleLoaderMergingTests {
  @Test("lists expand into 'in (...)' and may be appended to, one level of list nesting")
  func lists() {
    let yaml = """
      - list: shells
        items: [ash, bash]
      - list: all_shells
        items: [shells, zsh]
      - list: shells
        items: [dash]
        override:
          items: append
      """ + "\n" + rule("evt.type = open and proc.name in (all_shells)")
    #expect(compiled(yaml) == "(evt.type = open and proc.name in (ash, bash, dash, zsh))")
  }

  @Test("macros substitute in the tree and see only earlier macros")
  func macros() {
    let yaml = """
      - macro: spawned
        condition: evt.type = execve
      - macro: shell
        condition: spawned and proc.name = bash
      """ + "\n" + rule("shell or not spawned")
    #expect(compiled(yaml) == "((evt.type = execve and proc.name = bash) or not evt.type = execve)")
    let forward = """
      - macro: first
        condition: second
      - macro: second
        condition: evt.type = open
      """ + "\n" + rule("first")
    #expect(compiled(forward) == "errors: Undefined macro 'second' used in filter.")
  }

  @Test("condition appends: legacy 'append: true' and 'override: append' join with a space")
  func appends() {
    let legacy = rule("evt.type = open") + "\n" + """
      - rule: r
        condition: and proc.name = cat
        append: true
      """
    let result = loadRules(legacy)
    #expect(result.ruleset?.rule(named: "r")?.compiledCondition == "(evt.type = open and proc.name = cat)")
    #expect(result.warnings.contains { $0.message.hasPrefix("'append' key is deprecated") })
    let override = rule("evt.type = open") + "\n" + """
      - rule: r
        condition: and proc.name = cat
        desc: more
        override:
          condition: append
          desc: append
      """
    let rule = loadRules(override).ruleset?.rule(named: "r")
    #expect(rule?.compiledCondition == "(evt.type = open and proc.name = cat)")
    #expect(rule?.description == "d more")
  }

  @Test("override replace, and the errors for keys without an override or an override without a key")
  func replace() {
    let yaml = rule("evt.type = open") + "\n" + """
      - rule: r
        priority: WARNING
        enabled: false
        override:
          priority: replace
          enabled: replace
      """
    let replaced = loadRules(yaml).ruleset?.rule(named: "r")
    #expect(replaced?.priority == .warning)
    #expect(replaced?.enabled == false)
    let extra = rule("evt.type = open") + "\n" + """
      - rule: r
        condition: and proc.name = cat
        priority: WARNING
        override:
          condition: append
      """
    #expect(loadRules(extra).errors.first?.message == "Unexpected key 'priority': no corresponding entry under 'override' is defined.")
    let missing = rule("evt.type = open") + "\n" + """
      - rule: r
        override:
          condition: append
      """
    #expect(loadRules(missing).errors.first?.message == "An append override for 'condition' was specified but 'condition' is not defined")
    let wrong = rule("evt.type = open") + "\n" + """
      - rule: r
        priority: INFO
        override:
          priority: append
      """
    #expect(loadRules(wrong).errors.first?.message == "Key 'priority' cannot be appended to, use 'replace' instead")
  }

  @Test("appending before a definition fails; replacing a macro or list before one defines it")
  func ordering() {
    let appendFirst = """
      - macro: m
        condition: or evt.type = openat2
        override:
          condition: append
      - macro: m
        condition: evt.type = open
      """
    #expect(loadRules(appendFirst).errors.first?.message == "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists")
    let replaceFirst = """
      - list: l
        items: [a]
        override:
          items: replace
      - list: l
        items: [b]
      """ + "\n" + rule("proc.name in (l)")
    #expect(compiled(replaceFirst) == "proc.name in (b)")
  }

  @Test("a rule redefined or appended with another source fails; unknown sources are skipped")
  func sources() {
    let yaml = rule("ka.verb = GET", extra: "  source: k8s_audit") + "\n" + rule("evt.type = open")
    let result = loadRules(yaml)
    #expect(result.errors.first?.message == "Rule has been re-defined with a different source")
    #expect(result.warnings.first?.message == "Unknown source k8s_audit, skipping")
  }

  @Test("required_engine_version: numbers mean 0.N.0, semver strings are compared, others fail")
  func engineVersion() {
    #expect(loadRules("- required_engine_version: 26").successful)
    #expect(loadRules("- required_engine_version: 0.26.0").successful)
    #expect(loadRules("- required_engine_version: seven").errors.first?.message.hasPrefix("Unable to parse engine version 'seven'") == true)
    #expect(loadRules("- required_engine_version: 1.0.0").errors.first?.message == "Rules require engine version 1.0.0, but engine version is 0.57.0")
  }

  @Test("plugin requirements are collected and checked against loaded plugins")
  func plugins() {
    let yaml = """
      - required_plugin_versions:
        - name: k8saudit
          version: 0.1.0
          alternatives:
            - name: k8saudit-eks
              version: 0.4.0
      """
    let ruleset = loadRules(yaml).ruleset
    #expect(ruleset?.requiredPluginVersions.first?.count == 2)
    #expect(ruleset?.unmetPluginRequirements(loaded: ["k8saudit": "0.2.0"]) == [])
    #expect(ruleset?.unmetPluginRequirements(loaded: ["k8saudit-eks": "0.3.0"]).count == 1)
    #expect(ruleset?.unmetPluginRequirements(loaded: ["k8saudit": "1.0.0"]).count == 1)
  }

  @Test("unknown keys, invalid names and unused items are warnings")
  func warnings() {
    let yaml = """
      - list: bad list
        items: [a]
        priority: INFO
      - macro: bad-macro
        condition: evt.type = open
      """
    let messages = loadRules(yaml).warnings.map(\.message)
    #expect(messages.contains { $0.hasPrefix("List has an invalid name") })
    #expect(messages.contains { $0.hasPrefix("Macro has an invalid name") })
    #expect(messages.contains { $0.hasPrefix("Unknown key 'priority'") })
    #expect(messages.contains("Macro not referred to by any other rule/macro"))
    #expect(messages.contains("List not referred to by any other rule/macro"))
  }

  @Test("a later file may append to an earlier one")
  func acrossFiles() {
    let first = rule("evt.type = open")
    let second = "- rule: r\n  condition: and proc.name = cat\n  override:\n    condition: append\n"
    let result = RuleLoader.load([.init(name: "a.yaml", text: first), .init(name: "b.yaml", text: second)])
    #expect(result.ruleset?.rule(named: "r")?.compiledCondition == "(evt.type = open and proc.name = cat)")
  }
}
