import FalconEngine
import FalconEvents
import Foundation
import PolicyCore
import Testing

@Suite("Falcon's field table")
struct FalconFieldTableTests {
  @Test("docs/falcon-fields.md is up to date (regenerate: swift run falcon list fields --markdown > docs/falcon-fields.md)")
  func fresh() throws {
    let text = try String(contentsOfFile: RuntimeFixtures.packageRoot + "/docs/falcon-fields.md", encoding: .utf8)
    #expect(text == FalconFieldTable().markdownReference(), "docs/falcon-fields.md is out of date")
  }

  @Test("names resolve with bracketed and dotted arguments; unknown names are unknown")
  func lookup() {
    let fields = RuntimeFixtures.fields
    #expect(fields.lookup("proc.aname") != .unknown)
    #expect(fields.lookup("evt.arg.flags") != .unknown)
    #expect(fields.lookup("proc.nonsense") == .unknown)
    #expect(fields.resolve(name: "evt.arg.flags", argument: nil)?.argument == "flags")
    #expect(fields.definition("fd.name_changed")?.isAvailable == false)
  }

  @Test("the three stock rule files load with no errors against Falcon's table", .enabled(if: RuntimeFixtures.haveSharedData))
  func stockRules() throws {
    let files = try RuntimeFixtures.stockRuleNames.map { try SourceFile.read(path: RuntimeFixtures.falconData + "/rules/" + $0) }
    let result = RuleLoader.load(files, options: RuleLoaderOptions(fields: RuntimeFixtures.fields))
    #expect(result.errors.isEmpty, "\(result.errors.prefix(5).map(\.description))")
    #expect(result.warnings.isEmpty, "\(result.warnings.prefix(5).map(\.description))")
    let ruleset = try #require(result.ruleset)
    let engine = RuleEngine(ruleset: ruleset, fields: RuntimeFixtures.fields)
    let unavailable = engine.disabled.filter { if case .unavailableFields = $0.reason { return true } else { return false } }
    print("stock rules: \(ruleset.rules.count) rules, \(engine.rules.count) run, \(engine.disabled.count) disabled (\(unavailable.count) for unavailable fields)")
    for (name, reason) in engine.disabled { print("  \(name): \(reason)") }
    #expect(engine.disabled.allSatisfy { if case .compileError = $0.reason { return false } else { return true } })
    #expect(engine.warnings.count == unavailable.count)
  }
}

@Suite("Field extraction")
struct FieldExtractionTests {
  func value(_ name: String, _ event: Event) -> FieldValue {
    RuntimeFixtures.fields.extractor(name: name, argument: nil)?(event) ?? .none
  }

  func value(_ name: String, _ argument: String, _ event: Event) -> FieldValue {
    RuntimeFixtures.fields.extractor(name: name, argument: argument)?(event) ?? .none
  }

  @Test("process, ancestors, user and capabilities")
  func process() {
    let event = RuntimeFixtures.exec("curl", args: ["-s", "http://x"])
    #expect(value("proc.name", event) == .string("curl"))
    #expect(value("proc.cmdline", event) == .string("curl -s http://x"))
    #expect(value("proc.args", event) == .string("-s http://x"))
    #expect(value("proc.pname", event) == .string("bash"))
    #expect(value("proc.aname", "2", event) == .string("sshd"))
    #expect(value("proc.aname", "3", event) == .none)
    #expect(value("proc.apid", "1", event) == .int(100))
    #expect(value("proc.pexepath", event) == .string("/usr/bin/bash"))
    #expect(value("user.name", event) == .string("root"))
    #expect(value("user.loginname", event) == .string("alice"))
    #expect(value("user.loginuid", event) == .int(1000))
    #expect(value("thread.cap_effective", event) == .string("CAP_CHOWN CAP_SETPCAP"))
    #expect(value("container.id", event) == .string("host"))
    #expect(value("proc.cwd", event) == .string("/home/alice/"))
    #expect(value("evt.time", event) == .string("22:13:20.123456789"))
    #expect(value("evt.datetime", event) == .string("2023-11-14 22:13:20.123456789"))
    #expect(value("evt.res", event) == .string("SUCCESS"))
  }

