/// A CPU architecture (system-call ABI) that libseccomp can name and build filters for.
///
/// System-call numbers differ between ABIs (`execve` is 59 on x86_64, 11 on i386 and 221 on
/// aarch64), so every lookup in ``SyscallTable`` and every extra ABI in a ``SeccompFilter`` names
/// one of these. `native` is the ABI this process runs under.
public enum SeccompArchitecture: String, Sendable, Hashable, CaseIterable {
  /// 32-bit x86 (i386), the ABI reached through `int 0x80`.
  case x86
  /// 64-bit x86 (AMD64).
  case x86_64
  /// The x32 ABI: x86_64 instructions with 32-bit pointers; its numbers carry bit 30.
  case x32
  /// 32-bit ARM EABI.
  case arm
  /// 64-bit ARM (ARMv8 AArch64).
  case aarch64
  /// 64-bit RISC-V.
  case riscv64
  /// 64-bit IBM Z.
  case s390x
  /// 64-bit little-endian POWER.
  case ppc64le
  /// Whatever ABI the running process uses.
  case native

  /// Ranges of system-call numbers ``SyscallTable`` scans to list this ABI's calls.
  ///
  /// Ordinary numbers on every supported ABI are well below 1024 (Linux 6.x tops out near 470),
  /// so the scan covers `0..<1024` offset by the ABI's base: x32 numbers carry the
  /// `__X32_SYSCALL_BIT` (0x4000_0000), and 32-bit ARM adds its private calls
  /// (`cacheflush`, `set_tls`, ...) just above `__ARM_NR_BASE` (0x0f_0000).
  var scanRanges: [Range<Int32>] {
    switch self {
    case .x32:
      return [0x4000_0000..<(0x4000_0000 + 1024)]
    case .arm:
      return [0..<1024, 0x000f_0000..<0x000f_0010]
    default:
      return [0..<1024]
    }
  }
}
