@testable import FalconEngine
import FalconEvents
import PolicyCore
import Testing

/// The engine specialises each event type's rules per class of `proc.name` values, and compares
/// text fields on their bytes in place: both must give exactly the results of evaluating each
/// rule's condition on its own.
@Suite("name dispatch and byte comparisons")
struct NameDispatchTests {
  static let rules = """
    - list: shells
      items: [bash, sh, zsh]
    - macro: spawned
      condition: evt.type in (execve, execveat)
    - rule: shell
      desc: d
      condition: spawned and proc.name in (shells)
      output: o
      priority: WARNING
    - rule: not shell
      desc: d
      condition: spawned and not proc.name in (shells) and proc.exe startswith /usr/
      output: o
      priority: WARNING
    - rule: exactly curl
      desc: d
      condition: spawned and proc.name = curl and proc.args contains http
      output: o
      priority: WARNING
    - rule: anything but curl
      desc: d
      condition: spawned and proc.name != curl
      output: o
      priority: WARNING
    - rule: composed name
      desc: d
      condition: spawned and proc.name = "caf\u{e9}"
      output: o
      priority: WARNING
    - rule: mixed
      desc: d
      condition: spawned and ((proc.name in (sh, curl) and proc.pname = bash) or (proc.name = zsh and proc.cwd endswith alice))
      output: o
      priority: WARNING
    - rule: open by shell
      desc: d
      condition: evt.type = openat and proc.name in (shells) and fd.name in (/etc/shadow, /etc/passwd)
      output: o
      priority: WARNING
    - rule: open anywhere
      desc: d
      condition: evt.type = openat and (fd.name startswith /etc/ or fd.name endswith .conf or fd.name icontains SHADOW or fd.directory = /tmp)
      output: o
      priority: WARNING
    - rule: any type
      desc: d
      condition: proc.name in (sh, curl) or not proc.name exists
      output: o
      priority: WARNING
    """

  static let names = ["bash", "sh", "zsh", "curl", "wget", "café", "cafe\u{301}", "", "a-very-long-process-name-beyond-fifteen", "SH"]

  func events() -> [Event] {
    var events: [Event] = []
    for name in Self.names {
      for args in [[], ["http://x"], ["-c", "curl http://y"]] {
        events.append(RuntimeFixtures.exec(name, args: args))
      }
      for path in ["/etc/shadow", "/etc/passwd", "/tmp/x", "/home/alice/app.conf", "/var/lib/SHADOWED", "relative"] {
        var event = RuntimeFixtures.exec(name)
        event.type = .openat
        event.fd = FileDescriptorInfo(number: 3, kind: .file, name: path)
        events.append(event)
      }
    }
    return events
  }

  @Test("every event matches exactly the rules whose condition holds on it alone")
  func agree() throws {
    let ruleset = try RuntimeFixtures.ruleset(Self.rules)
    let engine = RuleEngine(ruleset: ruleset, fields: RuntimeFixtures.fields)
    #expect(engine.disabled.isEmpty)
    let compiler = FilterCompiler(fields: RuntimeFixtures.fields)
    let predicates = try engine.rules.map { try compiler.compile($0.rule.condition) }
    let matcher = engine.makeMatcher()
    for event in events() {
      var matched: [String] = []
      engine.match(event) { matched.append($0.rule) }
      let expected = engine.rules.indices.filter { predicates[$0](event) }.map { engine.rules[$0].rule.name }
      #expect(matched == expected, "\(event.type.name) name '\(event.thread.name)' fd \(event.fd?.name ?? "-")")
      #expect(matcher.countMatches(event) == expected.count)
      var streamed: [String] = []
      matcher.match(event) { streamed.append($0.rule) }
      #expect(streamed == expected)
    }
  }

  @Test("names compare as bytes: a decomposed é is not the composed one")
  func bytewise() throws {
    let ruleset = try RuntimeFixtures.ruleset(Self.rules)
    let engine = RuleEngine(ruleset: ruleset, fields: RuntimeFixtures.fields)
    var composed: [String] = []
    engine.match(RuntimeFixtures.exec("caf\u{e9}")) { composed.append($0.rule) }
    var decomposed: [String] = []
    engine.match(RuntimeFixtures.exec("cafe\u{301}")) { decomposed.append($0.rule) }
    #expect(composed.contains("composed name"))
    #expect(!decomposed.contains("composed name"))
  }

