import Testing

@testable import FalconEvents

/// The process table: lifecycle updates, ancestor links, and its documented bounds.
@Suite struct ProcessTableTests {
  private static let second: UInt64 = 1_000_000_000

  private func thread(pid: Int64, ppid: Int64, name: String, args: [String] = []) -> ThreadInfo {
    var info = ThreadInfo()
    info.pid = pid
    info.tid = pid
    info.ppid = ppid
    info.name = name
    info.exe = name
    info.args = args
    info.uid = 0
    info.euid = 0
    return info
  }

  private func event(
    _ type: EventType, _ info: ThreadInfo, at time: UInt64, result: Int64 = 0
  ) -> Event {
    Event(source: .audit, type: type, timestamp: time, result: result, thread: info)
  }

  @Test func execEventsLinkTheirAncestors() {
    var table = ProcessTable()
    var shell = event(
      .execve, thread(pid: 100, ppid: 1, name: "bash", args: ["/srv/demo/scenario.sh"]), at: 1)
    table.apply(&shell)
    var child = event(.execve, thread(pid: 101, ppid: 100, name: "sh", args: ["-c", "id"]), at: 2)
    table.apply(&child)
    var grandchild = event(.execve, thread(pid: 102, ppid: 101, name: "id"), at: 3)
    table.apply(&grandchild)
    #expect(grandchild.thread.ancestor(1)?.name == "sh")
    #expect(grandchild.thread.ancestor(2)?.name == "bash")
    #expect(grandchild.thread.ancestor(2)?.args == ["/srv/demo/scenario.sh"])
    #expect(grandchild.thread.ancestor(3) == nil)  // pid 1 never seen
    #expect(table.ancestors(of: 102).map(\.pid) == [101, 100])
    #expect(table.count == 3)
  }

  @Test func laterEventsGetTheExecdArgvInsteadOfProctitle() {
    var table = ProcessTable()
    var exec = event(
      .execve, thread(pid: 200, ppid: 1, name: "printf", args: Array(repeating: "x", count: 300)),
      at: 1)
    table.apply(&exec)
    // A non-exec event carries only the kernel's truncated PROCTITLE.
    var open = event(
      .openat, thread(pid: 200, ppid: 1, name: "printf", args: ["x", "x"]), at: 2, result: 3)
    table.apply(&open)
    #expect(open.thread.args.count == 300)
    #expect(open.thread.startTime == 1)
    #expect(open.thread.execTime == 1)
  }

  @Test func failedExecDoesNotReplaceTheArgv() {
    var table = ProcessTable()
    var exec = event(
      .execve, thread(pid: 300, ppid: 1, name: "setpriv", args: ["--reuid=nobody", "cat"]), at: 1)
    table.apply(&exec)
    var failed = event(
      .execve, thread(pid: 300, ppid: 1, name: "setpriv", args: ["bogus"]), at: 2, result: -2)
    table.apply(&failed)
    #expect(failed.thread.args == ["--reuid=nobody", "cat"])
    #expect(table.thread(300)?.args == ["--reuid=nobody", "cat"])
  }

  @Test func forkCopiesTheParentAndExitKeepsAncestorsFindable() {
    var table = ProcessTable()
    var shell = event(.execve, thread(pid: 10, ppid: 1, name: "bash"), at: 1 * Self.second)
    table.apply(&shell)
    table.fork(parentPID: 10, childPID: 11, time: 2 * Self.second)
    #expect(table.thread(11)?.name == "bash")
    #expect(table.thread(11)?.ppid == 10)
    #expect(table.thread(11)?.startTime == 2 * Self.second)
    table.fork(parentPID: 11, childPID: 12, time: 3 * Self.second)
    table.exit(pid: 11, time: 4 * Self.second)
    table.exit(pid: 10, time: 4 * Self.second)
    #expect(table.hasExited(11))
    var leaf = event(.execve, thread(pid: 12, ppid: 11, name: "cat"), at: 5 * Self.second)
    table.apply(&leaf)
    #expect(leaf.thread.ancestor(1)?.pid == 11)
    #expect(leaf.thread.ancestor(2)?.name == "bash")
    #expect(leaf.thread.ancestor(2)?.pid == 10)
  }

