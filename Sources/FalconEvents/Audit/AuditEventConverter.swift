internal import PolicyCore

/// Turns an assembled ``AuditEvent`` into an ``Event``.
///
/// A system-call event (one with a `SYSCALL` record) becomes an exit event whose type is the
/// call's name, whose result is `exit=`, and whose thread comes from `SYSCALL` (`pid`, `ppid`,
/// the eight user and group IDs, `auid`, `ses`, `tty`, `comm`, `exe`), `CWD`, and either
/// `EXECVE` (the new argv, for a successful exec) or `PROCTITLE` (the kernel's 128-byte copy of
/// the current argv). `BPRM_FCAPS` gives an exec's new capability sets. Arguments and the file
/// descriptor follow libsinsp's event table for the call (see `AuditSyscallArguments.swift`),
/// filled from the raw registers `a0`-`a3`, `PATH` names and `SOCKADDR`.
///
/// Any other event (a user-space message, an `AVC` alone, `DAEMON_START`) keeps its record type
/// name as the event type, its fields as string arguments, and the process fields it has.
public struct AuditEventConverter: Sendable {
  /// The limits used for EXECVE argument counts.
  public let limits: AuditLimits
  private let syscallName: AuditSyscallNaming

  /// Creates a converter.
  /// - Parameters:
  ///   - limits: bounds on argv size.
  ///   - syscallName: names a system-call number of an architecture (FalconCapture's
  ///     `AuditSyscallNames` uses libseccomp's tables).
  public init(limits: AuditLimits = .default, syscallName: @escaping AuditSyscallNaming) {
    self.limits = limits
    self.syscallName = syscallName
  }

  /// Converts an event, ignoring any problems found in its records.
  public func event(from audit: AuditEvent) -> Event {
    convert(audit) { _, _, _ in }
  }

  /// Converts an event, reporting problems (argument mismatches, limits) with the record they
  /// were found in.
  func convert(
    _ audit: AuditEvent, report: (Diagnostic.Code, String, AuditRecord) -> Void
  ) -> Event {
    // Borrow the records in place: copying one would retain and release its text.
    audit.records.withUnsafeBufferPointer { records in
      convert(audit.stamp, records, report: report)
    }
  }

  private func convert(
    _ stamp: AuditStamp, _ records: UnsafeBufferPointer<AuditRecord>,
    report: (Diagnostic.Code, String, AuditRecord) -> Void
  ) -> Event {
    guard let syscallIndex = records.firstIndex(where: { $0.type == .syscall }) else {
      return convertOther(stamp, records)
    }
    var summary = AuditSyscallSummary()
    var thread = ThreadInfo()
    var execve = AuditExecveArguments(maxArguments: limits.maxArguments)
    var execveIndex: Int?
    var sockaddrBytes: [UInt8]?
    var proctitleIndex: Int?
    var paths: [AuditPathItem] = []
    var fcaps: (permitted: UInt64?, inheritable: UInt64?, effective: UInt64?)

    for index in records.indices {
      let range = records[index].fieldsRange
      switch records[index].type {
      case .syscall:
        records[index].withBytes { bytes in summary.readSyscall(bytes, fields: range, thread: &thread) }
      case .execve:
        if execveIndex == nil { execveIndex = index }
        records[index].withBytes { bytes in
          var scanner = AuditFieldScanner(bytes, range: range)
          while let field = scanner.next() { execve.add(bytes, field) }
        }
      case .cwd:
        records[index].withBytes { bytes in
          if let field = AuditFieldScanner.first("cwd", in: bytes, range: range) {
            thread.cwd = AuditValue.untrustedString(bytes, field) ?? ""
          }
        }
      case .path:
        records[index].withBytes { bytes in paths.append(AuditPathItem(bytes, fields: range)) }
      case .proctitle:
        // Decoded below only when no EXECVE record gives the argv.
        proctitleIndex = index
      case .sockaddr:
        records[index].withBytes { bytes in
          if let field = AuditFieldScanner.first("saddr", in: bytes, range: range) {
            var decoded: [UInt8] = []
            if AuditValue.appendHexDecoded(bytes, field.valueStart, field.valueEnd, to: &decoded) {
              sockaddrBytes = decoded
            }
          }
        }
      case .bprmFcaps:
        records[index].withBytes { bytes in
          var scanner = AuditFieldScanner(bytes, range: range)
          while let field = scanner.next() {
            let start = field.valueStart
            let end = field.valueEnd
            switch AuditKey.code(bytes, field) {
            case AuditKey.pp, AuditKey.newPp: fcaps.permitted = AuditValue.hex(bytes, start, end)
            case AuditKey.pi, AuditKey.newPi: fcaps.inheritable = AuditValue.hex(bytes, start, end)
            case AuditKey.pe, AuditKey.newPe: fcaps.effective = AuditValue.hex(bytes, start, end)
            default: break
            }
          }
        }
      default:
        break
      }
    }

    let name = resolveName(summary, record: records[syscallIndex])
    let type = name.map { EventType($0) } ?? .unknownSyscall
    let argv = execve.finish()
    if let execveIndex {
      for problem in execve.problems {
        report(
          problem.code == .limit ? .limitAuditArguments : .auditArgumentMismatch, problem.message,
          records[execveIndex])
      }
    }

    let succeeded = summary.exit.map { $0 >= 0 } ?? (summary.success ?? false)
    if type.isExec, succeeded, execveIndex != nil {
      thread.exe = argv.first ?? ""
      thread.args = Array(argv.dropFirst())
      thread.capPermitted = fcaps.permitted
      thread.capInheritable = fcaps.inheritable
      thread.capEffective = fcaps.effective
    } else if let proctitleIndex, let proctitle = Self.proctitleBytes(records[proctitleIndex]) {
      var parts = proctitle.split(separator: 0, omittingEmptySubsequences: false)
      if parts.count > 1, parts.last?.isEmpty == true { parts.removeLast() }
      thread.exe = parts.first.map { String(decoding: $0, as: UTF8.self) } ?? ""
      thread.args = parts.dropFirst().map { String(decoding: $0, as: UTF8.self) }
    }

    let arch = summary.arch ?? .x86_64
    let sockaddr = sockaddrBytes.flatMap { SocketAddress(sockaddr: $0, bigEndian: !arch.isLittleEndian) }
    let shaped = AuditSyscallArguments.build(
      name: name, summary: summary, thread: thread, argv: execveIndex == nil ? nil : argv,
      paths: paths, sockaddr: sockaddr)
    return Event(
      source: .audit, type: type, direction: .exit, timestamp: stamp.timestamp,
      number: stamp.serial, result: summary.exit, arguments: shaped.arguments,
      thread: thread, fd: shaped.fd)
  }

