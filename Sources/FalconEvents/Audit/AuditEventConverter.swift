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
        records[index].withBytes { bytes in
          summary.readSyscall(bytes, fields: range, thread: &thread)
        }
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
      case .openat2:
        records[index].withBytes { bytes in summary.readOpenHow(bytes, fields: range) }
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
      let args = parts.dropFirst().map { String(decoding: $0, as: UTF8.self) }
      // The joined form is the title after argv[0] with its NULs as spaces.
      var line = ""
      if parts.count > 1 {
        let start = parts[1].startIndex
        let end = parts[parts.count - 1].endIndex
        line = String(unsafeUninitializedCapacity: end - start) { buffer in
          var offset = 0
          for index in start..<end {
            let byte = proctitle[index]
            buffer[offset] = byte == 0 ? 0x20 : byte
            offset += 1
          }
          return offset
        }
      }
      thread.setArguments(args, line: line)
    }

    let arch = summary.arch ?? .x86_64
    let sockaddr = sockaddrBytes.flatMap {
      SocketAddress(sockaddr: $0, bigEndian: !arch.isLittleEndian)
    }
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
      guard let field = scanner.next(), AuditValue.keyEquals(bytes, field, "proctitle") else {
        return nil
      }
      return AuditValue.untrustedBytes(bytes, field)
    }
  }

  /// The call's name: from the naming function, else the ENRICHED `SYSCALL=` interpretation.
  private func resolveName(_ summary: AuditSyscallSummary, record: AuditRecord) -> String? {
    guard let number = summary.number else { return nil }
    if let arch = summary.arch, let small = Int32(exactly: number),
      let name = syscallName(arch, small)
    {
      return name
    }
    return record.enrichedField("SYSCALL")?.value
  }

  /// A non-system-call event: record type name, string arguments, whatever process fields the
  /// first record has.
  private func convertOther(_ stamp: AuditStamp, _ records: UnsafeBufferPointer<AuditRecord>)
    -> Event
  {
    guard let record = records.first else {
      return Event(
        source: .audit, type: "UNKNOWN", timestamp: stamp.timestamp, number: stamp.serial)
    }
    var thread = ThreadInfo()
    var arguments = EventArguments()
    record.withBytes { bytes in
      var scanner = AuditFieldScanner(bytes, range: record.fieldsRange)
      while let field = scanner.next() {
        _ = AuditSyscallSummary.readProcessField(
          bytes, field, code: AuditKey.code(bytes, field), into: &thread)
        let key = String(
          decoding: UnsafeBufferPointer(rebasing: bytes[field.keyStart..<field.keyEnd]),
          as: UTF8.self)
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
