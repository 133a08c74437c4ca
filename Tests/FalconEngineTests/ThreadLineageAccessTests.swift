import FalconEngine
import FalconEvents
import PolicyCore
import Testing

/// Ancestors read in place (``ThreadInfo/withAncestor(_:_:)``, ``ThreadInfo/forEachAncestor(_:)``)
/// agree with the copying accessors, and the shared record keeps value semantics.
@Suite("ThreadInfo ancestors in place and copy-on-write")
struct ThreadLineageAccessTests {
  func chain() -> ThreadInfo {
    var grandparent = ThreadInfo()
    grandparent.pid = 1
    grandparent.name = "init"
    var parent = ThreadInfo()
    parent.pid = 10
    parent.name = "bash"
    parent.parent = grandparent
    var thread = ThreadInfo()
    thread.pid = 100
    thread.name = "cat"
    thread.args = ["/etc/shadow"]
    thread.parent = parent
    return thread
  }

  @Test func withAncestorMatchesAncestor() {
    let thread = chain()
    for generation in -1...4 {
      #expect(thread.withAncestor(generation) { $0.name } == thread.ancestor(generation)?.name)
      #expect(thread.withAncestor(generation) { $0.pid } == thread.ancestor(generation)?.pid)
    }
  }

  @Test func forEachAncestorWalksFromTheParentUp() {
    let thread = chain()
    var names: [String] = []
    thread.forEachAncestor { names.append($0.name); return true }
    #expect(names == ["bash", "init"])
    var first: [String] = []
    thread.forEachAncestor { first.append($0.name); return false }
    #expect(first == ["bash"])
    #expect(thread.hasParent)
    #expect(!ThreadInfo().hasParent)
    #expect(thread.linkedAncestorCount == 2)
  }

  @Test func copiesAreIndependent() {
    let original = chain()
    var copy = original
    #expect(copy == original)
    copy.name = "dog"
    copy.args.append("-n")
    #expect(original.name == "cat")
    #expect(original.args == ["/etc/shadow"])
    #expect(copy.args == ["/etc/shadow", "-n"])
    #expect(copy != original)
    var set: Set<ThreadInfo> = [original, copy]
    set.insert(chain())
    #expect(set.count == 2)
  }

  @Test func ancestorFieldsReadThroughTheChain() throws {
    var event = Event(source: .audit, type: "execve", timestamp: 1)
    event.thread = chain()
    func check(_ condition: String) throws -> Bool {
      var parser = ConditionParser(condition)
      return try FilterCompiler(fields: RuntimeFixtures.fields).compile(try parser.parse())(event)
    }
    #expect(try check("proc.pname = bash"))
    #expect(try check("proc.aname[2] = init"))
    #expect(try check("proc.aname = init"))
    #expect(try check("proc.apid[1] = 10"))
    #expect(try !check("proc.aname[3] exists"))
    #expect(try check("proc.aname in (sshd, init) and proc.cmdline startswith \"cat /etc\""))
  }
}
