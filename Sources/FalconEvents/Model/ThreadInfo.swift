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

  /// The stored fields of a ``ThreadInfo``, behind one shared reference.
  @usableFromInline
  struct Record: Hashable {
    @usableFromInline var tid: Int64 = -1
    @usableFromInline var pid: Int64 = -1
    @usableFromInline var ppid: Int64 = -1
    @usableFromInline var vtid: Int64 = -1
    @usableFromInline var vpid: Int64 = -1
    @usableFromInline var sid: Int64 = -1
    @usableFromInline var pgid: Int64 = -1
    @usableFromInline var vpgid: Int64 = -1
    @usableFromInline var name: String = ""
    @usableFromInline var exe: String = ""
    @usableFromInline var exePath: String = ""
    @usableFromInline var args: [String] = []
    /// `args` joined with single spaces, kept with them so `proc.args` and `proc.cmdline`
    /// are read without joining per event.
    @usableFromInline var argumentLine: String = ""
    @usableFromInline var cwd: String = ""
    @usableFromInline var environment: [String] = []
    @usableFromInline var exeInode: UInt64?
    @usableFromInline var tty: UInt32 = 0
    @usableFromInline var loginUID: UInt32 = ThreadInfo.unsetID
    @usableFromInline var auditSessionID: UInt32 = ThreadInfo.unsetID
    @usableFromInline var uid: UInt32 = ThreadInfo.unsetID
    @usableFromInline var euid: UInt32 = ThreadInfo.unsetID
    @usableFromInline var suid: UInt32 = ThreadInfo.unsetID
    @usableFromInline var fsuid: UInt32 = ThreadInfo.unsetID
    @usableFromInline var gid: UInt32 = ThreadInfo.unsetID
    @usableFromInline var egid: UInt32 = ThreadInfo.unsetID
    @usableFromInline var sgid: UInt32 = ThreadInfo.unsetID
    @usableFromInline var fsgid: UInt32 = ThreadInfo.unsetID
    @usableFromInline var capPermitted: UInt64?
    @usableFromInline var capEffective: UInt64?
    @usableFromInline var capInheritable: UInt64?
    @usableFromInline var startTime: UInt64 = 0
    @usableFromInline var execTime: UInt64 = 0
    @usableFromInline var containerID: String = ""
    @usableFromInline var cgroups: [CGroupEntry] = []
    @usableFromInline var lineage: ThreadLineage?
  }

  /// The record's box: copying a `ThreadInfo` retains this one reference rather than each of
  /// its strings and arrays; writes copy the record first when the box is shared.
  @usableFromInline
  final class Storage: @unchecked Sendable {
    // Mutated only through `makeUnique()`, i.e. when uniquely referenced (copy-on-write).
    @exclusivity(unchecked) @usableFromInline var record: Record
    init(_ record: Record) { self.record = record }
  }

  @usableFromInline var storage = Storage(Record())

  /// Gives this value its own box before a write.
  private mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.record) }
  }

  public static func == (lhs: ThreadInfo, rhs: ThreadInfo) -> Bool {
    lhs.storage === rhs.storage || lhs.storage.record == rhs.storage.record
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(storage.record) }

  /// Thread ID (`thread.tid`). Audit reports only the process ID, so this equals `pid` there.
  public var tid: Int64 {
    @inlinable get { storage.record.tid }
    set { makeUnique(); storage.record.tid = newValue }
    _modify { makeUnique(); yield &storage.record.tid }
  }
  /// Process (thread-group) ID (`proc.pid`).
  public var pid: Int64 {
    @inlinable get { storage.record.pid }
    set { makeUnique(); storage.record.pid = newValue }
    _modify { makeUnique(); yield &storage.record.pid }
  }
  /// Parent process ID (`proc.ppid`).
  public var ppid: Int64 {
    @inlinable get { storage.record.ppid }
    set { makeUnique(); storage.record.ppid = newValue }
    _modify { makeUnique(); yield &storage.record.ppid }
  }
  /// Thread ID inside the thread's PID namespace (`thread.vtid`), -1 when unknown.
  public var vtid: Int64 {
    @inlinable get { storage.record.vtid }
    set { makeUnique(); storage.record.vtid = newValue }
    _modify { makeUnique(); yield &storage.record.vtid }
  }
  /// Process ID inside the process's PID namespace (`proc.vpid`), -1 when unknown.
  public var vpid: Int64 {
    @inlinable get { storage.record.vpid }
    set { makeUnique(); storage.record.vpid = newValue }
    _modify { makeUnique(); yield &storage.record.vpid }
  }
  /// Session ID (`proc.sid`), -1 when unknown.
  public var sid: Int64 {
    @inlinable get { storage.record.sid }
    set { makeUnique(); storage.record.sid = newValue }
    _modify { makeUnique(); yield &storage.record.sid }
  }
  /// Process group ID (`proc.pgid`), -1 when unknown.
  public var pgid: Int64 {
    @inlinable get { storage.record.pgid }
    set { makeUnique(); storage.record.pgid = newValue }
    _modify { makeUnique(); yield &storage.record.pgid }
  }
  /// Process group ID inside the PID namespace (`proc.vpgid`), -1 when unknown.
  public var vpgid: Int64 {
    @inlinable get { storage.record.vpgid }
    set { makeUnique(); storage.record.vpgid = newValue }
    _modify { makeUnique(); yield &storage.record.vpgid }
  }

  /// The kernel's command name, at most 15 bytes (`proc.name`): the executable's base name
  /// after an exec, or whatever `prctl(PR_SET_NAME)` set.
  public var name: String {
    @inlinable get { storage.record.name }
    set { makeUnique(); storage.record.name = newValue }
    _modify { makeUnique(); yield &storage.record.name }
  }
  /// Lends ``name`` to `body` in place.
  public func withName<Result>(_ body: (borrowing String) throws -> Result) rethrows -> Result {
    try body(storage.record.name)
  }

  /// `argv[0]` as passed to exec (`proc.exe`).
  public var exe: String {
    @inlinable get { storage.record.exe }
    set { makeUnique(); storage.record.exe = newValue }
    _modify { makeUnique(); yield &storage.record.exe }
  }
  /// The full path of the executable file (`proc.exepath`), symlinks resolved by the kernel.
  public var exePath: String {
    @inlinable get { storage.record.exePath }
    set { makeUnique(); storage.record.exePath = newValue }
    _modify { makeUnique(); yield &storage.record.exePath }
  }
  /// `argv[1...]` (`proc.args`; `proc.cmdline` is `name` followed by these).
  public var args: [String] {
    @inlinable get { storage.record.args }
    set {
      makeUnique()
      storage.record.args = newValue
      storage.record.argumentLine = ThreadInfo.spaceJoined(newValue)
    }
    _modify {
      makeUnique()
      yield &storage.record.args
      storage.record.argumentLine = ThreadInfo.spaceJoined(storage.record.args)
    }
  }

  /// `parts` joined with single spaces, written into one allocation (`joined(separator:)`
  /// grows its result as it goes; this runs on every exec the decoder reads).
  static func spaceJoined(_ parts: [String]) -> String {
    guard parts.count > 1 else { return parts.first ?? "" }
    var total = parts.count - 1
    for part in parts { total += part.utf8.count }
    return String(unsafeUninitializedCapacity: total) { buffer in
      var offset = 0
      for (index, part) in parts.enumerated() {
        if index > 0 {
          buffer[offset] = 0x20
          offset += 1
        }
        var part = part
        part.withUTF8 { bytes in
          for byte in bytes {
            buffer[offset] = byte
            offset += 1
          }
        }
      }
      return offset
    }
  }

  /// The arguments joined with single spaces (`proc.args`), kept up to date with ``args``.
  @inlinable public var argumentLine: String { storage.record.argumentLine }

  /// Sets the arguments with their joined form, already built by the caller.
  mutating func setArguments(_ args: [String], line: String) {
    makeUnique()
    storage.record.args = args
    storage.record.argumentLine = line
  }

  /// Takes `other`'s arguments (and their joined form, without joining again).
  public mutating func copyArguments(from other: ThreadInfo) {
    makeUnique()
    storage.record.args = other.storage.record.args
    storage.record.argumentLine = other.storage.record.argumentLine
  }
  /// The current working directory (`proc.cwd`).
  public var cwd: String {
    @inlinable get { storage.record.cwd }
    set { makeUnique(); storage.record.cwd = newValue }
    _modify { makeUnique(); yield &storage.record.cwd }
  }
  /// The environment, `NAME=value` strings (`proc.env`); empty when the source does not see it
  /// (audit never does).
  public var environment: [String] {
    @inlinable get { storage.record.environment }
    set { makeUnique(); storage.record.environment = newValue }
    _modify { makeUnique(); yield &storage.record.environment }
  }
  /// The inode of the executable file (`proc.exe_ino`), when known.
  public var exeInode: UInt64? {
    @inlinable get { storage.record.exeInode }
    set { makeUnique(); storage.record.exeInode = newValue }
    _modify { makeUnique(); yield &storage.record.exeInode }
  }

  /// The controlling terminal's device number (`proc.tty`), in the kernel's `new_encode_dev`
  /// form (`pts/0` is 34816); 0 for none.
  public var tty: UInt32 {
    @inlinable get { storage.record.tty }
    set { makeUnique(); storage.record.tty = newValue }
    _modify { makeUnique(); yield &storage.record.tty }
  }
  /// The login user ID (`user.loginuid`), which survives `su` and `sudo`; unset is 4294967295.
  public var loginUID: UInt32 {
    @inlinable get { storage.record.loginUID }
    set { makeUnique(); storage.record.loginUID = newValue }
    _modify { makeUnique(); yield &storage.record.loginUID }
  }
  /// The audit session ID the kernel gave the login (`ses=`); unset is 4294967295.
  public var auditSessionID: UInt32 {
    @inlinable get { storage.record.auditSessionID }
    set { makeUnique(); storage.record.auditSessionID = newValue }
    _modify { makeUnique(); yield &storage.record.auditSessionID }
  }

  /// Real user ID.
  public var uid: UInt32 {
    @inlinable get { storage.record.uid }
    set { makeUnique(); storage.record.uid = newValue }
    _modify { makeUnique(); yield &storage.record.uid }
  }
  /// Effective user ID (`user.uid` in Falco is the effective one a process runs as).
  public var euid: UInt32 {
    @inlinable get { storage.record.euid }
    set { makeUnique(); storage.record.euid = newValue }
    _modify { makeUnique(); yield &storage.record.euid }
  }
  /// Saved set-user-ID.
  public var suid: UInt32 {
    @inlinable get { storage.record.suid }
    set { makeUnique(); storage.record.suid = newValue }
    _modify { makeUnique(); yield &storage.record.suid }
  }
  /// File-system user ID.
  public var fsuid: UInt32 {
    @inlinable get { storage.record.fsuid }
    set { makeUnique(); storage.record.fsuid = newValue }
    _modify { makeUnique(); yield &storage.record.fsuid }
  }
  /// Real group ID.
  public var gid: UInt32 {
    @inlinable get { storage.record.gid }
    set { makeUnique(); storage.record.gid = newValue }
    _modify { makeUnique(); yield &storage.record.gid }
  }
  /// Effective group ID (`group.gid`).
  public var egid: UInt32 {
    @inlinable get { storage.record.egid }
    set { makeUnique(); storage.record.egid = newValue }
    _modify { makeUnique(); yield &storage.record.egid }
  }
  /// Saved set-group-ID.
  public var sgid: UInt32 {
    @inlinable get { storage.record.sgid }
    set { makeUnique(); storage.record.sgid = newValue }
    _modify { makeUnique(); yield &storage.record.sgid }
  }
  /// File-system group ID.
  public var fsgid: UInt32 {
    @inlinable get { storage.record.fsgid }
    set { makeUnique(); storage.record.fsgid = newValue }
    _modify { makeUnique(); yield &storage.record.fsgid }
  }

  /// Permitted capabilities as a bit mask (bit N is capability N, `CAP_CHOWN` is bit 0)
  /// (`thread.cap_permitted`), when known.
  public var capPermitted: UInt64? {
    @inlinable get { storage.record.capPermitted }
    set { makeUnique(); storage.record.capPermitted = newValue }
    _modify { makeUnique(); yield &storage.record.capPermitted }
  }
  /// Effective capabilities (`thread.cap_effective`), when known.
  public var capEffective: UInt64? {
    @inlinable get { storage.record.capEffective }
    set { makeUnique(); storage.record.capEffective = newValue }
    _modify { makeUnique(); yield &storage.record.capEffective }
  }
  /// Inheritable capabilities (`thread.cap_inheritable`), when known.
  public var capInheritable: UInt64? {
    @inlinable get { storage.record.capInheritable }
    set { makeUnique(); storage.record.capInheritable = newValue }
    _modify { makeUnique(); yield &storage.record.capInheritable }
  }

  /// When the process was created, in nanoseconds since the epoch (`proc.duration` is the
  /// event time minus this); the first time a source saw it when the creation is unknown;
  /// 0 when never set.
  public var startTime: UInt64 {
    @inlinable get { storage.record.startTime }
    set { makeUnique(); storage.record.startTime = newValue }
    _modify { makeUnique(); yield &storage.record.startTime }
  }
  /// When the process last called exec successfully, in nanoseconds since the epoch; 0 if unknown.
  public var execTime: UInt64 {
    @inlinable get { storage.record.execTime }
    set { makeUnique(); storage.record.execTime = newValue }
    _modify { makeUnique(); yield &storage.record.execTime }
  }

  /// The container ID (`container.id`): empty for the host, or the 12-character short ID.
  public var containerID: String {
    @inlinable get { storage.record.containerID }
    set { makeUnique(); storage.record.containerID = newValue }
    _modify { makeUnique(); yield &storage.record.containerID }
  }
  /// The cgroup paths per controller (`thread.cgroups`, `thread.cgroup[cpu]`); cgroup v2 has
  /// one entry with an empty controller name.
  public var cgroups: [CGroupEntry] {
    @inlinable get { storage.record.cgroups }
    set { makeUnique(); storage.record.cgroups = newValue }
    _modify { makeUnique(); yield &storage.record.cgroups }
  }

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
  var lineage: ThreadLineage? {
    @inlinable get { storage.record.lineage }
    set { makeUnique(); storage.record.lineage = newValue }
  }

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
    // The walk holds the boxes unretained: `self` keeps the whole chain alive (each box holds
    // its parent's record, which holds the next box), and none of it changes meanwhile.
    guard let first = storage.record.lineage.map(Unmanaged.passUnretained) else { return nil }
    var box = first
    var remaining = generation - 1
    while remaining > 0 {
      guard let next = box._withUnsafeGuaranteedRef({ $0.parent.storage.record.lineage.map(Unmanaged.passUnretained) }) else { return nil }
      box = next
      remaining -= 1
    }
    return box.takeUnretainedValue()
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