  @Test func exitedProcessesAreForgottenAfterTheRetention() {
    var table = ProcessTable(limits: .init(exitedRetention: 30 * Self.second))
    var parent = event(.execve, thread(pid: 20, ppid: 1, name: "python3"), at: 1 * Self.second)
    table.apply(&parent)
    table.fork(parentPID: 20, childPID: 21, time: 2 * Self.second)
    table.exit(pid: 20, time: 3 * Self.second)
    var early = event(.openat, thread(pid: 21, ppid: 20, name: "python3"), at: 10 * Self.second)
    table.apply(&early)
    #expect(early.thread.parent?.pid == 20)
    var late = event(.openat, thread(pid: 21, ppid: 20, name: "python3"), at: 40 * Self.second)
    table.apply(&late)
    #expect(late.thread.parent == nil)
    #expect(table.exitedCount == 0)
    #expect(table.statistics.evictedExited == 1)
  }

  @Test func exitedCapForgetsTheOldestExitFirst() {
    var table = ProcessTable(limits: .init(maxExitedProcesses: 3))
    for pid in Int64(1)...5 {
      table.fork(parentPID: 0, childPID: pid, time: UInt64(pid))
      table.exit(pid: pid, time: 10 + UInt64(pid))
    }
    #expect(table.exitedCount == 3)
    #expect(table.thread(1) == nil)
    #expect(table.thread(2) == nil)
    #expect(table.thread(5) != nil)
  }

  @Test func liveCapEvictsTheLeastRecentlySeen() {
    var table = ProcessTable(limits: .init(maxLiveProcesses: 16))
    for pid in Int64(1)...16 {
      var open = event(.openat, thread(pid: pid, ppid: 1, name: "p\(pid)"), at: UInt64(pid))
      table.apply(&open)
    }
    // Touch pid 1 again so it is the most recently seen.
    var again = event(.openat, thread(pid: 1, ppid: 0, name: "p1"), at: 100)
    table.apply(&again)
    var newcomer = event(.openat, thread(pid: 99, ppid: 1, name: "new"), at: 101)
    table.apply(&newcomer)
    #expect(table.count <= 16)
    #expect(table.thread(1) != nil)
    #expect(table.thread(99) != nil)
    #expect(table.thread(2) == nil)  // seen least recently
    #expect(table.statistics.evictedLive >= 1)
  }

  @Test func reusedPidIsNotMistakenForTheParent() {
    var table = ProcessTable()
    table.insert(thread(pid: 50, ppid: 1, name: "old-parent").withStart(1 * Self.second))
    table.fork(parentPID: 50, childPID: 51, time: 2 * Self.second)
    table.exit(pid: 50, time: 3 * Self.second)
    // PID 50 comes back as an unrelated process, started after 51.
    table.fork(parentPID: 1, childPID: 50, time: 4 * Self.second)
    #expect(table.ancestors(of: 51).first?.name == "old-parent")
  }

  @Test func hostilePpidCycleStops() {
    var table = ProcessTable()
    var a = event(.openat, thread(pid: 7, ppid: 8, name: "a"), at: 1)
    var b = event(.openat, thread(pid: 8, ppid: 7, name: "b"), at: 2)
    var selfParent = event(.openat, thread(pid: 9, ppid: 9, name: "c"), at: 3)
    table.apply(&a)
    table.apply(&b)
    table.apply(&selfParent)
    #expect(b.thread.ancestor(1)?.pid == 7)
    #expect(b.thread.ancestor(2) == nil)
    #expect(selfParent.thread.parent == nil)
    #expect(table.ancestors(of: 7).map(\.pid) == [8])
    #expect(table.statistics.cyclesDetected >= 1)
  }

  @Test func deepForkChainIsCappedAtTheAncestorDepth() {
    // A hostile fork chain 20,000 generations deep: walks and links stop at the cap, and
    // releasing the events does not recurse 20,000 times.
    var table = ProcessTable(limits: .init(maxAncestorDepth: 32))
    for pid in Int64(2)...20_001 {
      table.fork(parentPID: pid - 1, childPID: pid, time: UInt64(pid))
    }
    var leaf = event(.openat, thread(pid: 20_001, ppid: 20_000, name: "leaf"), at: 30_000)
    table.apply(&leaf)
    #expect(leaf.thread.linkedAncestorCount == 32)
    #expect(table.ancestors(of: 20_001).count == 32)
  }

  @Test func eventsWithoutPidAreLeftAlone() {
    var table = ProcessTable()
    var orphan = Event(source: .audit, type: "DAEMON_START", timestamp: 1)
    table.apply(&orphan)
    #expect(table.count == 0)
    #expect(orphan.thread.pid == -1)
  }
}

extension ThreadInfo {
  fileprivate func withStart(_ time: UInt64) -> ThreadInfo {
    var copy = self
    copy.startTime = time
    return copy
  }
}
