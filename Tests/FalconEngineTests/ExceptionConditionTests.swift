import FalconEngine
import Testing

@Suite("Rule exceptions become 'and not' clauses as Falco writes them")
struct ExceptionConditionTests {
  @Test("a list of fields: one parenthesised group per tuple, quoted values with spaces")
  func tuples() {
    let yaml = rule("proc.cmdline contains curl", extra: """
        exceptions:
          - name: e
            fields: [proc.name, fd.name]
            comps: [=, startswith]
            values:
              - [cat, /etc/]
              - [dog, "/var/my dir"]
      """)
    #expect(compiled(yaml) == "(proc.cmdline contains curl and not ((proc.name = cat and fd.name startswith /etc/) or (proc.name = dog and fd.name startswith \"/var/my dir\")))")
  }

  @Test("a single field takes a list comparison; comps default to 'in' and '='")
  func singleField() {
    let yaml = rule("evt.type = open", extra: """
        exceptions:
          - name: e
            fields: proc.name
            values: [cat, "my cat"]
          - name: f
            fields: [fd.name]
            values: [[/tmp]]
      """)
    #expect(compiled(yaml) == "(evt.type = open and not proc.name in (cat, \"my cat\") and not fd.name = /tmp)")
    let bad = rule("evt.type = open", extra: """
        exceptions:
          - name: e
            fields: proc.name
            comps: contains
            values: [cat]
      """)
    #expect(loadRules(bad).errors.first?.message == "When fields is a single value, comps must be one of (in, pmatch, intersects)")
  }

  @Test("list modifiers: the comparison is normalised and scalar values parenthesised")
  func modifiers() {
    let yaml = rule("evt.type = open", extra: """
        exceptions:
          - name: e
            fields: [proc.name]
            comps: ["  startswith   oneof "]
            values:
              - [sshd]
              - [[a, b]]
      """)
    #expect(compiled(yaml) == "(evt.type = open and not (proc.name startswith oneof (sshd) or proc.name startswith oneof (a, b)))")
    for comparison in ["in oneof", ">= anyof", "oneof", "frobulate oneof"] {
      let bad = rule("evt.type = open", extra: """
          exceptions:
            - name: e
              fields: [proc.name]
              comps: ["\(comparison)"]
              values: [[[x]]]
        """)
      #expect(loadRules(bad).errors.first?.message == "'\(comparison)' is not a supported comparison operator")
    }
  }

  @Test("appending values to an exception, and the warning for an append without values")
  func appending() {
    let yaml = rule("evt.type = open", extra: """
        exceptions:
          - name: e
            fields: [proc.name]
            values: [[cat]]
      """) + "\n" + """
      - rule: r
        exceptions:
          - name: e
            values: [[dog]]
        override:
          exceptions: append
      """
    let result = loadRules(yaml)
    #expect(result.errors.isEmpty)
    #expect(result.ruleset?.rule(named: "r")?.compiledCondition == "(evt.type = open and not (proc.name = cat or proc.name = dog))")
    let noValues = yaml + "\n" + """
      - rule: r
        exceptions:
          - name: e
        override:
          exceptions: append
      """
    #expect(loadRules(noValues).warnings.contains { $0.message == "Overriding/appending exception with no values" })
  }
}
