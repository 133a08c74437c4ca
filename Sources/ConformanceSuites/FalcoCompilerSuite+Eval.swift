internal import FalconEngine
internal import FalconEvents
internal import PolicyCore

/// The `eval` part of libsinsp's filter compiler cases: conditions evaluated against the test
/// events of libsinsp's unit tests, rebuilt here as Falcon ``Event`` values.
///
/// The data gives each case's test file but not its event, so the events below are rebuilt
/// from what each file's cases say about them (the opened path, the socket's addresses, the
/// process tree). Files whose tests use several events are split by case order. Cases the event
/// model cannot represent are not run (see docs/falcon-conformance.md): invalid UTF-8 in names
/// (Swift strings hold valid Unicode only), `evt.cpu`, `fd.types` (no descriptor table) and the
/// sample plugin's `sample.*` fields. Case ids are `eval#<n>` (n counts all eval cases).
extension FalcoCompilerSuite {
  /// Runs the representable eval cases; returns the results and how many were not run.
  func runEval(_ cases: [Value]) -> (results: [CaseResult], skipped: Int) {
    let fields = FalconFieldTable(users: UserDirectory(users: [0: .init(name: "root")], groups: [0: "root"]))
    let compiler = FilterCompiler(fields: fields)
    var results: [CaseResult] = []
    var skipped = 0
    var perFile: [String: Int] = [:]
    for (offset, testCase) in cases.enumerated() {
      let file = testCase["file"].stringValue ?? ""
      let filter = testCase["filter"].stringValue ?? ""
      let indexInFile = perFile[file, default: 0]
      perFile[file] = indexInFile + 1
      guard case .bool(let expected) = testCase["expect"], let event = Self.evalEvent(file: file, index: indexInFile, filter: filter) else {
        skipped += 1
        continue
      }
      let id = "eval#\(offset + 1)"
      var parser = ConditionParser(filter)
      do {
        let predicate = try compiler.compile(try parser.parse())
        let actual = predicate(event)
        results.append(actual == expected ? CaseResult(id: id, passed: true) : CaseResult(id: id, passed: false, detail: "\(filter): evaluated to \(actual)"))
      } catch {
        results.append(CaseResult(id: id, passed: false, detail: "\(filter): \(error)"))
      }
    }
    return (results, skipped)
  }

  /// The event a case is evaluated against, or nil when the model cannot represent it.
  static func evalEvent(file: String, index: Int, filter: String) -> Event? {
    if filter.contains("sample.") || filter.contains("evt.cpu") || filter.contains("fd.types") { return nil }
    switch file {
    case "filter_compiler.ut.cpp":
      var event = Event(
        source: .synthetic, type: "getcwd", timestamp: 1, number: 1, result: 0,
        arguments: [EventArgument("res", .errno(0)), EventArgument("path", .path("/test/dir"))], thread: process("init"))
      event.direction = .exit
      return event
    case "filter_op_net_compare.ut.cpp":
      return index < 26
        ? socket(server: "142.251.111.147", client: "172.40.111.222", v6: false)
        : socket(server: "2001:4860:4860::8888", client: "::1", v6: true)
    case "filter_op_numeric_compare.ut.cpp":
      var event = Event(
        source: .synthetic, type: .openat, timestamp: 1, number: 1, result: -2,
        arguments: [EventArgument("res", .errno(-2)), EventArgument("fd", .fd(-1))], thread: process("init"))
      event.fd = FileDescriptorInfo(number: -1, kind: .file, name: "/tmp/missing")
      return event
    case "filter_op_bytebuf.ut.cpp":
      let data: [UInt8] = index < 10 ? Array("hello".utf8) : [0x61, 0x00, 0x62]
      return Event(source: .synthetic, type: "write", timestamp: 1, number: 1, result: Int64(data.count), arguments: [EventArgument("data", .bytes(data))], thread: process("init"))
    case "filter_op_pmatch.ut.cpp":
      return opened("/opt/dir/subdir/file", flags: 0)
    case "filter_op_contains.ut.cpp":
      return opened("/tmp/dir/subdir/file", flags: 0o101)
    case "filter_transformer.ut.cpp":
      var event = opened("/tmp/file_to_run", flags: 0)
      event.arguments.append("data", .bytes(Array("hello!".utf8)))
      return event
    case "filterchecks/cmp_operator_modifiers.cpp":
      return Event(source: .synthetic, type: .execve, timestamp: 1, number: 1, result: 0, thread: process("myexe"))
    case "filterchecks/proc.cpp":
      var bash = process("bash")
      bash.parent = process("init")
      var thread = process("good-exe")
      thread.parent = bash
      return Event(source: .synthetic, type: .execve, timestamp: 1, number: 1, result: 0, thread: thread)
    case "filterchecks/evt/rawarg.cpp":
      return Event(
        source: .synthetic, type: "setresuid", timestamp: 1, number: 1, result: 0,
        arguments: [
          EventArgument("size", .int(-100)), EventArgument("flags", .flags(255)), EventArgument("uid", .uid(0)),
          EventArgument("pgid", .pid(0)), EventArgument("gid", .gid(0)),
        ], thread: process("init"))
    case "filterchecks/evt.cpp":
      return Event(source: .synthetic, type: "write", timestamp: 1, number: 1, result: 4, arguments: [EventArgument("data", .string("gigi"))], thread: process("init"))
    default:
      // filterchecks/invalid_utf8.cpp: names with bytes that are not UTF-8.
      return nil
    }
  }

