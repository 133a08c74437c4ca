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
/// Each entry costs about `40 + 4 * buckets` bytes plus the key bytes, and the slot array 24
/// bytes per key of capacity. Keys are spread over `shards` independently locked tables, so
/// request threads rarely contend.
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

  /// One lock and one table. The table sits behind a pointer rather than in a `var` property so
  /// that the hot path pays no dynamic exclusivity check per access (the lock already excludes).
  private final class Shard: @unchecked Sendable {
    // Synchronization's Mutex: an uncontended lock is one atomic exchange, no call into libc.
    let lock = Mutex(())
    let table: UnsafeMutablePointer<RateTable>
    init(table: RateTable) {
      self.table = UnsafeMutablePointer<RateTable>.allocate(capacity: 1)
      self.table.initialize(to: table)
    }
    deinit {
      table.deinitialize(count: 1)
      table.deallocate()
    }
  }

  public let window: RateWindow
  /// The key cap.
  public let maxKeys: Int
  private let shards: [Shard]
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
    self.shards = (0..<count).map { _ in Shard(table: RateTable(window: window, capacity: perShard)) }
    self.shardShift = UInt64(64 - count.trailingZeroBitCount)
    self.clock = clock ?? { wallClockSeconds() }
  }

  @inline(__always)
  private func shard(for key: borrowing RateKey) -> Shard {
    // Top hash bits pick the shard; the table uses the low bits, so the two stay independent.
    shards.count == 1 ? shards[0] : shards[Int(truncatingIfNeeded: key.hash >> shardShift)]
  }

  public func record(key: borrowing RateKey, at time: Double) -> RateDecision {
    let bucket = window.bucket(at: time)
    let shard = shard(for: key)
    let table = shard.table
    let count = shard.lock.withLock { _ in table.pointee.record(key, bucket: bucket) }
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
    let shard = shard(for: key)
    let count = shard.lock.withLock { _ in shard.table.pointee.peek(key, bucket: bucket) }
    return RateDecision(count: count, limited: count > window.limit)
  }

  /// Removes every idle key (whole window passed) and returns how many.
  @discardableResult
  public func purge(at time: Double) -> Int {
    let bucket = window.bucket(at: time)
    return shards.reduce(0) { sum, shard in sum + shard.lock.withLock { _ in shard.table.pointee.purge(at: bucket) } }
  }

  /// Keys held, evictions and expirations.
  public var statistics: Statistics {
    var result = Statistics(keys: 0, evictions: 0, expirations: 0)
    for shard in shards {
      shard.lock.withLock { _ in
        result.keys += shard.table.pointee.count
        result.evictions += shard.table.pointee.evictions
        result.expirations += shard.table.pointee.expirations
      }
    }
    return result
  }
}
