/// One event Falcon's rules are matched against: a system call (as the audit subsystem reported
/// it), a process lifecycle change from the proc connector, or a process found by a `/proc` scan.
///
/// The fields map onto Falco's: `evt.type` is ``type``, `evt.dir` ``direction``, `evt.time`
/// ``timestamp``, `evt.res`/`evt.rawres` ``result``, `evt.arg.X`/`evt.rawarg.X` ``arguments``,
/// `proc.*`/`thread.*`/`user.*` ``thread``, `fd.*` ``fd``.
///
/// Copying is cheap: the value is a few scalars, the type name (inline for names up to 15
/// bytes) and three references (arguments, thread, descriptor), so pushing millions of events a
/// second through a rule set copies no strings.
/// The thread is a copy-on-write value with one shared record; the descriptor sits behind an
/// immutable shared box. Assigning to ``thread`` or ``fd`` leaves other copies untouched.
public struct Event: Sendable {
  /// Where the event came from.
  public var source: EventSource
  /// The event type (`evt.type`): a system-call name for system-call events.
  public var type: EventType
  /// Entry or exit of the call (`evt.dir`).
  public var direction: EventDirection
  /// When it happened, in nanoseconds since the Unix epoch (`evt.time`). Audit timestamps have
  /// millisecond resolution.
  public var timestamp: UInt64
  /// A number the source gives the event: the audit serial for audit events (`msg=audit(...:N)`),
  /// a running count otherwise.
  public var number: UInt64
  /// The call's result (`evt.rawres`): the returned value, or `-errno` on failure; nil for
  /// events that are not calls.
  public var result: Int64?
  /// The named arguments (`evt.arg.*`), named as in libsinsp's event table.
  public var arguments: EventArguments
  @usableFromInline var threadInfo: ThreadInfo
  private var fdBox: FileDescriptorBox?

  /// Creates an event.
  public init(
    source: EventSource, type: EventType, direction: EventDirection = .exit, timestamp: UInt64,
    number: UInt64 = 0, result: Int64? = nil, arguments: EventArguments = [],
    thread: consuming ThreadInfo = ThreadInfo(), fd: consuming FileDescriptorInfo? = nil
  ) {
    self.source = source
    self.type = type
    self.direction = direction
    self.timestamp = timestamp
    self.number = number
    self.result = result
    self.arguments = arguments
    self.threadInfo = thread
    self.fdBox = fd.map(FileDescriptorBox.init)
  }

  /// The thread that caused the event (`proc.*`, `thread.*`, `user.*`).
  public var thread: ThreadInfo {
    // `_read` lends the stored value, so `event.thread.name` reads one field without copying
    // (and retaining) every string and array of the thread.
    @inlinable _read { yield threadInfo }
    set { threadInfo = newValue }
  }

  /// The descriptor the event is about (`fd.*`), nil when it has none.
  public var fd: FileDescriptorInfo? {
    _read { yield fdBox?.value }
    set { fdBox = newValue.map(FileDescriptorBox.init) }
  }

  /// Lends the descriptor to `body` in place (no copy of its strings), or returns nil when the
  /// event has none.
  @inlinable
  public func withFileDescriptor<Result>(_ body: (borrowing FileDescriptorInfo) throws -> Result) rethrows -> Result? {
    guard let box = _fileDescriptorBox else { return nil }
    return try body(box.value)
  }

  /// The descriptor's box; an implementation detail of ``withFileDescriptor(_:)``.
  @usableFromInline
  var _fileDescriptorBox: FileDescriptorBox? { fdBox }

  /// Whether the call failed (`evt.failed`): its result is negative.
  public var failed: Bool { (result ?? 0) < 0 }
}

/// Immutable shared storage for an event's descriptor.
@usableFromInline
final class FileDescriptorBox: Sendable {
  @usableFromInline let value: FileDescriptorInfo
  init(_ value: consuming FileDescriptorInfo) { self.value = value }
}
