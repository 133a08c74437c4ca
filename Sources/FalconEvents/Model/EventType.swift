/// The kind of an event: what Falco's `evt.type` field shows.
///
/// For system-call events this is the kernel's name for the call (`execve`, `openat`, `connect`),
/// the vocabulary Falco rules use (`evt.type in (open, openat, openat2)`). Audit records that are
/// not about a system call (`USER_AUTH`, `LOGIN` alone, `AVC`) keep auditd's upper-case record
/// name, so they can never collide with a system-call name.
///
/// Names are compared as strings. Almost every system-call name fits Swift's 15-byte small-string
/// form, so copying and comparing an `EventType` touches no heap memory.
public struct EventType: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
  /// The name, such as `"execve"`.
  public let name: String

  /// Creates an event type from its name.
  public init(_ name: String) { self.name = name }

  public init(stringLiteral value: String) { self.name = value }

  public var description: String { name }
}

extension EventType {
  /// `execve(2)`.
  public static let execve: EventType = "execve"
  /// `execveat(2)`.
  public static let execveat: EventType = "execveat"
  /// `open(2)`.
  public static let open: EventType = "open"
  /// `openat(2)`.
  public static let openat: EventType = "openat"
  /// `openat2(2)`.
  public static let openat2: EventType = "openat2"
  /// `connect(2)`.
  public static let connect: EventType = "connect"
  /// `accept(2)`.
  public static let accept: EventType = "accept"
  /// `accept4(2)`.
  public static let accept4: EventType = "accept4"
  /// `bind(2)`.
  public static let bind: EventType = "bind"
  /// `socket(2)`.
  public static let socket: EventType = "socket"
  /// A system call the decoder could not name (its number is in the `ID` argument), as
  /// libsinsp's generic `syscall` event.
  public static let unknownSyscall: EventType = "syscall"

  /// Whether this is one of the calls that replace the process image.
  public var isExec: Bool { self == .execve || self == .execveat }
}
