/// Rate decision benchmarks: the in-memory store on one core, and the Redis store with
/// pipelining, so the `bench` CLI can print them side by side.
///
/// Keys look like client addresses (`10.x.y.z`), drawn uniformly from `keys` distinct ones with a
/// deterministic generator; the clock advances 10 µs per decision so windows move during the run.
/// The window is 100 requests per 60 s in 10 buckets.
public enum RateLimitBenchmark {
  /// What one run measured.
  public struct Result: Sendable, CustomStringConvertible {
    /// `in-memory` or `redis (batch N)`.
    public var store: String
    /// Decisions timed.
    public var decisions: Int
    /// Distinct keys.
    public var keys: Int
    /// Decisions that came back limited.
    public var limited: Int
    /// Decisions made by the failure mode (Redis only; 0 when every decision reached the server).
    public var degraded: Int
    /// Seconds (monotonic clock).
    public var seconds: Double

    /// Decisions per second.
    public var decisionsPerSecond: Double { seconds > 0 ? Double(decisions) / seconds : 0 }

    public var description: String {
      let rate = decisionsPerSecond >= 1e6
        ? "\((decisionsPerSecond / 1e5).rounded() / 10)M/s" : "\((decisionsPerSecond / 100).rounded() / 10)k/s"
      return "rate \(store): \(decisions) decisions over \(keys) keys at \(rate) (\(limited) limited"
        + (degraded > 0 ? ", \(degraded) degraded)" : ")")
    }
  }

  static func makeKeys(_ count: Int, _ random: inout SplitMix64) -> [RateKey] {
    (0..<max(count, 1)).map { _ in
      let bits = random.next()
      return RateKey("10.\(bits & 0xFF).\((bits >> 8) & 0xFF).\((bits >> 16) & 0xFF)")
    }
  }

  /// Times `decisions` in-memory decisions over `keys` keys on the calling thread.
  public static func runInMemory(decisions: Int = 20_000_000, keys: Int = 100_000, seed: UInt64 = 42) -> Result {
    var random = SplitMix64(seed: seed)
    let keyList = makeKeys(keys, &random)
    let store = InMemoryRateStore(
      window: RateWindow(limit: 100, windowSeconds: 60, buckets: 10), maxKeys: keyList.count * 2)
    var limited = 0
    var state = random.next() | 1
    let start = monotonicSeconds()
    keyList.withUnsafeBufferPointer { keyList in
      for index in 0..<decisions {
        // xorshift64 inline: cheaper than the benchmark's subject.
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        // Multiply-shift maps the draw onto the keys without a 64-bit division. The key is lent
        // through the base pointer's addressor: the buffer's subscript would copy it out first
        // (a retain and release per decision that a request-built key does not pay).
        let pick = Int(truncatingIfNeeded: ((state >> 32) &* UInt64(keyList.count)) >> 32)
        if let base = keyList.baseAddress, store.record(key: base[pick], at: 1_700_000_000 + Double(index) * 1e-5)
          .limited
        {
          limited += 1
        }
      }
    }
    let seconds = monotonicSeconds() - start
    return Result(
      store: "in-memory", decisions: decisions, keys: keyList.count, limited: limited, degraded: 0, seconds: seconds)
  }

  /// Times Redis-backed decisions, `batch` per pipelined round trip. `nil` when the server cannot
  /// be reached at all (the first batch degraded entirely).
  public static func runRedis(
    host: String = "127.0.0.1", port: Int = 6379, decisions: Int = 200_000, batch: Int = 64,
    keys: Int = 10_000, seed: UInt64 = 42
  ) -> Result? {
    var random = SplitMix64(seed: seed)
    let keyList = makeKeys(keys, &random)
    let store = RedisRateStore(
      window: RateWindow(limit: 100, windowSeconds: 60, buckets: 10),
      configuration: .init(
        host: host, port: port, commandTimeout: 1, keyPrefix: "rampart:bench:\(seed):", failureMode: .failOpen))
    let batchSize = max(1, batch)
    var limited = 0
    var degraded = 0
    var done = 0
    let start = monotonicSeconds()
    while done < decisions {
      let size = min(batchSize, decisions - done)
      let chunk = (0..<size).map { _ in keyList[Int(random.next() % UInt64(keyList.count))] }
      let results = store.record(keys: chunk, at: 1_700_000_000 + Double(done) * 1e-5)
      if done == 0, results.allSatisfy({ $0.degraded != nil }) { return nil }
      for result in results {
        if result.limited { limited += 1 }
        if result.degraded != nil { degraded += 1 }
      }
      done += size
    }
    let seconds = monotonicSeconds() - start
    return Result(
      store: "redis (batch \(batchSize))", decisions: decisions, keys: keyList.count, limited: limited,
      degraded: degraded, seconds: seconds)
  }
}
