/// A process lifecycle event from the kernel's process-events connector.
///
/// Process IDs are as the kernel sees them in the initial PID namespace: `pid` is the thread ID
/// and `tgid` the thread-group (process) ID, which match for a process's main thread.
public enum ProcEvent: Sendable, Hashable {
  /// A task created a new task (`fork`, `vfork`, or `clone` of a process or thread).
  case fork(parentPID: Int32, parentTGID: Int32, childPID: Int32, childTGID: Int32)
  /// A task replaced its program with `execve`.
  case exec(pid: Int32, tgid: Int32)
  /// A task changed its real or effective user ID.
  case uid(pid: Int32, tgid: Int32, real: UInt32, effective: UInt32)
  /// A task changed its real or effective group ID.
  case gid(pid: Int32, tgid: Int32, real: UInt32, effective: UInt32)
  /// A task started a new session with `setsid`.
  case sid(pid: Int32, tgid: Int32)
  /// A task was attached to or detached from a tracer (tracer IDs are 0 on detach).
  case ptrace(pid: Int32, tgid: Int32, tracerPID: Int32, tracerTGID: Int32)
  /// A task changed its command name (`prctl(PR_SET_NAME)` or a write to `comm`).
  case comm(pid: Int32, tgid: Int32, name: String)
  /// A task started dumping core.
  case coredump(pid: Int32, tgid: Int32)
  /// A task exited; `status` is in `waitpid` form (exit code in bits 8-15, signal in bits 0-6)
  /// and `exitSignal` is the signal sent to the parent (usually `SIGCHLD`).
  case exit(pid: Int32, tgid: Int32, status: UInt32, exitSignal: UInt32)
  /// An event type this version does not decode, with the kernel's `what` value.
  case other(what: UInt32)
}
