internal import Synchronization
/// Rate counting in this process's memory, bounded in keys.
///
/// The window algorithm and its error bound are `RateWindow`'s. Memory is bounded:
/// - **Idle keys expire**: a key whose whole window has passed holds no count; two entries are
///   checked for idleness on every new key, and `purge(at:)` removes all idle keys at once.
/// - **A cap on keys** (`maxKeys`, split evenly over the shards). When a shard is full, a new key
///   evicts the key with the lowest current count among eight sampled (idle keys first). This
///   keeps the heavy hitters a rate rule exists to limit: flooding the store with one-off keys
///   (spoofed forwarded addresses) evicts other one-off keys, not the attacker's count. Each
///   eviction is counted in `statistics.evictions`.
///
/// The tables have half again as many slots as the cap, each slot a record of `64 + 4 * buckets`
/// bytes rounded up to 64 (128 for the usual 10 buckets): about 190 bytes per key of capacity,
/// committed as slots are first written, plus the bytes of keys longer than 32. Keys are spread
/// over `shards` independently locked tables, so request threads rarely contend.
public final class InMemoryRateStore: RateStore, @unchecked Sendable {
  // @unchecked: each shard's table is only touched under that shard's lock.

  /// Counters since the store was created.
  public struct Statistics: Sendable, Hashable {
    /// Keys held now.
    public var keys: Int
    /// Keys evicted with a non-zero count because the cap was reached.
    public var evictions: Int
    /// Idle keys removed.
    public var expirations: Int
  }

  public let window: RateWindow
  /// The key cap.
  public let maxKeys: Int
  /// One lock and one table per shard, in memory the store owns: reaching a shard loads a
  /// pointer, with no class reference to retain on the hot path, and the tables pay no dynamic
  /// exclusivity check (the lock already excludes).
  private let shardCount: Int
  private let locks: UnsafeMutablePointer<Mutex<Void>>
  private let tables: UnsafeMutablePointer<RateTable>
  private let shardShift: UInt64
  private let clock: @Sendable () -> Double

  /// Creates a store.
  /// - Parameters:
  ///   - window: limit, window and buckets.
  ///   - maxKeys: the cap on keys held (at least one per shard).
  ///   - shards: independently locked tables, rounded up to a power of two (1...256).
  ///   - clock: seconds since the Unix epoch for `record(key:)` (default: the real-time clock);
  ///     inject one in tests.
  public init(
    window: RateWindow, maxKeys: Int = 100_000, shards: Int = 16,
    clock: (@Sendable () -> Double)? = nil
  ) {
    var count = 1
    while count < min(max(shards, 1), 256) { count <<= 1 }
    self.window = window
    self.maxKeys = max(maxKeys, count)
    let perShard = (self.maxKeys + count - 1) / count
    shardCount = count
    locks = .allocate(capacity: count)
    tables = .allocate(capacity: count)
    for index in 0..<count {
      (locks + index).initialize(to: Mutex(()))
      (tables + index).initialize(to: RateTable(window: window, capacity: perShard))
    }
    self.shardShift = UInt64(64 - count.trailingZeroBitCount)
    self.clock = clock ?? { wallClockSeconds() }
  }

  deinit {
    locks.deinitialize(count: shardCount)
    locks.deallocate()
    tables.deinitialize(count: shardCount)
    tables.deallocate()
  }

  @inline(__always)
  private func shard(for hash: UInt64) -> Int {
    // Top hash bits pick the shard; the table uses the low bits, so the two stay independent.
    shardCount == 1 ? 0 : Int(truncatingIfNeeded: hash >> shardShift)
  }

  public func record(key: borrowing RateKey, at time: Double) -> RateDecision {
    let bucket = window.bucket(at: time)
    let index = shard(for: key.hash)
    let table = tables + index
    let count: Int
    if key.overflow == nil {
      // The closure captures only plain values: capturing the key itself copied it (a retain
      // and release of its optional long-key array) on every decision.
      let inline = key.inline
      count = locks[index].withLock { _ in table.pointee.record(inline, overflow: nil, bucket: bucket) }
    } else {
      let inline = key.inline
      let overflow = key.overflow
      count = locks[index].withLock { _ in table.pointee.record(inline, overflow: overflow, bucket: bucket) }
    }
    return RateDecision(count: count, limited: count > window.limit)
  }

  /// Counts one request at the store's clock.
  public func record(key: RateKey) -> RateDecision {
    record(key: key, at: clock())
  }

  /// Counts one request for a string key.
  public func record(key: String, at time: Double) -> RateDecision {
    record(key: RateKey(key), at: time)
  }

  public func peek(key: RateKey, at time: Double) -> RateDecision {
    let bucket = window.bucket(at: time)
    let index = shard(for: key.hash)
    let table = tables + index
    let count = locks[index].withLock { _ in table.pointee.peek(key.inline, overflow: key.overflow, bucket: bucket) }
    return RateDecision(count: count, limited: count > window.limit)
  }

  /// Removes every idle key (whole window passed) and returns how many.
  @discardableResult
  public func purge(at time: Double) -> Int {
    let bucket = window.bucket(at: time)
    var removed = 0
    for index in 0..<shardCount {
      let table = tables + index
      removed += locks[index].withLock { _ in table.pointee.purge(at: bucket) }
    }
    return removed
  }

  /// Keys held, evictions and expirations.
  public var statistics: Statistics {
    var result = Statistics(keys: 0, evictions: 0, expirations: 0)
    for index in 0..<shardCount {
      let table = tables + index
      locks[index].withLock { _ in
        result.keys += table.pointee.count
        result.evictions += table.pointee.evictions
        result.expirations += table.pointee.expirations
      }
    }
    return result
  }
}
