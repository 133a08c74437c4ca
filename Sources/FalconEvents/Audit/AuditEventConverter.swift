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
    guard let syscallIndex = audit.records.firstIndex(where: { $0.type == .syscall }) else {
      return convertOther(audit)
    }
    var summary = AuditSyscallSummary()
    var execve = AuditExecveArguments(maxArguments: limits.maxArguments)
    var execveRecord: AuditRecord?
    var sockaddrBytes: [UInt8]?
    var proctitle: [UInt8]?
    var paths: [AuditPathItem] = []
    var fcaps: (permitted: UInt64?, inheritable: UInt64?, effective: UInt64?)

    for record in audit.records {
      switch record.type {
      case .syscall:
        record.withBytes { bytes in summary.readSyscall(bytes, fields: record.fieldsRange) }
      case .execve:
        if execveRecord == nil { execveRecord = record }
        record.withBytes { bytes in
          var scanner = AuditFieldScanner(bytes, range: record.fieldsRange)
          while let field = scanner.next() { execve.add(bytes, field) }
        }
      case .cwd:
        record.withBytes { bytes in
          if let field = AuditFieldScanner.first("cwd", in: bytes, range: record.fieldsRange) {
            summary.thread.cwd = AuditValue.untrustedString(bytes, field) ?? ""
          }
        }
      case .path:
        record.withBytes { bytes in paths.append(AuditPathItem(bytes, fields: record.fieldsRange)) }
      case .proctitle:
        record.withBytes { bytes in
          var scanner = AuditFieldScanner(bytes, range: record.fieldsRange)
          if let field = scanner.next(), AuditValue.keyEquals(bytes, field, "proctitle") {
            proctitle = AuditValue.untrustedBytes(bytes, field)
          }
        }
      case .sockaddr:
        record.withBytes { bytes in
          if let field = AuditFieldScanner.first("saddr", in: bytes, range: record.fieldsRange) {
            var decoded: [UInt8] = []
            if AuditValue.appendHexDecoded(bytes, field.valueStart, field.valueEnd, to: &decoded) {
              sockaddrBytes = decoded
            }
          }
        }
      case .bprmFcaps:
        record.withBytes { bytes in
          var scanner = AuditFieldScanner(bytes, range: record.fieldsRange)
          while let field = scanner.next() {
            let value = { AuditValue.hex(bytes, field.valueStart, field.valueEnd) }
            if AuditValue.keyEquals(bytes, field, "pp") || AuditValue.keyEquals(bytes, field, "new_pp") {
              fcaps.permitted = value()
            } else if AuditValue.keyEquals(bytes, field, "pi") || AuditValue.keyEquals(bytes, field, "new_pi") {
              fcaps.inheritable = value()
            } else if AuditValue.keyEquals(bytes, field, "pe") || AuditValue.keyEquals(bytes, field, "new_pe") {
              fcaps.effective = value()
            }
          }
        }
      default:
        break
      }
    }

    let syscallRecord = audit.records[syscallIndex]
    let name = resolveName(summary, record: syscallRecord)
    let type = name.map { EventType($0) } ?? .unknownSyscall
    let argv = execve.finish()
    if let record = execveRecord {
      for problem in execve.problems {
        report(problem.code == .limit ? .limitAuditArguments : .auditArgumentMismatch, problem.message, record)
      }
    }

    var thread = summary.thread
    let succeeded = summary.exit.map { $0 >= 0 } ?? (summary.success ?? false)
    if type.isExec, succeeded, execveRecord != nil {
      thread.exe = argv.first ?? ""
      thread.args = Array(argv.dropFirst())
      thread.capPermitted = fcaps.permitted
      thread.capInheritable = fcaps.inheritable
      thread.capEffective = fcaps.effective
    } else if let proctitle {
      var parts = proctitle.split(separator: 0, omittingEmptySubsequences: false)
      if parts.count > 1, parts.last?.isEmpty == true { parts.removeLast() }
      thread.exe = parts.first.map { String(decoding: $0, as: UTF8.self) } ?? ""
      thread.args = parts.dropFirst().map { String(decoding: $0, as: UTF8.self) }
    }

    let arch = summary.arch ?? .x86_64
    let sockaddr = sockaddrBytes.flatMap { SocketAddress(sockaddr: $0, bigEndian: !arch.isLittleEndian) }
    let shaped = AuditSyscallArguments.build(
      name: name, summary: summary, thread: thread, argv: execveRecord == nil ? nil : argv,
      paths: paths, sockaddr: sockaddr)
    return Event(
      source: .audit, type: type, direction: .exit, timestamp: audit.stamp.timestamp,
      number: audit.stamp.serial, result: summary.exit, arguments: shaped.arguments,
      thread: thread, fd: shaped.fd)
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
  private func convertOther(_ audit: AuditEvent) -> Event {
    guard let record = audit.records.first else {
      return Event(source: .audit, type: "UNKNOWN", timestamp: audit.stamp.timestamp, number: audit.stamp.serial)
    }
    var thread = ThreadInfo()
    var arguments = EventArguments()
    record.withBytes { bytes in
      var scanner = AuditFieldScanner(bytes, range: record.fieldsRange)
      while let field = scanner.next() {
        _ = AuditSyscallSummary.readProcessField(bytes, field, into: &thread)
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
      source: .audit, type: EventType(name), direction: .exit, timestamp: audit.stamp.timestamp,
      number: audit.stamp.serial, arguments: arguments, thread: thread)
  }

  /// Fields that user-space messages hex-encode like the kernel's untrusted strings.
  private static let untrustedKeys: Set<String> = [
    "acct", "cmd", "comm", "cwd", "data", "exe", "grp", "key", "name", "new_group", "new-user",
    "ocomm", "old_group", "path", "proctitle", "user",
  ]
}

