import PolicyCore
import Testing

@testable import FalconEvents

/// Hostile and damaged input: every limit trips with its own diagnostic, nothing crashes or hangs.
@Suite struct AuditHostileInputTests {
  @Test func overlongRecordIsSkippedWithAPosition() {
    let long = "type=EXECVE msg=audit(1.000:1): a0=\"" + String(repeating: "x", count: 2_000) + "\""
    let log = "type=CWD msg=audit(1.000:2): cwd=\"/\"\n" + long
    let (events, decoder) = decodeLog(log, limits: AuditLimits(maxRecordBytes: 1_000))
    #expect(events.count == 1)
    #expect(decoder.issues.map(\.code) == [.limitAuditRecordLength])
    #expect(
      decoder.issues.first?.description.hasPrefix("test.log:2:1: limit_audit_record_length") == true
    )
  }

  @Test func endlessLineInAStreamIsDroppedWithBoundedMemory() {
    var decoder = AuditDecoder(
      limits: AuditLimits(maxRecordBytes: 4_096), syscallName: testSyscallNames)
    var events: [Event] = []
    decoder.decode(logChunk: Array((syscallLine(serial: 1, syscall: 59) + "\n").utf8)) {
      events.append($0)
    }
    // 1 MiB of one line without a newline, in 1 KiB pieces, then the line ends and a good one follows.
    let junk = [UInt8](repeating: UInt8(ascii: "x"), count: 1_024)
    for _ in 0..<1_024 { decoder.decode(logChunk: junk) { events.append($0) } }
    decoder.decode(logChunk: Array("tail\n\(syscallLine(serial: 2, syscall: 59))".utf8)) {
      events.append($0)
    }
    decoder.finishLog { events.append($0) }
    #expect(events.map(\.number) == [1, 2])
    #expect(decoder.issues.map(\.code) == [.limitAuditRecordLength])
    #expect(decoder.issues.first?.message.hasPrefix("line 2:") == true)
  }

  @Test func hugeArgcAndIndexesAreBounded() {
    let log = """
      \(syscallLine(serial: 1, syscall: 59))
      type=EXECVE msg=audit(1700000000.123:1): argc=999999999999 a0="x" a99999999999="y" a5000="z"
      type=PROCTITLE msg=audit(1700000000.123:1): proctitle="x"
      """
    let (events, decoder) = decodeLog(log, limits: AuditLimits(maxArguments: 100))
    #expect(events.first?.thread.exe == "x")
    #expect(events.first?.thread.args.isEmpty == true)
    #expect(decoder.issues.map(\.code).allSatisfy { $0 == .limitAuditArguments })
    #expect(!decoder.issues.isEmpty)
  }

  @Test func sparseArgumentIndexesAreFilledNotExploded() {
    let log = """
      \(syscallLine(serial: 1, syscall: 59))
      type=EXECVE msg=audit(1700000000.123:1): argc=3 a0="x" a2="z"
      """
    let (events, _) = decodeLog(log)
    #expect(events.first?.thread.args == ["", "z"])
  }

  @Test func endlessEventIsCappedByRecordCount() {
    var lines = [syscallLine(serial: 1, syscall: 59)]
    for index in 0..<5_000 {
      lines.append("type=PATH msg=audit(1700000000.123:1): item=\(index) name=\"/x\"")
    }
    let (events, decoder) = decodeLog(
      lines.joined(separator: "\n"), limits: AuditLimits(maxRecordsPerEvent: 64))
    #expect(events.count == 1)
    #expect(decoder.issues.map(\.code) == [.limitAuditEventSize])
  }

  @Test func manyOpenSerialsStayBounded() {
    var lines: [String] = []
    for serial in 0..<10_000 { lines.append(syscallLine(serial: serial, syscall: 59)) }
    var decoder = AuditDecoder(limits: AuditLimits(maxOpenEvents: 8), syscallName: testSyscallNames)
    var count = 0
    var maxOpen = 0
    decoder.decode(log: SourceFile(name: "x", text: lines.joined(separator: "\n"))) { _ in
      count += 1
    }
    maxOpen = max(maxOpen, 8)
    #expect(count == 10_000)
    #expect(decoder.eventCount == 10_000)
  }

  @Test func garbageLinesAreReportedAndSkipped() {
    let log = """
      type=UNKNOWN[1329] msg=?
      \u{0}\u{1}\u{2}binary junk
      type=SYSCALL msg=audit(
      type=SYSCALL msg=audit(1.0:1
      node= type=SYSCALL msg=audit(1.000:5): \u{1D}\u{1D}\u{1D}
      type=SYSCALL msg=audit(1.000:6): a0= =x ==== "" ' '' ''' key="
      type=EXECVE msg=audit(1.000:7): argc= a= a_len= a1[=1 a1[0 a1_len=abc a1[0]=zz a1[1]="q
      type=SOCKADDR msg=audit(1.000:8): saddr=0
      type=SOCKADDR msg=audit(1.000:9): saddr=02
      type=PATH msg=audit(1.000:10): item=-1 name= dev=:: mode=9999999999999 inode=-5
      """
    let (events, decoder) = decodeLog(log)
    #expect(decoder.issues.map(\.code) == Array(repeating: .auditMalformedRecord, count: 4))
    #expect(decoder.issues.map { $0.span?.line ?? 0 } == [1, 2, 3, 4])
    #expect(events.count == 6)
  }

  @Test func truncatedFinalLineAndCRLF() {
    let log =
      syscallLine(serial: 1, syscall: 59)
      + "\r\ntype=PROCTITLE msg=audit(1700000000.123:1): proctitle=2F62"
    let (events, decoder) = decodeLog(log)
    #expect(decoder.issues.isEmpty)
    #expect(events.count == 1)
    #expect(events.first?.thread.exe == "/b")
  }

  @Test func issueListIsCapped() {
    let log = Array(repeating: "garbage", count: 50).joined(separator: "\n")
    let (_, decoder) = decodeLog(log, limits: AuditLimits(maxIssues: 10))
    #expect(decoder.issues.count == 10)
    #expect(decoder.issueCount == 50)
  }

  @Test func randomBytesNeverCrash() {
    // A deterministic generator: the same bytes every run.
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func nextByte() -> UInt8 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 33)
    }
    let alphabet = Array(
      "type=SYSCALL msg=audit(1.0:1): EXECVE PATH a0[1]_len=\"'\u{1D}0123456789ABCDEF \n".utf8)
    for _ in 0..<200 {
      var bytes: [UInt8] = []
      for _ in 0..<400 { bytes.append(alphabet[Int(nextByte()) % alphabet.count]) }
      var decoder = AuditDecoder(syscallName: testSyscallNames)
      decoder.decode(log: SourceFile(name: "fuzz", bytes: bytes)) { _ in }
      #expect(decoder.issueCount >= 0)
    }
  }
}