  @Test("descriptors and arguments")
  func descriptors() {
    let event = RuntimeFixtures.open("/etc/shadow", flags: 0o1101)
    #expect(value("fd.name", event) == .string("/etc/shadow"))
    #expect(value("fd.directory", event) == .string("/etc"))
    #expect(value("fd.filename", event) == .string("shadow"))
    #expect(value("fd.typechar", event) == .string("f"))
    #expect(value("evt.arg.flags", event) == .string("O_WRONLY|O_CREAT|O_TRUNC"))
    #expect(value("evt.rawarg.flags", event) == .uint(0o1101))
    #expect(value("evt.is_open_write", event) == .bool(true))
    #expect(value("evt.is_open_read", event) == .bool(false))
  }
}

@Suite("Compiled filters")
struct CompiledFilterTests {
  func check(_ condition: String, _ event: Event) throws -> Bool {
    var parser = ConditionParser(condition)
    let tree = try parser.parse()
    return try FilterCompiler(fields: RuntimeFixtures.fields).compile(tree)(event)
  }

  @Test("string operators, lists and modifiers")
  func strings() throws {
    let event = RuntimeFixtures.exec("curl", args: ["-s", "http://x"])
    #expect(try check("proc.name = curl and proc.pname in (bash, sh)", event))
    #expect(try check("proc.cmdline contains http and proc.name startswith cu and proc.name endswith rl", event))
    #expect(try check("proc.name icontains URL and proc.name glob 'c*l' and proc.name iglob 'C*'", event))
    #expect(try check("proc.name regex 'c.r.' and not proc.name regex 'ur'", event))
    #expect(try check("proc.name startswith anyof (x, cu) and not proc.name startswith allof (x, cu)", event))
    #expect(try check("proc.aname in (sshd) and proc.aname[2] = sshd", event))
    #expect(try check("proc.exepath pmatch (/usr/bin)", event))
    #expect(try check("proc.name = val(proc.exe) and not proc.name = val(proc.pname)", event))
    #expect(try check("toupper(proc.name) = CURL and len(proc.name) = 4 and basename(proc.exepath) = curl", event))
  }

  @Test("a missing field fails every comparison except under not")
  func missing() throws {
    let event = RuntimeFixtures.exec("curl")
    #expect(try !check("fd.name = x", event))
    #expect(try !check("fd.name != x", event))
    #expect(try check("not fd.name = x", event))
    #expect(try !check("fd.name exists", event))
    #expect(try check("proc.name exists", event))
  }

  @Test("numbers, booleans and networks")
  func numbers() throws {
    let event = RuntimeFixtures.exec("curl", uid: 1000)
    #expect(try check("user.uid = 1000 and user.uid > 999 and user.uid in (0, 1000) and proc.pid < 1000", event))
    #expect(try check("evt.failed = false and evt.rawres >= 0", event))
    var socket = event
    socket.type = .connect
    socket.fd = FileDescriptorInfo(
      number: 4, kind: .ipv4, name: "10.1.2.3:5555->93.184.216.34:443", l4Protocol: .tcp,
      client: SocketEndpoint(address: IPAddress(ipv4: 0x0A01_0203), port: 5555),
      server: SocketEndpoint(address: IPAddress(ipv4: 0x5DB8_D822), port: 443))
    #expect(try check("fd.sip = 93.184.216.34 and fd.sport = 443 and fd.cnet = 10.0.0.0/8 and not fd.snet in (10.0.0.0/8, 192.168.0.0/16)", socket))
    #expect(try check("fd.net = 10.0.0.0/8 and fd.port = 443 and fd.l4proto = tcp and fd.rip = 93.184.216.34", socket))
    // Either end: `=` and `in` hold when one end's does; for addresses `!=` holds when no end
    // equals the constant, for ports when one end differs.
    #expect(try check("fd.ip = 10.1.2.3 and fd.ip = 93.184.216.34 and not fd.ip = 1.2.3.4", socket))
    #expect(try !check("fd.ip != 10.1.2.3", socket))
    #expect(try check("fd.ip != 1.2.3.4 and fd.net != 127.0.0.0/8 and fd.net in (127.0.0.0/8, 93.184.0.0/16)", socket))
    #expect(try check("fd.port = 5555 and fd.port in (53, 443) and not fd.port in (53, 123) and fd.port != 443", socket))
    #expect(try check("fd.port > 5000 and fd.port < 444", socket))
    let ip = try #require(RuntimeFixtures.fields.resolve(name: "fd.ip", argument: nil))
    #expect(ip.0.extractor(argument: ip.1)?(socket).rendered == "10.1.2.3,93.184.216.34")
    let port = try #require(RuntimeFixtures.fields.resolve(name: "fd.port", argument: nil))
    #expect(port.0.extractor(argument: port.1)?(socket).rendered == "5555,443")
    #expect(try !check("fd.ip exists", event) && !check("fd.port = 443", event))
  }

