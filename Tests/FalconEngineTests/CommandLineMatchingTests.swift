import FalconEngine
import FalconEvents
import PolicyCore
import Testing

/// `proc.cmdline contains/icontains/startswith` are answered from the name and arguments
/// without joining them: they must agree with the operators applied to the joined text.
@Suite("proc.cmdline checks without joining")
struct CommandLineMatchingTests {
  func check(_ condition: String, _ event: Event) throws -> Bool {
    var parser = ConditionParser(condition)
    do {
      return try FilterCompiler(fields: RuntimeFixtures.fields).compile(try parser.parse())(event)
    } catch {
      Issue.record("\(condition): \(error)")
      return false
    }
  }

  /// The operator applied to `name` and `args` joined with spaces (missing when `name` is empty).
  func expected(_ name: String, _ args: [String], _ op: String, _ needle: String) -> Bool {
    guard !name.isEmpty else { return false }
    let line = ([name] + args).joined(separator: " ")
    switch op {
    case "contains": return needle.isEmpty || line.utf8.count >= needle.utf8.count && line.contains(needle)
    case "icontains": return needle.isEmpty || line.lowercased().contains(needle.lowercased())
    default: return line.utf8.starts(with: needle.utf8)
    }
  }

  @Test("agree with the joined command line")
  func agree() throws {
    let commands: [(String, [String])] = [
      ("curl", []), ("curl", ["-s", "http://x"]), ("sh", ["-c", "echo hi there"]), ("sh", ["", "-c"]),
      ("Python3", ["Stratum+TCP://pool", "x"]), ("", ["orphan"]), ("a", ["b", ""]), ("bash", ["-c"]),
    ]
    let needles = [
      "c", "curl", "curl -s", "-s", "-s http", "http://x", "sh -c", "sh -c echo", "sh -c 'echo", "echo hi there",
      "stratum+tcp", "python3 stratum", "x", "a b", "a b ", "b", "orphan", "bash -c", "bash -c ", " ",
    ]
    for (name, args) in commands {
      let event = RuntimeFixtures.exec(name, args: args)
      for needle in needles {
        for op in ["contains", "icontains", "startswith"] {
          let quoted = needle.contains("'") ? "\"\(needle)\"" : "'\(needle)'"
          let fast = try check("proc.cmdline \(op) \(quoted)", event)
          let joined = expected(name, args, op, needle)
          #expect(fast == joined, "\(name) \(args) \(op) \(quoted)")
          let negated = try check("not proc.cmdline \(op) \(quoted)", event)
          #expect(negated == (name.isEmpty || !joined), "not \(name) \(args) \(op) \(quoted)")
        }
      }
    }
  }
}
