import FalconEngine
import Testing

@Suite("Rule conditions are checked against the field table")
struct RuleFieldChecksTests {
  static let table = StaticFieldTable(
    fields: [
      FieldDescriptor(name: "evt.type"), FieldDescriptor(name: "proc.name"), FieldDescriptor(name: "proc.pname"),
      FieldDescriptor(name: "evt.arg", flags: .argumentRequired), FieldDescriptor(name: "evt.dir", flags: .deprecated),
      FieldDescriptor(name: "evt.num"),
    ],
    eventCodeCounts: Dictionary(uniqueKeysWithValues: (0..<150).map { ("e\($0)", 2) } + [("open", 2), ("close", 2)]))
  static let options = RuleLoaderOptions(fields: table)

  @Test("unknown fields fail to compile, or skip the rule with skip-if-unknown-filter")
  func unknownFields() {
    #expect(loadRules(rule("evt.type = open and fd.nope = 1"), options: Self.options).errors.first?.message == "filter_check called with nonexistent field fd.nope")
    let skipped = loadRules(rule("fd.nope = 1", extra: "  skip-if-unknown-filter: true"), options: Self.options)
    #expect(skipped.successful)
    #expect(skipped.ruleset?.rules.isEmpty == true)
    #expect(skipped.warnings.first?.code == "LOAD_UNKNOWN_FILTER")
    #expect(compiled(rule("evt.type = open and evt.arg.name = x"), options: Self.options) == "(evt.type = open and evt.arg.name = x)")
  }

  @Test("a constant that names a field or a transformer is reported")
  func misusedConstants() {
    let messages = loadRules(rule("evt.type = open and proc.name = proc.pname and proc.name = \"toupper( proc.pname)\""), options: Self.options).warnings.map(\.message)
    #expect(messages.contains("'proc.pname' may be a valid field misused as a const string value"))
    #expect(messages.contains("'toupper( proc.pname)' may be a valid field transformer misused as a const string value"))
  }

  @Test("conditions matching too many event types warn, unless warn_evttypes is false")
  func eventTypes() {
    #expect(loadRules(rule("proc.name = cat"), options: Self.options).warnings.contains { $0.code == "LOAD_NO_EVTTYPE" })
    #expect(loadRules(rule("evt.type != open"), options: Self.options).warnings.contains { $0.code == "LOAD_NO_EVTTYPE" })
    #expect(!loadRules(rule("proc.name = cat", extra: "  warn_evttypes: false"), options: Self.options).warnings.contains { $0.code == "LOAD_NO_EVTTYPE" })
    for narrow in ["evt.type = open", "not evt.type != open", "evt.type = open and evt.type = close", "evt.num = 0", "evt.type in (open, close) and proc.name = cat"] {
      #expect(!loadRules(rule(narrow), options: Self.options).warnings.contains { $0.code == "LOAD_NO_EVTTYPE" }, "\(narrow)")
    }
  }

  @Test("deprecated fields in conditions and outputs are reported")
  func deprecated() {
    let messages = loadRules(rule("evt.type = open and evt.dir = <", extra: "  output2: x"), options: Self.options).warnings.map(\.message)
    #expect(messages.contains("usage of deprecated field 'evt.dir' has been detected in the rule condition"))
  }
}
