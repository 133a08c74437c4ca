#if canImport(Glibc)
  internal import Glibc
#endif
public import PolicyCore
internal import Synchronization

/// IP reputation lists loaded from files, reloaded when the files change, and searched through an
/// immutable snapshot that is swapped atomically.
///
/// Readers call `snapshot` once per request (a lock held for one reference copy) and search the
/// returned `ReputationSet` without any lock, so a reload never blocks lookups for longer than
/// that copy: parsing and building the new trie happen outside the lock.
///
/// Reloading is driven by the caller: `reloadIfChanged()` polls each file's modification time,
/// size and inode and re-reads the ones that changed; `reload()` re-reads all. **A file that fails
/// to read or parse keeps its previous entries**: the error is returned in the report, passed to
/// `onError`, kept as `statistics.lastError`, and counted in `statistics.failedReloads`.
///
/// For SIGHUP: `ReputationStore.installHangupHandler()` installs a handler that only sets a flag
/// (async-signal-safe); the serving loop then calls `reloadIfRequested()`, which reloads every file
/// once after each signal.
public final class ReputationStore: @unchecked Sendable {
  // @unchecked: `state` is only touched under `stateLock`, `sources` only under `reloadLock`.

  /// A list file to load.
  public struct Source: Sendable, Hashable {
    /// The list name verdicts report.
    public var name: String
    /// The file path.
    public var path: String
    /// The file format (detected by default).
    public var format: ReputationList.Format

    /// Creates a source; the name defaults to the file name without extension.
    public init(path: String, name: String? = nil, format: ReputationList.Format = .automatic) {
      self.path = path
      self.name = name ?? ReputationList.defaultName(path: path)
      self.format = format
    }
  }

  /// What one reload did.
  public struct ReloadReport: Sendable {
    /// Names of the lists re-read successfully.
    public var reloaded: [String] = []
    /// Errors of the lists that failed (those keep their previous entries).
    public var failures: [Diagnostic] = []
    /// Whether the snapshot was replaced.
    public var snapshotReplaced: Bool { !reloaded.isEmpty }
  }

  /// Counters since the store was created.
  public struct Statistics: Sendable {
    /// Successful list reloads (after the first load).
    public var reloads = 0
    /// Failed list reloads (old entries kept).
    public var failedReloads = 0
    /// The most recent failure.
    public var lastError: Diagnostic?
  }

  /// A file's identity for change detection.
  struct FileStamp: Hashable {
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int
    var size: Int
    var inode: UInt64
  }

  private struct Loaded {
    var source: Source
    var list: ReputationList
    var stamp: FileStamp?
  }

  private let stateLock = Lock()
  private let reloadLock = Lock()
  private var current: ReputationSet
  private var stats = Statistics()
  private var loaded: [Loaded]
  private let limits: Limits
  private let onError: (@Sendable (Diagnostic) -> Void)?

  /// Loads every source; the first load must succeed.
  /// - Parameters:
  ///   - sources: the list files.
  ///   - limits: input size limit per file.
  ///   - onError: called with each failed reload (a logger, a metric).
  /// - Throws: the first list's error when a file is missing or bad at startup.
  public init(
    sources: [Source], limits: Limits = .default, onError: (@Sendable (Diagnostic) -> Void)? = nil
  ) throws(Diagnostic) {
    var loaded: [Loaded] = []
    for source in sources {
      let stamp = ReputationStore.stamp(path: source.path)
      let list = try ReputationList.load(path: source.path, name: source.name, format: source.format, limits: limits)
      loaded.append(Loaded(source: source, list: list, stamp: stamp))
    }
    self.loaded = loaded
    self.limits = limits
    self.onError = onError
    self.current = ReputationSet(lists: loaded.map(\.list))
  }

  /// The current immutable set; search it without holding anything.
  public var snapshot: ReputationSet {
    stateLock.withLock { current }
  }

  /// Counters and the last error.
  public var statistics: Statistics {
    stateLock.withLock { stats }
  }

  /// Re-reads the files whose modification time, size or inode changed since they were loaded.
  @discardableResult
  public func reloadIfChanged() -> ReloadReport {
    reload(onlyChanged: true)
  }

  /// Re-reads every file.
  @discardableResult
  public func reload() -> ReloadReport {
    reload(onlyChanged: false)
  }

  /// Reloads every file if SIGHUP arrived since the last call (see `installHangupHandler()`);
  /// `nil` when no signal came.
  @discardableResult
  public func reloadIfRequested() -> ReloadReport? {
    guard hangupGeneration.load(ordering: .acquiring) != lastHangupSeen.load(ordering: .relaxed) else { return nil }
    lastHangupSeen.store(hangupGeneration.load(ordering: .acquiring), ordering: .relaxed)
    return reload()
  }

  private let lastHangupSeen = Atomic<Int>(0)

  /// Installs a SIGHUP handler that only bumps a counter; `reloadIfRequested()` acts on it.
  public static func installHangupHandler() {
    signal(SIGHUP) { _ in hangupGeneration.add(1, ordering: .releasing) }
  }

  private func reload(onlyChanged: Bool) -> ReloadReport {
    reloadLock.withLock {
      var report = ReloadReport()
      for index in loaded.indices {
        let source = loaded[index].source
        let stamp = ReputationStore.stamp(path: source.path)
        if onlyChanged, stamp == loaded[index].stamp { continue }
        do throws(Diagnostic) {
          let list = try ReputationList.load(
            path: source.path, name: source.name, format: source.format, limits: limits)
          loaded[index].list = list
          loaded[index].stamp = stamp
          report.reloaded.append(source.name)
        } catch {
          // Keep the old entries. Remember the stamp so an unchanged bad file is not re-read
          // (and re-reported) on every poll; a fixed file changes the stamp again.
          loaded[index].stamp = stamp
          report.failures.append(error.noting("reloading list '\(source.name)'; keeping the previous entries"))
        }
      }
      if !report.reloaded.isEmpty || !report.failures.isEmpty {
        let next = report.reloaded.isEmpty ? nil : ReputationSet(lists: loaded.map(\.list))
        stateLock.withLock {
          if let next { current = next }
          stats.reloads += report.reloaded.count
          stats.failedReloads += report.failures.count
          if let last = report.failures.last { stats.lastError = last }
        }
        if let onError { report.failures.forEach(onError) }
      }
      return report
    }
  }

  /// The file's change stamp, or `nil` when it cannot be stat'ed (then it is always re-read).
  static func stamp(path: String) -> FileStamp? {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    return FileStamp(
      modifiedSeconds: Int(status.st_mtim.tv_sec), modifiedNanoseconds: Int(status.st_mtim.tv_nsec),
      size: Int(status.st_size), inode: UInt64(status.st_ino))
  }
}

/// Bumped by the SIGHUP handler; an atomic add is async-signal-safe.
private let hangupGeneration = Atomic<Int>(0)
