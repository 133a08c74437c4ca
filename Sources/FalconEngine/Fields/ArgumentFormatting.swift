internal import FalconEvents

/// How `evt.arg.X` renders an argument (by type, with flag names chosen by the call) and what
/// `evt.rawarg.X` compares.
///
/// Flags are the kernel's values (the audit subsystem reports registers), not libsinsp's
/// own `PPM_*` encoding, so `evt.rawarg.flags` numbers differ from Falco's for open flags;
/// the names `evt.arg.flags` prints are the same.
enum ArgumentFormatting {
  /// `evt.arg.X` of `event`, nil when the event has no such argument.
  static func formatted(_ event: Event, _ name: String, users: UserDirectory) -> FieldValue {
    guard let value = argument(event, name) else { return .none }
    switch value {
    case .errno(let result):
      return .string(result < 0 ? ErrnoNames.name(-result) : String(result))
    case .flags(let flags):
      let name = event.arguments[name] == nil ? (Int(name).map { event.arguments[$0].name } ?? name) : name
      if name == "request", event.type.name == "ptrace" { return .string(ptraceRequest(flags)) }
      if name == "flags", isOpenCall(event.type.name) { return .string(openFlags(flags)) }
      return .string(String(flags))
    case .mode(let mode): return .string("0" + String(mode, radix: 8))
    case .uid(let uid): return .string(uid == ThreadInfo.unsetID ? "-1" : (users.userName(uid) ?? String(uid)))
    case .gid(let gid): return .string(gid == ThreadInfo.unsetID ? "-1" : (users.groupName(gid) ?? String(gid)))
    case .bytes(let bytes): return .string(FieldValue.printable(bytes))
    default: return .string(value.description)
    }
  }

  /// `evt.rawarg.X`: numbers stay numbers, text stays text.
  static func raw(_ event: Event, _ name: String) -> FieldValue {
    guard let value = argument(event, name) else { return .none }
    switch value {
    case .int(let number), .errno(let number), .fd(let number), .pid(let number): return .int(number)
    case .uint(let number): return .uint(number)
    case .uid(let number), .gid(let number), .flags(let number), .mode(let number): return .uint(UInt64(number))
    case .string(let text), .path(let text): return .string(text)
    case .bytes(let bytes): return .bytes(bytes)
    case .socketAddress, .socketTuple: return .string(value.description)
    }
  }

  /// An argument by name, or by position when `name` is a number (`evt.arg[1]`).
  static func argument(_ event: Event, _ name: String) -> EventValue? {
    if let value = event.arguments[name] { return value }
    guard let position = Int(name), position >= 0, position < event.arguments.count else { return nil }
    return event.arguments[position].value
  }

  /// `evt.args`: every argument as `name=value`, separated by spaces.
  static func all(_ event: Event, users: UserDirectory) -> String {
    var parts: [String] = []
    parts.reserveCapacity(event.arguments.count)
    for argument in event.arguments {
      parts.append(argument.name + "=" + formatted(event, argument.name, users: users).rendered)
    }
    return parts.joined(separator: " ")
  }

  /// Whether `name` is one of the open calls (`open`, `openat`, `openat2`, `creat`): four
  /// comparisons of short names, cheaper than hashing one per event.
  static func isOpenCall(_ name: String) -> Bool {
    name == "openat" || name == "open" || name == "openat2" || name == "creat"
  }

  /// Kernel open flags by name (generic Linux values, as on x86-64 and arm64).
  private static let openFlagNames: [(UInt32, String)] = [
    (0o100, "O_CREAT"), (0o200, "O_EXCL"), (0o400, "O_NOCTTY"), (0o1000, "O_TRUNC"), (0o2000, "O_APPEND"),
    (0o4000, "O_NONBLOCK"), (0o10000, "O_DSYNC"), (0o20000, "FASYNC"), (0o40000, "O_DIRECT"),
    (0o100000, "O_LARGEFILE"), (0o200000, "O_DIRECTORY"), (0o400000, "O_NOFOLLOW"), (0o1000000, "O_NOATIME"),
    (0o2000000, "O_CLOEXEC"), (0o4000000, "O_SYNC"), (0o10000000, "O_PATH"), (0o20000000, "O_TMPFILE"),
  ]

