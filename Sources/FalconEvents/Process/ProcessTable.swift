/// The processes Falcon knows about, by process ID: what every event's ``ThreadInfo`` is merged
/// with, and where `proc.pname` and `proc.aname[N]` get their answers.
///
/// Feed it every event in order with ``apply(_:)``; lifecycle sources add ``fork(parentPID:childPID:time:)``,
/// ``exit(pid:time:)`` and ``insert(_:)`` (a `/proc` scan). `apply` records what the event says
/// about its process (credentials, name, working directory, and on a successful exec the new
/// argv and capabilities), then completes the event's thread from the table: the full argv of
/// the last exec (an audit event that is not an exec carries only the kernel's 128-byte
/// `PROCTITLE`), the start time, and the chain of ancestors linked through ``ThreadInfo/parent``.
///
/// The table keys processes by process ID (thread-group ID); threads of one process share it.
///
/// ## Bounds and eviction
///
/// Every structure is bounded by ``Limits``:
/// - **Live processes** (`maxLiveProcesses`, default 65,536). An audit-only feed never sees a
///   process exit, so entries only leave when their PID is reused or by eviction: when the table
///   grows past the cap, the eighth of the entries seen least recently (by event time) is dropped.
/// - **Exited processes** (`maxExitedProcesses`, default 4,096, and `exitedRetention`, default
///   30 s of event time). An exited process stays findable as an ancestor, so
///   `proc.aname[2]` still answers after a shell that started a pipeline exits. The oldest exit
///   is forgotten first, when the cap is reached or its retention has passed.
/// - **Ancestor depth** (`maxAncestorDepth`, default 32 generations): how far ``ancestors(of:)``
///   walks and how many parents an event's thread links. Walks also stop at a PID seen twice
///   (a hostile or corrupt `ppid` cycle).
///
/// A PID can be reused after its process exits. When both are known, a candidate parent must
/// have started no later than its child (times from `fork` or a `/proc` scan; a process first
/// met in an audit record has no exact start), otherwise the exited process with that PID is used.
public struct ProcessTable: Sendable {
  /// The table's bounds; see the type's documentation for the eviction policy.
  public struct Limits: Sendable, Hashable {
    /// Most live processes kept.
    public var maxLiveProcesses: Int
    /// Most exited processes kept for ancestor lookups.
    public var maxExitedProcesses: Int
    /// How long (event time, nanoseconds) an exited process is kept.
    public var exitedRetention: UInt64
    /// Most generations walked or linked above a process.
    public var maxAncestorDepth: Int

    /// The defaults: 65,536 live, 4,096 exited kept 30 s, 32 generations.
    public static let `default` = Limits()

    /// Creates limits; each value is clamped to at least 1.
    public init(
      maxLiveProcesses: Int = 65_536, maxExitedProcesses: Int = 4_096,
      exitedRetention: UInt64 = 30_000_000_000, maxAncestorDepth: Int = 32
    ) {
      self.maxLiveProcesses = max(1, maxLiveProcesses)
      self.maxExitedProcesses = max(1, maxExitedProcesses)
      self.exitedRetention = exitedRetention
      self.maxAncestorDepth = max(1, maxAncestorDepth)
    }
  }

  /// Counters of what the table did, for diagnostics and tests.
  public struct Statistics: Sendable, Hashable {
    /// Live entries dropped because the table was full.
    public var evictedLive = 0
    /// Exited entries forgotten (cap or retention).
    public var evictedExited = 0
    /// Walks stopped early by a PID cycle.
    public var cyclesDetected = 0
  }

  private struct Entry: Sendable {
    /// The process's state, without parent links.
    var info: ThreadInfo
    /// Event time of the last event or lifecycle change that mentioned the process.
    var lastSeen: UInt64
    /// Whether `info.startTime` is the real creation time (fork or `/proc` scan).
    var exactStart: Bool
    /// Whether `info.exe`/`info.args` come from an exec (or `/proc/PID/cmdline`), rather than
    /// from a truncated `PROCTITLE`.
    var hasExecArguments: Bool
    /// Event time of the exit, for exited entries.
    var exitTime: UInt64 = 0
    /// The parent with its ancestors linked, valid while `linkedVersion == ProcessTable.version`.
    var linkedParent: ThreadLineage?
    var linkedVersion: UInt64 = 0
  }

