import Testing

import PolicyCore
@testable import WAFEngine

@Suite struct RateLimitTests {
  @Test func windowBucketsAlignToTheEpoch() {
    let window = RateWindow(limit: 100, windowSeconds: 300, buckets: 10)
    #expect(window.bucketSeconds == 30)
    #expect(window.bucket(at: 0) == 0)
    #expect(window.bucket(at: 29.999) == 0)
    #expect(window.bucket(at: 30) == 1)
    #expect(window.bucket(at: -0.5) == -1)
    #expect(window.bucket(at: -30) == -1)
    #expect(window.bucket(at: -30.001) == -2)
    // Times no clock gives pin to a bucket instead of trapping.
    #expect(window.bucket(at: .nan) == 0)
    #expect(window.bucket(at: .infinity) > 1_000_000_000_000)
    #expect(window.bucket(at: -.infinity) < -1_000_000_000_000)
    #expect(window.bucket(at: 1e300) == window.bucket(at: .infinity))
    #expect(RateWindow(limit: -3, windowSeconds: 0, buckets: 50).buckets == 1)
  }

  @Test func limitsTheRequestAfterTheLimit() {
    let store = InMemoryRateStore(window: RateWindow(limit: 3, windowSeconds: 60, buckets: 6))
    let decisions = (0..<5).map { store.record(key: "1.2.3.4", at: 1_000 + Double($0)) }
    #expect(decisions.map(\.count) == [1, 2, 3, 4, 5])
    #expect(decisions.map(\.limited) == [false, false, false, true, true])
    #expect(store.peek(key: "1.2.3.4", at: 1_010) == RateDecision(count: 5, limited: true))
    #expect(store.peek(key: "5.6.7.8", at: 1_010).count == 0)
  }

  @Test func keysCountSeparately() {
    let store = InMemoryRateStore(window: RateWindow(limit: 2, windowSeconds: 60))
    _ = store.record(key: "a", at: 0)
    _ = store.record(key: "a", at: 0)
    #expect(store.record(key: "a", at: 1).limited)
    #expect(!store.record(key: "b", at: 1).limited)
    #expect(store.record(key: RateKey(bytes: [0x61, 0]), at: 1).count == 1)  // bytes, not C strings
  }

  @Test func longKeysAreVerifiedInFull() {
    let store = InMemoryRateStore(window: RateWindow(limit: 5, windowSeconds: 60), shards: 1)
    let base = String(repeating: "h", count: 40)
    let first = RateKey(base + "-a")
    let second = RateKey(base + "-b")
    #expect(first.bytes == Array((base + "-a").utf8))
    #expect(RateKey("10.0.0.1").bytes == Array("10.0.0.1".utf8))
    #expect(first != second)
    _ = store.record(key: first, at: 0)
    _ = store.record(key: first, at: 0)
    #expect(store.record(key: second, at: 0).count == 1)
    #expect(store.peek(key: first, at: 0).count == 2)
  }

  /// Window boundaries with 60 s / 6 buckets (b = 10 s), aligned at multiples of 10 s.
  @Test func slidingWindowBoundaries() {
    let store = InMemoryRateStore(window: RateWindow(limit: 10, windowSeconds: 60, buckets: 6))
    // Five requests in bucket [100, 110).
    for second in 100..<105 { _ = store.record(key: "k", at: Double(second)) }
    // At 159.9 the window covers buckets [110, 160): the requests at 100-104 just left... no:
    // buckets counted at t are floor(t/10)-5 ... floor(t/10); at 159.9 that is 10...15 = [100, 160).
    #expect(store.peek(key: "k", at: 159.9).count == 5)
    // At 160 the bucket [100, 110) leaves: the count drops to 0, although an exact 60 s window
    // would still hold the requests at 100.5-104 until 164. That is the documented error bound:
    // at most one bucket (10 s) of requests forgotten early, never one counted late.
    #expect(store.peek(key: "k", at: 160).count == 0)
    // Requests spread over buckets leave one bucket at a time.
    for second in stride(from: 200, to: 260, by: 10) { _ = store.record(key: "s", at: Double(second)) }
    #expect(store.peek(key: "s", at: 259).count == 6)
    #expect(store.peek(key: "s", at: 260).count == 5)
    #expect(store.peek(key: "s", at: 305).count == 1)
    #expect(store.peek(key: "s", at: 310).count == 0)
  }

  /// The bound stated in RateWindow, checked against an exact sliding log on random traffic:
  /// exact(last W - b seconds) <= count <= exact(last W seconds).
  @Test(arguments: [60, 120, 300, 600])
  func errorBoundAgainstAnExactLog(windowSeconds: Int) {
    let window = RateWindow(limit: 1_000_000, windowSeconds: windowSeconds, buckets: 10)
    let store = InMemoryRateStore(window: window)
    var random = SplitMix64(seed: UInt64(windowSeconds))
    var log: [Double] = []
    var time = 1_700_000_000.0
    for _ in 0..<5_000 {
      time += Double(random.next() % 1_000) / 1_000 * Double(windowSeconds) / 50
      log.append(time)
      let count = store.record(key: "k", at: time).count
      let exact = log.filter { $0 > time - Double(windowSeconds) }.count
      let lower = log.filter { $0 > time - Double(windowSeconds) + window.bucketSeconds }.count
      #expect(count <= exact)
      #expect(count >= lower)
    }
  }