  private static func process(_ name: String) -> ThreadInfo {
    var thread = ThreadInfo()
    thread.pid = 1
    thread.tid = 1
    thread.name = name
    thread.exe = name
    thread.euid = 0
    return thread
  }

  private static func opened(_ path: String, flags: UInt32) -> Event {
    var event = Event(
      source: .synthetic, type: .openat, timestamp: 1, number: 1, result: 3,
      arguments: [EventArgument("fd", .fd(3)), EventArgument("name", .path(path)), EventArgument("flags", .flags(flags))],
      thread: process("init"))
    event.fd = FileDescriptorInfo(number: 3, kind: .file, name: path)
    return event
  }

  private static func socket(server: String, client: String, v6: Bool) -> Event? {
    guard let serverAddress = address(server), let clientAddress = address(client) else { return nil }
    var event = Event(source: .synthetic, type: .accept4, timestamp: 1, number: 1, result: 4, thread: process("init"))
    event.fd = FileDescriptorInfo(
      number: 4, kind: v6 ? .ipv6 : .ipv4, name: "\(client):40000->\(server):80", l4Protocol: .tcp,
      client: SocketEndpoint(address: clientAddress, port: 40000), server: SocketEndpoint(address: serverAddress, port: 80), isServer: true)
    return event
  }

  private static func address(_ text: String) -> IPAddress? {
    if !text.contains(":") {
      let parts = text.split(separator: ".").compactMap { UInt32($0) }
      guard parts.count == 4 else { return nil }
      return IPAddress(ipv4: parts.reduce(0) { $0 << 8 | $1 })
    }
    // Expand `::` and read eight groups.
    let characters = Array(text)
    var split: Int?
    for index in 0..<(characters.count - 1) where characters[index] == ":" && characters[index + 1] == ":" {
      split = index
      break
    }
    let headText = split.map { String(characters[..<$0]) } ?? text
    let tailText = split.map { String(characters[($0 + 2)...]) } ?? ""
    let head = headText.split(separator: ":").map(String.init)
    let tail = tailText.split(separator: ":").map(String.init)
    guard head.count + tail.count <= 8 else { return nil }
    let groups = head + Array(repeating: "0", count: 8 - head.count - tail.count) + tail
    let values = groups.compactMap { UInt64($0, radix: 16) }
    guard values.count == 8 else { return nil }
    return IPAddress(ipv6High: values[0..<4].reduce(0) { $0 << 16 | $1 }, low: values[4..<8].reduce(0) { $0 << 16 | $1 })
  }
}
