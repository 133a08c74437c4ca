public import FalconEvents

/// Names the system-call numbers of audit records with libseccomp's tables, for
/// ``FalconEvents/AuditDecoder``.
///
/// An audit `SYSCALL` record gives `arch=` (an `AUDIT_ARCH_*` value) and `syscall=` (a number
/// in that ABI). Each supported ABI gets one ``SyscallTable``, built once. x32 calls arrive with
/// the x86_64 architecture and bit 30 (`__X32_SYSCALL_BIT`) set in the number, so such numbers
/// are looked up in the x32 table.
///
/// ```swift
/// let names = AuditSyscallNames()
/// var decoder = AuditDecoder(syscallName: names.naming)
/// ```
public struct AuditSyscallNames: Sendable {
  private let x86_64: SyscallTable
  private let x32: SyscallTable
  private let i386: SyscallTable
  private let others: [UInt32: SyscallTable]

  /// Builds the tables for x86_64, x32, i386, aarch64, 32-bit ARM, riscv64, s390x and ppc64le.
  public init() {
    x86_64 = SyscallTable(architecture: .x86_64)
    x32 = SyscallTable(architecture: .x32)
    i386 = SyscallTable(architecture: .x86)
    var others: [UInt32: SyscallTable] = [:]
    let pairs: [(AuditArchitecture, SeccompArchitecture)] = [
      (.aarch64, .aarch64), (.arm, .arm), (.riscv64, .riscv64), (.s390x, .s390x),
      (.ppc64le, .ppc64le),
    ]
    for (audit, seccomp) in pairs { others[audit.rawValue] = SyscallTable(architecture: seccomp) }
    self.others = others
  }

  /// The name of system call `number` of `arch`, or nil when libseccomp does not know it.
  public func name(arch: AuditArchitecture, number: Int32) -> String? {
    switch arch {
    case .x86_64:
      return number & 0x4000_0000 != 0 ? x32.name(of: number) : x86_64.name(of: number)
    case .i386:
      return i386.name(of: number)
    default:
      return others[arch.rawValue]?.name(of: number)
    }
  }

  /// This table as the decoder's naming function.
  public var naming: AuditSyscallNaming {
    let names = self
    return { arch, number in names.name(arch: arch, number: number) }
  }
}
