import FalconEngine
import FalconEvents
import Foundation
import PolicyCore

/// Paths and builders shared by the runtime tests.
enum RuntimeFixtures {
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
  static let falconData = packageRoot + "/../shared/conformance/falcon"
  static let stockRuleNames = ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"]

  static var haveSharedData: Bool { FileManager.default.fileExists(atPath: falconData + "/rules/falco_rules.yaml") }

  static let users = UserDirectory(
    users: [0: .init(name: "root", home: "/root", shell: "/bin/bash"), 1000: .init(name: "alice", home: "/home/alice", shell: "/bin/zsh")],
    groups: [0: "root", 1000: "alice"])

  static let fields = FalconFieldTable(users: users, hostname: "testhost")

  /// Loads rules text with Falcon's field table.
  static func ruleset(_ yaml: String) throws -> CompiledRuleset {
    var loader = RuleLoader(options: RuleLoaderOptions(fields: fields))
    let result = loader.load(name: "rules.yaml", content: yaml)
    guard let ruleset = result.ruleset, result.errors.isEmpty else {
      throw RuntimeTestError(message: result.errors.map(\.description).joined(separator: "; "))
    }
    return ruleset
  }

  /// An execve of `/usr/bin/<name>` by a bash child of sshd.
  static func exec(_ name: String, args: [String] = [], uid: UInt32 = 0, time: UInt64 = 1_700_000_000_123_456_789) -> Event {
    var grandparent = ThreadInfo()
    grandparent.pid = 1
    grandparent.name = "sshd"
    grandparent.exe = "/usr/sbin/sshd"
    var parent = ThreadInfo()
    parent.pid = 100
    parent.ppid = 1
    parent.name = "bash"
    parent.exe = "bash"
    parent.exePath = "/usr/bin/bash"
    parent.parent = grandparent
    var thread = ThreadInfo()
    thread.pid = 200
    thread.tid = 200
    thread.ppid = 100
    thread.name = name
    thread.exe = name
    thread.exePath = "/usr/bin/" + name
    thread.args = args
    thread.euid = uid
    thread.uid = uid
    thread.egid = uid
    thread.loginUID = 1000
    thread.cwd = "/home/alice"
    thread.capEffective = 0b1_0000_0001
    thread.parent = parent
    return Event(source: .synthetic, type: .execve, timestamp: time, number: 7, result: 0, thread: thread)
  }

  /// An openat of `path` with `flags` by `cat`.
  static func open(_ path: String, flags: UInt32 = 0) -> Event {
    var event = exec("cat")
    event.type = .openat
    event.result = 3
    event.arguments = [EventArgument("fd", .fd(3)), EventArgument("name", .path(path)), EventArgument("flags", .flags(flags))]
    event.fd = FileDescriptorInfo(number: 3, kind: .file, name: path)
    return event
  }
}

struct RuntimeTestError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
