/// The value of one event argument, typed the way libsinsp's event table types parameters.
///
/// The case says how Falco renders the value: `evt.rawarg.X` is the raw number or text, while
/// `evt.arg.X` formats by type (an errno as `ENOENT`, a mode in octal, flags by name). Flag
/// names depend on the call (`openat` flags are `O_*`, `unlinkat` flags `AT_*`), so a formatter
/// picks the flag table from the event type and the argument name.
public enum EventValue: Sendable, Hashable, CustomStringConvertible {
  /// A signed integer (`PT_INT*`).
  case int(Int64)
  /// An unsigned integer (`PT_UINT*`), including raw pointers and sizes.
  case uint(UInt64)
  /// A system-call result (`PT_ERRNO`): zero or positive on success, `-errno` on failure.
  case errno(Int64)
  /// A file descriptor (`PT_FD`); `-100` is `AT_FDCWD`.
  case fd(Int64)
  /// A process or thread ID (`PT_PID`).
  case pid(Int64)
  /// A user ID (`PT_UID`); 4294967295 means unset.
  case uid(UInt32)
  /// A group ID (`PT_GID`).
  case gid(UInt32)
  /// A flag word (`PT_FLAGS*`).
  case flags(UInt32)
  /// A permission mode (`PT_MODE`), printed in octal.
  case mode(UInt32)
  /// Text (`PT_CHARBUF`).
  case string(String)
  /// A file-system path (`PT_FSPATH`, or `PT_FSRELPATH` resolved against the working directory).
  case path(String)
  /// Raw bytes (`PT_BYTEBUF`): an argv block with NUL separators, written data.
  case bytes([UInt8])
  /// A socket address (`PT_SOCKADDR`).
  case socketAddress(SocketAddress)
  /// A connection tuple (`PT_SOCKTUPLE`).
  case socketTuple(SocketTuple)

  /// The value as a signed integer, for the numeric cases.
  public var integerValue: Int64? {
    switch self {
    case .int(let value), .errno(let value), .fd(let value), .pid(let value): return value
    case .uint(let value): return Int64(bitPattern: value)
    case .uid(let value), .gid(let value), .flags(let value), .mode(let value): return Int64(value)
    default: return nil
    }
  }

  /// The value as text, for the string and path cases.
  public var stringValue: String? {
    switch self {
    case .string(let value), .path(let value): return value
    default: return nil
    }
  }

  /// A plain rendering (numbers in decimal, mode in octal, bytes as UTF-8 with NUL shown as a
  /// space); rule output formatting is the field extractor's job.
  public var description: String {
    switch self {
    case .int(let value), .errno(let value), .fd(let value), .pid(let value): return String(value)
    case .uint(let value): return String(value)
    case .uid(let value), .gid(let value), .flags(let value): return String(value)
    case .mode(let value): return "0" + String(value, radix: 8)
    case .string(let value), .path(let value): return value
    case .bytes(let bytes):
      return String(decoding: bytes.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
    case .socketAddress(let address): return address.description
    case .socketTuple(let tuple): return tuple.description
    }
  }
}