  /// The bounds this table enforces.
  public let limits: Limits
  /// What the table did so far.
  public private(set) var statistics = Statistics()

  private var live: [Int64: Entry] = [:]
  private var exited: [Int64: Entry] = [:]
  /// Exits in the order they happened: (pid, exit time). Stale pairs (the PID exited again, or
  /// was forgotten) are skipped when popped.
  private var exitOrder: [(pid: Int64, time: UInt64)] = []
  private var exitOrderHead = 0
  /// Bumped whenever any entry changes, which invalidates every cached parent chain.
  private var version: UInt64 = 1
  /// The newest event time seen, the clock for exited-entry retention.
  private var now: UInt64 = 0

  /// Creates an empty table.
  public init(limits: Limits = .default) {
    self.limits = limits
  }

  /// How many live processes the table holds.
  public var count: Int { live.count }
  /// How many exited processes are kept for ancestor lookups.
  public var exitedCount: Int { exited.count }

  /// The state of live process `pid`, or of the exited process with that PID when no live one
  /// exists; without parent links.
  public func thread(_ pid: Int64) -> ThreadInfo? {
    live[pid]?.info ?? exited[pid]?.info
  }

  /// Whether process `pid` exited (and is still remembered) rather than live.
  public func hasExited(_ pid: Int64) -> Bool { live[pid] == nil && exited[pid] != nil }

  /// The ancestors of process `pid`, parent first, at most `maxAncestorDepth` of them, each
  /// without parent links.
  public func ancestors(of pid: Int64) -> [ThreadInfo] {
    guard let entry = live[pid] ?? exited[pid] else { return [] }
    var statistics = self.statistics
    return ancestorChain(of: entry, statistics: &statistics).map(\.info)
  }

  // MARK: - Events

  /// Records what `event` says about its process and completes `event.thread` from the table.
  ///
  /// A successful `execve`/`execveat` replaces the process's argv, executable and capabilities
  /// and sets its exec time. Every event refreshes the credentials, command name, executable
  /// path, terminal, login ID and (when it carries one) working directory. Then the event's
  /// thread gets what it lacks: the argv of the last exec (replacing a `PROCTITLE` rendering),
  /// start and exec times, capabilities, container, environment, and its linked ancestors.
  /// Events without a process ID (`pid <= 0`) are left as they are.
  public mutating func apply(_ event: inout Event) {
    let incoming = event.thread
    let pid = incoming.pid
    guard pid > 0 else { return }
    if event.timestamp > now { now = event.timestamp }
    let isExec = event.type.isExec && !event.failed && event.direction == .exit

    var entry: Entry
    if var existing = live[pid] {
      if merge(incoming, into: &existing, isExec: isExec, time: event.timestamp) { bumpVersion() }
      existing.lastSeen = event.timestamp
      entry = existing
    } else {
      var info = incoming
      info.parent = nil
      if info.startTime == 0 { info.startTime = event.timestamp }
      if isExec { info.execTime = event.timestamp }
      entry = Entry(
        info: info, lastSeen: event.timestamp, exactStart: false, hasExecArguments: isExec)
      bumpVersion()
    }

    var thread = incoming
    if entry.hasExecArguments && !isExec {
      thread.exe = entry.info.exe
      thread.copyArguments(from: entry.info)
    }
    if thread.startTime == 0 { thread.startTime = entry.info.startTime }
    if thread.execTime == 0 { thread.execTime = entry.info.execTime }
    if thread.cwd.isEmpty { thread.cwd = entry.info.cwd }
    if thread.capPermitted == nil { thread.capPermitted = entry.info.capPermitted }
    if thread.capEffective == nil { thread.capEffective = entry.info.capEffective }
    if thread.capInheritable == nil { thread.capInheritable = entry.info.capInheritable }
    if thread.exeInode == nil { thread.exeInode = entry.info.exeInode }
    if thread.containerID.isEmpty { thread.containerID = entry.info.containerID }
    if thread.cgroups.isEmpty { thread.cgroups = entry.info.cgroups }
    if thread.environment.isEmpty { thread.environment = entry.info.environment }
    if thread.vpid < 0 { thread.vpid = entry.info.vpid }
    if thread.vtid < 0 { thread.vtid = entry.info.vtid }
    if thread.sid < 0 { thread.sid = entry.info.sid }
    if thread.pgid < 0 { thread.pgid = entry.info.pgid }
    if thread.vpgid < 0 { thread.vpgid = entry.info.vpgid }

    storeLive(pid, entry)
    thread.lineage = linkedParent(ofLive: pid)
    event.thread = thread
  }

