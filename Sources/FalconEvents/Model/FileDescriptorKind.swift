/// What a file descriptor refers to, with libsinsp's type names and type characters.
public enum FileDescriptorKind: UInt8, Sendable, Hashable, CaseIterable {
  case file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, timerfd
  case netlink, bpf, userfaultfd, ioUring, memfd, pidfd, unknown, unsupported

  /// `fd.typechar`: `f` file, `d` directory, `4`/`6` IP sockets, `u` Unix socket, `p` pipe, ...
  public var typeChar: Character {
    switch self {
    case .file: return "f"
    case .directory: return "d"
    case .ipv4: return "4"
    case .ipv6: return "6"
    case .unix: return "u"
    case .pipe: return "p"
    case .event: return "e"
    case .signalfd: return "s"
    case .eventpoll: return "l"
    case .inotify: return "i"
    case .timerfd: return "t"
    case .netlink: return "n"
    case .bpf: return "b"
    case .userfaultfd: return "u"
    case .ioUring: return "r"
    case .memfd: return "m"
    case .pidfd: return "P"
    case .unknown: return "o"
    case .unsupported: return "X"
    }
  }

  /// `fd.type`: `file`, `directory`, `ipv4`, `ipv6`, `unix`, `pipe`, `event`, `signalfd`,
  /// `eventpoll`, `inotify`, `timerfd`, `netlink`, `bpf`, `userfaultfd`, `io_uring`, `memfd`,
  /// `pidfd`, `unknown`, `unsupported`.
  public var typeName: String {
    switch self {
    case .ioUring: return "io_uring"
    default: return String(describing: self)
    }
  }
}
