/// How a rate-based rule counts: at most `limit` requests per `windowSeconds` per aggregation key,
/// over a sliding window made of `buckets` fixed sub-windows.
///
/// ## The window algorithm: bucketed sliding window
///
/// Time (seconds since the Unix epoch) is cut into buckets of width `b = windowSeconds / buckets`,
/// aligned to the epoch, so every process and Redis agree on bucket boundaries without talking.
/// Each key keeps one counter per bucket for the last `buckets` buckets. A request at time `t`
/// falls in bucket `floor(t / b)`; the count for the key is the sum of the current bucket and
/// the `buckets - 1` before it, including the request being recorded.
///
/// **Error bound.** At time `t` the count covers exactly the requests in `[s, t]` where
/// `s = (floor(t / b) - buckets + 1) * b`, a span of length `W'` with `W - b <= W' < W`
/// (`W = windowSeconds`). So the count
/// - never includes a request older than `W` seconds (no false positives against an exact sliding
///   window of length `W`), and
/// - misses at most the requests of one bucket: those in the oldest `W - W'` (< `b`) seconds of
///   the exact window. Equivalently, it is at least the exact count over the last `W - b`
///   seconds.
///
/// With the default 10 buckets a 300-second window has 30-second buckets: the count is exact for
/// a burst shorter than 270 seconds, and for steady traffic it is within 10% of the exact sliding
/// count (low side). More buckets tighten the bound and cost 4 bytes of memory per bucket per key.
///
/// A request counts whether or not it is limited (as AWS WAF counts the requests a rate-based rule
/// sees), so a client that keeps sending while limited stays limited. A request whose time is
/// older than the key's newest bucket (replay out of order, clock skew between replicas) is
/// counted in the newest bucket: windows never move backwards.
public struct RateWindow: Sendable, Hashable, CustomStringConvertible {
  /// The evaluation windows AWS WAF offers for rate-based rules; others are accepted too.
  public static let standardWindows = [60, 120, 300, 600]

  /// Requests allowed per window; the request that makes the count exceed it is limited.
  public let limit: Int
  /// The window length in seconds.
  public let windowSeconds: Int
  /// The number of buckets the window is split into (the error bound is one bucket).
  public let buckets: Int

  /// Creates a window. `limit` is at least 0 (0 limits every request), `windowSeconds` at least
  /// 1, and `buckets` between 1 and `windowSeconds`; values outside are clamped.
  public init(limit: Int, windowSeconds: Int = 300, buckets: Int = 10) {
    self.limit = max(0, limit)
    self.windowSeconds = max(1, windowSeconds)
    self.buckets = min(max(1, buckets), max(1, windowSeconds))
  }

  /// The bucket width `b` in seconds.
  public var bucketSeconds: Double { Double(windowSeconds) / Double(buckets) }

  /// The bucket a time falls in.
  @inline(__always)
  public func bucket(at time: Double) -> Int64 {
    let scaled = time * Double(buckets) / Double(windowSeconds)
    // Floor by truncating and correcting below zero: `rounded(.down)` is a call into libm on
    // baseline x86-64, a tenth of a decision's cost. Times far outside any calendar (and NaN)
    // pin to a bucket instead of trapping.
    guard scaled > -4.0e18, scaled < 4.0e18 else { return scaled > 0 ? 4_000_000_000_000_000_000 : (scaled < 0 ? -4_000_000_000_000_000_000 : 0) }
    let truncated = Int64(scaled)
    return Double(truncated) > scaled ? truncated - 1 : truncated
  }

  /// `limit` per `windowSeconds` s (`buckets` buckets).
  public var description: String { "\(limit) per \(windowSeconds) s (\(buckets) buckets)" }
}

/// The outcome of counting one request (or peeking at a key).
public struct RateDecision: Sendable, Hashable, CustomStringConvertible {
  /// Requests in the window for this key, including the one just recorded.
  public var count: Int
  /// Whether `count` exceeds the limit.
  public var limited: Bool
  /// Set when the decision did not come from the configured store (Redis unreachable): which
  /// failure mode produced it.
  public var degraded: RateFailureMode?

  /// Creates a decision.
  public init(count: Int, limited: Bool, degraded: RateFailureMode? = nil) {
    self.count = count
    self.limited = limited
    self.degraded = degraded
  }

