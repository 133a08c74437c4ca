/// The thread (and its process) that caused an event, as Falco's `proc.*`, `thread.*` and
/// `user.*` fields see it.
///
/// A plain value: an event holds it behind one shared reference (see ``Event/thread``), so
/// copying an event never copies these fields. Unknown numbers use sentinels rather than
/// optionals, because rules read them on every event: IDs are -1 when unknown, user IDs and the
/// audit session are 4294967295 (`(uid_t)-1`, the kernel's "unset"), times are 0.
///
/// `parent` links to the parent's state as the ``ProcessTable`` knew it when it enriched the
/// event, and so on up the tree, which is how `proc.pname` and `proc.aname[N]` are answered
/// without a table lookup at rule time.
public struct ThreadInfo: Sendable, Hashable {
  /// The "unset" value of user IDs and the audit session ID.
  public static let unsetID: UInt32 = .max

  /// Thread ID (`thread.tid`). Audit reports only the process ID, so this equals `pid` there.
  public var tid: Int64 = -1
  /// Process (thread-group) ID (`proc.pid`).
  public var pid: Int64 = -1
  /// Parent process ID (`proc.ppid`).
  public var ppid: Int64 = -1
  /// Thread ID inside the thread's PID namespace (`thread.vtid`), -1 when unknown.
  public var vtid: Int64 = -1
  /// Process ID inside the process's PID namespace (`proc.vpid`), -1 when unknown.
  public var vpid: Int64 = -1
  /// Session ID (`proc.sid`), -1 when unknown.
  public var sid: Int64 = -1
  /// Process group ID (`proc.pgid`), -1 when unknown.
  public var pgid: Int64 = -1
  /// Process group ID inside the PID namespace (`proc.vpgid`), -1 when unknown.
  public var vpgid: Int64 = -1

  /// The kernel's command name, at most 15 bytes (`proc.name`): the executable's base name
  /// after an exec, or whatever `prctl(PR_SET_NAME)` set.
  public var name: String = ""
  /// `argv[0]` as passed to exec (`proc.exe`).
  public var exe: String = ""
  /// The full path of the executable file (`proc.exepath`), symlinks resolved by the kernel.
  public var exePath: String = ""
  /// `argv[1...]` (`proc.args`; `proc.cmdline` is `name` followed by these).
  public var args: [String] = []
  /// The current working directory (`proc.cwd`).
  public var cwd: String = ""
  /// The environment, `NAME=value` strings (`proc.env`); empty when the source does not see it
  /// (audit never does).
  public var environment: [String] = []
  /// The inode of the executable file (`proc.exe_ino`), when known.
  public var exeInode: UInt64?

  /// The controlling terminal's device number (`proc.tty`), in the kernel's `new_encode_dev`
  /// form (`pts/0` is 34816); 0 for none.
  public var tty: UInt32 = 0
  /// The login user ID (`user.loginuid`), which survives `su` and `sudo`; unset is 4294967295.
  public var loginUID: UInt32 = ThreadInfo.unsetID
  /// The audit session ID the kernel gave the login (`ses=`); unset is 4294967295.
  public var auditSessionID: UInt32 = ThreadInfo.unsetID

  /// Real user ID.
  public var uid: UInt32 = ThreadInfo.unsetID
  /// Effective user ID (`user.uid` in Falco is the effective one a process runs as).
  public var euid: UInt32 = ThreadInfo.unsetID
  /// Saved set-user-ID.
  public var suid: UInt32 = ThreadInfo.unsetID
  /// File-system user ID.
  public var fsuid: UInt32 = ThreadInfo.unsetID
  /// Real group ID.
  public var gid: UInt32 = ThreadInfo.unsetID
  /// Effective group ID (`group.gid`).
  public var egid: UInt32 = ThreadInfo.unsetID
  /// Saved set-group-ID.
  public var sgid: UInt32 = ThreadInfo.unsetID
  /// File-system group ID.
  public var fsgid: UInt32 = ThreadInfo.unsetID

  /// Permitted capabilities as a bit mask (bit N is capability N, `CAP_CHOWN` is bit 0)
  /// (`thread.cap_permitted`), when known.
  public var capPermitted: UInt64?
  /// Effective capabilities (`thread.cap_effective`), when known.
  public var capEffective: UInt64?
  /// Inheritable capabilities (`thread.cap_inheritable`), when known.
  public var capInheritable: UInt64?

