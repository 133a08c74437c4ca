import FalconEngine
import FalconEvents
import PolicyCore
import Testing

/// `or`s of `proc.cmdline contains` checks are merged into one multi-needle scan: results must
/// equal the checks applied one by one to the joined command line.
@Suite("merged proc.cmdline contains checks")
struct CommandLineMergeTests {
  func check(_ condition: String, name: String, args: [String]) throws -> Bool {
    var thread = ThreadInfo()
    thread.name = name
    thread.args = args
    var event = Event(source: .audit, type: "execve", timestamp: 1)
    event.thread = thread
    var parser = ConditionParser(condition)
    return try FilterCompiler(fields: RuntimeFixtures.fields).compile(try parser.parse())(event)
  }

  @Test func mergedChecksAgreeWithTheJoinedText() throws {
    let needles = ["stratum+tcp", "stratum2+tcp", "stratum+ssl", "stratum2+ssl"]
    let condition = needles.map { "proc.cmdline contains \"\($0)\"" }.joined(separator: " or ") + " or proc.name = zzz"
    let cases: [(String, [String])] = [
      ("xmrig", ["-o", "stratum+tcp://pool:3333"]),
      ("xmrig", ["-o", "stratum2+ssl://pool"]),
      ("xmrig", ["-o", "stratum2+ss"]),
      ("stratum+tcp", []),
      ("miner", ["stratum", "+tcp"]),
      ("miner", ["xstratum+sslx"]),
      ("", ["stratum+tcp"]),
      ("zzz", []),
      ("a", ["stratu", "stratum+tc", "stratum+ssL"]),
    ]
    for (name, args) in cases {
      let joined = ([name] + args).joined(separator: " ")
      let expected = !name.isEmpty && needles.contains { joined.contains($0) } || name == "zzz"
      #expect(try check(condition, name: name, args: args) == expected, "\(name) \(args)")
    }
  }

  @Test func mixedNeedlesWithoutCommonPrefix() throws {
    let condition = "proc.cmdline contains abc or proc.cmdline contains xyz or proc.cmdline contains ab"
    #expect(try check(condition, name: "p", args: ["zzab"]))
    #expect(try check(condition, name: "pxyz", args: []))
    #expect(try !check(condition, name: "p", args: ["a", "b", "xy"]))
  }
}
