/// What the `SYSCALL` record of an event says, apart from the process fields (which go
/// straight into the event's `ThreadInfo`).
struct AuditSyscallSummary {
  var arch: AuditArchitecture?
  var number: Int64?
  var success: Bool?
  var exit: Int64?
  var a0: UInt64?
  var a1: UInt64?
  var a2: UInt64?
  var a3: UInt64?
  /// `struct open_how` of an `openat2`, from the `OPENAT2` record (`oflag`, `mode`, `resolve`).
  var openHow: (flags: UInt64?, mode: UInt64?, resolve: UInt64?)

  /// Reads the fields of a `SYSCALL` record.
  mutating func readSyscall(
    _ bytes: UnsafeBufferPointer<UInt8>, fields range: Range<Int>, thread: inout ThreadInfo
  ) {
    var scanner = AuditFieldScanner(bytes, range: range)
    scan: while let field = scanner.next() {
      let start = field.valueStart
      let end = field.valueEnd
      let code = AuditKey.code(bytes, field)
      switch code {
      case AuditKey.a0: a0 = AuditValue.hex(bytes, start, end)
      case AuditKey.a1: a1 = AuditValue.hex(bytes, start, end)
      case AuditKey.a2: a2 = AuditValue.hex(bytes, start, end)
      case AuditKey.a3: a3 = AuditValue.hex(bytes, start, end)
      case AuditKey.arch:
        arch = AuditValue.hex(bytes, start, end).flatMap(UInt32.init(exactly:)).map(
          AuditArchitecture.init)
      case AuditKey.exit: exit = AuditValue.decimal(bytes, start, end)
      case AuditKey.syscall: number = AuditValue.decimal(bytes, start, end)
      case AuditKey.success: success = end - start == 3 && bytes[start] == UInt8(ascii: "y")
      case AuditKey.exe:
        thread.exePath = AuditValue.untrustedString(bytes, field) ?? ""
        // The kernel writes `exe` after every other field the event needs (only `subj` and
        // `key` follow), so the rest of the record is not scanned.
        if thread.pid >= 0 { break scan }
      default: _ = Self.readProcessField(bytes, field, code: code, into: &thread)
      }
    }
    thread.tid = thread.pid
  }

  /// Reads an `OPENAT2` record: the kernel writes `oflag=0%llo mode=0%llo resolve=0x%llx`.
  mutating func readOpenHow(_ bytes: UnsafeBufferPointer<UInt8>, fields range: Range<Int>) {
    var scanner = AuditFieldScanner(bytes, range: range)
    while let field = scanner.next() {
      let start = field.valueStart
      let end = field.valueEnd
      switch AuditKey.code(bytes, field) {
      case AuditKey.oflag: openHow.flags = AuditValue.octal(bytes, start, end).map(UInt64.init)
      case AuditKey.mode: openHow.mode = AuditValue.octal(bytes, start, end).map(UInt64.init)
      case AuditKey.resolve: openHow.resolve = AuditValue.hex(bytes, start, end)
      default: break
      }
    }
  }

  /// Reads one of the process fields every kind of record may carry; returns whether it was one.
  static func readProcessField(
    _ bytes: UnsafeBufferPointer<UInt8>, _ field: RawAuditField, code: UInt64,
    into thread: inout ThreadInfo
  ) -> Bool {
    let start = field.valueStart
    let end = field.valueEnd
    func id() -> UInt32 { AuditValue.decimalUInt32(bytes, start, end) ?? ThreadInfo.unsetID }
    switch code {
    case AuditKey.pid: thread.pid = AuditValue.decimal(bytes, start, end) ?? -1
    case AuditKey.ppid: thread.ppid = AuditValue.decimal(bytes, start, end) ?? -1
    case AuditKey.uid: thread.uid = id()
    case AuditKey.euid: thread.euid = id()
    case AuditKey.suid: thread.suid = id()
    case AuditKey.fsuid: thread.fsuid = id()
    case AuditKey.gid: thread.gid = id()
    case AuditKey.egid: thread.egid = id()
    case AuditKey.sgid: thread.sgid = id()
    case AuditKey.fsgid: thread.fsgid = id()
    case AuditKey.auid: thread.loginUID = id()
    case AuditKey.ses: thread.auditSessionID = id()
    case AuditKey.tty: thread.tty = AuditTerminal.deviceNumber(bytes, start, end)
    case AuditKey.comm: thread.name = AuditValue.untrustedString(bytes, field) ?? ""
    case AuditKey.exe: thread.exePath = AuditValue.untrustedString(bytes, field) ?? ""
    default: return false
    }
    return true
  }
}
