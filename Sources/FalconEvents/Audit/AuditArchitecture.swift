/// The ABI a system call was made through, as the `arch=` field of an audit `SYSCALL` record
/// gives it: the `AUDIT_ARCH_*` value from `<linux/audit.h>`, an ELF machine number with a
/// 64-bit flag (0x8000_0000) and a little-endian flag (0x4000_0000).
///
/// System-call numbers mean different calls on different ABIs (`execve` is 59 on x86_64 and 11
/// on i386), so a number is named together with its architecture.
public struct AuditArchitecture: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  /// The `AUDIT_ARCH_*` value (`c000003e` in a log is x86_64).
  public var rawValue: UInt32

  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// 64-bit x86 (`AUDIT_ARCH_X86_64`). x32 calls use it too, with bit 30 set in the number.
  public static let x86_64 = AuditArchitecture(rawValue: 0xC000_003E)
  /// 32-bit x86 (`AUDIT_ARCH_I386`), also what `int $0x80` from a 64-bit process reports.
  public static let i386 = AuditArchitecture(rawValue: 0x4000_0003)
  /// 64-bit ARM (`AUDIT_ARCH_AARCH64`).
  public static let aarch64 = AuditArchitecture(rawValue: 0xC000_00B7)
  /// 32-bit little-endian ARM (`AUDIT_ARCH_ARM`).
  public static let arm = AuditArchitecture(rawValue: 0x4000_0028)
  /// 64-bit RISC-V (`AUDIT_ARCH_RISCV64`).
  public static let riscv64 = AuditArchitecture(rawValue: 0xC000_00F3)
  /// 64-bit IBM Z (`AUDIT_ARCH_S390X`), big-endian.
  public static let s390x = AuditArchitecture(rawValue: 0x8000_0016)
  /// 64-bit little-endian POWER (`AUDIT_ARCH_PPC64LE`).
  public static let ppc64le = AuditArchitecture(rawValue: 0xC000_0015)
  /// 64-bit big-endian POWER (`AUDIT_ARCH_PPC64`).
  public static let ppc64 = AuditArchitecture(rawValue: 0x8000_0015)

  /// Whether the ABI is 64-bit.
  public var is64Bit: Bool { rawValue & 0x8000_0000 != 0 }
  /// Whether the ABI is little-endian (which decides how raw `sockaddr` bytes are read).
  public var isLittleEndian: Bool { rawValue & 0x4000_0000 != 0 }

  /// The name auditd's ENRICHED format prints (`x86_64`, `i386`, `aarch64`), or the hex value.
  public var description: String {
    switch self {
    case .x86_64: return "x86_64"
    case .i386: return "i386"
    case .aarch64: return "aarch64"
    case .arm: return "arm"
    case .riscv64: return "riscv64"
    case .s390x: return "s390x"
    case .ppc64le: return "ppc64le"
    case .ppc64: return "ppc64"
    default: return String(rawValue, radix: 16)
    }
  }
}

/// Names a system-call number of an audit architecture, or returns nil when it has no name.
///
/// FalconCapture supplies one backed by libseccomp's tables (`AuditSyscallNames`); tests can pass
/// a small dictionary. The decoder falls back to the name in an ENRICHED log's `SYSCALL=` field,
/// then to libsinsp's generic `syscall` type.
public typealias AuditSyscallNaming = @Sendable (AuditArchitecture, Int32) -> String?