  /// The decoded `proctitle` of a `PROCTITLE` record: argv joined by NUL bytes.
  private static func proctitleBytes(_ record: AuditRecord) -> [UInt8]? {
    record.withBytes { bytes in
      var scanner = AuditFieldScanner(bytes, range: record.fieldsRange)
      guard let field = scanner.next(), AuditValue.keyEquals(bytes, field, "proctitle") else { return nil }
      return AuditValue.untrustedBytes(bytes, field)
    }
  }

  /// The call's name: from the naming function, else the ENRICHED `SYSCALL=` interpretation.
  private func resolveName(_ summary: AuditSyscallSummary, record: AuditRecord) -> String? {
    guard let number = summary.number else { return nil }
    if let arch = summary.arch, let small = Int32(exactly: number), let name = syscallName(arch, small) {
      return name
    }
    return record.enrichedField("SYSCALL")?.value
  }

  /// A non-system-call event: record type name, string arguments, whatever process fields the
  /// first record has.
  private func convertOther(_ stamp: AuditStamp, _ records: UnsafeBufferPointer<AuditRecord>) -> Event {
    guard let record = records.first else {
      return Event(source: .audit, type: "UNKNOWN", timestamp: stamp.timestamp, number: stamp.serial)
    }
    var thread = ThreadInfo()
    var arguments = EventArguments()
    record.withBytes { bytes in
      var scanner = AuditFieldScanner(bytes, range: record.fieldsRange)
      while let field = scanner.next() {
        _ = AuditSyscallSummary.readProcessField(
          bytes, field, code: AuditKey.code(bytes, field), into: &thread)
        let key = String(
          decoding: UnsafeBufferPointer(rebasing: bytes[field.keyStart..<field.keyEnd]), as: UTF8.self)
        let value =
          Self.untrustedKeys.contains(key)
          ? (AuditValue.untrustedString(bytes, field) ?? "")
          : AuditValue.plainString(bytes, field)
        if arguments.count < 256 { arguments.append(key, .string(value)) }
      }
    }
    if thread.tid < 0 { thread.tid = thread.pid }
    let name = record.type.rawValue == 0 ? record.typeName : record.type.description
    return Event(
      source: .audit, type: EventType(name), direction: .exit, timestamp: stamp.timestamp,
      number: stamp.serial, arguments: arguments, thread: thread)
  }

  /// Fields that user-space messages hex-encode like the kernel's untrusted strings.
  private static let untrustedKeys: Set<String> = [
    "acct", "cmd", "comm", "cwd", "data", "exe", "grp", "key", "name", "new_group", "new-user",
    "ocomm", "old_group", "path", "proctitle", "user",
  ]
}

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
        arch = AuditValue.hex(bytes, start, end).flatMap(UInt32.init(exactly:)).map(AuditArchitecture.init)
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

/// Terminal names as audit writes them (`tty=pts0`), turned into device numbers.
enum AuditTerminal {
  /// The `new_encode_dev` number of a terminal name: `ptsN` (Unix98 pseudo-terminals, majors
  /// 136-143), `ttyN` (virtual consoles, major 4), `ttySN` (serial ports, major 4 from minor
  /// 64), `console` (5:1); 0 for `(none)` and names it does not know.
  static func deviceNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt32 {
    let name = UnsafeBufferPointer(rebasing: bytes[start..<end])
    func number(after prefix: Int) -> UInt32? {
      guard name.count > prefix, name.count - prefix <= 7 else { return nil }
      var value: UInt32 = 0
      for byte in name[prefix...] {
        let digit = byte &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        value = value * 10 + UInt32(digit)
      }
      return value
    }
    func encode(major: UInt32, minor: UInt32) -> UInt32 {
      minor & 0xFF | major << 8 | (minor & ~0xFF) << 12
    }
    func starts(with literal: StaticString) -> Bool {
      let count = literal.utf8CodeUnitCount
      guard name.count >= count else { return false }
      for index in 0..<count where name[index] != literal.utf8Start[index] { return false }
      return true
    }
    if starts(with: "pts"), let index = number(after: 3), index < 8 * 256 {
      return encode(major: 136 + index / 256, minor: index % 256)
    }
    if starts(with: "ttyS"), let index = number(after: 4), index < 192 {
      return encode(major: 4, minor: 64 + index)
    }
    if starts(with: "tty"), let index = number(after: 3), index < 64 {
      return encode(major: 4, minor: index)
    }
    if starts(with: "console"), name.count == 7 { return encode(major: 5, minor: 1) }
    return 0
  }
}