  /// `evt.arg.flags contains needle` for the events of an open call, as a test of the flag
  /// bits: the rendered flags are names joined by `|`, so a needle without `|` is in them
  /// exactly when one name contains it. Events whose `flags` argument is not a flag word take
  /// `otherwise` (the comparison on the rendered text). Nil for a needle with `|`.
  static func openFlagsContains(_ needle: String, otherwise: @escaping ContextTest) -> ContextTest? {
    guard !needle.isEmpty, !needle.utf8.contains(0x7c) else { return nil }
    var mask: UInt32 = 0
    for (bit, name) in openFlagNames where StringMatching.contains(name, needle) { mask |= bit }
    let modes = ["O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"].map { StringMatching.contains($0, needle) }
    let (read, write, both, neither) = (modes[0], modes[1], modes[2], modes[3])
    let bits = mask
    return { context, event in
      guard case .flags(let flags)? = event.arguments["flags"] else { return otherwise(context, event) }
      if flags & bits != 0 { return true }
      switch flags & 3 {
      case 0: return read
      case 1: return write
      case 2: return both
      default: return neither
      }
    }
  }

  /// `O_WRONLY|O_CREAT|O_TRUNC`-style names of an open flag word.
  static func openFlags(_ flags: UInt32) -> String {
    var text: String
    switch flags & 3 {
    case 0: text = "O_RDONLY"
    case 1: text = "O_WRONLY"
    case 2: text = "O_RDWR"
    default: text = "O_ACCMODE"
    }
    text.reserveCapacity(64)
    for (bit, name) in openFlagNames where flags & bit != 0 {
      text += "|"
      text += name
    }
    return text
  }

  private static let ptraceNames: [UInt32: String] = [
    0: "PTRACE_TRACEME", 1: "PTRACE_PEEKTEXT", 2: "PTRACE_PEEKDATA", 3: "PTRACE_PEEKUSR", 4: "PTRACE_POKETEXT",
    5: "PTRACE_POKEDATA", 6: "PTRACE_POKEUSR", 7: "PTRACE_CONT", 8: "PTRACE_KILL", 9: "PTRACE_SINGLESTEP",
    12: "PTRACE_GETREGS", 13: "PTRACE_SETREGS", 14: "PTRACE_GETFPREGS", 15: "PTRACE_SETFPREGS",
    16: "PTRACE_ATTACH", 17: "PTRACE_DETACH", 24: "PTRACE_SYSCALL", 0x4200: "PTRACE_SETOPTIONS",
    0x4201: "PTRACE_GETEVENTMSG", 0x4202: "PTRACE_GETSIGINFO", 0x4203: "PTRACE_SETSIGINFO",
    0x4204: "PTRACE_GETREGSET", 0x4205: "PTRACE_SETREGSET", 0x4206: "PTRACE_SEIZE",
    0x4207: "PTRACE_INTERRUPT", 0x4208: "PTRACE_LISTEN",
  ]

  /// The name of a ptrace request (`PTRACE_ATTACH`), or its number.
  static func ptraceRequest(_ request: UInt32) -> String { ptraceNames[request] ?? String(request) }

  /// Whether an open call's flags open for reading / writing.
  static func openMode(_ event: Event) -> (read: Bool, write: Bool, create: Bool)? {
    guard isOpenCall(event.type.name) else { return nil }
    guard case .flags(let flags)? = event.arguments["flags"] else {
      return event.type.name == "creat" ? (false, true, true) : nil
    }
    let access = flags & 3
    return (access == 0 || access == 2, access == 1 || access == 2, flags & 0o100 != 0)
  }
}

/// Linux errno names, for `evt.res` and errno arguments.
enum ErrnoNames {
  private static let names: [String] = [
    "SUCCESS", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF", "ECHILD",
    "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR",
    "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS",
    "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY", "ELOOP",
  ]
  private static let network: [Int64: String] = [
    88: "ENOTSOCK", 95: "EOPNOTSUPP", 97: "EAFNOSUPPORT", 98: "EADDRINUSE", 99: "EADDRNOTAVAIL",
    100: "ENETDOWN", 101: "ENETUNREACH", 103: "ECONNABORTED", 104: "ECONNRESET", 106: "EISCONN",
    107: "ENOTCONN", 110: "ETIMEDOUT", 111: "ECONNREFUSED", 113: "EHOSTUNREACH", 114: "EALREADY",
    115: "EINPROGRESS", 61: "ENODATA", 62: "ETIME", 75: "EOVERFLOW", 84: "EILSEQ",
  ]

  /// The name of a positive errno (`ENOENT`), or the number.
  static func name(_ errno: Int64) -> String {
    if errno >= 0, errno < Int64(names.count) { return names[Int(errno)] }
    return network[errno] ?? String(errno)
  }
}