/// What the `SYSCALL` record of an event says.
struct AuditSyscallSummary {
  var arch: AuditArchitecture?
  var number: Int64?
  var success: Bool?
  var exit: Int64?
  var a0: UInt64?
  var a1: UInt64?
  var a2: UInt64?
  var a3: UInt64?
  var thread = ThreadInfo()

  /// Reads the fields of a `SYSCALL` record.
  mutating func readSyscall(_ bytes: UnsafeBufferPointer<UInt8>, fields range: Range<Int>) {
    var scanner = AuditFieldScanner(bytes, range: range)
    while let field = scanner.next() {
      let start = field.valueStart
      let end = field.valueEnd
      switch field.keyEnd - field.keyStart {
      case 2:
        if bytes[field.keyStart] == UInt8(ascii: "a") {
          let register = AuditValue.hex(bytes, start, end)
          switch bytes[field.keyStart + 1] {
          case UInt8(ascii: "0"): a0 = register
          case UInt8(ascii: "1"): a1 = register
          case UInt8(ascii: "2"): a2 = register
          case UInt8(ascii: "3"): a3 = register
          default: break
          }
        }
      case 4:
        if AuditValue.keyEquals(bytes, field, "arch") {
          arch = AuditValue.hex(bytes, start, end).flatMap(UInt32.init(exactly:)).map(AuditArchitecture.init)
        } else if AuditValue.keyEquals(bytes, field, "exit") {
          exit = AuditValue.decimal(bytes, start, end)
        } else {
          _ = Self.readProcessField(bytes, field, into: &thread)
        }
      case 7:
        if AuditValue.keyEquals(bytes, field, "syscall") {
          number = AuditValue.decimal(bytes, start, end)
        } else if AuditValue.keyEquals(bytes, field, "success") {
          success = end - start == 3 && bytes[start] == UInt8(ascii: "y")
        }
      default:
        _ = Self.readProcessField(bytes, field, into: &thread)
      }
    }
    thread.tid = thread.pid
  }

  /// Reads one of the process fields every kind of record may carry; returns whether it was one.
  static func readProcessField(
    _ bytes: UnsafeBufferPointer<UInt8>, _ field: RawAuditField, into thread: inout ThreadInfo
  ) -> Bool {
    let start = field.valueStart
    let end = field.valueEnd
    func id() -> UInt32 { AuditValue.decimalUInt32(bytes, start, end) ?? ThreadInfo.unsetID }
    switch field.keyEnd - field.keyStart {
    case 3:
      if AuditValue.keyEquals(bytes, field, "pid") {
        thread.pid = AuditValue.decimal(bytes, start, end) ?? -1
      } else if AuditValue.keyEquals(bytes, field, "uid") {
        thread.uid = id()
      } else if AuditValue.keyEquals(bytes, field, "gid") {
        thread.gid = id()
      } else if AuditValue.keyEquals(bytes, field, "ses") {
        thread.auditSessionID = id()
      } else if AuditValue.keyEquals(bytes, field, "tty") {
        thread.tty = AuditTerminal.deviceNumber(bytes, start, end)
      } else if AuditValue.keyEquals(bytes, field, "exe") {
        thread.exePath = AuditValue.untrustedString(bytes, field) ?? ""
      } else {
        return false
      }
    case 4:
      if AuditValue.keyEquals(bytes, field, "ppid") {
        thread.ppid = AuditValue.decimal(bytes, start, end) ?? -1
      } else if AuditValue.keyEquals(bytes, field, "auid") {
        thread.loginUID = id()
      } else if AuditValue.keyEquals(bytes, field, "euid") {
        thread.euid = id()
      } else if AuditValue.keyEquals(bytes, field, "suid") {
        thread.suid = id()
      } else if AuditValue.keyEquals(bytes, field, "egid") {
        thread.egid = id()
      } else if AuditValue.keyEquals(bytes, field, "sgid") {
        thread.sgid = id()
      } else if AuditValue.keyEquals(bytes, field, "comm") {
        thread.name = AuditValue.untrustedString(bytes, field) ?? ""
      } else {
        return false
      }
    case 5:
      if AuditValue.keyEquals(bytes, field, "fsuid") {
        thread.fsuid = id()
      } else if AuditValue.keyEquals(bytes, field, "fsgid") {
        thread.fsgid = id()
      } else {
        return false
      }
    default:
      return false
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
