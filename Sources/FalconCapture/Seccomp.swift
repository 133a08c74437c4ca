// The libseccomp funnel: the only Swift file that calls libseccomp (and the CSeccomp shim). Other
// files reach seccomp through `SeccompFilter`, the `SyscallTable` lookups and the token mappings
// declared here.

internal import CSeccomp
internal import Glibc

/// A seccomp-BPF filter being assembled with libseccomp, which can be exported or installed.
///
/// A filter starts with a default action, gains per-syscall rules and extra ABIs, and then either
/// exports its program (``exportPFC()`` for the human-readable form, ``exportBPF()`` for the raw
/// instructions) or installs it with ``load()``. The instance owns its libseccomp context and
/// releases it when deallocated; it is not thread-safe, so use it from one thread at a time.
public final class SeccompFilter {
  /// The libseccomp filter context, created in `init` and released in `deinit`.
  private let context: scmp_filter_ctx

  /// Creates an empty filter for the native ABI that applies `defaultAction` to unmatched calls.
  ///
  /// The filter asks libseccomp to report the kernel's own error codes (`SYSRAWRC`) so that a
  /// failed ``load()`` says why. `.notify` is not accepted as a default action.
  public init(defaultAction: SeccompAction) throws {
    guard let context = seccomp_init(defaultAction.token) else {
      throw CaptureError.invalidArgument(
        operation: "seccomp_init", reason: "libseccomp rejected default action \(defaultAction)")
    }
    self.context = context
    // Best effort: libseccomp older than 2.5 lacks the attribute, and then loading still works but
    // reports ECANCELED instead of the kernel's errno.
    _ = seccomp_attr_set(context, SCMP_FLTATR_API_SYSRAWRC, 1)
  }

  deinit {
    seccomp_release(context)
  }

  /// Adds `architecture` so the filter also matches calls made through that ABI.
  ///
  /// Without this a filter kills callers using any ABI other than the native one (for example
  /// 32-bit `int 0x80` calls on x86_64). Adding an ABI the filter already has is not an error.
  public func addArchitecture(_ architecture: SeccompArchitecture) throws {
    let result = seccomp_arch_add(context, architecture.token)
    if result == -EEXIST { return }
    try check(result, "seccomp_arch_add")
  }

  /// Adds an unconditional rule applying `action` to the system call named `name` on every ABI
  /// of the filter.
  ///
  /// The name is resolved with libseccomp's native table; a name it does not know throws
  /// ``CaptureError/invalidArgument(operation:reason:)``. A call that exists on the native ABI
  /// only under a pseudo-number is accepted, and libseccomp skips ABIs lacking it.
  public func addRule(action: SeccompAction, syscall name: String) throws {
    let number = seccomp_syscall_resolve_name(name)
    guard number != __NR_SCMP_ERROR else {
      throw CaptureError.invalidArgument(
        operation: "seccomp_rule_add", reason: "unknown system call \"\(name)\"")
    }
    // seccomp_rule_add is variadic, which Swift cannot call; the array form with no argument
    // comparisons is the same rule.
    try check(seccomp_rule_add_array(context, action.token, number, 0, nil), "seccomp_rule_add")
  }

