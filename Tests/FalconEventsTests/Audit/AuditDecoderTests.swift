import PolicyCore
import Testing

@testable import FalconEvents

/// Turning audit events into `Event`s: types, threads, arguments, descriptors, diagnostics.
@Suite struct AuditDecoderTests {
  @Test func execveBecomesAnExecEventWithArgvAndCaps() throws {
    let log = """
      \(syscallLine(serial: 10, syscall: 59, pid: 300, ppid: 200))
      type=BPRM_FCAPS msg=audit(1700000000.123:10): fver=0 fp=0 fi=0 fe=0 old_pp=0 old_pi=0 old_pe=0 old_pa=0 pp=000001fffeffffff pi=0 pe=000001fffeffffff pa=0 frootid=0
      type=EXECVE msg=audit(1700000000.123:10): argc=3 a0="cat" a1=\(hex("two words")) a2="/etc/shadow"
      type=CWD msg=audit(1700000000.123:10): cwd="/srv/demo"
      type=PATH msg=audit(1700000000.123:10): item=0 name="/usr/bin/cat" inode=12 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL
      type=PROCTITLE msg=audit(1700000000.123:10): proctitle=\(hex("cat\0two words\0/etc/shadow"))
      """
    let (events, decoder) = decodeLog(log)
    #expect(decoder.issues.isEmpty)
    let event = try #require(events.first)
    #expect(events.count == 1)
    #expect(event.type == .execve)
    #expect(event.direction == .exit)
    #expect(event.source == .audit)
    #expect(event.timestamp == 1_700_000_000_123_000_000)
    #expect(event.number == 10)
    #expect(event.result == 0)
    let thread = event.thread
    #expect(thread.pid == 300)
    #expect(thread.tid == 300)
    #expect(thread.ppid == 200)
    #expect(thread.name == "cat")
    #expect(thread.exePath == "/usr/bin/cat")
    #expect(thread.exe == "cat")
    #expect(thread.args == ["two words", "/etc/shadow"])
    #expect(thread.cwd == "/srv/demo")
    #expect(thread.loginUID == 1000)
    #expect(thread.auditSessionID == 3)
    #expect(thread.tty == 34817)  // pts/1
    #expect(thread.capEffective == 0x1_FFFE_FFFF_FF)
    #expect(event.arguments["filename"] == .path("/usr/bin/cat"))
    #expect(event.arguments["args"] == .bytes(Array("two words\0/etc/shadow\0".utf8)))
    #expect(event.arguments["trusted_exepath"] == .path("/usr/bin/cat"))
    #expect(event.fd == nil)
  }

  @Test func splitAndHexArgumentsAreReassembled() throws {
    let long = String(repeating: "A", count: 40)
    let log = """
      \(syscallLine(serial: 11, syscall: 59))
      type=EXECVE msg=audit(1700000000.123:11): argc=4 a0="printf" a1_len=10 a1[0]="hello" a1[1]="world"
      type=EXECVE msg=audit(1700000000.123:11): a2_len=80 a2[0]=\(hex(String(long.prefix(20)))) a2[1]=\(hex(String(long.suffix(20)))) a3="end"
      type=PROCTITLE msg=audit(1700000000.123:11): proctitle="printf"
      """
    let (events, decoder) = decodeLog(log)
    #expect(decoder.issues.isEmpty)
    #expect(events.first?.thread.args == ["helloworld", long, "end"])
  }

