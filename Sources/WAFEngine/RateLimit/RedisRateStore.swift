internal import CHiredis
internal import PolicyCore
#if canImport(Glibc)
  internal import Glibc
#endif

/// Rate counting shared by every WAF instance that points at the same Redis: the replicas of a
/// service together allow `limit` requests per window per key.
///
/// **Algorithm.** The same bucketed sliding window as `InMemoryRateStore` (see `RateWindow` for the
/// error bound), run atomically on the server by one Lua script per decision: a key is a Redis
/// hash from bucket number to count; the script drops buckets that left the window, adds the
/// request to the newest bucket, sets the key's TTL to one window plus one bucket, and returns the
/// sum. Because buckets are aligned to the epoch, instances agree on boundaries without talking;
/// a request stamped behind the key's newest bucket (clock skew between replicas) counts in the
/// newest bucket. The script is called by `EVALSHA`; after a `NOSCRIPT` reply (server restarted,
/// `SCRIPT FLUSH`) the call is repeated with `EVAL`, which also caches it again.
///
/// **Timeouts and failures.** Connecting is bounded by `connectTimeout` and each command by
/// `commandTimeout` (hiredis `redisConnectWithTimeout`, `redisSetTimeout`). When the server is
/// unreachable, times out, or answers with an error, the decision follows `failureMode`
/// (`.localFallback` counts in this process, `.failOpen` allows, `.failClosed` limits), the
/// failure is counted in `statistics` and passed to `onFailure`, and the connection is dropped.
/// Reconnecting is attempted again only after a backoff that doubles from `reconnectBackoff` up to
/// `maxReconnectBackoff`, so while Redis is down a decision costs no network wait at all.
///
/// **Concurrency.** One connection per store, used under a lock: decisions from many threads are
/// serialised on it. `record(keys:at:)` pipelines a batch in one round trip.
///
/// The store ignores `SIGPIPE` process-wide (as servers do), so writing to a connection Redis
/// closed returns an error instead of killing the process.
public final class RedisRateStore: RateStore, @unchecked Sendable {
  // @unchecked: the connection and counters are only touched under `lock`.

  /// Where Redis is and how the store behaves when it is not there.
  public struct Configuration: Sendable, Hashable {
    /// Server host (an IP address or name hiredis resolves).
    public var host: String
    /// Server port.
    public var port: Int
    /// Password for `AUTH`, if the server requires one.
    public var password: String?
    /// Seconds allowed to connect.
    public var connectTimeout: Double
    /// Seconds allowed per command (a batch waits this long per reply at most).
    public var commandTimeout: Double
    /// Prefix of every Redis key, so rules and tenants do not share counts by accident; the ACL
    /// layer puts the web ACL and rule name here.
    public var keyPrefix: String
    /// What decisions are when Redis fails.
    public var failureMode: RateFailureMode
    /// First wait, in seconds, before reconnecting after a failure; doubles on each failure.
    public var reconnectBackoff: Double
    /// Longest wait between reconnection attempts.
    public var maxReconnectBackoff: Double

    /// Creates a configuration; defaults suit a Redis on the same host or network.
    public init(
      host: String = "127.0.0.1", port: Int = 6379, password: String? = nil,
      connectTimeout: Double = 0.1, commandTimeout: Double = 0.05, keyPrefix: String = "rampart:rate:",
      failureMode: RateFailureMode = .localFallback, reconnectBackoff: Double = 0.1, maxReconnectBackoff: Double = 5
    ) {
      self.host = host
      self.port = port
      self.password = password
      self.connectTimeout = connectTimeout
      self.commandTimeout = commandTimeout
      self.keyPrefix = keyPrefix
      self.failureMode = failureMode
      self.reconnectBackoff = reconnectBackoff
      self.maxReconnectBackoff = maxReconnectBackoff
    }
  }

  /// Counters since the store was created.
  public struct Statistics: Sendable, Hashable {
    /// Decisions answered by Redis.
    public var redisDecisions = 0
    /// Decisions made by the failure mode instead.
    public var degradedDecisions = 0
    /// Connection attempts that failed.
    public var connectFailures = 0
    /// Commands that failed or timed out on an open connection.
    public var commandFailures = 0
    /// Successful connections (the first one included).
    public var connects = 0
    /// `NOSCRIPT` replies answered by re-sending the script with `EVAL`.
    public var scriptReloads = 0
    /// The last failure's message.
    public var lastError: String?
  }