  /// Renders the filter as libseccomp's Pseudo Filter Code, a readable listing of its rules.
  public func exportPFC() throws -> String {
    let bytes = try export("seccomp_export_pfc") { seccomp_export_pfc(context, $0) }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Compiles the filter to the raw classic-BPF program the kernel would receive.
  ///
  /// The result is an array of 8-byte `struct sock_filter` instructions in host byte order, as
  /// `seccomp(SECCOMP_SET_MODE_FILTER)` takes them.
  public func exportBPF() throws -> [UInt8] {
    try export("seccomp_export_bpf") { seccomp_export_bpf(context, $0) }
  }

  /// Installs the filter on the calling thread; irreversible for that thread and its children.
  ///
  /// Danger: once loaded, the filter cannot be removed or loosened, applies to every thread and
  /// process the caller later creates, and by default also sets `PR_SET_NO_NEW_PRIVS`, which
  /// stops set-user-ID programs from gaining privileges. Only the calling thread is filtered;
  /// threads that already exist keep running unfiltered. Tests must call this only in a forked
  /// child process, never in the test runner itself.
  public func load() throws {
    try check(seccomp_load(context), "seccomp_load")
  }

  /// Turns a libseccomp return code (0 or a negative errno) into a thrown error.
  private func check(_ result: Int32, _ operation: String) throws {
    guard result == 0 else {
      throw CaptureError.system(operation: operation, errno: result < 0 ? -result : result)
    }
  }

  /// Runs a libseccomp export function against an anonymous memory file and returns its output.
  private func export(_ operation: String, _ write: (Int32) -> Int32) throws -> [UInt8] {
    let descriptor = rampart_scmp_export_memfd()
    guard descriptor >= 0 else { throw CaptureError.fromErrno("memfd_create") }
    defer { close(descriptor) }
    try check(write(descriptor), operation)
    guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw CaptureError.fromErrno("lseek") }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16_384)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count > 0 {
        output.append(contentsOf: chunk[0..<count])
      } else if count == 0 {
        return output
      } else if Glibc.errno != EINTR {
        throw CaptureError.fromErrno("read")
      }
    }
  }
}

extension SyscallTable {
  /// The number of the system call `name` in ABI `arch`, or `nil` if libseccomp does not know it.
  ///
  /// Uses `seccomp_syscall_resolve_name_arch`. For socket and System V IPC calls on ABIs that
  /// also multiplex them through `socketcall`/`ipc` (x86, s390x, ppc64le), libseccomp answers
  /// with a negative pseudo-number even where a direct syscall exists (`getsockname` is 367 on
  /// s390x); this then scans the ABI (as ``SyscallTable/allSyscalls(arch:)`` does) for the direct
  /// number, which costs about a thousand lookups. Calls an ABI lacks entirely (such as `open` on
  /// aarch64) are reported as `nil`, never as pseudo-numbers.
  public static func number(of name: String, arch: SeccompArchitecture = .native) -> Int32? {
    let number = seccomp_syscall_resolve_name_arch(arch.token, name)
    if number >= 0 { return number }
    if number == __NR_SCMP_ERROR { return nil }
    for range in arch.scanRanges {
      if let direct = range.first(where: { self.name(of: $0, arch: arch) == name }) {
        return direct
      }
    }
    return nil
  }

  /// The name of system call `number` in ABI `arch`, or `nil` if the number is unassigned there.
  ///
  /// Uses `seccomp_syscall_resolve_num_arch` and frees the string it allocates.
  public static func name(of number: Int32, arch: SeccompArchitecture = .native) -> String? {
    guard number >= 0, let text = seccomp_syscall_resolve_num_arch(arch.token, number) else {
      return nil
    }
    defer { free(text) }
    return String(cString: text)
  }
}

extension SeccompArchitecture {
  /// libseccomp's `SCMP_ARCH_*` token for this ABI.
  var token: UInt32 {
    switch self {
    case .x86: return rampart_scmp_arch_x86()
    case .x86_64: return rampart_scmp_arch_x86_64()
    case .x32: return rampart_scmp_arch_x32()
    case .arm: return rampart_scmp_arch_arm()
    case .aarch64: return rampart_scmp_arch_aarch64()
    case .riscv64: return rampart_scmp_arch_riscv64()
    case .s390x: return rampart_scmp_arch_s390x()
    case .ppc64le: return rampart_scmp_arch_ppc64le()
    case .native: return rampart_scmp_arch_native()
    }
  }
}

extension SeccompAction {
  /// libseccomp's `SCMP_ACT_*` value for this action.
  var token: UInt32 {
    switch self {
    case .allow: return rampart_scmp_act_allow()
    case .log: return rampart_scmp_act_log()
    case .killProcess: return rampart_scmp_act_kill_process()
    case .killThread: return rampart_scmp_act_kill_thread()
    case .errno(let code): return rampart_scmp_act_errno(code)
    case .trace(let message): return rampart_scmp_act_trace(message)
    case .notify: return rampart_scmp_act_notify()
    }
  }
}