  /// Copies what `incoming` knows into `entry`; returns whether anything changed.
  private func merge(_ incoming: ThreadInfo, into entry: inout Entry, isExec: Bool, time: UInt64)
    -> Bool
  {
    var info = entry.info
    var changed = false
    func update<Value: Equatable>(_ keyPath: WritableKeyPath<ThreadInfo, Value>, _ value: Value) {
      if info[keyPath: keyPath] != value {
        info[keyPath: keyPath] = value
        changed = true
      }
    }
    func updateArguments() {
      if info.args != incoming.args {
        info.copyArguments(from: incoming)
        changed = true
      }
    }
    if incoming.ppid >= 0 { update(\.ppid, incoming.ppid) }
    if !incoming.name.isEmpty { update(\.name, incoming.name) }
    if !incoming.exePath.isEmpty { update(\.exePath, incoming.exePath) }
    if !incoming.cwd.isEmpty { update(\.cwd, incoming.cwd) }
    if incoming.uid != ThreadInfo.unsetID || incoming.euid != ThreadInfo.unsetID {
      update(\.uid, incoming.uid)
      update(\.euid, incoming.euid)
      update(\.suid, incoming.suid)
      update(\.fsuid, incoming.fsuid)
      update(\.gid, incoming.gid)
      update(\.egid, incoming.egid)
      update(\.sgid, incoming.sgid)
      update(\.fsgid, incoming.fsgid)
    }
    update(\.tty, incoming.tty)
    update(\.loginUID, incoming.loginUID)
    update(\.auditSessionID, incoming.auditSessionID)
    if isExec {
      update(\.exe, incoming.exe)
      updateArguments()
      update(\.execTime, time)
      update(\.exeInode, incoming.exeInode)
      update(\.capPermitted, incoming.capPermitted)
      update(\.capEffective, incoming.capEffective)
      update(\.capInheritable, incoming.capInheritable)
      if !entry.hasExecArguments {
        entry.hasExecArguments = true
        changed = true
      }
    } else if !entry.hasExecArguments && info.args.isEmpty && info.exe.isEmpty {
      // Until an exec is seen, remember the best argv there is (PROCTITLE) for ancestors.
      update(\.exe, incoming.exe)
      updateArguments()
    }
    if !incoming.containerID.isEmpty { update(\.containerID, incoming.containerID) }
    if !incoming.cgroups.isEmpty { update(\.cgroups, incoming.cgroups) }
    entry.info = info
    return changed
  }

  // MARK: - Lifecycle

  /// Records that `parentPID` forked `childPID` at `time` (nanoseconds since the epoch): the
  /// child starts as a copy of the parent (same executable, argv, credentials), as after
  /// `fork(2)`. A live process already holding `childPID` is treated as exited first (its exit
  /// was missed). Thread creation (a new thread in an existing process) is not a fork here.
  public mutating func fork(parentPID: Int64, childPID: Int64, time: UInt64) {
    guard childPID > 0 else { return }
    if time > now { now = time }
    if live[childPID] != nil { exit(pid: childPID, time: time) }
    var info: ThreadInfo
    var hasExecArguments = false
    if let parent = live[parentPID] {
      info = parent.info
      hasExecArguments = parent.hasExecArguments
    } else {
      info = ThreadInfo()
    }
    info.pid = childPID
    info.tid = childPID
    info.ppid = parentPID
    info.vpid = -1
    info.vtid = -1
    info.startTime = time
    storeLive(
      childPID,
      Entry(info: info, lastSeen: time, exactStart: true, hasExecArguments: hasExecArguments))
    bumpVersion()
  }

  /// Adds or replaces a process found by a `/proc` scan (or built by a capture source). Its
  /// argv counts as the exec'd one, and its `startTime`, when set, as the real creation time.
  public mutating func insert(_ thread: ThreadInfo) {
    guard thread.pid > 0 else { return }
    var info = thread
    info.parent = nil
    let seen = max(info.startTime, info.execTime)
    if seen > now { now = seen }
    storeLive(
      thread.pid,
      Entry(
        info: info, lastSeen: max(seen, now), exactStart: info.startTime != 0,
        hasExecArguments: true))
    bumpVersion()
  }

