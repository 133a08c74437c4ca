import Testing

@testable import FalconEvents

/// Grouping records into events: serial changes, EOE, PROCTITLE, interleaving, limits.
@Suite struct AuditEventAssemblerTests {
  private func record(_ type: String, _ serial: Int, second: Int = 100, _ fields: String = "x=1")
    throws -> AuditRecord
  {
    try AuditRecord(
      logLine: ArraySlice("type=\(type) msg=audit(\(second).000:\(serial)): \(fields)".utf8))
  }

  private func assemble(_ records: [AuditRecord], limits: AuditLimits = .default) -> [[String]] {
    var assembler = AuditEventAssembler(limits: limits)
    var events: [AuditEvent] = []
    for record in records { assembler.add(record) { events.append($0) } }
    assembler.flush { events.append($0) }
    return events.map { $0.records.map(\.typeName) }
  }

  @Test func proctitleCompletesASyscallEvent() throws {
    var assembler = AuditEventAssembler()
    var done: [AuditEvent] = []
    assembler.add(try record("SYSCALL", 1)) { done.append($0) }
    assembler.add(try record("CWD", 1)) { done.append($0) }
    #expect(done.isEmpty)
    assembler.add(try record("PROCTITLE", 1)) { done.append($0) }
    #expect(done.count == 1)
    #expect(done.first?.records.count == 3)
    #expect(assembler.openEventCount == 0)
  }

  @Test func eoeCompletesAndIsNotKept() throws {
    var assembler = AuditEventAssembler()
    var done: [AuditEvent] = []
    assembler.add(try record("SYSCALL", 5)) { done.append($0) }
    assembler.add(try record("EOE", 5, "")) { done.append($0) }
    #expect(done.map { $0.records.map(\.typeName) } == [["SYSCALL"]])
    // A stray EOE opens nothing.
    assembler.add(try record("EOE", 6, "")) { done.append($0) }
    #expect(assembler.openEventCount == 0)
  }

  @Test func loginJoinsTheSyscallWithItsSerial() throws {
    let groups = assemble([
      try record("LOGIN", 1, "pid=1 old-auid=4294967295 auid=4242"), try record("SYSCALL", 1),
      try record("PROCTITLE", 1), try record("SYSCALL", 2), try record("PROCTITLE", 2),
    ])
    #expect(groups == [["LOGIN", "SYSCALL", "PROCTITLE"], ["SYSCALL", "PROCTITLE"]])
  }

  @Test func interleavedEventsStayApartAndKeepArrivalOrder() throws {
    let groups = assemble([
      try record("SYSCALL", 35), try record("SYSCALL", 33), try record("PROCTITLE", 33),
      try record("PROCTITLE", 35),
    ])
    #expect(groups == [["SYSCALL", "PROCTITLE"], ["SYSCALL", "PROCTITLE"]])
    var assembler = AuditEventAssembler()
    var serials: [UInt64] = []
    for item in [
      try record("SYSCALL", 35), try record("SYSCALL", 33), try record("PROCTITLE", 33),
      try record("PROCTITLE", 35),
    ] {
      assembler.add(item) { serials.append($0.stamp.serial) }
    }
    #expect(serials == [35, 33])
  }

  @Test func userMessagesAreSingleRecordEvents() throws {
    let groups = assemble([
      try record("SYSCALL", 1), try record("USER_AUTH", 2, "msg='op=x res=success'"),
      try record("PROCTITLE", 1),
    ])
    #expect(groups == [["SYSCALL", "PROCTITLE"], ["USER_AUTH"]])
  }

  @Test func windowOverflowCompletesTheOldest() throws {
    var assembler = AuditEventAssembler(limits: AuditLimits(maxOpenEvents: 2))
    var done: [UInt64] = []
    for serial in 1...4 {
      assembler.add(try record("SYSCALL", serial)) { done.append($0.stamp.serial) }
    }
    #expect(done == [1, 2])
    #expect(assembler.openEventCount == 2)
  }

  @Test func eventsOlderThanTheTimeoutComplete() throws {
    var assembler = AuditEventAssembler()
    var done: [UInt64] = []
    assembler.add(try record("SYSCALL", 1, second: 100)) { done.append($0.stamp.serial) }
    assembler.add(try record("SYSCALL", 2, second: 101)) { done.append($0.stamp.serial) }
    #expect(done.isEmpty)
    assembler.add(try record("SYSCALL", 3, second: 103)) { done.append($0.stamp.serial) }
    #expect(done == [1])
  }

  @Test func eventSizeLimitDropsExtraRecords() throws {
    var assembler = AuditEventAssembler(limits: AuditLimits(maxRecordsPerEvent: 3))
    var done: [AuditEvent] = []
    for _ in 0..<10 { assembler.add(try record("EXECVE", 9)) { done.append($0) } }
    assembler.flush { done.append($0) }
    #expect(done.count == 1)
    #expect(done.first?.records.count == 3)
    #expect(done.first?.droppedRecords == 7)
  }
}
