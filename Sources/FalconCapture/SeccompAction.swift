/// What the kernel does when a seccomp filter matches a system call.
///
/// The cases mirror libseccomp's `SCMP_ACT_*` values; the kernel applies the most restrictive
/// result when several filters are stacked.
public enum SeccompAction: Sendable, Hashable {
  /// Let the system call run.
  case allow
  /// Let the system call run and record it in the audit log.
  case log
  /// Kill the whole process (all threads) as if by an uncatchable `SIGSYS`.
  case killProcess
  /// Kill only the calling thread.
  case killThread
  /// Fail the system call with the given `errno` value, without running it.
  case errno(UInt16)
  /// Notify a `ptrace` tracer, passing it the given value; fails with `ENOSYS` if untraced.
  case trace(UInt16)
  /// Suspend the call and hand it to a user-space supervisor through the notification fd.
  case notify
}