  public let window: RateWindow
  /// The configuration.
  public let configuration: Configuration
  private let lock = Lock()
  private var context: UnsafeMutablePointer<redisContext>?
  private var scriptSHA: [UInt8] = []
  private var stats = Statistics()
  private var backoff: Double
  private var nextAttempt = 0.0
  private let fallback: InMemoryRateStore
  private let onFailure: (@Sendable (String) -> Void)?
  private let clock: @Sendable () -> Double

  /// Creates a store. It connects on first use, never in the initialiser.
  /// - Parameters:
  ///   - window: limit, window and buckets (the same on every instance sharing the keys).
  ///   - configuration: server, timeouts, key prefix and failure mode.
  ///   - clock: seconds since the Unix epoch for `record(key:)`; inject one in tests.
  ///   - onFailure: called with a message on each failure (a logger, a metric).
  public init(
    window: RateWindow, configuration: Configuration = Configuration(),
    clock: (@Sendable () -> Double)? = nil, onFailure: (@Sendable (String) -> Void)? = nil
  ) {
    self.window = window
    self.configuration = configuration
    self.backoff = configuration.reconnectBackoff
    self.fallback = InMemoryRateStore(window: window, clock: clock)
    self.onFailure = onFailure
    self.clock = clock ?? { wallClockSeconds() }
    signal(SIGPIPE, SIG_IGN)
  }

  deinit {
    if let context { redisFree(context) }
  }

  /// Counters and the last error.
  public var statistics: Statistics {
    lock.withLock { stats }
  }

  public func record(key: RateKey, at time: Double) -> RateDecision {
    record(keys: [key], at: time, increment: 1)[0]
  }

  /// Counts one request at the store's clock.
  public func record(key: RateKey) -> RateDecision {
    record(key: key, at: clock())
  }

  public func peek(key: RateKey, at time: Double) -> RateDecision {
    record(keys: [key], at: time, increment: 0)[0]
  }

  /// Counts one request for each key (a key may repeat) in one pipelined round trip; the
  /// decisions come back in the same order. Used by replay and by the benchmark.
  public func record(keys: [RateKey], at time: Double) -> [RateDecision] {
    record(keys: keys, at: time, increment: 1)
  }

  // MARK: - Commands

  private func record(keys: [RateKey], at time: Double, increment: Int) -> [RateDecision] {
    guard !keys.isEmpty else { return [] }
    return lock.withLock {
      var results = [RateDecision?](repeating: nil, count: keys.count)
      if connectIfNeeded(), let context {
        let bucket = window.bucket(at: time)
        let commands = keys.map { arguments(for: $0, bucket: bucket, increment: increment, sha: true) }
        var pending: [Int] = []
        for (index, argv) in commands.enumerated() {
          if appendCommand(context, argv) != REDIS_OK { break }
          pending.append(index)
        }
        var retry: [Int] = []
        var broken = pending.count < keys.count
        for index in pending {
          switch readReply(context) {
          case .integer(let count):
            results[index] = RateDecision(count: count, limited: count > window.limit)
          case .error(let message) where message.hasPrefix("NOSCRIPT"):
            retry.append(index)
          case .error(let message):
            fail("redis error: \(message)", command: true, drop: false)
          case .other, .string, .status:
            fail("redis: unexpected reply to the rate script", command: true, drop: false)
          case .connectionError(let message):
            broken = true
            fail(message, command: true, drop: false)
          }
          if broken { break }
        }
        if !retry.isEmpty, !broken {
          // The server lost the script: EVAL sends it again, and caches it for the next EVALSHA.
          stats.scriptReloads += 1
          for index in retry {
            if appendCommand(context, self.arguments(for: keys[index], bucket: bucket, increment: increment, sha: false))
              != REDIS_OK
            {
              broken = true
              break
            }
          }
          if !broken {
            for index in retry {
              switch readReply(context) {
              case .integer(let count): results[index] = RateDecision(count: count, limited: count > window.limit)
              case .error(let message): fail("redis error: \(message)", command: true, drop: false)
              case .other, .string, .status:
                fail("redis: unexpected reply to the rate script", command: true, drop: false)
              case .connectionError(let message):
                broken = true
                fail(message, command: true, drop: false)
              }
              if broken { break }
            }
          }
        }
        if broken {
          if pending.count < keys.count { fail(errorText(context), command: true, drop: false) }
          disconnect()
        }
      }
      var decisions: [RateDecision] = []
      decisions.reserveCapacity(keys.count)
      for (index, result) in results.enumerated() {
        if let result {
          stats.redisDecisions += 1
          decisions.append(result)
        } else {
          stats.degradedDecisions += 1
          decisions.append(degraded(keys[index], at: time, increment: increment))
        }
      }
      return decisions
    }
  }