  @Test("the event-type index follows evt.type through and, or and not")
  func eventTypes() throws {
    func types(_ text: String) throws -> EventTypeSet {
      var parser = ConditionParser(text)
      return EventTypeSet.of(try parser.parse())
    }
    #expect(try types("evt.type = open and proc.name = x") == .only(["open"]))
    #expect(try types("evt.type in (open, openat) or evt.type = execve") == .only(["open", "openat", "execve"]))
    #expect(try types("not evt.type = open") == .allExcept(["open"]))
    #expect(try types("proc.name = x") == .all)
    #expect(try types("evt.type != open and evt.type = openat") == .only(["openat"]))
    #expect(try types("not (evt.type = open or proc.name = x)") == .allExcept(["open"]))
  }
}

@Suite("Rule engine and alerts")
struct RuleEngineTests {
  let rules = """
    - macro: spawned_process
      condition: (evt.type in (execve, execveat) and evt.dir=<)
    - rule: Curl run
      desc: curl started
      condition: spawned_process and proc.name = curl
      output: curl run (user=%user.name parent=%proc.pname gp=%proc.aname[2] cmd=%proc.cmdline missing=%fd.name uid=%user.uid)
      priority: WARNING
      tags: [network, b_tag]
    - rule: Shadow read
      desc: d
      condition: evt.type = openat and fd.name = /etc/shadow
      output: shadow opened by %proc.name
      priority: DEBUG
    - rule: Renamed fd
      desc: d
      condition: evt.type = openat and fd.name_changed = true
      output: x
      priority: ERROR
    """

  @Test("rules fire only on their event types; unavailable fields disable rules with a warning")
  func matching() throws {
    let engine = RuleEngine(ruleset: try RuntimeFixtures.ruleset(rules), fields: RuntimeFixtures.fields)
    #expect(engine.rules.map(\.rule.name) == ["Curl run", "Shadow read"])
    #expect(engine.warnings.count == 1)
    #expect(engine.warnings.first?.message.contains("fd.name_changed") == true)
    var names: [String] = []
    engine.match(RuntimeFixtures.exec("curl", args: ["-s"])) { names.append($0.rule) }
    engine.match(RuntimeFixtures.open("/etc/shadow")) { names.append($0.rule) }
    engine.match(RuntimeFixtures.exec("wget")) { names.append($0.rule) }
    #expect(names == ["Curl run", "Shadow read"])
    #expect(engine.candidates(for: "close").isEmpty)
  }

  @Test("priority threshold and disabled rules")
  func options() throws {
    let ruleset = try RuntimeFixtures.ruleset(rules)
    let engine = RuleEngine(ruleset: ruleset, fields: RuntimeFixtures.fields, options: .init(minimumPriority: .notice))
    #expect(engine.rules.map(\.rule.name) == ["Curl run"])
    let none = RuleEngine(ruleset: ruleset, fields: RuntimeFixtures.fields, options: .init(disabledTags: ["network"]))
    #expect(none.rules.map(\.rule.name) == ["Shadow read"])
  }

  @Test("text and JSON alerts in Falco's format")
  func alerts() throws {
    let engine = RuleEngine(ruleset: try RuntimeFixtures.ruleset(rules), fields: RuntimeFixtures.fields)
    var matches: [RuleMatch] = []
    engine.match(RuntimeFixtures.exec("curl", args: ["-s"])) { matches.append($0) }
    let match = try #require(matches.first)
    #expect(match.textLine() == "22:13:20.123456789: Warning curl run (user=root parent=bash gp=sshd cmd=curl -s missing=<NA> uid=0)")
    #expect(
      match.jsonLine(hostname: "h")
        == #"{"hostname":"h","output":"22:13:20.123456789: Warning curl run (user=root parent=bash gp=sshd cmd=curl -s missing=<NA> uid=0)","output_fields":{"fd.name":null,"proc.aname[2]":"sshd","proc.cmdline":"curl -s","proc.pname":"bash","user.name":"root","user.uid":0},"priority":"Warning","rule":"Curl run","source":"syscall","tags":["b_tag","network"],"time":"2023-11-14T22:13:20.123456789Z"}"#)
  }
}
