public import FalconEvents
internal import Glibc

/// A live source of events: the proc connector, /proc scanning, or the audit feed.
public protocol LiveEventSource: AnyObject {
  /// The source's name as `falcon watch` prints it (`proc`, `proc-scan`, `audit`).
  var name: String { get }
  /// Waits up to `timeout` for events and passes each to `emit`.
  func poll(timeout: Duration, emit: (Event) -> Void) throws
  /// Stops the source and undoes what it changed in the kernel; returns undo failures.
  func close() -> [CaptureError]
  /// Losses the source knows of (kernel overruns, processes gone before they could be read).
  var losses: [String: Int] { get }
}

/// Nanoseconds since the epoch now.
func wallClockNanoseconds() -> UInt64 {
  var now = timespec()
  clock_gettime(CLOCK_REALTIME, &now)
  return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// An `execve` exit event for a process read from /proc, shaped like the audit decoder's (the
/// arguments of libsinsp's execve exit event that /proc can supply).
func execEvent(_ thread: ThreadInfo, source: EventSource, time: UInt64) -> Event {
  var arguments = EventArguments()
  arguments.append("res", .errno(0))
  arguments.append("exe", .string(thread.exe))
  var block: [UInt8] = []
  for argument in thread.args {
    block.append(contentsOf: argument.utf8)
    block.append(0)
  }
  arguments.append("args", .bytes(block))
  arguments.append("tid", .pid(thread.tid))
  arguments.append("pid", .pid(thread.pid))
  arguments.append("ptid", .pid(thread.ppid))
  arguments.append("cwd", .string(thread.cwd))
  arguments.append("comm", .string(thread.name))
  arguments.append("tty", .uint(UInt64(thread.tty)))
  arguments.append("loginuid", .uid(thread.loginUID))
  arguments.append("uid", .uid(thread.euid))
  arguments.append("gid", .gid(thread.egid))
  if let caps = thread.capInheritable { arguments.append("cap_inheritable", .uint(caps)) }
  if let caps = thread.capPermitted { arguments.append("cap_permitted", .uint(caps)) }
  if let caps = thread.capEffective { arguments.append("cap_effective", .uint(caps)) }
  arguments.append("trusted_exepath", .path(thread.exePath))
  return Event(
    source: source, type: .execve, direction: .exit, timestamp: time, result: 0, arguments: arguments,
    thread: thread)
}

/// Process events from the kernel's proc connector, enriched from /proc.
///
/// Needs CAP_NET_ADMIN. The receive buffer is sized with SO_RCVBUFFORCE (16 MiB by default:
/// about 40 bytes a message, far beyond 25k events per second between polls); kernel drops are
/// counted as `overruns`, and execs whose process was gone before /proc could be read as
/// `exec_unreadable` (their event still goes out, with the pid and what the table knew).
public final class ProcConnectorSource: LiveEventSource {
  public let name = "proc"
  private let connector: ProcConnector
  private var unreadable = 0

  public init(receiveBufferSize: Int = 16 << 20) throws {
    connector = try ProcConnector(receiveBufferSize: receiveBufferSize)
  }

  public var losses: [String: Int] { ["overruns": connector.overruns, "exec_unreadable": unreadable] }

  public func poll(timeout: Duration, emit: (Event) -> Void) throws {
    for event in try connector.nextEvents(timeout: timeout) {
      let time = wallClockNanoseconds()
      switch event {
      case .fork(_, let parentTGID, let childPID, let childTGID):
        // A new thread in an existing process is not a new process.
        guard childPID == childTGID else { continue }
        var thread = ProcFS.thread(pid: Int64(childTGID)) ?? ThreadInfo()
        thread.pid = Int64(childTGID)
        thread.tid = Int64(childTGID)
        thread.ppid = Int64(parentTGID)
        var arguments = EventArguments()
        arguments.append("res", .pid(0))
        emit(Event(source: .procConnector, type: "clone", direction: .exit, timestamp: time, result: 0, arguments: arguments, thread: thread))
      case .exec(_, let tgid):
        var thread: ThreadInfo
        if let read = ProcFS.thread(pid: Int64(tgid)) {
          thread = read
        } else {
          unreadable += 1
          thread = ThreadInfo()
          thread.pid = Int64(tgid)
          thread.tid = Int64(tgid)
        }
        emit(execEvent(thread, source: .procConnector, time: time))
      case .exit(let pid, let tgid, let status, _):
        guard pid == tgid else { continue }
        var thread = ThreadInfo()
        thread.pid = Int64(tgid)
        thread.tid = Int64(tgid)
        var arguments = EventArguments()
        arguments.append("status", .int(Int64(status)))
        emit(Event(source: .procConnector, type: "procexit", direction: .enter, timestamp: time, arguments: arguments, thread: thread))
      default:
        continue
      }
    }
  }

  public func close() -> [CaptureError] { [] }
}

/// The fallback without CAP_NET_ADMIN: /proc listed every `interval`; a process ID not seen
/// before is reported as an exec, one that vanished as an exit. Processes that live shorter than
/// the interval are missed (counted nowhere, since nothing saw them): the reason to prefer the
/// proc connector or audit.
public final class ProcScanSource: LiveEventSource {
  public let name = "proc-scan"
  private var known: Set<Int64>
  private let interval: Duration

  public init(interval: Duration = .milliseconds(100)) {
    self.interval = interval
    known = Set(ProcFS.processIDs())
  }

  public var losses: [String: Int] { [:] }

  public func poll(timeout: Duration, emit: (Event) -> Void) throws {
    var wait = timespec()
    let (seconds, attoseconds) = min(timeout, interval).components
    wait.tv_sec = Int(seconds)
    wait.tv_nsec = Int(attoseconds / 1_000_000_000)
    nanosleep(&wait, nil)
    let now = Set(ProcFS.processIDs())
    let time = wallClockNanoseconds()
    for pid in now.subtracting(known).sorted() {
      guard let thread = ProcFS.thread(pid: pid) else { continue }
      emit(execEvent(thread, source: .procScan, time: time))
    }
    for pid in known.subtracting(now).sorted() {
      var thread = ThreadInfo()
      thread.pid = pid
      thread.tid = pid
      emit(Event(source: .procScan, type: "procexit", direction: .enter, timestamp: time, thread: thread))
    }
    known = now
  }

  public func close() -> [CaptureError] { [] }
}

/// Live audit records decoded into events: an ``AuditFeed`` with Falcon's rules, and the same
/// ``AuditDecoder`` that replays logs.
public final class AuditSource: LiveEventSource {
  public let name = "audit"
  public let feed: AuditFeed
  private var decoder: AuditDecoder

  public init(rules: [AuditRule], mode: AuditFeed.Mode = .automatic) throws {
    feed = try AuditFeed(rules: rules, mode: mode)
    decoder = AuditDecoder(syscallName: AuditSyscallNames().naming)
  }

  public var losses: [String: Int] {
    var result = ["overruns": feed.overruns, "decode_issues": decoder.issueCount]
    if let status = try? AuditControl.status() { result["kernel_lost"] = Int(status.lost) - Int(feed.statusBefore.lost) }
    return result
  }

  public func poll(timeout: Duration, emit: (Event) -> Void) throws {
    for record in try feed.receive(timeout: timeout) {
      decoder.decode(netlinkType: record.type, payload: record.text[...], emit: emit)
    }
  }

  /// Completes the events still open (the kernel sends no EOE for some) without waiting.
  public func flush(emit: (Event) -> Void) {
    decoder.finish(emit: emit)
  }

  public func close() -> [CaptureError] { feed.close() }

  /// The audit rules for a set of syscall names on this machine's ABIs (64-bit native, and i386
  /// on x86_64 so 32-bit programs are seen too), scoped by `filters`.
  public static func rules(syscalls: Set<String>, filters: [AuditRule.Filter], key: String = "falcon") -> [AuditRule] {
    var result: [AuditRule] = []
    var abis: [SeccompArchitecture] = [.native]
    #if arch(x86_64)
      abis.append(.x86)
    #endif
    for abi in abis {
      if let rule = try? AuditRule(architecture: abi, syscallNames: syscalls.sorted(), filters: filters, key: key) {
        result.append(rule)
      }
    }
    return result
  }

  /// The audit syscalls for Falco event types: an event type that is a syscall name maps to itself
  /// (with its relatives: `execve` brings `execveat`, `open` the `openat` family, `accept`
  /// `accept4`, `setuid` the set*id family); types audit cannot see (`clone`, `procexit`,
  /// `container`) map to nothing.
  public static func syscalls(forEventTypes types: Set<String>) -> Set<String> {
    var result: Set<String> = []
    let families: [String: [String]] = [
      "execve": ["execve", "execveat"], "execveat": ["execve", "execveat"],
      "open": ["open", "openat", "openat2"], "openat": ["open", "openat", "openat2"], "openat2": ["open", "openat", "openat2"],
      "accept": ["accept", "accept4"], "accept4": ["accept", "accept4"],
      "setuid": ["setuid", "setreuid", "setresuid"], "setgid": ["setgid", "setregid", "setresgid"],
      "unlink": ["unlink", "unlinkat"], "rename": ["rename", "renameat", "renameat2"], "mkdir": ["mkdir", "mkdirat"],
      "chmod": ["chmod", "fchmod", "fchmodat"],
    ]
    let table = SyscallTable(architecture: .native)
    for type in types {
      if let family = families[type] { result.formUnion(family); continue }
      if table.number(of: type) != nil { result.insert(type) }
    }
    return result
  }

  /// What Falcon audits when the rules do not narrow it (or no rules are loaded, for `--events`).
  public static let defaultSyscalls: Set<String> = [
    "execve", "execveat", "open", "openat", "openat2", "connect", "accept", "accept4", "bind",
    "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "ptrace", "chmod", "fchmod",
    "fchmodat", "unlink", "unlinkat", "rename", "renameat", "renameat2", "mkdir", "mkdirat",
  ]
}

/// The set of processes in a watched tree: the root and every descendant, including those born
/// after watching began. Seeded from /proc; grown by fork/exec events whose parent is a member.
public struct ProcessTreeFilter: Sendable {
  public let root: Int64
  public private(set) var members: Set<Int64>
  /// Members that have exited.
  private var exited: Set<Int64> = []

  public init(root: Int64) {
    self.root = root
    members = [root]
    // Seed with today's descendants: walk each process's parent chain up to the root.
    var parents: [Int64: Int64] = [:]
    for pid in ProcFS.processIDs() {
      if let stat = ProcFS.readFile("\(ProcFS.root)/\(pid)/stat") {
        var info = ThreadInfo()
        if ProcFS.parseStat(stat, into: &info) { parents[pid] = info.ppid }
      }
    }
    for pid in parents.keys {
      var current = pid
      var steps = 0
      while let parent = parents[current], steps < 64 {
        if parent == root { members.insert(pid); break }
        current = parent
        steps += 1
      }
    }
  }

  /// Whether the event belongs to the tree (adding its process when its parent is a member).
  public mutating func admit(_ event: Event) -> Bool {
    let pid = event.thread.pid
    if members.contains(pid) {
      if event.type.name == "procexit" { exited.insert(pid) }
      return true
    }
    if event.thread.ppid >= 0, members.contains(event.thread.ppid), event.type.name != "procexit" {
      members.insert(pid)
      return true
    }
    return false
  }

  /// True when every member has exited (or no longer exists).
  public var isFinished: Bool {
    members.allSatisfy { exited.contains($0) || kill(pid_t(truncatingIfNeeded: $0), 0) != 0 && errno == ESRCH }
  }
}
