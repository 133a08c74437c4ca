internal import Glibc

/// An error from a FalconCapture system interface, naming the operation that failed.
///
/// System failures carry the `errno` value the kernel or C library reported (libseccomp's negative
/// return codes are turned into positive errno values), so callers can tell "not permitted"
/// (`EPERM`) from "not supported here" (`EPROTONOSUPPORT`, `EINVAL`) and decide whether to skip a
/// source or give up.
public enum CaptureError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A system or library call failed with the given `errno` value.
  case system(operation: String, errno: Int32)
  /// An argument was rejected before reaching the system, for example an unknown syscall name.
  case invalidArgument(operation: String, reason: String)
  /// The kernel sent data that does not have the expected shape.
  case malformedReply(operation: String, reason: String)

  /// The name of the operation that failed, such as `"seccomp_load"` or `"recvfrom"`.
  public var operation: String {
    switch self {
    case .system(let operation, _), .invalidArgument(let operation, _),
      .malformedReply(let operation, _):
      return operation
    }
  }

  /// The `errno` value for a system failure, or `nil` for the other cases.
  public var errno: Int32? {
    if case .system(_, let code) = self { return code }
    return nil
  }

  /// A one-line message such as `seccomp_load: Operation not permitted (errno 1)`.
  public var description: String {
    switch self {
    case .system(let operation, let code):
      return "\(operation): \(Self.message(for: code)) (errno \(code))"
    case .invalidArgument(let operation, let reason):
      return "\(operation): invalid argument: \(reason)"
    case .malformedReply(let operation, let reason):
      return "\(operation): malformed reply: \(reason)"
    }
  }

  /// Builds a system error from the thread's current `errno`.
  static func fromErrno(_ operation: String) -> CaptureError {
    .system(operation: operation, errno: Glibc.errno)
  }

  /// The C library's text for an errno value.
  private static func message(for code: Int32) -> String {
    guard let text = strerror(code) else { return "unknown error" }
    return String(cString: text)
  }
}