  /// Records that process `pid` exited at `time`. It moves to the exited set, where it stays
  /// findable as an ancestor until the exited cap or retention removes it.
  public mutating func exit(pid: Int64, time: UInt64) {
    if time > now { now = time }
    guard var entry = live.removeValue(forKey: pid) else { return }
    entry.exitTime = time
    entry.linkedParent = nil
    entry.linkedVersion = 0
    exited[pid] = entry
    exitOrder.append((pid, time))
    bumpVersion()
    forgetOldExits()
  }

  // MARK: - Bounds

  private mutating func storeLive(_ pid: Int64, _ entry: Entry) {
    let isNew = live.updateValue(entry, forKey: pid) == nil
    if isNew && live.count > limits.maxLiveProcesses { evictLeastRecentlySeen() }
    if !exited.isEmpty { forgetOldExits() }
  }

  /// Drops the eighth of live entries seen least recently (at least one). Sorting once per
  /// eviction keeps the amortized cost per insertion at O(log n).
  private mutating func evictLeastRecentlySeen() {
    let excess = live.count - limits.maxLiveProcesses
    let target = max(excess, max(1, limits.maxLiveProcesses / 8))
    let victims = live.sorted { $0.value.lastSeen < $1.value.lastSeen }.prefix(target)
    for (pid, _) in victims { live.removeValue(forKey: pid) }
    statistics.evictedLive += victims.count
    bumpVersion()
  }

  /// Forgets exited entries beyond the cap or older than the retention, oldest exit first.
  private mutating func forgetOldExits() {
    var removedAny = false
    while exitOrderHead < exitOrder.count {
      let (pid, time) = exitOrder[exitOrderHead]
      let current = exited[pid]
      let stale = current == nil || current?.exitTime != time
      let expired = time &+ limits.exitedRetention < now
      if !stale && !expired && exited.count <= limits.maxExitedProcesses { break }
      if !stale {
        exited.removeValue(forKey: pid)
        statistics.evictedExited += 1
        removedAny = true
      }
      exitOrderHead += 1
    }
    if exitOrderHead > 64 && exitOrderHead * 2 > exitOrder.count {
      exitOrder.removeFirst(exitOrderHead)
      exitOrderHead = 0
    }
    if removedAny { bumpVersion() }
  }

  private mutating func bumpVersion() { version &+= 1 }

  // MARK: - Ancestors

  /// The entry that is `child`'s parent: the live process with PID `ppid`, unless it is known to
  /// have started after the child (a reused PID), in which case the exited one with that PID.
  private func parentEntry(of child: Entry) -> Entry? {
    let ppid = child.info.ppid
    guard ppid > 0, ppid != child.info.pid else { return nil }
    if let candidate = live[ppid] {
      let reused =
        candidate.exactStart && child.exactStart && candidate.info.startTime > child.info.startTime
      if !reused { return candidate }
    }
    return exited[ppid]
  }

  /// Ancestors of `entry`, parent first, stopping at the depth limit, an unknown parent, or a
  /// PID already on the path.
  private func ancestorChain(of entry: Entry, statistics: inout Statistics) -> [Entry] {
    var chain: [Entry] = []
    var visited: [Int64] = [entry.info.pid]
    var current = entry
    while chain.count < limits.maxAncestorDepth, let parent = parentEntry(of: current) {
      if visited.contains(parent.info.pid) {
        statistics.cyclesDetected += 1
        break
      }
      visited.append(parent.info.pid)
      chain.append(parent)
      current = parent
    }
    return chain
  }

  /// The parent of live process `pid` with its own ancestors linked, cached until the table
  /// changes. Chains are built fresh from the farthest ancestor down, so a chain never holds
  /// more than `maxAncestorDepth` generations.
  private mutating func linkedParent(ofLive pid: Int64) -> ThreadLineage? {
    guard var entry = live[pid] else { return nil }
    if entry.linkedVersion == version { return entry.linkedParent }
    let chain = ancestorChain(of: entry, statistics: &statistics)
    var link: ThreadInfo?
    for ancestor in chain.reversed() {
      var info = ancestor.info
      info.parent = link
      link = info
    }
    let box = link.map(ThreadLineage.init)
    entry.linkedParent = box
    entry.linkedVersion = version
    live[pid] = entry
    return box
  }
}