  /// When the process was created, in nanoseconds since the epoch (`proc.duration` is the
  /// event time minus this); the first time a source saw it when the creation is unknown;
  /// 0 when never set.
  public var startTime: UInt64 = 0
  /// When the process last called exec successfully, in nanoseconds since the epoch; 0 if unknown.
  public var execTime: UInt64 = 0

  /// The container ID (`container.id`): empty for the host, or the 12-character short ID.
  public var containerID: String = ""
  /// The cgroup paths per controller (`thread.cgroups`, `thread.cgroup[cpu]`); cgroup v2 has
  /// one entry with an empty controller name.
  public var cgroups: [CGroupEntry] = []

  /// The parent's state, linked by the ``ProcessTable``; nil when unknown or not linked.
  ///
  /// Releasing a chain recurses once per generation, which is why the process table caps how
  /// many generations it links (``ProcessTable/Limits/maxAncestorDepth``).
  public var parent: ThreadInfo? {
    get { lineage?.parent }
    set { lineage = newValue.map(ThreadLineage.init) }
  }
  /// The shared box holding `parent`; the process table hands the same box to every event of
  /// a process until the table changes, so linking costs no copy.
  var lineage: ThreadLineage?

  /// Creates thread information with every field unknown.
  public init() {}

  /// The Nth ancestor: 0 is this thread, 1 the parent, 2 the grandparent (`proc.aname[N]`);
  /// nil beyond what the process table linked.
  public func ancestor(_ generation: Int) -> ThreadInfo? {
    guard generation >= 0 else { return nil }
    var current: ThreadInfo? = self
    var remaining = generation
    while remaining > 0, let thread = current {
      current = thread.parent
      remaining -= 1
    }
    return current
  }

  /// Calls `body` with the Nth ancestor (0 is this thread, 1 the parent) lent in place, or
  /// returns nil beyond what the process table linked.
  ///
  /// Unlike ``ancestor(_:)`` and ``parent``, this copies no record: the walk follows the shared
  /// parent boxes, so reading one field of a grandparent costs that field's copy only.
  @inlinable
  public func withAncestor<Result>(_ generation: Int, _ body: (borrowing ThreadInfo) throws -> Result) rethrows -> Result? {
    guard generation >= 0 else { return nil }
    if generation == 0 { return try body(self) }
    guard let box = _ancestorBox(generation) else { return nil }
    return try box._withParent(body)
  }

  /// Calls `body` with each linked ancestor from the parent up, lent in place (no record
  /// copies), until `body` returns false.
  @inlinable
  public func forEachAncestor(_ body: (borrowing ThreadInfo) throws -> Bool) rethrows {
    var box = _parentBox
    while let current = box {
      guard try current._withParent(body) else { return }
      box = current._grandparentBox
    }
  }

  /// Whether a parent is linked, without copying it.
  public var hasParent: Bool { lineage != nil }

  /// The box holding generation `generation` (>= 1); an implementation detail of
  /// ``withAncestor(_:_:)``.
  @usableFromInline
  func _ancestorBox(_ generation: Int) -> ThreadLineage? {
    var box = lineage
    var remaining = generation - 1
    while remaining > 0, let current = box {
      box = current.parent.lineage
      remaining -= 1
    }
    return box
  }

  /// The parent's box; an implementation detail of ``forEachAncestor(_:)``.
  @usableFromInline
  var _parentBox: ThreadLineage? { lineage }

  /// How many ancestors are linked above this thread.
  public var linkedAncestorCount: Int {
    var count = 0
    var current = parent
    while let thread = current {
      count += 1
      current = thread.parent
    }
    return count
  }
}

/// An immutable box around a parent's state, so `ThreadInfo` can refer to another `ThreadInfo`.
@usableFromInline
final class ThreadLineage: Sendable, Hashable {
  let parent: ThreadInfo

  init(_ parent: ThreadInfo) { self.parent = parent }

  /// Lends the parent's state to `body` without copying it.
  @usableFromInline
  func _withParent<Result>(_ body: (borrowing ThreadInfo) throws -> Result) rethrows -> Result {
    try body(parent)
  }

  /// The box above this one (the grandparent of the thread that links here).
  @usableFromInline
  var _grandparentBox: ThreadLineage? { parent.lineage }

  @usableFromInline
  static func == (lhs: ThreadLineage, rhs: ThreadLineage) -> Bool {
    lhs === rhs || lhs.parent == rhs.parent
  }

  @usableFromInline
  func hash(into hasher: inout Hasher) { hasher.combine(parent) }
}