  @Test func timeGoingBackwardsCountsInTheNewestBucket() {
    let store = InMemoryRateStore(window: RateWindow(limit: 5, windowSeconds: 60, buckets: 6))
    _ = store.record(key: "k", at: 1_000)
    #expect(store.record(key: "k", at: 900).count == 2)
    #expect(store.peek(key: "k", at: 1_055).count == 2)
    #expect(store.peek(key: "k", at: 1_060).count == 0)
  }

  @Test func injectedClock() {
    let clock = TestClock(1_000)
    let store = InMemoryRateStore(window: RateWindow(limit: 1, windowSeconds: 60), clock: { clock.now })
    #expect(!store.record(key: "k").limited)
    #expect(store.record(key: "k").limited)
    clock.now += 60
    #expect(!store.record(key: "k").limited)
  }

  @Test func idleKeysExpire() {
    let store = InMemoryRateStore(window: RateWindow(limit: 5, windowSeconds: 60), maxKeys: 1_000, shards: 1)
    for index in 0..<100 { _ = store.record(key: RateKey("k\(index)"), at: 0) }
    #expect(store.statistics.keys == 100)
    #expect(store.purge(at: 59) == 0)
    #expect(store.purge(at: 60) == 100)
    #expect(store.statistics.keys == 0)
    #expect(store.statistics.expirations == 100)
    // New keys also expire idle ones as they arrive.
    for index in 0..<100 { _ = store.record(key: RateKey("a\(index)"), at: 0) }
    for index in 0..<100 { _ = store.record(key: RateKey("b\(index)"), at: 120) }
    #expect(store.statistics.keys < 200)
  }

  @Test func capEvictsLightKeysAndKeepsHeavyHitters() {
    let store = InMemoryRateStore(window: RateWindow(limit: 50, windowSeconds: 300), maxKeys: 64, shards: 1)
    for _ in 0..<100 { _ = store.record(key: "attacker", at: 10) }
    // A flood of one-off keys, far more than the cap.
    for index in 0..<10_000 { _ = store.record(key: RateKey("spoofed-\(index)"), at: 11) }
    #expect(store.statistics.keys == 64)
    #expect(store.statistics.evictions > 9_000)
    #expect(store.record(key: "attacker", at: 12) == RateDecision(count: 101, limited: true))
  }

  /// Many keys going idle and expiring (the table's deletion path, which shifts records and the
  /// bytes of long keys with them) while others keep counting: every count matches a dictionary
  /// model of the same bucket arithmetic. Short keys live inline; 40-byte prefixes make every
  /// key a long one.
  @Test(arguments: ["key-", String(repeating: "long-key-", count: 5)])
  func manyKeysMatchAModel(prefix: String) {
    let window = RateWindow(limit: 1_000, windowSeconds: 60, buckets: 6)
    let store = InMemoryRateStore(window: window, maxKeys: 4_096, shards: 2)
    var random = SplitMix64(seed: 9)
    var model: [String: (newest: Int64, buckets: [Int64: Int])] = [:]
    var mismatches = 0
    for step in 0..<40_000 {
      let key = "\(prefix)\(random.next() % 2_000)"
      let time = Double(step) * 0.02
      let bucket = window.bucket(at: time)
      var entry = model[key] ?? (bucket, [:])
      entry.newest = max(entry.newest, bucket)
      entry.buckets[entry.newest, default: 0] += 1
      entry.buckets = entry.buckets.filter { $0.key > entry.newest - 6 }
      model[key] = entry
      if store.record(key: RateKey(key), at: time).count != entry.buckets.values.reduce(0, +) { mismatches += 1 }
      if step % 1_000 == 999 { store.purge(at: time) }
    }
    #expect(mismatches == 0)
    #expect(store.statistics.expirations > 1_000)
    #expect(store.statistics.evictions == 0)
  }

  @Test func benchmarkRunsSmall() {
    let result = RateLimitBenchmark.runInMemory(decisions: 200_000, keys: 500, seed: 3)
    #expect(result.decisions == 200_000)
    #expect(result.limited > 0)
    #expect(result.decisionsPerSecond > 0)
  }
}

/// A settable clock for stores under test.
final class TestClock: @unchecked Sendable {
  private let lock = Lock()
  private var value: Double
  init(_ start: Double) { value = start }
  var now: Double {
    get { lock.withLock { value } }
    set { lock.withLock { value = newValue } }
  }
}