  private func degraded(_ key: RateKey, at time: Double, increment: Int) -> RateDecision {
    var decision: RateDecision
    switch configuration.failureMode {
    case .localFallback:
      decision = increment > 0 ? fallback.record(key: key, at: time) : fallback.peek(key: key, at: time)
    case .failOpen:
      decision = RateDecision(count: 0, limited: false)
    case .failClosed:
      decision = RateDecision(count: 0, limited: true)
    }
    decision.degraded = configuration.failureMode
    return decision
  }

  /// `EVALSHA sha 1 key bucket buckets ttl increment` (or `EVAL script ...`).
  private func arguments(for key: RateKey, bucket: Int64, increment: Int, sha: Bool) -> [[UInt8]] {
    let ttl = window.windowSeconds + Int(window.bucketSeconds.rounded(.up)) + 1
    let prefix = "\(configuration.keyPrefix)\(window.windowSeconds):\(window.buckets):"
    return [
      Array((sha ? "EVALSHA" : "EVAL").utf8), sha ? scriptSHA : Array(RedisRateStore.script.utf8), Array("1".utf8),
      Array(prefix.utf8) + key.bytes, Array(String(bucket).utf8), Array(String(window.buckets).utf8),
      Array(String(ttl).utf8), Array(String(increment).utf8),
    ]
  }

  /// The Lua script: KEYS[1] the key; ARGV bucket, buckets, ttl, increment. Returns the count.
  static let script = """
    local fields = redis.call('HGETALL', KEYS[1])
    local newest = tonumber(ARGV[1])
    local buckets = tonumber(ARGV[2])
    local increment = tonumber(ARGV[4])
    for i = 1, #fields, 2 do
      local b = tonumber(fields[i])
      if b > newest then newest = b end
    end
    local total = 0
    for i = 1, #fields, 2 do
      if tonumber(fields[i]) <= newest - buckets then
        redis.call('HDEL', KEYS[1], fields[i])
      else
        total = total + tonumber(fields[i + 1])
      end
    end
    if increment > 0 then
      redis.call('HINCRBY', KEYS[1], string.format('%d', newest), increment)
      redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
      total = total + increment
    end
    return total
    """

  // MARK: - Connection

  /// Connects when there is no connection and the backoff has passed; `false` while down.
  private func connectIfNeeded() -> Bool {
    if context != nil { return true }
    let now = monotonicSeconds()
    guard now >= nextAttempt else { return false }
    let connected = configuration.host.withCString { host in
      redisConnectWithTimeout(host, Int32(clamping: configuration.port), timeval(seconds: configuration.connectTimeout))
    }
    guard let connected else {
      connectFailed("redis: cannot allocate a connection")
      return false
    }
    if connected.pointee.err != 0 {
      let message = errorText(connected)
      redisFree(connected)
      connectFailed("redis \(configuration.host):\(configuration.port): \(message)")
      return false
    }
    redisSetTimeout(connected, timeval(seconds: configuration.commandTimeout))
    context = connected
    if let password = configuration.password {
      guard case .status = command([Array("AUTH".utf8), Array(password.utf8)]) else {
        disconnect()
        connectFailed("redis: AUTH failed")
        return false
      }
    }
    guard case .string(let sha) = command([Array("SCRIPT".utf8), Array("LOAD".utf8), Array(RedisRateStore.script.utf8)])
    else {
      disconnect()
      connectFailed("redis: SCRIPT LOAD failed")
      return false
    }
    scriptSHA = sha
    stats.connects += 1
    backoff = configuration.reconnectBackoff
    return true
  }

