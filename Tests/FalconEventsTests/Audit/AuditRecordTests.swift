import Testing

@testable import FalconEvents

/// Parsing one record: header forms, field quoting and encoding, malformed input.
@Suite struct AuditRecordTests {
  private func record(_ line: String) throws -> AuditRecord {
    try AuditRecord(logLine: ArraySlice(line.utf8))
  }

  @Test func rawLogHeader() throws {
    let parsed = try record(
      "type=CWD msg=audit(1795728638.806:43155): cwd=\"/srv/demo\"")
    #expect(parsed.type == .cwd)
    #expect(parsed.typeName == "CWD")
    #expect(
      parsed.stamp == AuditStamp(seconds: 1_795_728_638, nanoseconds: 806_000_000, serial: 43155))
    #expect(parsed.stamp.timestamp == 1_795_728_638_806_000_000)
    #expect(parsed.stamp.description == "1795728638.806:43155")
    #expect(parsed.node == nil)
    #expect(!parsed.isEnriched)
    #expect(parsed.field("cwd")?.value == "/srv/demo")
    #expect(parsed.field("cwd")?.isQuoted == true)
  }

  @Test func nodePrefixAndEnrichment() throws {
    let parsed = try record(
      "node=host1 type=SYSCALL msg=audit(1.5:7): arch=c000003e syscall=59 key=(null)\u{1D}ARCH=x86_64 SYSCALL=execve AUID=\"unset\"\r"
    )
    #expect(parsed.node == "host1")
    #expect(parsed.stamp.nanoseconds == 500_000_000)
    #expect(parsed.isEnriched)
    #expect(parsed.fields.map(\.key) == ["arch", "syscall", "key"])
    #expect(parsed.enrichedField("SYSCALL")?.value == "execve")
    #expect(parsed.enrichedField("AUID")?.value == "unset")
  }

  @Test func netlinkForm() throws {
    let payload = Array("audit(1700000000.001:42): argc=2 a0=\"ls\" a1=\"-l\"\0\0".utf8)
    let parsed = try AuditRecord(netlinkType: 1309, payload: payload[...])
    #expect(parsed.type == .execve)
    #expect(parsed.typeName == "")
    #expect(parsed.stamp.serial == 42)
    #expect(parsed.field("a1")?.value == "-l")
  }

  @Test func stampWithoutColonAndUnknownTypes() throws {
    let daemon = try record(
      "type=DAEMON_CONFIG msg=audit(1490239800.477:34) config changed, auid=0 pid=1512 res=success")
    #expect(daemon.type.rawValue == 1203)
    #expect(daemon.field("pid")?.value == "1512")
    let numbered = try record("type=UNKNOWN[1329] msg=audit(1.000:1): x=1")
    #expect(numbered.type.rawValue == 1329)
    let novel = try record("type=SOMETHING_NEW msg=audit(1.000:1): x=1")
    #expect(novel.type.rawValue == 0)
    #expect(novel.typeName == "SOMETHING_NEW")
  }

  @Test func valueEncodings() throws {
    let parsed = try record(
      "type=EXECVE msg=audit(1.000:1): argc=4 a0=\"/bin/echo\" a1=\(hex("two words")) a2=(null) a3=\"back\\slash\""
    )
    #expect(parsed.field("a0")?.decodedValue == "/bin/echo")
    #expect(parsed.field("a1")?.decodedValue == "two words")
    #expect(parsed.field("a1")?.isQuoted == false)
    #expect(parsed.field("a2")?.decodedValue == nil)
    #expect(parsed.field("a3")?.decodedValue == "back\\slash")
  }

  @Test func userMessageFieldsAreFlattened() throws {
    let parsed = try record(
      "type=USER_AUTH msg=audit(1.000:1): pid=27500 uid=0 auid=4242 ses=4 msg='op=PAM:authentication grantors=pam_rootok acct=\"nobody\" exe=\"/usr/bin/su\" hostname=? addr=? terminal=/dev/pts/0 res=success'"
    )
    #expect(
      parsed.fields.map(\.key) == [
        "pid", "uid", "auid", "ses", "op", "grantors", "acct", "exe", "hostname", "addr",
        "terminal",
        "res",
      ])
    #expect(parsed.field("res")?.value == "success")
    #expect(parsed.field("acct")?.value == "nobody")
  }

  @Test func bareWordsAndBracesAreSkipped() throws {
    let parsed = try record(
      "type=AVC msg=audit(1.000:1): avc:  denied  { read write } for  pid=13010 comm=\"pickup\" tclass=dir"
    )
    #expect(parsed.fields.map(\.key) == ["pid", "comm", "tclass"])
  }

  @Test func unterminatedQuoteRunsToTheEnd() throws {
    let parsed = try record("type=CWD msg=audit(1.000:1): cwd=\"/tmp/unterminated")
    #expect(parsed.field("cwd")?.value == "/tmp/unterminated")
  }

  @Test(arguments: [
    ("", "does not start with type="),
    ("hello world", "does not start with type="),
    ("type=UNKNOWN[1329] msg=?", "no msg=audit(...) stamp"),
    ("type=SYSCALL arch=c000003e", "no msg= field"),
    ("type= msg=audit(1.0:1):", "empty type"),
    ("type=SYSCALL msg=audit(x.0:1):", "malformed seconds"),
    ("type=SYSCALL msg=audit(1.:1):", "malformed fraction"),
    ("type=SYSCALL msg=audit(1.0123456789:1):", "malformed fraction"),
    ("type=SYSCALL msg=audit(1.0):", "no serial"),
    ("type=SYSCALL msg=audit(1.0:99999999999999999999999):", "malformed serial"),
    ("type=SYSCALL msg=audit(99999999999999999999.0:1):", "malformed seconds"),
  ])
  func malformedHeadersThrow(line: String, message: String) {
    #expect {
      _ = try AuditRecord(logLine: ArraySlice(line.utf8))
    } throws: { error in
      (error as? AuditRecordError)?.message.contains(message) == true
    }
  }

  @Test func recordTypeNamesRoundTrip() {
    for (number, name) in AuditRecordType.table {
      #expect(AuditRecordType(name: name)?.rawValue == number)
      #expect(AuditRecordType(rawValue: number).description == name)
    }
    #expect(AuditRecordType(name: "UNKNOWN[99999]") == nil)
    #expect(AuditRecordType(rawValue: 1999).description == "UNKNOWN[1999]")
    #expect(AuditRecordType.userAuth.isUserSpaceMessage)
    #expect(!AuditRecordType.syscall.isUserSpaceMessage)
  }
}