  public var description: String {
    "count \(count)" + (limited ? ", limited" : "") + (degraded.map { " (\($0))" } ?? "")
  }
}

/// What a shared (Redis) store does when it cannot reach its server or the server times out.
public enum RateFailureMode: String, Sendable, Hashable {
  /// Count in this process's memory until the server is back (limits become per instance).
  case localFallback
  /// Treat the request as not limited.
  case failOpen
  /// Treat the request as limited.
  case failClosed
}

/// An opaque aggregation key (the ACL layer builds it from the client IP, headers, ...), hashed
/// once when created so stores never hash on the hot path.
///
/// The hash is seeded per process, so an attacker who picks keys cannot aim them at one bucket of
/// the in-memory table; stores that share counts (Redis) use the bytes, never the hash.
public struct RateKey: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
  /// A seeded 64-bit hash of the key bytes.
  public let hash: UInt64
  /// The first 32 bytes, zero-padded. Keys up to 32 bytes (any IPv4 and most IPv6 addresses as
  /// text) live here entirely, so such a key is a plain value: copying it touches no heap memory
  /// and a store verifies it against its inline copy without following a pointer.
  let prefixWords: (UInt64, UInt64, UInt64, UInt64)
  /// The key length in bytes.
  let byteCount: Int
  /// The whole key when it is longer than 32 bytes.
  let overflow: [UInt8]?

  /// A key from raw bytes.
  public init(bytes: [UInt8]) {
    self.hash = RateKey.hash(bytes)
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    withUnsafeMutableBytes(of: &words) { raw in
      raw.copyBytes(from: bytes.prefix(32))
    }
    self.prefixWords = words
    self.byteCount = bytes.count
    self.overflow = bytes.count > 32 ? bytes : nil
  }

  /// A key from a string's UTF-8.
  public init(_ text: String) {
    self.init(bytes: Array(text.utf8))
  }

  public init(stringLiteral value: String) {
    self.init(value)
  }

  /// The key without its long-key array: what a table compares inline. A plain value, so
  /// passing it into a lock's closure copies no reference.
  struct Inline {
    let hash: UInt64
    let prefixWords: (UInt64, UInt64, UInt64, UInt64)
    let byteCount: Int
  }

  var inline: Inline { Inline(hash: hash, prefixWords: prefixWords, byteCount: byteCount) }

  /// The key bytes.
  public var bytes: [UInt8] {
    if let overflow { return overflow }
    return withUnsafeBytes(of: prefixWords) { Array($0.prefix(byteCount)) }
  }

  public var description: String { String(decoding: bytes, as: UTF8.self) }

  public static func == (lhs: RateKey, rhs: RateKey) -> Bool {
    lhs.hash == rhs.hash && lhs.byteCount == rhs.byteCount && lhs.prefixWords == rhs.prefixWords
      && lhs.overflow == rhs.overflow
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(hash)
  }

  /// A multiply-xorshift hash over 8-byte words, finished with the murmur3 mixer.
  static func hash(_ bytes: [UInt8]) -> UInt64 {
    var h = rateKeySeed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset + 8 <= raw.count {
        let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 32
        offset += 8
      }
      var tail: UInt64 = 0
      var shift: UInt64 = 0
      while offset < raw.count {
        tail |= UInt64(raw[offset]) << shift
        shift += 8
        offset += 1
      }
      h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
    }
    h ^= h >> 33
    h = h &* 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    h = h &* 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 33
    return h
  }
}

/// The per-process hash seed for `RateKey`.
private let rateKeySeed: UInt64 = UInt64.random(in: UInt64.min...UInt64.max)

/// A store that counts requests per key: in memory (`InMemoryRateStore`) or shared through Redis
/// (`RedisRateStore`). The ACL layer holds one per rate-based rule.
public protocol RateStore: Sendable {
  /// The limit and window the store counts against.
  var window: RateWindow { get }
  /// Counts one request for `key` at `time` (seconds since the Unix epoch) and returns the count
  /// in the window, including this request.
  func record(key: RateKey, at time: Double) -> RateDecision
  /// The count for `key` at `time` without recording a request.
  func peek(key: RateKey, at time: Double) -> RateDecision
}