  @Test func argumentMismatchesAreReported() throws {
    let log = """
      \(syscallLine(serial: 12, syscall: 59))
      type=EXECVE msg=audit(1700000000.123:12): argc=3 a0="x" a1_len=9 a1[0]="abc"
      type=PROCTITLE msg=audit(1700000000.123:12): proctitle="x"
      """
    let (events, decoder) = decodeLog(log)
    #expect(events.first?.thread.args == ["abc"])
    let codes = decoder.issues.map(\.code)
    #expect(codes == [.auditArgumentMismatch, .auditArgumentMismatch])
    // Positions point at the EXECVE line.
    #expect(
      decoder.issues.first?.description.hasPrefix("test.log:2:1: audit_argument_mismatch") == true)
  }

  @Test func failedExecKeepsTheCallersArgvFromProctitle() throws {
    let log = """
      \(syscallLine(serial: 13, syscall: 59, exit: -2))
      type=CWD msg=audit(1700000000.123:13): cwd="/srv/demo"
      type=PATH msg=audit(1700000000.123:13): item=0 name="/usr/sbin/cat" nametype=UNKNOWN
      type=PROCTITLE msg=audit(1700000000.123:13): proctitle=\(hex("setpriv\0--reuid=nobody\0cat"))
      """
    let (events, _) = decodeLog(log)
    let event = try #require(events.first)
    #expect(event.failed)
    #expect(event.result == -2)
    #expect(event.thread.exe == "setpriv")
    #expect(event.thread.args == ["--reuid=nobody", "cat"])
    #expect(event.arguments["filename"] == .path("/usr/sbin/cat"))
    #expect(event.arguments["exe"] == nil)
  }

  @Test func openatResolvesRelativeNamesAndFillsTheDescriptor() throws {
    let log = """
      \(syscallLine(serial: 14, syscall: 257, exit: 3, a0: "ffffff9c", a1: "7f00", a2: "80000"))
      type=CWD msg=audit(1700000000.123:14): cwd="/var/spool/postfix"
      type=PATH msg=audit(1700000000.123:14): item=0 name="../postfix/./maildrop" inode=737 dev=fe:01 mode=0100644 nametype=NORMAL
      type=PROCTITLE msg=audit(1700000000.123:14): proctitle="cat"
      """
    let (events, _) = decodeLog(log)
    let event = try #require(events.first)
    #expect(event.type == .openat)
    #expect(event.arguments["dirfd"] == .fd(-100))
    #expect(event.arguments["name"] == .path("/var/spool/postfix/maildrop"))
    #expect(event.arguments["flags"] == .flags(0x80000))
    #expect(event.arguments["ino"] == .uint(737))
    let fd = try #require(event.fd)
    #expect(fd.number == 3)
    #expect(fd.kind == .file)
    #expect(fd.name == "/var/spool/postfix/maildrop")
    #expect(fd.directory == "/var/spool/postfix")
    #expect(fd.filename == "maildrop")
    #expect(fd.device == 0xFE01)
  }

  @Test func openat2TakesItsFlagsFromTheOpenat2Record() throws {
    let log = """
      \(syscallLine(serial: 19, syscall: 437, exit: 4, a0: "ffffff9c", a1: "7f00", a2: "7f10", a3: "18"))
      type=OPENAT2 msg=audit(1700000000.123:19): oflag=0100101 mode=0600 resolve=0x10
      type=CWD msg=audit(1700000000.123:19): cwd="/tmp"
      type=PATH msg=audit(1700000000.123:19): item=0 name="/tmp/" inode=2 dev=00:20 mode=041777 nametype=PARENT
      type=PATH msg=audit(1700000000.123:19): item=1 name="new.txt" inode=9 dev=00:20 mode=0100600 nametype=CREATE
      type=PROCTITLE msg=audit(1700000000.123:19): proctitle="python3"
      """
    let (events, decoder) = decodeLog(log)
    #expect(decoder.issues.isEmpty)
    let event = try #require(events.first)
    #expect(event.type == .openat2)
    #expect(event.arguments["flags"] == .flags(0o100101))
    #expect(event.arguments["mode"] == .mode(0o600))
    #expect(event.arguments["resolve"] == .flags(0x10))
    #expect(event.arguments["name"] == .path("/tmp/new.txt"))
    #expect(event.fd?.number == 4)
    #expect(event.fd?.inode == 9)
  }

  @Test func connectDecodesTheSocketAddress() throws {
    let log = """
      \(syscallLine(serial: 15, syscall: 42, exit: -111, a0: "3"))
      type=SOCKADDR msg=audit(1700000000.123:15): saddr=0200115C7F0000010000000000000000
      type=PROCTITLE msg=audit(1700000000.123:15): proctitle="python3"
      """
    let (events, _) = decodeLog(log)
    let event = try #require(events.first)
    let server = SocketEndpoint(address: IPAddress(ipv4: 0x7F00_0001), port: 4444)
    #expect(event.arguments["addr"] == .socketAddress(.inet(server)))
    #expect(event.arguments["fd"] == .fd(3))
    #expect(event.arguments["res"] == .errno(-111))
    let fd = try #require(event.fd)
    #expect(fd.kind == .ipv4)
    #expect(fd.server == server)
    #expect(fd.remote == server)
    #expect(fd.name == "0.0.0.0:0->127.0.0.1:4444")
  }

  @Test func unnamedSyscallsFallBackToEnrichedThenGeneric() throws {
    let enriched = "\(syscallLine(serial: 16, syscall: 999))\u{1D}ARCH=x86_64 SYSCALL=mystery"
    let (first, _) = decodeLog(enriched)
    #expect(first.first?.type == "mystery")
    let (second, _) = decodeLog(syscallLine(serial: 17, syscall: 998))
    #expect(second.first?.type == .unknownSyscall)
    #expect(second.first?.arguments["ID"] == .uint(998))
  }

  @Test func i386CallsAreNamedByTheirOwnTable() throws {
    let (events, _) = decodeLog(syscallLine(serial: 18, syscall: 5, exit: 3, arch: "40000003"))
    #expect(events.first?.type == .open)
  }

  @Test func userMessagesKeepTheirTypeAndFields() throws {
    let log =
      "type=USER_AUTH msg=audit(1700000000.200:20): pid=27500 uid=0 auid=4242 ses=4 msg='op=PAM:authentication acct=\"nobody\" exe=\"/usr/bin/su\" hostname=? addr=? terminal=/dev/pts/0 res=success'"
    let (events, _) = decodeLog(log)
    let event = try #require(events.first)
    #expect(event.type == "USER_AUTH")
    #expect(event.result == nil)
    #expect(event.thread.pid == 27500)
    #expect(event.thread.loginUID == 4242)
    #expect(event.thread.exePath == "/usr/bin/su")
    #expect(event.arguments["acct"] == .string("nobody"))
    #expect(event.arguments["res"] == .string("success"))
  }

  @Test func terminalNamesBecomeDeviceNumbers() {
    func device(_ name: String) -> UInt32 {
      Array(name.utf8).withUnsafeBufferPointer { AuditTerminal.deviceNumber($0, 0, $0.count) }
    }
    #expect(device("pts0") == 34816)
    #expect(device("pts300") == (137 << 8) | 44)
    #expect(device("tty1") == 1025)
    #expect(device("ttyS0") == (4 << 8) | 64)
    #expect(device("console") == (5 << 8) | 1)
    #expect(device("(none)") == 0)
    #expect(device("pts99999999999") == 0)
  }

  @Test func netlinkRecordsGoThroughTheSameAssembler() throws {
    var decoder = AuditDecoder(syscallName: testSyscallNames)
    var events: [Event] = []
    let syscall = String(syscallLine(serial: 30, syscall: 59).dropFirst("type=SYSCALL msg=".count))
    decoder.decode(netlinkType: 1300, payload: ArraySlice(syscall.utf8)) { events.append($0) }
    decoder.decode(
      netlinkType: 1309, payload: ArraySlice("audit(1700000000.123:30): argc=1 a0=\"id\"".utf8)
    ) {
      events.append($0)
    }
    #expect(events.isEmpty)
    decoder.decode(netlinkType: 1320, payload: ArraySlice("audit(1700000000.123:30): ".utf8)) {
      events.append($0)
    }
    #expect(events.count == 1)
    #expect(events.first?.thread.exe == "id")
    decoder.decode(netlinkType: 1300, payload: ArraySlice("garbage".utf8)) { events.append($0) }
    #expect(decoder.issues.map(\.code) == [.auditMalformedRecord])
    decoder.finish { events.append($0) }
    #expect(events.count == 1)
  }
}
