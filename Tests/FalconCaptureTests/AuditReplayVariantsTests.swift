import FalconCapture
import FalconEvents
import PolicyCore
import Testing

/// Record-format variants and cross-checks over the recorded corpus.
@Suite(
  "Audit replay: variants and naming",
  .enabled(
    if: AuditReplayCorpus.isAvailable,
    "audit corpus not found at \(AuditReplayCorpus.directory) (set RAMPART_SHARED)"))
struct AuditReplayVariantsTests {
  /// public-samples.log gathers record formats from other machines and architectures (RHEL 5
  /// PAM text, node= prefixes, interleaved serials, hex exe and key, AppArmor, SECCOMP, aarch64
  /// builds). Everything decodes; the only line skipped is auditd's `type=UNKNOWN[1329] msg=?`,
  /// which carries no stamp to place it in an event.
  @Test func publicSamplesDecode() throws {
    let source = try AuditReplayCorpus.file("public-samples.log")
    var decoder = AuditDecoder(syscallName: AuditReplayCorpus.names.naming)
    var events: [Event] = []
    decoder.decode(log: source) { events.append($0) }
    let lines = source.bytes.split(separator: UInt8(ascii: "\n")).count
    print(
      "audit replay public-samples.log: \(lines) lines, \(decoder.recordCount) records, \(events.count) events, \(decoder.issueCount) issues: \(decoder.issues.map(\.description))"
    )
    #expect(decoder.issues.count == 1)
    #expect(decoder.issues.first?.code == .auditMalformedRecord)
    #expect(decoder.issues.first?.span?.line == 85)
    #expect(decoder.recordCount == lines - 1)
    let unnamed = events.filter { $0.type == .unknownSyscall }
    #expect(unnamed.isEmpty, "\(unnamed.map(\.number))")
    // Interleaved serials 194433/194435 still pair each SYSCALL with its PROCTITLE.
    let interleaved = events.filter { $0.number == 194435 && $0.thread.pid == 1281 }
    #expect(interleaved.count == 2)  // the file repeats the block with and without node=
    #expect(
      interleaved.allSatisfy { $0.type.name == "select" && $0.thread.exe == "sshd: burn [priv]" },
      "\(interleaved.map { ($0.type, $0.thread.exe, $0.thread.args) })")
  }

  /// The ENRICHED log names every call itself (`SYSCALL=execve`); with no naming function at
  /// all the decoder must arrive at the same types libseccomp gives.
  @Test func enrichedNamesAgreeWithLibseccomp() throws {
    let (withSeccomp, _) = try AuditReplayCorpus.decode("enriched.log")
    let (withoutNames, decoder) = try AuditReplayCorpus.decode(
      "enriched.log", naming: { _, _ in nil })
    #expect(decoder.issues.isEmpty)
    #expect(withSeccomp.map(\.event.type) == withoutNames.map(\.event.type))
    #expect(!withoutNames.contains { $0.event.type == .unknownSyscall })
  }

  /// Feeding the log's records one by one as netlink messages (type from the name, payload
  /// without `type=... msg=`) gives the same events as reading the log.
  @Test func netlinkFormMatchesTheLog() throws {
    let source = try AuditReplayCorpus.file("raw.log")
    let (fromLog, _) = try AuditReplayCorpus.decode("raw.log")
    var decoder = AuditDecoder(syscallName: AuditReplayCorpus.names.naming)
    var fromNetlink: [Event] = []
    for line in source.bytes.split(separator: UInt8(ascii: "\n")) {
      let record = try AuditRecord(logLine: line)
      let payloadStart =
        line.firstIndex(of: UInt8(ascii: "(")).map { $0 - "audit".utf8.count } ?? line.startIndex
      decoder.decode(netlinkType: record.type.rawValue, payload: line[payloadStart...]) {
        fromNetlink.append($0)
      }
    }
    decoder.finish { fromNetlink.append($0) }
    #expect(decoder.issues.isEmpty)
    #expect(fromNetlink.count == fromLog.count)
    #expect(fromNetlink.map(\.number) == fromLog.map(\.event.number))
    #expect(fromNetlink.map(\.thread) == fromLog.map(\.event.thread))
  }

  /// Reading the log in 4,000-byte chunks (lines split across chunks) gives the same events
  /// as reading it whole.
  @Test func chunkedLogMatchesTheWholeLog() throws {
    let source = try AuditReplayCorpus.file("enriched.log")
    var whole = AuditDecoder(syscallName: AuditReplayCorpus.names.naming)
    var expected: [Event] = []
    whole.decode(log: source) { expected.append($0) }
    var chunked = AuditDecoder(syscallName: AuditReplayCorpus.names.naming)
    var actual: [Event] = []
    var start = 0
    while start < source.bytes.count {
      let end = min(start + 4_000, source.bytes.count)
      chunked.decode(logChunk: source.bytes[start..<end]) { actual.append($0) }
      start = end
    }
    chunked.finishLog { actual.append($0) }
    #expect(chunked.issues.isEmpty)
    #expect(actual.count == expected.count)
    #expect(actual.map(\.number) == expected.map(\.number))
    #expect(actual.map(\.thread) == expected.map(\.thread))
    #expect(actual.map(\.arguments) == expected.map(\.arguments))
  }

  /// The process table over raw.log: the python tree's leaf sees four python generations and
  /// the scenario shell above them.
  @Test func processTableLinksTheRecordedTree() throws {
    let (pairs, _) = try AuditReplayCorpus.decode("raw.log")
    var table = ProcessTable()
    var leafAncestors: [String] = []
    for (_, original) in pairs {
      var event = original
      table.apply(&event)
      if event.type == .execve, event.thread.pid == 27132 {  // `id -un` under tree.py 1
        leafAncestors = (1...6).compactMap { event.thread.ancestor($0) }.map {
          "\($0.name):\($0.args.joined(separator: " "))"
        }
      }
    }
    #expect(
      leafAncestors == [
        "sh:-c id -un; uname -s | tr A-Z a-z",
        "python3:/srv/demo/tree.py 1",
        "python3:/srv/demo/tree.py 2",
        "python3:/srv/demo/tree.py 3",
        "python3:/srv/demo/tree.py 4",
        "bash:/srv/demo/scenario.sh",
      ])
  }
}