  @Test("the name table finds every name it holds and no other")
  func nameTable() {
    let names = (0..<500).map { "name-\($0)" } + ["", "x", "caf\u{e9}"]
    let table = NameTable(names.enumerated().map { ($0.element, $0.offset) })
    for (index, name) in names.enumerated() { #expect(table.value(of: name) == index) }
    for missing in ["name-500", "name-", "X", "cafe\u{301}", "name-1 "] { #expect(table.value(of: missing) == nil) }
    #expect(NameTable([]).value(of: "x") == nil)
  }

  @Test("byte tests agree with the string operators")
  func byteTests() {
    let values = ["", "/etc/shadow", "/ETC/Shadow", "shadow", "a.conf", "caf\u{e9}", "/etc/"]
    let constants = ["", "/etc/", "shadow", "SHADOW", ".conf", "caf\u{e9}", "/etc/shadow"]
    for value in values {
      let bytes = Array(value.utf8)
      for constant in constants {
        let cases: [(String, Bool)] = [
          ("=", value.utf8.elementsEqual(constant.utf8)),
          ("!=", !value.utf8.elementsEqual(constant.utf8)),
          ("startswith", value.utf8.starts(with: constant.utf8)),
          ("endswith", value.utf8.reversed().starts(with: constant.utf8.reversed())),
          ("contains", constant.isEmpty || value.utf8.count >= constant.utf8.count && (0...(value.utf8.count - constant.utf8.count)).contains { Array(value.utf8)[$0..<($0 + constant.utf8.count)].elementsEqual(constant.utf8) }),
          ("icontains", constant.isEmpty || StringMatching.contains(StringMatching.lowercased(value), StringMatching.lowercased(constant))),
          ("in", value.utf8.elementsEqual(constant.utf8)),
        ]
        for (op, expected) in cases {
          guard let test = ByteMatching.test(op: op, constants: [constant]) else {
            Issue.record("no byte test for \(op)")
            continue
          }
          let result = bytes.withUnsafeBufferPointer { buffer in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(buffer.count, 1)) { copy -> Bool in
              for index in buffer.indices { copy[index] = buffer[index] }
              guard let base = copy.baseAddress else { return false }
              return test(UnsafePointer(base), buffer.count)
            }
          }
          #expect(result == expected, "'\(value)' \(op) '\(constant)'")
        }
      }
    }
  }

  @Test("evt.arg.flags contains, answered from the flag bits on open events, agrees with the rendered flags")
  func openFlags() throws {
    let needles = ["O_CREAT", "O_TRUNC", "RDONLY", "O_RDWR", "WR", "O_", "CREAT|O_TRUNC", "O_DIRECTORY", "ACCMODE", "X"]
    var yaml = ""
    for (index, needle) in needles.enumerated() {
      yaml += "- rule: r\(index)\n  desc: d\n  condition: evt.type in (openat, creat) and evt.arg.flags contains \"\(needle)\"\n  output: o\n  priority: WARNING\n"
    }
    let ruleset = try RuntimeFixtures.ruleset(yaml)
    let engine = RuleEngine(ruleset: ruleset, fields: RuntimeFixtures.fields)
    let compiler = FilterCompiler(fields: RuntimeFixtures.fields)
    let predicates = try engine.rules.map { try compiler.compile($0.rule.condition) }
    var events: [Event] = []
    for flags: UInt32 in [0, 1, 2, 3, 0o100, 0o1101, 0o2000002, 0o200000, 0o101102] {
      var event = RuntimeFixtures.exec("touch")
      event.type = .openat
      event.arguments = [EventArgument("dirfd", .fd(-100)), EventArgument("name", .path("/tmp/x")), EventArgument("flags", .flags(flags))]
      events.append(event)
    }
    var creat = RuntimeFixtures.exec("touch")
    creat.type = EventType("creat")
    events.append(creat)
    var odd = RuntimeFixtures.exec("touch")
    odd.type = .openat
    odd.arguments = [EventArgument("flags", .string("O_CREAT-ish"))]
    events.append(odd)
    for event in events {
      var matched: [String] = []
      engine.match(event) { matched.append($0.rule) }
      let expected = engine.rules.indices.filter { predicates[$0](event) }.map { engine.rules[$0].rule.name }
      #expect(matched == expected, "\(event.type.name) \(event.arguments)")
    }
  }

  @Test("long values: the per-event byte arena grows while earlier values stay readable")
  func longValues() throws {
    let yaml = """
      - rule: long
        desc: d
        condition: evt.type = openat and proc.exe endswith /tool and fd.name startswith /data/ and fd.name endswith .log and proc.cwd contains deep and proc.exe startswith /opt/
        output: o
        priority: WARNING
      - rule: long again
        desc: d
        condition: evt.type = openat and fd.name contains xyz and proc.exe = /opt/tool and proc.cwd endswith /end
        output: o
        priority: WARNING
      """
    let ruleset = try RuntimeFixtures.ruleset(yaml)
    let engine = RuleEngine(ruleset: ruleset, fields: RuntimeFixtures.fields)
    let compiler = FilterCompiler(fields: RuntimeFixtures.fields)
    let predicates = try engine.rules.map { try compiler.compile($0.rule.condition) }
    let matcher = engine.makeMatcher()
    for (exeLength, nameLength, cwdLength) in [(0, 10, 10), (3000, 3000, 3000), (9000, 20000, 70000), (1, 70000, 5)] {
      var event = RuntimeFixtures.exec("tool")
      event.type = .openat
      var thread = event.thread
      thread.exe = "/opt/" + String(repeating: "e", count: exeLength) + "/tool"
      thread.cwd = "/deep/" + String(repeating: "c", count: cwdLength) + "/end"
      event.thread = thread
      event.fd = FileDescriptorInfo(number: 3, kind: .file, name: "/data/" + String(repeating: "n", count: nameLength) + "xyz.log")
      for _ in 0..<2 {
        var matched: [String] = []
        matcher.match(event) { matched.append($0.rule) }
        let expected = engine.rules.indices.filter { predicates[$0](event) }.map { engine.rules[$0].rule.name }
        #expect(matched == expected, "lengths \(exeLength) \(nameLength) \(cwdLength)")
        #expect(expected.contains("long"))
      }
    }
  }

  @Test("the joined arguments follow every change to the arguments")
  func argumentLine() {
    var thread = ThreadInfo()
    #expect(thread.argumentLine == "")
    thread.args = ["-c", "echo hi"]
    #expect(thread.argumentLine == "-c echo hi")
    thread.args.append("")
    #expect(thread.argumentLine == "-c echo hi ")
    thread.args[0] = "-x"
    #expect(thread.argumentLine == "-x echo hi ")
    var other = ThreadInfo()
    other.copyArguments(from: thread)
    #expect(other.args == thread.args && other.argumentLine == thread.argumentLine)
    let shared = thread
    thread.args = []
    #expect(thread.argumentLine == "" && shared.argumentLine == "-x echo hi ")
  }
}
