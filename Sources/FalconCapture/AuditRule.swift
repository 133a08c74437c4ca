public import FalconEvents

/// One kernel audit rule on the syscall-exit filter list, as `auditctl -a always,exit` would add
/// it: an ABI, the system calls it watches, field comparisons, and a key.
///
/// Falcon derives these from the event types its loaded rules can match and scopes them to the
/// watched process tree (by audit session or login UID), so nothing else on the host is audited.
/// Rules are encoded as `struct audit_rule_data` and sent with `AUDIT_ADD_RULE`; deleting sends the
/// identical structure with `AUDIT_DEL_RULE`, which is how the kernel matches the rule to remove.
public struct AuditRule: Sendable, Hashable {
  /// A field the kernel compares on syscall exit (the subset Falcon uses to scope its rules).
  public enum Field: Sendable, Hashable {
    /// `-F pid=N`: the calling process.
    case pid
    /// `-F ppid=N`: the caller's parent.
    case ppid
    /// `-F auid=N`: the login UID (`/proc/PID/loginuid`), inherited by every descendant.
    case loginUID
    /// `-F ses=N`: the audit session (`/proc/PID/sessionid`), inherited by every descendant.
    case session
    /// `-F exit=N`: the system call's return value.
    case exit
    /// `-F success=0|1`.
    case success
  }

  /// How a field is compared.
  public enum Comparison: Sendable, Hashable {
    case equal
    case notEqual
  }

  /// One `-F field op value` term.
  public struct Filter: Sendable, Hashable {
    public var field: Field
    public var comparison: Comparison
    public var value: UInt32

    public init(_ field: Field, _ comparison: Comparison = .equal, _ value: UInt32) {
      self.field = field
      self.comparison = comparison
      self.value = value
    }
  }

  /// The audit architecture value (`AUDIT_ARCH_*`): the ABI whose syscall numbers `syscalls` are.
  public var architecture: UInt32
  /// Syscall numbers in that ABI.
  public var syscalls: [Int32]
  /// Field comparisons, all of which must hold.
  public var filters: [Filter]
  /// The rule's key (`-k`), which the kernel copies into each SYSCALL record as `key="..."`.
  public var key: String

  /// The kernel's limits: `AUDIT_MAX_FIELDS` (64) terms per rule (the architecture and key count
  /// as one each) and `AUDIT_MAX_KEY_LEN` (256) bytes of key.
  public static let maximumFilters = 62
  public static let maximumKeyLength = 256

  public init(architecture: UInt32, syscalls: [Int32], filters: [Filter] = [], key: String) {
    self.architecture = architecture
    self.syscalls = syscalls
    self.filters = filters
    self.key = key
  }

  /// Builds a rule from syscall names, looking their numbers up for `architecture` with
  /// libseccomp; names the ABI lacks (such as `open` on aarch64) are left out.
  /// - Throws: ``CaptureError/invalidArgument(operation:reason:)`` when no name is known.
  public init(
    architecture: SeccompArchitecture, syscallNames: [String], filters: [Filter] = [], key: String
  ) throws {
    let table = SyscallTable(architecture: architecture)
    let numbers = syscallNames.compactMap { table.number(of: $0) }
    guard !numbers.isEmpty else {
      throw CaptureError.invalidArgument(
        operation: "AuditRule", reason: "no system call of \(syscallNames) exists on \(architecture.rawValue)")
    }
    guard let audit = AuditArchitecture(architecture) else {
      throw CaptureError.invalidArgument(operation: "AuditRule", reason: "no audit architecture for \(architecture.rawValue)")
    }
    self.init(architecture: audit.rawValue, syscalls: numbers, filters: filters, key: key)
  }

  /// Checks the kernel's limits before anything is sent.
  func validate() throws {
    guard filters.count <= Self.maximumFilters else {
      throw CaptureError.invalidArgument(
        operation: "AUDIT_ADD_RULE", reason: "\(filters.count) filters (at most \(Self.maximumFilters))")
    }
    guard key.utf8.count <= Self.maximumKeyLength else {
      throw CaptureError.invalidArgument(
        operation: "AUDIT_ADD_RULE", reason: "key of \(key.utf8.count) bytes (at most \(Self.maximumKeyLength))")
    }
    guard syscalls.allSatisfy({ $0 >= 0 && $0 < 2048 }) else {
      throw CaptureError.invalidArgument(operation: "AUDIT_ADD_RULE", reason: "syscall number outside 0..<2048")
    }
  }
}

extension AuditArchitecture {
  /// The audit architecture of a libseccomp ABI (`.native` resolves to this process's ABI).
  public init?(_ architecture: SeccompArchitecture) {
    switch architecture {
    case .x86_64, .x32: self = .x86_64
    case .x86: self = .i386
    case .aarch64: self = .aarch64
    case .arm: self = .arm
    case .riscv64: self = .riscv64
    case .s390x: self = .s390x
    case .ppc64le: self = .ppc64le
    case .native:
      #if arch(x86_64)
        self = .x86_64
      #elseif arch(arm64)
        self = .aarch64
      #else
        return nil
      #endif
    }
  }
}