  private func connectFailed(_ message: String) {
    stats.connectFailures += 1
    stats.lastError = message
    onFailure?(message)
    nextAttempt = monotonicSeconds() + backoff
    backoff = min(backoff * 2, configuration.maxReconnectBackoff)
  }

  private func fail(_ message: String, command: Bool, drop: Bool) {
    if command { stats.commandFailures += 1 }
    stats.lastError = message
    onFailure?(message)
    if drop { disconnect() }
  }

  private func disconnect() {
    if let context { redisFree(context) }
    context = nil
    nextAttempt = monotonicSeconds() + backoff
    backoff = min(backoff * 2, configuration.maxReconnectBackoff)
  }

  private func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
    withUnsafeBytes(of: context.pointee.errstr) { raw in
      let bytes = raw.prefix { $0 != 0 }
      return String(decoding: bytes, as: UTF8.self)
    }
  }

  // MARK: - hiredis calls

  enum Reply {
    case integer(Int)
    case string([UInt8])
    case status
    case error(String)
    case other
    case connectionError(String)
  }

  /// Runs one command and waits for its reply.
  private func command(_ argv: [[UInt8]]) -> Reply {
    guard let context else { return .connectionError("not connected") }
    guard appendCommand(context, argv) == REDIS_OK else { return .connectionError(errorText(context)) }
    return readReply(context)
  }

  private func appendCommand(_ context: UnsafeMutablePointer<redisContext>, _ argv: [[UInt8]]) -> Int32 {
    var joined: [UInt8] = []
    var offsets: [Int] = []
    var lengths: [Int] = []
    for argument in argv {
      offsets.append(joined.count)
      lengths.append(argument.count)
      joined.append(contentsOf: argument)
    }
    joined.append(0)
    return joined.withUnsafeBufferPointer { buffer -> Int32 in
      guard let base = buffer.baseAddress else { return REDIS_ERR }
      let raw = UnsafeRawPointer(base)
      var pointers: [UnsafePointer<CChar>?] = offsets.map {
        raw.advanced(by: $0).assumingMemoryBound(to: CChar.self)
      }
      return pointers.withUnsafeMutableBufferPointer { pointerBuffer in
        lengths.withUnsafeBufferPointer { lengthBuffer in
          redisAppendCommandArgv(
            context, Int32(argv.count), pointerBuffer.baseAddress, lengthBuffer.baseAddress)
        }
      }
    }
  }

  private func readReply(_ context: UnsafeMutablePointer<redisContext>) -> Reply {
    var out: UnsafeMutableRawPointer?
    guard redisGetReply(context, &out) == REDIS_OK, let out else {
      return .connectionError("redis \(configuration.host):\(configuration.port): \(errorText(context))")
    }
    defer { freeReplyObject(out) }
    let reply = out.assumingMemoryBound(to: redisReply.self).pointee
    switch reply.type {
    case REDIS_REPLY_INTEGER: return .integer(Int(reply.integer))
    case REDIS_REPLY_STRING:
      guard let text = reply.str else { return .string([]) }
      return .string(Array(UnsafeRawBufferPointer(start: text, count: Int(reply.len))))
    case REDIS_REPLY_STATUS: return .status
    case REDIS_REPLY_ERROR:
      guard let text = reply.str else { return .error("") }
      return .error(String(decoding: UnsafeRawBufferPointer(start: text, count: Int(reply.len)), as: UTF8.self))
    default: return .other
    }
  }
}

extension timeval {
  /// A timeval from seconds (at least one microsecond, so zero never means "block forever").
  fileprivate init(seconds: Double) {
    let micros = max(1, Int((seconds * 1e6).rounded()))
    self.init(tv_sec: micros / 1_000_000, tv_usec: micros % 1_000_000)
  }
}
